-- tcp receive/send: patterns, prefixes, CR dropping, partial results on
-- timeout and close, send index rules, stats, dirty, buffered data after
-- close. The peer is a server socket in the same script.
local T = require "tdiff"
local socket = require "socket"

local L = assert(socket.bind("127.0.0.1", 0))
local _, lport = L:getsockname()
L:settimeout(2)
local function pair()
  local c = assert(socket.connect("127.0.0.1", lport))
  local a = assert(L:accept())
  a:settimeout(2)
  c:settimeout(2)
  return c, a
end
-- waits until `n` bytes can be read by `s` without blocking (loopback is
-- quick, but give it a bounded moment)
local function settle() socket.sleep(0.02) end

local c, a = pair()
T.vals("send 1", c:send("hello\r\nwor\rld\n\r\n\nabc"))
settle()
T.vals("line", a:receive())
T.vals("line *l", a:receive("*l"))
T.vals("empty line (only CR)", a:receive("*line"))
T.vals("empty line", a:receive("*l"))
T.vals("dirty", a:dirty())
a:settimeout(0.05)
T.vals("line partial timeout", a:receive("*l", "pre-"))
T.vals("dirty after", a:dirty())
T.vals("receive(0) empty buffer", a:receive(0))
c:send("0123456789")
settle()
T.vals("receive(0) reads", a:receive(0))
T.vals("dirty", a:dirty())
T.vals("receive(0) buffered", a:receive(0))
T.vals("receive(3)", a:receive(3))
T.vals("receive(2.7)", a:receive(2.7))
T.vals("receive('2')", a:receive("2"))
T.vals("prefix longer than n", a:receive(2, "abcdef"))
T.vals("prefix equal n", a:receive(2, "ab"))
T.vals("prefix shorter", a:receive(3, "x"))
T.vals("prefix '' n=0", a:receive(0, ""))
T.vals("numeric prefix", a:receive(1, 42))
T.vals("count partial timeout", a:receive(10, "p"))
T.vals("count partial timeout 2", a:receive(10))
-- bad patterns
for _, p in ipairs { "l", "a", "L", "*L", "*", "", "x", "*x", "*al", "*lx" } do
  a:settimeout(0)
  T.show("pattern " .. string.format("%q", p), a.receive, a, p)
end
for _, p in ipairs { -1, -0.5, 0/0, {}, true, "-3", " 5 ", "0x10", "1e1" } do
  a:settimeout(0)
  T.show("pattern " .. tostring(p), function() return a:receive(p) end)
end
T.show("prefix table", a.receive, a, 1, {})
T.show("prefix bool", a.receive, a, "*l", true)
T.show("prefix checked before pattern", a.receive, a, "bad", {})
print(pcall(function() return a:receive("bad") end))
print(pcall(function() return a:receive({}) end))
print(pcall(function() return a:receive(1, {}) end))

-- *a mode
c:send("all of it\r\n")
c:send("more")
c:close()
a:settimeout(1)
T.vals("*a", a:receive("*a"))
T.vals("*a again (closed)", a:receive("*a", "pfx"))
T.vals("*l on closed", a:receive("*l", "x"))
T.vals("count on closed", a:receive(5))
T.vals("receive(0) on eof", a:receive(0))
T.vals("*all on closed", a:receive("*all"))
T.vals("send to closed peer 1", type(a:send("x")))
socket.sleep(0.05)
local r1, e1, l1 = a:send("y")
local r2, e2, l2 = a:send("z")
T.vals("send to closed peer eventually", r1 == nil and e1 or r2 == nil and e2 or "sent")
a:close()
T.vals("send on closed object", a:send("abc"))
T.vals("send on closed object range", a:send("abc", 2))
T.vals("send '' closed", a:send(""))
T.vals("send past end closed", a:send("abc", 5))
T.vals("send i>j closed", a:send("abc", 3, 2))
T.vals("receive on closed object", a:receive())
T.vals("receive(0) on closed object", a:receive(0))
T.vals("receive *a on closed object", a:receive("*a"))
T.vals("stats after close", (a:getstats()))

