-- newtry / protect against the reference, including non-exception errors,
-- nested protect and yielding through protect.
local T = require "tdiff"
local socket = require "socket"
local core = require "socket.core"

local try = core.newtry()
T.show("try(true,nil,3)", try, true, nil, 3)
T.show("try(1)", try, 1)
T.show("try(0,'x')", try, 0, "x")
local ok, e = pcall(try, nil, "msg", "extra")
print("try(nil,'msg') raises table", ok, type(e), e[1], #e, getmetatable(e))
ok, e = pcall(try, false)
print("try(false) raises empty", ok, type(e), e[1], getmetatable(e))
ok, e = pcall(try)
print("try() raises", ok, type(e), e[1])
ok, e = pcall(try, nil, 42)
print("try(nil,42)", ok, T.repr(e[1]))

-- finalizers
local calls = 0
local try2 = core.newtry(function(...) calls = calls + 1; print("finalizer args", select("#", ...)) end)
print("finalized", pcall(try2, nil, "boom"), calls)
T.show("try2(ok)", try2, "ok", 2)
print("calls still", calls)
local tryn = core.newtry(5)
print("finalizer number", pcall(tryn, nil, "x"))
local tryf = core.newtry(false)
print("finalizer false", pcall(tryf, nil, "x"))
local tryerr = core.newtry(function() error("in finalizer") end)
print("finalizer error", pcall(tryerr, nil, "x"))
local tryerr2 = core.newtry(function() error({ "tbl" }) end)
ok, e = pcall(tryerr2, nil, "x")
print("finalizer error table", ok, type(e), e[1])
print("newtry(nil) ok", pcall(core.newtry, nil))

-- protect
local f = core.protect(function(a, b) return a, b, nil, "d" end)
T.show("protect passthrough", f, 1, "two")
T.show("protect no args", core.protect(function(...) return select("#", ...) end))
T.show("protect try error", core.protect(function() try(nil, "failed") end))
T.show("protect try nil msg", core.protect(function() try(nil) end))
T.show("protect try number msg", core.protect(function() try(nil, 7) end))
T.show("protect string error", core.protect(function() error("plain") end))
T.show("protect string error level0", core.protect(function() error("plain", 0) end))
T.show("protect table error", core.protect(function() error({ 1, 2 }) end))
ok, e = pcall(core.protect(function() error({ "x" }) end))
print("protect table identity", ok, type(e), e[1])
T.show("protect nil error", core.protect(function() error(nil) end))
T.show("protect number", core.protect(5))
T.show("protect nil", core.protect(nil))
T.show("protect()", core.protect)
T.show("protect runtime error", core.protect(function() local x = nil; return x.y end))
-- a table with a look-alike metatable is not an exception
T.show("protect fake exception", core.protect(function() error(setmetatable({ "fake" }, { __metatable = false })) end))
-- socket.try from socket.lua
T.show("socket.try inside protect", socket.protect(function() socket.try(nil, "st") end))
T.show("socket.try ok", socket.protect(function() return socket.try(1, 2, 3) end))

-- nested protect
local inner = core.protect(function() try(nil, "inner") end)
T.show("nested inner result", core.protect(function() local a, b = inner(); return "outer saw", a, b end))
T.show("nested rethrow", core.protect(function()
  local g = core.protect(function() error("deep", 0) end)
  g()
end))
T.show("nested try in outer", core.protect(function()
  core.protect(function() return 1 end)()
  try(nil, "outer")
end))

-- yield through protect: works on 5.2+, errors on 5.1/LuaJIT
local co = coroutine.create(core.protect(function(a)
  local b = coroutine.yield(a + 1)
  local c = coroutine.yield(b * 2)
  try(c ~= "fail" or nil, "failed after resume")
  return "done", c
end))
T.vals("resume1", coroutine.resume(co, 1))
T.vals("resume2", coroutine.resume(co, 5))
T.vals("resume3", coroutine.resume(co, "x"))
T.vals("status", coroutine.status(co))
local co2 = coroutine.create(core.protect(function()
  coroutine.yield(1)
  try(nil, "after yield")
end))
T.vals("co2 resume1", coroutine.resume(co2))
T.vals("co2 resume2", coroutine.resume(co2))
local co3 = coroutine.create(core.protect(function()
  coroutine.yield(1)
  error("plain after yield", 0)
end))
T.vals("co3 resume1", coroutine.resume(co3))
T.vals("co3 resume2", coroutine.resume(co3))
-- many values through protect
local many = {}
for i = 1, 300 do many[i] = i end
local unpack = table.unpack or unpack
print("many values", select("#", core.protect(function() return unpack(many) end)()))
print("try many", select("#", try(unpack(many))))
