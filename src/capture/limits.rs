//! Resource bounds applied while loading and decoding a capture.
//!
//! Defaults are far above anything a real capture needs (a 2 GiB HAR is
//! already extreme) and exist so that hostile input — zip bombs, endless
//! headers, gzip bodies that expand a thousand-fold — ends with a clear error
//! instead of exhausting memory. Every limit can be raised from the CLI.

/// Bounds for one capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one capture file (HAR or SAZ as stored).
    pub max_capture_bytes: u64,
    /// Total bytes a SAZ archive may decompress to (all members together),
    /// whether kept or only counted.
    pub max_decompressed_bytes: u64,
    /// Bytes of a SAZ archive's members kept in memory (all together):
    /// bodies no decoder reads are counted, not kept, and do not count here.
    pub max_retained_bytes: u64,
    /// Bytes one body may decode to (after base64 and content codings).
    pub max_body_bytes: u64,
    /// Header fields in one HTTP message.
    pub max_headers: usize,
    /// Bytes in one header section (all fields of one message).
    pub max_header_bytes: usize,
}

impl Limits {
    pub const DEFAULT_CAPTURE: u64 = 4 << 30;
    pub const DEFAULT_DECOMPRESSED: u64 = 4 << 30;
    pub const DEFAULT_RETAINED: u64 = 1 << 30;
    pub const DEFAULT_BODY: u64 = 512 << 20;
    pub const DEFAULT_HEADERS: usize = 1_000;
    pub const DEFAULT_HEADER_BYTES: usize = 1 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_capture_bytes: Self::DEFAULT_CAPTURE,
            max_decompressed_bytes: Self::DEFAULT_DECOMPRESSED,
            max_retained_bytes: Self::DEFAULT_RETAINED,
            max_body_bytes: Self::DEFAULT_BODY,
            max_headers: Self::DEFAULT_HEADERS,
            max_header_bytes: Self::DEFAULT_HEADER_BYTES,
        }
    }
}
