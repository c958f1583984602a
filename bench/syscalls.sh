#!/bin/sh
# System calls per operation of each bench workload, C core vs ours, measured
# with strace -c on the measured process only (the peer is not traced).
#   sh bench/syscalls.sh [LUA] [workload ids...]     (LUA default 5.4)
cd "$(dirname "$0")/.."
lua=${1:-5.4}; [ $# -gt 0 ] && shift
command -v strace >/dev/null || { apt-get install -y -qq strace >/dev/null 2>&1 || { echo "needs strace" >&2; exit 1; }; }
make --no-print-directory LUA="$lua" build >/dev/null || exit 1
. bench/helpers.sh
build_helpers || exit 1
ulimit -n "$(ulimit -Hn)" 2>/dev/null
BENCH_ROOT="$(pwd)" BENCH_CPU=none BENCH_ONLY="$*" exec lua5.4 bench/bench.lua syscalls "$lua"
