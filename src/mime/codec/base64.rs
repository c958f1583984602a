//! Base64: `b64` and `unb64`.
use super::{drive, Atom, Cur, Oom, Sink};

pub(super) const B64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Marks bytes that are not base64 (the C table's 255).
const NOT_B64: u8 = 255;
/// In [`B64_FAST`]: not a plain base64 digit (`=` or not base64 at all).
const NOT_DIGIT: u8 = 0x80;

/// Base64 value of each byte; `=` counts as 0 like in the C table.
pub(super) static B64_VALUE: [u8; 256] = {
    let mut t = [NOT_B64; 256];
    let mut i = 0;
    while i < 64 {
        t[B64_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t[b'=' as usize] = 0;
    t
};

#[inline]
pub(super) fn b64_group(a: u8, b: u8, c: u8) -> [u8; 4] {
    let v = (a as u32) << 16 | (b as u32) << 8 | c as u32;
    [
        B64_ALPHABET[(v >> 18) as usize & 63],
        B64_ALPHABET[(v >> 12) as usize & 63],
        B64_ALPHABET[(v >> 6) as usize & 63],
        B64_ALPHABET[v as usize & 63],
    ]
}

/// Like [`B64_VALUE`] but `=` is flagged too: a group of four bytes whose
/// values OR to less than 64 decodes to three bytes with no special case.
static B64_FAST: [u8; 256] = {
    let mut t = [NOT_DIGIT; 256];
    let mut i = 0;
    while i < 64 {
        t[B64_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The most one step writes (a group; the final padded group is added
/// separately).
pub const B64_NEED: usize = 4;

/// Exact length of `b64`'s output for `n` input bytes in all (`flush`: the
/// final call, which pads the last group).
pub fn b64_bound(n: usize, flush: bool) -> Option<usize> {
    let groups = if flush { n.div_ceil(3) } else { n / 3 };
    groups.checked_mul(4)
}

/// Feeds `input` to the base64 encoder whose pending bytes are `atom`.
fn b64_feed<S: Sink>(atom: &mut Atom, mut input: &[u8], out: &mut S) -> Result<(), Oom> {
    if atom.len > 0 {
        while atom.len < 3 {
            match input.split_first() {
                Some((&b, rest)) => {
                    atom.buf[atom.len] = b;
                    atom.len += 1;
                    input = rest;
                }
                None => return Ok(()),
            }
        }
        out.extend(&b64_group(atom.buf[0], atom.buf[1], atom.buf[2]))?;
        atom.len = 0;
    }
    let whole = input.len() / 3 * 3;
    drive(
        out,
        B64_NEED,
        &input[..whole],
        |n| n / 3 * 4,
        |inp, cur| {
            let groups = (inp.len() / 3).min(cur.left() / 4);
            let room = cur.rest();
            for (o, i) in room[..groups * 4]
                .chunks_exact_mut(4)
                .zip(inp.chunks_exact(3))
            {
                o.copy_from_slice(&b64_group(i[0], i[1], i[2]));
            }
            cur.advance(groups * 4);
            groups * 3
        },
    )?;
    let tail = &input[whole..];
    atom.buf[..tail.len()].copy_from_slice(tail);
    atom.len = tail.len();
    Ok(())
}

/// `b64(c, d)`: base64 of `c .. d` into `out`. With `d` absent (final call)
/// the 1–2 leftover bytes are emitted padded and the atom comes back empty.
pub fn b64<S: Sink>(c: &[u8], d: Option<&[u8]>, out: &mut S) -> Result<Atom, Oom> {
    // The exact size is known: one block, never grown past the result (a
    // hint only; a sink that refuses it is grown window by window).
    let total = c.len().saturating_add(d.map_or(0, <[u8]>::len));
    if let Some(n) = b64_bound(total, d.is_none()).filter(|&n| n > 0) {
        let _ = out.room(n);
    }
    let mut atom = Atom::default();
    b64_feed(&mut atom, c, out)?;
    match d {
        Some(d) => b64_feed(&mut atom, d, out)?,
        None => {
            match atom.len {
                1 => {
                    let g = b64_group(atom.buf[0], 0, 0);
                    out.extend(&[g[0], g[1], b'=', b'='])?;
                }
                2 => {
                    let g = b64_group(atom.buf[0], atom.buf[1], 0);
                    out.extend(&[g[0], g[1], g[2], b'='])?;
                }
                _ => {}
            }
            atom.len = 0;
        }
    }
    Ok(atom)
}

/// The bytes of a complete atom (mime.c's `b64decode` at its fourth byte).
#[inline]
fn b64_decode_atom(a: [u8; 4], cur: &mut Cur) {
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
    cur.put_all(&bytes[..valid]);
}

/// The most one step of the decoder writes.
pub const UNB64_NEED: usize = 3;

/// Upper bound of `unb64`'s output for `n` input bytes.
pub fn unb64_bound(n: usize) -> Option<usize> {
    Some(n / 4 * 3)
}

/// Feeds `input` to the base64 decoder whose pending characters are `atom`.
fn unb64_feed<S: Sink>(atom: &mut Atom, input: &[u8], out: &mut S) -> Result<(), Oom> {
    let pending = atom.len;
    drive(
        out,
        UNB64_NEED,
        input,
        |n| (n + pending) / 4 * 3,
        |inp, cur| unb64_step(atom, inp, cur),
    )
}

#[inline(always)]
fn unb64_step(atom: &mut Atom, inp: &[u8], cur: &mut Cur) -> usize {
    let n = inp.len();
    let mut i = 0;
    while i < n && cur.left() >= UNB64_NEED {
        if atom.len == 0 {
            // Whole groups of four plain digits need no atom: three bytes
            // each, written straight into the window.
            let groups = ((n - i) / 4).min(cur.left() / 3);
            let room = cur.rest();
            let mut o = 0;
            for g in inp[i..i + groups * 4].chunks_exact(4) {
                let (a, b, c, d) = (
                    B64_FAST[g[0] as usize],
                    B64_FAST[g[1] as usize],
                    B64_FAST[g[2] as usize],
                    B64_FAST[g[3] as usize],
                );
                if (a | b | c | d) & NOT_DIGIT != 0 {
                    break;
                }
                let v = (a as u32) << 18 | (b as u32) << 12 | (c as u32) << 6 | d as u32;
                room[o..o + 3].copy_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
                o += 3;
            }
            cur.advance(o);
            i += o / 3 * 4;
            if i >= n || cur.left() < UNB64_NEED {
                break;
            }
        }
        let ch = inp[i];
        i += 1;
        if B64_VALUE[ch as usize] == NOT_B64 {
            continue;
        }
        atom.buf[atom.len] = ch;
        atom.len += 1;
        if atom.len == 4 {
            b64_decode_atom(atom.buf, cur);
            atom.len = 0;
        }
    }
    i
}

/// `unb64(c, d)`: decodes `c .. d` into `out`, skipping non-base64 bytes.
/// With `d` absent an incomplete final group is dropped and the atom comes
/// back empty.
pub fn unb64<S: Sink>(c: &[u8], d: Option<&[u8]>, out: &mut S) -> Result<Atom, Oom> {
    let mut atom = Atom::default();
    unb64_feed(&mut atom, c, out)?;
    match d {
        Some(d) => unb64_feed(&mut atom, d, out)?,
        None => atom.len = 0,
    }
    Ok(atom)
}
