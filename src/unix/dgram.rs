//! Unix datagram sockets (unixdgram.c): `unix.dgram()` and the classes
//! `unixdgram{unconnected}` and `unixdgram{connected}` (groups
//! `unixdgram{any}` and `select{able}`), one shared method list.
use super::{attach, err_text, fail, object, push_one};
use crate::lua::State;
use crate::net::cast::c_size;
use crate::net::errors::{ErrText, CLOSED, DONE};
use crate::net::sink::Sink;
use crate::net::sock::{self, Fd, SockAddr};
use crate::net::timeout::Timeout;
use crate::net::udp as nudp;
use crate::net::unix as nunix;
use crate::socket::aux::{self, Method};
use crate::socket::options;
use std::ffi::CStr;
use std::os::raw::c_int;

const CONNECTED: &CStr = c"unixdgram{connected}";
const UNCONNECTED: &CStr = c"unixdgram{unconnected}";
const ANY: &CStr = c"unixdgram{any}";

/// `UNIXDGRAM_DATAGRAMSIZE`: default receive size and the reference's stack
/// buffer (larger sizes are malloc'ed there).
const DATAGRAMSIZE: usize = 8192;

/// The userdata of every unix datagram object (plain data: `__gc` closes).
#[derive(Clone, Copy)]
struct Dgram {
    fd: Fd,
    tm: Timeout,
}

fn check<'a>(l: State, class: &CStr) -> &'a mut Dgram {
    object(l, class, false)
}

fn check_any<'a>(l: State) -> &'a mut Dgram {
    object(l, ANY, true)
}

/// `unixdgram_strerror`: a transport "closed" means the target refused.
fn dgram_strerror(code: i32) -> ErrText {
    if code == CLOSED {
        ErrText::new(b"refused")
    } else {
        err_text(code)
    }
}

const METHODS: &[Method] = &[
    (c"__gc", close),
    (c"__tostring", aux::tostring),
    (c"bind", bind),
    (c"close", close),
    (c"connect", connect),
    (c"dirty", dirty),
    (c"getfd", getfd),
    (c"send", send),
    (c"sendto", sendto),
    (c"receive", receive),
    (c"receivefrom", receivefrom),
    (c"setfd", setfd),
    (c"setoption", setoption),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"getsockname", getsockname),
    (c"settimeout", settimeout),
    (c"gettimeout", gettimeout),
];

/// `unixdgram_open`: the classes, their groups and `dgram` (into the table
/// on top).
pub fn open(l: State) {
    aux::new_class(l, CONNECTED, METHODS);
    aux::new_class(l, UNCONNECTED, METHODS);
    aux::add_to_group(l, CONNECTED, ANY);
    aux::add_to_group(l, UNCONNECTED, ANY);
    aux::add_to_group(l, CONNECTED, c"select{able}");
    aux::add_to_group(l, UNCONNECTED, c"select{able}");
    l.set_funcs(&[(c"dgram", create)], 0);
}

crate::lua_fn! {
    /// `unix.dgram()`: the socket exists from the start.
    fn create(l) {
        match l.pure(|| nunix::create(libc::SOCK_DGRAM)) {
            Ok(fd) => {
                l.new_userdata(Dgram { fd, tm: Timeout::default() });
                aux::set_class(l, UNCONNECTED, -1);
                1
            }
            Err(e) => fail(l, err_text(e)),
        }
    }
}

crate::lua_fn! {
    fn bind(l) {
        let d = check(l, UNCONNECTED);
        let path = l.check_cstr(2);
        match l.pure(|| attach(&mut d.fd, &mut d.tm, path, false)) {
            Ok(()) => push_one(l),
            Err(e) => fail(l, e),
        }
    }
}

crate::lua_fn! {
    /// Either class; success makes it connected (there is no way back).
    fn connect(l) {
        let d = check_any(l);
        let path = l.check_cstr(2);
        match l.pure(|| attach(&mut d.fd, &mut d.tm, path, true)) {
            Ok(()) => {
                aux::set_class(l, CONNECTED, 1);
                push_one(l)
            }
            Err(e) => fail(l, e),
        }
    }
}

crate::lua_fn! {
    fn close(l) {
        let d = check_any(l);
        l.pure(|| sock::destroy(&mut d.fd));
        push_one(l)
    }
}

crate::lua_fn! {
    fn dirty(l) {
        check_any(l);
        l.push_bool(false);
        1
    }
}

crate::lua_fn! {
    fn setoption(l) {
        let d = check_any(l);
        options::setoption(l, nunix::DGRAM_SET, d.fd)
    }
}

crate::lua_fn! {
    fn getsockname(l) {
        let fd = check_any(l).fd;
        super::getsockname(l, fd)
    }
}

