//! Quoted-printable: `qp` and `unqp`.
use super::{drive, run_len, zero_bytes, Atom, Cur, Oom, Sink, CRLF, EQCRLF, HIGHS, ONES};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

// Quoted-printable byte classes (mime.c's qpclass).
pub(super) const QP_PLAIN: u8 = 0;
const QP_QUOTED: u8 = 1;
const QP_CR: u8 = 2;
const QP_IF_LAST: u8 = 3;

pub(super) static QP_CLASS: [u8; 256] = {
    let mut t = [QP_QUOTED; 256];
    let mut i = 33;
    while i <= 126 {
        if i != b'=' as usize {
            t[i] = QP_PLAIN;
        }
        i += 1;
    }
    t[b'\t' as usize] = QP_IF_LAST;
    t[b' ' as usize] = QP_IF_LAST;
    t[b'\r' as usize] = QP_CR;
    t
};

/// Hex digit value (either case), 255 otherwise (mime.c's qpunbase).
static HEX_VALUE: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

// What unqp does with a byte when nothing is pending.
const UNQP_COPY: u8 = 0;
const UNQP_DROP: u8 = 1;
const UNQP_HOLD: u8 = 2;

static UNQP_CLASS: [u8; 256] = {
    let mut t = [UNQP_DROP; 256];
    let mut i = 32;
    while i < 127 {
        t[i] = UNQP_COPY;
        i += 1;
    }
    t[b'\t' as usize] = UNQP_COPY;
    t[b'=' as usize] = UNQP_HOLD;
    t[b'\r' as usize] = UNQP_HOLD;
    t
};

