//! SAZ loading end to end, the way the CLI does it: `Input::from_bytes`
//! then `Input::parse`. Archives are built here with the `zip` writer
//! (plain, ZipCrypto, AES-256); the public corpus under
//! `../shared/corpus/saz` is read in place when present, never copied.

// Test helpers (not `#[test]` functions) unwrap too; STYLE.md allows it in tests.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use trace_inspect::capture::{
    BodyData, Capture, CaptureError, Coding, Headers, Input, Limits, LoadNote, LoadOptions,
};
use zip::unstable::write::FileOptionsExt;
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

#[derive(Clone, Copy)]
enum Enc {
    Plain,
    ZipCrypto(&'static str),
    Aes256(&'static str),
}

const COMMENT: &str =
    "Fiddler (v5.0.20253.3311) Session Archive. See https://api.getfiddler.com/r/?fiddler";

fn zip_of(members: &[(&str, &[u8])], enc: Enc) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.set_comment(COMMENT).unwrap();
    for (name, data) in members {
        let base = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let options = match enc {
            Enc::Plain => base,
            Enc::ZipCrypto(pw) => base.with_deprecated_encryption(pw.as_bytes()).unwrap(),
            Enc::Aes256(pw) => base.with_aes_encryption(AesMode::Aes256, pw),
        };
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn options(password: Option<&str>) -> LoadOptions {
    LoadOptions {
        password: password.map(str::to_owned),
        ..LoadOptions::default()
    }
}

fn open(bytes: Vec<u8>, options: &LoadOptions) -> Result<Input, CaptureError> {
    Input::from_bytes(bytes, options)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// "hello" as one uncompressed brotli meta-block (RFC 7932 §9.2) and an
/// empty last meta-block.
const BROTLI_HELLO: &[u8] = b"\x40\x00\x10hello\x03";

const REQ_1: &[u8] = b"GET https://login.example/authorize?client_id=abc HTTP/1.1\r\nHost: login.example\r\nCookie: esctx=secret; a+b=1\r\n\r\n";
const RESP_1: &[u8] = b"HTTP/1.1 302 Found\r\nLocation: https://app.example/signin-oidc\r\nSet-Cookie: x-ms-gateway-slice=estsfd; path=/; secure; samesite=none; httponly\r\nContent-Length: 0\r\n\r\n";
const META_1: &[u8] = b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Session SID=\"1\" BitFlags=\"9\">\r\n  <SessionTimers ClientConnected=\"2025-08-30T11:33:29.356942-07:00\" ClientBeginRequest=\"2025-08-30T11:33:40.0256586-07:00\" ServerGotRequest=\"2025-08-30T11:33:40.2713745-07:00\" ServerBeginResponse=\"2025-08-30T11:33:41.4264004-07:00\" ClientDoneResponse=\"2025-08-30T11:33:41.4264004-07:00\" DNSTime=\"0\" TCPConnectTime=\"122\" HTTPSHandshakeTime=\"122\" />\r\n  <SessionFlags>\r\n    <SessionFlag N=\"x-hostip\" V=\"44.195.242.49\" />\r\n    <SessionFlag N=\"x-processinfo\" V=\"msedge:12140\" />\r\n  </SessionFlags>\r\n</Session>";
const REQ_2: &[u8] = b"POST /signin-oidc HTTP/1.1\r\nHost: app.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 14\r\n\r\ncode=abc&x=yz1";
const META_2: &[u8] = b"<Session SID=\"2\" BitFlags=\"1\"><SessionTimers ClientBeginRequest=\"2025-08-30T11:33:42.0000000-07:00\"/></Session>";

fn resp_2() -> Vec<u8> {
    let body = gzip(b"<html>signed in</html>");
    let (a, b) = body.split_at(7);
    let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    raw.extend_from_slice(format!("{:x};ext=1\r\n", a.len()).as_bytes());
    raw.extend_from_slice(a);
    raw.extend_from_slice(format!("\r\n{:X}\r\n", b.len()).as_bytes());
    raw.extend_from_slice(b);
    raw.extend_from_slice(b"\r\n0\r\nServer-Timing: total;dur=3\r\n\r\n");
    raw
}

fn resp_3() -> Vec<u8> {
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: br\r\nContent-Length: 9\r\n\r\n".as_slice(),
        BROTLI_HELLO,
    ]
    .concat()
}

fn sample(enc: Enc) -> Vec<u8> {
    let resp_2 = resp_2();
    let resp_3 = resp_3();
    zip_of(
        &[
            ("raw/", b""),
            ("raw/1_c.txt", REQ_1),
            ("raw/1_s.txt", RESP_1),
            ("raw/1_m.xml", META_1),
            (
                "raw/10_c.txt",
                b"GET http://plain.example/br HTTP/1.1\r\n\r\n",
            ),
            ("raw/10_s.txt", &resp_3),
            ("raw/02_c.txt", REQ_2),
            ("raw/02_s.txt", &resp_2),
            ("raw/02_m.xml", META_2),
            ("_index.htm", b"<html></html>"),
            ("[Content_Types].xml", b"<Types/>"),
        ],
        enc,
    )
}

fn check_sample(c: &Capture<'_>) {
    let limits = Limits::default();
    assert_eq!(c.creator.to_string(), "Fiddler 5.0.20253.3311");
    let indexes: Vec<u32> = c.exchanges.iter().map(|e| e.index).collect();
    assert_eq!(indexes, [1, 2, 10], "sessions in numeric order");

    let e = &c.exchanges[0];
    assert_eq!(
        e.request.url,
        "https://login.example/authorize?client_id=abc"
    );
    assert_eq!(e.request.cookies.len(), 2);
    assert_eq!(e.request.cookies[0].value.expose(), "secret");
    let r = e.response.as_ref().unwrap();
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), Some("https://app.example/signin-oidc"));
    assert_eq!(
        r.redirect_url.as_deref(),
        Some("https://app.example/signin-oidc")
    );
    assert!(r.set_cookies[0].secure && r.set_cookies[0].http_only);
    assert!(r.body.is_none());
    assert_eq!(e.server_ip.as_deref(), Some("44.195.242.49"));
    assert_eq!(
        e.meta_text("x-processinfo").as_deref(),
        Some("msedge:12140")
    );
    let started = e.started.unwrap();
    assert!(started.zone_known);
    assert_eq!(started.time.offset().local_minus_utc(), -7 * 3600);
    assert_eq!(e.timings.connect, Some(122.0));
    assert!(e.timings.total.unwrap() > 1400.0);

    let e = c.entry(2).unwrap();
    assert_eq!(
        e.request.url, "https://app.example/signin-oidc",
        "BitFlags IsHTTPS"
    );
    let body = e.request.body.as_ref().unwrap();
    assert_eq!(body.text(&limits).unwrap(), "code=abc&x=yz1");
    assert_eq!(
        body.mime_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let r = e.response.as_ref().unwrap();
    let body = r.body.as_ref().unwrap();
    assert_eq!(body.codings, [Coding::Gzip]);
    assert_eq!(body.text(&limits).unwrap(), "<html>signed in</html>");
    assert_eq!(body.essence().as_deref(), Some("text/html"));
    assert_eq!(
        e.meta_text("trailer.Server-Timing").as_deref(),
        Some("total;dur=3")
    );

    let e = c.entry(10).unwrap();
    assert_eq!(e.request.url, "http://plain.example/br");
    assert!(e.started.is_none());
    let body = e.response.as_ref().unwrap().body.as_ref().unwrap();
    assert_eq!(body.codings, [Coding::Brotli]);
    assert_eq!(body.text(&limits).unwrap(), "hello");
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn loads_a_plain_archive() {
    let o = options(None);
    let input = open(sample(Enc::Plain), &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    check_sample(&c);
}

#[test]
fn borrows_header_values_and_bodies_from_the_archive() {
    let o = options(None);
    let input = open(sample(Enc::Plain), &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    let e = c.entry(1).unwrap();
    assert!(matches!(
        e.request.headers[0].value,
        std::borrow::Cow::Borrowed(_)
    ));
    let body = c.entry(2).unwrap().request.body.as_ref().unwrap();
    assert!(matches!(
        body.data,
        BodyData::Bytes(std::borrow::Cow::Borrowed(_))
    ));
}

#[test]
fn opens_encrypted_archives_with_the_right_password_only() {
    for enc in [Enc::ZipCrypto("s3cret"), Enc::Aes256("s3cret")] {
        let bytes = sample(enc);
        let good = options(Some("s3cret"));
        let input = open(bytes.clone(), &good).unwrap();
        check_sample(&input.parse("t.saz", &good).unwrap());
        assert_eq!(
            open(bytes.clone(), &options(None)).err(),
            Some(CaptureError::PasswordRequired)
        );
        assert_eq!(
            open(bytes, &options(Some("wrong"))).err(),
            Some(CaptureError::WrongPassword)
        );
    }
}

#[test]
fn password_errors_say_what_to_do() {
    let msg = CaptureError::PasswordRequired.to_string();
    assert!(
        msg.contains("--password") && msg.contains("TRACE_INSPECT_SAZ_PASSWORD"),
        "{msg}"
    );
}

#[test]
fn a_connect_only_capture_is_all_tunnels() {
    let bytes = zip_of(
        &[
            ("raw/01_c.txt", b"CONNECT login.microsoftonline.com:443 HTTP/1.1\r\nHost: login.microsoftonline.com:443\r\n\r\nA SSLv3-compatible ClientHello handshake was found.\n"),
            ("raw/01_s.txt", b"HTTP/1.1 200 Connection Established\r\nFiddlerGateway: Direct\r\nConnection: close\r\n\r\nThis is a CONNECT tunnel, through which encrypted HTTPS traffic flows.\n"),
        ],
        Enc::Plain,
    );
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    let e = &c.exchanges[0];
    assert!(e.is_tunnel());
    assert_eq!(e.request.url, "login.microsoftonline.com:443");
    assert_eq!(
        e.request.parsed_url.as_ref().map(|u| u.as_str()),
        Some("https://login.microsoftonline.com/")
    );
    assert_eq!(e.request.host(), Some("login.microsoftonline.com"));
    assert!(e.request.body.is_none());
    let r = e.response.as_ref().unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body.is_none());
}

#[test]
fn stops_a_zip_bomb_at_the_limit() {
    let zeros = vec![0u8; 16 << 20];
    let bytes = zip_of(
        &[
            ("raw/1_c.txt", b"GET / HTTP/1.1\r\n\r\n"),
            ("raw/1_s.txt", &zeros),
        ],
        Enc::Plain,
    );
    assert!(bytes.len() < 1 << 20, "the bomb is small: {}", bytes.len());
    let o = LoadOptions {
        limits: Limits {
            max_decompressed_bytes: 1 << 20,
            ..Limits::default()
        },
        ..LoadOptions::default()
    };
    let started = Instant::now();
    let err = open(bytes, &o).unwrap_err();
    assert_eq!(
        err,
        CaptureError::TooLarge {
            what: "decompressed archive".into(),
            limit: 1 << 20,
            flag: "--max-decompressed"
        }
    );
    assert!(err.to_string().contains("--max-decompressed"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn counts_every_member_against_the_limit() {
    let body = vec![b'a'; 300 << 10];
    let members: Vec<(String, &[u8])> = (1..=5)
        .flat_map(|n| {
            [
                (
                    format!("raw/{n}_c.txt"),
                    b"GET / HTTP/1.1\r\n\r\n".as_slice(),
                ),
                (format!("raw/{n}_s.txt"), body.as_slice()),
            ]
        })
        .collect();
    let members: Vec<(&str, &[u8])> = members.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let o = LoadOptions {
        limits: Limits {
            max_decompressed_bytes: 1 << 20,
            ..Limits::default()
        },
        ..LoadOptions::default()
    };
    assert!(matches!(
        open(zip_of(&members, Enc::Plain), &o),
        Err(CaptureError::TooLarge { .. })
    ));
}

#[test]
fn recovers_sessions_from_a_truncated_zip() {
    let bytes = sample(Enc::Plain);
    // Cut inside the second session's response: the central directory is
    // gone, sessions 1 and 10 and 2's request survive.
    let cut = bytes
        .windows(12)
        .position(|w| w == b"raw/02_s.txt")
        .unwrap()
        + 40;
    let o = options(None);
    let input = open(bytes[..cut].to_vec(), &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    assert!(c.is_truncated(), "{:?}", c.notes);
    assert_eq!(c.exchanges.len(), 3);
    assert_eq!(c.entry(1).unwrap().status(), 302);
    assert!(c.entry(10).is_some());
    assert!(
        c.notes
            .iter()
            .any(|n| matches!(n, LoadNote::Truncated { recovered: 3, .. }))
    );

    for (enc, password) in [(Enc::ZipCrypto("pw"), "pw"), (Enc::Aes256("pw"), "pw")] {
        let bytes = sample(enc);
        let cut = bytes
            .windows(12)
            .position(|w| w == b"raw/02_s.txt")
            .unwrap()
            + 60;
        let o = options(Some(password));
        let input = open(bytes[..cut].to_vec(), &o).unwrap();
        let c = input.parse("t.saz", &o).unwrap();
        assert!(c.is_truncated());
        assert_eq!(c.entry(1).unwrap().status(), 302);
        assert_eq!(
            open(bytes[..cut].to_vec(), &options(Some("wrong"))).err(),
            Some(CaptureError::WrongPassword)
        );
    }

    for len in [0, 3, 4, 20, 40] {
        let err = open(bytes[..len].to_vec(), &o).err();
        assert!(
            matches!(
                err,
                Some(
                    CaptureError::NotZip(_)
                        | CaptureError::Empty
                        | CaptureError::UnknownFormat { .. }
                )
            ),
            "{len}: {err:?}"
        );
    }
    // Every other cut loads or fails cleanly.
    for len in (0..bytes.len()).step_by(7) {
        if let Ok(input) = open(bytes[..len].to_vec(), &o) {
            let _ = input.parse("t.saz", &o);
        }
    }
}

#[test]
fn notes_missing_responses_and_websocket_logs() {
    let bytes = zip_of(
        &[
            ("raw/1_c.txt", b"GET http://a.example/ HTTP/1.1\r\n\r\n"),
            (
                "raw/2_c.txt",
                b"GET http://a.example/ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            ),
            (
                "raw/2_s.txt",
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
            ),
            ("raw/2_w.txt", b"messages"),
            ("raw/3_s.txt", b"HTTP/1.1 200 OK\r\n\r\n"),
        ],
        Enc::Plain,
    );
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    assert_eq!(c.exchanges.len(), 2);
    assert!(c.exchanges[0].response.is_none());
    assert!(c.notes.contains(&LoadNote::MissingResponse(1)));
    assert!(c.notes.contains(&LoadNote::WebSocketSessions(vec![2])));
    assert!(
        c.notes
            .iter()
            .any(|n| n.to_string().contains("session 3 has no request"))
    );
    assert_eq!(c.entry(2).unwrap().status(), 101);
}

#[test]
fn uses_the_first_of_two_members_for_one_session() {
    let bytes = zip_of(
        &[
            (
                "raw/1_c.txt",
                b"GET http://a.example/first HTTP/1.1\r\n\r\n",
            ),
            (
                "raw/001_c.txt",
                b"GET http://a.example/second HTTP/1.1\r\n\r\n",
            ),
            ("raw/1_s.txt", b"HTTP/1.1 204 No Content\r\n\r\n"),
        ],
        Enc::Plain,
    );
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    assert_eq!(c.exchanges.len(), 1);
    assert_eq!(c.exchanges[0].request.url, "http://a.example/first");
    assert!(
        c.notes.iter().any(|n| n
            .to_string()
            .starts_with("1 duplicate session member(s) ignored")),
        "{:?}",
        c.notes
    );
}

#[test]
fn keeps_sessions_whose_files_do_not_parse() {
    let long = format!(
        "GET /x HTTP/1.1\r\nHost: a\r\n{}\r\n",
        "X: 1\r\n".repeat(20)
    );
    let bytes = zip_of(
        &[
            ("raw/1_c.txt", b"GET https://a.example/ok HTTP/1.1\r\n\r\n"),
            ("raw/1_s.txt", b"this is not HTTP"),
            (
                "raw/2_c.txt",
                b"GET https://a.example/bad HTTP/1.1\r\nno colon here\r\n\r\n",
            ),
            ("raw/2_s.txt", b"HTTP/1.1 200 OK\r\n\r\n"),
            ("raw/3_c.txt", long.as_bytes()),
            ("raw/3_m.xml", b"<Session><<<"),
            ("raw/4_c.txt", b"GET https://a.example/cut HTTP/1.1\r\n\r\n"),
            (
                "raw/4_s.txt",
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
            ),
        ],
        Enc::Plain,
    );
    let o = LoadOptions {
        limits: Limits {
            max_headers: 10,
            ..Limits::default()
        },
        ..LoadOptions::default()
    };
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    assert_eq!(c.exchanges.len(), 4);
    let e = c.entry(1).unwrap();
    assert!(e.response.is_none());
    assert!(
        e.error
            .as_deref()
            .unwrap()
            .contains("status-line at byte 0"),
        "{:?}",
        e.error
    );
    let e = c.entry(2).unwrap();
    assert_eq!(
        (e.request.method.as_ref(), e.request.url.as_ref()),
        ("GET", "https://a.example/bad")
    );
    assert!(
        e.error
            .as_deref()
            .unwrap()
            .contains("request could not be parsed")
    );
    assert_eq!(e.status(), 200);
    let e = c.entry(3).unwrap();
    assert!(
        e.error.as_deref().unwrap().contains("--max-headers"),
        "{:?}",
        e.error
    );
    assert!(
        c.notes
            .iter()
            .any(|n| n.to_string().contains("raw/3_m.xml"))
    );
    let e = c.entry(4).unwrap();
    assert_eq!(
        e.response
            .as_ref()
            .unwrap()
            .body
            .as_ref()
            .unwrap()
            .recorded_len(),
        5
    );
    assert!(c.notes.iter().any(|n| {
        n.to_string()
            .contains("session 4: the response body is shorter")
    }));
}

#[test]
fn refuses_zips_that_are_not_saz() {
    let o = options(None);
    let bytes = zip_of(
        &[("hello.txt", b"hi"), ("raw/readme.txt", b"x")],
        Enc::Plain,
    );
    let err = open(bytes, &o).unwrap_err();
    assert_eq!(
        err,
        CaptureError::NotSaz("no raw/ folder of Fiddler sessions (raw/NN_c.txt)".into())
    );
    let err = trace_inspect::capture::saz::Archive::extract(b"PK\x03\x04 but nothing else", &o)
        .unwrap_err();
    assert!(matches!(err, CaptureError::NotZip(_)), "{err:?}");
}

#[test]
fn without_a_fiddler_comment_the_creator_is_fiddler() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("raw/1_c.txt", SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"GET http://a/ HTTP/1.1\r\n\r\n").unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    assert_eq!(c.creator.to_string(), "Fiddler");
    assert_eq!(c.format.as_str(), "saz");
}

// ---------------------------------------------------------------------------
// Public corpus (read in place, skipped when absent)

fn corpus(name: &str) -> Option<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/saz")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipping: {} not found", path.display());
            None
        }
    }
}

#[test]
fn corpus_knapcode_httpbin() {
    let Some(bytes) = corpus("knapcode_httpbin-test.saz") else {
        return;
    };
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("knapcode_httpbin-test.saz", &o).unwrap();
    assert_eq!(c.exchanges.len(), 6);
    assert_eq!(c.creator.to_string(), "Fiddler 5.0.20253.3311");
    let limits = Limits::default();
    for (entry, coding, needle) in [
        (3, Coding::Brotli, "\"brotli\": true"),
        (5, Coding::Gzip, "\"gzipped\": true"),
        (4, Coding::Deflate, "\"deflated\": true"),
    ] {
        let body = c
            .entry(entry)
            .unwrap()
            .response
            .as_ref()
            .unwrap()
            .body
            .as_ref()
            .unwrap();
        assert_eq!(body.codings, [coding]);
        let text = body.text(&limits).unwrap();
        assert!(text.contains(needle), "#{entry}: {text}");
    }
    let e = c.entry(2).unwrap();
    let text = e
        .response
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .text(&limits)
        .unwrap();
    assert!(
        text.starts_with("{\"url\": \"https://httpbin.org/stream/5\""),
        "de-chunked: {text}"
    );
    assert_eq!(e.server_ip.as_deref(), Some("44.195.242.49"));
    assert!(
        c.exchanges
            .iter()
            .all(|e| e.error.is_none() && e.started.is_some())
    );
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn corpus_nodesaz() {
    let o = options(None);
    if let Some(bytes) = corpus("nodesaz_multipleSessions.saz") {
        let input = open(bytes, &o).unwrap();
        let c = input.parse("m.saz", &o).unwrap();
        assert_eq!(c.exchanges.len(), 4);
        assert!(c.exchanges.iter().all(|e| e.status() > 0));
    }
    if let Some(bytes) = corpus("nodesaz_simple.saz") {
        let input = open(bytes, &o).unwrap();
        let c = input.parse("s.saz", &o).unwrap();
        assert_eq!(c.exchanges.len(), 1);
        let e = &c.exchanges[0];
        assert_eq!(e.request.url, "http://localhost:9000/test");
        let limits = Limits::default();
        assert_eq!(
            e.request.body.as_ref().unwrap().text(&limits).unwrap(),
            "{\"request\":\"test\"}"
        );
        // Declared chunked, stored de-chunked: kept as is.
        let body = e.response.as_ref().unwrap().body.as_ref().unwrap();
        assert_eq!(body.text(&limits).unwrap(), "{\"result\":\"ok\"}");
    }
    if let Some(bytes) = corpus("nodesaz_notASazFile.saz") {
        // Plain text: format detection refuses it before any zip parsing;
        // the SAZ reader itself calls it "not a zip".
        assert!(matches!(
            trace_inspect::capture::saz::Archive::extract(&bytes, &o),
            Err(CaptureError::NotZip(_))
        ));
        assert!(matches!(
            open(bytes, &o),
            Err(CaptureError::UnknownFormat { .. })
        ));
    }
}

#[test]
fn corpus_saz2jmx() {
    let Some(bytes) = corpus("saz2jmx_test.saz") else {
        return;
    };
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let c = input.parse("saz2jmx_test.saz", &o).unwrap();
    assert_eq!(c.exchanges.len(), 14);
    assert_eq!(c.creator.version, "5.0.20202.18177");
    let e = c.entry(1).unwrap();
    assert_eq!(e.meta_text("x-hostip").as_deref(), Some("50.56.19.116"));
    assert_eq!(e.server_ip.as_deref(), Some("50.56.19.116"));
    let started = e.started.unwrap();
    assert_eq!(started.time.offset().local_minus_utc(), -6 * 3600);
    assert_eq!(
        started.time.to_rfc3339(),
        "2020-09-01T13:57:52.211861-06:00"
    );
    let body = e.response.as_ref().unwrap().body.as_ref().unwrap();
    assert_eq!(body.codings, [Coding::Gzip]);
    assert!(!body.text(&Limits::default()).unwrap().is_empty());
    assert_eq!(
        e.response.as_ref().unwrap().header("content-encoding"),
        Some("gzip")
    );
    let big = c
        .entry(3)
        .unwrap()
        .response
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert_eq!(big.recorded_len(), 133_189);
    let tunnels = c.exchanges.iter().filter(|e| e.is_tunnel()).count();
    assert_eq!(tunnels, 11);
    let t = c.entry(4).unwrap();
    assert_eq!(
        t.request.parsed_url.as_ref().map(|u| u.as_str()),
        Some("https://cdn.walkme.com/")
    );
    assert_eq!(t.timings.wait, None, "ServerBeginResponse is unset");
}

// ---------------------------------------------------------------------------
// Fuzz seeds

/// Regenerates `fuzz/corpus/saz/*` and `fuzz/corpus/raw_http/*`:
/// `cargo test --test saz -- --ignored writes_fuzz_seeds`.
#[test]
#[ignore = "writes seed files; run by hand"]
fn writes_fuzz_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let saz = root.join("saz");
    std::fs::create_dir_all(&saz).unwrap();
    let small = |enc| {
        zip_of(
            &[
                ("raw/1_c.txt", REQ_1),
                ("raw/1_s.txt", RESP_1),
                ("raw/1_m.xml", META_2),
                ("raw/2_c.txt", REQ_2),
                ("raw/2_s.txt", &resp_3()),
                ("raw/2_w.txt", b"x"),
            ],
            enc,
        )
    };
    std::fs::write(saz.join("seed-plain.saz"), small(Enc::Plain)).unwrap();
    std::fs::write(
        saz.join("seed-zipcrypto-fuzz.saz"),
        small(Enc::ZipCrypto("fuzz")),
    )
    .unwrap();
    std::fs::write(saz.join("seed-aes-fuzz.saz"), small(Enc::Aes256("fuzz"))).unwrap();
    let full = sample(Enc::Plain);
    std::fs::write(saz.join("seed-truncated.saz"), &full[..full.len() / 2]).unwrap();

    let raw = root.join("raw_http");
    std::fs::create_dir_all(&raw).unwrap();
    let seeds: [(&str, Vec<u8>); 6] = [
        ("request-absolute", REQ_1.to_vec()),
        ("request-origin-body", REQ_2.to_vec()),
        ("response-redirect", RESP_1.to_vec()),
        ("response-chunked-gzip", resp_2()),
        ("request-connect", b"CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\nnotes".to_vec()),
        ("response-fold-interim-lf", b"HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nX: a\n b\nTransfer-Encoding: chunked\n\n3;e=\"q\"\nabc\n0\nT: 1\n\n".to_vec()),
    ];
    for (name, data) in seeds {
        std::fs::write(raw.join(name), data).unwrap();
    }
}

#[test]
fn keeps_the_size_and_type_of_an_image_body_but_not_its_bytes() {
    let size = 5_000_000;
    let mut png =
        format!("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {size}\r\n\r\n")
            .into_bytes();
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    png.resize(png.len() + size - 8, 7);
    let bytes = zip_of(
        &[
            ("raw/1_c.txt", REQ_1),
            ("raw/1_s.txt", &png),
            ("raw/2_c.txt", REQ_2),
            ("raw/2_s.txt", &resp_2()),
        ],
        Enc::Plain,
    );
    let o = options(None);
    let input = open(bytes, &o).unwrap();
    let held = format!("{input:?}");
    let kept: usize = held
        .split("bytes: ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(kept < 4096, "only the heads are held: {held}");
    let c = input.parse("t.saz", &o).unwrap();
    let image = c.exchanges[0].response.as_ref().unwrap();
    let body = image.body.as_ref().unwrap();
    assert!(matches!(
        body.data,
        BodyData::NotKept {
            size: 5_000_000,
            too_large: false
        }
    ));
    assert_eq!(body.recorded_len(), size);
    assert_eq!(body.mime_type.as_deref(), Some("image/png"));
    assert!(body.text(&o.limits).is_err());
    // The HTML page is kept and decodes as before.
    let page = c.exchanges[1]
        .response
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert_eq!(&*page.text(&o.limits).unwrap(), "<html>signed in</html>");
    assert!(
        c.notes
            .iter()
            .all(|n| !format!("{n:?}").contains("not kept"))
    );
}

#[test]
fn a_body_over_the_body_limit_is_not_kept_and_noted() {
    let mut html = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    html.resize(html.len() + (3 << 20), b'a');
    let bytes = zip_of(
        &[("raw/1_c.txt", REQ_1), ("raw/1_s.txt", &html)],
        Enc::Plain,
    );
    let o = LoadOptions {
        limits: Limits {
            max_body_bytes: 1 << 20,
            ..Limits::default()
        },
        ..LoadOptions::default()
    };
    let input = open(bytes, &o).unwrap();
    let c = input.parse("t.saz", &o).unwrap();
    let body = c.exchanges[0]
        .response
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert!(matches!(
        body.data,
        BodyData::NotKept {
            size: 3145728,
            too_large: true
        }
    ));
    // Exactly what decoding a kept body over the limit said before.
    assert_eq!(
        body.text(&o.limits).unwrap_err().to_string(),
        "body decodes to more than 1048576 bytes (raise --max-body-size to read it)"
    );
    assert!(
        c.notes.iter().any(|n| format!("{n:?}").contains(
            "session 1: the response body (3145728 bytes) is larger than --max-body-size"
        )),
        "{:?}",
        c.notes
    );
}

#[test]
fn reads_an_archive_from_an_open_file_as_from_its_bytes() {
    let bytes = sample(Enc::Plain);
    let o = options(None);
    let from_bytes = open(bytes.clone(), &o).unwrap();
    let from_file = Input::from_saz_reader(Cursor::new(bytes.clone()), &o).unwrap();
    let (a, b) = (
        from_bytes.parse("t.saz", &o).unwrap(),
        from_file.parse("t.saz", &o).unwrap(),
    );
    assert_eq!(format!("{:?}", a.exchanges), format!("{:?}", b.exchanges));
    assert_eq!(a.notes, b.notes);
    // A truncated one too, through the local-header walk.
    let cut = bytes.len() - 200;
    let truncated = Input::from_saz_reader(Cursor::new(bytes[..cut].to_vec()), &o).unwrap();
    let t = truncated.parse("t.saz", &o).unwrap();
    assert!(
        t.notes
            .iter()
            .any(|n| matches!(n, LoadNote::Truncated { .. }))
    );
}
