#!/bin/sh
# `make demo`: runs every examples/*.lua against build/<LUA>/ with upstream's
# Lua files from the distro (all on loopback).
cd "$(dirname "$0")/.."
v=${1:-5.4}
case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
export LUA_CPATH="$(pwd)/build/$v/?.so;/usr/lib/$MULTIARCH/lua/$abi/?.so"
export LUA_PATH="/usr/share/lua/$abi/?.lua;/usr/share/lua/$abi/?/init.lua"
for f in examples/*.lua; do
  echo "== $interp $f"
  timeout 60 $interp "$f" || exit 1
done
