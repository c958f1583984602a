//! The system side of `socket.unix` and `socket.serial` (unix.c,
//! unixstream.c, unixdgram.c, serial.c and the parts of usocket.c they use):
//! `sockaddr_un` building as 3.1.0 does it, sends without `MSG_NOSIGNAL`,
//! and read(2)/write(2) transports for devices.
//!
//! These modules never ignore SIGPIPE and the reference sends with flags 0,
//! so a stream write to a vanished peer raises SIGPIPE exactly as it does
//! with the C modules (harmless once `socket.core` is loaded, which ignores
//! it process-wide).
use super::buffer::Io;
use super::errors::{CLOSED, DONE};
use super::options::{Kind, Opt};
use super::sock::{self, Fd, SockAddr, INVALID, WAIT_R, WAIT_W};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `sizeof(((struct sockaddr_un *) 0)->sun_path)` on Linux.
pub const SUN_PATH: usize = 108;
/// `offsetof(struct sockaddr_un, sun_path)`: the family field.
const SUN_OFFSET: usize = std::mem::size_of::<libc::sa_family_t>();

/// The address of `path` (a C string: what follows an embedded NUL is
/// already gone) with 3.1.0's length, family field + path bytes, no NUL.
/// `None` when the path does not fit: the caller's `"path too long"`.
pub fn address(path: &CStr) -> Option<SockAddr> {
    let p = path.to_bytes();
    if p.len() >= SUN_PATH {
        return None;
    }
    let mut a = SockAddr::empty();
    // SAFETY: sockaddr_un fits inside sockaddr_storage and is plain data.
    let un = unsafe { &mut *(&mut a.storage as *mut _ as *mut libc::sockaddr_un) };
    un.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in un.sun_path.iter_mut().zip(p) {
        *d = *s as libc::c_char;
    }
    a.len = (SUN_OFFSET + p.len()) as libc::socklen_t;
    Some(a)
}

/// The `sun_path` of an address as the C string the reference pushes (up to
/// the first NUL; `""` for an unnamed socket, whose path stays zeroed).
pub fn path_of(a: &SockAddr) -> &[u8] {
    // SAFETY: sockaddr_storage is larger than sockaddr_un; plain bytes.
    let raw = unsafe {
        std::slice::from_raw_parts(
            (&a.storage as *const _ as *const u8).add(SUN_OFFSET),
            SUN_PATH,
        )
    };
    match raw.iter().position(|&b| b == 0) {
        Some(n) => &raw[..n],
        None => raw,
    }
}

/// `getsockname` of a unix socket: its path, or the errno.
pub fn sockname(fd: Fd) -> Result<SockAddr, i32> {
    sock::name(fd, false)
}

/// `socket_send` / `socket_sendto` of usocket.c: one successful call moving
/// as much as the kernel takes, flags 0. Returns (bytes, code); EPIPE reads
/// as `CLOSED`. EPROTOTYPE is an error here, where usocket.c retries it:
/// a datagram sent to the path of a stream socket gets it every time on
/// Linux, and the C core spins forever.
pub fn send(fd: Fd, data: &[u8], to: Option<&SockAddr>, tm: &Timeout) -> (usize, i32) {
    if fd == INVALID {
        return (0, CLOSED);
    }
    let ptr = data.as_ptr() as *const libc::c_void;
    loop {
        let put = match to {
            // SAFETY: data and the address are valid for their lengths.
            Some(a) => unsafe { libc::sendto(fd, ptr, data.len(), 0, a.as_ptr(), a.len) },
            // SAFETY: data is valid for its length.
            None => unsafe { libc::send(fd, ptr, data.len(), 0) },
        };
        if put >= 0 {
            return (put as usize, DONE);
        }
        match sock::errno() {
            libc::EPIPE => return (0, CLOSED),
            libc::EINTR => continue,
            libc::EAGAIN => {}
            e => return (0, e),
        }
        let w = sock::wait(fd, WAIT_W, tm);
        if w != DONE {
            return (0, w);
        }
    }
}

/// A unix stream socket as a buffered transport.
pub struct StreamIo(pub Fd);

impl Io for StreamIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> (usize, i32) {
        sock::recv(self.0, buf, tm)
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> (usize, i32) {
        send(self.0, data, None, tm)
    }
}

/// A device as a buffered transport: `socket_read` / `socket_write`, the
/// read(2)/write(2) twins of recv/send (EOF is `CLOSED`).
pub struct DevIo(pub Fd);

impl Io for DevIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> (usize, i32) {
        if self.0 == INVALID {
            return (0, CLOSED);
        }
        loop {
            // SAFETY: buf is writable for its length.
            let got =
                unsafe { libc::read(self.0, buf.as_mut_ptr() as *mut libc::c_void, buf.len()) };
            if got > 0 {
                return (got as usize, DONE);
            }
            if got == 0 {
                return (0, CLOSED);
            }
            match sock::errno() {
                libc::EINTR => continue,
                libc::EAGAIN => {}
                e => return (0, e),
            }
            let w = sock::wait(self.0, WAIT_R, tm);
            if w != DONE {
                return (0, w);
            }
        }
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> (usize, i32) {
        if self.0 == INVALID {
            return (0, CLOSED);
        }
        loop {
            // SAFETY: data is valid for its length.
            let put =
                unsafe { libc::write(self.0, data.as_ptr() as *const libc::c_void, data.len()) };
            if put >= 0 {
                return (put as usize, DONE);
            }
            match sock::errno() {
                libc::EPIPE => return (0, CLOSED),
                libc::EPROTOTYPE | libc::EINTR => continue,
                libc::EAGAIN => {}
                e => return (0, e),
            }
            let w = sock::wait(self.0, WAIT_W, tm);
            if w != DONE {
                return (0, w);
            }
        }
    }
}

