//! Waiting for readiness of many descriptors, with `select(2)`'s meaning of
//! "ready" but built on `poll(2)` (`ppoll` on Linux), so descriptors above
//! `FD_SETSIZE - 1` work and the cost follows the number of descriptors, not
//! the value of the largest one.
//!
//! The caller owns the array of [`Watch`]es (layout-identical to `struct
//! pollfd`, so it is handed to the kernel as is: no copy, no allocation).
use std::io;
use std::os::raw::{c_int, c_short};
use std::time::{Duration, Instant};

// What select(2) counts as ready (the kernel's POLLIN_SET / POLLOUT_SET):
// a hang-up makes a descriptor readable but not writable; an error makes it
// both.
const WANT_READ: c_short = libc::POLLIN | libc::POLLRDNORM | libc::POLLRDBAND;
const WANT_WRITE: c_short = libc::POLLOUT | libc::POLLWRNORM | libc::POLLWRBAND;
const READY_READ: c_short = WANT_READ | libc::POLLHUP | libc::POLLERR;
const READY_WRITE: c_short = WANT_WRITE | libc::POLLERR;

/// The longest single kernel wait; longer timeouts (up to "forever" given as
/// a huge number) are waited in slices of this.
const MAX_SLICE: Duration = Duration::from_secs(24 * 3600);

/// One descriptor to wait on: `struct pollfd`.
///
/// While a descriptor takes no part in the wait (nothing asked, or a hang-up
/// that select(2) would not report for writing) its `fd` is stored as `!fd`,
/// which the kernel skips as negative; [`Watch::fd`] undoes that.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Watch {
    fd: c_int,
    events: c_short,
    revents: c_short,
}

// The whole slice is passed to poll(2) as `struct pollfd *`.
const _: () = assert!(std::mem::size_of::<Watch>() == std::mem::size_of::<libc::pollfd>());
const _: () = assert!(std::mem::align_of::<Watch>() == std::mem::align_of::<libc::pollfd>());

impl Watch {
    /// `None` for a negative descriptor (nothing to wait on).
    pub fn new(fd: c_int, read: bool, write: bool) -> Option<Watch> {
        (fd >= 0).then(|| {
            let mut w = Watch {
                fd,
                events: 0,
                revents: 0,
            };
            w.set_read(read);
            w.set_write(write);
            w
        })
    }
    /// The descriptor as given to [`Watch::new`].
    pub fn fd(&self) -> c_int {
        if self.fd < 0 {
            !self.fd
        } else {
            self.fd
        }
    }
    pub fn wants_read(&self) -> bool {
        self.events & WANT_READ != 0
    }
    pub fn wants_write(&self) -> bool {
        self.events & WANT_WRITE != 0
    }
    pub fn set_read(&mut self, on: bool) {
        if on {
            self.events |= WANT_READ
        } else {
            self.events &= !WANT_READ
        }
    }
    pub fn set_write(&mut self, on: bool) {
        if on {
            self.events |= WANT_WRITE
        } else {
            self.events &= !WANT_WRITE
        }
    }
    /// Ready for reading after [`wait`] (only if reading was asked for).
    pub fn readable(&self) -> bool {
        self.wants_read() && self.revents & READY_READ != 0
    }
    /// Ready for writing after [`wait`] (only if writing was asked for).
    pub fn writable(&self) -> bool {
        self.wants_write() && self.revents & READY_WRITE != 0
    }
    /// How many of the two select(2) sets this entry is ready in.
    fn ready_count(&self) -> usize {
        self.readable() as usize + self.writable() as usize
    }
    fn take_part(&mut self, on: bool) {
        if (self.fd >= 0) != on {
            self.fd = !self.fd;
        }
    }
}

/// Waits until at least one entry is ready in the sense of select(2), or for
/// `timeout` seconds: negative means forever, NaN means not at all (as the C
/// core's arithmetic has it), a huge value is effectively forever.
///
/// Returns how many (entry, direction) pairs are ready, 0 on timeout, like
/// select(2)'s count. Interrupted waits resume with the remaining time. A
/// descriptor that is not open fails the whole wait with `EBADF`, as
/// select(2) documents. The readiness stays in `set` ([`Watch::readable`],
/// [`Watch::writable`]); the order of `set` is not changed.
pub fn wait(set: &mut [Watch], timeout: f64) -> io::Result<usize> {
    for w in set.iter_mut() {
        w.revents = 0;
        let asked = w.wants_read() || w.wants_write();
        w.take_part(asked);
    }
    let r = wait_loop(set, timeout);
    for w in set.iter_mut() {
        w.take_part(true);
    }
    if r.is_err() {
        for w in set.iter_mut() {
            w.revents = 0;
        }
    }
    r
}

