#!/bin/sh
# The luarocks round trip, offline, the way a user does it, on each Lua given
# (default: all five; LuaJIT through a luarocks config naming the luajit
# interpreter and its headers, since Debian's luarocks runs on PUC Lua).
#
# For each version and each install order, on a fresh tree:
#   * upstream's rock: `luarocks make rockspecs/luasocket-3.1.0-1.rockspec`
#     in a copy of the 3.1.0 source package (builds in place, so not in
#     .cache/); ours: `luarocks make` in this checkout (cargo reuses
#     target/<v>-debug, which `make DEBUG=1` shares);
#   * with both installed: the unversioned socket/core.so, mime/core.so,
#     socket/unix.so and socket/serial.so are byte for byte our build,
#     upstream's sit in their versioned spots, and tests/rock/check.lua,
#     run through `luarocks path` for that tree, sees ours mapped in
#     /proc/self/maps, upstream's Lua files from the tree, _DEBUG, a loopback
#     TCP echo, a socket.http GET against a local server, mime.b64;
#   * after `luarocks remove lua-socket-rs`: upstream's modules are back in
#     the unversioned spots and check.lua sees them; send/receive results
#     have the same shape as ours (both rocks built with LUASOCKET_DEBUG).
# Once: the rockspec's version is Cargo.toml's; `luarocks make` with no cargo
# anywhere fails with our one message; the checkout's `git status` is what
# it was (luarocks make writes only to the gitignored target/ and build/).
# Last line: "N passed, M failed"; exit status non-zero on any failure.
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSIONS=${*:-"5.1 5.2 5.3 5.4 luajit"}
UPSRC=$ROOT/.cache/upstream/luasocket-3.1.0
HTTP_SERVER=$ROOT/lua-tests/servers/http_server.py
pass=0; fail=0; failed=""
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

result() { # name ok detail-file...
  name=$1; ok=$2; shift 2
  if [ "$ok" = 1 ]; then
    pass=$((pass+1)); echo "PASS $name"
  else
    fail=$((fail+1)); failed="$failed [$name]"; echo "FAIL $name"
    for f in "$@"; do [ -f "$f" ] && { echo "--- $(basename "$f"):"; tail -n 25 "$f"; }; done
  fi
}

# Nothing of the caller's Lua or luarocks setup leaks in: no LUA_* paths, and
# a luarocks config of our own in place of the user's.
for var in LUA_INIT LUA_PATH LUA_CPATH; do
  unset $var ${var}_5_2 ${var}_5_3 ${var}_5_4
done
: >"$tmp/config.lua"
cat >"$tmp/config-luajit.lua" <<'EOF'
lua_interpreter = "luajit"
variables = { LUA_INCDIR = "/usr/include/luajit-2.1" }
EOF
lr() { # luarocks for $v
  case $v in
    luajit) LUAROCKS_CONFIG=$tmp/config-luajit.lua luarocks --lua-version 5.1 "$@" ;;
    *) LUAROCKS_CONFIG=$tmp/config.lua luarocks --lua-version "$v" "$@" ;;
  esac
}
MODS="socket/core.so mime/core.so socket/unix.so socket/serial.so"

# cmp_spot tree abi reference-dir: every module in the tree's unversioned spot
# is the file under reference-dir
cmp_spot() {
  for m in $MODS; do cmp -s "$1/lib/lua/$2/$m" "$3/$m" || { echo "$1/lib/lua/$2/$m differs from $3/$m"; return 1; }; done
}

git_before=$(git status --porcelain 2>/dev/null) && in_git=1 || in_git=0

rockspec=$(ls rockspecs/lua-socket-rs-*.rockspec)
crate_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
case $rockspec in
  "rockspecs/lua-socket-rs-$crate_version-"*.rockspec) ok=1 ;; *) ok=0 ;;
esac
grep -q "^version = \"$crate_version-" "$rockspec" || ok=0
result "rockspec $rockspec is version $crate_version (Cargo.toml)" $ok

