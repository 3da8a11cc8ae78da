//! Entry points for the cargo-fuzz targets under `fuzz/` and for the corpus
//! replay test (`tests/fuzz_replay.rs`), so a normal `cargo test` re-runs
//! every saved input without a nightly toolchain.
//!
//! Each function takes arbitrary bytes and must return without panicking;
//! errors are expected outcomes.

use crate::capture::{Input, Limits, LoadOptions};

/// Small limits so a fuzzer's zip bombs end quickly.
fn fuzz_options() -> LoadOptions {
    LoadOptions {
        password: Some("fuzz".into()),
        limits: Limits {
            max_decompressed_bytes: 16 << 20,
            max_body_bytes: 4 << 20,
            ..Limits::default()
        },
    }
}

/// Loads bytes as any capture (format detected) and touches every body.
pub fn capture(data: &[u8]) {
    let options = fuzz_options();
    let Ok(input) = Input::from_bytes(data.to_vec(), &options) else {
        return;
    };
    if let Ok(capture) = input.parse("fuzz", &options) {
        for e in &capture.exchanges {
            if let Some(b) = &e.request.body {
                let _ = b.decoded(&options.limits);
            }
            if let Some(b) = e.response.as_ref().and_then(|r| r.body.as_ref()) {
                let _ = b.decoded(&options.limits);
            }
        }
    }
}

/// HAR JSON specifically (skips detection).
pub fn har(data: &[u8]) {
    let options = fuzz_options();
    if let Ok(capture) = crate::capture::har::parse(data, "fuzz", &options) {
        for e in &capture.exchanges {
            if let Some(b) = e.response.as_ref().and_then(|r| r.body.as_ref()) {
                let _ = b.decoded(&options.limits);
            }
        }
    }
}

/// The names `tests/fuzz_replay.rs` and `fuzz/` use, with their entry points.
/// A fuzz target: takes arbitrary bytes, must not panic.
pub type Target = fn(&[u8]);

pub const TARGETS: &[(&str, Target)] = &[("har", har), ("capture", capture)];
