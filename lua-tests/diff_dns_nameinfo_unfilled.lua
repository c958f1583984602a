-- socket.dns.getnameinfo where getnameinfo(3) fails for an address (found by
-- the fuzzer, issue 10). The C core ignores that failure and returns its
-- host and service buffers as they were on its stack: garbage, or what the
-- previous call left there. Ours returns "" for them (README, deliberate
-- differences). Runs in a private network namespace, so that a reverse
-- lookup fails at once instead of asking a resolver.
require "netns"
local T = require "tdiff"
local dns = require("socket.core").dns
local OURS = os.getenv("LUASOCKET_IMPL") == "rs"

-- lookups that succeed (/etc/hosts): compared with the C core
for _, h in ipairs { "127.0.0.1", "localhost" } do
  for _, s in ipairs { false, "80", "http", "99999", "0" } do
    T.show("getnameinfo(" .. h .. "," .. tostring(s) .. ")", dns.getnameinfo, h, s or nil)
  end
end
-- no host: only the service is asked for, which never fails
for _, s in ipairs { "80", "http", "99999", "0", "65535" } do
  T.show("getnameinfo(nil," .. s .. ")", dns.getnameinfo, nil, s)
end
-- name resolution itself failing: the C core's message
T.show("getnameinfo(256.1.1.1)", dns.getnameinfo, "256.1.1.1")
T.show("getnameinfo(nil,nil)", dns.getnameinfo)

-- reverse lookups that fail: ours only
for _, h in ipairs { "1.2.3.4", "::2", "::ffff:1.2.3.4", "10.0.0.1" } do
  for _, s in ipairs { false, "80", "http" } do
    local label = "getnameinfo(" .. h .. "," .. tostring(s) .. ")"
    if OURS then
      local t, serv = dns.getnameinfo(h, s or nil)
      assert(type(t) == "table" and #t >= 1, label .. ": " .. tostring(serv))
      for i = 1, #t do assert(t[i] == "", label .. " host " .. i .. ": " .. T.repr(t[i])) end
      assert(serv == (s and "" or nil), label .. " service " .. T.repr(serv))
    end
    print(label, "hosts \"\" and service \"\" (the C core: its uninitialised buffers)")
  end
end
