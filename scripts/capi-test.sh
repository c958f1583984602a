#!/bin/sh
# The C API that Debian's lua-sec links against, checked the way lua-sec uses
# it: tests/capi/probe.c (a C user with its own transport callbacks) runs
# tests/capi/probe.lua once on Debian's liblua5.X-socket.so.2 and once on our
# build/<v>/socket/core.so; the outputs (results with exact types, and a log
# of every callback call) must be identical. Prints PASS/FAIL per version and
# "N passed, M failed".
. "$(dirname "$0")/lib.sh"
make_tmp; out=$tmp
for v in $VERSIONS; do
  use_version "$v"
  ours=build/$v/socket/core.so
  theirs=/usr/lib/$MULTIARCH/liblua$abi-socket.so.2
  if ! gcc -std=c99 -Wall -Wextra -Werror -I"$inc" tests/capi/probe.c -l$lualib -ldl -lm \
        -o "$out/probe-$v" 2>"$out/cc.log"; then
    fail_ "$v:capi" "$v capi: probe does not build"; cat "$out/cc.log"; continue
  fi
  timeout 60 "$out/probe-$v" "$theirs" tests/capi/probe.lua >"$out/c.out" 2>&1; echo "exit $?" >>"$out/c.out"
  timeout 60 "$out/probe-$v" "$PWD/$ours" tests/capi/probe.lua >"$out/rs.out" 2>&1; echo "exit $?" >>"$out/rs.out"
  if [ "$(tail -n2 "$out/c.out")" = "done
exit 0" ] && cmp -s "$out/c.out" "$out/rs.out"; then
    pass_ "$v capi ($(wc -l <"$out/c.out") lines identical)"
  else
    fail_ "$v:capi" "$v capi"; diff -u "$out/c.out" "$out/rs.out" | head -40
  fi
  if [ "$(timeout 20 "$out/probe-$v" "$PWD/$ours" tests/capi/stall.lua 2>&1)" = done ]; then
    echo "PASS $v capi: a stalled transport reads as closed (the C core spins)"; pass=$((pass+1))
  else
    echo "FAIL $v capi: stalled transport"; timeout 20 "$out/probe-$v" "$PWD/$ours" tests/capi/stall.lua 2>&1 | tail -3; fail=$((fail+1))
  fi
done
summary
