//! The sample captures in `traces/`: every one gets the verdict, category,
//! failing entry and ticket IDs that `traces/expected.json` records (what
//! the lab recorded or the synthesizer built on purpose), and the reports
//! of several are pinned as snapshots in text, JSON and Markdown.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use crate::common::root;
use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(root().join("traces/expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn trace_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("traces"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".har") || n.ends_with(".harp") || n.ends_with(".saz"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_trace_gets_its_expected_verdict_entry_and_ids() {
    let expected = expected();
    let files = trace_files();
    assert!(files.len() >= 30, "only {} traces", files.len());
    for file in files {
        let name = file.rsplit_once('.').unwrap().0;
        let want = expected
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing from expected.json"));
        let path = format!("traces/{file}");
        let (code, stdout, stderr) = run(&["--format", "json", &path]);
        let report: Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{file}: {e}: {stderr}"));
        let v = &report["verdict"];
        assert_eq!(v["status"], want["verdict"], "{file}: status");
        assert_eq!(v["category"], want["category"], "{file}: category");
        if want["verdict"] != "ok" && !want["entry"].is_null() {
            assert_eq!(v["entry"], want["entry"], "{file}: entry");
        }
        let exit = if want["verdict"] == "ok" { 0 } else { 1 };
        assert_eq!(code, exit, "{file}: exit code");
        let ticket = &report["ticket"];
        for key in ["correlation_id", "request_id"] {
            if let Some(id) = want.get(key).and_then(Value::as_str) {
                assert_eq!(ticket[key], id, "{file}: ticket {key}");
            }
        }
        // User and tenant: shown in the block, or listed among the other IDs.
        let shown = |key: &str, value: &str| {
            ticket[key] == value
                || ticket["other_ids"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|i| i["key"] == key && i["value"] == value))
        };
        if let Some(user) = want.get("user").and_then(Value::as_str) {
            assert!(shown("user", user), "{file}: user {user} not in the ticket");
        }
        for key in ["tenant", "tenant_id"] {
            if let Some(tenant) = want.get(key).and_then(Value::as_str) {
                assert!(
                    shown("tenant_id", tenant),
                    "{file}: tenant {tenant} not in the ticket"
                );
            }
        }
        // The zone only from evidence: an exporter that wrote `Z` says
        // nothing of the user's zone.
        let har_first_time = std::fs::read(root().join(&path))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|h| {
                h["log"]["entries"][0]["startedDateTime"]
                    .as_str()
                    .map(str::to_owned)
            });
        if har_first_time.is_some_and(|t| t.ends_with('Z')) {
            assert_eq!(
                ticket["timezone"],
                Value::Null,
                "{file}: zone from a UTC-only exporter"
            );
            assert_eq!(ticket["local_time"], Value::Null, "{file}");
            assert!(
                ticket["timezone_note"].is_string(),
                "{file}: no timezone_note"
            );
        }
        if ticket["timezone"].is_null() {
            assert!(
                ticket["timezone_note"].is_string(),
                "{file}: no timezone_note"
            );
        } else {
            assert!(
                ticket["sources"]["timezone"]["source"].is_string(),
                "{file}: zone without source"
            );
        }
        if let Some(codes) = want.get("error_codes").and_then(Value::as_array) {
            let got: Vec<&str> = ticket["error_codes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c["code"].as_str())
                .collect();
            for c in codes {
                assert!(
                    got.contains(&c.as_str().unwrap()),
                    "{file}: error code {c} not in {got:?}"
                );
            }
        }
        if let Some(phase) = want.get("phase").and_then(Value::as_str) {
            assert_eq!(v["phase"], phase, "{file}: phase");
        }
        if let Some(n) = want.get("repeats").and_then(Value::as_u64) {
            assert_eq!(v["repeats"], n, "{file}: repeats");
        }
        if let Some(quote) = want.get("quote").and_then(Value::as_str) {
            let quoted = report["findings"].as_array().unwrap().iter().any(|f| {
                f["severity"] == "error" && f["message"].as_str().is_some_and(|m| m.contains(quote))
            });
            assert!(quoted, "{file}: no error finding quotes {quote:?}");
        }
        if let Some(warning_entry) = want.get("warning_entry").and_then(Value::as_u64) {
            let warned = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["severity"] == "warning" && f["entry"] == warning_entry);
            assert!(warned, "{file}: no warning at #{warning_entry}");
        }
    }
}

