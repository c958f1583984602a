-- Ours only: a select-driven echo server serving 200 concurrent clients in
-- one process, with every socket's descriptor above 1023 (where the C core's
-- select(2) cannot go). Re-runs itself under `ulimit -n 4096` when the soft
-- limit is too low. Prints "ok" last only when every byte came back.
local socket = require "socket"
local interp, script = arg[-1], arg[0]
local CLIENTS, ROUNDS = 200, 5

if arg[1] ~= "child" then
  local h = assert(io.popen("ulimit -n")); local lim = tonumber(h:read("*l")) or 0; h:close()
  if lim < 4096 then
    local p = assert(io.popen("ulimit -n 4096 2>/dev/null && exec " .. interp .. " " .. script .. " child"))
    local out = p:read("*a"); p:close()
    io.write(out)
    return
  end
end

-- push descriptors above 1023
local fillers = {}
for i = 1, 1100 do fillers[i] = assert(io.open("/dev/null")) end

local server = assert(socket.bind("127.0.0.1", 0))
server:settimeout(0)
local _, port = server:getsockname()
assert(server:getfd() > 1023, "server fd not above 1023: " .. server:getfd())

local clients, pending = {}, {}
for i = 1, CLIENTS do
  local c = assert(socket.tcp())
  c:settimeout(0)
  local r, e = c:connect("127.0.0.1", port)
  assert(r or e == "timeout", e)
  clients[i] = { sock = c, round = 0, expect = nil, buf = "" }
end

local conns = {}          -- accepted server-side sockets
local served_lines = 0
local deadline = socket.gettime() + 60
local finished = 0
local function msg(i, r) return ("client %d round %d %s"):format(i, r, string.rep("x", (i * 7 + r) % 500)) end

while finished < CLIENTS and socket.gettime() < deadline do
  -- server side: accept and echo
  local rset = { server }
  for _, c in ipairs(conns) do rset[#rset + 1] = c end
  -- client side: send when idle, read when waiting
  local wset = {}
  for i, cl in ipairs(clients) do
    if cl.round < ROUNDS and not cl.expect then wset[#wset + 1] = cl.sock end
    if cl.expect then rset[#rset + 1] = cl.sock end
  end
  local readable, writable, err = socket.select(rset, wset, 1)
  assert(err == nil or err == "timeout", err)
  for _, s in ipairs(readable) do
    if s == server then
      while true do
        local c = server:accept()
        if not c then break end
        assert(c:getfd() > 1023)
        c:settimeout(0)
        conns[#conns + 1] = c
      end
    else
      local owner
      for i, cl in ipairs(clients) do if cl.sock == s then owner = i break end end
      if owner then
        local cl = clients[owner]
        local line, e, partial = s:receive("*l", cl.buf)
        if line then
          assert(line == cl.expect, "client " .. owner .. " got a wrong echo")
          cl.expect, cl.buf = nil, ""
          cl.round = cl.round + 1
          if cl.round == ROUNDS then finished = finished + 1; s:close() end
        else
          assert(e == "timeout", e); cl.buf = partial
        end
      else
        local line, e, partial = s:receive("*l")
        if line then
          served_lines = served_lines + 1
          assert(s:send(line .. "\n"))
        elseif e == "closed" then
          for k, c in ipairs(conns) do if c == s then table.remove(conns, k) break end end
          s:close()
        else
          -- partial line: put it back by re-sending later (kept in the buffer by prefix)
          assert(e == "timeout", e)
          if partial ~= "" then
            -- keep it: read the rest blocking with a bound
            s:settimeout(5)
            local rest = assert(s:receive("*l", partial))
            s:settimeout(0)
            served_lines = served_lines + 1
            assert(s:send(rest .. "\n"))
          end
        end
      end
    end
  end
  for _, s in ipairs(writable) do
    for i, cl in ipairs(clients) do
      if cl.sock == s and not cl.expect and cl.round < ROUNDS then
        cl.expect = msg(i, cl.round)
        s:settimeout(5)
        assert(s:send(cl.expect .. "\n"))
        s:settimeout(0)
        break
      end
    end
  end
end

assert(finished == CLIENTS, ("only %d of %d clients finished"):format(finished, CLIENTS))
assert(served_lines == CLIENTS * ROUNDS, "served " .. served_lines)
for _, c in ipairs(conns) do c:close() end
server:close()
for _, f in ipairs(fillers) do f:close() end
print("ok")
