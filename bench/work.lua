-- One workload of the benchmark suite, on whichever core LUA_CPATH selects.
--
--   LUA_CPATH=<core>/?.so;build/bench/?.so  lua bench/work.lua CORE WORKLOAD ARGS...
--
-- CORE ("c" or "rs") is only checked: the process refuses to run when
-- socket.core does not come from where CORE says. The far end, where there is
-- one, is bench/peer (raw C, identical for both cores; PEER names it). The
-- time is read with a monotonic clock (benchclock, bench/clock.c) around the
-- measured loop only; every workload checks what it got, and fails (exit 1)
-- rather than report a time for less work. Last line:
--   RESULT <cost> <ops> <check>
-- where cost is seconds (RSS bytes for "memory"), per ops operations, and check is a text
-- that must be the same for every run of the workload on every core.
local now = require "benchclock"
local socket = require "socket"
local core, name = arg[1], arg[2]
local A = {}
for i = 3, #arg do A[#A + 1] = tonumber(arg[i]) or arg[i] end
local PEER = os.getenv("PEER") or "build/bench/peer"

do -- the core is the one the driver asked for
  local path = package.searchpath and package.searchpath("socket.core", package.cpath)
  if not path then -- 5.1 has no package.searchpath
    for t in package.cpath:gmatch("[^;]+") do
      local p = t:gsub("%?", "socket/core")
      local f = io.open(p)
      if f then f:close(); path = p; break end
    end
  end
  local ours = path and path:find("/build/", 1, true) ~= nil
  if (core == "rs") ~= ours then
    io.stderr:write("work.lua: core ", core, " but socket.core is ", tostring(path), "\n")
    os.exit(2)
  end
end

-- BENCH_SABOTAGE=1 (the smoke run of make test): corrupt what the core hands
-- over, to prove that each workload's check notices.
if os.getenv("BENCH_SABOTAGE") == "1" then
  local done = {}
  local function spoil(obj)
    local mt = getmetatable(obj)
    local idx = mt and mt.__index
    if type(idx) == "table" and not done[idx] then
      done[idx] = true
      local recv, send = idx.receive, idx.send
      idx.receive = function(self, ...)
        local d, e, part = recv(self, ...)
        if d and #d > 0 then d = "\255" .. d:sub(2) end
        return d, e, part
      end
      idx.send = function(self, d, ...) return send(self, "\255" .. d:sub(2), ...) end
    end
    return obj
  end
  local connect = socket.connect
  socket.connect = function(...)
    local c, e = connect(...)
    if c then spoil(c) end
    return c, e
  end
  local mime = require "mime.core"
  local b64 = mime.b64
  mime.b64 = function(...)
    local a, b = b64(...)
    return a and a:sub(2), b
  end
end

local function fail(...)
  io.stderr:write("work.lua ", name, ": ", string.format(...), "\n")
  os.exit(1)
end

local function check(v, ...)
  if not v then fail(...) end
  return v
end

-- Starts the peer; returns its pipe and port. Its RESULT line is read by
-- finish(), which also checks it.
local function peer(...)
  local args = table.concat({ ... }, " ")
  local p = check(io.popen("exec " .. PEER .. " " .. args, "r"), "cannot start the peer")
  local l = p:read("*l")
  local port = tonumber(l and l:match("^PORT (%d+)$"))
  check(port, "peer %s said %s", args, tostring(l))
  return p, port
end

local function finish(p, want)
  local l = p:read("*l")
  p:close()
  check(l == "RESULT " .. want, "peer reported %s, expected %s", tostring(l), want)
end

local cost, ops, what
local function result(c, n, w) cost, ops, what = c, n, w end

-- the receive-side stream: byte o is o % 251
local function pattern(off, n)
  local t = {}
  for i = 0, 250 do t[i + 1] = string.char((off + i) % 251) end
  local p = table.concat(t)
  return string.rep(p, math.ceil(n / 251) + 1):sub(1, n)
end

-- the lines bench/peer.c sends (line_at)
local function line_at(kind, j)
  if kind == "40" then
    j = j % 1024
    return string.format("%08d", j) .. string.rep("y", 30)
  end
  j = j % 256
  local len = 1023 + (j * 40503) % 3072
  return string.format("%08d", j) .. string.rep(string.char(97 + j % 26), len - 8)
end

local MiB = 1024 * 1024
local W = {}

