//! Reading a capture file the user named, bounded: only regular files are
//! read (a FIFO would block forever, `/dev/zero` never ends, a directory is
//! a usage error), the size is checked against `--max-capture-size` before
//! a byte is read and again while reading (a file may grow), and the buffer
//! is reserved with `try_reserve`, so an allocation the machine cannot give
//! is a clear error instead of an abort.

use std::fs::File;
use std::io::{self, Read};
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

/// The whole file, if it is a regular file of at most `limit` bytes.
pub fn read_capture(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: io::Error| ReadError::Io(super::io_message(&e));
    regular_size(path)?;
    let file = File::open(path).map_err(io)?;
    // Checked again on the open handle: the path may have been swapped.
    let m = file.metadata().map_err(io)?;
    check_regular(&m)?;
    if m.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(m.len()).map_err(|_| ReadError::OutOfMemory(m.len()))?)
        .map_err(|_| ReadError::OutOfMemory(m.len()))?;
    // One byte past the limit tells a file that grew while being read.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
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
