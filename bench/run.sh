#!/bin/sh
# The benchmark suite: `make bench` (full, <= 20 min), `make bench-quick`
# (<= 3 min), and the smoke run of `make test` (tiny sizes, checks only).
#
#   sh bench/run.sh full|quick|smoke [LUA]      (LUA: 5.4 default, 5.1, luajit, 5.2, 5.3)
# Environment: BENCH_CPU (CPU list for taskset, default: the last CPU;
# "none" = no pinning), BENCH_REPS (repetitions), BENCH_ONLY (workload ids),
# BENCH_OUT (results directory, default bench/results), BENCH_CHART=0 (no PNG),
# BENCH_TIMEOUT (seconds for the whole run, default 3600).
# Builds bench/peer.c and bench/clock.c with cc -O2 into build/bench/ (never
# installed) and ours with `make LUA=...`; installs gnuplot-nox from Debian
# for the chart when it is missing (full and quick runs only).
set -e
cd "$(dirname "$0")/.."
mode=${1:-quick}; lua=${2:-${LUA:-5.4}}
case $mode in full|quick|smoke) ;; *) echo "usage: sh bench/run.sh full|quick|smoke [LUA]" >&2; exit 2 ;; esac
case $lua in luajit) interp=luajit ;; 5.[1-4]) interp=lua$lua ;; *) echo "LUA must be 5.1-5.4 or luajit" >&2; exit 2 ;; esac
command -v "$interp" >/dev/null && command -v lua5.4 >/dev/null || sh scripts/deps.sh
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
export MULTIARCH
abi=$lua; [ "$lua" = luajit ] && abi=5.1
[ -f "/usr/lib/$MULTIARCH/lua/$abi/socket/core.so" ] || sh scripts/deps.sh

make --no-print-directory LUA="$lua" build >/dev/null
. bench/helpers.sh
build_helpers

if [ -z "${BENCH_CPU:-}" ]; then BENCH_CPU=$(($(nproc) - 1)); fi
export BENCH_CPU BENCH_ROOT="$(pwd)"
# select over 10 000 sockets needs the descriptors (each process, its own peer)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export BENCH_MACHINE="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) CPUs, $(uname -r)"

[ -t 2 ] && export BENCH_PROGRESS=1
status=0
out=$(mktemp); trap 'rm -f "$out" "$out.rc"' EXIT
# (the driver's exit status survives the pipe through a file)
{ set +e; timeout -k 10 "${BENCH_TIMEOUT:-3600}" lua5.4 bench/bench.lua "$mode" "$lua"; echo $? >"$out.rc"; } | tee "$out"
status=$(cat "$out.rc"); rm -f "$out.rc"
[ "$mode" = smoke ] && exit $status

chart=$(sed -n 's/^CHART //p' "$out")
if [ -n "$chart" ] && [ "${BENCH_CHART:-1}" != 0 ]; then
  if ! command -v gnuplot >/dev/null; then
    echo "installing gnuplot-nox for the chart"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox; } >/dev/null 2>&1 ||
      echo "could not install gnuplot-nox: no chart" >&2
  fi
  if command -v gnuplot >/dev/null; then
    set -- $chart
    title="luasocket-rs / C core, Lua $lua ($mode), $(date +%Y-%m-%d), $BENCH_MACHINE"
    gnuplot -e "dat='$1.dat'; png='$1.png'; nlo=$2; nhi=$3; ttl='$title'" bench/chart.gp && echo "wrote $1.png"
  fi
fi
exit $status
