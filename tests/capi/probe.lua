-- Run by tests/capi/probe.c on Debian's C core and on ours; the two outputs
-- must be identical (scripts/capi-test.sh). `probe` is the C-side object
-- family (see probe.c): receive/send/getstats/setstats/settimeout/dirty
-- through the C API, plus the callback log.
local mtype = math.type or function() return "number" end
local function repr(v)
  local t = type(v)
  if t == "number" then return mtype(v) .. ":" .. string.format("%.17g", v) end
  if t == "string" then
    if #v > 60 then return ("str#%d[%q..%q]"):format(#v, v:sub(1, 8), v:sub(-8)) end
    return string.format("%q", v)
  end
  return tostring(v)
end
local function show(label, ...)
  local n, out = select("#", ...), {}
  for i = 1, n do out[i] = repr((select(i, ...))) end
  print(label, n .. "[" .. table.concat(out, ", ") .. "]")
end
local function call(label, o, m, ...)
  show(label, pcall(o[m], o, ...))
  print("", "log: " .. o:log())
end

-- line patterns, prefixes, CRs, end of stream
local o = probe.new{ "hel", "lo\r\nwor\rld\nlast" }
call("line", o, "receive")
call("line2", o, "receive", "*l")
show("dirty", o:dirty())
call("line-prefix-closed", o, "receive", "*line", "pre:")
call("after-close", o, "receive")
show("dirty", o:dirty())

-- counts and prefixes
o = probe.new{ "0123456789", -1, "abc" }
call("count3", o, "receive", 3)
call("count2-prefix", o, "receive", 2, "ab")
call("prefix-satisfies", o, "receive", 2, "abcdef")
call("zero-buffered", o, "receive", 0)
call("count-string", o, "receive", "4")
call("count-frac", o, "receive", 2.9)
call("count-timeout", o, "receive", 100)
call("count-after-timeout", o, "receive", 100, "P")
call("zero-empty", o, "receive", 0)
call("negative", o, "receive", -1)
call("nan", o, "receive", 0/0)
call("bad-pattern", o, "receive", "x")
call("bad-pattern-l", o, "receive", "l")
call("bad-prefix", o, "receive", 1, {})

-- *a: buffered part, then the rest; timeout keeps the partial
local big = string.rep("x", 20000) .. "END"
o = probe.new{ "head\n", big, "tail" }
call("all-1", o, "receive")
call("all", o, "receive", "*a", "P")
call("all-again", o, "receive", "*a")
o = probe.new{ big, -1 }
call("all-timeout", o, "receive", "*all")
o = probe.new{ -2 }
call("all-nothing", o, "receive", "*a")
o = probe.new{ "a", 104 }
call("all-reset", o, "receive", "*a")
o = probe.new{ "a", 42 }
call("null-error-text", o, "receive", "*a")

-- large counts across reads, tail buffered
local data = {}
for i = 1, 7000 do data[i] = string.char(i % 251) end
data = table.concat(data)
o = probe.new{ data, data, data, data, data, data, data, data }
call("big-count", o, "receive", 20000)
show("dirty", o:dirty())
call("rest", o, "receive", 1e9)
call("huge-count-prefix", probe.new{ "abc", -1 }, "receive", 2^53, "pre")
o = probe.new{ string.rep("L", 9000) .. "\nrest" }
call("long-line", o, "receive")
call("line-rest", o, "receive", "*l")

-- send: indices, steps, failures
o = probe.new({}, 3)
call("send-range", o, "send", "abcdef", 2, 4)
call("send-empty-range", o, "send", "abc", 5)
call("send-empty", o, "send", "")
call("send-neg", o, "send", "abcdef", -3, -2)
call("send-huge", o, "send", "abcdef", -1e300, 1e300)
call("send-nan", o, "send", "abcdef", 0/0)
call("send-bad", o, "send", nil)
call("send-number", o, "send", 12345)
o = probe.new({})
call("send-steps", o, "send", big)
o = probe.new({}, 5000, 10000, -2)
call("send-fail", o, "send", big)
call("send-fail-again", o, "send", "abc")
o = probe.new({}, 1e9, 3, 32)
call("send-errno", o, "send", "abcdef")

-- statistics
o = probe.new{ "line one\nline two\n" }
o:receive(); o:send("12345")
local r, s, age = o:getstats()
show("stats", r, s, math.floor(age))
call("setstats", o, "setstats", 10, 20)
r, s, age = o:getstats()
show("stats2", r, s, math.floor(age))
call("setstats-age", o, "setstats", nil, nil, 100)
r, s, age = o:getstats()
show("stats3", r, s, math.floor(age))
call("setstats-bad", o, "setstats", "x")
call("setstats-neg", o, "setstats", -5, 2^40)
r, s, age = o:getstats()
show("stats4", r, s, math.floor(age))

-- timeouts
o = probe.new{}
call("settimeout", o, "settimeout", 1.5)
show("tm", o:timeout())
call("settimeout-t", o, "settimeout", 2, "t")
call("settimeout-r", o, "settimeout", 3, "return")
show("tm", o:timeout())
call("settimeout-x", o, "settimeout", 1, "x")
call("settimeout-empty", o, "settimeout", 1, "")
call("settimeout-nil", o, "settimeout")
call("settimeout-bad", o, "settimeout", "a")
show("tm", o:timeout())

-- socket_strerror
for _, c in ipairs{ 0, -1, -2, -3, -5, 98, 106, 13, 111, 103, 104, 110, 9, 22, 9999 } do
  show("strerror " .. c, probe.strerror(c))
end

-- socket_waitfd (WAITFD_R/W/C as poll events) and the timeout arithmetic
show("wait r 0", probe.wait("r", 0))
show("wait r 0.05", probe.wait("r", 0.05))
show("wait r data", probe.wait("r", 0.5, "x"))
show("wait w", probe.wait("w", 0.5))
show("wait c data", probe.wait("c", 0.5, "x"))
show("wait c", probe.wait("c", 0.5))
show("wait r forever data", probe.wait("r", -1, "x"))

-- socket_setblocking / socket_setnonblocking / socket_destroy
show("blocking", probe.blocking())
print("done")
