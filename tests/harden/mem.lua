-- Memory pressure, run by tests/c-host/luahost (whose lua_Alloc refuses to
-- grow past host.memcap): every function that allocates a buffer whose size
-- follows input or data, called in a loop under a cap, must
--   * never abort the host,
--   * either return the right result or raise exactly what the C core raises
--     when Lua's allocator refuses ("not enough memory"),
--   * give everything back: Lua memory, RSS (after malloc_trim) and
--     descriptors return to where they started.
-- One group per process (an abort hides nothing else):
--   luahost mem.lua <group>      luahost mem.lua list
-- Checks that wait for the memory redesign of issue 10 are named "mem: ...";
-- the others ("oom: ...") hold today. A check the reference C core itself
-- fails (a C defect we must not copy) is reported for the C core as INFO.
local H = require "harden"
local socket = require "socket"
local mcore = require "mime.core"
local MiB, KiB = 1024 * 1024, 1024
local NOMEM = "not enough memory"
local C = H.impl == "c"

local function settle() collectgarbage(); collectgarbage() end

-- a check, where `c_defect` means the reference C core fails it too
local function check(name, ok, detail, c_defect)
  if C and c_defect and not ok then
    H.info("C core fails '%s' (%s) -- a defect of the C core, not checked there", name, tostring(detail))
    return
  end
  H.check(name, ok, detail)
end

-- group(prefix, body, opts): body runs the capped calls; then what the
-- process holds must be back to where it was.
local RSS_SLACK = 2 * 1024 -- KiB
local function group(prefix, body, opts)
  opts = opts or {}
  settle()
  local rss0, used0, fd0 = host.rss(), host.memused(), host.fdcount()
  local ok, err = xpcall(body, function(e) host.memcap(0); return debug.traceback(e, 2) end)
  host.memcap(0)
  check(prefix .. "ran to the end", ok, err)
  if opts.cleanup then opts.cleanup() end
  settle()
  local drss = host.rss() - rss0
  local dused = host.memused() - used0
  local dfd = host.fdcount() - fd0
  H.info("%s: RSS %+d KiB, Lua memory %+d bytes, descriptors %+d", prefix, drss, dused, dfd)
  if not os.getenv("HARDEN_VALGRIND") then
    check(prefix .. "RSS back to its start (" .. H.d(drss) .. " KiB more)", drss < RSS_SLACK, nil, opts.c_rss)
  end
  -- (LuaJIT keeps dead values in stack slots for a while: 2 MiB of slack)
  check(prefix .. "Lua memory back to its start", dused < 2 * MiB, H.d(dused) .. " bytes more")
  check(prefix .. "no descriptor left open", dfd == 0, H.d(dfd) .. " more", opts.c_fd)
end

-- capped(cap, f, ...): f(...) under an absolute cap on what Lua holds.
-- The cap is set one call down, so a refusal that hits pcall itself (it
-- needs a CallInfo) is still caught; either way it reads false, message.
local function inner(cap, extra, f, ...)
  if cap then host.memcap(cap) else host.memlimit(extra) end
  return pcall(f, ...)
end
local function capped(cap, f, ...)
  local okw, ok, a, b, c = pcall(inner, cap, nil, f, ...)
  host.memcap(0)
  if not okw then return false, ok end
  return ok, a, b, c
end
local function limited(extra, f, ...)
  local okw, ok, a, b, c = pcall(inner, nil, extra, f, ...)
  host.memcap(0)
  if not okw then return false, ok end
  return ok, a, b, c
end

-- refused(ok, a): the call raised exactly the C core's memory error
local function refused(ok, a) return not ok and a == NOMEM end

