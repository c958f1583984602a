//! [`State`]: one method per Lua C API call or macro luasocket-rs uses.
//!
//! Every method may raise a Lua error where the C function it wraps can (out
//! of memory, a metamethod error, a failed argument check), so callers follow
//! the recipe in [`super::boundary`]: no value with a destructor is alive in a
//! frame that calls these.
use super::ffi::*;
use std::ffi::CStr;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::os::raw::{c_char, c_int, c_void};

/// Compile-time check that a userdata block (aligned like `max_align_t`,
/// 16 bytes on our targets) is aligned enough for `T`.
struct MaxAligned<T>(std::marker::PhantomData<T>);
impl<T> MaxAligned<T> {
    const OK: () = assert!(std::mem::align_of::<T>() <= 16);
}

/// A borrowed `lua_State*`, valid for the duration `'l` of one C function
/// call. Strings and userdata it hands out live for that call (while their
/// values stay on the stack, which the code here never removes early).
#[derive(Clone, Copy)]
pub struct State<'l>(*mut lua_State, PhantomData<&'l mut lua_State>);

/// Lua value types, as `lua_type` reports them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LuaType {
    None,
    Nil,
    Boolean,
    LightUserdata,
    Number,
    String,
    Table,
    Function,
    Userdata,
    Thread,
}

