//! A read buffer that survives seeks. The zip reader seeks to every
//! member's local header; members are small (a few KB) and follow one
//! another, so the next header is nearly always in the bytes already
//! read. `std::io::BufReader` drops its buffer on every seek, which made
//! reading a SAZ from a file re-read 64 KiB per member.
//!
//! Invariant: the inner reader is positioned at `start + filled`.

use std::io::{self, Read, Seek, SeekFrom};

/// What [`SeekBuf`] reads at a time.
const CAPACITY: usize = 64 * 1024;

#[derive(Debug)]
pub(super) struct SeekBuf<R> {
    inner: R,
    buf: Box<[u8]>,
    /// Offset in the inner reader of `buf[0]`.
    start: u64,
    pos: usize,
    filled: usize,
}

impl<R: Read + Seek> SeekBuf<R> {
    pub(super) fn new(mut inner: R) -> io::Result<SeekBuf<R>> {
        let start = inner.stream_position()?;
        Ok(SeekBuf {
            inner,
            buf: vec![0; CAPACITY].into_boxed_slice(),
            start,
            pos: 0,
            filled: 0,
        })
    }

    fn drop_buffer(&mut self) {
        self.start += self.filled as u64;
        self.pos = 0;
        self.filled = 0;
    }
}

impl<R: Read> Read for SeekBuf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.filled {
            self.start += self.filled as u64;
            self.pos = 0;
            self.filled = 0;
            if out.len() >= self.buf.len() {
                let n = self.inner.read(out)?;
                self.start += n as u64;
                return Ok(n);
            }
            self.filled = self.inner.read(&mut self.buf)?;
        }
        let available = self.buf.get(self.pos..self.filled).unwrap_or_default();
        let n = available.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.pos += n;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for SeekBuf<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let here = self.start + self.pos as u64;
        let target = match to {
            SeekFrom::Start(n) => n,
            SeekFrom::Current(d) => here
                .checked_add_signed(d)
                .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?,
            SeekFrom::End(_) => {
                self.drop_buffer();
                let at = self.inner.seek(to)?;
                self.start = at;
                return Ok(at);
            }
        };
        if (self.start..=self.start + self.filled as u64).contains(&target) {
            self.pos = usize::try_from(target - self.start).unwrap_or(self.filled);
            return Ok(target);
        }
        self.inner.seek(SeekFrom::Start(target))?;
        self.start = target;
        self.pos = 0;
        self.filled = 0;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn reads_the_same_bytes_as_the_inner_reader_across_seeks() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut r = SeekBuf::new(Cursor::new(data.clone())).unwrap();
        for (i, jump) in [0i64, 10, -5, 70_000, -69_000, 20_000, -150_000]
            .iter()
            .enumerate()
        {
            let at = r.seek(SeekFrom::Current(*jump)).unwrap() as usize;
            let mut got = vec![0u8; 1000 + i * 15_000];
            let n = r.read(&mut got).unwrap();
            assert!(n > 0, "{i}: at {at}");
            assert_eq!(&got[..n], &data[at..at + n], "at {at}");
            assert_eq!(r.stream_position().unwrap() as usize, at + n);
        }
        assert_eq!(r.seek(SeekFrom::End(-10)).unwrap(), 199_990);
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, &data[199_990..]);
        assert_eq!(r.seek(SeekFrom::Start(5)).unwrap(), 5);
        let mut two = [0u8; 2];
        r.read_exact(&mut two).unwrap();
        assert_eq!(two, [5, 6]);
    }
}
