//! The stream families (tcp, unix stream, serial) and the Lua side of
//! buffered stream I/O (buffer.c's `buffer_meth_*`): argument rules, return
//! shapes, debug timing — and the stream methods, written once for every
//! family (`receive::<Tcp>`) and for the C API's `t_buffer`.
use crate::lua::{LuaType, One, State};
use crate::net::buffer::{
    self, Fast, Io, IoErr, ObjBuf, Pattern, Stats, Storage, StreamBuf, Window, BUF_SIZE, READ_AHEAD,
};
use crate::net::cast::{c_long, c_size};
use crate::net::cbuffer::CBuffer;
use crate::net::sink::Sink;
use crate::net::sock::{self, Fd};
use crate::net::time::gettime;
use crate::net::timeout::Timeout;
use crate::socket::class::{check, check_any, Family};
use std::ffi::CStr;
use std::net::Shutdown;
use std::os::raw::c_int;

/// Debug builds (`LUASOCKET_DEBUG`) append the seconds the call took.
fn push_elapsed(l: State, tm: &Timeout) -> c_int {
    if cfg!(feature = "debug") {
        let now = l.pure(gettime);
        l.push_number(now - tm.start);
        1
    } else {
        0
    }
}

/// A family whose objects are buffered streams.
pub trait Stream: Family {
    /// The class that may do I/O (`tcp{client}`).
    const CLIENT: &'static CStr;
    /// The transport over the descriptor.
    type Io: Io;
    fn io(fd: Fd) -> Self::Io;
    fn parts(&mut self) -> (&mut StreamBuf, &mut Timeout);
}

/// Implements [`Family`] and [`Stream`] for a stream record (fields `fd`,
/// `tm`, `buf`) with its group, client class and transport.
macro_rules! stream_family {
    ($t:ty, $any:expr, $client:expr, $io:ident) => {
        $crate::socket::class::family!($t, $any, buffered);
        impl $crate::socket::stream::Stream for $t {
            const CLIENT: &'static ::std::ffi::CStr = $client;
            type Io = $io;
            fn io(fd: $crate::net::sock::Fd) -> $io {
                $io(fd)
            }
            fn parts(
                &mut self,
            ) -> (
                &mut $crate::net::buffer::StreamBuf,
                &mut $crate::net::timeout::Timeout,
            ) {
                (&mut self.buf, &mut self.tm)
            }
        }
    };
}
pub(crate) use stream_family;

crate::lua_fn! {
    pub fn receive<F: Stream>(l) {
        let o = check::<F>(l, F::CLIENT);
        let mut io = F::io(*o.fd());
        let (buf, tm) = o.parts();
        receive_on(l, buf, tm, &mut io)
    }
}

crate::lua_fn! {
    pub fn send<F: Stream>(l) {
        let o = check::<F>(l, F::CLIENT);
        let mut io = F::io(*o.fd());
        let (buf, tm) = o.parts();
        send_on(l, &mut buf.stats, tm, &mut io)
    }
}

crate::lua_fn! {
    pub fn getstats<F: Stream>(l) {
        let o = check::<F>(l, F::CLIENT);
        getstats_of(l, &o.parts().0.stats)
    }
}

crate::lua_fn! {
    pub fn setstats<F: Stream>(l) -> One {
        let o = check::<F>(l, F::CLIENT);
        setstats_of(l, &mut o.parts().0.stats)
    }
}

crate::lua_fn! {
    pub fn dirty<F: Stream>(l) -> bool {
        check_any::<F>(l).dirty()
    }
}

crate::lua_fn! {
    /// `shutdown([how])` of the socket families (serial has none).
    pub fn shutdown<F: Stream>(l) -> One {
        let fd = *check::<F>(l, F::CLIENT).fd();
        let how = match l.check_option(2, Some(c"both"), &[c"receive", c"send", c"both"]) {
            0 => Shutdown::Read,
            1 => Shutdown::Write,
            _ => Shutdown::Both,
        };
        l.pure(|| sock::shutdown(fd, how));
        One
    }
}

/// What a stream method hands to [`receive_on`]: its buffer, whose storage is
/// reachable once the arguments are settled.
pub trait Buffered {
    type Storage<'a>: Storage
    where
        Self: 'a;
    /// Called with the arguments settled at 1..3; may push (one value).
    fn storage<'a>(&'a mut self, l: State<'a>) -> Self::Storage<'a>;
}

/// Our stream objects: the area is a userdata attached to the object at 1,
/// created on the first receive, and kept on the stack during the call. The
/// record remembers its address, so finding it is two API calls; a
/// different value attached (debug.setuservalue) is checked by size or
/// replaced, never trusted.
impl Buffered for StreamBuf {
    type Storage<'a> = ObjBuf<'a>;
    fn storage<'a>(&'a mut self, l: State<'a>) -> ObjBuf<'a> {
        l.get_slot(1);
        let p = l.to_userdata(-1) as *mut u8;
        let known = !p.is_null() && p == self.area;
        if known && !(self.grow && self.area_len < READ_AHEAD) {
            // SAFETY: the userdata attached when the record learnt its
            // address (area_len initialised bytes), alive on the stack,
            // referenced by nothing else.
            let area = unsafe { std::slice::from_raw_parts_mut(p, self.area_len) };
            return ObjBuf { state: self, area };
        }
        // the first receive, a read-ahead upgrade, or a value attached by
        // someone else (debug.setuservalue): a new area
        let len = if known { READ_AHEAD } else { BUF_SIZE };
        let a = l.new_userdata_slice(len, 0u8);
        if known {
            // keep the unread bytes
            let w = self.win;
            // SAFETY: the old area (area_len bytes) is still on the stack,
            // below the new one; the window lies inside it.
            let old = unsafe { std::slice::from_raw_parts(p, self.area_len) };
            let pending = old.get(w.first..w.last).unwrap_or(&[]);
            a[..pending.len()].copy_from_slice(pending);
            self.win = Window {
                first: 0,
                last: pending.len(),
            };
        } else {
            self.win = Window::default();
        }
        l.push_value(-1);
        l.set_slot(1);
        self.area = a.as_mut_ptr();
        self.area_len = len;
        self.grow = false;
        ObjBuf {
            state: self,
            area: a,
        }
    }
}

