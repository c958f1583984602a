#!/bin/sh
# Counts the I/O and wait system calls of the measured process (not its peer)
# per TCP scenario, C core vs ours, with strace -c. Usage: sh bench/syscalls.sh [LUA]
cd "$(dirname "$0")/.."
v=${1:-5.4}
case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
ref="/usr/lib/$MULTIARCH/lua/$abi/?.so"
export LUA_PATH="/usr/share/lua/$abi/?.lua" PEER_CPATH="$ref"
command -v strace >/dev/null || { echo "needs strace (apt-get install strace)"; exit 1; }
count() { LUA_CPATH="$1" strace -c -e trace=read,recvfrom,recvmsg,write,sendto,sendmsg,poll,ppoll,select,pselect6 \
  $interp bench/tcp.lua "$2" 2>&1 >/dev/null | awk '$NF=="total"{print $4}'; }
printf "%-16s %10s %10s %8s   (Lua %s: read/recv/write/send/poll/select calls)\n" scenario C rs ratio "$v"
for s in receive_all receive_count receive_lines send_big echo; do
  c=$(count "$ref" $s); r=$(count "$(pwd)/build/$v/?.so;$ref" $s)
  printf "%-16s %10s %10s %7.1fx\n" "$s" "$c" "$r" "$(echo "$c $r" | awk '{print ($2>0)?$1/$2:0}')"
done
