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
. "$(dirname "$0")/lib.sh"
need_upstream testclnt.lua
make_tmp
cp -r "$UP" "$tmp/test"

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
    pass_ "$v $name"
  else
    fail_ "$v:$name" "$v $name (exit $rc)"
    tail -n 25 "$tmp/clnt.log"; echo "--- server:"; tail -n 10 "$tmp/srv.log"
  fi
}

for v in $VERSIONS; do
  use_version "$v"
  build=$ROOT/build/$v-debug
  cpath="$build/?.so;$refdir/?.so"
  if [ ! -f "$build/socket/core.so" ]; then
    fail_ "$v:build" "$v: $build not built (make DEBUG=1 LUA=$v)"; continue
  fi
  run_pair testclnt testsrvr.lua testclnt.lua "done in"
done
summary
