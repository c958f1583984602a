//! The class system of the C core's `auxiliar.c` — one metatable per class in
//! the registry, methods in an `__index` table with a `class` field, groups as
//! `[group] = true` entries, the class/group checks with their exact
//! messages — and the class families: the methods every family shares,
//! written once.
use crate::lua::ffi::lua_CFunction;
use crate::lua::{One, State};
use crate::net::cast::c_int as c_int_cast;
use crate::net::sock::{self, Fd};
use crate::net::timeout::Timeout;
use std::ffi::CStr;
use std::os::raw::c_int;

/// A method table entry; names starting with `_` go into the metatable itself
/// (`__gc`, `__tostring`, `__close`), all others into `__index`.
pub type Method = (&'static CStr, lua_CFunction);

/// Creates the classes of a family (`auxiliar_newclass` for each, in
/// order, then `auxiliar_add2group` of each into each of `groups`), with the
/// same metatables, method tables and group entries as the C core.
///
/// The class checks run on every method call; the C core looks a class up
/// by name and a group by a string key, which costs a string intern per
/// call. Here every method is a closure whose upvalue is the family's table
/// `{[class metatable] = <address of the class name>}`, so a check is one
/// raw lookup by metatable and no string at all. (The name-keyed entries
/// stay as the C core has them, for Lua code that reads them.)
pub fn new_family(l: State<'_>, classes: &[&CStr], groups: &[&CStr], methods: &[Method]) {
    l.new_table(0, classes.len() as c_int);
    let family = l.top();
    // On 5.2+ a C function without upvalues is a light value: the C core's
    // methods compare equal wherever the same function is registered
    // (`mt.__gc == mt.__index.close`). Each function's closure is made once
    // and reused, so they still do; 5.1 makes a new closure per entry, and
    // so do we there.
    l.new_table(0, methods.len() as c_int);
    let made = l.top();
    for name in classes {
        l.new_metatable(name);
        l.push_str("__index");
        l.new_table(0, 0);
        l.push_str("class");
        l.push_bytes(name.to_bytes());
        l.raw_set(-3);
        for (mname, f) in methods {
            l.push_bytes(mname.to_bytes());
            push_method(l, *f, family, made);
            l.raw_set(if mname.to_bytes().first() == Some(&b'_') {
                -5
            } else {
                -3
            });
        }
        l.raw_set(-3);
        // family[metatable] = name
        l.push_light(name.as_ptr() as *const std::os::raw::c_void);
        l.raw_set(family);
    }
    for name in classes {
        for group in groups {
            add_to_group(l, name, group);
        }
    }
    l.pop(2);
}

/// Pushes method `f` as a closure over the family table (see new_family).
fn push_method(l: State<'_>, f: lua_CFunction, family: c_int, made: c_int) {
    let key = f as *const std::os::raw::c_void;
    if State::LIGHT_CFUNCTIONS {
        l.push_light(key);
        l.raw_get(made);
        if !l.is_nil(-1) {
            return;
        }
        l.pop(1);
    }
    l.push_value(family);
    l.push_cclosure(f, 1);
    if State::LIGHT_CFUNCTIONS {
        l.push_light(key);
        l.push_value(-2);
        l.raw_set(made);
    }
}

/// Marks class `class` as a member of `group` (`auxiliar_add2group`).
fn add_to_group(l: State, class: &CStr, group: &CStr) {
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

/// A class family of the C core: the classes sharing one userdata record
/// (`tcp{master}`, `tcp{client}`, `tcp{server}`), the group they all belong
/// to, and the fields every family's record has. Methods written once for
/// all families take the family as a type parameter (`close::<Tcp>`).
pub trait Family: Copy + 'static {
    /// The group of all the family's classes (`tcp{any}`).
    const ANY: &'static CStr;
    fn fd(&mut self) -> &mut Fd;
    fn tm(&mut self) -> &mut Timeout;
    /// Whether bytes are buffered (`dirty`): never, unless the family reads
    /// through a buffer.
    fn dirty(&mut self) -> bool {
        false
    }
}

/// Implements [`Family`] for a record with `fd` and `tm` fields (and,
/// with `buffered`, a `buf: StreamBuf` telling `dirty`).
macro_rules! family {
    ($t:ty, $any:expr) => {
        impl $crate::socket::class::Family for $t {
            const ANY: &'static ::std::ffi::CStr = $any;
            fn fd(&mut self) -> &mut $crate::net::sock::Fd {
                &mut self.fd
            }
            fn tm(&mut self) -> &mut $crate::net::timeout::Timeout {
                &mut self.tm
            }
        }
    };
    ($t:ty, $any:expr, buffered) => {
        impl $crate::socket::class::Family for $t {
            const ANY: &'static ::std::ffi::CStr = $any;
            fn fd(&mut self) -> &mut $crate::net::sock::Fd {
                &mut self.fd
            }
            fn tm(&mut self) -> &mut $crate::net::timeout::Timeout {
                &mut self.tm
            }
            fn dirty(&mut self) -> bool {
                !self.buf.is_empty()
            }
        }
    };
}
pub(crate) use family;

/// The class of the value at 1 within the running method's family (the
/// family table is the method's upvalue): its name, or NULL.
fn class_of(l: State<'_>) -> *const std::os::raw::c_char {
    if !l.get_metatable(1) {
        return std::ptr::null();
    }
    l.raw_get(State::upvalue(1));
    let name = l.to_userdata(-1) as *const std::os::raw::c_char;
    l.pop(1);
    name
}

/// The object at 1 if it is of class `class` of family `F`, else
/// `argerror(1, "<class> expected")` (auxiliar_checkclass).
pub fn check<'l, F: Family>(l: State<'l>, class: &CStr) -> &'l mut F {
    let name = class_of(l);
    // the same name at another address (a constant copied) still matches
    // SAFETY: a non-NULL name is one of the family's class names (static
    // C strings registered by new_family).
    let same =
        !name.is_null() && (name == class.as_ptr() || unsafe { CStr::from_ptr(name) } == class);
    if !same {
        expected_error(l, class, 1)
    }
    record(l, class)
}

