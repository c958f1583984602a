-- Helpers shared by the hardening scripts (tests/harden/*.lua): named
-- checks with a closing "N passed, M failed" line, the scripted peer
-- (peer.py) and the data it sends.
local M = {}

M.impl = os.getenv("LUASOCKET_IMPL") or "rs"
M.version = os.getenv("LUA_TESTS_VERSION") or _VERSION
M.dir = os.getenv("HARDEN_DIR") or "tests/harden"

local pass, fail = 0, 0

-- check(name, ok, detail): one PASS/FAIL line
function M.check(name, ok, detail)
  if ok then
    pass = pass + 1
    print("PASS " .. name)
  else
    fail = fail + 1
    print("FAIL " .. name .. (detail and (": " .. tostring(detail)) or ""))
  end
  return ok
end

-- info(...): a figure for the report, on its own line (not a check)
function M.info(fmt, ...)
  print("INFO " .. string.format(fmt, ...))
end

function M.summary()
  print(string.format("%d passed, %d failed", pass, fail))
  io.stdout:flush()
  if fail > 0 then os.exit(1) end
end

function M.d(n)
  if n == math.floor(n) and n > -2^53 and n < 2^53 then return string.format("%d", n) end
  return string.format("%.17g", n)
end

local ALPHA = "0123456789abcdefghijklmnopqrstuvwxyz"
-- data(n): the first n bytes the peer sends for "blast n"
function M.data(n)
  local reps = math.floor(n / #ALPHA) + 1
  return (ALPHA:rep(reps)):sub(1, n)
end

-- peer([v6]): starts peer.py; returns its port and a stop function
function M.peer(v6, life)
  local cmd = "exec python3 " .. M.dir .. "/peer.py " .. (v6 and "-6 " or "") .. (life or 60)
  local h = assert(io.popen(cmd, "r"))
  local line = h:read("*l")
  local port, pid = (line or ""):match("^(%d+) (%d+)$")
  assert(port, "peer did not start: " .. tostring(line))
  local function stop()
    os.execute("kill " .. pid .. " 2>/dev/null")
    h:close()
  end
  return tonumber(port), stop
end

-- connect to the peer and give it a command; returns the client
function M.ask(socket, port, cmd, host)
  local c = assert(socket.tcp())
  c:settimeout(10)
  assert(c:connect(host or "127.0.0.1", port))
  assert(c:send(cmd .. "\n"))
  return c
end

-- the result of pcall(f, ...) as one line of types and short values
function M.shape(ok, ...)
  local out = { tostring(ok) }
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "string" then
      out[#out + 1] = #v > 40 and ("string#" .. #v) or string.format("%q", v)
    else
      out[#out + 1] = type(v) == "number" and M.d(v) or type(v)
    end
  end
  return table.concat(out, " ")
end

return M
