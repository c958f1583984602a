//! Line handling: `wrp`, `qpwrp` (wrapping), `eol` (end-of-line
//! normalization) and `dot` (SMTP dot-stuffing).
use super::{find_any, CRLF, EQCRLF};

/// `wrp(left, input, length)`: returns the wrapped text and the new `left`.
/// Arithmetic wraps like the C `int` does on x86-64.
pub fn wrp(mut left: i32, input: &[u8], length: i32) -> (Vec<u8>, i32) {
    let cap = if length <= 1 {
        input.len().saturating_mul(3)
    } else {
        input.len().saturating_mul(2).saturating_add(2)
    };
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
    let cap = if length < 8 {
        input.len().saturating_mul(4)
    } else {
        input.len().saturating_mul(2).saturating_add(3)
    };
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
                let take = if left > 1 {
                    run.min(left as usize - 1)
                } else {
                    1
                };
                out.extend_from_slice(&input[i..i + take]);
                left = left.wrapping_sub(take as i32);
                i += take;
            }
        }
    }
    (out, left)
}

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
    let mut out = Vec::with_capacity(
        input
            .len()
            .saturating_add(input.len() / 3)
            .saturating_add(1),
    );
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
