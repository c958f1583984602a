-- mime.core against the reference C core: every function with good and bad
-- arguments, the streaming edge cases of the spec, number types, errors.
local T = require "tdiff"
local m = require "mime.core"
local unpack = unpack or table.unpack
local V = os.getenv("LUA_TESTS_VERSION") or ""

-- 5.3/5.4 name a function in messages after the first package.loaded entry
-- holding it; with mime.lua loaded that is 'mime.f' or 'mime.core.f' by hash
-- order, in both cores alike.
local function norm(v)
  if type(v) == "string" then return (v:gsub("'mime%.core%.", "'mime.")) end
  return v
end
local function pack(...) return { n = select("#", ...), ... } end
local function show(label, f, ...)
  local r = pack(pcall(f, ...))
  if not r[1] then r[2] = norm(r[2]) end
  T.vals(label, unpack(r, 1, r.n))
end

-- module table
print("keys:", T.keys(m))
T.vals("_VERSION", m._VERSION)
print("no metatable:", getmetatable(m) == nil)
print("no global:", rawget(_G, "mime") == nil)
print("require again same:", require("mime.core") == m)
print("socket not loaded:", package.loaded["socket.core"] == nil)
if V == "5.1" then -- 5.2+ and LuaJIT seed their string hashes per state
  local ks = {}
  for k in pairs(m) do ks[#ks + 1] = k end
  print("pairs order (5.1):", table.concat(ks, " "))
end
local allbytes = {}
for i = 0, 255 do allbytes[#allbytes + 1] = string.char(i) end
allbytes = table.concat(allbytes)

-- b64 ------------------------------------------------------------------------
show("b64()", m.b64)
show("b64(nil)", m.b64, nil)
show("b64(nil,'x')", m.b64, nil, "x")
show("b64(nil,{})", m.b64, nil, {})
show("b64({})", m.b64, {})
show("b64(true)", m.b64, true)
show("b64(false,'')", m.b64, false, "")
show("b64(print)", m.b64, print)
show("b64('a',{})", m.b64, "a", {})
show("b64('a',false)", m.b64, "a", false)
show("b64('',{})", m.b64, "", {})
show("b64('')", m.b64, "")
show("b64('',nil)", m.b64, "", nil)
show("b64('','')", m.b64, "", "")
for _, s in ipairs { "a", "ab", "abc", "abcd", "abcde", "abcdef", "\0", "\0\0", "\0\0\0", "\255\254\253" } do
  show("b64 final " .. T.repr(s), m.b64, s)
  show("b64 more " .. T.repr(s), m.b64, s, "")
  show("b64 split " .. T.repr(s), m.b64, s:sub(1, 1), s:sub(2))
end
show("b64('a','')", m.b64, "a", "")
show("b64('ab','cd')", m.b64, "ab", "cd")
show("b64('abc','defg')", m.b64, "abc", "defg")
show("b64('','abcd')", m.b64, "", "abcd")
show("b64('a','bcdefgh')", m.b64, "a", "bcdefgh")
show("b64(123)", m.b64, 123)
show("b64(1.5)", m.b64, 1.5)
show("b64(-0.0)", m.b64, -0.0)
show("b64(2^53)", m.b64, 2^53)
show("b64('a',5)", m.b64, "a", 5)
show("b64(5,6)", m.b64, 5, 6)
show("b64('ab','c',{})", m.b64, "ab", "c", {})
show("b64(allbytes)", m.b64, allbytes)
show("b64(allbytes,'')", m.b64, allbytes, "")

-- unb64 ------------------------------------------------------------------------
show("unb64()", m.unb64)
show("unb64(nil,'x')", m.unb64, nil, "x")
show("unb64(nil,{})", m.unb64, nil, {})
show("unb64({})", m.unb64, {})
show("unb64('YQ',{})", m.unb64, "YQ", {})
show("unb64('')", m.unb64, "")
show("unb64('','')", m.unb64, "", "")
for _, s in ipairs { "YQ==", "YWI=", "YWJj", "YQ", "Y", "YWJ", "====", "=AAA", "AA=A", "A=AA", "AAA=",
                     "==AA", "!!!", "YW\r\nJj", "YW Jj ZA ==", "YWJj\0ZA==", "\128YW\255Jj", "YQ==YQ==",
                     "YQ=", "=", "a", "@@@@", "-_-_", "+/+/", "////", "AAAA", "\0\0\0\0" } do
  show("unb64 final " .. T.repr(s), m.unb64, s)
  show("unb64 more " .. T.repr(s), m.unb64, s, "")
  show("unb64 split " .. T.repr(s), m.unb64, s:sub(1, 2), s:sub(3))
end
show("unb64('YQ','==')", m.unb64, "YQ", "==")
show("unb64('Y','Q')", m.unb64, "Y", "Q")
show("unb64('','YWJjZA')", m.unb64, "", "YWJjZA")
show("unb64(1234)", m.unb64, 1234)
show("unb64(allbytes)", m.unb64, allbytes)
show("unb64(allbytes,'')", m.unb64, allbytes, "")
show("unb64(b64(allbytes))", m.unb64, (m.b64(allbytes)))

-- qp -----------------------------------------------------------------------------
show("qp()", m.qp)
show("qp(nil,{})", m.qp, nil, {})
show("qp(nil,nil,{})", m.qp, nil, nil, {})
show("qp(nil,'x',true)", m.qp, nil, "x", true)
show("qp({})", m.qp, {})
show("qp({},nil,{})", m.qp, {}, nil, {})
show("qp('a',{})", m.qp, "a", {})
show("qp('a',{},{})", m.qp, "a", {}, {})
show("qp('')", m.qp, "")
show("qp('','')", m.qp, "", "")
for _, s in ipairs { "a ", "abc\r", "a \r\nb", "a\nb", "\200\255~\127", "a\t\r\nb", " ", "\t", "  ", "\r",
                     "\r\r", "\r\n", "\n\r", " \r", " \r\n", "  \r\n", "\t \r\n ", "=", "==", "a=b", "x \r\ny",
                     " x", "\r \n", "\0", "~}|{", "\r\n\r\n", " \r\r\n", "end  ", "end\t", "a \r" } do
  show("qp final " .. T.repr(s), m.qp, s)
  show("qp more " .. T.repr(s), m.qp, s, "")
  show("qp split " .. T.repr(s), m.qp, s:sub(1, 1), s:sub(2))
  show("qp binary " .. T.repr(s), m.qp, s, nil, "=0D=0A")
end
show("qp('a ','')", m.qp, "a ", "")
show("qp('a  ','b')", m.qp, "a  ", "b")
show("qp('a \\r','\\n')", m.qp, "a \r", "\n")
show("qp('a \\r','x')", m.qp, "a \r", "x")
show("qp(' ',' ')", m.qp, " ", " ")
show("qp('\\r','\\n')", m.qp, "\r", "\n")
show("qp('\\r','x')", m.qp, "\r", "x")
show("qp(' \\r','\\n')", m.qp, " \r", "\n")
show("qp('x',' \\r\\n')", m.qp, "x", " \r\n")
show("qp marker ''", m.qp, "a\r\nb", nil, "")
show("qp marker 'XY'", m.qp, "a\r\nb \r\n", nil, "XY")
show("qp marker with NUL", m.qp, "a\r\nb", nil, "1\0002")
show("qp marker NUL first", m.qp, "\r\n", nil, "\0x")
show("qp marker NUL first more", m.qp, "\r\n", "", "\0x")
show("qp marker number", m.qp, "a\r\nb", nil, 42)
show("qp marker long", m.qp, "\r\n\r\n \r\n", nil, string.rep("<>", 50))
show("qp(123)", m.qp, 123)
show("qp(allbytes)", m.qp, allbytes)
show("qp(allbytes,'')", m.qp, allbytes, "")
show("qp(allbytes,nil,'=0D=0A')", m.qp, allbytes, nil, "=0D=0A")

-- unqp -------------------------------------------------------------------------------
show("unqp()", m.unqp)
show("unqp(nil,{})", m.unqp, nil, {})
show("unqp({})", m.unqp, {})
show("unqp('a',{})", m.unqp, "a", {})
show("unqp('')", m.unqp, "")
show("unqp('','')", m.unqp, "", "")
for _, s in ipairs { "=XYz", "=\nab", "a\rbc", "abc=", "=00", "x=00", "=00abc", "=0", "=", "=3d", "=3D", "=3g",
                     "=\r\n", "a=\r\nb", "=\r", "=\rx", "\r", "\r\n", "\ra", "\r\r\n", "\n", "a\nb", "\0abc",
                     "\tx\t", "\127\128\255", "=FF=ff=fF", "=A", "==41", "=4=41", "a =\r\n b", "=0a=0D",
                     "=\0\0", "~ ", "=\r\r\n" } do
  show("unqp final " .. T.repr(s), m.unqp, s)
  show("unqp more " .. T.repr(s), m.unqp, s, "")
  show("unqp split " .. T.repr(s), m.unqp, s:sub(1, 1), s:sub(2))
end
show("unqp('=','41')", m.unqp, "=", "41")
show("unqp('=4','1')", m.unqp, "=4", "1")
show("unqp('\\r','\\n')", m.unqp, "\r", "\n")
show("unqp('=00','')", m.unqp, "=00", "")
show("unqp(123)", m.unqp, 123)
show("unqp(allbytes)", m.unqp, allbytes)
show("unqp(allbytes,'')", m.unqp, allbytes, "")
show("unqp(qp(allbytes))", m.unqp, (m.qp(allbytes)))

-- wrp / qpwrp ---------------------------------------------------------------------------
for _, name in ipairs { "wrp", "qpwrp" } do
  local f = m[name]
  local function s(label, ...) show(name .. label, f, ...) end
  s("()", nil)
  s("(nil)", nil)
  s("('x')", "x")
  s("({})", {})
  s("(true,'a')", true, "a")
  s("('10','abcdefghijkl',4)", "10", "abcdefghijkl", 4)
  s("(76)", 76)
  s("(10)", 10)
  s("(75)", 75)
  s("(77)", 77)
  s("(10,nil,5)", 10, nil, 5)
  s("(5,nil,5)", 5, nil, 5)
  s("(4,nil,5)", 4, nil, 5)
  s("(5,nil,5.9)", 5, nil, 5.9)
  s("(10,nil,'x')", 10, nil, "x")
  s("(10,nil,{})", 10, nil, {})
  s("(10,{})", 10, {})
  s("(10,'a',{})", 10, "a", {})
  s("(10,'a',false)", 10, "a", false)
  s("(10,'')", 10, "")
  s("(10,'',5)", 10, "", 5)
  s("(5,'abcdefghij')", 5, "abcdefghij")
  s("(5,'abcdefghij',5)", 5, "abcdefghij", 5)
  s("(5,'ab\\ncd\\r\\nefghij',5)", 5, "ab\ncd\r\nefghij", 5)
  s("(5,'ab=3Dcd=3Def',5)", 5, "ab=3Dcd=3Def", 5)
  s("(0,'ab',3)", 0, "ab", 3)
  s("(0,'ab',0)", 0, "ab", 0)
  s("(0,'ab',1)", 0, "ab", 1)
  s("(0,'ab',-1)", 0, "ab", -1)
  s("(3,'a=b=c',4)", 3, "a=b=c", 4)
  s("(4,'==',4)", 4, "==", 4)
  s("(1.9,'abc',2.9)", 1.9, "abc", 2.9)
  s("(-1.5,'abc')", -1.5, "abc")
  s("(-1.5)", -1.5)
  s("(1e10)", 1e10)
  s("(1e10,'ab')", 1e10, "ab")
  s("(-1e10,'ab')", -1e10, "ab")
  s("(nan,'ab')", 0 / 0, "ab")
  s("(nan)", 0 / 0)
  s("(huge,'ab')", math.huge, "ab")
  s("(-huge,'ab')", -math.huge, "ab")
  s("(2^31,'ab')", 2^31, "ab")
  s("(2^31-1,'ab')", 2^31 - 1, "ab")
  s("(3,'abcd',-2^31)", 3, "abcd", -2^31)
  s("(0,'abcd',-2^31)", 0, "abcd", -2^31)
  s("(0,'ab',2^40)", 0, "ab", 2^40)
  s("(10,nil,1e10)", 10, nil, 1e10)
  s("(3,'\\r\\r\\r')", 3, "\r\r\r")
  s("(3,'\\n\\n')", 3, "\n\n")
  s("(0,'\\n')", 0, "\n")
  s("(2,'abc\\n',0)", 2, "abc\n", 0)
  s("(10,12345,3)", 10, 12345, 3)
  s("(76,allbytes)", 76, allbytes)
  s("(76,allbytes,7)", 76, allbytes, 7)
  s("(76,long)", 76, string.rep("abcdefghij=", 30))
end

-- eol -----------------------------------------------------------------------------------
show("eol()", m.eol)
show("eol(nil)", m.eol, nil)
show("eol({})", m.eol, {})
show("eol('x')", m.eol, "x")
show("eol(0)", m.eol, 0)
show("eol(0,nil)", m.eol, 0, nil)
show("eol(13,nil)", m.eol, 13, nil)
show("eol(0,nil,{})", m.eol, 0, nil, {})
show("eol(0,{})", m.eol, 0, {})
show("eol(0,'a',{})", m.eol, 0, "a", {})
show("eol(0,'a',true)", m.eol, 0, "a", true)
show("eol(1.5,'x')", m.eol, 1.5, "x")
show("eol(13.0,'\\n')", m.eol, 13.0, "\n")
show("eol('13','\\n')", m.eol, "13", "\n")
show("eol('1.5','\\n')", m.eol, "1.5", "\n")
show("eol(0,'abc\\r')", m.eol, 0, "abc\r")
show("eol(13,'\\nx')", m.eol, 13, "\nx")
show("eol(10,'\\r')", m.eol, 10, "\r")
show("eol(10,'\\n')", m.eol, 10, "\n")
show("eol(99,'\\n')", m.eol, 99, "\n")
show("eol(99,'')", m.eol, 99, "")
show("eol(10,'')", m.eol, 10, "")
show("eol(-5,'')", m.eol, -5, "")
show("eol(2^32+10,'\\n')", m.eol, 2^32 + 10, "\n")
show("eol(2^32+10,'')", m.eol, 2^32 + 10, "")
show("eol(2^31,'')", m.eol, 2^31, "")
for _, s in ipairs { "\r\n", "\n\r", "\n\n", "\r\r", "\r\r\n", "\n\r\n\r", "a\rb\nc\r\nd\n\re", "\r\n\r\n",
                     "\n\n\n", "\r\r\r", "\200\r\255", "\0\n\0", "" } do
  show("eol(0," .. T.repr(s) .. ")", m.eol, 0, s)
  show("eol(13," .. T.repr(s) .. ",'|')", m.eol, 13, s, "|")
  show("eol(10," .. T.repr(s) .. ",'')", m.eol, 10, s, "")
end
show("eol marker NUL", m.eol, 0, "a\nb", "XY\0Z")
show("eol marker number", m.eol, 0, "a\nb", 7)
show("eol marker long", m.eol, 0, "\n\r\r\n", string.rep("-", 40))
show("eol(0,1234)", m.eol, 0, 1234)
show("eol(0,allbytes)", m.eol, 0, allbytes)

-- dot -------------------------------------------------------------------------------------
show("dot()", m.dot)
show("dot(nil)", m.dot, nil)
show("dot({})", m.dot, {})
show("dot('x')", m.dot, "x")
show("dot(2)", m.dot, 2)
show("dot(0,nil)", m.dot, 0, nil)
show("dot(7,nil)", m.dot, 7, nil)
show("dot(2,{})", m.dot, 2, {})
show("dot(2,true)", m.dot, 2, true)
show("dot(2,'.a\\r\\n.b\\r\\n..c\\n.d')", m.dot, 2, ".a\r\n.b\r\n..c\n.d")
show("dot(1,'')", m.dot, 1, "")
show("dot(0,'x\\r')", m.dot, 0, "x\r")
show("dot(1,'\\n.')", m.dot, 1, "\n.")
show("dot(0,'\\n.')", m.dot, 0, "\n.")
show("dot(2,'.')", m.dot, 2, ".")
show("dot(2,'..')", m.dot, 2, "..")
show("dot(2.7,'.')", m.dot, 2.7, ".")
show("dot(1.5,'\\n.')", m.dot, 1.5, "\n.")
show("dot('2','.')", m.dot, "2", ".")
show("dot(3,'')", m.dot, 3, "")
show("dot(3,'\\n.')", m.dot, 3, "\n.")
show("dot(2,'\\n.')", m.dot, 2, "\n.")
show("dot(-1,'\\n.')", m.dot, -1, "\n.")
show("dot(1,'\\r.')", m.dot, 1, "\r.")
show("dot(2,3)", m.dot, 2, 3)
show("dot(2,'\\r\\r\\n.')", m.dot, 2, "\r\r\n.")
show("dot(2,'\\r\\n\\r\\n..\\r\\n')", m.dot, 2, "\r\n\r\n..\r\n")
for _, v in ipairs { -1, -1.5, -5, 0 / 0, 1e30, -1e30, 2^63, 2^64, 2^63 + 2^20, -2^63, math.huge, -math.huge, 2^53 + 1 } do
  show("dot(" .. T.repr(v) .. ",'')", m.dot, v, "")
  show("dot(" .. T.repr(v) .. ",'.')", m.dot, v, ".")
end
show("dot(2,allbytes)", m.dot, 2, allbytes)

-- several return values and extra arguments ------------------------------------------------
print("select# b64", select("#", m.b64("a")), select("#", m.b64()), select("#", m.b64("a", "b")))
print("select# wrp", select("#", m.wrp(1)), select("#", m.wrp(1, "a")))
print("select# eol", select("#", m.eol(0)), select("#", m.dot(0)))
show("b64 extra args", m.b64, "abcd", "e", "f", "g")
show("eol extra args", m.eol, 0, "\n", "|", "junk")

-- through mime.lua and ltn12 (the Lua layer uses the same table) ------------------------------
local mime = require "mime"
local ltn12 = require "ltn12"
print("mime == mime.core", mime == m)
local f = mime.encode("base64")
for _, c in ipairs { "a", "bcd", "" } do T.vals("encode b64 " .. T.repr(c), f(c)) end
T.vals("encode b64 nil", f(nil))
T.vals("encode b64 nil again", f(nil))
local function filt(fl, chunks)
  local out = {}
  for _, c in ipairs(chunks) do out[#out + 1] = fl(c) or "" end
  out[#out + 1] = fl(nil) or ""
  return table.concat(out)
end
T.vals("decode b64", filt(mime.decode("base64"), { "YW", "JjZ", "A=", "=" }))
T.vals("encode qp", filt(mime.encode("quoted-printable"), { "caf\233 ", "\r", "\nx\t", "" }))
T.vals("encode qp binary", filt(mime.encode("quoted-printable", "binary"), { "a\r\nb " }))
T.vals("decode qp", filt(mime.decode("quoted-printable"), { "caf=E9=", "\r\nx=3", "D" }))
T.vals("wrap text", filt(mime.wrap("text", 10), { string.rep("abc ", 8), "\n", "xyz" }))
T.vals("wrap qp", filt(mime.wrap("quoted-printable"), { string.rep("ab=3D", 40) }))
T.vals("normalize", filt(mime.normalize(), { "a\r", "\nb\n", "\rc\r\r\n" }))
T.vals("normalize |", filt(mime.normalize("|"), { "a\n\n", "b" }))
T.vals("stuff", filt(mime.stuff(), { ".a\r", "\n.b\r\n", "..c" }))
local chain = ltn12.filter.chain(mime.normalize(), mime.encode("base64"), mime.wrap("base64"))
T.vals("chain", filt(chain, { string.rep("line of text\n", 20), "end" }))
T.vals("mime.b64 first value", (mime.b64("user:password")))

-- exact values of the C casts (tostring shows only 14 digits)
for _, v in ipairs { -1, -2, -5, -1.5, 0 / 0, 1e30, -1e30, 2^63, 2^64, 2^63 + 2^20, -2^63, math.huge, -math.huge,
                     2^53 + 2, 2^62 + 0.0, 1e19, -1e19, 9.3e18, -9.3e18 } do
  local _, st = m.dot(v, "")
  local _, w = m.wrp(v, "")
  local _, q = m.qpwrp(0, nil, v)
  print(string.format("cast %.17g -> dot %.17g wrp %.17g length %.17g", v, st, w, q))
end
