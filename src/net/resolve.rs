//! Name resolution through the system resolver (libc `getaddrinfo`,
//! `getnameinfo`, `gethostbyname_r`, `gethostbyaddr_r`), with the C core's
//! hints so that results come in the same order.
//!
//! Nothing here allocates from Rust: libc's address list is walked where it
//! lies and freed on drop (inside the work phase), names are formatted into
//! fixed arrays, and what a `socket.dns` call returns — a host entry, a list
//! of names — is written into the caller's [`Sink`] (host memory), to be
//! pushed from there.
use super::errors::{Code, Result};
use super::sink::{Oom, Sink};
use super::sock::SockAddr;
use std::ffi::CStr;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::raw::{c_char, c_int, c_void};

/// `struct addrinfo` hints the C core fills in (everything else zero).
#[derive(Clone, Copy, Default)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub flags: i32,
}

/// One resolved address.
pub struct AddrEntry {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub addr: SockAddr,
}

/// The list `getaddrinfo` returns, freed when dropped (it lives only in the
/// work phase, where nothing raises).
pub struct AddrList(*mut libc::addrinfo);

impl Drop for AddrList {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the list came from getaddrinfo and is freed once.
            unsafe { libc::freeaddrinfo(self.0) };
        }
    }
}

impl AddrList {
    /// The entries in libc's order, each address copied out.
    pub fn iter(&self) -> impl Iterator<Item = AddrEntry> + '_ {
        let mut it = self.0 as *const libc::addrinfo;
        std::iter::from_fn(move || {
            // SAFETY: `it` walks the live list (freed only with `self`).
            let ai = unsafe { it.as_ref() }?;
            it = ai.ai_next;
            Some(AddrEntry {
                family: ai.ai_family,
                socktype: ai.ai_socktype,
                protocol: ai.ai_protocol,
                // SAFETY: ai_addr points to ai_addrlen bytes.
                addr: unsafe { copy_addr(ai.ai_addr, ai.ai_addrlen) },
            })
        })
    }
}

/// `getaddrinfo(host, serv, hints)`; a failure is `Code::Gai`.
pub fn getaddrinfo(host: Option<&CStr>, serv: Option<&CStr>, hints: Hints) -> Result<AddrList> {
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
    let list = AddrList(res);
    if code != 0 {
        return Err(Code::Gai {
            code,
            errno: super::sock::errno(),
        });
    }
    Ok(list)
}

/// A socket address libc hands out, copied (capped at the storage size).
///
/// # Safety
/// `p` must point to `len` readable bytes of a socket address (or be null).
unsafe fn copy_addr(p: *const libc::sockaddr, len: libc::socklen_t) -> SockAddr {
    // SAFETY: sockaddr_storage is plain data; all-zero is valid.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let n = if p.is_null() {
        0
    } else {
        (len as usize).min(std::mem::size_of::<libc::sockaddr_storage>())
    };
    // SAFETY: `p` has `n` readable bytes (the caller's word); the storage has
    // room for them, and then holds the address of that length.
    unsafe {
        std::ptr::copy_nonoverlapping(p as *const u8, &mut storage as *mut _ as *mut u8, n);
        SockAddr::new(storage, n as libc::socklen_t)
    }
}

/// NI_MAXHOST / NI_MAXSERV of glibc.
pub const NI_MAXHOST: usize = 1025;
pub const NI_MAXSERV: usize = 32;
/// INET6_ADDRSTRLEN: the host buffer of getsockname/getpeername.
pub const INET6_ADDRSTRLEN: usize = 46;

/// A name libc writes into a fixed array of `cap` bytes (NUL-terminated).
#[derive(Clone, Copy)]
pub struct NameBuf {
    buf: [u8; NI_MAXHOST],
    cap: usize,
    len: usize,
}