#[test]
fn successful_sign_ins_have_no_error_findings() {
    let expected = expected();
    for file in trace_files() {
        let name = file.rsplit_once('.').unwrap().0;
        if expected[name]["verdict"] != "ok" {
            continue;
        }
        let (_, stdout, _) = run(&["--format", "json", &format!("traces/{file}")]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let errors: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

/// The property "ok needs proof", over every sample: where the expected
/// outcome is not a completed sign-in, the verdict is never `ok`; where it
/// is, the verdict lists completion evidence and no error finding fires.
#[test]
fn ok_only_with_completion_evidence_over_every_trace() {
    let expected = expected();
    for file in trace_files() {
        let name = file.rsplit_once('.').unwrap().0;
        let want = &expected[name];
        let (_, stdout, _) = run(&["--format", "json", &format!("traces/{file}")]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let v = &report["verdict"];
        let completed = want["verdict"] == "ok";
        if !completed {
            assert_ne!(v["status"], "ok", "{file}: ok without a completed sign-in");
            continue;
        }
        assert_eq!(v["status"], "ok", "{file}");
        let evidence = v["evidence"].as_array().unwrap();
        assert!(
            !evidence.is_empty(),
            "{file}: ok without completion evidence"
        );
        let errors = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count();
        assert_eq!(errors, 0, "{file}: error findings on a completed sign-in");
        let attempts = v["attempts"].as_array().unwrap();
        assert!(
            attempts.iter().any(|a| a["completed"] == true),
            "{file}: no attempt marked completed"
        );
    }
}

/// Reports pinned byte for byte: a failure of each protocol, and a success.
const SNAPSHOTS: &[&str] = &[
    "entra-reply-url-mismatch.har",
    "saml-audience-mismatch.har",
    "oidc-cookie-dropped.har",
    "saml-retry-then-success.har",
    "google-webview-disallowed.har",
    "saz-connect-only.saz",
    "okta-app-not-assigned-403.har",
    "auth0-callback-url-mismatch.har",
    "entra-text-page-900561.har",
    "adfs2-reference-number.har",
    "api-www-authenticate-500133.har",
    "app-json-aadsts50173.har",
    "callback-lands-on-error.har",
    "discovery-cors-preflight.har",
    "redirect-hops-status-0.har",
    "signin-signout-cycles-x4.har",
    "okta-signout-failed.har",
    "harviewer-jsonp.harp",
    "lenient-entries.har",
    "app-jose-exp-clock-skew.har",
];

#[test]
fn reports_are_pinned_in_every_format() {
    for file in SNAPSHOTS {
        let path = format!("traces/{file}");
        for (format, ext) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
            let (_, stdout, stderr) = run(&["--format", format, &path]);
            assert!(stderr.is_empty(), "{file} {format}: {stderr}");
            insta::assert_snapshot!(
                format!("report_{}_{ext}", file.replace(['.', '-'], "_")),
                stdout
            );
        }
    }
}

#[test]
fn reports_are_deterministic() {
    for file in SNAPSHOTS {
        let path = format!("traces/{file}");
        assert_eq!(
            run(&["--format", "json", &path]).1,
            run(&["--format", "json", &path]).1
        );
    }
}

#[test]
fn entry_view_shows_the_decoded_messages() {
    let (code, stdout, _) = run(&["traces/entra-reply-url-mismatch.har", "--entry", "3"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Decoded oauth_authorize (from the request url)"),
        "{stdout}"
    );
    assert!(stdout.contains("AADSTS50011"), "{stdout}");
    assert!(
        stdout.contains("canary ‹redacted"),
        "secrets must be masked: {stdout}"
    );
    let (code, _, stderr) = run(&["traces/entra-reply-url-mismatch.har", "--entry", "99"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no entry #99"), "{stderr}");
}

#[test]
fn explain_covers_every_rule_and_aadsts_codes() {
    let (_, list, _) = run(&["explain", "nope"]);
    assert!(list.is_empty());
    for code in trace_inspect::rules::RULES.iter().map(|r| r.code) {
        let (exit, stdout, stderr) = run(&["explain", code]);
        assert_eq!(exit, 0, "{code}: {stderr}");
        for heading in ["What it means", "Why it matters", "How to fix"] {
            assert!(stdout.contains(heading), "{code}: {stdout}");
        }
    }
    for code in ["AADSTS50011", "50011", "aadsts50011"] {
        let (exit, stdout, _) = run(&["explain", code]);
        assert_eq!(exit, 0);
        assert!(
            stdout.starts_with("AADSTS50011 — InvalidReplyTo"),
            "{stdout}"
        );
    }
    let (exit, stdout, _) = run(&["explain", "--format", "json", "AADSTS65004"]);
    assert_eq!(exit, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["category"], "consent");
    let (exit, _, stderr) = run(&["explain", "not-a-code"]);
    assert_eq!(exit, 2);
    assert!(stderr.contains("unknown code"), "{stderr}");
}

#[test]
fn fail_on_controls_the_exit_code() {
    let failing = "traces/saml-idp-error.har";
    assert_eq!(run(&[failing]).0, 1);
    assert_eq!(run(&["--fail-on", "never", failing]).0, 0);
    let warned = "traces/saml-retry-then-success.har";
    assert_eq!(run(&[warned]).0, 0);
    assert_eq!(run(&["--fail-on", "warning", warned]).0, 1);
}

#[test]
fn output_file_never_overwrites_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("c.har");
    std::fs::copy(root().join("traces/saml-success.har"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let c = copy.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&[&c, "-o", &c]);
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn readme_commands_work_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sample = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("cargo run --release -- "))
        .expect("README shows `cargo run --release -- <sample>`");
    assert!(
        Path::new(&root()).join(sample.trim()).is_file(),
        "README sample {sample} missing"
    );
    assert!(
        readme.contains("\ncargo test\n"),
        "README shows `cargo test`"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (_, plain, _) = run(&["traces/saml-idp-error.har"]);
    assert!(!plain.contains('\u{1b}'), "piped output must be plain");
    let (_, forced, _) = run(&["--color", "always", "traces/saml-idp-error.har"]);
    assert!(
        forced.contains("\u{1b}[31m"),
        "--color always colours a pipe"
    );
    let (_, json, _) = run(&[
        "--color",
        "always",
        "--format",
        "json",
        "traces/saml-idp-error.har",
    ]);
    assert!(!json.contains('\u{1b}'), "JSON is never coloured");
}

#[test]
fn entry_json_carries_messages_and_masks_secrets() {
    let har: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("traces/entra-reply-url-mismatch.har")).unwrap(),
    )
    .unwrap();
    let body = har["log"]["entries"][2]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    let canary = body
        .split("\"canary\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(canary.len() > 20);
    let (code, json, _) = run(&[
        "--entry",
        "3",
        "--format",
        "json",
        "traces/entra-reply-url-mismatch.har",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["oauth_authorize", "entra_page"]);
    assert!(!json.contains(canary), "the $Config canary leaked");
    let (_, shown, _) = run(&[
        "--entry",
        "3",
        "--format",
        "json",
        "--show-secrets",
        "traces/entra-reply-url-mismatch.har",
    ]);
    assert!(shown.contains(canary), "--show-secrets shows it");
}
