-- mime.core under memory pressure, against the reference C core: with the
-- process's address space capped a few MiB above what it uses (prlimit on
-- our own pid; only the soft limit, lifted again at the end), every filter
-- given an input whose result cannot fit fails the way the C core does (the
-- message, and whether a message handler runs: LUA_ERRMEM skips it, 5.3's
-- buffer raises a plain error), five times in a row; the process survives,
-- a call that fits still succeeds under the same cap (so nothing leaked),
-- and the resident size comes back after a collection.
--
-- The checks run in a child interpreter (same core, same paths) started
-- with glibc's mmap threshold fixed, so that freed large blocks go back to
-- the system at once and sizes are comparable (the dynamic threshold keeps
-- freed memory in the heap, which the cap would then count).
if arg[1] ~= "child" then
  local cmd = "MALLOC_MMAP_THRESHOLD_=131072 " .. arg[-1] .. " " .. arg[0] .. " child 2>&1"
  local p = assert(io.popen(cmd))
  local last
  for line in p:lines() do print(line); last = line end
  p:close()
  if last ~= "ok" then error("child did not finish") end
  return
end
local m = require "mime.core"
local MB = 1024 * 1024
local X = 16 * MB -- input size; every result below is larger than the cap
local EXTRA = 6 * MB -- the cap: this much above the current address space

local function field(file, name)
  local f = assert(io.open(file))
  local t = f:read("*a")
  f:close()
  return t:match(name .. ":%s*(%d+)")
end
local pid = assert(io.open("/proc/self/stat")):read("*l"):match("^(%d+)")
local function kb(name) return tonumber(field("/proc/self/status", name)) end
local function limit(soft)
  os.execute("prlimit --pid " .. pid .. " --as=" .. soft .. ": >/dev/null 2>&1")
  local f = assert(io.open("/proc/self/limits"))
  local t = f:read("*a")
  f:close()
  return t:match("Max address space%s+(%S+)")
end
local function full_gc() collectgarbage(); collectgarbage() end

if limit("unlimited") ~= "unlimited" then
  -- not a silent pass: the run fails if the cap cannot be managed
  error("cannot manage RLIMIT_AS with prlimit")
end

local cases = {
  { "b64", function() return string.rep("abc", math.floor(X / 3)) end, function(s) return m.b64(s) end },
  { "b64 more", function() return string.rep("abc", math.floor(X / 3)) end, function(s) return m.b64(s, "") end },
  { "unb64", function() return string.rep("QUJD", math.floor(X / 4)) end, function(s) return m.unb64(s) end },
  { "qp", function() return string.rep("\1", X) end, function(s) return m.qp(s) end },
  { "qp marker", function() return string.rep("\r\n", math.floor(X / 2)) end,
    function(s) return m.qp(s, nil, "<a long end-of-line marker>") end },
  { "unqp", function() return string.rep("x", X) end, function(s) return m.unqp(s) end },
  { "wrp 0", function() return string.rep("a", X) end, function(s) return m.wrp(0, s, 0) end },
  { "wrp 76", function() return string.rep("a", X) end, function(s) return m.wrp(76, s, 76) end },
  { "qpwrp 0", function() return string.rep("a", X) end, function(s) return m.qpwrp(0, s, 0) end },
  { "qpwrp 10", function() return string.rep("a=", math.floor(X / 2)) end, function(s) return m.qpwrp(-3, s, 10) end },
  { "eol", function() return string.rep("\n", X) end, function(s) return m.eol(0, s, "\r\n") end },
  { "dot", function() return string.rep("\r\n.", math.floor(X / 3)) end, function(s) return m.dot(2, s) end },
  -- The result (4 and 3 MiB; the buffers grow to 4) fits under the cap,
  -- its copy into a Lua string does not: the push raises (where a leaked
  -- result buffer would add up).
  { "b64 push", function() return string.rep("abc", MB) end, function(s) return m.b64(s) end },
  { "qp push", function() return string.rep("\1", MB) end, function(s) return m.qp(s) end },
}

local small = string.rep("x", math.floor(3 * MB / 4)) -- b64: 1 MiB, fits under the cap
for _, case in ipairs(cases) do
  local name, make, call = case[1], case[2], case[3]
  local s = make()
  full_gc()
  local rss0 = kb("VmRSS")
  print(name, "capped:", limit(kb("VmSize") * 1024 + EXTRA) ~= "unlimited")
  for i = 1, 5 do
    local ok, err = pcall(call, s)
    if i == 1 or ok then print(name, "pcall", ok, ok and #err or err) end
    local xok, xerr = xpcall(function() return call(s) end,
      function(e) return "handler ran: " .. tostring(e) end)
    if i == 1 or xok then print(name, "xpcall", xok, xok and #xerr or xerr) end
  end
  full_gc()
  local r = m.b64(small)
  print(name, "a call that fits still works:", r ~= nil and #r == MB)
  r = nil
  full_gc()
  print(name, "uncapped:", limit("unlimited") == "unlimited")
  full_gc()
  local grew = kb("VmRSS") - rss0
  if grew >= 2048 then io.stderr:write(name, ": resident size grew by ", grew, " kB\n") end
  print(name, "resident size back:", grew < 2048)
  s = nil
  full_gc()
end
print("ok")
