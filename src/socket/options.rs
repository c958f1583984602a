//! `getoption` / `setoption` (options.c's `opt_meth_*` and handlers): name
//! lookup, value shapes, argument errors and the fixed failure strings,
//! written once for every family that has options (its [`Options`] table,
//! in `net::options`).
use super::class::{self, check_any, Family};
use crate::lua::{LuaType, State};
use crate::net::cast::{c_int, c_long, c_ushort};
use crate::net::options::{self, Get, Opt, Set, SetValue, Value};
use crate::net::resolve::{ntoa, parse_ipv4, parse_ipv6};
use crate::net::sock::Fd;
use std::ffi::CStr;
use std::net::Ipv4Addr;
use std::os::raw::c_int;

/// A family's socket options: options.c over its table.
pub trait Options: Family {
    const OPTIONS: &'static [Opt];
}

crate::lua_fn! {
    pub fn get<F: Options>(l) {
        let fd = *check_any::<F>(l).fd();
        getoption(l, F::OPTIONS, fd)
    }
}

crate::lua_fn! {
    pub fn set<F: Options>(l) {
        let fd = *check_any::<F>(l).fd();
        setoption(l, F::OPTIONS, fd)
    }
}

/// The option named by arg 2 that the table has for `getoption` or
/// `setoption` (`pick`), else argerror(2, "unsupported option `NAME'").
fn lookup<T>(l: State, table: &'static [Opt], pick: fn(&Opt) -> Option<T>) -> T {
    let name = l.check_cstr(2).to_bytes();
    match options::find(table, name).and_then(pick) {
        Some(o) => o,
        None => {
            let mut msg = [0u8; 64];
            let n = name.len().min(35);
            msg[..20].copy_from_slice(b"unsupported option `");
            msg[20..20 + n].copy_from_slice(&name[..n]);
            msg[20 + n] = b'\'';
            l.arg_error_bytes(2, &msg[..21 + n])
        }
    }
}

/// `getoption(name)`: the value, or `nil, "getsockopt failed"`.
fn getoption(l: State, table: &'static [Opt], fd: Fd) -> c_int {
    let how: Get = lookup(l, table, |o| o.get);
    match l.pure(|| options::get(fd, how)) {
        Err(_) => {
            l.push_nil();
            l.push_str("getsockopt failed");
            2
        }
        Ok(Value::Bool(b)) => {
            l.push_bool(b);
            1
        }
        Ok(Value::Int(i)) => {
            l.push_number(i as f64);
            1
        }
        Ok(Value::Linger { on, timeout }) => {
            l.new_table(0, 0);
            l.push_bool(on);
            l.set_field(-2, c"on");
            l.push_integer(timeout as i64);
            l.set_field(-2, c"timeout");
            1
        }
        Ok(Value::Error(e)) => {
            // no pending error pushes a lone nil (pushstring of NULL)
            match e {
                None => l.push_nil(),
                Some(c) => l.push_bytes(&c.text()),
            }
            1
        }
        Ok(Value::Addr(a)) => {
            l.push_bytes(ntoa(a).as_bytes());
            1
        }
    }
}

/// `setoption(name, value)`: 1, or `nil, "setsockopt failed"`.
fn setoption(l: State, table: &'static [Opt], fd: Fd) -> c_int {
    let v = match lookup(l, table, |o| o.set) {
        Set::Bool(f) => SetValue::Bool(f, class::check_boolean(l, 3)),
        Set::Int(f) => SetValue::Int(f, c_int(l.to_number_or_zero(3))),
        Set::Linger => linger_arg(l),
        Set::MulticastIf => SetValue::MulticastIf(ip_or_any(l, l.check_cstr(3), c"ip expected")),
        Set::Membership(join) => {
            table_arg(l);
            let t = field_cstr(l, c"multiaddr", c"string 'multiaddr' field expected");
            let group =
                parse_ipv4(t).unwrap_or_else(|| l.arg_error(3, c"invalid 'multiaddr' ip address"));
            let t = field_cstr(l, c"interface", c"string 'interface' field expected");
            let iface = ip_or_any(l, t, c"invalid 'interface' ip address");
            SetValue::Membership { join, group, iface }
        }
        Set::Membership6(join) => {
            table_arg(l);
            let t = field_cstr(l, c"multiaddr", c"string 'multiaddr' field expected");
            let group =
                parse_ipv6(t).unwrap_or_else(|| l.arg_error(3, c"invalid 'multiaddr' ip address"));
            l.push_str("interface");
            l.get_table(3);
            let mut index = 0u32;
            if !l.is_nil(-1) {
                if l.is_number(-1) {
                    // (unsigned int) of a double, as x86-64 compilers do it
                    index = c_long(l.to_number_or_zero(-1)) as u32;
                } else {
                    // sic: the C core names argument -1
                    l.arg_error(-1, c"number 'interface' field expected");
                }
            }
            SetValue::Membership6 { join, group, index }
        }
    };
    if l.pure(|| options::set_value(fd, v)).is_ok() {
        l.push_number(1.0);
        1
    } else {
        l.push_nil();
        l.push_str("setsockopt failed");
        2
    }
}

fn linger_arg(l: State) -> SetValue {
    table_arg(l);
    l.push_str("on");
    l.get_table(3);
    if l.type_of(-1) != LuaType::Boolean {
        l.arg_error(3, c"boolean 'on' field expected");
    }
    let on = l.to_boolean(-1) as u16;
    l.push_str("timeout");
    l.get_table(3);
    if !l.is_number(-1) {
        l.arg_error(3, c"number 'timeout' field expected");
    }
    SetValue::Linger(on, c_ushort(l.to_number_or_zero(-1)))
}

/// An IPv4 address (`inet_aton`) or `"*"` for INADDR_ANY, else
/// argerror(3, msg).
fn ip_or_any(l: State, text: &CStr, msg: &CStr) -> Ipv4Addr {
    if text.to_bytes() == b"*" {
        return Ipv4Addr::UNSPECIFIED;
    }
    parse_ipv4(text).unwrap_or_else(|| l.arg_error(3, msg))
}

/// `auxiliar_typeerror(3, "table")` unless argument 3 is a table.
fn table_arg(l: State) {
    if l.type_of(3) != LuaType::Table {
        l.type_error(3, "table");
    }
}

/// Pushes `t[key]` of the table at 3 (metamethods included) and returns it
/// as a C string, else `argerror(3, msg)`. The value stays on the stack.
fn field_cstr<'l>(l: State<'l>, key: &CStr, msg: &CStr) -> &'l CStr {
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
