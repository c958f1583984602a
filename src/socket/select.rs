//! `socket.select(recvt, sendt [, timeout])`: the C core's select.c, step by
//! step (same Lua calls in the same order, same tables, same results), but
//! waiting with poll(2) (see [`crate::net::poll`]) so descriptors of any
//! value work instead of failing at `FD_SETSIZE`.
//!
//! The per-descriptor bookkeeping lives in Lua tables, as in the C core, and
//! the wait array in a Lua userdata, so the frames that call into Lua (getfd,
//! dirty, metamethods — all of which may raise) hold no Rust allocation.
use crate::lua::{LuaType, State};
use crate::net::poll::{self, Watch};
use std::os::raw::c_int;

const RECVT: c_int = 1;
const SENDT: c_int = 2;
/// fd → the last element seen with that fd (shared by both lists, as in the
/// C core: a write element hides a read element with the same fd).
const ITAB: c_int = 4;
/// The read result under construction (dirty elements first).
const RTAB: c_int = 5;
/// The write result under construction.
const WTAB: c_int = 6;
/// fd → READ | WRITE bits: the C core's two fd_sets.
const FDSET: c_int = 7;
// Slot 8: the userdata holding the `Watch` array (kept there, so alive,
// until the function returns).

const READ: i64 = 1;
const WRITE: i64 = 2;
/// `SOCKET_INVALID`.
const INVALID: i64 = -1;

crate::lua_fn! {
    pub fn select(l) {
        // (a) arguments and the Lua side of the bookkeeping
        let t = l.opt_number(3, -1.0);
        l.set_top(3);
        l.new_table(0, 0); // ITAB
        l.new_table(0, 0); // RTAB
        l.new_table(0, 0); // WTAB
        l.new_table(0, 0); // FDSET
        let mut count = 0usize;
        collect(l, RECVT, READ, &mut count);
        collect(l, SENDT, WRITE, &mut count);
        let ndirty = check_dirty(l);
        let set = l.new_userdata_slice(count, Watch::default()); // WATCH
        fill(l, set);
        let t = if ndirty > 0 { 0.0 } else { t };
        // (b) the wait
        let ret = l.pure(|| {
            // Ascending fd order is the order the C core reports in.
            set.sort_unstable_by_key(Watch::fd);
            // The C core hands select(2) a timeval with `(int) t` seconds:
            // from 2^31 on that is negative and select(2) fails (EINVAL).
            if t >= 2_147_483_648.0 {
                return None;
            }
            poll::wait(set, t).ok()
        });
        // (c) results
        match ret {
            Some(n) if n > 0 || ndirty > 0 => success(l, set, ndirty, false),
            None if ndirty > 0 => {
                // select(2) leaves its sets untouched on failure, and the C
                // core then reports every descriptor it asked about.
                success(l, set, ndirty, true)
            }
            Some(_) => {
                l.push_value(RTAB);
                l.push_value(WTAB);
                l.push_str("timeout");
                3
            }
            None => l.error_msg(c"select failed"),
        }
    }
}

/// The C core's `getfd`: the element is on top; looks up and calls
/// `e.getfd(e)`; anything but a number >= 0 is `INVALID`.
fn getfd(l: State) -> i64 {
    let mut fd = INVALID;
    l.push_str("getfd");
    l.get_table(-2);
    if !l.is_nil(-1) {
        l.push_value(-2);
        l.call(1, 1);
        if l.is_number(-1) {
            let n = l.to_number_or_zero(-1);
            // Truncation toward zero like the C cast; NaN is not >= 0.
            fd = if n >= 0.0 { n as i64 } else { INVALID };
        }
    }
    l.pop(1);
    fd
}

/// The C core's `dirty`: the element is on top; `e.dirty(e)` if present.
fn dirty(l: State) -> bool {
    let mut is = false;
    l.push_str("dirty");
    l.get_table(-2);
    if !l.is_nil(-1) {
        l.push_value(-2);
        l.call(1, 1);
        is = l.to_boolean(-1);
    }
    l.pop(1);
    is
}