/// serial.c's open: read/write, never the controlling terminal, no termios
/// changes, then non-blocking. The descriptor or the errno.
pub fn open_device(path: &CStr) -> Result<Fd, i32> {
    // SAFETY: path is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_NOCTTY | libc::O_RDWR) };
    if fd < 0 {
        return Err(sock::errno());
    }
    sock::set_nonblocking(fd);
    Ok(fd)
}

/// Creates an AF_UNIX socket of `socktype` (non-blocking).
pub fn create(socktype: i32) -> Result<Fd, i32> {
    sock::create(libc::AF_UNIX, socktype, 0)
}

const fn opt(name: &'static str, kind: Kind, opt: i32) -> Opt {
    Opt {
        name,
        kind,
        level: libc::SOL_SOCKET,
        opt,
    }
}

/// unixstream.c's `optset`.
pub const STREAM_SET: &[Opt] = &[
    opt("keepalive", Kind::Bool, libc::SO_KEEPALIVE),
    opt("reuseaddr", Kind::Bool, libc::SO_REUSEADDR),
    opt("linger", Kind::Linger, libc::SO_LINGER),
];

/// unixdgram.c's `optset`.
pub const DGRAM_SET: &[Opt] = &[opt("reuseaddr", Kind::Bool, libc::SO_REUSEADDR)];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::errors::TIMEOUT;

    fn tmp_path(tag: &str) -> std::ffi::CString {
        let p = std::env::temp_dir().join(format!("lsrs-unix-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        std::ffi::CString::new(p.into_os_string().into_encoded_bytes()).unwrap()
    }

    #[test]
    fn address_lengths() {
        let a = address(c"/tmp/x").unwrap();
        assert_eq!(a.len as usize, 2 + 6);
        assert_eq!(a.family(), libc::AF_UNIX);
        assert_eq!(path_of(&a), b"/tmp/x");
        let long = std::ffi::CString::new(vec![b'a'; 107]).unwrap();
        assert_eq!(path_of(&address(&long).unwrap()).len(), 107);
        let too = std::ffi::CString::new(vec![b'a'; 108]).unwrap();
        assert!(address(&too).is_none());
        assert_eq!(address(c"").unwrap().len, 2);
        assert_eq!(path_of(&SockAddr::empty()), b"");
    }

    #[test]
    fn stream_roundtrip() {
        let path = tmp_path("s");
        let addr = address(&path).unwrap();
        let mut srv = create(libc::SOCK_STREAM).unwrap();
        assert_eq!(sock::bind(srv, &addr), DONE);
        assert_eq!(sock::listen(srv, 4), DONE);
        assert_eq!(path_of(&sockname(srv).unwrap()), path.to_bytes());
        let mut tm = Timeout {
            block: 1.0,
            total: -1.0,
            start: crate::net::time::gettime(),
        };
        let mut cli = create(libc::SOCK_STREAM).unwrap();
        assert_eq!(sock::connect(cli, &addr, &tm), DONE);
        assert_eq!(path_of(&sockname(cli).unwrap()), b"");
        let mut acc = sock::accept(srv, &tm).unwrap();
        assert_eq!(StreamIo(cli).send(b"hi", &mut tm), (2, DONE));
        let mut b = [0u8; 8];
        assert_eq!(StreamIo(acc).recv(&mut b, &mut tm), (2, DONE));
        let mut zero = Timeout {
            block: 0.0,
            total: -1.0,
            start: 0.0,
        };
        assert_eq!(StreamIo(acc).recv(&mut b, &mut zero), (0, TIMEOUT));
        for fd in [&mut cli, &mut acc, &mut srv] {
            sock::destroy(fd);
        }
        assert_eq!(StreamIo(INVALID).send(b"x", &mut tm), (0, CLOSED));
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn dgram_sendto() {
        let path = tmp_path("d");
        let addr = address(&path).unwrap();
        let mut r = create(libc::SOCK_DGRAM).unwrap();
        assert_eq!(sock::bind(r, &addr), DONE);
        let mut s = create(libc::SOCK_DGRAM).unwrap();
        let tm = Timeout::default();
        assert_eq!(send(s, b"abc", Some(&addr), &tm), (3, DONE));
        let mut from = SockAddr::empty();
        let mut b = [0u8; 8];
        assert_eq!(
            crate::net::udp::recv(r, &mut b, Some(&mut from), &tm),
            (3, DONE)
        );
        assert_eq!(path_of(&from), b"");
        let gone = address(c"/nonexistent/x").unwrap();
        assert_eq!(send(s, b"x", Some(&gone), &tm), (0, libc::ENOENT));
        sock::destroy(&mut s);
        sock::destroy(&mut r);
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn device() {
        assert_eq!(open_device(c"/nonexistent"), Err(libc::ENOENT));
        let mut fd = open_device(c"/dev/null").unwrap();
        let mut tm = Timeout::default();
        assert_eq!(DevIo(fd).send(b"abc", &mut tm), (3, DONE));
        assert_eq!(DevIo(fd).recv(&mut [0u8; 4], &mut tm), (0, CLOSED));
        sock::destroy(&mut fd);
        assert_eq!(DevIo(INVALID).recv(&mut [0u8; 4], &mut tm), (0, CLOSED));
    }
}
