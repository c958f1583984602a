-- A stream object's __gc is its close (as in the C core): a direct call
-- (getmetatable(c).__gc(c), which upstream code and finalizer tricks do)
-- keeps the buffered bytes readable, and receive after __gc works and
-- allocates nothing that is never freed (the read area is a Lua object).
local socket = require "socket"
local T = require "tdiff"

local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
local c = assert(socket.connect("127.0.0.1", port))
local a = assert(srv:accept())
local mt = getmetatable(c)
print("tcp gc == close", mt.__gc == mt.__index.close)
print("master gc == close", getmetatable(socket.tcp()).__gc == getmetatable(socket.tcp()).__index.close)
print("server gc == close", getmetatable(srv).__gc == getmetatable(srv).__index.close)
a:send("one\ntwo\nthree\n")
c:settimeout(1)
T.show("first", c.receive, c)
T.show("direct __gc", mt.__gc, c)
T.show("dirty after __gc", c.dirty, c)
T.show("buffered after __gc", c.receive, c)
T.show("buffered after __gc 2", c.receive, c, "*l")
T.show("drained", c.receive, c)
T.show("getfd", c.getfd, c)
T.show("close again", c.close, c)
a:close()

-- many objects that received, collected: nothing left behind
collectgarbage(); collectgarbage()
local before = collectgarbage("count")
for _ = 1, 200 do
  local x = assert(socket.connect("127.0.0.1", port))
  local y = assert(srv:accept())
  y:send("ping\n")
  x:settimeout(1)
  assert(x:receive() == "ping")
  getmetatable(x).__gc(x)
  assert(x:receive(0) == nil)
  y:close()
end
collectgarbage(); collectgarbage()
print("memory back", collectgarbage("count") - before < 64)
srv:close()

-- unix stream and serial classes share the rule
local ok, unix = pcall(require, "socket.unix")
if ok then
  local u = unix.stream()
  local t = getmetatable(u)
  print("unix gc == close", t.__gc == t.__index.close)
  u:close()
end
local ok2, serial = pcall(require, "socket.serial")
if ok2 then
  local reg = debug.getregistry()["serial{client}"]
  print("serial gc == close", reg and reg.__gc == reg.__index.close)
end
