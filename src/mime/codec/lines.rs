//! Line handling: `wrp`, `qpwrp` (wrapping), `eol` (end-of-line
//! normalization) and `dot` (SMTP dot-stuffing).
//!
//! Every scan for the next interesting byte is limited to what the current
//! line and the output window can take, so each input byte is looked at a
//! bounded number of times whatever the line length (a scan over the whole
//! rest of the input per line made small lengths quadratic).
use super::{copy_until_any, drive, Oom, Sink, CRLF, EQCRLF};

/// The most one step of `wrp` or `qpwrp` writes: a break and one byte.
pub const WRP_NEED: usize = 4;

/// Upper bound of `wrp`'s output for `n` input bytes: LF becomes CRLF, and
/// with `length >= 2` a soft break comes at most once per `length` bytes
/// (plus one at the start); else before every byte.
pub fn wrp_bound(n: usize, length: i32) -> Option<usize> {
    if length >= 2 {
        let breaks = (n / length as usize).checked_add(1)?;
        n.checked_mul(2)?.checked_add(breaks.checked_mul(2)?)
    } else {
        n.checked_mul(3)
    }
}

/// Upper bound of `qpwrp`'s output: as [`wrp_bound`], but a soft break
/// (`=CRLF`) may come after `length - 3` bytes (before an `=`).
pub fn qpwrp_bound(n: usize, length: i32) -> Option<usize> {
    if length >= 4 {
        let breaks = (n / (length as usize - 3)).checked_add(1)?;
        n.checked_mul(2)?.checked_add(breaks.checked_mul(3)?)
    } else {
        n.checked_mul(4)
    }
}

/// About what `n` bytes become when wrapped at `length`: a break per line,
/// a CR per LF; when lines are shorter than `short`, a break before every
/// byte (`per` bytes each).
fn wrap_guess(n: usize, length: i32, short: i32, per: usize) -> usize {
    if length < short {
        n.saturating_mul(per)
    } else {
        n + n / 32 + 3
    }
}

/// About the size of `wrp`'s output for `n` bytes of text.
pub fn wrp_guess(n: usize, length: i32) -> usize {
    wrap_guess(n, length, 2, 3)
}

/// About the size of `qpwrp`'s output for `n` bytes of text.
pub fn qpwrp_guess(n: usize, length: i32) -> usize {
    wrap_guess(n, length, 4, 4)
}

/// `wrp(left, input, length)`: writes the wrapped text into `out` and
/// returns the new `left`. Arithmetic wraps like the C `int` does on x86-64.
pub fn wrp<S: Sink>(mut left: i32, input: &[u8], length: i32, out: &mut S) -> Result<i32, Oom> {
    drive(
        out,
        WRP_NEED,
        input,
        |n| wrp_guess(n, length),
        |inp, cur| {
            let mut i = 0;
            while i < inp.len() && cur.left() >= WRP_NEED {
                match inp[i] {
                    // CR is dropped; a CRLF pair is taken in one step
                    b'\r' if inp.get(i + 1) == Some(&b'\n') => {
                        cur.put_all(CRLF);
                        left = length;
                        i += 2;
                    }
                    b'\r' => i += 1,
                    b'\n' => {
                        cur.put_all(CRLF);
                        left = length;
                        i += 1;
                    }
                    _ => {
                        if left <= 0 {
                            left = length;
                            cur.put_all(CRLF);
                        }
                        let take = if left > 0 {
                            let lim = (left as usize).min(inp.len() - i);
                            copy_until_any(&inp[i..i + lim], cur, [b'\r', b'\n'])
                        } else {
                            cur.put(inp[i]);
                            1
                        };
                        left = left.wrapping_sub(take as i32);
                        i += take;
                    }
                }
            }
            i
        },
    )?;
    Ok(left)
}

