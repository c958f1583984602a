//! Result buffers in the host's memory, leak-free across raises.
//!
//! A result whose size follows input or received data (`receive("*a")`,
//! large counts and datagrams, the mime filters) grows in a block from the
//! host's own `lua_Alloc` (so a sandbox's cap applies to it and a refusal is
//! an error value, [`Oom`], instead of Rust's abort). The block is owned by
//! a small guard userdata pushed in phase 1 (like the box of 5.4's
//! `luaL_Buffer`): its `__gc` frees whatever block it still holds, so a
//! raise at any point — a failed push, a memory error, a bad argument —
//! leaks nothing. After the result is pushed, the block is freed at once.
use super::ffi::{self, lua_Alloc};
use super::State;
use crate::net::sink::{Oom, Sink};
use std::os::raw::c_void;

/// The guard userdata's contents (plain data).
#[repr(C)]
#[derive(Clone, Copy)]
struct Block {
    ptr: *mut u8,
    len: usize,
    /// bytes `[len, init)` are initialised (zeroed or written), so room
    /// handed out again is not zeroed twice
    init: usize,
    cap: usize,
    alloc: lua_Alloc,
    ud: *mut c_void,
}

impl Block {
    fn free(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: the block came from this allocator with this size;
            // freeing (nsize 0) never fails.
            unsafe { (self.alloc)(self.ud, self.ptr as *mut c_void, self.cap, 0) };
        }
        self.ptr = std::ptr::null_mut();
        self.len = 0;
        self.init = 0;
        self.cap = 0;
    }
}

/// Registry name of the guards' metatable.
const GUARD: &std::ffi::CStr = c"luasocket-rs.hostbuf";

crate::lua_fn! {
    /// `__gc` of a guard: frees the block a raise left behind.
    fn guard_gc(l) {
        let p = l.to_userdata(1) as *mut Block;
        if !p.is_null() && l.raw_len(1) == std::mem::size_of::<Block>() {
            // SAFETY: a guard userdata holds a Block (checked by size; only
            // this module gives that metatable).
            l.pure(|| unsafe { (*p).free() });
        }
        0
    }
}

/// A growable result buffer whose block belongs to a guard on the stack.
/// Borrowed from that guard for one C call; no destructor (the guard's
/// `__gc` or [`State::push_hostbuf`] frees the block).
pub struct HostBuf<'a> {
    b: &'a mut Block,
}

impl<'l> State<'l> {
    /// Phase 1: pushes a guard userdata and returns its (empty) buffer. The
    /// guard must stay on the stack until the result is pushed.
    pub fn new_hostbuf(self) -> HostBuf<'l> {
        let mut ud: *mut c_void = std::ptr::null_mut();
        // SAFETY: valid state; lua_getallocf only reads it.
        let alloc = unsafe { ffi::lua_getallocf(self.as_ptr(), &mut ud) };
        let p = self.new_userdata(Block {
            ptr: std::ptr::null_mut(),
            len: 0,
            init: 0,
            cap: 0,
            alloc,
            ud,
        });
        if self.new_metatable(GUARD) {
            self.push_cfunction(guard_gc);
            self.set_field(-2, c"__gc");
        }
        self.set_metatable(-2);
        HostBuf { b: p }
    }

    /// Phase 3: pushes the buffer's bytes as a string, then frees the block
    /// (if the push raises, the guard frees it later).
    pub fn push_hostbuf(self, buf: &mut HostBuf<'_>) {
        self.push_bytes(buf.as_slice());
        buf.b.free();
    }
}

impl HostBuf<'_> {
    /// The data written so far, writable (for scratch use).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        if self.b.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: the first len bytes of the live block are data.
        unsafe { std::slice::from_raw_parts_mut(self.b.ptr, self.b.len) }
    }

    /// Frees the block now (before raising an error, for instance).
    pub fn release(&mut self) {
        self.b.free();
    }

    fn grow(&mut self, need: usize) -> Result<(), Oom> {
        let b = &mut *self.b;
        let want = need.max(b.cap.saturating_mul(2)).max(256);
        if want > isize::MAX as usize {
            return Err(Oom);
        }
        // SAFETY: realloc of our own block (or a fresh one when NULL) through
        // the host's allocator; it returns NULL without touching the old
        // block when it refuses.
        let p = unsafe { (b.alloc)(b.ud, b.ptr as *mut c_void, b.cap, want) } as *mut u8;
        if p.is_null() {
            return Err(Oom);
        }
        b.ptr = p;
        b.cap = want;
        Ok(())
    }
}

impl Sink for HostBuf<'_> {
    fn len(&self) -> usize {
        self.b.len
    }
    fn as_slice(&self) -> &[u8] {
        if self.b.ptr.is_null() {
            return &[];
        }
        // SAFETY: the first len bytes of the live block are data.
        unsafe { std::slice::from_raw_parts(self.b.ptr, self.b.len) }
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        let need = self.b.len.checked_add(n).ok_or(Oom)?;
        if need > self.b.cap {
            self.grow(need)?;
        }
        if self.b.ptr.is_null() {
            // nothing asked of an empty buffer (a null slice is not valid)
            return Ok(&mut []);
        }
        let b = &mut *self.b;
        if b.init < need {
            // SAFETY: [init, need) lies inside the block's capacity.
            unsafe { std::ptr::write_bytes(b.ptr.add(b.init), 0, need - b.init) };
            b.init = need;
        }
        // SAFETY: [len, init) is initialised and inside the block.
        Ok(unsafe { std::slice::from_raw_parts_mut(b.ptr.add(b.len), b.init - b.len) })
    }
    fn commit(&mut self, n: usize) {
        self.b.len = (self.b.len + n).min(self.b.init);
    }
    fn room_uninit(&mut self, n: usize) -> Result<&mut [std::mem::MaybeUninit<u8>], Oom> {
        let need = self.b.len.checked_add(n).ok_or(Oom)?;
        if need > self.b.cap {
            self.grow(need)?;
        }
        if self.b.ptr.is_null() {
            return Ok(&mut []);
        }
        // SAFETY: [len, cap) lies inside the block; MaybeUninit needs no
        // initialisation.
        Ok(unsafe {
            std::slice::from_raw_parts_mut(
                self.b.ptr.add(self.b.len) as *mut std::mem::MaybeUninit<u8>,
                self.b.cap - self.b.len,
            )
        })
    }
    unsafe fn commit_written(&mut self, n: usize) {
        let b = &mut *self.b;
        b.len = (b.len + n).min(b.cap);
        b.init = b.init.max(b.len);
    }
    fn truncate(&mut self, n: usize) {
        self.b.len = self.b.len.min(n);
    }
}
