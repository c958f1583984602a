//! `socket.dns` (the C core's inet.c globals): toip, getaddrinfo, tohostname,
//! getnameinfo, gethostname.
//!
//! The resolver works into a [`crate::lua::HostBuf`] made in phase 1: the
//! reentrant resolver's work area for a host entry, the records of a list
//! of names (`net::resolve`); libc's own lists are freed inside the work
//! phase. Phase 3 pushes from that buffer, so nothing with a destructor is
//! alive while the Lua API may raise, and a raise leaves the buffer to its
//! guard.
use crate::lua::{HostBuf, Pushed, State};
use crate::net::errors::ErrText;
use crate::net::resolve::{self, HostEnt, Resolved};
use crate::net::sink::{Records, Sink};

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

/// The outcome of the work phase: the result to push, or `nil, text`; a
/// result that could not grow raises the C core's memory error.
fn settle<T>(l: State<'_>, buf: &mut HostBuf<'_>, r: Resolved<T>) -> Result<T, ErrText> {
    match r {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            buf.release();
            Err(e.into())
        }
        Err(_) => {
            buf.release();
            l.raise_oom()
        }
    }
}

/// `inet_pushresolved`: `{name = ..., alias = {...}, ip = {...}}`.
fn push_resolved(l: State, h: &HostEnt<'_>) {
    l.new_table(0, 0);
    l.push_str("name");
    l.push_bytes(h.name());
    l.set_table(-3);
    l.push_str("ip");
    l.push_str("alias");
    l.new_table(0, 0);
    for (i, a) in h.aliases().enumerate() {
        l.push_bytes(a);
        l.raw_seti(-2, i as i64 + 1);
    }
    l.set_table(-4);
    l.new_table(0, 0);
    for (i, a) in h.addrs().enumerate() {
        l.push_bytes(a.as_bytes());
        l.raw_seti(-2, i as i64 + 1);
    }
    l.set_table(-3);
}

fn gethost(l: State, want_ip: bool) -> Result<Pushed, ErrText> {
    let name = l.check_cstr(1);
    let mut area = l.new_hostbuf();
    let a = &mut area;
    // (not `settle`: the entry borrows the area)
    let h = match l.pure(move || resolve::gethost(name, a)) {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            area.release();
            return Err(e.into());
        }
        Err(_) => {
            area.release();
            l.raise_oom()
        }
    };
    if want_ip {
        match h.addrs().next() {
            Some(a) => l.push_bytes(a.as_bytes()),
            None => l.push_bytes(b""),
        }
    } else {
        l.push_bytes(h.name());
    }
    push_resolved(l, &h);
    area.release();
    Ok(Pushed(2))
}

crate::lua_fn! { fn toip(l) -> Result<Pushed, ErrText> { gethost(l, true) } }
crate::lua_fn! { fn tohostname(l) -> Result<Pushed, ErrText> { gethost(l, false) } }

crate::lua_fn! {
    fn gethostname(l) -> Result<Pushed, ErrText> {
        let n = l.pure(resolve::gethostname)?;
        l.push_bytes(n.as_bytes());
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    /// `getaddrinfo(host)`: `{{family = ..., addr = ...}, ...}`.
    fn getaddrinfo(l) -> Result<Pushed, ErrText> {
        let host = l.check_cstr(1);
        let mut out = l.new_hostbuf();
        let o = &mut out;
        let r = l.pure(move || resolve::address_records(host, o));
        settle(l, &mut out, r)?;
        l.new_table(0, 0);
        let mut recs = Records::new(out.as_slice());
        let mut i = 0;
        while let (Some(family), Some(addr)) = (recs.next(), recs.next()) {
            i += 1;
            l.new_table(0, 0);
            l.push_bytes(family);
            l.set_field(-2, c"family");
            l.push_bytes(addr);
            l.set_field(-2, c"addr");
            l.raw_seti(-2, i);
        }
        out.release();
        Ok(Pushed(1))
    }
}

crate::lua_fn! {
    /// `getnameinfo(host, serv)`: host names of every result, and the
    /// service name of the last one when `serv` was given.
    fn getnameinfo(l) -> Result<Pushed, ErrText> {
        let host = l.opt_cstr(1);
        let serv = l.opt_cstr(2);
        if host.is_none() && serv.is_none() {
            l.error_msg(c"host and serv cannot be both nil");
        }
        let mut out = l.new_hostbuf();
        let o = &mut out;
        let r = l.pure(move || resolve::name_records(host, serv, o));
        settle(l, &mut out, r)?;
        l.new_table(0, 0);
        let mut recs = Records::new(out.as_slice());
        let (mut i, mut last_serv) = (0, &b""[..]);
        while let (Some(h), Some(s)) = (recs.next(), recs.next()) {
            i += 1;
            if host.is_some() {
                l.push_bytes(h);
                l.raw_seti(-2, i);
            }
            last_serv = s;
        }
        let n = if serv.is_some() {
            l.push_bytes(last_serv);
            2
        } else {
            1
        };
        out.release();
        Ok(Pushed(n))
    }
}
