//! Entry points for the cargo-fuzz targets under `fuzz/` and for the corpus
//! replay test (`tests/fuzz_replay.rs`), so a normal `cargo test` re-runs
//! every saved input without a nightly toolchain.
//!
//! Each function takes arbitrary bytes and must return without panicking;
//! errors are expected outcomes.

use crate::capture::{Capture, Input, Limits, LoadOptions, raw_http, saz};

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

/// Raw HTTP/1.x (SAZ `_c.txt` / `_s.txt`): the bytes as a request, then as
/// a response to that request's method, to GET and to HEAD.
pub fn raw_http(data: &[u8]) {
    let limits = Limits {
        max_headers: 64,
        max_header_bytes: 16 << 10,
        ..fuzz_options().limits
    };
    if let Ok(request) = raw_http::parse_request(data, &limits) {
        let _ = raw_http::parse_response(data, &request.method, &limits);
    }
    for method in ["GET", "HEAD"] {
        let _ = raw_http::parse_response(data, method, &limits);
    }
}

/// A SAZ archive (skips format detection, so every input reaches the zip
/// reader): extract, parse, decode every body. The password is "fuzz", so
/// encrypted seeds open.
pub fn saz(data: &[u8]) {
    let options = fuzz_options();
    let Ok(archive) = saz::Archive::extract(data, &options) else {
        return;
    };
    if let Ok(capture) = archive.parse("fuzz", &options) {
        decode_all(&capture, &options.limits);
    }
}

fn decode_all(capture: &Capture<'_>, limits: &Limits) {
    let bodies = capture.exchanges.iter().flat_map(|e| {
        let response = e.response.as_ref().and_then(|r| r.body.as_ref());
        e.request.body.iter().chain(response)
    });
    for body in bodies {
        let _ = body.decoded(limits);
    }
}

/// A fuzz entry point: arbitrary bytes in, no panic out.
pub type Target = fn(&[u8]);

/// The names `tests/fuzz_replay.rs` and `fuzz/` use, with their entry points.
pub const TARGETS: &[(&str, Target)] = &[
    ("har", har),
    ("capture", capture),
    ("raw_http", raw_http),
    ("saz", saz),
];
