//! UDP objects (the C core's udp.c): `socket.udp/udp4/udp6` and the classes
//! `udp{unconnected}` and `udp{connected}` (groups `udp{any}` and
//! `select{able}`), which share one userdata layout and one method list;
//! each method checks the class it accepts at call time.
use super::class::{self, Method};
use super::dgram::{self, Datagram};
use super::inet::{self, Inet};
use super::options::{self, Options};
use crate::lua::{One, Pushed, State};
use crate::net::errors::{self, ErrText};
use crate::net::inet as ninet;
use crate::net::options::{self as nopt, Opt};
use crate::net::resolve::{sender_name, Hints, NameBuf, INET6_ADDRSTRLEN};
use crate::net::sock::{self, Fd, SockAddr, INVALID};
use crate::net::timeout::Timeout;
use crate::net::udp::{self as nudp};
use std::ffi::CStr;
use std::os::raw::c_int;

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

crate::socket::class::family!(Udp, ANY);

impl Inet for Udp {
    const PEER: Option<&'static CStr> = Some(CONNECTED);
    fn family(&mut self) -> &mut i32 {
        &mut self.family
    }
}

impl Options for Udp {
    const OPTIONS: &'static [Opt] = nopt::UDP;
}

impl Datagram for Udp {
    const CONNECTED: &'static CStr = CONNECTED;
    const UNCONNECTED: &'static CStr = UNCONNECTED;
    type Sender = (NameBuf<INET6_ADDRSTRLEN>, i64);
    /// The numeric host and port, formatted like udp.c does (plain
    /// gai_strerror on failure); on an fd-less object the address was never
    /// filled, and the C core formats its untouched storage, which
    /// getnameinfo rejects as of an unknown family, as it does our
    /// `no_address`.
    fn sender(addr: SockAddr) -> errors::Result<Self::Sender> {
        sender_name(&addr)
    }
    fn push_sender(l: State<'_>, (host, port): &Self::Sender) -> c_int {
        l.push_bytes(host.as_bytes());
        l.push_integer(*port);
        2
    }
    fn send(fd: Fd, data: &[u8], tm: &Timeout) -> errors::Result<usize> {
        sock::send(fd, data, None, sock::NOSIGNAL, tm)
    }
}

/// udp.c's method list, in its order.
const METHODS: &[Method] = &[
    (c"__gc", class::close::<Udp>),
    (c"__tostring", class::tostring),
    #[cfg(feature = "lua54")]
    (c"__close", class::close::<Udp>),
    (c"close", class::close::<Udp>),
    (c"dirty", class::never_dirty::<Udp>),
    (c"getfamily", inet::getfamily::<Udp>),
    (c"getfd", class::getfd::<Udp>),
    (c"getpeername", inet::getpeername::<Udp>),
    (c"getsockname", inet::getsockname::<Udp>),
    (c"receive", dgram::receive::<Udp>),
    (c"receivefrom", dgram::receivefrom::<Udp>),
    (c"send", dgram::send::<Udp>),
    (c"sendto", sendto),
    (c"setfd", class::setfd::<Udp>),
    (c"setoption", options::set::<Udp>),
    (c"getoption", options::get::<Udp>),
    (c"setpeername", setpeername),
    (c"setsockname", setsockname),
    (c"settimeout", class::settimeout::<Udp>),
    (c"gettimeout", class::gettimeout::<Udp>),
];

/// `udp_open`: the two classes, their groups, and the namespace functions
/// (into the table on top; `_DATAGRAMSIZE` follows in `socket::open`).
pub fn open(l: State<'_>) {
    class::new_family(
        l,
        &[CONNECTED, UNCONNECTED],
        &[ANY, c"select{able}"],
        METHODS,
    );
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
fn create(l: State<'_>, family: i32) -> Result<Pushed, ErrText> {
    let udp = l.new_userdata(Udp {
        fd: INVALID,
        family,
        tm: Timeout::default(),
    });
    class::set_class(l, UNCONNECTED, -1);
    if family != libc::AF_UNSPEC {
        l.pure(|| ninet::try_create(&mut udp.fd, family, libc::SOCK_DGRAM, 0))?;
    }
    Ok(Pushed(1))
}

crate::lua_fn! { fn global_udp(l) -> Result<Pushed, ErrText> { create(l, libc::AF_UNSPEC) } }
crate::lua_fn! { fn global_udp4(l) -> Result<Pushed, ErrText> { create(l, libc::AF_INET) } }
crate::lua_fn! { fn global_udp6(l) -> Result<Pushed, ErrText> { create(l, libc::AF_INET6) } }

crate::lua_fn! {
    /// `setpeername("*")` dissolves the association and never fails;
    /// otherwise connect like tcp (class unchanged on failure).
    fn setpeername(l) -> Result<One, ErrText> {
        let udp = class::check_any::<Udp>(l);
        let address = l.check_cstr(2);
        let connecting = address.to_bytes() != b"*";
        let port = if connecting { l.check_cstr(3) } else { c"0" };
        if !connecting {
            l.pure(|| nudp::disconnect(udp.fd, udp.family, &udp.tm));
            class::set_class(l, UNCONNECTED, 1);
            return Ok(One);
        }
        let hints = Hints { family: udp.family, socktype: libc::SOCK_DGRAM, flags: 0 };
        l.pure(|| ninet::try_connect(&mut udp.fd, &mut udp.family, address, port, &mut udp.tm, hints))?;
        class::set_class(l, CONNECTED, 1);
        Ok(One)
    }
}

crate::lua_fn! {
    fn setsockname(l) -> Result<One, ErrText> {
        let udp = class::check::<Udp>(l, UNCONNECTED);
        let address = l.check_cstr(2);
        let port = l.check_cstr(3);
        let hints = Hints { family: udp.family, socktype: libc::SOCK_DGRAM, flags: libc::AI_PASSIVE };
        l.pure(|| ninet::try_bind(&mut udp.fd, &mut udp.family, address, port, hints))?;
        Ok(One)
    }
}

crate::lua_fn! {
    fn sendto(l) -> Result<f64, ErrText> {
        let udp = class::check::<Udp>(l, UNCONNECTED);
        let data = l.check_bytes(2);
        let ip = l.check_cstr(3);
        let port = l.check_cstr(4);
        let r = l.pure(|| {
            let (family, addr) = nudp::numeric_dest(ip, port, udp.family)?;
            // the first sendto of an unspec object creates its socket
            if udp.family == libc::AF_UNSPEC && udp.fd == INVALID {
                ninet::try_create(&mut udp.fd, family, libc::SOCK_DGRAM, 0)?;
                udp.family = family;
            }
            udp.tm.begin();
            sock::send(udp.fd, data, Some(&addr), sock::NOSIGNAL, &udp.tm)
        });
        dgram::sent(r)
    }
}
