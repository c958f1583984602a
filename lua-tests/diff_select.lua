-- socket.select against the reference, without TCP objects: elements are
-- plain tables whose getfd returns descriptors every process has (0 is
-- /dev/null in the runner: always readable and writable; 1 and 2 are files:
-- always ready) or the read end of a pipe from io.popen (never ready while
-- its writer lives). Descriptor numbers are never printed.
local T = require "tdiff"
local core = require "socket.core"
local sel = core.select
local interp = arg[-1]

local function mypid()
  local f = assert(io.open("/proc/self/stat"))
  local pid = f:read("*n")
  f:close()
  return pid
end
local PID = mypid()

local function links()  -- our descriptors: fd -> link target
  local h = assert(io.popen("ls -l /proc/" .. PID .. "/fd 2>/dev/null"))
  local t = {}
  for line in h:lines() do
    local fd, target = line:match("(%d+) %-> (.+)$")
    if fd then t[tonumber(fd)] = target end
  end
  h:close()
  return t
end

-- io.popen whose output pipe we can name: returns handle, our fd, child pid
local function pipe_from(cmd)
  local p = assert(io.popen("echo $$; exec " .. cmd))
  local cpid = p:read("*l")
  local r = assert(io.popen("readlink /proc/" .. cpid .. "/fd/1"))
  local target = r:read("*l")
  r:close()
  for fd, t in pairs(links()) do
    if t == target then return p, fd, cpid end
  end
  error("pipe not found")
end

local function name(e)
  if type(e) == "table" then return tostring(e.name) end
  return T.repr(e)
end

