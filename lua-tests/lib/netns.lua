-- require "netns" at the top of a lua-test: the script runs again inside a
-- private network namespace (loopback up, nothing else), for calls that would
-- otherwise ask the system's resolver about non-local addresses. Output and
-- exit status are the inner run's. Needs root (unshare -n), as make test has.
if os.getenv("LUA_TESTS_NETNS") then return true end
local interp, script = arg[-1], arg[0]
local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
io.stdout:flush()
local r1, _, r3 = os.execute("LUA_TESTS_NETNS=1 unshare -n sh -c 'ip link set lo up && exec \"$0\" \"$1\"' "
  .. q(interp) .. " " .. q(script))
-- 5.1 and LuaJIT without 5.2 compat: a wait status; 5.2+: true|nil, "exit", code
local code = type(r1) == "number" and math.floor(r1 / 256) or (r3 or (r1 and 0 or 1))
os.exit(code)
