#!/bin/sh
# Runs every lua-tests/*.lua on every Lua version given (default: all five).
#
#   diff_*.lua  differential: run against our core and against the reference C
#               core (the distro's lua-socket); stdout, stderr and exit status
#               must match (after masking %p addresses and 5.4's random
#               choice between 'socket.f' and 'socket.core.f' in messages).
#   test_*.lua  self-checking, ours only: passes iff it exits 0 and its last
#               output line is "ok".
#
# Environment for the scripts: LUA_CPATH = our build first, then the distro's
# C modules (for modules we do not build yet); LUA_PATH = the distro's
# upstream Lua files and lua-tests/lib; LUASOCKET_IMPL = rs | c;
# LUA_TESTS_VERSION = 5.1 | ... | luajit.
#
# Pseudo-version luajit-on-5.1: LuaJIT loading our 5.1 build (build/5.1), as
# on Debian, which serves LuaJIT from the 5.1 module files.
# LUA_TESTS_SYSTEM=1: no LUA_CPATH at all, so each interpreter loads the C
# modules from its own default paths (Debian's); used by
# scripts/test-distro.sh after putting our libraries there, in a private
# mount namespace. Only test_*.lua then (diff_* need the reference core).
# Last line: "N passed, M failed".
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
ONLY=${LUA_TESTS_ONLY:-}
SYSTEM=${LUA_TESTS_SYSTEM:-}
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
pass=0; fail=0; failed=""
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# %p addresses differ run to run; so does the qualified function name 5.4
# prints for pcall(f) ('socket.f' or 'socket.core.f', by package.loaded's
# seeded hash order), in both cores alike.
mask() { sed -E -e 's/0x[0-9a-f]+/0xADDR/g' -e "s/'socket\.core\./'socket./g" "$1"; }

for v in $VERSIONS; do
  case $v in
    luajit) interp=luajit; abi=5.1; tv=luajit; build=${LUA_TESTS_BUILD:-build}/luajit ;;
    luajit-on-5.1) interp=luajit; abi=5.1; tv=luajit; build=${LUA_TESTS_BUILD:-build}/5.1 ;;
    *) interp=lua$v; abi=$v; tv=$v; build=${LUA_TESTS_BUILD:-build}/$v ;;
  esac
  if [ -z "$SYSTEM" ] && [ ! -f "$build/socket/core.so" ]; then
    echo "FAIL $v: $build/socket/core.so not built"; fail=$((fail+1)); failed="$failed $v:build"; continue
  fi
  refdir=/usr/lib/$MULTIARCH/lua/$abi
  lpath="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua;$ROOT/lua-tests/lib/?.lua"
  # A diff test passes when both runs agree, and they agree when both fail
  # alike (no interpreter, no reference core, no socket.lua): so first
  # prove that socket loads over each core alone (LUA_TESTS_SYSTEM runs no
  # diff test).
  pre='require("socket"); assert(package.loaded["socket.core"])'
  if [ -z "$SYSTEM" ] && {
     ! rs=$(LUA_CPATH="$ROOT/$build/?.so" LUA_PATH="$lpath" timeout 20 $interp -e "$pre" 2>&1) ||
     ! c=$(LUA_CPATH="$refdir/?.so" LUA_PATH="$lpath" timeout 20 $interp -e "$pre" 2>&1); }; then
    echo "FAIL $v: socket does not load over ours and over the reference alone"; echo "$rs"; echo "$c"
    fail=$((fail+1)); failed="$failed $v:preflight"; continue
  fi
  for f in lua-tests/diff_*.lua lua-tests/test_*.lua; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .lua)
    if [ -n "$ONLY" ] && ! echo "$name" | grep -q "$ONLY"; then continue; fi
    run() { # impl cpath out  (cpath "system": the interpreter's default)
      if [ "$2" = system ]; then
        LUASOCKET_IMPL=$1 LUA_TESTS_VERSION=$tv LUA_PATH="$lpath" timeout 120 \
          env -u LUA_CPATH -u LUA_CPATH_5_2 -u LUA_CPATH_5_3 -u LUA_CPATH_5_4 \
          $interp "$f" >"$3.out" 2>"$3.err" </dev/null
      else
        LUASOCKET_IMPL=$1 LUA_TESTS_VERSION=$tv LUA_CPATH="$2" LUA_PATH="$lpath" \
          timeout 120 $interp "$f" >"$3.out" 2>"$3.err" </dev/null
      fi
      echo "exit $?" >>"$3.out"
    }
    if [ -n "$SYSTEM" ]; then
      case $name in diff_*)
        fail=$((fail+1)); failed="$failed $v:$name"
        echo "FAIL $v $name: diff tests need the reference core (not with LUA_TESTS_SYSTEM)"; continue ;;
      esac
      run rs system "$tmp/rs"
    else
      run rs "$ROOT/$build/?.so;$refdir/?.so" "$tmp/rs"
    fi
    case $name in
      diff_*)
        run c "$refdir/?.so" "$tmp/c"
        mask "$tmp/rs.out" >"$tmp/rs.o"; mask "$tmp/c.out" >"$tmp/c.o"
        mask "$tmp/rs.err" >"$tmp/rs.e"; mask "$tmp/c.err" >"$tmp/c.e"
        if cmp -s "$tmp/rs.o" "$tmp/c.o" && cmp -s "$tmp/rs.e" "$tmp/c.e"; then ok=1; else ok=0; fi ;;
      *)
        if [ "$(tail -n1 "$tmp/rs.out")" = "exit 0" ] && [ "$(tail -n2 "$tmp/rs.out" | head -n1)" = "ok" ]; then ok=1; else ok=0; fi ;;
    esac
    if [ $ok = 1 ]; then
      pass=$((pass+1)); echo "PASS $v $name"
    else
      fail=$((fail+1)); failed="$failed $v:$name"; echo "FAIL $v $name"
      case $name in
        diff_*) echo "--- reference C core / +++ luasocket-rs:"
                diff -u "$tmp/c.o" "$tmp/rs.o" | head -40; diff -u "$tmp/c.e" "$tmp/rs.e" | head -20 ;;
        *) tail -n 20 "$tmp/rs.out"; tail -n 20 "$tmp/rs.err" ;;
      esac
    fi
  done
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
