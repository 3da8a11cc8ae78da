//! The protocol long tail (issue 9, part B): device-code polls, JARM,
//! Windows integrated auth, MFA interrupts, token refresh, RelayState,
//! replay and browser-aware cookie reasoning, on the fixtures of
//! `traces/` (made by `traces/synth/longtail.py`: synthesized to the
//! documented shapes, or one change to a lab recording). Each shape's
//! verdict is checked, and its finding pinned as a snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;

fn run(path: &str) -> (i32, Value, String) {
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(["--format", "json", path])
        .output()
        .unwrap();
    let text = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{path}: {e}")),
        String::from_utf8_lossy(&text.stdout).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    format!("traces/{name}.har")
}

/// name, verdict status, category, failing entry, finding code to pin.
type Shape = (
    &'static str,
    &'static str,
    &'static str,
    Option<u32>,
    Option<&'static str>,
);

const SHAPES: &[Shape] = &[
    ("device-code-ok", "ok", "ok", None, None),
    (
        "device-code-expired",
        "failed",
        "idp_error",
        Some(4),
        Some("device-code"),
    ),
    (
        "jarm-error",
        "failed",
        "idp_error",
        Some(3),
        Some("idp-error"),
    ),
    (
        "adfs-wia-401-loop",
        "failed",
        "credentials",
        Some(3),
        Some("windows-auth-failed"),
    ),
    (
        "entra-stops-at-tfa",
        "failed",
        "mfa",
        Some(3),
        Some("mfa-interrupt"),
    ),
    (
        "entra-stops-at-proofup",
        "failed",
        "mfa",
        Some(3),
        Some("mfa-interrupt"),
    ),
    (
        "entra-refresh-failed",
        "failed",
        "idp_error",
        Some(10),
        Some("idp-error"),
    ),
    (
        "entra-wrong-password",
        "failed",
        "credentials",
        Some(1),
        Some("credentials"),
    ),
    (
        "saml-relay-state-dropped",
        "failed",
        "relay_state",
        Some(7),
        Some("relay-state-lost"),
    ),
    (
        "saml-back-button-replay",
        "failed",
        "replay",
        Some(10),
        Some("replay"),
    ),
    (
        "adfs-stops-at-mfa",
        "failed",
        "mfa",
        Some(3),
        Some("mfa-interrupt"),
    ),
    (
        "b2c-error-page",
        "failed",
        "redirect_mismatch",
        Some(2),
        Some("redirect-uri-mismatch"),
    ),
    (
        "b2c-forgot-password",
        "failed",
        "idp_error",
        Some(3),
        Some("idp-error"),
    ),
];

#[test]
fn each_long_tail_shape_gets_its_verdict_and_finding() {
    for (name, status, category, entry, code) in SHAPES {
        let (exit, r, _) = run(&fixture(name));
        let v = &r["verdict"];
        assert_eq!(v["status"], *status, "{name}: {v}");
        assert_eq!(v["category"], *category, "{name}: {v}");
        assert_eq!(exit, if *status == "ok" { 0 } else { 1 }, "{name}");
        if let Some(e) = entry {
            assert_eq!(v["entry"], *e, "{name}: {v}");
        }
        if let Some(code) = code {
            let f = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == *code)
                .unwrap_or_else(|| panic!("{name}: no {code} finding"));
            insta::assert_snapshot!(
                format!("longtail_{}", name.replace('-', "_")),
                serde_json::to_string_pretty(f).unwrap()
            );
        }
    }
}

