-- tcp bind / listen / connect / accept: state transitions, address shapes,
-- error strings (refused, gai, already connected, bad fd), IPv6, and
-- socket.connect's argument rules. Ports are never printed.
local T = require "tdiff"
local socket = require "socket"
local mtype = math.type or function() return "number" end

local function name_shape(label, ...)
  local a, p, f = ...
  if a == nil then return T.vals(label, ...) end
  print(label, select("#", ...), a, type(p), mtype(p), (tonumber(p) or 0) > 0, f)
end

-- a port with nobody listening: bind, note, close
local function dead_port(host)
  local s = socket.tcp()
  assert(s:bind(host or "127.0.0.1", 0))
  local _, p = s:getsockname()
  s:close()
  return p
end

-- fresh tcp(): no descriptor yet
local m = socket.tcp()
T.vals("fresh getsockname", m:getsockname())
T.vals("fresh getpeername", m:getpeername())
T.vals("fresh listen", m:listen())
T.vals("fresh class", m.class)
T.vals("fresh getoption", m:getoption("reuseaddr"))
T.vals("fresh setoption", m:setoption("reuseaddr", true))
T.vals("bind", m:bind("127.0.0.1", 0))
T.vals("getfd>=0", m:getfd() >= 0)
name_shape("bound getsockname", m:getsockname())
T.vals("bound getpeername", m:getpeername())
T.vals("bind again", m:bind("127.0.0.1", 0))
T.vals("listen(5)", m:listen(5))
T.vals("class", m.class)
name_shape("server getsockname", m:getsockname())
T.vals("server family", m:getfamily())
local _, port = m:getsockname()

-- connect through the method
local c = socket.tcp()
T.vals("connect", c:connect("127.0.0.1", port))
T.vals("class", c.class, c:getfamily())
name_shape("client getpeername", c:getpeername())
name_shape("client getsockname", c:getsockname())
T.vals("connect again", c:connect("127.0.0.1", port))
T.vals("setpeername again", c:setpeername("127.0.0.1", port))
m:settimeout(1)
local a = m:accept()
T.vals("accepted class", a.class, a:getfamily())
T.vals("accepted timeouts", a:gettimeout())
name_shape("accepted getpeername", a:getpeername())
a:close()
c:close()
T.vals("closed getsockname", c:getsockname())
T.vals("closed getpeername", c:getpeername())

-- accept: timeout, closed server, server timeouts not inherited
m:settimeout(0)
T.vals("accept timeout 0", m:accept())
m:settimeout(0.05)
T.vals("accept timeout 0.05", m:accept())
m:settimeout(3, "t")
local c2 = socket.connect("127.0.0.1", port)
local a2 = m:accept()
T.vals("accepted timeouts (server has some)", a2:gettimeout())
a2:close(); c2:close()
m:close()
T.vals("accept on closed server", m:accept())
T.vals("listen on closed server", pcall(m.listen, m))

-- refused, with every kind of object; class becomes client even on failure
local dp = dead_port()
for _, mk in ipairs { "tcp", "tcp4", "tcp6" } do
  local s = socket[mk]()
  T.vals(mk .. " connect refused", s:connect("127.0.0.1", dp))
  print(mk .. " class after failure", s.class, s:getfamily())
  name_shape(mk .. " getsockname after failure", s:getsockname())
  s:close()
end
-- gai errors from connect/bind
local s = socket.tcp()
T.vals("connect bad service", s:connect("127.0.0.1", "nosuchservice"))
print("class", s.class)
s:close()
s = socket.tcp()
T.vals("connect float port", s:connect("127.0.0.1", 80.5))
s:close()
s = socket.tcp4()
T.vals("tcp4 bind ::1", s:bind("::1", 0))
T.vals("tcp4 connect ::1", s:connect("::1", dp))
s:close()
s = socket.tcp6()
T.vals("tcp6 bind 127.0.0.1", s:bind("127.0.0.1", 0))
s:close()
s = socket.tcp()
T.vals("bind bad service", s:bind("127.0.0.1", "nosuchservice"))
T.vals("bind invalid host", s:bind("999.1.1.1", 0))
T.vals("bind '' host", s:bind("", 0))
T.vals("bind non-local address", s:bind("192.0.2.1", 0))
T.vals("bind '*'", s:bind("*", 0))
name_shape("bound to *", s:getsockname())
T.vals("family", s:getfamily())
s:close()
s = socket.tcp()
T.show("bind()", s.bind, s)
T.show("bind('x')", s.bind, s, "127.0.0.1")
T.show("bind({},0)", s.bind, s, {}, 0)
T.show("bind('127.0.0.1',{})", s.bind, s, "127.0.0.1", {})
T.show("connect(nil,1)", s.connect, s, nil, 1)
T.show("connect('a')", s.connect, s, "127.0.0.1")
T.show("listen('x')", s.listen, s, "x")
T.show("listen({})", s.listen, s, {})
print(pcall(function() return s:bind() end))
print(pcall(function() return s:connect() end))
print("class", s.class)
s:close()

