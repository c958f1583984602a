-- socket.unix: the module table and its __call form, and unix stream
-- sockets: classes, metatables, every method on master/client/server/closed
-- objects (right and wrong class), path rules (too long, embedded NUL,
-- failures closing the descriptor), buffered I/O, options, timeouts,
-- socket.select, and SIGPIPE (not ignored by socket.unix alone). Paths live
-- next to an os.tmpname() name and are removed at the end; none is printed.
local T = require "tdiff"
local socket = require "socket"
local unix = require "socket.unix"
local V = os.getenv("LUA_TESTS_VERSION")
local mtype = math.type or function() return "number" end

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

-- the module
print("socket.unix field", socket.unix)
print("own metatable", getmetatable(unix) == unix)
print("keys", T.keys(unix))
print("aliases", unix.tcp == unix.stream, unix.udp == unix.dgram, unix.stream ~= unix.dgram)
print("loaded", package.loaded["socket.unix"] == unix, require("socket.unix") == unix)
print("no _VERSION", rawget(unix, "_VERSION"))
do
  local s = unix()
  print("unix()", cls(s), s:getfd() >= 0)
  s:close()
  local a, b = unix.tcp()
  print("unix.tcp()", cls(a), b)
  a:close()
end
T.show("unix(1, 2, 3)", function(...) local o = unix(...); local c = cls(o); o:close(); return c end, 1, 2, 3)
T.show("__call(unix)", function() local o = unix.__call(unix); local c = cls(o); o:close(); return c end)
T.show("__call(5)", unix.__call, 5)
T.show("__call()", unix.__call)
T.show("__call({})", unix.__call, {})
T.show("__call({stream=f})", unix.__call, { stream = function(...) return "got", select("#", ...), ... end }, "a", nil, 3)
T.show("stream(1, 2)", function() local o = unix.stream(1, 2); local c = cls(o); o:close(); return c end)

-- classes and metatables
local reg = debug.getregistry()
local master = unix.stream()
local mt = getmetatable(master)
for _, c in ipairs { "unixstream{master}", "unixstream{client}", "unixstream{server}" } do
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
  print(c, "groups", t["unixstream{any}"], t["select{able}"], t["tcp{any}"])
  print(c, "same methods", t.__index.send == mt.__index.send, t.__gc == mt.__gc)
end
print("getmetatable is registry entry", mt == reg["unixstream{master}"])
print("distinct index tables", reg["unixstream{client}"].__index ~= mt.__index)
print("setpeername is connect", mt.__index.setpeername == mt.__index.connect)
print("setsockname is bind", mt.__index.setsockname == mt.__index.bind)
print("tostring", tostring(master))
print("tostring shape", tostring(master):match("^unixstream{master}: 0x%x+$") ~= nil)
print("index assignment", pcall(function() master.x = 1 end))
for _, m in ipairs { "gettimeout", "getoption", "getpeername", "getfamily" } do
  T.show("missing " .. m, function() return master[m](master) end)
end
T.show("tostring {}", mt.__tostring, {})
T.show("tostring 1", mt.__tostring, 1)
local fake = setmetatable({}, mt)
print("tostring table with mt", tostring(fake))
T.show("getfd on table with mt", fake.getfd, fake)
T.show("__gc on table with mt", mt.__gc, fake)

