//! A sink in an array on the C stack whose bytes are zeroed only as room is
//! handed out (like `HostBuf`'s), so a call pays for what it writes, not for
//! the worst case of its input (qp's bound is three times its input).
use crate::net::sink::{Oom, Sink};
use std::mem::MaybeUninit;

/// Size of the array: results up to this size never touch an allocator.
pub const STACK: usize = 16 * 1024;

/// The array itself: plain data, no destructor, so it may live in a frame
/// that a Lua error unwinds or jumps over.
pub type Array = [MaybeUninit<u8>; STACK];

/// A new (uninitialised) array.
#[inline(always)]
pub fn array() -> Array {
    [MaybeUninit::uninit(); STACK]
}

pub struct StackBuf<'a> {
    buf: &'a mut Array,
    len: usize,
    /// bytes `[0, init)` are initialised (`len <= init <= STACK`)
    init: usize,
}

impl<'a> StackBuf<'a> {
    pub fn new(buf: &'a mut Array) -> StackBuf<'a> {
        StackBuf {
            buf,
            len: 0,
            init: 0,
        }
    }
}

impl Sink for StackBuf<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn as_slice(&self) -> &[u8] {
        // SAFETY: [0, len) lies within [0, init), which is initialised.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr() as *const u8, self.len) }
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        let need = match self.len.checked_add(n) {
            Some(need) if need <= STACK => need,
            _ => return Err(Oom),
        };
        if self.init < need {
            for b in &mut self.buf[self.init..need] {
                b.write(0);
            }
            self.init = need;
        }
        // SAFETY: [len, init) lies within the array and is initialised; the
        // slice borrows self mutably, so nothing else touches it meanwhile.
        Ok(unsafe {
            std::slice::from_raw_parts_mut(
                (self.buf.as_mut_ptr() as *mut u8).add(self.len),
                self.init - self.len,
            )
        })
    }
    fn commit(&mut self, n: usize) {
        self.len = (self.len + n).min(self.init);
    }
    fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_array_and_no_further() {
        let mut a = array();
        let mut s = StackBuf::new(&mut a);
        assert_eq!(s.room(3).map(|r| r.len()), Ok(3));
        s.extend(b"abc").unwrap();
        let r = s.room(2).unwrap();
        r[..2].copy_from_slice(b"de");
        s.commit(1);
        assert_eq!(s.as_slice(), b"abcd");
        // room already zeroed is handed out again, initialised
        assert_eq!(s.room(1).unwrap()[0], b'e');
        assert_eq!(s.room(STACK - 4).map(|r| r.len()), Ok(STACK - 4));
        assert_eq!(s.room(STACK - 3).map(|r| r.len()), Err(Oom));
        s.truncate(2);
        assert_eq!(s.as_slice(), b"ab");
        s.commit(STACK * 2);
        assert_eq!(s.len(), STACK);
    }
}
