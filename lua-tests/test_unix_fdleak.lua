-- Thousands of unix stream/dgram and serial objects opened and released
-- (explicitly, by the garbage collector, after connections, after failed
-- bind/connect which close the descriptor themselves): the process's open
-- descriptor count must come back to where it started, and a descriptor
-- closed by a failure must not be closed again by close/__gc (which would
-- hit a descriptor reused by the next object).
local socket = require "socket"
local unix = require "socket.unix"
local serial = require "socket.serial"

local pid
do
  local f = assert(io.open("/proc/self/stat"))
  pid = f:read("*l"):match("^(%d+)")
  f:close()
end
local function fdcount()
  local n = 0
  -- count sockets and /dev/null only: the popen pipe comes and goes
  local h = assert(io.popen("ls -l /proc/" .. pid .. "/fd", "r"))
  for line in h:lines() do
    if line:find("socket:", 1, true) or line:find("/dev/null", 1, true) then n = n + 1 end
  end
  h:close()
  return n
end

local base = os.tmpname()
os.remove(base)
local spath, dpath = base .. ".s", base .. ".d"

collectgarbage()
collectgarbage()
local before = fdcount()
do
  local probe = unix.stream()
  local probe2 = serial("/dev/null")
  if fdcount() ~= before + 2 then print("fdcount does not see the objects"); os.exit(1) end
  probe:close()
  probe2:close()
end

local function work()
  for i = 1, 3000 do
    local s = assert(unix.stream())
    s:close()
    s:close()
    local d = assert(unix.dgram())
    if i % 3 == 0 then d:close() end
    local p = assert(serial("/dev/null"))
    if i % 2 == 0 then p:close() end
    if i % 300 == 0 then collectgarbage() end
  end
  -- failures close the descriptor; a second object reuses the number at once
  for i = 1, 2000 do
    local s = unix.stream()
    assert(not s:connect(base .. ".missing"))
    assert(s:getfd() == -1)
    local keep = unix.stream()
    local fd = keep:getfd()
    s:close() -- must not close keep's descriptor
    assert(keep:setoption("reuseaddr", true), "descriptor closed twice")
    keep:close()
    local d = unix.dgram()
    assert(not d:bind(base .. "/no/such/dir"))
    local keep2 = unix.dgram()
    d = nil
    collectgarbage() -- __gc of the failed one
    assert(keep2:setoption("reuseaddr", true), "descriptor closed twice by __gc")
    keep2:close()
  end
  local srv = assert(unix.stream())
  assert(srv:bind(spath))
  assert(srv:listen())
  srv:settimeout(1)
  for i = 1, 1000 do
    local c = assert(unix.stream())
    assert(c:connect(spath))
    local a = assert(srv:accept())
    c:send("x\n")
    assert(a:receive() == "x")
    if i % 2 == 0 then c:close(); a:close() end
    if i % 100 == 0 then collectgarbage() end
  end
  srv:close()
  local r = assert(unix.dgram())
  assert(r:bind(dpath))
  r:settimeout(1)
  for i = 1, 1000 do
    local c = assert(unix.dgram())
    assert(c:connect(dpath))
    assert(c:send("x") == 1)
    assert(r:receive() == "x")
    if i % 2 == 0 then c:close() end
    if i % 100 == 0 then collectgarbage() end
  end
  r:close()
end
work()
collectgarbage()
collectgarbage()
os.remove(spath)
os.remove(dpath)
local after = fdcount()
if after ~= before then
  print("leaked descriptors", after - before)
  os.exit(1)
end
print("ok")
