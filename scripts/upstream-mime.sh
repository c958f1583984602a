#!/bin/sh
# Runs upstream LuaSocket 3.1.0's test/mimetest.lua and test/ltn12test.lua,
# unchanged, with our mime.core (and socket.core: mimetest calls
# socket.gettime) on every Lua version given (default: all five).
#
#   sh scripts/upstream-mime.sh [5.1 5.2 5.3 5.4 luajit]
#
# Both scripts dofile("testsupport.lua") and mimetest writes and removes its
# data files in the current directory, so each run happens inside a fresh
# temporary copy of the upstream test directory (the cache is never touched).
# LUA_CPATH = build/<v> first, then the distro's C modules; LUA_PATH = the
# distro's Lua files (mime.lua, ltn12.lua, socket.lua). Before the script, a
# -e check makes the run fail unless mime.core resolves into our build.
# A run passes when it exits 0 and its last line is the one upstream prints
# at the end ("done in N.NNs" for mimetest, "...: ok" for ltn12test).
# Prints PASS/FAIL per version and script, then "N passed, M failed"; exits
# non-zero if anything failed. Needs `make all-lua` (or `make LUA=v`) first.
. "$(dirname "$0")/lib.sh"
need_upstream mimetest.lua
make_tmp
for v in $VERSIONS; do
  use_version "$v"
  build=$ROOT/${LUA_TESTS_BUILD:-build}/$v
  for t in mimetest ltn12test; do
    case $t in mimetest) want='^done in ' ;; *) want='ok$' ;; esac
    if [ ! -f "$build/mime/core.so" ]; then
      fail_ "$v:$t" "$v $t: $build/mime/core.so not built"; continue
    fi
    dir=$tmp/$v-$t; rm -rf "$dir"; cp -R "$UP" "$dir"
    # the first package.cpath entry that has mime/core.so must be ours
    check="local first
      for t in package.cpath:gmatch('[^;]+') do
        local p = t:gsub('%?', 'mime/core'); local f = io.open(p)
        if f then f:close(); first = p; break end
      end
      assert(first == '$build/mime/core.so', 'mime.core would load from ' .. tostring(first))"
    (cd "$dir" && LUA_CPATH="$build/?.so;$refdir/?.so" LUA_PATH="$lpath" \
      timeout 300 $interp -e "$check" $t.lua) >"$tmp/out" 2>&1 </dev/null
    rc=$?
    if [ $rc = 0 ] && tail -n1 "$tmp/out" | grep -q "$want"; then
      pass_ "$v $t ($(grep -c '^ok$\|: ok$' "$tmp/out") ok lines)"
    else
      fail_ "$v:$t" "$v $t (exit $rc)"; tail -n 20 "$tmp/out"
    fi
  done
done
summary
