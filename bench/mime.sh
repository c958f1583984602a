#!/bin/sh
# Compares our mime.core with the reference C one (distro lua-socket), each
# in its own process, over 64 MiB per function.
#
#   sh bench/mime.sh [LUA] [CHUNK] [FUNCTIONS...]
#     LUA: 5.1 5.2 5.3 5.4 (default) luajit; CHUNK: bytes per call (default
#     8192, 0 = one call with all 64 MiB). Needs `make LUA=...` first.
# One line per function: CPU seconds for rs and c, ratio rs/c (below 1 = we
# are faster), whether both produced the same number of bytes (contents are
# checked by lua-tests/diff_mime*.lua); last line: the total ratio.
cd "$(dirname "$0")/.."
V=${1:-5.4}; CHUNK=${2:-8192}
[ $# -ge 2 ] && shift 2 || shift $#
FUNCS=${*:-"b64 unb64 qp unqp wrp qpwrp eol dot"}
case $V in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$V; abi=$V ;; esac
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
ref=/usr/lib/$MULTIARCH/lua/$abi
[ -f build/$V/mime/core.so ] || { echo "build/$V/mime/core.so missing: make LUA=$V"; exit 1; }
printf "%-6s %8s %8s %8s  %s\n" function rs_s c_s ratio same_size
trs=0; tc=0
for f in $FUNCS; do
  rs=$(LUA_CPATH="build/$V/?.so" $interp bench/mime.lua $f $CHUNK) || exit 1
  c=$(LUA_CPATH="$ref/?.so" $interp bench/mime.lua $f $CHUNK) || exit 1
  set -- $rs; rs_t=$3; rs_n=$4
  set -- $c; c_t=$3; c_n=$4
  same=no; [ "$rs_n" = "$c_n" ] && same=yes
  printf "%-6s %8s %8s %8s  %s\n" $f $rs_t $c_t $(awk "BEGIN{printf \"%.2f\", $rs_t/($c_t>0?$c_t:1e-9)}") $same
  trs=$(awk "BEGIN{print $trs+$rs_t}"); tc=$(awk "BEGIN{print $tc+$c_t}")
done
echo "ratio rs/c total ($interp, chunk $CHUNK): $(awk "BEGIN{printf \"%.2f\", $trs/$tc}") ($trs s vs $tc s)"
