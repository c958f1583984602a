//! Unix datagram sockets (unixdgram.c): `unix.dgram()` and the classes
//! `unixdgram{unconnected}` and `unixdgram{connected}` (groups
//! `unixdgram{any}` and `select{able}`), one shared method list.
use super::attach;
use crate::lua::{One, Pushed, State};
use crate::net::errors::{self, ErrText};
use crate::net::options::{self as nopt, Opt};
use crate::net::sock::{self, Fd, SockAddr, INVALID};
use crate::net::timeout::Timeout;
use crate::net::unix as nunix;
use crate::socket::class::{self, Method};
use crate::socket::dgram::{self, Datagram};
use crate::socket::options::{self, Options};
use std::ffi::CStr;
use std::os::raw::c_int;

const CONNECTED: &CStr = c"unixdgram{connected}";
const UNCONNECTED: &CStr = c"unixdgram{unconnected}";
const ANY: &CStr = c"unixdgram{any}";

/// The userdata of every unix datagram object (plain data: `__gc` closes).
#[derive(Clone, Copy)]
pub struct UnixDgram {
    fd: Fd,
    tm: Timeout,
}

crate::socket::class::family!(UnixDgram, ANY);

impl Options for UnixDgram {
    const OPTIONS: &'static [Opt] = nopt::UNIX_DGRAM;
}

impl Datagram for UnixDgram {
    const CONNECTED: &'static CStr = CONNECTED;
    const UNCONNECTED: &'static CStr = UNCONNECTED;
    type Sender = SockAddr;
    fn sender(addr: SockAddr) -> errors::Result<SockAddr> {
        Ok(addr)
    }
    /// The sender's path (`""` for an unbound sender).
    fn push_sender(l: State<'_>, from: &SockAddr) -> c_int {
        l.push_bytes(nunix::path_of(from));
        1
    }
    fn send(fd: Fd, data: &[u8], tm: &Timeout) -> errors::Result<usize> {
        sock::send(fd, data, None, 0, tm)
    }
}

/// unixdgram.c's method list, in its order.
const METHODS: &[Method] = &[
    (c"__gc", class::close::<UnixDgram>),
    (c"__tostring", class::tostring),
    (c"bind", bind),
    (c"close", class::close::<UnixDgram>),
    (c"connect", connect),
    (c"dirty", class::never_dirty::<UnixDgram>),
    (c"getfd", class::getfd::<UnixDgram>),
    (c"send", dgram::send::<UnixDgram>),
    (c"sendto", sendto),
    (c"receive", dgram::receive::<UnixDgram>),
    (c"receivefrom", dgram::receivefrom::<UnixDgram>),
    (c"setfd", class::setfd::<UnixDgram>),
    (c"setoption", options::set::<UnixDgram>),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"getsockname", super::getsockname::<UnixDgram>),
    (c"settimeout", class::settimeout::<UnixDgram>),
    (c"gettimeout", class::gettimeout::<UnixDgram>),
];

/// `unixdgram_open`: the classes, their groups and `dgram` (into the table
/// on top).
pub fn open(l: State<'_>) {
    class::new_family(
        l,
        &[CONNECTED, UNCONNECTED],
        &[ANY, c"select{able}"],
        METHODS,
    );
    l.set_funcs(&[(c"dgram", create)], 0);
}

crate::lua_fn! {
    /// `unix.dgram()`: the socket exists from the start.
    /// The userdata comes first (classless until it holds the socket), so
    /// a refused allocation cannot leak the descriptor (the C core's does).
    fn create(l) -> Result<Pushed, ErrText> {
        let obj = l.new_userdata(UnixDgram { fd: INVALID, tm: Timeout::default() });
        obj.fd = l.pure(|| nunix::create(libc::SOCK_DGRAM))?;
        class::set_class(l, UNCONNECTED, -1);
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    fn bind(l) -> Result<One, ErrText> {
        let d = class::check::<UnixDgram>(l, UNCONNECTED);
        let path = l.check_cstr(2);
        l.pure(|| attach(&mut d.fd, &mut d.tm, path, false))?;
        Ok(One)
    }
}

crate::lua_fn! {
    /// Either class; success makes it connected (there is no way back).
    fn connect(l) -> Result<One, ErrText> {
        let d = class::check_any::<UnixDgram>(l);
        let path = l.check_cstr(2);
        l.pure(|| attach(&mut d.fd, &mut d.tm, path, true))?;
        class::set_class(l, CONNECTED, 1);
        Ok(One)
    }
}

crate::lua_fn! {
    fn sendto(l) -> Result<f64, ErrText> {
        let d = class::check::<UnixDgram>(l, UNCONNECTED);
        let data = l.check_bytes(2);
        let path = l.check_cstr(3);
        let r = l.pure(|| {
            let to = nunix::address(path)?;
            d.tm.begin();
            Some(sock::send(d.fd, data, Some(&to), 0, &d.tm))
        });
        match r {
            Some(r) => dgram::sent(r),
            None => Err(ErrText::new(b"path too long")),
        }
    }
}
