//! `mime.core`: the eight low-level MIME filters of LuaSocket's mime.c.
//!
//! Each function checks its arguments in the C core's order (so the same bad
//! call raises the same error), runs the algorithm from [`codec`] on borrowed
//! slices, and pushes the results with the C core's types: contexts through
//! `lua_pushnumber` (floats on 5.3+), empty final results as nil.
//!
//! Where the result is written ([`filter`]): a result that surely fits
//! (an upper bound from the input length) goes to an array on the C stack;
//! any other grows in a [`HostBuf`], memory from the host's own allocator
//! owned by a guard userdata, so a sandbox's cap applies to it, a refusal is
//! the C core's Lua error, and a raise at any point leaks nothing.
use crate::lua::{HostBuf, State};
#[cfg(not(feature = "lua53"))]
use crate::net::sink::Fixed;
use crate::net::sink::{Oom, Sink};
use stack::{Capped, Counter, StackBuf, STACK};
use std::os::raw::c_int;

pub mod codec;
mod stack;

use codec::Atom;

/// `mime.core._VERSION`.
pub const VERSION: &str = "MIME 1.0.3";
const CRLF: &[u8] = b"\r\n";
const EQCRLF: &[u8] = b"=\r\n";

/// Builds the `mime.core` table (see `entry::luaopen_mime_core`). Unlike
/// `socket.core` it leaves SIGPIPE alone, as the C module does.
pub fn open(l: State) -> c_int {
    // lua_newtable + luaL_setfuncs in mime.c's order, so that the hash part
    // grows identically and pairs() iterates the same way.
    l.new_table(0, 0);
    l.set_funcs(
        &[
            (c"dot", dot),
            (c"b64", b64),
            (c"eol", eol),
            (c"qp", qp),
            (c"qpwrp", qpwrp),
            (c"unb64", unb64),
            (c"unqp", unqp),
            (c"wrp", wrp),
        ],
        0,
    );
    l.push_str("_VERSION");
    l.push_str(VERSION);
    l.raw_set(-3);
    1
}

/// One filter call with its arguments, as plain data (phase 1 done).
trait Job {
    /// What comes back besides the bytes: an atom, `left`, a context.
    type Ctx: Copy;
    /// Upper bound of the output length (None: not representable).
    fn bound(&self) -> Option<usize>;
    /// About the output length for typical input (text, not binary): the
    /// bound where that is tight.
    fn likely(&self) -> usize {
        self.bound().unwrap_or(usize::MAX)
    }
    /// The bound is the exact output length (b64).
    fn exact(&self) -> bool {
        false
    }
    /// The most the filter writes at once (room a fixed array keeps beyond
    /// the bound, so that the last windows fit).
    fn need(&self) -> usize;
    /// Phase 2: the filter itself (pure Rust, repeatable).
    fn run<S: Sink>(&self, out: &mut S) -> Result<Self::Ctx, Oom>;
    /// Phase 3: pushes the results (two values).
    fn push(&self, l: State, out: Out<'_, '_>, ctx: Self::Ctx) -> c_int;
}

/// A finished result, wherever it was written.
enum Out<'s, 'h> {
    Fixed(&'s [u8]),
    Host(&'s mut HostBuf<'h>),
}

impl Out<'_, '_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Out::Fixed(s) => s,
            Out::Host(h) => h.as_slice(),
        }
    }
    /// Pushes the bytes as a string (a host buffer is freed right after).
    fn push(self, l: State) {
        match self {
            Out::Fixed(s) => l.push_bytes(s),
            Out::Host(h) => l.push_hostbuf(h),
        }
    }
    /// Not pushed after all (an empty final result is nil).
    fn discard(self) {
        if let Out::Host(h) = self {
            h.release();
        }
    }
}

/// Results from this size on are measured before they are built.
const MEASURE: usize = 1024 * 1024;

