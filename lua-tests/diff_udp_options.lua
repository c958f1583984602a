-- udp getoption/setoption: every option of the reference on inet, inet6,
-- fd-less and closed objects, good and bad values, table shapes and their
-- argument errors (incl. the argerror(-1) of ipv6 memberships), the
-- ipv6-multicast-hops bug (it is IPV6_UNICAST_HOPS).
local T = require "tdiff"
local socket = require "socket"

local GET = { "dontroute", "broadcast", "reuseaddr", "reuseport", "ip-multicast-if",
  "ip-multicast-loop", "error", "ipv6-unicast-hops", "ipv6-multicast-hops",
  "ipv6-multicast-loop", "ipv6-v6only", "recv-buffer-size", "send-buffer-size",
  -- not gettable / not udp options
  "ip-multicast-ttl", "ip-add-membership", "ip-drop-membership", "ipv6-add-membership",
  "ipv6-drop-membership", "linger", "keepalive", "tcp-nodelay", "bindtodevice", "",
  "reuseaddr\0junk", string.rep("x", 50) }
local BOOLS = { "dontroute", "broadcast", "reuseaddr", "reuseport", "ip-multicast-loop",
  "ipv6-multicast-loop", "ipv6-v6only" }
local INTS = { "ip-multicast-ttl", "ipv6-unicast-hops", "ipv6-multicast-hops",
  "recv-buffer-size", "send-buffer-size" }

local function getall(label, o)
  for _, n in ipairs(GET) do T.show(label .. " get " .. string.format("%q", n), o.getoption, o, n) end
end

local objs = {
  { "udp4", socket.udp4 }, { "udp6", socket.udp6 }, { "udp", socket.udp },
  { "closed", function() local o = socket.udp4(); o:close(); return o end },
  { "connected", function() local o = socket.udp4(); o:setpeername("127.0.0.1", 9); return o end },
}
for _, p in ipairs(objs) do
  local label, mk = p[1], p[2]
  local o = mk()
  getall(label, o)
  for _, n in ipairs(BOOLS) do
    for _, v in ipairs { true, false } do
      T.show(label .. " set " .. n .. " " .. tostring(v), o.setoption, o, n, v)
      T.show(label .. "   get", o.getoption, o, n)
    end
    T.show(label .. " set " .. n .. " 1", o.setoption, o, n, 1)
    T.show(label .. " set " .. n .. " nil", o.setoption, o, n, nil)
    T.show(label .. " set " .. n .. " none", o.setoption, o, n)
    T.show(label .. " set " .. n .. " 'true'", o.setoption, o, n, "true")
  end
  for _, n in ipairs(INTS) do
    for _, v in ipairs { 5, 7.9, "9", "x", -1, 300, 2^31 } do
      T.show(label .. " set " .. n .. " " .. tostring(v), o.setoption, o, n, v)
    end
    T.show(label .. " set " .. n .. " nil", o.setoption, o, n, nil)
    T.show(label .. " set " .. n .. " none", o.setoption, o, n)
    T.show(label .. " set " .. n .. " {}", o.setoption, o, n, {})
    T.show(label .. " set " .. n .. " 64", o.setoption, o, n, 64)
    if n ~= "ip-multicast-ttl" then T.show(label .. "   get", o.getoption, o, n) end
  end
  -- the multicast-hops bug: it reads what unicast-hops set
  T.show(label .. " unicast 33", o.setoption, o, "ipv6-unicast-hops", 33)
  T.show(label .. "   multicast-hops", o.getoption, o, "ipv6-multicast-hops")
  T.show(label .. " multicast 44", o.setoption, o, "ipv6-multicast-hops", 44)
  T.show(label .. "   unicast-hops", o.getoption, o, "ipv6-unicast-hops")
  -- ip-multicast-if
  for _, v in ipairs { "127.0.0.1", "*", "0.0.0.0", "127.1", "2130706433", "1.2.3.4 junk",
    "x", "", "::1", "256.1.1.1" } do
    T.show(label .. " set ip-multicast-if " .. string.format("%q", v), o.setoption, o, "ip-multicast-if", v)
    T.show(label .. "   get", o.getoption, o, "ip-multicast-if")
  end
  for _, v in ipairs { 2130706433, {}, true } do
    T.show(label .. " set ip-multicast-if " .. tostring(type(v)), o.setoption, o, "ip-multicast-if", v)
  end
  T.show(label .. " set ip-multicast-if none", o.setoption, o, "ip-multicast-if")
  o:close()
end

-- memberships (IPv4): shapes and errors
local u = socket.udp4()
assert(u:setsockname("0.0.0.0", 0))
local function mem(label, v, ...)
  T.show(label, u.setoption, u, "ip-add-membership", v, ...)
end
mem("add none")
mem("add nil", nil)
mem("add string", "239.1.2.3")
mem("add {}", {})
mem("add no interface", { multiaddr = "239.255.0.7" })
mem("add bad multiaddr", { multiaddr = "foo", interface = "*" })
mem("add multiaddr table", { multiaddr = {}, interface = "*" })
mem("add multiaddr bool", { multiaddr = true, interface = "*" })
mem("add bad interface", { multiaddr = "239.255.0.7", interface = "foo" })
mem("add interface bool", { multiaddr = "239.255.0.7", interface = false })
mem("add both bad", { multiaddr = "foo", interface = "bar" })
mem("add non-multicast", { multiaddr = "10.1.2.3", interface = "*" })
mem("add ok *", { multiaddr = "239.255.0.7", interface = "*" })
mem("add twice", { multiaddr = "239.255.0.7", interface = "*" })
mem("add on lo", { multiaddr = "239.255.0.8", interface = "127.0.0.1" })
mem("add numeric multiaddr", { multiaddr = 4026466057, interface = "*" })
mem("add interface not local", { multiaddr = "239.255.0.9", interface = "10.9.9.9" })
mem("add __index", setmetatable({}, { __index = function(_, k)
  return k == "multiaddr" and "239.255.0.10" or "127.0.0.1" end }))
