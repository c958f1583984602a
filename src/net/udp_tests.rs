use super::*;
use crate::net::errors::TIMEOUT;

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
    let a = getaddrinfo(Some(c"127.0.0.1"), Some(c"0"), h).unwrap()[0].addr;
    assert_eq!(sock::bind(fd, &a), DONE);
    (fd, sock::name(fd, false).unwrap())
}

#[test]
fn closed_descriptor() {
    let t = tm(-1.0);
    assert_eq!(sendto(INVALID, b"x", &SockAddr::empty(), &t), (0, CLOSED));
    let mut a = SockAddr::empty();
    assert_eq!(recv(INVALID, &mut [0u8; 4], Some(&mut a), &t), (0, CLOSED));
    assert_eq!(a.len, 0);
    assert_eq!(buffer_size(INVALID, 1 << 20, &t), Ok(DGRAM_CAP));
}

#[test]
fn roundtrip_truncation_and_empty() {
    let (mut r, raddr) = bound();
    let (mut s, saddr) = bound();
    let t = tm(1.0);
    assert_eq!(sendto(s, b"hello world", &raddr, &t), (11, DONE));
    let mut buf = [0u8; 5];
    let mut from = SockAddr::empty();
    // truncated to the buffer; the rest of the datagram is gone
    assert_eq!(recv(r, &mut buf, Some(&mut from), &t), (5, DONE));
    assert_eq!(&buf, b"hello");
    let (h, p) = crate::net::resolve::numeric(&from).unwrap();
    let (_, sp) = crate::net::resolve::numeric(&saddr).unwrap();
    assert_eq!(h.as_bytes(), b"127.0.0.1");
    assert_eq!(p.as_bytes(), sp.as_bytes());
    // nothing left: zero timeout fails at once, a short one after polling
    assert_eq!(recv(r, &mut buf, None, &tm(0.0)), (0, TIMEOUT));
    assert_eq!(recv(r, &mut buf, None, &tm(0.02)), (0, TIMEOUT));
    // an empty datagram reads as CLOSED with 0 bytes (udp.c: success)
    assert_eq!(sendto(s, b"", &raddr, &t), (0, DONE));
    assert_eq!(recv(r, &mut buf, None, &t), (0, CLOSED));
    // a zero-size read discards a pending datagram
    assert_eq!(sendto(s, b"abc", &raddr, &t), (3, DONE));
    assert_eq!(recv(r, &mut [], None, &t), (0, CLOSED));
    assert_eq!(recv(r, &mut buf, None, &tm(0.0)), (0, TIMEOUT));
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
    assert_eq!(buffer_size(r, 1 << 40, &tm(0.0)), Err(TIMEOUT));
    let data = vec![7u8; 30000];
    assert_eq!(sendto(s, &data, &raddr, &t), (30000, DONE));
    // a huge request gets a cap-sized buffer, never the request
    assert_eq!(buffer_size(r, 1 << 40, &t), Ok(DGRAM_CAP));
    // measuring does not consume
    let mut buf = vec![0u8; DGRAM_CAP];
    assert_eq!(recv(r, &mut buf, None, &t), (30000, DONE));
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
    assert!(sock::set_int(
        fds[0],
        libc::SOL_SOCKET,
        libc::SO_SNDBUF,
        1 << 20
    ));
    assert!(sock::set_int(
        fds[1],
        libc::SOL_SOCKET,
        libc::SO_RCVBUF,
        1 << 20
    ));
    assert_eq!(sock::send(fds[0], &big, &t), (100_000, DONE));
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
    assert_eq!(sock::connect(c, &dead, &t), DONE);
    assert_eq!(sock::send(c, b"x", &t).1, DONE);
    let mut buf = [0u8; 8];
    assert_eq!(recv(c, &mut buf, None, &t), (0, libc::ECONNREFUSED));
    disconnect(c, libc::AF_INET, &t);
    assert_eq!(sock::name(c, true).err(), Some(libc::ENOTCONN));
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
        Some(libc::EAI_NONAME)
    );
    assert_eq!(
        numeric_dest(c"127.0.0.1", c"echo", libc::AF_UNSPEC).err(),
        Some(libc::EAI_NONAME)
    );
    assert_eq!(
        numeric_dest(c"::1", c"9", libc::AF_INET).err(),
        Some(-9 /* EAI_ADDRFAMILY */)
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
