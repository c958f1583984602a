#!/bin/sh
# `make test`: builds all five Lua versions (release and DEBUG), then runs
#   1. cargo tests on every ABI (unit tests + the boundary inside a real
#      interpreter + header freshness + the FFI and C API against the C
#      headers), then lint (cargo fmt --check, clippy -D warnings on every
#      ABI),
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
# Each section reports "N passed, M failed"; the last line sums them up. A
# section that prints no such line, checks nothing, or exits non-zero with
# no failure counted adds a failure.
cd "$(dirname "$0")/.."
VERSIONS="5.1 5.2 5.3 5.4 luajit"
total_pass=0; total_fail=0; log=$(mktemp); trap 'rm -f "$log"' EXIT

# add the "N passed, M failed" closing line of a section's output ($log);
# $2 is the section's exit status
tally() {
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
  if [ -z "$line" ]; then total_fail=$((total_fail+1)); echo "!! $1: no result line (counted as 1 failure)"; return; fi
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  if [ $((p+f)) = 0 ]; then f=1; echo "!! $1: nothing was checked (counted as 1 failure)"; fi
  if [ "${2:-0}" != 0 ] && [ "$f" = 0 ]; then f=1; echo "!! $1: exit status $2 with no failure reported (counted as 1 failure)"; fi
  total_pass=$((total_pass+p)); total_fail=$((total_fail+f))
}

# runs a section's script, shows its output (without PASS lines if $1 is
# "quiet"), then tallies it
run_section() {
  filter=$1; name=$2; shift 2
  "$@" >"$log" 2>&1; rc=$?
  if [ "$filter" = quiet ]; then grep -v '^PASS' "$log"; else cat "$log"; fi
  tally "$name" $rc
}

section() { echo; echo "==== $1"; }

section "build (release and DEBUG, all versions)"
p=0; f=0
for v in $VERSIONS; do
  for debug in "" 1; do
    if make --no-print-directory LUA=$v DEBUG=$debug build >/dev/null; then p=$((p+1));
    else f=$((f+1)); echo "FAIL build $v${debug:+ DEBUG}"; fi
  done
done
echo "built: $(ls -d build/*/socket/core.so | tr '\n' ' ')"
echo "$p passed, $f failed"
total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "cargo tests"
p=0; f=0
for feat in lua51 lua52 lua53 lua54 luajit; do
  if cargo test -q --features $feat,link-lua --target-dir target/test >"$log" 2>&1; then :; else
    echo "cargo test ($feat) failed:"; tail -n 30 "$log"; f=$((f+1)); fi
  for r in $(sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1:\2/p' "$log"); do
    p=$((p+${r%%:*})); f=$((f+${r##*:}))
  done
done
[ $p = 0 ] && { f=$((f+1)); echo "FAIL cargo: no test ran"; }
echo "$p passed, $f failed"
total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "lint (cargo fmt --check; clippy -D warnings, every ABI)"
run_section all lint sh scripts/lint.sh $VERSIONS

section "lua-tests (every file, every version)"
run_section quiet lua-tests sh lua-tests/run.sh $VERSIONS

section "differential fuzz, short slice (every version, fixed seeds; make fuzz runs the long one)"
sh scripts/fuzz.sh --short >"$log" 2>&1; grep -v '^PASS' "$log"; tally fuzz

section "upstream testsrvr.lua + testclnt.lua (DEBUG builds, private network namespace)"
run_section all upstream sh scripts/upstream-suite.sh $VERSIONS

section "upstream udp scripts (private network namespace)"
run_section all upstream-udp sh scripts/upstream-udp.sh $VERSIONS

section "upstream unix stream/dgram scripts (private mount namespace)"
run_section all upstream-unix sh scripts/upstream-unix.sh $VERSIONS

section "upstream mimetest.lua and ltn12test.lua"
run_section all upstream-mime sh scripts/upstream-mime.sh $VERSIONS

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
echo "$p passed, $f failed"; total_pass=$((total_pass+p)); total_fail=$((total_fail+f))

section "bench smoke (every bench workload on both cores, tiny sizes: content checks, no timings)"
: >"$log.b"
for v in $VERSIONS; do sh bench/run.sh smoke $v >>"$log.b" 2>&1; done
grep -E '^(FAIL|SKIP)' "$log.b"; grep -vE '^(PASS|FAIL|SKIP|bench smoke|[0-9]+ passed)' "$log.b" | head -n 20
p=$(grep -c '^PASS' "$log.b"); f=$(grep -c '^FAIL' "$log.b")
# a version whose run died before its result line counts as a failure
[ "$(grep -cE '^[0-9]+ passed, [0-9]+ failed' "$log.b")" = "$(echo $VERSIONS | wc -w)" ] || f=$((f+1))
echo "$p passed, $f failed" | tee "$log"; rm -f "$log.b"; tally bench-smoke

section "C API that Debian's lua-sec imports (same C user on Debian's library and ours)"
run_section all capi sh scripts/capi-test.sh $VERSIONS

section "luarocks: lua-socket-rs beside upstream's luasocket rock (fresh trees, both orders, remove)"
t0=$(date +%s)
run_section all rock sh scripts/rock-test.sh $VERSIONS
echo "(luarocks section: $(( $(date +%s) - t0 )) s)"

section "C hosts (make install, examples/c-host shared/static/8 threads, valgrind)"
t0=$(date +%s)
run_section all c-host sh scripts/c-host-test.sh $VERSIONS
echo "(C-host section: $(( $(date +%s) - t0 )) s)"

section "lua-tests under LuaJIT on the 5.1 build (Debian serves LuaJIT from the 5.1 files)"
t0=$(date +%s)
run_section quiet luajit-on-5.1 sh lua-tests/run.sh luajit-on-5.1
echo "(LuaJIT-on-5.1 section: $(( $(date +%s) - t0 )) s)"

section "Debian's file set, lua-sec on our C API, the .deb (private mount namespaces)"
t0=$(date +%s)
run_section quiet distro sh scripts/test-distro.sh
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
