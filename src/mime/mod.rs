//! `mime.core`: the eight low-level MIME filters of LuaSocket's mime.c.
//!
//! Each function checks its arguments in the C core's order (so the same bad
//! call raises the same error), runs the algorithm from [`codec`] on borrowed
//! slices, and pushes the results with the C core's types: contexts through
//! `lua_pushnumber` (floats on 5.3+), empty final results as nil.
use crate::lua::State;
use std::os::raw::c_int;

pub mod codec;

use codec::Atom;

/// `mime.core._VERSION`.
pub const VERSION: &str = "MIME 1.0.3";
const CRLF: &[u8] = b"\r\n";
const EQCRLF: &[u8] = b"=\r\n";

/// Builds the `mime.core` table (see `entry::luaopen_mime_core`). Unlike
/// `socket.core` it leaves SIGPIPE alone, as the C module does.
pub fn open(l: State) -> c_int {
    // lua_newtable + luaL_setfuncs in mime.c's order, so that the hash part
    // grows identically and pairs() iterates the same way.
    l.new_table(0, 0);
    l.set_funcs(
        &[
            (c"dot", dot),
            (c"b64", b64),
            (c"eol", eol),
            (c"qp", qp),
            (c"qpwrp", qpwrp),
            (c"unb64", unb64),
            (c"unqp", unqp),
            (c"wrp", wrp),
        ],
        0,
    );
    l.push_str("_VERSION");
    l.push_str(VERSION);
    l.raw_set(-3);
    1
}

/// How the final call (nil second chunk) of a codec decides its result is
/// "empty": `b64`/`unb64` look at the length, `qp`/`unqp` at the first byte
/// of the C string (so a result starting with NUL counts as empty, too).
#[derive(Clone, Copy)]
enum Empty {
    Length,
    FirstByte,
}

/// Pushes `encoded, rest` (more input to come) or `encoded_or_nil, nil`
/// (final call). `out` is consumed before anything else may raise.
fn push_codec(l: State, out: Vec<u8>, atom: Atom, flushed: bool, empty: Empty) -> c_int {
    if flushed {
        let is_empty = match empty {
            Empty::Length => out.is_empty(),
            Empty::FirstByte => matches!(out.first(), None | Some(0)),
        };
        if is_empty {
            drop(out);
            l.push_nil();
        } else {
            l.push_owned(out);
        }
        l.push_nil();
    } else {
        l.push_owned(out);
        l.push_bytes(atom.as_bytes());
    }
    2
}

/// The `nil, nil` of a codec called with a nil first chunk.
fn push_nil_nil(l: State) -> c_int {
    l.push_nil();
    l.push_nil();
    2
}

crate::lua_fn! {
    /// `b64(C [, D])` → encoded, rest.
    fn b64(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        let (out, atom) = l.pure(|| codec::b64(c, d));
        push_codec(l, out, atom, d.is_none(), Empty::Length)
    }
}

crate::lua_fn! {
    /// `unb64(C [, D])` → decoded, rest.
    fn unb64(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        let (out, atom) = l.pure(|| codec::unb64(c, d));
        push_codec(l, out, atom, d.is_none(), Empty::Length)
    }
}

crate::lua_fn! {
    /// `qp(C [, D [, marker]])` → encoded, rest. The marker is checked before
    /// the nil test, as in mime.c.
    fn qp(l) {
        let c = l.opt_bytes(1);
        let marker = codec::c_string(l.opt_bytes(3).unwrap_or(CRLF));
        let Some(c) = c else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        let (out, atom) = l.pure(|| codec::qp(c, d, marker));
        push_codec(l, out, atom, d.is_none(), Empty::FirstByte)
    }
}

crate::lua_fn! {
    /// `unqp(C [, D])` → decoded, rest.
    fn unqp(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        let (out, atom) = l.pure(|| codec::unqp(c, d));
        push_codec(l, out, atom, d.is_none(), Empty::FirstByte)
    }
}

/// The arguments of `wrp`/`qpwrp`: `left`, optional chunk, `length` (76).
fn wrap_args<'l>(l: State<'l>) -> (i32, Option<&'l [u8]>, i32) {
    let left = codec::c_int_from_number(l.check_number(1));
    let input = l.opt_bytes(2);
    let length = codec::c_int_from_number(l.opt_number(3, 76.0));
    (left, input, length)
}

/// End of input for `wrp`/`qpwrp`: a final break if the line is open.
fn push_wrap_end(l: State, left: i32, length: i32, brk: &[u8]) -> c_int {
    if left < length {
        l.push_bytes(brk);
    } else {
        l.push_nil();
    }
    l.push_number(length as f64);
    2
}

crate::lua_fn! {
    /// `wrp(left, C [, length])` → wrapped, left.
    fn wrp(l) {
        let (left, input, length) = wrap_args(l);
        let Some(input) = input else { return push_wrap_end(l, left, length, CRLF) };
        let (out, left) = l.pure(|| codec::wrp(left, input, length));
        l.push_owned(out);
        l.push_number(left as f64);
        2
    }
}

crate::lua_fn! {
    /// `qpwrp(left, C [, length])` → wrapped, left.
    fn qpwrp(l) {
        let (left, input, length) = wrap_args(l);
        let Some(input) = input else { return push_wrap_end(l, left, length, EQCRLF) };
        let (out, left) = l.pure(|| codec::qpwrp(left, input, length));
        l.push_owned(out);
        l.push_number(left as f64);
        2
    }
}

crate::lua_fn! {
    /// `eol(ctx, C [, marker])` → normalized, ctx. The context goes through
    /// `luaL_checkinteger` and the C `(int)` cast (wraps).
    fn eol(l) {
        let ctx = l.check_integer(1) as i32;
        let input = l.opt_bytes(2);
        let marker = codec::c_string(l.opt_bytes(3).unwrap_or(CRLF));
        let Some(input) = input else {
            l.push_nil();
            l.push_number(0.0);
            return 2;
        };
        let (out, ctx) = l.pure(|| codec::eol(ctx, input, marker));
        l.push_owned(out);
        l.push_number(ctx as f64);
        2
    }
}

crate::lua_fn! {
    /// `dot(state, C)` → stuffed, state. The state is a C `size_t`.
    fn dot(l) {
        let state = codec::c_size_from_number(l.check_number(1));
        let Some(input) = l.opt_bytes(2) else {
            l.push_nil();
            l.push_number(2.0);
            return 2;
        };
        let (out, state) = l.pure(|| codec::dot(state, input));
        l.push_owned(out);
        l.push_number(state as f64);
        2
    }
}