#[test]
fn device_code_polls_are_progress_and_the_expiry_is_70020() {
    let (_, ok, _) = run(&fixture("device-code-ok"));
    let errors: Vec<&Value> = ok["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "pending polls reported: {errors:?}");
    let (_, expired, _) = run(&fixture("device-code-expired"));
    let f = &expired["findings"][0];
    assert_eq!(f["evidence"]["aadsts"][0], "AADSTS70020");
    assert_eq!(f["evidence"]["pending_polls"], 2);
    assert!(
        !expired["verdict"]["summary"]
            .as_str()
            .unwrap()
            .contains("70016")
    );
}

#[test]
fn b2c_codes_are_explained() {
    let (_, r, _) = run(&fixture("b2c-forgot-password"));
    let f = &r["findings"][0];
    assert_eq!(f["subcategory"], "password_reset");
    assert_eq!(f["evidence"]["aadb2c"][0], "AADB2C90118");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("password-reset user flow")
    );
}

#[test]
fn a_refresh_failure_is_its_own_phase() {
    let (_, r, _) = run(&fixture("entra-refresh-failed"));
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "idp-error")
        .unwrap();
    assert_eq!(f["phase"], "token_refresh");
}

#[test]
fn a_replay_says_the_first_delivery_worked_and_is_no_dropped_cookie() {
    let (_, r, _) = run(&fixture("saml-back-button-replay"));
    let f = &r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "replay")
        .unwrap()["evidence"];
    assert_eq!(f["first_delivery_entry"], 7);
    assert_eq!(f["first_delivery_succeeded"], true);
    assert!(
        !r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "cookie-dropped")
    );
}

#[test]
fn lax_by_default_is_never_said_for_firefox_nor_for_a_young_cookie() {
    // The lab recording itself: Chrome, the cookie 126 s old — past the
    // two-minute Lax+POST allowance, so it is dropped because of Lax.
    let (_, chrome, text) = run("traces/oidc-cookie-dropped.har");
    assert_eq!(chrome["verdict"]["category"], "cookie_dropped");
    assert!(text.contains("treats it as `Lax`"), "{text}");
    for name in ["oidc-cookie-dropped-firefox", "oidc-cookie-30s-old"] {
        let (_, r, text) = run(&fixture(name));
        assert_ne!(r["verdict"]["category"], "cookie_dropped", "{name}");
        assert!(!text.contains("treats it as `Lax`"), "{name}: {text}");
        assert!(!r.to_string().contains("treats it as `Lax`"), "{name}");
    }
}

#[test]
fn idp_initiated_saml_is_not_a_lost_relay_state() {
    // saml-success sends and gets back its RelayState; mid-flow captures
    // (no AuthnRequest) have nothing to compare.
    for path in ["traces/saml-success.har", "traces/mid-flow.har"] {
        let (_, r, _) = run(path);
        assert!(
            !r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "relay-state-lost"),
            "{path}"
        );
    }
}

#[test]
fn the_sanitized_export_warning_is_only_for_exporters_that_strip_cookies() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("traces/sanitized-export.har"),
    )
    .unwrap();
    let (_, chrome, _) = run("traces/sanitized-export.har");
    let has = |r: &Value| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "sanitized-export")
    };
    assert!(
        has(&chrome),
        "Chrome DevTools' sanitized export not flagged"
    );
    let dir = tempfile::tempdir().unwrap();
    for creator in ["Firefox", "Fiddler", "WebKit Web Inspector"] {
        let mut har: Value = serde_json::from_str(&text).unwrap();
        har["log"]["creator"]["name"] = Value::from(creator);
        let path = dir.path().join(format!("{creator}.har"));
        std::fs::write(&path, har.to_string()).unwrap();
        let (_, r, _) = run(path.to_str().unwrap());
        assert!(
            !has(&r),
            "{creator}: a capture that keeps cookies was called sanitized"
        );
    }
}

#[test]
fn a_307_re_post_is_not_a_replay() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("traces/saml-back-button-replay.har"),
    )
    .unwrap();
    let mut har: Value = serde_json::from_str(&text).unwrap();
    har["log"]["entries"][6]["response"]["status"] = Value::from(307);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forwarded.har");
    std::fs::write(&path, har.to_string()).unwrap();
    let (_, r, _) = run(path.to_str().unwrap());
    assert!(
        !r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "replay"),
        "a 307-forwarded POST was called a replay"
    );
}
