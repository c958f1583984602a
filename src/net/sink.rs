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
    /// Like [`Sink::room`], without initialising the bytes (for a read
    /// that writes them); by default it is `room`.
    fn room_uninit(&mut self, n: usize) -> Result<&mut [std::mem::MaybeUninit<u8>], Oom> {
        let r = self.room(n)?;
        // SAFETY: initialised bytes are valid MaybeUninit ones; the caller
        // writes only initialised bytes into them.
        Ok(unsafe { &mut *(r as *mut [u8] as *mut [std::mem::MaybeUninit<u8>]) })
    }
    /// Marks the first `n` bytes of the last [`Sink::room_uninit`] as data.
    ///
    /// # Safety
    /// Those `n` bytes were written.
    unsafe fn commit_written(&mut self, n: usize) {
        self.commit(n)
    }
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
    /// Appends `data` as one record (its length, then its bytes): results of
    /// several strings are written in the work phase and pushed one by one
    /// from the buffer after it ([`Records`]).
    fn put_record(&mut self, data: &[u8]) -> Result<(), Oom> {
        self.extend(&data.len().to_ne_bytes())?;
        self.extend(data)
    }
}

/// The records [`Sink::put_record`] wrote, in order.
#[derive(Clone, Copy)]
pub struct Records<'a>(&'a [u8]);

impl<'a> Records<'a> {
    pub fn new(buf: &'a [u8]) -> Records<'a> {
        Records(buf)
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let (len, rest) = self.0.split_first_chunk()?;
        let n = usize::from_ne_bytes(*len);
        let rec = rest.get(..n)?;
        self.0 = &rest[n..];
        Some(rec)
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
    fn records_read_back() {
        let mut a = [0u8; 64];
        let mut f = Fixed::new(&mut a);
        for r in [&b"inet"[..], b"", b"127.0.0.1"] {
            f.put_record(r).unwrap();
        }
        let got: Vec<&[u8]> = Records::new(f.as_slice()).collect();
        assert_eq!(got, [&b"inet"[..], b"", b"127.0.0.1"]);
        // a cut buffer ends the records
        assert_eq!(Records::new(&f.as_slice()[..10]).count(), 0);
        assert!(f.put_record(&[0; 40]).is_err());
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
