use super::*;
use crate::net::errors::TIMEOUT;
use std::collections::VecDeque;

/// A scripted transport: each recv returns the next chunk (cut to the
/// caller's buffer), then `end` forever; sends accept at most `cap` bytes.
struct Fake {
    chunks: VecDeque<Vec<u8>>,
    end: i32,
    recvs: usize,
    sent: Vec<u8>,
    cap: usize,
    send_err_after: Option<usize>,
}

impl Fake {
    fn new(chunks: &[&[u8]], end: i32) -> Fake {
        Fake {
            chunks: chunks.iter().map(|c| c.to_vec()).collect(),
            end,
            recvs: 0,
            sent: Vec::new(),
            cap: usize::MAX,
            send_err_after: None,
        }
    }
}

impl Io for Fake {
    fn recv(&mut self, buf: &mut [u8], _tm: &mut Timeout) -> (usize, i32) {
        self.recvs += 1;
        match self.chunks.pop_front() {
            Some(mut c) => {
                let n = c.len().min(buf.len());
                buf[..n].copy_from_slice(&c[..n]);
                if n < c.len() {
                    self.chunks.push_front(c.split_off(n));
                }
                (n, DONE)
            }
            None => (0, self.end),
        }
    }
    fn send(&mut self, data: &[u8], _tm: &mut Timeout) -> (usize, i32) {
        if let Some(limit) = self.send_err_after {
            if self.sent.len() >= limit {
                return (0, CLOSED);
            }
        }
        let n = data.len().min(self.cap);
        self.sent.extend_from_slice(&data[..n]);
        (n, DONE)
    }
}

fn bytes<S: Storage>(s: &mut S, o: Out) -> Vec<u8> {
    match o {
        Out::Area(off, len) => s.area()[off..off + len].to_vec(),
        Out::Owned(v) => v,
    }
}

fn rx(b: &mut LazyBuffer, io: &mut Fake, pat: Pattern, prefix: &[u8]) -> (Vec<u8>, i32) {
    let mut tm = Timeout::default();
    let (o, e) = receive(b, io, &mut tm, pat, prefix);
    (bytes(b, o), e)
}

#[test]
fn lines_drop_every_cr() {
    let mut b = LazyBuffer::new();
    let mut io = Fake::new(&[b"hel", b"lo\r\nwor\rld\nlast"], CLOSED);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"hello".to_vec(), DONE)
    );
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"world".to_vec(), DONE)
    );
    assert!(!b.is_empty());
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b"p:"),
        (b"p:last".to_vec(), CLOSED)
    );
    assert_eq!(b.stats.received, 7 + 7 + 4);
    assert!(b.is_empty());
    b.free();
}

#[test]
fn line_prefix_and_timeout_partial() {
    let mut b = LazyBuffer::new();
    let mut io = Fake::new(&[b"abc"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b"x"),
        (b"xabc".to_vec(), TIMEOUT)
    );
    b.free();
}

#[test]
fn count_with_prefix_rules() {
    let mut b = LazyBuffer::new();
    let mut io = Fake::new(&[b"0123456789"], CLOSED);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(3), b""),
        (b"012".to_vec(), DONE)
    );
    assert!(!b.is_empty());
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(2), b"ab"),
        (b"ab34".to_vec(), DONE)
    );
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(100), b""),
        (b"56789".to_vec(), CLOSED)
    );
    assert_eq!(io.recvs, 2);
    b.free();
}

#[test]
fn receive_zero() {
    // buffered data: "" without I/O
    let mut b = LazyBuffer::new();
    let mut io = Fake::new(&[b"ab"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(1), b""),
        (b"a".to_vec(), DONE)
    );
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(0), b""),
        (b"".to_vec(), DONE)
    );
    assert_eq!(io.recvs, 1);
    // empty buffer: one read attempt, data kept
    let mut b2 = LazyBuffer::new();
    let mut io2 = Fake::new(&[b"zz"], TIMEOUT);
    assert_eq!(
        rx(&mut b2, &mut io2, Pattern::Count(0), b""),
        (b"".to_vec(), DONE)
    );
    assert!(!b2.is_empty());
    let mut io3 = Fake::new(&[], CLOSED);
    let mut b3 = LazyBuffer::new();
    assert_eq!(
        rx(&mut b3, &mut io3, Pattern::Count(0), b""),
        (b"".to_vec(), CLOSED)
    );
    b.free();
    b2.free();
    b3.free();
}

#[test]
fn all_mode() {
    let mut b = LazyBuffer::new();
    let big = vec![7u8; 100_000];
    let mut io = Fake::new(&[b"x\n", &big, b"tail"], CLOSED);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"x".to_vec(), DONE)
    );
    let (v, e) = rx(&mut b, &mut io, Pattern::All, b"P");
    assert_eq!(e, DONE);
    assert_eq!(v.len(), 1 + 100_000 + 4);
    assert_eq!(&v[..1], b"P");
    // at EOF with nothing new: closed, prefix returned
    assert_eq!(
        rx(&mut b, &mut io, Pattern::All, b"q"),
        (b"q".to_vec(), CLOSED)
    );
    assert_eq!(b.stats.received, 2 + 100_004);
    // a timeout after some data keeps the error
    let mut io2 = Fake::new(&[b"abc"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io2, Pattern::All, b""),
        (b"abc".to_vec(), TIMEOUT)
    );
    b.free();
}