impl<'l> State<'l> {
    /// # Safety
    /// `l` must be the state a Lua C function was called with (or one created
    /// by the host) and be used only for the duration of that call.
    #[inline]
    pub unsafe fn from_raw(l: *mut lua_State) -> State<'l> {
        State(l, PhantomData)
    }
    #[inline]
    pub fn as_ptr(self) -> *mut lua_State {
        self.0
    }

    // ---- stack ----------------------------------------------------------
    #[inline]
    pub fn top(self) -> c_int {
        // SAFETY: valid state (invariant of State).
        unsafe { lua_gettop(self.0) }
    }
    #[inline]
    pub fn set_top(self, idx: c_int) {
        // SAFETY: valid state; callers pass valid indices.
        unsafe { lua_settop(self.0, idx) }
    }
    #[inline]
    pub fn pop(self, n: c_int) {
        // SAFETY: as above.
        unsafe { lua_pop(self.0, n) }
    }
    #[inline]
    pub fn push_value(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_pushvalue(self.0, idx) }
    }
    #[inline]
    pub fn insert(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_insert(self.0, idx) }
    }
    #[inline]
    pub fn remove(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_remove(self.0, idx) }
    }
    /// `luaL_checkstack`: raises `stack overflow (msg)` when it cannot grow.
    #[inline]
    pub fn check_stack(self, n: c_int) {
        // SAFETY: as above.
        unsafe { luaL_checkstack(self.0, n, c"too many results".as_ptr()) }
    }
    /// The pseudo-index of upvalue `i` of the running C closure.
    #[inline]
    pub fn upvalue(i: c_int) -> c_int {
        lua_upvalueindex(i)
    }
    pub const REGISTRY: c_int = LUA_REGISTRYINDEX;
    /// Whether a C function without upvalues is a light value (5.2+), so
    /// that pushing the same function twice gives equal values.
    pub const LIGHT_CFUNCTIONS: bool = LUA_VERSION_NUM >= 502;

    // ---- inspection -----------------------------------------------------
    pub fn type_of(self, idx: c_int) -> LuaType {
        // SAFETY: as above.
        match unsafe { lua_type(self.0, idx) } {
            LUA_TNIL => LuaType::Nil,
            LUA_TBOOLEAN => LuaType::Boolean,
            LUA_TLIGHTUSERDATA => LuaType::LightUserdata,
            LUA_TNUMBER => LuaType::Number,
            LUA_TSTRING => LuaType::String,
            LUA_TTABLE => LuaType::Table,
            LUA_TFUNCTION => LuaType::Function,
            LUA_TUSERDATA => LuaType::Userdata,
            8 => LuaType::Thread,
            _ => LuaType::None,
        }
    }
    #[inline]
    pub fn is_nil(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_isnil(self.0, idx) }
    }
    #[inline]
    pub fn is_none_or_nil(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_isnoneornil(self.0, idx) }
    }
    /// `lua_isnumber`: a number or a string convertible to one.
    #[inline]
    pub fn is_number(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_isnumber(self.0, idx) != 0 }
    }
    /// `lua_isstring`: a string or a number.
    #[inline]
    pub fn is_string(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_isstring(self.0, idx) != 0 }
    }
    /// `luaL_typename(idx)` as bytes (a static string inside the interpreter).
    pub fn typename_at(self, idx: c_int) -> &'static [u8] {
        // SAFETY: lua_typename returns a pointer to a static C string.
        unsafe { CStr::from_ptr(luaL_typename(self.0, idx)).to_bytes() }
    }
    #[inline]
    pub fn raw_equal(self, a: c_int, b: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_rawequal(self.0, a, b) != 0 }
    }
    #[inline]
    pub fn to_boolean(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_toboolean(self.0, idx) != 0 }
    }
    /// `lua_tonumberx`: `None` when the value is not convertible.
    #[inline]
    pub fn to_number(self, idx: c_int) -> Option<f64> {
        let mut ok: c_int = 0;
        // SAFETY: as above; `ok` outlives the call.
        let n = unsafe { lua_tonumberx(self.0, idx, &mut ok) };
        (ok != 0).then_some(n)
    }
    /// `lua_tonumber`: 0 when not convertible (the C core relies on that).
    #[inline]
    pub fn to_number_or_zero(self, idx: c_int) -> f64 {
        self.to_number(idx).unwrap_or(0.0)
    }
    /// `lua_tolstring`; converts a number in place, as the C function does.
    /// The slice lives as long as the value stays on the stack.
    #[inline]
    pub fn to_bytes(self, idx: c_int) -> Option<&'l [u8]> {
        let mut len = 0usize;
        // SAFETY: as above; Lua strings are immutable and stay alive while on
        // the stack, which callers guarantee for the slice's lifetime.
        unsafe {
            let p = lua_tolstring(self.0, idx, &mut len);
            (!p.is_null()).then(|| std::slice::from_raw_parts(p as *const u8, len))
        }
    }
    /// `lua_tostring` as the C string it is (up to an embedded NUL, as C
    /// code sees it); `None` when the value is not a string or number.
    #[inline]
    pub fn to_cstr(self, idx: c_int) -> Option<&'l CStr> {
        // SAFETY: valid state; Lua returns a NUL-terminated string that stays
        // alive while the value is on the stack (callers keep it there).
        unsafe {
            let p = lua_tolstring(self.0, idx, core::ptr::null_mut());
            (!p.is_null()).then(|| CStr::from_ptr(p))
        }
    }
    #[inline]
    pub fn to_userdata(self, idx: c_int) -> *mut c_void {
        // SAFETY: as above.
        unsafe { lua_touserdata(self.0, idx) }
    }
    /// `lua_topointer`: the identity of a table, function, userdata...
    #[inline]
    pub fn to_pointer(self, idx: c_int) -> *const c_void {
        // SAFETY: as above.
        unsafe { lua_topointer(self.0, idx) }
    }
    /// `lua_tocfunction`: the C function at `idx`, if it is one.
    #[inline]
    pub fn to_cfunction(self, idx: c_int) -> Option<lua_CFunction> {
        // SAFETY: as above.
        unsafe { lua_tocfunction(self.0, idx) }
    }
    /// `lua_getupvalue`: pushes upvalue `n` of the function at `idx`; false
    /// (nothing pushed) if it has none.
    #[inline]
    pub fn get_upvalue(self, idx: c_int, n: c_int) -> bool {
        // SAFETY: as above.
        unsafe { !lua_getupvalue(self.0, idx, n).is_null() }
    }
    #[inline]
    pub fn raw_len(self, idx: c_int) -> usize {
        // SAFETY: as above.
        unsafe { lua_rawlen(self.0, idx) }
    }

    // ---- argument checks (raise the interpreter's own messages) ----------
    #[inline]
    pub fn check_number(self, arg: c_int) -> f64 {
        // SAFETY: as above.
        unsafe { luaL_checknumber(self.0, arg) }
    }
    #[inline]
    pub fn opt_number(self, arg: c_int, def: f64) -> f64 {
        // SAFETY: as above.
        unsafe { luaL_optnumber(self.0, arg, def) }
    }
    #[inline]
    pub fn check_integer(self, arg: c_int) -> i64 {
        // SAFETY: as above.
        unsafe { luaL_checkinteger(self.0, arg) }
    }
    #[inline]
    pub fn opt_integer(self, arg: c_int, def: i64) -> i64 {
        // SAFETY: as above.
        unsafe { luaL_optinteger(self.0, arg, def) }
    }
    /// `luaL_checklstring`.
    #[inline]
    pub fn check_bytes(self, arg: c_int) -> &'l [u8] {
        let mut len = 0usize;
        // SAFETY: as above; the argument stays on the stack for the call.
        unsafe {
            let p = luaL_checklstring(self.0, arg, &mut len);
            std::slice::from_raw_parts(p as *const u8, len)
        }
    }
    /// `luaL_optlstring`, `None` for nil/absent.
    #[inline]
    pub fn opt_bytes(self, arg: c_int) -> Option<&'l [u8]> {
        let mut len = 0usize;
        // SAFETY: as above.
        unsafe {
            let p = luaL_optlstring(self.0, arg, core::ptr::null(), &mut len);
            (!p.is_null()).then(|| std::slice::from_raw_parts(p as *const u8, len))
        }
    }
    /// `luaL_checkstring` as the C string it is (Lua strings always carry a
    /// terminating NUL; embedded NULs end it early, as in C).
    #[inline]
    pub fn check_cstr(self, arg: c_int) -> &'l CStr {
        // SAFETY: valid state; Lua returns a NUL-terminated string that stays
        // alive while the argument is on the stack.
        unsafe { CStr::from_ptr(luaL_checklstring(self.0, arg, core::ptr::null_mut())) }
    }
    /// `luaL_optstring` with a NULL default: `None` for nil/absent.
    #[inline]
    pub fn opt_cstr(self, arg: c_int) -> Option<&'l CStr> {
        // SAFETY: as check_cstr; a NULL result means "absent".
        unsafe {
            let p = luaL_optlstring(self.0, arg, core::ptr::null(), core::ptr::null_mut());
            (!p.is_null()).then(|| CStr::from_ptr(p))
        }
    }
    /// `luaL_checkoption(arg, def, list)`: the index of the argument (or of
    /// `def` when absent) in `list` (at most 8 names), else the host's
    /// `invalid option` argument error.
    pub fn check_option(self, arg: c_int, def: Option<&CStr>, list: &[&CStr]) -> usize {
        let mut names: [*const c_char; 9] = [core::ptr::null(); 9];
        for (slot, n) in names.iter_mut().zip(list.iter().take(8)) {
            *slot = n.as_ptr();
        }
        // SAFETY: valid state; `names` is a NULL-terminated array of C strings
        // that outlive the call.
        unsafe {
            luaL_checkoption(
                self.0,
                arg,
                def.map_or(core::ptr::null(), |d| d.as_ptr()),
                names.as_ptr(),
            ) as usize
        }
    }
    /// A reference to the full userdata at `idx` when it is one of exactly
    /// `size_of::<T>()` bytes (callers check its class first).
    ///
    /// # Safety
    /// The block holds a `T` (a plain-data record this crate created there
    /// with [`State::new_userdata`]), and no other reference to it is alive
    /// during `'l` (one class check per method call).
    pub unsafe fn userdata_mut<T: Copy>(self, idx: c_int) -> Option<&'l mut T> {
        let p = self.to_userdata(idx) as *mut T;
        // a light userdata has no length, so this also tells full ones
        if p.is_null() || self.raw_len(idx) != std::mem::size_of::<T>() {
            return None;
        }
        // SAFETY: a live full userdata of T's size, aligned for any C type,
        // holding a T with no other reference (the caller's contract); it
        // stays alive while on the stack, i.e. for the call.
        Some(unsafe { &mut *p })
    }
    /// The bytes of the full userdata at `idx` when it is one of exactly
    /// `size` bytes, valid while that value stays on the stack.
    ///
    /// # Safety
    /// No other reference to the block is alive during `'l`, and the block
    /// was initialised (a block this crate created with
    /// [`State::new_userdata_slice`]).
    pub unsafe fn userdata_bytes(self, idx: c_int, size: usize) -> Option<&'l mut [u8]> {
        if self.type_of(idx) != LuaType::Userdata || self.raw_len(idx) != size {
            return None;
        }
        let p = self.to_userdata(idx) as *mut u8;
        // SAFETY: a live full userdata of `size` bytes, initialised and not
        // otherwise referenced (the caller's contract), on the stack.
        (!p.is_null()).then(|| unsafe { std::slice::from_raw_parts_mut(p, size) })
    }
    /// Pushes the value attached to the userdata at `idx` (nil if none).
    #[inline]
    pub fn get_slot(self, idx: c_int) {
        // SAFETY: valid state; callers pass the index of a full userdata.
        unsafe { lua_getslot(self.0, idx) }
    }
    /// Pops a value and attaches it to the userdata at `idx` (absolute).
    #[inline]
    pub fn set_slot(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_setslot(self.0, idx) }
    }
    /// `luaL_checktype`: the host's `T expected, got U` (5.3+ name `U` after
    /// a `__name` metafield).
    #[inline]
    pub fn check_type(self, arg: c_int, t: LuaType) {
        let raw = match t {
            LuaType::None => LUA_TNONE,
            LuaType::Nil => LUA_TNIL,
            LuaType::Boolean => LUA_TBOOLEAN,
            LuaType::LightUserdata => LUA_TLIGHTUSERDATA,
            LuaType::Number => LUA_TNUMBER,
            LuaType::String => LUA_TSTRING,
            LuaType::Table => LUA_TTABLE,
            LuaType::Function => LUA_TFUNCTION,
            LuaType::Userdata => LUA_TUSERDATA,
            LuaType::Thread => 8,
        };
        // SAFETY: as above.
        unsafe { luaL_checktype(self.0, arg, raw) }
    }
    #[inline]
    pub fn check_any(self, arg: c_int) {
        // SAFETY: as above.
        unsafe { luaL_checkany(self.0, arg) }
    }

    // ---- pushing ----------------------------------------------------------
    #[inline]
    pub fn push_nil(self) {
        // SAFETY: as above.
        unsafe { lua_pushnil(self.0) }
    }
    /// `lua_pushnumber`: a float on 5.3+ (what the C core pushes almost
    /// everywhere, see the spec's top-20 list).
    #[inline]
    pub fn push_number(self, n: f64) {
        // SAFETY: as above.
        unsafe { lua_pushnumber(self.0, n) }
    }
    #[inline]
    pub fn push_integer(self, n: i64) {
        // SAFETY: as above.
        unsafe { lua_pushinteger(self.0, n) }
    }
    #[inline]
    pub fn push_bool(self, b: bool) {
        // SAFETY: as above.
        unsafe { lua_pushboolean(self.0, b as c_int) }
    }
    #[inline]
    pub fn push_bytes(self, s: &[u8]) {
        // SAFETY: pointer and length describe a live slice; Lua copies it.
        unsafe {
            lua_pushlstring(self.0, s.as_ptr() as *const c_char, s.len());
        }
    }
    #[inline]
    pub fn push_str(self, s: &str) {
        self.push_bytes(s.as_bytes())
    }
    /// Pushes an owned buffer without keeping its destructor alive across the
    /// (possibly raising) push: on a memory error the buffer leaks instead of
    /// being skipped by a `longjmp`.
    pub fn push_owned(self, v: Vec<u8>) {
        let v = ManuallyDrop::new(v);
        self.push_bytes(&v);
        drop(ManuallyDrop::into_inner(v));
    }
    /// Pushes a light userdata (a pointer value).
    #[inline]
    pub fn push_light(self, p: *const c_void) {
        // SAFETY: valid state; a light userdata is just a pointer value.
        unsafe { lua_pushlightuserdata(self.0, p as *mut c_void) }
    }
    #[inline]
    pub fn push_cfunction(self, f: lua_CFunction) {
        // SAFETY: as above.
        unsafe { lua_pushcfunction(self.0, f) }
    }
    #[inline]
    pub fn push_cclosure(self, f: lua_CFunction, nup: c_int) {
        // SAFETY: as above.
        unsafe { lua_pushcclosure(self.0, f, nup) }
    }

    // ---- tables -----------------------------------------------------------
    #[inline]
    pub fn new_table(self, narr: c_int, nrec: c_int) {
        // SAFETY: as above.
        unsafe { lua_createtable(self.0, narr, nrec) }
    }
    /// `t[k] = top` where `t` is at `idx`; pops the value (may call
    /// `__newindex`).
    #[inline]
    pub fn set_field(self, idx: c_int, k: &CStr) {
        // SAFETY: as above.
        unsafe { lua_setfield(self.0, idx, k.as_ptr()) }
    }
    /// Pushes `t[k]` where `t` is at `idx` (may call `__index`).
    #[inline]
    pub fn get_field(self, idx: c_int, k: &CStr) {
        // SAFETY: as above.
        unsafe {
            lua_getfield(self.0, idx, k.as_ptr());
        }
    }
    /// `lua_gettable`: pushes `t[top]`, popping the key.
    #[inline]
    pub fn get_table(self, idx: c_int) {
        // SAFETY: as above.
        unsafe {
            lua_gettable(self.0, idx);
        }
    }
    #[inline]
    pub fn set_table(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_settable(self.0, idx) }
    }
    #[inline]
    pub fn raw_get(self, idx: c_int) {
        // SAFETY: as above.
        unsafe {
            lua_rawget(self.0, idx);
        }
    }
    #[inline]
    pub fn raw_set(self, idx: c_int) {
        // SAFETY: as above.
        unsafe { lua_rawset(self.0, idx) }
    }
    #[inline]
    pub fn raw_geti(self, idx: c_int, n: i64) {
        // SAFETY: as above. (5.1/5.2 take an int index.)
        unsafe {
            lua_rawgeti(self.0, idx, n as _);
        }
    }
    #[inline]
    pub fn raw_seti(self, idx: c_int, n: i64) {
        // SAFETY: as above.
        unsafe { lua_rawseti(self.0, idx, n as _) }
    }
    /// `lua_next`: pops a key, pushes the next key and value of the table at
    /// `idx`; false (nothing pushed) at the end.
    #[inline]
    pub fn next(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_next(self.0, idx) != 0 }
    }
    /// `t[name] = f` for a C function, `t` on top.
    #[inline]
    pub fn set_fn(self, name: &CStr, f: lua_CFunction) {
        self.push_cfunction(f);
        self.set_field(-2, name);
    }
    /// `luaL_setfuncs(l, nup)`: registers `(name, f)` pairs into the table
    /// below the `nup` upvalues on top, sharing them; pops the upvalues.
    pub fn set_funcs(self, funcs: &[(&CStr, lua_CFunction)], nup: c_int) {
        self.check_stack(nup + 1);
        for (name, f) in funcs {
            for _ in 0..nup {
                self.push_value(-nup);
            }
            self.push_cclosure(*f, nup);
            self.set_field(-(nup + 2), name);
        }
        self.pop(nup);
    }

    // ---- metatables and userdata -----------------------------------------
    /// `luaL_newmetatable`: true when it was created (on 5.3+ it also sets
    /// `__name`, as the C core's classes get).
    #[inline]
    pub fn new_metatable(self, name: &CStr) -> bool {
        // SAFETY: as above.
        unsafe { luaL_newmetatable(self.0, name.as_ptr()) != 0 }
    }
    /// Pushes the registry's `name` entry (`luaL_getmetatable`).
    #[inline]
    pub fn registry_metatable(self, name: &CStr) {
        // SAFETY: as above.
        unsafe { luaL_getmetatable(self.0, name.as_ptr()) }
    }
    /// Pushes the metatable of the value at `idx`; false (nothing pushed) if none.
    #[inline]
    pub fn get_metatable(self, idx: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua_getmetatable(self.0, idx) != 0 }
    }
    /// Pops a table (or nil) and makes it the metatable of the value at `idx`.
    #[inline]
    pub fn set_metatable(self, idx: c_int) {
        // SAFETY: as above.
        unsafe {
            lua_setmetatable(self.0, idx);
        }
    }
    /// Pushes a new full userdata holding `value`; returns it (valid for the
    /// call while it stays on the stack or referenced).
    ///
    /// `T: Copy` keeps destructors out of Lua-managed memory (Lua frees the
    /// block without running Rust code; `__gc` does the cleanup).
    pub fn new_userdata<T: Copy>(self, value: T) -> &'l mut T {
        let () = MaxAligned::<T>::OK;
        // SAFETY: Lua returns a block of the requested size aligned for any C
        // type (max_align_t), which covers T's alignment (MaxAligned); it is
        // written before the reference is made, is new (so nothing else
        // refers to it), never moves, and stays alive while on the stack.
        unsafe {
            let p = lua_newuserdata_(self.0, std::mem::size_of::<T>()) as *mut T;
            p.write(value);
            &mut *p
        }
    }

    /// Pushes a new full userdata holding `n` copies of `value` (scratch
    /// memory owned by Lua, so no Rust destructor is involved) and returns it
    /// as a slice, valid while the userdata stays referenced (e.g. on the
    /// stack). Raises Lua's memory error when the size cannot be allocated.
    pub fn new_userdata_slice<T: Copy>(self, n: usize, value: T) -> &'l mut [T] {
        // An impossible size becomes an allocation Lua refuses ("not enough
        // memory") instead of a wrapped, too small block.
        let () = MaxAligned::<T>::OK;
        let size = n.saturating_mul(std::mem::size_of::<T>());
        // SAFETY: Lua returns a block of `size` bytes aligned for any C type
        // (max_align_t), enough for T (MaxAligned above); every
        // element is written before the slice is made; Lua never moves a
        // userdata, and it lives while referenced.
        unsafe {
            let p = lua_newuserdata_(self.0, size) as *mut T;
            for i in 0..n {
                p.add(i).write(value);
            }
            std::slice::from_raw_parts_mut(p, n)
        }
    }

    // ---- calls --------------------------------------------------------------
    /// `lua_call` (unprotected: errors propagate to our caller).
    #[inline]
    pub fn call(self, nargs: c_int, nresults: c_int) {
        // SAFETY: as above.
        unsafe { lua_call(self.0, nargs, nresults) }
    }
    /// A protected call whose result (status) is handed to `C::finish` both
    /// when it returns and, on 5.2+, when it is resumed after a yield.
    #[inline]
    pub fn pcall_cont<C: Cont>(self, nargs: c_int, nresults: c_int) -> c_int {
        // SAFETY: as above.
        unsafe { lua_pcall_cont::<C>(self.0, nargs, nresults) }
    }
}
