//! `newtry` / `protect` (the C core's except.c).
//!
//! Both closures share upvalue 1: the exception metatable (`__metatable =
//! false`) that marks tables raised by `try`. `protect` runs its function
//! with a continuation so that, on 5.2+, the function may yield through it.
//! These are pure stack manipulation; no Rust value is ever alive here.
use crate::lua::ffi::{Cont, LUA_MULTRET, LUA_OK, LUA_YIELD};
use crate::lua::{LuaType, State};
use std::os::raw::c_int;

/// Creates the exception metatable and registers `newtry` and `protect` into
/// the module table on top of the stack.
pub fn open(l: State) {
    l.new_table(0, 0);
    l.push_bool(false);
    l.set_field(-2, c"__metatable");
    l.set_funcs(&[(c"newtry", newtry), (c"protect", protect)], 1);
}

crate::lua_fn! {
    fn newtry(l) {
        l.set_top(1);
        if l.is_nil(1) {
            l.push_cfunction(do_nothing);
        }
        l.push_value(State::upvalue(1));
        l.insert(-2);
        l.push_cclosure(finalize, 2);
        1
    }
}

crate::lua_fn! {
    fn do_nothing(_l) {
        0
    }
}

crate::lua_fn! {
    /// `try(v, ...)`: all arguments when `v` is truthy; otherwise calls the
    /// finalizer (unprotected) and raises `{second argument}` marked with the
    /// exception metatable.
    fn finalize(l) {
        if l.to_boolean(1) {
            return l.top();
        }
        l.push_value(State::upvalue(2));
        l.call(0, 0);
        l.set_top(2);
        // wrap: {v2} with the exception metatable
        l.new_table(1, 0);
        l.push_value(-2);
        l.raw_seti(-2, 1);
        l.push_value(State::upvalue(1));
        l.set_metatable(-2);
        l.error_top()
    }
}

crate::lua_fn! {
    fn protect(l) {
        l.set_top(1);
        l.push_value(State::upvalue(1));
        l.insert(1);
        l.push_cclosure(protected, 2);
        1
    }
}

crate::lua_fn! {
    fn protected(l) {
        l.push_value(State::upvalue(2));
        l.insert(1);
        l.pcall_cont::<Finish>(l.top() - 1, LUA_MULTRET)
    }
}

/// What `protected` does with the status of its call, now or after a resume.
struct Finish;

impl Cont for Finish {
    fn finish(l: State, status: c_int) -> c_int {
        if status == LUA_OK || status == LUA_YIELD {
            return l.top();
        }
        // Error value on top: unwrap try's exceptions, re-raise anything else.
        if l.type_of(-1) == LuaType::Table && l.get_metatable(-1) {
            let ours = l.raw_equal(-1, State::upvalue(1));
            l.pop(1);
            if ours {
                l.push_nil();
                l.raw_geti(-2, 1);
                return 2;
            }
        }
        l.error_top()
    }
}
