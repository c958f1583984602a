//! Socket options: options.c's handlers and the option tables of tcp.c,
//! udp.c, unixstream.c and unixdgram.c, one table per family. Each entry
//! says how its value is read and written: through socket2's typed calls
//! where they make the C core's system call with the C core's value, raw
//! getsockopt/setsockopt where socket2 has no call or one that changes it
//! (said at each entry). The Lua side reads and pushes the value in the
//! shape its kind asks for.
use super::errors::{Code, Result};
use super::sock::{self, Fd};
use socket2::Socket;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;

/// How `getoption` reads an option, and the shape of its value.
#[derive(Clone, Copy)]
pub enum Get {
    Bool(fn(&Socket) -> io::Result<bool>),
    Int(fn(&Socket) -> io::Result<i32>),
    /// `{on = boolean, timeout = int}`
    Linger,
    /// SO_ERROR, as its text
    Error,
    /// an IPv4 address, in dotted text
    MulticastIf,
}

/// How `setoption` writes an option, and the shape of the value it takes.
#[derive(Clone, Copy)]
pub enum Set {
    /// a real boolean
    Bool(fn(&Socket, bool) -> io::Result<()>),
    /// a number, truncated to an int as C's `(int) lua_tonumber` does
    Int(fn(&Socket, i32) -> io::Result<()>),
    /// `{on = boolean, timeout = number}`
    Linger,
    /// an IPv4 address or `"*"`
    MulticastIf,
    /// `{multiaddr = ip, interface = ip or "*"}`: join (true) or leave
    Membership(bool),
    /// `{multiaddr = ipv6, interface = index or nil}`: join or leave
    Membership6(bool),
}

/// One option of a family's tables.
#[derive(Clone, Copy)]
pub struct Opt {
    pub name: &'static str,
    /// in the family's `optget` table
    pub get: Option<Get>,
    /// in the family's `optset` table
    pub set: Option<Set>,
}

impl Opt {
    const fn both(name: &'static str, get: Get, set: Set) -> Opt {
        Opt {
            name,
            get: Some(get),
            set: Some(set),
        }
    }
    const fn get(name: &'static str, get: Get) -> Opt {
        Opt {
            name,
            get: Some(get),
            set: None,
        }
    }
    const fn set(name: &'static str, set: Set) -> Opt {
        Opt {
            name,
            get: None,
            set: Some(set),
        }
    }
    /// The entry of a family that has it in `optset` only.
    const fn set_only(self) -> Opt {
        Opt { get: None, ..self }
    }
}

use libc::{IPPROTO_TCP, SOL_SOCKET};
use Get as G;
use Set as S;