impl NameBuf {
    /// An empty buffer offering `cap` bytes (0: the part is not asked for).
    pub fn new(cap: usize) -> NameBuf {
        NameBuf {
            buf: [0; NI_MAXHOST],
            cap: cap.min(NI_MAXHOST),
            len: 0,
        }
    }
    fn out(&mut self) -> (*mut c_char, libc::socklen_t) {
        (self.buf.as_mut_ptr().cast(), self.cap as libc::socklen_t)
    }
    fn settle(&mut self) {
        self.len = self.buf.iter().position(|&b| b == 0).unwrap_or(self.cap);
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `getnameinfo` into `host` and `serv` (each as far as it offers room; a
/// part offering none is not asked for, as the C core passes 0 lengths). On
/// a failure (`Code::Gai`) they keep what libc wrote.
pub fn getnameinfo(
    addr: &SockAddr,
    host: &mut NameBuf,
    serv: &mut NameBuf,
    flags: i32,
) -> Result<()> {
    let ((h, hl), (s, sl)) = (host.out(), serv.out());
    // SAFETY: the buffers are writable for the lengths given (0 = unused).
    let code = unsafe { libc::getnameinfo(addr.as_ptr(), addr.len(), h, hl, s, sl, flags) };
    let errno = super::sock::errno();
    host.settle();
    serv.settle();
    match code {
        0 => Ok(()),
        code => Err(Code::Gai { code, errno }),
    }
}

/// The numeric host and port of an address, as getsockname/getpeername
/// format them (`NI_NUMERICHOST | NI_NUMERICSERV`, INET6_ADDRSTRLEN and 6-byte
/// buffers; a failure is worded with plain `gai_strerror`).
pub fn numeric(addr: &SockAddr) -> Result<(NameBuf, NameBuf)> {
    let (mut h, mut s) = (NameBuf::new(INET6_ADDRSTRLEN), NameBuf::new(6));
    let flags = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
    match getnameinfo(addr, &mut h, &mut s, flags) {
        Ok(()) => Ok((h, s)),
        Err(Code::Gai { code, .. }) => Err(Code::GaiPlain(code)),
        Err(e) => Err(e),
    }
}

/// What the resolver failed with, unless the result could not grow.
pub type Resolved<T> = std::result::Result<Result<T>, Oom>;

const STREAM_UNSPEC: Hints = Hints {
    family: libc::AF_UNSPEC,
    socktype: libc::SOCK_STREAM,
    flags: 0,
};

/// The work of `dns.getaddrinfo(host)`: for each address, its family name
/// and numeric host, as two records of `out`.
pub fn address_records(host: &CStr, out: &mut impl Sink) -> Resolved<()> {
    let list = match getaddrinfo(Some(host), None, STREAM_UNSPEC) {
        Ok(l) => l,
        Err(e) => return Ok(Err(e)),
    };
    for ai in list.iter() {
        let (mut h, mut none) = (NameBuf::new(NI_MAXHOST), NameBuf::new(0));
        if let Err(e) = getnameinfo(&ai.addr, &mut h, &mut none, libc::NI_NUMERICHOST) {
            return Ok(Err(e));
        }
        out.put_record(super::inet::family_name(ai.family).as_bytes())?;
        out.put_record(h.as_bytes())?;
    }
    Ok(Ok(()))
}

/// The work of `dns.getnameinfo(host, serv)`: for each address, its host
/// name and its service name (each empty when not asked for), as two
/// records of `out`. Failures of getnameinfo are ignored, as the C core
/// does.
pub fn name_records(host: Option<&CStr>, serv: Option<&CStr>, out: &mut impl Sink) -> Resolved<()> {
    let list = match getaddrinfo(host, serv, STREAM_UNSPEC) {
        Ok(l) => l,
        Err(e) => return Ok(Err(e)),
    };
    for ai in list.iter() {
        let mut h = NameBuf::new(if host.is_some() { NI_MAXHOST } else { 0 });
        let mut s = NameBuf::new(if serv.is_some() { NI_MAXSERV } else { 0 });
        let _ = getnameinfo(&ai.addr, &mut h, &mut s, 0);
        out.put_record(h.as_bytes())?;
        out.put_record(s.as_bytes())?;
    }
    Ok(Ok(()))
}

// netdb.h's and arpa/inet.h's, which the libc crate does not declare.
#[rustfmt::skip]
extern "C" {
    fn gethostbyname_r(name: *const c_char, ret: *mut libc::hostent, buf: *mut c_char,
        buflen: usize, result: *mut *mut libc::hostent, h_errnop: *mut c_int) -> c_int;
    #[allow(clippy::too_many_arguments)]
    fn gethostbyaddr_r(addr: *const c_void, len: libc::socklen_t, ty: c_int,
        ret: *mut libc::hostent, buf: *mut c_char, buflen: usize,
        result: *mut *mut libc::hostent, h_errnop: *mut c_int) -> c_int;
    fn inet_aton(cp: *const c_char, inp: *mut libc::in_addr) -> c_int;
    fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;
}

/// `inet_aton`: glibc's liberal IPv4 parser (`"127.1"`, `"0x7f.1"`).
pub fn parse_ipv4(s: &CStr) -> Option<Ipv4Addr> {
    let mut a = libc::in_addr { s_addr: 0 };
    // SAFETY: NUL-terminated input; `a` is writable.
    (unsafe { inet_aton(s.as_ptr(), &mut a) } != 0).then(|| Ipv4Addr::from(a.s_addr.to_ne_bytes()))
}

/// `inet_pton(AF_INET6, text)`.
pub fn parse_ipv6(s: &CStr) -> Option<Ipv6Addr> {
    let mut a = [0u8; 16];
    // SAFETY: NUL-terminated input; `a` is the 16 writable bytes of an
    // in6_addr.
    (unsafe { inet_pton(libc::AF_INET6, s.as_ptr(), a.as_mut_ptr().cast()) } == 1)
        .then(|| Ipv6Addr::from(a))
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

/// `inet_ntoa`.
pub fn ntoa(a: Ipv4Addr) -> Dotted {
    use std::io::Write;
    let b = a.octets();
    let mut d = Dotted {
        buf: [0; 16],
        len: 0,
    };
    let mut cur = std::io::Cursor::new(&mut d.buf[..]);
    let _ = write!(cur, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    d.len = cur.position() as usize;
    d
}

/// A `struct hostent` as the reentrant resolver fills it: its strings and
/// arrays live in the work area it was given, borrowed for `'a`.
#[derive(Clone, Copy)]
pub struct HostEnt<'a> {
    he: libc::hostent,
    _area: PhantomData<&'a [u8]>,
}

impl<'a> HostEnt<'a> {
    pub fn name(&self) -> &'a [u8] {
        if self.he.h_name.is_null() {
            return b"";
        }
        // SAFETY: a C string in the work area, alive and unchanged for 'a.
        unsafe { CStr::from_ptr(self.he.h_name) }.to_bytes()
    }
    pub fn aliases(&self) -> impl Iterator<Item = &'a [u8]> {
        // SAFETY: the aliases are C strings in the work area (for 'a).
        entries(self.he.h_aliases).map(|p| unsafe { CStr::from_ptr(p) }.to_bytes())
    }
    /// The IPv4 addresses in dotted text (`inet_ntoa`).
    pub fn addrs(&self) -> impl Iterator<Item = Dotted> + 'a {
        // SAFETY: AF_INET entries point to 4-byte addresses in the work area.
        entries(self.he.h_addr_list).map(|p| {
            ntoa(Ipv4Addr::from(unsafe {
                std::ptr::read_unaligned(p as *const [u8; 4])
            }))
        })
    }
}

/// The entries of one of a hostent's NULL-terminated arrays (in the work
/// area, alive for `'a`).
fn entries<'a>(mut p: *mut *mut c_char) -> impl Iterator<Item = *const c_char> + 'a {
    std::iter::from_fn(move || {
        // SAFETY: `p` walks a NULL-terminated array the resolver wrote into
        // the work area, which HostEnt<'a> keeps borrowed.
        let e = unsafe { p.as_ref() }.copied().filter(|e| !e.is_null())?;
        // SAFETY: not past the terminating NULL.
        p = unsafe { p.add(1) };
        Some(e as *const c_char)
    })
}

/// The largest work area `gethost` grows to when the resolver asks for more.
const HOST_AREA_MAX: usize = 1 << 20;

/// `inet_gethost`: reverse lookup for an IPv4 literal, forward otherwise,
/// with the resolver's work area in `area` (host memory, grown while the
/// resolver says ERANGE). The error is the C core's code: h_errno, else
/// errno, else `IO_UNKNOWN`.
pub fn gethost<'a, S: Sink>(name: &CStr, area: &'a mut S) -> Resolved<HostEnt<'a>> {
    let v4 = parse_ipv4(name).map(|a| a.octets());
    // The reentrant variants keep this thread-safe (the C core's plain
    // gethostbyname shares static storage between threads); same answers.
    let mut size = 1024;
    loop {
        let buf = area.room(size)?;
        let (b, len) = (buf.as_mut_ptr() as *mut c_char, size);
        // SAFETY: hostent is plain data; zero is a valid "empty" value.
        let mut he: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = std::ptr::null_mut();
        let mut herr: c_int = 0;
        // SAFETY: the errno location is thread-local and always valid.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: all pointers are valid for the call; `b` is writable for
        // `len` bytes.
        let ret = unsafe {
            match &v4 {
                Some(a) => gethostbyaddr_r(
                    a.as_ptr().cast(),
                    4,
                    libc::AF_INET,
                    &mut he,
                    b,
                    len,
                    &mut result,
                    &mut herr,
                ),
                None => gethostbyname_r(name.as_ptr(), &mut he, b, len, &mut result, &mut herr),
            }
        };
        if ret == libc::ERANGE && size < HOST_AREA_MAX {
            size *= 4;
            continue;
        }
        if result.is_null() {
            let e = super::sock::errno();
            let code = [herr, e, ret].into_iter().find(|&c| c != 0);
            return Ok(Err(Code::Host(code.unwrap_or(super::errors::UNKNOWN))));
        }
        // `result` is `he`, whose strings and arrays the resolver wrote into
        // the area, which stays borrowed (unchanged) for 'a.
        return Ok(Ok(HostEnt {
            he,
            _area: PhantomData,
        }));
    }
}

