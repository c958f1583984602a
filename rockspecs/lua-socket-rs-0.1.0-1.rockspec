-- luasocket-rs as a rock: LuaSocket's C modules (socket.core, mime.core,
-- socket.unix, socket.serial) built from Rust with cargo. Install it beside
-- upstream's `luasocket` rock, which keeps providing the Lua files
-- (socket.lua, ltn12.lua, mime.lua, socket/*.lua):
--
--   luarocks install luasocket    # or `luarocks make` in its source tree
--   luarocks make                 # in a luasocket-rs checkout
--
-- The name sorts before "luasocket" ('-' < 's'), and luarocks gives a
-- module's unversioned file to the provider whose name sorts first, so
-- `require "socket.core"` loads ours whichever rock came first;
-- `luarocks remove lua-socket-rs` hands the spot back to upstream's.
-- No dependency on luasocket, so either can be installed first (and the Lua
-- files may come from elsewhere, e.g. Debian's lua-socket).
rockspec_format = "3.0"
package = "lua-socket-rs"
version = "0.1.0-1"
source = {
  -- Built from a checkout with `luarocks make`, which fetches nothing.
  url = "git+file://.",
}
description = {
  summary = "LuaSocket's C core rewritten in Rust: a binary drop-in for socket.core and mime.core",
  detailed = [[
    The C modules of LuaSocket 3.1.0 (socket.core, mime.core, socket.unix,
    socket.serial) rewritten in Rust, for Lua 5.1-5.4 and LuaJIT. Lua code
    cannot tell them from the C modules. Built like upstream's rock, with
    LUASOCKET_DEBUG's behaviour (socket._DEBUG, elapsed time from send and
    receive). Needs Rust's cargo (1.77 or newer) to build.
  ]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1, < 5.5",
}
build = {
  -- The Makefile's `rock` target reads the Lua ABI from LUA_INCDIR's headers
  -- (luarocks 3.8 passes no version), runs cargo and, in `rock-install`,
  -- copies the four modules into the rock's lib dir.
  type = "make",
  build_target = "rock",
  build_variables = {
    ROCK_LUA_INCDIR = "$(LUA_INCDIR)",
    ROCK_CFLAGS = "$(CFLAGS)",
  },
  install_target = "rock-install",
  install_variables = {
    ROCK_LUA_INCDIR = "$(LUA_INCDIR)",
    ROCK_LIBDIR = "$(LIBDIR)",
  },
}
