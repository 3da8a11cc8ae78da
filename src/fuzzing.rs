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

/// A fixed clock, so relative times ("expired 2 h ago") are rendered too.
fn fuzz_text_options(show_secrets: bool) -> crate::decode::TextOptions {
    crate::decode::TextOptions {
        show_secrets,
        reference_time: chrono::DateTime::from_timestamp(1_795_158_252, 0),
    }
}

/// JWT: bytes → lossy text → decode, render (JSON and text), and scan the
/// text for embedded tokens.
pub fn jwt(data: &[u8]) {
    use crate::decode::jwt;
    let text = String::from_utf8_lossy(data);
    let touch = |j: &jwt::Jwt| {
        let _ = serde_json::to_string(j);
        let _ = j.write_text(&mut std::io::sink(), &fuzz_text_options(true));
        let _ = j.validity_at(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let _ = (j.audiences(), j.scopes(), j.username(), j.version());
    };
    if let Ok(j) = jwt::decode(&text) {
        touch(&j);
    }
    let _ = jwt::looks_like_jwt(&text);
    for token in jwt::find_jwts(&text) {
        if let Ok(j) = jwt::decode(token) {
            touch(&j);
        }
    }
}

/// OAuth / OIDC: the first line as a URL (decoded as a request URL, and the
/// rest as a form body and a JSON body posted to it), then the whole input
/// as a form body, a JSON body and an error description.
pub fn oauth(data: &[u8]) {
    use crate::decode::oidc;
    let text = String::from_utf8_lossy(data);
    let touch = |m: &oidc::OidcMessage| {
        let _ = serde_json::to_string(m);
        let _ = crate::secret::with_secrets_shown(true, || serde_json::to_string(m));
        let _ = m.write_text(&mut std::io::sink(), &fuzz_text_options(false));
        let _ = (m.kind(), m.consent(), m.state(), m.jwts());
    };
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let url = url::Url::parse(first.trim()).ok();
    if let Some(url) = &url {
        oidc::decode_url(url).iter().for_each(touch);
        oidc::decode_form_body(Some(url), rest)
            .iter()
            .for_each(touch);
        if let Ok(Some(m)) = oidc::decode_json(Some(url), rest) {
            touch(&m);
        }
    }
    oidc::decode_form_body(None, &text).iter().for_each(touch);
    if let Ok(Some(m)) = oidc::decode_json(None, &text) {
        touch(&m);
    }
    let _ = oidc::parse_error_description(&text);
    let _ = oidc::find_aadsts_codes(&text);
}

/// A fuzz entry point: arbitrary bytes in, no panic out.
pub type Target = fn(&[u8]);

/// The names `tests/fuzz_replay.rs` and `fuzz/` use, with their entry points.
pub const TARGETS: &[(&str, Target)] = &[
    ("har", har),
    ("capture", capture),
    ("jwt", jwt),
    ("oauth", oauth),
];
