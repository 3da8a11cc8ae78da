//! `trace-inspect triage`: one row per capture, sorted, the same with one
//! job or many; unreadable and hostile files get their row; other files are
//! skipped and counted; exit 0 / 1 / 2 as documented.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::root;
use assert_cmd::Command;
use serde_json::Value;

fn triage(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("trace-inspect")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .arg("triage")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn capture_files(dir: &std::path::Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            capture_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "har" || x == "saz") {
            out.push(p.to_string_lossy().into_owned());
        }
    }
}

#[test]
fn traces_table_and_ndjson_are_pinned() {
    let (code, table, stderr) = triage(&["--jobs", "2", "traces"]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("triage_traces_table", table);
    let (_, ndjson, _) = triage(&["--format", "ndjson", "traces"]);
    insta::assert_snapshot!("triage_traces_ndjson", ndjson);
    let mut files = Vec::new();
    capture_files(&root().join("traces"), &mut files);
    assert_eq!(ndjson.lines().count(), files.len());
    for line in ndjson.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        for key in [
            "path",
            "format",
            "entries",
            "verdict",
            "error_codes",
            "correlation_id",
            "error",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
}

#[test]
fn one_job_and_many_give_the_same_rows() {
    let (_, one, _) = triage(&["--jobs", "1", "--format", "ndjson", "traces"]);
    let (_, many, _) = triage(&["--jobs", "4", "--format", "ndjson", "traces"]);
    assert_eq!(one, many);
}

#[test]
fn corpus_and_traces_give_one_row_per_capture() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let (code, ndjson, stderr) = triage(&["--format", "ndjson", "traces", "../shared/corpus"]);
    assert_eq!(code, 1, "{stderr}");
    let mut files = Vec::new();
    capture_files(&root().join("traces"), &mut files);
    capture_files(&corpus, &mut files);
    let rows: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), files.len());
    let broken: Vec<&str> = rows
        .iter()
        .filter(|r| !r["error"].is_null())
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    for name in [
        "harviewer_not-json.har",
        "mitm_brokenfile.har",
        "harviewer_not-valid.har",
        "nodesaz_notASazFile.saz",
    ] {
        assert!(
            broken.iter().any(|p| p.ends_with(name)),
            "{name} should be unreadable: {broken:?}"
        );
    }
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "rows are sorted by path");
}

#[test]
fn hostile_files_get_a_row_and_others_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("traces/saml-success.har"),
        dir.path().join("ok.har"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cut.har"),
        b"{\"log\":{\"entries\":[{\"request\":",
    )
    .unwrap();
    std::fs::write(dir.path().join("bomb.saz"), b"PK\x03\x04garbage").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not a capture").unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let (code, json, stderr) = triage(&["--format", "json", &d]);
    assert_eq!(code, 1, "{stderr}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["captures"].as_array().unwrap().len(), 3);
    assert_eq!(v["aggregate"]["skipped"], 1);
    assert_eq!(v["aggregate"]["unreadable"], 2);
    let (code, _, _) = triage(&[&format!("{d}/ok.har")]);
    assert_eq!(code, 0, "a successful capture alone exits 0");
}

#[test]
fn csv_has_a_header_and_a_row_per_capture() {
    let (_, csv, _) = triage(&["--format", "csv", "traces"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("path,format,entries,status,category")
    );
    let mut files = Vec::new();
    capture_files(&root().join("traces"), &mut files);
    assert_eq!(lines.count(), files.len());
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let (code, _, stderr) = triage(&["no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}
