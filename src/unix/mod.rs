//! `socket.unix`: the separately loaded module of unix.c (with unixstream.c
//! and unixdgram.c). Its classes share the class system, buffered I/O,
//! timeouts and the family methods of `socket.core`, but it registers its
//! own classes and never touches the `socket` table.
use crate::lua::{Pushed, State};
use crate::net::errors::ErrText;
use crate::net::sock::{self, Fd};
use crate::net::timeout::Timeout;
use crate::net::unix as nunix;
use crate::socket::class::{check_any, Family};
use std::ffi::CStr;
use std::os::raw::c_int;

mod dgram;
mod stream;

pub use dgram::UnixDgram;
pub use stream::UnixStream;

/// bind or connect `fd` to `path` (unix{stream,dgram}_try{bind,connect});
/// the reference closes the descriptor on any failure of the call itself,
/// but not when the path is too long.
fn attach(fd: &mut Fd, tm: &mut Timeout, path: &CStr, connect: bool) -> Result<(), ErrText> {
    let Some(addr) = nunix::address(path) else {
        return Err(ErrText::new(b"path too long"));
    };
    let r = if connect {
        tm.mark_start();
        sock::connect(*fd, &addr, tm)
    } else {
        sock::bind(*fd, &addr)
    };
    r.map_err(|e| {
        sock::destroy(fd);
        e.into()
    })
}

crate::lua_fn! {
    /// `getsockname` of both unix families: the bound path (`""` when
    /// unnamed), or `nil, err`.
    fn getsockname<F: Family>(l) -> Result<Pushed, ErrText> {
        let fd = *check_any::<F>(l).fd();
        let a = l.pure(|| nunix::sockname(fd))?;
        l.push_bytes(nunix::path_of(&a));
        Ok(Pushed(1))
    }
}

/// `luaopen_socket_unix`: a table with `stream`, `dgram`, their aliases
/// `tcp` and `udp`, and `__call`; it is its own metatable, so calling the
/// table calls `stream`.
pub fn open_unix(l: State<'_>) -> c_int {
    l.new_table(0, 0);
    stream::open(l);
    dgram::open(l);
    l.get_field(-1, c"stream");
    l.set_field(-2, c"tcp");
    l.get_field(-1, c"dgram");
    l.set_field(-2, c"udp");
    l.push_cfunction(compat_call);
    l.set_field(-2, c"__call");
    l.push_value(-1);
    l.set_metatable(-2);
    1
}

crate::lua_fn! {
    /// `unix(...)`: replaces the table (argument 1) by its `stream` field and
    /// calls it with the rest, returning everything it returns.
    fn compat_call(l) {
        l.get_field(1, c"stream");
        l.insert(1);
        l.remove(2);
        let n = l.top();
        l.call(n - 1, -1);
        l.top()
    }
}
