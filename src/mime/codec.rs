//! The `mime.core` filters as plain functions over byte slices (no Lua).
//!
//! Each function reproduces the C core's per-byte state machine exactly, but
//! copies runs of "uninteresting" bytes in bulk and writes into one output
//! buffer reserved up front from the input length, so no byte ever costs a
//! function call or a reallocation. Where the C core keeps an atom of pending
//! bytes between calls, [`Atom`] carries it.

/// Carried-over bytes of a codec (at most 4): the second result of
/// `b64`/`unb64`/`qp`/`unqp` when a chunk follows.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Atom {
    buf: [u8; 4],
    len: usize,
}

impl Atom {
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

const B64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &[u8; 16] = b"0123456789ABCDEF";
const CRLF: &[u8] = b"\r\n";
const EQCRLF: &[u8] = b"=\r\n";
/// Marks bytes that are not base64 (the C table's 255).
const NOT_B64: u8 = 255;

/// Base64 value of each byte; `=` counts as 0 like in the C table.
static B64_VALUE: [u8; 256] = {
    let mut t = [NOT_B64; 256];
    let mut i = 0;
    while i < 64 {
        t[B64_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t[b'=' as usize] = 0;
    t
};

// Quoted-printable byte classes (mime.c's qpclass).
const QP_PLAIN: u8 = 0;
const QP_QUOTED: u8 = 1;
const QP_CR: u8 = 2;
const QP_IF_LAST: u8 = 3;

static QP_CLASS: [u8; 256] = {
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

/// The bytes `luaL_addstring` adds for a marker: up to the first NUL.
pub fn c_string(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}

/// x86-64 `cvttsd2si` into 64 bits: truncation, or `i64::MIN` (the
/// "integer indefinite") when the value does not fit or is NaN.
fn cvtt_i64(x: f64) -> i64 {
    let t = x.trunc();
    if t >= -9_223_372_036_854_775_808.0 && t < 9_223_372_036_854_775_808.0 {
        t as i64
    } else {
        i64::MIN
    }
}

/// The C core's `(int) lua_Number` cast as gcc compiles it on x86-64
/// (`cvttsd2si` 32-bit: out of range and NaN give `INT_MIN`), so that
/// `wrp(1e10)` behaves like the reference instead of saturating.
pub fn c_int_from_number(x: f64) -> i32 {
    let t = x.trunc();
    if t >= -2_147_483_648.0 && t <= 2_147_483_647.0 {
        t as i32
    } else {
        i32::MIN
    }
}

/// The C core's `(size_t) lua_Number` cast as gcc compiles it on x86-64:
/// below 2^63 (and NaN) a signed conversion (negatives wrap), above it a
/// conversion of `x - 2^63` with the top bit flipped.
pub fn c_size_from_number(x: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if x >= TWO63 {
        (cvtt_i64(x - TWO63) as u64) ^ (1 << 63)
    } else {
        cvtt_i64(x) as u64
    }
}

// ---- base64 ---------------------------------------------------------------

#[inline]
fn b64_group(a: u8, b: u8, c: u8) -> [u8; 4] {
    let v = (a as u32) << 16 | (b as u32) << 8 | c as u32;
    [
        B64_ALPHABET[(v >> 18) as usize & 63],
        B64_ALPHABET[(v >> 12) as usize & 63],
        B64_ALPHABET[(v >> 6) as usize & 63],
        B64_ALPHABET[v as usize & 63],
    ]
}

/// Feeds `input` to the base64 encoder whose pending bytes are `atom`.
fn b64_feed(atom: &mut Atom, mut input: &[u8], out: &mut Vec<u8>) {
    if atom.len > 0 {
        while atom.len < 3 {
            match input.split_first() {
                Some((&b, rest)) => {
                    atom.buf[atom.len] = b;
                    atom.len += 1;
                    input = rest;
                }
                None => return,
            }
        }
        out.extend_from_slice(&b64_group(atom.buf[0], atom.buf[1], atom.buf[2]));
        atom.len = 0;
    }
    let whole = input.len() / 3 * 3;
    let start = out.len();
    out.resize(start + whole / 3 * 4, 0);
    for (o, i) in out[start..].chunks_exact_mut(4).zip(input[..whole].chunks_exact(3)) {
        o.copy_from_slice(&b64_group(i[0], i[1], i[2]));
    }
    let tail = &input[whole..];
    atom.buf[..tail.len()].copy_from_slice(tail);
    atom.len = tail.len();
}

/// `b64(c, d)`: base64 of `c .. d`. With `d` absent (final call) the 1–2
/// leftover bytes are emitted padded and the atom comes back empty.
pub fn b64(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let total = c.len().saturating_add(d.map_or(0, <[u8]>::len));
    let mut out = Vec::with_capacity(total / 3 * 4 + 8);
    let mut atom = Atom::default();
    b64_feed(&mut atom, c, &mut out);
    match d {
        Some(d) => b64_feed(&mut atom, d, &mut out),
        None => {
            match atom.len {
                1 => {
                    let g = b64_group(atom.buf[0], 0, 0);
                    out.extend_from_slice(&[g[0], g[1], b'=', b'=']);
                }
                2 => {
                    let g = b64_group(atom.buf[0], atom.buf[1], 0);
                    out.extend_from_slice(&[g[0], g[1], g[2], b'=']);
                }
                _ => {}
            }
            atom.len = 0;
        }
    }
    (out, atom)
}

#[inline]
fn b64_decode_atom(a: [u8; 4], out: &mut Vec<u8>) {
    let v = (B64_VALUE[a[0] as usize] as u32) << 18
        | (B64_VALUE[a[1] as usize] as u32) << 12
        | (B64_VALUE[a[2] as usize] as u32) << 6
        | B64_VALUE[a[3] as usize] as u32;
    let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    let valid = if a[2] == b'=' {
        1
    } else if a[3] == b'=' {
        2
    } else {
        3
    };
    out.extend_from_slice(&bytes[..valid]);
}

/// Feeds `input` to the base64 decoder whose pending characters are `atom`.
fn unb64_feed(atom: &mut Atom, input: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    let n = input.len();
    loop {
        if atom.len == 0 {
            // Whole groups of four valid characters need no atom.
            while i + 4 <= n {
                let g = [input[i], input[i + 1], input[i + 2], input[i + 3]];
                if (B64_VALUE[g[0] as usize]
                    | B64_VALUE[g[1] as usize]
                    | B64_VALUE[g[2] as usize]
                    | B64_VALUE[g[3] as usize])
                    & 0x80
                    != 0
                {
                    break;
                }
                b64_decode_atom(g, out);
                i += 4;
            }
        }
        if i >= n {
            return;
        }
        let ch = input[i];
        i += 1;
        if B64_VALUE[ch as usize] == NOT_B64 {
            continue;
        }
        atom.buf[atom.len] = ch;
        atom.len += 1;
        if atom.len == 4 {
            b64_decode_atom(atom.buf, out);
            atom.len = 0;
        }
    }
}

/// `unb64(c, d)`: decodes `c .. d`, skipping non-base64 bytes. With `d`
/// absent an incomplete final group is dropped and the atom comes back empty.
pub fn unb64(c: &[u8], d: Option<&[u8]>) -> (Vec<u8>, Atom) {
    let total = c.len().saturating_add(d.map_or(0, <[u8]>::len));
    let mut out = Vec::with_capacity(total / 4 * 3 + 3);
    let mut atom = Atom::default();
    unb64_feed(&mut atom, c, &mut out);
    match d {
        Some(d) => unb64_feed(&mut atom, d, &mut out),
        None => atom.len = 0,
    }
    (out, atom)
}

// ---- quoted-printable ---------------------------------------------------------

#[inline]
fn qp_quote(c: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&[b'=', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
}

/// mime.c's `qpencode` for one byte, literally: the atom holds at most two
/// bytes between calls (a CR, a space/tab, or a space/tab and one more).
fn qp_step(atom: &mut Atom, c: u8, marker: &[u8], out: &mut Vec<u8>) {
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
/// already cut at its first NUL, see [`c_string`]). With `d` absent the held
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
fn unqp_step(atom: &mut Atom, c: u8, out: &mut Vec<u8>) {
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

// ---- line wrapping ------------------------------------------------------------

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `v` that is zero; the lowest one is exact
/// (borrows only disturb bytes above it), which is all a search needs.
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// Index of the first byte of `s` that is one of `needles` (or `s.len()`),
/// eight bytes per step: the runs between line ends are short, so a per-byte
/// scan or a memchr call per run would dominate.
#[inline]
fn find_any<const N: usize>(s: &[u8], needles: [u8; N]) -> usize {
    let mut chunks = s.chunks_exact(8);
    let mut i = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let mut m = 0;
        for n in needles {
            m |= zero_bytes(w ^ (ONES * n as u64));
        }
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = chunks.remainder();
    i + rest.iter().position(|b| needles.contains(b)).unwrap_or(rest.len())
}

/// `wrp(left, input, length)`: returns the wrapped text and the new `left`.
/// Arithmetic wraps like the C `int` does on x86-64.
pub fn wrp(mut left: i32, input: &[u8], length: i32) -> (Vec<u8>, i32) {
    let cap = if length <= 1 { input.len().saturating_mul(3) } else { input.len().saturating_mul(2).saturating_add(2) };
    let mut out = Vec::with_capacity(cap);
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'\r' => i += 1,
            b'\n' => {
                out.extend_from_slice(CRLF);
                left = length;
                i += 1;
            }
            _ => {
                if left <= 0 {
                    left = length;
                    out.extend_from_slice(CRLF);
                }
                let run = find_any(&input[i..], [b'\r', b'\n']);
                let take = if left > 0 { run.min(left as usize) } else { 1 };
                out.extend_from_slice(&input[i..i + take]);
                left = left.wrapping_sub(take as i32);
                i += take;
            }
        }
    }
    (out, left)
}

/// `qpwrp(left, input, length)`: like [`wrp`] but breaks with a soft line
/// break, never inside an `=XX` triplet, keeping room for the `=`.
pub fn qpwrp(mut left: i32, input: &[u8], length: i32) -> (Vec<u8>, i32) {
    let cap = if length < 8 { input.len().saturating_mul(4) } else { input.len().saturating_mul(2).saturating_add(3) };
    let mut out = Vec::with_capacity(cap);
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'\r' => i += 1,
            b'\n' => {
                left = length;
                out.extend_from_slice(CRLF);
                i += 1;
            }
            b'=' => {
                if left <= 3 {
                    left = length;
                    out.extend_from_slice(EQCRLF);
                }
                out.push(b'=');
                left = left.wrapping_sub(1);
                i += 1;
            }
            _ => {
                if left <= 1 {
                    left = length;
                    out.extend_from_slice(EQCRLF);
                }
                let run = find_any(&input[i..], [b'\r', b'\n', b'=']);
                let take = if left > 1 { run.min(left as usize - 1) } else { 1 };
                out.extend_from_slice(&input[i..i + take]);
                left = left.wrapping_sub(take as i32);
                i += take;
            }
        }
    }
    (out, left)
}

// ---- end of line normalization and dot stuffing --------------------------------

#[inline]
fn eol_candidate(c: i32) -> bool {
    c == b'\r' as i32 || c == b'\n' as i32
}

/// `eol(ctx, input, marker)`: every CR, LF, CRLF or LFCR becomes `marker`
/// (cut at its first NUL); returns the text and the new context.
pub fn eol(mut ctx: i32, input: &[u8], marker: &[u8]) -> (Vec<u8>, i32) {
    let cap = input.len().saturating_mul(marker.len().clamp(1, 3));
    let mut out = Vec::with_capacity(cap);
    let mut i = 0;
    while i < input.len() {
        let c = input[i] as i32;
        if eol_candidate(c) {
            if eol_candidate(ctx) {
                if c == ctx {
                    out.extend_from_slice(marker);
                }
                ctx = 0;
            } else {
                out.extend_from_slice(marker);
                ctx = c;
            }
            i += 1;
        } else {
            let run = find_any(&input[i..], [b'\r', b'\n']);
            out.extend_from_slice(&input[i..i + run]);
            ctx = 0;
            i += run;
        }
    }
    (out, ctx)
}

/// `dot(state, input)`: SMTP dot-stuffing; state 2 means "just after CRLF".
pub fn dot(mut state: u64, input: &[u8]) -> (Vec<u8>, u64) {
    let mut out = Vec::with_capacity(input.len().saturating_add(input.len() / 3).saturating_add(1));
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        match c {
            b'\r' => {
                out.push(c);
                state = 1;
                i += 1;
            }
            b'\n' => {
                out.push(c);
                state = if state == 1 { 2 } else { 0 };
                i += 1;
            }
            b'.' => {
                out.push(c);
                if state == 2 {
                    out.push(b'.');
                }
                state = 0;
                i += 1;
            }
            _ => {
                let run = find_any(&input[i..], [b'\r', b'\n', b'.']);
                out.extend_from_slice(&input[i..i + run]);
                state = 0;
                i += run;
            }
        }
    }
    (out, state)
}

#[cfg(test)]
mod tests;
