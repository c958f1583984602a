-- `local s <close>` closes a tcp object on 5.4 (our one addition, __close);
-- on other versions __close is absent, exactly like the reference.
local socket = require "socket"
local V = os.getenv("LUA_TESTS_VERSION")

local function check(cond, msg)
  if not cond then print("FAIL: " .. msg); os.exit(1) end
end

if V == "5.4" then
  local chunk = assert(load([[
    local socket = ...
    local fd, obj
    do
      local s <close> = assert(socket.tcp4())
      obj = s
      fd = s:getfd()
      assert(fd >= 0)
    end
    return fd, obj
  ]]))
  local fd, obj = chunk(socket)
  check(obj:getfd() == -1, "getfd after <close> scope should be -1, got " .. tostring(obj:getfd()))
  -- closing on error exit of the scope as well
  local ok, err = pcall(assert(load([[
    local socket, box = ...
    local s <close> = assert(socket.tcp())
    box.s = s
    error("boom")
  ]])), socket, {})
  check(not ok and err:match("boom"), "error should propagate")
  -- a closed object in a <close> variable is fine; the scope closes it again
  local chunk2 = assert(load([[
    local socket = ...
    local s <close> = socket.tcp4()
    s:close()
    return s
  ]]))
  local s2 = chunk2(socket)
  check(s2:getfd() == -1, "double close via <close>")
  -- clients and servers too
  local chunk3 = assert(load([[
    local socket = ...
    local L <close> = assert(socket.bind("127.0.0.1", 0))
    local _, port = L:getsockname()
    local c <close> = assert(socket.connect("127.0.0.1", port))
    return L, c
  ]]))
  local L, c = chunk3(socket)
  check(L:getfd() == -1 and c:getfd() == -1, "server and client closed")
  check(getmetatable(L).__close ~= nil, "__close present")
else
  -- no __close anywhere else (as in the reference), but close/gc work
  for _, class in ipairs { "tcp{master}", "tcp{client}", "tcp{server}" } do
    check(rawget(debug.getregistry()[class], "__close") == nil, "no __close on " .. class)
  end
  local s = socket.tcp4()
  check(s:getfd() >= 0, "tcp4 has a descriptor")
  check(s:close() == 1, "close returns 1")
  check(s:getfd() == -1, "closed")
end
print("ok")