mem("add __index error", setmetatable({}, { __index = function() error("idx boom", 0) end }))
local function drop(label, v)
  T.show(label, u.setoption, u, "ip-drop-membership", v)
end
drop("drop ok", { multiaddr = "239.255.0.7", interface = "*" })
drop("drop again", { multiaddr = "239.255.0.7", interface = "*" })
drop("drop lo", { multiaddr = "239.255.0.8", interface = "127.0.0.1" })
drop("drop never", { multiaddr = "239.255.0.99", interface = "*" })
drop("drop bad", { multiaddr = "x", interface = "*" })
drop("drop number", 5)
print("method syntax", pcall(function() return u:setoption("ip-add-membership", {}) end))
print("method syntax", pcall(function() return u:setoption("ip-add-membership", 1) end))
u:close()

-- memberships (IPv6): optional numeric interface, argerror(-1)
local v6 = socket.udp6()
assert(v6:setsockname("::", 0))
local function mem6(label, name, v)
  T.show(label, v6.setoption, v6, name, v)
end
mem6("add6 none", "ipv6-add-membership")
mem6("add6 {}", "ipv6-add-membership", {})
mem6("add6 bad", "ipv6-add-membership", { multiaddr = "239.1.1.1" })
mem6("add6 table multiaddr", "ipv6-add-membership", { multiaddr = {} })
mem6("add6 ok", "ipv6-add-membership", { multiaddr = "ff02::1:3" })
mem6("add6 twice", "ipv6-add-membership", { multiaddr = "ff02::1:3" })
mem6("add6 iface 1", "ipv6-add-membership", { multiaddr = "ff02::1:4", interface = 1 })
mem6("add6 iface '1'", "ipv6-add-membership", { multiaddr = "ff02::1:5", interface = "1" })
mem6("add6 iface 1.9", "ipv6-add-membership", { multiaddr = "ff02::1:6", interface = 1.9 })
mem6("add6 iface huge", "ipv6-add-membership", { multiaddr = "ff02::1:7", interface = 99999 })
mem6("add6 iface -1", "ipv6-add-membership", { multiaddr = "ff02::1:8", interface = -1 })
mem6("add6 iface name", "ipv6-add-membership", { multiaddr = "ff02::1:9", interface = "lo" })
mem6("add6 iface table", "ipv6-add-membership", { multiaddr = "ff02::1:9", interface = {} })
mem6("add6 iface false", "ipv6-add-membership", { multiaddr = "ff02::1:9", interface = false })
mem6("add6 unicast", "ipv6-add-membership", { multiaddr = "::1" })
mem6("drop6 ok", "ipv6-drop-membership", { multiaddr = "ff02::1:3" })
mem6("drop6 again", "ipv6-drop-membership", { multiaddr = "ff02::1:3" })
mem6("drop6 iface 1", "ipv6-drop-membership", { multiaddr = "ff02::1:4", interface = 1 })
mem6("drop6 bad iface", "ipv6-drop-membership", { multiaddr = "ff02::1:4", interface = "lo" })
print("argerror -1 method", pcall(function()
  return v6:setoption("ipv6-add-membership", { multiaddr = "ff02::1", interface = "lo" }) end))
print("argerror -1 function", pcall(function()
  return v6.setoption(v6, "ipv6-add-membership", { multiaddr = "ff02::1", interface = "lo" }) end))
-- v4 membership on a v6 socket and vice versa
mem6("v4 add on v6", "ip-add-membership", { multiaddr = "239.255.0.7", interface = "*" })
local v4 = socket.udp4()
T.show("v6 add on v4", v4.setoption, v4, "ipv6-add-membership", { multiaddr = "ff02::1:3" })
T.show("fd-less add", socket.udp().setoption, socket.udp(), "ip-add-membership", { multiaddr = "239.255.0.7", interface = "*" })
v4:close(); v6:close()

-- name argument rules
local o = socket.udp4()
T.show("get()", o.getoption, o)
T.show("get(5)", o.getoption, o, 5)
T.show("get({})", o.getoption, o, {})
T.show("set()", o.setoption, o)
T.show("set(5)", o.setoption, o, 5, 1)
T.show("set('foo')", o.setoption, o, "foo", 1)
T.show("set('error')", o.setoption, o, "error", 1)
T.show("set('linger')", o.setoption, o, "linger", { on = true, timeout = 1 })
print("method syntax", pcall(function() return o:setoption("foo", 1) end))
print("method syntax", pcall(function() return o:getoption("ip-multicast-ttl") end))
print("method syntax", pcall(function() return o:setoption("broadcast", 1) end))
print("method syntax", pcall(function() return o:setoption("ip-multicast-if", {}) end))
print("method syntax", pcall(function() return o:setoption("ip-multicast-if", "x") end))
o:close()
print("done")
