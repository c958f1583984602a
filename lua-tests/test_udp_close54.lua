-- `local s <close>` closes a udp object on 5.4 (our one addition, __close,
-- as for tcp); on other versions __close is absent, like the reference.
local socket = require "socket"
local V = os.getenv("LUA_TESTS_VERSION")

local function check(cond, msg)
  if not cond then print("FAIL: " .. msg); os.exit(1) end
end

if V == "5.4" then
  local s1, s2 = assert(load([[
    local socket = ...
    local a, b
    do
      local u <close> = assert(socket.udp4())
      local c <close> = assert(socket.udp6())
      assert(c:setpeername("::1", 9))
      a, b = u, c
      assert(a:getfd() >= 0 and b:getfd() >= 0)
    end
    return a, b
  ]]))(socket)
  check(s1:getfd() == -1 and s2:getfd() == -1, "both closed at scope end")
  check(tostring(s2):match("^udp{connected}"), "class kept")
  local box = {}
  local ok, err = pcall(assert(load([[
    local socket, box = ...
    local u <close> = assert(socket.udp())
    assert(u:setsockname("127.0.0.1", 0))
    box.u = u
    error("boom")
  ]])), socket, box)
  check(not ok and err:match("boom"), "error propagates")
  check(box.u:getfd() == -1, "closed on error exit")
  for _, class in ipairs { "udp{connected}", "udp{unconnected}" } do
    check(rawget(debug.getregistry()[class], "__close") ~= nil, "__close on " .. class)
  end
else
  for _, class in ipairs { "udp{connected}", "udp{unconnected}" } do
    check(rawget(debug.getregistry()[class], "__close") == nil, "no __close on " .. class)
  end
end
-- close/gc everywhere
local u = socket.udp4()
check(u:getfd() >= 0, "udp4 has a descriptor")
check(u:close() == 1 and u:close() == 1, "close is idempotent")
check(u:getfd() == -1, "closed")
print("ok")
