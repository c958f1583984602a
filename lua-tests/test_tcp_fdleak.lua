-- 20000 tcp objects opened and closed (explicitly, by the garbage collector,
-- after a connection, and after failed operations): the process's open
-- descriptor count must come back to where it started.
local socket = require "socket"

local function fdcount()
  local n = 0
  -- /proc/self inside the popen'ed shell would be the shell: name our pid
  local f = assert(io.open("/proc/self/stat"))
  local pid = f:read("*l"):match("^(%d+)")
  f:close()
  -- count socket descriptors only: other descriptors (the pipe of this
  -- very popen, files of the host) come and go on their own
  local h = assert(io.popen("ls -l /proc/" .. pid .. "/fd", "r"))
  for line in h:lines() do
    if line:find("socket:", 1, true) then n = n + 1 end
  end
  h:close()
  return n
end

collectgarbage()
collectgarbage()
local before = fdcount()
-- the counter sees sockets at all
local probe = socket.tcp4()
if fdcount() ~= before + 1 then print("fdcount does not see sockets"); os.exit(1) end
probe:close()

-- run in a function so that no stale stack slot keeps an object alive
local function work()
for i = 1, 5000 do
  local s = assert(socket.tcp4())
  s:close()
  s:close()
end
for i = 1, 5000 do
  local s = assert(socket.tcp6())
  if i % 500 == 0 then collectgarbage() end
end
for i = 1, 5000 do
  local s = socket.tcp()
  s:bind("127.0.0.1", 0) -- creates the descriptor lazily
  if i % 2 == 0 then s:close() end
  if i % 500 == 0 then collectgarbage() end
end
collectgarbage()
collectgarbage()

local L = assert(socket.bind("127.0.0.1", 0))
local _, port = L:getsockname()
L:settimeout(1)
for i = 1, 1000 do
  local c = assert(socket.connect("127.0.0.1", port))
  local a = assert(L:accept())
  c:send("x\n")
  assert(a:receive() == "x")
  if i % 2 == 0 then c:close(); a:close() end
  if i % 100 == 0 then collectgarbage() end
end
-- failed connects and refused socket.connect calls must not leak either
local dead = socket.tcp(); dead:bind("127.0.0.1", 0); local _, dp = dead:getsockname(); dead:close()
for i = 1, 2000 do
  local s = socket.tcp()
  s:connect("127.0.0.1", dp)
  assert(socket.connect("127.0.0.1", dp) == nil)
  assert(socket.connect("127.0.0.1", dp, "127.0.0.1", "nosuchservice") == nil)
  if i % 200 == 0 then collectgarbage() end
end
-- setfd(-1) hands the descriptor over: close it ourselves through another object
for i = 1, 2000 do
  local s = socket.tcp4()
  local fd = s:getfd()
  s:setfd(-1)
  s:close()
  local t = socket.tcp()
  t:setfd(fd)
  t:close()
end
L:close()
end
work()
collectgarbage()
collectgarbage()
local after = fdcount()
if after ~= before then
  print("leak: before " .. before .. " after " .. after)
  os.exit(1)
end
print("fds", before, after)
print("ok")
