//! `socket.select(recvt, sendt [, timeout])`: the C core's select.c — same
//! calls of foreign elements' `getfd`/`dirty` in the same order, same
//! results — waiting with poll(2) (see [`crate::net::poll`]) so descriptors
//! of any value work instead of failing at `FD_SETSIZE`.
//!
//! The bookkeeping lives in one scratch array (host memory behind a guard,
//! see `lua::HostBuf`) instead of the C core's four Lua tables: one entry
//! per element with a descriptor (its fd, read/write, and where the element
//! is kept: an index in one Lua table), sorted by descriptor once, which is also the
//! order the C core reports in. Our own objects whose `getfd` and `dirty`
//! are our unchanged C functions are read straight from their records (the
//! method lookup is checked once per metatable, so monkey-patched methods
//! are still called); everything else is asked through Lua exactly as the C
//! core asks.
use crate::lua::ffi::lua_CFunction;
use crate::lua::{HostBuf, LuaType, State};
use crate::net::poll::{self, Watch};
use crate::net::sink::{Oom, Sink};
use crate::socket::class::{self, Family};
use std::marker::PhantomData;
use std::mem::size_of;
use std::os::raw::{c_int, c_void};

const RECVT: c_int = 1;
const SENDT: c_int = 2;
/// The elements (kept in a table: 5.1's C stack holds only ~8000 values).
const ELEMS: c_int = 5;

const READ: u8 = 1;
const WRITE: u8 = 2;
/// A dirty read element: its descriptor leaves the read set.
const UNREAD: u8 = 4;
/// A read element that was dirty when collected (meaningful only for our
/// records: a foreign element's `dirty` is asked in check_dirty).
const DIRTY: u8 = 8;
/// `SOCKET_INVALID`.
const INVALID: i64 = -1;

/// One element with a descriptor. `order` is the position in collection
/// (recvt first, then sendt), so that among elements sharing a descriptor
/// the last one is what the C core's `itab[fd]` holds.
#[repr(C)]
#[derive(Clone, Copy)]
struct Entry {
    fd: i32,
    bits: u8,
    /// the element's index in the elements table
    slot: c_int,
    order: u32,
}

/// A growable array of plain records in host memory.
struct Array<'a, T: Copy> {
    buf: HostBuf<'a>,
    len: usize,
    _t: PhantomData<T>,
}

impl<'a, T: Copy> Array<'a, T> {
    fn new(buf: HostBuf<'a>) -> Self {
        Array {
            buf,
            len: 0,
            _t: PhantomData,
        }
    }
    fn push(&mut self, v: T) -> Result<(), Oom> {
        let sz = size_of::<T>();
        if self.buf.len() < (self.len + 1) * sz {
            // grown (and zeroed) a batch at a time
            let batch = self.len.max(64) * sz;
            self.buf.room(batch)?;
            self.buf.commit(batch);
        }
        // SAFETY: the block has room for len + 1 records (just checked); it
        // comes from the host's allocator, aligned for any C type.
        unsafe {
            (self.buf.as_mut_slice().as_mut_ptr() as *mut T)
                .add(self.len)
                .write(v)
        };
        self.len += 1;
        Ok(())
    }
    fn as_mut(&mut self) -> &mut [T] {
        let p = self.buf.as_mut_slice().as_mut_ptr() as *mut T;
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: the first len records were written by push.
        unsafe { std::slice::from_raw_parts_mut(p, self.len) }
    }
    fn release(&mut self) {
        self.buf.release();
        self.len = 0;
    }
}

/// How the elements of one metatable are asked for `getfd` and `dirty`.
#[derive(Clone, Copy)]
enum How {
    /// through Lua, as the C core does
    Ask,
    /// our record, read directly
    Read(Known),
}

/// One of our families whose `getfd`/`dirty` we recognise.
#[derive(Clone, Copy)]
struct Known {
    getfd: lua_CFunction,
    dirty: lua_CFunction,
    size: usize,
    /// the descriptor and dirtiness of a record of that family
    read: fn(*mut c_void) -> (i32, bool),
}

fn known<F: Family>(dirty: lua_CFunction) -> Known {
    fn read<F: Family>(p: *mut c_void) -> (i32, bool) {
        // SAFETY: only called on a userdata of F's size whose metatable is
        // one of F's classes (checked when its metatable was learnt).
        let r = unsafe { &mut *(p as *mut F) };
        (*r.fd(), r.dirty())
    }
    Known {
        getfd: class::getfd::<F>,
        dirty,
        size: size_of::<F>(),
        read: read::<F>,
    }
}