function W.recv8192(n)
  local p, port = peer("source", n)
  local c = check(socket.connect("127.0.0.1", port))
  local off, calls = 0, n / 8192
  local t0 = now()
  for _ = 1, calls do
    local s = c:receive(8192)
    if not s or #s ~= 8192 or s:byte(1) ~= off % 251 or s:byte(8192) ~= (off + 8191) % 251 then
      fail("bad chunk at %d", off)
    end
    off = off + 8192
  end
  local t1 = now()
  local s, err = c:receive(8192)
  check(s == nil and err == "closed", "no EOF after %d bytes", n)
  c:close()
  finish(p, "sent " .. n)
  result(t1 - t0, calls, "bytes " .. off)
end

function W.recvall(n)
  local p, port = peer("source", n)
  local c = check(socket.connect("127.0.0.1", port))
  local t0 = now()
  local s = c:receive("*a")
  local t1 = now()
  check(s and #s == n, "*a returned %s bytes", s and #s)
  for k = 0, 63 do
    local i = math.floor(k * (n / 64)) + k * 7
    if s:byte(i + 1) ~= i % 251 then fail("bad byte at %d", i) end
  end
  c:close()
  finish(p, "sent " .. n)
  result(t1 - t0, n / MiB, "bytes " .. #s) -- an "operation" is a MiB here
end

function W.send(count)
  local p, port = peer("sink")
  local c = check(socket.connect("127.0.0.1", port))
  local data = pattern(0, MiB)
  local t0 = now()
  for _ = 1, count do
    if c:send(data) ~= MiB then fail("short send") end
  end
  local t1 = now()
  c:close()
  finish(p, "recv " .. count * MiB .. " bad 0")
  result(t1 - t0, count, "bytes " .. count * MiB)
end

local function lines(kind, count)
  local p, port = peer("lines", kind, count)
  local c = check(socket.connect("127.0.0.1", port))
  local per = kind == "40" and 1024 or 256
  local want, len = {}, {}
  for j = 0, per - 1 do want[j] = line_at(kind, j); len[j] = #want[j] end
  local t0 = now()
  for i = 0, count - 1 do
    local l = c:receive("*l")
    local j = i % per
    if not l or #l ~= len[j] or (j % 61 == 0 and l ~= want[j]) then fail("bad line %d", i) end
  end
  local t1 = now()
  check(c:receive("*l") == nil, "more than %d lines", count)
  c:close()
  finish(p, "lines " .. count)
  result(t1 - t0, count, "lines " .. count)
end
function W.lines40(count) lines("40", count) end
function W.lineskb(count) lines("kb", count) end

local function messages()
  local m = {}
  for i = 0, 15 do m[i] = string.rep(string.char(97 + i), 64) end
  return m
end

function W.pingpong(count)
  local p, port = peer("echo", 64)
  local c = check(socket.connect("127.0.0.1", port))
  c:setoption("tcp-nodelay", true)
  local msg = messages()
  local t0 = now()
  for i = 0, count - 1 do
    local m = msg[i % 16]
    c:send(m)
    if c:receive(64) ~= m then fail("bad reply %d", i) end
  end
  local t1 = now()
  c:close()
  finish(p, "echoed " .. count)
  result(t1 - t0, count, "replies " .. count)
end

function W.pingpong_inproc(count)
  local srv = check(socket.bind("127.0.0.1", 0))
  local h, pt = srv:getsockname()
  local c = check(socket.connect(h, pt))
  local s = check(srv:accept())
  c:setoption("tcp-nodelay", true)
  s:setoption("tcp-nodelay", true)
  local msg = messages()
  local t0 = now()
  for i = 0, count - 1 do
    local m = msg[i % 16]
    c:send(m)
    s:send((s:receive(64)))
    if c:receive(64) ~= m then fail("bad reply %d", i) end
  end
  local t1 = now()
  result(t1 - t0, count, "replies " .. count)
end

local function udp(kind, count)
  local v6 = kind == "udp6"
  local p, port = peer("udpecho", v6 and 6 or 4, count)
  local host = v6 and "::1" or "127.0.0.1"
  local u = check(v6 and socket.udp6() or socket.udp())
  local msg = messages()
  local t0, t1
  if kind == "udpconn" then
    check(u:setpeername(host, port))
    t0 = now()
    for i = 0, count - 1 do
      local m = msg[i % 16]
      u:send(m)
      if u:receive() ~= m then fail("bad datagram %d", i) end
    end
    t1 = now()
  else
    t0 = now()
    for i = 0, count - 1 do
      local m = msg[i % 16]
      u:sendto(m, host, port)
      local d, _, from = u:receivefrom()
      if d ~= m or from ~= port then fail("bad datagram %d", i) end
    end
    t1 = now()
  end
  u:close()
  finish(p, "echoed " .. count)
  result(t1 - t0, count, "replies " .. count)
end
function W.udp(count) udp("udp", count) end
function W.udpconn(count) udp("udpconn", count) end
function W.udp6(count) udp("udp6", count) end

-- N connected sockets, K of them readable (chosen as bench/peer.c's raw
-- select does), M calls of select(set, nil, 0).
function W.select(n, k, m)
  local p, port = peer("many", n, "r")
  local socks, ready = {}, {}
  for i = 0, n - 1 do
    local c = check(socket.connect("127.0.0.1", port))
    socks[i + 1] = c
    if (i * k) % n < k then ready[c] = true end
  end
  for i = 1, n do socks[i]:send(ready[socks[i]] and "r" or "n") end
  local deadline = now() + 10
  while #socket.select(socks, nil, 0.01) ~= k do
    check(now() < deadline, "never %d ready", k)
  end
  local t0 = now()
  for it = 1, m do
    local r = socket.select(socks, nil, 0)
    if #r ~= k then fail("select gave %d, not %d", #r, k) end
    if it % 16 == 0 then
      for j = 1, k do if not ready[r[j]] then fail("select gave a socket that is not ready") end end
    end
  end
  local t1 = now()
  for i = 1, n do socks[i]:close() end
  finish(p, "accepted " .. n .. " ready " .. k)
  result(t1 - t0, m, "ready " .. k)
end

function W.churn(count)
  local srv = check(socket.bind("127.0.0.1", 0))
  local host, port = srv:getsockname()
  local t0 = now()
  for i = 1, count do
    local c = socket.connect(host, port)
    local a = srv:accept()
    if not c or not a then fail("connection %d failed", i) end
    -- (the C core gives getsockname's port as a string, getpeername's as a number)
    if i % 64 == 0 and tonumber((select(2, a:getpeername()))) ~= tonumber((select(2, c:getsockname()))) then
      fail("accepted the wrong connection")
    end
    c:close()
    a:close()
  end
  local t1 = now()
  srv:close()
  result(t1 - t0, count, "connections " .. count)
end

local function create(ctor, count)
  local fd0 = ctor()
  local fd = fd0:getfd()
  fd0:close()
  local t0 = now()
  for i = 1, count do
    local s = ctor()
    if not s then fail("no socket") end
    if i % 64 == 0 and s:getfd() ~= fd then fail("descriptor leak: %d", s:getfd()) end
    s:close()
  end
  local t1 = now()
  result(t1 - t0, count, "sockets " .. count)
end
function W.tcp4(count) create(socket.tcp4, count) end
function W.tcp(count) create(socket.tcp, count) end

function W.gettime(count)
  local gettime, last = socket.gettime, 0
  local t0 = now()
  for _ = 1, count do
    local t = gettime()
    if t < last then fail("gettime went back") end
    last = t
  end
  local t1 = now()
  check(math.abs(last - os.time()) < 5, "gettime is not the time of day")
  result(t1 - t0, count, "calls " .. count)
end

local function method(mname, count)
  local s = check(socket.tcp4())
  local fd = s:getfd()
  local t0 = now()
  if mname == "settimeout" then
    for i = 1, count do if s:settimeout(i % 2) ~= 1 then fail("settimeout") end end
  elseif mname == "getfd" then
    for _ = 1, count do if s:getfd() ~= fd then fail("getfd") end end
  else
    for i = 1, count do
      local t = tostring(s)
      if i % 64 == 0 and t:sub(1, 12) ~= "tcp{master}:" then fail("tostring gave %s", t) end
    end
  end
  local t1 = now()
  s:close()
  result(t1 - t0, count, "calls " .. count)
end
function W.settimeout(count) method("settimeout", count) end
function W.getfd(count) method("getfd", count) end
function W.tostring(count) method("tostring", count) end

function W.toip(count)
  local toip = socket.dns.toip
  local t0 = now()
  for _ = 1, count do
    if toip("localhost") ~= "127.0.0.1" then fail("toip") end
  end
  local t1 = now()
  result(t1 - t0, count, "lookups " .. count)
end

function W.getaddrinfo(count)
  local gai = socket.dns.getaddrinfo
  local t0 = now()
  for _ = 1, count do
    local t = gai("localhost")
    if not t or not t[1] or (t[1].addr ~= "127.0.0.1" and t[1].addr ~= "::1") then fail("getaddrinfo") end
  end
  local t1 = now()
  result(t1 - t0, count, "lookups " .. count)
end

-- RSS growth per idle connected socket (nothing sent or received), in bytes.
local function rss()
  local f = check(io.open("/proc/self/statm"))
  local pages = tonumber(f:read("*a"):match("^%d+ (%d+)"))
  f:close()
  return pages * 4096
end
function W.memory(n)
  local p, port = peer("many", n, "h")
  local socks = {}
  for i = 1, n do socks[i] = false end -- the table itself is not measured
  collectgarbage(); collectgarbage()
  local before = rss()
  for i = 1, n do socks[i] = check(socket.connect("127.0.0.1", port)) end
  collectgarbage(); collectgarbage()
  local after = rss()
  for i = 1, n do check(socks[i]:getpeername() == "127.0.0.1", "not connected") end
  for i = 1, n do socks[i]:close() end
  finish(p, "accepted " .. n .. " ready 0")
  result(after - before, n, "sockets " .. n)
end

function W.http(count, size)
  local http = require "socket.http"
  local p, port = peer("http", count, size)
  local url = "http://127.0.0.1:" .. port .. "/file"
  local t0 = now()
  for i = 1, count do
    local body, code = http.request(url)
    if code ~= 200 or not body or #body ~= size or body:byte(1) ~= 0 or body:byte(size) ~= (size - 1) % 251
      or body:byte(size / 2 + 1) ~= (size / 2) % 251 then
      fail("download %d: code %s, %s bytes", i, tostring(code), body and #body)
    end
  end
  local t1 = now()
  finish(p, "served " .. count)
  result(t1 - t0, count, "downloads " .. count)
end

-- mime.core throughput: PASSES passes over a 1 MiB text-like input in 8 KiB
-- chunks, driven the way ltn12.filter.cycle drives it. The check is the
-- output size plus a sum of sampled output bytes (the same on both cores).
local function mime_input(fname)
  local mime = require "mime.core"
  local seed, parts, len = 1, {}, 0
  local function rnd(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  end
  while len < MiB do
    local r, s = rnd(100), nil
    if r < 70 then s = string.rep(string.char(97 + rnd(26)), 1 + rnd(8))
    elseif r < 82 then s = " "
    elseif r < 86 then s = "\t"
    elseif r < 90 then s = "\r\n"
    elseif r < 92 then s = "\n"
    elseif r < 94 then s = "="
    elseif r < 96 then s = "."
    else s = string.char(128 + rnd(128)) end
    parts[#parts + 1] = s
    len = len + #s
  end
  local text = table.concat(parts):sub(1, MiB)
  local input = text
  if fname == "unb64" then input = mime.wrp(0, (mime.b64("", text)), 76)
  elseif fname == "unqp" then input = mime.qpwrp(0, (mime.qp("", text, "\r\n")), 76) end
  local chunks = {}
  for i = 1, #input, 8192 do chunks[#chunks + 1] = input:sub(i, i + 8191) end
  return chunks
end

local function mimefn(fname, passes)
  local mime = require "mime.core"
  local chunks = mime_input(fname)
  local f = mime[fname]
  local total, sum = 0, 0
  local function take(out)
    if out and #out > 0 then
      total = total + #out
      sum = (sum + out:byte(1) + out:byte(#out)) % 2147483648
    end
  end
  local t0 = now()
  for _ = 1, passes do
    local out, ctx
    if fname == "wrp" then
      ctx = 76
      for i = 1, #chunks do out, ctx = f(ctx, chunks[i], 76); take(out) end
      take((f(ctx, nil, 76)))
    elseif fname == "qp" then
      ctx = ""
      for i = 1, #chunks do out, ctx = f(ctx, chunks[i], "\r\n"); take(out) end
      take((f(ctx, nil, "\r\n")))
    else
      ctx = ""
      for i = 1, #chunks do out, ctx = f(ctx, chunks[i]); take(out) end
      take((f(ctx)))
    end
  end
  local t1 = now()
  check(total > 0, "no output")
  result(t1 - t0, passes, "out " .. total .. " sum " .. sum)
end
for _, f in ipairs({ "b64", "unb64", "qp", "unqp", "wrp" }) do
  W[f] = function(passes) mimefn(f, passes) end
end

local w = W[name] or fail("unknown workload")
w((table.unpack or unpack)(A))
check(cost and cost > 0, "no time measured")
print(string.format("RESULT %.9f %d %s", cost, ops, what))
