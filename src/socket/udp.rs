//! UDP objects (the C core's udp.c): `socket.udp/udp4/udp6` and the classes
//! `udp{unconnected}` and `udp{connected}` (groups `udp{any}` and
//! `select{able}`), which share one userdata layout and one method list;
//! each method checks the class it accepts at call time.
use super::aux::{self, Method};
use super::{inet, udp_options};
use crate::lua::State;
use crate::net::cast::c_size;
use crate::net::errors::{gai_strerror, socket_strerror, ErrText, CLOSED, DONE};
use crate::net::inet as ninet;
use crate::net::resolve::{numeric, Hints, NameBuf};
use crate::net::sink::Sink;
use crate::net::sock::{self, Fd, SockAddr, INVALID};
use crate::net::timeout::Timeout;
use crate::net::udp::{self as nudp, DATAGRAMSIZE};
use std::ffi::CStr;

pub const CONNECTED: &CStr = c"udp{connected}";
pub const UNCONNECTED: &CStr = c"udp{unconnected}";
const ANY: &CStr = c"udp{any}";

/// The userdata of every udp object (plain data: `__gc` closes the fd).
#[derive(Clone, Copy)]
pub struct Udp {
    pub fd: Fd,
    pub family: i32,
    pub tm: Timeout,
}

/// The object at 1 if it is of class `class`, else the class error.
fn check<'a>(l: State, class: &CStr) -> &'a mut Udp {
    aux::check_class::<Udp>(l, class, 1);
    layout(l, class)
}

/// The object at 1 if it is in `udp{any}`, else the group error.
fn check_any<'a>(l: State) -> &'a mut Udp {
    aux::check_group::<Udp>(l, ANY, 1);
    layout(l, ANY)
}

fn layout<'a>(l: State, name: &CStr) -> &'a mut Udp {
    match l.userdata_mut::<Udp>(1) {
        Some(u) => u,
        // a foreign userdata given our metatable by hand
        None => {
            let mut b = [0u8; 48];
            let n = name.to_bytes().len();
            b[..n].copy_from_slice(name.to_bytes());
            b[n..n + 9].copy_from_slice(b" expected");
            l.arg_error_bytes(1, &b[..n + 9])
        }
    }
}

use crate::socket::aux::fail;

/// `udp_strerror`: the transport's "closed" means the datagram was refused.
fn udp_strerror(code: i32) -> ErrText {
    if code == CLOSED {
        ErrText::new(b"refused")
    } else {
        socket_strerror(code).unwrap_or(ErrText::new(b"unknown error"))
    }
}

fn push_one(l: State) -> i32 {
    l.push_number(1.0);
    1
}

const METHODS: &[Method] = &[
    (c"__gc", close),
    (c"__tostring", aux::tostring),
    #[cfg(feature = "lua54")]
    (c"__close", close),
    (c"close", close),
    (c"dirty", dirty),
    (c"getfamily", getfamily),
    (c"getfd", getfd),
    (c"getpeername", getpeername),
    (c"getsockname", getsockname),
    (c"receive", receive),
    (c"receivefrom", receivefrom),
    (c"send", send),
    (c"sendto", sendto),
    (c"setfd", setfd),
    (c"setoption", setoption),
    (c"getoption", getoption),
    (c"setpeername", setpeername),
    (c"setsockname", setsockname),
    (c"settimeout", settimeout),
    (c"gettimeout", gettimeout),
];

/// `udp_open`: the two classes, their groups, and the namespace functions
/// (into the table on top; `_DATAGRAMSIZE` follows in `socket::open`).
pub fn open(l: State) {
    aux::new_class(l, CONNECTED, METHODS);
    aux::new_class(l, UNCONNECTED, METHODS);
    aux::add_to_group(l, CONNECTED, ANY);
    aux::add_to_group(l, UNCONNECTED, ANY);
    aux::add_to_group(l, CONNECTED, c"select{able}");
    aux::add_to_group(l, UNCONNECTED, c"select{able}");
    l.set_funcs(
        &[
            (c"udp", global_udp),
            (c"udp4", global_udp4),
            (c"udp6", global_udp6),
        ],
        0,
    );
}