fn families() -> [Known; 5] {
    use crate::serial::Serial;
    use crate::socket::{stream, tcp::Tcp, udp::Udp};
    use crate::unix::{UnixDgram, UnixStream};
    [
        known::<Tcp>(stream::dirty::<Tcp>),
        known::<Udp>(class::never_dirty::<Udp>),
        known::<UnixStream>(stream::dirty::<UnixStream>),
        known::<UnixDgram>(class::never_dirty::<UnixDgram>),
        known::<Serial>(stream::dirty::<Serial>),
    ]
}

/// The metatables seen in this call and how their elements are asked.
/// Forgotten whenever Lua code runs (a foreign `getfd` could change them).
struct Learnt {
    seen: [(*const c_void, How); 8],
    len: usize,
    families: [Known; 5],
    /// Lua code ran (a foreign element was asked)
    asked: bool,
}

impl Learnt {
    fn forget(&mut self) {
        self.len = 0;
        self.asked = true;
    }
}

crate::lua_fn! {
    pub fn select(l) {
        // (a) arguments; elements and results live on the stack
        let t = l.opt_number(3, -1.0);
        l.set_top(3);
        let mut set = Array::<Entry>::new(l.new_hostbuf()); // slot 4
        l.new_table(0, 0); // ELEMS
        let mut kept: c_int = 0;
        let mut learnt = Learnt {
            seen: [(std::ptr::null(), How::Ask); 8],
            len: 0,
            families: families(),
            asked: false,
        };
        collect(l, RECVT, READ, &mut set, &mut learnt, &mut kept);
        let w_start = set.len;
        collect(l, SENDT, WRITE, &mut set, &mut learnt, &mut kept);
        // The C core's check_dirty: read elements asked again, dirty ones go
        // first into the result (on the stack, in list order) and out of the
        // read set. When no Lua code ran, nothing can have changed since they
        // were collected, and what was read then is the answer.
        let dirty_base = kept;
        let mut ndirty = 0;
        if !learnt.asked {
            for e in set.as_mut()[..w_start].iter_mut() {
                if e.bits & DIRTY != 0 {
                    e.bits |= UNREAD;
                    ndirty += 1;
                    l.raw_geti(ELEMS, e.slot as i64);
                    kept += 1;
                    l.raw_seti(ELEMS, kept as i64);
                }
            }
        }
        // (b) the sets: distinct descriptors, the last element of each
        let (nfd, too_many) = l.pure(|| prepare(set.as_mut(), w_start));
        if let Some(tab) = too_many {
            set.release();
            l.arg_error(tab, c"too many sockets");
        }
        if learnt.asked {
            ndirty = check_dirty(l, &mut set.as_mut()[..nfd], &mut learnt, &mut kept);
        }
        let t = if ndirty > 0 { 0.0 } else { t };
        let mut watch = Array::<Watch>::new(l.new_hostbuf());
        let ret = l.pure(|| -> Result<Option<usize>, Oom> {
            for e in &set.as_mut()[..nfd] {
                let w = Watch::new(e.fd, e.bits & READ != 0, e.bits & WRITE != 0);
                watch.push(w.unwrap_or_default())?;
            }
            // The C core hands select(2) a timeval with `(int) t` seconds:
            // from 2^31 on that is negative and select(2) fails (EINVAL).
            if t >= 2_147_483_648.0 {
                return Ok(None);
            }
            Ok(poll::wait(watch.as_mut(), t).ok())
        });
        let Ok(ret) = ret else {
            set.release();
            watch.release();
            l.raise_oom()
        };
        // (c) results
        let n = match ret {
            Some(n) if n > 0 || ndirty > 0 => {
                results(l, &mut set, &mut watch, dirty_base, ndirty, false);
                2
            }
            // select(2) leaves its sets untouched on failure, and the C
            // core then reports every descriptor it asked about
            None if ndirty > 0 => {
                results(l, &mut set, &mut watch, dirty_base, ndirty, true);
                2
            }
            Some(_) => {
                l.new_table(0, 0);
                l.new_table(0, 0);
                l.push_str("timeout");
                3
            }
            None => {
                set.release();
                watch.release();
                l.error_msg(c"select failed")
            }
        };
        set.release();
        watch.release();
        n
    }
}

/// `e.getfd(e)` (and, with `call_dirty`, `e.dirty(e)`) of the element on
/// top, the C core's way, or read from our record (which always tells its
/// dirtiness too).
fn ask(l: State<'_>, learnt: &mut Learnt, call_dirty: bool) -> (i64, bool) {
    if let Some((k, p)) = recognise(l, learnt) {
        let (fd, dirty) = (k.read)(p);
        let fd = if fd >= 0 { fd as i64 } else { INVALID };
        return (fd, fd != INVALID && dirty);
    }
    learnt.forget();
    let fd = getfd(l);
    let dirty = call_dirty && fd != INVALID && dirty(l);
    (fd, dirty)
}

