# Sourced (`. "$(dirname "$0")/lib.sh"`) by the test scripts in scripts/: the
# preamble and the result bookkeeping they share. On sourcing it
#   - moves to the repository root ($ROOT),
#   - sets VERSIONS (the script's arguments, default all five), MULTIARCH and
#     UP (upstream's own test directory, used unchanged),
#   - starts the counters that `summary` reports.
# Functions:
#   use_version V     sets v, interp, abi (module directory: 5.1 for LuaJIT),
#                     refdir (the reference C modules), lpath (the distro's
#                     upstream Lua files), inc (headers), lualib (-l name),
#                     feature (cargo feature)
#   make_tmp [ARG..]  tmp=$(mktemp -d ARG..), removed when the script exits
#   need_upstream F   ends the script as one failure if $UP/F is missing
#   netns CMD..       runs CMD in a fresh network namespace, loopback up
#   pass_ TEXT        counts a pass, prints "PASS TEXT"
#   fail_ KEY TEXT    counts a failure, prints "FAIL TEXT", lists KEY at the end
#   result NAME OK F..  pass_ or fail_ for "$v NAME" (OK = 1 passes); on
#                     failure prints the last $RESULT_TAIL (20) lines of each
#                     file F that exists
#   summary           "failed: KEY.." if any, then "N passed, M failed" (a run
#                     that checked nothing counts as one failure); its status
#                     is the script's: 0 iff nothing failed

cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
UP=$ROOT/.cache/upstream/luasocket-3.1.0/test
pass=0; fail=0; failed=""

use_version() {
  v=$1
  case $v in
    luajit) interp=luajit; abi=5.1; inc=/usr/include/luajit-2.1; lualib=luajit-5.1; feature=luajit ;;
    *) interp=lua$v; abi=$v; inc=/usr/include/lua$v; lualib=lua$v; feature=lua$(echo "$v" | tr -d .) ;;
  esac
  refdir=/usr/lib/$MULTIARCH/lua/$abi
  lpath="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua"
}

make_tmp() {
  tmp=$(mktemp -d "$@") || { echo "FAIL: mktemp"; echo "0 passed, 1 failed"; exit 1; }
  trap 'rm -rf "$tmp"' EXIT
}

need_upstream() {
  [ -f "$UP/$1" ] && return 0
  echo "FAIL: $UP missing (sh scripts/deps.sh)"; echo "0 passed, 1 failed"; exit 1
}

netns() {
  unshare -n sh -c 'ip link set lo up && exec "$@"' netns "$@"
}

pass_() {
  pass=$((pass+1)); echo "PASS $1"
}

fail_() {
  fail=$((fail+1)); failed="$failed $1"; echo "FAIL $2"
}

result() {
  name=$1; ok=$2; shift 2
  if [ "$ok" = 1 ]; then
    pass_ "$v $name"
  else
    fail_ "$v:$name" "$v $name"
    for f in "$@"; do
      [ -f "$f" ] && { echo "--- $(basename "$f"):"; tail -n "${RESULT_TAIL:-20}" "$f"; }
    done
  fi
}

summary() {
  [ $((pass+fail)) = 0 ] && fail_ nothing "nothing was checked"
  [ -n "$failed" ] && echo "failed:$failed"
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
