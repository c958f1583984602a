#!/bin/sh
# `make deb`: builds build/deb/lua-socket-rs_<version>_<arch>.deb holding
# Debian's C-side lua-socket/lua-socket-dev file set for Lua 5.1-5.4, built
# from luasocket-rs (see install.sh), plus maintainer scripts that divert
# Debian's files aside on install and put them back on remove (preinst,
# postrm). Plain dpkg-deb: the tree is already staged by install.sh, so
# debhelper would add nothing but a build dependency.
set -eu
cd "$(dirname "$0")/../.."
VERSIONS="5.1 5.2 5.3 5.4"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
arch=$(dpkg --print-architecture)
export MULTIARCH=${MULTIARCH:-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)}
maintainer=${DEB_MAINTAINER:-luasocket-rs developers <luasocket-rs@localhost>}
out=build/deb
root=$out/root
rm -rf "$root"; mkdir -p "$root/DEBIAN"

for v in $VERSIONS; do
  make --no-print-directory LUA=$v build >/dev/null
  sh scripts/debian/install.sh "$v" "target/$v" "$root" >/dev/null
done
doc=$root/usr/share/doc/lua-socket-rs
install -d "$doc"
install -m 0644 README.md "$doc/README.md"
cat >"$doc/copyright" <<'TXT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: luasocket-rs

Files: *
Copyright: the luasocket-rs developers
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 THE SOFTWARE.
TXT
chmod 0644 "$doc/copyright"

# Every shipped path outside our doc directory is one of Debian's: divert it.
paths=$(cd "$root" && find usr ! -type d ! -path 'usr/share/doc/*' | sed 's|^|/|' | sort)
echo "$paths" >"$out/diverted-paths"
for s in preinst postrm; do
  awk -v paths="$paths" '$0 == "@PATHS@" { print paths; next } { print }' \
    "scripts/debian/$s" >"$root/DEBIAN/$s"
  chmod 0755 "$root/DEBIAN/$s"
done

# Run-time dependencies of the libraries themselves (libc, the unwinder);
# dpkg-shlibdeps wants a debian/control to read, so give it a scratch one.
# Its warnings (Lua's symbols come from the host) go to a log.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/debian"
printf 'Source: lua-socket-rs\n\nPackage: lua-socket-rs\nArchitecture: any\n' >"$tmp/debian/control"
libs=$(cd "$root" && find "$PWD/usr/lib/$MULTIARCH" -maxdepth 1 -type f -name '*.so.*')
shlibs=$(cd "$tmp" && dpkg-shlibdeps -O $libs 2>"$tmp/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p') ||
  { cat "$tmp/shlibdeps.log" >&2; exit 1; }
[ -n "$shlibs" ] || { cat "$tmp/shlibdeps.log" >&2; echo "mkdeb: no shlibs dependencies?" >&2; exit 1; }

# Binaries built against liblua5.X-socket on a system with this package must
# depend on lua-socket (the ABI's owner), exactly as lua-socket's own shlibs
# says; ldconfig's trigger keeps the SONAME links fresh.
for v in $VERSIONS; do
  for m in mime:2 socket-serial:0 socket-unix:2 socket:2; do
    echo "liblua$v-${m%%:*} ${m##*:} lua-socket (>= 3.1.0)"
  done
done >"$root/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k2) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@SIZE@|$size|" -e "s|@SHLIBS@|$shlibs|" scripts/debian/control.in >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/shlibs" "$root/DEBIAN/triggers" "$root/DEBIAN/md5sums"

deb=$out/lua-socket-rs_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb ($(echo "$paths" | wc -l) paths diverted from lua-socket/lua-socket-dev)"
