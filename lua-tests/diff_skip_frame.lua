-- socket.skip(d, ...) against the reference for every d the C core survives,
-- and ours alone for the ones it does not (found by the fuzzer, issue 10).
--
-- The C core returns lua_gettop - (int) d - 1 values, computed in int, so
-- (int) d < -1 makes it return values from below its own frame: the
-- function itself, the caller's slots, garbage, heap corruption, and for
-- skip(-1e8) a segfault. Ours clamps the count to the frame: such a d
-- returns every argument (README, deliberate differences). Each line below
-- is printed identically by both cores; the calls marked "ours only" are
-- made only when LUASOCKET_IMPL is rs, and a wrong result changes the line.
local T = require "tdiff"
local core = require "socket.core"
local OURS = os.getenv("LUASOCKET_IMPL") == "rs"
local unpack = table.unpack or unpack

-- the count the C core computes: top - (int) d - 1, in int arithmetic
local function wrap32(i)
  i = i % 4294967296
  if i >= 2147483648 then i = i - 4294967296 end
  return i
end
local function c_count(d, top) return wrap32(top - wrap32(tonumber(d)) - 1) end

-- ours alone, where the C core would read outside its frame
local function clamped(label, d, ...)
  local n = select("#", ...) + 1
  local args = { d, ... }
  if OURS then
    local r = { pcall(core.skip, d, ...) }
    assert(r[1] == true, label .. ": " .. tostring(r[2]))
    for i = 1, n do assert(rawequal(r[i + 1], args[i]), label .. " value " .. i) end
    local cnt = select("#", core.skip(d, ...))
    assert(cnt == n, label .. ": " .. cnt .. " values, not " .. n)
  end
  print(label, "returns its " .. n .. " arguments (the C core: values from outside its frame, or a crash)")
end

local D = { 0, 1, 2, 3, 4, 10, -1, 1.0, -1.0, "1", "-1", "0x2", 2 ^ 31, -2 ^ 31, 2 ^ 32, 2 ^ 32 + 1, 2 ^ 32 - 1,
  2 ^ 31 + 1, 2 ^ 31 + 2, 2 ^ 32 + 3, -2 ^ 32 + 1, -2, -3, -4, -10, -100, -1000, -1e8, -2 ^ 31 + 2, "-5",
  2 ^ 32 - 2, 2 ^ 33 - 7 }
local ARGS = { { n = 0 }, { n = 1, "a" }, { n = 3, "a", "b", "c" }, { n = 2, nil, nil } }
for _, d in ipairs(D) do
  for _, a in ipairs(ARGS) do
    local top = a.n + 1
    local shown = {}
    for i = 1, a.n do shown[i] = tostring(a[i]) end
    local label = "skip(" .. T.repr(d) .. (a.n > 0 and "," or "") .. table.concat(shown, ",") .. ")"
    if c_count(d, top) <= top then
      T.show(label, core.skip, d, unpack(a, 1, a.n))
    else
      clamped(label, d, unpack(a, 1, a.n))
    end
  end
end

-- inside an expression and a deep call, the clamp keeps the caller's stack
if OURS then
  local function f(...) return select("#", core.skip(-1e8, ...)) end
  assert(f(1, 2, 3) == 4)
  local x, y, z = "x", "y", "z"
  local a, b = core.skip(-50, "k")
  assert(a == -50 and b == "k" and x == "x" and y == "y" and z == "z")
end
print("caller's locals intact after skip(-1e8): checked on ours")
