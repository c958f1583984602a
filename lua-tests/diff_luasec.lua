-- The distro's lua-sec (ssl.so, unchanged) driving the LuaSocket C API it
-- links against: ssl.so keeps its I/O state in LuaSocket's t_buffer/t_io/
-- t_timeout and calls buffer_meth_receive/send, getstats/setstats,
-- timeout_meth_settimeout, socket_waitfd, socket_strerror, ... from
-- liblua5.X-socket.so.2. The transcript printed here must be identical on
-- Debian's library and on ours (scripts/test-distro.sh runs it with our
-- libraries at Debian's paths; run.sh also runs it as a plain diff test).
--
-- Four exchanges, all on 127.0.0.1, certificates made at run time, every
-- wait bounded (timeout(1) around each openssl/child process, socket
-- timeouts everywhere):
--   A. LuaSec client   <-> openssl s_server
--   B. openssl s_client <-> LuaSec server
--   C. LuaSec client   <-> LuaSec server (this script, role "peer", in a
--      child process of the same interpreter)
--   D. ssl.https.request <-> openssl s_server -WWW
-- Nothing printed depends on ports, times or addresses.
local socket = require "socket"
local ssl = require "ssl"

local role, dir = arg[1], arg[2]
local LUA = arg[-1]

-- Adler-32 by arithmetic (Lua 5.1 has no bit operators): long strings are
-- shown as length + checksum, not byte by byte.
local function adler(str)
  local a, b = 1, 0
  for i = 1, #str, 4096 do
    local bytes = { str:byte(i, math.min(i + 4095, #str)) }
    for k = 1, #bytes do a = (a + bytes[k]) % 65521; b = (b + a) % 65521 end
  end
  return string.format("%d", b * 65536 + a)
end
local function show(v)
  if type(v) == "string" then
    if #v > 120 then return string.format("<%d bytes, adler32 %s>", #v, adler(v)) end
    return string.format("%q", v)
  end
  return tostring(v)
end
local function out(label, ...)
  local t = {}
  for i = 1, select("#", ...) do t[#t + 1] = show((select(i, ...))) end
  print(label .. ": " .. table.concat(t, " "))
  io.stdout:flush()
end
local function readfile(p)
  local f = io.open(p, "rb"); if not f then return "" end
  local s = f:read("*a"); f:close(); return s
end
local function writefile(p, s)
  local f = assert(io.open(p, "wb")); f:write(s); f:close()
end
-- received, sent as numbers; age only as "a number >= 0" (it is a time)
local function stats(conn)
  local r, s, age = conn:getstats()
  return r, s, type(age) == "number" and age >= 0
end
-- A deterministic 200 KB payload.
local function blob()
  local t = {}
  for i = 1, 2000 do t[i] = string.format("%05d", i) .. string.rep(string.char(97 + i % 26), 95) end
  return table.concat(t)
end
-- Waits until an openssl server has printed "ACCEPT host:port"; returns port.
local function accept_port(file)
  for _ = 1, 200 do
    local port = readfile(file):match("ACCEPT 127%.0%.0%.1:(%d+)")
    if port then return tonumber(port) end
    socket.sleep(0.05)
  end
  error("openssl server did not start: " .. readfile(file))
end

-- Waits (bounded) until an openssl tool's output file contains text.
local function printed(file, text)
  for _ = 1, 100 do
    if readfile(file):find(text, 1, true) then return true end
    socket.sleep(0.05)
  end
  return false
end

local function server_cfg()
  return { mode = "server", protocol = "any", key = dir .. "/key.pem",
           certificate = dir .. "/cert.pem", verify = "none", options = "all" }
end
local client_cfg = { mode = "client", protocol = "any", verify = "none", options = "all" }

------------------------------------------------------------------------
-- Role "peer": the LuaSec server of exchange C (a child process).
------------------------------------------------------------------------
if role == "peer" then
  local s1 = assert(socket.bind("127.0.0.1", 0))
  local s2 = assert(socket.bind("127.0.0.1", 0))
  s1:settimeout(10); s2:settimeout(10)
  print("ports " .. select(2, s1:getsockname()) .. " " .. select(2, s2:getsockname()))
  io.stdout:flush()

  local c = assert(s1:accept())
  local conn = assert(ssl.wrap(c, server_cfg()))
  out("peer settimeout", conn:settimeout(10))
  out("peer handshake", conn:dohandshake())
  out("peer receive *l", conn:receive("*l"))
  out("peer receive 4 with prefix", conn:receive(4, "pfx:"))
  -- "abc" now, "def\n" only once the client has timed out on it
  out("peer send", conn:send("abc"))
  out("peer receive *l", conn:receive("*l"))
  out("peer send", conn:send("def\n"))
  out("peer send 4..8", conn:send("0123456789\n", 4, 8))
  out("peer send 9..", conn:send("0123456789\n", 9))
  out("peer send -4..-2", conn:send("abcdefgh", -4, -2))
  out("peer send 3..2", conn:send("abc", 3, 2))
  out("peer send 0..0", conn:send("abc", 0, 0))
  out("peer send", conn:send("\n"))
  out("peer send blob", conn:send(blob()))
  out("peer stats", stats(conn))
  out("peer close", conn:close())

  -- Second connection: handshake, one line, then the process exits with
  -- SO_LINGER 0 and no close_notify: the client sees a reset.
  local c2 = assert(s2:accept())
  assert(c2:setoption("linger", { on = true, timeout = 0 }))
  local conn2 = assert(ssl.wrap(c2, server_cfg()))
  conn2:settimeout(10)
  out("peer handshake 2", conn2:dohandshake())
  out("peer send 2", conn2:send("bye\n"))
  out("peer receive 2", conn2:receive("*l"))
  os.exit(0)
end

------------------------------------------------------------------------
-- Main role: set up, then A, B, C, D.
------------------------------------------------------------------------
dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -m 700 " .. dir)
local function cleanup() os.execute("rm -rf " .. dir) end
local ok, err = pcall(function()
  os.execute("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    .. " -keyout " .. dir .. "/key.pem -out " .. dir .. "/cert.pem -days 2 -subj /CN=localhost"
    .. " >" .. dir .. "/req.log 2>&1")
  assert(readfile(dir .. "/cert.pem"):find("BEGIN CERTIFICATE"), "openssl req failed")

  -- A. LuaSec client against openssl s_server. What s_server sends is what
  -- we write to its stdin (each chunk starts with a digit: s_server treats
  -- a chunk starting with Q, q, r, ... as a command); what it receives it
  -- prints to its stdout. Closing its stdin makes it shut down and exit.
  print("== A: LuaSec client, openssl s_server")
  local srv = assert(io.popen("exec timeout 20 openssl s_server -accept 127.0.0.1:0 -naccept 1"
    .. " -cert " .. dir .. "/cert.pem -key " .. dir .. "/key.pem >" .. dir .. "/a.out 2>" .. dir .. "/a.err", "w"))
  local port = accept_port(dir .. "/a.out")
  local tcp = assert(socket.tcp())
  tcp:settimeout(10)
  out("connect", tcp:connect("127.0.0.1", port))
  local conn = assert(ssl.wrap(tcp, client_cfg))
  out("tcp getfd after wrap", tcp:getfd())
  out("settimeout", conn:settimeout(10))
  out("handshake", conn:dohandshake())
  -- Only now: stdin data that s_server finds before the handshake is over
  -- makes it finish the handshake inside a blocking read of our next record.
  srv:write("10 first line\n20 second line\n0123456789"); srv:flush()
  out("receive *l", conn:receive("*l"))
  out("receive *l with prefix", conn:receive("*l", "pre:"))
  out("receive 5", conn:receive(5))
  out("dirty (5 bytes buffered)", conn:dirty())
  out("settimeout 0.2", conn:settimeout(0.2))
  out("receive 100 (partial)", conn:receive(100))
  out("dirty (drained)", conn:dirty())
  out("receive *l (nothing)", conn:receive("*l"))
  srv:write("30 late\n"); srv:flush()
  out("settimeout 10 b", conn:settimeout(10, "b"))
  out("receive *l with prefix", conn:receive("*l", "x:"))
  -- s_server reads one record per wake-up and can leave the next one in
  -- OpenSSL's buffer: wait until it has printed each before sending more.
  out("send 3..8", conn:send("0123456789abcdef\n", 3, 8))
  out("s_server got it", printed(dir .. "/a.out", "234567"))
  out("send", conn:send("|hello s_server\n"))
  out("s_server got it", printed(dir .. "/a.out", "234567|hello s_server\n"))
  out("send -3", conn:send("abcdef\n", -3))
  out("s_server got it", printed(dir .. "/a.out", "234567|hello s_server\nef\n"))
  out("send 5 past end", conn:send("xyz", 5))
  out("stats", stats(conn))
  out("pcall receive *x", pcall(conn.receive, conn, "*x"))
  out("pcall settimeout z", pcall(conn.settimeout, conn, 1, "z"))
  out("settimeout 5 t", conn:settimeout(5, "t"))
  out("settimeout nil", conn:settimeout(nil))
  srv:close() -- EOF on s_server's stdin: it sends close_notify and exits
  conn:settimeout(10)
  -- s_server closes its socket before sending close_notify: OpenSSL reports
  -- an unexpected EOF. (No further receive on that connection: LuaSec 1.2
  -- then sees SSL_ERROR_SYSCALL with errno 0 and spins, on either core.)
  out("receive *a after server exit", conn:receive("*a"))
  out("close", conn:close())
  out("getfd after close", conn:getfd())
  out("receive after close", conn:receive())
  out("send after close", conn:send("x"))

  -- B. openssl s_client against a LuaSec server. s_client sends its stdin
  -- (a file), prints what it receives, and (-quiet implies -ign_eof) exits
  -- when we close.
  print("== B: openssl s_client, LuaSec server")
  local server = assert(socket.bind("127.0.0.1", 0))
  server:settimeout(10)
  local _, bport = server:getsockname()
  writefile(dir .. "/b.in", "40 from s_client\nabcdef")
  local cli = assert(io.popen("exec timeout 20 openssl s_client -connect 127.0.0.1:" .. bport
    .. " -quiet <" .. dir .. "/b.in >" .. dir .. "/b.out 2>" .. dir .. "/b.err", "r"))
  local c = assert(server:accept())
  server:close()
  local sconn = assert(ssl.wrap(c, server_cfg()))
  out("server settimeout", sconn:settimeout(10))
  out("server handshake", sconn:dohandshake())
  out("server receive *l", sconn:receive("*l"))
  sconn:settimeout(0.2)
  out("server receive *a (partial)", sconn:receive("*a"))
  sconn:settimeout(10)
  out("server send", sconn:send("50 reply\n"))
  out("server send 2..4", sconn:send("-xyz-\n", 2, 4))
  out("server send", sconn:send("\n"))
  out("server stats", stats(sconn))
  out("server setstats", sconn:setstats(100, 200, 30))
  local r, s, age = sconn:getstats()
  out("server getstats after setstats", r, s, math.floor(age))
  out("server close", sconn:close())
  cli:close()
  out("s_client got", readfile(dir .. "/b.out"))

  -- C. LuaSec client against a LuaSec server in a child process.
  print("== C: LuaSec client, LuaSec server")
  local peer = assert(io.popen("exec timeout 30 " .. LUA .. " " .. arg[0] .. " peer " .. dir .. " 2>&1", "r"))
  local p1, p2 = (peer:read("*l") or ""):match("^ports (%d+) (%d+)$")
  assert(p1, "peer did not start")
  local t1 = assert(socket.tcp())
  t1:settimeout(10)
  assert(t1:connect("127.0.0.1", tonumber(p1)))
  local cc = assert(ssl.wrap(t1, client_cfg))
  cc:settimeout(10)
  out("handshake", cc:dohandshake())
  out("send", cc:send("60 from client\nabcd"))
  -- the peer sends "abc" and holds "def\n" until we say "next"
  out("select until readable", #(socket.select({ cc }, nil, 10)))
  out("settimeout 0.2", cc:settimeout(0.2))
  local l, e, partial = cc:receive("*l")
  out("receive *l (partial)", l, e, partial)
  out("dirty", cc:dirty())
  cc:settimeout(10)
  out("send", cc:send("next\n"))
  out("receive *l with partial as prefix", cc:receive("*l", partial))
  out("receive *l", cc:receive("*l"))
  out("receive *l", cc:receive("*l"))
  local b = blob()
  local head = cc:receive(100000)
  out("receive 100000", #head, head == b:sub(1, 100000))
  local rest, rerr = cc:receive("*a")
  out("receive *a", rest and #rest, rest == b:sub(100001), rerr)
  out("stats", stats(cc))
  out("setstats", cc:setstats(1, 2, 3))
  r, s, age = cc:getstats()
  out("getstats after setstats", r, s, math.floor(age))
  out("setstats partial", cc:setstats(7))
  r, s = cc:getstats()
  out("getstats after setstats(7)", r, s)
  out("close", cc:close())
  -- second connection: the peer resets it
  local t2 = assert(socket.tcp())
  t2:settimeout(10)
  assert(t2:connect("127.0.0.1", tonumber(p2)))
  local c2 = assert(ssl.wrap(t2, client_cfg))
  c2:settimeout(10)
  out("handshake 2", c2:dohandshake())
  out("receive 2", c2:receive("*l"))
  out("send 2", c2:send("ok\n"))
  out("select until reset", #(socket.select({ c2 }, nil, 10)))
  out("receive after reset", c2:receive("*l"))
  out("send after reset", c2:send("x"))
  out("close 2", c2:close())
  for line in peer:lines() do print(line) end
  peer:close()

  -- Handshake errors: a TCP peer that never answers (timeout while
  -- waiting, socket_waitfd), then resets the connection.
  print("== handshake errors")
  local mute = assert(socket.bind("127.0.0.1", 0))
  mute:settimeout(10)
  local t3 = assert(socket.tcp())
  t3:settimeout(10)
  assert(t3:connect("127.0.0.1", (select(2, mute:getsockname()))))
  local c3 = assert(ssl.wrap(t3, client_cfg))
  c3:settimeout(0.2)
  out("handshake with a mute peer", c3:dohandshake())
  local m = assert(mute:accept())
  assert(m:setoption("linger", { on = true, timeout = 0 }))
  m:close()
  mute:close()
  c3:settimeout(10)
  out("select until reset", #(socket.select({ c3 }, nil, 10)))
  out("handshake after reset", c3:dohandshake())
  out("close", c3:close())

  -- D. ssl.https (socket.http over LuaSec) against openssl s_server -WWW,
  -- which serves files from its working directory.
  print("== D: ssl.https.request, openssl s_server -WWW")
  local https = require "ssl.https"
  local ltn12 = require "ltn12"
  writefile(dir .. "/hello.txt", "secure hello\n")
  local www = assert(io.popen("cd " .. dir .. " && exec timeout 20 openssl s_server -WWW -accept 127.0.0.1:0"
    .. " -naccept 2 -cert cert.pem -key key.pem >d.out 2>d.err", "r"))
  local wport = accept_port(dir .. "/d.out")
  local body, code, headers, status = https.request("https://127.0.0.1:" .. wport .. "/hello.txt")
  out("https GET", body, code, status, headers and headers["content-type"])
  local t = {}
  local one, code2, _, status2 = https.request { url = "https://127.0.0.1:" .. wport .. "/missing.txt",
                                                  sink = ltn12.sink.table(t) }
  out("https GET missing", one, code2, status2, (table.concat(t):match("^[^\n]*")))
  www:close()
end)
cleanup()
if not ok then print("error: " .. tostring(err)); os.exit(1) end
print("done")