/// `gethostname` into a 257-byte buffer (256 usable, as the C core).
pub fn gethostname() -> Result<NameBuf> {
    let mut n = NameBuf::new(257);
    // SAFETY: 256 writable bytes; the last stays NUL.
    if unsafe { libc::gethostname(n.buf.as_mut_ptr().cast(), 256) } < 0 {
        return Err(Code::last_os());
    }
    n.settle();
    Ok(n)
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
    use crate::net::sink::Records;

    #[test]
    fn resolves_loopback() {
        let h = Hints {
            family: libc::AF_INET,
            socktype: libc::SOCK_STREAM,
            flags: 0,
        };
        let l = getaddrinfo(Some(c"127.0.0.1"), Some(c"80"), h).unwrap();
        let all: Vec<AddrEntry> = l.iter().collect();
        assert_eq!(all.len(), 1);
        let (host, serv) = numeric(&all[0].addr).unwrap();
        assert_eq!(host.as_bytes(), b"127.0.0.1");
        assert_eq!(serv.as_bytes(), b"80");
        let e = getaddrinfo(Some(c"::1"), Some(c"0"), h).err().unwrap();
        assert!(matches!(
            e,
            Code::Gai {
                code: -9, /* EAI_ADDRFAMILY */
                ..
            }
        ));
    }

    #[test]
    fn gethost_localhost_and_errors() {
        let mut area = Vec::new();
        let h = gethost(c"localhost", &mut area).unwrap().unwrap();
        assert_eq!(
            h.addrs().next().map(|a| a.as_bytes().to_vec()),
            Some(b"127.0.0.1".to_vec())
        );
        assert_eq!(h.name(), b"localhost");
        let mut area = Vec::new();
        let r = gethost(c"127.0.0.1", &mut area).unwrap().unwrap();
        assert!(!r.name().is_empty());
        assert!(r.aliases().all(|a| !a.is_empty()));
        let mut area = Vec::new();
        assert_eq!(
            gethost(c"::1", &mut area).unwrap().err(),
            Some(Code::Host(crate::net::errors::HOST_NOT_FOUND))
        );
        assert_eq!(gethost(c"", &mut area).unwrap().err(), Some(Code::Host(3)));
        // a work area that cannot grow is the caller's memory error
        let mut none = [0u8; 0];
        let mut fixed = crate::net::sink::Fixed::new(&mut none);
        assert!(gethost(c"localhost", &mut fixed).is_err());
    }

    #[test]
    fn dns_records() {
        let mut out = Vec::new();
        address_records(c"127.0.0.1", &mut out).unwrap().unwrap();
        let r: Vec<&[u8]> = Records::new(&out).collect();
        assert_eq!(r, [&b"inet"[..], b"127.0.0.1"]);
        let mut out = Vec::new();
        name_records(None, Some(c"80"), &mut out).unwrap().unwrap();
        let r: Vec<&[u8]> = Records::new(&out).collect();
        assert!(r.len() >= 2 && r.len() % 2 == 0);
        assert_eq!(r[0], b"");
        assert_eq!(r[r.len() - 1], b"http");
        let mut out = Vec::new();
        let e = address_records(c"nonexistent.invalid", &mut out).unwrap();
        assert!(matches!(e, Err(Code::Gai { .. })));
        assert!(out.is_empty());
    }

    #[test]
    fn ipv4_parsing() {
        assert!(parse_ipv4(c"127.1").is_some());
        assert_eq!(ntoa(parse_ipv4(c"127.1").unwrap()).as_bytes(), b"127.0.0.1");
        assert!(parse_ipv4(c"localhost").is_none());
        assert_eq!(parse_ipv6(c"::1"), Some(Ipv6Addr::LOCALHOST));
        assert!(parse_ipv6(c"239.1.1.1").is_none());
    }

    #[test]
    fn hostname() {
        let n = gethostname().unwrap();
        assert!(!n.as_bytes().is_empty() && n.as_bytes().len() <= 256);
    }
}
