//! Failures and their texts, exactly as the C core words them.
//!
//! Every fallible call of `net` returns [`Result`], whose [`Code`] says what
//! failed in the C core's terms: a transport code of io.h (`IO_TIMEOUT`,
//! `IO_CLOSED`, `IO_UNKNOWN`), an `errno`, or a resolver code. One conversion,
//! [`Code::text`], words it as the C function the C core calls at that place
//! (`socket_strerror`, `socket_gaistrerror`, `gai_strerror`,
//! `socket_hoststrerror`); texts come from the same libc calls the C core
//! makes, so they read the same on every libc. The C API keeps the C core's
//! ints at its boundary ([`Code::from_int`], [`Code::to_int`]).
use std::ffi::CStr;
use std::io;

/// `IO_DONE`, `IO_TIMEOUT`, `IO_CLOSED`, `IO_UNKNOWN` of io.h.
pub const DONE: i32 = 0;
pub const TIMEOUT: i32 = -1;
pub const CLOSED: i32 = -2;
pub const UNKNOWN: i32 = -3;

/// What failed, in the C core's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// `IO_TIMEOUT`
    Timeout,
    /// `IO_CLOSED`
    Closed,
    /// `IO_UNKNOWN`
    Unknown,
    /// an `errno` (> 0)
    Errno(i32),
    /// another negative code of a foreign transport (the C API's callbacks:
    /// LuaSec has its own), kept as it is for that transport's error callback
    Foreign(i32),
    /// a failed name lookup (`getaddrinfo`, `getnameinfo`): the EAI code and
    /// the errno right after the call (for `EAI_SYSTEM`), worded by
    /// `socket_gaistrerror`
    Gai { code: i32, errno: i32 },
    /// an EAI code the C core words with plain `gai_strerror` (numeric
    /// addresses: getsockname/getpeername, udp's sendto and receivefrom)
    GaiPlain(i32),
    /// a failed `gethostbyname`/`gethostbyaddr` (h_errno, else errno),
    /// worded by `socket_hoststrerror`
    Host(i32),
}

/// The result of every fallible call in `net`.
pub type Result<T> = std::result::Result<T, Code>;

impl Code {
    /// A status as the C core's int: 0 is success, -1/-2/-3 the transport
    /// codes, a positive value an errno, any other negative one a foreign
    /// transport's own.
    pub fn from_int(c: i32) -> Result<()> {
        Err(match c {
            DONE => return Ok(()),
            TIMEOUT => Code::Timeout,
            CLOSED => Code::Closed,
            UNKNOWN => Code::Unknown,
            e if e > 0 => Code::Errno(e),
            other => Code::Foreign(other),
        })
    }

    /// The C core's int ([`Code::from_int`] backwards). Resolver failures
    /// never reach an int boundary; they read as `IO_UNKNOWN`.
    pub fn to_int(self) -> i32 {
        match self {
            Code::Timeout => TIMEOUT,
            Code::Closed => CLOSED,
            Code::Unknown | Code::Gai { .. } | Code::GaiPlain(_) | Code::Host(_) => UNKNOWN,
            Code::Errno(e) | Code::Foreign(e) => e,
        }
    }

    /// The errno of a failed system call (none at all reads as
    /// `IO_UNKNOWN`).
    pub fn errno(e: i32) -> Code {
        if e > 0 {
            Code::Errno(e)
        } else {
            Code::Unknown
        }
    }

    /// The calling thread's `errno`, right after a failed libc call.
    pub fn last_os() -> Code {
        Code::from(io::Error::last_os_error())
    }

    /// The text the C core gives for this failure at the place it happens.
    pub fn text(self) -> ErrText {
        match self {
            Code::Gai { code, errno } => gai_mapped(code, errno),
            Code::GaiPlain(code) => gai_strerror(code),
            Code::Host(code) => host_strerror(code),
            io => socket_strerror(io.to_int()),
        }
    }
}

/// The `errno` of a failed system call as socket2 and std report it.
impl From<io::Error> for Code {
    fn from(e: io::Error) -> Code {
        Code::errno(e.raw_os_error().unwrap_or(0))
    }
}

/// For `?` in Lua methods, whose soft errors are `nil, text`.
impl From<Code> for ErrText {
    fn from(c: Code) -> ErrText {
        c.text()
    }
}

/// A status as the C core's int (0 for success).
pub fn to_int(r: Result<()>) -> i32 {
    r.err().map_or(DONE, Code::to_int)
}

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

/// LuaSocket's own texts: io.c's `io_strerror` for the transport codes and
/// usocket.c's `socket_strerror` for a few errnos (`None`: libc's text, or
/// none at all for 0).
fn fixed(code: i32) -> Option<&'static CStr> {
    Some(match code {
        CLOSED => c"closed",
        TIMEOUT => c"timeout",
        c if c < 0 => c"unknown error",
        libc::EADDRINUSE => c"address already in use",
        libc::EISCONN => c"already connected",
        libc::EACCES => c"permission denied",
        libc::ECONNREFUSED => c"connection refused",
        libc::ECONNABORTED | libc::ECONNRESET => c"closed",
        libc::ETIMEDOUT => c"timeout",
        _ => return None,
    })
}

/// `socket_strerror` of a failure code.
fn socket_strerror(code: i32) -> ErrText {
    match fixed(code) {
        Some(t) => ErrText::new(t.to_bytes()),
        None => strerror(code),
    }
}

