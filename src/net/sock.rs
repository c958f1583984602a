//! System calls over a raw descriptor (the C core's usocket.c), made through
//! socket2 where it makes the same calls.
//!
//! Descriptors are plain `i32` (`INVALID` = -1) so that Lua objects can hold
//! them without destructors; each call borrows the fd as a socket2
//! [`Socket`] ([`with`]). Failures are [`Code`]s. Every descriptor is kept
//! non-blocking; "blocking" is emulated with poll(2) and a [`Timeout`] in
//! the one retry loop, [`retry`].
use super::errors::{Code, Result};
use super::timeout::Timeout;
pub use socket2::SockAddr;
use socket2::{Domain, Protocol, SockRef, Socket, Type};
use std::io;
use std::mem::MaybeUninit;
use std::net::Shutdown;
use std::os::fd::{BorrowedFd, IntoRawFd};

pub type Fd = i32;
pub const INVALID: Fd = -1;

/// The flags of socket.core's sends: SIGPIPE is ignored anyway, this also
/// covers hosts that re-enable it (the unix modules send with 0, as theirs).
pub const NOSIGNAL: i32 = libc::MSG_NOSIGNAL;

/// What to wait for (`WAITFD_R`, `WAITFD_W`, `WAITFD_C`).
pub const WAIT_R: i16 = libc::POLLIN;
pub const WAIT_W: i16 = libc::POLLOUT;
pub const WAIT_C: i16 = libc::POLLIN | libc::POLLOUT;

#[inline]
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// `fd` as a socket2 socket for one call: the userdata keeps the raw
/// descriptor, socket2 only borrows it. A negative descriptor fails with
/// EBADF without a call, as the call itself would.
pub fn with<T>(fd: Fd, f: impl FnOnce(&Socket) -> io::Result<T>) -> io::Result<T> {
    if fd < 0 {
        return Err(io::Error::from_raw_os_error(libc::EBADF));
    }
    // SAFETY: `fd` is not -1 (BorrowedFd's niche). It may name no open file
    // (`setfd` takes any number): the borrow never closes or duplicates it,
    // it only hands it to system calls, which then fail with EBADF as the C
    // core's calls do.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    f(&SockRef::from(&fd))
}

/// A byte buffer as socket2's receive calls take it.
pub fn uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: same layout; socket2's receive calls only let the kernel write
    // bytes into it, never uninitialised ones (socket2's own `Read` impl
    // makes the same cast).
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

/// The address the C core formats when nothing filled its storage (a
/// receive on an object without descriptor): all zero, full length.
pub fn no_address() -> SockAddr {
    // SAFETY: an all-zero sockaddr_storage is valid (family AF_UNSPEC) for
    // its whole length.
    unsafe {
        SockAddr::new(
            std::mem::zeroed(),
            std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        )
    }
}

/// `socket(2)` with O_NONBLOCK; IPv6 sockets get IPV6_V6ONLY = 1 (as
/// `inet_trycreate`). `new_raw`: socket2's `Socket::new` would also set
/// SOCK_CLOEXEC, which the C core does not.
pub fn create(family: i32, socktype: i32, protocol: i32) -> Result<Fd> {
    let ty = Type::from(socktype).nonblocking();
    let s = Socket::new_raw(Domain::from(family), ty, Some(Protocol::from(protocol)))?;
    if family == libc::AF_INET6 {
        let _ = s.set_only_v6(true);
    }
    Ok(s.into_raw_fd())
}

/// `socket_destroy`: closes a valid fd and marks it invalid.
pub fn destroy(fd: &mut Fd) {
    if *fd != INVALID {
        // SAFETY: the caller owns this descriptor; it is forgotten right after.
        unsafe { libc::close(*fd) };
        *fd = INVALID;
    }
}

/// `socket_setblocking` / `socket_setnonblocking`: clears or sets
/// O_NONBLOCK whatever it was (LuaSec blocks a descriptor around its
/// handshake and hands it back; serial makes its device non-blocking).
/// Raw fcntl: the descriptor may be a device, and socket2 skips the
/// F_SETFL the C core always makes.
pub fn set_blocking(fd: Fd, blocking: bool) {
    // SAFETY: fcntl on an integer fd; an invalid fd just fails.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL, 0);
        if flags >= 0 {
            let want = if blocking {
                flags & !libc::O_NONBLOCK
            } else {
                flags | libc::O_NONBLOCK
            };
            libc::fcntl(fd, libc::F_SETFL, want);
        }
    }
}

