//! The address-family methods of the inet families (tcp, udp), written once
//! (inet.c's `inet_meth_*`): getsockname/getpeername results and getfamily.
use crate::lua::{Pushed, State};
use crate::net::errors::ErrText;
use crate::net::inet::{family_name, get_name};
use crate::net::resolve::port_number;
use crate::socket::class::{check, check_any, Family};
use std::ffi::CStr;

/// A family of inet sockets: its record keeps the address family.
pub trait Inet: Family {
    /// The class `getpeername` accepts (`None`: any of the family's).
    const PEER: Option<&'static CStr>;
    fn family(&mut self) -> &mut i32;
}

/// `addr, port, family` with a string port for the local name and an int
/// port for the peer; the family string is the object's stored family.
fn getname(l: State<'_>, fd: i32, family: i32, peer: bool) -> Result<Pushed, ErrText> {
    let (host, port) = l.pure(|| get_name(fd, peer))?;
    l.push_bytes(host.as_bytes());
    if peer {
        l.push_integer(port_number(port.as_bytes()));
    } else {
        l.push_bytes(port.as_bytes());
    }
    l.push_str(family_name(family));
    Ok(Pushed(3))
}

crate::lua_fn! {
    pub fn getsockname<F: Inet>(l) -> Result<Pushed, ErrText> {
        let o = check_any::<F>(l);
        getname(l, *o.fd(), *o.family(), false)
    }
}

crate::lua_fn! {
    pub fn getpeername<F: Inet>(l) -> Result<Pushed, ErrText> {
        let o = match F::PEER {
            Some(class) => check::<F>(l, class),
            None => check_any::<F>(l),
        };
        getname(l, *o.fd(), *o.family(), true)
    }
}

crate::lua_fn! {
    pub fn getfamily<F: Inet>(l) -> &'static str {
        if *check_any::<F>(l).family() == libc::AF_INET6 {
            "inet6"
        } else {
            "inet4"
        }
    }
}
