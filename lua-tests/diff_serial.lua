-- socket.serial: the module value, the serial{client} class, open failures,
-- /dev/null, and a pty whose other side is an echo peer
-- (servers/pty_echo.py, bounded lifetime): buffered send/receive in every
-- pattern, timeouts, dirty, stats, select, setfd, close, hangup.
local T = require "tdiff"
local socket = require "socket"
local serial = require "socket.serial"
local V = os.getenv("LUA_TESTS_VERSION")
local mtype = math.type or function() return "number" end

local function cls(o) return (tostring(o):match("^([^:]+)")) end

-- the module
print("type", type(serial))
print("loaded", package.loaded["socket.serial"] == serial, require("socket.serial") == serial)
print("socket.serial field", socket.serial)
local reg = debug.getregistry()
local mt = reg["serial{client}"]
do
  local names = {}
  for k, v in pairs(mt) do
    if k ~= "__name" then names[#names + 1] = tostring(k) .. ":" .. type(v) end
  end
  table.sort(names)
  print("metatable", table.concat(names, " "))
  print("index", T.keys(mt.__index))
  print("class", mt.__index.class)
  print("__name", (V == "5.3" or V == "5.4") and mt.__name == "serial{client}" or mt.__name == nil)
  print("groups", mt["serial{any}"], mt["select{able}"])
  print("no serial{any} class", reg["serial{any}"])
end

-- opening
T.show("serial()", serial)
T.show("serial({})", serial, {})
T.show("serial(nil)", serial, nil)
T.show("missing", serial, "/nonexistent/device")
T.show("directory", serial, "/")
T.show("empty path", serial, "")
T.show("NUL tail", function() local s, e = serial("/dev/null\0junk"); if s then s:close(); return cls(s) end return s, e end)
T.show("number path", serial, 123)

-- /dev/null: writes vanish, reads are EOF
do
  local s = serial("/dev/null")
  print("null", cls(s), s:getfd() >= 0, tostring(s))
  T.show("null dirty", s.dirty, s)
  T.show("null send", s.send, s, "abc")
  T.show("null receive", s.receive, s)
  T.show("null receive *a", s.receive, s, "*a")
  T.show("null receive 5", s.receive, s, 5)
  T.show("null receive prefix", s.receive, s, 5, "pre")
  local r, w, age = s:getstats()
  print("null stats", T.repr(r), T.repr(w), mtype(age), age >= 0)
  T.show("null close", s.close, s)
  T.show("null close again", s.close, s)
  T.show("null getfd", s.getfd, s)
  T.show("null send closed", s.send, s, "x")
  T.show("null receive closed", s.receive, s)
  T.show("null __gc", mt.__gc, s)
  print("class after close", cls(s))
end

-- wrong objects
local names = {}
for k in pairs(mt.__index) do if k ~= "class" then names[#names + 1] = k end end
table.sort(names)
local tcp = socket.tcp()
for _, name in ipairs(names) do
  T.show(name .. "(nil)", mt.__index[name])
  T.show(name .. "(tcp)", mt.__index[name], tcp)
end
tcp:close()
for _, m in ipairs { "gettimeout", "connect", "shutdown", "getsockname", "setoption" } do
  T.show("missing " .. m, function() local s = serial("/dev/null"); return s[m](s) end)
end

-- a pty with an echo peer
local dir = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local peer = io.popen("python3 " .. dir .. "/servers/pty_echo.py 20")
local path = peer:read("*l")
print("peer path", path ~= nil and path:match("^/dev/pts/%d+$") ~= nil)
local s = assert(serial(path))
print("pty", cls(s), s:getfd() >= 0)
T.show("settimeout", s.settimeout, s, 2)
T.show("settimeout t", s.settimeout, s, 5, "t")
T.show("settimeout bad", s.settimeout, s, 1, "x")
T.show("settimeout table", s.settimeout, s, {})
s:settimeout(-1, "t")
s:settimeout(2)
T.show("send", s.send, s, "hello\r\nworld\nabc")
socket.sleep(0.2) -- the whole echo is back: one read gets it all
T.show("receive *l", s.receive, s)
T.show("receive *l prefix", s.receive, s, "*l", ">")
T.show("receive 2", s.receive, s, 2)
print("dirty", s:dirty())
T.show("receive 1", s.receive, s, 1)
print("dirty after", s:dirty())
s:settimeout(0.05)
T.show("receive timeout", s.receive, s)
T.show("receive 4 timeout", s.receive, s, 4)
T.show("receive *a timeout", s.receive, s, "*a")
s:settimeout(2)
T.show("send i j", s.send, s, "0123456789", 2, 4)
T.show("send neg", s.send, s, "line\n", -3)
T.show("send empty", s.send, s, "")
T.show("send bad", s.send, s)
T.show("send bad i", s.send, s, "x", {})
T.show("receive 3", s.receive, s, 3)
T.show("receive line", s.receive, s)
T.show("receive bad", s.receive, s, "x")
T.show("receive neg", s.receive, s, -2)
T.show("send binary", s.send, s, "a\0b\r\r\n")
T.show("receive binary", s.receive, s)
-- select sees echoed data; a dirty buffer counts as readable
do
  s:send("x\ny\n")
  socket.sleep(0.2)
  local r = socket.select({ s }, nil, 2)
  print("select", #r, r[1] == s)
  T.show("receive x", s.receive, s)
  print("dirty", s:dirty())
  r = socket.select({ s }, nil, 0)
  print("select dirty", #r, r[1] == s)
  T.show("receive y", s.receive, s)
  r = socket.select({ s }, nil, 0)
  print("select empty", #r)
end
-- a larger transfer in chunks
do
  local chunk = string.rep("0123456789abcdef", 256) -- 4096 bytes
  local ok = true
  for i = 1, 25 do
    local n = s:send(chunk)
    local back = s:receive(#chunk)
    ok = ok and n == #chunk and back == chunk
  end
  print("chunks", ok)
end
do
  local r, w, age = s:getstats()
  print("stats", T.repr(r), T.repr(w), mtype(age), age >= 0)
  T.show("setstats", s.setstats, s, 1, 2, 0)
  r, w, age = s:getstats()
  print("stats after", T.repr(r), T.repr(w), age < 5)
  T.show("setstats bad", s.setstats, s, {})
end
-- setfd / getfd
do
  local fd = s:getfd()
  T.show("setfd none", s.setfd, s)
  T.show("setfd -1", s.setfd, s, -1)
  T.show("getfd", s.getfd, s)
  T.show("send on -1", s.send, s, "x")
  T.show("receive on -1", s.receive, s)
  s:setfd(fd)
  print("restored", s:getfd() == fd)
end
-- close keeps buffered data readable
s:send("one\ntwo\n")
socket.sleep(0.2)
T.show("receive one", s.receive, s)
T.show("close", s.close, s)
T.show("getfd closed", s.getfd, s)
T.show("dirty closed", s.dirty, s)
T.show("receive buffered", s.receive, s)
T.show("receive closed", s.receive, s)
T.show("send closed", s.send, s, "x")
-- hangup: the peer goes away
do
  local h = assert(serial(path))
  h:settimeout(2)
  T.show("bye", h.send, h, "<<BYE>>")
  T.show("receive after hangup", h.receive, h)
  T.show("receive *a after hangup", h.receive, h, "*a")
  T.show("send after hangup", h.send, h, "x")
  h:close()
end
print("peer exit", peer:close())
