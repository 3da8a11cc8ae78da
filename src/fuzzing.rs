//! Entry points for the cargo-fuzz targets under `fuzz/` and for the corpus
//! replay test at the end of this file, so a normal `cargo test` re-runs
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

/// SAML and WS-Federation: bytes (lossy UTF-8) as a `SAMLResponse`-style
/// parameter value (redirect binding), as XML documents, and as a `wresult`;
/// every decoded message is also rendered as text and JSON.
pub fn saml(data: &[u8]) {
    use crate::decode::{TextOptions, saml, wsfed};
    let text = String::from_utf8_lossy(data);
    let opts = TextOptions {
        show_secrets: false,
        reference_time: chrono::DateTime::from_timestamp(1_700_000_000, 0),
    };
    let mut sink = std::io::sink();
    let params = saml::BindingParams {
        binding: saml::Binding::HttpRedirect,
        relay_state: Some("r"),
        sig_alg: Some("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
        signature: Some("c2ln"),
    };
    if let Ok(decoded) = saml::decode_value(&text, &params) {
        for m in &decoded.messages {
            let _ = m.write_text(&mut sink, &opts);
            let _ = serde_json::to_vec(m);
        }
    }
    if let Ok(messages) = saml::decode_documents(&text) {
        for m in &messages {
            let _ = m.write_text(&mut sink, &opts);
        }
    }
    let _ = saml::pretty_xml(&text);
    if let Ok(m) = wsfed::decode_params(&[("wa", "wsignin1.0"), ("wresult", text.as_ref())]) {
        let _ = m.write_text(&mut sink, &opts);
        let _ = serde_json::to_vec(&m);
    }
}

/// Entra ID pages: bytes → lossy UTF-8 → `$Config` extraction, typed
/// fields, troubleshooting block, headers and page classification, then
/// JSON and text rendering (which must not panic either).
pub fn entra_config(data: &[u8]) {
    use crate::decode::entra;
    use crate::decode::pages::PageInput;
    let text = String::from_utf8_lossy(data);
    if let Ok(Some(raw)) = entra::config::extract(&text) {
        let config = entra::ConvergedConfig::from_raw(raw);
        let _ = serde_json::to_vec(&config);
    }
    let _ = entra::troubleshooting::parse(&text);
    // The first line doubles as header values, so the header parsers see
    // arbitrary input too.
    let first = text.lines().next().unwrap_or_default();
    let headers = [
        ("x-ms-clitelem", first),
        ("x-ms-ests-server", first),
        ("Set-Cookie", first),
    ];
    for input in [
        PageInput::new(&text),
        PageInput::new(&text)
            .with_host("login.microsoftonline.com")
            .with_headers(&headers),
    ] {
        if let Some(page) = entra::decode(&input) {
            render(&crate::decode::pages::PageMessage::EntraPage(Box::new(
                page,
            )));
        }
    }
}

/// Other IdPs' error pages: bytes → lossy UTF-8 → `decode_page` with
/// several host hints, plus the Google `authError` URL decoder.
pub fn pages(data: &[u8]) {
    use crate::decode::pages::{self, PageInput};
    let text = String::from_utf8_lossy(data);
    let hints = [
        None,
        Some("https://sts.contoso.example/adfs/ls/"),
        Some("https://accounts.google.com/signin/oauth/error"),
        Some("https://contoso.okta.com/oauth2/v1/authorize"),
        Some("https://www.contoso.example/"),
    ];
    for url in hints {
        let mut input = PageInput::new(&text);
        input.url = url;
        if let Some(msg) = pages::decode_page(&input) {
            render(&msg);
        }
    }
    let _ = pages::google::decode_auth_error(&text);
    let url = format!(
        "https://accounts.google.com/signin/oauth/error?authError={}",
        text.lines().next().unwrap_or_default()
    );
    let _ = pages::google::decode_auth_error_url(&url);
}

fn render(msg: &crate::decode::pages::PageMessage) {
    let _ = serde_json::to_vec(msg);
    let _ = crate::secret::with_secrets_shown(true, || serde_json::to_vec(msg));
    let mut sink = Vec::new();
    let _ = msg.write_text(&mut sink, &crate::decode::TextOptions::default());
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

/// The whole pipeline on arbitrary bytes: load, decode every identity
/// message, group attempts, run every rule, and render the text, JSON and
/// Markdown reports.
pub fn analyze(data: &[u8]) {
    let options = fuzz_options();
    let _ =
        crate::pipeline::with_analysis(data.to_vec(), "fuzz", &options, &Default::default(), |a| {
            let rows = crate::pipeline::rows(a, true);
            let mut sink = std::io::sink();
            let _ = crate::report::text::write(
                &mut sink,
                a,
                &rows,
                true,
                crate::report::Painter::PLAIN,
            );
            let _ = crate::report::markdown::write(&mut sink, a, &rows);
            let _ = serde_json::to_vec(&crate::report::json::CaptureReport::new(a, &rows));
        });
}

/// The signature engine's XML side: the tree, inclusive and exclusive
/// canonicalization of every element (with and without comments, with a
/// prefix list), and the enveloped-signature exclusion of every child.
pub fn c14n(data: &[u8]) {
    use crate::signature::c14n::{Method, canonicalize};
    let text = String::from_utf8_lossy(data);
    let limits = crate::decode::saml::Limits {
        max_elements: 2_000,
        max_depth: 64,
        ..Default::default()
    };
    let Ok(doc) = crate::signature::tree::parse(&text, &limits) else {
        return;
    };
    let methods = [
        Method::Inclusive { comments: false },
        Method::Inclusive { comments: true },
        Method::Exclusive {
            comments: false,
            prefixes: vec![String::new(), "xs".into()],
        },
    ];
    for (path, _) in doc.root.walk().into_iter().take(64) {
        for m in &methods {
            let mut child = path.clone();
            child.push(0);
            let _ = canonicalize(&doc.root, &path, m, Some(&child));
        }
    }
}

/// The verifier: every signature of the document checked (with its own
/// KeyInfo), the wrapping analysis, and decryption attempts without a key;
/// then the redirect-binding and JWS checks on the same bytes as text.
pub fn verify(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::signature::xmldsig::check_document(&text, &[]);
    if let Ok(doc) = crate::signature::tree::parse(&text, &Default::default()) {
        let _ = crate::signature::xmlenc::open_all(&doc.root, &crate::signature::Trust::default());
    }
    let _ = crate::signature::redirect::check(&text, &[]);
    if let Ok(j) = crate::decode::jwt::decode(&text) {
        let _ = crate::signature::jws::check("fuzz", &j, &[], &[]);
    }
    let _ = crate::signature::trust::parse_material("fuzz", data);
    let _ = crate::signature::trust::parse_private_key("fuzz", data);
}

/// Redaction of arbitrary bytes as a capture (format detected): when a
/// copy is produced, no value the redactor replaced may remain in it —
/// raw, or whole as base64 — anywhere (SAZ members decompressed), and the
/// copy must load back. Refusals are expected outcomes.
fn redact_any(data: &[u8]) {
    use crate::redact::{self, Key, Options};
    let load = fuzz_options();
    let Ok(key) = Key::parse(b"00112233445566778899aabbccddeeff") else {
        return;
    };
    for pii in [false, true] {
        let options = Options {
            key: key.clone(),
            pii,
            drop_unparsed: pii,
        };
        let Ok(out) = redact::redact(data, &load, &options) else {
            continue;
        };
        let plain = copy_plain(&out.bytes, &load);
        for original in &out.originals {
            let v = original.expose().as_bytes();
            if v.len() < crate::redact::engine::SWEEP_MIN {
                continue;
            }
            assert!(
                !contains_outside_pseudonyms(&plain, v),
                "an original secret survived redaction"
            );
        }
        // Loads back; a changed diagnosis is a refusal the CLI reports,
        // not a leak, so only a failure to load fails the target.
        if let Err(e) = redact::verify(
            out.bytes,
            &load,
            out.format,
            out.entries,
            out.dropped == 0,
            &out.diagnosis,
        ) {
            assert!(
                e.to_string().contains("diagnoses differently"),
                "the redacted copy does not load back: {e}"
            );
        }
    }
}

/// Whether `needle` occurs in `hay` other than wholly inside a pseudonym
/// (the same pseudonym shapes the sweep skips).
fn contains_outside_pseudonyms(hay: &[u8], needle: &[u8]) -> bool {
    let mut covered = vec![false; hay.len()];
    let mut i = 0;
    while i < hay.len() {
        let n = crate::redact::engine::pseudonym_len(hay.get(i..).unwrap_or_default());
        if n > 0 {
            for c in covered.iter_mut().skip(i).take(n) {
                *c = true;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    memchr::memmem::find_iter(hay, needle).any(|at| {
        covered
            .get(at..at + needle.len())
            .is_none_or(|run| run.iter().any(|c| !c))
    })
}

/// The copy as a reader sees it (a SAZ's members decompressed).
fn copy_plain(bytes: &[u8], load: &LoadOptions) -> Vec<u8> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return bytes.to_vec();
    };
    let mut plain = Vec::new();
    for i in 0..zip.len() {
        let o = zip::ZipReadOptions::new().password(load.password.as_deref().map(str::as_bytes));
        if let Ok(f) = zip.by_index_with_options(i, o) {
            let _ = f
                .take(load.limits.max_decompressed_bytes)
                .read_to_end(&mut plain);
        }
    }
    plain
}

/// `redact` on HAR input: no original secret survives.
pub fn redact_har(data: &[u8]) {
    if crate::capture::detect(data) == Some(crate::capture::Format::Har) {
        redact_any(data);
    }
}

/// `redact` on SAZ input: no original secret survives.
pub fn redact_saz(data: &[u8]) {
    if crate::capture::detect(data) == Some(crate::capture::Format::Saz) {
        redact_any(data);
    }
}

/// A fuzz entry point: arbitrary bytes in, no panic out.
pub type Target = fn(&[u8]);

/// The names `tests/fuzz_replay.rs` and `fuzz/` use, with their entry points.
pub const TARGETS: &[(&str, Target)] = &[
    ("har", har),
    ("capture", capture),
    ("analyze", analyze),
    ("raw_http", raw_http),
    ("saz", saz),
    ("saml", saml),
    ("entra_config", entra_config),
    ("pages", pages),
    ("jwt", jwt),
    ("oauth", oauth),
    ("c14n", c14n),
    ("verify", verify),
    ("redact_har", redact_har),
    ("redact_saz", redact_saz),
];

#[cfg(test)]
mod replay {
    //! Replays every saved fuzz input (`fuzz/corpus/<target>/*` and
    //! `fuzz/artifacts/<target>/*`) through its target, so crashes found once
    //! stay fixed without a nightly toolchain in CI.
    #![allow(clippy::expect_used)]

    use std::path::Path;

    #[test]
    fn replays_saved_fuzz_inputs() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut replayed = 0usize;
        for (name, target) in super::TARGETS {
            for dir in ["corpus", "artifacts"] {
                let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
                    continue;
                };
                let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                for path in paths.iter().filter(|p| p.is_file()) {
                    let data = std::fs::read(path).expect("read fuzz input");
                    target(&data);
                    replayed += 1;
                }
            }
        }
        assert!(
            replayed > 0,
            "no fuzz inputs found under {}",
            root.display()
        );
    }
}
