-- The socket.core namespace against the reference: keys, types, constants,
-- and the functions that need no socket (skip, sleep, gettime, __unload).
local T = require "tdiff"
local core = require "socket.core"

-- Namespace entries whose implementation is a later, still open issue. They
-- are named here (identically for both cores) instead of silently differing;
-- each issue that lands removes its names from this list.
local PENDING = {}
local DNS_PENDING = {}
local pend = {}
for k, v in pairs(PENDING) do pend[#pend + 1] = k .. "#" .. v end
table.sort(pend)
print("pending (later issues):", table.concat(pend, " "))

print("core keys:", T.keys(core, PENDING))
print("dns keys:", T.keys(core.dns, DNS_PENDING))
print("no metatable:", getmetatable(core) == nil, getmetatable(core.dns) == nil)
print("no global:", rawget(_G, "socket") == nil)
T.vals("_VERSION", core._VERSION)
T.vals("_DEBUG", core._DEBUG)
-- ours is larger (a deliberate difference, see test_select_highfd.lua)
T.vals("_SETSIZE", math.type and math.type(core._SETSIZE), core._SETSIZE >= 1024)
T.vals("_SOCKETINVALID", core._SOCKETINVALID)
T.vals("_DATAGRAMSIZE", core._DATAGRAMSIZE)
core.extra = 1 -- must be an ordinary mutable table
T.vals("mutable", core.extra)
core.extra = nil

-- socket.lua on top of our core returns the same table
local socket = require "socket"
print("socket == core", socket == core)
print("socket keys:", T.keys(socket, PENDING))

-- __unload
T.show("__unload()", core.__unload)
T.show("__unload(1,2)", core.__unload, 1, 2)

-- gettime: a float of epoch seconds
local t = core.gettime()
print("gettime type", math.type and math.type(t) or type(t), t > 1.6e9, t < 1e10)
local t2 = core.gettime()
print("gettime monotone enough", t2 >= t - 1)

-- sleep: arguments and return values
T.show("sleep(0)", core.sleep, 0)
T.show("sleep(-1)", core.sleep, -1)
T.show("sleep(-math.huge)", core.sleep, -math.huge)
T.show("sleep('0.01')", core.sleep, "0.01")
T.show("sleep(0.001)", core.sleep, 0.001)
T.show("sleep('x')", core.sleep, "x")
T.show("sleep()", core.sleep)
T.show("sleep(nil)", core.sleep, nil)
T.show("sleep({})", core.sleep, {})
T.show("sleep(true)", core.sleep, true)
print("sleep('x') method-ish", pcall(function() return core.sleep("x") end))
print("sleep via socket", pcall(function() socket.sleep("x") end))
print("sleep local", pcall(function() local s = core.sleep; s() end))
local before = core.gettime()
core.sleep(0.05)
print("slept at least 0.04", core.gettime() - before >= 0.04)

-- skip
T.show("skip(1,'a','b','c')", core.skip, 1, "a", "b", "c")
T.show("skip(0,'a','b')", core.skip, 0, "a", "b")
T.show("skip(2,'a')", core.skip, 2, "a")
T.show("skip(5,'a')", core.skip, 5, "a")
T.show("skip(-1,'a','b')", core.skip, -1, "a", "b")
T.show("skip(-3,'a')", core.skip, -3, "a")
T.show("skip(1,nil,nil,3)", core.skip, 1, nil, nil, 3)
T.show("skip('1','a','b')", core.skip, "1", "a", "b")
T.show("skip(1.0,'a','b')", core.skip, 1.0, "a", "b")
T.show("skip(1.5,'a','b')", core.skip, 1.5, "a", "b")
T.show("skip('x')", core.skip, "x")
T.show("skip()", core.skip)
T.show("skip(nil,1)", core.skip, nil, 1)
T.show("skip({},1)", core.skip, {}, 1)
T.show("skip(2^31,1)", core.skip, 2^31, 1)
T.show("skip(2^32+1,'a','b')", core.skip, 2^32 + 1, "a", "b")
T.show("skip(-2^31,'a')", core.skip, -2^31, "a")
T.show("skip(0)", core.skip, 0)
print("skip in expression", pcall(function() return core.skip("y") end))
print("skip in expression 2", (function(...) return select("#", core.skip(1, ...)) end)(1, 2, 3, 4))
