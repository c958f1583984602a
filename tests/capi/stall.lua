-- Ours only (the C core's buffer.c loops for ever here): a foreign transport
-- whose callback reports success without moving a byte reads as closed,
-- for every pattern and for send, instead of hanging the host.
local function check(cond, what) if not cond then print("FAILED: " .. what) os.exit(1) end end
local o = probe.new{ "ab", 1000 }
local d, e, p = o:receive(5)
check(d == nil and e == "E-2" and p == "ab", "count: " .. tostring(e) .. " " .. tostring(p))
o = probe.new{ "line", 1000 }
d, e, p = o:receive()
check(d == nil and e == "E-2" and p == "line", "line")
o = probe.new{ "all", 1000 }
d, e = o:receive("*a")
check(d == "all" and e == nil, "all: " .. tostring(d))
o = probe.new({}, 0)
local n, e2, last = o:send("abc")
check(n == nil and e2 == "E-2" and last == 0, "send: " .. tostring(e2) .. " " .. tostring(last))
print("done")
