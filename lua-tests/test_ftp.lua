-- socket.ftp (upstream ftp.lua, unchanged) over our core against a local FTP
-- server (pyftpdlib): passive-mode put and get of binary data, the simple
-- URL interface, directory listing, errors. Exercises select on non-socket
-- objects, accept/getsockname/getpeername through ftp.lua and tp.lua.
local ftp = require "socket.ftp"
local ltn12 = require "ltn12"

local dir = os.tmpname(); os.remove(dir); assert(os.execute("mkdir " .. dir))
local srv = assert(io.popen("python3 lua-tests/servers/ftp_server.py " .. dir, "r"))
local port = assert(tonumber(srv:read("*l")), "server did not start")
local base = "ftp://luser:pw@127.0.0.1:" .. port

local data = {}
for i = 0, 255 do data[#data + 1] = string.char(i) end
data = string.rep(table.concat(data), 2000) -- 512000 bytes of every byte value

-- put with the generic interface, then read it back through the simple one
local r, e = ftp.put { host = "127.0.0.1", port = port, user = "luser", password = "pw",
                       path = "blob.bin", type = "i", source = ltn12.source.string(data) }
assert(r == #data, tostring(e))  -- put returns the bytes sent
local got, err = ftp.get(base .. "/blob.bin;type=i")
assert(got == data, tostring(err))

-- simple put of a text file, get through a sink
assert(ftp.put(base .. "/hello.txt;type=a", "hello over ftp\r\n"))
local t = {}
r, e = ftp.get { host = "127.0.0.1", port = port, user = "luser", password = "pw",
                 path = "hello.txt", sink = ltn12.sink.table(t) }
assert(r == 1 and table.concat(t) == "hello over ftp\r\n", tostring(e))

-- directory listing
t = {}
r, e = ftp.get { host = "127.0.0.1", port = port, user = "luser", password = "pw",
                 command = "nlst", sink = ltn12.sink.table(t) }
local listing = table.concat(t)
assert(r == 1 and listing:find("blob.bin") and listing:find("hello.txt"), tostring(e) .. listing)

-- errors come back as nil, message
r, e = ftp.get(base .. "/missing.txt")
assert(r == nil and e:find("550"), tostring(e))
r, e = ftp.get("ftp://luser:wrong@127.0.0.1:" .. port .. "/hello.txt")
assert(r == nil and e:find("530"), tostring(e))

-- on disk, byte for byte
local f = assert(io.open(dir .. "/blob.bin", "rb")); assert(f:read("*a") == data); f:close()

assert(io.open(dir .. "/shutdown", "w")):close()
srv:close()
os.execute("rm -rf " .. dir)
print("ok")
