//! The datagram families (udp, unix dgram): `receive`, `receivefrom` and
//! `send` written once (udp.c's and unixdgram.c's `meth_receive*`,
//! `meth_send`), the families differing only in how a sender is formatted
//! and how a connected send is made.
use crate::lua::{Pushed, State};
use crate::net::cast::c_size;
use crate::net::errors::{self, Code, ErrText};
use crate::net::sink::Sink;
use crate::net::sock::{self, Fd, SockAddr};
use crate::net::timeout::Timeout;
use crate::net::udp::{self as nudp, DATAGRAMSIZE};
use crate::socket::class::{check, check_any, Family};
use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::os::raw::c_int;

/// A family of datagram sockets.
pub trait Datagram: Family {
    const CONNECTED: &'static CStr;
    const UNCONNECTED: &'static CStr;
    /// The sender of a datagram, formatted (plain data, no destructor: it
    /// is alive while the result is pushed).
    type Sender;
    /// Formats the address `recvfrom` filled in (`no_address` on an
    /// fd-less object).
    fn sender(addr: SockAddr) -> errors::Result<Self::Sender>;
    /// Pushes the sender after the data; returns how many values.
    fn push_sender(l: State<'_>, s: &Self::Sender) -> c_int;
    /// One send on a connected socket.
    fn send(fd: Fd, data: &[u8], tm: &Timeout) -> errors::Result<usize>;
}

/// Why a receive returns `nil, err`.
#[derive(Clone, Copy)]
enum Fail {
    /// the C core's failed malloc (or the host's allocator refusing ours)
    Oom,
    Code(Code),
}

impl From<Code> for Fail {
    fn from(c: Code) -> Fail {
        Fail::Code(c)
    }
}

/// `udp_strerror` / `unixdgram_strerror`: the transport's "closed" means
/// the datagram was refused.
fn strerror(code: Code) -> ErrText {
    match code {
        Code::Closed => ErrText::new(b"refused"),
        c => c.text(),
    }
}

impl Fail {
    fn text(self) -> ErrText {
        match self {
            Fail::Oom => ErrText::new(b"out of memory"),
            Fail::Code(c) => strerror(c),
        }
    }
}

/// The result of a send: the byte count (a float), or the error text.
pub fn sent(r: errors::Result<usize>) -> Result<f64, ErrText> {
    r.map(|n| n as f64).map_err(strerror)
}

/// The size argument at 2 (default `_DATAGRAMSIZE`), cast like C's
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
    buf: &mut [MaybeUninit<u8>],
    with_from: bool,
    tm: &Timeout,
) -> Result<(usize, Option<F::Sender>), Fail> {
    let r = if with_from {
        sock::recv_from_uninit(fd, buf, tm).map(|(n, a)| (n, Some(a)))
    } else {
        sock::recv_uninit(fd, buf, 0, tm).map(|n| (n, None))
    };
    let (n, from) = match r {
        Ok(v) => v,
        // an fd-less object: nothing received, the address never filled
        Err(Code::Closed) => (0, with_from.then(sock::no_address)),
        Err(e) => return Err(e.into()),
    };
    Ok((n, from.map(F::sender).transpose()?))
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
        // not zeroed: the kernel writes what it returns
        let mut small = [MaybeUninit::<u8>::uninit(); DATAGRAMSIZE];
        let r = l.pure(|| {
            tm.begin();
            recv_into::<F>(fd, &mut small[..wanted], with_from, tm)
        });
        return match r {
            Ok((len, sender)) => {
                // SAFETY: recv wrote the first `len` bytes (len <= wanted).
                let data = unsafe {
                    std::slice::from_raw_parts(small.as_ptr() as *const u8, len.min(wanted))
                };
                l.push_bytes(data);
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
        let size = nudp::buffer_size(fd, wanted, tm)?;
        let room = out.room(size).map_err(|_| Fail::Oom)?;
        let (len, sender) = recv_into::<F>(fd, sock::uninit(&mut room[..size]), with_from, tm)?;
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
