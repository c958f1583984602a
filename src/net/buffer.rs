//! Buffered stream I/O (the C core's buffer.c): the `receive` patterns, `send`
//! with its index rules, and the byte statistics, written once for every
//! stream object (tcp, unix, serial, and a C-ABI buffer).
//!
//! Generic over where bytes come from ([`Io`]) and where the read buffer lives
//! ([`Storage`]). Results accumulate in a `Vec` the caller pushes once; bulk
//! reads (`*a`, large counts) go straight into it in large chunks, while
//! smaller reads go through the 8 KiB buffer so that excess bytes stay
//! buffered (and `dirty()`) as in the C core.
use super::errors::{ErrText, CLOSED, DONE};
use super::timeout::Timeout;

/// `BUF_SIZE`: the read buffer and the C core's read step.
pub const BUF_SIZE: usize = 8192;

/// A byte transport with the C core's `p_io` semantics: one call moves at
/// least one byte or fails; `code` is `DONE`, `TIMEOUT`, `CLOSED` or errno.
pub trait Io {
    fn recv(&mut self, buf: &mut [u8], tm: &Timeout) -> (usize, i32);
    fn send(&mut self, data: &[u8], tm: &Timeout) -> (usize, i32);
    /// The text of a failure code (`socket_ioerror` for sockets).
    fn error(&self, code: i32) -> ErrText {
        super::errors::socket_strerror(code).unwrap_or(ErrText::new(b"unknown error"))
    }
}

/// A socket descriptor as a transport (`socket_send`/`socket_recv`).
pub struct FdIo(pub super::sock::Fd);

impl Io for FdIo {
    fn recv(&mut self, buf: &mut [u8], tm: &Timeout) -> (usize, i32) {
        super::sock::recv(self.0, buf, tm)
    }
    fn send(&mut self, data: &[u8], tm: &Timeout) -> (usize, i32) {
        super::sock::send(self.0, data, tm)
    }
}

/// Read indices and statistics of a buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Meta {
    /// creation time, for `getstats`' age
    pub birthday: f64,
    /// bytes handed out by `receive` (consumed from the buffer)
    pub received: u64,
    pub sent: u64,
    pub first: usize,
    pub last: usize,
}

impl Meta {
    pub fn new() -> Meta {
        Meta {
            birthday: super::time::gettime(),
            ..Meta::default()
        }
    }
    pub fn is_empty(&self) -> bool {
        self.first >= self.last
    }
}

/// Where the buffered bytes live.
pub trait Storage {
    fn meta(&mut self) -> &mut Meta;
    /// The `BUF_SIZE`-byte area, allocated on first use.
    fn area(&mut self) -> &mut [u8];
}

/// The storage of Lua objects: a lazily allocated heap block behind a raw
/// pointer, so an idle object stays small and the struct stays `Copy` (the
/// owner frees it with [`LazyBuffer::free`] in `__gc`).
#[derive(Clone, Copy, Debug)]
pub struct LazyBuffer {
    pub meta: Meta,
    data: *mut u8,
}

impl LazyBuffer {
    pub fn new() -> LazyBuffer {
        LazyBuffer {
            meta: Meta::new(),
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
        self.meta.first = 0;
        self.meta.last = 0;
    }
    /// Unread bytes (without allocating).
    pub fn pending(&self) -> &[u8] {
        if self.data.is_null() || self.meta.is_empty() {
            return &[];
        }
        // SAFETY: first < last <= BUF_SIZE inside the live block.
        unsafe {
            std::slice::from_raw_parts(
                self.data.add(self.meta.first),
                self.meta.last - self.meta.first,
            )
        }
    }
    /// Bytes `[off, off+len)` of the area (empty if never allocated), for
    /// pushing an [`Out::Area`] result.
    pub fn area_slice(&self, off: usize, len: usize) -> &[u8] {
        if self.data.is_null() || off.saturating_add(len) > BUF_SIZE {
            return &[];
        }
        // SAFETY: inside the live BUF_SIZE block.
        unsafe { std::slice::from_raw_parts(self.data.add(off), len) }
    }
    /// `buffer_isempty`
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }
}

impl Default for LazyBuffer {
    fn default() -> Self {
        LazyBuffer::new()
    }
}

