-- Ours only: hostile argument values (NaN, infinities, huge and negative
-- numbers, embedded NULs, wrong types) thrown at every function and method
-- must give ordinary results or ordinary Lua errors: never an internal error
-- (a caught panic), never a crash or a hang.
local socket = require "socket"
local weird = { 0/0, 1/0, -1/0, 1e300, -1e300, 2^53, -2^63, 2^63, 2^31, -2^31, "x\0y", "", {}, true, -1, 0, 1.5, "1e400", "  12  " }
local count, internal = 0, 0
local function try(f, ...)
  count = count + 1
  local ok, err = pcall(f, ...)
  if not ok and tostring(err):find("internal error") then internal = internal + 1; print("INTERNAL", err) end
end
local L = assert(socket.bind("127.0.0.1", 0)); L:settimeout(0.2)
local _, port = L:getsockname()
for _, w in ipairs(weird) do
  local c = socket.connect("127.0.0.1", port); local a = L:accept()
  c:settimeout(0); a:settimeout(0)
  a:send("hello\nworld")
  for _, w2 in ipairs(weird) do
    try(c.receive, c, w, w2); try(c.send, c, "abcdef", w, w2); try(c.settimeout, c, w, w2)
    try(c.setoption, c, "linger", { on = true, timeout = w }); try(c.setoption, c, "tcp-keepidle", w)
    try(c.setstats, c, w, w2, w); try(c.shutdown, c, w)
  end
  try(c.setfd, c, w); c:setfd(-1)
  try(socket.skip, w, 1, 2); try(socket.dns.toip, w); try(socket.dns.getaddrinfo, w); try(socket.dns.getnameinfo, w, w)
  try(socket.connect, w, w); try(socket.tcp().bind, socket.tcp(), w, w)
  local u = socket.udp(); u:settimeout(0)
  try(u.receive, u, w); try(u.receivefrom, u, w); try(u.sendto, u, "x", w, w); try(u.setpeername, u, w, w)
  try(u.setoption, u, "ip-add-membership", { multiaddr = w, interface = w }); try(u.setoption, u, "ipv6-add-membership", { multiaddr = w, interface = w })
  try(u.setoption, u, "ip-multicast-if", w); try(u.setsockname, u, w, w)
  try(socket.select, { w }, { w }, 0); try(socket.select, nil, nil, type(w) == "number" and w >= 0 and w < 0.01 and w or 0)
  u:close(); a:close()
  local mime = require "mime"
  try(mime.b64, w, w); try(mime.qp, w, w, w); try(mime.wrp, w, w, w); try(mime.qpwrp, w, w, w); try(mime.eol, w, w, w); try(mime.dot, w, w); try(mime.unqp, w, w); try(mime.unb64, w, w)
end
assert(internal == 0, internal .. " internal errors")
assert(count > 3000)
print("ok")