/// `qpwrp(left, input, length)`: like [`wrp`] but breaks with a soft line
/// break, never inside an `=XX` triplet, keeping room for the `=`.
pub fn qpwrp<S: Sink>(mut left: i32, input: &[u8], length: i32, out: &mut S) -> Result<i32, Oom> {
    drive(
        out,
        WRP_NEED,
        input,
        |n| qpwrp_guess(n, length),
        |inp, cur| {
            let mut i = 0;
            while i < inp.len() && cur.left() >= WRP_NEED {
                match inp[i] {
                    // CR is dropped; a CRLF pair is taken in one step
                    b'\r' if inp.get(i + 1) == Some(&b'\n') => {
                        left = length;
                        cur.put_all(CRLF);
                        i += 2;
                    }
                    b'\r' => i += 1,
                    b'\n' => {
                        left = length;
                        cur.put_all(CRLF);
                        i += 1;
                    }
                    b'=' => {
                        if left <= 3 {
                            left = length;
                            cur.put_all(EQCRLF);
                        }
                        cur.put(b'=');
                        left = left.wrapping_sub(1);
                        i += 1;
                    }
                    _ => {
                        if left <= 1 {
                            left = length;
                            cur.put_all(EQCRLF);
                        }
                        let take = if left > 1 {
                            let lim = (left as usize - 1).min(inp.len() - i);
                            copy_until_any(&inp[i..i + lim], cur, [b'\r', b'\n', b'='])
                        } else {
                            cur.put(inp[i]);
                            1
                        };
                        left = left.wrapping_sub(take as i32);
                        i += take;
                    }
                }
            }
            i
        },
    )?;
    Ok(left)
}

#[inline]
fn eol_candidate(c: i32) -> bool {
    c == b'\r' as i32 || c == b'\n' as i32
}

/// The most one step of `eol` writes: a marker, or one byte.
pub fn eol_need(marker: &[u8]) -> usize {
    marker.len().max(1)
}

/// Upper bound of `eol`'s output for `n` input bytes: each byte is copied
/// or becomes at most one marker.
pub fn eol_bound(n: usize, marker: &[u8]) -> Option<usize> {
    n.checked_mul(marker.len().max(1))
}

/// About the size of `eol`'s output for `n` bytes of text.
pub fn eol_guess(n: usize, marker: &[u8]) -> usize {
    (n + n / 16).saturating_add(marker.len())
}

/// `eol(ctx, input, marker)`: every CR, LF, CRLF or LFCR becomes `marker`
/// (cut at its first NUL); writes the text into `out` and returns the new
/// context.
pub fn eol<S: Sink>(mut ctx: i32, input: &[u8], marker: &[u8], out: &mut S) -> Result<i32, Oom> {
    let need = eol_need(marker);
    drive(
        out,
        need,
        input,
        |n| eol_guess(n, marker),
        |inp, cur| {
            let mut i = 0;
            while i < inp.len() && cur.left() >= need {
                let c = inp[i] as i32;
                if eol_candidate(c) {
                    if eol_candidate(ctx) {
                        if c == ctx {
                            cur.put_all(marker);
                        }
                        ctx = 0;
                    } else {
                        cur.put_all(marker);
                        ctx = c;
                    }
                    i += 1;
                } else {
                    i += copy_until_any(&inp[i..], cur, [b'\r', b'\n']);
                    ctx = 0;
                }
            }
            i
        },
    )?;
    Ok(ctx)
}

/// The most one step of `dot` writes (a stuffed dot).
pub const DOT_NEED: usize = 2;

/// Upper bound of `dot`'s output for `n` input bytes: a dot is doubled at
/// the start (state 2) and after each CRLF.
pub fn dot_bound(n: usize) -> Option<usize> {
    n.checked_add(n / 3)?.checked_add(1)
}

/// About the size of `dot`'s output for `n` bytes of text.
pub fn dot_guess(n: usize) -> usize {
    n + n / 64 + 1
}

/// `dot(state, input)`: SMTP dot-stuffing into `out`; state 2 means "just
/// after CRLF".
pub fn dot<S: Sink>(mut state: u64, input: &[u8], out: &mut S) -> Result<u64, Oom> {
    drive(out, DOT_NEED, input, dot_guess, |inp, cur| {
        // No byte makes more than two: this much input needs no room checks.
        let end = inp.len().min(cur.left() / DOT_NEED);
        let inp = &inp[..end];
        let mut i = 0;
        while i < inp.len() {
            let c = inp[i];
            match c {
                b'\r' => {
                    cur.put(c);
                    state = 1;
                    i += 1;
                }
                b'\n' => {
                    cur.put(c);
                    state = if state == 1 { 2 } else { 0 };
                    i += 1;
                }
                b'.' => {
                    cur.put(c);
                    if state == 2 {
                        cur.put(b'.');
                    }
                    state = 0;
                    i += 1;
                }
                _ => {
                    i += copy_until_any(&inp[i..], cur, [b'\r', b'\n', b'.']);
                    state = 0;
                }
            }
        }
        i
    })?;
    Ok(state)
}
