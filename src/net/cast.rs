//! The C core's double-to-integer casts as x86-64 compilers emit them
//! (`cvttsd2si`): out-of-range values and NaN become the type's minimum
//! instead of saturating like Rust's `as`, and that shows in results
//! (`send("abc", 1e300)` clamps to 1 in C).

const TWO63: f64 = (1u64 << 63) as f64;
const TWO31: f64 = 2147483648.0;

/// `(int) x`
pub fn c_int(x: f64) -> i32 {
    if x > -TWO31 - 1.0 && x < TWO31 {
        x as i32
    } else {
        i32::MIN
    }
}

/// `(long) x` on LP64
pub fn c_long(x: f64) -> i64 {
    if (-TWO63..TWO63).contains(&x) {
        x as i64
    } else {
        i64::MIN
    }
}

/// `(size_t) x` (the two-step sequence compilers use for unsigned 64-bit).
pub fn c_size(x: f64) -> u64 {
    if x < TWO63 {
        c_long(x) as u64
    } else {
        (c_long(x - TWO63) as u64) ^ (1u64 << 63)
    }
}

/// `(unsigned short) x`: through a 32-bit int, then truncated.
pub fn c_ushort(x: f64) -> u16 {
    c_int(x) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts() {
        assert_eq!(c_int(2.7), 2);
        assert_eq!(c_int(-2.7), -2);
        assert_eq!(c_int(3e9), i32::MIN);
        assert_eq!(c_int(f64::NAN), i32::MIN);
        assert_eq!(c_long(1e300), i64::MIN);
        assert_eq!(c_long(-5.5), -5);
        assert_eq!(c_size(10.9), 10);
        assert_eq!(c_size(1e19), 10_000_000_000_000_000_000);
        assert_eq!(c_size(1e20), 0);
        assert_eq!(c_ushort(70000.0), 4464);
        assert_eq!(c_ushort(-1.0), 65535);
    }
}