-- partial data remains readable after close()
local c3, a3 = pair()
c3:send("first\nsecond\nthird")
settle()
T.vals("read one", a3:receive())
a3:close()
T.vals("dirty after close", a3:dirty())
T.vals("buffered after close", a3:receive())
T.vals("buffered count after close", a3:receive(3))
T.vals("buffered rest after close", a3:receive("*a"))
T.vals("dirty now", a3:dirty())
c3:close()

-- send index rules
local c4, a4 = pair()
local sends = {
  { "abcdef", 2, 4 }, { "abc", 5 }, { "abc", 1, 0 }, { "abc", -2 }, { "abc", -2, -2 },
  { "abc", -10, 10 }, { "abc", 0 }, { "abc", 2.9, 2.1 }, { "abc", "2", "3" }, { "" },
  { 12345 }, { 1.5 }, { "abc", 4, 3 }, { "abc", 1e300 }, { "abc", -1e300 }, { "abc", 1, -1e300 },
  { "abc", 1, 1e300 }, { "abc", 2^53 },
}
local total = 0
for _, s in ipairs(sends) do
  local r = { c4:send(s[1], s[2], s[3]) }
  T.vals("send " .. tostring(s[1]) .. " " .. tostring(s[2]) .. " " .. tostring(s[3]), c4:send(s[1], s[2], s[3]))
end
T.show("send()", c4.send, c4)
T.show("send({})", c4.send, c4, {})
T.show("send('a','x')", c4.send, c4, "a", "x")
T.show("send('a',1,{})", c4.send, c4, "a", 1, {})
T.show("send(true)", c4.send, c4, true)
print(pcall(function() return c4:send() end))
settle()
a4:settimeout(0.05)
T.vals("what arrived", a4:receive("*a"))
local rcv, snt = c4:getstats()
T.vals("client stats", rcv, snt)
rcv, snt = a4:getstats()
T.vals("server-side stats", rcv, snt)
c4:close(); a4:close()

-- stats count consumed bytes, including LF and dropped CRs
local c5, a5 = pair()
c5:send("ab\r\ncd\nefgh")
settle()
a5:receive()
T.vals("stats after line", (a5:getstats()))
a5:receive(1)
T.vals("stats after count", (a5:getstats()))
T.vals("dirty", a5:dirty())
c5:close()
a5:receive("*a")
T.vals("stats after all", (a5:getstats()))
a5:close()

