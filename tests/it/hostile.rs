//! The hostile-input suite: each case generated here (nothing large is
//! committed), each with its bound asserted as an exit code and a message.
//! Time and memory bounds are measured by the benchmarks, not here.

use std::io::{Cursor, Read, Write};
use std::process::{Command, Stdio};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::common::bin;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn saz(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const GOOD_C: &[u8] = b"GET https://login.example/authorize?client_id=app&state=st1 HTTP/1.1\r\nHost: login.example\r\nCookie: esctx=hostile-cookie-secret-1\r\n\r\n";
const GOOD_S: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
/// A header line without `:` (RFC 9112 §5.1: field-name ":" field-value).
const BAD_C: &[u8] = b"GET https://app.example/ HTTP/1.1\r\nHost: app.example\r\nthis line has no colon\r\nCookie: session=hostile-cookie-secret-2\r\nAuthorization: Bearer hostile-bearer-secret\r\n\r\n";

fn members_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

#[test]
fn redact_refuses_a_saz_message_it_cannot_parse_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.saz");
    std::fs::write(
        &input,
        saz(&[
            ("raw/01_c.txt", GOOD_C),
            ("raw/01_s.txt", GOOD_S),
            ("raw/02_c.txt", BAD_C),
            ("raw/02_s.txt", GOOD_S),
        ]),
    )
    .unwrap();
    let out = dir.path().join("out.saz");
    let o = bin()
        .args(["redact"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(
        err.contains("raw/02_c.txt") && err.contains("--drop-unparsed"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");

    // With --drop-unparsed: session 2 is left out, with a receipt line.
    let o = bin()
        .args(["redact", "--drop-unparsed"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    assert!(stderr_of(&o).contains("dropped"), "{}", stderr_of(&o));
    let written = std::fs::read(&out).unwrap();
    let names: Vec<String> = members_of(&written).into_iter().map(|m| m.0).collect();
    assert_eq!(names, ["raw/01_c.txt", "raw/01_s.txt"]);
    for secret in [
        "hostile-cookie-secret-1",
        "hostile-cookie-secret-2",
        "hostile-bearer-secret",
    ] {
        assert!(
            memchr::memmem::find(&written_plain(&written), secret.as_bytes()).is_none(),
            "{secret} survived"
        );
    }
}

/// Every member's decompressed bytes, concatenated.
fn written_plain(saz: &[u8]) -> Vec<u8> {
    members_of(saz).into_iter().flat_map(|m| m.1).collect()
}

#[test]
fn redact_drops_members_that_are_not_session_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.saz");
    std::fs::write(
        &input,
        saz(&[
            ("raw/01_c.txt", GOOD_C),
            ("raw/01_s.txt", GOOD_S),
            ("../../etc/x_1_c.txt", b"Cookie: a=hostile-escape-secret"),
            ("raw/../../y_1_c.txt", b"Cookie: a=hostile-escape-secret"),
            ("notes.txt", b"password=hostile-escape-secret"),
        ]),
    )
    .unwrap();
    let out = dir.path().join("out.saz");
    let o = bin()
        .args(["redact"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(err.contains("../../etc/x_1_c.txt"), "listed: {err}");
    let written = std::fs::read(&out).unwrap();
    let names: Vec<String> = members_of(&written).into_iter().map(|m| m.0).collect();
    assert_eq!(names, ["raw/01_c.txt", "raw/01_s.txt"]);
    assert!(memchr::memmem::find(&written_plain(&written), b"hostile-escape-secret").is_none());
}

#[test]
fn redact_writes_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = crate::common::root().join("traces/entra-saml-success.har");
    // A symbolic link (as /dev/stdout is), even with --force.
    let link = dir.path().join("link.har");
    std::os::unix::fs::symlink(dir.path().join("target.har"), &link).unwrap();
    for target in [
        link.as_path(),
        std::path::Path::new("/dev/null"),
        dir.path(),
    ] {
        let o = bin()
            .args(["redact", "--force"])
            .arg(&input)
            .arg("-o")
            .arg(target)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", target.display());
        assert!(stderr_of(&o).contains("regular file"), "{}", stderr_of(&o));
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("target.har").exists());
    assert!(
        std::fs::metadata("/dev/null")
            .map(|m| !m.is_file())
            .unwrap_or(true)
    );
}

#[test]
fn devices_fifos_and_oversized_files_are_refused_at_once() {
    let o = bin().arg("/dev/zero").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("not a regular file"),
        "{}",
        stderr_of(&o)
    );

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.har");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        // Opening a FIFO for reading would block forever: refused first.
        let o = bin().arg(&fifo).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr_of(&o).contains("a FIFO"), "{}", stderr_of(&o));
        let o = bin()
            .args(["triage", "--format", "ndjson"])
            .arg(&fifo)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "a row with the error");
        assert!(String::from_utf8_lossy(&o.stdout).contains("a FIFO"));
        // Inside a folder: not opened, reported and counted as skipped.
        let o = bin().arg("triage").arg(dir.path()).output().unwrap();
        assert!(
            stderr_of(&o).contains("not a regular file"),
            "{}",
            stderr_of(&o)
        );
    } else {
        eprintln!("skipped the FIFO cases: mkfifo is not available");
    }

    let o = bin()
        .args(["--max-capture-size", "1k"])
        .arg(crate::common::root().join("traces/entra-saml-success.har"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("--max-capture-size"),
        "{}",
        stderr_of(&o)
    );
}

#[test]
fn triage_caps_jobs() {
    let o = bin()
        .args(["triage", "-j", "5000", "--format", "ndjson"])
        .arg(crate::common::root().join("traces/entra-saml-success.har"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    assert!(stderr_of(&o).contains("lowered to"), "{}", stderr_of(&o));
}

/// Runs the binary with its stdout a pipe whose reader closes after one
/// byte: the command must exit quietly (0 or 1 by its finding), never 2.
fn quiet_on_closed_pipe(args: &[&str]) {
    let exe = assert_cmd::cargo::cargo_bin("trace-inspect");
    let mut child = Command::new(exe)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    let _ = stdout.read(&mut one);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_ne!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
}

#[test]
fn a_closed_pipe_is_quiet_from_every_command_and_format() {
    let dir = tempfile::tempdir().unwrap();
    // Large enough that the output outgrows the pipe's buffer.
    let trace = crate::common::root().join("traces/entra-saml-success.har");
    for i in 0..200 {
        std::fs::copy(&trace, dir.path().join(format!("c{i:03}.har"))).unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    let many: Vec<String> = (0..40)
        .map(|i| {
            dir.path()
                .join(format!("c{i:03}.har"))
                .display()
                .to_string()
        })
        .collect();
    for format in ["ndjson", "json", "csv", "table"] {
        quiet_on_closed_pipe(&["triage", "--format", format, folder]);
    }
    for format in ["json", "text", "markdown"] {
        let mut args = vec!["--all", "--format", format];
        args.extend(many.iter().map(String::as_str));
        quiet_on_closed_pipe(&args);
    }
}

#[test]
fn one_element_with_a_huge_number_of_attributes_is_refused_not_parsed() {
    use trace_inspect::decode::saml::{Limits, SamlError, decode_documents_with};
    let mut xml = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1""#,
    );
    for i in 0..200_000 {
        xml.push_str(&format!(" a{i}=\"v\""));
    }
    xml.push_str("/>");
    let limits = Limits {
        max_bytes: 64 << 20,
        ..Limits::default()
    };
    assert_eq!(
        decode_documents_with(&xml, &limits).err(),
        Some(SamlError::TooManyAttributes {
            limit: limits.max_attributes
        })
    );
    // Duplicates are still found (XML 1.0 §3.1, Unique Att Spec).
    let dup =
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" ID="_2"/>"#;
    assert!(matches!(
        decode_documents_with(dup, &Limits::default()),
        Err(SamlError::Malformed { .. })
    ));
}

#[test]
fn symlink_loops_in_triage_folders_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::root().join("traces/entra-saml-success.har"),
        dir.path().join("a.har"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("gone.har")).unwrap();
    let o = bin()
        .args(["triage", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["aggregate"]["captures"], 1);
    assert_eq!(v["aggregate"]["skipped"], 1, "the dangling link is counted");
    assert!(stderr_of(&o).contains("dangling"), "{}", stderr_of(&o));
}

#[test]
fn unsigned_and_nested_jwts_are_redacted_by_shape() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let unsigned = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(r#"{"sub":"hostile-unsigned-subject","aud":"api://x"}"#)
    );
    let inner = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(r#"{"sub":"inner"}"#),
        b64("hostile-inner-signature-bytes")
    );
    let nested = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","cty":"JWT"}"#),
        b64(&inner),
        b64("hostile-outer-signature-bytes")
    );
    let har = |headers: serde_json::Value| {
        serde_json::json!({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
        {"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1,
         "request": {"method": "GET", "url": "https://api.example/v1/me", "httpVersion": "HTTP/1.1",
            "headers": headers,
            "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 0},
         "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
            "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
         "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}]}})
    };
    let dir = tempfile::tempdir().unwrap();
    let run = |doc: serde_json::Value| {
        let input = dir.path().join("in.har");
        let out = dir.path().join("out.har");
        let _ = std::fs::remove_file(&out);
        std::fs::write(&input, doc.to_string()).unwrap();
        let o = bin()
            .arg("redact")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        (
            o.status.code(),
            stderr_of(&o),
            std::fs::read_to_string(&out).ok(),
        )
    };
    // Nested: both signatures go, the copy is written and verified.
    let (code, err, written) = run(har(
        serde_json::json!([{"name": "Authorization", "value": format!("Bearer {nested}")}]),
    ));
    assert_eq!(code, Some(0), "{err}");
    let written = written.unwrap();
    assert!(
        !written.contains(&b64("hostile-inner-signature-bytes")),
        "inner signature survived"
    );
    assert!(
        !written.contains(&b64("hostile-outer-signature-bytes")),
        "outer signature survived"
    );
    assert!(err.contains("verified:"), "{err}");
    // Unsigned (`alg: none`), in Authorization and as an id_token, alone
    // and nested: the copy is written (it diagnoses the same, `jwt-alg-none`
    // included), keeps the token's shape and holds none of its parts.
    let payload = unsigned.split('.').nth(1).unwrap().to_owned();
    let nested_unsigned = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","cty":"JWT"}"#),
        b64(&unsigned),
        b64("hostile-outer-signature-bytes")
    );
    for headers in [
        serde_json::json!([{"name": "Authorization", "value": format!("Bearer {unsigned}")}]),
        serde_json::json!([{"name": "Authorization", "value": format!("Bearer {nested_unsigned}")}]),
    ] {
        let (code, err, written) = run(har(headers));
        assert_eq!(code, Some(0), "{err}");
        let written = written.unwrap();
        assert!(
            !written.contains(&unsigned),
            "the unsigned JWT survived whole"
        );
        assert!(!written.contains(&payload[..24]), "its payload survived");
        assert!(err.contains("verified:"), "{err}");
    }
    let mut doc = har(serde_json::json!([]));
    doc["log"]["entries"][0]["request"]["url"] =
        format!("https://app.example/cb#id_token={unsigned}&state=s-1").into();
    let (code, err, written) = run(doc);
    assert_eq!(code, Some(0), "{err}");
    assert!(!written.unwrap().contains(&payload[..24]));
}

/// A SAZ whose one response is `head` followed by `body` zero bytes: a
/// zip bomb when `body` is large (zeros deflate about 1000-fold).
fn bomb(head: &[u8], body: usize) -> Vec<u8> {
    let response = [head, &vec![0u8; body]].concat();
    saz(&[
        ("raw/1_c.txt", GOOD_C),
        ("raw/1_s.txt", &response),
        ("raw/2_c.txt", GOOD_C),
        ("raw/2_s.txt", GOOD_S),
    ])
}

/// Exit code, stdout and stderr of the analysis of `file` with `args`.
fn analyze_file(file: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = bin().args(args).arg(file).output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr_of(&o),
    )
}

#[test]
fn a_saz_over_a_limit_is_an_error_not_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("bomb.saz");
    let bytes = bomb(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        24 << 20,
    );
    assert!(bytes.len() < 1 << 20, "the bomb is small: {}", bytes.len());
    std::fs::write(&html, &bytes).unwrap();
    let cases: [(&[&str], &str); 2] = [
        (
            &["--max-decompressed", "8MiB"],
            "decompressed archive exceeds the limit of 8388608 bytes (raise it with --max-decompressed)",
        ),
        (
            &["--max-retained", "4MiB"],
            "session data kept in memory exceeds the limit of 4194304 bytes (raise it with --max-retained)",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = analyze_file(&html, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!("trace-inspect: {}: {message}\n", html.display()),
            "{args:?}"
        );
        assert!(!stdout.contains("sign-in"), "no verdict: {stdout}");
        // In triage: that capture's error row.
        let o = bin()
            .args(["triage", "--format", "ndjson"])
            .args(args)
            .arg(&html)
            .output()
            .unwrap();
        let row: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
        assert_eq!(row["error"].as_str(), Some(message), "{row}");
    }
}

#[test]
fn a_bomb_of_image_bytes_is_counted_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("images.saz");
    let bytes = bomb(
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n",
        24 << 20,
    );
    std::fs::write(&png, &bytes).unwrap();
    // Not kept: within a 4 MiB retained budget, and still shown.
    let (code, stdout, stderr) = analyze_file(&png, &["--max-retained", "4MiB", "--entry", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("image/png, 25 MB recorded"), "{stdout}");
    assert!(
        stdout.contains("(not kept in memory: no decoder reads this type)"),
        "{stdout}"
    );
    // Still counted against the decompression limit.
    let (code, _, stderr) = analyze_file(&png, &["--max-decompressed", "8MiB"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--max-decompressed"), "{stderr}");
}
