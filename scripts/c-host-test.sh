#!/bin/sh
# Compiles tests/c-host/host.c against each Lua version's own headers with
# -Wall -Werror, links it with our static library (built by `make LUA=v`) and
# that version's liblua, and runs it. Prints PASS/FAIL per version.
. "$(dirname "$0")/lib.sh"
make_tmp; out=$tmp
for v in $VERSIONS; do
  use_version "$v"
  a=target/$v/release/libluasocket.a
  if gcc -std=c99 -Wall -Wextra -Werror -I"$inc" -Iinclude tests/c-host/host.c "$a" \
        -l$lualib -lm -ldl -lpthread -lgcc_s -o "$out/host-$v" 2>"$out/cc.log" &&
     [ "$(LUA_PATH="/usr/share/lua/$abi/?.lua" LUA_CPATH= "$out/host-$v" 2>"$out/run.log")" = ok ]; then
    pass_ "$v c-host"
  else
    fail_ "$v:c-host" "$v c-host"; cat "$out/cc.log" "$out/run.log" 2>/dev/null | head -20
  fi
done
summary