/// Runs `job` and pushes its results: into an array on the stack when the
/// result fits there (surely, by the bound, or likely, by the guess: a wrong
/// guess costs one attempt of at most STACK bytes), else into a host buffer
/// (a guard userdata pushed first). A large result is measured first (a
/// pass that only counts, unless the bound is exact), so that its buffer is
/// allocated once at its size: never doubled past it, never more than the C
/// core's own peak. Every frame here holds plain data only, so a raise in
/// phase 3 skips nothing.
#[inline]
fn filter<J: Job>(l: State, job: &J) -> c_int {
    let fits = job.bound().and_then(|b| b.checked_add(job.need()));
    let likely = job.likely().saturating_add(job.need());
    // One array for the frame: the result, or the scratch of a counting pass.
    let mut array = stack::array();
    if fits.is_some_and(|n| n <= STACK) || likely <= STACK {
        let mut sb = StackBuf::new(&mut array);
        if let Ok(ctx) = l.pure(|| job.run(&mut sb)) {
            return job.push(l, Out::Fixed(sb.as_slice()), ctx);
        }
        // The guess was wrong (or, a bug the unit tests cover, a bound did
        // not hold): start over in a host buffer.
    }
    let size = if job.exact() {
        fits
    } else if likely >= MEASURE {
        measure(l, job, &mut array)
    } else {
        None
    };
    let mut hb = l.new_hostbuf();
    let run = match size {
        Some(n) => l.pure(|| {
            hb.room(n)?;
            job.run(&mut Capped::new(&mut hb, n))
        }),
        None => l.pure(|| job.run(&mut hb)),
    };
    match run {
        Ok(ctx) => job.push(l, Out::Host(&mut hb), ctx),
        Err(Oom) => {
            hb.release();
            out_of_memory(l, job, size, &mut array)
        }
    }
}

/// The exact room `job` needs: its output length (a pass that only counts,
/// in `scratch`) plus the largest single write (the last windows may ask
/// that much more than remains). None where one write is larger than the
/// scratch array (a marker of more than 16 KiB).
fn measure<J: Job>(l: State, job: &J, scratch: &mut stack::Array) -> Option<usize> {
    let mut counter = Counter::new(scratch);
    let len = l.pure(|| job.run(&mut counter).map(|_| counter.len()));
    len.ok()?.checked_add(job.need())
}

/// The host's allocator refused to grow the result: raise what the C core
/// raises there. Its `luaL_Buffer` gets memory through Lua, so Lua raises
/// its own memory error (`LUA_ERRMEM`, "not enough memory", no message
/// handler), after an emergency collection on 5.2+. For the same error (and
/// the same second chance) Lua itself is asked for one block of exactly the
/// room the result needs (measured if it was not: the host buffer may have
/// asked for much more): refused, Lua raises exactly that; granted, the
/// result is finished there. 5.3's buffer grows through the raw allocator
/// instead and raises a plain error with its own text.
#[cold]
#[inline(never)]
fn out_of_memory<J: Job>(
    l: State,
    job: &J,
    size: Option<usize>,
    scratch: &mut stack::Array,
) -> c_int {
    #[cfg(feature = "lua53")]
    {
        let _ = (job, size, scratch);
        l.error_msg(c"not enough memory for buffer allocation")
    }
    #[cfg(not(feature = "lua53"))]
    {
        let size = size.or_else(|| measure(l, job, scratch));
        if let Some(len) = size.filter(|&n| n <= isize::MAX as usize / 2) {
            let block = l.new_userdata_slice::<u8>(len, 0);
            let mut f = Fixed::new(block);
            if let Ok(ctx) = l.pure(|| job.run(&mut f)) {
                return job.push(l, Out::Fixed(f.as_slice()), ctx);
            }
        }
        l.raise_oom()
    }
}

/// How the final call (nil second chunk) of a codec decides its result is
/// "empty": `b64`/`unb64` look at the length, `qp`/`unqp` at the first byte
/// of the C string (so a result starting with NUL counts as empty, too).
#[derive(Clone, Copy)]
enum Empty {
    Length,
    FirstByte,
}

/// Pushes `encoded, rest` (more input to come) or `encoded_or_nil, nil`
/// (final call).
fn push_codec(l: State, out: Out<'_, '_>, atom: Atom, flushed: bool, empty: Empty) -> c_int {
    if flushed {
        let is_empty = match empty {
            Empty::Length => out.bytes().is_empty(),
            Empty::FirstByte => matches!(out.bytes().first(), None | Some(0)),
        };
        if is_empty {
            out.discard();
            l.push_nil();
        } else {
            out.push(l);
        }
        l.push_nil();
    } else {
        out.push(l);
        l.push_bytes(atom.as_bytes());
    }
    2
}

/// The `nil, nil` of a codec called with a nil first chunk.
fn push_nil_nil(l: State) -> c_int {
    l.push_nil();
    l.push_nil();
    2
}

