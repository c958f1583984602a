-- Descriptor exhaustion, differential (scripts/harden.sh fd runs it with
-- `ulimit -n 64` in luahost, for ours and for the reference C core, and
-- compares the output): with every descriptor taken, each call that needs
-- one returns the C core's error; once descriptors are freed, each works
-- again; at the end the process holds exactly the descriptors it started
-- with (host.fdcount).
local T = require "tdiff"
local socket = require "socket"
local unix = require "socket.unix"
local serial = require "socket.serial"

local fd0 = host.fdcount()
local upath = os.tmpname()
os.remove(upath)

-- what the calls need, made while descriptors are plentiful
local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
srv:settimeout(1)
local srv6 = assert(socket.tcp6())
assert(srv6:bind("::1", 0)); assert(srv6:listen())
local _, port6 = srv6:getsockname()
srv6:settimeout(1)
local pending = assert(socket.connect("127.0.0.1", port)) -- waits in srv's backlog
local userver = assert(unix.stream()); assert(userver:bind(upath)); assert(userver:listen())
userver:settimeout(1)
local upending = assert(unix.stream()); assert(upending:connect(upath))
local udp = assert(socket.udp4()); assert(udp:setsockname("127.0.0.1", 0))
local _, uport = udp:getsockname()

-- the calls; each returns something printable and closes what it opened
local opened = {}
local function keep(o, ...) if type(o) == "userdata" then opened[#opened + 1] = o end return o, ... end
local function cls(o) return type(o) == "userdata" and (tostring(o):match("^([^:]+)")) or o end
local unpack = table.unpack or unpack
local function shape(...)
  local n, out = select("#", ...), {}
  for i = 1, n do out[i] = cls((select(i, ...))) end
  return T.pack(unpack(out, 1, n))
end
local calls = {
  { "socket.tcp()", function() return keep(socket.tcp()) end },
  { "socket.tcp4()", function() return keep(socket.tcp4()) end },
  { "socket.tcp6()", function() return keep(socket.tcp6()) end },
  { "socket.udp()", function() return keep(socket.udp()) end },
  { "socket.udp4()", function() return keep(socket.udp4()) end },
  { "socket.udp6()", function() return keep(socket.udp6()) end },
  { "socket.bind", function() return keep(socket.bind("127.0.0.1", 0)) end },
  { "socket.connect", function() return keep(socket.connect("127.0.0.1", port)) end },
  { "socket.connect6", function() return keep(socket.connect("::1", port6)) end },
  { "tcp():connect", function() local c = keep(socket.tcp()); return c:connect("127.0.0.1", port) end },
  { "tcp():bind", function() local c = keep(socket.tcp()); return c:bind("127.0.0.1", 0) end },
  { "accept", function() return keep(srv:accept()) end },
  { "udp():setpeername", function() local u = keep(socket.udp()); return u:setpeername("127.0.0.1", uport) end },
  { "udp():setsockname", function() local u = keep(socket.udp()); return u:setsockname("127.0.0.1", 0) end },
  { "udp():sendto", function() local u = keep(socket.udp()); return u:sendto("x", "127.0.0.1", uport) end },
  { "unix.stream()", function() return keep(unix.stream()) end },
  { "unix.dgram()", function() return keep(unix.dgram()) end },
  { "unix accept", function() return keep(userver:accept()) end },
  { "serial", function() return keep(serial("/dev/null")) end },
  -- getaddrinfo before toip: glibc's getaddrinfo reports EMFILE as
  -- EAI_SYSTEM after a gethostbyname (the C core's toip) but as EAI_NONAME
  -- after gethostbyname_r (ours), a difference in libc's own state
  { "dns.getaddrinfo", function() local r, e = socket.dns.getaddrinfo("localhost"); return type(r), e end },
  -- (the service's text is not printed: when /etc/services cannot be
  -- opened, the C core on 5.1 returns an uninitialised buffer)
  { "dns.getnameinfo", function() local r, e = socket.dns.getnameinfo("127.0.0.1", 80); return type(r), type(e) end },
  { "dns.toip", function() local ip, r = socket.dns.toip("localhost"); return ip, type(r) end },
  { "dns.tohostname", function() local n = socket.dns.tohostname("127.0.0.1"); return type(n) end },
  { "dns.gethostname", function() return type(socket.dns.gethostname()) end },
  { "select", function() local r, w, e = socket.select({ srv, udp }, { udp }, 0); return #r, #w, e end },
}

local function run_all(label)
  for _, c in ipairs(calls) do
    print(label, c[1], shape(pcall(c[2])))
    for _, o in ipairs(opened) do o:close() end
    opened = {}
  end
end

-- take every descriptor
local files = {}
while true do
  local f, err = io.open("/dev/null")
  if not f then print("io.open when full", (err:gsub("^/dev/null: ", ""))); break end
  files[#files + 1] = f
  assert(#files < 100000, "no descriptor limit")
end
print("filled", #files > 0)
run_all("full")

-- free some; everything works again (accept takes the pending connection)
for i = 1, 16 do files[#files]:close(); files[#files] = nil end
run_all("freed")

for _, f in ipairs(files) do f:close() end
files = nil
for _, o in ipairs { srv, srv6, pending, userver, upending, udp } do o:close() end
os.remove(upath)
collectgarbage(); collectgarbage()
print("descriptors back to the start", host.fdcount() - fd0)