/// Pushes the result of a send: the byte count or `nil, err`.
fn push_sent(l: State, (sent, err): (usize, i32)) -> c_int {
    if err != DONE {
        return fail(l, dgram_strerror(err));
    }
    l.push_number(sent as f64);
    1
}

crate::lua_fn! {
    fn send(l) {
        let d = check(l, CONNECTED);
        let data = l.check_bytes(2);
        let r = l.pure(|| {
            d.tm.mark_start();
            nunix::send(d.fd, data, None, &d.tm)
        });
        push_sent(l, r)
    }
}

crate::lua_fn! {
    fn sendto(l) {
        let d = check(l, UNCONNECTED);
        let data = l.check_bytes(2);
        let path = l.check_cstr(3);
        let r = l.pure(|| {
            let to = nunix::address(path)?;
            d.tm.mark_start();
            Some(nunix::send(d.fd, data, Some(&to), &d.tm))
        });
        match r {
            Some(r) => push_sent(l, r),
            None => fail(l, b"path too long"),
        }
    }
}

/// The size argument at 2 (default 8192), cast like C's
/// `(size_t) luaL_optnumber(...)` (x86-64 takes NaN down the 2^63 path).
fn wanted_arg(l: State) -> usize {
    let n = l.opt_number(2, DATAGRAMSIZE as f64);
    if n.is_nan() {
        1 << 63
    } else {
        c_size(n) as usize
    }
}

crate::lua_fn! {
    /// `receive([size])`: one datagram (a closed object gives `""`).
    fn receive(l) {
        let d = check_any(l);
        let wanted = wanted_arg(l);
        recv_and_push(l, d, wanted, false)
    }
}

crate::lua_fn! {
    /// `receivefrom([size])`: `data, sender_path` (`""` for an unbound sender).
    fn receivefrom(l) {
        let d = check(l, UNCONNECTED);
        let wanted = wanted_arg(l);
        recv_and_push(l, d, wanted, true)
    }
}

/// Why a receive returns `nil, err`.
#[derive(Clone, Copy)]
enum Fail {
    /// the reference's failed malloc
    Oom,
    Code(i32),
}

/// `socket_recv{,from}` read as unixdgram.c does: zero bytes (`CLOSED`,
/// also on a closed object) is an empty datagram.
fn recv_into(
    fd: Fd,
    buf: &mut [u8],
    from: &mut SockAddr,
    with_from: bool,
    tm: &Timeout,
) -> Result<usize, Fail> {
    match nudp::recv(fd, buf, with_from.then_some(from), tm) {
        (n, DONE | CLOSED) => Ok(n),
        (_, e) => Err(Fail::Code(e)),
    }
}

/// Shared body of receive/receivefrom: sizes up to 8192 use a stack buffer
/// as the reference does; larger ones a buffer no bigger than what
/// arrived (see [`nudp::buffer_size`]) from the host's memory, never the
/// caller's number.
fn recv_and_push(l: State, d: &mut Dgram, wanted: usize, with_from: bool) -> c_int {
    let fd = d.fd;
    let tm = &mut d.tm;
    let mut from = SockAddr::empty();
    if wanted <= DATAGRAMSIZE {
        let mut small = [0u8; DATAGRAMSIZE];
        let r = l.pure(|| {
            tm.mark_start();
            recv_into(fd, &mut small[..wanted], &mut from, with_from, tm)
        });
        return match r {
            Ok(n) => {
                l.push_bytes(&small[..n]);
                push_from(l, &from, with_from)
            }
            Err(e) => push_fail(l, e),
        };
    }
    // larger: a result buffer from the host's memory, sized by what arrived
    let mut out = l.new_hostbuf();
    let r = l.pure(|| {
        tm.mark_start();
        if nudp::malloc_fails(wanted) {
            return Err(Fail::Oom);
        }
        let size = nudp::buffer_size(fd, wanted, tm).map_err(Fail::Code)?;
        let room = out.room(size).map_err(|_| Fail::Oom)?;
        let n = recv_into(fd, &mut room[..size], &mut from, with_from, tm)?;
        out.commit(n);
        Ok(())
    });
    match r {
        Ok(()) => {
            l.push_hostbuf(&mut out);
            push_from(l, &from, with_from)
        }
        Err(e) => {
            out.release();
            push_fail(l, e)
        }
    }
}

fn push_from(l: State, from: &SockAddr, with_from: bool) -> c_int {
    if !with_from {
        return 1;
    }
    l.push_bytes(nunix::path_of(from));
    2
}

fn push_fail(l: State, e: Fail) -> c_int {
    match e {
        Fail::Oom => fail(l, b"out of memory"),
        Fail::Code(c) => fail(l, dgram_strerror(c)),
    }
}

crate::socket::aux::fd_timeout_methods!(check_any, gettimeout);
