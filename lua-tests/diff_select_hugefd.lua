-- socket.select over objects whose getfd returns a descriptor that fits no
-- fd_set (found by the fuzzer, issue 10). From 2^31 on (and inf, 1e300) the
-- C core's (int) cast gives INT_MIN and FD_SET aborts the process ("bit out
-- of range 0 - FD_SETSIZE on fd_set"); ours raises "descriptor too large
-- for set size" (README, deliberate differences). Between 1024 and 2^31 the
-- C core raises that error and ours, over poll(2), waits on the descriptor
-- (an invalid one: "select failed"), the difference the README already
-- lists. Below 1024 both agree; every line is printed by both cores.
local T = require "tdiff"
local socket = require "socket.core"
local OURS = os.getenv("LUASOCKET_IMPL") == "rs"

local function fake(fd) return { getfd = function() return fd end } end
-- compared: descriptors below 64 sit inside every process's fd table
for _, fd in ipairs { 0, 1, 2, -1, -2 ^ 31, 0 / 0, -1 / 0, 50, "5", 1.5 } do
  T.show("select {" .. T.repr(fd) .. "}", function() local r, w, e = socket.select({ fake(fd) }, nil, 0); return #r, #w, e end)
  T.show("select nil,{" .. T.repr(fd) .. "}", function() local r, w, e = socket.select(nil, { fake(fd) }, 0); return #r, #w, e end)
end
-- ours only
for _, fd in ipairs { 2 ^ 31, 2 ^ 32, 2 ^ 31 + 0.5, 2 ^ 53, 1e300, 1 / 0, "2147483648", 2 ^ 63 } do
  for _, side in ipairs { "recvt", "sendt" } do
    local label = "select " .. side .. " {" .. T.repr(fd) .. "}"
    if OURS then
      local t = { fake(fd) }
      local ok, err = pcall(socket.select, side == "recvt" and t or nil, side == "sendt" and t or nil, 0)
      assert(not ok and err:find("descriptor too large for set size", 1, true), label .. ": " .. tostring(err))
    end
    print(label, "raises 'descriptor too large for set size' (the C core aborts)")
  end
end
for _, fd in ipairs { 1024, 5000, 2 ^ 31 - 1 } do
  local label = "select {" .. T.repr(fd) .. "}"
  if OURS then
    local ok, err = pcall(socket.select, { fake(fd) }, nil, 0)
    assert(not ok and err == "select failed", label .. ": " .. tostring(err))
  end
  print(label, "select failed (poll: invalid descriptor; the C core: 'descriptor too large for set size')")
end