/// `udp_create`: an unspec object owns no descriptor until first use.
fn create(l: State, family: i32) -> i32 {
    l.new_userdata(Udp {
        fd: INVALID,
        family,
        tm: Timeout::default(),
    });
    aux::set_class(l, UNCONNECTED, -1);
    if family != libc::AF_UNSPEC {
        if let Some(udp) = l.userdata_mut::<Udp>(-1) {
            if let Some(e) = l.pure(|| ninet::try_create(&mut udp.fd, family, libc::SOCK_DGRAM, 0))
            {
                return fail(l, e);
            }
        }
    }
    1
}

crate::lua_fn! { fn global_udp(l) { create(l, libc::AF_UNSPEC) } }
crate::lua_fn! { fn global_udp4(l) { create(l, libc::AF_INET) } }
crate::lua_fn! { fn global_udp6(l) { create(l, libc::AF_INET6) } }

crate::lua_fn! {
    fn close(l) {
        let udp = check_any(l);
        l.pure(|| sock::destroy(&mut udp.fd));
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
    fn getfamily(l) {
        let udp = check_any(l);
        l.push_str(if udp.family == libc::AF_INET6 { "inet6" } else { "inet4" });
        1
    }
}

crate::lua_fn! {
    fn getpeername(l) {
        let udp = check(l, CONNECTED);
        inet::getname(l, udp.fd, udp.family, true)
    }
}

crate::lua_fn! {
    fn getsockname(l) {
        let udp = check_any(l);
        inet::getname(l, udp.fd, udp.family, false)
    }
}

crate::lua_fn! {
    fn getoption(l) {
        let udp = check_any(l);
        udp_options::getoption(l, udp.fd)
    }
}

crate::lua_fn! {
    fn setoption(l) {
        let udp = check_any(l);
        udp_options::setoption(l, udp.fd)
    }
}

crate::lua_fn! {
    /// `setpeername("*")` dissolves the association and never fails;
    /// otherwise connect like tcp (class unchanged on failure).
    fn setpeername(l) {
        let udp = check_any(l);
        let address = l.check_cstr(2);
        let connecting = address.to_bytes() != b"*";
        let port = if connecting { l.check_cstr(3) } else { c"0" };
        if !connecting {
            l.pure(|| nudp::disconnect(udp.fd, udp.family, &udp.tm));
            aux::set_class(l, UNCONNECTED, 1);
            return push_one(l);
        }
        let hints = Hints { family: udp.family, socktype: libc::SOCK_DGRAM, flags: 0 };
        let err = l.pure(|| ninet::try_connect(&mut udp.fd, &mut udp.family, address, port, &mut udp.tm, hints));
        match err {
            Some(e) => fail(l, e),
            None => {
                aux::set_class(l, CONNECTED, 1);
                push_one(l)
            }
        }
    }
}

crate::lua_fn! {
    fn setsockname(l) {
        let udp = check(l, UNCONNECTED);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: udp.family, socktype: libc::SOCK_DGRAM, flags: libc::AI_PASSIVE };
        match l.pure(|| ninet::try_bind(&mut udp.fd, &mut udp.family, address, port, hints)) {
            Some(e) => fail(l, e),
            None => push_one(l),
        }
    }
}

crate::lua_fn! {
    fn send(l) {
        let udp = check(l, CONNECTED);
        let data = l.check_bytes(2);
        let (sent, err) = l.pure(|| {
            udp.tm.mark_start();
            sock::send(udp.fd, data, &udp.tm)
        });
        if err != DONE {
            return fail(l, udp_strerror(err));
        }
        l.push_number(sent as f64);
        1
    }
}

crate::lua_fn! {
    fn sendto(l) {
        let udp = check(l, UNCONNECTED);
        let data = l.check_bytes(2);
        let ip = l.check_cstr(3);
        let port = l.check_cstr(4);
        let res = l.pure(|| {
            let (family, addr) = nudp::numeric_dest(ip, port, udp.family).map_err(gai_strerror)?;
            // the first sendto of an unspec object creates its socket
            if udp.family == libc::AF_UNSPEC && udp.fd == INVALID {
                if let Some(e) = ninet::try_create(&mut udp.fd, family, libc::SOCK_DGRAM, 0) {
                    return Err(e);
                }
                udp.family = family;
            }
            udp.tm.mark_start();
            match nudp::sendto(udp.fd, data, &addr, &udp.tm) {
                (n, DONE) => Ok(n),
                (_, e) => Err(udp_strerror(e)),
            }
        });
        match res {
            Ok(n) => {
                l.push_number(n as f64);
                1
            }
            Err(e) => fail(l, e),
        }
    }
}

