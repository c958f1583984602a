#!/bin/sh
# The C API that Debian's lua-sec links against, checked the way lua-sec uses
# it: tests/capi/probe.c (a C user with its own transport callbacks) runs
# tests/capi/probe.lua once on Debian's liblua5.X-socket.so.2 and once on our
# build/<v>/socket/core.so; the outputs (results with exact types, and a log
# of every callback call) must be identical. Prints PASS/FAIL per version and
# "N passed, M failed".
cd "$(dirname "$0")/.."
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
pass=0; fail=0
for v in $VERSIONS; do
  case $v in
    luajit) inc=/usr/include/luajit-2.1; lib=luajit-5.1; ref=5.1 ;;
    *) inc=/usr/include/lua$v; lib=lua$v; ref=$v ;;
  esac
  ours=build/$v/socket/core.so
  theirs=/usr/lib/$MULTIARCH/liblua$ref-socket.so.2
  if ! gcc -std=c99 -Wall -Wextra -Werror -I"$inc" tests/capi/probe.c -l$lib -ldl -lm \
        -o "$out/probe-$v" 2>"$out/cc.log"; then
    echo "FAIL $v capi: probe does not build"; cat "$out/cc.log"; fail=$((fail+1)); continue
  fi
  timeout 60 "$out/probe-$v" "$theirs" tests/capi/probe.lua >"$out/c.out" 2>&1; echo "exit $?" >>"$out/c.out"
  timeout 60 "$out/probe-$v" "$PWD/$ours" tests/capi/probe.lua >"$out/rs.out" 2>&1; echo "exit $?" >>"$out/rs.out"
  if [ "$(tail -n2 "$out/c.out")" = "done
exit 0" ] && cmp -s "$out/c.out" "$out/rs.out"; then
    echo "PASS $v capi ($(wc -l <"$out/c.out") lines identical)"; pass=$((pass+1))
  else
    echo "FAIL $v capi"; diff -u "$out/c.out" "$out/rs.out" | head -40; fail=$((fail+1))
  fi
  if [ "$(timeout 20 "$out/probe-$v" "$PWD/$ours" tests/capi/stall.lua 2>&1)" = done ]; then
    echo "PASS $v capi: a stalled transport reads as closed (the C core spins)"; pass=$((pass+1))
  else
    echo "FAIL $v capi: stalled transport"; timeout 20 "$out/probe-$v" "$PWD/$ours" tests/capi/stall.lua 2>&1 | tail -3; fail=$((fail+1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
