-- Timeout arithmetic against a trickling peer (a child process sending one
-- byte every 0.15 s): a block timeout alone is a deadline for the whole call,
-- as is a total timeout; with both set, block bounds each wait only.
-- Only outcomes are printed, never times.
local T = require "tdiff"
local socket = require "socket"

local interp = arg[-1]
local L = assert(socket.bind("127.0.0.1", 0))
local _, port = L:getsockname()
L:settimeout(5)

local function trickle(n, gap)
  local code = ([[
    local socket = require "socket"
    local c = assert(socket.connect("127.0.0.1", %s))
    for i = 1, %d do c:send(string.char(96 + i)); socket.sleep(%g) end
    socket.sleep(0.3)
    c:close()
  ]]):format(port, n, gap)
  local f = assert(io.popen(interp .. " -e '" .. code .. "'", "r"))
  local a = assert(L:accept())
  return a, f
end

local function outcome(d, e, p)
  if d then return "data " .. d end
  return ("nil %s partial-nonempty=%s partial-short=%s"):format(e, tostring(#p > 0), tostring(#p < 5))
end

local cases = {
  { "block 0.35 alone", { 0.35, "b" } },
  { "total 0.35 alone", { 0.35, "t" } },
  { "block 0.35 + total 5", { 0.35, "b" }, { 5, "t" } },
  { "block 5 + total 0.35", { 5, "b" }, { 0.35, "t" } },
  { "no timeout", },
}
for _, c in ipairs(cases) do
  local a, f = trickle(5, 0.15)
  for i = 2, #c do a:settimeout(c[i][1], c[i][2]) end
  print(c[1], outcome(a:receive(5)))
  -- the rest arrives; the peer closes
  a:settimeout(3)
  local rest, e, p = a:receive("*a")
  print("  then", rest and "data" or e)
  a:close()
  f:close()
end

-- accept and connect obey the same rules
L:settimeout(0.1)
local t0 = socket.gettime()
T.vals("accept with 0.1", L:accept())
print("accept waited", socket.gettime() - t0 >= 0.09)
L:settimeout(0.1, "t")
L:settimeout(-1, "b")
T.vals("accept with total 0.1", L:accept())
L:settimeout(0)
T.vals("accept with 0", L:accept())
L:close()
