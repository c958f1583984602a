//! Wall-clock time and sleeping, as `socket.gettime` / `socket.sleep` do it.

/// Seconds since the Unix epoch with microsecond resolution (`gettimeofday`,
/// like the C core, so values compare with the reference's).
pub fn gettime() -> f64 {
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: `tv` is a valid out-pointer; a null timezone is allowed.
    unsafe {
        libc::gettimeofday(&mut tv, std::ptr::null_mut());
    }
    tv.tv_sec as f64 + tv.tv_usec as f64 / 1.0e6
}

/// The `timespec` that `socket.sleep(n)` sleeps for: negative (and NaN) →
/// nothing, clamped to `INT_MAX` seconds, nanoseconds capped at 999999999.
pub fn sleep_spec(n: f64) -> (i64, i64) {
    // The C core turns NaN into an endless EINVAL loop; sleeping 0 is the only
    // sane reading of it.
    let mut n = if n.is_nan() || n < 0.0 { 0.0 } else { n };
    if n > i32::MAX as f64 {
        n = i32::MAX as f64;
    }
    let secs = n as i32 as i64;
    let frac = n - secs as f64;
    let nsec = ((frac * 1.0e9) as i32 as i64).min(999_999_999);
    (secs, nsec)
}

/// Sleeps for `n` seconds (see [`sleep_spec`]), resuming after signals.
pub fn sleep(n: f64) {
    let (secs, nsec) = sleep_spec(n);
    let mut t = libc::timespec {
        tv_sec: secs as libc::time_t,
        tv_nsec: nsec as _,
    };
    let mut rem = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: both pointers are valid for the call.
    while unsafe { libc::nanosleep(&t, &mut rem) } != 0 {
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            break;
        }
        t = rem;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleep_spec_matches_c_arithmetic() {
        assert_eq!(sleep_spec(-1.0), (0, 0));
        assert_eq!(sleep_spec(f64::NEG_INFINITY), (0, 0));
        assert_eq!(sleep_spec(f64::NAN), (0, 0));
        assert_eq!(sleep_spec(1.5), (1, 500_000_000));
        assert_eq!(sleep_spec(0.25), (0, 250_000_000));
        assert_eq!(sleep_spec(1e300), (i32::MAX as i64, 0));
        assert_eq!(sleep_spec(f64::INFINITY), (i32::MAX as i64, 0));
    }

    #[test]
    fn gettime_is_epoch_seconds() {
        let t = gettime();
        assert!(t > 1.7e9 && t < 1.0e10, "{t}");
        let sys = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!((sys - t).abs() < 5.0);
    }

    #[test]
    fn sleep_sleeps() {
        let a = std::time::Instant::now();
        sleep(0.05);
        assert!(a.elapsed().as_secs_f64() >= 0.049);
        sleep(-3.0); // returns at once
    }
}
