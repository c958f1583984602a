#!/bin/sh
# Links Debian's four C-library files for one Lua version out of the Rust
# static library that `make LUA=<ver>` builds:
#
#   sh scripts/debian/libs.sh <ver> <libluasocket.a> <outdir>
#
# writes <outdir>/liblua<ver>-{socket,mime,socket-unix}.so.2.0.0,
# liblua<ver>-socket-serial.so.0.0.0 and the matching .a archives.
#
# Why this way: Debian ships one shared object per module, each with its own
# SONAME (liblua5.X-socket.so.2, ...), and lua-sec's ssl.so names
# liblua5.X-socket.so.2 as NEEDED. One cargo cdylib can carry only one SONAME,
# so each library is a thin `cc -shared` link of the same LTO'd staticlib:
# -u pulls in the module's entry point, --gc-sections drops every other
# module, and a version script exports exactly that module's symbols (so four
# copies of Rust's std in one process never see each other). Like Debian's,
# no library links liblua: Lua's symbols come from the host at load time.
#
# The static archives hold one relocatable object per module, made with
# `ld -r --gc-sections` and with every symbol but the exports made local, so
# that a C host can link several of them (and other Rust static libraries)
# without duplicate-symbol clashes.
set -eu
ver=$1 archive=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc} LD=${LD:-ld} OBJCOPY=${OBJCOPY:-objcopy} AR=${AR:-ar}
# What Rust's std needs from the system (`rustc --print native-static-libs`);
# --as-needed keeps only those a module really uses.
NATIVE="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

[ -f "$archive" ] || { echo "libs.sh: $archive not built (make LUA=$ver)" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Global symbols the archive defines. readelf, not nm: rustc embeds bitcode
# (.llvmbc) in its objects, and nm then asks the system's older LLVM plugin,
# which fails and reports no symbols at all.
readelf -sW "$archive" | awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" { print $8 }' |
  sort -u >"$tmp/defined"

# module  full-version  entry point  extra exports file
for spec in "socket 2.0.0 luaopen_socket_core socket.exports" \
            "mime 2.0.0 luaopen_mime_core -" \
            "socket-unix 2.0.0 luaopen_socket_unix -" \
            "socket-serial 0.0.0 luaopen_socket_serial -"; do
  set -- $spec
  name=$1 full=$2 entry=$3 extra=$4
  major=${full%%.*}
  lib=liblua$ver-$name
  { echo "$entry"; [ "$extra" = - ] || grep -v '^#' "$here/$extra"; } | sort -u >"$tmp/wanted"
  # Export only what this build defines; say loudly what is missing (e.g. the
  # C API lua-sec links against, in a build that predates it).
  comm -12 "$tmp/wanted" "$tmp/defined" >"$tmp/exports"
  missing=$(comm -23 "$tmp/wanted" "$tmp/defined" | tr '\n' ' ')
  [ -z "$missing" ] || echo "libs.sh: warning: $lib: not in this build: $missing" >&2
  grep -qx "$entry" "$tmp/exports" || { echo "libs.sh: $archive lacks $entry" >&2; exit 1; }

  { echo "{ global:"; sed 's/$/;/' "$tmp/exports"; echo "local: *; };"; } >"$tmp/$name.map"
  undef=$(sed 's/^/-Wl,-u,/' "$tmp/exports" | tr '\n' ' ')

  # The shared object. -z relro as dpkg-buildflags sets it; lazy binding as
  # Debian's (Lua's symbols resolve against whichever host loads us).
  $CC -shared -o "$tmp/$lib.so.$full" -Wl,-soname,"$lib.so.$major" \
      -Wl,--version-script="$tmp/$name.map" -Wl,--gc-sections -Wl,--strip-debug \
      -Wl,-z,relro $undef "$archive" -Wl,--as-needed $NATIVE
  # The static archive: one object, only the exports global (and without
  # the embedded bitcode, .llvmbc, which only confuses binutils' LTO plugin).
  $LD -r --gc-sections $(sed 's/^/-u /' "$tmp/exports") -o "$tmp/$name.r.o" "$archive"
  $OBJCOPY --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
      $(sed 's/^/--keep-global-symbol=/' "$tmp/exports") "$tmp/$name.r.o" "$tmp/$lib.o"
  rm -f "$tmp/$lib.a"; $AR rcD "$tmp/$lib.a" "$tmp/$lib.o"

  mv -f "$tmp/$lib.so.$full" "$out/$lib.so.$full"
  mv -f "$tmp/$lib.a" "$out/$lib.a"
done
