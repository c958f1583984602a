-- Which LuaSocket C core did this interpreter load, and from where?
--
--   lua5.X scripts/debian/which-core.lua rs|c <multiarch>
--
-- Run with no LUA_CPATH, so modules come from the interpreter's default
-- paths (Debian's). Requires Debian's lua-sec first, so that
-- liblua5.X-socket.so.2 is mapped as ssl.so's NEEDED library, then
-- socket.core, mime.core, socket.unix, socket.serial, and copas. Then it
-- reads /proc/self/maps: each mapped LuaSocket library is classified "rs" if
-- the file carries luasocket-rs's internal-error text (which only our core
-- contains; Debian's C libraries do not), else "c". Prints what it found and
-- "ok" as its last line when:
--   * every module file is Debian's path, /usr/lib/<multiarch>/lua/5.X/...,
--   * exactly Debian's four libraries are mapped, at Debian's paths, once
--     each, all of the expected core,
--   * nothing else that looks like a LuaSocket core is mapped.
local want, multiarch = arg[1], arg[2]
assert(want == "rs" or want == "c", "usage: which-core.lua rs|c <multiarch>")
local abi = _VERSION:match("%d+%.%d+")
local libdir = "/usr/lib/" .. multiarch
local problems = {}
local function problem(s) problems[#problems + 1] = s end

-- package.searchpath is not in Lua 5.1
local function search(name)
  local file = name:gsub("%.", "/")
  for template in package.cpath:gmatch("[^;]+") do
    local path = template:gsub("%?", file)
    local f = io.open(path)
    if f then f:close(); return path end
  end
end

local ok, err = pcall(require, "ssl")
if not ok then problem("require ssl: " .. tostring(err)) end
for _, m in ipairs { "ssl", "socket.core", "mime.core", "socket.unix", "socket.serial" } do
  local path = search(m)
  print("module " .. m .. " " .. tostring(path))
  if path ~= libdir .. "/lua/" .. abi .. "/" .. m:gsub("%.", "/") .. ".so" then
    problem(m .. " found at " .. tostring(path))
  end
  if m ~= "ssl" then
    local loaded, e = pcall(require, m)
    if not loaded then problem("require " .. m .. ": " .. tostring(e)) end
  end
end
local socket = require "socket"
if not pcall(require, "copas") then package.path = package.path .. ";/usr/share/lua/5.1/?.lua" end
local copas_ok, copas = pcall(require, "copas")
if not copas_ok or type(copas.addserver) ~= "function" then problem("require copas: " .. tostring(copas)) end
if package.loaded["socket.core"] ~= socket then problem("socket is not socket.core") end

local expected = {}
for _, n in ipairs { "socket.so.2.0.0", "mime.so.2.0.0", "socket-unix.so.2.0.0", "socket-serial.so.0.0.0" } do
  expected[libdir .. "/liblua" .. abi .. "-" .. n] = true
end
local mapped, order = {}, {}
for line in io.lines("/proc/self/maps") do
  local path = line:match("%s(/%S+)$")
  if path and not mapped[path] then
    mapped[path] = true
    order[#order + 1] = path
  end
end
local seen = 0
for _, path in ipairs(order) do
  local base = path:match("[^/]+$")
  local socketish = base:find("socket") or base:find("mime") or base:find("^core%.so")
  if socketish and not base:find("%-sec%.") then
    local f = io.open(path, "rb")
    local data = f and f:read("*a") or ""
    if f then f:close() end
    local core = data:find("luasocket-rs: internal error", 1, true) and "rs" or "c"
    print("mapped " .. path .. " " .. core)
    if not expected[path] then problem("unexpected mapping " .. path)
    else seen = seen + 1 end
    if core ~= want then problem(path .. " is the " .. core .. " core") end
  end
end
if seen ~= 4 then problem(seen .. " of Debian's 4 libraries mapped") end
for _, p in ipairs(problems) do print("problem: " .. p) end
print(#problems == 0 and "ok" or "not ok")