impl Storage for LazyBuffer {
    fn meta(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn area(&mut self) -> &mut [u8] {
        if self.data.is_null() {
            self.data = Box::into_raw(vec![0u8; BUF_SIZE].into_boxed_slice()) as *mut u8;
        }
        // SAFETY: a live BUF_SIZE block owned by this buffer.
        unsafe { std::slice::from_raw_parts_mut(self.data, BUF_SIZE) }
    }
}

/// Storage with the data inline (the C ABI's `t_buffer` shape).
#[derive(Clone)]
pub struct InlineBuffer {
    pub meta: Meta,
    pub data: [u8; BUF_SIZE],
}

impl Storage for InlineBuffer {
    fn meta(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn area(&mut self) -> &mut [u8] {
        &mut self.data
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
fn get<S: Storage, I: Io>(s: &mut S, io: &mut I, tm: &Timeout) -> (i32, usize, usize) {
    let mut err = DONE;
    if s.meta().is_empty() {
        let (got, e) = io.recv(s.area(), tm);
        err = e;
        let m = s.meta();
        m.first = 0;
        m.last = got;
    }
    let m = s.meta();
    (err, m.first, m.last)
}

/// `buffer_skip`: consumes `n` buffered bytes.
fn skip<S: Storage>(s: &mut S, n: usize) {
    let m = s.meta();
    m.received += n as u64;
    m.first += n;
    if m.is_empty() {
        m.first = 0;
        m.last = 0;
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
    tm: &Timeout,
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

fn recv_line<S: Storage, I: Io>(s: &mut S, io: &mut I, tm: &Timeout, prefix: &[u8]) -> (Out, i32) {
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
    fn read<I: Io>(&mut self, io: &mut I, tm: &Timeout, want: usize) -> (usize, i32) {
        let end = self.filled + want;
        if self.v.len() < end {
            self.v.resize(end, 0);
        }
        let (got, err) = io.recv(&mut self.v[self.filled..end], tm);
        self.filled += got;
        (got, err)
    }
    fn done(mut self, err: i32) -> (Out, i32) {
        self.v.truncate(self.filled);
        (Out::Owned(self.v), err)
    }
}

/// Chunk size for direct reads: grows with what has arrived, so a huge
/// request never reserves memory it has not received.
fn chunk(have: usize) -> usize {
    have.clamp(BUF_SIZE * 8, 1 << 22) / BUF_SIZE * BUF_SIZE
}

fn recv_raw<S: Storage, I: Io>(
    s: &mut S,
    io: &mut I,
    tm: &Timeout,
    wanted: u64,
    prefix: &[u8],
) -> (Out, i32) {
    // Fast path: the whole answer is buffered and there is no prefix.
    {
        let m = *s.meta();
        let avail = (m.last - m.first) as u64;
        if prefix.is_empty() && !m.is_empty() && wanted <= avail {
            skip(s, wanted as usize);
            return (Out::Area(m.first, wanted as usize), DONE);
        }
    }
    let mut out = Acc::new(prefix, (wanted.min(BUF_SIZE as u64)) as usize);
    let mut total: u64 = 0;
    loop {
        let m = *s.meta();
        let remaining = wanted - total;
        if m.is_empty() && remaining >= BUF_SIZE as u64 {
            // Bulk: bypass the buffer in whole BUF_SIZE steps; the tail goes
            // through the buffer, so excess bytes end up buffered (and
            // `dirty()`) just as with the C core's 8 KiB reads.
            let whole = remaining - remaining % BUF_SIZE as u64;
            let want = (whole.min(chunk(out.filled) as u64)) as usize;
            let (got, err) = out.read(io, tm, want);
            total += got as u64;
            s.meta().received += got as u64;
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

fn recv_all<S: Storage, I: Io>(s: &mut S, io: &mut I, tm: &Timeout, prefix: &[u8]) -> (Out, i32) {
    let mut out = Acc::new(prefix, BUF_SIZE);
    let mut total: u64 = 0;
    if !s.meta().is_empty() {
        let (_, f, l) = get(s, io, tm);
        out.extend(&s.area()[f..l]);
        skip(s, l - f);
        total += (l - f) as u64;
    }
    // the buffer is empty now and stays so: read straight into the result
    let err = loop {
        let want = chunk(out.filled);
        let (got, err) = out.read(io, tm, want);
        total += got as u64;
        s.meta().received += got as u64;
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
    tm: &Timeout,
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
            let (done, e) = io.send(&part[total..], tm);
            total += done;
            err = e;
        }
        s.meta().sent += total as u64;
    }
    (total as i64 + start - 1, err)
}

#[cfg(test)]
#[path = "buffer_tests.rs"]
mod tests;
