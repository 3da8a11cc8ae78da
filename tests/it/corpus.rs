//! Every real capture in `../shared/corpus/{har,saz}`: well-formed ones load
//! with the right number of entries (HAR `log.entries` length, SAZ session
//! count); broken ones are refused by the binary with one line on stderr
//! and exit code 2. Skips with a message when `../shared` is absent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use crate::common::corpus;
use assert_cmd::Command;
use trace_inspect::capture::{Input, LoadOptions};

/// Manifest rows: local_name → validity_check.
fn manifest(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(7)?.to_string()))
        })
        .collect()
}

/// Files the manifest marks broken, plus JSON that is valid but not a HAR.
fn is_broken(name: &str, validity: &str) -> bool {
    validity.contains("INVALID") || name.ends_with("harviewer_not-valid.har")
}

fn expected_har_entries(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text.trim_start_matches('\u{feff}');
    let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    v["log"]["entries"].as_array().map_or(0, Vec::len)
}

fn expected_saz_sessions(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut sessions = BTreeSet::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("member");
        let name = f.name().expect("member name").to_string();
        let mut sink = Vec::new();
        f.read_to_end(&mut sink).ok();
        if let Some(n) = name
            .strip_prefix("raw/")
            .and_then(|r| r.strip_suffix("_c.txt"))
        {
            sessions.insert(n.trim_start_matches('0').to_owned());
        }
    }
    sessions.len()
}

#[test]
fn well_formed_captures_load_with_the_right_entry_count() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for (name, validity) in manifest(&dir) {
        let is_har = name.starts_with("har/");
        let is_saz = name.starts_with("saz/");
        if !(is_har || is_saz) || is_broken(&name, &validity) {
            continue;
        }
        let bytes = std::fs::read(dir.join(&name)).expect("read");
        let expected = if is_har {
            expected_har_entries(&bytes)
        } else {
            expected_saz_sessions(&bytes)
        };
        let options = LoadOptions::default();
        let input =
            Input::from_bytes(bytes, &options).unwrap_or_else(|e| panic!("{name}: refused: {e}"));
        let capture = input
            .parse(&name, &options)
            .unwrap_or_else(|e| panic!("{name}: refused: {e}"));
        assert_eq!(capture.exchanges.len(), expected, "{name}: entry count");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} captures checked");
}

#[test]
fn broken_captures_exit_2_with_one_line() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for (name, validity) in manifest(&dir) {
        if !(name.starts_with("har/") || name.starts_with("saz/")) || !is_broken(&name, &validity) {
            continue;
        }
        let out = Command::cargo_bin("trace-inspect")
            .expect("binary")
            .env("NO_COLOR", "1")
            .arg(dir.join(&name))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{name}: exit code");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name.rsplit('/').next().unwrap_or_default()),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} broken files checked");
}

#[test]
fn every_corpus_capture_runs_without_panicking() {
    let Some(dir) = corpus() else { return };
    for sub in ["har", "saz"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("dir").flatten() {
            for args in [&["--all"][..], &["--all", "--format", "json"][..]] {
                let out = Command::cargo_bin("trace-inspect")
                    .expect("binary")
                    .env("NO_COLOR", "1")
                    .args(args)
                    .arg(entry.path())
                    .output()
                    .expect("run");
                let code = out.status.code();
                assert!(
                    matches!(code, Some(0..=2)),
                    "{}: {code:?}",
                    entry.path().display()
                );
                if code != Some(2) && args.contains(&"json") {
                    let v: serde_json::Value =
                        serde_json::from_slice(&out.stdout).expect("output is JSON");
                    assert_eq!(v["schema_version"], 1);
                    assert!(v["capture"]["entries"].is_u64());
                    assert!(v["timeline"].is_array());
                }
            }
        }
    }
}