/// Total input length of a codec call (the chunks are in memory, so the sum
/// cannot really overflow).
fn total(c: &[u8], d: Option<&[u8]>) -> Option<usize> {
    c.len().checked_add(d.map_or(0, <[u8]>::len))
}

/// Which of the four codecs (they share the `(C, D)` call shape).
#[derive(Clone, Copy)]
enum Kind {
    B64,
    Unb64,
    Qp,
    Unqp,
}

/// A codec call: `(C, D [, marker])` → `result, rest`.
struct Codec<'a> {
    kind: Kind,
    c: &'a [u8],
    d: Option<&'a [u8]>,
    marker: &'a [u8],
}

impl Job for Codec<'_> {
    type Ctx = Atom;
    fn exact(&self) -> bool {
        matches!(self.kind, Kind::B64)
    }
    fn likely(&self) -> usize {
        match self.kind {
            Kind::Qp => total(self.c, self.d).map_or(usize::MAX, codec::qp_guess),
            _ => self.bound().unwrap_or(usize::MAX),
        }
    }
    fn bound(&self) -> Option<usize> {
        let n = total(self.c, self.d)?;
        match self.kind {
            Kind::B64 => codec::b64_bound(n, self.d.is_none()),
            Kind::Unb64 => codec::unb64_bound(n),
            Kind::Qp => codec::qp_bound(n, self.marker),
            Kind::Unqp => codec::unqp_bound(n),
        }
    }
    fn need(&self) -> usize {
        match self.kind {
            Kind::B64 => codec::B64_NEED,
            Kind::Unb64 => codec::UNB64_NEED,
            Kind::Qp => codec::qp_need(self.marker),
            Kind::Unqp => codec::UNQP_NEED,
        }
    }
    fn run<S: Sink>(&self, out: &mut S) -> Result<Atom, Oom> {
        let (c, d) = (self.c, self.d);
        match self.kind {
            Kind::B64 => codec::b64(c, d, out),
            Kind::Unb64 => codec::unb64(c, d, out),
            Kind::Qp => codec::qp(c, d, self.marker, out),
            Kind::Unqp => codec::unqp(c, d, out),
        }
    }
    fn push(&self, l: State, out: Out<'_, '_>, atom: Atom) -> c_int {
        let empty = match self.kind {
            Kind::B64 | Kind::Unb64 => Empty::Length,
            Kind::Qp | Kind::Unqp => Empty::FirstByte,
        };
        push_codec(l, out, atom, self.d.is_none(), empty)
    }
}

/// Pushes `bytes, number` (the line filters' shape).
fn push_with_number(l: State, out: Out<'_, '_>, n: f64) -> c_int {
    out.push(l);
    l.push_number(n);
    2
}

struct Wrp<'a> {
    left: i32,
    input: &'a [u8],
    length: i32,
    qp: bool,
}

impl Job for Wrp<'_> {
    type Ctx = i32;
    fn likely(&self) -> usize {
        if self.qp {
            codec::qpwrp_guess(self.input.len(), self.length)
        } else {
            codec::wrp_guess(self.input.len(), self.length)
        }
    }
    fn bound(&self) -> Option<usize> {
        if self.qp {
            codec::qpwrp_bound(self.input.len(), self.length)
        } else {
            codec::wrp_bound(self.input.len(), self.length)
        }
    }
    fn need(&self) -> usize {
        codec::WRP_NEED
    }
    fn run<S: Sink>(&self, out: &mut S) -> Result<i32, Oom> {
        if self.qp {
            codec::qpwrp(self.left, self.input, self.length, out)
        } else {
            codec::wrp(self.left, self.input, self.length, out)
        }
    }
    fn push(&self, l: State, out: Out<'_, '_>, left: i32) -> c_int {
        push_with_number(l, out, left as f64)
    }
}

struct Eol<'a> {
    ctx: i32,
    input: &'a [u8],
    marker: &'a [u8],
}

impl Job for Eol<'_> {
    type Ctx = i32;
    fn likely(&self) -> usize {
        codec::eol_guess(self.input.len(), self.marker)
    }
    fn bound(&self) -> Option<usize> {
        codec::eol_bound(self.input.len(), self.marker)
    }
    fn need(&self) -> usize {
        codec::eol_need(self.marker)
    }
    fn run<S: Sink>(&self, out: &mut S) -> Result<i32, Oom> {
        codec::eol(self.ctx, self.input, self.marker, out)
    }
    fn push(&self, l: State, out: Out<'_, '_>, ctx: i32) -> c_int {
        push_with_number(l, out, ctx as f64)
    }
}

