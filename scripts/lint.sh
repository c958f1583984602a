#!/bin/sh
# `make lint`: rustfmt and clippy over what ships, on each Lua version given
# (default: all five).
#
#   cargo fmt --check   the whole tree is rustfmt's
#   clippy (library)    `--features <abi>` with -D warnings: the library as it
#                       ships, where src/lua/ffi is crate-visible, so a
#                       declaration nothing uses is an error (dead_code)
#   clippy (all targets)  `--all-targets --features <abi>,link-lua` with
#                       -D warnings: the library and the tests as
#                       `cargo test` builds them
# Prints PASS/FAIL per check, then "N passed, M failed".
. "$(dirname "$0")/lib.sh"
make_tmp
TARGET_DIR=${LINT_TARGET_DIR:-target/test}

check() { # key text command...
  key=$1; text=$2; shift 2
  if "$@" >"$tmp/out" 2>&1; then
    pass_ "$text"
  else
    fail_ "$key" "$text"; head -n 40 "$tmp/out"
  fi
}

check fmt "cargo fmt --check" cargo fmt --check
for v in $VERSIONS; do
  use_version "$v"
  check "$v:clippy" "$v clippy (library, -D warnings)" \
    cargo clippy -q --features "$feature" --target-dir "$TARGET_DIR" -- -D warnings
  check "$v:clippy-all" "$v clippy (all targets, link-lua, -D warnings)" \
    cargo clippy -q --all-targets --features "$feature,link-lua" --target-dir "$TARGET_DIR" -- -D warnings
done
summary
