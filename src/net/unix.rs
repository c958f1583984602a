//! The system side of `socket.unix` and `socket.serial` (unix.c,
//! unixstream.c, unixdgram.c, serial.c and the parts of usocket.c they use):
//! `sockaddr_un` building as 3.1.0 does it, sends without `MSG_NOSIGNAL`,
//! and read(2)/write(2) transports for devices.
//!
//! These modules never ignore SIGPIPE and the reference sends with flags 0,
//! so a stream write to a vanished peer raises SIGPIPE exactly as it does
//! with the C modules (harmless once `socket.core` is loaded, which ignores
//! it process-wide).
use super::buffer::{received, sent, Io, Moved};
use super::errors::{Code, Result};
use super::sock::{self, Fd, SockAddr, WAIT_R, WAIT_W};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `sizeof(((struct sockaddr_un *) 0)->sun_path)` on Linux.
pub const SUN_PATH: usize = 108;
/// `offsetof(struct sockaddr_un, sun_path)`: the family field.
const SUN_OFFSET: usize = std::mem::size_of::<libc::sa_family_t>();

/// The address of `path` (a C string: what follows an embedded NUL is
/// already gone) with 3.1.0's length, family field + path bytes, no NUL
/// (socket2's `SockAddr::unix` counts the NUL, so the kernel would see
/// another length). `None` when the path does not fit: the caller's
/// `"path too long"`.
pub fn address(path: &CStr) -> Option<SockAddr> {
    let p = path.to_bytes();
    if p.len() >= SUN_PATH {
        return None;
    }
    // SAFETY: sockaddr_un is plain data; all-zero is valid.
    let mut un: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    un.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in un.sun_path.iter_mut().zip(p) {
        *d = *s as libc::c_char;
    }
    // SAFETY: sockaddr_storage is plain data, larger than sockaddr_un.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    // SAFETY: the storage has room for a sockaddr_un.
    unsafe { std::ptr::write(&mut storage as *mut _ as *mut libc::sockaddr_un, un) };
    let len = (SUN_OFFSET + p.len()) as libc::socklen_t;
    // SAFETY: an AF_UNIX address of that length is in the storage.
    Some(unsafe { SockAddr::new(storage, len) })
}

/// The `sun_path` of an address as the C string the reference pushes (up to
/// the first NUL; `""` for an unnamed socket, whose path stays zeroed).
pub fn path_of(a: &SockAddr) -> &[u8] {
    // SAFETY: a SockAddr holds a whole sockaddr_storage, larger than
    // sockaddr_un; plain bytes.
    let raw =
        unsafe { std::slice::from_raw_parts((a.as_ptr() as *const u8).add(SUN_OFFSET), SUN_PATH) };
    match raw.iter().position(|&b| b == 0) {
        Some(n) => &raw[..n],
        None => raw,
    }
}

/// `getsockname` of a unix socket.
pub fn sockname(fd: Fd) -> Result<SockAddr> {
    sock::name(fd, false)
}

/// A unix stream socket as a buffered transport.
pub struct StreamIo(pub Fd);

impl Io for StreamIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> Moved {
        received(sock::recv(self.0, buf, 0, tm))
    }
    fn recv_uninit(&mut self, buf: &mut [std::mem::MaybeUninit<u8>], tm: &mut Timeout) -> Moved {
        received(sock::recv_uninit(self.0, buf, 0, tm))
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> Moved {
        sent(sock::send(self.0, data, None, 0, tm))
    }
}

/// A device as a buffered transport: `socket_read` / `socket_write`, the
/// read(2)/write(2) twins of recv/send (raw libc: a device is no socket).
pub struct DevIo(pub Fd);

impl Io for DevIo {
    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> Moved {
        let (fd, p) = (self.0, buf.as_mut_ptr() as *mut libc::c_void);
        received(sock::retry(fd, WAIT_R, tm, || {
            // SAFETY: buf is writable for its length.
            sock::cvt(unsafe { libc::read(fd, p, buf.len()) })
        }))
    }
    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> Moved {
        let (fd, p) = (self.0, data.as_ptr() as *const libc::c_void);
        sent(sock::retry(fd, WAIT_W, tm, || {
            // SAFETY: data is readable for its length.
            sock::cvt(unsafe { libc::write(fd, p, data.len()) })
        }))
    }
}

