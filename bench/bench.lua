-- The benchmark driver (run by bench/run.sh under the host's lua5.4; it loads
-- no socket module itself). For each repetition, for each workload:
--   pair 1: C core and ours back to back, order alternating by repetition (ABBA)
--   raw:    the raw-syscall C client doing the same transfer (where there is one)
--   pair 2: the C core against itself, same pairing (the noise floor)
-- The figure of a row is the median of its paired ratios C/ours (> 1: ours is
-- faster; for memory, C bytes / our bytes), with the min-max spread.
--
--   lua5.4 bench/bench.lua MODE LUA   (MODE: full, quick or smoke)
-- Environment (set by bench/run.sh): BENCH_ROOT, BENCH_CPU ("none" = no
-- pinning), BENCH_REPS, BENCH_ONLY (space-separated workload ids),
-- BENCH_OUT (results directory), BENCH_MACHINE (chart title).
local mode, lua = arg[1] or "quick", arg[2] or "5.4"
local root = os.getenv("BENCH_ROOT") or "."
local cpu = os.getenv("BENCH_CPU") or "0"
local outdir = os.getenv("BENCH_OUT") or (root .. "/bench/results")
local syscalls, profile = mode == "syscalls", mode == "profile"
local ncol = ({ full = 1, quick = 2, smoke = 3, syscalls = 2, profile = 3 })[mode]
  or error("MODE is full, quick, smoke, syscalls or profile")
local reps = tonumber(os.getenv("BENCH_REPS") or "") or ({ 9, 4, 1 })[ncol]
local smoke = mode == "smoke"

local interp = lua == "luajit" and "luajit" or "lua" .. lua
local abi = lua == "luajit" and "5.1" or lua
local multiarch = os.getenv("MULTIARCH") or "x86_64-linux-gnu"
local ref = "/usr/lib/" .. multiarch .. "/lua/" .. abi
local ours = root .. "/build/" .. lua
local helpers = root .. "/build/bench"
local lua_path = "/usr/share/lua/" .. abi .. "/?.lua;/usr/share/lua/" .. abi .. "/?/init.lua"

