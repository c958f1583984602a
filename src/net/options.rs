//! Socket options (options.c): the name tables and the system calls behind
//! them. The Lua side reads the value in the shape the option's kind asks for.
use super::sock::{self, Fd};

/// How an option's value looks from Lua.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// boolean (set: a real boolean; get: a boolean)
    Bool,
    /// number (set: `lua_tonumber` truncated to int, unchecked; get: num)
    Int,
    /// `{on = boolean, timeout = int}`
    Linger,
    /// SO_ERROR as text (get only)
    Error,
}

#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub name: &'static str,
    pub kind: Kind,
    pub level: i32,
    pub opt: i32,
}

const fn o(name: &'static str, kind: Kind, level: i32, opt: i32) -> Opt {
    Opt {
        name,
        kind,
        level,
        opt,
    }
}

use libc::{IPPROTO_IPV6, IPPROTO_TCP, SOL_SOCKET};
use Kind::*;

/// tcp.c's `optget`, in its order.
pub const TCP_GET: &[Opt] = &[
    o("keepalive", Bool, SOL_SOCKET, libc::SO_KEEPALIVE),
    o("reuseaddr", Bool, SOL_SOCKET, libc::SO_REUSEADDR),
    o("reuseport", Bool, SOL_SOCKET, libc::SO_REUSEPORT),
    o("tcp-nodelay", Bool, IPPROTO_TCP, libc::TCP_NODELAY),
    o("tcp-keepidle", Int, IPPROTO_TCP, libc::TCP_KEEPIDLE),
    o("tcp-keepcnt", Int, IPPROTO_TCP, libc::TCP_KEEPCNT),
    o("tcp-keepintvl", Int, IPPROTO_TCP, libc::TCP_KEEPINTVL),
    o("linger", Linger, SOL_SOCKET, libc::SO_LINGER),
    o("error", Error, SOL_SOCKET, libc::SO_ERROR),
    o("recv-buffer-size", Int, SOL_SOCKET, libc::SO_RCVBUF),
    o("send-buffer-size", Int, SOL_SOCKET, libc::SO_SNDBUF),
];

/// tcp.c's `optset`, in its order (no `bindtodevice` in 3.1.0).
pub const TCP_SET: &[Opt] = &[
    o("keepalive", Bool, SOL_SOCKET, libc::SO_KEEPALIVE),
    o("reuseaddr", Bool, SOL_SOCKET, libc::SO_REUSEADDR),
    o("reuseport", Bool, SOL_SOCKET, libc::SO_REUSEPORT),
    o("tcp-nodelay", Bool, IPPROTO_TCP, libc::TCP_NODELAY),
    o("tcp-keepidle", Int, IPPROTO_TCP, libc::TCP_KEEPIDLE),
    o("tcp-keepcnt", Int, IPPROTO_TCP, libc::TCP_KEEPCNT),
    o("tcp-keepintvl", Int, IPPROTO_TCP, libc::TCP_KEEPINTVL),
    o("ipv6-v6only", Bool, IPPROTO_IPV6, libc::IPV6_V6ONLY),
    o("linger", Linger, SOL_SOCKET, libc::SO_LINGER),
    o("recv-buffer-size", Int, SOL_SOCKET, libc::SO_RCVBUF),
    o("send-buffer-size", Int, SOL_SOCKET, libc::SO_SNDBUF),
    o("tcp-defer-accept", Int, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT),
    o("tcp-fastopen", Int, IPPROTO_TCP, libc::TCP_FASTOPEN),
    o(
        "tcp-fastopen-connect",
        Int,
        IPPROTO_TCP,
        libc::TCP_FASTOPEN_CONNECT,
    ),
];

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
    /// SO_ERROR: 0 = no pending error
    Error(i32),
}

/// A value to write.
#[derive(Clone, Copy, Debug)]
pub enum SetValue {
    Bool(bool),
    Int(i32),
    Linger { on: u16, timeout: u16 },
}

/// getsockopt; `None` = `getsockopt failed`.
pub fn get(fd: Fd, opt: &Opt) -> Option<Value> {
    match opt.kind {
        Bool => sock::get_int(fd, opt.level, opt.opt).map(|v| Value::Bool(v != 0)),
        Int => sock::get_int(fd, opt.level, opt.opt).map(Value::Int),
        Error => sock::get_int(fd, opt.level, opt.opt).map(Value::Error),
        Linger => {
            let mut li = libc::linger {
                l_onoff: 0,
                l_linger: 0,
            };
            sock::get_raw(fd, opt.level, opt.opt, &mut li).then_some(Value::Linger {
                on: li.l_onoff != 0,
                timeout: li.l_linger,
            })
        }
    }
}

/// setsockopt; false = `setsockopt failed`.
pub fn set(fd: Fd, opt: &Opt, v: SetValue) -> bool {
    match v {
        SetValue::Bool(b) => sock::set_int(fd, opt.level, opt.opt, b as i32),
        SetValue::Int(i) => sock::set_int(fd, opt.level, opt.opt, i),
        SetValue::Linger { on, timeout } => {
            let li = libc::linger {
                l_onoff: on as i32,
                l_linger: timeout as i32,
            };
            sock::set_raw(fd, opt.level, opt.opt, &li)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup() {
        assert!(find(TCP_GET, b"bindtodevice").is_none());
        assert!(find(TCP_SET, b"bindtodevice").is_none());
        assert!(find(TCP_GET, b"ipv6-v6only").is_none());
        assert_eq!(find(TCP_SET, b"linger").unwrap().kind, Linger);
        assert_eq!(find(TCP_GET, b"error\0junk").unwrap().kind, Error);
        assert!(find(TCP_GET, b"").is_none());
    }

    #[test]
    fn roundtrip() {
        let mut fd = sock::create(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
        let nd = find(TCP_SET, b"tcp-nodelay").unwrap();
        assert!(set(fd, nd, SetValue::Bool(true)));
        assert_eq!(
            get(fd, find(TCP_GET, b"tcp-nodelay").unwrap()),
            Some(Value::Bool(true))
        );
        let li = find(TCP_SET, b"linger").unwrap();
        assert!(set(
            fd,
            li,
            SetValue::Linger {
                on: 1,
                timeout: 4464
            }
        ));
        assert_eq!(
            get(fd, li),
            Some(Value::Linger {
                on: true,
                timeout: 4464
            })
        );
        assert_eq!(
            get(fd, find(TCP_GET, b"error").unwrap()),
            Some(Value::Error(0))
        );
        assert!(!set(
            fd,
            find(TCP_SET, b"ipv6-v6only").unwrap(),
            SetValue::Bool(true)
        ));
        sock::destroy(&mut fd);
        assert_eq!(get(-1, nd), None);
    }
}
