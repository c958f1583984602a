//! Unit tests of the codecs: the spec's examples, plus a literal per-byte
//! port of mime.c (the `naive` module) checked against the bulk versions on
//! deterministic random inputs split at every kind of boundary, each run
//! into three sinks (a growable one, one that grants only tiny windows, and
//! a fixed array of the filter's bound: so the bounds hold and window
//! boundaries change nothing); and the filters' cost stays linear.
use super::base64::*;
use super::qp::*;
use super::*;
use crate::net::sink::Fixed;

/// A sink that grants at most [`Stingy::MAX`] bytes of room at a time, so
/// that the filters stop and resume at every window boundary.
#[derive(Default)]
struct Stingy(Vec<u8>);

impl Stingy {
    const MAX: usize = 32;
}

impl Sink for Stingy {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn as_slice(&self) -> &[u8] {
        &self.0
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        if n > Self::MAX {
            return Err(Oom);
        }
        self.0.room(n)
    }
    fn commit(&mut self, n: usize) {
        self.0.commit(n)
    }
    fn truncate(&mut self, n: usize) {
        Sink::truncate(&mut self.0, n)
    }
}

/// Runs `$call` (with `$s` a sink) into a Vec, a Stingy sink, a Fixed
/// array of `bound + need` bytes and a stack buffer; all must agree (and
/// the arrays must suffice). Gives the Vec's bytes and the context.
macro_rules! three {
    ($bound:expr, $need:expr, |$s:ident| $call:expr) => {{
        let mut v: Vec<u8> = Vec::new();
        let a = {
            let $s = &mut v;
            $call
        }
        .expect("vec");
        let mut st = Stingy::default();
        let b = {
            let $s = &mut st;
            $call
        }
        .expect("stingy");
        assert_eq!(
            (&v, &a),
            (&st.0, &b),
            "window boundaries changed the result"
        );
        let bound: usize = $bound.expect("bound");
        assert!(v.len() <= bound, "output {} over bound {bound}", v.len());
        let mut arr = vec![0u8; bound + $need];
        let mut fx = Fixed::new(&mut arr);
        let c = {
            let $s = &mut fx;
            $call
        }
        .expect("fixed array of the bound");
        assert_eq!((&v[..], &a), (fx.as_slice(), &c));
        let mut arr = crate::mime::stack::array();
        let mut sb = crate::mime::stack::StackBuf::new(&mut arr);
        let d = {
            let $s = &mut sb;
            $call
        }
        .expect("stack buffer");
        assert_eq!((&v[..], &a), (sb.as_slice(), &d));
        (v, a)
    }};
}

fn s(v: &(Vec<u8>, Atom)) -> (&[u8], &[u8]) {
    (&v.0, v.1.as_bytes())
}

fn dlen(d: Option<&[u8]>) -> usize {
    d.map_or(0, <[u8]>::len)
}
fn b64(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let n = c.len() + dlen(d);
    three!(b64_bound(n, d.is_none()), B64_NEED, |s| super::b64(c, d, s))
}
fn unb64(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let n = c.len() + dlen(d);
    three!(unb64_bound(n), 3, |s| super::unb64(c, d, s))
}
fn qp(c: &[u8], d: Option<&[u8]>, m: &[u8]) -> (Vec<u8>, Atom) {
    let n = c.len() + dlen(d);
    three!(qp_bound(n, m), qp_need(m), |s| super::qp(c, d, m, s))
}
fn unqp(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let n = c.len() + dlen(d);
    three!(unqp_bound(n), UNQP_NEED, |s| super::unqp(c, d, s))
}
fn wrp(left: i32, input: &[u8], length: i32) -> (Vec<u8>, i32) {
    three!(wrp_bound(input.len(), length), WRP_NEED, |s| {
        super::wrp(left, input, length, s)
    })
}
fn qpwrp(left: i32, input: &[u8], length: i32) -> (Vec<u8>, i32) {
    three!(qpwrp_bound(input.len(), length), WRP_NEED, |s| {
        super::qpwrp(left, input, length, s)
    })
}
fn eol(ctx: i32, input: &[u8], m: &[u8]) -> (Vec<u8>, i32) {
    three!(eol_bound(input.len(), m), eol_need(m), |s| {
        super::eol(ctx, input, m, s)
    })
}
fn dot(state: u64, input: &[u8]) -> (Vec<u8>, u64) {
    three!(dot_bound(input.len()), 2, |s| super::dot(state, input, s))
}

