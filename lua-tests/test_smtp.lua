-- socket.smtp (upstream smtp.lua, unchanged) over our core against a local
-- SMTP server: a multipart message with an attachment through mime, dot
-- stuffing, several recipients, a rejected recipient.
local smtp = require "socket.smtp"
local mime = require "mime"
local ltn12 = require "ltn12"

local outfile = os.tmpname()
local srv = assert(io.popen("python3 lua-tests/servers/smtp_server.py " .. outfile, "r"))
local port = assert(tonumber(srv:read("*l")), "server did not start")

local body = "line one\r\n.starts with a dot\r\nlast line"
local msg = smtp.message {
  headers = { to = "a@test", subject = "luasocket-rs test" },
  body = {
    preamble = "multipart preamble",
    [1] = { body = mime.eol(0, body) },
    [2] = {
      headers = { ["content-type"] = 'application/octet-stream; name="x.bin"',
                  ["content-transfer-encoding"] = "BASE64" },
      body = ltn12.source.chain(ltn12.source.string(string.rep("\0\1\2\255", 300)),
                                ltn12.filter.chain(mime.encode("base64"), mime.wrap())),
    },
  },
}
local r, e = smtp.send { from = "<me@test>", rcpt = { "<a@test>", "<b@test>" },
                         source = msg, server = "127.0.0.1", port = port }
assert(r == 1, tostring(e))

r, e = smtp.send { from = "<me@test>", rcpt = "<reject@test>", server = "127.0.0.1", port = port,
                   source = smtp.message { body = "x" } }
assert(r == nil and e:find("550"), tostring(e))

assert(smtp.send { from = "<me@test>", rcpt = "<shutdown@test>", server = "127.0.0.1", port = port,
                   source = smtp.message { body = "bye" } })
srv:close()

local f = assert(io.open(outfile, "rb")); local got = f:read("*a"); f:close(); os.remove(outfile)
if os.getenv("SMTP_DEBUG") then io.stderr:write(got) end
assert(got:find("FROM <me@test>\nTO <a@test>,<b@test>\n", 1, true))
assert(got:find("Subject: luasocket-rs test", 1, true))
assert(got:find("..starts with a dot", 1, true), "dot stuffing")
local part = got:match('\r\n\r\n(A[^\n]*\r\n.-)\r\n%-%-')
assert(part, "attachment part")
assert(mime.unb64((part:gsub("\r\n", ""))) == string.rep("\0\1\2\255", 300))
print("ok")
