-- Peer faults, differential (scripts/harden.sh peers runs it on every
-- version against ours and the reference C core and compares the output):
-- an RST in the middle of a receive, a half-close, a peer that dies during a
-- large send (SIGPIPE must not kill the host), a peer that trickles one byte
-- every 10 ms. What is printed is the C core's return shapes, and whether
-- every byte the peer sent was handed over (nothing buffered is lost).
-- Values whose size depends on timing (how much a send got through) are
-- printed as types or bounds.
local H = require "harden"
local socket = require "socket"

local port, stop = H.peer(false, 60)
local function ask(cmd) return H.ask(socket, port, cmd) end
local function show(label, ...) print(label, (H.shape(true, ...):gsub("^true ", ""))) end

-- RST after the data, everything arrived before the receive
do
  local c = ask("rst 5000 50")
  socket.sleep(0.3)
  local a, e, p = c:receive(10000)
  show("rst: receive(10000) after the RST", a, e, p)
  print("rst: partial is all the data", p == H.data(5000))
  show("rst: receive again", c:receive(10))
  show("rst: send after", c:send("x"))
  show("rst: getpeername after", c:getpeername() ~= nil)
  c:close()
end

-- the RST arrives while receive is waiting
do
  local c = ask("rst 3000 200")
  c:settimeout(5)
  local a, e, p = c:receive(10000)
  show("rst while waiting: receive(10000)", a, e, p)
  print("rst while waiting: partial is all the data", p == H.data(3000))
  c:close()
end

-- small receives across an RST: the bytes before it are all handed over
do
  local c = ask("rst 1000 100")
  c:settimeout(5)
  local got, shape = {}, nil
  for _ = 1, 400 do
    local a, e, p = c:receive(7)
    if a then got[#got + 1] = a else got[#got + 1] = p; shape = H.shape(true, a, e, p); break end
  end
  print("rst: receive(7) in a loop ends with", shape)
  print("rst: every byte before the RST", table.concat(got) == H.data(1000))
  c:close()
end

-- lines, then an RST in the middle of the last one
do
  local c = ask("rstlines 100")
  c:settimeout(5)
  show("rst lines: 1", c:receive("*l"))
  show("rst lines: 2", c:receive("*l"))
  show("rst lines: 3", c:receive("*l"))
  show("rst lines: 4", c:receive("*l"))
  c:close()
  c = ask("rstlines 100")
  c:settimeout(5)
  show("rst *a", c:receive("*a"))
  c:close()
  c = ask("rstlines 100")
  c:settimeout(5)
  show("rst *a with prefix", c:receive("*a", "pre:"))
  c:close()
end

-- half-close: the peer shuts down its sending side and keeps reading
do
  local c = ask("half 3000")
  c:settimeout(5)
  local a, e, p = c:receive("*a")
  show("half: receive *a", a and #a, e, p)
  print("half: all the data", a == H.data(3000))
  show("half: receive after EOF", c:receive(10))
  show("half: receive *l after EOF", c:receive("*l"))
  show("half: send still works", c:send("more data"))
  show("half: shutdown send", c:shutdown("send"))
  c:close()
  c = ask("half 3000")
  c:settimeout(5)
  a, e, p = c:receive(5000)
  show("half: receive(5000)", a, e, p and #p)
  print("half: partial is all the data", p == H.data(3000))
  c:close()
  c = ask("half 10")
  c:settimeout(5)
  show("half: receive *l", c:receive("*l"))
  c:close()
end

-- our side half-closes; the peer counts what it got and answers
do
  local c = ask("count")
  c:settimeout(5)
  show("client half-close: send", c:send(("z"):rep(100000)))
  show("client half-close: shutdown", c:shutdown("send"))
  show("client half-close: peer counted", c:receive("*l"))
  show("client half-close: then closed", c:receive(1))
  c:close()
end

-- the peer dies (RST) after 100 kB of a 32 MiB send; SIGPIPE must not kill us
do
  local big = ("y"):rep(32 * 1024 * 1024)
  local c = ask("die 100000")
  c:settimeout(10)
  local n, e, last = c:send(big)
  print("die: send", n, e, type(last), last and last >= 100000 and last < #big)
  show("die: send again", c:send("after"))
  show("die: receive", c:receive(1))
  c:close()
  -- a peer that closed normally: the second write raises SIGPIPE/EPIPE
  c = ask("blast 0")
  c:settimeout(5)
  show("fin: receive", c:receive(1))
  local r1 = { c:send("one") }
  socket.sleep(0.1)
  local r2 = { c:send("two") }
  print("fin: first send", H.shape(true, r1[1], r1[2]))
  print("fin: second send", H.shape(true, r2[1], r2[2], r2[3]))
  c:close()
  print("alive after SIGPIPE", true)
end

-- a peer that trickles one byte every 10 ms
do
  local c = ask("trickle 50 10")
  c:settimeout(5)
  show("trickle: receive(50) blocking", c:receive(50))
  c:close()
  -- short block timeouts: partial results carried on as prefixes
  c = ask("trickle 60 10")
  c:settimeout(0.15)
  local acc, rounds, shapes = "", 0, {}
  while #acc < 60 and rounds < 100 do
    rounds = rounds + 1
    local a, e, p = c:receive(60, acc)
    if a then acc = a else acc = p; shapes[e] = true end
  end
  print("trickle: prefix loop gets every byte", acc == H.data(60), "timeouts seen", shapes.timeout == true)
  show("trickle: then closed", c:receive(1))
  c:close()
  -- non-blocking, driven by select
  c = ask("trickle 40 10")
  c:settimeout(0)
  acc = ""
  local deadline = socket.gettime() + 10
  while socket.gettime() < deadline do
    local r = socket.select({ c }, nil, 1)
    if r[1] then
      local a, e, p = c:receive(100)
      acc = acc .. (a or p)
      if e == "closed" then break end
    end
  end
  print("trickle: select loop gets every byte", acc == H.data(40))
  c:close()
  -- a line, one byte at a time, through *l with a total timeout
  c = ask("trickle 30 10")
  c:settimeout(5, "t")
  show("trickle: *a", c:receive("*a"))
  c:close()
end

stop()
print("done")
