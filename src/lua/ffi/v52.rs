//! Lua 5.2.
use super::{lua_CFunction, lua_Number, lua_State, Cont};
use std::os::raw::{c_char, c_int, c_void};

pub const LUA_VERSION_NUM: c_int = 502;
/// `-LUAI_MAXSTACK - 1000` with the stock `LUAI_MAXSTACK` of 1000000.
pub const LUA_REGISTRYINDEX: c_int = -1_000_000 - 1000;

extern "C-unwind" {
    pub fn lua_insert(L: *mut lua_State, idx: c_int);
    pub fn lua_remove(L: *mut lua_State, idx: c_int);
    pub fn lua_tonumberx(L: *mut lua_State, idx: c_int, isnum: *mut c_int) -> lua_Number;
    pub fn lua_rawlen(L: *mut lua_State, idx: c_int) -> usize;
    pub fn lua_pushlstring(L: *mut lua_State, s: *const c_char, len: usize) -> *const c_char;
    pub fn lua_gettable(L: *mut lua_State, idx: c_int);
    pub fn lua_getfield(L: *mut lua_State, idx: c_int, k: *const c_char);
    pub fn lua_rawget(L: *mut lua_State, idx: c_int);
    pub fn lua_rawgeti(L: *mut lua_State, idx: c_int, n: c_int);
    pub fn lua_rawseti(L: *mut lua_State, idx: c_int, n: c_int);
    pub fn lua_newuserdata(L: *mut lua_State, sz: usize) -> *mut c_void;
    pub fn lua_callk(
        L: *mut lua_State,
        nargs: c_int,
        nresults: c_int,
        ctx: c_int,
        k: Option<lua_CFunction>,
    );
    pub fn lua_getctx(L: *mut lua_State, ctx: *mut c_int) -> c_int;
    pub fn lua_pcallk(
        L: *mut lua_State,
        nargs: c_int,
        nresults: c_int,
        errfunc: c_int,
        ctx: c_int,
        k: Option<lua_CFunction>,
    ) -> c_int;
    pub fn lua_getuservalue(L: *mut lua_State, idx: c_int);
    pub fn lua_setuservalue(L: *mut lua_State, idx: c_int);
}

#[inline]
pub const fn lua_upvalueindex(i: c_int) -> c_int {
    LUA_REGISTRYINDEX - i
}
#[inline]
pub unsafe fn lua_call(L: *mut lua_State, nargs: c_int, nresults: c_int) {
    lua_callk(L, nargs, nresults, 0, None)
}
#[inline]
pub unsafe fn lua_newuserdata_(L: *mut lua_State, sz: usize) -> *mut c_void {
    lua_newuserdata(L, sz)
}

/// The table (or nil) associated with a userdata: 5.2's user value.
#[inline]
pub unsafe fn lua_getenvtable(L: *mut lua_State, idx: c_int) {
    lua_getuservalue(L, idx)
}
/// Pops a table and associates it with the userdata at `idx`.
#[inline]
pub unsafe fn lua_setenvtable(L: *mut lua_State, idx: c_int) {
    lua_setuservalue(L, idx)
}

unsafe extern "C-unwind" fn cont_trampoline<C: Cont>(L: *mut lua_State) -> c_int {
    let mut ctx: c_int = 0;
    let status = lua_getctx(L, &mut ctx);
    C::finish(crate::lua::State::from_raw(L), status)
}

/// `lua_pcallk` whose continuation (after a yield inside the callee) and
/// whose direct return both end in `C::finish`.
#[inline]
pub unsafe fn lua_pcall_cont<C: Cont>(L: *mut lua_State, nargs: c_int, nresults: c_int) -> c_int {
    let status = lua_pcallk(L, nargs, nresults, 0, 0, Some(cont_trampoline::<C>));
    C::finish(crate::lua::State::from_raw(L), status)
}
