-- Load, run by luahost-5.4 under a raised `ulimit -n` (scripts/harden.sh):
--   load.lua select N ROUNDS   one socket.select loop serves N concurrent TCP
--                              connections from loadclient.py (descriptors
--                              far above 1023, which the C core's select(2)
--                              cannot take), every byte checked on both ends;
--                              each select call names every socket
--   load.lua copas N ROUNDS    the same clients against a copas echo server
--                              (distro lua-copas 1.2), descriptors pushed
--                              above 1023 first
--   load.lua idle N            accepts N connections without select and
--                              reports the RSS each idle one costs (runs on
--                              the C core too)
-- Prints PASS/FAIL/INFO lines and "N passed, M failed".
local H = require "harden"
local socket = require "socket"
local mode, N, ROUNDS = arg[1], tonumber(arg[2]), tonumber(arg[3] or 0)

local function client(port, rounds)
  return assert(io.popen(string.format("exec python3 %s/loadclient.py %d %d %d 150",
    H.dir, port, N, rounds)))
end

collectgarbage(); collectgarbage()
local rss0 = host.rss()
local server = assert(socket.bind("127.0.0.1", 0, 4096))
local _, port = server:getsockname()
port = tonumber(port)

local function idle_figure(conns)
  collectgarbage(); collectgarbage()
  local per = (host.rss() - rss0) * 1024 / #conns
  H.info("%s core: %d idle connections, RSS %.0f bytes each (server side, after malloc_trim)",
    H.impl == "c" and "C" or "our", #conns, per)
  return per
end

if mode == "idle" then
  local h = client(port, 0)
  server:settimeout(20)
  local conns = {}
  for i = 1, N do
    local c, e = server:accept()
    if not c then break end
    conns[i] = c
  end
  H.check("idle: accepted " .. N .. " connections", #conns == N, #conns)
  idle_figure(conns)
  for _, c in ipairs(conns) do c:settimeout(5); c:send("go\n") end
  local out = h:read("*a"); h:close()
  H.check("idle: every client saw its 'go'", out:match("^ok connected=" .. N), out)
  for _, c in ipairs(conns) do c:close() end
  server:close()
  H.summary()
  return
end

-- select mode
local A = ("abcdefghijklmnopqrstuvwxyz"):rep(30)
local function payload(i, r)
  local n = (i * 131 + r * 17) % 700
  local o = (i + r) % 26
  return A:sub(o + 1, o + n)
end

if mode == "copas" then
  if not pcall(require, "copas") then package.path = package.path .. ";/usr/share/lua/5.1/?.lua" end
  local copas = require "copas"
  local fillers = {}
  for i = 1, 1100 do fillers[i] = assert(io.open("/dev/null")) end
  server:close()
  server = assert(socket.bind("127.0.0.1", 0, 4096))
  _, port = server:getsockname()
  port = tonumber(port)
  local A = ("abcdefghijklmnopqrstuvwxyz"):rep(30)
  local served, lines, bad, minfd = 0, 0, nil, math.huge
  copas.addserver(server, function(skt)
    if skt:getfd() < minfd then minfd = skt:getfd() end
    skt = copas.wrap(skt)
    skt:send("go\n")
    while true do
      local line = skt:receive("*l")
      if not line then break end
      local i, rd, pl = line:match("^(%d+):(%d+):(.*)$")
      local n, o = i and (tonumber(i) * 131 + tonumber(rd) * 17) % 700, i and (tonumber(i) + tonumber(rd)) % 26
      if not i or pl ~= A:sub(o + 1, o + n) then bad = "bad line"; break end
      lines = lines + 1
      skt:send(line .. "\n")
    end
    served = served + 1
  end)
  local h = client(port, ROUNDS)
  local deadline = socket.gettime() + 120
  while served < N and socket.gettime() < deadline and not bad do copas.step(0.1) end
  local out = h:read("*a"); h:close()
  server:close()
  for _, f in ipairs(fillers) do f:close() end
  H.info("copas: %d clients served, %d lines, lowest client descriptor %d", served, lines, minfd)
  H.check("copas: " .. N .. " clients served, every line checked by the server", served == N and lines == N * ROUNDS and not bad, bad or (served .. " served, " .. lines .. " lines"))
  H.check("copas: client descriptors above 1023", minfd > 1023, minfd)
  H.check("copas: every echo checked by the clients", out:match("^ok connected=" .. N .. " lines=" .. N * ROUNDS .. " "), out)
  H.summary()
  return
end

local h = client(port, ROUNDS)
server:settimeout(0)
local conns, index, bufs = {}, {}, {}
local accepted, closed, lines, bytes, bad, maxfd = 0, 0, 0, 0, nil, 0
local went = false
local deadline = socket.gettime() + 150
local selects, maxset = 0, 0

local function serve(s)
  if s == server then
    while true do
      local c = server:accept()
      if not c then break end
      c:settimeout(0)
      accepted = accepted + 1
      conns[#conns + 1] = c; index[c] = #conns; bufs[c] = ""
      if c:getfd() > maxfd then maxfd = c:getfd() end
    end
    if accepted == N and not went then
      idle_figure(conns)
      for _, c in ipairs(conns) do c:settimeout(5); assert(c:send("go\n")); c:settimeout(0) end
      went = true
    end
    return
  end
  if not index[s] then return end
  local line, err, part = s:receive("*l", bufs[s])
  if line then
    bufs[s] = ""
    local i, rd, pl = line:match("^(%d+):(%d+):(.*)$")
    if not i or pl ~= payload(tonumber(i), tonumber(rd)) then bad = "bad line from a client"; return end
    lines = lines + 1; bytes = bytes + #line + 1
    s:settimeout(5); assert(s:send(line .. "\n")); s:settimeout(0)
  elseif err == "timeout" then
    bufs[s] = part
  else
    -- closed: drop it (swap with the last)
    local k = index[s]
    conns[k] = conns[#conns]; index[conns[k]] = k; conns[#conns] = nil
    index[s] = nil; bufs[s] = nil
    s:close()
    closed = closed + 1
  end
end

while socket.gettime() < deadline and not (went and closed == N) and not bad do
  local rset = { server }
  for k = 1, #conns do rset[k + 1] = conns[k] end
  if #rset > maxset then maxset = #rset end
  local r, _, e = socket.select(rset, nil, 1)
  selects = selects + 1
  if e and e ~= "timeout" then bad = "select: " .. e; break end
  for _, s in ipairs(r) do serve(s) end
end
local out = h:read("*a"); h:close()
server:close()
for _, c in ipairs(conns) do c:close() end
H.info("select loop: %d connections, highest descriptor %d, %d select calls, %d lines, %d bytes echoed",
  accepted, maxfd, selects, lines, bytes)
H.check("select: one select call named all " .. N .. " connections (largest: " .. maxset .. " sockets)", maxset >= N)
H.check("select: " .. N .. " concurrent connections accepted and served in one select loop", accepted == N and went and closed == N, bad or (accepted .. " accepted, " .. closed .. " closed"))
H.check("select: descriptors far above 1023 (highest " .. H.d(maxfd) .. ")", maxfd > N)
H.check("select: every line checked by the server (" .. N * ROUNDS .. ")", not bad and lines == N * ROUNDS, bad or lines)
H.check("select: every echo checked by the clients", out:match("^ok connected=" .. N .. " lines=" .. N * ROUNDS .. " "), out)
H.summary()