-- every method with a non-object and with wrong objects
local idx = mt.__index
local names = {}
for k in pairs(idx) do if k ~= "class" then names[#names + 1] = k end end
table.sort(names)
local tcp = socket.tcp()
for _, name in ipairs(names) do
  T.show(name .. "(nil)", idx[name])
  T.show(name .. "(tcp)", idx[name], tcp)
  T.show(name .. "(file)", idx[name], io.stdout)
end
tcp:close()

-- a fresh master: every method
local function each_master(o, label)
  T.show(label .. " getfd>=0", function() return o:getfd() >= 0 end)
  T.show(label .. " dirty", o.dirty, o)
  T.show(label .. " getsockname", o.getsockname, o)
  T.show(label .. " settimeout", o.settimeout, o, 1)
  T.show(label .. " settimeout t", o.settimeout, o, 2, "t")
  T.show(label .. " settimeout r", o.settimeout, o, 2, "r")
  T.show(label .. " settimeout x", o.settimeout, o, 2, "x")
  T.show(label .. " settimeout nil", o.settimeout, o)
  T.show(label .. " settimeout str", o.settimeout, o, "3")
  T.show(label .. " settimeout bad", o.settimeout, o, {})
  T.show(label .. " accept", o.accept, o)
  T.show(label .. " send", o.send, o, "x")
  T.show(label .. " receive", o.receive, o)
  T.show(label .. " getstats", o.getstats, o)
  T.show(label .. " setstats", o.setstats, o, 1, 2, 3)
  T.show(label .. " shutdown", o.shutdown, o)
  T.show(label .. " bind()", o.bind, o)
  T.show(label .. " bind({})", o.bind, o, {})
  T.show(label .. " connect()", o.connect, o)
  T.show(label .. " connect(true)", o.connect, o, true)
end
each_master(master, "master")
master:settimeout(-1)

-- options
local function options(o, label)
  T.show(label .. " keepalive", o.setoption, o, "keepalive", true)
  T.show(label .. " keepalive false", o.setoption, o, "keepalive", false)
  T.show(label .. " keepalive 1", o.setoption, o, "keepalive", 1)
  T.show(label .. " keepalive nil", o.setoption, o, "keepalive")
  T.show(label .. " reuseaddr", o.setoption, o, "reuseaddr", true)
  T.show(label .. " linger", o.setoption, o, "linger", { on = true, timeout = 2 })
  T.show(label .. " linger off", o.setoption, o, "linger", { on = false, timeout = 0 })
  T.show(label .. " linger 70000", o.setoption, o, "linger", { on = true, timeout = 70000 })
  T.show(label .. " linger not table", o.setoption, o, "linger", true)
  T.show(label .. " linger no on", o.setoption, o, "linger", { timeout = 1 })
  T.show(label .. " linger no timeout", o.setoption, o, "linger", { on = true })
  T.show(label .. " linger str timeout", o.setoption, o, "linger", { on = true, timeout = "5" })
  T.show(label .. " tcp-nodelay", o.setoption, o, "tcp-nodelay", true)
  T.show(label .. " reuseport", o.setoption, o, "reuseport", true)
  T.show(label .. " no name", o.setoption, o)
  T.show(label .. " number name", o.setoption, o, 1, true)
  T.show(label .. " NUL name", o.setoption, o, "keepalive\0x", true)
  T.show(label .. " long name", o.setoption, o, string.rep("n", 50), true)
end
options(master, "master")

-- paths: too long (fd kept), embedded NUL, missing directory (fd closed)
do
  local s = unix.stream()
  T.show("bind 108", s.bind, s, "/" .. string.rep("a", 107))
  T.show("connect 108", s.connect, s, "/" .. string.rep("a", 107))
  T.show("bind 200", s.bind, s, string.rep("b", 200))
  print("fd kept after too long", s:getfd() >= 0, cls(s))
  local missing = base .. "/" .. string.rep("c", 107 - #base - 1)
  print("missing dir path length", #missing)
  T.show("bind 107 missing dir", s.bind, s, missing)
  T.show("fd after failed bind", s.getfd, s)
  print("class after failed bind", cls(s))
  T.show("bind again", s.bind, s, P("never"))
  T.show("connect after failed bind", s.connect, s, P("never"))
  T.show("listen after failed bind", s.listen, s)
  T.show("getsockname after failed bind", s.getsockname, s)
  T.show("setoption after failed bind", s.setoption, s, "keepalive", true)
  T.show("close", s.close, s)
  print("never created", io.open(paths[#paths]) == nil)
end
do
  local s = unix.stream()
  T.show("connect missing", s.connect, s, P("missing"))
  T.show("fd after failed connect", s.getfd, s)
  T.show("connect again", s.connect, s, P("missing"))
  T.show("bind after failed connect", s.bind, s, P("missing"))
  print("class", cls(s))
end
do
  local f = P("regular")
  local h = io.open(f, "w"); h:write("x"); h:close()
  local s = unix.stream()
  T.show("connect regular file", s.connect, s, f)
  local b = unix.stream()
  T.show("bind over regular file", b.bind, b, f)
  b:close()
  local n = unix.stream()
  T.show("connect empty path", n.connect, n, "")
  local e = unix.stream()
  T.show("bind empty path", e.bind, e, "")
  e:close()
end

-- a listening server
local spath = P("srv")
local srv = unix.stream()
T.show("listen unbound", srv.listen, srv)
print("class after failed listen", cls(srv), srv:getfd() >= 0)
T.show("bind with NUL tail", srv.bind, srv, spath .. "\0tail")
print("bound path", srv:getsockname() == spath)
T.show("bind twice", srv.bind, srv, spath)
T.show("fd after bind twice", srv.getfd, srv)
srv = unix.stream()
os.remove(spath)
T.show("bind", srv.bind, srv, spath)
print("getsockname is path", srv:getsockname() == spath)
do
  local other = unix.stream()
  T.show("bind in use", other.bind, other, spath)
  T.show("fd after in use", other.getfd, other)
end
T.show("listen(backlog str)", srv.listen, srv, "4")
print("class", cls(srv))
T.show("listen again", srv.listen, srv)
T.show("bind on server", srv.bind, srv, spath)
T.show("connect on server", srv.connect, srv, spath)
T.show("send on server", srv.send, srv, "x")
T.show("shutdown on server", srv.shutdown, srv)
srv:settimeout(0)
T.show("accept none (0)", srv.accept, srv)
srv:settimeout(0.05)
T.show("accept none (0.05)", srv.accept, srv)
srv:settimeout(0.2, "t")
T.show("accept none (total)", srv.accept, srv)
srv:settimeout(-1, "t")
srv:settimeout(5)
options(srv, "server")

-- select sees the pending connection
local cli = unix.stream()
T.show("connect", cli.connect, cli, spath)
print("client class", cls(cli))
T.show("connect again on client", cli.connect, cli, spath)
T.show("bind on client", cli.bind, cli, spath)
T.show("listen on client", cli.listen, cli)
T.show("accept on client", cli.accept, cli)
do
  local r, w, e = socket.select({ srv }, nil, 1)
  print("select server", #r, r[1] == srv, r[srv], #w, e)
end
local acc = srv:accept()
print("accepted", cls(acc), acc:getfd() >= 0, acc:getsockname() == spath)
T.show("client getsockname", cli.getsockname, cli)
srv:settimeout(0)
T.show("accept none again", srv.accept, srv)
options(cli, "client")

-- buffered I/O both ways
T.show("send", cli.send, cli, "line one\r\nline two\nrest")
T.show("send i j", cli.send, cli, "0123456789", 3, 5)
T.show("send neg", cli.send, cli, "abcdef", -2)
T.show("send empty", cli.send, cli, "")
T.show("send past end", cli.send, cli, "abc", 5, 10)
T.show("send bad", cli.send, cli)
T.show("send table", cli.send, cli, {})
T.show("send i str", cli.send, cli, "abc", "x")
acc:settimeout(1)
T.show("receive *l", acc.receive, acc)
T.show("receive *l prefix", acc.receive, acc, "*l", "pre:")
T.show("receive 3", acc.receive, acc, 3)
print("dirty", acc:dirty())
T.show("receive 3 prefix", acc.receive, acc, 3, "ab")
T.show("receive prefix long enough", acc.receive, acc, 2, "abcd")
T.show("receive 4", acc.receive, acc, 4)
acc:settimeout(0.05)
T.show("receive 10 partial", acc.receive, acc, 10)
print("dirty after partial", acc:dirty())
T.show("receive *l timeout", acc.receive, acc)
T.show("receive bad pattern", acc.receive, acc, "x")
T.show("receive *x", acc.receive, acc, "*x")
T.show("receive -1", acc.receive, acc, -1)
T.show("receive {}", acc.receive, acc, {})
T.show("receive 0", acc.receive, acc, 0)
do
  local r, s, age = acc:getstats()
  print("acc stats", T.repr(r), T.repr(s), mtype(age), age >= 0)
  r, s, age = cli:getstats()
  print("cli stats", T.repr(r), T.repr(s), mtype(age), age >= 0)
  T.show("setstats", acc.setstats, acc, 10, 20, 0)
  r, s, age = acc:getstats()
  print("after setstats", T.repr(r), T.repr(s), age < 5)
  T.show("setstats bad", acc.setstats, acc, "x")
  T.show("setstats none", acc.setstats, acc)
end
-- a big transfer in both directions
do
  local big = string.rep("0123456789abcdef", 40000) -- 640000 bytes
  cli:settimeout(0)
  local sent_total, err
  local last = 0
  local n = 0
  repeat
    n = n + 1
    local i, e, partial = cli:send(big, last + 1)
    if i then last = i else last = partial; err = e end
    sent_total = sent_total or 0
    if last > sent_total then
      local got = acc:receive(math.min(65536, last - sent_total))
      sent_total = sent_total + (got and #got or 0)
    end
  until last >= #big or n > 1000
  print("big transfer", last == #big, n <= 1000)
  acc:settimeout(1)
  local rest = acc:receive(#big - sent_total)
  print("big rest", sent_total + #(rest or "") == #big)
  cli:settimeout(1)
end
-- select on a readable client, dirty buffer
T.show("acc send", acc.send, acc, "a\nb\nc\n")
do
  local r = socket.select({ cli }, nil, 1)
  print("select client readable", #r, r[1] == cli)
  T.show("cli receive", cli.receive, cli)
  print("cli dirty", cli:dirty())
  local r2 = socket.select({ cli }, nil, 0)
  print("select dirty client", #r2, r2[1] == cli)
  T.show("cli receive 2", cli.receive, cli, 2)
  T.show("cli receive 2 more", cli.receive, cli, 2)
end
-- shutdown
T.show("shutdown bad", cli.shutdown, cli, "x")
T.show("shutdown 1", cli.shutdown, cli, 1)
T.show("shutdown send", cli.shutdown, cli, "send")
T.show("receive *a after peer shutdown", acc.receive, acc, "*a")
T.show("receive after eof", acc.receive, acc)
T.show("receive *a after eof", acc.receive, acc, "*a")
T.show("send after own shutdown", cli.send, cli, "x")
T.show("shutdown receive", acc.shutdown, acc, "receive")
T.show("shutdown both", acc.shutdown, acc, "both")
T.show("shutdown again", acc.shutdown, acc)
-- close keeps buffered data readable
do
  local c2 = unix.stream()
  srv:settimeout(1)
  assert(c2:connect(spath))
  local a2 = assert(srv:accept())
  c2:send("one\ntwo\nthree")
  a2:settimeout(1)
  T.show("a2 receive", a2.receive, a2)
  T.show("a2 close", a2.close, a2)
  T.show("a2 getfd", a2.getfd, a2)
  print("a2 class after close", cls(a2))
  T.show("a2 dirty", a2.dirty, a2)
  T.show("a2 receive buffered", a2.receive, a2)
  T.show("a2 receive rest", a2.receive, a2)
  T.show("a2 receive closed", a2.receive, a2)
  T.show("a2 send closed", a2.send, a2, "x")
  T.show("a2 getsockname closed", a2.getsockname, a2)
  T.show("a2 setoption closed", a2.setoption, a2, "keepalive", true)
  T.show("a2 shutdown closed", a2.shutdown, a2)
  T.show("a2 close again", a2.close, a2)
  T.show("a2 __gc", getmetatable(a2).__gc, a2)
  T.show("a2 after __gc getfd", a2.getfd, a2)
  -- the peer sees the close
  c2:settimeout(1)
  T.show("c2 receive after peer close", c2.receive, c2, "*a")
  T.show("c2 send after peer close", c2.send, c2, "x")
  c2:close()
end
-- setfd / getfd
do
  local s = unix.stream()
  local fd = s:getfd()
  T.show("setfd none", s.setfd, s)
  T.show("setfd str", s.setfd, s, "x")
  T.show("setfd -1", s.setfd, s, -1)
  T.show("getfd", s.getfd, s)
  T.show("setfd 2.7", s.setfd, s, 2.7)
  T.show("getfd", s.getfd, s)
  s:setfd(-1)
  T.show("getsockname -1", s.getsockname, s)
  s:setfd(tostring(fd))
  print("restored", s:getfd() == fd)
  s:close()
end
-- a closed master
do
  local s = unix.stream()
  s:close()
  T.show("closed getfd", s.getfd, s)
  T.show("closed bind", s.bind, s, P("closed"))
  T.show("closed connect", s.connect, s, spath)
  T.show("closed listen", s.listen, s)
  T.show("closed getsockname", s.getsockname, s)
  T.show("closed setoption", s.setoption, s, "reuseaddr", true)
  T.show("closed settimeout", s.settimeout, s, 1)
  T.show("closed dirty", s.dirty, s)
  print("closed class", cls(s))
end
-- a closed server
do
  srv:close()
  T.show("closed server accept", srv.accept, srv)
  T.show("closed server getsockname", srv.getsockname, srv)
  print("closed server class", cls(srv))
end
-- a full backlog makes a zero-timeout connect time out (and close)
do
  local bpath = P("backlog")
  local b = unix.stream()
  assert(b:bind(bpath))
  assert(b:listen(0))
  local results = {}
  local keep = {}
  for i = 1, 4 do
    local c = unix.stream()
    c:settimeout(0)
    local ok, err = c:connect(bpath)
    results[#results + 1] = tostring(ok) .. "/" .. tostring(err) .. "/" .. cls(c) .. "/" .. tostring(c:getfd() >= 0)
    keep[#keep + 1] = c
  end
  print("backlog 0", table.concat(results, " "))
  for _, c in ipairs(keep) do c:close() end
  b:close()
end
-- SIGPIPE: socket.unix alone does not ignore it
do
  local interp = arg and arg[-1]
  local script = [[
    local unix = require "socket.unix"
    local p = os.tmpname(); os.remove(p)
    local s = unix.stream(); assert(s:bind(p)); assert(s:listen())
    local c = unix.stream(); assert(c:connect(p))
    local a = assert(s:accept()); a:close(); os.remove(p)
    io.stdout:write("before\n"); io.stdout:flush()
    for i = 1, 3 do print(c:send("x")) end
    print("survived")
  ]]
  -- the test process ignores SIGPIPE (socket.core) and children inherit
  -- that: reset it for the child
  local f = io.popen("env --default-signal=PIPE " .. interp .. " -e '" .. script .. "'; echo \"status $?\"")
  for line in f:lines() do print("sigpipe child", line) end
  f:close()
end
print("module after all", getmetatable(unix) == unix)
master:close()
cli:close()
acc:close()
cleanup()
