-- One TCP scenario on loopback, measured on whichever core LUA_CPATH selects;
-- the peer process always runs the reference C core (PEER_CPATH).
-- Usage: tcp.lua SCENARIO  → prints "SCENARIO seconds"
local socket = require "socket"
local scenario = arg[1]
local interp = arg[-1]
local MB = 1024 * 1024

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local function peer(mode, n)
  local cmd = string.format("LUA_CPATH='%s' %s bench/tcp_peer.lua %s %s %d",
    os.getenv("PEER_CPATH"), interp, port, mode, n)
  local p = assert(io.popen(cmd, "r"))
  local c = assert(server:accept())
  return c, p
end

local t0, t1
if scenario == "receive_all" then          -- 256 MiB with receive("*a")
  local c, p = peer("source", 256 * MB)
  t0 = socket.gettime()
  local data = assert(c:receive("*a"))
  t1 = socket.gettime()
  assert(#data == 256 * MB)
  p:close()
elseif scenario == "receive_count" then    -- 256 MiB with receive(1 MiB)
  local c, p = peer("source", 256 * MB)
  t0 = socket.gettime()
  for _ = 1, 256 do assert(#assert(c:receive(MB)) == MB) end
  t1 = socket.gettime()
  p:close()
elseif scenario == "receive_lines" then    -- 2M lines of 40 bytes with receive("*l")
  local c, p = peer("lines", 2000000)
  t0 = socket.gettime()
  for _ = 1, 2000000 do assert(c:receive("*l")) end
  t1 = socket.gettime()
  p:close()
elseif scenario == "send_big" then         -- one send() of 256 MiB
  local c, p = peer("sink", 0)
  local data = string.rep("z", 256 * MB)
  t0 = socket.gettime()
  assert(c:send(data) == #data)
  t1 = socket.gettime()
  c:close()
  assert(tonumber(p:read("*l")) == #data)
  p:close()
elseif scenario == "echo" then             -- 20000 request/response round trips
  local c, p = peer("echo", 20000)
  t0 = socket.gettime()
  for i = 1, 20000 do
    assert(c:send("ping " .. i .. "\n"))
    assert(c:receive("*l"))
  end
  t1 = socket.gettime()
  p:close()
else
  error("unknown scenario " .. tostring(scenario))
end
print(scenario, string.format("%.4f", t1 - t0))
