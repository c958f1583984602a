#!/bin/sh
# Installs what `make test` / `make demo` need on Debian, quietly, if missing:
# the five interpreters and their headers, the distro's C LuaSocket (the
# reference core and the upstream Lua files), and upstream's source tarball
# (for its test suite) under .cache/upstream/.
set -e
cd "$(dirname "$0")/.."

# lua-sec, lua-copas, openssl and python3 (+ pyftpdlib from PyPI) serve the
# real-user tests (LuaSec, copas, http/smtp/ftp against local servers);
# luarocks the rock round trip; valgrind, pkg-config and g++ the C hosts;
# binutils (ld -r, objcopy, readelf) and dpkg-dev the Debian file set and
# the .deb (make install-debian, make deb, scripts/test-distro.sh).
PKGS="lua5.1 lua5.2 lua5.3 lua5.4 luajit liblua5.1-0-dev liblua5.2-dev liblua5.3-dev liblua5.4-dev libluajit-5.1-dev lua-socket lua-sec lua-copas openssl gcc make iproute2 util-linux dpkg-dev coreutils luarocks valgrind pkg-config g++ binutils"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

UPSTREAM=.cache/upstream/luasocket-3.1.0
need_src=0
[ -f "$UPSTREAM/test/testclnt.lua" ] || need_src=1

need_py=0
command -v python3 >/dev/null 2>&1 && python3 -c "import pyftpdlib" 2>/dev/null || need_py=1

if [ -z "$missing" ] && [ $need_src = 0 ] && [ $need_py = 0 ]; then exit 0; fi

if [ "$(id -u)" != 0 ]; then
  echo "deps: missing Debian packages:$missing" >&2
  [ $need_src = 1 ] && echo "deps: and upstream's source (apt-get source --download-only lua-socket)" >&2
  [ $need_py = 1 ] && echo "deps: and python3 with pyftpdlib (pip install pyftpdlib)" >&2
  echo "deps: run 'sudo make deps' (or install them yourself), then re-run." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ $need_py = 1 ]; then
  if ! command -v python3 >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends python3 python3-pip >/dev/null
  fi
  python3 -m pip install -q pyftpdlib >/dev/null 2>&1 ||
    python3 -m pip install -q --break-system-packages pyftpdlib >/dev/null 2>&1 ||
    apt-get install -y -qq --no-install-recommends python3-pyftpdlib >/dev/null
  python3 -c "import pyftpdlib" || { echo "deps: could not install pyftpdlib" >&2; exit 1; }
fi

if [ $need_src = 1 ]; then
  # A deb-src entry beside the existing Debian source, then the .orig tarball.
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ]; then
      sed 's/^Types: deb$/Types: deb-src/' "$src" > /etc/apt/sources.list.d/luasocket-rs-src.sources
    else
      sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list > /etc/apt/sources.list.d/luasocket-rs-src.list
    fi
  fi
  apt-get update -qq >/dev/null
  mkdir -p .cache/upstream
  (cd .cache/upstream && apt-get source --download-only -qq lua-socket >/dev/null 2>&1 || true)
  tarball=$(ls .cache/upstream/luasocket_3.1.0*.orig.tar.gz 2>/dev/null | head -1)
  if [ -z "$tarball" ]; then
    echo "deps: could not download lua-socket's source package" >&2
    exit 1
  fi
  tar -xzf "$tarball" -C .cache/upstream
  echo "deps: upstream test suite in $UPSTREAM/test"
fi