/// The size argument at 2 (default `_DATAGRAMSIZE`), cast like C's
/// `(size_t) luaL_optnumber(...)`.
fn wanted_arg(l: State) -> usize {
    let n = l.opt_number(2, DATAGRAMSIZE as f64);
    // x86-64's unsigned conversion takes NaN down the small-value path
    // (cvttsd2si: 2^63); `c_size` sends it down the other one.
    if n.is_nan() {
        1 << 63
    } else {
        c_size(n) as usize
    }
}

crate::lua_fn! {
    /// `receive([size])`: one datagram (an empty one, a closed object and an
    /// fd-less one all give `""`).
    fn receive(l) {
        let udp = check_any(l);
        let wanted = wanted_arg(l);
        recv_and_push(l, udp, wanted, false)
    }
}

crate::lua_fn! {
    /// `receivefrom([size])`: `data, ip, port` (int port).
    fn receivefrom(l) {
        let udp = check(l, UNCONNECTED);
        let wanted = wanted_arg(l);
        recv_and_push(l, udp, wanted, true)
    }
}

/// The sender of a datagram, formatted (receivefrom only).
type From = Option<(NameBuf, NameBuf)>;

/// Why a receive returns `nil, err`.
#[derive(Clone, Copy)]
enum Fail {
    /// the C core's failed malloc (or the host's allocator refusing ours)
    Oom,
    /// a transport code or errno (udp_strerror)
    Code(i32),
    /// getnameinfo of the sender (raw gai_strerror)
    Gai(i32),
}

/// Shared body of receive/receivefrom. Sizes up to `_DATAGRAMSIZE` use a
/// stack buffer (as the C core does); larger ones a buffer from the host's
/// memory no bigger than what arrived (see [`nudp::buffer_size`]).
fn recv_and_push(l: State, udp: &mut Udp, wanted: usize, with_from: bool) -> i32 {
    let fd = udp.fd;
    let tm = &mut udp.tm;
    if wanted <= DATAGRAMSIZE {
        let mut small = [0u8; DATAGRAMSIZE];
        let r = l.pure(|| {
            tm.mark_start();
            recv_into(fd, &mut small[..wanted], with_from, tm)
        });
        return match r {
            Ok((len, from)) => {
                l.push_bytes(&small[..len]);
                push_from(l, &from)
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
        let (len, from) = recv_into(fd, &mut room[..size], with_from, tm)?;
        out.commit(len);
        Ok(from)
    });
    match r {
        Ok(from) => {
            l.push_hostbuf(&mut out);
            push_from(l, &from)
        }
        Err(e) => {
            out.release();
            push_fail(l, e)
        }
    }
}

/// `socket_recv`/`socket_recvfrom` with udp.c's reading of the codes: a
/// zero-byte result (`CLOSED`, also on an fd-less object) is an empty
/// datagram. The sender is formatted like udp.c does (raw EAI code on
/// failure); on an fd-less object the address was never filled, and the C
/// core formats its untouched storage, which getnameinfo rejects as of an
/// unknown family: an empty, full-length address does the same.
fn recv_into(fd: Fd, buf: &mut [u8], with_from: bool, tm: &Timeout) -> Result<(usize, From), Fail> {
    let mut from = SockAddr::empty();
    let (n, err) = nudp::recv(fd, buf, with_from.then_some(&mut from), tm);
    if err != DONE && err != CLOSED {
        return Err(Fail::Code(err));
    }
    if !with_from {
        return Ok((n, None));
    }
    if from.len == 0 {
        from.len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    }
    match numeric(&from) {
        Ok(hp) => Ok((n, Some(hp))),
        Err(code) => Err(Fail::Gai(code)),
    }
}

/// After the data: the sender's numeric address and int port, if asked for.
fn push_from(l: State, from: &From) -> i32 {
    match from {
        None => 1,
        Some((host, port)) => {
            l.push_bytes(host.as_bytes());
            l.push_integer(nudp::port_number(port.as_bytes()));
            3
        }
    }
}

fn push_fail(l: State, e: Fail) -> i32 {
    match e {
        Fail::Oom => fail(l, b"out of memory"),
        Fail::Code(c) => fail(l, udp_strerror(c)),
        Fail::Gai(c) => fail(l, gai_strerror(c)),
    }
}

crate::socket::aux::fd_timeout_methods!(check_any, gettimeout);