/// mime.c, one byte at a time, exactly as written there.
mod naive {
    use super::super::base64::*;
    use super::super::qp::*;
    use super::super::*;

    pub fn b64(input: &[u8], flush: bool) -> (Vec<u8>, Vec<u8>) {
        let mut out = Vec::new();
        let mut atom = Vec::new();
        for &c in input {
            atom.push(c);
            if atom.len() == 3 {
                out.extend_from_slice(&b64_group(atom[0], atom[1], atom[2]));
                atom.clear();
            }
        }
        if flush {
            let mut code = [b'='; 4];
            match atom.len() {
                1 => {
                    let v = (atom[0] as usize) << 4;
                    code[1] = B64_ALPHABET[v & 0x3f];
                    code[0] = B64_ALPHABET[v >> 6];
                    out.extend_from_slice(&code);
                }
                2 => {
                    let v = ((atom[0] as usize) << 8 | atom[1] as usize) << 2;
                    code[2] = B64_ALPHABET[v & 0x3f];
                    code[1] = B64_ALPHABET[(v >> 6) & 0x3f];
                    code[0] = B64_ALPHABET[v >> 12];
                    out.extend_from_slice(&code);
                }
                _ => {}
            }
            atom.clear();
        }
        (out, atom)
    }

    pub fn unb64(input: &[u8], flush: bool) -> (Vec<u8>, Vec<u8>) {
        let mut out = Vec::new();
        let mut atom = Vec::new();
        for &c in input {
            if B64_VALUE[c as usize] > 64 {
                continue;
            }
            atom.push(c);
            if atom.len() == 4 {
                let mut v: u32 = 0;
                for &a in &atom {
                    v = v << 6 | B64_VALUE[a as usize] as u32;
                }
                let d = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
                let valid = if atom[2] == b'=' {
                    1
                } else if atom[3] == b'=' {
                    2
                } else {
                    3
                };
                out.extend_from_slice(&d[..valid]);
                atom.clear();
            }
        }
        if flush {
            atom.clear();
        }
        (out, atom)
    }

    pub fn qp(input: &[u8], flush: bool, marker: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut out = Vec::new();
        let mut atom = Atom::default();
        for &c in input {
            let mut tmp = vec![0u8; qp_need(marker)];
            let mut cur = Cur { r: &mut tmp, o: 0 };
            qp_step(&mut atom, c, marker, &mut cur);
            let n = cur.o;
            out.extend_from_slice(&tmp[..n]);
        }
        let mut rest = atom.as_bytes().to_vec();
        if flush {
            for &b in &rest {
                if QP_CLASS[b as usize] == QP_PLAIN {
                    out.push(b)
                } else {
                    out.extend_from_slice(format!("={b:02X}").as_bytes())
                }
            }
            if !rest.is_empty() {
                out.extend_from_slice(b"=\r\n");
            }
            rest.clear();
        }
        (out, rest)
    }

    pub fn unqp(input: &[u8], flush: bool) -> (Vec<u8>, Vec<u8>) {
        let mut out = Vec::new();
        let mut atom = Atom::default();
        for &c in input {
            let mut tmp = [0u8; 3];
            let mut cur = Cur { r: &mut tmp, o: 0 };
            unqp_step(&mut atom, c, &mut cur);
            let n = cur.o;
            out.extend_from_slice(&tmp[..n]);
        }
        let mut rest = atom.as_bytes().to_vec();
        if flush {
            rest.clear();
        }
        (out, rest)
    }