for v in $VERSIONS; do
  case $v in luajit) interp=luajit; abi=5.1 ;; *) interp=lua$v; abi=$v ;; esac
  up=$tmp/upstream-$v
  cp -r "$UPSRC" "$up"
  if [ $v = luajit ]; then
    [ "$(lr config variables.LUA)" = /usr/bin/luajit ] && ok=1 || ok=0
    result "luajit: luarocks targets /usr/bin/luajit through its config" $ok
  fi
  for order in upstream-first ours-first; do
    T=$tmp/tree-$v-$order; log=$tmp/$v-$order.log; : >"$log"
    up_make() { (cd "$up" && lr --tree "$T" make rockspecs/luasocket-3.1.0-1.rockspec) >>"$log" 2>&1; }
    rs_make() { (cd "$ROOT" && lr --tree "$T" make) >>"$log" 2>&1; }
    if [ $order = upstream-first ]; then up_make && rs_make; else rs_make && up_make; fi && ok=1 || ok=0
    result "$v $order: luarocks make of upstream's rock and ours" $ok "$log"
    [ $ok = 1 ] || continue

    ok=1
    cmp_spot "$T" $abi "$ROOT/build/$v-debug" >>"$log" || ok=0
    for m in $MODS; do
      d=${m%/*}; f=${m#*/}
      cmp -s "$T/lib/lua/$abi/luasocket_3_1_0_1-$d/$f" "$up/$m" || { echo "no versioned upstream $m" >>"$log"; ok=0; }
    done
    result "$v $order: ours in the unversioned spots, upstream's versioned" $ok "$log"

    run_check() { # expect out
      mkdir -p "$tmp/cwd"
      (cd "$tmp/cwd" && eval "$(lr --tree "$T" path)" &&
        timeout 60 $interp "$ROOT/tests/rock/check.lua" "$1" "$T" $abi "$HTTP_SERVER") >"$2" 2>&1 </dev/null &&
        [ "$(tail -n1 "$2")" = ok ]
    }
    run_check rs "$tmp/rs.out" && ok=1 || ok=0
    result "$v $order: through luarocks path: ours mapped, _DEBUG, TCP echo, socket.http, mime" $ok "$tmp/rs.out"

    lr --tree "$T" remove lua-socket-rs >>"$log" 2>&1 && cmp_spot "$T" $abi "$up" >>"$log" 2>&1 &&
      [ -z "$(find "$T/lib/lua/$abi" -path '*_*-*' -type f)" ] && ok=1 || ok=0
    result "$v $order: luarocks remove lua-socket-rs puts upstream's modules back" $ok "$log"
    run_check c "$tmp/c.out" && ok=1 || ok=0
    [ $ok = 1 ] && [ "$(grep '^shape' "$tmp/rs.out")" = "$(grep '^shape' "$tmp/c.out")" ] || ok=0
    result "$v $order: then upstream's core is loaded; send/receive shaped alike" $ok "$tmp/c.out" "$tmp/rs.out"
  done
done

# No cargo on PATH nor in ~/.cargo/bin: one clear message. (Should a cargo
# sit elsewhere on PATH, CARGO names a missing one instead.)
v=5.4
nocargo_path=$(echo "$PATH" | tr : '\n' | grep -v '/\.cargo/bin' | paste -sd: -)
hide=""
PATH=$nocargo_path command -v cargo >/dev/null 2>&1 && hide="CARGO=/nonexistent/cargo"
(cd "$ROOT" && env -u CARGO $hide PATH="$nocargo_path" HOME="$tmp/nohome" \
   LUAROCKS_CONFIG="$tmp/config.lua" luarocks --lua-version $v --tree "$tmp/nocargo" make) >"$tmp/nocargo.log" 2>&1 && ok=0 || ok=1
[ "$(grep -c "needs Rust's cargo" "$tmp/nocargo.log")" = 1 ] && grep -q "https://rustup.rs" "$tmp/nocargo.log" || ok=0
result "luarocks make without cargo: one message saying what to install${hide:+ ($hide)}" $ok "$tmp/nocargo.log"

if [ $in_git = 1 ]; then
  [ "$(git status --porcelain)" = "$git_before" ] && ok=1 || ok=0
  result "luarocks make left the checkout's git status unchanged" $ok
else
  echo "SKIP git status check (not a git checkout; not counted)"
fi

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