-- sweep(prefix, f, verify, step, max, prep): f() under caps of "what Lua
-- holds now + extra" for extra = 0, step, 2 step ... (each allocation point
-- in turn is refused), until it has succeeded 3 times. Every failure must be
-- the memory error, every success must verify.
local function sweep(prefix, f, verify, step, max, prep)
  local fails, succ, bad, extra = 0, 0, nil, 0
  while succ < 3 and extra <= max do
    local arg = prep and prep() or nil
    settle()
    local ok, a, b, c = limited(extra, f, arg)
    if ok then
      succ = succ + 1
      local good, why = verify(a, b, c, arg)
      if not good then bad = bad or ("at +" .. extra .. " bytes: wrong result: " .. tostring(why)) end
    elseif a == NOMEM then
      fails = fails + 1
    else
      bad = bad or ("at +" .. extra .. " bytes: raised " .. tostring(a))
    end
    if arg and type(arg) == "table" and arg.done then arg.done() end
    extra = extra + step
  end
  H.info("%s%d refused, %d succeeded (step %d bytes)", prefix, fails, succ, step)
  check(prefix .. "every refusal raises '" .. NOMEM .. "', every success is right", bad == nil, bad)
  check(prefix .. "succeeds within +" .. H.d(max / KiB) .. " KiB of Lua memory", succ > 0, "no success up to +" .. max)
end