struct Dot<'a> {
    state: u64,
    input: &'a [u8],
}

impl Job for Dot<'_> {
    type Ctx = u64;
    fn likely(&self) -> usize {
        codec::dot_guess(self.input.len())
    }
    fn bound(&self) -> Option<usize> {
        codec::dot_bound(self.input.len())
    }
    fn need(&self) -> usize {
        codec::DOT_NEED
    }
    fn run<S: Sink>(&self, out: &mut S) -> Result<u64, Oom> {
        codec::dot(self.state, self.input, out)
    }
    fn push(&self, l: State, out: Out<'_, '_>, state: u64) -> c_int {
        push_with_number(l, out, state as f64)
    }
}

crate::lua_fn! {
    /// `b64(C [, D])` → encoded, rest.
    fn b64(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        filter(l, &Codec { kind: Kind::B64, c, d, marker: b"" })
    }
}

crate::lua_fn! {
    /// `unb64(C [, D])` → decoded, rest.
    fn unb64(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        filter(l, &Codec { kind: Kind::Unb64, c, d, marker: b"" })
    }
}

crate::lua_fn! {
    /// `qp(C [, D [, marker]])` → encoded, rest. The marker is checked before
    /// the nil test, as in mime.c.
    fn qp(l) {
        let c = l.opt_bytes(1);
        let marker = codec::c_string(l.opt_bytes(3).unwrap_or(CRLF));
        let Some(c) = c else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        filter(l, &Codec { kind: Kind::Qp, c, d, marker })
    }
}

crate::lua_fn! {
    /// `unqp(C [, D])` → decoded, rest.
    fn unqp(l) {
        let Some(c) = l.opt_bytes(1) else { return push_nil_nil(l) };
        let d = l.opt_bytes(2);
        filter(l, &Codec { kind: Kind::Unqp, c, d, marker: b"" })
    }
}

/// The arguments of `wrp`/`qpwrp`: `left`, optional chunk, `length` (76).
fn wrap_args<'l>(l: State<'l>) -> (i32, Option<&'l [u8]>, i32) {
    let left = codec::c_int_from_number(l.check_number(1));
    let input = l.opt_bytes(2);
    let length = codec::c_int_from_number(l.opt_number(3, 76.0));
    (left, input, length)
}

/// End of input for `wrp`/`qpwrp`: a final break if the line is open.
fn push_wrap_end(l: State, left: i32, length: i32, brk: &[u8]) -> c_int {
    if left < length {
        l.push_bytes(brk);
    } else {
        l.push_nil();
    }
    l.push_number(length as f64);
    2
}

crate::lua_fn! {
    /// `wrp(left, C [, length])` → wrapped, left.
    fn wrp(l) {
        let (left, input, length) = wrap_args(l);
        let Some(input) = input else { return push_wrap_end(l, left, length, CRLF) };
        filter(l, &Wrp { left, input, length, qp: false })
    }
}

crate::lua_fn! {
    /// `qpwrp(left, C [, length])` → wrapped, left.
    fn qpwrp(l) {
        let (left, input, length) = wrap_args(l);
        let Some(input) = input else { return push_wrap_end(l, left, length, EQCRLF) };
        filter(l, &Wrp { left, input, length, qp: true })
    }
}

crate::lua_fn! {
    /// `eol(ctx, C [, marker])` → normalized, ctx. The context goes through
    /// `luaL_checkinteger` and the C `(int)` cast (wraps).
    fn eol(l) {
        let ctx = l.check_integer(1) as i32;
        let input = l.opt_bytes(2);
        let marker = codec::c_string(l.opt_bytes(3).unwrap_or(CRLF));
        let Some(input) = input else {
            l.push_nil();
            l.push_number(0.0);
            return 2;
        };
        filter(l, &Eol { ctx, input, marker })
    }
}

crate::lua_fn! {
    /// `dot(state, C)` → stuffed, state. The state is a C `size_t`.
    fn dot(l) {
        let state = codec::c_size_from_number(l.check_number(1));
        let Some(input) = l.opt_bytes(2) else {
            l.push_nil();
            l.push_number(2.0);
            return 2;
        };
        filter(l, &Dot { state, input })
    }
}
