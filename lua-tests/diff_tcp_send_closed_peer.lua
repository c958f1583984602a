-- send to a peer that has closed its end (found by the fuzzer, issue 10).
-- The first write after the peer's close succeeds, the peer's kernel answers
-- with a reset, and the next write fails. Both cores write in 8 KiB steps, so
-- a send of more than 8192 bytes meets the reset inside the call and returns
-- nil, "closed", 8192 (on loopback the reset is synchronous).
local T = require "tdiff"
local socket = require "socket.core"

local L = socket.tcp(); assert(L:bind("127.0.0.1", 0)); assert(L:listen(4))
local ip, port = L:getsockname()
local function pair()
  local c = socket.tcp(); c:settimeout(1); assert(c:connect(ip, port))
  local a = L:accept(); a:close()
  c:setoption("tcp-nodelay", true)
  return c
end

for _, size in ipairs { 1, 100, 8191, 8192, 8193, 70000 } do
  local c = pair()
  T.vals("send " .. size .. " after the peer closed", c:send(string.rep("x", size)))
  T.vals("  then receive", c:receive(1))
  T.vals("  then send 1", c:send("y"))
  c:close()
end
L:close()
