//! The boundary inside a real interpreter (run with `--features link-lua,<abi>`,
//! which links this test binary against the system liblua of that ABI).
//!
//! Proves that a panic in the work phase becomes a Lua error instead of an
//! abort, that the host's own argument errors (a `longjmp` on PUC Lua, a
//! foreign unwind on LuaJIT) cross our frames cleanly, and that the state is
//! still usable afterwards.
#![cfg(feature = "link-lua")]

use luasocket::lua::ffi::{lua_State, Cont, LUA_OK};
use luasocket::lua::State;
use std::ffi::CString;
use std::os::raw::{c_char, c_int};

extern "C-unwind" {
    fn luaL_newstate() -> *mut lua_State;
    fn luaL_openlibs(L: *mut lua_State);
    fn luaL_loadstring(L: *mut lua_State, s: *const c_char) -> c_int;
    fn lua_close(L: *mut lua_State);
}

luasocket::lua_fn! {
    fn forced_panic(l) {
        let n = l.check_number(1);
        let v: f64 = l.pure(|| {
            if n > 0.0 {
                panic!("forced panic {n}");
            }
            n
        });
        l.push_number(v);
        1
    }
}

luasocket::lua_fn! {
    /// Panics with a non-string payload.
    fn odd_panic(l) {
        l.pure(|| std::panic::panic_any(42u32));
        0
    }
}

/// Keeps the status of the protected chunk call.
struct Status;
impl Cont for Status {
    fn finish(_l: State, status: c_int) -> c_int {
        status
    }
}

/// Runs `chunk` in a fresh state with `forced_panic`, `odd_panic` and
/// `socket.core` preloaded; returns (status, string result).
fn run(chunk: &str) -> (c_int, String) {
    // SAFETY: a fresh state used only in this function, closed at the end.
    unsafe {
        let raw = luaL_newstate();
        assert!(!raw.is_null());
        luaL_openlibs(raw);
        let l = State::from_raw(raw);
        l.push_cfunction(forced_panic);
        l.set_field(State::REGISTRY, c"forced_panic_fn");
        l.get_field(State::REGISTRY, c"_LOADED");
        l.push_cfunction(luasocket::luaopen_socket_core);
        l.call(0, 1);
        l.set_field(-2, c"socket.core");
        l.pop(1);
        let src = CString::new(format!("local forced_panic, odd_panic = ...\n{chunk}")).unwrap();
        assert_eq!(luaL_loadstring(raw, src.as_ptr()), LUA_OK);
        l.push_cfunction(forced_panic);
        l.push_cfunction(odd_panic);
        let status = l.pcall_cont::<Status>(2, 1);
        let out = l
            .to_bytes(-1)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        lua_close(raw);
        (status, out)
    }
}

#[test]
fn panic_becomes_lua_error() {
    std::panic::set_hook(Box::new(|_| {})); // keep the test output quiet
    let (status, out) = run(r#"local ok, err = pcall(forced_panic, 1)
           assert(not ok, "panic must raise")
           local ok2, v = pcall(forced_panic, -2)
           assert(ok2 and v == -2, "state usable after a panic")
           return err"#);
    assert_eq!(status, LUA_OK, "{out}");
    assert!(
        out.contains("luasocket-rs: internal error: forced panic 1"),
        "{out}"
    );
}

#[test]
fn non_string_panic_payload() {
    std::panic::set_hook(Box::new(|_| {}));
    let (status, out) = run("local ok, err = pcall(odd_panic); assert(not ok); return err");
    assert_eq!(status, LUA_OK, "{out}");
    assert!(out.contains("internal error: panic"), "{out}");
}

#[test]
fn panic_uncaught_by_lua_reaches_the_host_as_error() {
    std::panic::set_hook(Box::new(|_| {}));
    let (status, out) = run("forced_panic(3)");
    assert_ne!(status, LUA_OK);
    assert!(out.contains("forced panic 3"), "{out}");
}

#[test]
fn host_argument_errors_cross_our_frames() {
    let (status, out) = run(r#"local core = require "socket.core"
           local msgs = {}
           for i = 1, 1000 do
             local ok, err = pcall(core.sleep, "x")
             assert(not ok)
             msgs[#msgs + 1] = err
           end
           local ok, err = pcall(forced_panic, "nope")
           assert(not ok and err:find("number expected, got string"), err)
           return msgs[1000]"#);
    assert_eq!(status, LUA_OK, "{out}");
    assert!(out.contains("number expected, got string"), "{out}");
}

#[test]
fn protect_and_try_in_embedded_state() {
    let (status, out) = run(r#"local core = require "socket.core"
           local f = core.protect(function() core.newtry()(nil, "caught") end)
           local a, b = f()
           assert(a == nil)
           return b"#);
    assert_eq!(status, LUA_OK, "{out}");
    assert_eq!(out, "caught");
}

#[test]
fn loading_ignores_sigpipe() {
    // SAFETY: plain signal-disposition queries/changes on this test process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        let (status, out) = run("require 'socket.core'; return 'loaded'");
        assert_eq!((status, out.as_str()), (LUA_OK, "loaded"));
        let prev = libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        assert_eq!(
            prev,
            libc::SIG_IGN,
            "luaopen_socket_core must ignore SIGPIPE"
        );
    }
}

#[test]
fn many_states_on_many_threads() {
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                run(&format!(
                    r##"local core = require "socket.core"
                       local n = 0
                       for j = 1, 2000 do
                         local a, b = core.protect(function() core.newtry()(nil, j) end)()
                         n = n + b + select("#", core.skip(1, 1, 2, 3))
                         if j % 500 == 0 then core.sleep(0.001) end
                       end
                       return tostring(n + {i})"##
                ))
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let (status, out) = h.join().expect("thread");
        assert_eq!(status, LUA_OK, "{out}");
        let expect = (1..=2000).sum::<i64>() + 2 * 2000 + i as i64;
        assert_eq!(out.parse::<f64>().unwrap() as i64, expect);
    }
}
