//! What to do and who acts (issue 13): `explain CODE` pinned for a sample
//! of codes of every family in text, Markdown and JSON; and the sample
//! captures failing with a known code carry that code's remediation in the
//! finding's `fix`, its plain meaning in the verdict, and who acts in the
//! ticket block (text, Markdown and `ticket.error_codes[].who`).

use serde_json::Value;

use crate::common::{bin, root};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().current_dir(root()).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One code per family and kind: credentials, benign interrupt, policy,
/// assignment, an AADSTS code without its own row, B2C, Okta, AD FS,
/// Google, a protocol word, a SAML status.
const EXPLAINED: &[&str] = &[
    "AADSTS50126",
    "50140",
    "AADSTS53003",
    "aadsts50105",
    "AADSTS700038",
    "AADB2C90118",
    "E0000004",
    "MSIS7042",
    "admin_policy_enforced",
    "access_denied",
    "AuthnFailed",
];

#[test]
fn explain_is_pinned_for_a_sample_of_codes() {
    for code in EXPLAINED {
        for (format, ext) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
            let (exit, stdout, stderr) = run(&["explain", "--format", format, code]);
            assert_eq!(exit, 0, "{code} {format}: {stderr}");
            insta::assert_snapshot!(format!("explain_{}_{ext}", code.to_lowercase()), stdout);
        }
    }
}

#[test]
fn explain_json_carries_remediation_and_who() {
    let (_, stdout, _) = run(&["explain", "--format", "json", "50126"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["code"], "AADSTS50126");
    assert_eq!(v["name"], "InvalidUserNameOrPassword");
    assert_eq!(v["category"], "credentials");
    assert_eq!(v["meaning"], "wrong user name or password");
    assert_eq!(v["who"], serde_json::json!(["user", "helpdesk"]));
    let steps = v["remediation"].as_array().unwrap();
    assert!(steps.len() >= 2, "{steps:?}");
    assert!(steps[0].as_str().unwrap().contains("sign in again"));
    // Benign codes: nobody has to act first.
    for code in ["50058", "50140", "70016"] {
        let (_, stdout, _) = run(&["explain", "--format", "json", code]);
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["who"][0], "none", "{code}");
    }
    // Rules have a who too.
    let (_, stdout, _) = run(&["explain", "--format", "json", "cookie-dropped"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["who"], serde_json::json!(["developer"]));
    let (_, stdout, _) = run(&["explain", "admin-consent-required"]);
    assert!(stdout.contains("Who acts\n  admin"), "{stdout}");
}

/// Sample captures failing with a known code: (file, code, plain meaning,
/// a phrase of the code's first step, who acts).
const FAILURES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "entra-mfa-required-ca-block.har",
        "AADSTS53003",
        "blocked by a Conditional Access policy",
        "read the Conditional Access tab",
        &["admin"],
    ),
    (
        "entra-user-not-assigned.har",
        "AADSTS50105",
        "the user is not assigned to the app",
        "Assign the user or one of the user's groups",
        &["admin"],
    ),
    (
        "entra-consent-admin-required.har",
        "AADSTS90094",
        "an administrator must consent to the app's permissions",
        "grant admin consent if the app is trusted",
        &["admin"],
    ),
    (
        "entra-consent-declined.har",
        "AADSTS65004",
        "the user declined the consent prompt",
        "accept the permissions if they trust the app",
        &["user", "admin"],
    ),
    (
        "entra-reply-url-mismatch.har",
        "AADSTS50011",
        "the reply URL is not registered for the app",
        "Register it character for character",
        &["developer", "admin"],
    ),
];

#[test]
fn failing_captures_carry_the_codes_remediation_and_who() {
    for (file, code, meaning, step, who) in FAILURES {
        let path = format!("traces/{file}");
        let (exit, stdout, stderr) = run(&["--format", "json", &path]);
        assert_eq!(exit, 1, "{file}: {stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let verdict = report["verdict"]["summary"].as_str().unwrap();
        assert!(
            verdict.ends_with(&format!(": {meaning} ({code}).")),
            "{file}: {verdict}"
        );
        let root_finding = &report["findings"][0];
        let fix = root_finding["fix"].as_str().unwrap();
        assert!(fix.contains(step), "{file}: fix {fix}");
        assert!(
            fix.ends_with(&format!("who acts: {}", who.join(", "))),
            "{file}: {fix}"
        );
        assert!(!fix.contains("Look the code up"), "{file}: {fix}");
        let codes = report["ticket"]["error_codes"].as_array().unwrap();
        let entry = codes
            .iter()
            .find(|c| c["code"] == *code)
            .unwrap_or_else(|| panic!("{file}: {code} not in {codes:?}"));
        assert_eq!(entry["who"], serde_json::json!(who), "{file}");

        let line = format!("· who acts: {}", who.join(", "));
        let (_, text, _) = run(&[&path]);
        let error_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("Error "))
            .unwrap_or_else(|| panic!("{file}: no ticket error line in {text}"));
        assert!(
            error_line.contains(code) && error_line.ends_with(&line),
            "{file}: {error_line}"
        );
        assert!(text.contains("fix: (1) "), "{file}: {text}");
        let (_, md, _) = run(&["--format", "markdown", &path]);
        assert!(
            md.lines()
                .any(|l| l.starts_with("| Error |") && l.contains(&line)),
            "{file}: {md}"
        );
    }
}

#[test]
fn generic_protocol_words_take_who_from_the_sub_category() {
    // Okta says only `access_denied` + "User is not assigned…": the fix and
    // the ticket follow the user_not_assigned category, not the broad word.
    let (_, stdout, _) = run(&["--format", "json", "traces/okta-user-not-assigned.har"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["ticket"]["error_codes"][0]["who"],
        serde_json::json!(["admin"])
    );
    let fix = report["findings"][0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("Okta: Applications › <app> › Assignments"),
        "{fix}"
    );
    let summary = report["verdict"]["summary"].as_str().unwrap();
    assert!(summary.contains("not assigned to the app"), "{summary}");
}

#[test]
fn b2c_code_in_the_description_drives_fix_verdict_and_who() {
    // B2C sends `error=access_denied` and the real code in the description.
    let path = "tests/fixtures/remediation/b2c-forgot-password.har";
    let (exit, stdout, stderr) = run(&["--format", "json", path]);
    assert_eq!(exit, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["verdict"]["summary"],
        "Sign-in failed at #3: the user chose the forgotten-password link (AADB2C90118)."
    );
    let f = &report["findings"][0];
    assert_eq!(f["evidence"]["idp_code"], "AADB2C90118");
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("password-reset user flow"),
        "{f}"
    );
    assert_eq!(
        report["ticket"]["error_codes"][0]["who"],
        serde_json::json!(["user", "developer"])
    );
}

/// Every registered rule says who acts, and every row of the who table is a
/// registered rule (the registry is in `rules`, the table below it in
/// `decode`, so the cross-check lives here).
#[test]
fn every_rule_has_a_who() {
    use trace_inspect::decode::remediation::{RULE_WHO, rule_who};
    use trace_inspect::rules::RULES;
    for rule in RULES {
        assert!(!rule_who(rule.code).is_empty(), "{} has no who", rule.code);
    }
    let registered: std::collections::HashSet<&str> = RULES.iter().map(|r| r.code).collect();
    for (code, who) in RULE_WHO {
        assert!(registered.contains(code), "{code} is not a registered rule");
        assert!(!who.is_empty());
    }
}
