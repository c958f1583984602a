#!/bin/sh
# The distro path (issue 8), as a Debian user meets it:
#
#   1. outside any change: `make deb` and a staged `make install-debian-all`;
#      the staged tree is exactly Debian's C-side lua-socket + lua-socket-dev
#      file set; each of the 16 libraries has Debian's SONAME, no liblua in
#      NEEDED, exports exactly its module's symbols (socket: also the C API
#      Debian's lua-sec imports); the reference LuaSec transcripts
#      (lua-tests/diff_luasec.lua on Debian's own libraries).
#   2. private mount namespace #1: `make install-debian-all DESTDIR=/` over
#      Debian's files, then the common checks (below).
#   3. private mount namespace #2: `dpkg -i` of the .deb, the common checks,
#      `dpkg --purge`: Debian's files back byte for byte, no diversions left,
#      Debian's core loaded again.
#
# Common checks, with no LUA_CPATH (each interpreter's own default paths):
#   * Debian's lua-sec, copas and Lua files load all four of OUR libraries
#     from Debian's paths (scripts/debian/which-core.lua: /proc/self/maps and
#     a marker only our core carries), for 5.1-5.4 and LuaJIT;
#   * the LuaSec transcript is identical to the reference one;
#   * lua-tests test_http/smtp/ftp/luasec/copas pass (run.sh, LUA_TESTS_SYSTEM);
#   * `pkg-config --cflags --libs lua5.4-socket lua5.4-mime ...` builds the C
#     host of examples/c-host dynamically and statically; it runs, also with
#     8 threads.
#
# Everything that installs, diverts or mounts happens inside
# `unshare -m --propagation private` with overlays (upper layer on a tmpfs)
# over /usr, /etc and /var: the real system, and the reference C core the
# other tests use, never change, and a failure leaves nothing behind.
# Needs root. Last line: "N passed, M failed".
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
LIBDIR=/usr/lib/$MULTIARCH
VERSIONS="5.1 5.2 5.3 5.4"
INTERPS="lua5.1 lua5.2 lua5.3 lua5.4 luajit"
DISTRO_TESTS='test_http\|test_smtp\|test_ftp\|test_luasec\|test_copas'

# ---- helpers (also used inside the namespaces: $work is shared) ------------

# record NAME OK: one PASS/FAIL line, also appended to the results file.
record() {
  if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1"; fi | tee -a "$work/results"
}
check() { # name command...
  name=$1; shift
  if "$@" >"$work/check.log" 2>&1; then record "$name" 0
  else record "$name" 1; head -n 30 "$work/check.log"; fi
}

# Debian's module names and versions: lib-suffix full-version
modules() { printf '%s\n' "socket 2.0.0" "mime 2.0.0" "socket-unix 2.0.0" "socket-serial 0.0.0"; }
exports_of() { # module: the symbols its library must export
  case $1 in
    socket) echo luaopen_socket_core; grep -v '^#' scripts/debian/socket.exports ;;
    mime) echo luaopen_mime_core ;;
    socket-unix) echo luaopen_socket_unix ;;
    socket-serial) echo luaopen_socket_serial ;;
  esac | sort
}

# manifest DIR: "f path" / "l path target" for every non-directory under DIR/usr
manifest() {
  (cd "$1" && find usr ! -type d | sort | while read -r p; do
    if [ -L "$p" ]; then echo "l /$p $(readlink "$p")"; else echo "f /$p"; fi
  done)
}

# Debian's C-side file set: lua-socket's (from dpkg, the installed package)
# and lua-socket-dev's (recorded in scripts/debian/lua-socket-dev.files).
debian_manifest() {
  {
    dpkg -L lua-socket | grep "^$LIBDIR/" | while read -r p; do
      if [ -L "$p" ]; then echo "l $p $(readlink "$p")"; elif [ -f "$p" ]; then echo "f $p"; fi
    done
    grep -v '^#' scripts/debian/lua-socket-dev.files | sed "s|@MULTIARCH@|$MULTIARCH|g"
  } | sort -k2
}