    pub fn wrp(mut left: i32, input: &[u8], length: i32, qp: bool) -> (Vec<u8>, i32) {
        let mut out = Vec::new();
        for &c in input {
            match c {
                b'\r' => {}
                b'\n' => {
                    out.extend_from_slice(b"\r\n");
                    left = length;
                }
                _ => {
                    let limit = if !qp {
                        0
                    } else if c == b'=' {
                        3
                    } else {
                        1
                    };
                    if left <= limit {
                        left = length;
                        out.extend_from_slice(if qp { b"=\r\n" } else { b"\r\n" });
                    }
                    out.push(c);
                    left = left.wrapping_sub(1);
                }
            }
        }
        (out, left)
    }

    pub fn dot(mut state: u64, input: &[u8]) -> (Vec<u8>, u64) {
        let mut out = Vec::new();
        for &c in input {
            out.push(c);
            state = match c {
                b'\r' => 1,
                b'\n' => (state == 1) as u64 * 2,
                b'.' => {
                    if state == 2 {
                        out.push(b'.');
                    }
                    0
                }
                _ => 0,
            };
        }
        (out, state)
    }

    pub fn eol(mut ctx: i32, input: &[u8], marker: &[u8]) -> (Vec<u8>, i32) {
        let mut out = Vec::new();
        for &c in input {
            let c = c as i32;
            let cand = |x: i32| x == 13 || x == 10;
            if cand(c) {
                if cand(ctx) {
                    if c == ctx {
                        out.extend_from_slice(marker);
                    }
                    ctx = 0;
                } else {
                    out.extend_from_slice(marker);
                    ctx = c;
                }
            } else {
                out.push(c as u8);
                ctx = 0;
            }
        }
        (out, ctx)
    }
}

/// Deterministic generator biased towards the bytes the codecs care about.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
    fn bytes(&mut self) -> Vec<u8> {
        const SPECIAL: &[u8] = b"\r\n\r\n = \t=\0.AZaz09+/=3D=0A\xff\x80";
        let len = match self.below(4) {
            0 => self.below(4),
            1 => self.below(20),
            _ => self.below(300),
        } as usize;
        (0..len)
            .map(|_| match self.below(3) {
                0 => self.below(256) as u8,
                1 => SPECIAL[self.below(SPECIAL.len() as u32) as usize],
                _ => b"abcdefgh"[self.below(8) as usize],
            })
            .collect()
    }
}

#[test]
fn bulk_equals_per_byte_model() {
    let mut g = Lcg(12345);
    for _ in 0..6000 {
        let c = g.bytes();
        let d = g.bytes();
        let mut cd = c.clone();
        cd.extend_from_slice(&d);
        for flush in [false, true] {
            let dd = if flush { None } else { Some(&d[..]) };
            let whole: &[u8] = if flush { &c } else { &cd };
            let r = b64(&c, dd);
            assert_eq!(
                (r.0.clone(), r.1.as_bytes().to_vec()),
                naive::b64(whole, flush),
                "b64 {c:?} {d:?}"
            );
            let r = unb64(&c, dd);
            assert_eq!(
                (r.0.clone(), r.1.as_bytes().to_vec()),
                naive::unb64(whole, flush),
                "unb64 {c:?} {d:?}"
            );
            for marker in [&b"\r\n"[..], b"=0D=0A", b"", b"<long marker>"] {
                let r = qp(&c, dd, marker);
                assert_eq!(
                    (r.0.clone(), r.1.as_bytes().to_vec()),
                    naive::qp(whole, flush, marker),
                    "qp {c:?} {d:?}"
                );
            }
            let r = unqp(&c, dd);
            assert_eq!(
                (r.0.clone(), r.1.as_bytes().to_vec()),
                naive::unqp(whole, flush),
                "unqp {c:?} {d:?}"
            );
        }
        let left = g.below(90) as i32 - 10;
        let length = [76, 5, 1, 0, -3, 3, 4, 8, i32::MIN, i32::MAX][g.below(10) as usize];
        assert_eq!(
            wrp(left, &c, length),
            naive::wrp(left, &c, length, false),
            "wrp {left} {c:?} {length}"
        );
        assert_eq!(
            qpwrp(left, &c, length),
            naive::wrp(left, &c, length, true),
            "qpwrp {left} {c:?} {length}"
        );
        let ctx = [0, 10, 13, 99, -1][g.below(5) as usize];
        for marker in [&b"\r\n"[..], b"", b"\n", b"XYZ"] {
            assert_eq!(
                eol(ctx, &c, marker),
                naive::eol(ctx, &c, marker),
                "eol {ctx} {c:?}"
            );
        }
        let state = [0, 1, 2, 3, u64::MAX][g.below(5) as usize];
        assert_eq!(dot(state, &c), naive::dot(state, &c), "dot {state} {c:?}");
    }
}

