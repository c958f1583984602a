-- socket.dns: toip, tohostname, gethostname, getaddrinfo, getnameinfo on
-- names /etc/hosts answers (localhost, loopback literals) plus one name
-- under .invalid (reserved, never resolves); results printed in full with
-- exact key and number types.
local T = require "tdiff"
local socket = require "socket"
local dns = socket.dns

local function dump(v)
  if type(v) ~= "table" then return T.repr(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = "[" .. T.repr(k) .. "]=" .. dump(v[k]) end
  return "{" .. table.concat(out, ", ") .. "}"
end
local function show(label, f, ...)
  local r = { n = select("#", ...) }
  local res = { pcall(f, ...) }
  local n = 0
  for i = 1, 10 do if res[i] ~= nil then n = i end end
  local out = {}
  for i = 1, n do out[i] = dump(res[i]) end
  print(label, table.concat(out, " | "))
end

for _, name in ipairs { "localhost", "127.0.0.1", "127.1", "127", "::1", "", "nonexistent.invalid", "vm" } do
  show("toip " .. name, dns.toip, name)
  show("tohostname " .. name, dns.tohostname, name)
end
show("toip()", dns.toip)
show("toip({})", dns.toip, {})
show("toip(127)", dns.toip, 127)
show("tohostname(nil)", dns.tohostname, nil)
print(pcall(function() return dns.toip() end))

local hn = dns.gethostname()
print("gethostname", type(hn), #hn > 0, select("#", dns.gethostname()))
show("gethostname(1,2)", function(...) return type(dns.gethostname(...)) end, 1, 2)

for _, name in ipairs { "localhost", "127.0.0.1", "::1", "*", "", "nonexistent.invalid", "::ffff:127.0.0.1", "0" } do
  show("getaddrinfo " .. name, dns.getaddrinfo, name)
end
show("getaddrinfo()", dns.getaddrinfo)
show("getaddrinfo(1)", dns.getaddrinfo, 1)
show("getaddrinfo({})", dns.getaddrinfo, {})
print(pcall(function() return dns.getaddrinfo() end))

local cases = {
  { "localhost" }, { "127.0.0.1" }, { "::1" }, { nil, "80" }, { nil, "http" }, { nil, "12345" },
  { "localhost", "80" }, { "127.0.0.1", "ssh" }, { nil, "nosuchservice" }, { "nonexistent.invalid" },
  { "*" }, { "" }, { nil, "" }, { 127, 22 },
}
for i, c in ipairs(cases) do
  show("getnameinfo " .. tostring(c[1]) .. " " .. tostring(c[2]), dns.getnameinfo, c[1], c[2])
end
show("getnameinfo()", dns.getnameinfo)
show("getnameinfo(nil,nil)", dns.getnameinfo, nil, nil)
show("getnameinfo({})", dns.getnameinfo, {})
show("getnameinfo(nil,{})", dns.getnameinfo, nil, {})
print(pcall(function() return dns.getnameinfo() end))
print(pcall(function() return dns.getnameinfo(nil, nil) end))
print(pcall(function() local x = dns.getnameinfo(); return x end))

-- the dns table itself
print("dns keys", T.keys(dns))
print("same table", dns == require("socket.core").dns)
