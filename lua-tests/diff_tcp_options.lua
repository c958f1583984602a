-- tcp getoption/setoption: every name, value shapes (float vs int), the
-- argument rules of each kind, unsupported names, fd-less and closed objects.
local T = require "tdiff"
local socket = require "socket"

local L = assert(socket.bind("127.0.0.1", 0))
local _, lp = L:getsockname()
L:settimeout(1)
local c = assert(socket.connect("127.0.0.1", lp))
local a = assert(L:accept())

local gets = { "keepalive", "reuseaddr", "reuseport", "tcp-nodelay", "tcp-keepidle", "tcp-keepcnt",
  "tcp-keepintvl", "linger", "error", "recv-buffer-size", "send-buffer-size", "ipv6-v6only",
  "tcp-defer-accept", "tcp-fastopen", "tcp-fastopen-connect", "bindtodevice", "dontroute",
  "broadcast", "ip-multicast-ttl", "ipv6-unicast-hops", "", "KEEPALIVE",
  "an-option-name-that-is-longer-than-thirty-five-characters", "nul\0byte", "linger\0x" }

local function show_val(label, ...)
  local v = ...
  if type(v) == "table" then
    print(label, select("#", ...), "table", T.repr(v.on), T.repr(v.timeout), T.keys(v))
  else
    T.vals(label, ...)
  end
end

for _, o in ipairs(gets) do
  local ok, e = pcall(c.getoption, c, o)
  if ok then show_val("get " .. o, c:getoption(o)) else print("get " .. o, e) end
end
for _, o in ipairs(gets) do
  print("set? " .. o, pcall(c.setoption, c, o, true))
end

-- booleans
for _, o in ipairs { "keepalive", "reuseaddr", "reuseport", "tcp-nodelay" } do
  T.vals("set " .. o .. " true", c:setoption(o, true))
  T.vals("get " .. o, c:getoption(o))
  T.vals("set " .. o .. " false", c:setoption(o, false))
  T.vals("get " .. o, c:getoption(o))
  T.show("set " .. o .. " 1", c.setoption, c, o, 1)
  T.show("set " .. o .. " nil", c.setoption, c, o, nil)
  T.show("set " .. o .. " none", c.setoption, c, o)
  T.show("set " .. o .. " 'true'", c.setoption, c, o, "true")
end
print(pcall(function() return c:setoption("keepalive", 1) end))

-- integers: lua_tonumber with no type check
for _, o in ipairs { "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl" } do
  T.vals("set " .. o .. " 7", c:setoption(o, 7))
  T.vals("get " .. o, c:getoption(o))
  T.vals("set " .. o .. " '9'", c:setoption(o, "9"))
  T.vals("get " .. o, c:getoption(o))
  T.vals("set " .. o .. " 3.9", c:setoption(o, 3.9))
  T.vals("get " .. o, c:getoption(o))
  T.vals("set " .. o .. " nil (0)", c:setoption(o, nil))
  T.vals("set " .. o .. " 'x' (0)", c:setoption(o, "x"))
  T.vals("set " .. o .. " {} (0)", c:setoption(o, {}))
  T.vals("get " .. o, c:getoption(o))
end
T.vals("set recv-buffer-size 65536", c:setoption("recv-buffer-size", 65536))
T.vals("get recv-buffer-size", c:getoption("recv-buffer-size"))
T.vals("set send-buffer-size 4096", c:setoption("send-buffer-size", 4096))
T.vals("get send-buffer-size", c:getoption("send-buffer-size"))
T.vals("set send-buffer-size -1", c:setoption("send-buffer-size", -1))
T.vals("get send-buffer-size", c:getoption("send-buffer-size"))
T.vals("set tcp-defer-accept", c:setoption("tcp-defer-accept", 5))
T.vals("set tcp-fastopen on client", c:setoption("tcp-fastopen", 5))
T.vals("set tcp-fastopen-connect", c:setoption("tcp-fastopen-connect", 1))
T.vals("set ipv6-v6only on inet", c:setoption("ipv6-v6only", true))
T.show("set ipv6-v6only 1", c.setoption, c, "ipv6-v6only", 1)

-- linger
show_val("get linger", c:getoption("linger"))
T.vals("set linger", c:setoption("linger", { on = true, timeout = 5 }))
show_val("get linger", c:getoption("linger"))
T.vals("set linger 70000", c:setoption("linger", { on = true, timeout = 70000 }))
show_val("get linger", c:getoption("linger"))
T.vals("set linger -1", c:setoption("linger", { on = true, timeout = -1 }))
show_val("get linger", c:getoption("linger"))
T.vals("set linger '7.9'", c:setoption("linger", { on = false, timeout = "7.9" }))
show_val("get linger", c:getoption("linger"))
T.show("set linger nil", c.setoption, c, "linger")
T.show("set linger 5", c.setoption, c, "linger", 5)
T.show("set linger {}", c.setoption, c, "linger", {})
T.show("set linger on=1", c.setoption, c, "linger", { on = 1, timeout = 1 })
T.show("set linger no timeout", c.setoption, c, "linger", { on = true })
T.show("set linger timeout='x'", c.setoption, c, "linger", { on = true, timeout = "x" })
T.show("set linger via __index", c.setoption, c, "linger",
  setmetatable({}, { __index = function(_, k) return k == "on" and true or 3 end }))
show_val("get linger", c:getoption("linger"))
print(pcall(function() return c:setoption("linger", 5) end))
print(pcall(function() return c:setoption("linger", { on = "yes" }) end))

-- argument rules of the name
T.show("getoption()", c.getoption, c)
T.show("getoption(5)", c.getoption, c, 5)
T.show("getoption({})", c.getoption, c, {})
T.show("setoption()", c.setoption, c)
T.show("setoption(nil, true)", c.setoption, c, nil, true)
print(pcall(function() return c:getoption("nope") end))
print(pcall(function() return c:setoption("nope", 1) end))

-- error option: nil when none pending; after a refused non-blocking connect
T.vals("error none", c:getoption("error"))
local s = socket.tcp()
assert(s:bind("127.0.0.1", 0))
local _, dp = s:getsockname()
s:close()
local nb = socket.tcp4()
nb:settimeout(0)
nb:connect("127.0.0.1", dp)
socket.sleep(0.05)
T.vals("error pending", nb:getoption("error"))
T.vals("error cleared", nb:getoption("error"))
nb:close()

-- server and master objects, fd-less and closed objects
T.vals("server reuseaddr", L:getoption("reuseaddr"))
T.vals("server set", L:setoption("tcp-defer-accept", 1))
local m6 = socket.tcp6()
T.vals("tcp6 set v6only false", m6:setoption("ipv6-v6only", false))
T.vals("tcp6 set v6only true", m6:setoption("ipv6-v6only", true))
T.show("tcp6 get v6only", m6.getoption, m6, "ipv6-v6only")
m6:close()
local f = socket.tcp()
for _, o in ipairs { "keepalive", "linger", "error", "recv-buffer-size" } do
  T.vals("fd-less get " .. o, f:getoption(o))
end
T.vals("fd-less set", f:setoption("keepalive", true))
T.vals("fd-less set linger", f:setoption("linger", { on = true, timeout = 1 }))
c:close()
T.vals("closed get", c:getoption("keepalive"))
T.vals("closed set", c:setoption("tcp-nodelay", true))
T.show("closed set bad bool", c.setoption, c, "tcp-nodelay", 1)
a:close()
L:close()
