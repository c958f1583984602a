//! The address-family layer of inet.c: create, bind and connect over the
//! resolver's results, shared by TCP and UDP objects.
use super::errors::Result;
use super::resolve::{getaddrinfo, AddrEntry, AddrList, Hints, NameBuf};
use super::sock::{self, Fd, INVALID};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `inet_trycreate`: a new non-blocking socket (IPV6_V6ONLY on inet6), or
/// `INVALID` in `fd` when that fails.
pub fn try_create(fd: &mut Fd, family: i32, socktype: i32, protocol: i32) -> Result<()> {
    let r = sock::create(family, socktype, protocol);
    *fd = *r.as_ref().unwrap_or(&INVALID);
    r.map(drop)
}

/// The loop of `inet_trybind` and `inet_tryconnect` over the resolved
/// addresses: (re)creates the socket when the family changes (or there is
/// none), then makes the attempt, which also says whether to stop there.
/// On stopping, `family` becomes the socket's. The error is the last one.
fn each_address(
    fd: &mut Fd,
    family: &mut i32,
    list: &AddrList,
    mut attempt: impl FnMut(Fd, &AddrEntry) -> (Result<()>, bool),
) -> Result<()> {
    let mut current = *family;
    let mut err = Ok(());
    for ai in list.iter() {
        if current != ai.family || *fd == INVALID {
            sock::destroy(fd);
            err = try_create(fd, ai.family, ai.socktype, ai.protocol);
            if err.is_err() {
                continue;
            }
            current = ai.family;
        }
        let stop;
        (err, stop) = attempt(*fd, &ai);
        if stop {
            *family = current;
            break;
        }
    }
    err
}

/// `inet_trybind`: resolves `address` (`"*"` = wildcard) and `serv` with
/// `hints`, and binds to the first result that works.
pub fn try_bind(
    fd: &mut Fd,
    family: &mut i32,
    address: &CStr,
    serv: &CStr,
    hints: Hints,
) -> Result<()> {
    let host = (address.to_bytes() != b"*").then_some(address);
    let list = getaddrinfo(host, Some(serv), hints)?;
    each_address(fd, family, &list, |fd, ai| {
        let r = sock::bind(fd, &ai.addr);
        (r, r.is_ok())
    })
}

/// `inet_tryconnect`: resolves and connects to the first result that works,
/// each attempt with the full timeout (the clock restarts per address);
/// stops after the first attempt when the block timeout is 0.
pub fn try_connect(
    fd: &mut Fd,
    family: &mut i32,
    address: &CStr,
    serv: &CStr,
    tm: &mut Timeout,
    hints: Hints,
) -> Result<()> {
    let list = getaddrinfo(Some(address), Some(serv), hints)?;
    each_address(fd, family, &list, |fd, ai| {
        tm.mark_start();
        let r = sock::connect(fd, &ai.addr, tm);
        (r, r.is_ok() || tm.is_zero())
    })
}

/// The family name of getsockname/getpeername's third value (and of
/// `dns.getaddrinfo`'s entries).
pub fn family_name(family: i32) -> &'static str {
    match family {
        libc::AF_INET => "inet",
        libc::AF_INET6 => "inet6",
        libc::AF_UNSPEC => "unspec",
        _ => "unknown",
    }
}

/// `inet_meth_getsockname` / `inet_meth_getpeername` without the Lua part:
/// the numeric host and port (a failed system call is worded by
/// `socket_strerror`, a failed formatting by plain `gai_strerror`).
pub fn get_name(fd: Fd, peer: bool) -> Result<(NameBuf, NameBuf)> {
    super::resolve::numeric(&sock::name(fd, peer)?)
}
