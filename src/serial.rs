//! `socket.serial` (serial.c): the module is a function that opens a device
//! as a `serial{client}` (group `serial{any}`), a buffered stream over
//! read(2)/write(2) with the tcp client's I/O methods. A separate module of
//! its own, as serial.c is in the C core (it is no socket).
use crate::lua::{Pushed, State};
use crate::net::buffer::StreamBuf;
use crate::net::sock::{Fd, INVALID};
use crate::net::timeout::Timeout;
use crate::net::unix::{self as nunix, DevIo};
use crate::socket::class::{self, Method};
use crate::socket::stream;
use std::ffi::CStr;
use std::os::raw::c_int;

const CLIENT: &CStr = c"serial{client}";
const ANY: &CStr = c"serial{any}";

/// The userdata of serial objects (plain data, the read area is a Lua
/// object attached to it).
#[derive(Clone, Copy)]
pub struct Serial {
    fd: Fd,
    tm: Timeout,
    buf: StreamBuf,
}

crate::socket::stream::stream_family!(Serial, ANY, CLIENT, DevIo);

/// serial.c's method list, in its order.
const METHODS: &[Method] = &[
    (c"__gc", class::close::<Serial>),
    (c"__tostring", class::tostring),
    (c"close", class::close::<Serial>),
    (c"dirty", stream::dirty::<Serial>),
    (c"getfd", class::getfd::<Serial>),
    (c"getstats", stream::getstats::<Serial>),
    (c"setstats", stream::setstats::<Serial>),
    (c"receive", stream::receive::<Serial>),
    (c"send", stream::send::<Serial>),
    (c"setfd", class::setfd::<Serial>),
    (c"settimeout", class::settimeout::<Serial>),
];

/// `luaopen_socket_serial`: registers the class and returns the
/// constructor.
pub fn open_serial(l: State<'_>) -> c_int {
    class::new_family(l, &[CLIENT], &[ANY], METHODS);
    l.push_cfunction(create);
    1
}

crate::lua_fn! {
    /// `serial(path)`: the object, or `nil, err, errno` (errno a num). The
    /// userdata comes first, as in serial.c, so a memory error cannot leave
    /// an open device behind.
    fn create(l) -> Pushed {
        let path = l.check_cstr(1);
        let s = l.new_userdata(l.pure(|| Serial {
            fd: INVALID,
            tm: Timeout::default(),
            buf: StreamBuf::new(),
        }));
        match l.pure(|| nunix::open_device(path)) {
            Ok(fd) => {
                s.fd = fd;
                class::set_class(l, CLIENT, -1);
                Pushed(1)
            }
            Err(e) => {
                l.push_nil();
                l.push_bytes(&e.text());
                l.push_number(e.to_int() as f64);
                Pushed(3)
            }
        }
    }
}
