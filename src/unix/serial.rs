//! `socket.serial` (serial.c): the module is a function that opens a device
//! as a `serial{client}` (group `serial{any}`), a buffered stream over
//! read(2)/write(2) with the tcp client's I/O methods.
use super::{err_text, object, push_one, Stream};
use crate::lua::State;
use crate::net::sock;
use crate::net::unix::{self as nunix, DevIo};
use crate::socket::aux::{self, Method};
use crate::socket::buffer;
use std::ffi::CStr;
use std::os::raw::c_int;

const CLIENT: &CStr = c"serial{client}";
const ANY: &CStr = c"serial{any}";

fn check<'a>(l: State) -> &'a mut Stream {
    object(l, CLIENT, false)
}

fn check_any<'a>(l: State) -> &'a mut Stream {
    object(l, ANY, true)
}

const METHODS: &[Method] = &[
    (c"__gc", close),
    (c"__tostring", aux::tostring),
    (c"close", close),
    (c"dirty", dirty),
    (c"getfd", getfd),
    (c"getstats", getstats),
    (c"setstats", setstats),
    (c"receive", receive),
    (c"send", send),
    (c"setfd", setfd),
    (c"settimeout", settimeout),
];

/// `luaopen_socket_serial`: registers the class and returns the
/// constructor.
pub fn open_serial(l: State) -> c_int {
    aux::new_class(l, CLIENT, METHODS);
    aux::add_to_group(l, CLIENT, ANY);
    l.push_cfunction(create);
    1
}

crate::lua_fn! {
    /// `serial(path)`: the object, or `nil, err, errno` (errno a num).
    fn create(l) {
        let path = l.check_cstr(1);
        match l.pure(|| nunix::open_device(path)) {
            Ok(fd) => {
                l.new_userdata(l.pure(|| Stream::new(fd)));
                aux::set_class(l, CLIENT, -1);
                1
            }
            Err(e) => {
                l.push_nil();
                l.push_bytes(&err_text(e));
                l.push_number(e as f64);
                3
            }
        }
    }
}

crate::lua_fn! {
    fn close(l) {
        let s = check_any(l);
        l.pure(|| sock::destroy(&mut s.fd));
        push_one(l)
    }
}

crate::lua_fn! {
    fn dirty(l) {
        let s = check_any(l);
        l.push_bool(!s.buf.is_empty());
        1
    }
}

crate::lua_fn! {
    fn getstats(l) {
        let s = check(l);
        buffer::getstats(l, &s.buf.stats)
    }
}

crate::lua_fn! {
    fn setstats(l) {
        let s = check(l);
        buffer::setstats(l, &mut s.buf.stats)
    }
}

crate::lua_fn! {
    fn receive(l) {
        let s = check(l);
        let mut io = DevIo(s.fd);
        buffer::receive(l, &mut s.buf, &mut s.tm, &mut io)
    }
}

crate::lua_fn! {
    fn send(l) {
        let s = check(l);
        let mut io = DevIo(s.fd);
        buffer::send(l, &mut s.buf.stats, &mut s.tm, &mut io)
    }
}

crate::socket::aux::fd_timeout_methods!(check_any);
