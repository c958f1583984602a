-- Times one mime.core function over 64 MiB of input fed in chunks, the way
-- ltn12.filter.cycle drives it (out, ctx = f(ctx, chunk, extra)).
--
--   lua5.4 bench/mime.lua FUNCTION [CHUNK]    (CHUNK bytes, default 8192;
--                                              0 = the whole 64 MiB at once)
-- Prints "FUNCTION CHUNK SECONDS OUTBYTES". Which mime.core is measured is
-- decided by LUA_CPATH (bench/mime.sh runs ours and the C one).
local mime = require "mime.core"
local fname = arg[1] or "b64"
local chunk = tonumber(arg[2] or "8192")
local SIZE = 64 * 1024 * 1024

-- Deterministic text-like block: words, spaces/tabs, CRLF/LF line ends, '=',
-- '.', and some bytes >= 128.
local seed = 1
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local parts = {}
local len = 0
while len < 65536 do
  local r = rnd(100)
  local p
  if r < 70 then p = string.rep(string.char(97 + rnd(26)), 1 + rnd(8))
  elseif r < 82 then p = " "
  elseif r < 86 then p = "\t"
  elseif r < 90 then p = "\r\n"
  elseif r < 92 then p = "\n"
  elseif r < 94 then p = "="
  elseif r < 96 then p = "."
  else p = string.char(128 + rnd(128)) end
  parts[#parts + 1] = p
  len = len + #p
end
local block = table.concat(parts)

local function rep_to(s)
  return string.rep(s, math.ceil(SIZE / #s)):sub(1, SIZE)
end

local input
if fname == "unb64" then
  input = rep_to((mime.wrp(0, (mime.b64(block .. block .. block)), 76)))
elseif fname == "unqp" then
  input = rep_to((mime.qpwrp(0, (mime.qp(block)), 76)))
else
  input = rep_to(block)
end

local chunks = {}
if chunk == 0 then chunks[1] = input
else for i = 1, #input, chunk do chunks[#chunks + 1] = input:sub(i, i + chunk - 1) end end

local f = mime[fname]
local total = 0
local out, ctx
local t0 = os.clock()
if fname == "b64" or fname == "unb64" or fname == "unqp" then
  ctx = ""
  for i = 1, #chunks do out, ctx = f(ctx, chunks[i]); total = total + #out end
  out = f(ctx)
elseif fname == "qp" then
  ctx = ""
  for i = 1, #chunks do out, ctx = f(ctx, chunks[i], "\r\n"); total = total + #out end
  out = f(ctx, nil, "\r\n")
elseif fname == "wrp" or fname == "qpwrp" then
  ctx = 76
  for i = 1, #chunks do out, ctx = f(ctx, chunks[i], 76); total = total + #out end
  out = f(ctx, nil, 76)
elseif fname == "eol" then
  ctx = 0
  for i = 1, #chunks do out, ctx = f(ctx, chunks[i], "\r\n"); total = total + #out end
  out = f(ctx, nil, "\r\n")
elseif fname == "dot" then
  ctx = 2
  for i = 1, #chunks do out, ctx = f(ctx, chunks[i]); total = total + #out end
  out = f(ctx, nil)
else
  error("unknown function " .. fname)
end
local t = os.clock() - t0
total = total + #(out or "")
print(string.format("%s %d %.3f %d", fname, chunk, t, total))
