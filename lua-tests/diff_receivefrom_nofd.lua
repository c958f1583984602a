-- receivefrom on a udp or unix dgram object without a descriptor (a fresh
-- socket.udp(), which creates its socket lazily, or a closed object); found
-- by the fuzzer, issue 10. The C core takes the missing descriptor for an
-- empty datagram and formats the sender address from an uninitialised
-- sockaddr on its stack: whatever an earlier call left there ("127.0.0.1"
-- and a port, a garbage unix path, or an error). Ours answers as if that
-- memory were zero: nil, "ai_family not supported" for udp, "", "" for unix
-- dgram (README, deliberate differences). receive() is compared.
local T = require "tdiff"
local socket = require "socket.core"
local unix = require "socket.unix"
local OURS = os.getenv("LUASOCKET_IMPL") == "rs"
local unpack = table.unpack or unpack

-- leave an address on the stack first, as a real sender would
local a = socket.udp(); assert(a:setsockname("127.0.0.1", 0)); a:settimeout(1)
local b = socket.udp(); assert(b:setsockname("127.0.0.1", 0))
b:sendto("x", a:getsockname())
T.vals("real datagram", (a:receivefrom()))

local function objects()
  local fresh = socket.udp()
  local closed = socket.udp4(); closed:close()
  local closed6 = socket.udp6(); closed6:close()
  local ud = unix.dgram(); ud:close()
  return { { "socket.udp()", fresh, "udp" }, { "closed udp4", closed, "udp" }, { "closed udp6", closed6, "udp" },
           { "closed unix dgram", ud, "unix" } }
end
for _, o in ipairs(objects()) do
  local label, s, kind = o[1], o[2], o[3]
  T.vals(label .. " getfd", s:getfd())
  T.show(label .. " receive()", s.receive, s)
  T.show(label .. " receive(10)", s.receive, s, 10)
  for _, size in ipairs { false, 1, 8192, 70000 } do
    local l = label .. " receivefrom(" .. tostring(size) .. ")"
    if OURS then
      local r = { pcall(s.receivefrom, s, size or nil) }
      assert(r[1] == true, l .. ": " .. tostring(r[2]))
      if kind == "udp" then
        assert(r[2] == nil and r[3] == "ai_family not supported", l .. ": " .. T.pack(unpack(r, 2, 4)))
      else
        assert(r[2] == "" and r[3] == "" and r[4] == nil, l .. ": " .. T.pack(unpack(r, 2, 4)))
      end
    end
    print(l, kind == "udp" and "nil, ai_family not supported" or "\"\", \"\"", "(the C core: an uninitialised sender)")
  end
end
a:close(); b:close()
