#!/bin/sh
# The differential fuzzer (lua-tests/fuzz/fuzz.lua): for each job (Lua
# version, seed, number of calls) the same seeded call sequence runs on the
# reference C core (Debian's lua-socket) and on ours, each in its own private
# network namespace (loopback only) and its own working directory; the two
# line streams must be identical, and the calls kept out of the reference run
# (crashes, hangs and documented differences of the C core, see fuzz.lua)
# must all pass their checks on ours; a job whose streams differ runs once
# more, and passes (saying so) only if the rerun is identical. The namespaces keep no TIME_WAIT
# sockets (tcp_max_tw_buckets = 0): a port held for 60 s after a close would
# make a later bind's result depend on how fast the run goes.
#
#   sh scripts/fuzz.sh           `make fuzz`: 1 000 000 calls on 5.4, 100 000
#                                on each other version (about 7 minutes on 2 cores)
#   sh scripts/fuzz.sh --short   the slice `make test` runs (fixed seeds, < 2 min)
#
# Environment: FUZZ_JOBS (parallel jobs, default: twice the number of cores),
# FUZZ_VERSIONS (default: all five), FUZZ_LOGS (where failing jobs keep their
# streams, default build/fuzz). Needs root (unshare -n) and the builds
# build/<version>/ (make LUA=<version>). Last line: "N passed, M failed".
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
LOGS=${FUZZ_LOGS:-$ROOT/build/fuzz}

