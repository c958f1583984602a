//! Quoted-printable: `qp` and `unqp`.
use super::{zero_bytes, Atom, CRLF, EQCRLF, HIGHS, ONES};

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

#[inline]
pub(super) fn qp_quote(c: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&[b'=', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
}

/// mime.c's `qpencode` for one byte, literally: the atom holds at most two
/// bytes between calls (a CR, a space/tab, or a space/tab and one more).
pub(super) fn qp_step(atom: &mut Atom, c: u8, marker: &[u8], out: &mut Vec<u8>) {
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
                    out.extend_from_slice(marker);
                    atom.len = 0;
                    return;
                }
                qp_quote(a[0], out);
            }
            QP_IF_LAST => {
                if atom.len < 3 {
                    return;
                }
                if a[1] == b'\r' && a[2] == b'\n' {
                    qp_quote(a[0], out);
                    out.extend_from_slice(marker);
                    atom.len = 0;
                    return;
                }
                out.push(a[0]);
            }
            QP_QUOTED => qp_quote(a[0], out),
            _ => out.push(a[0]),
        }
        a[0] = a[1];
        a[1] = a[2];
        atom.len -= 1;
    }
}

fn qp_feed(atom: &mut Atom, input: &[u8], marker: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    let n = input.len();
    while i < n {
        if atom.len == 0 {
            let start = i;
            while i < n && QP_CLASS[input[i] as usize] == QP_PLAIN {
                i += 1;
            }
            out.extend_from_slice(&input[start..i]);
            if i == n {
                return;
            }
            // With enough lookahead in this slice, decide without the atom
            // (the outcome only depends on the byte sequence, not on where
            // the chunks were split).
            let c = input[i];
            match QP_CLASS[c as usize] {
                QP_QUOTED => {
                    qp_quote(c, out);
                    i += 1;
                    continue;
                }
                QP_CR if i + 1 < n => {
                    if input[i + 1] == b'\n' {
                        out.extend_from_slice(marker);
                        i += 2;
                    } else {
                        qp_quote(c, out);
                        i += 1;
                    }
                    continue;
                }
                QP_IF_LAST if i + 2 < n => {
                    if input[i + 1] == b'\r' && input[i + 2] == b'\n' {
                        qp_quote(c, out);
                        out.extend_from_slice(marker);
                        i += 3;
                    } else {
                        out.push(c);
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
        }
        qp_step(atom, input[i], marker, out);
        i += 1;
    }
}

/// `qp(c, d, marker)`: quoted-printable encoding of `c .. d` (`marker` is
/// already cut at its first NUL, see [`super::c_string`]). With `d` absent the held
/// bytes are flushed, followed by a soft line break if there were any.
pub fn qp(c: &[u8], d: Option<&[u8]>, marker: &[u8]) -> (Vec<u8>, Atom) {
    let total = c.len().saturating_add(d.map_or(0, <[u8]>::len));
    // Exact worst case for markers up to 6 bytes ("=0D=0A"); longer ones grow.
    let mut out = Vec::with_capacity(total.saturating_mul(3).saturating_add(16));
    let mut atom = Atom::default();
    qp_feed(&mut atom, c, marker, &mut out);
    match d {
        Some(d) => qp_feed(&mut atom, d, marker, &mut out),
        None => {
            for &b in atom.as_bytes() {
                if QP_CLASS[b as usize] == QP_PLAIN {
                    out.push(b);
                } else {
                    qp_quote(b, &mut out);
                }
            }
            if atom.len > 0 {
                out.extend_from_slice(EQCRLF);
            }
            atom.len = 0;
        }
    }
    (out, atom)
}

/// mime.c's `qpdecode` for one byte: the atom starts with `=` or CR.
pub(super) fn unqp_step(atom: &mut Atom, c: u8, out: &mut Vec<u8>) {
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
                    out.extend_from_slice(&a[..3]);
                } else {
                    out.push((h << 4) + l);
                }
            }
        }
        b'\r' => {
            if atom.len < 2 {
                return;
            }
            if a[1] == b'\n' {
                out.extend_from_slice(CRLF);
            }
        }
        b => {
            if b == b'\t' || (32..127).contains(&b) {
                out.push(b);
            }
        }
    }
    atom.len = 0;
}

/// Length of the run at the start of `s` that unqp copies unchanged (TAB
/// and 32..=126 except `=`), eight bytes per step.
#[inline]
fn unqp_copy_run(s: &[u8]) -> usize {
    let mut i = 0;
    while i + 8 <= s.len() {
        let c = &s[i..i + 8];
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Flags bytes >= 128, < 32, 127 and '='; each term's lowest flag is
        // exact, so the lowest of all is a real stop byte or a TAB.
        let m = (w & HIGHS)
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
            | zero_bytes(w ^ (ONES * 0x7f))
            | zero_bytes(w ^ (ONES * b'=' as u64));
        if m == 0 {
            i += 8;
            continue;
        }
        let j = i + (m.trailing_zeros() / 8) as usize;
        if s[j] != b'\t' {
            return j;
        }
        i = j + 1;
    }
    while i < s.len() && UNQP_CLASS[s[i] as usize] == UNQP_COPY {
        i += 1;
    }
    i
}

fn unqp_feed(atom: &mut Atom, input: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    let n = input.len();
    while i < n {
        if atom.len == 0 {
            let run = unqp_copy_run(&input[i..]);
            out.extend_from_slice(&input[i..i + run]);
            i += run;
            if i == n {
                return;
            }
            // With enough lookahead in this slice, decide without the atom.
            match input[i] {
                b'=' if i + 2 < n => {
                    let (x, y) = (input[i + 1], input[i + 2]);
                    if !(x == b'\r' && y == b'\n') {
                        let (h, l) = (HEX_VALUE[x as usize], HEX_VALUE[y as usize]);
                        if h > 15 || l > 15 {
                            out.extend_from_slice(&input[i..i + 3]);
                        } else {
                            out.push((h << 4) + l);
                        }
                    }
                    i += 3;
                    continue;
                }
                b'\r' if i + 1 < n => {
                    if input[i + 1] == b'\n' {
                        out.extend_from_slice(CRLF);
                    }
                    i += 2;
                    continue;
                }
                b'=' | b'\r' => {}
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        unqp_step(atom, input[i], out);
        i += 1;
    }
}

/// `unqp(c, d)`: quoted-printable decoding of `c .. d`. With `d` absent the
/// held bytes are discarded and the atom comes back empty.
pub fn unqp(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let total = c.len().saturating_add(d.map_or(0, <[u8]>::len));
    let mut out = Vec::with_capacity(total.saturating_add(3));
    let mut atom = Atom::default();
    unqp_feed(&mut atom, c, &mut out);
    match d {
        Some(d) => unqp_feed(&mut atom, d, &mut out),
        None => atom.len = 0,
    }
    (out, atom)
}
