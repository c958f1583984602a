//! Unix stream sockets (unixstream.c): `unix.stream()` and the classes
//! `unixstream{master}`, `unixstream{client}`, `unixstream{server}` (group
//! `unixstream{any}`, not selectable by class), one shared method list.
use super::{attach, err_text, fail, object, push_one, Stream};
use crate::lua::State;
use crate::net::cast::c_int;
use crate::net::errors::socket_strerror;
use crate::net::sock;
use crate::net::unix::{self as nunix, StreamIo};
use crate::socket::aux::{self, Method};
use crate::socket::{buffer, options};
use std::ffi::CStr;

const MASTER: &CStr = c"unixstream{master}";
const CLIENT: &CStr = c"unixstream{client}";
const SERVER: &CStr = c"unixstream{server}";
const ANY: &CStr = c"unixstream{any}";

fn check<'a>(l: State, class: &CStr) -> &'a mut Stream {
    object(l, class, false)
}

fn check_any<'a>(l: State) -> &'a mut Stream {
    object(l, ANY, true)
}

const METHODS: &[Method] = &[
    (c"__gc", close),
    (c"__tostring", aux::tostring),
    (c"accept", accept),
    (c"bind", bind),
    (c"close", close),
    (c"connect", connect),
    (c"dirty", dirty),
    (c"getfd", getfd),
    (c"getstats", getstats),
    (c"setstats", setstats),
    (c"listen", listen),
    (c"receive", receive),
    (c"send", send),
    (c"setfd", setfd),
    (c"setoption", setoption),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"getsockname", getsockname),
    (c"settimeout", settimeout),
    (c"shutdown", shutdown),
];

/// `unixstream_open`: the classes and `stream` (into the table on top).
pub fn open(l: State) {
    for class in [MASTER, CLIENT, SERVER] {
        aux::new_class(l, class, METHODS);
    }
    for class in [MASTER, CLIENT, SERVER] {
        aux::add_to_group(l, class, ANY);
    }
    l.set_funcs(&[(c"stream", create)], 0);
}

crate::lua_fn! {
    /// `unix.stream()`: the socket exists from the start.
    fn create(l) {
        match l.pure(|| nunix::create(libc::SOCK_STREAM)) {
            Ok(fd) => {
                l.new_userdata(l.pure(|| Stream::new(fd)));
                aux::set_class(l, MASTER, -1);
                1
            }
            Err(e) => fail(l, err_text(e)),
        }
    }
}

crate::lua_fn! {
    fn bind(l) {
        let s = check(l, MASTER);
        let path = l.check_cstr(2);
        match l.pure(|| attach(&mut s.fd, &mut s.tm, path, false)) {
            Ok(()) => push_one(l),
            Err(e) => fail(l, e),
        }
    }
}

crate::lua_fn! {
    /// Master only; success makes it a client.
    fn connect(l) {
        let s = check(l, MASTER);
        let path = l.check_cstr(2);
        match l.pure(|| attach(&mut s.fd, &mut s.tm, path, true)) {
            Ok(()) => {
                aux::set_class(l, CLIENT, 1);
                push_one(l)
            }
            Err(e) => fail(l, e),
        }
    }
}

crate::lua_fn! {
    fn listen(l) {
        let s = check(l, MASTER);
        let backlog = c_int(l.opt_number(2, 32.0));
        match socket_strerror(l.pure(|| sock::listen(s.fd, backlog))) {
            Some(e) => fail(l, e),
            None => {
                aux::set_class(l, SERVER, 1);
                push_one(l)
            }
        }
    }
}

crate::lua_fn! {
    fn accept(l) {
        let server = check(l, SERVER);
        let res = l.pure(|| {
            server.tm.mark_start();
            sock::accept(server.fd, &server.tm).map(Stream::new)
        });
        match res {
            Ok(c) => {
                l.new_userdata(c);
                aux::set_class(l, CLIENT, -1);
                1
            }
            Err(e) => fail(l, err_text(e)),
        }
    }
}

crate::lua_fn! {
    fn close(l) {
        let s = check_any(l);
        l.pure(|| sock::destroy(&mut s.fd));
        push_one(l)
    }
}

crate::lua_fn! {
    fn dirty(l) {
        let s = check_any(l);
        l.push_bool(!s.buf.is_empty());
        1
    }
}

crate::lua_fn! {
    fn setoption(l) {
        let s = check_any(l);
        options::setoption(l, nunix::STREAM_SET, s.fd)
    }
}

crate::lua_fn! {
    /// The bound path (`""` when unnamed), or `nil, err`.
    fn getsockname(l) {
        let fd = check_any(l).fd;
        super::getsockname(l, fd)
    }
}

crate::lua_fn! {
    fn getstats(l) {
        let s = check(l, CLIENT);
        buffer::getstats(l, &s.buf.stats)
    }
}

crate::lua_fn! {
    fn setstats(l) {
        let s = check(l, CLIENT);
        buffer::setstats(l, &mut s.buf.stats)
    }
}

crate::lua_fn! {
    fn receive(l) {
        let s = check(l, CLIENT);
        let mut io = StreamIo(s.fd);
        buffer::receive(l, &mut s.buf, &mut s.tm, &mut io)
    }
}

crate::lua_fn! {
    fn send(l) {
        let s = check(l, CLIENT);
        let mut io = StreamIo(s.fd);
        buffer::send(l, &mut s.buf.stats, &mut s.tm, &mut io)
    }
}

crate::lua_fn! {
    fn shutdown(l) {
        let s = check(l, CLIENT);
        let how = match l.check_option(2, Some(c"both"), &[c"receive", c"send", c"both"]) {
            0 => libc::SHUT_RD,
            1 => libc::SHUT_WR,
            _ => libc::SHUT_RDWR,
        };
        let fd = s.fd;
        l.pure(|| sock::shutdown(fd, how));
        push_one(l)
    }
}

crate::socket::aux::fd_timeout_methods!(check_any);
