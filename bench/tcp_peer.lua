-- The other end of bench/tcp.lua, always run on the reference C core so that
-- only the measured side differs. Usage: tcp_peer.lua PORT MODE ARG
local socket = require "socket"
local port, mode, arg = tonumber(arg[1]), arg[2], tonumber(arg[3])
local c = assert(socket.connect("127.0.0.1", port))
if mode == "source" then          -- send ARG bytes in 64 KiB writes, then close
  local chunk = string.rep("x", 65536)
  local left = arg
  while left > 0 do
    local n = math.min(left, #chunk)
    assert(c:send(chunk, 1, n))
    left = left - n
  end
elseif mode == "lines" then       -- send ARG lines of 40 bytes, then close
  local line = string.rep("y", 38) .. "\r\n"
  local block = string.rep(line, 1000)
  for _ = 1, math.floor(arg / 1000) do assert(c:send(block)) end
elseif mode == "sink" then        -- read everything, report the byte count
  local data = assert(c:receive("*a"))
  io.write(#data, "\n")
elseif mode == "echo" then        -- echo ARG lines
  for _ = 1, arg do
    local l = assert(c:receive("*l"))
    assert(c:send(l .. "\n"))
  end
end
c:close()
