//! The `mime.core` filters as plain functions over byte slices (no Lua).
//!
//! Each function reproduces the C core's per-byte state machine exactly, but
//! copies runs of "uninteresting" bytes in bulk (scanning eight bytes at a
//! time) and writes into one output buffer reserved up front for the worst
//! case of the input length (only markers longer than 6 bytes may make it
//! grow), so no byte costs a function call or a reallocation. Where the C
//! core keeps an atom of pending bytes between calls, [`Atom`] carries it.

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

pub use base64::{b64, unb64};
pub use lines::{dot, eol, qpwrp, wrp};
pub use qp::{qp, unqp};

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

/// Index of the first byte of `s` that is one of `needles` (or `s.len()`),
/// eight bytes per step: the runs between line ends are short, so a per-byte
/// scan or a memchr call per run would dominate.
#[inline]
pub(super) fn find_any<const N: usize>(s: &[u8], needles: [u8; N]) -> usize {
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

#[cfg(test)]
mod tests;
