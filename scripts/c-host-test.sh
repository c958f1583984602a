#!/bin/sh
# Compiles tests/c-host/host.c against each Lua version's own headers with
# -Wall -Werror, links it with our static library (built by `make LUA=v`) and
# that version's liblua, and runs it. Prints PASS/FAIL per version.
cd "$(dirname "$0")/.."
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
pass=0; fail=0
for v in $VERSIONS; do
  case $v in
    luajit) inc=/usr/include/luajit-2.1; lib=luajit-5.1; abi=5.1 ;;
    *) inc=/usr/include/lua$v; lib=lua$v; abi=$v ;;
  esac
  a=target/$v/release/libluasocket.a
  if gcc -std=c99 -Wall -Wextra -Werror -I"$inc" -Iinclude tests/c-host/host.c "$a" \
        -l$lib -lm -ldl -lpthread -lgcc_s -o "$out/host-$v" 2>"$out/cc.log" &&
     [ "$(LUA_PATH="/usr/share/lua/$abi/?.lua" LUA_CPATH= "$out/host-$v" 2>"$out/run.log")" = ok ]; then
    echo "PASS $v c-host"; pass=$((pass+1))
  else
    echo "FAIL $v c-host"; cat "$out/cc.log" "$out/run.log" | head -20; fail=$((fail+1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
