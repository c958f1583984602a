-- socket.select over tables of many elements (found by the fuzzer, issue 10;
-- fixed on main in af3abbc): from about 8000 elements ours kept each one on
-- the C stack, which 5.1 and LuaJIT cap, and raised "stack overflow (too
-- many results)" where the C core answers. Same objects repeated, plain
-- tables with a getfd, an element that raises in the middle, both lists.
local T = require "tdiff"
local socket = require "socket.core"

local u = socket.udp(); assert(u:setsockname("127.0.0.1", 0))
local c = socket.udp(); assert(c:setsockname("127.0.0.1", 0))
local function shape(ok, r, w, e)
  if not ok then return false, r end
  return ok, #r, #w, e, r[u] or false, w[u] or false, w[c] or false
end
for _, n in ipairs { 100, 7999, 8001, 9000, 20000, 70000 } do
  local same, mixed, fakes = {}, {}, {}
  for i = 1, n do
    same[i] = u
    mixed[i] = (i % 2 == 0) and u or c
    fakes[i] = { getfd = function() return u:getfd() end }
  end
  T.vals(n .. " same, recvt", shape(pcall(socket.select, same, nil, 0)))
  T.vals(n .. " same, both", shape(pcall(socket.select, same, same, 0)))
  T.vals(n .. " mixed, sendt", shape(pcall(socket.select, nil, mixed, 0)))
  T.vals(n .. " getfd tables", shape(pcall(socket.select, fakes, fakes, 0)))
  mixed[math.floor(n / 2)] = 5
  T.vals(n .. " a number inside", shape(pcall(socket.select, mixed, nil, 0)))
end
u:close(); c:close()