#[test]
fn base64_examples() {
    assert_eq!(s(&b64(b"", None)), (&b""[..], &b""[..]));
    assert_eq!(s(&b64(b"a", None)), (&b"YQ=="[..], &b""[..]));
    assert_eq!(s(&b64(b"ab", None)), (&b"YWI="[..], &b""[..]));
    assert_eq!(s(&b64(b"a", Some(b""))), (&b""[..], &b"a"[..]));
    assert_eq!(s(&b64(b"ab", Some(b"cd"))), (&b"YWJj"[..], &b"d"[..]));
    assert_eq!(s(&b64(b"abcdefghij", None)).0, b"YWJjZGVmZ2hpag==");
    assert_eq!(s(&unb64(b"====", None)).0, b"\0");
    assert_eq!(s(&unb64(b"=AAA", None)).0, b"\0\0\0");
    assert_eq!(s(&unb64(b"AA=A", None)).0, b"\0");
    assert_eq!(s(&unb64(b"YQ", None)), (&b""[..], &b""[..]));
    assert_eq!(s(&unb64(b"YQ", Some(b""))), (&b""[..], &b"YQ"[..]));
    assert_eq!(s(&unb64(b"!!!", Some(b""))), (&b""[..], &b""[..]));
    assert_eq!(s(&unb64(b"YW\r\nJj!ZA==", None)).0, b"abcd");
}

#[test]
fn quoted_printable_examples() {
    let crlf = &b"\r\n"[..];
    assert_eq!(s(&qp(b"a ", Some(b""), crlf)), (&b"a"[..], &b" "[..]));
    assert_eq!(s(&qp(b"a  ", Some(b"b"), crlf)), (&b"a "[..], &b" b"[..]));
    assert_eq!(s(&qp(b"a ", None, crlf)).0, b"a=20=\r\n");
    assert_eq!(s(&qp(b"abc\r", None, crlf)).0, b"abc=0D=\r\n");
    assert_eq!(s(&qp(b"a \r\nb", None, crlf)).0, b"a=20\r\nb");
    assert_eq!(s(&qp(b"a\nb", None, crlf)).0, b"a=0Ab");
    assert_eq!(s(&qp(b"\xc8\xff~\x7f", None, crlf)).0, b"=C8=FF~=7F");
    assert_eq!(s(&qp(b"x\r\ny", None, b"=0D=0A")).0, b"x=0D=0Ay");
    assert_eq!(s(&unqp(b"=XYz", None)).0, b"=XYz");
    assert_eq!(s(&unqp(b"=\nab", None)).0, b"=\nab");
    assert_eq!(s(&unqp(b"a\rbc", None)).0, b"ac");
    assert_eq!(s(&unqp(b"abc=", Some(b""))), (&b"abc"[..], &b"="[..]));
    assert_eq!(s(&unqp(b"=00", None)).0, b"\0");
    assert_eq!(s(&unqp(b"a=\r\nb=3d=3D\r\n\x80\x01", None)).0, b"ab==\r\n");
}

