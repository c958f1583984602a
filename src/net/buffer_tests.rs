use super::*;
use std::collections::VecDeque;

const DONE: Result<()> = Ok(());
const CLOSED: Result<()> = Err(Code::Closed);
const TIMEOUT: Result<()> = Err(Code::Timeout);

/// A scripted transport: each recv returns the next chunk (cut to the
/// caller's buffer), then `end` forever; sends accept at most `cap` bytes.
struct Fake {
    chunks: VecDeque<Vec<u8>>,
    end: Result<()>,
    recvs: usize,
    sent: Vec<u8>,
    cap: usize,
    send_err_after: Option<usize>,
}

impl Fake {
    fn new(chunks: &[&[u8]], end: Result<()>) -> Fake {
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
    fn recv(&mut self, buf: &mut [u8], _tm: &mut Timeout) -> Moved {
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
    fn send(&mut self, data: &[u8], _tm: &mut Timeout) -> Moved {
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

/// A stream object's buffer as the Lua side assembles it.
struct TestBuf {
    st: StreamBuf,
    area: Vec<u8>,
    /// receives answered without a result buffer
    fast: usize,
}

impl TestBuf {
    fn new() -> TestBuf {
        TestBuf {
            st: StreamBuf::new(),
            area: vec![0; BUF_SIZE],
            fast: 0,
        }
    }
    fn is_empty(&self) -> bool {
        self.st.is_empty()
    }
}

/// One receive the way socket::buffer::receive runs it.
fn rx(b: &mut TestBuf, io: &mut Fake, pat: Pattern, prefix: &[u8]) -> (Vec<u8>, Result<()>) {
    let mut tm = Timeout::default();
    let mut s = ObjBuf {
        state: &mut b.st,
        area: &mut b.area,
    };
    if prefix.is_empty() {
        if let Fast::Area(off, len, e) = receive_fast(&mut s, io, &mut tm, pat) {
            b.fast += 1;
            return (b.area[off..off + len].to_vec(), e);
        }
    }
    let mut out = prefix.to_vec();
    let e = receive(&mut s, io, &mut tm, pat, &mut out).unwrap();
    (out, e)
}

#[test]
fn lines_drop_every_cr() {
    let mut b = TestBuf::new();
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
    assert_eq!(b.st.stats.received, 7 + 7 + 4);
    assert!(b.is_empty());
}

#[test]
fn line_prefix_and_timeout_partial() {
    let mut b = TestBuf::new();
    let mut io = Fake::new(&[b"abc"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b"x"),
        (b"xabc".to_vec(), TIMEOUT)
    );
}

#[test]
fn count_with_prefix_rules() {
    let mut b = TestBuf::new();
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
}

#[test]
fn receive_zero() {
    // buffered data: "" without I/O
    let mut b = TestBuf::new();
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
    let mut b2 = TestBuf::new();
    let mut io2 = Fake::new(&[b"zz"], TIMEOUT);
    assert_eq!(
        rx(&mut b2, &mut io2, Pattern::Count(0), b""),
        (b"".to_vec(), DONE)
    );
    assert!(!b2.is_empty());
    let mut io3 = Fake::new(&[], CLOSED);
    let mut b3 = TestBuf::new();
    assert_eq!(
        rx(&mut b3, &mut io3, Pattern::Count(0), b""),
        (b"".to_vec(), CLOSED)
    );
}

#[test]
fn all_mode() {
    let mut b = TestBuf::new();
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
    assert_eq!(b.st.stats.received, 2 + 100_004);
    // a timeout after some data keeps the error
    let mut io2 = Fake::new(&[b"abc"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io2, Pattern::All, b""),
        (b"abc".to_vec(), TIMEOUT)
    );
}

#[test]
fn big_count_reads_direct_and_keeps_excess_buffered() {
    let mut b = TestBuf::new();
    let data: Vec<u8> = (0..50_000u32).map(|i| i as u8).collect();
    let mut io = Fake::new(&[&data], CLOSED);
    let (v, e) = rx(&mut b, &mut io, Pattern::Count(20_000), b"");
    assert_eq!(e, DONE);
    assert_eq!(v, data[..20_000].to_vec());
    // like the C core: three 8 KiB reads for 20000, the rest stays buffered
    assert_eq!(b.st.win.last - b.st.win.first, 3 * BUF_SIZE - 20_000);
    let (v2, e2) = rx(&mut b, &mut io, Pattern::Count(1_000_000_000_000), b"");
    assert_eq!(e2, CLOSED);
    assert_eq!(v2, data[20_000..].to_vec());
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
    match receive_fast(&mut *b, &mut io, &mut tm, Pattern::Line) {
        Fast::Area(off, len, e) => assert_eq!((&b.data[off..off + len], e), (&b"a"[..], DONE)),
        Fast::Sink => panic!("a buffered line needs no result buffer"),
    }
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
    let mut b = TestBuf::new();
    let mut tm = Timeout::default();
    let tm = &mut tm;
    let mut io = Fake::new(&[], CLOSED);
    io.cap = 3;
    assert_eq!(
        send(&mut b.st.stats, &mut io, tm, b"abcdef", 2, 4),
        (4, DONE)
    );
    assert_eq!(io.sent, b"bcd");
    assert_eq!(send(&mut b.st.stats, &mut io, tm, b"abc", 5, -1), (4, DONE));
    assert_eq!(send(&mut b.st.stats, &mut io, tm, b"", 1, -1), (0, DONE));
    assert_eq!(
        send(&mut b.st.stats, &mut io, tm, b"abcdefgh", 1, -1),
        (8, DONE)
    );
    assert_eq!(b.st.stats.sent, 3 + 8);
    io.send_err_after = Some(io.sent.len() + 3);
    assert_eq!(
        send(&mut b.st.stats, &mut io, tm, b"123456", 1, -1),
        (3, CLOSED)
    );
}

#[test]
fn trickle_into_all_and_huge_count() {
    let chunks: Vec<Vec<u8>> = (0..1000u32)
        .map(|i| format!("{:09}\n", i).into_bytes())
        .collect();
    let refs: Vec<&[u8]> = chunks.iter().map(|c| &c[..]).collect();
    let expect: Vec<u8> = chunks.concat();
    let mut b = TestBuf::new();
    let mut io = Fake::new(&refs, CLOSED);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::All, b""),
        (expect.clone(), DONE)
    );
    assert_eq!(io.recvs, 1001);
    let mut b2 = TestBuf::new();
    let mut io2 = Fake::new(&refs, TIMEOUT);
    let (v, e) = rx(&mut b2, &mut io2, Pattern::Count(u64::MAX / 2), b"pre");
    assert_eq!(e, TIMEOUT);
    assert_eq!(&v[..3], b"pre");
    assert_eq!(&v[3..], &expect[..]);
    assert_eq!(b2.st.stats.received, expect.len());
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

#[test]
fn common_receives_need_no_result_buffer() {
    let mut b = TestBuf::new();
    let mut io = Fake::new(&[b"one\r\ntwo\n", b"th", b"ree\n", b"0123456789"], TIMEOUT);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"one".to_vec(), DONE)
    );
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"two".to_vec(), DONE)
    );
    assert_eq!(b.fast, 2);
    // a line across two reads needs one
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Line, b""),
        (b"three".to_vec(), DONE)
    );
    assert_eq!(b.fast, 2);
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(4), b""),
        (b"0123".to_vec(), DONE)
    );
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(0), b""),
        (b"".to_vec(), DONE)
    );
    assert_eq!(b.fast, 4);
    // more than is buffered: a result buffer, then the partial result
    assert_eq!(
        rx(&mut b, &mut io, Pattern::Count(10), b""),
        (b"456789".to_vec(), TIMEOUT)
    );
    assert_eq!(b.fast, 4);
    // a failed first refill answers from the (empty) area
    let mut io2 = Fake::new(&[], TIMEOUT);
    let mut b2 = TestBuf::new();
    assert_eq!(
        rx(&mut b2, &mut io2, Pattern::Count(5), b""),
        (Vec::new(), TIMEOUT)
    );
    assert_eq!(
        rx(&mut b2, &mut io2, Pattern::Line, b""),
        (Vec::new(), TIMEOUT)
    );
    assert_eq!(b2.fast, 2);
}

#[test]
fn a_refused_result_buffer_is_an_error_not_an_abort() {
    let mut st = StreamBuf::new();
    let mut area = vec![0u8; BUF_SIZE];
    let mut s = ObjBuf {
        state: &mut st,
        area: &mut area,
    };
    let big = vec![b'x'; 100_000];
    let mut io = Fake::new(&[&big], CLOSED);
    let mut tm = Timeout::default();
    let mut small = [0u8; 1000];
    let mut out = crate::net::sink::Fixed::new(&mut small);
    assert_eq!(
        receive(&mut s, &mut io, &mut tm, Pattern::All, &mut out),
        Err(Oom)
    );
}

#[test]
fn memchr_finds_the_first() {
    assert_eq!(memchr(b'\n', b""), None);
    assert_eq!(memchr(b'\n', b"abc"), None);
    assert_eq!(memchr(b'\n', b"\n"), Some(0));
    let mut long = vec![b'x'; 5000];
    long[4321] = b'\n';
    long[4999] = b'\n';
    assert_eq!(memchr(b'\n', &long), Some(4321));
    assert_eq!(memchr(b'\n', &long[4322..]), Some(677));
}
