//! Buffered stream I/O (the C core's buffer.c): the `receive` patterns, `send`
//! with its index rules, and the byte statistics, written once for every
//! stream object (tcp, unix, serial, and a C-ABI buffer).
//!
//! Generic over where bytes come from ([`Io`]) and where the read buffer and
//! statistics live ([`Storage`]): our objects' [`LazyBuffer`] over a
//! descriptor, or a C `t_buffer` over a foreign transport's callbacks
//! (`net::cbuffer`, for the C API LuaSec links against). Results accumulate in a `Vec` the caller pushes once; bulk
//! reads (`*a`, large counts) go straight into it in large chunks, while
//! smaller reads go through the 8 KiB buffer so that excess bytes stay
//! buffered (and `dirty()`) as in the C core.
use super::errors::{ErrText, CLOSED, DONE};
use super::timeout::Timeout;

/// `BUF_SIZE`: the read buffer and the C core's read step.
pub const BUF_SIZE: usize = 8192;

/// A byte transport with the C core's `p_io` semantics: one call moves at
/// least one byte or fails; `code` is `DONE`, `TIMEOUT`, `CLOSED` or errno.
/// The timeout is the object's own record (the C core hands `buf->tm` to its
/// transport), so a foreign transport sees and may update the real one.
pub trait Io {
    /// The most bytes one `recv`/`send` call is asked to move. Our own
    /// descriptors take any size (fewer system calls); a foreign transport
    /// gets the C core's 8 KiB steps, so that what it reports after a failure
    /// (bytes moved before it) matches the C core's.
    const STEP: usize = usize::MAX;
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> (usize, i32);
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> (usize, i32);
    /// The text of a failure code (`socket_ioerror` for sockets).
    fn error(&self, code: i32) -> IoErr {
        IoErr::Text(super::errors::socket_strerror(code).unwrap_or(ErrText::new(b"unknown error")))
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

/// A socket descriptor as a transport (`socket_send`/`socket_recv`).
pub struct FdIo(pub super::sock::Fd);

impl Io for FdIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> (usize, i32) {
        super::sock::recv(self.0, buf, tm)
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> (usize, i32) {
        super::sock::send(self.0, data, tm)
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
/// [`LazyBuffer`], or a C `t_buffer` (see `net::cbuffer`).
pub trait Storage {
    fn stats(&mut self) -> &mut Stats;
    fn window(&mut self) -> &mut Window;
    /// The `BUF_SIZE`-byte area, allocated on first use.
    fn area(&mut self) -> &mut [u8];
    /// Bytes `[off, off+len)` of the area (empty if never allocated), for
    /// pushing an [`Out::Area`] result.
    fn area_slice(&self, off: usize, len: usize) -> &[u8];
}

/// The storage of Lua objects: a lazily allocated heap block behind a raw
/// pointer, so an idle object stays small and the struct stays `Copy` (the
/// owner frees it with [`LazyBuffer::free`] in `__gc`).
#[derive(Clone, Copy, Debug)]
pub struct LazyBuffer {
    pub stats: Stats,
    pub win: Window,
    data: *mut u8,
}

impl LazyBuffer {
    pub fn new() -> LazyBuffer {
        LazyBuffer {
            stats: Stats::new(),
            win: Window::default(),
            data: std::ptr::null_mut(),
        }
    }
    /// Releases the block (idempotent); buffered bytes are lost.
    pub fn free(&mut self) {
        if !self.data.is_null() {
            let raw = std::ptr::slice_from_raw_parts_mut(self.data, BUF_SIZE);
            // SAFETY: `data` came from Box::<[u8]>::into_raw with BUF_SIZE bytes
            // and is nulled so it is freed once.
            drop(unsafe { Box::from_raw(raw) });
            self.data = std::ptr::null_mut();
        }
        self.win = Window::default();
    }
    /// Unread bytes (without allocating).
    pub fn pending(&self) -> &[u8] {
        self.area_slice(self.win.first, self.win.last.saturating_sub(self.win.first))
    }
    /// `buffer_isempty`
    pub fn is_empty(&self) -> bool {
        self.win.is_empty()
    }
}

impl Default for LazyBuffer {
    fn default() -> Self {
        LazyBuffer::new()
    }
}

impl Storage for LazyBuffer {
    fn stats(&mut self) -> &mut Stats {
        &mut self.stats
    }
    fn window(&mut self) -> &mut Window {
        &mut self.win
    }
    fn area(&mut self) -> &mut [u8] {
        if self.data.is_null() {
            self.data = Box::into_raw(vec![0u8; BUF_SIZE].into_boxed_slice()) as *mut u8;
        }
        // SAFETY: a live BUF_SIZE block owned by this buffer.
        unsafe { std::slice::from_raw_parts_mut(self.data, BUF_SIZE) }
    }
    fn area_slice(&self, off: usize, len: usize) -> &[u8] {
        if self.data.is_null() || off.saturating_add(len) > BUF_SIZE {
            return &[];
        }
        // SAFETY: inside the live BUF_SIZE block.
        unsafe { std::slice::from_raw_parts(self.data.add(off), len) }
    }
}

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

/// Where the received bytes ended up.
#[derive(Debug)]
pub enum Out {
    /// Bytes `[off, off+len)` of the storage area (no prefix, no copy).
    Area(usize, usize),
    /// Prefix + everything received.
    Owned(Vec<u8>),
}

/// `buffer_get`: refills an empty buffer with one read. Returns the code and
/// the available range.
fn get<S: Storage, I: Io>(s: &mut S, io: &mut I, tm: &mut Timeout) -> (i32, usize, usize) {
    let mut err = DONE;
    if s.window().is_empty() {
        let area = s.area();
        let step = area.len().min(I::STEP);
        let (got, e) = io.recv(&mut area[..step], tm);
        err = e;
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
fn push_without_cr(out: &mut Vec<u8>, src: &[u8]) {
    let mut rest = src;
    while let Some(p) = memchr(b'\r', rest) {
        out.extend_from_slice(&rest[..p]);
        rest = &rest[p + 1..];
    }
    out.extend_from_slice(rest);
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

#[inline]
pub fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b)
}

/// `buffer_meth_receive` minus the Lua part: receives `pat` after `prefix`.
/// Returns the bytes (prefix included) and the code (`DONE` or the error,
/// in which case the bytes are the partial result).
pub fn receive<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    pat: Pattern,
    prefix: &[u8],
) -> (Out, i32) {
    match pat {
        Pattern::Line => recv_line(s, io, tm, prefix),
        Pattern::All => recv_all(s, io, tm, prefix),
        Pattern::Count(n) => recv_raw(s, io, tm, n, prefix),
    }
}

fn owned(prefix: &[u8], extra: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(prefix.len() + extra);
    v.extend_from_slice(prefix);
    v
}

fn recv_line<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    prefix: &[u8],
) -> (Out, i32) {
    let mut out: Option<Vec<u8>> = if prefix.is_empty() {
        None
    } else {
        Some(owned(prefix, 128))
    };
    loop {
        let (err, f, l) = get(s, io, tm);
        let area = s.area();
        let avail = &area[f..l];
        let (seg, found) = match memchr(b'\n', avail) {
            Some(p) => (&avail[..p], true),
            None => (avail, false),
        };
        let seglen = seg.len();
        if found && out.is_none() {
            // The whole line is buffered: drop CRs in place (those bytes are
            // consumed anyway) and hand out the area, no allocation.
            let n = squeeze_cr(&mut s.area()[f..f + seglen]);
            skip(s, seglen + 1);
            return (Out::Area(f, n), DONE);
        }
        push_without_cr(out.get_or_insert_with(|| owned(b"", seglen + 128)), seg);
        if found {
            skip(s, seglen + 1);
            return (Out::Owned(out.unwrap_or_default()), err);
        }
        skip(s, seglen);
        if err != DONE {
            return (Out::Owned(out.unwrap_or_default()), err);
        }
    }
}

/// A result under construction: `v[..filled]` is data; `v[filled..]` is
/// zeroed room kept between direct reads, so a trickling peer does not cost a
/// fresh memset of the whole chunk on every read.
struct Acc {
    v: Vec<u8>,
    filled: usize,
}

impl Acc {
    fn new(prefix: &[u8], extra: usize) -> Acc {
        let v = owned(prefix, extra);
        Acc { filled: v.len(), v }
    }
    fn extend(&mut self, s: &[u8]) {
        self.v.truncate(self.filled);
        self.v.extend_from_slice(s);
        self.filled = self.v.len();
    }
    /// One recv of up to `want` bytes straight into the result.
    fn read<I: Io>(&mut self, io: &mut I, tm: &mut Timeout, want: usize) -> (usize, i32) {
        let end = self.filled + want;
        if self.v.len() < end {
            self.v.resize(end, 0);
        }
        let (got, err) = io.recv(&mut self.v[self.filled..end], tm);
        let got = got.min(want);
        self.filled += got;
        (got, err)
    }
    fn done(mut self, err: i32) -> (Out, i32) {
        self.v.truncate(self.filled);
        (Out::Owned(self.v), err)
    }
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
    prefix: &[u8],
) -> (Out, i32) {
    // Fast path: the whole answer is buffered and there is no prefix.
    {
        let w = *s.window();
        let avail = (w.last - w.first) as u64;
        if prefix.is_empty() && !w.is_empty() && wanted <= avail {
            skip(s, wanted as usize);
            return (Out::Area(w.first, wanted as usize), DONE);
        }
    }
    let mut out = Acc::new(prefix, (wanted.min(BUF_SIZE as u64)) as usize);
    let mut total: u64 = 0;
    loop {
        let remaining = wanted - total;
        if s.window().is_empty() && remaining >= BUF_SIZE as u64 {
            // Bulk: bypass the buffer in whole BUF_SIZE steps; the tail goes
            // through the buffer, so excess bytes end up buffered (and
            // `dirty()`) just as with the C core's 8 KiB reads.
            let whole = remaining - remaining % BUF_SIZE as u64;
            let want = (whole.min(chunk(out.filled, I::STEP) as u64)) as usize;
            let (got, err) = out.read(io, tm, want);
            total += got as u64;
            s.stats().received += got;
            if err != DONE || total >= wanted {
                return out.done(err);
            }
            continue;
        }
        let (err, f, l) = get(s, io, tm);
        let n = ((l - f) as u64).min(remaining) as usize;
        out.extend(&s.area()[f..f + n]);
        skip(s, n);
        total += n as u64;
        if err != DONE || total >= wanted {
            return out.done(err);
        }
    }
}

fn recv_all<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    prefix: &[u8],
) -> (Out, i32) {
    let mut out = Acc::new(prefix, BUF_SIZE);
    let mut total: u64 = 0;
    if !s.window().is_empty() {
        let (_, f, l) = get(s, io, tm);
        out.extend(&s.area()[f..l]);
        skip(s, l - f);
        total += (l - f) as u64;
    }
    // the buffer is empty now and stays so: read straight into the result
    let err = loop {
        let want = chunk(out.filled, I::STEP);
        let (got, err) = out.read(io, tm, want);
        total += got as u64;
        s.stats().received += got;
        if err != DONE {
            break err;
        }
    };
    out.done(if err == CLOSED && total > 0 {
        DONE
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
/// normalised by [`send_range`]) and returns (last index sent, code).
pub fn send<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &mut Timeout,
    data: &[u8],
    i: i64,
    j: i64,
) -> (i64, i32) {
    let (start, end) = send_range(data.len(), i, j);
    let mut err = DONE;
    let mut total = 0usize;
    if start <= end {
        let part = &data[(start - 1) as usize..end as usize];
        while total < part.len() && err == DONE {
            let rest = &part[total..];
            let step = &rest[..rest.len().min(I::STEP)];
            let (done, e) = io.send(step, tm);
            total += done.min(step.len());
            err = e;
        }
        s.stats().sent += total;
    }
    (total as i64 + start - 1, err)
}

#[cfg(test)]
#[path = "buffer_tests.rs"]
mod tests;