const KEEPALIVE: Opt = Opt::both(
    "keepalive",
    G::Bool(Socket::keepalive),
    S::Bool(Socket::set_keepalive),
);
const REUSEADDR: Opt = Opt::both(
    "reuseaddr",
    G::Bool(Socket::reuse_address),
    S::Bool(Socket::set_reuse_address),
);
const REUSEPORT: Opt = Opt::both(
    "reuseport",
    G::Bool(Socket::reuse_port),
    S::Bool(Socket::set_reuse_port),
);
const NODELAY: Opt = Opt::both(
    "tcp-nodelay",
    G::Bool(Socket::nodelay),
    S::Bool(Socket::set_nodelay),
);
// The keepalive timings are set raw: socket2's set_tcp_keepalive also turns
// SO_KEEPALIVE on and takes no negative values.
const KEEPIDLE: Opt = Opt::both(
    "tcp-keepidle",
    G::Int(|s| s.keepalive_time().map(|d| d.as_secs() as i32)),
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_KEEPIDLE, v)),
);
const KEEPCNT: Opt = Opt::both(
    "tcp-keepcnt",
    G::Int(|s| s.keepalive_retries().map(|n| n as i32)),
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_KEEPCNT, v)),
);
const KEEPINTVL: Opt = Opt::both(
    "tcp-keepintvl",
    G::Int(|s| s.keepalive_interval().map(|d| d.as_secs() as i32)),
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_KEEPINTVL, v)),
);
const V6ONLY: Opt = Opt::both(
    "ipv6-v6only",
    G::Bool(Socket::only_v6),
    S::Bool(Socket::set_only_v6),
);
const LINGER: Opt = Opt::both("linger", G::Linger, S::Linger);
const ERROR: Opt = Opt::get("error", G::Error);
// The int casts below round-trip C's int exactly (i32 -> usize/u32 -> the
// c_int socket2 passes).
const RCVBUF: Opt = Opt::both(
    "recv-buffer-size",
    G::Int(|s| s.recv_buffer_size().map(|n| n as i32)),
    S::Int(|s, v| s.set_recv_buffer_size(v as usize)),
);
const SNDBUF: Opt = Opt::both(
    "send-buffer-size",
    G::Int(|s| s.send_buffer_size().map(|n| n as i32)),
    S::Int(|s, v| s.set_send_buffer_size(v as usize)),
);
// socket2 has no calls for these three and SO_DONTROUTE.
const DEFER_ACCEPT: Opt = Opt::set(
    "tcp-defer-accept",
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, v)),
);
const FASTOPEN: Opt = Opt::set(
    "tcp-fastopen",
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_FASTOPEN, v)),
);
const FASTOPEN_CONNECT: Opt = Opt::set(
    "tcp-fastopen-connect",
    S::Int(|s, v| set_int(s, IPPROTO_TCP, libc::TCP_FASTOPEN_CONNECT, v)),
);
const DONTROUTE: Opt = Opt::both(
    "dontroute",
    G::Bool(|s| get_int(s, SOL_SOCKET, libc::SO_DONTROUTE).map(|v| v != 0)),
    S::Bool(|s, b| set_int(s, SOL_SOCKET, libc::SO_DONTROUTE, b as i32)),
);
const BROADCAST: Opt = Opt::both(
    "broadcast",
    G::Bool(Socket::broadcast),
    S::Bool(Socket::set_broadcast),
);
const MULTICAST_IF: Opt = Opt::both("ip-multicast-if", G::MulticastIf, S::MulticastIf);
const MULTICAST_TTL: Opt = Opt::set(
    "ip-multicast-ttl",
    S::Int(|s, v| s.set_multicast_ttl_v4(v as u32)),
);
const MULTICAST_LOOP: Opt = Opt::both(
    "ip-multicast-loop",
    G::Bool(Socket::multicast_loop_v4),
    S::Bool(Socket::set_multicast_loop_v4),
);
// The C core's table points ipv6-multicast-hops at the unicast handler.
const HOPS: Opt = Opt::both(
    "ipv6-unicast-hops",
    G::Int(|s| s.unicast_hops_v6().map(|n| n as i32)),
    S::Int(|s, v| s.set_unicast_hops_v6(v as u32)),
);
const MULTICAST_HOPS: Opt = Opt {
    name: "ipv6-multicast-hops",
    ..HOPS
};
const MULTICAST_LOOP6: Opt = Opt::both(
    "ipv6-multicast-loop",
    G::Bool(Socket::multicast_loop_v6),
    S::Bool(Socket::set_multicast_loop_v6),
);

/// tcp.c's `optget` and `optset` (no `bindtodevice` in 3.1.0).
pub const TCP: &[Opt] = &[
    KEEPALIVE,
    REUSEADDR,
    REUSEPORT,
    NODELAY,
    KEEPIDLE,
    KEEPCNT,
    KEEPINTVL,
    V6ONLY.set_only(),
    LINGER,
    ERROR,
    RCVBUF,
    SNDBUF,
    DEFER_ACCEPT,
    FASTOPEN,
    FASTOPEN_CONNECT,
];

/// udp.c's `optget` and `optset`.
pub const UDP: &[Opt] = &[
    DONTROUTE,
    BROADCAST,
    REUSEADDR,
    REUSEPORT,
    MULTICAST_IF,
    MULTICAST_TTL,
    MULTICAST_LOOP,
    Opt::set("ip-add-membership", S::Membership(true)),
    Opt::set("ip-drop-membership", S::Membership(false)),
    ERROR,
    HOPS,
    MULTICAST_HOPS,
    MULTICAST_LOOP6,
    Opt::set("ipv6-add-membership", S::Membership6(true)),
    Opt::set("ipv6-drop-membership", S::Membership6(false)),
    V6ONLY,
    RCVBUF,
    SNDBUF,
];

/// unixstream.c's `optset` (the unix classes have no `getoption`).
pub const UNIX_STREAM: &[Opt] = &[
    KEEPALIVE.set_only(),
    REUSEADDR.set_only(),
    LINGER.set_only(),
];

/// unixdgram.c's `optset`.
pub const UNIX_DGRAM: &[Opt] = &[REUSEADDR.set_only()];

/// Finds `name` (compared as the C string it is: up to the first NUL).
pub fn find(table: &'static [Opt], name: &[u8]) -> Option<&'static Opt> {
    let name = match name.iter().position(|&b| b == 0) {
        Some(p) => &name[..p],
        None => name,
    };
    table.iter().find(|o| o.name.as_bytes() == name)
}

/// A value read from the socket.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i32),
    Linger {
        on: bool,
        timeout: i32,
    },
    /// SO_ERROR: the pending error, if any
    Error(Option<Code>),
    Addr(Ipv4Addr),
}

