//! The C core's internal C API that other C modules link against: Debian's
//! lua-sec (`ssl.so`, NEEDED `liblua5.X-socket.so.2`) imports exactly these
//! fifteen functions from buffer.c, io.c, timeout.c and usocket.c. Same
//! names, signatures, record layouts (`net::cbuffer`, `net::timeout`) and
//! semantics; the receive/send/statistics/timeout code is the one our own
//! objects run (`socket::buffer`, `socket::inet`), over a [`CBuffer`] and
//! the caller's [`CallbackIo`].
//!
//! Functions that take a `lua_State` follow the boundary recipe like every
//! method (they check their arguments, work under `State::pure`, push or
//! raise last) and are `extern "C-unwind"`. The others make no Lua call and
//! cannot panic; they are plain `extern "C"`.
//!
//! None of this is in the generated header: Debian's lua-socket-dev ships no
//! declaration of it either (LuaSec builds against its own copies of the C
//! core's headers).
use crate::lua::ffi::lua_State;
use crate::lua::State;
use crate::net::buffer::{Stats, Window};
use crate::net::cbuffer::{CBuffer, CIo, CallbackIo, ErrorFn, RecvFn, SendFn};
use crate::net::errors::{self, socket_strerror_c};
use crate::net::sock;
use crate::net::timeout::Timeout;
use crate::socket::{class, stream};
use std::os::raw::{c_char, c_int, c_void};

/// The records behind a `p_buffer` argument.
///
/// # Safety
/// `buf` points to a `t_buffer` initialised by [`buffer_init`] whose `io`
/// and `tm` point to live records, none of them used elsewhere during the
/// call.
unsafe fn parts<'a>(buf: *mut CBuffer) -> (&'a mut CBuffer, &'a mut Timeout, CallbackIo) {
    // SAFETY: guaranteed by the caller; `tm` is a separate record (LuaSec's
    // `t_ssl.tm`), so the two references do not overlap.
    unsafe {
        let b = &mut *buf;
        let tm = &mut *b.tm;
        let io = CallbackIo(b.io);
        (b, tm, io)
    }
}

/// `buffer_init(buf, io, tm)`: empty window, zero counts, born now.
///
/// # Safety
/// `buf` points to writable memory for a `t_buffer`.
#[no_mangle]
pub unsafe extern "C" fn buffer_init(buf: *mut CBuffer, io: *mut CIo, tm: *mut Timeout) {
    let stats = Stats::new();
    // SAFETY: writable per the contract; only the header fields are written,
    // the data area is left as it is, as in C.
    unsafe {
        (*buf).stats = stats;
        (*buf).io = io;
        (*buf).tm = tm;
        (*buf).win = Window::default();
    }
}

/// `buffer_isempty(buf)`: 1 when nothing is buffered.
///
/// # Safety
/// `buf` points to an initialised `t_buffer`.
#[no_mangle]
pub unsafe extern "C" fn buffer_isempty(buf: *mut CBuffer) -> c_int {
    // SAFETY: readable per the contract.
    unsafe { (*buf).win.is_empty() as c_int }
}

/// `buffer_meth_getstats(L, buf)`: received, sent, age.
///
/// # Safety
/// `raw` is the state of the running C function; `buf` as in [`parts`].
#[no_mangle]
pub unsafe extern "C-unwind" fn buffer_meth_getstats(
    raw: *mut lua_State,
    buf: *mut CBuffer,
) -> c_int {
    // SAFETY: a valid state and buffer per the contract.
    let (l, b) = unsafe { (State::from_raw(raw), &*buf) };
    stream::getstats_of(l, &b.stats)
}

/// `buffer_meth_setstats(L, buf)`: `[received [, sent [, age]]]` at 2..4.
///
/// # Safety
/// As [`buffer_meth_getstats`].
#[no_mangle]
pub unsafe extern "C-unwind" fn buffer_meth_setstats(
    raw: *mut lua_State,
    buf: *mut CBuffer,
) -> c_int {
    // SAFETY: a valid state and buffer per the contract.
    let (l, b) = unsafe { (State::from_raw(raw), &mut *buf) };
    crate::lua::Push::push(stream::setstats_of(l, &mut b.stats), l)
}

/// `buffer_meth_send(L, buf)`: `send(data [, i [, j]])` at 2..4 through the
/// buffer's transport.
///
/// # Safety
/// As [`buffer_meth_getstats`].
#[no_mangle]
pub unsafe extern "C-unwind" fn buffer_meth_send(raw: *mut lua_State, buf: *mut CBuffer) -> c_int {
    // SAFETY: a valid state and buffer per the contract.
    let (l, (b, tm, mut io)) = unsafe { (State::from_raw(raw), parts(buf)) };
    stream::send_on(l, &mut b.stats, tm, &mut io)
}

