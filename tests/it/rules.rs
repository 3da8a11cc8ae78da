//! Every diagnosis rule has a capture that triggers it and a clean one that
//! does not; the triggering finding is pinned as a snapshot. A rule added
//! without a row here fails `every_rule_has_fixtures`.
//!
//! Fixtures are the sample captures in `traces/` (recorded or synthesized,
//! see traces/README.md) and, for faults no sample shows alone, one-fault
//! variants of them in `tests/fixtures/rules/` (made by `derive.py` there).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// rule code → (capture that triggers it, capture that does not).
const FIXTURES: &[(&str, &str, &str)] = &[
    (
        "https-not-decrypted",
        "traces/saz-connect-only.saz",
        "traces/saz-saml-success.saz",
    ),
    (
        "sanitized-export",
        "traces/sanitized-export.har",
        "traces/entra-success.har",
    ),
    (
        "bodies-missing",
        "tests/fixtures/rules/bodies-missing.har",
        "traces/entra-success.har",
    ),
    (
        "truncated-capture",
        "traces/truncated.har",
        "traces/entra-success.har",
    ),
    (
        "capture-started-mid-flow",
        "traces/mid-flow.har",
        "traces/saml-success.har",
    ),
    (
        "no-identity-traffic",
        "traces/plain-browsing.har",
        "traces/oidc-success.har",
    ),
    (
        "webview-blocked",
        "traces/google-webview-disallowed.har",
        "traces/oidc-success.har",
    ),
    (
        "embedded-user-agent",
        "traces/entra-webview-blocked.har",
        "traces/entra-success.har",
    ),
    (
        "redirect-uri-mismatch",
        "traces/entra-reply-url-mismatch.har",
        "traces/entra-success.har",
    ),
    (
        "saml-acs-mismatch",
        "tests/fixtures/rules/saml-acs-mismatch.har",
        "traces/saml-success.har",
    ),
    (
        "consent-prompt",
        "traces/oidc-consent-prompt.har",
        "traces/oidc-success.har",
    ),
    (
        "consent-declined",
        "traces/entra-consent-declined.har",
        "traces/oidc-consent-prompt.har",
    ),
    (
        "admin-consent-required",
        "traces/entra-consent-admin-required.har",
        "traces/entra-success.har",
    ),
    (
        "consent-required-silent",
        "tests/fixtures/rules/consent-required-silent.har",
        "traces/oidc-prompt-none-login-required.har",
    ),
    (
        "idp-error",
        "traces/saml-idp-error.har",
        "traces/saml-success.har",
    ),
    (
        "cookie-dropped",
        "traces/oidc-cookie-dropped.har",
        "traces/oidc-success.har",
    ),
    (
        "saml-in-response-to-mismatch",
        "traces/saml-inresponseto-mismatch.har",
        "traces/saml-success.har",
    ),
    (
        "oidc-state-mismatch",
        "traces/oidc-state-mismatch.har",
        "traces/oidc-success.har",
    ),
    (
        "oidc-nonce-mismatch",
        "tests/fixtures/rules/oidc-nonce-mismatch.har",
        "traces/entra-success.har",
    ),
    (
        "oidc-audience-mismatch",
        "tests/fixtures/rules/oidc-audience-mismatch.har",
        "traces/entra-success.har",
    ),
    (
        "oidc-token-time",
        "tests/fixtures/rules/oidc-token-expired.har",
        "traces/entra-success.har",
    ),
    (
        "saml-destination-mismatch",
        "traces/saml-destination-mismatch.har",
        "traces/saml-success.har",
    ),
    (
        "saml-audience-mismatch",
        "traces/saml-audience-mismatch.har",
        "traces/saml-success.har",
    ),
    (
        "clock-skew",
        "traces/saml-clock-skew.har",
        "traces/saml-success.har",
    ),
    (
        "saml-signature-missing",
        "traces/saml-unsigned.har",
        "traces/saml-success.har",
    ),
    (
        "saml-signing-certificate",
        "tests/fixtures/rules/saml-signing-certificate.har",
        "traces/saml-success.har",
    ),
    (
        "signature-wrapping",
        "tests/fixtures/rules/signature-wrapping.har",
        "traces/saml-success.har",
    ),
    (
        "saml-signature-untrusted",
        "tests/fixtures/rules/saml-signature-untrusted.har",
        "traces/saml-success.har",
    ),
    (
        "saml-signature-invalid",
        "tests/fixtures/rules/saml-signing-certificate.har",
        "traces/saml-success.har",
    ),
    (
        "saml-signature-sha1",
        "tests/fixtures/rules/saml-signature-sha1.har",
        "traces/saml-success.har",
    ),
    (
        "encryption-key-mismatch",
        "tests/fixtures/rules/saml-encrypted-retired.har",
        "tests/fixtures/rules/saml-encrypted.har",
    ),
    (
        "jwt-alg-none",
        "tests/fixtures/rules/jwt-alg-none.har",
        "traces/entra-success.har",
    ),
    (
        "jwt-signature-invalid",
        "tests/fixtures/rules/jwt-signature-invalid.har",
        "traces/entra-success.har",
    ),
    (
        "redirect-loop",
        "traces/oidc-redirect-loop.har",
        "traces/oidc-success.har",
    ),
    (
        "response-rejected",
        "traces/oidc-app-500.har",
        "traces/oidc-success.har",
    ),
    (
        "server-error",
        "tests/fixtures/rules/server-error.har",
        "traces/entra-success.har",
    ),
    (
        "error-surface",
        "traces/okta-app-not-assigned-403.har",
        "traces/okta-oidc-success.har",
    ),
    (
        "discovery-failed",
        "traces/discovery-cors-preflight.har",
        "traces/auth0-success.har",
    ),
    (
        "sign-in-incomplete",
        "traces/okta-stops-at-sign-in-page.har",
        "traces/okta-oidc-success.har",
    ),
    (
        "rejected-after-callback",
        "traces/callback-lands-on-error.har",
        "traces/google-code-callback-to-app.har",
    ),
    (
        "credentials",
        "traces/entra-wrong-password.har",
        "traces/entra-success.har",
    ),
    (
        "windows-auth-failed",
        "traces/adfs-wia-401-loop.har",
        "traces/adfs-wia-ok.har",
    ),
    (
        "mfa-interrupt",
        "traces/entra-stops-at-tfa.har",
        "traces/entra-success.har",
    ),
    (
        "device-code",
        "traces/device-code-expired.har",
        "traces/device-code-ok.har",
    ),
    (
        "replay",
        "traces/saml-back-button-replay.har",
        "traces/saml-success.har",
    ),
    (
        "relay-state-lost",
        "traces/saml-relay-state-dropped.har",
        "traces/saml-success.har",
    ),
];

