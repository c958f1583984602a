//! Hand-written declarations of the Lua C API, one file per ABI.
//!
//! Only what luasocket-rs uses is declared. Every import is `extern "C-unwind"`
//! because any of them may raise a Lua error: a `longjmp` in PUC Lua, a DWARF
//! unwind in LuaJIT on x86-64. The module never links liblua: the symbols are
//! resolved from the host interpreter when the `.so` is loaded.
//!
//! `common` holds the functions whose C signature is the same in every
//! supported version; `v51` (Lua 5.1 and LuaJIT 2.1), `v52` and `v53` (5.3 and
//! 5.4) hold the rest and re-create the C macros as `#[inline]` functions, so
//! the code above this module sees a single API.
#![allow(
    non_camel_case_types,
    non_snake_case,
    unsafe_op_in_unsafe_fn,
    clippy::missing_safety_doc
)]

#[cfg(not(any(
    feature = "lua51",
    feature = "lua52",
    feature = "lua53",
    feature = "lua54",
    feature = "luajit"
)))]
compile_error!(
    "luasocket-rs: select the Lua ABI with exactly one cargo feature: \
     lua51, lua52, lua53, lua54 or luajit (e.g. `cargo build --features lua54`, \
     or use `make LUA=5.4`)"
);

#[cfg(any(
    all(
        feature = "lua51",
        any(
            feature = "lua52",
            feature = "lua53",
            feature = "lua54",
            feature = "luajit"
        )
    ),
    all(
        feature = "lua52",
        any(feature = "lua53", feature = "lua54", feature = "luajit")
    ),
    all(feature = "lua53", any(feature = "lua54", feature = "luajit")),
    all(feature = "lua54", feature = "luajit"),
))]
compile_error!(
    "luasocket-rs: more than one Lua ABI feature is enabled; pick exactly one of \
     lua51, lua52, lua53, lua54, luajit (did you forget --no-default-features?)"
);

use std::os::raw::{c_char, c_int};

/// Opaque interpreter state.
#[repr(C)]
pub struct lua_State {
    _opaque: [u8; 0],
    _pin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

pub type lua_Number = f64;
/// `ptrdiff_t` in 5.1/5.2/LuaJIT, `long long` in 5.3/5.4: 64 bits either way on
/// the LP64 targets we build for.
pub type lua_Integer = i64;
pub type lua_CFunction = unsafe extern "C-unwind" fn(L: *mut lua_State) -> c_int;
/// The host's allocator (`lua_Alloc`): frees when `nsize` is 0, and returns
/// NULL (never raises) when it refuses.
pub type lua_Alloc = unsafe extern "C" fn(
    ud: *mut std::os::raw::c_void,
    ptr: *mut std::os::raw::c_void,
    osize: usize,
    nsize: usize,
) -> *mut std::os::raw::c_void;

pub const LUA_MULTRET: c_int = -1;
pub const LUA_OK: c_int = 0;
pub const LUA_YIELD: c_int = 1;

pub const LUA_TNONE: c_int = -1;
pub const LUA_TNIL: c_int = 0;
pub const LUA_TBOOLEAN: c_int = 1;
pub const LUA_TLIGHTUSERDATA: c_int = 2;
pub const LUA_TNUMBER: c_int = 3;
pub const LUA_TSTRING: c_int = 4;
pub const LUA_TTABLE: c_int = 5;
pub const LUA_TFUNCTION: c_int = 6;
pub const LUA_TUSERDATA: c_int = 7;

mod common;
pub use common::*;

#[cfg(any(feature = "lua51", feature = "luajit"))]
mod v51;
#[cfg(any(feature = "lua51", feature = "luajit"))]
pub use v51::*;

#[cfg(feature = "lua52")]
mod v52;
#[cfg(feature = "lua52")]
pub use v52::*;

#[cfg(any(feature = "lua53", feature = "lua54"))]
mod v53;
#[cfg(any(feature = "lua53", feature = "lua54"))]
pub use v53::*;

// ---- macros shared by every version -------------------------------------

#[inline]
pub unsafe fn lua_pop(L: *mut lua_State, n: c_int) {
    lua_settop(L, -n - 1)
}
#[inline]
pub unsafe fn lua_pushcfunction(L: *mut lua_State, f: lua_CFunction) {
    lua_pushcclosure(L, f, 0)
}
#[inline]
pub unsafe fn lua_isnil(L: *mut lua_State, idx: c_int) -> bool {
    lua_type(L, idx) == LUA_TNIL
}
#[inline]
pub unsafe fn lua_isnoneornil(L: *mut lua_State, idx: c_int) -> bool {
    lua_type(L, idx) <= LUA_TNIL
}
/// Only the 5.1/5.2 slot below needs it.
#[cfg(any(feature = "lua51", feature = "luajit", feature = "lua52"))]
#[inline]
pub unsafe fn lua_istable(L: *mut lua_State, idx: c_int) -> bool {
    lua_type(L, idx) == LUA_TTABLE
}
#[inline]
pub unsafe fn luaL_typename(L: *mut lua_State, idx: c_int) -> *const c_char {
    lua_typename(L, lua_type(L, idx))
}
#[inline]
pub unsafe fn luaL_getmetatable(L: *mut lua_State, name: *const c_char) {
    lua_getfield(L, LUA_REGISTRYINDEX, name);
}

// ---- one value attached to a userdata ------------------------------------
// 5.3 and 5.4 attach any value (the user value); 5.1 and 5.2 only a table
// (environment / user value), so there the value lives in a table of its
// own under a private key.

#[cfg(any(feature = "lua51", feature = "luajit", feature = "lua52"))]
static SLOT_KEY: u8 = 0;

#[cfg(any(feature = "lua51", feature = "luajit", feature = "lua52"))]
#[inline]
fn slot_key() -> *mut std::os::raw::c_void {
    &SLOT_KEY as *const u8 as *mut std::os::raw::c_void
}

/// Pushes the value attached to the userdata at `idx` (nil if none).
#[cfg(any(feature = "lua51", feature = "luajit", feature = "lua52"))]
pub unsafe fn lua_getslot(L: *mut lua_State, idx: c_int) {
    lua_getenvtable(L, idx);
    if lua_istable(L, -1) {
        lua_pushlightuserdata(L, slot_key());
        lua_rawget(L, -2);
        lua_remove(L, -2);
    } else {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}
/// Pops a value and attaches it to the userdata at `idx` (an absolute index).
#[cfg(any(feature = "lua51", feature = "luajit", feature = "lua52"))]
pub unsafe fn lua_setslot(L: *mut lua_State, idx: c_int) {
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, slot_key());
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_setenvtable(L, idx);
    lua_pop(L, 1);
}
#[cfg(any(feature = "lua53", feature = "lua54"))]
pub unsafe fn lua_getslot(L: *mut lua_State, idx: c_int) {
    lua_getuv(L, idx)
}
#[cfg(any(feature = "lua53", feature = "lua54"))]
pub unsafe fn lua_setslot(L: *mut lua_State, idx: c_int) {
    lua_setuv(L, idx)
}

/// The second half of a protected call that may be resumed after a yield
/// (`lua_pcallk` on 5.2+): `finish` receives the call's status.
pub trait Cont {
    fn finish(l: crate::lua::State, status: c_int) -> c_int;
}