#[test]
fn wrapping_examples() {
    assert_eq!(wrp(5, b"abcdefghij", 76), (b"abcde\r\nfghij".to_vec(), 71));
    assert_eq!(
        wrp(5, b"ab\ncd\r\nefghij", 5),
        (b"ab\r\ncd\r\nefghi\r\nj".to_vec(), 4)
    );
    assert_eq!(wrp(0, b"ab", 3), (b"\r\nab".to_vec(), 1));
    assert_eq!(wrp(0, b"ab", -2), (b"\r\na\r\nb".to_vec(), -3));
    assert_eq!(
        qpwrp(5, b"abcdefghij", 5),
        (b"abcd=\r\nefgh=\r\nij".to_vec(), 3)
    );
    assert_eq!(
        qpwrp(5, b"ab=3Dcd=3Def", 5),
        (b"ab=\r\n=3Dc=\r\nd=3D=\r\nef".to_vec(), 3)
    );
    // INT_MIN length: the decrement wraps as the C int does in practice.
    assert_eq!(wrp(0, b"a", i32::MIN).1, i32::MAX);
}

#[test]
fn eol_and_dot_examples() {
    let m = &b"\r\n"[..];
    assert_eq!(eol(0, b"abc\r", m), (b"abc\r\n".to_vec(), 13));
    assert_eq!(eol(13, b"\nx", m), (b"x".to_vec(), 0));
    assert_eq!(eol(0, b"\r\r\n", b"|"), (b"|||".to_vec(), 10));
    assert_eq!(eol(0, b"\n\r\r\n\n\n", b"|"), (b"||||".to_vec(), 0));
    assert_eq!(eol(99, b"", m), (Vec::new(), 99));
    assert_eq!(
        dot(2, b".a\r\n.b\r\n..c\n.d"),
        (b"..a\r\n..b\r\n...c\n.d".to_vec(), 0)
    );
    assert_eq!(dot(1, b""), (Vec::new(), 1));
    assert_eq!(dot(0, b"x\r"), (b"x\r".to_vec(), 1));
    assert_eq!(dot(u64::MAX, b"."), (b".".to_vec(), 0));
}

#[test]
fn c_casts_match_x86_64() {
    assert_eq!(c_int_from_number(5.9), 5);
    assert_eq!(c_int_from_number(-5.9), -5);
    assert_eq!(c_int_from_number(1e10), i32::MIN);
    assert_eq!(c_int_from_number(f64::NAN), i32::MIN);
    assert_eq!(c_int_from_number(2147483647.5), i32::MAX);
    assert_eq!(c_int_from_number(-2147483648.9), i32::MIN);
    assert_eq!(c_size_from_number(-1.0), u64::MAX);
    assert_eq!(c_size_from_number(-1.5), u64::MAX);
    assert_eq!(c_size_from_number(f64::NAN), 1 << 63);
    assert_eq!(c_size_from_number(-1e30), 1 << 63);
    assert_eq!(c_size_from_number(1e30), 0);
    assert_eq!(c_size_from_number(f64::INFINITY), 0);
    assert_eq!(c_size_from_number(9_223_372_036_854_775_808.0), 1 << 63);
    assert_eq!(c_size_from_number(3.7), 3);
    assert_eq!(c_string(b"ab\0cd"), b"ab");
    assert_eq!(c_string(b"\0"), b"");
}

