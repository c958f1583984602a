//! The Lua side of buffered stream I/O (buffer.c's `buffer_meth_*`), shared
//! by every stream class: argument rules, return shapes, debug timing.
use crate::lua::State;
use crate::net::buffer::{self, Io, IoErr, Out, Pattern, Stats, Storage};
use crate::net::cast::{c_long, c_size};
use crate::net::errors::DONE;
use crate::net::time::gettime;
use crate::net::timeout::Timeout;
use std::os::raw::c_int;

/// Debug builds (`LUASOCKET_DEBUG`) append the seconds the call took.
fn push_elapsed(l: State, tm: &Timeout) -> c_int {
    if cfg!(feature = "debug") {
        let now = l.pure(gettime);
        l.push_number(now - tm.start);
        1
    } else {
        0
    }
}

/// `receive([pattern [, prefix]])` on the object at 1: `data, nil, nil` or
/// `nil, err, partial`.
pub fn receive<S: Storage, I: Io>(l: State, buf: &mut S, tm: &mut Timeout, io: &mut I) -> c_int {
    let prefix = l.opt_bytes(3).unwrap_or(b"");
    l.pure(|| tm.mark_start());
    l.set_top(3);
    let pat = if !l.is_number(2) {
        let p = l.opt_bytes(2).unwrap_or(b"*l");
        match p {
            [b'*', b'l', ..] => Some(Pattern::Line),
            [b'*', b'a', ..] => Some(Pattern::All),
            _ => l.arg_error(2, c"invalid receive pattern"),
        }
    } else {
        let n = l.to_number_or_zero(2);
        let wanted = c_size(n);
        if n.is_nan() || n < 0.0 {
            l.arg_error(2, c"invalid receive pattern");
        }
        let size = prefix.len() as u64;
        (size == 0 || wanted > size).then(|| Pattern::Count(wanted.wrapping_sub(size)))
    };
    let (out, err) = l.pure(|| match pat {
        Some(p) => buffer::receive(buf, io, tm, p, prefix),
        None => (Out::Area(0, 0), DONE),
    });
    // a prefix that already satisfies the count is returned as it is
    let keep_prefix = pat.is_none();
    let text = (err != DONE).then(|| io.error(err));
    match out {
        Out::Owned(v) => l.push_owned(v),
        Out::Area(_, _) if keep_prefix => l.push_bytes(prefix),
        Out::Area(off, len) => l.push_bytes(buf.area_slice(off, len)),
    }
    match text {
        Some(t) => {
            l.push_nil();
            l.insert(-2);
            push_err(l, t);
            l.insert(-2);
        }
        None => {
            l.push_nil();
            l.push_nil();
        }
    }
    3 + push_elapsed(l, tm)
}

/// `send(data [, i [, j]])`: `last, nil, nil` or `nil, err, last`.
pub fn send<S: Storage, I: Io>(l: State, buf: &mut S, tm: &mut Timeout, io: &mut I) -> c_int {
    let data = l.check_bytes(2);
    let start = c_long(l.opt_number(3, 1.0));
    let end = c_long(l.opt_number(4, -1.0));
    l.pure(|| tm.mark_start());
    let (last, err) = l.pure(|| buffer::send(buf, io, tm, data, start, end));
    if err != DONE {
        let t = io.error(err);
        l.push_nil();
        push_err(l, t);
        l.push_number(last as f64);
    } else {
        l.push_number(last as f64);
        l.push_nil();
        l.push_nil();
    }
    3 + push_elapsed(l, tm)
}

/// `lua_pushstring` of a transport's error text (nil for a NULL string).
fn push_err(l: State, e: IoErr) {
    match e.bytes() {
        Some(b) => l.push_bytes(b),
        None => l.push_nil(),
    }
}

/// `getstats()`: received, sent, age (all nums).
pub fn getstats(l: State, stats: &Stats) -> c_int {
    let now = l.pure(gettime);
    l.push_number(stats.received as f64);
    l.push_number(stats.sent as f64);
    l.push_number(now - stats.birthday);
    3
}

/// `setstats([received [, sent [, age]]])`: returns 1.
pub fn setstats(l: State, stats: &mut Stats) -> c_int {
    // stored through C's (long) into a size_t
    stats.received = c_long(l.opt_number(2, stats.received as f64)) as usize;
    stats.sent = c_long(l.opt_number(3, stats.sent as f64)) as usize;
    if l.is_number(4) {
        let age = l.to_number_or_zero(4);
        stats.birthday = l.pure(gettime) - age;
    }
    l.push_number(1.0);
    1
}