local groups, order = {}, {}
local function def(name, f) groups[name] = f; order[#order + 1] = name end

------------------------------------------------------------------------------
-- mime: large inputs, a cap below what the output needs (always refused) and
-- one above (either outcome, checked), in a loop.
local function mime_group(name, n, tight, loose, f)
  def(name, function()
    local prefix = "mem: " .. name .. " " .. H.d(n / MiB) .. " MiB: "
    local input = f("input")
    local want = f("run", input)
    local wlen = #want
    want = nil
    settle()
    local outcomes = {}
    group(prefix, function()
      for i = 1, n >= 16 * MiB and 10 or 5 do
        local base = host.memused()
        local cap = (i % 2 == 1) and (base + tight(wlen)) or (base + loose(wlen))
        local ok, a = capped(cap, f, "run", input)
        if ok then
          outcomes[#outcomes + 1] = "ok"
          assert(#a == wlen, "wrong result length " .. #a)
        else
          outcomes[#outcomes + 1] = tostring(a)
          assert(a == NOMEM, "raised " .. tostring(a))
        end
        a = nil
        settle()
      end
      check(prefix .. "a cap below the output size is refused with '" .. NOMEM .. "'",
        outcomes[1] == NOMEM, outcomes[1])
    end)
    H.info("%s%s", prefix, table.concat(outcomes, ", "))
  end)
end

local function big(n, unit) return (unit or "a"):rep(math.floor(n / #(unit or "a"))) end
local below = function(w) return math.floor(w * 0.9) end
local above = function(w) return w * 4 end

-- the issue's example: ten mime.b64 of 16 MiB under a 36 MiB cap
def("b64-36", function()
  local prefix = "mem: ten b64 of 16 MiB under a 36 MiB cap: "
  local s = big(16 * MiB)
  local outcomes = {}
  group(prefix, function()
    for i = 1, 10 do
      local ok, a = capped(36 * MiB, mcore.b64, s)
      outcomes[#outcomes + 1] = ok and ("ok " .. #a) or tostring(a)
      check(prefix .. "call " .. i .. " refused with '" .. NOMEM .. "'", refused(ok, a), outcomes[#outcomes])
      a = nil
      settle()
    end
  end)
end)

-- the issue's example: a 120 MiB string, pcall(mime.b64, s) under
-- `ulimit -v 260000` with the host's plain allocator. The limit is set once
-- the string exists (5.1's and LuaJIT's string building needs more than the
-- limit; scripts/harden.sh also runs it with a real `ulimit -v` on 5.4).
def("b64-120", function()
  local prefix = "mem: pcall(mime.b64, 120 MiB) under ulimit -v 260000: "
  local s = ("a"):rep(15 * MiB)
  for _ = 1, 3 do s = s .. s; settle() end
  settle()
  host.vlimit(260000)
  local ok, a = pcall(mcore.b64, s)
  check(prefix .. "raises '" .. NOMEM .. "'", refused(ok, a), ok and ("returned " .. #a .. " bytes") or a)
end)

-- Over-reservation: under an address-space limit (host.vlimit) the C core
-- fits in, ours must fit too. The limits are the C core's measured need (in
-- units of the 32 MiB input, on top of what the process maps before the
-- call; bisected in steps of 1/8 with HARDEN_VFACTOR) plus 0.5 (16 MiB).
-- 5.4 only: there the needs are stable; on 5.1 and LuaJIT the C core's own
-- need moves by more than the slack with the heap's layout (the capped
-- allocator checks above cover those versions).
local C_NEED = {
  ["5.4"] = { qp = 2.125, qpwrp = 2.125, eol = 2.125, wrp = 3.25 },
}
for _, t in ipairs {
  { "qp", function() return ("a"):rep(32 * MiB) end, function(s) return mcore.qp(s) end },
  { "qpwrp", function() return ("abc=\r\n"):rep(math.floor(32 * MiB / 6)) end, function(s) return mcore.qpwrp(76, s) end },
  { "eol", function() return ("a"):rep(32 * MiB) end, function(s) return mcore.eol(0, s) end },
  { "wrp", function() return ("abcdefg\n"):rep(4 * MiB) end, function(s) return mcore.wrp(76, s) end },
} do
  local need = C_NEED[H.version] and C_NEED[H.version][t[1]]
  if need then
    def("vlimit-" .. t[1], function()
      local s = t[2]()
      settle()
      local f = assert(io.open("/proc/self/status"))
      local vm = tonumber(f:read("*a"):match("VmSize:%s*(%d+)"))
      f:close()
      local factor = tonumber(os.getenv("HARDEN_VFACTOR")) or (need + 0.5)
      host.vlimit(vm + math.floor(factor * 32 * MiB / KiB))
      local ok, a = pcall(t[3], s)
      check(string.format("mem: %s of 32 MiB within the address space the C core needs (+%.3g x input)", t[1], factor - need),
        ok and type(a) == "string", ok and type(a) or a)
    end)
  end
end

mime_group("b64", 16 * MiB, below, above, function(w, s) if w == "input" then return big(16 * MiB) end return (mcore.b64(s)) end)
mime_group("unb64", 16 * MiB, below, above, function(w, s) if w == "input" then return big(16 * MiB, "YWJj") end return (mcore.unb64(s)) end)
mime_group("qp", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "a=\r\n\1b ") end return (mcore.qp(s)) end)
mime_group("unqp", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "a=3D=\r\nb") end return (mcore.unqp(s)) end)
mime_group("wrp", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "abcdefg\n") end return (mcore.wrp(76, s)) end)
mime_group("qpwrp", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "abc=3Dxyz") end return (mcore.qpwrp(76, s)) end)
mime_group("eol", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "a\nb\r") end return (mcore.eol(0, s)) end)
mime_group("dot", 8 * MiB, below, above, function(w, s) if w == "input" then return big(8 * MiB, "\r\n.ab") end return (mcore.dot(0, s)) end)

-- small inputs, every allocation point refused in turn
def("mime-sweep", function()
  local s = ("abc=\r\n.\1 x"):rep(300)
  for _, t in ipairs {
    { "b64", function() return mcore.b64(s) end },
    { "unb64", function() return mcore.unb64(mcore.b64(s)) end },
    { "qp", function() return mcore.qp(s) end },
    { "unqp", function() return mcore.unqp(s) end },
    { "wrp", function() return mcore.wrp(10, s) end },
    { "qpwrp", function() return mcore.qpwrp(10, s) end },
    { "eol", function() return mcore.eol(0, s) end },
    { "dot", function() return mcore.dot(0, s) end },
  } do
    local want = t[2]()
    local prefix = "mem: " .. t[1] .. " sweep: "
    group(prefix, function()
      sweep(prefix, t[2], function(a) return a == want end, 64, 64 * KiB)
    end)
  end
end)

-- Linear cost (the issue's quadratic wrp/qpwrp): CPU time per byte on
-- 100 KiB may not exceed 3 times that on 10 KiB (linear: about 1, quadratic:
-- about 10). Each side is repeated until it has used 50 ms of CPU.
if H.version == "5.4" then
  def("linear", function()
    local function per_byte(f, s)
      local reps, t0 = 0, os.clock()
      repeat f(s); reps = reps + 1 until os.clock() - t0 >= 0.05
      return (os.clock() - t0) / (reps * #s)
    end
    for _, t in ipairs {
      { "wrp(10)", function(s) return mcore.wrp(10, s, 0) end, "a" },
      { "wrp(0)", function(s) return mcore.wrp(0, s, 0) end, "a" },
      { "wrp(76)", function(s) return mcore.wrp(76, s) end, "a" },
      { "qpwrp(10)", function(s) return mcore.qpwrp(10, s, 0) end, "a" },
      { "qpwrp(0)", function(s) return mcore.qpwrp(0, s, 0) end, "a" },
      { "qpwrp(76)", function(s) return mcore.qpwrp(76, s) end, "a=3D" },
      { "b64", mcore.b64, "abc" }, { "unb64", mcore.unb64, "YWJj" },
      { "qp", mcore.qp, "a=\r\n\1" }, { "unqp", mcore.unqp, "a=3D=\r\n" },
      { "eol", function(s) return mcore.eol(0, s) end, "a\r\nb\n" },
      { "dot", function(s) return mcore.dot(0, s) end, "\r\n.a" },
    } do
      local small = per_byte(t[2], big(10 * KiB, t[3]))
      local large = per_byte(t[2], big(100 * KiB, t[3]))
      local ratio = large / small
      H.info("linear %s: %.1f ns/byte on 10 KiB, %.1f ns/byte on 100 KiB", t[1], small * 1e9, large * 1e9)
      H.check("mem: " .. t[1] .. " is linear (cost per byte on 10x the input: " .. string.format("%.1f", ratio) .. "x)",
        ratio < 3)
    end
  end)
end

------------------------------------------------------------------------------
-- tcp: a peer process sends; receive under a cap.
local function peer_group(id, name, c_opts, body)
  def(id, function()
    local port, stop = H.peer(false, 60)
    group(name .. ": ", function() body(port) end, c_opts)
    stop()
  end)
end

-- the issue's example: five receive("*a") of 24 MiB, refused
peer_group("recv-24", "mem: five receive('*a') of 24 MiB from a peer", nil, function(port)
  local prefix = "mem: five receive('*a') of 24 MiB from a peer: "
  for i = 1, 5 do
    local c = H.ask(socket, port, "blast " .. 24 * MiB)
    settle()
    local ok, a, b, p = capped(host.memused() + 20 * MiB, c.receive, c, "*a")
    check(prefix .. "call " .. i .. " refused with '" .. NOMEM .. "'", refused(ok, a), H.shape(ok, a, b, p))
    a, b, p = nil, nil, nil
    c:close()
    settle()
  end
end)

local function recv_case(prefix, port, cmd, want, f, tight, loose, rounds)
  for i = 1, rounds do
    local c = H.ask(socket, port, cmd)
    settle()
    local cap = host.memused() + ((i % 2 == 1) and tight or loose)
    local ok, a, b, p = capped(cap, f, c)
    if i % 2 == 1 then
      check(prefix .. "round " .. i .. ": refused with '" .. NOMEM .. "'", refused(ok, a), H.shape(ok, a, b, p))
    else
      check(prefix .. "round " .. i .. ": the right result or '" .. NOMEM .. "'",
        refused(ok, a) or (ok and want(a, b, p)), H.shape(ok, a, b, p))
    end
    a, b, p = nil, nil, nil
    c:close()
    settle()
  end
end

peer_group("recv", "mem: tcp receive under a cap", nil, function(port)
  local N = 12 * MiB
  -- the expected data is built only to compare, after the capped call: a
  -- copy alive during the call would let 5.1 and LuaJIT (which intern every
  -- string) return it without allocating
  local function data() return H.data(N) end
  recv_case("mem: receive('*a') 12 MiB: ", port, "blast " .. N,
    function(a) return a == data() end,
    function(c) return c:receive("*a") end, 10 * MiB, 60 * MiB, 4)
  recv_case("mem: receive(12 MiB): ", port, "blast " .. N,
    function(a) return a == data() end,
    function(c) return c:receive(N) end, 10 * MiB, 60 * MiB, 4)
  recv_case("mem: receive('*l') of a 12 MiB line: ", port, "line " .. N,
    function(a) return a == data() end,
    function(c) return c:receive("*l") end, 10 * MiB, 60 * MiB, 4)
  local pre = ("p"):rep(4 * MiB)
  recv_case("mem: receive(16 MiB, 4 MiB prefix): ", port, "blast " .. N,
    function(a) return a == pre .. data() end,
    function(c) return c:receive(N + #pre, pre) end, 14 * MiB, 80 * MiB, 4)
  recv_case("mem: receive('*a', 4 MiB prefix): ", port, "blast " .. N,
    function(a) return a == pre .. data() end,
    function(c) return c:receive("*a", pre) end, 14 * MiB, 80 * MiB, 2)
  -- receive(1e15): memory follows what arrives, not what was asked
  for i = 1, 3 do
    local c = H.ask(socket, port, "blast " .. MiB)
    settle()
    local ok, a, b, p = capped(host.memused() + 16 * MiB, c.receive, c, 1e15)
    check("mem: receive(1e15) of a 1 MiB stream under a 16 MiB cap: nil, 'closed', all the data (" .. i .. ")",
      ok and a == nil and b == "closed" and p == H.data(MiB), H.shape(ok, a, b, p))
    c:close()
  end
end)

-- every allocation point of a small receive refused in turn
peer_group("recv-sweep", "mem: tcp receive sweep", nil, function(port)
  local data = H.data(3000)
  -- (the C core needs about 6 KiB of Lua memory for each of these)
  for _, t in ipairs {
    { "*a", "blast 3000", function(c) return c:receive("*a") end, data },
    { "*l", "line 3000", function(c) return c:receive("*l") end, data },
    { "n", "blast 3000", function(c) return c:receive(3000) end, data },
    { "n+prefix", "blast 3000", function(c) return c:receive(3100, ("q"):rep(100)) end, ("q"):rep(100) .. data },
  } do
    local prefix = "mem: receive " .. t[1] .. " sweep: "
    sweep(prefix, function(c) return t[3](c.sock) end,
      function(a, b, p) return a == t[4] or (a == nil and b == "closed" and p == t[4]) end, 256, 64 * KiB,
      function()
        local c = H.ask(socket, port, t[2])
        c:settimeout(5)
        -- all the data is in the socket before the capped call
        socket.sleep(0.005)
        return { sock = c, done = function() c:close() end }
      end)
  end
end)

------------------------------------------------------------------------------
-- a direct call of __gc (upstream code and finalizer tricks do it): the C
-- core's __gc is close, so buffered bytes stay readable and nothing is
-- allocated again; receive on such an object must not leak a new buffer
def("gc", function()
  local prefix = "mem: receive after a direct __gc: "
  local srv = assert(socket.bind("127.0.0.1", 0))
  local _, port = srv:getsockname()
  local shapes = {}
  group(prefix, function()
    for i = 1, 1000 do
      local c = assert(socket.connect("127.0.0.1", port))
      local s = assert(srv:accept())
      assert(c:send("hello world"))
      s:settimeout(2)
      assert(s:receive(5) == "hello")
      getmetatable(s).__gc(s)
      local a, e, p = s:receive(6)
      if i == 1 then shapes[1] = H.shape(true, a, e, p) end
      a, e, p = s:receive(1)
      if i == 1 then shapes[2] = H.shape(true, a, e, p) end
      s:close(); c:close()
    end
    collectgarbage()
  end)
  check("mem: a direct __gc keeps buffered bytes readable, as the C core's close: receive(6)",
    shapes[1] == 'true " world" nil nil', shapes[1])
  check("mem: a direct __gc, then receive on the empty buffer: closed",
    shapes[2] == 'true nil "closed" ""', shapes[2])
  srv:close()
end)

-- a finalized object brought back (a finalizer of another object keeps it,
-- which 5.4 and 5.1 both allow): its __gc has run and will not run again,
-- so a receive on it must not allocate a buffer that nothing frees
def("gc-resurrect", function()
  local prefix = "mem: receive on a resurrected object: "
  local srv = assert(socket.bind("127.0.0.1", 0))
  local _, port = srv:getsockname()
  local box = {}
  local function doomed()
    local c = assert(socket.connect("127.0.0.1", port))
    local s = assert(srv:accept())
    c:close()
    if newproxy then
      local p = newproxy(true)
      getmetatable(p).__gc = function() box[#box + 1] = s end
    else
      setmetatable({}, { __gc = function() box[#box + 1] = s end })
    end
  end
  local shape
  group(prefix, function()
    for _ = 1, 4 do
      for _ = 1, 250 do doomed() end
      collectgarbage(); collectgarbage()
      for _, s in ipairs(box) do shape = H.shape(true, s:receive(1)) end
      box = {}
      collectgarbage(); collectgarbage()
    end
  end)
  check(prefix .. "it reads as closed", shape == 'true nil "closed" ""', shape)
  srv:close()
end)

------------------------------------------------------------------------------
-- udp: large datagrams under every cap
def("datagrams", function()
  local prefix = "mem: udp large datagrams: "
  group(prefix, function()
    local srv = assert(socket.udp())
    assert(srv:setsockname("127.0.0.1", 0))
    local _, port = srv:getsockname()
    local cli = assert(socket.udp())
    assert(cli:setpeername("127.0.0.1", port))
    srv:settimeout(2)
    local dgram = H.data(60000)
    sweep(prefix .. "receive(65535): ", function() return srv:receive(65535) end,
      function(a, b) return a == dgram, H.shape(true, a and #a, b) end, 2048, 256 * KiB,
      function() assert(cli:send(dgram)); return nil end)
    -- a refused receive consumed its datagram; drain what is left
    srv:settimeout(0)
    while srv:receive() do end
    srv:settimeout(2)
    sweep(prefix .. "receivefrom(65535): ", function() return srv:receivefrom(65535) end,
      function(a, ip) return a == dgram and ip == "127.0.0.1", H.shape(true, a and #a, ip) end, 2048, 256 * KiB,
      function() assert(cli:send(dgram)); return nil end)
    srv:close(); cli:close()
  end, { c_rss = true })
end)

------------------------------------------------------------------------------
-- select with big tables, names and addresses
def("select", function()
  local prefix = "oom: select over 900 sockets: "
  local socks = {}
  group(prefix, function()
    local srv = assert(socket.bind("127.0.0.1", 0))
    local _, port = srv:getsockname()
    for i = 1, 300 do
      local c = assert(socket.connect("127.0.0.1", port))
      local s = assert(srv:accept())
      assert(c:send("x"))
      socks[#socks + 1] = c; socks[#socks + 1] = s
      socks[#socks + 1] = assert(socket.udp4())
    end
    sweep(prefix, function() return socket.select(socks, socks, 1) end,
      function(r, w) return #r == 300 and #w == 900, H.d(#r) .. " readable, " .. H.d(#w) .. " writable" end, 4096, 1024 * KiB)
    srv:close()
  end, { cleanup = function() for _, s in ipairs(socks) do s:close() end socks = nil end })
end)

def("names", function()
  local prefix = "oom: names and dns: "
  group(prefix, function()
    local srv = assert(socket.bind("127.0.0.1", 0))
    local _, port = srv:getsockname()
    local c = assert(socket.connect("127.0.0.1", port))
    for _, t in ipairs {
      { "getsockname", function() return c:getsockname() end, function(a) return a == "127.0.0.1" end },
      { "getpeername", function() return c:getpeername() end, function(a, b) return a == "127.0.0.1" and tostring(b) == port end },
      { "tostring", function() return tostring(c) end, function(a) return a:match("^tcp{client}: ") end },
      { "dns.toip", function() return socket.dns.toip("localhost") end, function(a, b) return a == "127.0.0.1" and type(b) == "table" end },
      { "dns.tohostname", function() return socket.dns.tohostname("127.0.0.1") end, function(a, b) return type(a) == "string" and type(b) == "table" end },
      { "dns.getaddrinfo", function() return socket.dns.getaddrinfo("localhost") end, function(a) return type(a) == "table" and a[1] end },
      { "dns.getnameinfo", function() return socket.dns.getnameinfo("127.0.0.1", 80) end, function(a) return type(a) == "table" end },
      { "dns.gethostname", function() return socket.dns.gethostname() end, function(a) return type(a) == "string" end },
      { "gettime", function() return socket.gettime() end, function(a) return type(a) == "number" end },
    } do
      sweep(prefix .. t[1] .. ": ", t[2], t[3], 16, 64 * KiB)
    end
    c:close(); srv:close()
  end)
end)

------------------------------------------------------------------------------
-- creating objects: a refused allocation must not leak the descriptor
local unix = require "socket.unix"
local serial = require "socket.serial"
local function creation(name, make, opts)
  def((name:gsub("^socket%.", "")), function()
    local prefix = "oom: " .. name .. ": "
    local held = {}
    group(prefix, function()
      sweep(prefix, make, function(o, e)
        if not o then return false, e end
        held[#held + 1] = o
        if opts and opts.after then opts.after() end
        return true
      end, 8, 16 * KiB, opts and opts.prep)
    end, { c_fd = opts and opts.c_fd, cleanup = function()
      for _, o in ipairs(held) do o:close() end
      held = nil
      if opts and opts.cleanup then opts.cleanup() end
    end })
  end)
end
creation("socket.tcp", function() return socket.tcp() end)
creation("socket.tcp4", function() return socket.tcp4() end)
creation("socket.tcp6", function() return socket.tcp6() end)
creation("socket.udp", function() return socket.udp() end)
creation("socket.udp4", function() return socket.udp4() end)
creation("socket.udp6", function() return socket.udp6() end)
creation("socket.serial", function() return serial("/dev/null") end)
creation("socket.unix.stream", function() return unix.stream() end, { c_fd = true })
creation("socket.unix.dgram", function() return unix.dgram() end, { c_fd = true })
do
  local srv, port
  creation("socket.connect", function()
    return socket.connect("127.0.0.1", port)
  end, { prep = function()
    if not srv then srv = assert(socket.bind("127.0.0.1", 0)); _, port = srv:getsockname() end
    return nil
  end, after = function() srv:settimeout(1); assert(srv:accept()):close() end,
  cleanup = function() srv:close() end })
  local srv2, port2
  creation("accept", function()
    return srv2:accept()
  end, { c_fd = true, prep = function()
    -- a refused accept may leave its connection in the backlog (ours
    -- creates the object first): room for all of them
    if not srv2 then srv2 = assert(socket.bind("127.0.0.1", 0, 4096)); _, port2 = srv2:getsockname() end
    local c = assert(socket.connect("127.0.0.1", port2))
    return { done = function() c:close() end }
  end, cleanup = function() srv2:close() end })
end

------------------------------------------------------------------------------
local which = arg[1]
if which == "list" then
  for _, n in ipairs(order) do print(n) end
  return
end
assert(groups[which], "no group " .. tostring(which))
groups[which]()
H.summary()
