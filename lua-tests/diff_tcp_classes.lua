-- tcp classes: constructors, metatables, __tostring, every method called on
-- every kind of object (right and wrong class, method and function syntax),
-- missing and wrongly typed arguments. Values that vary between runs (fds,
-- ports, ages) are printed as their types only.
local T = require "tdiff"
local socket = require "socket"
local V = os.getenv("LUA_TESTS_VERSION")

local mtype = math.type or function() return "number" end
local function shape(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    local v = select(i, ...)
    if type(v) == "number" then out[i] = "num:" .. mtype(v)
    elseif type(v) == "string" and v:match("^%d+$") then out[i] = "digits"
    else out[i] = T.repr(v) end
  end
  return n .. "[" .. table.concat(out, ", ") .. "]"
end

-- constructors
for _, name in ipairs { "tcp", "tcp4", "tcp6" } do
  local s = socket[name]()
  print(name, tostring(s):gsub("0x%x+", "ADDR"), s.class, getmetatable(s) == debug.getregistry()[s.class])
  T.vals(name .. " getfd<0", s:getfd() < 0, mtype(s:getfd()))
  T.vals(name .. " family", s:getfamily())
  T.vals(name .. " timeout", s:gettimeout())
  T.vals(name .. " dirty", s:dirty())
  T.vals(name .. " close", s:close())
  T.vals(name .. " close again", s:close())
  T.vals(name .. " getfd after close", s:getfd())
  print(name .. " class after close", s.class)
end
T.show("tcp(1,2,3) extra args", function() return socket.tcp(1, 2, 3).class end)

-- metatables
local m = socket.tcp()
local mt = getmetatable(m)
local names = {}
for k, v in pairs(mt) do
  if k ~= "__close" and k ~= "__name" then names[#names + 1] = k .. ":" .. type(v) end
end
table.sort(names)
print("metatable", table.concat(names, " "))
print("__name", V == "5.3" or V == "5.4" and mt.__name == "tcp{master}" or mt.__name == nil)
print("__index keys", T.keys(mt.__index))
print("__metatable", rawget(mt, "__metatable"))
for _, c in ipairs { "tcp{master}", "tcp{client}", "tcp{server}" } do
  local t = debug.getregistry()[c]
  print(c, type(t), t["tcp{any}"], t.__index.class, T.keys(t.__index) == T.keys(mt.__index))
end
print("index assignment", pcall(function() m.x = 1 end))
print("tostring bad", pcall(mt.__tostring, {}))
print("tostring bad2", pcall(mt.__tostring, 1))
print("tostring nometa", pcall(mt.__tostring, io.stdout))
local fake = setmetatable({}, mt)
print("tostring of table with tcp mt", (tostring(fake):gsub("0x%x+", "ADDR")))
print("method on table with tcp mt", pcall(fake.getfd, fake))
print("gc on table with tcp mt", pcall(mt.__gc, fake))
m:close()

-- objects of every kind, with zero timeouts so nothing blocks
local L = assert(socket.bind("127.0.0.1", 0))
local _, lport = L:getsockname()
L:settimeout(1)
local function pair()
  local c = assert(socket.connect("127.0.0.1", lport))
  local a = assert(L:accept())
  return c, a
end
local kinds = {
  { "master", function() return socket.tcp() end },
  { "master4", function() return socket.tcp4() end },
  { "master6", function() return socket.tcp6() end },
  { "bound", function() local s = socket.tcp(); assert(s:bind("127.0.0.1", 0)); return s end },
  { "server", function() local s = socket.tcp4(); assert(s:bind("127.0.0.1", 0)); assert(s:listen()); return s end },
  { "client", function() local c, a = pair(); a:send("line\n"); a:close(); return c end },
  { "accepted", function() local c, a = pair(); c:close(); return a end },
  { "closedclient", function() local c, a = pair(); a:close(); c:close(); return c end },
}
local methods = {}
for k in pairs(mt.__index) do if k ~= "class" then methods[#methods + 1] = k end end
table.sort(methods)

local varying = { getfd = true, getstats = true, getsockname = true, getpeername = true }
for _, meth in ipairs(methods) do
  for _, kind in ipairs(kinds) do
    local s = kind[2]()
    s:settimeout(0)
    local line
    if varying[meth] then line = shape(pcall(s[meth], s)) else line = T.pack(pcall(s[meth], s)) end
    print(meth, kind[1], line, s.class)
    s:close()
  end
  -- wrong values in function and method syntax
  for _, bad in ipairs { "nil", "str", "tbl", "num", "udata" } do
    local v = ({ ["nil"] = nil, str = "x", tbl = {}, num = 1, udata = io.stdout })[bad]
    print(meth, "bad self " .. bad, pcall(mt.__index[meth], v))
  end
  local s = socket.tcp()
  print(meth, "method syntax on table", pcall(function() local t = {}; t.f = mt.__index[meth]; return t:f() end))
  s:close()
end

-- the class restriction with method syntax (position and 'bad self' wording)
local master = socket.tcp()
print(pcall(function() return master:receive() end))
print(pcall(function() return master:send("x") end))
print(pcall(function() return master:accept() end))
print(pcall(function() return master:shutdown() end))
print(pcall(function() return master:getstats() end))
print(pcall(function() return master.receive(master) end))
print(pcall(function() return master.close({}) end))
print(pcall(function() return master:close(nil, 1) end))
master:close()

-- settimeout / gettimeout argument rules
local s = socket.tcp()
T.show("settimeout()", s.settimeout, s)
T.vals("gettimeout", s:gettimeout())
T.show("settimeout(1.5)", s.settimeout, s, 1.5)
T.show("settimeout('2','t')", s.settimeout, s, "2", "t")
T.vals("gettimeout", s:gettimeout())
T.show("settimeout(3,'banana')", s.settimeout, s, 3, "banana")
T.show("settimeout(4,'return')", s.settimeout, s, 4, "return")
T.show("settimeout(-5,'total')", s.settimeout, s, -5, "total")
T.vals("gettimeout", s:gettimeout())
T.show("settimeout(1,'')", s.settimeout, s, 1, "")
T.show("settimeout(1,'x')", s.settimeout, s, 1, "x")
T.show("settimeout(1,'B')", s.settimeout, s, 1, "B")
T.show("settimeout(1,{})", s.settimeout, s, 1, {})
T.show("settimeout(1,5)", s.settimeout, s, 1, 5)
T.show("settimeout('x')", s.settimeout, s, "x")
T.show("settimeout({})", s.settimeout, s, {})
T.show("settimeout(nil,'t')", s.settimeout, s, nil, "t")
T.vals("gettimeout", s:gettimeout())
print(pcall(function() return s:settimeout(1, "q") end))
print(pcall(function() return s:settimeout(true) end))

-- getfd / setfd
T.show("setfd()", s.setfd, s)
T.show("setfd('x')", s.setfd, s, "x")
T.show("setfd(-1)", s.setfd, s, -1)
T.show("setfd(-7.9)", s.setfd, s, -7.9)
T.vals("getfd", s:getfd())
T.show("setfd('12')", s.setfd, s, "12")
T.vals("getfd", s:getfd())
s:setfd(-1)
T.show("setfd(2^40)", s.setfd, s, 2^40)
T.vals("getfd", s:getfd())
s:setfd(-1)

-- shutdown options
local c, a = pair()
for _, how in ipairs { "send", "receive", "both" } do T.show("shutdown " .. how, c.shutdown, c, how) end
T.show("shutdown()", c.shutdown, c)
T.show("shutdown('x')", c.shutdown, c, "x")
T.show("shutdown(1)", c.shutdown, c, 1)
T.show("shutdown({})", c.shutdown, c, {})
print(pcall(function() return c:shutdown("sideways") end))
c:close()
T.show("shutdown closed", c.shutdown, c)
a:close()

-- setstats / getstats
local c2, a2 = pair()
T.show("setstats()", c2.setstats, c2)
T.show("setstats(10,20,30)", c2.setstats, c2, 10, 20, 30)
local r, snt, age = c2:getstats()
T.vals("stats", r, snt, age >= 30 and age < 40)
T.show("setstats('5','6','7')", c2.setstats, c2, "5", "6", "7")
r, snt, age = c2:getstats()
T.vals("stats", r, snt, age >= 7 and age < 17)
T.show("setstats(nil,nil,'x')", c2.setstats, c2, nil, nil, "x")
T.show("setstats('x')", c2.setstats, c2, "x")
T.show("setstats(1,{})", c2.setstats, c2, 1, {})
T.show("setstats(-1,2.9)", c2.setstats, c2, -1, 2.9)
r, snt = c2:getstats()
T.vals("stats", r, snt)
T.show("setstats(1e300,0)", c2.setstats, c2, 1e300, 0)
r, snt = c2:getstats()
T.vals("stats", r, snt)
c2:close(); a2:close()
L:close()