/// `socket_bind`.
pub fn bind(fd: Fd, addr: &SockAddr) -> Result<()> {
    Ok(with(fd, |s| s.bind(addr))?)
}

/// `socket_listen`.
pub fn listen(fd: Fd, backlog: i32) -> Result<()> {
    Ok(with(fd, |s| s.listen(backlog))?)
}

/// `socket_shutdown`: result ignored, as the C core does.
pub fn shutdown(fd: Fd, how: Shutdown) {
    let _ = with(fd, |s| s.shutdown(how));
}

/// `socket_waitfd` with poll(2): `Timeout` at once when the block timeout
/// is exactly 0; EINTR re-polls with a recomputed budget; for `WAIT_C` a
/// readable or failed socket reports `Closed` (the caller then asks why).
pub fn wait(fd: Fd, events: i16, tm: &Timeout) -> Result<()> {
    if tm.is_zero() {
        return Err(Code::Timeout);
    }
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    let ret = loop {
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, tm.poll_ms()) };
        if r == -1 && errno() == libc::EINTR {
            continue;
        }
        break r;
    };
    if ret == -1 {
        return Err(Code::last_os());
    }
    if ret == 0 {
        return Err(Code::Timeout);
    }
    if events == WAIT_C && pfd.revents & (libc::POLLIN | libc::POLLERR) != 0 {
        return Err(Code::Closed);
    }
    Ok(())
}

/// `socket_connect`: immediate result, or wait for completion within `tm`.
pub fn connect(fd: Fd, addr: &SockAddr, tm: &Timeout) -> Result<()> {
    if fd == INVALID {
        return Err(Code::Closed);
    }
    let err = loop {
        match with(fd, |s| s.connect(addr)) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
            Err(e) => break e.raw_os_error().unwrap_or(0),
        }
    };
    if err != libc::EINPROGRESS && err != libc::EAGAIN {
        return Err(Code::errno(err));
    }
    if tm.is_zero() {
        return Err(Code::Timeout);
    }
    match wait(fd, WAIT_C, tm) {
        // A zero-length recv tells a completed connect (0) from a failed one
        // (errno = the connect error), as the C core does.
        Err(Code::Closed) => Ok(with(fd, |s| s.recv(&mut [])).map(drop)?),
        r => r,
    }
}

/// The C core's I/O loop, written once for usocket.c's accept, send, recv,
/// sendto, recvfrom and serial's write and read: calls `op` until it
/// succeeds. EINTR calls again; EAGAIN waits for `events` within `tm` (a
/// zero timeout fails at once) and calls again. A write (`events` =
/// [`WAIT_W`]) also calls again on EPROTOTYPE and reads EPIPE as `Closed`. A
/// closed object (`INVALID`) is `Closed` without a call.
pub fn retry<T>(
    fd: Fd,
    events: i16,
    tm: &Timeout,
    mut op: impl FnMut() -> io::Result<T>,
) -> Result<T> {
    if fd == INVALID {
        return Err(Code::Closed);
    }
    let write = events == WAIT_W;
    loop {
        let e = match op() {
            Ok(v) => return Ok(v),
            Err(e) => e.raw_os_error().unwrap_or(0),
        };
        match e {
            libc::EINTR => {}
            libc::EPROTOTYPE if write => {}
            libc::EPIPE if write => return Err(Code::Closed),
            libc::EAGAIN => wait(fd, events, tm)?,
            e => return Err(Code::errno(e)),
        }
    }
}

/// std's `cvt`: a system call's count, or its errno.
pub fn cvt(r: isize) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// `socket_accept`: the new descriptor, non-blocking (accept4, one call). A
/// connection aborted before it was taken is waited out like EAGAIN, as the
/// C core does.
pub fn accept(fd: Fd, tm: &Timeout) -> Result<Fd> {
    retry(fd, WAIT_R, tm, || {
        with(fd, |s| match s.accept4(libc::SOCK_NONBLOCK) {
            Ok((c, _)) => Ok(c.into_raw_fd()),
            Err(e) if e.raw_os_error() == Some(libc::ECONNABORTED) => {
                Err(io::Error::from_raw_os_error(libc::EAGAIN))
            }
            Err(e) => Err(e),
        })
    })
}

