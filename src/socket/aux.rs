//! The class system of the C core's `auxiliar.c`: one metatable per class in
//! the registry, methods in an `__index` table with a `class` field, groups as
//! `[group] = true` entries, and the class/group checks with their exact
//! messages.
use crate::lua::ffi::lua_CFunction;
use crate::lua::State;
use std::ffi::CStr;
use std::os::raw::c_int;

/// A method table entry; names starting with `_` go into the metatable itself
/// (`__gc`, `__tostring`, `__close`), all others into `__index`.
pub type Method = (&'static CStr, lua_CFunction);

/// Creates class `name` (`auxiliar_newclass`).
pub fn new_class(l: State, name: &CStr, methods: &[Method]) {
    l.new_metatable(name);
    l.push_str("__index");
    l.new_table(0, 0);
    l.push_str("class");
    l.push_bytes(name.to_bytes());
    l.raw_set(-3);
    for (mname, f) in methods {
        l.push_bytes(mname.to_bytes());
        l.push_cfunction(*f);
        l.raw_set(if mname.to_bytes().first() == Some(&b'_') {
            -5
        } else {
            -3
        });
    }
    l.raw_set(-3);
    l.pop(1);
}

/// Marks class `class` as a member of `group` (`auxiliar_add2group`).
pub fn add_to_group(l: State, class: &CStr, group: &CStr) {
    l.registry_metatable(class);
    l.push_bytes(group.to_bytes());
    l.push_bool(true);
    l.raw_set(-3);
    l.pop(1);
}

/// Replaces the metatable of the object at `idx` with class `name`'s.
pub fn set_class(l: State, name: &CStr, idx: c_int) {
    l.registry_metatable(name);
    l.set_metatable(if idx < 0 { idx - 1 } else { idx });
}

/// `luaL_testudata`: the userdata at `idx` if its metatable is `name`'s.
pub fn test_class<T>(l: State, name: &CStr, idx: c_int) -> Option<*mut T> {
    let p = l.to_userdata(idx);
    if p.is_null() || !l.get_metatable(idx) {
        return None;
    }
    l.registry_metatable(name);
    let same = l.raw_equal(-1, -2);
    l.pop(2);
    same.then_some(p as *mut T)
}

/// The userdata at `idx` if its metatable has a non-nil raw `[group]` entry.
pub fn test_group<T>(l: State, group: &CStr, idx: c_int) -> Option<*mut T> {
    if !l.get_metatable(idx) {
        return None;
    }
    l.push_bytes(group.to_bytes());
    l.raw_get(-2);
    let member = !l.is_nil(-1);
    l.pop(2);
    member.then(|| l.to_userdata(idx) as *mut T)
}

/// The object at `idx` of class `name`, or `argerror(idx, "<name> expected")`.
pub fn check_class<T>(l: State, name: &CStr, idx: c_int) -> *mut T {
    match test_class(l, name, idx) {
        Some(p) => p,
        None => expected_error(l, name, idx),
    }
}

/// The object at `idx` in group `group`, or `argerror(idx, "<group> expected")`.
pub fn check_group<T>(l: State, group: &CStr, idx: c_int) -> *mut T {
    match test_group::<T>(l, group, idx) {
        Some(p) if !p.is_null() => p,
        _ => expected_error(l, group, idx),
    }
}

fn expected_error(l: State, name: &CStr, idx: c_int) -> ! {
    // "%.35s expected", built in a stack array.
    let mut buf = [0u8; 48];
    let n = name.to_bytes().len().min(35);
    buf[..n].copy_from_slice(&name.to_bytes()[..n]);
    buf[n..n + 9].copy_from_slice(b" expected");
    l.arg_error_bytes(idx, &buf[..n + 9])
}

/// `getfd`, `setfd`, `settimeout` (and, with `gettimeout`, `gettimeout`):
/// the same in every class whose record has `fd` and `tm` fields; `$check`
/// is the class file's group check.
macro_rules! fd_timeout_methods {
    ($check:ident) => {
        crate::lua_fn! {
            fn getfd(l) {
                let o = $check(l);
                l.push_number(o.fd as f64);
                1
            }
        }
        crate::lua_fn! {
            /// Replaces the descriptor without closing the old one (LuaSec
            /// steals it with `setfd(-1)`).
            fn setfd(l) {
                let o = $check(l);
                o.fd = crate::net::cast::c_int(l.check_number(2));
                0
            }
        }
        crate::lua_fn! {
            fn settimeout(l) {
                let o = $check(l);
                crate::socket::inet::settimeout(l, &mut o.tm)
            }
        }
    };
    ($check:ident, gettimeout) => {
        crate::socket::aux::fd_timeout_methods!($check);
        crate::lua_fn! {
            fn gettimeout(l) {
                let o = $check(l);
                l.push_number(o.tm.block);
                l.push_number(o.tm.total);
                2
            }
        }
    };
}
pub(crate) use fd_timeout_methods;

/// Pushes `nil, text`: the soft-error return of every LuaSocket method
/// (2 results).
pub fn fail(l: State, text: impl AsRef<[u8]>) -> c_int {
    l.push_nil();
    l.push_bytes(text.as_ref());
    2
}

/// `auxiliar_checkboolean`: a real boolean, else
/// `boolean expected, got <type>`.
pub fn check_boolean(l: State, idx: c_int) -> bool {
    if l.type_of(idx) != crate::lua::LuaType::Boolean {
        l.type_error(idx, "boolean");
    }
    l.to_boolean(idx)
}

crate::lua_fn! {
    /// `__tostring` of every class: `"<class>: <%p of the userdata>"`.
    pub fn tostring(l) {
        if l.get_metatable(1) {
            l.push_str("__index");
            l.get_table(-2);
            if l.type_of(-1) == crate::lua::LuaType::Table {
                l.push_str("class");
                l.get_table(-2);
                if l.is_string(-1) {
                    // auxiliar.c formats the name with "%s": it is the C
                    // string, whatever its length, up to its first NUL.
                    let class = l.to_bytes(-1).unwrap_or_default();
                    let class = match class.iter().position(|&b| b == 0) {
                        Some(nul) => &class[..nul],
                        None => class,
                    };
                    let mut addr = [0u8; 32];
                    let n = format_addr(&mut addr, l.to_userdata(1) as usize);
                    // Scratch memory from Lua (the name's length is the
                    // caller's): a refusal is Lua's own memory error and
                    // leaves nothing behind. The name stays on the stack.
                    let out = l.new_userdata_slice(class.len().saturating_add(n), 0u8);
                    out[..class.len()].copy_from_slice(class);
                    out[class.len()..].copy_from_slice(&addr[..n]);
                    l.push_bytes(out);
                    return 1;
                }
            }
        }
        l.push_str("invalid object passed to 'auxiliar.c:__tostring'");
        l.error_top()
    }
}

/// `": %p"` into `buf` (glibc `%p`: `0x` + lowercase hex, `(nil)` for 0).
fn format_addr(buf: &mut [u8; 32], addr: usize) -> usize {
    use std::io::Write;
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    let _ = if addr == 0 {
        write!(cur, ": (nil)")
    } else {
        write!(cur, ": {addr:#x}")
    };
    cur.position() as usize
}

#[cfg(test)]
mod tests {
    #[test]
    fn tostring_format() {
        let mut b = [0u8; 32];
        let n = super::format_addr(&mut b, 0x55f53f086078);
        assert_eq!(&b[..n], b": 0x55f53f086078");
        let n = super::format_addr(&mut b, usize::MAX);
        assert_eq!(&b[..n], b": 0xffffffffffffffff");
        let n = super::format_addr(&mut b, 0);
        assert_eq!(&b[..n], b": (nil)");
    }
}