/// `buffer_meth_receive(L, buf)`: `receive([pattern [, prefix]])` at 2..3
/// through the buffer's transport.
///
/// # Safety
/// As [`buffer_meth_getstats`].
#[no_mangle]
pub unsafe extern "C-unwind" fn buffer_meth_receive(
    raw: *mut lua_State,
    buf: *mut CBuffer,
) -> c_int {
    // SAFETY: a valid state and buffer per the contract.
    let (l, (b, tm, mut io)) = unsafe { (State::from_raw(raw), parts(buf)) };
    stream::receive_on(l, b, tm, &mut io)
}

/// `io_init(io, send, recv, error, ctx)`.
///
/// # Safety
/// `io` points to writable memory for a `t_io`.
#[no_mangle]
pub unsafe extern "C" fn io_init(
    io: *mut CIo,
    send: Option<SendFn>,
    recv: Option<RecvFn>,
    error: Option<ErrorFn>,
    ctx: *mut c_void,
) {
    // SAFETY: writable per the contract.
    unsafe {
        *io = CIo {
            ctx,
            send,
            recv,
            error,
        }
    };
}

/// `socket_destroy(ps)`: closes a valid descriptor and marks it invalid.
///
/// # Safety
/// `ps` points to a descriptor the caller owns.
#[no_mangle]
pub unsafe extern "C" fn socket_destroy(ps: *mut c_int) {
    // SAFETY: a valid, exclusively used pointer per the contract.
    sock::destroy(unsafe { &mut *ps });
}

/// `socket_setblocking(ps)`: clears O_NONBLOCK.
///
/// # Safety
/// `ps` points to a descriptor.
#[no_mangle]
pub unsafe extern "C" fn socket_setblocking(ps: *mut c_int) {
    // SAFETY: readable per the contract.
    sock::set_blocking(unsafe { *ps }, true);
}

/// `socket_setnonblocking(ps)`: sets O_NONBLOCK.
///
/// # Safety
/// `ps` points to a descriptor.
#[no_mangle]
pub unsafe extern "C" fn socket_setnonblocking(ps: *mut c_int) {
    // SAFETY: readable per the contract.
    sock::set_blocking(unsafe { *ps }, false);
}

/// `socket_strerror(err)`: LuaSocket's text of an error code, NULL for 0.
#[no_mangle]
pub extern "C" fn socket_strerror(err: c_int) -> *const c_char {
    socket_strerror_c(err)
}

/// `socket_waitfd(ps, sw, tm)`: waits for the poll events `sw` (`WAITFD_R`
/// = POLLIN, `WAITFD_W` = POLLOUT, `WAITFD_C` = both) within `tm`.
///
/// # Safety
/// `ps` points to a descriptor and `tm` to a timeout record.
#[no_mangle]
pub unsafe extern "C" fn socket_waitfd(ps: *mut c_int, sw: c_int, tm: *mut Timeout) -> c_int {
    // SAFETY: readable per the contract.
    let (fd, tm) = unsafe { (*ps, &*tm) };
    errors::to_int(sock::wait(fd, sw as i16, tm))
}

/// `timeout_init(tm, block, total)` (the start time is left as it is).
///
/// # Safety
/// `tm` points to writable memory for a `t_timeout`.
#[no_mangle]
pub unsafe extern "C" fn timeout_init(tm: *mut Timeout, block: f64, total: f64) {
    // SAFETY: writable per the contract.
    unsafe {
        (*tm).block = block;
        (*tm).total = total;
    }
}

/// `timeout_markstart(tm)`: the operation starts now; returns `tm`.
///
/// # Safety
/// `tm` points to a timeout record.
#[no_mangle]
pub unsafe extern "C" fn timeout_markstart(tm: *mut Timeout) -> *mut Timeout {
    // SAFETY: writable per the contract.
    unsafe { (*tm).mark_start() };
    tm
}

/// `timeout_meth_settimeout(L, tm)`: `settimeout([value [, mode]])` at 2..3.
///
/// # Safety
/// `raw` is the state of the running C function; `tm` points to a timeout
/// record not used elsewhere during the call.
#[no_mangle]
pub unsafe extern "C-unwind" fn timeout_meth_settimeout(
    raw: *mut lua_State,
    tm: *mut Timeout,
) -> c_int {
    // SAFETY: a valid state and record per the contract.
    let (l, tm) = unsafe { (State::from_raw(raw), &mut *tm) };
    crate::lua::Push::push(class::set_timeout(l, tm), l)
}
