//! Datagram system calls of the C core's usocket.c (`socket_sendto`,
//! `socket_recv`, `socket_recvfrom`) plus the pieces of udp.c that need no
//! Lua: the receive buffer policy, `setpeername("*")` and the numeric
//! sendto address. Codes are those of [`super::errors`].
use super::errors::{CLOSED, DONE};
use super::resolve::{getaddrinfo, Hints};
use super::sock::{self, Fd, SockAddr, INVALID, WAIT_R, WAIT_W};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `UDP_DATAGRAMSIZE`: the default receive size, and the size of the C
/// core's stack buffer (larger sizes are malloc'ed there).
pub const DATAGRAMSIZE: usize = 8192;

/// The largest buffer we ever hand to the kernel without first asking how
/// big the pending datagram is: no UDP datagram (IPv4 or IPv6) is larger.
pub const DGRAM_CAP: usize = 65536;

/// `socket_sendto`: one datagram to `addr`. Returns (bytes sent, code);
/// EPIPE reads as `CLOSED` (which udp.c words `refused`).
pub fn sendto(fd: Fd, data: &[u8], addr: &SockAddr, tm: &Timeout) -> (usize, i32) {
    if fd == INVALID {
        return (0, CLOSED);
    }
    loop {
        // SAFETY: data and addr are valid for their lengths.
        let put = unsafe {
            libc::sendto(
                fd,
                data.as_ptr() as *const libc::c_void,
                data.len(),
                libc::MSG_NOSIGNAL,
                addr.as_ptr(),
                addr.len,
            )
        };
        if put >= 0 {
            return (put as usize, DONE);
        }
        let e = sock::errno();
        if e == libc::EPIPE {
            return (0, CLOSED);
        }
        if e == libc::EPROTOTYPE || e == libc::EINTR {
            continue;
        }
        if e != libc::EAGAIN {
            return (0, e);
        }
        let w = sock::wait(fd, WAIT_W, tm);
        if w != DONE {
            return (0, w);
        }
    }
}

/// One `recvfrom(2)` call (`from` = None: plain recv).
fn recv_once(fd: Fd, buf: &mut [u8], flags: i32, from: Option<&mut SockAddr>) -> isize {
    match from {
        // SAFETY: buf is writable for its length; the address storage and its
        // length describe a writable sockaddr_storage.
        Some(a) => unsafe {
            a.len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            libc::recvfrom(
                fd,
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                flags,
                &mut a.storage as *mut _ as *mut libc::sockaddr,
                &mut a.len,
            )
        },
        // SAFETY: buf is writable for its length.
        None => unsafe { libc::recv(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), flags) },
    }
}

/// `socket_recv` / `socket_recvfrom` with `flags`: waits (within `tm`) until
/// a datagram is there. Returns (bytes, code) where a zero-byte result is
/// `CLOSED`, as in the C core (udp.c treats it as an empty datagram).
fn recv_flags(
    fd: Fd,
    buf: &mut [u8],
    flags: i32,
    mut from: Option<&mut SockAddr>,
    tm: &Timeout,
) -> (usize, i32) {
    if fd == INVALID {
        return (0, CLOSED);
    }
    loop {
        let got = recv_once(fd, buf, flags, from.as_deref_mut());
        if got > 0 {
            return (got as usize, DONE);
        }
        if got == 0 {
            return (0, CLOSED);
        }
        let e = sock::errno();
        if e == libc::EINTR {
            continue;
        }
        if e != libc::EAGAIN {
            return (0, e);
        }
        let w = sock::wait(fd, WAIT_R, tm);
        if w != DONE {
            return (0, w);
        }
    }
}

/// `socket_recv` / `socket_recvfrom` into `buf` (see [`recv_flags`]).
pub fn recv(fd: Fd, buf: &mut [u8], from: Option<&mut SockAddr>, tm: &Timeout) -> (usize, i32) {
    recv_flags(fd, buf, 0, from, tm)
}

