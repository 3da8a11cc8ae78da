//! Why a capture could not be read at all.
//!
//! Each message is one line that says what is wrong and, where it helps,
//! what to do; the CLI prefixes the file name. Problems with one exchange
//! (a corrupt body, an unparseable URL) are not errors: they stay in the
//! model and surface as findings.

use thiserror::Error;

/// A capture-level failure: the file cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CaptureError {
    #[error("the file is empty")]
    Empty,
    #[error("not a capture: neither HAR (JSON) nor SAZ (zip) content{hint}")]
    UnknownFormat { hint: String },
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a HAR file: {0}")]
    NotHar(String),
    #[error("HAR is truncated at line {line}, column {column} and no entry could be recovered")]
    TruncatedHar { line: usize, column: usize },
    #[error("not a valid zip archive: {0}")]
    NotZip(String),
    #[error("not a Fiddler SAZ archive: {0}")]
    NotSaz(String),
    #[error(
        "the SAZ archive is password-protected: pass --password or set TRACE_INSPECT_SAZ_PASSWORD"
    )]
    PasswordRequired,
    #[error("wrong password for the SAZ archive")]
    WrongPassword,
    #[error("{what} exceeds the limit of {limit} bytes (raise it with {flag})")]
    TooLarge {
        what: String,
        limit: u64,
        flag: &'static str,
    },
    #[error(
        "ran out of memory reading {what} ({held} bytes held): free memory, or lower --max-retained to refuse such files sooner"
    )]
    OutOfMemory { what: String, held: u64 },
    #[error("{0}")]
    Other(String),
}
