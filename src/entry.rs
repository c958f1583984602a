//! The C entry points of the shared library, one per Lua module. cbindgen reads
//! this file alone to produce `include/luasocket.h`.
// The parameter keeps the C API's name `L`, which cbindgen copies into the
// header's prototypes (`int luaopen_socket_core(lua_State *L);`).
#![allow(non_snake_case)]
use crate::lua::ffi::lua_State;
use crate::lua::State;
use std::os::raw::c_int;

/// Opens `socket.core`: pushes the module table and returns 1.
///
/// Called by `require "socket.core"` (via `package.cpath`), or directly by a C
/// host that links the static library, e.g. with `luaL_requiref(L,
/// "socket.core", luaopen_socket_core, 0)`.
///
/// # Safety
/// `L` must be a valid Lua state of the ABI this library was built for.
#[no_mangle]
pub unsafe extern "C-unwind" fn luaopen_socket_core(L: *mut lua_State) -> c_int {
    // SAFETY: the interpreter calls a C function with a valid state.
    crate::socket::open(unsafe { State::from_raw(L) })
}

/// Opens `mime.core`: pushes the module table and returns 1.
///
/// Called by `require "mime.core"` (via `package.cpath`, from the same shared
/// library installed as `mime/core.so`), or directly by a C host, e.g. with
/// `luaL_requiref(L, "mime.core", luaopen_mime_core, 0)`.
///
/// # Safety
/// `L` must be a valid Lua state of the ABI this library was built for.
#[no_mangle]
pub unsafe extern "C-unwind" fn luaopen_mime_core(L: *mut lua_State) -> c_int {
    // SAFETY: the interpreter calls a C function with a valid state.
    crate::mime::open(unsafe { State::from_raw(L) })
}

/// Opens `socket.unix`: pushes the module table (`stream`, `dgram`, their
/// aliases `tcp` and `udp`, and `__call`; the table is its own metatable,
/// so calling it creates a stream socket) and returns 1.
///
/// Called by `require "socket.unix"` (via `package.cpath`, from the same
/// shared library installed as `socket/unix.so`), or directly by a C host,
/// e.g. with `luaL_requiref(L, "socket.unix", luaopen_socket_unix, 0)`.
///
/// # Safety
/// `L` must be a valid Lua state of the ABI this library was built for.
#[no_mangle]
pub unsafe extern "C-unwind" fn luaopen_socket_unix(L: *mut lua_State) -> c_int {
    // SAFETY: the interpreter calls a C function with a valid state.
    crate::unix::open_unix(unsafe { State::from_raw(L) })
}

/// Opens `socket.serial`: registers the `serial{client}` class, pushes the
/// constructor function `serial(path)` (the module value) and returns 1.
///
/// Called by `require "socket.serial"` (via `package.cpath`, from the same
/// shared library installed as `socket/serial.so`), or directly by a C host,
/// e.g. with `luaL_requiref(L, "socket.serial", luaopen_socket_serial, 0)`.
///
/// # Safety
/// `L` must be a valid Lua state of the ABI this library was built for.
#[no_mangle]
pub unsafe extern "C-unwind" fn luaopen_socket_serial(L: *mut lua_State) -> c_int {
    // SAFETY: the interpreter calls a C function with a valid state.
    crate::serial::open_serial(unsafe { State::from_raw(L) })
}