elf_ok() { # lib soname module: SONAME, NEEDED, dynamic exports
  soname=$(readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  [ "$soname" = "$2" ] || { echo "$1: SONAME '$soname', want '$2'"; return 1; }
  needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  for n in $needed; do
    case $n in libc.so.6|libgcc_s.so.1|ld-linux-*.so.2) ;; *) echo "$1: NEEDED $n"; return 1 ;; esac
  done
  nm -D --defined-only "$1" | awk '{ print $3 }' | sort >"$work/have"
  exports_of "$3" >"$work/want"
  diff "$work/want" "$work/have" >"$work/diff" || { echo "$1: exports (- missing, + extra):"; sed -n 's/^</-/p; s/^>/+/p' "$work/diff"; return 1; }
}

archive_ok() { # lib.a module: global definitions are exactly the exports
  readelf -sW "$1" | awk '$5 == "GLOBAL" && $7 != "UND" { print $8 }' | sort >"$work/have"
  exports_of "$2" >"$work/want"
  diff "$work/want" "$work/have" || { echo "$1: global symbols differ (< want, > have)"; return 1; }
}

# The C API the system's lua-sec needs: what Debian's liblua5.X-sec imports
# and Debian's liblua5.X-socket defines must be exported by ours.
capi_ok() { # version our-socket-lib
  nm -D --undefined-only "$LIBDIR/liblua$1-sec.so.1" | awk '{ print $2 }' | sort >"$work/imports"
  nm -D --defined-only "$LIBDIR/liblua$1-socket.so.2" | awk '{ print $3 }' | sort >"$work/debian"
  nm -D --defined-only "$2" | awk '{ print $3 }' | sort >"$work/ours"
  comm -12 "$work/imports" "$work/debian" >"$work/needed"
  [ -s "$work/needed" ] || { echo "lua-sec imports nothing from liblua$1-socket?"; return 1; }
  missing=$(comm -23 "$work/needed" "$work/ours" | tr '\n' ' ')
  [ -z "$missing" ] || { echo "not exported by ours: $missing"; return 1; }
}

transcript() { # interpreter outfile
  env -u LUA_CPATH -u LUA_CPATH_5_2 -u LUA_CPATH_5_3 -u LUA_CPATH_5_4 \
    timeout 120 "$1" lua-tests/diff_luasec.lua >"$2" 2>&1 </dev/null
}

which_core() { # interpreter rs|c
  env -u LUA_CPATH -u LUA_CPATH_5_2 -u LUA_CPATH_5_3 -u LUA_CPATH_5_4 \
    timeout 60 "$1" scripts/debian/which-core.lua "$2" "$MULTIARCH" >"$work/which" 2>&1 </dev/null
  ok=$?
  cat "$work/which"
  [ $ok = 0 ] && [ "$(tail -n1 "$work/which")" = ok ]
}

c_host() { # dynamic|static: build examples/c-host/host.c (read-only here)
  # against Debian's .pc files and headers, run it, then with 8 threads
  pcs="lua5.4-socket lua5.4-mime lua5.4-socket-unix lua5.4-socket-serial"
  cflags=$(pkg-config --cflags $pcs) || return 1
  if [ "$1" = dynamic ]; then
    libs=$(pkg-config --libs $pcs) || return 1
  else
    # our static archives, by file name; the rest as pkg-config --static says
    libs=$(pkg-config --static --libs $pcs | sed 's/$/ /; s/-l\(lua5\.4-socket[-a-z]*\|lua5\.4-mime\) /-l:lib\1.a /g') || return 1
  fi
  echo "cc $cflags ... $libs"
  gcc -std=c99 -Wall -Wextra -Werror $cflags examples/c-host/host.c $libs -lpthread -o "$work/host-$1" || return 1
  needed=$(readelf -d "$work/host-$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  echo "NEEDED: $needed"
  if [ "$1" = dynamic ]; then
    # the loader must pick our libraries at Debian's paths (/lib is /usr/lib)
    for m in socket.so.2 mime.so.2 socket-unix.so.2 socket-serial.so.0; do
      lib=$(ldd "$work/host-$1" | sed -n "s/.*liblua5\.4-$m => \([^ ]*\).*/\1/p")
      [ -n "$lib" ] && [ "$(readlink -f "$lib")" = "$(readlink -f "$LIBDIR/liblua5.4-$m")" ] ||
        { echo "liblua5.4-$m => '$lib'"; return 1; }
      grep -q 'luasocket-rs: internal error' "$(readlink -f "$lib")" || { echo "$lib is not ours"; return 1; }
    done
  else
    case " $needed " in *" liblua5.4-socket"*|*" liblua5.4-mime"*) echo "linked dynamically"; return 1 ;; esac
    grep -q 'luasocket-rs: internal error' "$work/host-$1" || { echo "our code is not in the binary"; return 1; }
  fi
  [ "$(LUA_PATH="/usr/share/lua/5.4/?.lua" LUA_CPATH= timeout 60 "$work/host-$1")" = ok ] &&
    [ "$(LUA_PATH="/usr/share/lua/5.4/?.lua" LUA_CPATH= timeout 60 "$work/host-$1" -t 8)" = "ok: 8 threads" ]
}

