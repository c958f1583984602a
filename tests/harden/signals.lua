-- Blocking calls under a signal storm. Run by tests/c-host/luahost as
--   luahost signals.lua on|off
-- "on" fires SIGALRM every millisecond (handler installed without
-- SA_RESTART, so every wait and every blocking syscall sees EINTR) while the
-- calls run; "off" runs the same without signals. scripts/harden.sh checks
-- that stdout is byte-identical between on and off and between ours and the
-- reference C core; timeouts are checked with generous bounds (a timeout
-- must neither fire early nor be stretched by the retries), never tight
-- ones. The number of signals delivered goes to stderr.
local H = require "harden"
local socket = require "socket"
local storm = arg[1] == "on"

local port, stop = H.peer(false, 60)
local function ask(cmd) return H.ask(socket, port, cmd) end

-- within(t0, lo, hi): elapsed time since t0 in [lo, hi]
local function within(t0, lo, hi)
  local dt = socket.gettime() - t0
  return dt >= lo and dt <= hi
end
local function line(label, ...) print(label, (H.shape(true, ...):gsub("^true ", ""))) end

if storm then host.sigstart(1000) end
local started = socket.gettime()

-- receive, blocking: the data comes after 300 ms
do
  local c = ask("delay 300 5000")
  c:settimeout(-1)
  local t0 = socket.gettime()
  local a, e, p = c:receive(5000)
  line("receive(n) blocking", a == H.data(5000), e, p)
  print("receive(n) waited for the data", within(t0, 0.25, 5))
  c:close()
end

-- receive with a timeout shorter than the delay, then a longer one
do
  local c = ask("delay 600 100")
  c:settimeout(0.2)
  local t0 = socket.gettime()
  line("receive timeout 0.2", c:receive(100))
  print("receive timeout honoured", within(t0, 0.18, 0.5 + 1))
  c:settimeout(5)
  local a, e, p = c:receive(100)
  line("receive after timeout", a == H.data(100), e, p)
  c:close()
end

-- total timeout ("t") across a trickling peer
do
  local c = ask("trickle 200 5")
  c:settimeout(0.3, "t")
  local t0 = socket.gettime()
  local a, e, p = c:receive("*a")
  print("receive *a total timeout", a, e, type(p), #p > 0 and #p < 200, H.data(200):sub(1, #p) == p)
  print("total timeout honoured", within(t0, 0.28, 0.3 + 1))
  c:close()
end

-- receive *a / *l, blocking, from a trickling peer: every byte, in order
do
  local c = ask("trickle 60 10")
  c:settimeout(-1)
  line("receive *a trickle", c:receive("*a"))
  c:close()
  c = ask("line 70000")
  line("receive *l 70000", c:receive("*l"))
  c:close()
end

-- send, blocking, 8 MiB to a peer that counts
do
  local c = ask("count")
  c:settimeout(-1)
  local big = ("0123456789abcdef"):rep(512 * 1024)
  line("send 8 MiB blocking", c:send(big))
  c:shutdown("send")
  line("peer counted", c:receive("*l"))
  c:close()
end

-- send with a timeout to a peer that does not read: a timeout and a partial count
do
  local c = ask("delay 4000 0")
  c:settimeout(0.3)
  local t0 = socket.gettime()
  local n, e, last = c:send(("x"):rep(32 * 1024 * 1024))
  print("send timeout", n, e, type(last), last and last > 0 and last < 32 * 1024 * 1024)
  print("send timeout honoured", within(t0, 0.28, 0.3 + 1))
  c:close()
end

-- accept, blocking: the peer dials in after 300 ms
do
  local srv = assert(socket.bind("127.0.0.1", 0))
  local _, sport = srv:getsockname()
  ask("dial " .. sport .. " 300"):close()
  srv:settimeout(-1)
  local t0 = socket.gettime()
  local s, e = srv:accept()
  print("accept blocking", s and tostring(s):match("^[^:]+"), e, within(t0, 0.2, 5))
  if s then s:settimeout(5); line("accepted receive", s:receive("*l")); s:close() end
  srv:settimeout(0.2)
  t0 = socket.gettime()
  line("accept timeout 0.2", srv:accept())
  print("accept timeout honoured", within(t0, 0.18, 0.2 + 1))
  srv:close()
end

-- connect, blocking (loopback), and with a timeout against a full backlog
do
  local c = socket.tcp()
  c:settimeout(-1)
  line("connect blocking", c:connect("127.0.0.1", port))
  c:send("echo\nping\n")
  line("connected echo", c:receive("*l"))
  c:close()
  local srv = assert(socket.tcp())
  assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(0))
  local _, sport = srv:getsockname()
  local fill = {}
  for i = 1, 4 do
    local f = socket.tcp(); f:settimeout(0); f:connect("127.0.0.1", sport); fill[i] = f
  end
  socket.sleep(0.05)
  local d = socket.tcp()
  d:settimeout(0.3)
  local t0 = socket.gettime()
  line("connect timeout 0.3 (full backlog)", d:connect("127.0.0.1", sport))
  print("connect timeout honoured", within(t0, 0.28, 0.3 + 1))
  d:close()
  for _, f in ipairs(fill) do f:close() end
  srv:close()
end

-- select, blocking until the peer's data arrives; then with a timeout
do
  local c = ask("delay 300 10")
  local t0 = socket.gettime()
  local r, w, e = socket.select({ c }, nil)
  print("select blocking", #r, r[1] == c, #w, e, within(t0, 0.25, 5))
  c:settimeout(5)
  line("select then receive", c:receive(10))
  t0 = socket.gettime()
  r, w, e = socket.select({ c }, nil, 0.3)
  print("select timeout 0.3", #r, #w, e)
  print("select timeout honoured", within(t0, 0.28, 0.3 + 1))
  c:close()
end

-- sleep: the whole time, however often interrupted
do
  local t0 = socket.gettime()
  socket.sleep(0.3)
  print("sleep 0.3 honoured", within(t0, 0.29, 0.3 + 1))
end

local n = storm and host.sigstop() or 0
io.stderr:write(string.format("signals delivered: %d in %.1f s\n", n, socket.gettime() - started))
stop()
print("done")
