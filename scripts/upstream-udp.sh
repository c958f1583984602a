#!/bin/sh
# Runs upstream's UDP test programs (lua-socket 3.1.0 source, in
# .cache/upstream, used unchanged) against our release build (build/<v>),
# on each Lua version given, each program inside a private network
# namespace (unshare -n, loopback up) so fixed ports (5061, 5062, 5432)
# cannot clash with anything, and bounded with `timeout`.
#
#   udp-zero-length-send       s:send("") on a connected udp object must
#                              return 0 (it prints "OK ..." or "FAIL ...").
#   udp-zero-length-send-recv  that empty datagram must arrive: receive()
#                              on the bound receiver returns "" (prints "ok",
#                              exits 1 otherwise).
#   udpconnect                 udpconnectsrvr.lua + udpconnectclnt.lua <port>:
#                              the server's udp() object connects to :5061
#                              (class udp{connected}), gets its ephemeral
#                              port, and must receive only the datagram of
#                              the client's socket bound to 5061 (the one
#                              from 5062 is filtered); setpeername("*")
#                              returns 1 and makes it udp{unconnected} with
#                              sockname 0.0.0.0 port 0 (Linux dissolves the
#                              autobound port too); sendto autobinds a new
#                              port. Its final receivefrom() then waits on
#                              that new port, which the client never targets,
#                              so the server is ended by its timeout -- the
#                              reference C core does exactly the same (its
#                              stdout is line-buffered with stdbuf so the
#                              killed server's lines survive); the
#                              server's output (ports masked) must equal the
#                              reference's, line for line.
# Last line: "N passed, M failed"; exit status non-zero on any failure.
. "$(dirname "$0")/lib.sh"
need_upstream udpconnectsrvr.lua
make_tmp

# udpconnect pair with C path $1, logs under $2.*; prints the exit codes.
pair() {
  cat >"$tmp/pair.sh" <<EOS
cd "$UP"
timeout 6 stdbuf -oL $interp udpconnectsrvr.lua >"$2.srv" 2>&1 &
spid=\$!
i=0
while [ \$i -lt 50 ] && ! grep -q '^getsockname' "$2.srv"; do sleep 0.1; i=\$((i+1)); done
port=\$(awk '/^getsockname/ { print \$3; exit }' "$2.srv")
timeout 20 $interp udpconnectclnt.lua "\$port" >"$2.clnt" 2>&1
echo "clnt \$?" >"$2.rc"
wait \$spid
echo "srv \$?" >>"$2.rc"
EOS
  LUA_CPATH="$1" LUA_PATH="$lpath" netns sh "$tmp/pair.sh"
}

for v in $VERSIONS; do
  use_version "$v"
  build=$ROOT/build/$v
  cpath="$build/?.so;$refdir/?.so"
  if [ ! -f "$build/socket/core.so" ]; then
    fail_ "$v:build" "$v: $build not built (make LUA=$v)"; continue
  fi
  # udp-zero-length-send
  (cd "$UP" && LUA_CPATH="$cpath" LUA_PATH="$lpath" netns timeout 20 $interp udp-zero-length-send) >"$tmp/zs.out" 2>&1
  rc=$?
  ok=0; [ $rc = 0 ] && grep -q '^OK' "$tmp/zs.out" && ! grep -q '^FAIL' "$tmp/zs.out" && ok=1
  result udp-zero-length-send $ok "$tmp/zs.out"

  # udp-zero-length-send-recv
  (cd "$UP" && LUA_CPATH="$cpath" LUA_PATH="$lpath" netns timeout 20 $interp udp-zero-length-send-recv) >"$tmp/zr.out" 2>&1
  rc=$?
  ok=0; [ $rc = 0 ] && [ "$(tail -n1 "$tmp/zr.out")" = "ok" ] && ! grep -q 'failed' "$tmp/zr.out" && ok=1
  result udp-zero-length-send-recv $ok "$tmp/zr.out"

  # udpconnect pair, ours and the reference
  pair "$cpath" "$tmp/rs"
  pair "$refdir/?.so" "$tmp/c"
  sed -E -e 's/\t[1-9][0-9]*\tinet$/\tPORT\tinet/' "$tmp/rs.srv" >"$tmp/rs.m"
  sed -E -e 's/\t[1-9][0-9]*\tinet$/\tPORT\tinet/' "$tmp/c.srv" >"$tmp/c.m"
  printf 'setpeername\t1\ngetsockname\t127.0.0.1\tPORT\tinet\nthis is a test from sc\nsetpeername\t1\ngetsockname\t0.0.0.0\t0\tinet\ngetsockname\t0.0.0.0\tPORT\tinet\n' >"$tmp/want"
  sed -E 's/^setpeername\t1\.0$/setpeername\t1/' "$tmp/rs.m" >"$tmp/rs.n"
  ok=0
  if cmp -s "$tmp/rs.n" "$tmp/want" && cmp -s "$tmp/rs.m" "$tmp/c.m" \
     && grep -q '^clnt 0$' "$tmp/rs.rc" && grep -q '^srv 124$' "$tmp/rs.rc" \
     && cmp -s "$tmp/rs.rc" "$tmp/c.rc" \
     && grep -q "^se	127.0.0.1	5062	inet$" "$tmp/rs.clnt" && grep -q "^sc	127.0.0.1	5061	inet$" "$tmp/rs.clnt"; then
    ok=1
  fi
  result udpconnect $ok "$tmp/rs.srv" "$tmp/c.srv" "$tmp/rs.clnt" "$tmp/rs.rc" "$tmp/c.rc"
done
summary
