//! Buffered stream I/O (the C core's buffer.c): the `receive` patterns, `send`
//! with its index rules, and the byte statistics, written once for every
//! stream object (tcp, unix, serial, and a C-ABI buffer).
//!
//! Generic over where bytes come from ([`Io`]) and where the read buffer and
//! statistics live ([`Storage`]): our objects' [`ObjBuf`] over a
//! descriptor, or a C `t_buffer` over a foreign transport's callbacks
//! (`net::cbuffer`, for the C API LuaSec links against).
//!
//! A receive first tries [`receive_fast`] (no result buffer: the answer is
//! in the area after at most one refill); otherwise it accumulates into a
//! [`Sink`] from the host's memory, which the caller pushes once. Bulk reads
//! (`*a`, large counts) go straight into the sink in large chunks, while
//! smaller reads go through the 8 KiB area so that excess bytes stay
//! buffered (and `dirty()`) as in the C core.
use super::errors::{Code, ErrText, Result};
use super::sink::{Oom, Sink};
use super::sock;
use super::timeout::Timeout;
use std::mem::MaybeUninit;

/// `BUF_SIZE`: the read buffer and the C core's read step.
pub const BUF_SIZE: usize = 8192;

/// What one transport call did: the bytes it moved and how it ended (a
/// foreign transport may report bytes moved before a failure).
pub type Moved = (usize, Result<()>);

/// A byte transport with the C core's `p_io` semantics: one call moves at
/// least one byte or fails. The timeout is the object's own record (the C core hands `buf->tm` to its
/// transport), so a foreign transport sees and may update the real one.
pub trait Io {
    /// The most bytes one `recv`/`send` call is asked to move. Our own
    /// descriptors take any size (fewer system calls); a foreign transport
    /// gets the C core's 8 KiB steps, so that what it reports after a failure
    /// (bytes moved before it) matches the C core's.
    const STEP: usize = usize::MAX;
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> Moved;
    /// [`Io::recv`] into memory that need not be initialised (a bulk read
    /// straight into a result); the bytes reported moved are then. By
    /// default the memory is zeroed first.
    fn recv_uninit(&mut self, buf: &mut [MaybeUninit<u8>], tm: &mut Timeout) -> Moved {
        for b in buf.iter_mut() {
            b.write(0);
        }
        // SAFETY: every byte was just initialised.
        let buf = unsafe { &mut *(buf as *mut [MaybeUninit<u8>] as *mut [u8]) };
        self.recv(buf, tm)
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> Moved;
    /// Starts an operation on `tm` (see [`Timeout::begin`]).
    fn begin(tm: &mut Timeout) {
        tm.begin()
    }
    /// The text of a failure (`socket_ioerror` for sockets).
    fn error(&self, code: Code) -> IoErr {
        IoErr::Text(code.text())
    }
}

/// The text of a transport error: ours, or a C string a foreign transport's
/// `error` callback returned (pushed as it is; NULL pushes nil, as
/// `lua_pushstring(L, NULL)` does).
#[derive(Clone, Copy)]
pub enum IoErr {
    Text(ErrText),
    Foreign(*const std::os::raw::c_char),
}

impl IoErr {
    /// The bytes to push, `None` for a NULL foreign string.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            IoErr::Text(t) => Some(t.as_bytes()),
            IoErr::Foreign(p) if p.is_null() => None,
            // SAFETY: a non-NULL C string returned by the transport's error
            // callback, valid until the transport's next call (we push it
            // before making one).
            IoErr::Foreign(p) => Some(unsafe { std::ffi::CStr::from_ptr(*p) }.to_bytes()),
        }
    }
}

/// The [`Moved`] of a send that moves bytes or fails, never both.
pub fn sent(r: Result<usize>) -> Moved {
    match r {
        Ok(n) => (n, Ok(())),
        Err(e) => (0, Err(e)),
    }
}

/// The [`Moved`] of a stream read: its end reads as `Closed`.
pub fn received(r: Result<usize>) -> Moved {
    sent(r.and_then(|n| if n == 0 { Err(Code::Closed) } else { Ok(n) }))
}

/// A socket descriptor as a transport (`socket_send`/`socket_recv`).
pub struct FdIo(pub sock::Fd);

impl Io for FdIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> Moved {
        received(sock::recv(self.0, buf, 0, tm))
    }
    fn recv_uninit(&mut self, buf: &mut [MaybeUninit<u8>], tm: &mut Timeout) -> Moved {
        received(sock::recv_uninit(self.0, buf, 0, tm))
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> Moved {
        sent(sock::send(self.0, data, None, sock::NOSIGNAL, tm))
    }
}

