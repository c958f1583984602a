//! The `mime.core` filters as plain functions over byte slices (no Lua).
//!
//! Each function reproduces the C core's per-byte state machine exactly, but
//! copies runs of "uninteresting" bytes in bulk (scanning eight bytes at a
//! time, never further than the output can take, so every byte is looked at
//! a bounded number of times) and writes into a [`Sink`] through windows of
//! its room ([`drive`]): the output grows with what is produced, a refusal
//! is an error value ([`Oom`]), and no byte costs a function call. Where the
//! C core keeps an atom of pending bytes between calls, [`Atom`] carries it.
//! Each filter also has an upper bound of its output length (`*_bound`),
//! from which `mime` decides whether a stack array can hold the result.
use crate::net::sink::{Oom, Sink};

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

const CRLF: &[u8] = b"\r\n";
const EQCRLF: &[u8] = b"=\r\n";

mod base64;
mod lines;
mod qp;

pub use base64::{b64, b64_bound, unb64, unb64_bound, B64_NEED, UNB64_NEED};
pub use lines::{
    dot, dot_bound, dot_guess, eol, eol_bound, eol_guess, eol_need, qpwrp, qpwrp_bound,
    qpwrp_guess, wrp, wrp_bound, wrp_guess, DOT_NEED, WRP_NEED,
};
pub use qp::{qp, qp_bound, qp_guess, qp_need, unqp, unqp_bound, UNQP_NEED};

/// Output window asked of a sink per step (unless less can be produced):
/// large enough that the per-window cost vanishes, small enough that a host
/// buffer is never grown far past the result.
pub const CHUNK: usize = 16 * 1024;

/// A write position in a window of a sink's room.
pub(super) struct Cur<'a> {
    r: &'a mut [u8],
    o: usize,
}

impl Cur<'_> {
    /// Bytes that still fit.
    #[inline(always)]
    pub(super) fn left(&self) -> usize {
        self.r.len() - self.o
    }
    #[inline(always)]
    pub(super) fn put(&mut self, b: u8) {
        self.r[self.o] = b;
        self.o += 1;
    }
    #[inline(always)]
    pub(super) fn put_all(&mut self, s: &[u8]) {
        self.r[self.o..self.o + s.len()].copy_from_slice(s);
        self.o += s.len();
    }
    /// Writes `src[..n]` (`n <= left()`). A short run is copied as one fixed
    /// 16-byte move instead of a call (bytes of the window past it may be
    /// overwritten).
    #[inline(always)]
    pub(super) fn put_run(&mut self, src: &[u8], n: usize) {
        let out = &mut self.r[self.o..];
        match (src.first_chunk::<16>(), out.first_chunk_mut::<16>()) {
            (Some(s), Some(o)) if n <= 16 => *o = *s,
            _ => out[..n].copy_from_slice(&src[..n]),
        }
        self.o += n;
    }
    /// The unwritten rest of the window (for writers that count themselves;
    /// follow with [`Cur::advance`]).
    #[inline(always)]
    pub(super) fn rest(&mut self) -> &mut [u8] {
        &mut self.r[self.o..]
    }
    #[inline(always)]
    pub(super) fn advance(&mut self, n: usize) {
        debug_assert!(n <= self.left());
        self.o = (self.o + n).min(self.r.len());
    }
}