-- large transfers: both directions, exact content
local c6, a6 = pair()
local big = {}
for i = 1, 20000 do big[i] = string.char(65 + i % 26) end
big = table.concat(big):rep(10) -- 200000 bytes
local got = {}
c6:settimeout(0)
local sent_idx, i = 0, 1
local rounds = 0
a6:settimeout(0.5)
while sent_idx < #big and rounds < 10000 do
  rounds = rounds + 1
  local last, err, part = c6:send(big, sent_idx + 1)
  sent_idx = last or part
  local data, e2, p2 = a6:receive(65536)
  got[#got + 1] = data or p2
end
c6:close()
local rest, e3, p3 = a6:receive("*a")
got[#got + 1] = rest or p3
local all = table.concat(got)
T.vals("big transfer", #all, all == big, sent_idx)
a6:close()

-- a large count with a short peer: partial result has everything
local c7, a7 = pair()
c7:send(("x"):rep(30000))
c7:close()
T.vals("huge count", (function(d, e, p) return d, e, #p end)(a7:receive(1e15)))
T.vals("huge count again", a7:receive(1e15))
a7:close()

-- line longer than the 8 KiB buffer, with CRs spread through it
local c8, a8 = pair()
local long = ("ab\r"):rep(5000)
c8:send(long .. "\nnext\n")
T.vals("long line", (function(d, e, p) return #d, d == ("ab"):rep(5000), e, p end)(a8:receive()))
T.vals("next line", a8:receive())
c8:close(); a8:close()

-- timeouts: zero block timeout never waits; total timeout; 'r' mode
local c9, a9 = pair()
a9:settimeout(0)
T.vals("t=0 receive", a9:receive())
T.vals("t=0 receive count", a9:receive(5))
a9:settimeout(0.05)
local t0 = socket.gettime()
T.vals("t=0.05 receive", a9:receive())
print("waited", socket.gettime() - t0 >= 0.04)
a9:settimeout(-1)
a9:settimeout(0.05, "t")
T.vals("total 0.05", a9:receive(3))
a9:settimeout(0.0004)
T.vals("sub-ms timeout", a9:receive(3))
a9:settimeout(-1, "t")
a9:settimeout(0.05, "b")
c9:send("ab")
T.vals("partial within timeout", a9:receive(3, "q"))
c9:close(); a9:close()
L:close()

-- large counts leave the same excess buffered as the C core's 8 KiB reads
local L2 = assert(socket.bind("127.0.0.1", 0))
local _, lp2 = L2:getsockname()
L2:settimeout(2)
for _, n in ipairs { 100, 8191, 8192, 8193, 10000, 16384, 20000, 24576 } do
  local c = assert(socket.connect("127.0.0.1", lp2))
  local a = assert(L2:accept())
  c:send(("z"):rep(30000))
  socket.sleep(0.05)
  a:settimeout(1)
  local d = a:receive(n)
  local rcv = a:getstats()
  T.vals("count " .. n, #d, a:dirty(), rcv)
  local rest = a:receive(30000 - n)
  T.vals("rest", #rest, a:dirty())
  c:close(); a:close()
end
-- mixed lines and counts across 8 KiB boundaries
local c10 = assert(socket.connect("127.0.0.1", lp2))
local a10 = assert(L2:accept())
local parts = {}
for i = 1, 3000 do parts[i] = ("%d:%s\r\n"):format(i, ("y"):rep(i % 17)) end
c10:send(table.concat(parts))
c10:close()
a10:settimeout(1)
local ok, lines, chars = true, 0, 0
for i = 1, 3000 do
  local l = a10:receive(i % 3 == 0 and "*l" or "*l")
  if l ~= ("%d:%s"):format(i, ("y"):rep(i % 17)) then ok = false end
  lines = lines + 1
  if i % 100 == 0 then local x, e = a10:receive(0); chars = chars + #(x or e) end
end
T.vals("3000 lines", ok, lines, chars, a10:receive())
a10:close()
L2:close()

-- reset by the peer reads as "closed"; shutdown halves
local L3 = assert(socket.bind("127.0.0.1", 0))
local _, lp3 = L3:getsockname()
L3:settimeout(2)
local c11 = assert(socket.connect("127.0.0.1", lp3))
local a11 = assert(L3:accept())
c11:send("abc")
socket.sleep(0.02)
T.vals("linger 0", a11:setoption("linger", { on = true, timeout = 0 }))
a11:close()
socket.sleep(0.02)
c11:settimeout(1)
T.vals("after RST receive", c11:receive("*a"))
T.vals("after RST send", c11:send("x"))
T.vals("after RST getpeername", c11:getpeername())
c11:close()
local c12 = assert(socket.connect("127.0.0.1", lp3))
local a12 = assert(L3:accept())
a12:settimeout(1)
c12:settimeout(1)
T.vals("shutdown send", c12:shutdown("send"))
T.vals("peer sees eof", a12:receive())
T.vals("peer can still send", a12:send("back\n"))
T.vals("half-closed side reads", c12:receive())
T.vals("send after shutdown send", c12:send("x"))
T.vals("shutdown receive", c12:shutdown("receive"))
T.vals("receive after shutdown receive", c12:receive())
c12:close(); a12:close()
L3:close()