/// Statistics of a buffer, in the C core's `t_buffer` order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    /// creation time, for `getstats`' age
    pub birthday: f64,
    pub sent: usize,
    /// bytes handed out by `receive` (consumed from the buffer)
    pub received: usize,
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            birthday: super::time::gettime(),
            sent: 0,
            received: 0,
        }
    }
}

/// The unread bytes of the area: `[first, last)`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Window {
    pub first: usize,
    pub last: usize,
}

impl Window {
    pub fn is_empty(&self) -> bool {
        self.first >= self.last
    }
}

/// Where the buffered bytes and the statistics live: a Lua object's
/// [`ObjBuf`], or a C `t_buffer` (see `net::cbuffer`).
pub trait Storage {
    fn stats(&mut self) -> &mut Stats;
    fn window(&mut self) -> &mut Window;
    /// The area (`BUF_SIZE` bytes, or more for a stream object that
    /// read ahead, see [`StreamBuf`]).
    fn area(&mut self) -> &mut [u8];
    /// A refill filled the whole area: more is waiting (a hint).
    fn filled(&mut self) {}
    /// Bytes `[off, off+len)` of the area (empty if never allocated), for
    /// pushing an [`Out::Area`] result.
    fn area_slice(&self, off: usize, len: usize) -> &[u8];
}

/// The buffer state of a stream object (plain data in its userdata). The
/// 8 KiB area itself is a separate Lua object attached to the userdata
/// (`socket::buffer` attaches it on the first receive), so an idle object
/// stays small, `close` keeps buffered bytes readable, and Lua frees the
/// area with the object.
#[derive(Clone, Copy, Debug)]
pub struct StreamBuf {
    pub stats: Stats,
    pub win: Window,
    /// The address of the attached area userdata (NULL before the first
    /// receive); only compared, never dereferenced without the userdata.
    pub area: *mut u8,
    /// Its size: `BUF_SIZE` at first, [`READ_AHEAD`] once a refill filled it.
    pub area_len: usize,
    /// A refill filled the area: the next receive reads ahead.
    pub grow: bool,
}

/// The area of a stream object that receives in bulk: a refill that fills
/// `BUF_SIZE` bytes shows more is waiting, and from then on the object reads
/// ahead this much per system call (the C core reads 8 KiB at a time). The
/// bytes are buffered either way; only `dirty()` can tell, a little earlier.
/// Objects that receive little keep the C core's 8 KiB.
pub const READ_AHEAD: usize = 64 * 1024;

impl StreamBuf {
    pub fn new() -> StreamBuf {
        StreamBuf {
            stats: Stats::new(),
            win: Window::default(),
            area: std::ptr::null_mut(),
            area_len: 0,
            grow: false,
        }
    }
    /// `buffer_isempty`
    pub fn is_empty(&self) -> bool {
        self.win.is_empty()
    }
}

impl Default for StreamBuf {
    fn default() -> Self {
        StreamBuf::new()
    }
}

impl<T: Storage> Storage for &mut T {
    fn stats(&mut self) -> &mut Stats {
        (**self).stats()
    }
    fn window(&mut self) -> &mut Window {
        (**self).window()
    }
    fn area(&mut self) -> &mut [u8] {
        (**self).area()
    }
    fn area_slice(&self, off: usize, len: usize) -> &[u8] {
        (**self).area_slice(off, len)
    }
}

/// A stream object's storage for one call: its state and its area.
pub struct ObjBuf<'a> {
    pub state: &'a mut StreamBuf,
    pub area: &'a mut [u8],
}

impl Storage for ObjBuf<'_> {
    fn stats(&mut self) -> &mut Stats {
        &mut self.state.stats
    }
    fn window(&mut self) -> &mut Window {
        &mut self.state.win
    }
    fn area(&mut self) -> &mut [u8] {
        self.area
    }
    fn area_slice(&self, off: usize, len: usize) -> &[u8] {
        self.area.get(off..off.saturating_add(len)).unwrap_or(&[])
    }
    fn filled(&mut self) {
        self.state.grow = true;
    }
}

/// How a receive ended (on a failure its result is the partial one), unless
/// the result could not grow.
pub type Received = std::result::Result<Result<()>, Oom>;

/// A receive pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pattern {
    /// `*l`: up to LF, CRs dropped
    Line,
    /// `*a`: until the peer closes
    All,
    /// a byte count (already reduced by the prefix length)
    Count(u64),
}