/// The object at 1 if it is in family `F`'s group, else the group error
/// (auxiliar_checkgroup).
pub fn check_any<'l, F: Family>(l: State<'l>) -> &'l mut F {
    if class_of(l).is_null() {
        expected_error(l, F::ANY, 1)
    }
    record(l, F::ANY)
}

fn record<'l, F: Family>(l: State<'l>, name: &CStr) -> &'l mut F {
    // SAFETY: our class metatables are only given to records of their
    // family by this crate (a foreign userdata given one by hand has another
    // size and is refused); every method makes exactly one check, so no
    // other reference to the record is alive.
    match unsafe { l.userdata_mut::<F>(1) } {
        Some(r) => r,
        None => expected_error(l, name, 1),
    }
}

/// `"%.35s expected"` as an argument error, built in a stack array.
pub fn expected_error(l: State<'_>, name: &CStr, idx: c_int) -> ! {
    let mut buf = [0u8; 48];
    let n = name.to_bytes().len().min(35);
    buf[..n].copy_from_slice(&name.to_bytes()[..n]);
    buf[n..n + 9].copy_from_slice(b" expected");
    l.arg_error_bytes(idx, &buf[..n + 9])
}

crate::lua_fn! {
    pub fn close<F: Family>(l) -> One {
        let o = check_any::<F>(l);
        l.pure(|| sock::destroy(o.fd()));
        One
    }
}

crate::lua_fn! {
    pub fn getfd<F: Family>(l) -> f64 {
        *check_any::<F>(l).fd() as f64
    }
}

crate::lua_fn! {
    /// Replaces the descriptor without closing the old one (LuaSec takes it
    /// over with `setfd(-1)`).
    pub fn setfd<F: Family>(l) -> () {
        let o = check_any::<F>(l);
        *o.fd() = c_int_cast(l.check_number(2));
    }
}

crate::lua_fn! {
    pub fn settimeout<F: Family>(l) -> One {
        let o = check_any::<F>(l);
        set_timeout(l, o.tm())
    }
}

crate::lua_fn! {
    pub fn gettimeout<F: Family>(l) -> (f64, f64) {
        let tm = *check_any::<F>(l).tm();
        (tm.block, tm.total)
    }
}

crate::lua_fn! {
    /// `dirty` of the unbuffered (datagram) families.
    pub fn never_dirty<F: Family>(l) -> bool {
        check_any::<F>(l);
        false
    }
}

/// `timeout_meth_settimeout`: value (default -1) and a mode whose first
/// letter picks block (`b`) or total (`t`, `r`).
pub fn set_timeout(l: State<'_>, tm: &mut Timeout) -> One {
    let t = l.opt_number(2, -1.0);
    let mode = l
        .opt_cstr(3)
        .map_or(b'b', |m| m.to_bytes().first().copied().unwrap_or(0));
    match mode {
        b'b' => tm.block = t,
        b'r' | b't' => tm.total = t,
        _ => l.arg_error(3, c"invalid timeout mode"),
    }
    One
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
