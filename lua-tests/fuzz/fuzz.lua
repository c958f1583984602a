-- Differential fuzzer: the same seeded call sequence against the reference C
-- core and against ours; one normalised line per call on stdout, to be diffed
-- (scripts/fuzz.sh runs both and compares).
--
--   lua fuzz.lua SEED CALLS
--
-- Environment: FUZZ_IMPL = c | rs (which core is loaded; decides only what is
-- done with the calls the C core cannot survive, see SIDE below),
-- FUZZ_SIDE = file that receives those calls' results (ours only),
-- FUZZ_MUTATE = k makes one argument in k hostile (default 4),
-- FUZZ_FDDEBUG = 1 prints the lowest free descriptor after every step (to
-- find where two runs' descriptor tables part).
-- Runs in its own network namespace (loopback only, fixed ports free) and
-- its own working directory (unix socket paths are relative).
--
-- Everything that decides the call sequence comes from rnd() below, whose
-- arithmetic is exact in doubles (5.1, LuaJIT) and in integers (5.3+): every
-- Lua version generates the same sequence of choices for a seed.
--
-- SIDE: a call the C core crashes on, hangs in, or answers by a documented
-- deliberate difference (README) is not made on the reference; on both runs
-- the main stream prints "SIDE <reason>", and ours makes the call and writes
-- its result, checked against what we promise, to FUZZ_SIDE. The reasons:
--   skip-out-of-frame          the C core returns slots outside its frame, or segfaults
--   select-fd-above-63         a getfd the kernel's select(2) may skip; from 1024 the
--                              C core raises, from 2^31 its FD_SET aborts
--   sleep-nan                  the C core sleeps for ever
--   getnameinfo-uninitialised  the C core returns buffers getnameinfo(3) did not fill
--   receivefrom-no-fd-uninitialised  ... and an uninitialised sender address
--   connect-bind-fails-leaks-fd      the C core leaks the descriptor
--   dgram-sendto-stream-path-spins   the C core retries EPROTOTYPE for ever
-- Never made on either core: sleeps above 3 ms, a select that could block.
local SEED = assert(tonumber(arg[1]), "seed")
local CALLS = assert(tonumber(arg[2]), "calls")
local IMPL = os.getenv("FUZZ_IMPL") or "rs"
local SIDEFILE = os.getenv("FUZZ_SIDE")

local socket = require "socket.core"
local mime = require "mime.core"
local unix = require "socket.unix"
local serial = require "socket.serial"
local dns = socket.dns
local unpack = table.unpack or unpack
local mtype = math.type or function() return "number" end
local floor = math.floor
local write = io.write
local JIT = rawget(_G, "jit") ~= nil
local INTS = math.type ~= nil -- 5.3+: integer subtype

local side = SIDEFILE and assert(io.open(SIDEFILE, "w"))
local side_fail = 0

---------------------------------------------------------------------------
-- PRNG (Park-Miller; every product below 2^46, exact everywhere)
---------------------------------------------------------------------------
local state = SEED % 2147483646 + 1
local function rnd(n) -- 0 .. n-1
  state = state * 16807 % 2147483647
  return state % n
end
for _ = 1, 10 do rnd(2) end
local function pick(t) return t[rnd(#t) + 1] end
local function chance(k) return rnd(k) == 0 end -- probability 1/k

---------------------------------------------------------------------------
-- Normalisation: values with their exact types, as lua-tests/lib/tdiff.lua
---------------------------------------------------------------------------
local label = setmetatable({}, { __mode = "k" }) -- object/table -> stable name
local P = 2147483629
local function hash(s)
  local h = #s
  local byte = string.byte
  for i = 1, #s, 8 do
    local a, b, c, d, e, f, g, k = byte(s, i, i + 7)
    h = (h * 31 + a) % P
    h = (h * 31 + (b or 0)) % P
    h = (h * 31 + (c or 0)) % P
    h = (h * 31 + (d or 0)) % P
    h = (h * 31 + (e or 0) + (f or 0) * 7 + (g or 0) * 17 + (k or 0) * 257) % P
  end
  return h
end

local function esc(s)
  s = s:gsub("0x%x%x%x%x%x%x+", "0xADDR"):gsub("'socket%.unix%.tcp'", "'socket.unix.stream'")
    :gsub("'socket%.unix%.udp'", "'socket.unix.dgram'")
  return (s:gsub("[%c\"\\\128-\255]", function(c) return string.format("\\%d", c:byte()) end))
end

local function rstr(s)
  if #s <= 200 then return '"' .. esc(s) .. '"' end
  return string.format('"%s"..#%d:%d', esc(s:sub(1, 16)), #s, hash(s))
end

local repr
local function rtable(t, depth)
  if label[t] then return label[t] end
  if depth > 2 then return "{...}" end
  local ks = {}
  local n = 0
  for k, v in pairs(t) do
    n = n + 1
    if n > 40 then ks[#ks + 1] = "..."; break end
    ks[#ks + 1] = "[" .. repr(k, depth + 1) .. "]=" .. repr(v, depth + 1)
  end
  table.sort(ks)
  local m = getmetatable(t)
  if n == 0 and type(m) == "table" and type(rawget(m, "__index")) == "table" then
    return "proxy" .. rtable(rawget(m, "__index"), depth + 1)
  end
  local mt = m and "mt" or ""
  return mt .. "{" .. table.concat(ks, ",") .. "}"
end

function repr(v, depth)
  local t = type(v)
  if t == "number" then
    if v ~= v then return "nan" end
    return mtype(v) .. ":" .. tostring(v)
  elseif t == "string" then
    return rstr(v)
  elseif t == "table" then
    return rtable(v, depth or 0)
  elseif t == "userdata" then
    if label[v] then return label[v] end
    local ok, s = pcall(tostring, v)
    return "userdata:" .. esc(ok and s or "?")
  elseif t == "function" or t == "thread" then
    return label[v] or t
  else
    return tostring(v)
  end
end

local function pack(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = repr((select(i, ...))) end
  return n .. "[" .. table.concat(out, ", ") .. "]"
end

---------------------------------------------------------------------------
-- Values
---------------------------------------------------------------------------
local INF, NAN = 1 / 0, 0 / 0
local MAXI = math.maxinteger or 2 ^ 63
local MINI = math.mininteger or -2 ^ 63
local NUMS = {
  0, 1, -1, 2, 3, 5, 8, 16, 100, 1000, 8191, 8192, 8193, 65535, 65536, 65537,
  2 ^ 31 - 1, 2 ^ 31, -2 ^ 31, -2 ^ 31 - 1, 2 ^ 32, 2 ^ 32 + 1, 2 ^ 32 - 1, -2 ^ 32, 2 ^ 53, -2 ^ 53,
  2 ^ 63, -2 ^ 63, 2 ^ 64, MAXI, MINI, 1e308, -1e308, 1e-300, 5e-324, INF, -INF, NAN, -NAN,
  0.5, -0.5, 1.5, 2.5, -2.5, 0.0, -0.0, 1.0, -1.0, 3.0, 1e15, 1e10, 0.001, 1e-4, 4294967295,
  -2, -3, -4, -100, 1023, 1024, 255, 256,
}
local NUMSTR = { "1", "0", "-1", "0x10", " 8 ", "1e2", "2.5", "nan", "inf", "1e400", "-1e400",
  "0x7fffffffffffffff", "9223372036854775808", "1 2", "", "4294967297", "0.001" }
local LONG = string.rep("abcdefghij\r\n", 417)            -- 5004 bytes
local HUGE = string.rep("x", 70000)                        -- > a datagram
local BIN = {}
do
  local s = 12345
  for i = 1, 512 do s = s * 16807 % 2147483647; BIN[i] = string.char(s % 256) end
  BIN = table.concat(BIN)
end
local STRS = { "", "\0", "x\0y", "abc", "a", "*l", "*a", "*L", "*", "l", "a", "\0*l", "*l\0",
  "localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "1.2.3.4", "255.255.255.255", "127.0.0.1\0x",
  "inet", "inet6", "unix", "both", "send", "receive", "b", "t", "r", "\r\n", "\n", "=",
  string.rep("a", 300), string.rep("\255", 40), BIN, LONG }

local mt_raise = { __index = function(_, k) error("index " .. tostring(k)) end,
                   __tostring = function() return "weird" end }
local RAISE = setmetatable({}, mt_raise); label[RAISE] = "RAISE"
local EMPTY = {}; label[EMPTY] = "EMPTY"
local LIST = { 1, 2, 3 }; label[LIST] = "LIST"
local CO = coroutine.create(function() end); label[CO] = "thread"
local FN = function(...) return ... end; label[FN] = "FN"
label[io.stdout] = "FILE*"

local pool -- slots of live objects, below
local function any_object()
  local e = pool[rnd(#pool) + 1]
  return e and e.obj or nil
end

local function hostile()
  local r = rnd(20)
  if r < 7 then return pick(NUMS)
  elseif r < 9 then return pick(NUMSTR)
  elseif r < 12 then return pick(STRS)
  elseif r == 12 then return nil
  elseif r == 13 then return chance(2)
  elseif r == 14 then return pick { EMPTY, LIST, RAISE, FN, CO, io.stdout }
  elseif r == 15 then return HUGE
  elseif r <= 17 then return any_object()
  else return pick(NUMS) end
end

---------------------------------------------------------------------------
-- Output
---------------------------------------------------------------------------
local seq = 0
local compared, sided = 0, 0 -- calls made on both cores / kept from the reference
local function line(s) write(s, "\n") end
local slow = {}

-- what an arg list looks like on a line
local function args_repr(a, n)
  local out = {}
  for i = 1, n do out[i] = repr(a[i]) end
  return table.concat(out, ",")
end

---------------------------------------------------------------------------
-- Objects: a pool of slots; each entry {obj, id, peer, unread, tmo}
---------------------------------------------------------------------------
local HUB = {}        -- listeners and peers the fuzzer drives, never fuzzed
local nextid = 0
pool = {}
local NSLOTS = 12
local dirn = 0        -- unique unix path names

local function cls(o)
  local ok, s = pcall(tostring, o)
  return ok and type(s) == "string" and s:match("^([%w]+{%w+})") or nil
end

local function family(c)
  if not c then return nil end
  return c:match("^(%w+){")
end

local function quiet_close(o)
  if type(o) == "userdata" and cls(o) then
    local mt = getmetatable(o)
    if mt and type(mt.__index) == "table" and mt.__index.close then pcall(mt.__index.close, o) end
  end
end

local function retire(e)
  if not e then return end
  quiet_close(e.obj)
  quiet_close(e.peer)
  for _, k in ipairs(e.connectors or {}) do quiet_close(k) end
end

-- puts an object into the pool (closing what the slot held)
local SAFE_TMO = { 0, 0, 0, 0, 0, 0, 0, 0.001 }
-- Nagle would hold a small segment back until the peer's (delayed) ACK:
-- arrival times, hence what a receive gets, would vary run to run
local function nodelay(o)
  if o and family(cls(o)) == "tcp" then pcall(o.setoption, o, "tcp-nodelay", true) end
end
local function adopt(o, peer, slot)
  if type(o) ~= "userdata" or not cls(o) then return end
  for _, e in ipairs(pool) do if e.obj == o then return e end end
  slot = slot or rnd(NSLOTS) + 1
  retire(pool[slot])
  nextid = nextid + 1
  local c = cls(o)
  label[o] = c .. "#" .. nextid
  local e = { obj = o, id = nextid, peer = peer, unread = 0, sends = 0, tmo = pick(SAFE_TMO) }
  if o.settimeout then pcall(o.settimeout, o, e.tmo) end
  if peer then pcall(peer.settimeout, peer, 0) end
  nodelay(o); nodelay(peer)
  pool[slot] = e
  return e
end

local SPORT = { 20001, 20002, 20003, 20004 }
local HUBPORT, UHUBPORT, REFUSED = 20000, 20010, 20099

-- Loopback delivers a segment inside the call that sends it, unless the
-- machine is busy enough for the kernel to hand its softirq work to
-- ksoftirqd: then a FIN, an RST or data arrive a little later, and what the
-- next call sees depends on the load. After every step that puts segments
-- on the wire, a short sleep lets that work run.
local function settle() socket.sleep(1e-5) end

local function drain_hubs()
  for _, L in ipairs { HUB.tcp4, HUB.tcp6, HUB.unix } do
    if L then
      for _ = 1, 200 do
        local c = L:accept()
        if not c then break end
        c:close()
      end
    end
  end
  for _, u in ipairs { HUB.udp4, HUB.udp6, HUB.udgram } do
    if u then for _ = 1, 200 do if not u:receive() then break end end end
  end
end

local function chunk()
  local r = rnd(6)
  if r == 0 then return "" end
  if r == 1 then return "line one\nline two\r\nthree" end
  if r == 2 then return BIN:sub(1, rnd(512) + 1) end
  if r == 3 then return LONG:sub(1, rnd(5000) + 1) end
  if r == 4 then return string.rep("\n", rnd(4)) .. "x\0y\n" end
  return "abc"
end

-- paths where a unix stream socket was bound (a datagram sent there makes
-- the C core spin: see diff_unix_dgram_to_stream.lua)
local STREAMPATH = { hub = true }
local function cpath(v) -- the path as the C core sees it: up to its first NUL
  local s = tostring(v)
  local z = s:find("\0", 1, true)
  return z and s:sub(1, z - 1) or s
end

local function unixpath()
  dirn = dirn + 1
  return "u" .. dirn
end

-- creation of one object of a given kind, deterministic, printed
local KINDS = { "tcpm", "tcps", "tcpc", "tcpc6", "udpu", "udpc", "udp6", "unixm", "unixs", "unixc",
  "dgramu", "dgramc", "serial", "tcpc", "udpc", "unixc" }
local function create(kind, slot)
  local o, peer, note
  if kind == "tcpm" then
    o = pick { socket.tcp, socket.tcp4, socket.tcp6 }()
    if chance(2) then note = pack(o:bind("127.0.0.1", 0)) end
  elseif kind == "tcps" then
    o = socket.tcp4() -- (tcp() has no descriptor yet for the option)
    o:setoption("reuseaddr", true)
    note = pack(o:bind("127.0.0.1", pick(SPORT))) .. pack(o:listen(8))
  elseif kind == "tcpc" or kind == "tcpc6" then
    drain_hubs()
    local six = kind == "tcpc6"
    o = six and socket.tcp6() or socket.tcp()
    o:settimeout(1)
    note = pack(o:connect(six and "::1" or "127.0.0.1", HUBPORT))
    peer = (six and HUB.tcp6 or HUB.tcp4):accept()
    if peer then peer:send(chunk()) end
  elseif kind == "udpu" or kind == "udp6" then
    local six = kind == "udp6"
    o = six and socket.udp6() or socket.udp()
    if chance(3) then
      note = pack(o:setsockname(six and "::1" or "127.0.0.1", 0))
      local h = six and HUB.udp6 or HUB.udp4
      local ip, port = o:getsockname()
      if ip then h:sendto(chunk(), ip, port) end
    end
  elseif kind == "udpc" then
    o = socket.udp()
    note = pack(o:setpeername("127.0.0.1", UHUBPORT))
    local ip, port = o:getsockname()
    if ip then HUB.udp4:sendto(chunk(), ip, port) end
  elseif kind == "unixm" then
    o = unix.stream()
  elseif kind == "unixs" then
    o = unix.stream()
    local p = unixpath()
    note = pack(o:bind(p)) .. pack(o:listen(8))
    STREAMPATH[p] = true
  elseif kind == "unixc" then
    drain_hubs()
    o = unix.stream()
    o:settimeout(1)
    note = pack(o:connect("hub"))
    peer = HUB.unix:accept()
    if peer then peer:send(chunk()) end
  elseif kind == "dgramu" then
    o = unix.dgram()
    if chance(2) then
      local p = unixpath()
      note = pack(o:bind(p))
      HUB.udgram:sendto(chunk(), p)
    end
  elseif kind == "dgramc" then
    o = unix.dgram()
    local p = unixpath()
    note = pack(o:bind(p)) .. pack(o:connect("hubd"))
    HUB.udgram:sendto(chunk(), p)
  elseif kind == "serial" then
    o = serial("/dev/null")
  end
  local e = adopt(o, peer, slot)
  if e and (kind == "tcps" or kind == "unixs") then e.connectors = {} end -- peer_action connects to it
  seq = seq + 1
  line(string.format("#%d new %s %s %s", seq, kind, e and label[e.obj] or repr(o), note or ""))
end

local function setup()
  HUB.tcp4 = socket.tcp(); HUB.tcp4:setoption("reuseaddr", true)
  assert(HUB.tcp4:bind("127.0.0.1", HUBPORT)); HUB.tcp4:listen(128); HUB.tcp4:settimeout(0)
  HUB.tcp6 = socket.tcp6(); HUB.tcp6:setoption("reuseaddr", true)
  assert(HUB.tcp6:bind("::1", HUBPORT)); HUB.tcp6:listen(128); HUB.tcp6:settimeout(0)
  HUB.udp4 = socket.udp(); assert(HUB.udp4:setsockname("127.0.0.1", UHUBPORT)); HUB.udp4:settimeout(0)
  HUB.udp6 = socket.udp6(); assert(HUB.udp6:setsockname("::1", UHUBPORT)); HUB.udp6:settimeout(0)
  os.remove("hub"); os.remove("hubd")
  HUB.unix = unix.stream(); assert(HUB.unix:bind("hub")); HUB.unix:listen(128); HUB.unix:settimeout(0)
  HUB.udgram = unix.dgram(); assert(HUB.udgram:bind("hubd")); HUB.udgram:settimeout(0)
  for i = 1, NSLOTS do create(KINDS[(i - 1) % #KINDS + 1], i) end
end

---------------------------------------------------------------------------
-- Method catalogue (the C core's method lists) and sensible arguments
---------------------------------------------------------------------------
local METHODS = {
  tcp = { "accept", "bind", "close", "connect", "dirty", "getfamily", "getfd", "getoption", "getpeername",
    "getsockname", "getstats", "gettimeout", "listen", "receive", "send", "setfd", "setoption",
    "setpeername", "setsockname", "setstats", "settimeout", "shutdown", "__gc", "__tostring", "class" },
  udp = { "close", "dirty", "getfamily", "getfd", "getoption", "getpeername", "getsockname", "gettimeout",
    "receive", "receivefrom", "send", "sendto", "setfd", "setoption", "setpeername", "setsockname",
    "settimeout", "__gc", "__tostring", "class" },
  unixstream = { "accept", "bind", "close", "connect", "dirty", "getfd", "getsockname", "getstats", "listen",
    "receive", "send", "setfd", "setoption", "setpeername", "setsockname", "setstats", "settimeout",
    "shutdown", "__gc", "__tostring", "class" },
  unixdgram = { "bind", "close", "connect", "dirty", "getfd", "getsockname", "gettimeout", "receive",
    "receivefrom", "send", "sendto", "setfd", "setoption", "setpeername", "setsockname", "settimeout",
    "__gc", "__tostring", "class" },
  serial = { "close", "dirty", "getfd", "getstats", "setstats", "receive", "send", "setfd", "settimeout",
    "__gc", "__tostring" },
}
local FAMILIES = { "tcp", "udp", "unixstream", "unixdgram", "serial" }
local MT = {} -- family -> a metatable of that family (methods are shared)

local TCPOPT = { "keepalive", "reuseaddr", "reuseport", "tcp-nodelay", "tcp-keepidle", "tcp-keepcnt",
  "tcp-keepintvl", "linger", "error", "recv-buffer-size", "send-buffer-size", "ipv6-v6only",
  "tcp-defer-accept", "tcp-fastopen", "tcp-fastopen-connect", "dontroute", "bogus", "" }
local UDPOPT = { "dontroute", "broadcast", "reuseaddr", "reuseport", "ip-multicast-if", "ip-multicast-ttl",
  "ip-multicast-loop", "ip-add-membership", "ip-drop-membership", "ipv6-unicast-hops",
  "ipv6-multicast-hops", "ipv6-multicast-loop", "ipv6-add-membership", "ipv6-drop-membership",
  "ipv6-v6only", "recv-buffer-size", "send-buffer-size", "error", "linger", "bogus" }
local UNIXOPT = { "keepalive", "reuseaddr", "linger", "error", "bogus" }

local ADDR4 = { "127.0.0.1", "localhost", "*", "0.0.0.0", "::1", "1.2.3.4", "127.0.0.1\0x", "" }
local ADDR6 = { "::1", "::", "*", "localhost", "127.0.0.1", "::ffff:127.0.0.1", "fe80::1%lo" }
local PORTS = { 0, HUBPORT, UHUBPORT, REFUSED, 20001, "20000", "0", 65535, 65536, -1, "http", 1.5 }
local PATTERNS = { "*l", "*a", "l", "a", 0, 1, 3, 10, 100, 5000, "*L", "x", "3", 2 ^ 31, -1, 1e15 }

-- the same fields behind __index: the C core reads them with lua_gettable
local function proxy(t)
  if type(t) ~= "table" or label[t] then return t end
  return setmetatable({}, { __index = t })
end

local optval0
local function optval(name)
  local v = optval0(name)
  if chance(5) then return proxy(v) end
  return v
end
function optval0(name)
  if name == "linger" then
    return pick { { on = true, timeout = pick { 0, 1, -1, 2 ^ 31, NAN } }, { on = false, timeout = 0 },
      { on = true }, { timeout = 1 }, { on = "x", timeout = "2" }, hostile() }
  elseif name == "ip-add-membership" or name == "ip-drop-membership" then
    return pick { { multiaddr = "239.1.2.3", interface = "127.0.0.1" }, { multiaddr = "239.1.2.3", interface = "*" },
      { multiaddr = "1.2.3.4", interface = "0.0.0.0" }, { multiaddr = hostile(), interface = hostile() },
      { interface = "127.0.0.1" }, hostile() }
  elseif name == "ipv6-add-membership" or name == "ipv6-drop-membership" then
    return pick { { multiaddr = "ff02::1", interface = 0 }, { multiaddr = "ff02::1", interface = 1 },
      { multiaddr = "::1", interface = hostile() }, { multiaddr = hostile() }, hostile() }
  elseif name == "ip-multicast-if" then
    return pick { "127.0.0.1", "*", "0.0.0.0", "1.2.3.4", "x", hostile() }
  else
    return pick { true, false, 0, 1, 2, 4096, 65536, -1, hostile() }
  end
end

-- sensible argument lists per method: returns the list and its length
local GEN = {
  accept = function() return {}, 0 end,
  bind = function(f)
    if f == "unixstream" or f == "unixdgram" then
      return { pick { unixpath(), unixpath(), "hub", "", "x\0y", string.rep("p", 108), string.rep("p", 107), "/nonexistent/x" } }, 1
    end
    return { pick(ADDR4), pick(PORTS) }, 2
  end,
  connect = function(f)
    if f == "unixstream" or f == "unixdgram" then
      return { pick { "hub", "hubd", "nobody", "", "hub\0x", string.rep("p", 120) } }, 1
    end
    return { pick(chance(3) and ADDR6 or ADDR4), pick { HUBPORT, REFUSED, "20000", 0, 65536 } }, 2
  end,
  getoption = function(f)
    return { pick(f == "udp" and UDPOPT or f == "tcp" and TCPOPT or UNIXOPT) }, 1
  end,
  setoption = function(f)
    local n = pick(f == "udp" and UDPOPT or f == "tcp" and TCPOPT or UNIXOPT)
    return { n, optval(n) }, 2
  end,
  listen = function() return { pick { 0, 1, 5, 32 } }, chance(3) and 0 or 1 end,
  receive = function(f)
    if f == "udp" or f == "unixdgram" then return { pick { 1, 10, 8192, 65536, 0, 3 } }, rnd(2) end
    return { pick(PATTERNS), pick { "", "pre", "x\0" } }, rnd(3)
  end,
  receivefrom = function() return { pick { 1, 10, 8192, 65536, 0 } }, rnd(2) end,
  send = function(f)
    return { chunk(), pick { 1, 2, -1, -3, 0, 10 }, pick { -1, 1, 3, 100, -100 } }, rnd(3) + 1
  end,
  sendto = function(f)
    if f == "unixdgram" then return { chunk(), pick { "hubd", "nobody", "", string.rep("p", 120) } }, 2 end
    return { chunk(), pick(ADDR4), pick { UHUBPORT, REFUSED, 0, "20010" } }, 3
  end,
  setpeername = function(f)
    if f == "unixdgram" then return { pick { "hubd", "nobody", "" } }, 1 end
    if f == "unixstream" then return { pick { "hub", "nobody" } }, 1 end
    return { pick { "127.0.0.1", "*", "::1", "localhost", "1.2.3.4" }, pick { UHUBPORT, REFUSED, 0, HUBPORT } }, 2
  end,
  setsockname = function(f)
    if f == "unixdgram" or f == "unixstream" then return { unixpath() }, 1 end
    return { pick(ADDR4), pick { 0, 0, 20021, "0" } }, 2
  end,
  setstats = function() return { pick { 0, 10, 1e6 }, pick { 0, 5 }, pick { 0, 1.5 } }, rnd(4) end,
  settimeout = function() return { pick { 0, 0.001, 1, -1, nil }, pick { "b", "t", "r" } }, rnd(3) end,
  shutdown = function() return { pick { "both", "send", "receive" } }, rnd(2) end,
  setfd = function() return { pick { -1, 0, 2, 1e9, 3.7 } }, 1 end,
}

local MUTATE = tonumber(os.getenv("FUZZ_MUTATE") or "4") -- 1 in MUTATE arguments is hostile
local function mutate(a, n)
  for i = 1, n do if chance(MUTATE) then a[i] = hostile() end end
  if chance(8) then
    local m = rnd(n + 1)
    for i = m + 1, n do a[i] = nil end -- what the callee sees, the predicates below see
    n = m
  end
  if chance(10) then
    for _ = 1, rnd(3) + 1 do n = n + 1; a[n] = hostile() end
  end
  return a, n
end

---------------------------------------------------------------------------
-- SIDE classification: calls the C core must not see
---------------------------------------------------------------------------
-- lua_Integer the way luaL_checkinteger gets it, or nil when it raises
local function c_integer(v)
  if type(v) ~= "number" and type(v) ~= "string" then return nil end
  local n = tonumber(v)
  if type(v) == "string" and n == nil then return nil end
  if n == nil then return nil end
  if INTS then
    if mtype(n) == "integer" then return n end
    if n ~= n or n ~= floor(n) or n >= 2 ^ 63 or n < -2 ^ 63 then return nil end
    return math.tointeger(n)
  end
  if n ~= n or n >= 2 ^ 63 or n < -2 ^ 63 then return -2 ^ 63 end -- cvttsd2si
  return n >= 0 and floor(n) or -floor(-n)
end
local function wrap32(i)
  i = i % 4294967296
  if i >= 2147483648 then i = i - 4294967296 end
  return i
end

-- skip(d, ...): how many values the C core returns (nil: it raises)
local function skip_count(a, n)
  if n < 1 then return nil end
  local i = c_integer(a[1])
  if i == nil then return nil end
  return wrap32(n - wrap32(i) - 1), n
end

-- the fd select's getfd() yields for a table entry (C: >= 0 -> (int) numfd)
local function fake_fd(v)
  local n = tonumber(v)
  if type(v) ~= "number" and type(v) ~= "string" then return -1 end
  if n == nil or not (n >= 0) then return -1 end
  return n
end

---------------------------------------------------------------------------
-- Calls
---------------------------------------------------------------------------
local function emit(what, a, n, res, dt)
  seq = seq + 1
  line(string.format("#%d %s(%s) -> %s", seq, what, args_repr(a, n), res))
  if dt and dt > 0.05 then slow[#slow + 1] = string.format("%.3fs #%d %s(%s)", dt, seq, what, args_repr(a, n)) end
end

local function emit_side(reason, what, a, n, check)
  seq = seq + 1
  sided = sided + 1
  line(string.format("#%d SIDE %s %s", seq, reason, what))
  if IMPL == "rs" then
    io.stdout:flush() -- a crash here shows which call it was
    local t0 = socket.gettime()
    local r = { n = 0 }
    local function cap(...) r.n = select("#", ...); for i = 1, r.n do r[i] = select(i, ...) end end
    cap(pcall(check.f, unpack(a, 1, n)))
    local dt = socket.gettime() - t0
    local ok, why = check.ok(r, dt)
    if not ok then side_fail = side_fail + 1 end
    -- nothing new of ours outlives the call: no GC-timed close
    -- (a tcp client closes with an RST: no TIME_WAIT holds its local port,
    -- which the reference run never bound)
    for i = 2, r.n do
      if not label[r[i]] then
        if family(cls(r[i])) == "tcp" then pcall(r[i].setoption, r[i], "linger", { on = true, timeout = 0 }) end
        quiet_close(r[i])
      end
    end
    if side then
      side:flush()
      side:write(string.format("#%d %s %s %s(%s) -> %s%s\n", seq, ok and "ok" or "FAIL", reason, what,
        args_repr(a, n), pack(unpack(r, 1, math.min(r.n, 8))), ok and "" or (" -- " .. tostring(why))))
    end
  end
end

-- results that are new objects join the pool
local function adopt_results(peer_of, ok, ...)
  if not ok then return end
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "userdata" and cls(v) and not label[v] then adopt(v, peer_of and peer_of()) end
  end
end

local function call_adopt(what, f, a, n, post, peer_of)
  local t0 = socket.gettime()
  local r = { n = 0 }
  local function cap(...) r.n = select("#", ...); for i = 1, r.n do r[i] = select(i, ...) end end
  cap(pcall(f, unpack(a, 1, n)))
  local dt = socket.gettime() - t0
  compared = compared + 1
  adopt_results(peer_of, unpack(r, 1, r.n))
  local res = post and post(r) or pack(unpack(r, 1, r.n))
  emit(what, a, n, res, dt)
  return r
end

local function entry_of(o)
  for _, e in ipairs(pool) do if e.obj == o then return e end end
end

-- masking of values that legitimately vary between runs
local function mask_ports(r)
  -- ephemeral ports (numbers or strings) in getsockname/getpeername/receivefrom results
  local out = {}
  for i = 1, r.n do
    local v = r[i]
    local nv = (type(v) == "number" or type(v) == "string") and tonumber(v)
    if nv and nv >= 32768 and nv <= 60999 and nv == floor(nv) then out[i] = type(v) .. ":EPHEMERAL"
    elseif type(v) == "string" and v:sub(1, 1) == "\0" then out[i] = "ABSTRACT#" .. #v
    else out[i] = repr(v) end
  end
  return r.n .. "[" .. table.concat(out, ", ") .. "]"
end
local function mask_age(r)
  if r[1] == true and r.n == 4 and type(r[4]) == "number" then r[4] = "AGE" end
  local out = {}
  for i = 1, r.n do out[i] = r[i] == "AGE" and "AGE" or repr(r[i]) end
  return r.n .. "[" .. table.concat(out, ", ") .. "]"
end

-- after a SIDE call that changed an object (on ours only), both runs
-- replace it by a fresh one
local function replace_entry(se)
  retire(se); se.obj = nil
  for i, x in ipairs(pool) do if x == se then create(pick(KINDS), i) end end
end

local STUB = {}
local CLIENT_IO = { "receive", "receive", "receive", "receive", "send", "send", "send", "getstats", "setstats",
  "shutdown", "dirty", "close", "getoption", "setoption", "settimeout", "getfd", "setfd", "__gc", "__tostring" }
local function with(list, more)
  local t = {}
  for _, x in ipairs(list) do t[#t + 1] = x end
  for _, x in ipairs(more) do t[#t + 1] = x end
  return t
end
local COMMON = { "close", "dirty", "getfd", "setfd", "getoption", "setoption", "settimeout", "__gc", "__tostring" }
local VALID = {
  ["tcp{master}"] = with(COMMON, { "bind", "bind", "connect", "connect", "listen", "listen", "getsockname",
    "getpeername", "setpeername", "setsockname", "getfamily", "gettimeout", "class" }),
  ["tcp{server}"] = with(COMMON, { "accept", "accept", "accept", "accept", "getsockname", "getfamily", "gettimeout" }),
  ["tcp{client}"] = with(CLIENT_IO, { "getpeername", "getsockname", "getfamily", "gettimeout", "class" }),
  ["udp{unconnected}"] = with(COMMON, { "receive", "receive", "receivefrom", "receivefrom", "receivefrom", "sendto",
    "sendto", "sendto", "setpeername", "setsockname", "getsockname", "getfamily", "gettimeout" }),
  ["udp{connected}"] = with(COMMON, { "receive", "receive", "receive", "send", "send", "send", "setpeername",
    "getpeername", "getsockname", "getfamily", "gettimeout" }),
  ["unixstream{master}"] = with(COMMON, { "bind", "bind", "connect", "connect", "listen", "listen", "getsockname",
    "setpeername", "setsockname" }),
  ["unixstream{server}"] = with(COMMON, { "accept", "accept", "accept", "accept", "getsockname" }),
  ["unixstream{client}"] = with(CLIENT_IO, { "getsockname" }),
  ["unixdgram{unconnected}"] = with(COMMON, { "receive", "receive", "receivefrom", "receivefrom", "sendto", "sendto",
    "sendto", "bind", "connect", "setpeername", "setsockname", "getsockname", "gettimeout" }),
  ["unixdgram{connected}"] = with(COMMON, { "receive", "receive", "receive", "send", "send", "send", "connect",
    "setpeername", "getsockname", "gettimeout" }),
  ["serial{client}"] = { "receive", "receive", "send", "send", "getstats", "setstats", "close", "dirty", "getfd",
    "setfd", "settimeout", "__gc", "__tostring" },
}
-- methods that put segments on the wire (see settle)
local WIRE = { close = true, send = true, sendto = true, connect = true, setpeername = true, shutdown = true,
  accept = true, __gc = true, setoption = true, listen = true }
local function method_call()
  local e = pool[rnd(NSLOTS) + 1]
  local c = cls(e.obj)
  local f = family(c)
  local fam = f
  local m
  if VALID[c] and not chance(4) then
    m = pick(VALID[c]) -- one that suits the object's class: deeper calls
  else
    if chance(8) then fam = pick(FAMILIES) end -- a method of another class
    m = pick(METHODS[fam])
  end
  local self = e.obj
  local r = rnd(16)
  if r == 0 then self = hostile() elseif r == 1 then self = any_object() end
  local se = type(self) == "userdata" and entry_of(self) or nil
  local sf = se and family(cls(self))
  local mt = MT[fam]
  local fn
  if m:sub(1, 2) == "__" then fn = mt[m] else fn = mt.__index[m] end
  local what = string.format("%s.%s[%s]", fam, m, repr(self))
  if type(fn) ~= "function" then
    emit(what, {}, 0, pack(fn))
    return
  end
  local a, n = (GEN[m] or function() return {}, 0 end)(sf or f)
  a, n = mutate(a, n)
  if m == "send" and se and se.peer then
    local d = a[1]
    if type(d) == "string" then se.unread = se.unread + #d; se.sends = se.sends + 1 end
  end
  local sc = se and cls(self)
  if m == "receivefrom" and se and (sc == "udp{unconnected}" or sc == "unixdgram{unconnected}") and sf == fam
    and self:getfd() == -1 then
    -- the C core answers a descriptor-less receivefrom as a datagram from
    -- the uninitialised sender address on its stack
    local full = { self }
    for i = 1, n do full[i + 1] = a[i] end
    emit_side("receivefrom-no-fd-uninitialised", what, full, n + 1, { f = fn, ok = function(rr)
      return not tostring(rr[2]):find("internal error"), "internal error" end })
    return
  end
  if m == "sendto" and fam == "unixdgram" and sc == "unixdgram{unconnected}" and n >= 2
    and (type(a[1]) == "string" or type(a[1]) == "number") and (type(a[2]) == "string" or type(a[2]) == "number")
    and STREAMPATH[cpath(a[2])] then
    local full = { self }
    for i = 1, n do full[i + 1] = a[i] end
    emit_side("dgram-sendto-stream-path-spins", what, full, n + 1, { f = fn, ok = function(rr, dt)
      return dt < 0.5 and not tostring(rr[2]):find("internal error"), "slow or internal" end })
    return
  end
  local saved_fd
  if m == "setfd" and se then saved_fd = self:getfd() end
  local full = { self }
  for i = 1, n do full[i + 1] = a[i] end
  local post
  if m == "getsockname" or m == "getpeername" or m == "receivefrom" then post = mask_ports end
  if m == "getstats" then post = mask_age end
  if m == "__tostring" then post = nil end
  local res
  local peer_of
  if m == "accept" and se and se.connectors then
    -- the connection accepted is the oldest one peer_action made
    peer_of = function() return table.remove(se.connectors, 1) end
  end
  if chance(3) and m:sub(1, 2) ~= "__" and fam == f and self == e.obj then
    -- method-call syntax: errors say "calling 'm' on bad self" and friends
    local stub = STUB[m]
    res = call_adopt(what .. ":", stub, full, n + 1, post, peer_of)
  else
    res = call_adopt(what, fn, full, n + 1, post, peer_of)
  end
  if se and WIRE[m] then settle() end
  if fam == "unixstream" and (m == "bind" or m == "setsockname") and res[1] == true and res[2] == 1 and n >= 1 then
    STREAMPATH[cpath(a[1])] = true
  end
  if se then
    -- what the setter did, seen through its getter, before the fuzzer undoes it
    local idx = MT[sf] and MT[sf].__index
    if m == "settimeout" and idx.gettimeout then line("  gettimeout " .. pack(pcall(idx.gettimeout, self))) end
    if m == "setfd" then line("  getfd " .. pack(pcall(idx.getfd, self))) end
    if m == "setoption" and idx.getoption and n >= 1 then
      line("  getoption " .. pack(pcall(idx.getoption, self, a[1])))
    end
    if m == "settimeout" then pcall(se.obj.settimeout, se.obj, se.tmo) end
    if m == "setfd" and saved_fd then pcall(se.obj.setfd, se.obj, saved_fd) end
    if m == "setoption" and a[1] == "linger" then pcall(se.obj.setoption, se.obj, "linger", { on = false, timeout = 0 }) end
    if m == "connect" or m == "setpeername" or m == "setoption" or m == "setfd" then nodelay(se.obj) end
    if m == "close" or m == "connect" or m == "setpeername" or m == "setfd" or m == "__gc" then se.touched = true end
    if se.unread > 16384 or se.sends > 100 then
      -- the peer reads what was sent, so that sends never see a full buffer
      local p = se.peer
      if p then for _ = 1, 100 do local d, err, part = p:receive(8192); if not d then break end end end
      se.unread, se.sends = 0, 0
    end
  end
end

for _, list in pairs(METHODS) do
  for _, m in ipairs(list) do
    if m:sub(1, 2) ~= "__" and not STUB[m] then
      STUB[m] = assert((loadstring or load)("return function(o, ...) return o:" .. m .. "(...) end", "=stub"))()
    end
  end
end

local function fake_socket()
  -- below 64 a descriptor is inside the kernel's smallest fd table: select(2)
  -- and poll(2) both see it; from 64 on select(2) ignores the ones beyond the
  -- table (whose size varies), where poll(2) reports them invalid
  local fd = pick { 0, 1, 2, 3, 5, 9, 20, 63, -1, -5, "4", NAN, 1023, 1024, 5000, 2 ^ 31, INF, 1.5, true, "x", 64 }
  local t = { getfd = function() return fd end }
  local r = rnd(6)
  if r == 0 then t.dirty = function() return true end
  elseif r == 1 then t.getfd = function() error("getfd fails") end
  elseif r == 2 then t = setmetatable({}, { __index = function(_, k) if k == "getfd" then return function() return fd end end end })
  elseif r == 3 then t.getfd = 3 end
  label[t] = "fake(" .. repr(fd) .. "," .. r .. ")"
  return t, fd
end

local function sock_table()
  local t, big = {}, false
  local n = rnd(5)
  for i = 1, n do
    local r = rnd(6)
    if r <= 2 then t[#t + 1] = any_object()
    elseif r == 3 then local f, fd = fake_socket(); t[#t + 1] = f; if fake_fd(fd) >= 64 and type(f.getfd) == "function" then big = true end
    elseif r == 4 then t[#t + 1] = hostile()
    else t[#t + 1] = HUB.udp4 end
  end
  if chance(10) then t.x = any_object() end
  if chance(40) then
    -- more elements than a C stack holds on 5.1 and LuaJIT (~8000)
    local objs = {}
    for i = 1, 3 do objs[i] = any_object() end
    for i = #t + 1, 9000 + rnd(3000) do t[i] = objs[i % 3 + 1] end
  end
  label[t] = nil
  if chance(8) then t = proxy(t) end
  return t, big
end

local MIMEFN = { "b64", "unb64", "qp", "unqp", "wrp", "qpwrp", "eol", "dot" }
local function mime_str()
  local r = rnd(6)
  if r == 0 then return LONG:sub(1, rnd(3000)) end
  if r == 1 then return BIN:sub(rnd(100) + 1, rnd(512) + 1) end
  if r == 2 then return "=3D=\r\n=4" .. "\r\n.\r\n..x" end
  if r == 3 then return "YWJj\0ZGVm==" end
  return pick(STRS)
end
local function mime_call()
  local m = pick(MIMEFN)
  local a, n
  if m == "b64" or m == "unb64" or m == "unqp" then a, n = { mime_str(), pick { nil, "", "ab", mime_str() } }, rnd(3)
  elseif m == "qp" then a, n = { mime_str(), pick { nil, "x", "" }, pick { "\r\n", "\n", "" } }, rnd(4)
  elseif m == "wrp" or m == "qpwrp" then a, n = { pick { 0, 1, 10, 76, -1 }, mime_str(), pick { 76, 10, 1, 0 } }, rnd(4)
  elseif m == "eol" then a, n = { pick { 0, 10, 13, 1, 2 }, mime_str(), pick { "\r\n", "\n", "" } }, rnd(4)
  else a, n = { pick { 0, 1, 2, 3 }, mime_str() }, rnd(3) end
  a, n = mutate(a, n)
  -- bounded cost: the long strings stay off the quadratic wrappers
  for i = 1, n do if a[i] == HUGE then a[i] = LONG end end
  call_adopt("mime." .. m, mime[m], a, n)
end

local PROTECTED = {
  function(...) return ... end,
  function(...) error((...)) end,
  function(...) error((...), 0) end,
  function(...) local t = socket.newtry(); return t(...) end,
  function(...) local t = socket.newtry(function() error("finalizer") end); return t(...) end,
  function(...) error(setmetatable({ ... }, { __tostring = function() return "E" end })) end,
  function() error() end,
}
for i, f in ipairs(PROTECTED) do label[f] = "F" .. i end

-- does the C core's getnameinfo(host) read a buffer getnameinfo(3) did not
-- fill? It does for every address whose reverse lookup fails: all but
-- 127.0.0.1 here (/etc/hosts; no resolver inside the private namespace).
local NAMEINFO_SAFE = { ["127.0.0.1"] = true, localhost = true, vm = true }
local function nameinfo_garbage(h, serv)
  if type(h) ~= "string" and type(h) ~= "number" then return false end -- nil, or raises
  if serv ~= nil and type(serv) ~= "string" and type(serv) ~= "number" then return false end -- raises
  return not NAMEINFO_SAFE[h]
end

-- socket.connect(host, port, laddr, lport, family): when the local bind
-- fails, the C core leaks the descriptor (README), which shifts every later
-- descriptor number. Only the binds that surely succeed, or the calls that
-- surely raise first, are compared.
local function connect_may_leak(a, n)
  local function str(v) return type(v) == "string" or type(v) == "number" end
  if not (str(a[1]) and str(a[2])) then return false end
  if n < 3 or a[3] == nil then return false end
  if not str(a[3]) then return false end
  if a[4] ~= nil and not str(a[4]) then return false end
  local fam = a[5]
  if JIT and type(fam) ~= "string" and type(fam) ~= "number" then fam = nil end -- LuaJIT's luaL_checkoption: default
  if n >= 5 and fam ~= nil and not (fam == "inet" or fam == "inet6" or fam == "unspec") then return false end
  local laddr_ok = (a[3] == "127.0.0.1" or a[3] == "*") and (a[4] == nil or a[4] == 0 or a[4] == "0")
    and (n < 5 or fam == nil or fam == "inet")
  return not laddr_ok
end

local function lowfd()
  local t = socket.tcp4()
  local fd = t:getfd()
  t:close()
  return fd
end

local function namespace_call()
  local r = rnd(30)
  if r < 4 then -- skip
    local n = rnd(5)
    local a = {}
    a[1] = pick { 0, 1, 2, -1, 3, 10 }
    for i = 2, n + 1 do a[i] = hostile() end
    a, n = mutate(a, n + 1)
    if chance(3) then a[1] = hostile() end
    local cnt, top = skip_count(a, n)
    if cnt and cnt > top then
      emit_side("skip-out-of-frame", "skip", a, n, { f = socket.skip, ok = function(rr)
        -- ours returns every argument (clamped to its frame)
        if rr[1] ~= true then return false, "raised" end
        if rr.n ~= n + 1 then return false, "returned " .. (rr.n - 1) .. " of " .. n end
        for i = 1, n do
          local x, y = rr[i + 1], a[i]
          if not (rawequal(x, y) or (x ~= x and y ~= y)) then return false, "value " .. i end
        end
        return true
      end })
    else
      call_adopt("skip", socket.skip, a, n)
    end
  elseif r == 4 then -- sleep, tiny
    local a, n = { pick { 0, 1e-4, 0.001, -1, -INF, "0.001", 1e-300, 0.002 } }, 1
    a, n = mutate(a, n)
    local d = n >= 1 and tonumber(a[1]) or nil
    if type(a[1]) ~= "number" and type(a[1]) ~= "string" then d = nil end
    if d and d ~= d then
      emit_side("sleep-nan", "sleep", a, n, { f = socket.sleep, ok = function(rr, dt) return rr[1] and dt < 0.5, "slow" end })
    elseif d and d > 0.003 then
      emit("sleep-too-long-not-called", a, n, "")
    else
      call_adopt("sleep", socket.sleep, a, n)
    end
  elseif r == 5 and chance(4) then
    call_adopt("__unload", socket.__unload, mutate({}, 0))
  elseif r == 5 then
    local a, n = mutate({}, 0)
    seq = seq + 1
    compared = compared + 1
    local ok, t = pcall(socket.gettime, unpack(a, 1, n))
    line(string.format("#%d gettime(%s) -> %s %s", seq, args_repr(a, n), tostring(ok), type(t)))
  elseif r <= 8 then -- select
    local rt, big1 = sock_table()
    local wt, big2 = sock_table()
    local a, n = { rt, wt, pick { 0, 0, 1e-4, "0", 0.001, -0.0 } }, 3
    if chance(5) then a[1] = hostile() end
    if chance(5) then a[2] = hostile() end
    if chance(8) then a[3] = pick { 0, NAN, 1e-9, "0", EMPTY } end
    local t = a[3]
    local tn = tonumber(t)
    local blocks = not ((type(t) == "number" or type(t) == "string") and tn and (tn ~= tn or (tn >= 0 and tn <= 0.003)))
    if type(t) ~= "number" and type(t) ~= "string" and t ~= nil then blocks = false end -- raises
    if big1 or big2 then
      emit_side("select-fd-above-63", "select", a, n, { f = socket.select, ok = function(rr, dt)
        return dt < 0.5 and (rr[1] or not tostring(rr[2]):find("internal")), "bad" end })
    elseif blocks then
      emit("select-would-block-not-called", a, n, "")
    else
      call_adopt("select", socket.select, a, n)
    end
  elseif r <= 10 then -- newtry / protect
    local h = pick { nil, FN, function() end, EMPTY, 1, "x" }
    local okt, try = pcall(socket.newtry, h)
    local a, n = mutate({ pick { nil, false, true, 1, "ok" }, pick { "msg", nil, EMPTY, 2 } }, 2)
    if okt then call_adopt("newtry(" .. repr(h) .. ")", try, a, n) else emit("newtry", { h }, 1, pack(okt, try)) end
    local f = chance(6) and hostile() or pick(PROTECTED)
    local okp, prot = pcall(socket.protect, f)
    local b, m = mutate({ pick { nil, false, "err", EMPTY, 1 }, pick { "x", nil } }, 2)
    if okp and type(prot) == "function" then call_adopt("protect(" .. repr(f) .. ")", prot, b, m)
    else emit("protect", { f }, 1, pack(okp, prot)) end
    if chance(3) then
      -- a protected function that yields, resumed in a coroutine (5.2+
      -- continue through protect; 5.1 and LuaJIT refuse to yield across it)
      local body = pick(PROTECTED)
      local co = coroutine.create(function(...)
        return socket.protect(function(...)
          local x = coroutine.yield(...)
          return body(x, ...)
        end)(...)
      end)
      local c1, c2 = mutate({ pick { "a", nil, false, EMPTY } }, 1)
      call_adopt("resume protect(yield)", coroutine.resume, { co, unpack(c1, 1, c2) }, c2 + 1)
      if coroutine.status(co) == "suspended" then
        call_adopt("resume protect(" .. repr(body) .. ")", coroutine.resume, { co, pick { "r", false, nil, EMPTY } }, 2)
      end
    end
  elseif r <= 14 then -- dns
    local fn = pick { "toip", "tohostname", "gethostname", "getaddrinfo", "getnameinfo" }
    local a, n = { pick { "localhost", "127.0.0.1", "::1", "vm", "nonexist.invalid", "", "1.2.3.4", "::2",
      "::ffff:127.0.0.1", "256.1.1.1", "127.0.0.1\0junk", string.rep("a", 300), "*" },
      pick { "http", "80", 80, "0", nil, -1, 99999, "x\0" } }, fn == "getnameinfo" and 2 or 1
    a, n = mutate(a, n)
    if fn == "getnameinfo" and nameinfo_garbage(a[1], n >= 2 and a[2] or nil) then
      -- the C core ignores getnameinfo(3)'s failure and returns its
      -- uninitialised buffers (stack garbage); ours returns ""
      emit_side("getnameinfo-uninitialised", "dns.getnameinfo", a, n, { f = dns.getnameinfo, ok = function(rr)
        if rr[1] ~= true then return not tostring(rr[2]):find("internal error"), "internal" end
        if type(rr[2]) == "table" then for _, v in ipairs(rr[2]) do if type(v) ~= "string" then return false, "host" end end end
        return true
      end })
    else
      call_adopt("dns." .. fn, dns[fn], a, n)
    end
  elseif r <= 17 then -- constructors
    local fn = pick { "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6" }
    call_adopt(fn, socket[fn], mutate({}, 0))
  elseif r <= 19 then -- socket.connect (blocking: only addresses that answer at once)
    drain_hubs()
    local a, n = { pick { "127.0.0.1", "localhost", "::1", "1.2.3.4", "" }, pick { HUBPORT, REFUSED, "20000", 0 },
      pick { nil, nil, nil, "127.0.0.1", "*", "::1", "x" }, pick { nil, nil, 0, 20031, -1 }, pick { nil, "inet", "inet6", "x" } }, rnd(4) + 2
    a, n = mutate(a, n)
    -- hostile ports and hosts are fine: every target answers at once here
    local h = a[1]
    if h ~= nil and type(h) ~= "string" and type(h) ~= "number" then h = nil end
    if connect_may_leak(a, n) then
      local before = lowfd()
      emit_side("connect-bind-fails-leaks-fd", "connect", a, n, { f = socket.connect, ok = function(rr)
        if rr[1] ~= true then return not tostring(rr[2]):find("internal error"), "internal" end
        if rr[2] == nil then return lowfd() == before, "leaked a descriptor" end
        return true
      end })
      -- ours may have made a client: it does not join the pool (the C run has none)
    else
      call_adopt("connect", socket.connect, a, n)
    end
    drain_hubs()
    settle()
  elseif r <= 21 then -- socket.unix
    local fn = pick { "stream", "dgram", "tcp", "udp", "__call" }
    local a, n = mutate(fn == "__call" and { unix } or {}, fn == "__call" and 1 or 0)
    call_adopt("unix." .. fn, unix[fn], a, n)
  elseif r == 22 then -- socket.serial on paths that open at once
    local a, n = mutate({ pick { "/dev/null", "/nonexistent", "", ".", "/", "x\0y", "/dev/null\0junk",
      string.rep("a", 5000), "/proc/self/nonexistent" } }, 1)
    for i = 1, n do
      if type(a[i]) == "string" and a[i] ~= "" and a[i]:sub(1, 1) ~= "/" and a[i] ~= "." then
        a[i] = "/nonexistent/" .. a[i] -- never open a file of the working directory
      end
    end
    call_adopt("serial", serial, a, n)
  else
    mime_call()
  end
end

local function peer_action()
  local e = pool[rnd(NSLOTS) + 1]
  local p = e.peer
  local c = cls(e.obj)
  local f = family(c)
  local r = rnd(6)
  seq = seq + 1
  if e.connectors and (c == "tcp{server}" or c == "unixstream{server}") then
    -- a connection for accept() to take; never more pending than the backlog holds
    if #e.connectors >= 4 then
      line(string.format("#%d peer-connect %s backlog-full", seq, label[e.obj]))
      return
    end
    local k, res
    if c == "tcp{server}" then
      local ip, port = e.obj:getsockname()
      k = socket.tcp(); k:settimeout(0.1)
      res = pack(pcall(k.connect, k, ip, port))
    else
      local path = e.obj:getsockname()
      k = unix.stream(); k:settimeout(0.1)
      res = pack(pcall(k.connect, k, path))
    end
    k:settimeout(0)
    nodelay(k)
    if chance(2) then pcall(k.send, k, chunk()) end
    e.connectors[#e.connectors + 1] = k
    line(string.format("#%d peer-connect %s %s", seq, label[e.obj], res))
  elseif p then
    if r <= 2 then
      local d = chunk()
      line(string.format("#%d peer-send %s %s", seq, label[e.obj], pack(p:send(d))))
    elseif r == 3 then
      e.peer_closed = true
      line(string.format("#%d peer-close %s %s", seq, label[e.obj], pack(p:close())))
    elseif r == 4 then
      line(string.format("#%d peer-shutdown %s %s", seq, label[e.obj], pack(p:shutdown("send"))))
    else
      local got = {}
      for _ = 1, 100 do local d, err, part = p:receive(8192); got[#got + 1] = d or part; if not d then break end end
      e.unread, e.sends = 0, 0
      line(string.format("#%d peer-drain %s %s", seq, label[e.obj], rstr(table.concat(got))))
    end
  elseif f == "udp" then
    local ok, ip, port = pcall(e.obj.getsockname, e.obj)
    local h = (ip == "::1" or (type(ip) == "string" and ip:find(":"))) and HUB.udp6 or HUB.udp4
    local res = (ok and ip and port) and pack(pcall(h.sendto, h, chunk(), ip, port)) or "unbound"
    line(string.format("#%d hub-sendto %s %s", seq, label[e.obj], res))
  elseif f == "unixdgram" then
    local ok, path = pcall(e.obj.getsockname, e.obj)
    local res = (ok and type(path) == "string" and path ~= "" and not path:match("^\0"))
      and pack(HUB.udgram:sendto(chunk(), path)) or "unbound"
    line(string.format("#%d hub-sendto %s %s", seq, label[e.obj], res))
  else
    drain_hubs()
    line(string.format("#%d hub-drain", seq))
  end
end

---------------------------------------------------------------------------
-- Main
---------------------------------------------------------------------------
setup()
do -- one sample of each family for its metatable; method lists compared
  local samples = { tcp = socket.tcp(), udp = socket.udp(), unixstream = unix.stream(), unixdgram = unix.dgram(),
    serial = serial("/dev/null") }
  for _, fam in ipairs(FAMILIES) do
    local o = samples[fam]
    MT[fam] = getmetatable(o)
    local ks = {}
    for k in pairs(MT[fam]) do if k ~= "__close" then ks[#ks + 1] = tostring(k) end end
    for k in pairs(MT[fam].__index) do ks[#ks + 1] = "." .. tostring(k) end
    table.sort(ks)
    line(fam .. " methods " .. table.concat(ks, " "))
    o:close()
  end
end

local steps = 0
local FDDEBUG = os.getenv("FUZZ_FDDEBUG")
while compared < CALLS do
  steps = steps + 1
  if FDDEBUG then
    line("lowfd " .. tostring(lowfd()))
  end
  if steps % 64 == 0 then drain_hubs(); settle() end -- keep hub backlogs short: no SYN is ever dropped
  local r = rnd(100)
  if r < 4 then create(pick(KINDS)); settle()
  elseif r < 10 then peer_action(); settle()
  elseif r < 75 then method_call()
  elseif r < 80 then mime_call()
  else namespace_call() end
end

for _, e in ipairs(pool) do retire(e) end
for _, h in pairs(HUB) do h:close() end
line(string.format("done %d %d", compared, sided))
if side then side:write(string.format("side failures %d\n", side_fail)); side:close() end
for _, s in ipairs(slow) do io.stderr:write("SLOW ", s, "\n") end