/// serial.c's open: read/write, never the controlling terminal, no termios
/// changes, then non-blocking.
pub fn open_device(path: &CStr) -> Result<Fd> {
    // SAFETY: path is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_NOCTTY | libc::O_RDWR) };
    if fd < 0 {
        return Err(Code::last_os());
    }
    sock::set_blocking(fd, false);
    Ok(fd)
}

/// Creates an AF_UNIX socket of `socktype` (non-blocking).
pub fn create(socktype: i32) -> Result<Fd> {
    sock::create(libc::AF_UNIX, socktype, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::sock::INVALID;

    fn tmp_path(tag: &str) -> std::ffi::CString {
        let p = std::env::temp_dir().join(format!("lsrs-unix-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        std::ffi::CString::new(p.into_os_string().into_encoded_bytes()).unwrap()
    }

    #[test]
    fn address_lengths() {
        let a = address(c"/tmp/x").unwrap();
        assert_eq!(a.len() as usize, 2 + 6);
        assert_eq!(a.family() as i32, libc::AF_UNIX);
        assert_eq!(path_of(&a), b"/tmp/x");
        let long = std::ffi::CString::new(vec![b'a'; 107]).unwrap();
        assert_eq!(path_of(&address(&long).unwrap()).len(), 107);
        let too = std::ffi::CString::new(vec![b'a'; 108]).unwrap();
        assert!(address(&too).is_none());
        assert_eq!(address(c"").unwrap().len(), 2);
        assert_eq!(path_of(&sock::no_address()), b"");
    }

    #[test]
    fn stream_roundtrip() {
        let path = tmp_path("s");
        let addr = address(&path).unwrap();
        let mut srv = create(libc::SOCK_STREAM).unwrap();
        assert_eq!(sock::bind(srv, &addr), Ok(()));
        assert_eq!(sock::listen(srv, 4), Ok(()));
        assert_eq!(path_of(&sockname(srv).unwrap()), path.to_bytes());
        let mut tm = Timeout {
            block: 1.0,
            total: -1.0,
            start: crate::net::time::gettime(),
        };
        let mut cli = create(libc::SOCK_STREAM).unwrap();
        assert_eq!(sock::connect(cli, &addr, &tm), Ok(()));
        assert_eq!(path_of(&sockname(cli).unwrap()), b"");
        let mut acc = sock::accept(srv, &tm).unwrap();
        assert_eq!(StreamIo(cli).send(b"hi", &mut tm), (2, Ok(())));
        let mut b = [0u8; 8];
        assert_eq!(StreamIo(acc).recv(&mut b, &mut tm), (2, Ok(())));
        let mut zero = Timeout {
            block: 0.0,
            total: -1.0,
            start: 0.0,
        };
        assert_eq!(
            StreamIo(acc).recv(&mut b, &mut zero),
            (0, Err(Code::Timeout))
        );
        for fd in [&mut cli, &mut acc, &mut srv] {
            sock::destroy(fd);
        }
        assert_eq!(
            StreamIo(INVALID).send(b"x", &mut tm),
            (0, Err(Code::Closed))
        );
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn dgram_sendto() {
        let path = tmp_path("d");
        let addr = address(&path).unwrap();
        let mut r = create(libc::SOCK_DGRAM).unwrap();
        assert_eq!(sock::bind(r, &addr), Ok(()));
        let mut s = create(libc::SOCK_DGRAM).unwrap();
        let tm = Timeout::default();
        assert_eq!(sock::send(s, b"abc", Some(&addr), 0, &tm), Ok(3));
        let mut b = [0u8; 8];
        let (n, from) = sock::recv_from(r, &mut b, &tm).unwrap();
        assert_eq!(n, 3);
        assert_eq!(path_of(&from), b"");
        let gone = address(c"/nonexistent/x").unwrap();
        assert_eq!(
            sock::send(s, b"x", Some(&gone), 0, &tm),
            Err(Code::Errno(libc::ENOENT))
        );
        sock::destroy(&mut s);
        sock::destroy(&mut r);
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn device() {
        assert_eq!(open_device(c"/nonexistent"), Err(Code::Errno(libc::ENOENT)));
        let mut fd = open_device(c"/dev/null").unwrap();
        let mut tm = Timeout::default();
        assert_eq!(DevIo(fd).send(b"abc", &mut tm), (3, Ok(())));
        assert_eq!(
            DevIo(fd).recv(&mut [0u8; 4], &mut tm),
            (0, Err(Code::Closed))
        );
        sock::destroy(&mut fd);
        assert_eq!(
            DevIo(INVALID).recv(&mut [0u8; 4], &mut tm),
            (0, Err(Code::Closed))
        );
    }
}