#[test]
fn big_count_reads_direct_and_keeps_excess_buffered() {
    let mut b = LazyBuffer::new();
    let data: Vec<u8> = (0..50_000u32).map(|i| i as u8).collect();
    let mut io = Fake::new(&[&data], CLOSED);
    let (v, e) = rx(&mut b, &mut io, Pattern::Count(20_000), b"");
    assert_eq!(e, DONE);
    assert_eq!(v, data[..20_000].to_vec());
    // like the C core: three 8 KiB reads for 20000, the rest stays buffered
    assert_eq!(b.win.last - b.win.first, 3 * BUF_SIZE - 20_000);
    let (v2, e2) = rx(&mut b, &mut io, Pattern::Count(1_000_000_000_000), b"");
    assert_eq!(e2, CLOSED);
    assert_eq!(v2, data[20_000..].to_vec());
    b.free();
}

#[test]
fn lazy_allocation() {
    let mut b = LazyBuffer::new();
    assert!(b.data.is_null());
    let mut io = Fake::new(&[], TIMEOUT);
    let _ = rx(&mut b, &mut io, Pattern::Line, b"");
    assert!(!b.data.is_null());
    b.free();
    assert!(b.data.is_null());
    b.free();
}

#[test]
fn c_layout_storage_works_too() {
    let mut b = Box::new(crate::net::cbuffer::CBuffer {
        stats: Stats::new(),
        io: std::ptr::null_mut(),
        tm: std::ptr::null_mut(),
        win: Window::default(),
        data: [0; BUF_SIZE],
    });
    let mut io = Fake::new(&[b"a\r\nb\n"], CLOSED);
    let mut tm = Timeout::default();
    let (o, e) = receive(&mut *b, &mut io, &mut tm, Pattern::Line, b"");
    assert_eq!((bytes(&mut *b, o), e), (b"a".to_vec(), DONE));
    assert_eq!(b.stats.received, 3);
}

#[test]
fn send_indices() {
    assert_eq!(send_range(6, 2, 4), (2, 4));
    assert_eq!(send_range(3, 5, -1), (5, 3));
    assert_eq!(send_range(3, -2, -1), (2, 3));
    assert_eq!(send_range(3, -10, 10), (1, 3));
    assert_eq!(send_range(0, 1, -1), (1, 0));
    assert_eq!(send_range(3, i64::MIN, -1), (1, 3));
    let mut b = LazyBuffer::new();
    let mut tm = Timeout::default();
    let tm = &mut tm;
    let mut io = Fake::new(&[], CLOSED);
    io.cap = 3;
    assert_eq!(send(&mut b, &mut io, tm, b"abcdef", 2, 4), (4, DONE));
    assert_eq!(io.sent, b"bcd");
    assert_eq!(send(&mut b, &mut io, tm, b"abc", 5, -1), (4, DONE));
    assert_eq!(send(&mut b, &mut io, tm, b"", 1, -1), (0, DONE));
    assert_eq!(send(&mut b, &mut io, tm, b"abcdefgh", 1, -1), (8, DONE));
    assert_eq!(b.stats.sent, 3 + 8);
    io.send_err_after = Some(io.sent.len() + 3);
    assert_eq!(send(&mut b, &mut io, tm, b"123456", 1, -1), (3, CLOSED));
    assert!(b.data.is_null(), "send never allocates the read buffer");
}

#[test]
fn trickle_into_all_and_huge_count() {
    let chunks: Vec<Vec<u8>> = (0..1000u32)
        .map(|i| format!("{:09}\n", i).into_bytes())
        .collect();
    let refs: Vec<&[u8]> = chunks.iter().map(|c| &c[..]).collect();
    let expect: Vec<u8> = chunks.concat();
    let mut b = LazyBuffer::new();
    let mut io = Fake::new(&refs, CLOSED);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::All, b""),
        (expect.clone(), DONE)
    );
    assert_eq!(io.recvs, 1001);
    let mut b2 = LazyBuffer::new();
    let mut io2 = Fake::new(&refs, TIMEOUT);
    let (v, e) = rx(&mut b2, &mut io2, Pattern::Count(u64::MAX / 2), b"pre");
    assert_eq!(e, TIMEOUT);
    assert_eq!(&v[..3], b"pre");
    assert_eq!(&v[3..], &expect[..]);
    assert_eq!(b2.stats.received, expect.len());
    b.free();
    b2.free();
}

#[test]
fn squeeze() {
    let mut v = b"a\rb\r\rc\r".to_vec();
    assert_eq!(squeeze_cr(&mut v), 3);
    assert_eq!(&v[..3], b"abc");
    let mut w = b"plain".to_vec();
    assert_eq!(squeeze_cr(&mut w), 5);
    let mut e: Vec<u8> = b"\r\r".to_vec();
    assert_eq!(squeeze_cr(&mut e), 0);
}