/// What the first, allocation-free step of a receive achieved.
#[derive(Debug, PartialEq)]
pub enum Fast {
    /// The answer is bytes `[off, off+len)` of the area (already consumed),
    /// and how the read ended.
    Area(usize, usize, Result<()>),
    /// The answer needs a result buffer: continue with [`receive`].
    Sink,
}

/// `buffer_get`: refills an empty buffer with one read. Returns how that
/// ended and the available range.
fn get<S: Storage, I: Io>(s: &mut S, io: &mut I, tm: &mut Timeout) -> (Result<()>, usize, usize) {
    let mut err = Ok(());
    if s.window().is_empty() {
        let area = s.area();
        let step = area.len().min(I::STEP);
        let (got, e) = io.recv(&mut area[..step], tm);
        err = e;
        if got >= step {
            s.filled();
        }
        *s.window() = Window {
            first: 0,
            last: got.min(step),
        };
    }
    let w = *s.window();
    (err, w.first, w.last)
}

/// `buffer_skip`: consumes `n` buffered bytes.
fn skip<S: Storage>(s: &mut S, n: usize) {
    s.stats().received += n;
    let w = s.window();
    w.first += n;
    if w.is_empty() {
        *w = Window::default();
    }
}

/// Appends `src` to `out` without its CR bytes.
fn push_without_cr(out: &mut impl Sink, src: &[u8]) -> std::result::Result<(), Oom> {
    let mut rest = src;
    while let Some(p) = memchr(b'\r', rest) {
        out.extend(&rest[..p])?;
        rest = &rest[p + 1..];
    }
    out.extend(rest)
}

/// Removes CR bytes from `b` in place; returns the new length.
fn squeeze_cr(b: &mut [u8]) -> usize {
    let Some(first) = memchr(b'\r', b) else {
        return b.len();
    };
    let mut w = first;
    for r in first + 1..b.len() {
        let c = b[r];
        if c != b'\r' {
            b[w] = c;
            w += 1;
        }
    }
    w
}

/// The first `b` in `s`: libc's memchr, vectorised in glibc (a byte loop
/// costs ~9 instructions a byte, and lines are searched on every receive).
#[inline]
pub fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    // SAFETY: `s` is readable for its length.
    let p = unsafe { libc::memchr(s.as_ptr() as *const libc::c_void, b as libc::c_int, s.len()) };
    (!p.is_null()).then(|| p as usize - s.as_ptr() as usize)
}

/// The first step of `buffer_meth_receive` (without a prefix): the C core's
/// loop up to its first refill, when the answer then lies in the area — a
/// line, a count, `receive(0)`, or the partial result of a failed refill —
/// so that the common receive needs no result buffer. Otherwise nothing is
/// consumed (a refill stays buffered) and [`receive`] goes on.
pub fn receive_fast<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    pat: Pattern,
) -> Fast {
    let wanted = match pat {
        Pattern::All => return Fast::Sink,
        // bulk reads bypass the buffer (see recv_raw)
        Pattern::Count(n) if n > s.area().len() as u64 && s.window().is_empty() => {
            return Fast::Sink
        }
        Pattern::Count(n) => Some(n),
        Pattern::Line => None,
    };
    let (err, f, l) = get(s, io, tm);
    let avail = l - f;
    match wanted {
        None => match memchr(b'\n', &s.area()[f..l]) {
            Some(p) => {
                let n = squeeze_cr(&mut s.area()[f..f + p]);
                skip(s, p + 1);
                Fast::Area(f, n, err)
            }
            None if err.is_err() => {
                let n = squeeze_cr(&mut s.area()[f..l]);
                skip(s, avail);
                Fast::Area(f, n, err)
            }
            None => Fast::Sink,
        },
        Some(n) if n <= avail as u64 => {
            skip(s, n as usize);
            Fast::Area(f, n as usize, err)
        }
        Some(_) if err.is_err() => {
            skip(s, avail);
            Fast::Area(f, avail, err)
        }
        Some(_) => Fast::Sink,
    }
}

/// `buffer_meth_receive` minus the Lua part: receives `pat` into `out`
/// (which holds the prefix). Returns how the read ended (on a failure `out`
/// is the partial result), or `Oom` when `out` cannot grow.
pub fn receive<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    pat: Pattern,
    out: &mut impl Sink,
) -> Received {
    match pat {
        Pattern::Line => recv_line(s, io, tm, out),
        Pattern::All => recv_all(s, io, tm, out),
        Pattern::Count(n) => recv_raw(s, io, tm, n, out),
    }
}