/// How many bytes of buffer a receive of `wanted` bytes needs. Up to
/// [`DGRAM_CAP`] that is `wanted` itself; beyond it the pending datagram is
/// measured first (waiting within `tm`, `MSG_PEEK|MSG_TRUNC` reports its
/// real length without consuming it), so memory follows what arrived, never
/// the caller's number. `Err` carries the failure code of that wait.
pub fn buffer_size(fd: Fd, wanted: usize, tm: &Timeout) -> Result<usize, i32> {
    if wanted <= DGRAM_CAP {
        return Ok(wanted);
    }
    let mut none = [0u8; 0];
    match recv_flags(fd, &mut none, libc::MSG_PEEK | libc::MSG_TRUNC, None, tm) {
        // a datagram (or, on a stream descriptor installed with setfd, data)
        (n, DONE) => Ok(wanted.min(n.max(DGRAM_CAP))),
        // an empty datagram, EOF, or a closed object: the real call says so
        (_, CLOSED) => Ok(DGRAM_CAP.min(wanted)),
        (_, e) => Err(e),
    }
}

/// Whether the C core's `malloc(wanted)` of a receive buffer fails, which
/// udp.c reports as `nil, "out of memory"` before any I/O. We never make
/// that allocation; we model glibc + Linux: sizes above PTRDIFF_MAX are
/// refused by malloc itself; otherwise the mmap of the chunk is refused by
/// the kernel's overcommit check (heuristic mode: more pages than RAM +
/// swap; "always" mode: only beyond the user address space).
pub fn malloc_fails(wanted: usize) -> bool {
    if wanted <= DATAGRAMSIZE {
        return false;
    }
    if wanted > isize::MAX as usize - 4096 * 2 {
        return true;
    }
    const PAGE: usize = 4096;
    // glibc's mmapped chunk: request + header, 16-aligned, plus one size
    // word, rounded up to whole pages.
    let chunk = ((wanted + 8 + 15) & !15) + 8;
    let pages = chunk.div_ceil(PAGE);
    // 47-bit user address space on x86-64
    if pages > (1usize << 47) / PAGE {
        return true;
    }
    if overcommit_mode() == 1 {
        return false;
    }
    // SAFETY: sysinfo fills a plain struct.
    let mut si: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: si is writable.
    if unsafe { libc::sysinfo(&mut si) } != 0 {
        return false;
    }
    let unit = (si.mem_unit as usize).max(1);
    let total = (si.totalram as usize)
        .saturating_add(si.totalswap as usize)
        .saturating_mul(unit)
        / PAGE;
    pages > total
}

/// `/proc/sys/vm/overcommit_memory` (0 heuristic, 1 always, 2 strict); read
/// only for sizes beyond RAM-scale checks, so the rare path pays for it.
fn overcommit_mode() -> u8 {
    match std::fs::read("/proc/sys/vm/overcommit_memory") {
        Ok(b) => b.first().map_or(0, |c| c.wrapping_sub(b'0')),
        Err(_) => 0,
    }
}

/// `inet_trydisconnect`: connect to an AF_UNSPEC address sized for the
/// object's family (result ignored by udp.c; nothing for other families).
pub fn disconnect(fd: Fd, family: i32, tm: &Timeout) {
    let len = match family {
        libc::AF_INET => std::mem::size_of::<libc::sockaddr_in>(),
        libc::AF_INET6 => std::mem::size_of::<libc::sockaddr_in6>(),
        _ => return,
    };
    let mut a = SockAddr::empty();
    a.storage.ss_family = libc::AF_UNSPEC as libc::sa_family_t;
    a.len = len as libc::socklen_t;
    let _ = sock::connect(fd, &a, tm);
}

/// The destination of `sendto(data, ip, port)`: numeric host and service
/// only, of the object's family; `Err` holds the raw EAI code (udp.c words it
/// with plain `gai_strerror`). A numeric query has exactly one result; its
/// family and address.
pub fn numeric_dest(ip: &CStr, port: &CStr, family: i32) -> Result<(i32, SockAddr), i32> {
    let hints = Hints {
        family,
        socktype: libc::SOCK_DGRAM,
        flags: libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
    };
    match getaddrinfo(Some(ip), Some(port), hints) {
        Ok(list) => list
            .first()
            .map(|a| (a.family, a.addr))
            .ok_or(libc::EAI_NONAME),
        Err(e) => Err(e.code),
    }
}

#[cfg(test)]
#[path = "udp_tests.rs"]
mod tests;
