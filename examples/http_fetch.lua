-- socket.http (upstream's http.lua) fetching from a local server that is
-- itself written with luasocket-rs, started as a child process.
local http = require "socket.http"
local interp = arg[-1]
local srv = assert(io.popen(interp .. " examples/peers/tiny_http_server.lua", "r"))
local port = assert(srv:read("*l"))
for _, path in ipairs { "/", "/hello?x=1", "/done" } do
  local body, code, headers = http.request("http://127.0.0.1:" .. port .. path)
  print(code, headers and headers["content-type"], body and body:gsub("\n$", ""))
end
srv:close()