/// `socket_send` / `socket_sendto`: one successful send(2) (sendto(2) with
/// an address) of as much as the kernel takes.
pub fn send(fd: Fd, data: &[u8], to: Option<&SockAddr>, flags: i32, tm: &Timeout) -> Result<usize> {
    retry(fd, WAIT_W, tm, || {
        with(fd, |s| match to {
            Some(a) => s.send_to_with_flags(data, a, flags),
            None => s.send_with_flags(data, flags),
        })
    })
}

/// `socket_recv`: one successful recv(2) into `buf` with `flags`; 0 is the
/// end of a stream (the transports' `Closed`) or an empty datagram.
pub fn recv(fd: Fd, buf: &mut [u8], flags: i32, tm: &Timeout) -> Result<usize> {
    recv_uninit(fd, uninit(buf), flags, tm)
}

/// [`recv`] into memory that need not be initialised (a datagram's stack
/// buffer: no 8 KiB memset per receive); the first bytes returned are then.
pub fn recv_uninit(fd: Fd, buf: &mut [MaybeUninit<u8>], flags: i32, tm: &Timeout) -> Result<usize> {
    retry(fd, WAIT_R, tm, || {
        with(fd, |s| s.recv_with_flags(buf, flags))
    })
}

/// `socket_recvfrom`: one datagram into `buf` and its sender.
pub fn recv_from(fd: Fd, buf: &mut [u8], tm: &Timeout) -> Result<(usize, SockAddr)> {
    recv_from_uninit(fd, uninit(buf), tm)
}

/// [`recv_from`] into memory that need not be initialised.
pub fn recv_from_uninit(
    fd: Fd,
    buf: &mut [MaybeUninit<u8>],
    tm: &Timeout,
) -> Result<(usize, SockAddr)> {
    retry(fd, WAIT_R, tm, || with(fd, |s| s.recv_from(buf)))
}

/// getsockname(2) / getpeername(2).
pub fn name(fd: Fd, peer: bool) -> Result<SockAddr> {
    Ok(with(
        fd,
        |s| if peer { s.peer_addr() } else { s.local_addr() },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_fd_is_closed() {
        let tm = Timeout::default();
        assert_eq!(send(INVALID, b"x", None, 0, &tm), Err(Code::Closed));
        assert_eq!(recv(INVALID, &mut [0u8; 4], 0, &tm), Err(Code::Closed));
        assert_eq!(accept(INVALID, &tm), Err(Code::Closed));
    }

    #[test]
    fn retry_policy() {
        let zero = Timeout {
            block: 0.0,
            total: -1.0,
            start: 0.0,
        };
        let err = |e| move || Err::<(), _>(io::Error::from_raw_os_error(e));
        // a write's EPIPE is the peer gone; a read's stays its errno
        assert_eq!(retry(0, WAIT_W, &zero, err(libc::EPIPE)), Err(Code::Closed));
        assert_eq!(
            retry(0, WAIT_R, &zero, err(libc::EPIPE)),
            Err(Code::Errno(libc::EPIPE))
        );
        assert_eq!(
            retry(0, WAIT_R, &zero, err(libc::EAGAIN)),
            Err(Code::Timeout)
        );
        // EINTR (and a write's EPROTOTYPE) call again
        for (events, e) in [(WAIT_R, libc::EINTR), (WAIT_W, libc::EPROTOTYPE)] {
            let mut calls = 0;
            let r = retry(0, events, &zero, || {
                calls += 1;
                if calls < 3 {
                    Err(io::Error::from_raw_os_error(e))
                } else {
                    Ok(calls)
                }
            });
            assert_eq!(r, Ok(3));
        }
        assert_eq!(retry(INVALID, WAIT_R, &zero, || Ok(1)), Err(Code::Closed));
    }

    #[test]
    fn zero_timeout_does_not_poll() {
        let mut fd = create(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
        let tm = Timeout {
            block: 0.0,
            total: -1.0,
            start: 0.0,
        };
        assert_eq!(wait(fd, WAIT_R, &tm), Err(Code::Timeout));
        assert_eq!(listen(fd, 4), Ok(()));
        assert_eq!(accept(fd, &tm), Err(Code::Timeout));
        destroy(&mut fd);
        assert_eq!(fd, INVALID);
        destroy(&mut fd);
    }

    #[test]
    fn v6only_is_set() {
        let mut fd = create(libc::AF_INET6, libc::SOCK_STREAM, 0).unwrap();
        assert!(with(fd, Socket::only_v6).unwrap());
        destroy(&mut fd);
    }
}
