//! The JSON contracts, checked in as JSON Schemas under `schema/`, hold for
//! real outputs: `--format json` of every sample in `traces/` (one capture
//! and several at once) and `triage --format ndjson` of them all. A key
//! renamed or a type changed fails here before a user's script breaks.

use serde_json::Value;

use crate::common::{bin, root};

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn samples() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("traces"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "har" || x == "saz"))
        .map(|p| format!("traces/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() > 10, "samples missing");
    files
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn run_json(args: &[&str]) -> Value {
    let out = bin().current_dir(root()).args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn every_sample_report_matches_the_report_schema() {
    let v = validator("report.v1.schema.json");
    for path in samples() {
        let doc = run_json(&[&path, "--format", "json", "--all"]);
        assert!(doc.is_object(), "{path}: one capture gives one object");
        assert_valid(&v, &doc, &path);
    }
}

#[test]
fn several_captures_give_an_array_that_matches() {
    let v = validator("report.v1.schema.json");
    let doc = run_json(&[
        "traces/saml-success.har",
        "traces/oidc-cookie-dropped.har",
        "--format",
        "json",
    ]);
    assert_eq!(doc.as_array().map(Vec::len), Some(2));
    assert_valid(&v, &doc, "two captures");
}

#[test]
fn a_report_missing_a_contract_key_is_refused_by_the_schema() {
    let v = validator("report.v1.schema.json");
    let mut doc = run_json(&["traces/saml-success.har", "--format", "json"]);
    doc["verdict"].as_object_mut().unwrap().remove("status");
    assert!(!v.is_valid(&doc), "the schema must require verdict.status");
}

#[test]
fn every_triage_row_matches_the_row_schema() {
    let v = validator("triage-row.v1.schema.json");
    let out = bin()
        .current_dir(root())
        .args(["triage", "traces", "--format", "ndjson"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        assert_valid(&v, &row, line);
        n += 1;
    }
    assert!(n > 10, "{n} rows");
}
