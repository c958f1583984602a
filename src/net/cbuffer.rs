//! The C core's `t_io` and `t_buffer` (io.h, buffer.h) with their exact C
//! layouts, for the C API that LuaSec links against: LuaSec embeds these
//! records in its own userdata, fills `t_io` with its TLS callbacks and calls
//! `buffer_meth_receive(L, &ssl->buf)`. [`CBuffer`] is a [`Storage`] and
//! [`CallbackIo`] an [`Io`], so that the receive/send code is the one our own
//! objects run. `tests/capi_layout.rs` checks the layouts against upstream's
//! headers from C.
use super::buffer::{Io, IoErr, Moved, Stats, Storage, Window, BUF_SIZE};
use super::errors::Code;
use super::timeout::Timeout;
use std::os::raw::{c_char, c_int, c_void};

/// `p_send`: sends up to `count` bytes, stores how many in `*sent`.
pub type SendFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    data: *const c_char,
    count: usize,
    sent: *mut usize,
    tm: *mut Timeout,
) -> c_int;
/// `p_recv`: receives up to `count` bytes, stores how many in `*got`.
pub type RecvFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    data: *mut c_char,
    count: usize,
    got: *mut usize,
    tm: *mut Timeout,
) -> c_int;
/// `p_error`: the text of an error code.
pub type ErrorFn = unsafe extern "C" fn(ctx: *mut c_void, err: c_int) -> *const c_char;

/// `t_io`: a transport as a context and three callbacks.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CIo {
    pub ctx: *mut c_void,
    pub send: Option<SendFn>,
    pub recv: Option<RecvFn>,
    pub error: Option<ErrorFn>,
}

/// `t_buffer`: statistics, the transport and timeout it reads through, the
/// read window and the inline 8 KiB area.
#[repr(C)]
pub struct CBuffer {
    pub stats: Stats,
    pub io: *mut CIo,
    pub tm: *mut Timeout,
    pub win: Window,
    pub data: [u8; BUF_SIZE],
}

impl Storage for CBuffer {
    fn stats(&mut self) -> &mut Stats {
        &mut self.stats
    }
    fn window(&mut self) -> &mut Window {
        &mut self.win
    }
    fn area(&mut self) -> &mut [u8] {
        &mut self.data
    }
    fn area_slice(&self, off: usize, len: usize) -> &[u8] {
        self.data.get(off..off.saturating_add(len)).unwrap_or(&[])
    }
}

/// A callback that reports success without moving a byte (LuaSec 1.2 does
/// after OpenSSL's "unexpected eof": errno 0) would make buffer.c's loops
/// spin for ever, in the C core too; here it reads as `closed`.
fn stalled(m: Moved, asked: usize) -> Moved {
    match m {
        (0, Ok(())) if asked > 0 => (0, Err(Code::Closed)),
        m => m,
    }
}

/// A `t_io` as our transport.
pub struct CallbackIo(pub *mut CIo);

impl CallbackIo {
    fn io(&self) -> Option<&CIo> {
        // SAFETY: the pointer comes from a `t_buffer` the caller of the C API
        // initialised with `buffer_init` (a live `t_io`), or is NULL.
        unsafe { self.0.as_ref() }
    }
}

impl Io for CallbackIo {
    /// The C core's `STEPSIZE`/`BUF_SIZE`: a foreign transport is driven
    /// exactly as the C core drives it.
    const STEP: usize = BUF_SIZE;

    /// `timeout_markstart` always, as buffer.c does: the transport may read
    /// the record's start.
    fn begin(tm: &mut Timeout) {
        tm.mark_start()
    }

    fn recv(&mut self, buf: &mut [u8], tm: &mut Timeout) -> Moved {
        let Some((ctx, recv)) = self.io().and_then(|io| Some((io.ctx, io.recv?))) else {
            return (0, Err(Code::Unknown));
        };
        let mut got = 0usize;
        // SAFETY: the callback's contract (io.h): writes at most `count`
        // bytes into `data` and stores the count in `*got`; `tm` is the
        // buffer's live timeout record.
        let err = unsafe { recv(ctx, buf.as_mut_ptr().cast(), buf.len(), &mut got, tm) };
        stalled((got.min(buf.len()), Code::from_int(err)), buf.len())
    }

    fn send(&mut self, data: &[u8], tm: &mut Timeout) -> Moved {
        let Some((ctx, send)) = self.io().and_then(|io| Some((io.ctx, io.send?))) else {
            return (0, Err(Code::Unknown));
        };
        let mut sent = 0usize;
        // SAFETY: as for recv; `data` is readable for its length.
        let err = unsafe { send(ctx, data.as_ptr().cast(), data.len(), &mut sent, tm) };
        stalled((sent.min(data.len()), Code::from_int(err)), data.len())
    }

    /// The transport's own text of the code it returned (its exact int).
    fn error(&self, code: Code) -> IoErr {
        let code = code.to_int();
        match self.io().and_then(|io| io.error.map(|f| (f, io.ctx))) {
            // SAFETY: the callback returns a C string (or NULL) for any code.
            Some((f, ctx)) => IoErr::Foreign(unsafe { f(ctx, code) }),
            None => IoErr::Foreign(super::errors::socket_strerror_c(code)),
        }
    }
}