/// A value to write, as `setoption` read it for the option's [`Set`].
#[derive(Clone, Copy)]
pub enum SetValue {
    Bool(fn(&Socket, bool) -> io::Result<()>, bool),
    Int(fn(&Socket, i32) -> io::Result<()>, i32),
    /// `l_onoff`, `l_linger` as C's `(u_short)` casts leave them
    Linger(u16, u16),
    MulticastIf(Ipv4Addr),
    Membership {
        join: bool,
        group: Ipv4Addr,
        iface: Ipv4Addr,
    },
    Membership6 {
        join: bool,
        group: Ipv6Addr,
        index: u32,
    },
}

/// getsockopt (the Lua side's failure is `getsockopt failed`).
pub fn get(fd: Fd, how: Get) -> Result<Value> {
    Ok(sock::with(fd, |s| match how {
        Get::Bool(f) => f(s).map(Value::Bool),
        Get::Int(f) => f(s).map(Value::Int),
        Get::Linger => get_linger(s),
        Get::Error => s.take_error().map(|e| Value::Error(e.map(Code::from))),
        Get::MulticastIf => s.multicast_if_v4().map(Value::Addr),
    })?)
}

/// setsockopt (the Lua side's failure is `setsockopt failed`).
pub fn set_value(fd: Fd, v: SetValue) -> Result<()> {
    Ok(sock::with(fd, |s| match v {
        SetValue::Bool(f, b) => f(s, b),
        SetValue::Int(f, i) => f(s, i),
        SetValue::Linger(on, timeout) => set_linger(s, on, timeout),
        SetValue::MulticastIf(a) => s.set_multicast_if_v4(&a),
        SetValue::Membership {
            join: true,
            group,
            iface,
        } => s.join_multicast_v4(&group, &iface),
        SetValue::Membership { group, iface, .. } => s.leave_multicast_v4(&group, &iface),
        SetValue::Membership6 {
            join: true,
            group,
            index,
        } => s.join_multicast_v6(&group, index),
        SetValue::Membership6 { group, index, .. } => s.leave_multicast_v6(&group, index),
    })?)
}

/// getsockopt(2) of a `T`, only for what socket2 cannot read as the C core
/// does: SO_LINGER (its timeout when off) and SO_DONTROUTE (no call).
///
/// # Safety
/// `T` must be the option's C type: plain data for which whatever bytes the
/// kernel writes are a valid value.
unsafe fn getsockopt<T: Copy>(s: &Socket, level: i32, name: i32, mut val: T) -> io::Result<T> {
    let mut len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `val` is writable for `len` bytes.
    let r = unsafe {
        // raw: socket2 cannot help here (see above)
        libc::getsockopt(
            s.as_raw_fd(),
            level,
            name,
            &mut val as *mut T as *mut _,
            &mut len,
        )
    };
    sock::cvt(r as isize).map(|_| val)
}

/// setsockopt(2) of a `T` (plain data without padding: an int, a linger),
/// only for what socket2 cannot write as the C core does: SO_LINGER off
/// with its timeout, the TCP keepalive timings without SO_KEEPALIVE,
/// SO_DONTROUTE and TCP_DEFER_ACCEPT/FASTOPEN/FASTOPEN_CONNECT (no calls).
fn setsockopt<T: Copy>(s: &Socket, level: i32, name: i32, val: T) -> io::Result<()> {
    let len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `val` is readable for `len` bytes.
    let r = unsafe {
        // raw: socket2 cannot help here (see above)
        libc::setsockopt(
            s.as_raw_fd(),
            level,
            name,
            &val as *const T as *const _,
            len,
        )
    };
    sock::cvt(r as isize).map(drop)
}

fn get_int(s: &Socket, level: i32, name: i32) -> io::Result<i32> {
    // SAFETY: an int option; any bytes are an int.
    unsafe { getsockopt(s, level, name, 0i32) }
}

fn set_int(s: &Socket, level: i32, name: i32, v: i32) -> io::Result<()> {
    setsockopt(s, level, name, v)
}

/// Raw: socket2's `linger()` is `None` when off, losing the timeout the C
/// core returns.
fn get_linger(s: &Socket) -> io::Result<Value> {
    let none = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    // SAFETY: SO_LINGER's type is `struct linger`, two ints.
    let li = unsafe { getsockopt(s, SOL_SOCKET, libc::SO_LINGER, none) }?;
    Ok(Value::Linger {
        on: li.l_onoff != 0,
        timeout: li.l_linger,
    })
}

/// Raw: socket2's `set_linger(None)` writes a zero timeout, where the C core
/// keeps the one given with `on = false`.
fn set_linger(s: &Socket, on: u16, timeout: u16) -> io::Result<()> {
    let li = libc::linger {
        l_onoff: on as i32,
        l_linger: timeout as i32,
    };
    setsockopt(s, SOL_SOCKET, libc::SO_LINGER, li)
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
