-- copas (the distro's lua-copas 1.2, pure Lua) on our core: an echo server
-- and 50 concurrent client coroutines on loopback, every byte checked.
-- Debian packages copas for 5.1/5.2 only; on 5.3/5.4 its unchanged source is
-- taken from the 5.1 directory (it runs there as is).
local socket = require "socket"
if not pcall(require, "copas") then
  package.path = package.path .. ";/usr/share/lua/5.1/?.lua"
end
local copas = require "copas"

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
port = tonumber(port)

local served = 0
copas.addserver(server, function(skt)
  skt = copas.wrap(skt)
  while true do
    local line, err = skt:receive("*l")
    if not line then break end
    assert(skt:send(line .. "\n"))
  end
  served = served + 1
end)

local CLIENTS, LINES = 50, 40
local done, bytes, failures = 0, 0, {}
for id = 1, CLIENTS do
  copas.addthread(function()
    local raw = socket.tcp()
    assert(copas.connect(raw, "127.0.0.1", port))
    local c = copas.wrap(raw)
    for i = 1, LINES do
      -- vary sizes so some lines span several TCP segments
      local msg = string.format("client %d line %d ", id, i) .. string.rep(string.char(65 + (id + i) % 26), (id * i * 37) % 3000)
      assert(c:send(msg .. "\n"))
      local back = c:receive("*l")
      if back ~= msg then failures[#failures + 1] = id .. ":" .. i end
      bytes = bytes + #msg + 1
    end
    raw:close()
    done = done + 1
  end)
end

local deadline = socket.gettime() + 60
while (done < CLIENTS or served < CLIENTS) and socket.gettime() < deadline do
  copas.step(0.1)
end
server:close()
assert(#failures == 0, "mismatched lines: " .. table.concat(failures, " "))
assert(done == CLIENTS and served == CLIENTS, ("done %d served %d"):format(done, served))
assert(bytes > 50 * 40 * 10)
print("ok")
