use super::*;
use crate::net::errors::Code;
use crate::net::sock::INVALID;

fn sendto(fd: Fd, data: &[u8], to: &SockAddr, t: &Timeout) -> Result<usize> {
    sock::send(fd, data, Some(to), sock::NOSIGNAL, t)
}

fn recv(fd: Fd, buf: &mut [u8], t: &Timeout) -> Result<usize> {
    sock::recv(fd, buf, 0, t)
}

fn tm(block: f64) -> Timeout {
    Timeout {
        block,
        total: -1.0,
        start: crate::net::time::gettime(),
    }
}

/// A bound IPv4 datagram socket on loopback and its address.
fn bound() -> (Fd, SockAddr) {
    let fd = sock::create(libc::AF_INET, libc::SOCK_DGRAM, 0).unwrap();
    let h = Hints {
        family: libc::AF_INET,
        socktype: libc::SOCK_DGRAM,
        flags: 0,
    };
    let a = getaddrinfo(Some(c"127.0.0.1"), Some(c"0"), h)
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .addr;
    assert_eq!(sock::bind(fd, &a), Ok(()));
    (fd, sock::name(fd, false).unwrap())
}

#[test]
fn closed_descriptor() {
    let t = tm(-1.0);
    assert_eq!(
        sendto(INVALID, b"x", &sock::no_address(), &t),
        Err(Code::Closed)
    );
    assert_eq!(recv(INVALID, &mut [0u8; 4], &t), Err(Code::Closed));
    assert!(sock::recv_from(INVALID, &mut [0u8; 4], &t).is_err());
    assert_eq!(buffer_size(INVALID, 1 << 20, &t), Ok(DGRAM_CAP));
}

#[test]
fn roundtrip_truncation_and_empty() {
    let (mut r, raddr) = bound();
    let (mut s, saddr) = bound();
    let t = tm(1.0);
    assert_eq!(sendto(s, b"hello world", &raddr, &t), Ok(11));
    let mut buf = [0u8; 5];
    // truncated to the buffer; the rest of the datagram is gone
    let (n, from) = sock::recv_from(r, &mut buf, &t).unwrap();
    assert_eq!(n, 5);
    assert_eq!(&buf, b"hello");
    let (h, p) = crate::net::resolve::numeric(&from).unwrap();
    let (_, sp) = crate::net::resolve::numeric(&saddr).unwrap();
    assert_eq!(h.as_bytes(), b"127.0.0.1");
    assert_eq!(p.as_bytes(), sp.as_bytes());
    // nothing left: zero timeout fails at once, a short one after polling
    assert_eq!(recv(r, &mut buf, &tm(0.0)), Err(Code::Timeout));
    assert_eq!(recv(r, &mut buf, &tm(0.02)), Err(Code::Timeout));
    // an empty datagram reads as 0 bytes (udp.c: success)
    assert_eq!(sendto(s, b"", &raddr, &t), Ok(0));
    assert_eq!(recv(r, &mut buf, &t), Ok(0));
    // a zero-size read discards a pending datagram
    assert_eq!(sendto(s, b"abc", &raddr, &t), Ok(3));
    assert_eq!(recv(r, &mut [], &t), Ok(0));
    assert_eq!(recv(r, &mut buf, &tm(0.0)), Err(Code::Timeout));
    sock::destroy(&mut r);
    sock::destroy(&mut s);
}

#[test]
fn big_sizes_follow_the_datagram() {
    let (mut r, raddr) = bound();
    let (mut s, _) = bound();
    let t = tm(1.0);
    assert_eq!(buffer_size(r, 100, &t), Ok(100));
    assert_eq!(buffer_size(r, DGRAM_CAP, &t), Ok(DGRAM_CAP));
    // nothing pending: the measuring wait times out
    assert_eq!(buffer_size(r, 1 << 40, &tm(0.0)), Err(Code::Timeout));
    let data = vec![7u8; 30000];
    assert_eq!(sendto(s, &data, &raddr, &t), Ok(30000));
    // a huge request gets a cap-sized buffer, never the request
    assert_eq!(buffer_size(r, 1 << 40, &t), Ok(DGRAM_CAP));
    // measuring does not consume
    let mut buf = vec![0u8; DGRAM_CAP];
    assert_eq!(recv(r, &mut buf, &t), Ok(30000));
    sock::destroy(&mut r);
    sock::destroy(&mut s);
}

#[test]
fn unix_datagrams_above_the_cap_are_measured() {
    let mut fds = [0i32; 2];
    // SAFETY: fds is writable for two ints.
    assert_eq!(
        unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_DGRAM, 0, fds.as_mut_ptr()) },
        0
    );
    let big = vec![1u8; 100_000];
    let t = tm(1.0);
    assert!(sock::with(fds[0], |s| s.set_send_buffer_size(1 << 20)).is_ok());
    assert!(sock::with(fds[1], |s| s.set_recv_buffer_size(1 << 20)).is_ok());
    assert_eq!(sock::send(fds[0], &big, None, 0, &t), Ok(100_000));
    assert_eq!(buffer_size(fds[1], 1 << 30, &t), Ok(100_000));
    assert_eq!(buffer_size(fds[1], 80_000, &t), Ok(80_000));
    for fd in &mut fds {
        sock::destroy(fd);
    }
}

#[test]
fn connected_refusal_and_disconnect() {
    let (mut probe, dead) = bound();
    sock::destroy(&mut probe); // nobody listens there any more
    let (mut c, _) = bound();
    let t = tm(1.0);
    assert_eq!(sock::connect(c, &dead, &t), Ok(()));
    assert_eq!(sock::send(c, b"x", None, 0, &t), Ok(1));
    let mut buf = [0u8; 8];
    assert_eq!(recv(c, &mut buf, &t), Err(Code::Errno(libc::ECONNREFUSED)));
    disconnect(c, libc::AF_INET, &t);
    assert_eq!(sock::name(c, true).err(), Some(Code::Errno(libc::ENOTCONN)));
    // unknown family: nothing happens
    disconnect(c, libc::AF_UNSPEC, &t);
    sock::destroy(&mut c);
}

#[test]
fn numeric_destinations() {
    let (f, _) = numeric_dest(c"127.0.0.1", c"9", libc::AF_UNSPEC).unwrap();
    assert_eq!(f, libc::AF_INET);
    let (f, _) = numeric_dest(c"::1", c"9", libc::AF_UNSPEC).unwrap();
    assert_eq!(f, libc::AF_INET6);
    assert_eq!(
        numeric_dest(c"localhost", c"9", libc::AF_UNSPEC).err(),
        Some(Code::GaiPlain(libc::EAI_NONAME))
    );
    assert_eq!(
        numeric_dest(c"127.0.0.1", c"echo", libc::AF_UNSPEC).err(),
        Some(Code::GaiPlain(libc::EAI_NONAME))
    );
    assert_eq!(
        numeric_dest(c"::1", c"9", libc::AF_INET).err(),
        Some(Code::GaiPlain(-9 /* EAI_ADDRFAMILY */))
    );
}

#[test]
fn oom_model() {
    assert!(!malloc_fails(0));
    assert!(!malloc_fails(DATAGRAMSIZE));
    assert!(!malloc_fails(1 << 20));
    assert!(malloc_fails(usize::MAX));
    assert!(malloc_fails(1 << 63));
    assert!(malloc_fails(1 << 48));
    assert_eq!(crate::net::resolve::port_number(b"5061"), 5061);
    assert_eq!(crate::net::resolve::port_number(b""), 0);
}