/// Whether the element on top is one of our records whose methods are ours
/// (and where).
fn recognise(l: State<'_>, learnt: &mut Learnt) -> Option<(Known, *mut c_void)> {
    let p = l.to_userdata(-1);
    // (a light userdata has no length of our records' size, below)
    if p.is_null() || !l.get_metatable(-1) {
        return None;
    }
    let mt = l.to_pointer(-1);
    let how = match learnt.seen[..learnt.len].iter().find(|(m, _)| *m == mt) {
        Some((_, h)) => *h,
        None => {
            let h = learn(l, &learnt.families);
            if learnt.len < learnt.seen.len() {
                learnt.seen[learnt.len] = (mt, h);
                learnt.len += 1;
            }
            h
        }
    };
    l.pop(1);
    match how {
        How::Read(k) if l.raw_len(-1) == k.size => Some((k, p)),
        _ => None,
    }
}

/// How elements with the metatable on top are asked: directly only when
/// `mt.__index` is a plain table (no metatable of its own, so the lookup the
/// C core makes is a raw one) holding our own `getfd` and `dirty` of one
/// family, and the metatable is one of that family's classes.
fn learn(l: State<'_>, families: &[Known]) -> How {
    let top = l.top();
    let how = (|| {
        l.push_str("__index");
        l.raw_get(top);
        if l.type_of(-1) != LuaType::Table || l.get_metatable(-1) {
            return How::Ask;
        }
        l.push_str("getfd");
        l.raw_get(-2);
        let getfd = l.to_cfunction(-1);
        l.push_str("dirty");
        l.raw_get(-3);
        let dirty = l.to_cfunction(-1);
        let same = |a: Option<lua_CFunction>, b: lua_CFunction| {
            a.is_some_and(|a| a as usize == b as usize)
        };
        let Some(k) = families
            .iter()
            .find(|k| same(getfd, k.getfd) && same(dirty, k.dirty))
        else {
            return How::Ask;
        };
        // the family table is the method's upvalue (class::new_family)
        if !l.get_upvalue(-2, 1) || l.type_of(-1) != LuaType::Table {
            return How::Ask;
        }
        l.push_value(top);
        l.raw_get(-2);
        if l.is_nil(-1) {
            return How::Ask;
        }
        How::Read(*k)
    })();
    l.set_top(top);
    how
}

/// The C core's `getfd`: the element is on top; looks up and calls
/// `e.getfd(e)`; anything but a number >= 0 is `INVALID`.
fn getfd(l: State<'_>) -> i64 {
    let mut fd = INVALID;
    l.push_str("getfd");
    l.get_table(-2);
    if !l.is_nil(-1) {
        l.push_value(-2);
        l.call(1, 1);
        if l.is_number(-1) {
            let n = l.to_number_or_zero(-1);
            // Truncation toward zero like the C cast; NaN is not >= 0.
            fd = if n >= 0.0 { n as i64 } else { INVALID };
        }
    }
    l.pop(1);
    fd
}

/// The C core's `dirty`: the element is on top; `e.dirty(e)` if present.
fn dirty(l: State<'_>) -> bool {
    let mut is = false;
    l.push_str("dirty");
    l.get_table(-2);
    if !l.is_nil(-1) {
        l.push_value(-2);
        l.call(1, 1);
        is = l.to_boolean(-1);
    }
    l.pop(1);
    is
}

/// Pushes `tab[i]` and tells whether it is not nil (then it stays pushed),
/// reading as the C core does: normal indexing with float keys (what
/// `lua_pushnumber` makes), raw when the table has no metatable (the same
/// result, without the lookup).
fn element(l: State<'_>, tab: c_int, i: usize, plain: bool) -> bool {
    if plain {
        l.raw_geti(tab, i as i64);
    } else {
        l.push_number(i as f64);
        l.get_table(tab);
    }
    if l.is_nil(-1) {
        l.pop(1);
        return false;
    }
    true
}

fn is_plain(l: State<'_>, tab: c_int) -> bool {
    if l.get_metatable(tab) {
        l.pop(1);
        false
    } else {
        true
    }
}

/// The C core's `collect_fd`: every element of `tab` with a descriptor gets
/// an entry and stays on the stack.
fn collect(
    l: State<'_>,
    tab: c_int,
    bit: u8,
    set: &mut Array<'_, Entry>,
    learnt: &mut Learnt,
    kept: &mut c_int,
) {
    // nil is the same as an empty table
    if l.is_nil(tab) {
        return;
    }
    l.check_type(tab, LuaType::Table);
    let plain = is_plain(l, tab);
    let mut i = 1;
    loop {
        if !element(l, tab, i, plain) {
            break;
        }
        let (fd, is_dirty) = ask(l, learnt, false);
        if fd == INVALID {
            l.pop(1);
        } else {
            // Only numbers that cannot be a descriptor at all are refused:
            // with poll(2) a descriptor's value does not matter.
            if fd > i32::MAX as i64 {
                set.release();
                l.arg_error(tab, c"descriptor too large for set size");
            }
            *kept += 1;
            l.raw_seti(ELEMS, *kept as i64);
            let e = Entry {
                fd: fd as i32,
                bits: if bit == READ && is_dirty {
                    bit | DIRTY
                } else {
                    bit
                },
                slot: *kept,
                order: set.len as u32,
            };
            if set.push(e).is_err() {
                set.release();
                l.raise_oom();
            }
        }
        i += 1;
    }
}

