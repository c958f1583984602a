//! TCP objects (the C core's tcp.c): `socket.tcp/tcp4/tcp6/connect` and the
//! classes `tcp{master}`, `tcp{client}`, `tcp{server}` (group `tcp{any}`),
//! which share one userdata layout and one full method list; each method
//! checks the class it accepts at call time.
use super::aux::{self, Method};
use super::{buffer, inet, options};
use crate::lua::State;
use crate::net::buffer::{FdIo, StreamBuf};
use crate::net::cast::c_int;
use crate::net::errors::socket_strerror;
use crate::net::inet as ninet;
use crate::net::options::{TCP_GET, TCP_SET};
use crate::net::resolve::Hints;
use crate::net::sock::{self, Fd, INVALID};
use crate::net::timeout::Timeout;
use std::ffi::CStr;

const MASTER: &CStr = c"tcp{master}";
const CLIENT: &CStr = c"tcp{client}";
const SERVER: &CStr = c"tcp{server}";
const ANY: &CStr = c"tcp{any}";

/// The userdata of every tcp object (plain data: `__gc` releases the fd and
/// the lazily allocated read buffer).
#[derive(Clone, Copy)]
pub struct Tcp {
    pub fd: Fd,
    pub family: i32,
    pub tm: Timeout,
    pub buf: StreamBuf,
}

impl Tcp {
    fn new(family: i32) -> Tcp {
        Tcp {
            fd: INVALID,
            family,
            tm: Timeout::default(),
            buf: StreamBuf::new(),
        }
    }
}

/// The object at 1 if it is of class `class`, else the class error.
fn check<'a>(l: State, class: &CStr) -> &'a mut Tcp {
    aux::check_class::<Tcp>(l, class, 1);
    layout(l, class)
}

/// The object at 1 if it is in `tcp{any}`, else the group error.
fn check_any<'a>(l: State) -> &'a mut Tcp {
    aux::check_group::<Tcp>(l, ANY, 1);
    layout(l, ANY)
}

fn layout<'a>(l: State, name: &CStr) -> &'a mut Tcp {
    match l.userdata_mut::<Tcp>(1) {
        Some(t) => t,
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

const METHODS: &[Method] = &[
    (c"__gc", close),
    (c"__tostring", aux::tostring),
    #[cfg(feature = "lua54")]
    (c"__close", close),
    (c"accept", accept),
    (c"bind", bind),
    (c"close", close),
    (c"connect", connect),
    (c"dirty", dirty),
    (c"getfamily", getfamily),
    (c"getfd", getfd),
    (c"getoption", getoption),
    (c"getpeername", getpeername),
    (c"getsockname", getsockname),
    (c"getstats", getstats),
    (c"setstats", setstats),
    (c"listen", listen),
    (c"receive", receive),
    (c"send", send),
    (c"setfd", setfd),
    (c"setoption", setoption),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"settimeout", settimeout),
    (c"gettimeout", gettimeout),
    (c"shutdown", shutdown),
];

/// `tcp_open`: the three classes, their group, and the namespace functions
/// (into the table on top).
pub fn open(l: State) {
    for class in [MASTER, CLIENT, SERVER] {
        aux::new_class(l, class, METHODS);
    }
    for class in [MASTER, CLIENT, SERVER] {
        aux::add_to_group(l, class, ANY);
    }
    l.set_funcs(
        &[
            (c"tcp", global_tcp),
            (c"tcp4", global_tcp4),
            (c"tcp6", global_tcp6),
            (c"connect", global_connect),
        ],
        0,
    );
}

fn create(l: State, family: i32) -> i32 {
    l.new_userdata(l.pure(|| Tcp::new(family)));
    aux::set_class(l, MASTER, -1);
    if family != libc::AF_UNSPEC {
        if let Some(tcp) = l.userdata_mut::<Tcp>(-1) {
            if let Some(e) = l.pure(|| ninet::try_create(&mut tcp.fd, family, libc::SOCK_STREAM, 0))
            {
                return fail(l, e);
            }
        }
    }
    1
}

crate::lua_fn! { fn global_tcp(l) { create(l, libc::AF_UNSPEC) } }
crate::lua_fn! { fn global_tcp4(l) { create(l, libc::AF_INET) } }
crate::lua_fn! { fn global_tcp6(l) { create(l, libc::AF_INET6) } }

crate::lua_fn! {
    /// `socket.connect(address, port [, locaddr [, locport [, family]]])`
    fn global_connect(l) {
        let raddr = l.check_cstr(1);
        let rserv = l.check_cstr(2);
        let laddr = l.opt_cstr(3);
        let lserv = l.opt_cstr(4).unwrap_or(c"0");
        let family = match l.check_option(5, Some(c"unspec"), &[c"unspec", c"inet", c"inet6"]) {
            1 => libc::AF_INET,
            2 => libc::AF_INET6,
            _ => libc::AF_UNSPEC,
        };
        l.new_userdata(l.pure(|| Tcp::new(libc::AF_UNSPEC)));
        let Some(tcp) = l.userdata_mut::<Tcp>(-1) else { return 0 };
        let err = l.pure(|| {
            if let Some(laddr) = laddr {
                let hints = Hints { family, socktype: libc::SOCK_STREAM, flags: libc::AI_PASSIVE };
                if let Some(e) = ninet::try_bind(&mut tcp.fd, &mut tcp.family, laddr, lserv, hints) {
                    // the C core leaks this descriptor; closing it is invisible
                    sock::destroy(&mut tcp.fd);
                    return Some(e);
                }
            }
            let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: 0 };
            let e = ninet::try_connect(&mut tcp.fd, &mut tcp.family, raddr, rserv, &mut tcp.tm, hints);
            if e.is_some() {
                sock::destroy(&mut tcp.fd);
            }
            e
        });
        if let Some(e) = err {
            return fail(l, e);
        }
        aux::set_class(l, CLIENT, -1);
        1
    }
}

