//! `trace-inspect decode`: each kind of pasted value (redirect URL, deflated
//! and plain base64 SAML, SAML XML, JWT, form body, Entra page, OAuth error
//! JSON) decodes, with its text and JSON output pinned; the corpus messages
//! decode or are refused with a reason; garbage is refused with exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::root;
use assert_cmd::Command;
use serde_json::Value;

/// A fixed clock, so "expired 2 h ago" is reproducible.
const NOW: &str = "2026-11-20T10:30:00Z";

fn decode(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .arg("decode")
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FIXTURES: &[(&str, &str)] = &[
    ("entra-error-redirect.url", "oauth_error"),
    ("saml-redirect-authn-request.txt", "saml_authn_request"),
    ("saml-post-response.b64", "saml_response"),
    ("saml-response-error.xml", "saml_response"),
    ("id-token.jwt", "jwt"),
    ("form-post-callback.txt", "oauth_response"),
    ("token-error.json", "oauth_error"),
    ("entra-error-page.html", "entra_page"),
];

#[test]
fn every_input_kind_decodes_with_pinned_output() {
    for (file, kind) in FIXTURES {
        let path = format!("tests/fixtures/decode/{file}");
        let (code, json, stderr) = decode(&["--format", "json", &path]);
        assert_eq!(code, 0, "{file}: {stderr}");
        let v: Value = serde_json::from_str(&json).unwrap();
        let first = if v.is_array() { &v[0] } else { &v };
        assert_eq!(first["kind"], *kind, "{file}");
        let (code, text, stderr) = decode(&[&path]);
        assert_eq!(code, 0, "{file}: {stderr}");
        let name = file.replace(['.', '-'], "_");
        insta::assert_snapshot!(format!("decode_{name}_text"), text);
        insta::assert_snapshot!(format!("decode_{name}_json"), json);
    }
}

#[test]
fn a_pasted_value_decodes_like_its_file() {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/decode/entra-error-redirect.url"))
            .unwrap();
    let (code, from_arg, _) = decode(&["--format", "json", text.trim()]);
    assert_eq!(code, 0);
    let (_, from_file, _) = decode(&[
        "--format",
        "json",
        "tests/fixtures/decode/entra-error-redirect.url",
    ]);
    assert_eq!(from_arg, from_file);
    let v: Value = serde_json::from_str(&from_arg).unwrap();
    assert_eq!(v["error_codes"][0], 65004);
    assert_eq!(
        v["correlation_id"]
            .as_str()
            .or(v["description"]["correlation_id"].as_str()),
        Some("36ffe9f8-2a26-48dc-92e7-7151fa6227ca")
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let jwt = std::fs::read_to_string(root().join("tests/fixtures/decode/id-token.jwt")).unwrap();
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .args(["decode", "--format", "json", "-"])
        .write_stdin(jwt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["claims"]["tid"], "aaaabbbb-0000-cccc-1111-dddd2222eeee");
}

#[test]
fn secrets_are_masked_unless_asked() {
    let path = "tests/fixtures/decode/form-post-callback.txt";
    let (_, masked, _) = decode(&[path]);
    assert!(
        !masked.contains("0.AXkA-test-authorization-code-value"),
        "{masked}"
    );
    let (_, shown, _) = decode(&["--show-secrets", path]);
    assert!(
        shown.contains("0.AXkA-test-authorization-code-value"),
        "{shown}"
    );
}

#[test]
fn garbage_is_refused_with_exit_2() {
    for input in [
        "hello world",
        "https://example.com/?q=1",
        "<html><body>hi</body></html>",
    ] {
        let (code, stdout, stderr) = decode(&[input]);
        assert_eq!(code, 2, "{input}: {stdout}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let doctype = r#"<!DOCTYPE r [<!ENTITY x "y">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"#;
    let (code, _, stderr) = decode(&[doctype]);
    assert_eq!(code, 2);
    assert!(stderr.to_ascii_lowercase().contains("doctype"), "{stderr}");
}

#[test]
fn corpus_messages_decode_or_are_refused_with_a_reason() {
    let dir = root().join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let mut checked = 0;
    for sub in ["saml", "oidc"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let (code, stdout, stderr) = decode(&["--format", "json", f.to_str().unwrap()]);
            let refused = name.contains("BeginAuth") || name.contains("EndAuth");
            if refused {
                assert_eq!(code, 2, "{name}");
                assert!(stderr.contains("template placeholder"), "{name}: {stderr}");
            } else {
                assert_eq!(code, 0, "{name}: {stderr}");
                let v: Value = serde_json::from_str(&stdout).unwrap();
                let first = if v.is_array() { v[0].clone() } else { v };
                assert!(first["kind"].is_string(), "{name}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}
