-- What socket.core does without a network: time, sleep, and LuaSocket's
-- exception helpers (newtry/protect), loaded through upstream's socket.lua.
local socket = require "socket"

print(("loaded %s (core from %s)"):format(socket._VERSION,
  package.searchpath and package.searchpath("socket.core", package.cpath) or "package.cpath"))

local t0 = socket.gettime()
socket.sleep(0.1)
print(("slept %.3f s"):format(socket.gettime() - t0))

-- try/protect: turn errors into nil, message returns
local finalized = false
local try = socket.newtry(function() finalized = true end)
local safe_div = socket.protect(function(a, b)
  try(b ~= 0, "division by zero")
  return a / b
end)
print("6 / 3 =", safe_div(6, 3))
local r, err = safe_div(1, 0)
print("1 / 0 ->", r, err, "(finalizer ran: " .. tostring(finalized) .. ")")

-- skip: drop leading return values
print("skip(1, 'a', 'b', 'c') ->", socket.skip(1, "a", "b", "c"))

-- protect lets a coroutine yield through it on Lua 5.2+
if _VERSION ~= "Lua 5.1" then
  local co = coroutine.wrap(socket.protect(function()
    local x = coroutine.yield("yielded from inside protect")
    try(x, "no value after resume")
  end))
  print(co())
  print("resumed with nil ->", co(nil))
end
