//! The boundary between Lua and Rust: how every exported function is shaped,
//! and the only code that raises Lua errors.
//!
//! A Lua error is a `longjmp` in PUC Lua and a foreign (DWARF) unwind in
//! LuaJIT on x86-64. Neither may meet a Rust frame that owns a value with a
//! destructor (skipped destructors under `longjmp` are undefined behaviour),
//! and a Rust panic must never travel into the interpreter. So each
//! `lua_CFunction` (see [`crate::lua_fn!`]) runs in three phases:
//!
//! 1. **check**: read and check arguments through [`State`] (these checks may
//!    raise the interpreter's own `bad argument` errors), keeping only
//!    integers, floats, raw pointers and borrowed slices alive;
//! 2. **work**: pure Rust inside [`State::pure`], which catches a panic and
//!    converts it into a Lua error. Nothing in this phase may call the Lua API
//!    (catching LuaJIT's foreign unwind would abort the process), and its
//!    result is a plain value or a `Result`;
//! 3. **push or raise**: results are pushed (owned buffers through
//!    [`State::push_owned`], which never holds a destructor across the push),
//!    and errors are raised with the `raise_*` methods below, from a frame
//!    that holds nothing to drop.
//!
//! All functions here are `-> !` and take only `Copy` arguments.
use super::ffi::*;
use super::State;
use std::ffi::CStr;
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Marker: the work phase panicked (a bug in luasocket-rs, reported as a Lua
/// error rather than crashing the host).
#[derive(Debug, Clone, Copy)]
pub struct Panicked;

/// An error to raise in phase 3, described without owning memory.
#[derive(Debug, Clone, Copy)]
pub enum Raise {
    /// `luaL_argerror(arg, msg)`
    Arg(c_int, &'static CStr),
    /// `luaL_error("%s", msg)`: message with the caller's position prefix.
    Msg(&'static CStr),
}

/// Room for the panic message copied out of the payload before it is dropped.
const PANIC_MSG_MAX: usize = 200;

impl<'l> State<'l> {
    /// Phase 2: runs `work` (pure Rust, no Lua API) and returns its value. A
    /// panic inside becomes the Lua error
    /// `luasocket-rs: internal error: <message>`.
    #[inline]
    pub fn pure<T>(self, work: impl FnOnce() -> T) -> T {
        match run_caught(work) {
            Ok(v) => v,
            Err(msg) => self.raise_panic(&msg),
        }
    }

    /// Raises `e` (phase 3).
    pub fn raise(self, e: Raise) -> ! {
        match e {
            Raise::Arg(arg, msg) => self.arg_error(arg, msg),
            Raise::Msg(msg) => self.error_msg(msg),
        }
    }

    /// `luaL_argerror(arg, msg)`: `bad argument #arg to 'f' (msg)` or
    /// `calling 'f' on bad self (msg)`, worded by the host interpreter.
    pub fn arg_error(self, arg: c_int, msg: &CStr) -> ! {
        // SAFETY: valid state; luaL_argerror never returns.
        unsafe {
            luaL_argerror(self.as_ptr(), arg, msg.as_ptr());
        }
        unreachable_after_raise()
    }

    /// `luaL_argerror` with a message built at run time: the text is first
    /// copied into a Lua string on the stack, so no Rust allocation is alive
    /// when the error is raised.
    pub fn arg_error_bytes(self, arg: c_int, msg: &[u8]) -> ! {
        self.push_bytes(msg);
        // SAFETY: the string just pushed stays on the stack (and so alive)
        // while luaL_argerror formats its message.
        unsafe {
            let p = lua_tolstring(self.as_ptr(), -1, core::ptr::null_mut());
            luaL_argerror(self.as_ptr(), arg, p);
        }
        unreachable_after_raise()
    }

    /// `<typename> expected, got <luaL_typename(arg)>` through `luaL_argerror`,
    /// as lauxlib's (and LuaSocket's) type errors read.
    pub fn type_error(self, arg: c_int, expected: &str) -> ! {
        let mut buf = [0u8; 96];
        let got = self.typename_at(arg);
        let n = fill(&mut buf, &[expected.as_bytes(), b" expected, got ", got]);
        self.arg_error_bytes(arg, &buf[..n])
    }

    /// `luaL_error(L, "%s", msg)`: message prefixed with the position of the
    /// calling Lua code, like the C core's `luaL_error` calls.
    pub fn error_msg(self, msg: &CStr) -> ! {
        // SAFETY: valid state; "%s" with a NUL-terminated string.
        unsafe {
            luaL_error(self.as_ptr(), c"%s".as_ptr(), msg.as_ptr());
        }
        unreachable_after_raise()
    }

    /// The C core's answer to a refused allocation: the error value
    /// `"not enough memory"` (what Lua's own memory errors carry).
    pub fn raise_oom(self) -> ! {
        self.push_str("not enough memory");
        self.error_top()
    }

    /// `lua_error`: raises the value on top of the stack as it is.
    pub fn error_top(self) -> ! {
        // SAFETY: valid state; lua_error never returns.
        unsafe {
            lua_error(self.as_ptr());
        }
        unreachable_after_raise()
    }

    #[cold]
    fn raise_panic(self, msg: &[u8]) -> ! {
        let mut buf = [0u8; PANIC_MSG_MAX + 40];
        let n = fill(&mut buf, &[b"luasocket-rs: internal error: ", msg]);
        self.push_bytes(&buf[..n]);
        // SAFETY: the message is on the stack; luaL_error copies it.
        unsafe {
            let p = lua_tolstring(self.as_ptr(), -1, core::ptr::null_mut());
            luaL_error(self.as_ptr(), c"%s".as_ptr(), p);
        }
        unreachable_after_raise()
    }
}

/// Runs `work` under `catch_unwind`. On a panic the payload's message is copied
/// into a fixed array and the payload dropped here, so the caller's frame holds
/// nothing with a destructor when it raises.
// The error is a fixed array on purpose: no heap value may be alive when
// the caller raises.
#[allow(clippy::result_large_err)]
#[inline]
fn run_caught<T>(work: impl FnOnce() -> T) -> Result<T, PanicText> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(v) => Ok(v),
        Err(payload) => {
            let text: &str = if let Some(s) = payload.downcast_ref::<&'static str>() {
                s
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.as_str()
            } else {
                "panic"
            };
            let mut out = PanicText {
                buf: [0; PANIC_MSG_MAX],
                len: 0,
            };
            out.len = fill(&mut out.buf, &[text.as_bytes()]);
            Err(out)
        }
    }
}

