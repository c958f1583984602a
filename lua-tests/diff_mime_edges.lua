-- mime.core edge cases against the reference C core, where results are
-- large or lines are degenerate: zero, tiny, negative and huge line lengths
-- and `left` values, long runs without a break, CR/LF mixtures, `=` at the
-- wrap, long and NUL-cut markers, and inputs whose results straddle the
-- 16 KiB stack buffer and the 16 KiB output windows (one call, and the same
-- text streamed in chunks of many sizes). Big results print as
-- length:checksum.
local T = require "tdiff"
local m = require "mime.core"
local byte, rep, floor = string.byte, string.rep, math.floor

local function digest(s)
  if type(s) ~= "string" then return T.repr(s) end
  if #s <= 96 then return T.repr(s) end
  local h = 0
  for i = 1, #s, 4096 do
    local t = { byte(s, i, i + 4095) }
    for j = 1, #t do h = (h * 31 + t[j]) % 2147483647 end
  end
  return #s .. ":" .. h
end
local function show(label, ...)
  local r = { n = select("#", ...), ... }
  local out = {}
  for i = 1, r.n do out[i] = digest(r[i]) end
  print(label, r.n, table.concat(out, " "))
end
local function try(label, f, ...)
  local ok, a, b = pcall(f, ...)
  if ok then show(label, a, b) else print(label, "error", a) end
end

-- Park-Miller (same sequence with doubles and integers)
local seed = 4242
local function rnd(n)
  seed = seed * 16807 % 2147483647
  return seed % n
end
local PIECES = { "a", "bc", "def ", "ghij", " ", "\t", "\r\n", "\n", "\r", "\n\r", " \r\n", "\t\r\n",
  "=", "=3D", "=\r\n", "==", ".", "\r\n.", "\r\n..", "\0", "\255\128", "QUJD", "YQ==", "!",
  rep("x", 100), rep("y", 300) }
