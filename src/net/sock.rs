//! Thin system-call wrappers over a raw descriptor (the C core's usocket.c).
//!
//! Descriptors are plain `i32` (`INVALID` = -1) so that Lua objects can hold
//! them without destructors; each function borrows the fd for one call.
//! Results use the codes of [`super::errors`]: `DONE`, `TIMEOUT`, `CLOSED` or
//! an errno. Every descriptor is kept non-blocking; "blocking" is emulated
//! with poll(2) and a [`Timeout`].
use super::errors::{CLOSED, DONE, TIMEOUT};
use super::timeout::Timeout;

pub type Fd = i32;
pub const INVALID: Fd = -1;

/// What to wait for (`WAITFD_R`, `WAITFD_W`, `WAITFD_C`).
pub const WAIT_R: i16 = libc::POLLIN;
pub const WAIT_W: i16 = libc::POLLOUT;
pub const WAIT_C: i16 = libc::POLLIN | libc::POLLOUT;

#[inline]
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// `socket(2)` with O_NONBLOCK; IPv6 sockets get IPV6_V6ONLY = 1 (as
/// `inet_trycreate`). Returns the fd or the errno.
pub fn create(family: i32, socktype: i32, protocol: i32) -> Result<Fd, i32> {
    // SAFETY: plain system call with integer arguments.
    let fd = unsafe { libc::socket(family, socktype | libc::SOCK_NONBLOCK, protocol) };
    if fd < 0 {
        return Err(errno());
    }
    if family == libc::AF_INET6 {
        let _ = set_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1);
    }
    Ok(fd)
}

/// `socket_destroy`: closes a valid fd and marks it invalid.
pub fn destroy(fd: &mut Fd) {
    if *fd != INVALID {
        // SAFETY: the caller owns this descriptor; it is forgotten right after.
        unsafe { libc::close(*fd) };
        *fd = INVALID;
    }
}

