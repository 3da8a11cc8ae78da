//! Reading a capture file the user named, bounded: only regular files are
//! read (a FIFO would block forever, `/dev/zero` never ends, a directory is
//! a usage error), the size is checked against `--max-capture-size` before
//! a byte is read and again while reading (a file may grow), and the buffer
//! is reserved with `try_reserve`, so an allocation the machine cannot give
//! is a clear error instead of an abort.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Why a capture file could not be read; the message names no path (the
/// caller prefixes it).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(String),
    #[error("is a directory (use `trace-inspect triage` for folders)")]
    Directory,
    #[error("is not a regular file ({0}); only regular files are read")]
    NotRegular(&'static str),
    #[error("is larger than the {limit}-byte limit (raise it with --max-capture-size)")]
    TooLarge { limit: u64 },
    #[error("needs {0} bytes of memory, which this machine cannot give")]
    OutOfMemory(u64),
}

/// What kind of non-regular file `t` is, for the message.
fn kind_of(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a plain file"
    }
}

/// Refuses anything but a regular file (after following links).
fn check_regular(m: &std::fs::Metadata) -> Result<(), ReadError> {
    if m.is_dir() {
        Err(ReadError::Directory)
    } else if !m.is_file() {
        Err(ReadError::NotRegular(kind_of(m.file_type())))
    } else {
        Ok(())
    }
}

/// The file's size, when it is a regular file: checked *before* opening,
/// since opening a FIFO for reading blocks until a writer appears.
pub fn regular_size(path: &Path) -> Result<u64, ReadError> {
    let m = std::fs::metadata(path).map_err(|e| ReadError::Io(super::io_message(&e)))?;
    check_regular(&m)?;
    Ok(m.len())
}

/// The file opened for reading, if it is a regular file of at most
/// `limit` bytes, and its size.
pub fn open_capture(path: &Path, limit: u64) -> Result<(File, u64), ReadError> {
    let io = |e: io::Error| ReadError::Io(super::io_message(&e));
    regular_size(path)?;
    let file = File::open(path).map_err(io)?;
    // Checked again on the open handle: the path may have been swapped.
    let m = file.metadata().map_err(io)?;
    check_regular(&m)?;
    if m.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok((file, m.len()))
}

/// Whether an opened file starts like a zip (a SAZ); the file is left at
/// its start.
pub fn starts_like_zip(file: &mut File) -> Result<bool, ReadError> {
    let io = |e: io::Error| ReadError::Io(super::io_message(&e));
    let mut magic = [0u8; 4];
    let mut n = 0;
    while n < magic.len() {
        match file.read(magic.get_mut(n..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(n == magic.len() && crate::capture::detect(&magic) == Some(crate::capture::Format::Saz))
}

/// The whole of an opened capture file of `len` bytes (as opened), at
/// most `limit`.
pub fn read_opened(file: File, len: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(len).map_err(|_| ReadError::OutOfMemory(len))?)
        .map_err(|_| ReadError::OutOfMemory(len))?;
    // One byte past the limit tells a file that grew while being read.
    match file.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        // A file that grew: the buffer could not grow with it.
        Err(e) if e.kind() == io::ErrorKind::OutOfMemory => {
            return Err(ReadError::OutOfMemory(bytes.len() as u64));
        }
        other => other.map_err(|e| ReadError::Io(super::io_message(&e)))?,
    };
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The whole file, if it is a regular file of at most `limit` bytes.
pub fn read_capture(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_capture(path, limit)?;
    read_opened(file, len, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_directories_and_large_files() {
        assert!(matches!(
            read_capture(Path::new("/dev/zero"), 1 << 20),
            Err(ReadError::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_capture(Path::new("/"), 1 << 20),
            Err(ReadError::Directory)
        ));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.har");
        std::fs::write(&f, b"0123456789").unwrap();
        assert!(matches!(
            read_capture(&f, 9),
            Err(ReadError::TooLarge { limit: 9 })
        ));
        assert_eq!(read_capture(&f, 10).unwrap(), b"0123456789");
    }
}
