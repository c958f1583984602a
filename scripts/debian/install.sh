#!/bin/sh
# `make install-debian LUA=5.X [DESTDIR=dir]`: installs, at Debian's own
# paths, exactly the C-side files of Debian's lua-socket and lua-socket-dev
# for one Lua version, built from luasocket-rs:
#
#   /usr/lib/<multiarch>/liblua5.X-{socket,mime,socket-unix}.so.2.0.0,
#       liblua5.X-socket-serial.so.0.0.0 (each with Debian's SONAME),
#       their .so.N and .so links, the .a archives,
#       lua/5.X/{socket/core,mime/core,socket/unix,socket/serial}.so links,
#       pkgconfig/lua5.X-{socket,mime,socket-unix,socket-serial}.pc
#   /usr/include/lua5.X/{luasocket,mime,unix,lua-socket-serial}.h
#
#   sh scripts/debian/install.sh <ver> <cargo target dir> [DESTDIR]
#
# The links are relative, as Debian's, so a staged tree can be packaged.
set -eu
cd "$(dirname "$0")/../.."
ver=$1 target=$2 dest=${3:-}
case $ver in
  5.1|5.2|5.3|5.4) ;;
  luajit) echo "install-debian: Debian serves LuaJIT from the 5.1 files; use LUA=5.1" >&2; exit 2 ;;
  *) echo "install-debian: no Debian file set for Lua '$ver'" >&2; exit 2 ;;
esac
MULTIARCH=${MULTIARCH:-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)}
built=build/debian/$(basename "$target")
sh scripts/debian/libs.sh "$ver" "$target/release/libluasocket.a" "$built"

libdir=$dest/usr/lib/$MULTIARCH
incdir=$dest/usr/include/lua$ver
install -d "$libdir/lua/$ver/socket" "$libdir/lua/$ver/mime" "$libdir/pkgconfig" "$incdir"

# module    full version  Lua module path (under lua/5.X/)
for spec in "socket 2.0.0 socket/core" "mime 2.0.0 mime/core" \
            "socket-unix 2.0.0 socket/unix" "socket-serial 0.0.0 socket/serial"; do
  set -- $spec
  name=$1 full=$2 mod=$3
  lib=liblua$ver-$name
  # install(1) replaces the file (new inode), so a process that has the old
  # library mapped keeps running on it.
  install -m 0644 "$built/$lib.so.$full" "$libdir/$lib.so.$full"
  install -m 0644 "$built/$lib.a" "$libdir/$lib.a"
  ln -sfn "$lib.so.$full" "$libdir/$lib.so.${full%%.*}"
  ln -sfn "$lib.so.$full" "$libdir/$lib.so"
  ln -sfn "../../../$lib.so.$full" "$libdir/lua/$ver/$mod.so"
  # Debian's .pc, field for field; Libs.private names what our static
  # archive needs from the system (Rust's std: unwinder, threads, dl, ...).
  cat >"$libdir/pkgconfig/lua$ver-$name.pc" <<PC
lua=lua$ver
version=3.1.0
lib_name=$name
libs_private=-lgcc_s -lutil -lrt -lpthread -lm -ldl
url=
requires=
conflicts=

prefix=/usr
libdir=\${prefix}/lib
includedir=\${prefix}/include/\${lua}

Name: Lua \${lib_name}
Description: Lua \${lib_name} engine
Version: \${version}
URL: \${url}
Requires: \${requires} \${lua}
Conflicts: \${conflicts}
Libs: -L\${libdir} -l\${lua}-\${lib_name} 
Libs.private: \${libs_private}
Cflags: -I\${includedir}
PC
  chmod 0644 "$libdir/pkgconfig/lua$ver-$name.pc"
done

# Headers: every generated header in include/ under its own name; a Debian
# name that include/ does not have yet gets a stub including luasocket.h,
# which declares all four luaopen_* entry points.
for h in include/*.h; do install -m 0644 "$h" "$incdir/"; done
for h in mime.h unix.h lua-socket-serial.h; do
  [ -f "include/$h" ] && continue
  printf '/* luasocket-rs: the entry points are declared in luasocket.h. */\n#include "luasocket.h"\n' >"$incdir/$h"
  chmod 0644 "$incdir/$h"
done

# A real install (no DESTDIR) refreshes the loader's cache, as dpkg's
# ldconfig trigger would.
if [ -z "$dest" ] || [ "$dest" = / ]; then ldconfig 2>/dev/null || true; fi
echo "installed Debian's lua-socket file set for Lua $ver under ${dest:-/}"
