-- LuaSec (the distro's lua-sec) on top of our core: ssl.wrap takes the
-- descriptor over through getfd/setfd, then a handshake and line echo over
-- TLS; and an HTTPS request through ssl.https (which drives socket.http).
local socket = require "socket"
local ok, ssl = pcall(require, "ssl")
assert(ok, "LuaSec is not installed for this Lua: " .. tostring(ssl))
local https = require "ssl.https"

local srv = assert(io.popen("python3 lua-tests/servers/tls_server.py", "r"))
local hport, eport = (srv:read("*l") or ""):match("(%d+) (%d+)")
assert(hport, "server did not start")

-- direct wrap of one of our tcp objects
local c = assert(socket.tcp())
assert(c:connect("127.0.0.1", tonumber(eport)))
local fd = c:getfd()
local s = assert(ssl.wrap(c, { mode = "client", protocol = "any", verify = "none" }))
assert(c:getfd() == -1, "LuaSec must have taken the descriptor")
assert(s:getfd() == fd)
s:settimeout(10)
assert(s:dohandshake())
for i = 1, 50 do
  assert(s:send("line " .. i .. " " .. string.rep("z", i * 100) .. "\n"))
  local l, err = s:receive("*l")
  assert(l == "line " .. i .. " " .. string.rep("z", i * 100), tostring(err))
end
s:close()
c:close() -- closing the robbed object must not close LuaSec's descriptor twice
collectgarbage(); collectgarbage()

-- ssl.https
local body, code = https.request("https://127.0.0.1:" .. hport .. "/hello")
assert(code == 200 and body == "secure hello\n", tostring(code))
for _ = 1, 5 do assert(https.request("https://127.0.0.1:" .. hport .. "/hello") == "secure hello\n") end

assert(https.request("https://127.0.0.1:" .. hport .. "/shutdown") == "bye")
srv:close()
print("ok")