fn report(path: &str) -> Value {
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(["--format", "json", path])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn findings<'r>(report: &'r Value, code: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn every_rule_has_fixtures() {
    for rule in trace_inspect::rules::RULES {
        assert!(
            FIXTURES.iter().any(|(code, _, _)| *code == rule.code),
            "rule {} has no fixture row in tests/rules.rs",
            rule.code
        );
    }
    for (code, trigger, clean) in FIXTURES {
        assert!(
            trace_inspect::rules::find(code).is_some(),
            "{code} is not a rule"
        );
        for f in [trigger, clean] {
            assert!(
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(f).is_file(),
                "{f} missing"
            );
        }
    }
}

#[test]
fn each_rule_fires_on_its_trigger_and_not_on_its_clean_capture() {
    for (code, trigger, clean) in FIXTURES {
        let hit = report(trigger);
        let found = findings(&hit, code);
        assert!(!found.is_empty(), "{code} did not fire on {trigger}");
        let f = found[0];
        let name = format!("rule_{}", code.replace('-', "_"));
        insta::assert_snapshot!(name, serde_json::to_string_pretty(f).unwrap());
        let quiet = report(clean);
        assert!(
            findings(&quiet, code).is_empty(),
            "{code} fired on the clean {clean}"
        );
    }
}

#[test]
fn a_cause_outranks_its_symptoms() {
    // The dropped cookie makes the app answer 400: cookie_dropped, not response_rejected.
    let r = report("traces/oidc-cookie-dropped.har");
    assert_eq!(r["verdict"]["category"], "cookie_dropped");
    assert!(findings(&r, "response-rejected").is_empty());
    // The audience mismatch explains the 401: no separate response-rejected error.
    let r = report("traces/saml-audience-mismatch.har");
    assert_eq!(r["verdict"]["category"], "audience_mismatch");
    assert!(findings(&r, "response-rejected").is_empty());
    // With nothing to explain it, the rejection is the verdict.
    let r = report("traces/oidc-app-500.har");
    assert_eq!(r["verdict"]["category"], "response_rejected");
}

#[test]
fn precedence_is_explicit_in_code() {
    use trace_inspect::rules::Category as C;
    let order = [
        C::CaptureQuality,
        C::WebviewBlocked,
        C::RedirectMismatch,
        C::Consent,
        C::IdpError,
        C::CookieDropped,
        C::InResponseToMismatch,
        C::DestinationMismatch,
        C::AudienceMismatch,
        C::ClockSkew,
        C::Signature,
        C::RedirectLoop,
        C::ResponseRejected,
        C::ServerError,
    ];
    for pair in order.windows(2) {
        assert!(
            pair[0].precedence() < pair[1].precedence(),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}
