//! Lua 5.1 and LuaJIT 2.1 (same C ABI for everything declared here).
use super::{lua_Number, lua_State};
use std::os::raw::{c_char, c_int, c_void};

pub const LUA_VERSION_NUM: c_int = 501;
pub const LUA_REGISTRYINDEX: c_int = -10000;
pub const LUA_GLOBALSINDEX: c_int = -10002;

extern "C-unwind" {
    pub fn lua_insert(L: *mut lua_State, idx: c_int);
    pub fn lua_remove(L: *mut lua_State, idx: c_int);
    #[link_name = "lua_tonumber"]
    fn lua_tonumber_(L: *mut lua_State, idx: c_int) -> lua_Number;
    pub fn lua_objlen(L: *mut lua_State, idx: c_int) -> usize;
    pub fn lua_pushlstring(L: *mut lua_State, s: *const c_char, len: usize);
    pub fn lua_gettable(L: *mut lua_State, idx: c_int);
    pub fn lua_getfield(L: *mut lua_State, idx: c_int, k: *const c_char);
    pub fn lua_rawget(L: *mut lua_State, idx: c_int);
    pub fn lua_rawgeti(L: *mut lua_State, idx: c_int, n: c_int);
    pub fn lua_rawseti(L: *mut lua_State, idx: c_int, n: c_int);
    pub fn lua_newuserdata(L: *mut lua_State, sz: usize) -> *mut c_void;
    pub fn lua_call(L: *mut lua_State, nargs: c_int, nresults: c_int);
    pub fn lua_pcall(L: *mut lua_State, nargs: c_int, nresults: c_int, errfunc: c_int) -> c_int;
    pub fn lua_getfenv(L: *mut lua_State, idx: c_int);
    pub fn lua_setfenv(L: *mut lua_State, idx: c_int) -> c_int;
}

#[inline]
pub const fn lua_upvalueindex(i: c_int) -> c_int {
    LUA_GLOBALSINDEX - i
}
#[inline]
pub unsafe fn lua_tonumberx(L: *mut lua_State, idx: c_int, isnum: *mut c_int) -> lua_Number {
    if !isnum.is_null() {
        *isnum = super::lua_isnumber(L, idx);
    }
    lua_tonumber_(L, idx)
}
#[inline]
pub unsafe fn lua_rawlen(L: *mut lua_State, idx: c_int) -> usize {
    lua_objlen(L, idx)
}
#[inline]
pub unsafe fn lua_newuserdata_(L: *mut lua_State, sz: usize) -> *mut c_void {
    lua_newuserdata(L, sz)
}
/// The table associated with a userdata: 5.1's environment (by default the
/// creating function's, usually the globals).
#[inline]
pub unsafe fn lua_getenvtable(L: *mut lua_State, idx: c_int) {
    lua_getfenv(L, idx)
}
/// Pops a table and makes it the environment of the userdata at `idx`.
#[inline]
pub unsafe fn lua_setenvtable(L: *mut lua_State, idx: c_int) {
    lua_setfenv(L, idx);
}

/// Protected call with a continuation. 5.1 and LuaJIT cannot yield across a
/// C call, so the continuation simply runs on the status right away.
#[inline]
pub unsafe fn lua_pcall_cont<C: super::Cont>(
    L: *mut lua_State,
    nargs: c_int,
    nresults: c_int,
) -> c_int {
    let status = lua_pcall(L, nargs, nresults, 0);
    C::finish(crate::lua::State::from_raw(L), status)
}
