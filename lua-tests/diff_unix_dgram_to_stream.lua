-- A unix dgram sendto a path where a stream socket listens (found by the
-- fuzzer, issue 10). sendto(2) fails with EPROTOTYPE, which usocket.c
-- retries at once ("the connection is being closed", a macOS transient): on
-- Linux the error is permanent, so the C core spins in that loop forever,
-- whatever the timeout. Ours returns nil, "Protocol wrong type for socket"
-- (README, deliberate differences); that call is made on ours only. The
-- neighbours are compared: connect to the same path, sendto once the stream
-- socket is closed, a dgram peer.
local T = require "tdiff"
local unix = require "socket.unix"
local socket = require "socket.core"
local OURS = os.getenv("LUASOCKET_IMPL") == "rs"

local base = os.tmpname()
os.remove(base)
local spath, dpath = base .. ".stream", base .. ".dgram"
os.remove(spath); os.remove(dpath)

local srv = unix.stream()
T.vals("stream bind", srv:bind(spath))
T.vals("stream listen", srv:listen(1))
local d = unix.dgram()
for _, tmo in ipairs { 0, 0.05, -1 } do
  d:settimeout(tmo)
  local label = "sendto(stream path), timeout " .. tmo
  if OURS then
    local t0 = socket.gettime()
    local r = { d:sendto("x", spath) }
    assert(r[1] == nil and r[2] == "Protocol wrong type for socket", label .. ": " .. T.pack(r[1], r[2]))
    assert(socket.gettime() - t0 < 1, label .. ": slow")
  end
  print(label, "nil, Protocol wrong type for socket (the C core spins forever)")
end
d:settimeout(0)
T.vals("connect(stream path)", d:connect(spath))
local c = unix.dgram(); c:settimeout(0)
srv:close()
T.vals("sendto(path of a closed stream socket)", c:sendto("x", spath))
local peer = unix.dgram(); T.vals("dgram bind", peer:bind(dpath))
T.vals("sendto(dgram path)", c:sendto("hello", dpath))
peer:settimeout(1)
T.vals("peer receive", peer:receive())
c:close(); d:close(); peer:close()
os.remove(spath); os.remove(dpath)