/// Runs a filter's `step` over `input`, window by window of `out`'s room.
///
/// `step(input, cur)` consumes a prefix of `input` and returns its length;
/// it stops when the window has less than `need` bytes left (the most one
/// step writes), and it must consume at least one byte when the window has
/// `need` or more. `guess(n)` is about what `n` more input bytes produce
/// (exact or an upper bound where that is tight): windows are sized by it,
/// so a host buffer is allocated about once and not zeroed far past the
/// result; a guess that is too small only means one more window.
pub(super) fn drive<S: Sink>(
    out: &mut S,
    need: usize,
    mut input: &[u8],
    guess: impl Fn(usize) -> usize,
    mut step: impl FnMut(&[u8], &mut Cur) -> usize,
) -> Result<(), Oom> {
    while !input.is_empty() {
        let want = guess(input.len()).min(CHUNK).max(need);
        // A fixed sink near its end (or a host refusing a large window) may
        // still take the smallest useful window.
        let r = match out.room(want) {
            Ok(r) => r,
            Err(Oom) => out.room(need)?,
        };
        let mut cur = Cur { r, o: 0 };
        let used = step(input, &mut cur);
        let made = cur.o;
        out.commit(made);
        // A step that made no progress is a bug: a Lua error, not a hang.
        assert!(used > 0, "mime filter made no progress");
        input = &input[used.min(input.len())..];
    }
    Ok(())
}

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
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
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
    if (-2_147_483_648.0..=2_147_483_647.0).contains(&t) {
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

// ---- word-at-a-time scanning ----------------------------------------------------

pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `v` that is zero; the lowest one is exact
/// (borrows only disturb bytes above it), which is all a search needs.
#[inline(always)]
pub(super) fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// Length of the run at the start of `s` up to the first byte for which
/// `stop` holds (or `s.len()`). Where runs are mostly short (qp's words
/// between spaces) the first `HEAD` bytes are looked at one by one; the rest
/// is scanned eight bytes per step, where `flags(w)` marks, with the lowest
/// flag exact, every byte of the word `w` that may stop it (a flagged byte
/// that `stop` rejects does not).
#[inline(always)]
pub(super) fn run_len<const HEAD: usize>(
    s: &[u8],
    flags: impl Fn(u64) -> u64,
    stop: impl Fn(u8) -> bool,
) -> usize {
    let head = s.len().min(HEAD);
    let mut i = 0;
    while i < head {
        if stop(s[i]) {
            return i;
        }
        i += 1;
    }
    scan_run(s, i, flags, stop)
}

/// Index of the first byte of `s` from `i` on for which `stop` holds (or
/// `s.len()`), eight bytes per step (see [`run_len`] for `flags`).
#[inline(always)]
fn scan_run(
    s: &[u8],
    mut i: usize,
    flags: impl Fn(u64) -> u64,
    stop: impl Fn(u8) -> bool,
) -> usize {
    'words: loop {
        let mut chunks = s[i..].chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            let m = flags(w);
            if m != 0 {
                let j = i + (m.trailing_zeros() / 8) as usize;
                if stop(s[j]) {
                    return j;
                }
                i = j + 1;
                continue 'words;
            }
            i += 8;
        }
        let rest = chunks.remainder();
        return i + rest.iter().position(|&b| stop(b)).unwrap_or(rest.len());
    }
}

/// Index of the first byte of `s` that is one of `needles` (or `s.len()`):
/// sixteen bytes per step with SSE2 (part of every x86-64), eight elsewhere.
#[inline(always)]
fn find_any<const N: usize>(s: &[u8], needles: [u8; N]) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        let mut i = 0;
        // SAFETY: SSE2 is in the x86-64 baseline; each load reads the 16
        // bytes s[i..i + 16], inside the slice (unaligned loads are allowed).
        unsafe {
            let vs = needles.map(|n| _mm_set1_epi8(n as i8));
            while i + 16 <= s.len() {
                let v = _mm_loadu_si128(s.as_ptr().add(i) as *const __m128i);
                let mut m = _mm_cmpeq_epi8(v, vs[0]);
                for k in vs.iter().skip(1) {
                    m = _mm_or_si128(m, _mm_cmpeq_epi8(v, *k));
                }
                let bits = _mm_movemask_epi8(m) as u32;
                if bits != 0 {
                    return i + bits.trailing_zeros() as usize;
                }
                i += 16;
            }
        }
        i + find_any_words(&s[i..], needles)
    }
    #[cfg(not(target_arch = "x86_64"))]
    find_any_words(s, needles)
}

/// [`find_any`] eight bytes per step.
#[inline(always)]
fn find_any_words<const N: usize>(s: &[u8], needles: [u8; N]) -> usize {
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
    i + rest
        .iter()
        .position(|b| needles.contains(b))
        .unwrap_or(rest.len())
}

/// Copies the run at the start of `inp` up to the first of `needles` into
/// the window of `cur` (as far as it reaches) and returns its length.
#[inline(always)]
pub(super) fn copy_until_any<const N: usize>(inp: &[u8], cur: &mut Cur, needles: [u8; N]) -> usize {
    let n = inp.len().min(cur.left());
    let run = find_any(&inp[..n], needles);
    cur.put_run(inp, run);
    run
}

#[cfg(test)]
mod tests;
