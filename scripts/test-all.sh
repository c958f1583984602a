#!/bin/sh
# `make test`: builds all five Lua versions (release and DEBUG), then runs
#   1. cargo tests on every ABI (unit tests + the boundary inside a real
#      interpreter + header freshness + the FFI and C API against the C
#      headers), then lint (cargo fmt --check, clippy -D warnings on every
#      ABI),
#   2. every lua-tests/*.lua on every version (differential vs the C core),
#   3. upstream's own test programs (testsrvr/testclnt against the DEBUG
#      builds, the udp scripts, mimetest/ltn12test),
#   4. the C API lua-sec links against (a C user on Debian's library and
#      ours, outputs compared), the C-host test.
# Each section reports "N passed, M failed"; the last line sums them up.
cd "$(dirname "$0")/.."
VERSIONS="5.1 5.2 5.3 5.4 luajit"
total_pass=0; total_fail=0; log=$(mktemp); trap 'rm -f "$log"' EXIT

# add the "N passed, M failed" closing line of a section's output
tally() {
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
  if [ -z "$line" ]; then total_fail=$((total_fail+1)); echo "!! $1: no result line"; return; fi
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  total_pass=$((total_pass+p)); total_fail=$((total_fail+f))
}

section() { echo; echo "==== $1"; }

section "build (release and DEBUG, all versions)"
for v in $VERSIONS; do
  make --no-print-directory LUA=$v build >/dev/null && make --no-print-directory LUA=$v DEBUG=1 build >/dev/null \
    || { echo "build failed for $v"; total_fail=$((total_fail+1)); }
done
echo "built: $(ls -d build/*/socket/core.so | tr '\n' ' ')"

section "cargo tests"
p=0; f=0
for feat in lua51 lua52 lua53 lua54 luajit; do
  if cargo test -q --features $feat,link-lua --target-dir target/test >"$log" 2>&1; then :; else
    echo "cargo test ($feat) failed:"; tail -n 30 "$log"; f=$((f+1)); fi
  for r in $(sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1:\2/p' "$log"); do
    p=$((p+${r%%:*})); f=$((f+${r##*:}))
  done
done
echo "cargo: $p passed, $f failed"
total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "lint (cargo fmt --check; clippy -D warnings, every ABI)"
sh scripts/lint.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally lint

section "lua-tests (every file, every version)"
sh lua-tests/run.sh $VERSIONS >"$log" 2>&1; grep -v '^PASS' "$log"; tally lua-tests

section "upstream testsrvr.lua + testclnt.lua (DEBUG builds, private network namespace)"
sh scripts/upstream-suite.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally upstream

section "upstream udp scripts (private network namespace)"
sh scripts/upstream-udp.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally upstream-udp

section "upstream unix stream/dgram scripts (private mount namespace)"
sh scripts/upstream-unix.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally upstream-unix

section "upstream mimetest.lua and ltn12test.lua"
sh scripts/upstream-mime.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally upstream-mime

section "DEBUG builds and make install"
p=0; f=0
for v in $VERSIONS; do
  case $v in luajit) interp=luajit ;; *) interp=lua$v ;; esac
  if LUA_CPATH="build/$v-debug/?.so" $interp -e 'assert(require("socket.core")._DEBUG == true)' &&
     LUA_CPATH="build/$v/?.so" $interp -e 'assert(require("socket.core")._DEBUG == nil)'; then
    p=$((p+1)); echo "PASS $v _DEBUG only in the DEBUG build"
  else f=$((f+1)); echo "FAIL $v _DEBUG"; fi
done
stage=$(mktemp -d)
if make --no-print-directory install LUA=5.3 PREFIX=/usr DESTDIR="$stage" >/dev/null &&
   [ -f "$stage/usr/lib/lua/5.3/socket/core.so" ] && [ -f "$stage/usr/lib/lua/5.3/mime/core.so" ] &&
   [ -f "$stage/usr/lib/lua/5.3/socket/unix.so" ] && [ -f "$stage/usr/lib/lua/5.3/socket/serial.so" ] &&
   make --no-print-directory install LUA=luajit DESTDIR="$stage" LUA_LIBDIR=/opt/lj >/dev/null &&
   [ -f "$stage/opt/lj/socket/core.so" ] &&
   make --no-print-directory install LUA=luajit DESTDIR="$stage" >/dev/null &&
   [ -f "$stage/usr/local/lib/lua/5.1/socket/core.so" ]; then
  p=$((p+1)); echo "PASS make install paths"
else f=$((f+1)); echo "FAIL make install paths"; find "$stage" -type f; fi
rm -rf "$stage"
echo "$p passed, $f failed" >"$log"; total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "C API that Debian's lua-sec imports (same C user on Debian's library and ours)"
sh scripts/capi-test.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally capi

section "C host"
sh scripts/c-host-test.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally c-host

echo
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
