//! The address-family layer of inet.c: create, bind and connect over the
//! resolver's results, shared by TCP and UDP objects.
use super::errors::{gai_mapped, socket_strerror, ErrText};
use super::resolve::{getaddrinfo, Hints};
use super::sock::{self, Fd, INVALID};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `inet_trycreate`: a new non-blocking socket (IPV6_V6ONLY on inet6).
pub fn try_create(fd: &mut Fd, family: i32, socktype: i32, protocol: i32) -> Option<ErrText> {
    match sock::create(family, socktype, protocol) {
        Ok(f) => {
            *fd = f;
            None
        }
        Err(e) => {
            *fd = INVALID;
            socket_strerror(e)
        }
    }
}

/// `inet_trybind`: resolves `address` (`"*"` = wildcard) and `serv` with
/// `hints`, and binds to the first result that works, (re)creating the
/// socket when the family changes. Updates `family` on success.
pub fn try_bind(
    fd: &mut Fd,
    family: &mut i32,
    address: &CStr,
    serv: &CStr,
    hints: Hints,
) -> Option<ErrText> {
    let host = if address.to_bytes() == b"*" {
        None
    } else {
        Some(address)
    };
    let list = match getaddrinfo(host, Some(serv), hints) {
        Ok(l) => l,
        Err(e) => return gai_mapped(e.code, e.errno),
    };
    let mut current = *family;
    let mut err = None;
    for ai in &list {
        if current != ai.family || *fd == INVALID {
            sock::destroy(fd);
            err = try_create(fd, ai.family, ai.socktype, ai.protocol);
            if err.is_some() {
                continue;
            }
            current = ai.family;
        }
        err = socket_strerror(sock::bind(*fd, &ai.addr));
        if err.is_none() {
            *family = current;
            break;
        }
    }
    err
}

/// `inet_tryconnect`: resolves and connects to the first result that works,
/// each attempt with the full timeout (the clock restarts per address);
/// stops after the first attempt when the block timeout is 0. Updates
/// `family` when it stops early or succeeds.
pub fn try_connect(
    fd: &mut Fd,
    family: &mut i32,
    address: &CStr,
    serv: &CStr,
    tm: &mut Timeout,
    hints: Hints,
) -> Option<ErrText> {
    let list = match getaddrinfo(Some(address), Some(serv), hints) {
        Ok(l) => l,
        Err(e) => return gai_mapped(e.code, e.errno),
    };
    let mut current = *family;
    let mut err = None;
    for ai in &list {
        tm.mark_start();
        if current != ai.family || *fd == INVALID {
            sock::destroy(fd);
            err = try_create(fd, ai.family, ai.socktype, ai.protocol);
            if err.is_some() {
                continue;
            }
            current = ai.family;
        }
        err = socket_strerror(sock::connect(*fd, &ai.addr, tm));
        if err.is_none() || tm.is_zero() {
            *family = current;
            break;
        }
    }
    err
}

/// `inet_tryaccept`: a new non-blocking client descriptor or the error text.
pub fn try_accept(server: Fd, tm: &Timeout) -> Result<Fd, ErrText> {
    sock::accept(server, tm)
        .map_err(|e| socket_strerror(e).unwrap_or(ErrText::new(b"unknown error")))
}

/// The family name of getsockname/getpeername's third value.
pub fn family_name(family: i32) -> &'static str {
    match family {
        libc::AF_INET => "inet",
        libc::AF_INET6 => "inet6",
        libc::AF_UNSPEC => "unspec",
        _ => "unknown",
    }
}

/// The result of getsockname/getpeername before it is pushed (fixed
/// buffers, no allocation).
#[allow(clippy::large_enum_variant)]
pub enum NameResult {
    /// numeric host, port text
    Ok(super::resolve::NameBuf, super::resolve::NameBuf),
    /// `nil, text`
    Err(ErrText),
}

/// `inet_meth_getsockname` / `inet_meth_getpeername` without the Lua part:
/// system-call errors through `socket_strerror`, formatting errors through
/// raw `gai_strerror`.
pub fn get_name(fd: Fd, peer: bool) -> NameResult {
    match sock::name(fd, peer) {
        Err(e) => NameResult::Err(socket_strerror(e).unwrap_or(ErrText::new(b"unknown error"))),
        Ok(a) => match super::resolve::numeric(&a) {
            Ok((h, s)) => NameResult::Ok(h, s),
            Err(code) => NameResult::Err(super::errors::gai_strerror(code)),
        },
    }
}
