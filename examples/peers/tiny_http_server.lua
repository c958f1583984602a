-- A tiny HTTP/1.0 server for examples/http_fetch.lua: prints its port,
-- answers up to 3 requests, then exits.
local socket = require "socket"
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
io.write(port, "\n"); io.stdout:flush()
server:settimeout(10)
for _ = 1, 3 do
  local c = server:accept()
  if not c then break end
  c:settimeout(5)
  local request = c:receive("*l") or ""
  repeat local h = c:receive("*l") until not h or h == ""
  local body = ("you asked for %s\n"):format(request:match("^%u+ (%S+)") or "?")
  c:send("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body)
  c:close()
end
server:close()
