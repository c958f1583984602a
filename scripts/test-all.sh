#!/bin/sh
# `make test`: builds all five Lua versions (release and DEBUG), then runs
#   1. cargo tests on every ABI (unit tests + the boundary inside a real
#      interpreter + header freshness),
#   2. every lua-tests/*.lua on every version (differential vs the C core),
#      and a short slice of the differential fuzzer (scripts/fuzz.sh --short),
#   3. upstream's own test programs (testsrvr/testclnt against the DEBUG
#      builds, the udp scripts, mimetest/ltn12test),
#   4. the bench smoke run (bench/run.sh smoke: checks only, no timings),
#   5. the C API lua-sec links against (a C user on Debian's library and
#      ours, outputs compared), make install, the luarocks round trip beside
#      upstream's rock, the C hosts (examples/c-host: shared, static,
#      8 threads, under valgrind).
#   6. every lua-test under LuaJIT on the 5.1 build, and the distro path
#      (scripts/test-distro.sh: Debian's file set, lua-sec on our C API,
#      the .deb; in private mount namespaces),
#   7. the hardening proofs of issue 10 (scripts/harden.sh): capped
#      allocator, valgrind, fd exhaustion, signals, peer faults, load.
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
if cargo clippy -q --features lua54 --target-dir target/test -- -D warnings >"$log" 2>&1; then
  p=$((p+1)); echo "PASS clippy (lua54, -D warnings)"
else f=$((f+1)); echo "FAIL clippy:"; head -n 30 "$log"; fi
echo "cargo: $p passed, $f failed"
total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "lua-tests (every file, every version)"
sh lua-tests/run.sh $VERSIONS >"$log" 2>&1; grep -v '^PASS' "$log"; tally lua-tests

section "differential fuzz, short slice (every version, fixed seeds; make fuzz runs the long one)"
sh scripts/fuzz.sh --short >"$log" 2>&1; grep -v '^PASS' "$log"; tally fuzz

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

section "bench smoke (every bench workload on both cores, tiny sizes: content checks, no timings)"
: >"$log.b"
for v in $VERSIONS; do sh bench/run.sh smoke $v >>"$log.b" 2>&1; done
grep -E '^(FAIL|SKIP)' "$log.b"; grep -vE '^(PASS|FAIL|SKIP|bench smoke|[0-9]+ passed)' "$log.b" | head -n 20
p=$(grep -c '^PASS' "$log.b"); f=$(grep -c '^FAIL' "$log.b")
# a version whose run died before its result line counts as a failure
[ "$(grep -cE '^[0-9]+ passed, [0-9]+ failed' "$log.b")" = "$(echo $VERSIONS | wc -w)" ] || f=$((f+1))
echo "$p passed, $f failed" | tee "$log"; rm -f "$log.b"; tally bench-smoke

section "C API that Debian's lua-sec imports (same C user on Debian's library and ours)"
sh scripts/capi-test.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally capi

section "luarocks: lua-socket-rs beside upstream's luasocket rock (fresh trees, both orders, remove)"
t0=$(date +%s)
sh scripts/rock-test.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally rock
echo "(luarocks section: $(( $(date +%s) - t0 )) s)"

section "C hosts (make install, examples/c-host shared/static/8 threads, valgrind)"
t0=$(date +%s)
sh scripts/c-host-test.sh $VERSIONS >"$log" 2>&1; cat "$log"; tally c-host
echo "(C-host section: $(( $(date +%s) - t0 )) s)"

section "lua-tests under LuaJIT on the 5.1 build (Debian serves LuaJIT from the 5.1 files)"
t0=$(date +%s)
sh lua-tests/run.sh luajit-on-5.1 >"$log" 2>&1; grep -v '^PASS' "$log"; tally luajit-on-5.1
echo "(LuaJIT-on-5.1 section: $(( $(date +%s) - t0 )) s)"

section "Debian's file set, lua-sec on our C API, the .deb (private mount namespaces)"
t0=$(date +%s)
sh scripts/test-distro.sh >"$log" 2>&1; grep -v '^PASS' "$log"; tally distro
echo "(distro section: $(( $(date +%s) - t0 )) s)"

for h in "mem:capped allocator and ulimit -v (5.1, 5.4, LuaJIT; checks named mem: wait for the memory redesign)" \
         "valgrind:valgrind memcheck (lua-tests subset and the capped host, 5.4 and 5.1)" \
         "fd:descriptor exhaustion (ulimit -n 64, differential)" \
         "signals:SIGALRM every millisecond without SA_RESTART" \
         "peers:peer faults: RST, half-close, dying and trickling peers (differential)" \
         "load:load: 10 000 connections in a select loop, copas with 1 000 clients"; do
  section "harden ${h#*:}"
  t0=$(date +%s)
  sh scripts/harden.sh "${h%%:*}" >"$log" 2>&1; grep -v '^PASS' "$log"; tally "harden ${h%%:*}"
  echo "(${h%%:*}: $(( $(date +%s) - t0 )) s)"
done

echo
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
