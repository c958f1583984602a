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

/// A sink that only counts: every window is the same scratch array (the
/// filters never read back what they wrote), so a run measures the exact
/// length of a result without holding it. Windows up to the array's size.
pub struct Counter<'a> {
    scratch: StackBuf<'a>,
    len: usize,
}

impl<'a> Counter<'a> {
    pub fn new(buf: &'a mut Array) -> Counter<'a> {
        Counter {
            scratch: StackBuf::new(buf),
            len: 0,
        }
    }
}

impl Sink for Counter<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn as_slice(&self) -> &[u8] {
        &[]
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        self.scratch.room(n)
    }
    fn commit(&mut self, n: usize) {
        self.len = self.len.saturating_add(n);
    }
    fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }
}

/// A sink that hands out no room past `cap` bytes of data (the windows of
/// the filters then stay inside a buffer allocated at the result's size,
/// instead of asking a few bytes more than remain and doubling it).
pub struct Capped<'a, S: Sink> {
    inner: &'a mut S,
    cap: usize,
}

impl<'a, S: Sink> Capped<'a, S> {
    pub fn new(inner: &'a mut S, cap: usize) -> Capped<'a, S> {
        Capped { inner, cap }
    }
}

impl<S: Sink> Sink for Capped<'_, S> {
    fn len(&self) -> usize {
        self.inner.len()
    }
    fn as_slice(&self) -> &[u8] {
        self.inner.as_slice()
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        let left = self.cap.saturating_sub(self.inner.len());
        if left == 0 && n > 0 {
            return Err(Oom);
        }
        self.inner.room(n.min(left))
    }
    fn commit(&mut self, n: usize) {
        self.inner.commit(n)
    }
    fn truncate(&mut self, n: usize) {
        self.inner.truncate(n)
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

    #[test]
    fn capped_asks_no_more_than_the_cap() {
        let mut v: Vec<u8> = Vec::new();
        let mut c = Capped::new(&mut v, 5);
        assert_eq!(c.room(100).map(|r| r.len()), Ok(5));
        c.extend(b"abcd").unwrap();
        assert_eq!(c.room(3).map(|r| r.len()), Ok(1));
        c.push(b'e').unwrap();
        assert_eq!(c.room(1).map(|r| r.len()), Err(Oom));
        assert_eq!(c.as_slice(), b"abcde");
    }

    #[test]
    fn counter_counts_past_its_array() {
        let mut a = array();
        let mut c = Counter::new(&mut a);
        for _ in 0..10 {
            let r = c.room(STACK).unwrap();
            r[STACK - 1] = 1;
            c.commit(STACK);
        }
        assert_eq!(c.len(), 10 * STACK);
        assert_eq!(c.room(STACK + 1).map(|r| r.len()), Err(Oom));
    }
}
