-- socket.http (upstream http.lua, unchanged) over our core against a local
-- Python HTTP server: GET, POST with an ltn12 source, chunked replies,
-- redirects, error codes, large bodies.
local socket = require "socket"
local http = require "socket.http"
local ltn12 = require "ltn12"

local srv = assert(io.popen("python3 lua-tests/servers/http_server.py", "r"))
local port = assert(tonumber(srv:read("*l")), "server did not start")
local base = "http://127.0.0.1:" .. port

local body, code, headers = http.request(base .. "/hello")
assert(body == "hello, world\n" and code == 200, tostring(code))
assert(headers["content-length"] == "13")

local big = assert(http.request(base .. "/big"))
assert(#big == 256 * 4096 and big:sub(1, 3) == "\0\1\2" and big:sub(-1) == "\255")

body, code = http.request(base .. "/chunked")
assert(code == 200 and body == "first,second," .. string.rep("x", 10000) .. "last", tostring(body))

body, code = http.request(base .. "/redirect")
assert(code == 200 and body == "hello, world\n", tostring(code))

local t = {}
local r, c, h = http.request { url = base .. "/redirect", redirect = false, sink = ltn12.sink.table(t) }
assert(r == 1 and c == 302 and h.location == base .. "/hello", tostring(c))

body, code = http.request(base .. "/nothing")
assert(code == 404 and body == "not found")

-- POST with a string body (form) and with an ltn12 source
body, code = http.request(base .. "/post", "a=1&b=2")
assert(code == 200 and body == "got 7: a=1&b=2", body)
local payload = string.rep("0123456789", 5000)
local out = {}
r, c = http.request {
  url = base .. "/post", method = "POST",
  source = ltn12.source.string(payload),
  headers = { ["content-length"] = #payload, ["content-type"] = "application/octet-stream" },
  sink = ltn12.sink.table(out),
}
assert(r == 1 and c == 200 and table.concat(out) == "got 50000: " .. payload:sub(1, 64), table.concat(out))

-- the User-Agent http.lua sends comes from our _VERSION
body = http.request(base .. "/headers")
assert(body == socket._VERSION, body)

-- HEAD
r, c, h = http.request { url = base .. "/hello", method = "HEAD" }
assert(r == 1 and c == 200 and h["content-length"] == "13")

-- nothing listens on a closed port: a clean error, not a raise
local dead = socket.bind("127.0.0.1", 0); local _, dport = dead:getsockname(); dead:close()
r, c = http.request("http://127.0.0.1:" .. dport .. "/")
assert(r == nil and c == "connection refused", tostring(c))

assert(http.request(base .. "/shutdown") == "bye")
srv:close()
print("ok")