fn wait_loop(set: &mut [Watch], timeout: f64) -> io::Result<usize> {
    let start = Instant::now();
    // None: no deadline (forever, or too far away to represent).
    let deadline = if timeout.is_nan() {
        Some(start)
    } else if timeout < 0.0 {
        None
    } else {
        Duration::try_from_secs_f64(timeout)
            .ok()
            .and_then(|d| start.checked_add(d))
    };
    loop {
        let slice = match deadline {
            None => MAX_SLICE,
            Some(d) => d.saturating_duration_since(Instant::now()).min(MAX_SLICE),
        };
        let rc = sys_poll(set, slice);
        if rc < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(e);
        }
        let mut ready = 0;
        if rc > 0 {
            for w in set.iter_mut() {
                if w.fd < 0 || w.revents == 0 {
                    continue;
                }
                if w.revents & libc::POLLNVAL != 0 {
                    return Err(io::Error::from_raw_os_error(libc::EBADF));
                }
                let n = w.ready_count();
                if n == 0 {
                    // A hang-up on a descriptor watched only for writing:
                    // select(2) would keep waiting, and poll(2) would report
                    // it again at once, so leave it out from now on.
                    w.revents = 0;
                    w.take_part(false);
                }
                ready += n;
            }
        }
        if ready > 0 {
            return Ok(ready);
        }
        if let Some(d) = deadline {
            if Instant::now() >= d {
                return Ok(0);
            }
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn sys_poll(set: &mut [Watch], t: Duration) -> c_int {
    let ts = libc::timespec {
        tv_sec: t.as_secs() as libc::time_t,
        tv_nsec: t.subsec_nanos() as _,
    };
    // SAFETY: `Watch` is layout-identical to `struct pollfd` (checked above)
    // and the slice is valid for writes for the whole call; `ts` outlives it;
    // a null signal mask leaves the mask unchanged.
    unsafe {
        libc::ppoll(
            set.as_mut_ptr() as *mut libc::pollfd,
            set.len() as libc::nfds_t,
            &ts,
            std::ptr::null(),
        )
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn sys_poll(set: &mut [Watch], t: Duration) -> c_int {
    // Round up so a short timeout never returns early.
    let ms = t.as_nanos().div_ceil(1_000_000).min(c_int::MAX as u128) as c_int;
    // SAFETY: as in the Linux version.
    unsafe {
        libc::poll(
            set.as_mut_ptr() as *mut libc::pollfd,
            set.len() as libc::nfds_t,
            ms,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    fn pipe() -> (OwnedFd, OwnedFd) {
        let mut p = [0 as c_int; 2];
        // SAFETY: `p` has room for the two descriptors.
        assert_eq!(unsafe { libc::pipe(p.as_mut_ptr()) }, 0);
        // SAFETY: freshly created descriptors, owned once each.
        unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) }
    }

    fn socketpair() -> (OwnedFd, OwnedFd) {
        let mut p = [0 as c_int; 2];
        // SAFETY: `p` has room for the two descriptors.
        assert_eq!(
            unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, p.as_mut_ptr()) },
            0
        );
        // SAFETY: as above.
        unsafe { (OwnedFd::from_raw_fd(p[0]), OwnedFd::from_raw_fd(p[1])) }
    }

    fn write(fd: &OwnedFd, b: &[u8]) {
        // SAFETY: valid descriptor and buffer.
        assert_eq!(
            unsafe { libc::write(fd.as_raw_fd(), b.as_ptr() as *const _, b.len()) },
            b.len() as isize
        );
    }

    fn w(fd: &OwnedFd, r: bool, wr: bool) -> Watch {
        Watch::new(fd.as_raw_fd(), r, wr).unwrap()
    }

    #[test]
    fn layout_and_fd_roundtrip() {
        assert!(Watch::new(-1, true, true).is_none());
        let mut x = Watch::new(0, true, false).unwrap();
        x.take_part(false);
        assert!(x.fd < 0);
        assert_eq!(x.fd(), 0);
        x.take_part(true);
        assert_eq!(x.fd, 0);
        assert!(x.wants_read() && !x.wants_write());
        x.set_read(false);
        x.set_write(true);
        assert!(!x.wants_read() && x.wants_write());
    }

    #[test]
    fn empty_pipe_times_out_then_data_is_readable() {
        let (r, wr) = pipe();
        let mut set = [w(&r, true, false)];
        let t0 = Instant::now();
        assert_eq!(wait(&mut set, 0.05).unwrap(), 0);
        assert!(t0.elapsed() >= Duration::from_millis(50));
        assert!(!set[0].readable());
        write(&wr, b"x");
        assert_eq!(wait(&mut set, -1.0).unwrap(), 1);
        assert!(set[0].readable() && !set[0].writable());
    }

    #[test]
    fn zero_and_nan_timeouts_do_not_wait() {
        let (r, _wr) = pipe();
        let mut set = [w(&r, true, false)];
        let t0 = Instant::now();
        assert_eq!(wait(&mut set, 0.0).unwrap(), 0);
        assert_eq!(wait(&mut set, f64::NAN).unwrap(), 0);
        assert!(t0.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn counts_both_directions_and_keeps_order() {
        let (a, b) = socketpair();
        write(&b, b"hello");
        let (r, _wr) = pipe();
        let mut set = [w(&r, true, true), w(&a, true, true)];
        // read end of a pipe: never writable; socket: readable and writable
        assert_eq!(wait(&mut set, 1e9).unwrap(), 2);
        assert_eq!(set[0].fd(), r.as_raw_fd());
        assert!(!set[0].readable() && !set[0].writable());
        assert!(set[1].readable() && set[1].writable());
    }

    #[test]
    fn only_asked_directions_are_reported() {
        let (a, b) = socketpair();
        write(&b, b"x");
        let mut set = [w(&a, false, true)];
        assert_eq!(wait(&mut set, 1.0).unwrap(), 1);
        assert!(set[0].writable() && !set[0].readable());
        let mut none = [w(&a, false, false)];
        assert_eq!(wait(&mut none, 0.02).unwrap(), 0);
        assert_eq!(none[0].fd(), a.as_raw_fd());
    }

    #[test]
    fn hangup_is_readable_not_writable() {
        let (a, b) = socketpair();
        drop(b);
        let mut set = [w(&a, true, false)];
        assert_eq!(wait(&mut set, 1.0).unwrap(), 1);
        assert!(set[0].readable());
        // A pipe whose reader is gone is an error: writable (select says so).
        let (r, wr) = pipe();
        drop(r);
        let mut set = [w(&wr, false, true)];
        assert_eq!(wait(&mut set, 1.0).unwrap(), 1);
        assert!(set[0].writable());
    }

    #[test]
    fn write_only_hangup_is_waited_out_not_spun() {
        // The read end of a pipe whose writer is gone, watched for writing:
        // poll reports POLLHUP alone; select(2) does not call that writable
        // and waits for the timeout.
        let (r, wr) = pipe();
        drop(wr);
        let mut set = [w(&r, false, true)];
        let t0 = Instant::now();
        assert_eq!(wait(&mut set, 0.1).unwrap(), 0);
        assert!(t0.elapsed() >= Duration::from_millis(100));
        assert_eq!(set[0].fd(), r.as_raw_fd());
        assert!(!set[0].writable());
        let mut set = [w(&r, true, false)];
        assert_eq!(wait(&mut set, 0.1).unwrap(), 1);
        assert!(set[0].readable());
    }

    #[test]
    fn closed_descriptor_is_ebadf() {
        // Far above anything this process opens (tests run in parallel, so a
        // just-closed number could be reused at once).
        let fd = 999_999;
        let (a, b) = socketpair();
        write(&b, b"x");
        let mut set = [Watch::new(fd, true, false).unwrap(), w(&a, true, true)];
        let e = wait(&mut set, 1.0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EBADF));
        assert_eq!(set[0].fd(), fd);
        assert!(!set[1].readable());
        // not asked for anything: not looked at
        let mut set = [Watch::new(fd, false, false).unwrap()];
        assert_eq!(wait(&mut set, 0.0).unwrap(), 0);
    }

    #[test]
    fn empty_set_sleeps() {
        let t0 = Instant::now();
        assert_eq!(wait(&mut [], 0.03).unwrap(), 0);
        assert!(t0.elapsed() >= Duration::from_millis(30));
    }

    extern "C" fn on_usr1(_: c_int) {}

    #[test]
    fn interrupted_wait_resumes_with_remaining_time() {
        // SAFETY: installs a no-op handler without SA_RESTART so the wait
        // really is interrupted; sigaction is zero-initialisable.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_usr1 as extern "C" fn(c_int) as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
        }
        // SAFETY: pthread_self has no preconditions.
        let me = unsafe { libc::pthread_self() };
        let (r, _wr) = pipe();
        let kicker = std::thread::spawn(move || {
            for _ in 0..3 {
                std::thread::sleep(Duration::from_millis(40));
                // SAFETY: the waiting thread is alive until join below.
                unsafe { libc::pthread_kill(me, libc::SIGUSR1) };
            }
        });
        let mut set = [w(&r, true, false)];
        let t0 = Instant::now();
        assert_eq!(wait(&mut set, 0.3).unwrap(), 0);
        assert!(t0.elapsed() >= Duration::from_millis(300));
        kicker.join().unwrap();
    }

    #[test]
    fn huge_timeouts_are_forever_not_overflow() {
        let (a, _b) = socketpair();
        for t in [f64::INFINITY, 1e300, 2f64.powi(40), -1.0, f64::NEG_INFINITY] {
            let mut set = [w(&a, false, true)];
            assert_eq!(wait(&mut set, t).unwrap(), 1);
        }
    }
}