# Checks run with our libraries at Debian's paths (in a namespace). $1: label
common_checks() {
  for i in $INTERPS; do check "$1: $i loads our four libraries from Debian's paths (lua-sec, copas)" which_core "$i" rs; done
  for i in $INTERPS; do
    transcript "$i" "$work/ours-$i.txt"
    check "$1: $i LuaSec transcript identical to Debian's library's" diff -u "$work/ref-$i.txt" "$work/ours-$i.txt"
  done
  LUA_TESTS_SYSTEM=1 LUA_TESTS_ONLY=$DISTRO_TESTS sh lua-tests/run.sh 5.1 5.2 5.3 5.4 luajit >"$work/lt.log" 2>&1
  grep -E '^(PASS|FAIL) ' "$work/lt.log" | sed "s/^\(PASS\|FAIL\) /\1 $1: lua-tests /" | tee -a "$work/results"
  grep -vE '^(PASS|FAIL) |passed, .* failed|^failed:' "$work/lt.log" | head -n 40
  [ "$(grep -cE '^(PASS|FAIL) ' "$work/lt.log")" = 25 ] || record "$1: lua-tests ran all 25" 1
  check "$1: C host via pkg-config, dynamic" c_host dynamic
  check "$1: C host via pkg-config, static" c_host static
}

# ---- the two namespaces -----------------------------------------------------

inside_install() {
  check "install-debian: make install-debian-all DESTDIR=/" make --no-print-directory install-debian-all DESTDIR=/
  common_checks install-debian
}

inside_deb() {
  deb=$(ls build/deb/lua-socket-rs_*.deb)
  paths=build/deb/diverted-paths
  hashes() { # the state of every path we divert: content hash or link target
    while read -r p; do
      if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"
      elif [ -f "$p" ]; then echo "$p $(sha256sum <"$p" | cut -d' ' -f1)"
      else echo "$p absent"; fi
    done <"$paths"
  }
  hashes >"$work/before"
  check "deb: dpkg -i $(basename "$deb")" dpkg -i "$deb"
  n=$(wc -l <"$paths")
  check "deb: $n diversions by lua-socket-rs" sh -c "[ \$(dpkg-divert --list | grep -c ' by lua-socket-rs\$') = $n ]"
  # Debian's originals, renamed below /usr/lib/lua-socket-rs/diverted/
  check "deb: Debian's files kept intact while diverted" sh -c '
    while read -r p rest; do
      case $rest in absent) continue ;; esac
      d=/usr/lib/lua-socket-rs/diverted$p
      if [ -L "$d" ]; then [ "-> $(readlink "$d")" = "$rest" ] || exit 1
      else [ "$(sha256sum <"$d" | cut -d" " -f1)" = "$rest" ] || exit 1; fi
    done <"$1"' sh "$work/before"
  check "deb: dpkg --verify lua-socket-rs" sh -c '[ -z "$(dpkg --verify lua-socket-rs)" ]'
  ldconfig
  check "deb: after ldconfig, SONAME links still point at our files" sh -c '
    for v in '"$VERSIONS"'; do for m in socket:2:2.0.0 mime:2:2.0.0 socket-unix:2:2.0.0 socket-serial:0:0.0.0; do
      n=${m%%:*}; rest=${m#*:}; major=${rest%%:*}; full=${rest#*:}
      [ "$(readlink '"$LIBDIR"'/liblua$v-$n.so.$major)" = "liblua$v-$n.so.$full" ] || { echo "liblua$v-$n.so.$major"; exit 1; }
    done; done'
  common_checks deb
  check "deb: dpkg --purge lua-socket-rs" dpkg --purge lua-socket-rs
  hashes >"$work/after"
  check "deb: after purge, Debian's files are back byte for byte (sha256)" diff -u "$work/before" "$work/after"
  check "deb: after purge, no diversions by lua-socket-rs" sh -c '! dpkg-divert --list | grep -q " by lua-socket-rs\$"'
  check "deb: after purge, /usr/lib/lua-socket-rs is gone" sh -c '[ ! -e /usr/lib/lua-socket-rs ]'
  check "deb: after purge, dpkg --verify lua-socket" sh -c '[ -z "$(dpkg --verify lua-socket)" ]'
  for i in $INTERPS; do check "deb: after purge, $i loads Debian's C core again" which_core "$i" c; done
}

