//! The pieces of udp.c that need no Lua: the receive buffer policy,
//! `setpeername("*")` and the numeric sendto address (the datagram system
//! calls are [`super::sock`]'s).
use super::errors::{Code, Result};
use super::resolve::{getaddrinfo, Hints};
use super::sock::{self, Fd, SockAddr};
use super::timeout::Timeout;
use std::ffi::CStr;

/// `UDP_DATAGRAMSIZE` (`_DATAGRAMSIZE`): the default receive size, and the
/// size of the C core's stack buffer (larger sizes are malloc'ed there);
/// 8 KiB like buffer.h's `BUF_SIZE`.
pub const DATAGRAMSIZE: usize = super::buffer::BUF_SIZE;

/// The largest buffer we ever hand to the kernel without first asking how
/// big the pending datagram is: no UDP datagram (IPv4 or IPv6) is larger.
pub const DGRAM_CAP: usize = 65536;

/// How many bytes of buffer a receive of `wanted` bytes needs. Up to
/// [`DGRAM_CAP`] that is `wanted` itself; beyond it the pending datagram is
/// measured first (waiting within `tm`, `MSG_PEEK|MSG_TRUNC` reports its
/// real length without consuming it), so memory follows what arrived, never
/// the caller's number. `Err` is the failure of that wait.
pub fn buffer_size(fd: Fd, wanted: usize, tm: &Timeout) -> Result<usize> {
    if wanted <= DGRAM_CAP {
        return Ok(wanted);
    }
    match sock::recv(fd, &mut [], libc::MSG_PEEK | libc::MSG_TRUNC, tm) {
        // a datagram (or, on a stream descriptor installed with setfd, data)
        Ok(n) if n > 0 => Ok(wanted.min(n.max(DGRAM_CAP))),
        // an empty datagram, EOF, or a closed object: the real call says so
        Ok(_) | Err(Code::Closed) => Ok(DGRAM_CAP.min(wanted)),
        Err(e) => Err(e),
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
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
    let len = match family {
        libc::AF_INET => SockAddr::from(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)).len(),
        libc::AF_INET6 => SockAddr::from(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, 0, 0, 0)).len(),
        _ => return,
    };
    // SAFETY: an all-zero storage (AF_UNSPEC) is valid for any length in it.
    let unspec = unsafe { SockAddr::new(std::mem::zeroed(), len) };
    let _ = sock::connect(fd, &unspec, tm);
}

/// The destination of `sendto(data, ip, port)`: numeric host and service
/// only, of the object's family (udp.c words a failure with plain
/// `gai_strerror`). A numeric query has exactly one result; its family and
/// address.
pub fn numeric_dest(ip: &CStr, port: &CStr, family: i32) -> Result<(i32, SockAddr)> {
    let hints = Hints {
        family,
        socktype: libc::SOCK_DGRAM,
        flags: libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
    };
    match getaddrinfo(Some(ip), Some(port), hints) {
        Ok(list) => list
            .iter()
            .next()
            .map(|a| (a.family, a.addr))
            .ok_or(Code::GaiPlain(libc::EAI_NONAME)),
        Err(Code::Gai { code, .. }) => Err(Code::GaiPlain(code)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
#[path = "udp_tests.rs"]
mod tests;
