-- __tostring prints the class name as auxiliar.c does ("%s: %p" through
-- lua_pushfstring): the whole C string, however long, up to its first NUL;
-- a number class is converted; a class that is no string is an error.
local socket = require "socket"
local unix = require "socket.unix"

local function show(label, o)
  local ok, s = pcall(tostring, o)
  if ok then s = s:gsub("0x%x+", "0xADDR") end
  print(label, ok, #tostring(s), s)
end

local objs = {
  master = socket.tcp(), udp = socket.udp(), unixstream = unix.stream(), unixdgram = unix.dgram(),
}
for _, k in ipairs { "master", "udp", "unixstream", "unixdgram" } do
  local o = objs[k]
  local idx = getmetatable(o).__index
  local orig = idx.class
  show(k .. " as is", o)
  for _, n in ipairs { 71, 72, 73, 95, 96, 200, 5000 } do
    idx.class = ("c"):rep(n)
    show(k .. " class of " .. n, o)
  end
  idx.class = "tcp{x}\0hidden"
  show(k .. " embedded NUL", o)
  idx.class = "\0"
  show(k .. " leading NUL", o)
  idx.class = ""
  show(k .. " empty", o)
  idx.class = 42
  show(k .. " number", o)
  idx.class = 1.5
  show(k .. " float", o)
  idx.class = {}
  show(k .. " table", o)
  idx.class = nil
  show(k .. " nil", o)
  idx.class = orig
  show(k .. " restored", o)
  o:close()
end