# in_namespace ROLE: this script again, as ROLE, in a private mount namespace
# whose /usr, /etc and /var are overlays with their upper layers on a tmpfs.
in_namespace() {
  mkdir "$work/ns-$1"
  unshare -m --propagation private sh -c '
    set -e
    mount -t tmpfs tmpfs "$1"
    for d in usr etc var; do
      mkdir "$1/$d.upper" "$1/$d.work"
      mount -t overlay overlay -o "lowerdir=/$d,upperdir=$1/$d.upper,workdir=$1/$d.work" "/$d"
    done
    shift
    exec sh "$@"' sh "$work/ns-$1" "$0" "--inside-$1" "$work"
  rc=$?
  rmdir "$work/ns-$1"
  [ $rc = 0 ] || record "namespace $1 exited with status $rc" 1
}

case ${1:-} in
  --inside-install) work=$2; inside_install; exit 0 ;;
  --inside-deb) work=$2; inside_deb; exit 0 ;;
esac

# ---- outside: build, static checks, reference transcripts, namespaces -------
[ "$(id -u)" = 0 ] || { echo "test-distro: needs root (unshare, mount, dpkg)"; echo "0 passed, 1 failed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/results"
start=$(date +%s)

check "make deb" make --no-print-directory deb
check "make install-debian-all DESTDIR=stage" make --no-print-directory install-debian-all DESTDIR="$work/stage"
manifest "$work/stage" >"$work/ours.files"
debian_manifest >"$work/debian.files"
check "staged tree is exactly Debian's C-side lua-socket + lua-socket-dev file set" diff -u "$work/debian.files" "$work/ours.files"
check "the .deb holds the same tree (plus its doc directory)" sh -c '
  dpkg-deb -c "$1" | awk "{ print \$6 }" | sed "s|^\./|/|" | grep -v "/\$" | grep -v "^/usr/share/doc/lua-socket-rs/" | sort >"$2/deb.files"
  cut -d" " -f2 "$2/ours.files" | sort | diff - "$2/deb.files"' sh "$(ls build/deb/lua-socket-rs_*.deb 2>/dev/null)" "$work"
for v in $VERSIONS; do
  modules | while read -r m full; do
    lib=$work/stage$LIBDIR/liblua$v-$m.so.$full
    check "$v liblua$v-$m.so.$full: SONAME liblua$v-$m.so.${full%%.*}, no liblua NEEDED, exports" elf_ok "$lib" "liblua$v-$m.so.${full%%.*}" "$m"
    check "$v liblua$v-$m.a: only the exports are global" archive_ok "$work/stage$LIBDIR/liblua$v-$m.a" "$m"
  done
  check "$v liblua$v-socket exports what Debian's lua-sec imports from liblua$v-socket.so.2" capi_ok "$v" "$work/stage$LIBDIR/liblua$v-socket.so.2.0.0"
done
# The reference: Debian's libraries, nothing changed.
for i in $INTERPS; do
  transcript "$i" "$work/ref-$i.txt"
  check "$i reference LuaSec transcript on Debian's library" sh -c '[ "$(tail -n1 "$1")" = done ]' sh "$work/ref-$i.txt"
  check "$i reference: Debian's C core is what loads before any change" which_core "$i" c
done

in_namespace install
in_namespace deb
# Nothing leaked out of the namespaces.
check "the real system still has Debian's C core (no diversions, files unchanged)" sh -c '
  ! dpkg-divert --list | grep -q " by lua-socket-rs\$" && [ -z "$(dpkg --verify lua-socket)" ] && [ ! -e /usr/lib/lua-socket-rs ]'

echo "distro checks took $(( $(date +%s) - start )) s"
p=$(grep -c '^PASS ' "$work/results"); f=$(grep -c '^FAIL ' "$work/results")
echo "$p passed, $f failed"
[ "$f" = 0 ]
