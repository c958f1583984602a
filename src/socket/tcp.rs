//! TCP objects (the C core's tcp.c): `socket.tcp/tcp4/tcp6/connect` and the
//! classes `tcp{master}`, `tcp{client}`, `tcp{server}` (group `tcp{any}`),
//! which share one userdata layout and one full method list; each method
//! checks the class it accepts at call time.
use super::class::{self, Method};
use super::inet::{self, Inet};
use super::options::{self, Options};
use super::stream;
use crate::lua::{One, Pushed, State};
use crate::net::buffer::{FdIo, StreamBuf};
use crate::net::cast::c_int;
use crate::net::errors::ErrText;
use crate::net::inet as ninet;
use crate::net::options::{self as nopt, Opt};
use crate::net::resolve::Hints;
use crate::net::sock::{self, Fd, INVALID};
use crate::net::timeout::Timeout;
use std::ffi::CStr;

const MASTER: &CStr = c"tcp{master}";
const CLIENT: &CStr = c"tcp{client}";
const SERVER: &CStr = c"tcp{server}";
const ANY: &CStr = c"tcp{any}";

/// The userdata of every tcp object (plain data; the read area is a Lua
/// object attached to it).
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

crate::socket::stream::stream_family!(Tcp, ANY, CLIENT, FdIo);

impl Inet for Tcp {
    const PEER: Option<&'static CStr> = None;
    fn family(&mut self) -> &mut i32 {
        &mut self.family
    }
}

impl Options for Tcp {
    const OPTIONS: &'static [Opt] = nopt::TCP;
}

/// tcp.c's method list, in its order.
const METHODS: &[Method] = &[
    (c"__gc", class::close::<Tcp>),
    (c"__tostring", class::tostring),
    #[cfg(feature = "lua54")]
    (c"__close", class::close::<Tcp>),
    (c"accept", accept),
    (c"bind", bind),
    (c"close", class::close::<Tcp>),
    (c"connect", connect),
    (c"dirty", stream::dirty::<Tcp>),
    (c"getfamily", inet::getfamily::<Tcp>),
    (c"getfd", class::getfd::<Tcp>),
    (c"getoption", options::get::<Tcp>),
    (c"getpeername", inet::getpeername::<Tcp>),
    (c"getsockname", inet::getsockname::<Tcp>),
    (c"getstats", stream::getstats::<Tcp>),
    (c"setstats", stream::setstats::<Tcp>),
    (c"listen", listen),
    (c"receive", stream::receive::<Tcp>),
    (c"send", stream::send::<Tcp>),
    (c"setfd", class::setfd::<Tcp>),
    (c"setoption", options::set::<Tcp>),
    (c"setpeername", connect),
    (c"setsockname", bind),
    (c"settimeout", class::settimeout::<Tcp>),
    (c"gettimeout", class::gettimeout::<Tcp>),
    (c"shutdown", stream::shutdown::<Tcp>),
];

/// `tcp_open`: the three classes, their group, and the namespace functions
/// (into the table on top).
pub fn open(l: State) {
    class::new_family(l, &[MASTER, CLIENT, SERVER], &[ANY], METHODS);
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

/// `tcp_create`: an unspec object owns no descriptor until bind/connect.
fn create(l: State<'_>, family: i32) -> Result<Pushed, ErrText> {
    let tcp = l.new_userdata(l.pure(|| Tcp::new(family)));
    class::set_class(l, MASTER, -1);
    if family != libc::AF_UNSPEC {
        l.pure(|| ninet::try_create(&mut tcp.fd, family, libc::SOCK_STREAM, 0))?;
    }
    Ok(Pushed(1))
}

crate::lua_fn! { fn global_tcp(l) -> Result<Pushed, ErrText> { create(l, libc::AF_UNSPEC) } }
crate::lua_fn! { fn global_tcp4(l) -> Result<Pushed, ErrText> { create(l, libc::AF_INET) } }
crate::lua_fn! { fn global_tcp6(l) -> Result<Pushed, ErrText> { create(l, libc::AF_INET6) } }

crate::lua_fn! {
    /// `socket.connect(address, port [, locaddr [, locport [, family]]])`
    fn global_connect(l) -> Result<Pushed, ErrText> {
        let raddr = l.check_cstr(1);
        let rserv = l.check_cstr(2);
        let laddr = l.opt_cstr(3);
        let lserv = l.opt_cstr(4).unwrap_or(c"0");
        let family = match l.check_option(5, Some(c"unspec"), &[c"unspec", c"inet", c"inet6"]) {
            1 => libc::AF_INET,
            2 => libc::AF_INET6,
            _ => libc::AF_UNSPEC,
        };
        let tcp = l.new_userdata(l.pure(|| Tcp::new(libc::AF_UNSPEC)));
        l.pure(|| {
            if let Some(laddr) = laddr {
                let hints = Hints { family, socktype: libc::SOCK_STREAM, flags: libc::AI_PASSIVE };
                // the C core leaks this descriptor; closing it is invisible
                ninet::try_bind(&mut tcp.fd, &mut tcp.family, laddr, lserv, hints)
                    .inspect_err(|_| sock::destroy(&mut tcp.fd))?;
            }
            let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: 0 };
            ninet::try_connect(&mut tcp.fd, &mut tcp.family, raddr, rserv, &mut tcp.tm, hints)
                .inspect_err(|_| sock::destroy(&mut tcp.fd))
        })?;
        class::set_class(l, CLIENT, -1);
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    /// The client's userdata exists before accept(2) (classless until it
    /// holds the descriptor): if Lua cannot allocate it, the error is
    /// raised while the connection still waits in the backlog, instead of
    /// leaking an accepted descriptor (as the C core does). It is written
    /// afresh after accept, so getstats' age counts from there.
    fn accept(l) -> Result<Pushed, ErrText> {
        let server = class::check::<Tcp>(l, SERVER);
        let family = server.family;
        let client = l.new_userdata(Tcp::new(family));
        let fd = l.pure(|| {
            server.tm.begin();
            sock::accept(server.fd, &server.tm)
        })?;
        *client = Tcp { fd, ..Tcp::new(family) };
        class::set_class(l, CLIENT, -1);
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    fn bind(l) -> Result<One, ErrText> {
        let tcp = class::check::<Tcp>(l, MASTER);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: libc::AI_PASSIVE };
        l.pure(|| ninet::try_bind(&mut tcp.fd, &mut tcp.family, address, port, hints))?;
        Ok(One)
    }
}

crate::lua_fn! {
    fn connect(l) -> Result<One, ErrText> {
        let tcp = class::check_any::<Tcp>(l);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: tcp.family, socktype: libc::SOCK_STREAM, flags: 0 };
        let err = l.pure(|| {
            tcp.tm.mark_start();
            ninet::try_connect(&mut tcp.fd, &mut tcp.family, address, port, &mut tcp.tm, hints)
        });
        // the class changes whatever the outcome
        class::set_class(l, CLIENT, 1);
        err?;
        Ok(One)
    }
}

crate::lua_fn! {
    fn listen(l) -> Result<One, ErrText> {
        let tcp = class::check::<Tcp>(l, MASTER);
        let backlog = c_int(l.opt_number(2, 32.0));
        l.pure(|| sock::listen(tcp.fd, backlog))?;
        class::set_class(l, SERVER, 1);
        Ok(One)
    }
}