local function text(n) -- about n bytes of line-ending soup
  local t, len = {}, 0
  while len < n do
    local p = PIECES[rnd(#PIECES) + 1]
    t[#t + 1] = p
    len = len + #p
  end
  return table.concat(t)
end

-- wrp and qpwrp: degenerate lengths and lefts on long unbroken runs -----------
local LENGTHS = { -2147483648, -76, -1, 0, 1, 2, 3, 4, 5, 10, 75, 76, 77, 2147483647, 1e10, -1e10, 2.5 }
local LEFTS = { -2147483648, -5, -1, 0, 1, 2, 3, 4, 76, 2147483647, 1e10 }
for _, f in ipairs { "wrp", "qpwrp" } do
  for _, s in ipairs { "", "a", rep("a", 77), rep("a", 5000), rep("a", 40000), rep("=", 3000),
    rep("ab=3D", 4000), rep("\r\n", 3000), rep("\r", 5000), rep("\n\r\r\n", 3000) } do
    for _, len in ipairs(LENGTHS) do
      for _, left in ipairs(LEFTS) do
        if #s <= 5000 or (left == 0 or left == 76) then
          try(f .. "(" .. left .. ", #" .. #s .. ", " .. len .. ")", m[f], left, s, len)
        end
      end
    end
  end
  -- '=' at every position around the wrap
  for pos = 1, 12 do
    local s = rep("a", pos) .. "=3D" .. rep("b", 12) .. "=" .. rep("c", 9)
    for _, len in ipairs { 4, 5, 6, 8, 10, 12 } do
      try(f .. " '=' at " .. pos .. " len " .. len, m[f], len, s, len)
    end
  end
  -- left carried across calls, no break in the input
  local left, parts = 0, {}
  for i = 1, 300 do
    local out
    out, left = m[f](left, rep("z", i % 17), 7)
    parts[#parts + 1] = out
  end
  show(f .. " streamed runs", table.concat(parts), left)
end

-- every filter on big mixed texts, in one call and streamed in chunks --------
local function stream(f, first, chunk_size, s, extra)
  local parts, ctx, out = {}, first, nil
  for i = 1, #s, chunk_size do
    out, ctx = f(ctx, s:sub(i, i + chunk_size - 1), extra)
    parts[#parts + 1] = out or ""
  end
  return table.concat(parts), ctx
end
local function codec_stream(f, chunk_size, s, extra)
  -- out, rest = f(rest .. chunk), as ltn12.filter.cycle does (rest, chunk)
  local parts, rest, out = {}, "", nil
  for i = 1, #s, chunk_size do
    out, rest = f(rest, s:sub(i, i + chunk_size - 1), extra)
    parts[#parts + 1] = out or ""
  end
  out = f(rest, nil, extra)
  parts[#parts + 1] = out or ""
  return table.concat(parts)
end
local CHUNKS = { 1, 7, 76, 4096, 5455, 12285, 16383, 16384, 16385, 70000 }
for round = 1, 4 do
  local s = text(60000 + rnd(40000))
  local enc = m.b64(s)
  local q = m.qp(s)
  for _, c in ipairs(CHUNKS) do
    if c >= 76 or round == 1 then
      local lab = " round " .. round .. " chunk " .. c
      show("b64" .. lab, codec_stream(m.b64, c, s))
      show("unb64" .. lab, codec_stream(m.unb64, c, enc .. s))
      show("qp" .. lab, codec_stream(m.qp, c, s))
      show("qp marker" .. lab, codec_stream(m.qp, c, s, "<end-of-line marker>"))
      show("unqp" .. lab, codec_stream(m.unqp, c, q .. s))
      show("wrp" .. lab, stream(m.wrp, 0, c, enc, 76))
      show("wrp 3" .. lab, stream(m.wrp, -1, c, s, 3))
      show("qpwrp" .. lab, stream(m.qpwrp, 0, c, q, 76))
      show("qpwrp 4" .. lab, stream(m.qpwrp, 2, c, q, 4))
      show("eol" .. lab, stream(m.eol, 0, c, s, "\r\n"))
      show("eol long" .. lab, stream(m.eol, 13, c, s, rep("-", 50)))
      show("eol nul" .. lab, stream(m.eol, 10, c, s, "x\0y"))
      show("dot" .. lab, stream(m.dot, 2, c, s))
    end
  end
end

-- results just below, at and above the stack buffer ---------------------------
for n = 5450, 5460 do
  try("qp plain " .. n, m.qp, rep("a", n))
  try("qp quoted " .. n, m.qp, rep("\1", n - 1) .. " ")
  try("qp blank end " .. n, m.qp, rep("a", n - 3) .. " \r\n", "")
end
for n = 12280, 12290 do
  try("b64 " .. n, m.b64, rep("\255", n))
  try("b64 more " .. n, m.b64, rep("\255", n), "")
end
for n = 16380, 16390 do
  try("unqp " .. n, m.unqp, rep("=41", floor(n / 3)) .. rep("=", n % 3))
  try("unb64 " .. n, m.unb64, rep("QUJD", floor(n / 4)) .. rep("Q", n % 4))
  try("dot " .. n, m.dot, 2, rep("\r\n.", floor(n / 3)))
  try("eol " .. n, m.eol, 0, rep("\n", n), "\r\n")
  try("wrp " .. n, m.wrp, 0, rep("a", n), 1)
  try("qpwrp " .. n, m.qpwrp, 0, rep("a", n), 3)
end

-- eol and dot contexts and markers ---------------------------------------------
for _, ctx in ipairs { 0, 10, 13, 32, -1, 2147483647 + 14 } do
  for _, marker in ipairs { "", "\r\n", "\n", "\0", "ab\0cd", rep("M", 200) } do
    try("eol ctx " .. ctx .. " #marker " .. #marker, m.eol, ctx, rep("\r\n\n\r\r\r\n\n", 700), marker)
  end
end
for _, state in ipairs { 0, 1, 2, 3, -1, 2 ^ 64, 1e300 } do
  try("dot state " .. tostring(state), m.dot, state, rep(".\r\n..\r.\n.", 3000))
end
print("done")
