//! Lua glue shared by the inet socket classes (tcp now, udp later):
//! getsockname/getpeername results and the timeout methods.
use crate::lua::State;
use crate::net::inet::{family_name, get_name, NameResult};
use crate::net::sock::Fd;
use crate::net::timeout::Timeout;
use std::os::raw::c_int;

/// `inet_meth_getsockname` / `inet_meth_getpeername`: `addr, port, family`
/// with a string port for the local name and an int port for the peer; the
/// family string is the object's stored family.
pub fn getname(l: State, fd: Fd, family: i32, peer: bool) -> c_int {
    match l.pure(|| get_name(fd, peer)) {
        NameResult::Err(t) => {
            l.push_nil();
            l.push_bytes(&t);
            2
        }
        NameResult::Ok(host, port) => {
            l.push_bytes(host.as_bytes());
            if peer {
                l.push_integer(strtol(port.as_bytes()));
            } else {
                l.push_bytes(port.as_bytes());
            }
            l.push_str(family_name(family));
            3
        }
    }
}

/// `(int) strtol(port, NULL, 10)` of a numeric service text.
fn strtol(s: &[u8]) -> i64 {
    s.iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0i64, |a, &b| a * 10 + (b - b'0') as i64) as i32 as i64
}

/// `timeout_meth_settimeout`: value (default -1) and a mode whose first
/// letter picks block (`b`) or total (`t`, `r`); returns 1.
pub fn settimeout(l: State, tm: &mut Timeout) -> c_int {
    let t = l.opt_number(2, -1.0);
    let mode = l
        .opt_cstr(3)
        .map_or(b'b', |m| m.to_bytes().first().copied().unwrap_or(0));
    match mode {
        b'b' => tm.block = t,
        b'r' | b't' => tm.total = t,
        _ => l.arg_error(3, c"invalid timeout mode"),
    }
    l.push_number(1.0);
    1
}
