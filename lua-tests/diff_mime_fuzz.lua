-- mime.core fuzzing against the reference C core: a seeded generator (own
-- LCG: math.random differs between Lua versions) makes 10 000 chunk
-- sequences, random and adversarial (CR/LF mixes, '=' runs, spaces at line
-- ends, invalid base64, high bytes, NULs, long lines), and streams each one
-- through every function the way ltn12.filter.cycle does, then flushes with
-- a nil chunk. Prints per function a hash of every result (values and their
-- types), the total output size, and a few whole samples.
local T = require "tdiff"
local m = require "mime.core"
local CASES = tonumber(os.getenv("MIME_FUZZ_CASES") or "10000")

-- Park-Miller: products stay below 2^53, so doubles (5.1, LuaJIT) and
-- integers (5.3+) give the same sequence.
local seed = 20240601
local function rnd(n) -- 0 .. n-1
  seed = seed * 16807 % 2147483647
  return seed % n
end
local function pick(t) return t[rnd(#t) + 1] end

local char, concat, byte = string.char, table.concat, string.byte
local ALPHABETS = {
  "\r\n =\t.",                                                       -- line-end soup
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",  -- base64
  "ABCabc019+/=\r\n !-_*\0\200",                                     -- base64 with junk
  "=0123456789ABCDEFabcdefXYZ\r\n \t",                               -- qp-ish
  "====  \t\t\r\r\n\n",                                              -- '=' runs, blanks
  "abcdefghij klmno.\r\n",                                           -- text
  "\0\0\0=\r\n\128\255",                                             -- NULs and high bytes
}
local TOKENS = { "\r\n", "\r", "\n", "\n\r", " \r\n", "\t\r\n", "=\r\n", "=3D", "=0A", "=\r", "=", "==", "===",
                 ".", ".\r\n", "\r\n.\r\n", "\r\n..", " ", "  ", "\t", "\0", "=00", "=", "YQ==", "YWJj", "!!", "\255" }

local function gen_chunk()
  local kind = rnd(10)
  local len
  local r = rnd(20)
  if r == 0 then len = 0
  elseif r < 8 then len = rnd(4)
  elseif r < 17 then len = rnd(40)
  elseif r < 19 then len = rnd(300)
  else len = 300 + rnd(1500) end -- long lines
  if kind == 0 then -- any byte
    local t = {}
    for i = 1, len do t[i] = rnd(256) end
    local parts = {}
    for i = 1, len, 64 do parts[#parts + 1] = char((unpack or table.unpack)(t, i, math.min(i + 63, len))) end
    return concat(parts)
  elseif kind <= 2 then -- tokens
    local t = {}
    for i = 1, math.floor(len / 3) + 1 do t[i] = pick(TOKENS) end
    return concat(t)
  elseif kind == 3 then -- a long line of one byte, maybe space-terminated
    return string.rep(pick { "a", " ", "=", "\t", "x" }, len) .. pick { "", " ", "\r", "\r\n", "\n", " \r" }
  else
    local a = ALPHABETS[rnd(#ALPHABETS) + 1]
    local t = {}
    for i = 1, len do local k = rnd(#a) + 1; t[i] = a:sub(k, k) end
    return concat(t)
  end
end

-- hashing: bytes through a mod-prime polynomial; values with their types
local H = {}
local SIZE = {}
local P = 2147483629
local function hbytes(h, s)
  for i = 1, #s, 16 do
    local a, b, c, d, e, f, g, k, l, mm, n, o, p, q, r, t = byte(s, i, i + 15)
    h = (h * 31 + a) % P
    if t then
      h = (((((((((((((h * 31 + b) % P * 31 + c) % P * 31 + d) % P * 31 + e) % P * 31 + f) % P * 31 + g) % P
        * 31 + k) % P * 31 + l) % P * 31 + mm) % P * 31 + n) % P * 31 + o) % P * 31 + p) % P * 31 + q) % P
      h = (((h * 31 + r) % P) * 31 + t) % P
    else
      for j = i + 1, #s do h = (h * 31 + byte(s, j)) % P end
    end
  end
  return h
end
local function feed(fname, ...)
  local h = H[fname] or 7
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "string" then
      h = hbytes((h * 31 + 83 + #v) % P, v)
      SIZE[fname] = (SIZE[fname] or 0) + #v
    else
      h = hbytes(h, T.repr(v))
    end
  end
  H[fname] = h
end

-- one stream: ctx flows from call to call; returns everything produced
local MARKERS = { "\r\n", "=0D=0A", "", "|", "\r\n", "\r\n" }
local function run(fname, chunks)
  local f = m[fname]
  local outs, res = {}, {}
  local ctx, extra
  local a, b
  if fname == "b64" or fname == "unb64" or fname == "unqp" then
    ctx = pick { "", "", "", "a", "=", "YQ" }
  elseif fname == "qp" then
    ctx, extra = pick { "", "", " ", "\r" }, pick(MARKERS)
  elseif fname == "wrp" or fname == "qpwrp" then
    extra = pick { 76, 76, 10, 5, 4, 3, 2, 1, 0, -1 }
    ctx = pick { extra, extra, 0, 1, 3, 75, -2 }
  elseif fname == "eol" then
    ctx, extra = pick { 0, 0, 10, 13, 99 }, pick(MARKERS)
  else -- dot
    ctx = pick { 2, 2, 0, 1, 3 }
  end
  for i = 1, #chunks do
    a, ctx = f(ctx, chunks[i], extra)
    outs[#outs + 1] = a
    res[#res + 1] = T.repr(a)
    res[#res + 1] = T.repr(ctx)
  end
  a, b = f(ctx, nil, extra)
  res[#res + 1] = T.repr(a)
  res[#res + 1] = T.repr(b)
  outs[#outs + 1] = a or ""
  feed(fname, concat(outs))
  feed(fname, concat(res, ","))
  -- after the end of a codec stream the context is nil
  if b == nil then feed(fname, f(b, nil, extra)) end
  return concat(outs)
end

local FUNCS = { "b64", "unb64", "qp", "unqp", "wrp", "qpwrp", "eol", "dot" }
local SAMPLES = { [1] = true, [2] = true, [7] = true, [1234] = true }
for case = 1, CASES do
  local chunks = {}
  local n = rnd(5) == 0 and rnd(25) or rnd(5)
  for i = 1, n do chunks[i] = gen_chunk() end
  for _, fname in ipairs(FUNCS) do
    local out = run(fname, chunks)
    if SAMPLES[case] then print("sample", case, fname, #out, T.repr(out:sub(1, 120))) end
  end
  -- the codecs' two-argument forms with arbitrary first and second chunks
  -- (a stream only ever passes its 0-3 byte rest first): single-shot final
  -- calls (unqp's nil for a leading NUL shows here) and C .. D pairs
  for _, fname in ipairs { "b64", "unb64", "qp", "unqp" } do
    local f = m[fname]
    local a, b = chunks[1] or "", chunks[2] or ""
    feed(fname .. "/pairs", T.repr((f(a))), T.repr((f(b))))
    feed(fname .. "/pairs", f(a, b))
    feed(fname .. "/pairs", f(b, a))
    feed(fname .. "/pairs", f(a .. b, nil))
  end
  -- fed whole or one byte at a time, the codecs agree (checked, not just
  -- hashed; unqp is left out: its final nil-on-leading-NUL quirk makes the
  -- two differ by design)
  if case % 10 == 0 then
    local whole = concat(chunks)
    local bytes = {}
    for i = 1, math.min(#whole, 200) do bytes[i] = whole:sub(i, i) end
    if #whole <= 200 then
      for _, fname in ipairs { "b64", "unb64", "qp" } do
        local f = m[fname]
        local one = (f(whole)) or ""
        local ctx, parts = "", {}
        for i = 1, #bytes do parts[#parts + 1], ctx = f(ctx, bytes[i]) end
        parts[#parts + 1] = (f(ctx)) or ""
        if concat(parts) ~= one then print("split mismatch", case, fname, T.repr(whole)) end
        feed(fname .. "/bytewise", one)
      end
    end
  end
end

local names = {}
for k in pairs(H) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print("hash", k, H[k], SIZE[k] or 0) end
print("cases", CASES)