local MiB = 1048576
-- id, label, workload args (full, quick, smoke), raw client?, target, unit
-- Targets are the issue's (ours / C core on Lua 5.4; bulk and *a >= 3.0 on
-- 5.1 and LuaJIT). A target of false: none set.
local bulk = lua ~= "5.4" and 3.0 or nil
local W = {
  { "recv8192", 'receive(8192) loop', { "recv8192", { 512 * MiB, 256 * MiB, MiB } }, true, bulk or 1.6 },
  { "recvall", 'receive("*a")', { "recvall", { 64 * MiB, 64 * MiB, MiB } }, true, bulk or 1.8 },
  { "send", 'send 1 MiB strings', { "send", { 512, 256, 2 } }, true, 1.2 },
  { "lines40", 'receive("*l") 40 B lines', { "lines40", { 2097152, 524288, 8192 } }, true, 1.6 },
  { "lineskb", 'receive("*l") 1-4 KiB lines', { "lineskb", { 65536, 32768, 256 } }, true, 4.0 },
  { "pingpong", '64 B ping-pong, peer', { "pingpong", { 100000, 30000, 200 } }, true, 1.1 },
  { "pingpong_inproc", '64 B ping-pong, in-process', { "pingpong_inproc", { 100000, 30000, 200 } }, true, 1.1 },
  { "udp", 'UDP sendto+receivefrom', { "udp", { 100000, 30000, 200 } }, true, 1.1 },
  { "udpconn", 'UDP connected send+receive', { "udpconn", { 100000, 30000, 200 } }, true, 1.1 },
  { "udp6", 'UDP IPv6 sendto+receivefrom', { "udp6", { 100000, 30000, 200 } }, true, 1.1 },
  { "sel1000_1", 'select 1000 sockets, 1 ready', { "select", 1000, 1, { 2000, 600, 5 } }, true, 4.0 },
  { "sel1000_10", 'select 1000 sockets, 10 ready', { "select", 1000, 10, { 2000, 600, 5 } }, true, 4.0 },
  { "sel100_1", 'select 100 sockets, 1 ready', { "select", 100, 1, { 20000, 6000, 50 } }, true, 4.0 },
  { "sel10000_1", 'select 10000 sockets, 1 ready (ours)', { "select", 10000, 1, { 200, 60, 3 } }, true, 10,
    ours_only = "sel1000_1" },
  { "churn", 'connect/accept/close', { "churn", { 10000, 4000, 50 } }, true, 1.1 },
  { "tcp4", 'tcp4()+close', { "tcp4", { 200000, 60000, 200 } }, true, 1.1 },
  { "tcp", 'tcp()+close', { "tcp", { 400000, 200000, 200 } }, false, 1.1 },
  { "gettime", 'gettime() call', { "gettime", { 10000000, 3000000, 1000 } }, false, 1.0 },
  { "settimeout", 'settimeout() call', { "settimeout", { 10000000, 3000000, 1000 } }, false, 1.0 },
  { "getfd", 'getfd() call', { "getfd", { 10000000, 3000000, 1000 } }, false, 1.0 },
  { "tostring", 'tostring() call', { "tostring", { 2000000, 600000, 1000 } }, false, false },
  { "toip", 'dns.toip("localhost")', { "toip", { 100000, 30000, 20 } }, true, 1.0 },
  { "getaddrinfo", 'dns.getaddrinfo("localhost")', { "getaddrinfo", { 100000, 30000, 20 } }, true, 1.0 },
  { "memory", 'RSS per idle connected socket', { "memory", { 4000, 2000, 100 } }, false, 10, unit = "B/sock" },
  { "http", 'socket.http 1 MiB download', { "http", { 200, 60, 2 }, MiB }, false, 1.2 },
  { "b64", 'mime b64', { "b64", { 64, 16, 1 } }, false, 2.0, unit = "ms/MiB" },
  { "unb64", 'mime unb64', { "unb64", { 64, 16, 1 } }, false, 2.0, unit = "ms/MiB" },
  { "qp", 'mime qp', { "qp", { 64, 16, 1 } }, false, 2.0, unit = "ms/MiB" },
  { "unqp", 'mime unqp', { "unqp", { 64, 16, 1 } }, false, 2.0, unit = "ms/MiB" },
  { "wrp", 'mime wrp', { "wrp", { 64, 16, 1 } }, false, 2.0, unit = "ms/MiB" },
}

