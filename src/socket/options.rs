//! `getoption` / `setoption` (options.c's `opt_meth_*`): name lookup, value
//! shapes and the fixed failure strings, written once for every family that
//! has options (its [`Options`] tables).
use super::class::{self, check_any, Family};
use crate::lua::{LuaType, State};
use crate::net::cast::{c_int, c_ushort};
use crate::net::errors::socket_strerror;
use crate::net::options::{self, Kind, Opt, SetValue, Value};
use crate::net::sock::Fd;
use std::os::raw::c_int;

/// A family's socket options: options.c over its `getoption`/`setoption`
/// tables (udp adds its address-valued options).
pub trait Options: Family {
    const GET: &'static [Opt];
    const SET: &'static [Opt];
    fn get(l: State<'_>, fd: Fd) -> c_int {
        getoption(l, Self::GET, fd)
    }
    fn set(l: State<'_>, fd: Fd) -> c_int {
        setoption(l, Self::SET, fd)
    }
}

crate::lua_fn! {
    pub fn get<F: Options>(l) {
        let fd = *check_any::<F>(l).fd();
        F::get(l, fd)
    }
}

crate::lua_fn! {
    pub fn set<F: Options>(l) {
        let fd = *check_any::<F>(l).fd();
        F::set(l, fd)
    }
}

/// Finds option arg 2 in `table`, else argerror(2, "unsupported option `NAME'").
fn lookup(l: State, table: &'static [Opt]) -> &'static Opt {
    let name = l.check_cstr(2).to_bytes();
    match options::find(table, name) {
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
pub fn getoption(l: State, table: &'static [Opt], fd: Fd) -> c_int {
    let opt = lookup(l, table);
    match l.pure(|| options::get(fd, opt)) {
        None => {
            l.push_nil();
            l.push_str("getsockopt failed");
            2
        }
        Some(Value::Bool(b)) => {
            l.push_bool(b);
            1
        }
        Some(Value::Int(i)) => {
            l.push_number(i as f64);
            1
        }
        Some(Value::Linger { on, timeout }) => {
            l.new_table(0, 0);
            l.push_bool(on);
            l.set_field(-2, c"on");
            l.push_integer(timeout as i64);
            l.set_field(-2, c"timeout");
            1
        }
        Some(Value::Error(e)) => {
            // no pending error pushes a lone nil (pushstring of NULL)
            match socket_strerror(e) {
                Some(t) => l.push_bytes(&t),
                None => l.push_nil(),
            }
            1
        }
    }
}

/// `setoption(name, value)`: 1, or `nil, "setsockopt failed"`.
pub fn setoption(l: State, table: &'static [Opt], fd: Fd) -> c_int {
    let opt = lookup(l, table);
    let v = match opt.kind {
        Kind::Bool => SetValue::Bool(class::check_boolean(l, 3)),
        Kind::Int => SetValue::Int(c_int(l.to_number_or_zero(3))),
        Kind::Linger => linger_arg(l),
        Kind::Error => return 0,
    };
    if l.pure(|| options::set(fd, opt, v)) {
        l.push_number(1.0);
        1
    } else {
        l.push_nil();
        l.push_str("setsockopt failed");
        2
    }
}

fn linger_arg(l: State) -> SetValue {
    if l.type_of(3) != LuaType::Table {
        l.type_error(3, "table");
    }
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
    let timeout = c_ushort(l.to_number_or_zero(-1));
    SetValue::Linger { on, timeout }
}
