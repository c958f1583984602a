//! Name resolution through the system resolver (libc `getaddrinfo`,
//! `getnameinfo`, `gethostbyname`, `gethostbyaddr`), with the C core's hints
//! so that results come in the same order.
use super::sock::SockAddr;
use std::ffi::CStr;

/// `struct addrinfo` hints the C core fills in (everything else zero).
#[derive(Clone, Copy, Default)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub flags: i32,
}

/// One resolved address.
#[derive(Clone, Copy)]
pub struct AddrEntry {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub addr: SockAddr,
}

/// The results of `getaddrinfo`, copied out of libc's list (which is freed at
/// once). Lives only inside the work phase.
pub type AddrList = Vec<AddrEntry>;

/// A failed `getaddrinfo`: the EAI code and errno right after the call (for
/// `EAI_SYSTEM`).
#[derive(Clone, Copy, Debug)]
pub struct GaiError {
    pub code: i32,
    pub errno: i32,
}

/// `getaddrinfo(host, serv, hints)`.
pub fn getaddrinfo(
    host: Option<&CStr>,
    serv: Option<&CStr>,
    hints: Hints,
) -> Result<AddrList, GaiError> {
    // SAFETY: addrinfo is plain data; zero is the documented "unset".
    let mut h: libc::addrinfo = unsafe { std::mem::zeroed() };
    h.ai_family = hints.family;
    h.ai_socktype = hints.socktype;
    h.ai_flags = hints.flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: NUL-terminated strings or null; res is an out-pointer.
    let code = unsafe {
        libc::getaddrinfo(
            host.map_or(std::ptr::null(), |s| s.as_ptr()),
            serv.map_or(std::ptr::null(), |s| s.as_ptr()),
            &h,
            &mut res,
        )
    };
    if code != 0 {
        let errno = super::sock::errno();
        if !res.is_null() {
            // SAFETY: res came from getaddrinfo.
            unsafe { libc::freeaddrinfo(res) };
        }
        return Err(GaiError { code, errno });
    }
    let mut out = Vec::new();
    let mut it = res;
    while !it.is_null() {
        // SAFETY: `it` walks getaddrinfo's list, freed only after the loop.
        let ai = unsafe { &*it };
        out.push(AddrEntry {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            // SAFETY: ai_addr points to ai_addrlen bytes.
            addr: unsafe { SockAddr::from_raw(ai.ai_addr, ai.ai_addrlen) },
        });
        it = ai.ai_next;
    }
    // SAFETY: res came from getaddrinfo and is not used after this.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// NI_MAXHOST / NI_MAXSERV of glibc.
pub const NI_MAXHOST: usize = 1025;
pub const NI_MAXSERV: usize = 32;
/// INET6_ADDRSTRLEN: the host buffer of getsockname/getpeername.
pub const INET6_ADDRSTRLEN: usize = 46;

/// `getnameinfo` into fixed buffers; `host_cap`/`serv_cap` of 0 skip that
/// part (as the C core passes 0 lengths). Returns the code and the two texts
/// (up to their NUL).
pub fn getnameinfo(
    addr: &SockAddr,
    host_cap: usize,
    serv_cap: usize,
    flags: i32,
) -> (i32, NameBuf, NameBuf) {
    let mut host = NameBuf::new();
    let mut serv = NameBuf::new();
    let hc = host_cap.min(host.buf.len());
    let sc = serv_cap.min(serv.buf.len());
    // SAFETY: buffers are writable for the lengths given (0 = not used).
    let code = unsafe {
        libc::getnameinfo(
            addr.as_ptr(),
            addr.len,
            host.buf.as_mut_ptr() as *mut libc::c_char,
            hc as libc::socklen_t,
            serv.buf.as_mut_ptr() as *mut libc::c_char,
            sc as libc::socklen_t,
            flags,
        )
    };
    host.settle();
    serv.settle();
    (code, host, serv)
}

/// A NUL-terminated name written by libc into a fixed array.
#[derive(Clone, Copy)]
pub struct NameBuf {
    buf: [u8; NI_MAXHOST],
    len: usize,
}

impl NameBuf {
    fn new() -> NameBuf {
        NameBuf {
            buf: [0; NI_MAXHOST],
            len: 0,
        }
    }
    fn settle(&mut self) {
        self.len = self
            .buf
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.buf.len());
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The numeric host and port of an address, as getsockname/getpeername
/// format them (`NI_NUMERICHOST | NI_NUMERICSERV`, INET6_ADDRSTRLEN and 6-byte
/// buffers); `Err` holds the raw EAI code.
pub fn numeric(addr: &SockAddr) -> Result<(NameBuf, NameBuf), i32> {
    let (code, h, s) = getnameinfo(
        addr,
        INET6_ADDRSTRLEN,
        6,
        libc::NI_NUMERICHOST | libc::NI_NUMERICSERV,
    );
    if code != 0 {
        Err(code)
    } else {
        Ok((h, s))
    }
}

/// A `struct hostent` copied out of libc's static storage.
pub struct HostEnt {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    /// IPv4 addresses in dotted text (`inet_ntoa`).
    pub addrs: Vec<Vec<u8>>,
}

extern "C" {
    fn gethostbyname_r(
        name: *const libc::c_char,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: usize,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    #[allow(clippy::too_many_arguments)]
    fn gethostbyaddr_r(
        addr: *const libc::c_void,
        len: libc::socklen_t,
        ty: libc::c_int,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: usize,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
}

/// `inet_aton`: glibc's liberal IPv4 parser (`"127.1"`, `"0x7f.1"`).
pub fn parse_ipv4(s: &CStr) -> Option<libc::in_addr> {
    let mut a = libc::in_addr { s_addr: 0 };
    // SAFETY: NUL-terminated input; `a` is writable.
    (unsafe { inet_aton(s.as_ptr(), &mut a) } != 0).then_some(a)
}

/// Dotted IPv4 text in a fixed array (at most `255.255.255.255`).
#[derive(Clone, Copy)]
pub struct Dotted {
    buf: [u8; 16],
    len: usize,
}

impl Dotted {
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `inet_ntoa` of an address in network byte order.
pub fn ntoa(a: libc::in_addr) -> Dotted {
    use std::io::Write;
    let b = a.s_addr.to_ne_bytes();
    let mut d = Dotted {
        buf: [0; 16],
        len: 0,
    };
    let mut cur = std::io::Cursor::new(&mut d.buf[..]);
    let _ = write!(cur, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    d.len = cur.position() as usize;
    d
}

/// `inet_gethost`: reverse lookup for an IPv4 literal, forward otherwise.
/// The error is the C core's code: h_errno, else errno, else `UNKNOWN`.
///
pub fn gethost(name: &CStr) -> Result<HostEnt, i32> {
    let v4 = parse_ipv4(name);
    // The reentrant variants keep this thread-safe (the C core's plain
    // gethostbyname shares static storage between threads); same answers.
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: hostent is plain data; zero is a valid "empty" value.
        let mut he: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = std::ptr::null_mut();
        let mut herr: libc::c_int = 0;
        // SAFETY: the errno location is thread-local and always valid.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: all pointers are valid for the call; `buf` is writable for
        // its length and outlives every use of `he` below.
        let ret = unsafe {
            match v4 {
                Some(a) => gethostbyaddr_r(
                    &a as *const _ as *const libc::c_void,
                    4,
                    libc::AF_INET,
                    &mut he,
                    buf.as_mut_ptr() as *mut libc::c_char,
                    buf.len(),
                    &mut result,
                    &mut herr,
                ),
                None => gethostbyname_r(
                    name.as_ptr(),
                    &mut he,
                    buf.as_mut_ptr() as *mut libc::c_char,
                    buf.len(),
                    &mut result,
                    &mut herr,
                ),
            }
        };
        if ret == libc::ERANGE && buf.len() < (1 << 20) {
            let n = buf.len() * 4;
            buf.resize(n, 0);
            continue;
        }
        if result.is_null() {
            let e = super::sock::errno();
            return Err(if herr != 0 {
                herr
            } else if e != 0 {
                e
            } else if ret != 0 {
                ret
            } else {
                super::errors::UNKNOWN
            });
        }
        // SAFETY: `result` points to `he`, whose strings and arrays live in
        // `buf` (NULL-terminated arrays, 4-byte addresses for AF_INET).
        return Ok(unsafe { copy_hostent(&*result) });
    }
}

/// Copies a hostent's name, aliases and IPv4 addresses out.
///
/// # Safety
/// `h` must be a valid AF_INET hostent as libc fills it.
unsafe fn copy_hostent(h: &libc::hostent) -> HostEnt {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let name = CStr::from_ptr(h.h_name).to_bytes().to_vec();
        let mut aliases = Vec::new();
        let mut p = h.h_aliases;
        while !p.is_null() && !(*p).is_null() {
            aliases.push(CStr::from_ptr(*p).to_bytes().to_vec());
            p = p.add(1);
        }
        let mut addrs = Vec::new();
        let mut q = h.h_addr_list;
        while !q.is_null() && !(*q).is_null() {
            let a = std::ptr::read_unaligned(*q as *const libc::in_addr);
            addrs.push(ntoa(a).as_bytes().to_vec());
            q = q.add(1);
        }
        HostEnt {
            name,
            aliases,
            addrs,
        }
    }
}

/// `gethostname` into a 257-byte buffer (256 usable, as the C core).
pub fn gethostname() -> Result<Vec<u8>, i32> {
    let mut buf = [0u8; 257];
    // SAFETY: 256 writable bytes; the last stays NUL.
    if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, 256) } < 0 {
        return Err(super::sock::errno());
    }
    let n = buf.iter().position(|&b| b == 0).unwrap_or(256);
    Ok(buf[..n].to_vec())
}

/// `(int) strtol(port, NULL, 10)` of a numeric service text (what
/// getnameinfo's NI_NUMERICSERV writes: at most five digits).
pub fn port_number(s: &[u8]) -> i64 {
    s.iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0i64, |a, &b| {
            a.wrapping_mul(10).wrapping_add((b - b'0') as i64)
        }) as i32 as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_loopback() {
        let h = Hints {
            family: libc::AF_INET,
            socktype: libc::SOCK_STREAM,
            flags: 0,
        };
        let l = getaddrinfo(Some(c"127.0.0.1"), Some(c"80"), h).unwrap();
        assert_eq!(l.len(), 1);
        let (host, serv) = numeric(&l[0].addr).unwrap();
        assert_eq!(host.as_bytes(), b"127.0.0.1");
        assert_eq!(serv.as_bytes(), b"80");
        let e = getaddrinfo(Some(c"::1"), Some(c"0"), h).err().unwrap();
        assert_eq!(e.code, -9 /* EAI_ADDRFAMILY */);
    }

    #[test]
    fn gethost_localhost_and_errors() {
        let h = gethost(c"localhost").unwrap();
        assert_eq!(h.addrs.first().map(|a| &a[..]), Some(&b"127.0.0.1"[..]));
        let r = gethost(c"127.0.0.1").unwrap();
        assert!(!r.name.is_empty());
        assert_eq!(
            gethost(c"::1").err(),
            Some(crate::net::errors::HOST_NOT_FOUND)
        );
        assert_eq!(gethost(c"").err(), Some(3));
    }

    #[test]
    fn ipv4_parsing() {
        assert!(parse_ipv4(c"127.1").is_some());
        assert_eq!(ntoa(parse_ipv4(c"127.1").unwrap()).as_bytes(), b"127.0.0.1");
        assert!(parse_ipv4(c"localhost").is_none());
    }
}
