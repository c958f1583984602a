//! Return shapes as types: a method body returns a value whose [`Push`]
//! pushes LuaSocket's shape for it and says how many results that is. The
//! impls hold only plain data (`ErrText` is an array), so nothing with a
//! destructor is alive across the pushes, which may raise.
use super::State;
use crate::net::errors::ErrText;
use std::os::raw::c_int;

/// A result that knows how to push itself.
pub trait Push {
    fn push(self, l: State<'_>) -> c_int;
}

/// LuaSocket's success value `1`, pushed with `lua_pushnumber` (a float on
/// 5.3+).
pub struct One;

/// `nil`.
pub struct Nil;

/// Values the body already pushed itself (`n` of them): the escape hatch
/// for the irregular shapes.
pub struct Pushed(pub c_int);

impl Push for One {
    fn push(self, l: State<'_>) -> c_int {
        l.push_number(1.0);
        1
    }
}

impl Push for Nil {
    fn push(self, l: State<'_>) -> c_int {
        l.push_nil();
        1
    }
}

impl Push for Pushed {
    fn push(self, _l: State<'_>) -> c_int {
        self.0
    }
}

/// A body without a return type returns the number of values it pushed.
impl Push for c_int {
    fn push(self, _l: State<'_>) -> c_int {
        self
    }
}

impl Push for () {
    fn push(self, _l: State<'_>) -> c_int {
        0
    }
}

/// Numbers go through `lua_pushnumber`, as the C core pushes almost all.
impl Push for f64 {
    fn push(self, l: State<'_>) -> c_int {
        l.push_number(self);
        1
    }
}

impl Push for bool {
    fn push(self, l: State<'_>) -> c_int {
        l.push_bool(self);
        1
    }
}

impl Push for &[u8] {
    fn push(self, l: State<'_>) -> c_int {
        l.push_bytes(self);
        1
    }
}

impl Push for &str {
    fn push(self, l: State<'_>) -> c_int {
        l.push_str(self);
        1
    }
}

impl Push for ErrText {
    fn push(self, l: State<'_>) -> c_int {
        l.push_bytes(&self);
        1
    }
}

/// The soft error of every method: `nil, message`.
impl<T: Push> Push for Result<T, ErrText> {
    fn push(self, l: State<'_>) -> c_int {
        match self {
            Ok(v) => v.push(l),
            Err(e) => {
                l.push_nil();
                l.push_bytes(&e);
                2
            }
        }
    }
}

impl<A: Push, B: Push> Push for (A, B) {
    fn push(self, l: State<'_>) -> c_int {
        self.0.push(l) + self.1.push(l)
    }
}

impl<A: Push, B: Push, C: Push> Push for (A, B, C) {
    fn push(self, l: State<'_>) -> c_int {
        self.0.push(l) + self.1.push(l) + self.2.push(l)
    }
}