crate::lua_fn! {
    fn accept(l) {
        let server = check(l, SERVER);
        let res = l.pure(|| {
            server.tm.mark_start();
            ninet::try_accept(server.fd, &server.tm).map(|fd| {
                let mut c = Tcp::new(server.family);
                c.fd = fd;
                c
            })
        });
        match res {
            Ok(c) => {
                l.new_userdata(c);
                aux::set_class(l, CLIENT, -1);
                1
            }
            Err(e) => fail(l, e),
        }
    }
}

crate::lua_fn! {
    fn bind(l) {
        let tcp = check(l, MASTER);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: libc::AI_PASSIVE };
        match l.pure(|| ninet::try_bind(&mut tcp.fd, &mut tcp.family, address, port, hints)) {
            Some(e) => fail(l, e),
            None => {
                l.push_number(1.0);
                1
            }
        }
    }
}

crate::lua_fn! {
    fn connect(l) {
        let tcp = check_any(l);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: 0 };
        let err = l.pure(|| {
            tcp.tm.mark_start();
            ninet::try_connect(&mut tcp.fd, &mut tcp.family, address, port, &mut tcp.tm, hints)
        });
        // the class changes whatever the outcome
        aux::set_class(l, CLIENT, 1);
        match err {
            Some(e) => fail(l, e),
            None => {
                l.push_number(1.0);
                1
            }
        }
    }
}

crate::lua_fn! {
    fn close(l) {
        let tcp = check_any(l);
        l.pure(|| sock::destroy(&mut tcp.fd));
        l.push_number(1.0);
        1
    }
}

crate::lua_fn! {
    fn dirty(l) {
        let tcp = check_any(l);
        l.push_bool(!tcp.buf.is_empty());
        1
    }
}

crate::lua_fn! {
    fn getfamily(l) {
        let tcp = check_any(l);
        l.push_str(if tcp.family == libc::AF_INET6 { "inet6" } else { "inet4" });
        1
    }
}

crate::lua_fn! {
    fn getoption(l) {
        let tcp = check_any(l);
        options::getoption(l, TCP_GET, tcp.fd)
    }
}

crate::lua_fn! {
    fn setoption(l) {
        let tcp = check_any(l);
        options::setoption(l, TCP_SET, tcp.fd)
    }
}

crate::lua_fn! {
    fn getpeername(l) {
        let tcp = check_any(l);
        inet::getname(l, tcp.fd, tcp.family, true)
    }
}

crate::lua_fn! {
    fn getsockname(l) {
        let tcp = check_any(l);
        inet::getname(l, tcp.fd, tcp.family, false)
    }
}

crate::lua_fn! {
    fn getstats(l) {
        let tcp = check(l, CLIENT);
        buffer::getstats(l, &tcp.buf.stats)
    }
}

crate::lua_fn! {
    fn setstats(l) {
        let tcp = check(l, CLIENT);
        buffer::setstats(l, &mut tcp.buf.stats)
    }
}

crate::lua_fn! {
    fn listen(l) {
        let tcp = check(l, MASTER);
        let backlog = c_int(l.opt_number(2, 32.0));
        let err = l.pure(|| sock::listen(tcp.fd, backlog));
        match socket_strerror(err) {
            Some(e) => fail(l, e),
            None => {
                aux::set_class(l, SERVER, 1);
                l.push_number(1.0);
                1
            }
        }
    }
}

crate::lua_fn! {
    fn receive(l) {
        let tcp = check(l, CLIENT);
        let mut io = FdIo(tcp.fd);
        buffer::receive(l, &mut tcp.buf, &mut tcp.tm, &mut io)
    }
}

crate::lua_fn! {
    fn send(l) {
        let tcp = check(l, CLIENT);
        let mut io = FdIo(tcp.fd);
        buffer::send(l, &mut tcp.buf.stats, &mut tcp.tm, &mut io)
    }
}

crate::lua_fn! {
    fn shutdown(l) {
        let tcp = check(l, CLIENT);
        let how = match l.check_option(2, Some(c"both"), &[c"receive", c"send", c"both"]) {
            0 => libc::SHUT_RD,
            1 => libc::SHUT_WR,
            _ => libc::SHUT_RDWR,
        };
        l.pure(|| sock::shutdown(tcp.fd, how));
        l.push_number(1.0);
        1
    }
}

crate::socket::aux::fd_timeout_methods!(check_any, gettimeout);
