//! Where results whose size follows input or received data are written: a
//! growable byte buffer whose memory belongs to the host (`lua::HostBuf`,
//! from the host's `lua_Alloc`), so that a refusal is an error value
//! ([`Oom`]) instead of Rust's abort, and nothing is reserved from what was
//! merely asked for.

/// The host's allocator refused to grow a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oom;

/// A growable byte buffer.
pub trait Sink {
    /// Bytes written so far.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn as_slice(&self) -> &[u8];
    /// At least `n` writable (initialised) bytes after the data, growing the
    /// buffer if needed; [`Sink::commit`] then makes some of them data.
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom>;
    /// Marks the first `n` bytes of the room as data.
    fn commit(&mut self, n: usize);
    /// Forgets the data from `n` on.
    fn truncate(&mut self, n: usize);

    fn extend(&mut self, data: &[u8]) -> Result<(), Oom> {
        let room = self.room(data.len())?;
        room[..data.len()].copy_from_slice(data);
        self.commit(data.len());
        Ok(())
    }
    fn push(&mut self, b: u8) -> Result<(), Oom> {
        self.room(1)?[0] = b;
        self.commit(1);
        Ok(())
    }
}

/// A sink in a caller-provided array (no allocation at all): the common
/// small results. Refuses to grow past the array.
pub struct Fixed<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> Fixed<'a> {
    pub fn new(buf: &'a mut [u8]) -> Fixed<'a> {
        Fixed { buf, len: 0 }
    }
}

impl Sink for Fixed<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        if self.buf.len() - self.len < n {
            return Err(Oom);
        }
        Ok(&mut self.buf[self.len..])
    }
    fn commit(&mut self, n: usize) {
        self.len = (self.len + n).min(self.buf.len());
    }
    fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }
}

/// For unit tests of the algorithms (Rust's allocator; never in a Lua call).
#[cfg(test)]
impl Sink for Vec<u8> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn as_slice(&self) -> &[u8] {
        self
    }
    fn room(&mut self, n: usize) -> Result<&mut [u8], Oom> {
        let l = Vec::len(self);
        self.resize(l + n, 0);
        let r = &mut self[l..];
        // the room is not data until committed
        let p = r.as_mut_ptr();
        // SAFETY: the n bytes stay allocated and initialised after the
        // length is set back; they are handed out as room.
        unsafe {
            self.set_len(l);
            Ok(std::slice::from_raw_parts_mut(p, n))
        }
    }
    fn commit(&mut self, n: usize) {
        // SAFETY: only ever called for bytes handed out by room(), which are
        // initialised and within capacity.
        unsafe { self.set_len(Vec::len(self) + n) }
    }
    fn truncate(&mut self, n: usize) {
        Vec::truncate(self, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_refuses_past_its_array() {
        let mut a = [0u8; 4];
        let mut f = Fixed::new(&mut a);
        f.extend(b"abc").unwrap();
        assert_eq!(f.extend(b"de"), Err(Oom));
        f.push(b'd').unwrap();
        assert_eq!(f.as_slice(), b"abcd");
        f.truncate(1);
        assert_eq!(f.as_slice(), b"a");
    }

    #[test]
    fn vec_room_and_commit() {
        let mut v: Vec<u8> = Vec::new();
        let r = v.room(3).unwrap();
        r[..2].copy_from_slice(b"xy");
        v.commit(2);
        assert_eq!(v.as_slice(), b"xy");
        Sink::extend(&mut v, b"z").unwrap();
        assert_eq!(v, b"xyz");
    }
}
