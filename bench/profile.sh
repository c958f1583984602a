#!/bin/sh
# User-space instructions per operation of bench workloads, C core vs ours,
# by object and by function (valgrind --tool=callgrind, which counts
# instructions deterministically; perf counters are often unavailable in VMs).
#   sh bench/profile.sh [LUA] [workload ids...]     (LUA default 5.4)
cd "$(dirname "$0")/.."
lua=${1:-5.4}; [ $# -gt 0 ] && shift
command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null 2>&1 || { echo "needs valgrind" >&2; exit 1; }; }
make --no-print-directory LUA="$lua" build >/dev/null || exit 1
. bench/helpers.sh
build_helpers || exit 1
ulimit -n "$(ulimit -Hn)" 2>/dev/null
BENCH_ROOT="$(pwd)" BENCH_CPU=${BENCH_CPU:-0} BENCH_ONLY="$*" exec lua5.4 bench/bench.lua profile "$lua"
