-- Helpers for differential tests: print values with their exact types so
-- that a float 1.0 and an integer 1 (5.3+) or a string "1" differ.
local M = {}

local mtype = math.type or function(v) return "number" end

function M.repr(v)
  local t = type(v)
  if t == "number" then
    if v ~= v then return "nan" end
    return mtype(v) .. ":" .. tostring(v)
  elseif t == "string" then
    return string.format("%q", v)
  elseif t == "table" or t == "function" or t == "userdata" or t == "thread" then
    return t
  else
    return tostring(v)
  end
end

-- repr of every value, with the count (so trailing nils show)
function M.pack(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = M.repr((select(i, ...))) end
  return n .. "[" .. table.concat(out, ", ") .. "]"
end

-- show(label, f, ...): calls f(...) under pcall and prints its results
function M.show(label, f, ...)
  print(label, M.pack(pcall(f, ...)))
end

-- prints a line with the results already obtained
function M.vals(label, ...)
  print(label, M.pack(...))
end

-- sorted keys of a table, "name:type"
function M.keys(t, skip)
  local ks = {}
  for k, v in pairs(t) do
    if not (skip and skip[k]) then ks[#ks + 1] = tostring(k) .. ":" .. type(v) end
  end
  table.sort(ks)
  return table.concat(ks, " ")
end

return M
