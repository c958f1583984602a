-- An echo server and its client on loopback, in one process: the kernel
-- completes the TCP handshake, so accept() finds the client waiting.
local socket = require "socket"

local server = assert(socket.bind("127.0.0.1", 0))
local ip, port = server:getsockname()
print(("echo server listening on %s:%s (%s)"):format(ip, port, tostring(server)))

local client = assert(socket.connect("127.0.0.1", port))
local conn = assert(server:accept())
conn:settimeout(1)

for _, line in ipairs { "hello", "luasocket-rs speaks the C core's protocol", "bye" } do
  assert(client:send(line .. "\r\n"))
  local got = assert(conn:receive("*l"))       -- line mode drops the CR
  assert(conn:send(got:upper() .. "\n"))
  print("client got back:", (assert(client:receive("*l"))))
end

-- partial results on timeout: ask for more than was sent
client:send("12345")
local data, err, partial = conn:receive(10)
print(("receive(10) -> %s, %q, partial %q"):format(tostring(data), err, partial))

-- select: the client is readable once the server writes
conn:send("ping\n")
local readable = socket.select({ client }, nil, 1)
print("select says client readable:", readable[client] ~= nil, client:receive())

print("stats (received, sent, age>0):", conn:getstats())
client:close(); conn:close(); server:close()
