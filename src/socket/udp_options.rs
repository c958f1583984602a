//! `getoption`/`setoption` of the udp classes: the plain options go through
//! [`super::options`] with udp.c's tables; the address-valued ones
//! (multicast interface, memberships) are read and checked here with
//! options.c's exact argument errors.
use super::options;
use crate::lua::{LuaType, State};
use crate::net::cast::c_long;
use crate::net::resolve::{ntoa, parse_ipv4};
use crate::net::sock::Fd;
use crate::net::udp_options::{self as uo, Special, UDP_GET, UDP_SET};
use std::os::raw::c_int;

fn set_result(l: State, ok: bool) -> c_int {
    if ok {
        l.push_number(1.0);
        1
    } else {
        l.push_nil();
        l.push_str("setsockopt failed");
        2
    }
}

pub fn getoption(l: State, fd: Fd) -> c_int {
    let name = l.check_cstr(2).to_bytes();
    match uo::special_get(name) {
        Some(Special::MulticastIf) => match l.pure(|| uo::get_multicast_if(fd)) {
            Some(a) => {
                l.push_bytes(ntoa(a).as_bytes());
                1
            }
            None => {
                l.push_nil();
                l.push_str("getsockopt failed");
                2
            }
        },
        _ => options::getoption(l, UDP_GET, fd),
    }
}

pub fn setoption(l: State, fd: Fd) -> c_int {
    let name = l.check_cstr(2).to_bytes();
    match uo::special_set(name) {
        Some(Special::MulticastIf) => {
            let address = l.check_cstr(3);
            let a = if address.to_bytes() == b"*" {
                libc::in_addr {
                    s_addr: libc::INADDR_ANY.to_be(),
                }
            } else {
                match parse_ipv4(address) {
                    Some(a) => a,
                    None => l.arg_error(3, c"ip expected"),
                }
            };
            set_result(l, l.pure(|| uo::set_multicast_if(fd, a)))
        }
        Some(Special::Membership(opt)) => {
            table_arg(l);
            let t = field_cstr(l, c"multiaddr", c"string 'multiaddr' field expected");
            let group =
                parse_ipv4(t).unwrap_or_else(|| l.arg_error(3, c"invalid 'multiaddr' ip address"));
            let t = field_cstr(l, c"interface", c"string 'interface' field expected");
            let iface = if t.to_bytes() == b"*" {
                libc::in_addr {
                    s_addr: libc::INADDR_ANY.to_be(),
                }
            } else {
                parse_ipv4(t).unwrap_or_else(|| l.arg_error(3, c"invalid 'interface' ip address"))
            };
            set_result(l, l.pure(|| uo::set_membership(fd, opt, group, iface)))
        }
        Some(Special::Membership6(opt)) => {
            table_arg(l);
            let t = field_cstr(l, c"multiaddr", c"string 'multiaddr' field expected");
            let group = uo::parse_ipv6(t)
                .unwrap_or_else(|| l.arg_error(3, c"invalid 'multiaddr' ip address"));
            l.push_str("interface");
            l.get_table(3);
            let mut ifindex = 0u32;
            if !l.is_nil(-1) {
                if l.is_number(-1) {
                    // (unsigned int) of a double, as x86-64 compilers do it
                    ifindex = c_long(l.to_number_or_zero(-1)) as u32;
                } else {
                    // sic: the C core names argument -1
                    l.arg_error(-1, c"number 'interface' field expected");
                }
            }
            set_result(l, l.pure(|| uo::set_membership6(fd, opt, group, ifindex)))
        }
        None => options::setoption(l, UDP_SET, fd),
    }
}

/// `auxiliar_typeerror(3, "table")` unless argument 3 is a table.
fn table_arg(l: State) {
    if l.type_of(3) != LuaType::Table {
        l.type_error(3, "table");
    }
}

/// Pushes `t[key]` of the table at 3 (metamethods included) and returns it
/// as a C string, else `argerror(3, msg)`. The value stays on the stack.
fn field_cstr<'l>(l: State<'l>, key: &std::ffi::CStr, msg: &std::ffi::CStr) -> &'l std::ffi::CStr {
    l.push_bytes(key.to_bytes());
    l.get_table(3);
    if !l.is_string(-1) {
        l.arg_error(3, msg);
    }
    match l.to_cstr(-1) {
        Some(s) => s,
        None => l.arg_error(3, msg),
    }
}
