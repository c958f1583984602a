//! Base64: `b64` and `unb64`.
use super::Atom;

pub(super) const B64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Marks bytes that are not base64 (the C table's 255).
const NOT_B64: u8 = 255;

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
    for (o, i) in out[start..]
        .chunks_exact_mut(4)
        .zip(input[..whole].chunks_exact(3))
    {
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