/// This thread's CPU time (not wall time: other work on a busy machine
/// does not count).
fn thread_cpu() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid out pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Every filter's cost grows linearly with its input, whatever the line
/// length: ten calls on N bytes against one call on 10 N bytes (CPU time,
/// best of three trials each, so both sides take about as long). Linear
/// gives a ratio near 1; the quadratic scans this guards against gave 10
/// and more. The bound (3) is deliberately generous: this is not a timing
/// assertion, it only catches a change of complexity.
#[test]
fn cost_is_linear() {
    use std::time::Duration;
    const N: usize = 16 * 1024;
    fn best(reps: usize, input: &[u8], f: &dyn Fn(&[u8], &mut Vec<u8>)) -> Duration {
        let mut out = Vec::new();
        (0..3)
            .map(|_| {
                let t = thread_cpu();
                for _ in 0..reps {
                    out.clear();
                    f(input, &mut out);
                }
                thread_cpu().saturating_sub(t)
            })
            .min()
            .unwrap_or_default()
    }
    type Filter = (&'static str, &'static [u8], fn(&[u8], &mut Vec<u8>));
    let cases: &[Filter] = &[
        ("wrp(10, a.., 0)", b"a", |s, o| {
            let _ = super::wrp(10, s, 0, o);
        }),
        ("wrp(0, a.., 1)", b"a", |s, o| {
            let _ = super::wrp(0, s, 1, o);
        }),
        ("wrp(-5, a.., 76)", b"a", |s, o| {
            let _ = super::wrp(-5, s, 76, o);
        }),
        ("wrp(76, a.., MAX)", b"a", |s, o| {
            let _ = super::wrp(76, s, i32::MAX, o);
        }),
        ("wrp(3, a\\r\\n.., 3)", b"ab\r\ncd\n\r", |s, o| {
            let _ = super::wrp(3, s, 3, o);
        }),
        ("qpwrp(10, a.., 0)", b"a", |s, o| {
            let _ = super::qpwrp(10, s, 0, o);
        }),
        ("qpwrp(0, a.., 0)", b"a", |s, o| {
            let _ = super::qpwrp(0, s, 0, o);
        }),
        ("qpwrp(76, a.., 5)", b"a", |s, o| {
            let _ = super::qpwrp(76, s, 5, o);
        }),
        ("qpwrp(76, =3D.., 4)", b"=3Da", |s, o| {
            let _ = super::qpwrp(76, s, 4, o);
        }),
        ("qpwrp(1, a.., MAX)", b"a", |s, o| {
            let _ = super::qpwrp(1, s, i32::MAX, o);
        }),
        ("eol(0, a..)", b"a", |s, o| {
            let _ = super::eol(0, s, b"\r\n", o);
        }),
        ("eol(0, \\r\\n\\n\\r..)", b"\r\n\n\rx", |s, o| {
            let _ = super::eol(0, s, b"\r\n", o);
        }),
        ("dot(2, a..)", b"a", |s, o| {
            let _ = super::dot(2, s, o);
        }),
        ("dot(2, \\r\\n...)", b"\r\n..", |s, o| {
            let _ = super::dot(2, s, o);
        }),
        ("qp(a..)", b"a", |s, o| {
            let _ = super::qp(s, None, b"\r\n", o);
        }),
        ("qp(  \\r\\n..)", b"  \t\r\n\r", |s, o| {
            let _ = super::qp(s, None, b"\r\n", o);
        }),
        ("unqp(a..)", b"a", |s, o| {
            let _ = super::unqp(s, None, o);
        }),
        ("unqp(=\\r\\n=4..)", b"=\r\n=4\r", |s, o| {
            let _ = super::unqp(s, None, o);
        }),
        ("b64(a..)", b"a", |s, o| {
            let _ = super::b64(s, None, o);
        }),
        ("unb64(QU!..)", b"QU!", |s, o| {
            let _ = super::unb64(s, None, o);
        }),
    ];
    for &(name, unit, f) in cases {
        let small: Vec<u8> = unit.iter().copied().cycle().take(N).collect();
        let big: Vec<u8> = unit.iter().copied().cycle().take(10 * N).collect();
        let ten_small = best(10, &small, &f);
        let one_big = best(1, &big, &f);
        let ratio = one_big.as_secs_f64() / ten_small.as_secs_f64().max(1e-9);
        assert!(
            ratio < 3.0,
            "{name}: 10x the input cost {:.1}x ({one_big:?} vs 10 x {:?})",
            ratio * 10.0,
            ten_small / 10
        );
    }
}