#[inline(always)]
pub(super) fn qp_quote(c: u8, cur: &mut Cur) {
    cur.put_all(&[b'=', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
}

/// The most one step of the encoder writes for `marker`: a held byte, a
/// quoted CR and a quoted byte (7), or a quoted space and the marker.
pub fn qp_need(marker: &[u8]) -> usize {
    marker.len().saturating_add(9)
}

/// Upper bound of `qp`'s output for `n` input bytes: no byte makes more
/// than 3 bytes or a share of a marker (CRLF, space CRLF), plus the final
/// flush of at most two held bytes and a soft break.
pub fn qp_bound(n: usize, marker: &[u8]) -> Option<usize> {
    n.checked_mul(marker.len().max(3))?.checked_add(9)
}

/// mime.c's `qpencode` for one byte, literally: the atom holds at most two
/// bytes between calls (a CR, a space/tab, or a space/tab and one more).
#[inline(always)]
pub(super) fn qp_step(atom: &mut Atom, c: u8, marker: &[u8], cur: &mut Cur) {
    let a = &mut atom.buf;
    a[atom.len] = c;
    atom.len += 1;
    while atom.len > 0 {
        match QP_CLASS[a[0] as usize] {
            QP_CR => {
                if atom.len < 2 {
                    return;
                }
                if a[1] == b'\n' {
                    cur.put_all(marker);
                    atom.len = 0;
                    return;
                }
                qp_quote(a[0], cur);
            }
            QP_IF_LAST => {
                if atom.len < 3 {
                    return;
                }
                if a[1] == b'\r' && a[2] == b'\n' {
                    qp_quote(a[0], cur);
                    cur.put_all(marker);
                    atom.len = 0;
                    return;
                }
                cur.put(a[0]);
            }
            QP_QUOTED => qp_quote(a[0], cur),
            _ => cur.put(a[0]),
        }
        a[0] = a[1];
        a[1] = a[2];
        atom.len -= 1;
    }
}

/// Flags the bytes of `w` that qp does not copy unchanged: >= 128, < 33,
/// 127 and '=' (each term's lowest flag is exact).
#[inline(always)]
fn qp_flags(w: u64) -> u64 {
    (w & HIGHS)
        | (w.wrapping_sub(ONES * 0x21) & !w & HIGHS)
        | zero_bytes(w ^ (ONES * 0x7f))
        | zero_bytes(w ^ (ONES * b'=' as u64))
}

/// About the size of `qp`'s output for `n` bytes of text (binary data makes
/// up to three times its size).
pub fn qp_guess(n: usize) -> usize {
    n + n / 4 + 8
}

fn qp_feed<S: Sink>(atom: &mut Atom, input: &[u8], marker: &[u8], out: &mut S) -> Result<(), Oom> {
    let need = qp_need(marker);
    drive(out, need, input, qp_guess, |inp, cur| {
        qp_window(atom, inp, marker, need, cur)
    })
}

// Inlined into the driver so that the window position stays in registers.
#[inline(always)]
fn qp_window(atom: &mut Atom, inp: &[u8], marker: &[u8], need: usize, cur: &mut Cur) -> usize {
    let n = inp.len();
    let mut i = 0;
    // One room check per step: the copy is limited by the window itself.
    while i < n {
        if atom.len == 0 {
            if QP_CLASS[inp[i] as usize] == QP_PLAIN {
                let lim = (n - i).min(cur.left());
                let run = run_len::<8>(&inp[i..i + lim], qp_flags, |b| {
                    QP_CLASS[b as usize] != QP_PLAIN
                });
                cur.put_run(&inp[i..], run);
                i += run;
                if i == n {
                    break;
                }
            }
            if cur.left() < need {
                break;
            }
            // With enough lookahead in this slice, decide without the atom
            // (the outcome only depends on the byte sequence, not on where
            // the chunks were split).
            let c = inp[i];
            match QP_CLASS[c as usize] {
                QP_PLAIN => continue, // the run stopped at the window's end
                QP_QUOTED => {
                    qp_quote(c, cur);
                    i += 1;
                    continue;
                }
                QP_CR if i + 1 < n => {
                    if inp[i + 1] == b'\n' {
                        cur.put_all(marker);
                        i += 2;
                    } else {
                        qp_quote(c, cur);
                        i += 1;
                    }
                    continue;
                }
                QP_IF_LAST if i + 2 < n => {
                    if inp[i + 1] == b'\r' && inp[i + 2] == b'\n' {
                        qp_quote(c, cur);
                        cur.put_all(marker);
                        i += 3;
                    } else {
                        cur.put(c);
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
        }
        if cur.left() < need {
            break;
        }
        qp_step(atom, inp[i], marker, cur);
        i += 1;
    }
    i
}

/// `qp(c, d, marker)`: quoted-printable encoding of `c .. d` into `out`
/// (`marker` is already cut at its first NUL, see [`super::c_string`]).
/// With `d` absent the held bytes are flushed, followed by a soft line break
/// if there were any.
pub fn qp<S: Sink>(c: &[u8], d: Option<&[u8]>, marker: &[u8], out: &mut S) -> Result<Atom, Oom> {
    let mut atom = Atom::default();
    qp_feed(&mut atom, c, marker, out)?;
    match d {
        Some(d) => qp_feed(&mut atom, d, marker, out)?,
        None => {
            let mut tail = [0u8; 9];
            let mut cur = Cur { r: &mut tail, o: 0 };
            for &b in atom.as_bytes() {
                if QP_CLASS[b as usize] == QP_PLAIN {
                    cur.put(b);
                } else {
                    qp_quote(b, &mut cur);
                }
            }
            if atom.len > 0 {
                cur.put_all(EQCRLF);
            }
            let n = cur.o;
            out.extend(&tail[..n])?;
            atom.len = 0;
        }
    }
    Ok(atom)
}

/// The most one step of the decoder writes.
pub const UNQP_NEED: usize = 3;

/// Upper bound of `unqp`'s output for `n` input bytes (no byte makes more
/// than one).
pub fn unqp_bound(n: usize) -> Option<usize> {
    Some(n)
}

/// mime.c's `qpdecode` for one byte: the atom starts with `=` or CR.
#[inline(always)]
pub(super) fn unqp_step(atom: &mut Atom, c: u8, cur: &mut Cur) {
    let a = &mut atom.buf;
    a[atom.len] = c;
    atom.len += 1;
    match a[0] {
        b'=' => {
            if atom.len < 3 {
                return;
            }
            if !(a[1] == b'\r' && a[2] == b'\n') {
                let (h, l) = (HEX_VALUE[a[1] as usize], HEX_VALUE[a[2] as usize]);
                if h > 15 || l > 15 {
                    cur.put_all(&a[..3]);
                } else {
                    cur.put((h << 4) + l);
                }
            }
        }
        b'\r' => {
            if atom.len < 2 {
                return;
            }
            if a[1] == b'\n' {
                cur.put_all(CRLF);
            }
        }
        b => {
            if b == b'\t' || (32..127).contains(&b) {
                cur.put(b);
            }
        }
    }
    atom.len = 0;
}

/// Flags the bytes of `w` that may stop unqp's copying: >= 128, < 32, 127
/// and '=' (each term's lowest flag is exact; TAB is flagged but copied).
#[inline(always)]
fn unqp_flags(w: u64) -> u64 {
    (w & HIGHS)
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
        | zero_bytes(w ^ (ONES * 0x7f))
        | zero_bytes(w ^ (ONES * b'=' as u64))
}

fn unqp_feed<S: Sink>(atom: &mut Atom, input: &[u8], out: &mut S) -> Result<(), Oom> {
    drive(
        out,
        UNQP_NEED,
        input,
        |n| n.saturating_add(3),
        |inp, cur| unqp_window(atom, inp, cur),
    )
}

#[inline(always)]
fn unqp_window(atom: &mut Atom, inp: &[u8], cur: &mut Cur) -> usize {
    let n = inp.len();
    let mut i = 0;
    // One room check per step: the copy is limited by the window itself.
    while i < n {
        if atom.len == 0 {
            if UNQP_CLASS[inp[i] as usize] == UNQP_COPY {
                let lim = (n - i).min(cur.left());
                let run = run_len::<0>(&inp[i..i + lim], unqp_flags, |b| {
                    UNQP_CLASS[b as usize] != UNQP_COPY
                });
                cur.put_run(&inp[i..], run);
                i += run;
                if i == n {
                    break;
                }
            }
            if cur.left() < UNQP_NEED {
                break;
            }
            // With enough lookahead in this slice, decide without the atom.
            match inp[i] {
                b'=' if i + 2 < n => {
                    let (x, y) = (inp[i + 1], inp[i + 2]);
                    if !(x == b'\r' && y == b'\n') {
                        let (h, l) = (HEX_VALUE[x as usize], HEX_VALUE[y as usize]);
                        if h > 15 || l > 15 {
                            cur.put_all(&inp[i..i + 3]);
                        } else {
                            cur.put((h << 4) + l);
                        }
                    }
                    i += 3;
                    continue;
                }
                b'\r' if i + 1 < n => {
                    if inp[i + 1] == b'\n' {
                        cur.put_all(CRLF);
                    }
                    i += 2;
                    continue;
                }
                b'=' | b'\r' => {}
                c if UNQP_CLASS[c as usize] == UNQP_COPY => continue, // window's end
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        if cur.left() < UNQP_NEED {
            break;
        }
        unqp_step(atom, inp[i], cur);
        i += 1;
    }
    i
}

/// `unqp(c, d)`: quoted-printable decoding of `c .. d` into `out`. With `d`
/// absent the held bytes are discarded and the atom comes back empty.
pub fn unqp<S: Sink>(c: &[u8], d: Option<&[u8]>, out: &mut S) -> Result<Atom, Oom> {
    let mut atom = Atom::default();
    unqp_feed(&mut atom, c, out)?;
    match d {
        Some(d) => unqp_feed(&mut atom, d, out)?,
        None => atom.len = 0,
    }
    Ok(atom)
}