-- "[names] {reverse values} keys" of a result table
local function desc(t)
  if type(t) ~= "table" then return T.repr(t) end
  local names, rev, kinds = {}, {}, {}
  for i = 1, #t do
    names[i] = name(t[i])
    rev[i] = T.repr(t[t[i]])
  end
  local nk = 0
  for k in pairs(t) do
    nk = nk + 1
    local kt = type(k) == "number" and T.repr(k):match("^(%a+)") or type(k)
    kinds[kt] = (kinds[kt] or 0) + 1
  end
  local ks = {}
  for k, n in pairs(kinds) do ks[#ks + 1] = k .. "*" .. n end
  table.sort(ks)
  return "[" .. table.concat(names, " ") .. "] {" .. table.concat(rev, " ") .. "} " .. table.concat(ks, ",")
end

local function pack(...) return { n = select("#", ...), ... } end

-- prints: ok-flag, number of results, each result described
local function S(label, ...)
  local res = pack(pcall(sel, ...))
  local out = {}
  for i = 2, res.n do out[#out + 1] = desc(res[i]) end
  print(label, res[1], res.n - 1, table.concat(out, " | "))
end

local function obj(nm, fd, extra)
  local o = { name = nm, getfd = function() return fd end }
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end

local IN, OUT, ERR = obj("in", 0), obj("out", 1), obj("err", 2)
local sleeper, PFD, spid = pipe_from("sleep 60")
local P = obj("pipe", PFD)
print("pipe fd low", PFD > 2 and PFD < 64)

---------------------------------------------------------------- arguments
S("nil, nil, 0 first", nil, nil, 0)
S("1", 1)
S("'x'", "x")
S("true", true)
S("function", print)
S("FILE*", io.stdout)
S("{}, 1", {}, 1)
S("nil, 'x'", nil, "x")
S("{}, io.stdout", {}, io.stdout)
S("{}, {}, 'x'", {}, {}, "x")
S("{}, {}, {}", {}, {}, {})
S("{}, {}, true", {}, {}, true)
S("'x', 'y', 'z' (arg 3 first)", "x", "y", "z")
S("'x', 'y'", "x", "y")
S("{}, {}, '0'", {}, {}, "0")
S("{}, {}, ' 0x0 '", {}, {}, " 0x0 ")
S("nil, nil, 0", nil, nil, 0)
S("{}, nil, 0.01", {}, nil, 0.01)
S("nil, {}, 0", nil, {}, 0)
S("nil, nil, nan", nil, nil, 0 / 0)

-- recvt is walked (getfd called) before sendt's type is checked
local log = {}
local L1 = { name = "L1", getfd = function(self) log[#log + 1] = "getfd " .. self.name; return 0 end }
S("{L1}, 5", { L1 }, 5)
print("log", table.concat(log, ","))

---------------------------------------------------------------- readiness
S("{in}, {out}, 10", { IN }, { OUT }, 10)
S("{in}, {out}, nil", { IN }, { OUT }, nil)
S("{in}, {out} (no timeout)", { IN }, { OUT })
S("{out, in, err}, nil, 5", { OUT, IN, ERR }, nil, 5)
S("nil, {err, out, in}, 5", nil, { ERR, OUT, IN }, 5)
S("{pipe}, nil, 0", { P }, nil, 0)
S("{pipe}, nil, 0.05", { P }, nil, 0.05)
S("nil, {pipe}, 0.02", nil, { P }, 0.02)
S("{pipe, in}, {pipe, out}, 5", { P, IN }, { P, OUT }, 5)
S("{pipe}, {out}, 100", { P }, { OUT }, 100)
S("-1 timeout, ready", { IN }, nil, -1)
S("-inf timeout, ready", { IN }, nil, -math.huge)
S("2^31-1 timeout, ready", nil, { OUT }, 2 ^ 31 - 1)
S("2^31+1000 timeout", nil, { OUT }, 2 ^ 31 + 1000)
S("1e10 timeout", { IN }, nil, 1e10)
S("huge timeout", { IN }, nil, math.huge)
S("huge timeout, no fds", nil, nil, math.huge)
S("nan timeout, pipe", { P }, nil, 0 / 0)
S("nan timeout, ready", { IN }, nil, 0 / 0)
local r, w = sel({ IN }, { OUT }, 1)
print("fresh tables", type(r), type(w), r ~= w)
local recvt = { IN }
r = sel(recvt, nil, 1)
print("not the argument", r ~= recvt, #recvt)

-- a pipe whose writer is gone: readable (EOF), never writable (hang-up)
local dead, DFD, dpid = pipe_from("sleep 60")
os.execute("kill " .. dpid)
dead:read("*a")
local D = obj("dead", DFD)
S("{dead}, nil, 1", { D }, nil, 1)
S("nil, {dead}, 0.05", nil, { D }, 0.05)
S("{dead}, {dead, out}, 1", { D }, { D, OUT }, 1)
dead:close()

-- data arriving later ends a long wait
local later, LFD, lpid = pipe_from("sh -c 'sleep 0.2; echo x; exec sleep 60'")
S("{later, pipe}, nil, 30", { obj("later", LFD), P }, nil, 30)
os.execute("kill " .. lpid .. " 2>/dev/null")
later:close()

---------------------------------------------------------------- elements
S("numbers", { 1 }, nil, 0)
S("number in sendt", nil, { IN, 2 }, 0)
S("boolean", { true }, nil, 0)
S("function", { print }, nil, 0)
S("strings ignored", { "a", "b" }, { "c" }, 0)
S("FILE* ignored", { io.stdout }, { io.stderr }, 0)
S("tables without getfd", { {}, { name = "x" } }, nil, 0)
S("holes", { IN, nil, OUT }, nil, 1)
S("hole first", { nil, IN }, nil, 0)
S("false stops? (not nil)", { false }, nil, 0)
string.getfd = function() return 0 end
S("strings with string.getfd", { "str" }, { "str" }, 1)
string.getfd = nil

local rets = {
  { "nil", nil }, { "false", false }, { "true", true }, { "'0'", "0" }, { "' 1 '", " 1 " },
  { "'0x2'", "0x2" }, { "'x'", "x" }, { "-1", -1 }, { "-2", -2 }, { "-0.5", -0.5 },
  { "0.9", 0.9 }, { "1.5", 1.5 }, { "-0.0", -0.0 }, { "nan", 0 / 0 }, { "{}", {} },
  { "-inf", -math.huge }, { "-1e300", -1e300 },
}
for _, rv in ipairs(rets) do
  local o = { name = "g" .. rv[1], getfd = function() return rv[2] end }
  S("getfd -> " .. rv[1], { o }, { o }, 0.01)
end
S("getfd multiple returns", { { name = "m", getfd = function() return -1, 0 end } }, nil, 0)
S("getfd not callable", { { getfd = 5 } }, nil, 0)
S("getfd string", { { getfd = "x" } }, nil, 0)
S("getfd raises", { { getfd = function() error("boom") end } }, nil, 0)
S("getfd raises table", { { getfd = function() error({}) end } }, nil, 0)
S("getfd raises in sendt", nil, { { getfd = function() error("wboom", 0) end } }, 0)
S("getfd callable table",
  { { name = "ct", getfd = setmetatable({}, { __call = function(self, e) return 0 end }) } }, nil, 1)
local cls = { __index = { getfd = function(self) return self.fd end } }
S("getfd via __index", { setmetatable({ name = "mi", fd = 0 }, cls) }, nil, 1)
S("getfd via __index function",
  { setmetatable({ name = "mf" }, { __index = function(t, k) return k == "getfd" and function() return 1 end or nil end }) },
  nil, 1)
local args = {}
S("getfd self argument", { { name = "self", getfd = function(...) args = { ... }; return 0 end } }, nil, 1)
print("getfd args", #args, args[1] and args[1].name)

-- recvt via __index: keys are what lua_pushnumber makes
local keys = {}
local proxy = setmetatable({}, { __index = function(t, k)
  keys[#keys + 1] = T.repr(k)
  if k == 1 then return IN elseif k == 2 then return OUT end
end })
S("proxy recvt", proxy, nil, 1)
print("proxy keys", table.concat(keys, " "))
keys = {}
S("proxy sendt", nil, proxy, 1)
print("proxy keys", table.concat(keys, " "))
S("proxy raising", setmetatable({}, { __index = function() error("idx") end }), nil, 0)

-- duplicates: the last element with a descriptor wins, across both lists
local A0, B0, C0 = obj("A0", 0), obj("B0", 0), obj("C0", 0)
S("dup read", { A0, B0 }, nil, 1)
S("dup write", nil, { A0, B0 }, 1)
S("read A0, write B0", { A0 }, { B0 }, 1)
S("read A0 C0, write B0", { A0, C0 }, { B0 }, 1)
S("same element twice", { IN, IN }, { OUT, OUT }, 1)
local many = {}
for i = 1, 3000 do many[i] = (i % 3 == 0) and IN or ((i % 3 == 1) and OUT or ERR) end
S("3000 elements, 3 fds", many, many, 1)

-- yields inside getfd cannot cross the C function
local co = coroutine.wrap(function()
  return pcall(sel, { { getfd = function() coroutine.yield(1) end } }, nil, 0)
end)
print("yield in getfd", co())

---------------------------------------------------------------- dirty
log = {}
local function logged(nm, fd, dirtyval)
  return {
    name = nm,
    getfd = function(self) log[#log + 1] = "g:" .. nm; return fd end,
    dirty = function(self) log[#log + 1] = "d:" .. nm; return dirtyval end,
  }
end
local Dp = logged("Dp", PFD, true)
S("dirty pipe, no timeout", { Dp }, nil)
print("log", table.concat(log, ","))
log = {}
S("dirty order", { OUT, IN, Dp, logged("clean", 2, false) }, nil, 5)
print("log", table.concat(log, ","))
log = {}
S("dirty and ready", { logged("D0", 0, true) }, { logged("W0", 0, true) }, 5)
print("log", table.concat(log, ","))
log = {}
S("dirty twice", { Dp, Dp }, nil, 5)
S("dirty with big timeout", { Dp }, nil, 2 ^ 40)
S("dirty with huge timeout", { Dp }, nil, math.huge)
S("dirty invalid fd", { logged("Dneg", -1, true), logged("Dnil", nil, true) }, nil, 0)
print("log", table.concat(log, ","))
log = {}
S("dirty returns 0", { logged("Dz", PFD, 0) }, nil, 0)
S("dirty returns nil", { logged("Dn", PFD, nil) }, nil, 0)
S("dirty returns false", { logged("Df", PFD, false) }, nil, 0)
S("dirty returns ''", { logged("Ds", PFD, "") }, nil, 0)
S("dirty in sendt only", nil, { logged("Dw", 1, true) }, 1)
print("log", table.concat(log, ","))
S("dirty not callable", { { getfd = function() return 0 end, dirty = 1 } }, nil, 0)
S("dirty raises", { { getfd = function() return 0 end, dirty = function() error("dboom") end } }, nil, 0)
S("dirty via __index", { setmetatable({ name = "dm", fd = PFD }, { __index = {
  getfd = function(self) return self.fd end, dirty = function() return 1 end } }) }, nil)
-- getfd answers differently the second time (the dirty pass asks again)
local n1 = 0
local flip = { name = "flip", getfd = function() n1 = n1 + 1; return n1 == 1 and -1 or PFD end,
  dirty = function() return true end }
S("getfd -1 then pipe, dirty", { flip }, nil, 0)
local n2 = 0
local flop = { name = "flop", getfd = function() n2 = n2 + 1; return n2 == 1 and PFD or -1 end,
  dirty = function() return true end }
S("getfd pipe then -1, dirty", { flop }, nil, 0)
local n3 = 0
local swap = { name = "swap", getfd = function() n3 = n3 + 1; return n3 == 1 and 0 or PFD end,
  dirty = function() return true end }
S("getfd 0 then pipe, dirty", { swap, OUT }, nil, 1)

---------------------------------------------------------------- failures
-- a closed descriptor in the same 64-bit word as the highest one asked
-- about: select(2) says EBADF, whatever the process's table size
local BADFD
for fd = 63, 40, -1 do
  local f = io.open("/proc/self/fd/" .. fd)
  if f then f:close() elseif not links()[fd] then BADFD = fd break end
end
print("bad fd found", BADFD ~= nil)
local BAD = obj("bad", BADFD)
S("closed fd", { BAD }, nil, 0)
S("closed fd in sendt", { IN }, { BAD }, 1)
print("closed fd, position", pcall(function() return sel({ BAD }, nil, 0) end))
S("closed fd but dirty", { logged("Dq", PFD, true), BAD, IN }, { OUT, P }, 0)

---------------------------------------------------------------- blocking
local function child(code)
  local h = io.popen("timeout 0.5 " .. interp .. " -e '" .. code .. "' </dev/null 2>&1; echo status $?")
  local out = h:read("*a")
  h:close()
  return (out:gsub("\n", " "))
end
print("select() blocks", child("require[[socket.core]].select()"))
print("select({}, {}, -1) blocks", child("require[[socket.core]].select({}, {}, -1)"))
print("select ignored elements blocks",
  child("require[[socket.core]].select({[[s]], {getfd=function() return -1 end}})"))

-- an interrupted wait resumes: SIGINT (lua.c's handler, no SA_RESTART)
-- arrives after 0.1s, the select still waits its 1s, then lua.c's hook
-- stops the script.
local code = "local c = require[[socket.core]]; " ..
  "local f = io.open([[/proc/self/stat]]); local pid = f:read([[*n]]); f:close(); " ..
  "os.execute([[(sleep 0.1; kill -INT ]] .. pid .. [[) &]]); " ..
  "c.select(nil, nil, 1); print([[not interrupted]])"
local t0 = core.gettime()
local h = io.popen(interp .. " -e '" .. code .. "' </dev/null 2>/dev/null; echo status $?")
local out = h:read("*a")
h:close()
print("EINTR resumed", (out:gsub("\n", " ")), core.gettime() - t0 >= 0.95)

os.execute("kill " .. spid)
sleeper:close()
print("done")
