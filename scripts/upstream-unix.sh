#!/bin/sh
# Runs upstream's unix-domain test programs (lua-socket 3.1.0 source, in
# .cache/upstream, used unchanged) against our release build (build/<v>) and
# against the reference C modules, on each Lua version given (default: all
# five). They use the fixed paths /tmp/foo and /tmp/bar, so each pair runs
# in a private mount namespace with a fresh tmpfs on /tmp (its working
# directory is a temp dir there), bounded with `timeout`.
#
#   unixstream  unixstreamsrvr.lua binds /tmp/foo, accepts one client and
#               prints every line it receives until the client goes away
#               (then its assert fails with "closed", exit 1).
#               unixstreamclnt.lua connects and sends each line of its
#               stdin (fed from a pipe) until EOF, where `nil .. "\n"`
#               fails (exit 1). PASS iff the server printed exactly the
#               lines fed to the client (including an empty one), both
#               ended with those errors, and the reference run produced the
#               same server output and exit codes.
#   unixdgram   unixdgramsrvr.lua binds /tmp/foo and, for each datagram,
#               prints "data<TAB>sender" and replies ">data" to the sender.
#               unixdgramclnt.lua binds /tmp/bar (printing bind's result),
#               sends each stdin line to /tmp/foo and prints the reply and
#               its sender; at EOF sendto(nil) fails (exit 1). The server
#               never ends by itself; it is stopped once the client is done
#               (line-buffered, so its output survives). PASS iff the server
#               printed "line<TAB>/tmp/bar" for every line, the client
#               printed bind's 1 and ">line<TAB>/tmp/foo" for every line,
#               the client ended with the sendto error, and both outputs
#               equal the reference run's.
# Last line: "N passed, M failed"; exit status non-zero on any failure.
. "$(dirname "$0")/lib.sh"
need_upstream unixstreamsrvr.lua
# not under /tmp: each pair gets its own /tmp, which would hide a checkout
# (and its build/ and .cache/) that lives under /tmp; so the scripts and the
# modules are copied next to the logs first.
make_tmp -p /var/tmp upstream-unix.XXXXXX
cp -r "$UP" "$tmp/test" && UP=$tmp/test

# The input fed to both clients.
printf 'hello\nsecond line\n\nlast one\n' >"$tmp/input"

# pair <server.lua> <client.lua> <cpath> <log prefix>: runs the pair in a
# private /tmp; logs <prefix>.{srv,srv.err,clnt,clnt.err,rc}.
pair() {
  cat >"$tmp/pair.sh" <<EOS
set -u
mount -t tmpfs tmpfs /tmp || exit 99
mkdir /tmp/work && cd /tmp/work || exit 99
timeout 10 stdbuf -oL $interp "$UP/$1" >"$4.srv" 2>"$4.srv.err" &
spid=\$!
i=0
while [ \$i -lt 50 ] && [ ! -S /tmp/foo ]; do sleep 0.1; i=\$((i+1)); done
timeout 10 $interp "$UP/$2" <"$tmp/input" >"$4.clnt" 2>"$4.clnt.err"
echo "clnt \$?" >"$4.rc"
# the stream server ends by itself; the datagram server is stopped here
i=0
while [ \$i -lt 10 ] && kill -0 \$spid 2>/dev/null; do sleep 0.1; i=\$((i+1)); done
kill \$spid 2>/dev/null
wait \$spid
echo "srv \$?" >>"$4.rc"
EOS
  # (stderr: the shell's note about the job it stopped)
  LUA_CPATH="$3" LUA_PATH="$lpath" unshare -m sh "$tmp/pair.sh" 2>"$4.sh.err"
}

for v in $VERSIONS; do
  use_version "$v"
  build=$tmp/build-$v
  rm -rf "$build"; [ -d "$ROOT/build/$v" ] && cp -r "$ROOT/build/$v" "$build"
  cpath="$build/?.so;$refdir/?.so"
  if [ ! -f "$build/socket/unix.so" ]; then
    fail_ "$v:build" "$v: build/$v/socket/unix.so not built (make LUA=$v)"; continue
  fi

  # unixstream
  pair unixstreamsrvr.lua unixstreamclnt.lua "$cpath" "$tmp/rs"
  pair unixstreamsrvr.lua unixstreamclnt.lua "$refdir/?.so" "$tmp/c"
  ok=0
  # print(assert(c:receive())) shows receive's three results
  sed 's|$|\tnil\tnil|' "$tmp/input" >"$tmp/want.srv"
  if cmp -s "$tmp/rs.srv" "$tmp/want.srv" && cmp -s "$tmp/rs.srv" "$tmp/c.srv" \
     && printf 'clnt 1\nsrv 1\n' | cmp -s - "$tmp/rs.rc" && cmp -s "$tmp/rs.rc" "$tmp/c.rc" \
     && grep -q ': closed$' "$tmp/rs.srv.err" && grep -q 'concatenate' "$tmp/rs.clnt.err"; then
    ok=1
  fi
  result unixstream $ok "$tmp/rs.srv" "$tmp/rs.srv.err" "$tmp/rs.clnt.err" "$tmp/rs.rc" "$tmp/c.srv" "$tmp/c.rc"

  # unixdgram
  pair unixdgramsrvr.lua unixdgramclnt.lua "$cpath" "$tmp/rs"
  pair unixdgramsrvr.lua unixdgramclnt.lua "$refdir/?.so" "$tmp/c"
  sed 's|$|\t/tmp/bar|' "$tmp/input" >"$tmp/want.srv"
  case $v in 5.3|5.4) one=1.0 ;; *) one=1 ;; esac
  { echo "$one"; sed 's|^\(.*\)$|>\1\t/tmp/foo|' "$tmp/input"; } >"$tmp/want.clnt"
  ok=0
  if cmp -s "$tmp/rs.srv" "$tmp/want.srv" && cmp -s "$tmp/rs.srv" "$tmp/c.srv" \
     && cmp -s "$tmp/rs.clnt" "$tmp/want.clnt" && cmp -s "$tmp/rs.clnt" "$tmp/c.clnt" \
     && printf 'clnt 1\nsrv 143\n' | cmp -s - "$tmp/rs.rc" && cmp -s "$tmp/rs.rc" "$tmp/c.rc" \
     && grep -q "bad argument #1 to 'sendto'" "$tmp/rs.clnt.err"; then
    ok=1
  fi
  result unixdgram $ok "$tmp/rs.srv" "$tmp/rs.clnt" "$tmp/rs.clnt.err" "$tmp/rs.rc" "$tmp/c.srv" "$tmp/c.clnt" "$tmp/c.rc"
done
summary
