#!/bin/sh
# Measures luasocket-rs against the reference C core in one run, scenario by
# scenario, alternating the two cores REPEAT times and keeping each one's best
# time. Prints "scenario  C-seconds  rs-seconds  speedup(C/rs)".
# Usage: sh bench/run.sh [LUA=5.4] [REPEAT=3] [scenario...]
cd "$(dirname "$0")/.."
v=${LUA:-5.4}; repeat=${REPEAT:-3}
case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
ref="/usr/lib/$MULTIARCH/lua/$abi/?.so"
ours="$(pwd)/build/$v/?.so;$ref"
export LUA_PATH="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua"
export PEER_CPATH="$ref"
scenarios=${*:-"receive_all receive_count receive_lines send_big echo"}
[ -f build/$v/socket/core.so ] || { echo "build first: make LUA=$v"; exit 1; }
printf "%-16s %10s %10s %8s   (Lua %s, best of %s)\n" scenario C rs speedup "$v" "$repeat"
for s in $scenarios; do
  bc=""; br=""
  for _ in $(seq "$repeat"); do
    tc=$(LUA_CPATH="$ref" $interp bench/tcp.lua "$s" | awk '{print $2}')
    tr=$(LUA_CPATH="$ours" $interp bench/tcp.lua "$s" | awk '{print $2}')
    bc=$(echo "$bc $tc" | awk '{m=$1; for(i=2;i<=NF;i++) if($i<m) m=$i; print m}')
    br=$(echo "$br $tr" | awk '{m=$1; for(i=2;i<=NF;i++) if($i<m) m=$i; print m}')
  done
  printf "%-16s %10s %10s %7.2fx\n" "$s" "$bc" "$br" "$(echo "$bc $br" | awk '{print ($2>0)?$1/$2:0}')"
done
