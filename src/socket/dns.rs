//! `socket.dns` (the C core's inet.c globals): toip, getaddrinfo, tohostname,
//! getnameinfo, gethostname.
//!
//! Multi-value results are collected in the work phase and pushed from a
//! `ManuallyDrop`, so no destructor is pending while the Lua API may raise
//! (a memory error there leaks the list instead of skipping its drop).
use crate::lua::State;
use crate::net::errors::{gai_mapped, host_strerror, socket_strerror, ErrText};
use crate::net::resolve::{self, Hints, HostEnt, NI_MAXHOST, NI_MAXSERV};
use std::mem::ManuallyDrop;
use std::os::raw::c_int;

/// Registers the functions into the `dns` table on top, in inet.c's order.
pub fn open(l: State) {
    l.set_funcs(
        &[
            (c"toip", toip),
            (c"getaddrinfo", getaddrinfo),
            (c"tohostname", tohostname),
            (c"getnameinfo", getnameinfo),
            (c"gethostname", gethostname),
        ],
        0,
    );
}

/// `nil, text`.
fn fail(l: State<'_>, text: ErrText) -> c_int {
    crate::lua::Push::push(Err::<(), _>(text), l)
}

/// `inet_pushresolved`: `{name = ..., alias = {...}, ip = {...}}`.
fn push_resolved(l: State, h: &HostEnt) {
    l.new_table(0, 0);
    l.push_str("name");
    l.push_bytes(&h.name);
    l.set_table(-3);
    l.push_str("ip");
    l.push_str("alias");
    l.new_table(0, 0);
    for (i, a) in h.aliases.iter().enumerate() {
        l.push_bytes(a);
        l.raw_seti(-2, i as i64 + 1);
    }
    l.set_table(-4);
    l.new_table(0, 0);
    for (i, a) in h.addrs.iter().enumerate() {
        l.push_bytes(a);
        l.raw_seti(-2, i as i64 + 1);
    }
    l.set_table(-3);
}

fn gethost(l: State, want_ip: bool) -> c_int {
    let name = l.check_cstr(1);
    match l.pure(|| resolve::gethost(name)) {
        Err(code) => fail(l, host_strerror(code)),
        Ok(h) => {
            let h = ManuallyDrop::new(h);
            if want_ip {
                l.push_bytes(h.addrs.first().map_or(&b""[..], |a| &a[..]));
            } else {
                l.push_bytes(&h.name);
            }
            push_resolved(l, &h);
            drop(ManuallyDrop::into_inner(h));
            2
        }
    }
}

crate::lua_fn! { fn toip(l) { gethost(l, true) } }
crate::lua_fn! { fn tohostname(l) { gethost(l, false) } }

crate::lua_fn! {
    fn gethostname(l) {
        match l.pure(resolve::gethostname) {
            Ok(n) => {
                l.push_owned(n);
                1
            }
            Err(e) => fail(l, socket_strerror(e).unwrap_or(ErrText::new(b"unknown error"))),
        }
    }
}

const STREAM_UNSPEC: Hints = Hints {
    family: libc::AF_UNSPEC,
    socktype: libc::SOCK_STREAM,
    flags: 0,
};

crate::lua_fn! {
    /// `getaddrinfo(host)`: `{{family = ..., addr = ...}, ...}`.
    fn getaddrinfo(l) {
        let host = l.check_cstr(1);
        let res = l.pure(|| {
            let list = resolve::getaddrinfo(Some(host), None, STREAM_UNSPEC)
                .map_err(|e| gai_mapped(e.code, e.errno))?;
            let mut out = Vec::with_capacity(list.len());
            for ai in &list {
                let (code, h, _) = resolve::getnameinfo(&ai.addr, NI_MAXHOST, 0, libc::NI_NUMERICHOST);
                if code != 0 {
                    return Err(gai_mapped(code, crate::net::sock::errno()));
                }
                out.push((ai.family, h.as_bytes().to_vec()));
            }
            Ok::<_, Option<ErrText>>(out)
        });
        match res {
            Err(e) => fail(l, e.unwrap_or(ErrText::new(b"unknown error"))),
            Ok(list) => {
                let list = ManuallyDrop::new(list);
                l.new_table(0, 0);
                for (i, (family, addr)) in list.iter().enumerate() {
                    l.new_table(0, 0);
                    l.push_str("family");
                    l.push_str(match *family {
                        libc::AF_INET => "inet",
                        libc::AF_INET6 => "inet6",
                        libc::AF_UNSPEC => "unspec",
                        _ => "unknown",
                    });
                    l.set_table(-3);
                    l.push_str("addr");
                    l.push_bytes(addr);
                    l.set_table(-3);
                    l.raw_seti(-2, i as i64 + 1);
                }
                drop(ManuallyDrop::into_inner(list));
                1
            }
        }
    }
}

crate::lua_fn! {
    /// `getnameinfo(host, serv)`: host names of every result, and the
    /// service name of the last one when `serv` was given.
    fn getnameinfo(l) {
        let host = l.opt_cstr(1);
        let serv = l.opt_cstr(2);
        if host.is_none() && serv.is_none() {
            l.error_msg(c"host and serv cannot be both nil");
        }
        let res = l.pure(|| {
            let list = resolve::getaddrinfo(host, serv, STREAM_UNSPEC).map_err(|e| gai_mapped(e.code, e.errno))?;
            let mut names = Vec::new();
            let mut last_serv = Vec::new();
            for ai in &list {
                let hc = if host.is_some() { NI_MAXHOST } else { 0 };
                let sc = if serv.is_some() { NI_MAXSERV } else { 0 };
                let (_, h, s) = resolve::getnameinfo(&ai.addr, hc, sc, 0);
                if host.is_some() {
                    names.push(h.as_bytes().to_vec());
                }
                last_serv = s.as_bytes().to_vec();
            }
            Ok::<_, Option<ErrText>>((names, last_serv))
        });
        match res {
            Err(e) => fail(l, e.unwrap_or(ErrText::new(b"unknown error"))),
            Ok(r) => {
                let r = ManuallyDrop::new(r);
                l.new_table(0, 0);
                for (i, n) in r.0.iter().enumerate() {
                    l.push_bytes(n);
                    l.raw_seti(-2, i as i64 + 1);
                }
                let n = if serv.is_some() {
                    l.push_bytes(&r.1);
                    2
                } else {
                    1
                };
                drop(ManuallyDrop::into_inner(r));
                n
            }
        }
    }
}
