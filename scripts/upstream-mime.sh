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
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
UPSTREAM=$ROOT/.cache/upstream/luasocket-3.1.0/test
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
[ -f "$UPSTREAM/mimetest.lua" ] || { echo "FAIL: $UPSTREAM missing (sh scripts/deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
for v in $VERSIONS; do
  case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
  build=$ROOT/${LUA_TESTS_BUILD:-build}/$v
  for t in mimetest ltn12test; do
    case $t in mimetest) want='^done in ' ;; *) want='ok$' ;; esac
    if [ ! -f "$build/mime/core.so" ]; then
      echo "FAIL $v $t: $build/mime/core.so not built"; fail=$((fail+1)); continue
    fi
    dir=$tmp/$v-$t; rm -rf "$dir"; cp -R "$UPSTREAM" "$dir"
    # the first package.cpath entry that has mime/core.so must be ours
    check="local first
      for t in package.cpath:gmatch('[^;]+') do
        local p = t:gsub('%?', 'mime/core'); local f = io.open(p)
        if f then f:close(); first = p; break end
      end
      assert(first == '$build/mime/core.so', 'mime.core would load from ' .. tostring(first))"
    (cd "$dir" && LUA_CPATH="$build/?.so;/usr/lib/$MULTIARCH/lua/$abi/?.so" \
      LUA_PATH="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua" \
      timeout 300 $interp -e "$check" $t.lua) >"$tmp/out" 2>&1 </dev/null
    rc=$?
    if [ $rc = 0 ] && tail -n1 "$tmp/out" | grep -q "$want"; then
      pass=$((pass+1)); echo "PASS $v $t ($(grep -c '^ok$\|: ok$' "$tmp/out") ok lines)"
    else
      fail=$((fail+1)); echo "FAIL $v $t (exit $rc)"; tail -n 20 "$tmp/out"
    fi
  done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