/// A panic message in a plain array (no destructor).
struct PanicText {
    buf: [u8; PANIC_MSG_MAX],
    len: usize,
}

impl core::ops::Deref for PanicText {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Concatenates `parts` into `buf`, truncating; returns the length written.
fn fill(buf: &mut [u8], parts: &[&[u8]]) -> usize {
    let mut n = 0;
    for p in parts {
        let take = p.len().min(buf.len() - n);
        buf[n..n + take].copy_from_slice(&p[..take]);
        n += take;
    }
    n
}

#[inline(always)]
fn unreachable_after_raise() -> ! {
    // lua_error/luaL_error/luaL_argerror do not return. Should a broken host
    // return anyway, stop rather than run on with an inconsistent stack.
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_truncates() {
        let mut b = [0u8; 5];
        assert_eq!(fill(&mut b, &[b"abc", b"defg"]), 5);
        assert_eq!(&b, b"abcde");
    }

    #[test]
    fn panics_are_caught_with_message() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = run_caught(|| -> u8 { panic!("boom {}", 42) });
        let r2 = run_caught(|| -> u8 { panic!("static") });
        std::panic::set_hook(prev);
        assert_eq!(&*r.err().unwrap(), b"boom 42");
        assert_eq!(&*r2.err().unwrap(), b"static");
        assert_eq!(run_caught(|| 7).ok(), Some(7));
    }
}
