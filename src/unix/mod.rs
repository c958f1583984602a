//! `socket.unix` and `socket.serial`: the separately loaded modules of
//! unix.c (with unixstream.c and unixdgram.c) and serial.c. They share the
//! class system, buffered I/O and timeouts of `socket.core`, but register
//! their own classes and never touch the `socket` table.
use crate::lua::State;
use crate::net::buffer::StreamBuf;
use crate::net::errors::{socket_strerror, ErrText, DONE};
use crate::net::sock;
use crate::net::sock::Fd;
use crate::net::timeout::Timeout;
use crate::net::unix as nunix;
use crate::socket::aux;
use std::ffi::CStr;
use std::os::raw::c_int;

mod dgram;
mod serial;
mod stream;

pub use serial::open_serial;

/// The userdata of unix stream and serial objects (unix.h's `t_unix` minus
/// the io vtable, which each method picks; plain data: `__gc` closes the fd
/// and frees the lazily allocated read buffer).
#[derive(Clone, Copy)]
pub struct Stream {
    pub fd: Fd,
    pub tm: Timeout,
    pub buf: StreamBuf,
}

impl Stream {
    fn new(fd: Fd) -> Stream {
        Stream {
            fd,
            tm: Timeout::default(),
            buf: StreamBuf::new(),
        }
    }
}

/// The object at 1 if it is of class `name` (or in group `name` when
/// `group`), else the reference's `"<name> expected"` argument error.
fn object<'a, T: Copy>(l: State, name: &CStr, group: bool) -> &'a mut T {
    if group {
        aux::check_group::<T>(l, name, 1);
    } else {
        aux::check_class::<T>(l, name, 1);
    }
    match l.userdata_mut::<T>(1) {
        Some(t) => t,
        // a foreign userdata given our metatable by hand
        None => {
            let mut b = [0u8; 48];
            let n = name.to_bytes().len().min(35);
            b[..n].copy_from_slice(&name.to_bytes()[..n]);
            b[n..n + 9].copy_from_slice(b" expected");
            l.arg_error_bytes(1, &b[..n + 9])
        }
    }
}

pub(crate) use crate::socket::aux::fail;

/// `getsockname` of both unix classes: the bound path (`""` when unnamed),
/// or `nil, err`.
fn getsockname(l: State, fd: i32) -> c_int {
    match l.pure(|| nunix::sockname(fd)) {
        Ok(a) => {
            l.push_bytes(nunix::path_of(&a));
            1
        }
        Err(e) => fail(l, err_text(e)),
    }
}

/// `socket_strerror` of a failure code.
fn err_text(code: i32) -> ErrText {
    socket_strerror(code).unwrap_or(ErrText::new(b"unknown error"))
}

/// bind or connect `fd` to `path` (unix{stream,dgram}_try{bind,connect});
/// the reference closes the descriptor on any failure of the call itself,
/// but not when the path is too long. `Err` is the text to return.
fn attach(fd: &mut Fd, tm: &mut Timeout, path: &CStr, connect: bool) -> Result<(), ErrText> {
    let Some(addr) = nunix::address(path) else {
        return Err(ErrText::new(b"path too long"));
    };
    let err = if connect {
        tm.mark_start();
        sock::connect(*fd, &addr, tm)
    } else {
        sock::bind(*fd, &addr)
    };
    if err != DONE {
        sock::destroy(fd);
    }
    socket_strerror(err).map_or(Ok(()), Err)
}

fn push_one(l: State) -> c_int {
    l.push_number(1.0);
    1
}

/// `luaopen_socket_unix`: a table with `stream`, `dgram`, their aliases
/// `tcp` and `udp`, and `__call`; it is its own metatable, so calling the
/// table calls `stream`.
pub fn open_unix(l: State) -> c_int {
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