/// A C `t_buffer` (the C API): the area is inline.
impl Buffered for CBuffer {
    type Storage<'a> = &'a mut CBuffer;
    fn storage<'a>(&'a mut self, _l: State<'a>) -> &'a mut CBuffer {
        self
    }
}

/// `receive([pattern [, prefix]])` on the object at 1: `data, nil, nil` or
/// `nil, err, partial`.
pub fn receive_on<B: Buffered, I: Io>(
    l: State<'_>,
    buf: &mut B,
    tm: &mut Timeout,
    io: &mut I,
) -> c_int {
    // buffer.c reads the prefix first, then the pattern; the common calls
    // (`receive()`, `receive("*l")`, `receive(n)`) take the short ways
    let top = l.top();
    let prefix = if top >= 3 {
        l.opt_bytes(3).unwrap_or(b"")
    } else {
        b""
    };
    l.pure(|| I::begin(tm));
    let count = match l.type_of(2) {
        LuaType::None | LuaType::Nil => None,
        LuaType::Number => Some(l.to_number_or_zero(2)),
        LuaType::String => l.to_number(2),
        _ => None,
    };
    let pat = if count.is_none() {
        // no argument is "*l"; a non-string raises optstring's own error
        let p = if top >= 2 {
            l.opt_bytes(2).unwrap_or(b"*l")
        } else {
            b"*l"
        };
        match p {
            [b'*', b'l', ..] => Some(Pattern::Line),
            [b'*', b'a', ..] => Some(Pattern::All),
            _ => l.arg_error(2, c"invalid receive pattern"),
        }
    } else {
        let n = count.unwrap_or(0.0);
        let wanted = c_size(n);
        if n.is_nan() || n < 0.0 {
            l.arg_error(2, c"invalid receive pattern");
        }
        let size = prefix.len() as u64;
        (size == 0 || wanted > size).then(|| Pattern::Count(wanted.wrapping_sub(size)))
    };
    // a prefix that already satisfies the count is returned as it is
    let Some(pat) = pat else {
        l.push_bytes(prefix);
        l.push_nil();
        l.push_nil();
        return 3 + push_elapsed(l, tm);
    };
    let mut st = buf.storage(l);
    let fast = if prefix.is_empty() {
        l.pure(|| buffer::receive_fast(&mut st, io, tm, pat))
    } else {
        Fast::Sink
    };
    let err = match fast {
        Fast::Area(off, len, err) => {
            let text = err.err().map(|e| io.error(e));
            l.push_bytes(st.area_slice(off, len));
            text
        }
        Fast::Sink => {
            let mut out = l.new_hostbuf();
            let r = l.pure(|| {
                out.extend(prefix)?;
                buffer::receive(&mut st, io, tm, pat, &mut out)
            });
            let Ok(err) = r else {
                let size = out.refused();
                out.release();
                l.raise_buffer_oom(size)
            };
            let text = err.err().map(|e| io.error(e));
            l.push_hostbuf(&mut out);
            text
        }
    };
    match err {
        Some(t) => {
            l.push_nil();
            l.insert(-2);
            push_err(l, t);
            l.insert(-2);
        }
        None => {
            l.push_nil();
            l.push_nil();
        }
    }
    3 + push_elapsed(l, tm)
}

/// `send(data [, i [, j]])`: `last, nil, nil` or `nil, err, last`.
pub fn send_on<I: Io>(l: State<'_>, stats: &mut Stats, tm: &mut Timeout, io: &mut I) -> c_int {
    let data = l.check_bytes(2);
    let start = c_long(l.opt_number(3, 1.0));
    let end = c_long(l.opt_number(4, -1.0));
    l.pure(|| I::begin(tm));
    let (last, err) = l.pure(|| buffer::send(stats, io, tm, data, start, end));
    if let Err(e) = err {
        let t = io.error(e);
        l.push_nil();
        push_err(l, t);
        l.push_number(last as f64);
    } else {
        l.push_number(last as f64);
        l.push_nil();
        l.push_nil();
    }
    3 + push_elapsed(l, tm)
}

/// `lua_pushstring` of a transport's error text (nil for a NULL string).
fn push_err(l: State, e: IoErr) {
    match e.bytes() {
        Some(b) => l.push_bytes(b),
        None => l.push_nil(),
    }
}

/// `getstats()`: received, sent, age (all nums).
pub fn getstats_of(l: State<'_>, stats: &Stats) -> c_int {
    let now = l.pure(gettime);
    l.push_number(stats.received as f64);
    l.push_number(stats.sent as f64);
    l.push_number(now - stats.birthday);
    3
}

/// `setstats([received [, sent [, age]]])`: returns 1.
pub fn setstats_of(l: State<'_>, stats: &mut Stats) -> One {
    // stored through C's (long) into a size_t
    stats.received = c_long(l.opt_number(2, stats.received as f64)) as usize;
    stats.sent = c_long(l.opt_number(3, stats.sent as f64)) as usize;
    if l.is_number(4) {
        let age = l.to_number_or_zero(4);
        stats.birthday = l.pure(gettime) - age;
    }
    One
}
