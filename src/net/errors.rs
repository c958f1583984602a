//! Error codes and their texts, exactly as the C core words them.
//!
//! A code is an `i32` like the C core's: [`DONE`] (0), the transport codes
//! [`TIMEOUT`], [`CLOSED`], [`UNKNOWN`] (negative) or an `errno` (positive).
//! Texts come from the same libc calls the C core makes (`strerror`,
//! `gai_strerror`, `hstrerror`) so that they read the same on every libc.
use std::ffi::CStr;

pub const DONE: i32 = 0;
pub const TIMEOUT: i32 = -1;
pub const CLOSED: i32 = -2;
pub const UNKNOWN: i32 = -3;

/// Longest text we keep; glibc's longest strerror/gai_strerror text is ~50.
const CAP: usize = 120;

/// An error text in a plain array: `Copy`, no destructor, so it may stay alive
/// in a frame that raises (boundary rule 1).
#[derive(Clone, Copy)]
pub struct ErrText {
    buf: [u8; CAP],
    len: u8,
}

impl ErrText {
    pub fn new(s: &[u8]) -> ErrText {
        let mut t = ErrText {
            buf: [0; CAP],
            len: 0,
        };
        let n = s.len().min(CAP);
        t.buf[..n].copy_from_slice(&s[..n]);
        t.len = n as u8;
        t
    }
    fn from_cstr(p: *const libc::c_char) -> ErrText {
        if p.is_null() {
            return ErrText::new(b"unknown error");
        }
        // SAFETY: libc returns a NUL-terminated string that stays valid until
        // the next call of the same function on this thread; we copy it now.
        ErrText::new(unsafe { CStr::from_ptr(p) }.to_bytes())
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
}

impl AsRef<[u8]> for ErrText {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::ops::Deref for ErrText {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::fmt::Debug for ErrText {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

/// libc `strerror(errno)`.
pub fn strerror(errno: i32) -> ErrText {
    // glibc's strerror is thread-safe for known codes (static table) and uses
    // a thread-local buffer otherwise; we copy right away either way.
    // SAFETY: strerror accepts any int.
    ErrText::from_cstr(unsafe { libc::strerror(errno) })
}

/// `io_strerror`: the transport codes (0 has no text).
fn io_strerror(code: i32) -> Option<ErrText> {
    match code {
        DONE => None,
        CLOSED => Some(ErrText::new(b"closed")),
        TIMEOUT => Some(ErrText::new(b"timeout")),
        _ => Some(ErrText::new(b"unknown error")),
    }
}

/// `socket_strerror`: `None` for success, LuaSocket's own texts for a few
/// errnos, libc `strerror` for the rest.
pub fn socket_strerror(code: i32) -> Option<ErrText> {
    if code <= 0 {
        return io_strerror(code);
    }
    let fixed: &[u8] = match code {
        libc::EADDRINUSE => b"address already in use",
        libc::EISCONN => b"already connected",
        libc::EACCES => b"permission denied",
        libc::ECONNREFUSED => b"connection refused",
        libc::ECONNABORTED | libc::ECONNRESET => b"closed",
        libc::ETIMEDOUT => b"timeout",
        _ => return Some(strerror(code)),
    };
    Some(ErrText::new(fixed))
}

/// `socket_strerror` as the C function returns it, for the C API: a static C
/// string, libc's `strerror` pointer, or NULL for success.
pub fn socket_strerror_c(code: i32) -> *const libc::c_char {
    let fixed: &'static CStr = match code {
        DONE => return std::ptr::null(),
        CLOSED => c"closed",
        TIMEOUT => c"timeout",
        c if c < 0 => c"unknown error",
        libc::EADDRINUSE => c"address already in use",
        libc::EISCONN => c"already connected",
        libc::EACCES => c"permission denied",
        libc::ECONNREFUSED => c"connection refused",
        libc::ECONNABORTED | libc::ECONNRESET => c"closed",
        libc::ETIMEDOUT => c"timeout",
        // SAFETY: strerror accepts any int; the pointer is what C returns.
        _ => return unsafe { libc::strerror(code) },
    };
    fixed.as_ptr()
}

/// Raw libc `gai_strerror(code)`.
pub fn gai_strerror(code: i32) -> ErrText {
    // SAFETY: gai_strerror accepts any int and returns a static string.
    ErrText::from_cstr(unsafe { libc::gai_strerror(code) })
}

/// `socket_gaistrerror`: LuaSocket's texts for the common getaddrinfo codes;
/// `errno` is the value saved right after the failing call (for EAI_SYSTEM).
pub fn gai_mapped(code: i32, errno: i32) -> Option<ErrText> {
    let fixed: &[u8] = match code {
        0 => return None,
        libc::EAI_AGAIN => b"temporary failure in name resolution",
        libc::EAI_BADFLAGS => b"invalid value for ai_flags",
        libc::EAI_FAIL => b"non-recoverable failure in name resolution",
        libc::EAI_FAMILY => b"ai_family not supported",
        libc::EAI_MEMORY => b"memory allocation failure",
        libc::EAI_NONAME => b"host or service not provided, or not known",
        libc::EAI_OVERFLOW => b"argument buffer overflow",
        libc::EAI_SERVICE => b"service not supported for socket type",
        libc::EAI_SOCKTYPE => b"ai_socktype not supported",
        libc::EAI_SYSTEM => return Some(strerror(errno)),
        _ => return Some(gai_strerror(code)),
    };
    Some(ErrText::new(fixed))
}

extern "C" {
    // glibc exports it; the libc crate does not declare it.
    fn hstrerror(err: libc::c_int) -> *const libc::c_char;
}

/// `HOST_NOT_FOUND` of <netdb.h>.
pub const HOST_NOT_FOUND: i32 = 1;

/// `socket_hoststrerror`: resolver (`h_errno`) codes of `dns.toip` and
/// `dns.tohostname`.
pub fn host_strerror(code: i32) -> ErrText {
    if code <= 0 {
        return io_strerror(code).unwrap_or(ErrText::new(b"unknown error"));
    }
    if code == HOST_NOT_FOUND {
        return ErrText::new(b"host not found");
    }
    // SAFETY: hstrerror accepts any int and returns a static string.
    ErrText::from_cstr(unsafe { hstrerror(code) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: Option<ErrText>) -> String {
        t.map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_else(|| "<none>".into())
    }

    #[test]
    fn socket_strerror_texts() {
        assert_eq!(s(socket_strerror(DONE)), "<none>");
        assert_eq!(s(socket_strerror(CLOSED)), "closed");
        assert_eq!(s(socket_strerror(TIMEOUT)), "timeout");
        assert_eq!(s(socket_strerror(UNKNOWN)), "unknown error");
        assert_eq!(
            s(socket_strerror(libc::EADDRINUSE)),
            "address already in use"
        );
        assert_eq!(s(socket_strerror(libc::EISCONN)), "already connected");
        assert_eq!(s(socket_strerror(libc::EACCES)), "permission denied");
        assert_eq!(s(socket_strerror(libc::ECONNREFUSED)), "connection refused");
        assert_eq!(s(socket_strerror(libc::ECONNRESET)), "closed");
        assert_eq!(s(socket_strerror(libc::ECONNABORTED)), "closed");
        assert_eq!(s(socket_strerror(libc::ETIMEDOUT)), "timeout");
        assert_eq!(s(socket_strerror(libc::EBADF)), "Bad file descriptor");
        assert_eq!(s(socket_strerror(libc::EINVAL)), "Invalid argument");
    }

    #[test]
    fn c_texts_match() {
        assert!(socket_strerror_c(DONE).is_null());
        for code in [
            CLOSED,
            TIMEOUT,
            UNKNOWN,
            -7,
            libc::EADDRINUSE,
            libc::ECONNRESET,
            libc::EBADF,
            9999,
        ] {
            // SAFETY: non-NULL C strings from socket_strerror_c.
            let c = unsafe { CStr::from_ptr(socket_strerror_c(code)) };
            assert_eq!(c.to_bytes(), &*socket_strerror(code).unwrap(), "{code}");
        }
    }

    #[test]
    fn gai_texts() {
        assert_eq!(s(gai_mapped(0, 0)), "<none>");
        assert_eq!(
            s(gai_mapped(libc::EAI_NONAME, 0)),
            "host or service not provided, or not known"
        );
        assert_eq!(
            s(gai_mapped(libc::EAI_SERVICE, 0)),
            "service not supported for socket type"
        );
        assert_eq!(
            s(gai_mapped(libc::EAI_FAMILY, 0)),
            "ai_family not supported"
        );
        assert_eq!(
            s(gai_mapped(libc::EAI_SYSTEM, libc::EBADF)),
            "Bad file descriptor"
        );
        assert_eq!(
            s(gai_mapped(-9 /* EAI_ADDRFAMILY */, 0)),
            "Address family for hostname not supported"
        );
        assert_eq!(
            &*gai_strerror(libc::EAI_NONAME),
            b"Name or service not known"
        );
    }

    #[test]
    fn host_texts() {
        assert_eq!(&*host_strerror(1), b"host not found");
        assert_eq!(&*host_strerror(2), b"Host name lookup failure");
        assert_eq!(&*host_strerror(3), b"Unknown server error");
        assert_eq!(&*host_strerror(4), b"No address associated with name");
        assert_eq!(&*host_strerror(0), b"unknown error");
        assert_eq!(&*host_strerror(UNKNOWN), b"unknown error");
    }
}