local only = os.getenv("BENCH_ONLY")
if only and only ~= "" then
  local keep, set = {}, {}
  for id in only:gmatch("%S+") do set[id] = true end
  for _, w in ipairs(W) do if set[w[1]] then keep[#keep + 1] = w end end
  W = keep
end

local function args_of(w, col, scale)
  local t = {}
  for _, a in ipairs(w[3]) do
    t[#t + 1] = type(a) == "table" and tostring(math.floor(a[col or ncol] * (scale or 1))) or tostring(a)
  end
  return t
end

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local pin = (cpu == "none" or cpu == "") and "" or ("taskset -c " .. cpu .. " ")
local errfile = os.tmpname()

-- one measured process; returns cost, ops, check or nil, message
local function run(kind, w, env, col, wrap, scale)
  local a = args_of(w, col, scale)
  local cmd
  if kind == "raw" then
    cmd = string.format("%s%s raw %s", pin .. (wrap or ""), sh_quote(helpers .. "/peer"), table.concat(a, " "))
  else
    local cpath = (kind == "rs" and ours or ref) .. "/?.so;" .. helpers .. "/?.so"
    cmd = string.format("%senv " .. (env or "") .. " LUA_PATH=%s LUA_CPATH=%s PEER=%s %s%s %s %s %s", pin, sh_quote(lua_path),
      sh_quote(cpath), sh_quote(helpers .. "/peer"), wrap or "", interp, sh_quote(root .. "/bench/work.lua"),
      kind == "rs" and "rs" or "c", table.concat(a, " "))
  end
  local p = io.popen("cd " .. sh_quote(root) .. " && timeout -k 5 " .. (wrap and 600 or 120) .. " " .. cmd .. " 2>" .. errfile)
  local out = p:read("*a")
  local ok = p:close()
  local c, n, chk = out:match("RESULT (%S+) (%S+) ([^\n]*)")
  if not c or ok == false or ok == nil then
    local f = io.open(errfile)
    local err = f and f:read("*a") or ""
    if f then f:close() end
    return nil, (err:gsub("%s+$", ""):gsub("\n", " | "))
  end
  return tonumber(c), tonumber(n), chk
end

-- syscalls: system calls of the measured process per operation, by name
-- (strace -c; the peer is not traced): the count at the quick size minus the
-- count at the smoke size, over the difference in operations, so the setup
-- (interpreter start, connect, peer start) cancels out.
if syscalls then
  local straced = os.tmpname()
  local function count(kind, w, col)
    local cost, n = run(kind, w, nil, col, "strace -c -o " .. straced .. " ")
    if not cost then return nil, n end
    local t = {}
    for l in io.lines(straced) do
      local f = {}
      for x in l:gmatch("%S+") do f[#f + 1] = x end
      if (#f == 5 or #f == 6) and tonumber(f[4]) and f[#f] ~= "total" then t[f[#f]] = tonumber(f[4]) end
    end
    return t, n
  end
  print(string.format("system calls per operation, Lua %s (strace -c of the measured process; the peer is not traced)", lua))
  print(string.format("%-16s %-4s %8s  %s", "workload", "core", "per op", "by call"))
  for _, w in ipairs(W) do
    for _, kind in ipairs({ "c", "rs" }) do
      local big, nb = count(kind, w, 2)
      local small, ns = count(kind, w, 3)
      if not big or not small then
        print(string.format("%-16s %-4s %s", w[1], kind, tostring(nb or ns)))
      elseif nb == ns then
        print(string.format("%-16s %-4s %s", w[1], kind, "(no operation count)"))
      else
        local names, total = {}, 0
        for k, v in pairs(big) do
          local d = (v - (small[k] or 0)) / (nb - ns)
          if d >= 0.005 then names[#names + 1] = { k, d }; total = total + d end
        end
        table.sort(names, function(a, b) return a[2] > b[2] end)
        local parts = {}
        for i = 1, math.min(#names, 6) do parts[i] = string.format("%s %.3g", names[i][1], names[i][2]) end
        print(string.format("%-16s %-4s %8.3g  %s", w[1], kind, total, table.concat(parts, ", ")))
      end
    end
  end
  os.remove(straced)
  os.remove(errfile)
  os.exit(true)
end

-- profile: user-space instructions per operation (valgrind --tool=callgrind,
-- which counts them deterministically but not the kernel's: see syscalls),
-- the smoke size x10 minus the smoke size, over the difference in
-- operations; total, by object, and the top functions of each core.
if profile then
  local cg = os.tmpname()
  local function ir(kind, w, scale)
    os.remove(cg)
    local cost, n = run(kind, w, nil, 3, "valgrind --tool=callgrind --callgrind-out-file=" .. cg .. " ", scale)
    if not cost then return nil, n end
    local fn, obj, total = {}, {}, 0
    local a = io.popen("callgrind_annotate --threshold=100 " .. cg .. " 2>/dev/null")
    for l in a:lines() do
      local num, name = l:match("^%s*([%d,]+)%s+%([%s%d%.]+%%%)%s+(%S.*)$")
      if num and name and not name:find("PROGRAM TOTALS", 1, true) and name:find(":", 1, true) then
        local v = tonumber((num:gsub(",", "")))
        local o = name:match("%[(.-)%]%s*$") or "?"
        o = o:match("([^/]+)$") or o
        local f = name:gsub("%s*%[.-%]%s*$", ""):gsub("^%?%?%?:", "")
        fn[f .. " (" .. o .. ")"] = (fn[f .. " (" .. o .. ")"] or 0) + v
        obj[o] = (obj[o] or 0) + v
        total = total + v
      end
    end
    a:close()
    -- calls from the core's own code into the Lua API (lua_*, luaL_*)
    local api, inside = {}, false
    a = io.popen("callgrind_annotate --tree=calling --threshold=100 " .. cg .. " 2>/dev/null")
    for l in a:lines() do
      local star = l:match("%*%s+(%S.*)$")
      if star then
        local o = star:match("%[(.-)%]%s*$") or ""
        inside = o:find("socket", 1, true) or o:find("mime", 1, true) or o:find("/build/", 1, true)
      elseif inside then
        local callee, calls = l:match(">%s+%?*:?(lua[L]?_[%w_]+)%s+%(([%d,]+)x%)")
        if callee then api[callee] = (api[callee] or 0) + tonumber((calls:gsub(",", ""))) end
      end
    end
    a:close()
    return { fn = fn, obj = obj, total = total, api = api }, n
  end
  local function diff(big, small, d)
    local t = {}
    for k, v in pairs(big) do
      local x = (v - (small[k] or 0)) / d
      if x > 0.5 then t[#t + 1] = { k, x } end
    end
    table.sort(t, function(a, b) return a[2] > b[2] end)
    return t
  end
  print(string.format("user-space instructions per operation, Lua %s (callgrind; the kernel is not counted)", lua))
  for _, w in ipairs(W) do
    local per = {}
    for _, kind in ipairs({ "c", "rs" }) do
      local big, nb = ir(kind, w, 10)
      local small, ns = ir(kind, w, 1)
      if big and small and nb ~= ns then
        per[kind] = { total = (big.total - small.total) / (nb - ns), obj = diff(big.obj, small.obj, nb - ns),
          fn = diff(big.fn, small.fn, nb - ns), api = diff(big.api, small.api, nb - ns) }
      else
        per[kind] = { err = tostring(big and small and "no operation count" or nb or ns) }
      end
    end
    local c, r = per.c, per.rs
    print(string.format("\n== %s: C %s Ir/op, ours %s Ir/op%s", w[1], c.total and string.format("%.0f", c.total) or c.err,
      r.total and string.format("%.0f", r.total) or r.err,
      (c.total and r.total) and string.format(" (C/ours %.2f)", c.total / r.total) or ""))
    for _, kind in ipairs({ "c", "rs" }) do
      local x = per[kind]
      if x.total then
        local o = {}
        for i = 1, math.min(#x.obj, 5) do o[i] = string.format("%s %.0f", x.obj[i][1], x.obj[i][2]) end
        print(string.format("  %-4s by object: %s", kind, table.concat(o, ", ")))
        local n, parts = 0, {}
        for i, v in ipairs(x.api) do
          n = n + v[2]
          if i <= 8 then parts[#parts + 1] = string.format("%s %.3g", v[1], v[2]) end
        end
        print(string.format("  %-4s Lua API calls from the core: %.3g/op (%s)", kind, n, table.concat(parts, ", ")))
        for i = 1, math.min(#x.fn, 10) do print(string.format("  %-4s %9.0f  %s", kind, x.fn[i][2], x.fn[i][1])) end
      end
    end
  end
  os.remove(cg)
  os.remove(errfile)
  os.exit(true)
end

-- samples[id] = { c = {..}, rs = {..}, c2 = {..}, raw = {..} } per repetition
local S, F, CHECK, OPS = {}, {}, {}, {}
for _, w in ipairs(W) do S[w[1]] = { c = {}, rs = {}, ca = {}, cb = {}, raw = {} } end
local samples_tsv = {}

local function take(w, rep, kind, slot)
  if F[w[1]] then return end
  local cost, n, chk = run(kind, w)
  if not cost then
    if w.ours_only and n and n:find("too many sockets", 1, true) then
      F[w[1]] = "refused by this core: too many sockets"
    else
      F[w[1]] = kind .. ": " .. tostring(n)
    end
    return
  end
  if kind ~= "raw" then
    if CHECK[w[1]] and CHECK[w[1]] ~= chk then
      F[w[1]] = string.format("check differs: %s gave '%s', another run '%s'", kind, chk, CHECK[w[1]])
      return
    end
    CHECK[w[1]] = chk
  end
  -- totals: a raw client counts its own operations (reads, not receives)
  S[w[1]][slot][rep] = cost
  if kind ~= "raw" then OPS[w[1]] = n end
  samples_tsv[#samples_tsv + 1] = table.concat({ w[1], rep, slot, string.format("%.6g", cost), n, chk }, "\t")
end

local progress = os.getenv("BENCH_PROGRESS") == "1"
local t_start = os.time()
io.stderr:write(string.format("bench %s, Lua %s, %d repetition(s), %d workloads, CPU %s\n", mode, lua, reps, #W, cpu))
for rep = 1, reps do
  for i, w in ipairs(W) do
    if progress then io.stderr:write(string.format("\r  rep %d/%d  %-16s", rep, reps, w[1])) end
    if w.ours_only then
      take(w, rep, "rs", "rs")
      if w[4] and not smoke then take(w, rep, "raw", "raw") end
    else
      local swap = (rep + i) % 2 == 0
      if swap then take(w, rep, "rs", "rs"); take(w, rep, "c", "c")
      else take(w, rep, "c", "c"); take(w, rep, "rs", "rs") end
      if w[4] then take(w, rep, "raw", "raw") end
      if not smoke then
        if swap then take(w, rep, "c", "cb"); take(w, rep, "c", "ca")
        else take(w, rep, "c", "ca"); take(w, rep, "c", "cb") end
      end
    end
  end
end
if progress then io.stderr:write("\r" .. string.rep(" ", 40) .. "\r") end
local elapsed = os.time() - t_start

-- smoke: a corrupted core must fail the checks (a check that cannot fail is no check)
local sabotage = {}
if smoke then
  for _, w in ipairs(W) do
    if ({ recv8192 = 1, send = 1, lines40 = 1, pingpong = 1, b64 = 1 })[w[1]] then
      for _, kind in ipairs({ "c", "rs" }) do
        -- caught: the run fails, or its check differs from the honest runs'
        local cost, _, chk = run(kind, w, "BENCH_SABOTAGE=1")
        sabotage[#sabotage + 1] = { w[1] .. " (" .. kind .. ")", cost == nil or chk ~= CHECK[w[1]] }
      end
    end
  end
end

local function stats(t)
  local s = {}
  for _, v in pairs(t) do s[#s + 1] = v end
  if #s == 0 then return nil end
  table.sort(s)
  local m = #s % 2 == 1 and s[(#s + 1) / 2] or (s[#s / 2] + s[#s / 2 + 1]) / 2
  return m, s[1], s[#s], #s
end

-- per-repetition ratios a[rep] / b[rep]
local function ratios(a, b)
  local r = {}
  for rep, x in pairs(a) do if b[rep] then r[#r + 1] = x / b[rep] end end
  return r
end

local rows, noise_all = {}, {}
local ids = {}
for _, w in ipairs(W) do ids[w[1]] = w end
for _, w in ipairs(W) do
  local s = S[w[1]]
  local row = { w = w, fail = F[w[1]] }
  local n = OPS[w[1]] or 1
  row.c = stats(s.c)
  row.rs = stats(s.rs)
  row.c = row.c and row.c / n
  row.rs = row.rs and row.rs / n
  if w.ours_only then
    local base = S[w.ours_only] and S[w.ours_only].rs or {}
    row.growth = { stats(ratios(s.rs, base)) }
  else
    row.ratio = { stats(ratios(s.c, s.rs)) }
    row.noise = { stats(ratios(s.ca, s.cb)) }
    for _, v in ipairs(ratios(s.ca, s.cb)) do noise_all[#noise_all + 1] = v end
  end
  if w[4] then
    row.cfrac = { stats(ratios(s.raw, s.c)) }
    row.rsfrac = { stats(ratios(s.raw, s.rs)) }
  end
  local target = w[5]
  if row.fail and row.fail:find("refused by this core", 1, true) then row.status = "refused"
  elseif row.fail then row.status = "FAIL"
  elseif smoke then row.status = "checked"
  elseif w.ours_only then
    row.status = row.growth[1] and (row.growth[1] <= target and "met" or "MISSED") or "?"
  elseif not target then row.status = "-"
  elseif row.ratio[1] and row.ratio[1] >= target then row.status = "met"
  elseif row.rsfrac and row.rsfrac[1] and row.rsfrac[1] >= 0.9 then row.status = "met (limit)"
  else row.status = "MISSED" end
  rows[#rows + 1] = row
end

-- per-op cost in the row's unit
local function per(w, v)
  if not v then return "-" end
  if w.unit == "B/sock" then return string.format("%.0f", v) end
  if w.unit == "ms/MiB" then return string.format("%.2f", v * 1000 / 1) end
  local us = v * 1e6
  if us >= 1000 then return string.format("%.0f", us) end
  if us >= 10 then return string.format("%.1f", us) end
  return string.format("%.3f", us)
end
local function rng(t, fmt)
  fmt = fmt or "%.2f"
  if not t or not t[1] then return "-" end
  return string.format(fmt .. " [" .. fmt .. "-" .. fmt .. "]", t[1], t[2], t[3])
end
local function frac(t) return (t and t[1]) and string.format("%.2f", t[1]) or "-" end

local lines = {}
local function out(s) lines[#lines + 1] = s; if not smoke then print(s) end end
local date = os.date("%Y-%m-%d")
out(string.format("luasocket-rs vs the C core (Debian lua-socket), Lua %s, %s, %s; %d repetition(s), CPU %s",
  lua, mode, date, reps, cpu))
out("ratio = C cost / our cost per paired run (> 1: ours is faster or smaller); noise = C core / C core, same pairing;")
out("C/limit, ours/limit = raw-syscall C client time / that core's time (1.0 = the machine's limit)")
out("")
local hdr = string.format("%-38s %7s %10s %10s  %-20s %-20s %7s %10s %6s  %s", "workload", "unit", "C", "ours",
  "ratio [min-max]", "noise [min-max]", "C/limit", "ours/limit", "target", "status")
out(hdr)
out(string.rep("-", #hdr + 6))
for _, r in ipairs(rows) do
  local w = r.w
  local unit = w.unit or "us/op"
  if w.unit == "ms/MiB" then unit = "ms/MiB" end
  local ratio = r.growth and ("x" .. rng(r.growth) .. " vs 1000") or rng(r.ratio)
  local target = w[5] and (w.ours_only and ("<=" .. w[5]) or (">=" .. w[5])) or "-"
  if r.fail then ratio = r.fail end
  out(string.format("%-38s %7s %10s %10s  %-20s %-20s %7s %10s %6s  %s", w[2], unit, per(w, r.c), per(w, r.rs),
    ratio, r.growth and "-" or rng(r.noise), frac(r.cfrac), frac(r.rsfrac), target, r.status))
end
local nm, nlo, nhi = stats(noise_all)
out("")
if nm then
  local spreads = {}
  for _, r in ipairs(rows) do if r.noise and r.noise[1] then spreads[#spreads + 1] = r.noise[3] / r.noise[2] end end
  local sm = stats(spreads)
  out(string.format("noise floor (C core vs itself): median %.3f, all %d paired ratios within [%.3f-%.3f], " ..
    "median per-row spread (max/min) %.3f", nm, #noise_all, nlo, nhi, sm or 0))
end
local failed = 0
for _, r in ipairs(rows) do if r.fail and not r.fail:find("refused by this core") then failed = failed + 1 end end
out(string.format("%d workloads, %d failed a check; run time %d s", #rows, failed, elapsed))

os.remove(errfile)
if smoke then
  local p, f = 0, 0
  for _, r in ipairs(rows) do
    if r.fail and r.fail:find("refused by this core", 1, true) then
      print(string.format("SKIP Lua %s %s: %s (not counted)", lua, r.w[1], r.fail))
    elseif r.fail then f = f + 1; print(string.format("FAIL Lua %s %s: %s", lua, r.w[1], r.fail))
    else p = p + 1; print(string.format("PASS Lua %s %s (C core and ours, content checked)", lua, r.w[1])) end
  end
  for _, s in ipairs(sabotage) do
    if s[2] then p = p + 1; print(string.format("PASS Lua %s %s: a corrupted core fails the check", lua, s[1]))
    else f = f + 1; print(string.format("FAIL Lua %s %s: a corrupted core passed the check", lua, s[1])) end
  end
  print(string.format("%d passed, %d failed", p, f))
  os.exit(f == 0 and true or false)
end
if not smoke then
  os.execute("mkdir -p " .. sh_quote(outdir))
  local base = outdir .. "/" .. date .. "-" .. lua .. (mode == "quick" and "-quick" or "")
  local f = assert(io.open(base .. ".tsv", "w"))
  f:write("# " .. lines[1] .. "\n")
  f:write(table.concat({ "id", "workload", "unit", "c_per_op", "ours_per_op", "ratio_median", "ratio_min",
    "ratio_max", "noise_median", "noise_min", "noise_max", "c_over_limit", "ours_over_limit", "target",
    "status" }, "\t") .. "\n")
  local function n(v) return v and string.format("%.6g", v) or "" end
  for _, r in ipairs(rows) do
    local q = r.growth or r.ratio or {}
    local z = r.noise or {}
    f:write(table.concat({ r.w[1], r.w[2], r.w.unit or "s/op", n(r.c), n(r.rs), n(q[1]), n(q[2]), n(q[3]),
      n(z[1]), n(z[2]), n(z[3]), n(r.cfrac and r.cfrac[1]), n(r.rsfrac and r.rsfrac[1]),
      r.w[5] and tostring(r.w[5]) or "", r.fail or r.status }, "\t") .. "\n")
  end
  f:close()
  f = assert(io.open(base .. ".samples.tsv", "w"))
  f:write("id\trep\tslot\tcost\tops\tcheck\n" .. table.concat(samples_tsv, "\n") .. "\n")
  f:close()
  -- chart data: one bar per workload with a paired ratio
  f = assert(io.open(base .. ".dat", "w"))
  local k = 0
  for _, r in ipairs(rows) do
    if r.ratio and r.ratio[1] then
      k = k + 1
      local z = r.noise and r.noise[1] and r.noise or { 1, 1, 1 }
      f:write(string.format("%d\t\"%s\"\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%s\t%d\n", k, r.w[2]:gsub('"', "'"),
        r.ratio[1], r.ratio[2], r.ratio[3], z[2], z[3], r.w[5] and string.format("%g", r.w[5]) or "NaN",
        r.status:find("met") and 1 or 0))
    end
  end
  f:close()
  print("wrote " .. base .. ".tsv, .samples.tsv, .dat")
  -- the shaded band: 10th to 90th percentile of all C-vs-C paired ratios
  table.sort(noise_all)
  local function pct(q) return noise_all[math.max(1, math.min(#noise_all, math.floor(q * #noise_all + 0.5)))] or 1 end
  print("CHART " .. base .. " " .. string.format("%.4g %.4g", pct(0.1), pct(0.9)))
end
os.exit(failed == 0 and true or false)