/// `socket_strerror` as the C function returns it, for the C API: a static C
/// string, libc's `strerror` pointer, or NULL for success.
pub fn socket_strerror_c(code: i32) -> *const libc::c_char {
    match fixed(code) {
        _ if code == DONE => std::ptr::null(),
        Some(t) => t.as_ptr(),
        // SAFETY: strerror accepts any int; the pointer is what C returns.
        None => unsafe { libc::strerror(code) },
    }
}

/// Raw libc `gai_strerror(code)`.
fn gai_strerror(code: i32) -> ErrText {
    // SAFETY: gai_strerror accepts any int and returns a static string.
    ErrText::from_cstr(unsafe { libc::gai_strerror(code) })
}

/// `socket_gaistrerror`: LuaSocket's texts for the common getaddrinfo codes;
/// `errno` is the value saved right after the failing call (for EAI_SYSTEM).
fn gai_mapped(code: i32, errno: i32) -> ErrText {
    let fixed: &[u8] = match code {
        libc::EAI_AGAIN => b"temporary failure in name resolution",
        libc::EAI_BADFLAGS => b"invalid value for ai_flags",
        libc::EAI_FAIL => b"non-recoverable failure in name resolution",
        libc::EAI_FAMILY => b"ai_family not supported",
        libc::EAI_MEMORY => b"memory allocation failure",
        libc::EAI_NONAME => b"host or service not provided, or not known",
        libc::EAI_OVERFLOW => b"argument buffer overflow",
        libc::EAI_SERVICE => b"service not supported for socket type",
        libc::EAI_SOCKTYPE => b"ai_socktype not supported",
        libc::EAI_SYSTEM => return strerror(errno),
        _ => return gai_strerror(code),
    };
    ErrText::new(fixed)
}

/// `HOST_NOT_FOUND` of <netdb.h>.
pub const HOST_NOT_FOUND: i32 = 1;

/// `socket_hoststrerror`: resolver (`h_errno`) codes of `dns.toip` and
/// `dns.tohostname`.
fn host_strerror(code: i32) -> ErrText {
    if code <= 0 {
        // io_strerror (0, never a failure here, has no text)
        return ErrText::new(fixed(code).unwrap_or(c"unknown error").to_bytes());
    }
    if code == HOST_NOT_FOUND {
        return ErrText::new(b"host not found");
    }
    // SAFETY: hstrerror accepts any int and returns a static string.
    ErrText::from_cstr(unsafe { libc::hstrerror(code) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(c: Code) -> String {
        String::from_utf8_lossy(&c.text()).into_owned()
    }

    #[test]
    fn ints_roundtrip() {
        assert_eq!(Code::from_int(DONE), Ok(()));
        for c in [TIMEOUT, CLOSED, UNKNOWN, -100, libc::EPIPE, 9999] {
            assert_eq!(to_int(Code::from_int(c)), c);
        }
        assert_eq!(Code::from_int(-100), Err(Code::Foreign(-100)));
        assert_eq!(Code::errno(0), Code::Unknown);
        assert_eq!(to_int(Err(Code::Host(1))), UNKNOWN);
    }

    #[test]
    fn socket_strerror_texts() {
        assert_eq!(s(Code::Closed), "closed");
        assert_eq!(s(Code::Timeout), "timeout");
        assert_eq!(s(Code::Unknown), "unknown error");
        assert_eq!(s(Code::Foreign(-100)), "unknown error");
        assert_eq!(s(Code::Errno(libc::EADDRINUSE)), "address already in use");
        assert_eq!(s(Code::Errno(libc::EISCONN)), "already connected");
        assert_eq!(s(Code::Errno(libc::EACCES)), "permission denied");
        assert_eq!(s(Code::Errno(libc::ECONNREFUSED)), "connection refused");
        assert_eq!(s(Code::Errno(libc::ECONNRESET)), "closed");
        assert_eq!(s(Code::Errno(libc::ECONNABORTED)), "closed");
        assert_eq!(s(Code::Errno(libc::ETIMEDOUT)), "timeout");
        assert_eq!(s(Code::Errno(libc::EBADF)), "Bad file descriptor");
        assert_eq!(s(Code::Errno(libc::EINVAL)), "Invalid argument");
        let io = std::io::Error::from_raw_os_error(libc::EPIPE);
        assert_eq!(s(Code::from(io)), "Broken pipe");
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
            let ours = Code::from_int(code).unwrap_err().text();
            assert_eq!(c.to_bytes(), &*ours, "{code}");
        }
    }

    #[test]
    fn gai_texts() {
        let gai = |code, errno| s(Code::Gai { code, errno });
        assert_eq!(
            gai(libc::EAI_NONAME, 0),
            "host or service not provided, or not known"
        );
        assert_eq!(
            gai(libc::EAI_SERVICE, 0),
            "service not supported for socket type"
        );
        assert_eq!(gai(libc::EAI_FAMILY, 0), "ai_family not supported");
        assert_eq!(gai(libc::EAI_SYSTEM, libc::EBADF), "Bad file descriptor");
        assert_eq!(
            gai(-9 /* EAI_ADDRFAMILY */, 0),
            "Address family for hostname not supported"
        );
        assert_eq!(
            s(Code::GaiPlain(libc::EAI_NONAME)),
            "Name or service not known"
        );
    }

    #[test]
    fn host_texts() {
        let h = |c| s(Code::Host(c));
        assert_eq!(h(1), "host not found");
        assert_eq!(h(2), "Host name lookup failure");
        assert_eq!(h(3), "Unknown server error");
        assert_eq!(h(4), "No address associated with name");
        assert_eq!(h(0), "unknown error");
        assert_eq!(h(UNKNOWN), "unknown error");
        assert_eq!(h(TIMEOUT), "timeout");
    }
}
