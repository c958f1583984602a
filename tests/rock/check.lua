-- Run by scripts/rock-test.sh through `luarocks path` of a rock tree, from an
-- empty working directory:  check.lua <expect: rs|c> <tree> <abi> <http_server.py>
-- Checks that socket.core, mime.core, socket.unix and socket.serial are mapped
-- from the tree's unversioned spot and are the implementation expected, that
-- upstream's Lua files come from the tree, that _DEBUG is true (both rocks are
-- built with LUASOCKET_DEBUG), a loopback TCP echo, a socket.http GET against
-- a local server, mime.b64. Prints the shape of send/receive results (which
-- the shell compares between the two rocks) and "ok" last; any failure is an
-- error (exit 1).
local expect, tree, abi, http_server = assert(arg[1]), assert(arg[2]), assert(arg[3]), assert(arg[4])

local socket = require "socket"
local http = require "socket.http"
local mime = require "mime"
local unix = require "socket.unix"
local serial = require "socket.serial"

-- the mapped file of each C module: the tree's unversioned path, ours or not
local maps = assert(io.open("/proc/self/maps")):read("*a")
for _, m in ipairs { "socket/core.so", "mime/core.so", "socket/unix.so", "socket/serial.so" } do
  local want = tree .. "/lib/lua/" .. abi .. "/" .. m
  local found = {}
  for p in maps:gmatch("%s(/%S+)\n") do
    if p:sub(-#m) == m then found[p] = true end -- also versioned copies, other trees
  end
  local list = {}
  for p in pairs(found) do list[#list + 1] = p end
  assert(#list == 1 and list[1] == want,
    ("%s: mapped %s, want %s"):format(m, table.concat(list, " "), want))
  local data = assert(io.open(want, "rb")):read("*a")
  local ours = data:find("luasocket-rs: internal error", 1, true) ~= nil
  assert(ours == (expect == "rs"), ("%s is %s, want %s"):format(want, ours and "rs" or "c", expect))
end
print("modules from " .. tree .. " (" .. expect .. ")")

-- upstream's Lua files from the tree (its luasocket rock)
local function source_of(module)
  for _, f in pairs(module) do
    local info = type(f) == "function" and debug.getinfo(f, "S")
    if info and info.what == "Lua" then return info.source end
  end
end
for name, file in pairs { socket = "socket.lua", http = "socket/http.lua", mime = "mime.lua" } do
  local src = source_of(({ socket = socket, http = http, mime = mime })[name])
  assert(src == "@" .. tree .. "/share/lua/" .. abi .. "/" .. file, name .. ": " .. tostring(src))
end

assert(socket._DEBUG == true, "socket._DEBUG is " .. tostring(socket._DEBUG))
assert(socket._VERSION == "LuaSocket 3.0.0", socket._VERSION)

local function pack(...) return { n = select("#", ...), ... } end
local function shape(r)
  local t = { r.n }
  for i = 1, r.n do t[#t + 1] = type(r[i]) end
  return table.concat(t, ",")
end

-- TCP echo on loopback
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
server:settimeout(5)
local client = assert(socket.connect("127.0.0.1", port))
client:settimeout(5)
local peer = assert(server:accept())
peer:settimeout(5)
local sent = shape(pack(client:send("hello, rock\n")))
local line = peer:receive("*l")
assert(line == "hello, rock", tostring(line))
assert(peer:send(line .. "\n"))
local r = pack(client:receive("*l"))
assert(r[1] == "hello, rock", tostring(r[1]) .. " " .. tostring(r[2]))
local received = shape(r)
-- DEBUG builds append the elapsed time to send's and receive's results
local last = select(select("#", client:send("x")), client:send("x"))
assert(type(last) == "number", "send's last result is " .. type(last))
client:close(); peer:close(); server:close()
print("shape send=" .. sent .. " receive=" .. received)

-- socket.http (upstream's http.lua from the tree) against a local server
local srv = assert(io.popen("python3 " .. http_server, "r"))
local hport = assert(tonumber(srv:read("*l")), "http server did not start")
local body, code = http.request("http://127.0.0.1:" .. hport .. "/hello")
assert(code == 200 and body == "hello, world\n", tostring(code) .. " " .. tostring(body))
http.request("http://127.0.0.1:" .. hport .. "/shutdown")
srv:close()

assert(mime.b64("hello") == "aGVsbG8=" and mime.unb64("aGVsbG8=") == "hello")
assert(tostring(unix.stream()):find("^unixstream{master}"), "socket.unix")
assert(type(serial) == "function", "socket.serial")
print("ok")
