//! The datagram families (udp, unix dgram): `receive`, `receivefrom` and
//! `send` written once (udp.c's and unixdgram.c's `meth_receive*`,
//! `meth_send`), the families differing only in how a sender is formatted
//! and how a connected send is made.
use crate::lua::{Pushed, State};
use crate::net::cast::c_size;
use crate::net::errors::{gai_strerror, socket_strerror, ErrText, CLOSED, DONE};
use crate::net::sink::Sink;
use crate::net::sock::{Fd, SockAddr};
use crate::net::timeout::Timeout;
use crate::net::udp::{self as nudp, DATAGRAMSIZE};
use crate::socket::class::{check, check_any, Family};
use std::ffi::CStr;
use std::os::raw::c_int;

/// A family of datagram sockets.
pub trait Datagram: Family {
    const CONNECTED: &'static CStr;
    const UNCONNECTED: &'static CStr;
    /// The sender of a datagram, formatted (plain data).
    type Sender: Copy;
    /// Formats the address `recvfrom` filled in (left empty on an fd-less
    /// object).
    fn sender(addr: &mut SockAddr) -> Result<Self::Sender, Fail>;
    /// Pushes the sender after the data; returns how many values.
    fn push_sender(l: State<'_>, s: &Self::Sender) -> c_int;
    /// One send on a connected socket.
    fn send(fd: Fd, data: &[u8], tm: &Timeout) -> (usize, i32);
}

/// Why a receive or send returns `nil, err`.
#[derive(Clone, Copy)]
pub enum Fail {
    /// the C core's failed malloc (or the host's allocator refusing ours)
    Oom,
    /// a transport code or errno
    Code(i32),
    /// getnameinfo of the sender (raw gai_strerror)
    Gai(i32),
}

/// `udp_strerror` / `unixdgram_strerror`: the transport's "closed" means
/// the datagram was refused.
pub fn strerror(code: i32) -> ErrText {
    if code == CLOSED {
        ErrText::new(b"refused")
    } else {
        socket_strerror(code).unwrap_or(ErrText::new(b"unknown error"))
    }
}

impl Fail {
    pub fn text(self) -> ErrText {
        match self {
            Fail::Oom => ErrText::new(b"out of memory"),
            Fail::Code(c) => strerror(c),
            Fail::Gai(c) => gai_strerror(c),
        }
    }
}

/// The result of a send: the byte count (a float), or the error text.
pub fn sent(r: (usize, i32)) -> Result<f64, ErrText> {
    match r {
        (n, DONE) => Ok(n as f64),
        (_, e) => Err(strerror(e)),
    }
}

/// The size argument at 2 (default 8192), cast like C's
/// `(size_t) luaL_optnumber(...)`; x86-64's unsigned conversion takes NaN
/// down the 2^63 path.
fn wanted_arg(l: State<'_>) -> usize {
    let n = l.opt_number(2, DATAGRAMSIZE as f64);
    if n.is_nan() {
        1 << 63
    } else {
        c_size(n) as usize
    }
}

crate::lua_fn! {
    /// `receive([size])`: one datagram (an empty one, a closed object and an
    /// fd-less one all give `""`).
    pub fn receive<F: Datagram>(l) {
        let o = check_any::<F>(l);
        let wanted = wanted_arg(l);
        recv_and_push::<F>(l, o, wanted, false)
    }
}

crate::lua_fn! {
    /// `receivefrom([size])`: the data and the sender.
    pub fn receivefrom<F: Datagram>(l) {
        let o = check::<F>(l, F::UNCONNECTED);
        let wanted = wanted_arg(l);
        recv_and_push::<F>(l, o, wanted, true)
    }
}

crate::lua_fn! {
    pub fn send<F: Datagram>(l) -> Result<f64, ErrText> {
        let o = check::<F>(l, F::CONNECTED);
        let data = l.check_bytes(2);
        let fd = *o.fd();
        let tm = o.tm();
        sent(l.pure(|| {
            tm.begin();
            F::send(fd, data, tm)
        }))
    }
}

/// `socket_recv`/`socket_recvfrom` read as udp.c does: a zero-byte result
/// (`CLOSED`, also on an fd-less object) is an empty datagram.
fn recv_into<F: Datagram>(
    fd: Fd,
    buf: &mut [u8],
    with_from: bool,
    tm: &Timeout,
) -> Result<(usize, Option<F::Sender>), Fail> {
    let mut from = SockAddr::empty();
    let (n, err) = nudp::recv(fd, buf, with_from.then_some(&mut from), tm);
    if err != DONE && err != CLOSED {
        return Err(Fail::Code(err));
    }
    if !with_from {
        return Ok((n, None));
    }
    Ok((n, Some(F::sender(&mut from)?)))
}

/// Pushes the data and the sender, if asked for.
fn push_data<F: Datagram>(l: State<'_>, sender: &Option<F::Sender>) -> c_int {
    match sender {
        Some(s) => 1 + F::push_sender(l, s),
        None => 1,
    }
}

/// Shared body of receive/receivefrom. Sizes up to `_DATAGRAMSIZE` use a
/// stack buffer (as the C core does); larger ones a buffer from the host's
/// memory no bigger than what arrived (see [`nudp::buffer_size`]), never the
/// caller's number.
fn recv_and_push<F: Datagram>(l: State<'_>, o: &mut F, wanted: usize, with_from: bool) -> c_int {
    let fd = *o.fd();
    let tm = o.tm();
    if wanted <= DATAGRAMSIZE {
        let mut small = [0u8; DATAGRAMSIZE];
        let r = l.pure(|| {
            tm.begin();
            recv_into::<F>(fd, &mut small[..wanted], with_from, tm)
        });
        return match r {
            Ok((len, sender)) => {
                l.push_bytes(&small[..len]);
                push_data::<F>(l, &sender)
            }
            Err(e) => crate::lua::Push::push(Err::<Pushed, _>(e.text()), l),
        };
    }
    let mut out = l.new_hostbuf();
    let r = l.pure(|| {
        tm.begin();
        if nudp::malloc_fails(wanted) {
            return Err(Fail::Oom);
        }
        let size = nudp::buffer_size(fd, wanted, tm).map_err(Fail::Code)?;
        let room = out.room(size).map_err(|_| Fail::Oom)?;
        let (len, sender) = recv_into::<F>(fd, &mut room[..size], with_from, tm)?;
        out.commit(len);
        Ok(sender)
    });
    match r {
        Ok(sender) => {
            l.push_hostbuf(&mut out);
            push_data::<F>(l, &sender)
        }
        Err(e) => {
            out.release();
            crate::lua::Push::push(Err::<Pushed, _>(e.text()), l)
        }
    }
}
