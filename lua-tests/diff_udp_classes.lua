-- udp objects: constructors, classes and groups, metatables, every method
-- in both classes and on fresh/closed/fd-less objects, wrong classes with
-- method and function syntax, argument rules of the non-I/O methods.
local T = require "tdiff"
local socket = require "socket"
local V = os.getenv("LUA_TESTS_VERSION")

local function cls(o) return (tostring(o):match("^([^:]+)")) end

-- constructors
for _, name in ipairs { "udp", "udp4", "udp6" } do
  local o = socket[name]()
  print(name, cls(o), o.class, o:getfamily(), o:getfd() >= 0, T.repr(o:dirty()))
  T.show(name .. " extra args", socket[name], 1, 2, "x")
  o:close()
end
T.vals("_DATAGRAMSIZE", socket._DATAGRAMSIZE)

-- metatables: same full method list in both classes, groups, __name
local reg = debug.getregistry()
for _, c in ipairs { "udp{connected}", "udp{unconnected}" } do
  local mt = reg[c]
  local keys = {}
  for k, v in pairs(mt) do
    if k ~= "__close" then keys[#keys + 1] = tostring(k) .. ":" .. type(v) end
  end
  table.sort(keys)
  print(c, table.concat(keys, " "))
  print(c, "index", T.keys(mt.__index))
  print(c, "gc == close", mt.__gc == mt.__index.close)
  print(c, "groups", mt["udp{any}"], mt["select{able}"], mt["tcp{any}"])
end
print("distinct index tables", reg["udp{connected}"].__index ~= reg["udp{unconnected}"].__index)
local u = socket.udp()
print("getmetatable is registry entry", getmetatable(u) == reg["udp{unconnected}"])
print("index assignment", pcall(function() u.x = 1 end))
print("tostring shape", tostring(u):match("^udp{unconnected}: 0x%x+$") ~= nil)
u:close()

-- fresh fd-less udp(): every method
local function each(o, label)
  T.show(label .. " getfd", o.getfd, o)
  T.show(label .. " getfamily", o.getfamily, o)
  T.show(label .. " dirty", o.dirty, o)
  T.show(label .. " gettimeout", o.gettimeout, o)
  T.show(label .. " getsockname", o.getsockname, o)
  T.show(label .. " getpeername", o.getpeername, o)
  T.show(label .. " getoption reuseaddr", o.getoption, o, "reuseaddr")
  T.show(label .. " setoption reuseaddr", o.setoption, o, "reuseaddr", true)
  T.show(label .. " getoption error", o.getoption, o, "error")
  T.show(label .. " receive", o.receive, o)
  T.show(label .. " receive(10)", o.receive, o, 10)
  T.show(label .. " receive(1e6)", o.receive, o, 1e6)
  T.show(label .. " receive(-1)", o.receive, o, -1)
  T.show(label .. " receivefrom", o.receivefrom, o)
  T.show(label .. " receivefrom(100000)", o.receivefrom, o, 100000)
  T.show(label .. " receivefrom(-1)", o.receivefrom, o, -1)
  T.show(label .. " send", o.send, o, "x")
  T.show(label .. " close", o.close, o)
  T.show(label .. " close again", o.close, o)
  T.show(label .. " __gc", getmetatable(o).__gc, o)
end
each(socket.udp(), "fresh udp")
local c4 = socket.udp4(); c4:close()
each(c4, "closed udp4")
local c6 = socket.udp6(); c6:close()
each(c6, "closed udp6")
do
  local s = socket.udp4()
  assert(s:setpeername("127.0.0.1", 9))
  s:close()
  each(s, "closed connected")
  T.show("closed connected setpeername *", s.setpeername, s, "*")
  print("class", cls(s))
end
-- sendto on closed objects: udp4 is refused, a closed unspec one is recreated
do
  local s = socket.udp4(); s:close()
  T.show("closed udp4 sendto", s.sendto, s, "x", "127.0.0.1", "9")
  local r = socket.udp(); r:close()
  T.show("closed udp sendto", r.sendto, r, "", "127.0.0.1", "9")
  print("recreated", r:getfd() >= 0, r:getfamily())
  r:close()
end

-- wrong class and wrong self, both syntaxes
local un = socket.udp4()
local co = socket.udp4(); assert(co:setpeername("127.0.0.1", 9))
print("classes", cls(un), cls(co))
for _, m in ipairs { "send", "getpeername" } do
  T.show("unconnected." .. m, un[m], un, "x")
  print("unconnected:" .. m, pcall(function() return un[m](un, "x") end))
  print("unconnected:send method (" .. m .. ")", pcall(function() return un:send("x") end))
end
for _, m in ipairs { "sendto", "receivefrom", "setsockname" } do
  T.show("connected." .. m, co[m], co, "x", "127.0.0.1", "9")
end
print("method syntax", pcall(function() return co:receivefrom() end))
print("method syntax", pcall(function() return co:setsockname("*", 0) end))
print("method syntax", pcall(function() return co:sendto("x", "127.0.0.1", 9) end))
print("method syntax", pcall(function() return un:getpeername() end))
local t = socket.tcp()
for _, m in ipairs { "close", "dirty", "getfamily", "getfd", "setfd", "getoption", "setoption",
  "getpeername", "getsockname", "receive", "receivefrom", "send", "sendto", "setpeername",
  "setsockname", "settimeout", "gettimeout" } do
  T.show("tcp self " .. m, un[m], t)
  T.show("nil self " .. m, un[m])
  T.show("table self " .. m, un[m], {})
  T.show("string self " .. m, un[m], "x")
end
print("tcp method on udp", pcall(function() return t.close(un) end))
print("io.stdout self", pcall(un.close, io.stdout))
print("tostring on non-object", pcall(getmetatable(un).__tostring, {}))
t:close()

-- getfd / setfd / dirty / getfamily
T.show("getfd", function() return un:getfd() >= 0 end)
T.show("getfd type", function() return math.type and math.type(un:getfd()) or type(un:getfd()) end)
local fd = un:getfd()
T.show("setfd()", un.setfd, un)
T.show("setfd('x')", un.setfd, un, "x")
T.show("setfd({})", un.setfd, un, {})
T.show("setfd(-1)", un.setfd, un, -1)
T.show("getfd after", un.getfd, un)
T.show("setfd('3.7')", un.setfd, un, "3.7")
T.show("getfd 3.7", un.getfd, un)
T.show("setfd(2^40)", un.setfd, un, 2^40)
T.show("getfd 2^40", un.getfd, un)
T.show("setfd(fd)", un.setfd, un, fd)
T.show("dirty args", un.dirty, un, 1, 2)
T.show("getfamily 6", socket.udp6().getfamily, socket.udp6())

-- settimeout / gettimeout
for _, args in ipairs {
  {}, { 1 }, { 0.5, "b" }, { 2, "t" }, { 3, "r" }, { 4, "total" }, { 5, "banana" },
  { -5 }, { "1.5" }, { nil, "t" }, { 1, "" }, { 1, "x" }, { "x" }, { {} }, { 1, {} }, { 1, 2 },
} do
  local o = socket.udp()
  T.show("settimeout " .. tostring(args[1]) .. " " .. tostring(args[2]), o.settimeout, o, args[1], args[2])
  T.show("  gettimeout", o.gettimeout, o)
end
print("settimeout bad mode method", pcall(function() return un:settimeout(1, "x") end))

-- setsockname
local function sn(o, ...)
  T.show("setsockname", o.setsockname, o, ...)
  local a, p, f = o:getsockname()
  print("  ->", a, type(p), p and tonumber(p) and tonumber(p) > 0, f, o:getfamily(), cls(o))
end
sn(socket.udp(), "127.0.0.1", 0)
sn(socket.udp(), "*", 0)
sn(socket.udp(), "::1", 0)
sn(socket.udp(), "localhost", "0")
sn(socket.udp4(), "::1", 0)
sn(socket.udp6(), "127.0.0.1", 0)
sn(socket.udp6(), "*", 0)
sn(socket.udp(), "bad..name", 0)
sn(socket.udp(), "127.0.0.1", "nosuchservice")
sn(socket.udp(), "127.0.0.1", "domain")
sn(socket.udp(), "127.0.0.1", 0.0)
sn(socket.udp(), "10.255.255.1", 0)
sn(socket.udp(), "127.0.0.1")
sn(socket.udp(), nil, 0)
sn(socket.udp(), {}, 0)
sn(socket.udp(), "127.0.0.1", {})
do
  local a = socket.udp(); a:setsockname("127.0.0.1", 0)
  local _, p = a:getsockname()
  sn(socket.udp(), "127.0.0.1", p)
  sn(a, "127.0.0.1", 0)
  a:close()
end

-- setpeername and "*"
local function pn(o, ...)
  T.show("setpeername", o.setpeername, o, ...)
  local ok, a, p, f = pcall(o.getpeername, o)
  print("  ->", cls(o), ok, ok and a or "", type(p), f, o:getfamily())
end
pn(socket.udp(), "127.0.0.1", 9)
pn(socket.udp(), "::1", "9")
pn(socket.udp(), "localhost", 9)
pn(socket.udp4(), "::1", 9)
pn(socket.udp6(), "127.0.0.1", 9)
pn(socket.udp(), "127.0.0.1")
pn(socket.udp(), "127.0.0.1", nil)
pn(socket.udp(), nil, 9)
pn(socket.udp(), "127.0.0.1", {})
pn(socket.udp(), "bad..name", 9)
pn(socket.udp(), "127.0.0.1", "nosuchservice")
pn(socket.udp(), "127.0.0.1", 0)
pn(socket.udp(), "*")
pn(socket.udp(), "*", {})
pn(socket.udp4(), "*", "ignored")
do
  local o = socket.udp4()
  pn(o, "127.0.0.1", 9)
  pn(o, "127.0.0.1", 10)
  pn(o, "bad..name", 9)
  print("  class kept on failure", cls(o))
  pn(o, "*")
  local a, p, f = o:getsockname()
  print("  sockname after *", a, f)
  pn(o, "*")
  pn(o, "::1", 9)
  o:close()
end
do
  local o = socket.udp6()
  pn(o, "::1", 9)
  pn(o, "*")
  print("  sockname after *", (o:getsockname()))
  o:close()
end
print("setpeername method", pcall(function() return un:setpeername() end))
print("setpeername method", pcall(function() return un:setpeername("127.0.0.1") end))
-- descriptors moved between objects with getfd/setfd, and bogus ones
do
  local a = socket.udp4(); assert(a:setsockname("127.0.0.1", 0))
  local fd = a:getfd(); a:setfd(-1)
  T.show("stolen: old getsockname", a.getsockname, a)
  local b = socket.udp(); b:setfd(fd)
  local h, p, f = b:getsockname()
  print("stolen: new getsockname", h, type(p), f, b:getfamily())
  T.show("stolen: sendto own", b.sendto, b, "self", "127.0.0.1", p)
  b:settimeout(1)
  local d, i = b:receivefrom()
  print("stolen: receivefrom", d, i)
  b:close(); a:close()
  local z = socket.udp4()
  local real = z:getfd()
  z:setfd(99999)
  T.show("bogus receive", z.receive, z)
  T.show("bogus receivefrom", z.receivefrom, z)
  T.show("bogus sendto", z.sendto, z, "x", "127.0.0.1", "9")
  T.show("bogus getsockname", z.getsockname, z)
  T.show("bogus setpeername", z.setpeername, z, "127.0.0.1", "9")
  print("  class", cls(z))
  T.show("bogus setpeername *", z.setpeername, z, "*")
  T.show("bogus setoption", z.setoption, z, "broadcast", true)
  T.show("bogus close", z.close, z)
  T.show("bogus getfd", z.getfd, z)
  z:setfd(real); z:close()
end
un:close(); co:close()
collectgarbage()
print("done")
