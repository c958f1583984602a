//! Namespace functions that need no socket: `skip`, `__unload`, `gettime`,
//! `sleep` (the C core's luasocket.c and timeout.c).
use crate::net::time;

crate::lua_fn! {
    /// `skip(d, ...)`: returns the last `max(n - d - 1, 0)` arguments.
    pub fn skip(l) {
        // The C core casts the lua_Integer to int; keep its wrap-around.
        let amount = l.check_integer(1) as i32;
        let top = l.top();
        let ret = top.wrapping_sub(amount).wrapping_sub(1);
        // Clamped to the frame: for d < -1 the C core returns values from
        // below its frame (garbage, or a crash when far enough).
        ret.clamp(0, top)
    }
}

crate::lua_fn! {
    /// `__unload()`: nothing to release on Unix.
    pub fn unload(_l) {
        0
    }
}

crate::lua_fn! {
    pub fn gettime(l) {
        let t = l.pure(time::gettime);
        l.push_number(t);
        1
    }
}

crate::lua_fn! {
    pub fn sleep(l) {
        let n = l.check_number(1);
        l.pure(|| time::sleep(n));
        0
    }
}
