//! Lua 5.3 and 5.4 (the only difference used here is userdata creation).
use super::{lua_Integer, lua_Number, lua_State, Cont};
use std::os::raw::{c_char, c_int, c_void};

#[cfg(feature = "lua53")]
pub const LUA_VERSION_NUM: c_int = 503;
#[cfg(feature = "lua54")]
pub const LUA_VERSION_NUM: c_int = 504;
/// `-LUAI_MAXSTACK - 1000` with the stock `LUAI_MAXSTACK` of 1000000.
pub const LUA_REGISTRYINDEX: c_int = -1_000_000 - 1000;

pub type lua_KContext = isize;
/// `LUA_UNSIGNED`, the unsigned `lua_Integer` (`unsigned long long`).
#[cfg(feature = "lua54")]
pub type lua_Unsigned = u64;
pub type lua_KFunction =
    unsafe extern "C-unwind" fn(L: *mut lua_State, status: c_int, ctx: lua_KContext) -> c_int;

extern "C-unwind" {
    pub fn lua_rotate(L: *mut lua_State, idx: c_int, n: c_int);
    pub fn lua_tonumberx(L: *mut lua_State, idx: c_int, isnum: *mut c_int) -> lua_Number;
    #[cfg(feature = "lua53")]
    pub fn lua_rawlen(L: *mut lua_State, idx: c_int) -> usize;
    #[cfg(feature = "lua54")]
    #[link_name = "lua_rawlen"]
    fn lua_rawlen_(L: *mut lua_State, idx: c_int) -> lua_Unsigned;
    pub fn lua_pushlstring(L: *mut lua_State, s: *const c_char, len: usize) -> *const c_char;
    pub fn lua_gettable(L: *mut lua_State, idx: c_int) -> c_int;
    pub fn lua_getfield(L: *mut lua_State, idx: c_int, k: *const c_char) -> c_int;
    pub fn lua_rawget(L: *mut lua_State, idx: c_int) -> c_int;
    pub fn lua_rawgeti(L: *mut lua_State, idx: c_int, n: lua_Integer) -> c_int;
    pub fn lua_rawseti(L: *mut lua_State, idx: c_int, n: lua_Integer);
    #[cfg(feature = "lua53")]
    pub fn lua_newuserdata(L: *mut lua_State, sz: usize) -> *mut c_void;
    #[cfg(feature = "lua54")]
    pub fn lua_newuserdatauv(L: *mut lua_State, sz: usize, nuvalue: c_int) -> *mut c_void;
    pub fn lua_callk(
        L: *mut lua_State,
        nargs: c_int,
        nresults: c_int,
        ctx: lua_KContext,
        k: Option<lua_KFunction>,
    );
    pub fn lua_pcallk(
        L: *mut lua_State,
        nargs: c_int,
        nresults: c_int,
        errfunc: c_int,
        ctx: lua_KContext,
        k: Option<lua_KFunction>,
    ) -> c_int;
    #[cfg(feature = "lua53")]
    pub fn lua_getuservalue(L: *mut lua_State, idx: c_int) -> c_int;
    #[cfg(feature = "lua53")]
    pub fn lua_setuservalue(L: *mut lua_State, idx: c_int);
    #[cfg(feature = "lua54")]
    pub fn lua_getiuservalue(L: *mut lua_State, idx: c_int, n: c_int) -> c_int;
    #[cfg(feature = "lua54")]
    pub fn lua_setiuservalue(L: *mut lua_State, idx: c_int, n: c_int) -> c_int;
    #[cfg(feature = "lua54")]
    pub fn lua_toclose(L: *mut lua_State, idx: c_int);
}

#[inline]
pub const fn lua_upvalueindex(i: c_int) -> c_int {
    LUA_REGISTRYINDEX - i
}
#[inline]
pub unsafe fn lua_insert(L: *mut lua_State, idx: c_int) {
    lua_rotate(L, idx, 1)
}
#[inline]
pub unsafe fn lua_remove(L: *mut lua_State, idx: c_int) {
    lua_rotate(L, idx, -1);
    super::lua_pop(L, 1)
}
/// 5.4 returns the length as `lua_Unsigned`; a length fits in `usize`.
#[cfg(feature = "lua54")]
#[inline]
pub unsafe fn lua_rawlen(L: *mut lua_State, idx: c_int) -> usize {
    lua_rawlen_(L, idx) as usize
}
#[inline]
pub unsafe fn lua_call(L: *mut lua_State, nargs: c_int, nresults: c_int) {
    lua_callk(L, nargs, nresults, 0, None)
}
#[cfg(feature = "lua53")]
#[inline]
pub unsafe fn lua_newuserdata_(L: *mut lua_State, sz: usize) -> *mut c_void {
    lua_newuserdata(L, sz)
}
#[cfg(feature = "lua54")]
#[inline]
pub unsafe fn lua_newuserdata_(L: *mut lua_State, sz: usize) -> *mut c_void {
    lua_newuserdatauv(L, sz, 1)
}

/// Pushes the (first) user value of the userdata at `idx`.
#[cfg(feature = "lua53")]
#[inline]
pub unsafe fn lua_getuv(L: *mut lua_State, idx: c_int) {
    lua_getuservalue(L, idx);
}
#[cfg(feature = "lua54")]
#[inline]
pub unsafe fn lua_getuv(L: *mut lua_State, idx: c_int) {
    lua_getiuservalue(L, idx, 1);
}
/// Pops a value and makes it the (first) user value of the userdata at `idx`.
#[cfg(feature = "lua53")]
#[inline]
pub unsafe fn lua_setuv(L: *mut lua_State, idx: c_int) {
    lua_setuservalue(L, idx)
}
#[cfg(feature = "lua54")]
#[inline]
pub unsafe fn lua_setuv(L: *mut lua_State, idx: c_int) {
    lua_setiuservalue(L, idx, 1);
}

unsafe extern "C-unwind" fn cont_trampoline<C: Cont>(
    L: *mut lua_State,
    status: c_int,
    _ctx: lua_KContext,
) -> c_int {
    C::finish(crate::lua::State::from_raw(L), status)
}

/// `lua_pcallk` whose continuation (after a yield inside the callee) and
/// whose direct return both end in `C::finish`.
#[inline]
pub unsafe fn lua_pcall_cont<C: Cont>(L: *mut lua_State, nargs: c_int, nresults: c_int) -> c_int {
    let status = lua_pcallk(L, nargs, nresults, 0, 0, Some(cont_trampoline::<C>));
    C::finish(crate::lua::State::from_raw(L), status)
}
