//! Unix stream sockets (unixstream.c): `unix.stream()` and the classes
//! `unixstream{master}`, `unixstream{client}`, `unixstream{server}` (group
//! `unixstream{any}`, not selectable by class), one shared method list.
use super::attach;
use crate::lua::{One, Pushed, State};
use crate::net::buffer::StreamBuf;
use crate::net::cast::c_int;
use crate::net::errors::ErrText;
use crate::net::options::{self as nopt, Opt};
use crate::net::sock::{self, Fd};
use crate::net::timeout::Timeout;
use crate::net::unix::{self as nunix, StreamIo};
use crate::socket::class::{self, Method};
use crate::socket::options::{self, Options};
use crate::socket::stream;
use std::ffi::CStr;

const MASTER: &CStr = c"unixstream{master}";
const CLIENT: &CStr = c"unixstream{client}";
const SERVER: &CStr = c"unixstream{server}";
const ANY: &CStr = c"unixstream{any}";

/// The userdata of unix stream objects (unix.h's `t_unix` minus the io
/// vtable; plain data, the read area is a Lua object attached to it).
#[derive(Clone, Copy)]
pub struct UnixStream {
    fd: Fd,
    tm: Timeout,
    buf: StreamBuf,
}

impl UnixStream {
    fn new(fd: Fd) -> UnixStream {
        UnixStream {
            fd,
            tm: Timeout::default(),
            buf: StreamBuf::new(),
        }
    }
}

crate::socket::stream::stream_family!(UnixStream, ANY, CLIENT, StreamIo);

impl Options for UnixStream {
    const OPTIONS: &'static [Opt] = nopt::UNIX_STREAM;
}

/// unixstream.c's method list, in its order.
const METHODS: &[Method] = &[
    (c"__gc", class::close::<UnixStream>),
    (c"__tostring", class::tostring),
    (c"accept", accept),
    (c"bind", bind),
    (c"close", class::close::<UnixStream>),
    (c"connect", connect),
    (c"dirty", stream::dirty::<UnixStream>),
    (c"getfd", class::getfd::<UnixStream>),
    (c"getstats", stream::getstats::<UnixStream>),
    (c"setstats", stream::setstats::<UnixStream>),
    (c"listen", listen),
    (c"receive", stream::receive::<UnixStream>),
    (c"send", stream::send::<UnixStream>),
    (c"setfd", class::setfd::<UnixStream>),
    (c"setoption", options::set::<UnixStream>),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"getsockname", super::getsockname::<UnixStream>),
    (c"settimeout", class::settimeout::<UnixStream>),
    (c"shutdown", stream::shutdown::<UnixStream>),
];

/// `unixstream_open`: the classes and `stream` (into the table on top).
pub fn open(l: State<'_>) {
    class::new_family(l, &[MASTER, CLIENT, SERVER], &[ANY], METHODS);
    l.set_funcs(&[(c"stream", create)], 0);
}

crate::lua_fn! {
    /// `unix.stream()`: the socket exists from the start.
    /// The userdata comes first (classless until it holds the socket), so
    /// a refused allocation cannot leak the descriptor (the C core's does).
    fn create(l) -> Result<Pushed, ErrText> {
        let obj = l.new_userdata(UnixStream::new(sock::INVALID));
        let fd = l.pure(|| nunix::create(libc::SOCK_STREAM))?;
        *obj = UnixStream::new(fd);
        class::set_class(l, MASTER, -1);
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    fn bind(l) -> Result<One, ErrText> {
        let s = class::check::<UnixStream>(l, MASTER);
        let path = l.check_cstr(2);
        l.pure(|| attach(&mut s.fd, &mut s.tm, path, false))?;
        Ok(One)
    }
}

crate::lua_fn! {
    /// Master only; success makes it a client.
    fn connect(l) -> Result<One, ErrText> {
        let s = class::check::<UnixStream>(l, MASTER);
        let path = l.check_cstr(2);
        l.pure(|| attach(&mut s.fd, &mut s.tm, path, true))?;
        class::set_class(l, CLIENT, 1);
        Ok(One)
    }
}

crate::lua_fn! {
    fn listen(l) -> Result<One, ErrText> {
        let s = class::check::<UnixStream>(l, MASTER);
        let backlog = c_int(l.opt_number(2, 32.0));
        l.pure(|| sock::listen(s.fd, backlog))?;
        class::set_class(l, SERVER, 1);
        Ok(One)
    }
}

crate::lua_fn! {
    /// The client's userdata is made before accept(2), as in `create`.
    fn accept(l) -> Result<Pushed, ErrText> {
        let server = class::check::<UnixStream>(l, SERVER);
        let obj = l.new_userdata(UnixStream::new(sock::INVALID));
        let fd = l.pure(|| {
            server.tm.begin();
            sock::accept(server.fd, &server.tm)
        })?;
        *obj = UnixStream::new(fd);
        class::set_class(l, CLIENT, -1);
        Ok(Pushed(1))
    }
}
