#!/bin/sh
# Runs upstream's own test programs (from the lua-socket source package, in
# .cache/upstream, never edited) against our DEBUG build (build/<v>-debug), on
# each Lua version given. Each run happens inside a private network namespace
# (unshare -n, loopback up): testclnt.lua probes non-loopback addresses such
# as 10.0.0.1 on purpose, and there they fail at once instead of leaving the
# machine.
#
# A program passes when it exits 0, reports no "ERROR:" and reaches its last
# line (testclnt.lua's fail() calls os.exit() with status 0, so the exit code
# alone proves nothing). Last line: "N passed, M failed".
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
UP=$ROOT/.cache/upstream/luasocket-3.1.0/test
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
pass=0; fail=0; failed=""
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$UP" "$tmp/test"

# Runs "$@" in a fresh network namespace with loopback up.
netns() {
  unshare -n sh -c 'ip link set lo up && exec "$@"' netns "$@"
}

# pair NAME SERVER CLIENT EXPECT: start SERVER in the background, run CLIENT,
# check that stderr/stdout of the client has EXPECT and no "ERROR:".
run_pair() {
  name=$1; srv=$2; clnt=$3; expect=$4
  cat >"$tmp/pair.sh" <<EOS
cd "$tmp/test"
timeout 120 $interp $srv >"$tmp/srv.log" 2>&1 &
spid=\$!
sleep 0.5
timeout 300 $interp $clnt >"$tmp/clnt.log" 2>&1
rc=\$?
wait \$spid 2>/dev/null
exit \$rc
EOS
  LUA_CPATH="$cpath" LUA_PATH="$lpath" netns sh "$tmp/pair.sh"; rc=$?
  if [ $rc = 0 ] && ! grep -q "ERROR:" "$tmp/clnt.log" && grep -q "$expect" "$tmp/clnt.log"; then
    pass=$((pass+1)); echo "PASS $v $name"
  else
    fail=$((fail+1)); failed="$failed $v:$name"; echo "FAIL $v $name (exit $rc)"
    tail -n 25 "$tmp/clnt.log"; echo "--- server:"; tail -n 10 "$tmp/srv.log"
  fi
}

for v in $VERSIONS; do
  case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
  build=$ROOT/build/$v-debug
  cpath="$build/?.so;/usr/lib/$MULTIARCH/lua/$abi/?.so"
  lpath="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua"
  if [ ! -f "$build/socket/core.so" ]; then
    fail=$((fail+1)); failed="$failed $v:build"; echo "FAIL $v: $build not built (make DEBUG=1 LUA=$v)"; continue
  fi
  run_pair testclnt testsrvr.lua testclnt.lua "done in"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