-- address in use; reuseaddr
local b1 = socket.tcp4()
assert(b1:bind("127.0.0.1", 0))
assert(b1:listen())
local _, bport = b1:getsockname()
local b2 = socket.tcp4()
T.vals("address in use", b2:bind("127.0.0.1", bport))
b2:close(); b1:close()

-- tcp4 listen without bind
local l4 = socket.tcp4()
T.vals("listen unbound tcp4", l4:listen())
name_shape("its name", l4:getsockname())
l4:close()

-- IPv6 loopback
local l6 = socket.tcp6()
T.vals("bind ::1", l6:bind("::1", 0))
T.vals("listen", l6:listen())
name_shape("v6 name", l6:getsockname())
local _, p6 = l6:getsockname()
local c6 = socket.tcp()
T.vals("connect ::1", c6:connect("::1", p6))
T.vals("family", c6:getfamily())
name_shape("v6 peer", c6:getpeername())
l6:settimeout(1)
local a6 = l6:accept()
T.vals("v6 accepted family", a6:getfamily())
a6:send("v6\n")
c6:settimeout(1)
T.vals("v6 data", c6:receive())
a6:close(); c6:close(); l6:close()
-- v6only: an inet6 socket does not accept IPv4-mapped connections
local v6 = socket.tcp6()
T.vals("tcp6 bind 0.0.0.0-ish '::'", v6:bind("::", 0))
v6:close()

-- non-blocking connect idiom
local srv = assert(socket.bind("127.0.0.1", 0))
local _, sp = srv:getsockname()
local nb = socket.tcp()
nb:settimeout(0)
local r, e = nb:connect("127.0.0.1", sp)
print("nonblocking connect", r, e == "timeout" or e)
print("class", nb.class)
-- (socket.select is another issue's; loopback completes at once)
socket.sleep(0.05)
T.vals("connect again", nb:connect("127.0.0.1", sp))
T.vals("and again", nb:connect("127.0.0.1", sp))
nb:close()
srv:close()

-- connect on a server object and on a client object
local srv2 = assert(socket.bind("127.0.0.1", 0))
local _, sp2 = srv2:getsockname()
local srv3 = assert(socket.bind("127.0.0.1", 0))
T.vals("connect on server", srv3:connect("127.0.0.1", sp2))
T.vals("class", srv3.class)
srv3:close()
srv2:close()

-- socket.connect argument rules
local dp2 = dead_port()
T.vals("socket.connect refused", socket.connect("127.0.0.1", dp2))
T.vals("socket.connect bad host", socket.connect("nonexistent.invalid", 80))
T.show("socket.connect()", socket.connect)
T.show("socket.connect('a')", socket.connect, "127.0.0.1")
T.show("socket.connect({},1)", socket.connect, {}, 1)
T.show("socket.connect family bad", socket.connect, "127.0.0.1", dp2, nil, nil, "inet5")
T.show("socket.connect family num", socket.connect, "127.0.0.1", dp2, nil, nil, 4)
T.show("socket.connect locaddr table", socket.connect, "127.0.0.1", dp2, {})
T.show("socket.connect locport table", socket.connect, "127.0.0.1", dp2, "127.0.0.1", {})
print(pcall(function() return socket.connect() end))
local L = assert(socket.bind("127.0.0.1", 0))
local _, lp = L:getsockname()
L:settimeout(1)
local function try(label, ...)
  local cc, err = socket.connect(...)
  if cc then
    print(label, cc.class, cc:getfamily(), select(3, cc:getsockname()), cc:gettimeout())
    local aa = L:accept()
    if aa then aa:close() end
    cc:close()
  else
    print(label, cc, err)
  end
end
try("plain", "127.0.0.1", lp)
try("localhost", "localhost", lp)
try("family ignored without locaddr", "127.0.0.1", lp, nil, nil, "inet6")
try("locaddr", "127.0.0.1", lp, "127.0.0.1")
try("locaddr+port 0", "127.0.0.1", lp, "127.0.0.1", 0)
try("locaddr inet", "127.0.0.1", lp, "127.0.0.1", "0", "inet")
try("locaddr inet6 mismatch", "127.0.0.1", lp, "127.0.0.1", "0", "inet6")
try("locaddr ::1 to v4", "127.0.0.1", lp, "::1")
try("locaddr bad service", "127.0.0.1", lp, "127.0.0.1", "nosuchservice")
try("connect4", "127.0.0.1", lp, nil, nil, "inet")
T.vals("socket.connect6 to v4 literal", (socket.connect6("127.0.0.1", lp) or {}).class)
local aa = L:accept(); if aa then aa:close() end
T.vals("socket.connect4 ::1", socket.connect4("::1", lp))
L:close()

-- socket.bind from socket.lua on top of the core
local sb = socket.bind("127.0.0.1", 0, 3)
print("socket.bind", sb.class, sb:getoption("reuseaddr"))
sb:close()
T.vals("socket.bind in use", socket.bind("127.0.0.1", dead_port()) and "ok")
