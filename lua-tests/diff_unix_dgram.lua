-- unix datagram sockets: constructors, classes and groups, every method on
-- unconnected/connected/closed objects (right and wrong class), path rules
-- (too long, embedded NUL, failures closing the descriptor), sendto/send/
-- receive/receivefrom with sizes and senders, options, timeouts, and
-- socket.select. Paths live next to an os.tmpname() name and are removed at
-- the end; none is printed.
local T = require "tdiff"
local socket = require "socket"
local unix = require "socket.unix"
local V = os.getenv("LUA_TESTS_VERSION")

local function cls(o) return (tostring(o):match("^([^:]+)")) end

local base = os.tmpname()
os.remove(base)
local paths = {}
local function P(tag)
  local p = base .. "." .. tag
  paths[#paths + 1] = p
  os.remove(p)
  return p
end
local function cleanup()
  for _, p in ipairs(paths) do os.remove(p) end
end

-- constructors
do
  local d, e = unix.dgram()
  print("dgram()", cls(d), e, d:getfd() >= 0)
  d:close()
  local u = unix.udp()
  print("udp()", cls(u), u.class)
  u:close()
  T.show("dgram(1, 2)", function() local o = unix.dgram(1, 2); local c = cls(o); o:close(); return c end)
end

-- classes and metatables
local reg = debug.getregistry()
local d0 = unix.dgram()
local mt = getmetatable(d0)
for _, c in ipairs { "unixdgram{connected}", "unixdgram{unconnected}" } do
  local t = reg[c]
  local names = {}
  for k, v in pairs(t) do
    if k ~= "__name" then names[#names + 1] = tostring(k) .. ":" .. type(v) end
  end
  table.sort(names)
  print(c, table.concat(names, " "))
  print(c, "index", T.keys(t.__index))
  print(c, "class", t.__index.class)
  print(c, "__name", (V == "5.3" or V == "5.4") and t.__name == c or t.__name == nil)
  print(c, "groups", t["unixdgram{any}"], t["select{able}"], t["udp{any}"])
  print(c, "gc is close", t.__gc == t.__index.close)
end
print("getmetatable is registry entry", mt == reg["unixdgram{unconnected}"])
print("tostring", tostring(d0))
print("index assignment", pcall(function() d0.x = 1 end))
for _, m in ipairs { "getpeername", "getoption", "getfamily", "listen", "accept", "shutdown", "getstats" } do
  T.show("missing " .. m, function() return d0[m](d0) end)
end
local fake = setmetatable({}, mt)
print("tostring table with mt", tostring(fake))
T.show("getfd on table with mt", fake.getfd, fake)

-- every method with a non-object and with wrong objects
local idx = mt.__index
local names = {}
for k in pairs(idx) do if k ~= "class" then names[#names + 1] = k end end
table.sort(names)
local udp = socket.udp()
local stream = unix.stream()
for _, name in ipairs(names) do
  T.show(name .. "(nil)", idx[name])
  T.show(name .. "(udp)", idx[name], udp)
  T.show(name .. "(unixstream)", idx[name], stream)
end
udp:close()
stream:close()

-- a fresh unconnected object
local function basics(o, label)
  T.show(label .. " getfd>=0", function() return o:getfd() >= 0 end)
  T.show(label .. " dirty", o.dirty, o)
  T.show(label .. " getsockname", o.getsockname, o)
  T.show(label .. " gettimeout", o.gettimeout, o)
  T.show(label .. " settimeout 1", o.settimeout, o, 1)
  T.show(label .. " settimeout 2 t", o.settimeout, o, 2, "t")
  T.show(label .. " gettimeout", o.gettimeout, o)
  T.show(label .. " settimeout x", o.settimeout, o, 1, "x")
  T.show(label .. " settimeout {}", o.settimeout, o, {})
  T.show(label .. " settimeout nil", o.settimeout, o)
  T.show(label .. " settimeout -1 t", o.settimeout, o, nil, "t")
  T.show(label .. " gettimeout", o.gettimeout, o)
  T.show(label .. " reuseaddr", o.setoption, o, "reuseaddr", true)
  T.show(label .. " reuseaddr 1", o.setoption, o, "reuseaddr", 1)
  T.show(label .. " keepalive", o.setoption, o, "keepalive", true)
  T.show(label .. " linger", o.setoption, o, "linger", { on = true, timeout = 1 })
  T.show(label .. " broadcast", o.setoption, o, "broadcast", true)
  T.show(label .. " no option", o.setoption, o)
end
basics(d0, "fresh")
d0:settimeout(0)
T.show("fresh receive", d0.receive, d0)
T.show("fresh receivefrom", d0.receivefrom, d0)
T.show("fresh receive 10", d0.receive, d0, 10)
T.show("fresh receive str", d0.receive, d0, "10")
T.show("fresh receive bad", d0.receive, d0, "x")
T.show("fresh receive -1", d0.receive, d0, -1)
T.show("fresh receive nan", d0.receive, d0, 0 / 0)
T.show("fresh receivefrom -1", d0.receivefrom, d0, -1)
T.show("fresh send", d0.send, d0, "x")
d0:settimeout(0.05)
T.show("fresh receive 0.05", d0.receive, d0)
T.show("fresh receive 1e6 0.05", d0.receive, d0, 1e6)
d0:settimeout(-1)
T.show("fresh bind()", d0.bind, d0)
T.show("fresh connect()", d0.connect, d0)
T.show("fresh sendto()", d0.sendto, d0)
T.show("fresh sendto(x)", d0.sendto, d0, "x")
T.show("fresh sendto(x, {})", d0.sendto, d0, "x", {})
T.show("fresh sendto({}, p)", d0.sendto, d0, {}, "p")

-- paths
do
  local s = unix.dgram()
  T.show("bind 108", s.bind, s, "/" .. string.rep("a", 107))
  T.show("connect 108", s.connect, s, "/" .. string.rep("a", 107))
  T.show("sendto 108", s.sendto, s, "x", "/" .. string.rep("a", 107))
  print("fd kept", s:getfd() >= 0)
  local missing = base .. "/" .. string.rep("c", 107 - #base - 1)
  print("missing dir path length", #missing)
  T.show("sendto missing dir", s.sendto, s, "x", missing)
  print("fd kept after sendto", s:getfd() >= 0)
  T.show("bind missing dir", s.bind, s, missing)
  T.show("fd after failed bind", s.getfd, s)
  print("class", cls(s))
  T.show("bind again", s.bind, s, P("never"))
  T.show("connect after failed bind", s.connect, s, P("never"))
  T.show("sendto after failed bind", s.sendto, s, "x", P("never"))
  T.show("receive after failed bind", s.receive, s)
  T.show("receivefrom after failed bind", s.receivefrom, s)
end
do
  local s = unix.dgram()
  T.show("connect missing", s.connect, s, P("missing"))
  T.show("fd after failed connect", s.getfd, s)
  print("class", cls(s))
  T.show("connect again", s.connect, s, P("missing"))
  local star = unix.dgram()
  T.show("connect *", star.connect, star, "*")
  T.show("fd after connect *", star.getfd, star)
  local f = P("regular")
  local h = io.open(f, "w"); h:write("x"); h:close()
  local r = unix.dgram()
  T.show("sendto regular file", r.sendto, r, "x", f)
  T.show("connect regular file", r.connect, r, f)
  local b = unix.dgram()
  T.show("bind over regular file", b.bind, b, f)
  local e = unix.dgram()
  T.show("sendto empty path", e.sendto, e, "x", "")
  T.show("bind empty path (autobind)", e.bind, e, "")
  T.show("getsockname after autobind", e.getsockname, e)
  e:close()
end

-- a bound receiver
local rpath = P("recv")
local r = unix.dgram()
T.show("bind NUL tail", r.bind, r, rpath .. "\0tail")
print("bound path", r:getsockname() == rpath)
T.show("bind twice", r.bind, r, rpath)
T.show("fd after bind twice", r.getfd, r)
r = unix.dgram()
os.remove(rpath)
T.show("bind", r.bind, r, rpath)
do
  local o = unix.dgram()
  T.show("bind in use", o.bind, o, rpath)
  T.show("fd after in use", o.getfd, o)
end
r:settimeout(1)

-- unbound sender
local s = unix.dgram()
T.show("sendto", s.sendto, s, "hello", rpath)
T.show("sendto NUL tail", s.sendto, s, "tail", rpath .. "\0junk")
T.show("sendto empty", s.sendto, s, "", rpath)
T.show("sendto binary", s.sendto, s, "a\0b\r\n", rpath)
do
  local rr, w = socket.select({ r }, { s }, 1)
  print("select", #rr, rr[1] == r, rr[r], #w, w[1] == s)
end
T.show("receivefrom", r.receivefrom, r)
T.show("receive", r.receive, r)
T.show("receivefrom empty", r.receivefrom, r)
T.show("receive binary", r.receive, r)
print("sender unbound name", s:getsockname())
-- bound sender
local spath = P("send")
T.show("sender bind", s.bind, s, spath)
T.show("sendto bound", s.sendto, s, "from bound", rpath)
do
  local data, from = r:receivefrom()
  print("receivefrom bound", data, from == spath)
end
-- sizes
T.show("sendto 10", s.sendto, s, "0123456789", rpath)
T.show("receive 3 (truncates)", r.receive, r, 3)
T.show("sendto 10 again", s.sendto, s, "0123456789", rpath)
T.show("receive 0 (consumes)", r.receive, r, 0)
r:settimeout(0)
T.show("nothing left", r.receive, r)
T.show("nothing left from", r.receivefrom, r)
r:settimeout(1)
do
  local big = string.rep("x", 150000)
  T.show("sendto 150000", s.sendto, s, big, rpath)
  local got = r:receive(200000)
  print("receive 200000", #got)
  T.show("sendto 150000 again", s.sendto, s, big, rpath)
  got = r:receive()
  print("receive default", #got)
  T.show("sendto 150000 third", s.sendto, s, big, rpath)
  local g, from = r:receivefrom(1e6)
  print("receivefrom 1e6", #g, from == spath)
  T.show("sendto 9000", s.sendto, s, string.rep("y", 9000), rpath)
  got = r:receive(8193)
  print("receive 8193", #got)
  T.show("sendto 20", s.sendto, s, string.rep("z", 20), rpath)
  got = r:receive(1e6)
  print("receive 1e6 small", #got)
end
-- queue full: zero timeout times out
do
  s:settimeout(0)
  local n, err = 0, nil
  repeat
    n = n + 1
    local ok, e = s:sendto("fill", rpath)
    if not ok then err = e end
  until err or n > 5000
  print("queue full", err, n <= 5000)
  -- (a positive timeout would spin forever in both cores: poll reports an
  -- unconnected datagram socket writable while the receiver's queue is full)
  s:settimeout(-1)
  r:settimeout(0)
  local drained = 0
  while r:receive() and drained <= 6000 do drained = drained + 1 end
  print("drained", drained == n - 1)
  r:settimeout(1)
end

-- a connected object
local c = unix.dgram()
T.show("connect", c.connect, c, rpath)
print("class", cls(c))
T.show("connected getsockname", c.getsockname, c)
T.show("connected sendto", c.sendto, c, "x", rpath)
T.show("connected receivefrom", c.receivefrom, c)
T.show("connected bind", c.bind, c, P("cbind"))
T.show("send", c.send, c, "via send")
T.show("send empty", c.send, c, "")
T.show("send bad", c.send, c)
T.show("send table", c.send, c, {})
T.show("receive", r.receive, r)
T.show("receive empty", r.receive, r)
basics(c, "connected")
-- reply to the connected object through its bound path
do
  local cpath = P("conn")
  local c2 = unix.dgram()
  assert(c2:bind(cpath))
  T.show("connect bound", c2.connect, c2, rpath)
  T.show("send bound", c2.send, c2, "ping")
  local data, from = r:receivefrom()
  print("ping from", data, from == cpath)
  T.show("reply", r.sendto, r, "pong", from)
  c2:settimeout(1)
  T.show("connected receive", c2.receive, c2)
  local rr = socket.select({ c2 }, nil, 0)
  print("select nothing", #rr)
  -- reconnecting is allowed (to any path), failure closes
  T.show("reconnect", c2.connect, c2, spath)
  T.show("reconnect missing", c2.connect, c2, P("gone"))
  T.show("fd after reconnect missing", c2.getfd, c2)
  print("class after failed reconnect", cls(c2))
  T.show("send after failed reconnect", c2.send, c2, "x")
  T.show("receive after failed reconnect", c2.receive, c2)
end
-- peer gone
do
  local tpath = P("tmp")
  local t = unix.dgram()
  assert(t:bind(tpath))
  local c3 = unix.dgram()
  assert(c3:connect(tpath))
  t:close()
  T.show("send to closed peer", c3.send, c3, "x")
  os.remove(tpath)
  T.show("send to removed peer", c3.send, c3, "x")
  c3:close()
  T.show("send on closed connected", c3.send, c3, "x")
  T.show("receive on closed connected", c3.receive, c3)
  print("class", cls(c3))
end

-- a closed unconnected object
do
  local k = unix.dgram()
  k:close()
  T.show("closed getfd", k.getfd, k)
  T.show("closed receive", k.receive, k)
  T.show("closed receive 10", k.receive, k, 10)
  T.show("closed receive 100000", k.receive, k, 100000)
  T.show("closed receivefrom", k.receivefrom, k)
  T.show("closed receivefrom 100000", k.receivefrom, k, 100000)
  T.show("closed sendto", k.sendto, k, "x", rpath)
  T.show("closed sendto long", k.sendto, k, "x", string.rep("l", 200))
  T.show("closed bind", k.bind, k, P("closed"))
  T.show("closed connect", k.connect, k, rpath)
  T.show("closed getsockname", k.getsockname, k)
  T.show("closed setoption", k.setoption, k, "reuseaddr", true)
  T.show("closed dirty", k.dirty, k)
  T.show("closed close", k.close, k)
  T.show("closed __gc", getmetatable(k).__gc, k)
  print("closed class", cls(k))
end
-- setfd / getfd
do
  local k = unix.dgram()
  local fd = k:getfd()
  T.show("setfd none", k.setfd, k)
  T.show("setfd x", k.setfd, k, "x")
  T.show("setfd -1", k.setfd, k, -1)
  T.show("getfd", k.getfd, k)
  T.show("getsockname -1", k.getsockname, k)
  k:setfd(fd)
  print("restored", k:getfd() == fd)
  k:close()
end
s:close()
r:close()
c:close()
d0:close()
cleanup()
print("done")
