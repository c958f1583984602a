#!/bin/sh
# C hosts, the way an embedder uses luasocket-rs, on each Lua given (default:
# all five), from the release build (`make LUA=v`):
#   * `make install LUA=v PREFIX=<stage>`: the modules, include/luasocket-rs/
#     (luasocket.h, mime.h, unix.h, lua-socket-serial.h), libluasocket-rs.so
#     and .a, lib/pkgconfig/luasocket-rs.pc;
#   * the headers replace LuaSocket's: tests/c-host/upstream_api.c (written
#     against upstream's and Debian's headers) compiles with -Wall -Wextra
#     -Wpedantic -Werror, as C99 on every version, as C89 on 5.1, as C++
#     (linked and run) on 5.4; each header compiles on its own;
#   * examples/c-host/ (a copy, so the checkout stays clean) built by its own
#     Makefile through pkg-config against the stage: host (shared library,
#     found through its rpath) and host-static (no libluasocket-rs needed);
#   * both run under valgrind memcheck (no errors, no definite leaks), then
#     `host -t 8` (8 threads, each its own lua_State, TCP/UDP/DNS/mime at once)
#     under helgrind (tests/c-host/helgrind.supp: glibc's resolver only) and
#     `host-static -t 8` under memcheck.
# Upstream's Lua files come from the distro's lua-socket (package.path); no C
# module is loaded from disk (LUA_CPATH is empty and the host checks
# /proc/self/maps). Last line: "N passed, M failed".
. "$(dirname "$0")/lib.sh"
make_tmp
RESULT_TAIL=30
WARN="-Wall -Wextra -Wpedantic -Werror"
MEMCHECK="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
HELGRIND="valgrind -q --error-exitcode=99 --tool=helgrind --suppressions=$ROOT/tests/c-host/helgrind.supp"

for v in $VERSIONS; do
  use_version "$v"
  stage=$tmp/stage-$v; log=$tmp/$v.log; : >"$log"
  ok=1
  make --no-print-directory install LUA=$v PREFIX="$stage" >>"$log" 2>&1 || ok=0
  for f in include/luasocket-rs/luasocket.h include/luasocket-rs/mime.h include/luasocket-rs/unix.h \
           include/luasocket-rs/lua-socket-serial.h lib/libluasocket-rs.so lib/libluasocket-rs.a \
           lib/pkgconfig/luasocket-rs.pc lib/lua/$abi/socket/core.so; do
    [ -f "$stage/$f" ] || { echo "missing $stage/$f" >>"$log"; ok=0; }
  done
  result "make install: headers, libluasocket-rs.so/.a, luasocket-rs.pc" $ok "$log"
  [ $ok = 1 ] || continue
  export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
  cflags=$(pkg-config --cflags luasocket-rs)

  ok=1
  gcc -std=c99 $WARN $cflags -c tests/c-host/upstream_api.c -o "$tmp/api.o" >>"$log" 2>&1 || ok=0
  for h in luasocket.h mime.h unix.h lua-socket-serial.h; do
    printf '#include "%s"\nint main(void) { return 0; }\n' $h |
      gcc -std=c99 $WARN $cflags -fsyntax-only -x c - >>"$log" 2>&1 || { echo "$h alone" >>"$log"; ok=0; }
  done
  if [ $v = 5.1 ]; then
    gcc -std=c89 $WARN $cflags -c tests/c-host/upstream_api.c -o "$tmp/api89.o" >>"$log" 2>&1 || ok=0
  fi
  if [ $v = 5.4 ]; then
    g++ $WARN -DUPSTREAM_API_MAIN $cflags -x c++ tests/c-host/upstream_api.c -x none -o "$tmp/api-cxx" \
      $(pkg-config --libs luasocket-rs) -Wl,-rpath,"$stage/lib" >>"$log" 2>&1 && "$tmp/api-cxx" >>"$log" 2>&1 || ok=0
  fi
  result "headers replace upstream's luasocket.h/mime.h/unix.h/lua-socket-serial.h" $ok "$log"

  ex=$tmp/c-host-$v
  cp -r examples/c-host "$ex"
  make --no-print-directory -C "$ex" >>"$log" 2>&1 && ok=1 || ok=0
  if [ $ok = 1 ]; then
    ldd "$ex/host" | grep -q "libluasocket-rs.so => $stage/lib/libluasocket-rs.so" || ok=0
    readelf -d "$ex/host-static" | grep -q 'NEEDED.*luasocket' && ok=0
  fi
  result "examples/c-host: make (pkg-config; host shared, host-static static)" $ok "$log"
  [ $ok = 1 ] || continue

  run() { # name out command...: under the distro's Lua files, no C module path
    name=$1; out=$2; shift 2
    LUA_PATH="$lpath" LUA_CPATH= \
      LUA_CPATH_5_2= LUA_CPATH_5_3= LUA_CPATH_5_4= LUA_INIT= \
      timeout 300 "$@" >"$out" 2>&1 </dev/null && ok=1 || ok=0
    result "$name" $ok "$out"
  }
  run "host (shared) under memcheck: echo, mime.b64" "$tmp/host.out" $MEMCHECK "$ex/host"
  run "host-static under memcheck: echo, mime.b64" "$tmp/static.out" $MEMCHECK "$ex/host-static"
  run "host -t 8 under helgrind: 8 lua_States, TCP/UDP/DNS/mime" "$tmp/threads.out" $HELGRIND "$ex/host" -t 8
  run "host-static -t 8 under memcheck" "$tmp/threads-static.out" $MEMCHECK "$ex/host-static" -t 8
done
summary
