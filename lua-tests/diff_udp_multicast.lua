-- IPv4 multicast through loopback: a receiver joins 239.255.0.1 on the
-- interface 127.0.0.1, a sender picks that interface (ip-multicast-if) and
-- keeps loop on, the datagram arrives; once every member dropped it no
-- longer does. IPv6: membership calls on lo's index. Every step's
-- result is printed, so a host without multicast on lo fails the test
-- instead of skipping it.
local T = require "tdiff"
local socket = require "socket"
local GROUP = "239.255.0.1"

local r = assert(socket.udp4())
T.vals("reuseaddr", r:setoption("reuseaddr", true))
T.vals("bind group", r:setsockname(GROUP, 0))
local _, port = r:getsockname()
print("port", tonumber(port) > 0)
T.vals("join", r:setoption("ip-add-membership", { multiaddr = GROUP, interface = "127.0.0.1" }))
r:settimeout(2)

local s = assert(socket.udp4())
T.vals("multicast-if", s:setoption("ip-multicast-if", "127.0.0.1"))
T.vals("  get", s:getoption("ip-multicast-if"))
T.vals("multicast-loop", s:setoption("ip-multicast-loop", true))
T.vals("  get", s:getoption("ip-multicast-loop"))
T.vals("multicast-ttl", s:setoption("ip-multicast-ttl", 1))
T.vals("sendto group", s:sendto("hello group", GROUP, port))
local data, ip, from = r:receivefrom()
print("received", data, ip, from == tonumber((select(2, s:getsockname()))))
-- a second member on the same port gets its own copy
local r2 = assert(socket.udp4())
r2:setoption("reuseaddr", true)
T.vals("bind 2", r2:setsockname(GROUP, port))
T.vals("join 2", r2:setoption("ip-add-membership", { multiaddr = GROUP, interface = "127.0.0.1" }))
r2:settimeout(2)
T.vals("sendto group 2", s:sendto("to both", GROUP, port))
T.vals("r got", r:receive())
T.vals("r2 got", r2:receive())
-- loop off: on lo the datagram still comes back in through the device
T.vals("loop off", s:setoption("ip-multicast-loop", false))
T.vals("  get", s:getoption("ip-multicast-loop"))
s:sendto("loop off", GROUP, port)
T.vals("r with loop off", r:receive())
T.vals("r2 with loop off", r2:receive())
s:setoption("ip-multicast-loop", true)
-- r drops; the host stays a member through r2, and Linux delivers to every
-- socket bound there (IP_MULTICAST_ALL), so both still receive
T.vals("drop", r:setoption("ip-drop-membership", { multiaddr = GROUP, interface = "127.0.0.1" }))
T.vals("drop again", r:setoption("ip-drop-membership", { multiaddr = GROUP, interface = "127.0.0.1" }))
s:sendto("after drop", GROUP, port)
T.vals("r2 after drop", r2:receive())
T.vals("r after drop", r:receive())
-- last member gone: nothing arrives any more
T.vals("r2 drop", r2:setoption("ip-drop-membership", { multiaddr = GROUP, interface = "127.0.0.1" }))
T.vals("sendto no members", s:sendto("nobody", GROUP, port))
r:settimeout(0.1); r2:settimeout(0.1)
T.vals("r none", r:receive())
T.vals("r2 none", r2:receive())
r:close(); r2:close(); s:close()

-- IPv6: join and drop a link-local group on the loopback interface's
-- index (no traffic: lo has no IPv6 multicast route here, which the scoped
-- sendto shows the same way in both cores)
local function lo_index()
  local f = io.open("/sys/class/net/lo/ifindex")
  if not f then return 1 end
  local n = tonumber(f:read("*l")); f:close(); return n
end
local G6 = "ff02::1:ff00:42"
local r6 = assert(socket.udp6())
r6:setoption("reuseaddr", true)
T.vals("v6 bind", r6:setsockname("::", 0))
local _, p6 = r6:getsockname()
T.vals("v6 join", r6:setoption("ipv6-add-membership", { multiaddr = G6, interface = lo_index() }))
r6:settimeout(2)
local s6 = assert(socket.udp6())
T.vals("v6 loop", s6:setoption("ipv6-multicast-loop", true))
T.vals("  get", s6:getoption("ipv6-multicast-loop"))
T.vals("v6 sendto", s6:sendto("hello v6", G6 .. "%lo", p6))
T.vals("v6 drop", r6:setoption("ipv6-drop-membership", { multiaddr = G6, interface = lo_index() }))
r6:close(); s6:close()
print("done")