/// Sets O_NONBLOCK (used on descriptors not created by us, e.g. accepted ones
/// on kernels without accept4 flags; harmless on others).
pub fn set_nonblocking(fd: Fd) {
    // SAFETY: fcntl on an integer fd; an invalid fd just fails.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL, 0);
        if flags >= 0 && flags & libc::O_NONBLOCK == 0 {
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// `socket_setblocking` / `socket_setnonblocking`: clears or sets
/// O_NONBLOCK whatever it was (LuaSec blocks a descriptor around its
/// handshake and hands it back).
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

/// A socket address as returned by the resolver or the kernel.
#[derive(Clone, Copy)]
pub struct SockAddr {
    pub storage: libc::sockaddr_storage,
    pub len: libc::socklen_t,
}

impl SockAddr {
    pub fn empty() -> SockAddr {
        // SAFETY: sockaddr_storage is plain old data; all-zero is valid.
        SockAddr {
            storage: unsafe { std::mem::zeroed() },
            len: 0,
        }
    }
    /// Copies `len` bytes of a sockaddr (capped at the storage size).
    ///
    /// # Safety
    /// `addr` must point to at least `len` readable bytes.
    pub unsafe fn from_raw(addr: *const libc::sockaddr, len: libc::socklen_t) -> SockAddr {
        let mut s = SockAddr::empty();
        let n = (len as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
        // SAFETY: guaranteed by the caller; the destination has room for n.
        unsafe {
            std::ptr::copy_nonoverlapping(addr as *const u8, &mut s.storage as *mut _ as *mut u8, n)
        };
        s.len = n as libc::socklen_t;
        s
    }
    pub fn as_ptr(&self) -> *const libc::sockaddr {
        &self.storage as *const _ as *const libc::sockaddr
    }
    pub fn family(&self) -> i32 {
        self.storage.ss_family as i32
    }
}

/// `socket_bind`.
pub fn bind(fd: Fd, addr: &SockAddr) -> i32 {
    // SAFETY: addr points to `len` valid bytes.
    if unsafe { libc::bind(fd, addr.as_ptr(), addr.len) } < 0 {
        errno()
    } else {
        DONE
    }
}

/// `socket_listen`.
pub fn listen(fd: Fd, backlog: i32) -> i32 {
    // SAFETY: integer arguments.
    if unsafe { libc::listen(fd, backlog) } != 0 {
        errno()
    } else {
        DONE
    }
}

/// `socket_shutdown`: result ignored, as the C core does.
pub fn shutdown(fd: Fd, how: i32) {
    // SAFETY: integer arguments.
    unsafe { libc::shutdown(fd, how) };
}

/// `socket_waitfd` with poll(2): `TIMEOUT` at once when the block timeout is
/// exactly 0; EINTR re-polls with a recomputed budget; for `WAIT_C` a
/// readable or failed socket reports `CLOSED` (the caller then asks why).
pub fn wait(fd: Fd, events: i16, tm: &Timeout) -> i32 {
    if tm.is_zero() {
        return TIMEOUT;
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
        return errno();
    }
    if ret == 0 {
        return TIMEOUT;
    }
    if events == WAIT_C && pfd.revents & (libc::POLLIN | libc::POLLERR) != 0 {
        return CLOSED;
    }
    DONE
}

/// `socket_connect`: immediate result, or wait for completion within `tm`.
pub fn connect(fd: Fd, addr: &SockAddr, tm: &Timeout) -> i32 {
    if fd == INVALID {
        return CLOSED;
    }
    let err = loop {
        // SAFETY: addr points to `len` valid bytes.
        if unsafe { libc::connect(fd, addr.as_ptr(), addr.len) } == 0 {
            return DONE;
        }
        let e = errno();
        if e != libc::EINTR {
            break e;
        }
    };
    if err != libc::EINPROGRESS && err != libc::EAGAIN {
        return err;
    }
    if tm.is_zero() {
        return TIMEOUT;
    }
    match wait(fd, WAIT_C, tm) {
        // A zero-length recv tells a completed connect (0) from a failed one
        // (errno = the connect error), as the C core does.
        CLOSED => {
            let mut b = 0u8;
            // SAFETY: a 0-byte read into a valid 1-byte buffer.
            if unsafe { libc::recv(fd, &mut b as *mut u8 as *mut libc::c_void, 0, 0) } == 0 {
                DONE
            } else {
                errno()
            }
        }
        e => e,
    }
}

/// `socket_accept`: the new descriptor (non-blocking) or an error code.
/// ECONNABORTED and EINTR are retried.
pub fn accept(fd: Fd, tm: &Timeout) -> Result<Fd, i32> {
    if fd == INVALID {
        return Err(CLOSED);
    }
    loop {
        let mut addr = SockAddr::empty();
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: addr/len describe a writable sockaddr_storage.
        let c = unsafe {
            libc::accept4(
                fd,
                &mut addr.storage as *mut _ as *mut libc::sockaddr,
                &mut len,
                libc::SOCK_NONBLOCK,
            )
        };
        if c >= 0 {
            return Ok(c);
        }
        let e = errno();
        if e == libc::EINTR {
            continue;
        }
        if e != libc::EAGAIN && e != libc::ECONNABORTED {
            return Err(e);
        }
        let w = wait(fd, WAIT_R, tm);
        if w != DONE {
            return Err(w);
        }
    }
}

/// `socket_send`: one successful send(2) of as much as the kernel takes.
/// Returns (bytes sent, code).
pub fn send(fd: Fd, data: &[u8], tm: &Timeout) -> (usize, i32) {
    if fd == INVALID {
        return (0, CLOSED);
    }
    loop {
        // SAFETY: data is a valid slice. MSG_NOSIGNAL: SIGPIPE is ignored
        // anyway; this also covers hosts that re-enable it.
        let put = unsafe {
            libc::send(
                fd,
                data.as_ptr() as *const libc::c_void,
                data.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if put >= 0 {
            return (put as usize, DONE);
        }
        let e = errno();
        if e == libc::EPIPE {
            return (0, CLOSED);
        }
        if e == libc::EPROTOTYPE || e == libc::EINTR {
            continue;
        }
        if e != libc::EAGAIN {
            return (0, e);
        }
        let w = wait(fd, WAIT_W, tm);
        if w != DONE {
            return (0, w);
        }
    }
}

/// `socket_recv`: one successful recv(2) into `buf` (EOF = `CLOSED`).
/// Returns (bytes read, code).
pub fn recv(fd: Fd, buf: &mut [u8], tm: &Timeout) -> (usize, i32) {
    if fd == INVALID {
        return (0, CLOSED);
    }
    loop {
        // SAFETY: buf is a valid writable slice.
        let got = unsafe { libc::recv(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0) };
        if got > 0 {
            return (got as usize, DONE);
        }
        if got == 0 {
            return (0, CLOSED);
        }
        let e = errno();
        if e == libc::EINTR {
            continue;
        }
        if e != libc::EAGAIN {
            return (0, e);
        }
        let w = wait(fd, WAIT_R, tm);
        if w != DONE {
            return (0, w);
        }
    }
}

/// getsockname(2) / getpeername(2): the address or the errno.
pub fn name(fd: Fd, peer: bool) -> Result<SockAddr, i32> {
    let mut a = SockAddr::empty();
    a.len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let p = &mut a.storage as *mut _ as *mut libc::sockaddr;
    // SAFETY: p/len describe a writable sockaddr_storage.
    let r = unsafe {
        if peer {
            libc::getpeername(fd, p, &mut a.len)
        } else {
            libc::getsockname(fd, p, &mut a.len)
        }
    };
    if r < 0 {
        Err(errno())
    } else {
        Ok(a)
    }
}

/// setsockopt(2) with an int value; false on failure (errno is discarded by
/// every caller, as in the C core).
pub fn set_int(fd: Fd, level: i32, name: i32, val: i32) -> bool {
    set_raw(fd, level, name, &val)
}

/// getsockopt(2) of an int value.
pub fn get_int(fd: Fd, level: i32, name: i32) -> Option<i32> {
    let mut v: i32 = 0;
    get_raw(fd, level, name, &mut v).then_some(v)
}

/// setsockopt(2) of any plain-data value.
pub fn set_raw<T: Copy>(fd: Fd, level: i32, name: i32, val: &T) -> bool {
    // SAFETY: val points to size_of::<T>() readable bytes.
    unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            val as *const T as *const libc::c_void,
            std::mem::size_of::<T>() as libc::socklen_t,
        ) >= 0
    }
}

/// getsockopt(2) of any plain-data value.
pub fn get_raw<T: Copy>(fd: Fd, level: i32, name: i32, val: &mut T) -> bool {
    let mut len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: val points to size_of::<T>() writable bytes.
    unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            val as *mut T as *mut libc::c_void,
            &mut len,
        ) >= 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::errors::{CLOSED, TIMEOUT};

    #[test]
    fn invalid_fd_is_closed() {
        let tm = Timeout::default();
        assert_eq!(send(INVALID, b"x", &tm), (0, CLOSED));
        assert_eq!(recv(INVALID, &mut [0u8; 4], &tm), (0, CLOSED));
        assert_eq!(accept(INVALID, &tm), Err(CLOSED));
    }

    #[test]
    fn zero_timeout_does_not_poll() {
        let mut fd = create(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
        let tm = Timeout {
            block: 0.0,
            total: -1.0,
            start: 0.0,
        };
        assert_eq!(wait(fd, WAIT_R, &tm), TIMEOUT);
        assert_eq!(listen(fd, 4), DONE);
        assert_eq!(accept(fd, &tm), Err(TIMEOUT));
        destroy(&mut fd);
        assert_eq!(fd, INVALID);
        destroy(&mut fd);
    }

    #[test]
    fn v6only_is_set() {
        let mut fd = create(libc::AF_INET6, libc::SOCK_STREAM, 0).unwrap();
        assert_eq!(get_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), Some(1));
        destroy(&mut fd);
    }
}
