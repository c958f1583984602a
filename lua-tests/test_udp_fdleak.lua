-- Every descriptor a udp object owns is closed exactly once: by close, by
-- __gc, by a family change in setsockname/setpeername, and none is leaked
-- by failing calls. Counts our open sockets before and after many objects.
local socket = require "socket"
-- the popen'ed shell is a child: count our own sockets through /proc/<pid>
-- (only sockets: libc and the interpreter open and close other files)
local stat = io.open("/proc/self/stat")
local pid = stat:read("*l"):match("^(%d+)")
stat:close()
local function count()
  local p = io.popen("ls -l /proc/" .. pid .. "/fd | grep -c socket:")
  local n = tonumber(p:read("*l")); p:close(); return n
end
local function round()
  local a = socket.udp4(); a:close()
  local b = socket.udp6()                          -- collected by __gc
  local c = socket.udp(); c:setsockname("127.0.0.1", 0); c:setsockname("::1", 0) -- fails, keeps fd
  local d = socket.udp(); d:setpeername("::1", 9); d:setpeername("127.0.0.1", 9) -- family change
  local e = socket.udp(); e:sendto("x", "127.0.0.1", "9"); e:sendto("x", "::1", "9")
  local f = socket.udp4(); f:setsockname("bad..name", 0)
  local g = socket.udp(); g:receive(); g:receivefrom(); g:setpeername("*")
  c:close(); d:close()
end
-- one warm-up round: libc keeps resolver resources open after first use
round()
collectgarbage(); collectgarbage()
local before = count()
for i = 1, 200 do round() end
collectgarbage(); collectgarbage()
local after = count()
if after ~= before then print("leak: " .. before .. " -> " .. after); os.exit(1) end
print("ok")
