//! `socket.core`: the Lua-visible module table and its objects. Each file is
//! one area of the C core; this one assembles the namespace in the order the
//! C core does (which also fixes the table's iteration order).

use crate::lua::State;
use std::os::raw::c_int;

mod base;
pub mod class;
pub mod dgram;
mod dns;
mod except;
pub mod inet;
pub mod options;
mod select;
pub mod stream;
pub mod tcp;
pub mod udp;

/// `_VERSION` exactly as the 3.1.0 release reports it (sic).
pub const VERSION: &str = "LuaSocket 3.0.0";
/// `_SETSIZE`: how many distinct descriptors one `select` table may name.
/// The C core's is `FD_SETSIZE` (1024, with descriptor values below it);
/// ours waits with poll(2), where neither matters, so a select loop can
/// serve tens of thousands of sockets. A table over the limit still raises
/// `too many sockets`, as upstream's testclnt.lua checks at `_SETSIZE + 1`.
pub const SETSIZE: i64 = 65536;

/// Builds the `socket.core` table (see `entry::luaopen_socket_core`).
pub fn open(l: State) -> c_int {
    l.pure(crate::net::ignore_sigpipe);
    // luasocket.c: base
    l.new_table(0, 32);
    l.set_funcs(&[(c"skip", base::skip), (c"__unload", base::unload)], 0);
    if cfg!(feature = "debug") {
        l.push_str("_DEBUG");
        l.push_bool(true);
        l.raw_set(-3);
    }
    l.push_str("_VERSION");
    l.push_str(VERSION);
    l.raw_set(-3);
    // except.c
    except::open(l);
    // timeout.c
    l.set_funcs(&[(c"gettime", base::gettime), (c"sleep", base::sleep)], 0);
    // inet.c: the dns table
    l.push_str("dns");
    l.new_table(0, 0);
    dns::open(l);
    l.set_table(-3);
    // tcp.c
    tcp::open(l);
    // udp.c
    udp::open(l);
    l.push_str("_DATAGRAMSIZE");
    l.push_integer(crate::net::udp::DATAGRAMSIZE as i64);
    l.raw_set(-3);
    // select.c
    l.push_str("_SETSIZE");
    l.push_integer(SETSIZE);
    l.raw_set(-3);
    l.push_str("_SOCKETINVALID");
    l.push_integer(-1);
    l.raw_set(-3);
    l.set_funcs(&[(c"select", select::select)], 0);
    1
}