# --job VERSION SEED CALLS: one differential run, one result line
if [ "$1" = "--job" ]; then
  v=$2; seed=$3; calls=$4; limit=${5:-900}
  case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  run() { # impl cpath
    mkdir -p "$work/$1"
    ( cd "$work/$1" && FUZZ_IMPL=$1 FUZZ_SIDE="$work/$1.side" LUA_CPATH="$2" \
      unshare -n sh -c 'ip link set lo up && echo 0 >/proc/sys/net/ipv4/tcp_max_tw_buckets && exec "$@"' fuzz \
      timeout "$limit" $interp "$ROOT/lua-tests/fuzz/fuzz.lua" "$seed" "$calls" \
      >"$work/$1.out" 2>"$work/$1.err" </dev/null )
    echo $? >"$work/$1.rc"
  }
  # attempt: both runs and their verdict in $why (empty: identical)
  attempt() {
    t0=$(date +%s)
    run c "/usr/lib/$MULTIARCH/lua/$abi/?.so"
    run rs "$ROOT/build/$v/?.so"
    t1=$(date +%s)
    why=""
    [ "$(cat "$work/c.rc")" = 0 ] || why="$why reference exit $(cat "$work/c.rc");"
    [ "$(cat "$work/rs.rc")" = 0 ] || why="$why luasocket-rs exit $(cat "$work/rs.rc");"
    # last line "done COMPARED SIDE": calls made on both cores, calls kept from the reference
    made=$(tail -n1 "$work/rs.out" | sed -n 's/^done \([0-9]*\) [0-9]*$/\1/p')
    sides=$(tail -n1 "$work/rs.out" | sed -n 's/^done [0-9]* \([0-9]*\)$/\1/p')
    [ -n "$made" ] && [ "$made" -ge "$calls" ] || why="$why stream incomplete;"
    cmp -s "$work/c.out" "$work/rs.out" || why="$why $(diff "$work/c.out" "$work/rs.out" | grep -c '^>') lines differ;"
    grep -q '^side failures 0$' "$work/rs.side" 2>/dev/null || why="$why side checks failed;"
    slow=$(grep -c '^SLOW' "$work/rs.err")
  }
  attempt
  first=""
  if [ -n "$why" ] && [ -z "$(echo "$why" | grep exit)" ]; then
    # A difference a rerun does not repeat came from the machine's load
    # (settle() in fuzz.lua); it is shown, and a real one fails both runs.
    first="$why $(diff "$work/c.out" "$work/rs.out" | sed -n 2p | cut -c1-200)"
    attempt
  fi
  if [ -z "$why" ]; then
    kinds=$(grep -o ' SIDE [a-z0-9-]*' "$work/rs.out" | sort | uniq -c | awk '{printf " %s:%s", $3, $1}')
    echo "PASS $v seed $seed: $made calls on both cores, $sides more on ours only, $slow slow, in $((t1-t0))s [ours only:$kinds]"
    [ -z "$first" ] || echo "  ($v seed $seed identical on a rerun; the first run differed:$first)"
  else
    echo "FAIL $v seed $seed: $calls calls:$why"
    mkdir -p "$LOGS"; dir="$LOGS/$v-$seed"; rm -rf "$dir"; mkdir -p "$dir"
    cp "$work"/*.out "$work"/*.err "$work"/*.side "$dir/" 2>/dev/null
    diff "$work/c.out" "$work/rs.out" >"$dir/diff"
    echo "  streams in $dir; first differences (< reference, > luasocket-rs):"
    head -n 12 "$dir/diff" | cut -c1-400 | sed 's/^/  /'
    grep FAIL "$work/rs.side" 2>/dev/null | head -n 5 | cut -c1-400 | sed 's/^/  side: /'
    grep -v "^SLOW" "$work/rs.err" | head -n 4 | sed "s/^/  stderr: /"
  fi
  exit 0
fi

VERSIONS=${FUZZ_VERSIONS:-"5.1 5.2 5.3 5.4 luajit"}
# two jobs per core: a job spends about half its time in short timeouts
JOBS=${FUZZ_JOBS:-$(( $(nproc 2>/dev/null || echo 1) * 2 ))}
jobs=$(mktemp); out=$(mktemp); trap 'rm -f "$jobs" "$out"' EXIT
# seeds: 50 000 calls per job; a job is the unit of parallelism
for v in $VERSIONS; do
  if [ "$1" = "--short" ]; then
    for seed in 1 2 3; do echo "$v $seed 10000 120" >>"$jobs"; done
  elif [ "$v" = 5.4 ]; then
    for seed in $(seq 101 120); do echo "$v $seed 50000 900" >>"$jobs"; done
  else
    for seed in 201 202; do echo "$v $seed 50000 900" >>"$jobs"; done
  fi
done

pass=0; fail=0
if ! unshare -n true 2>/dev/null; then
  echo "FAIL fuzz: cannot create a network namespace (unshare -n needs root)"
  echo "0 passed, 1 failed"; exit 1
fi
for v in $VERSIONS; do
  if [ ! -f "build/$v/socket/core.so" ]; then
    echo "FAIL fuzz $v: build/$v/socket/core.so not built (make LUA=$v)"; fail=$((fail+1))
    grep -v "^$v " "$jobs" >"$jobs.x"; mv "$jobs.x" "$jobs"
  fi
done
rm -rf "$LOGS"
t0=$(date +%s)
xargs -P "$JOBS" -L 1 sh scripts/fuzz.sh --job <"$jobs" | tee "$out"
t1=$(date +%s)
for v in $VERSIONS; do
  n=$(grep "^PASS $v seed" "$out" | sed 's/.*: \([0-9]*\) calls on both.*/\1/' | awk '{s+=$1} END {print s+0}')
  k=$(grep "^PASS $v seed" "$out" | sed 's/.*, \([0-9]*\) more on ours.*/\1/' | awk '{s+=$1} END {print s+0}')
  [ "$n" -gt 0 ] && echo "fuzz $v: $n calls identical on both cores, $k more checked on ours only"
done
kinds=$(grep '^PASS' "$out" | sed -n 's/.*\[ours only: *\(.*\)\]$/\1/p' | tr ' ' '\n' | awk -F: 'NF==2 {n[$1]+=$2} END {for (k in n) printf " %s:%d", k, n[k]}')
echo "fuzz: kept from the reference, checked on ours:$kinds"
echo "fuzz: $(wc -l <"$jobs") jobs, $JOBS at a time, in $((t1-t0))s"
pass=$((pass+$(grep -c '^PASS' "$out"))); fail=$((fail+$(grep -c '^FAIL' "$out")))
echo "$pass passed, $fail failed"
[ $fail = 0 ]