fn recv_line<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    out: &mut impl Sink,
) -> Received {
    loop {
        let (err, f, l) = get(s, io, tm);
        let area = s.area();
        let avail = &area[f..l];
        let (seg, found) = match memchr(b'\n', avail) {
            Some(p) => (&avail[..p], true),
            None => (avail, false),
        };
        let seglen = seg.len();
        push_without_cr(out, seg)?;
        if found {
            skip(s, seglen + 1);
            return Ok(err);
        }
        skip(s, seglen);
        if err.is_err() {
            return Ok(err);
        }
    }
}

/// One recv of up to `want` bytes straight into the result.
fn read_into<I: Io>(
    io: &mut I,
    tm: &mut Timeout,
    out: &mut impl Sink,
    want: usize,
) -> std::result::Result<Moved, Oom> {
    let room = out.room_uninit(want)?;
    let (got, err) = io.recv_uninit(&mut room[..want], tm);
    let got = got.min(want);
    // SAFETY: the transport wrote the `got` bytes it reports moved.
    unsafe { out.commit_written(got) };
    Ok((got, err))
}

/// Chunk size for direct reads: grows with what has arrived, so a huge
/// request never reserves memory it has not received; at most `step`.
fn chunk(have: usize, step: usize) -> usize {
    (have.clamp(BUF_SIZE * 8, 1 << 22) / BUF_SIZE * BUF_SIZE).min(step)
}

fn recv_raw<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    wanted: u64,
    out: &mut impl Sink,
) -> Received {
    let mut total: u64 = 0;
    loop {
        let remaining = wanted - total;
        if s.window().is_empty() && remaining >= BUF_SIZE as u64 {
            // Bulk: bypass the buffer in whole BUF_SIZE steps; the tail goes
            // through the buffer, so excess bytes end up buffered (and
            // `dirty()`) just as with the C core's 8 KiB reads.
            let whole = remaining - remaining % BUF_SIZE as u64;
            let want = (whole.min(chunk(out.len(), I::STEP) as u64)) as usize;
            let (got, err) = read_into(io, tm, out, want)?;
            total += got as u64;
            s.stats().received += got;
            if err.is_err() || total >= wanted {
                return Ok(err);
            }
            continue;
        }
        let (err, f, l) = get(s, io, tm);
        let n = ((l - f) as u64).min(remaining) as usize;
        out.extend(&s.area()[f..f + n])?;
        skip(s, n);
        total += n as u64;
        if err.is_err() || total >= wanted {
            return Ok(err);
        }
    }
}

fn recv_all<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    out: &mut impl Sink,
) -> Received {
    let mut total: u64 = 0;
    if !s.window().is_empty() {
        let (_, f, l) = get(s, io, tm);
        out.extend(&s.area()[f..l])?;
        skip(s, l - f);
        total += (l - f) as u64;
    }
    // the buffer is empty now and stays so: read straight into the result
    let err = loop {
        let want = chunk(out.len(), I::STEP);
        let (got, err) = read_into(io, tm, out, want)?;
        total += got as u64;
        s.stats().received += got;
        if err.is_err() {
            break err;
        }
    };
    Ok(if err == Err(Code::Closed) && total > 0 {
        Ok(())
    } else {
        err
    })
}

/// `send(data, i, j)` index normalisation: the 1-based inclusive range to
/// send, or `start > end` when there is nothing to send.
pub fn send_range(len: usize, i: i64, j: i64) -> (i64, i64) {
    let size = len as i64;
    let mut start = i;
    let mut end = j;
    if start < 0 {
        start = size.wrapping_add(start).wrapping_add(1);
    }
    if end < 0 {
        end = size.wrapping_add(end).wrapping_add(1);
    }
    if start < 1 {
        start = 1;
    }
    if end > size {
        end = size;
    }
    (start, end)
}

/// `buffer_meth_send` minus the Lua part: sends `data[i..=j]` (1-based, as
/// normalised by [`send_range`]) and returns the last index sent and how
/// sending ended.
pub fn send<I: Io>(
    stats: &mut Stats,
    io: &mut I,
    tm: &mut Timeout,
    data: &[u8],
    i: i64,
    j: i64,
) -> (i64, Result<()>) {
    let (start, end) = send_range(data.len(), i, j);
    let mut err = Ok(());
    let mut total = 0usize;
    if start <= end {
        let part = &data[(start - 1) as usize..end as usize];
        while total < part.len() && err.is_ok() {
            let rest = &part[total..];
            let step = &rest[..rest.len().min(I::STEP)];
            let (done, e) = io.send(step, tm);
            total += done.min(step.len());
            err = e;
        }
        stats.sent += total;
    }
    (total as i64 + start - 1, err)
}

#[cfg(test)]
#[path = "buffer_tests.rs"]
mod tests;