/// Sorts the entries by descriptor, merging those that share one: the bits
/// are or-ed, the last element (in collection order) is kept. Returns the
/// number of distinct descriptors (now the first entries), and the table
/// that names more than `_SETSIZE` distinct descriptors, if one does.
fn prepare(all: &mut [Entry], w_start: usize) -> (usize, Option<c_int>) {
    let limit = crate::socket::SETSIZE as usize;
    for (part, tab) in [(0..w_start, RECVT), (w_start..all.len(), SENDT)] {
        if part.len() <= limit {
            continue;
        }
        let seg = &mut all[part];
        seg.sort_unstable_by_key(|e| e.fd);
        let distinct = 1 + seg.windows(2).filter(|w| w[0].fd != w[1].fd).count();
        if distinct > limit {
            return (0, Some(tab));
        }
    }
    all.sort_unstable_by_key(|e| (e.fd, e.order));
    let mut n = 0;
    for i in 0..all.len() {
        let e = all[i];
        if n > 0 && all[n - 1].fd == e.fd {
            all[n - 1].bits |= e.bits;
            all[n - 1].slot = e.slot;
        } else {
            all[n] = e;
            n += 1;
        }
    }
    for e in &mut all[..n] {
        if e.bits & UNREAD != 0 {
            e.bits &= !READ;
        }
    }
    (n, None)
}

/// The C core's `check_dirty` over the read list, when Lua code ran: each
/// element is asked for its descriptor again, and a dirty one goes straight
/// into the result (on the stack, in list order) and out of the read set.
fn check_dirty(l: State<'_>, set: &mut [Entry], learnt: &mut Learnt, kept: &mut c_int) -> usize {
    if l.is_nil(RECVT) {
        return 0;
    }
    let plain = is_plain(l, RECVT);
    let mut ndirty = 0usize;
    let mut i = 1;
    loop {
        if !element(l, RECVT, i, plain) {
            break;
        }
        let (fd, is_dirty) = ask(l, learnt, true);
        if is_dirty {
            ndirty += 1;
            // kept as a result
            *kept += 1;
            l.raw_seti(ELEMS, *kept as i64);
            if let Ok(k) = set.binary_search_by_key(&(fd as i32), |e| e.fd) {
                set[k].bits &= !READ;
            }
        } else {
            l.pop(1);
        }
        i += 1;
    }
    ndirty
}

/// Pushes the two result tables (the C core's `return_fd` and `make_assoc`:
/// `t[i] = element`, `t[element] = i` with `i` a float on 5.3+), the dirty
/// elements first, then the ready descriptors in ascending order. `all`:
/// report every descriptor asked about (a failed wait, as select(2) leaves
/// its sets).
fn results(
    l: State<'_>,
    set: &mut Array<'_, Entry>,
    watch: &mut Array<'_, Watch>,
    dirty_base: c_int,
    ndirty: usize,
    all: bool,
) {
    let entries = set.as_mut();
    let watches = watch.as_mut();
    for reading in [true, false] {
        let ready = |w: &Watch| match (reading, all) {
            (true, true) => w.wants_read(),
            (true, false) => w.readable(),
            (false, true) => w.wants_write(),
            (false, false) => w.writable(),
        };
        let count = watches.iter().filter(|w| ready(w)).count();
        let first = if reading { ndirty } else { 0 };
        let size = (first + count).min(c_int::MAX as usize) as c_int;
        l.new_table(size, size);
        let t = l.top();
        let mut k = 0usize;
        for d in 0..first {
            k += 1;
            put(l, t, k, dirty_base + 1 + d as c_int);
        }
        for (w, e) in watches.iter().zip(entries.iter()) {
            if ready(w) {
                k += 1;
                put(l, t, k, e.slot);
            }
        }
    }
}

/// `t[k] = e; t[e] = k` for the element kept at index `slot`.
fn put(l: State<'_>, t: c_int, k: usize, slot: c_int) {
    l.raw_geti(ELEMS, slot as i64);
    l.push_value(-1);
    l.raw_seti(t, k as i64);
    l.push_number(k as f64);
    l.raw_set(t);
}