/// The C core's `collect_fd`: walks `tab[1], tab[2], ...` (normal indexing
/// with float keys, as `lua_pushnumber` makes them) up to the first nil.
fn collect(l: State, tab: c_int, flag: i64, count: &mut usize) {
    // nil is the same as an empty table
    if l.is_nil(tab) {
        return;
    }
    l.check_type(tab, LuaType::Table);
    let mut i = 1.0;
    loop {
        l.push_number(i);
        l.get_table(tab);
        if l.is_nil(-1) {
            l.pop(1);
            break;
        }
        let fd = getfd(l);
        if fd != INVALID {
            // Only numbers that cannot be a descriptor at all are refused:
            // with poll(2) there is no set size to overflow.
            if fd > i32::MAX as i64 {
                l.arg_error(tab, c"descriptor too large for set size");
            }
            l.push_value(-1);
            l.raw_seti(ITAB, fd);
            l.raw_geti(FDSET, fd);
            let old = if l.is_nil(-1) {
                *count += 1;
                0
            } else {
                l.to_number_or_zero(-1) as i64
            };
            l.pop(1);
            l.push_integer(old | flag);
            l.raw_seti(FDSET, fd);
        }
        l.pop(1);
        i += 1.0;
    }
}

/// The C core's `check_dirty` over the read list: getfd is asked again, and
/// a dirty element goes straight into the result and out of the wait.
fn check_dirty(l: State) -> usize {
    let mut ndirty = 0usize;
    if l.is_nil(RECVT) {
        return 0;
    }
    let mut i = 1.0;
    loop {
        l.push_number(i);
        l.get_table(RECVT);
        if l.is_nil(-1) {
            l.pop(1);
            break;
        }
        let fd = getfd(l);
        if fd != INVALID && dirty(l) {
            ndirty += 1;
            l.push_number(ndirty as f64);
            l.push_value(-2);
            l.set_table(RTAB);
            if fd <= i32::MAX as i64 {
                l.raw_geti(FDSET, fd);
                if l.is_nil(-1) {
                    l.pop(1);
                } else {
                    let v = l.to_number_or_zero(-1) as i64 & !READ;
                    l.pop(1);
                    l.push_integer(v);
                    l.raw_seti(FDSET, fd);
                }
            }
        }
        l.pop(1);
        i += 1.0;
    }
    ndirty
}

/// Copies the fd table into the wait array (one entry per distinct fd).
fn fill(l: State, set: &mut [Watch]) {
    let mut slots = set.iter_mut();
    l.push_nil();
    while l.next(FDSET) {
        let fd = l.to_number_or_zero(-2) as i32;
        let bits = l.to_number_or_zero(-1) as i64;
        if let (Some(slot), Some(w)) = (
            slots.next(),
            Watch::new(fd, bits & READ != 0, bits & WRITE != 0),
        ) {
            *slot = w;
        }
        l.pop(1);
    }
}

/// Pushes the two result tables (the C core's `return_fd` and `make_assoc`).
fn success(l: State, set: &[Watch], ndirty: usize, all: bool) -> c_int {
    let mut n = ndirty;
    for w in set {
        if if all { w.wants_read() } else { w.readable() } {
            n += 1;
            push_ready(l, n, w.fd(), RTAB);
        }
    }
    let mut n = 0;
    for w in set {
        if if all { w.wants_write() } else { w.writable() } {
            n += 1;
            push_ready(l, n, w.fd(), WTAB);
        }
    }
    make_assoc(l, RTAB);
    make_assoc(l, WTAB);
    2
}

/// `tab[n] = itab[fd]`.
fn push_ready(l: State, n: usize, fd: c_int, tab: c_int) {
    l.push_number(n as f64);
    l.raw_geti(ITAB, fd as i64);
    l.set_table(tab);
}

/// A new table with `tab`'s array part and the reverse map `t[e] = i`
/// (`i` pushed with `lua_pushnumber`, so a float on 5.3+).
fn make_assoc(l: State, tab: c_int) {
    l.new_table(0, 0);
    let atab = l.top();
    let mut i = 1.0;
    loop {
        l.push_number(i);
        l.get_table(tab);
        if l.is_nil(-1) {
            l.pop(1);
            break;
        }
        l.push_number(i);
        l.push_value(-2);
        l.set_table(atab);
        l.push_number(i);
        l.set_table(atab);
        i += 1.0;
    }
}
