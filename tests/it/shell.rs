//! Fitting the shell: `-` reads a capture from standard input in analyze,
//! triage and redact exactly as the file would be read; `--stdin-paths`;
//! `--quiet` prints nothing but keeps the exit code and the errors; the
//! generated completions and man page name every subcommand and option;
//! `--version` names the AADSTS table's date.

use clap::CommandFactory;
use serde_json::Value;
use trace_inspect::cli::args::Cli;

use crate::common::{bin, root};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut c = bin();
    c.current_dir(root()).args(args);
    if let Some(bytes) = stdin {
        c.write_stdin(bytes);
    }
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

/// The JSON report without the capture's path (the one thing that differs).
fn json_without_path(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v["capture"]["path"] = Value::Null;
    v
}

#[test]
fn analyze_reads_a_har_from_stdin_like_the_file() {
    for trace in [
        "traces/okta-user-not-assigned.har",
        "traces/saml-success.har",
    ] {
        let file = run(&[trace, "--format", "json"], None);
        let piped = run(&["-", "--format", "json"], Some(read(trace)));
        assert_eq!(piped.code, file.code, "{trace}: {}", piped.stderr);
        assert_eq!(
            json_without_path(&piped.stdout),
            json_without_path(&file.stdout)
        );
        let v: Value = serde_json::from_str(&piped.stdout).unwrap();
        assert_eq!(v["capture"]["path"], "<stdin>");
    }
}

#[test]
fn analyze_detects_a_saz_on_stdin_from_its_content() {
    let trace = "traces/saz-saml-success.saz";
    let piped = run(&["-", "--format", "json"], Some(read(trace)));
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let v: Value = serde_json::from_str(&piped.stdout).unwrap();
    assert_eq!(v["capture"]["format"], "saz");
    assert_eq!(v["verdict"]["status"], "ok");
}

#[test]
fn unreadable_stdin_is_one_line_and_exit_2() {
    let r = run(&["-"], Some(b"hello, not a capture".to_vec()));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("trace-inspect: <stdin>: "),
        "{}",
        r.stderr
    );
    let empty = run(&["-"], Some(Vec::new()));
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    let twice = run(&["-", "-"], Some(Vec::new()));
    assert_eq!(twice.code, 2);
    assert!(twice.stderr.contains("only once"), "{}", twice.stderr);
}

#[test]
fn triage_reads_one_capture_from_stdin() {
    let trace = "traces/okta-user-not-assigned.har";
    let file = run(&["triage", "--format", "ndjson", trace], None);
    let piped = run(&["triage", "--format", "ndjson", "-"], Some(read(trace)));
    assert_eq!((piped.code, file.code), (1, 1), "{}", piped.stderr);
    let mut a: Value = serde_json::from_str(piped.stdout.trim()).unwrap();
    let mut b: Value = serde_json::from_str(file.stdout.trim()).unwrap();
    assert_eq!(a["path"], "<stdin>");
    a["path"] = Value::Null;
    b["path"] = Value::Null;
    assert_eq!(a, b);
    let junk = run(&["triage", "--format", "ndjson", "-"], Some(b"{}".to_vec()));
    assert_eq!(
        junk.code, 1,
        "a named input that is no capture gets its row"
    );
    let row: Value = serde_json::from_str(junk.stdout.trim()).unwrap();
    assert!(row["error"].is_string(), "{row}");
}

#[test]
fn triage_reads_a_list_of_paths_from_stdin() {
    let list = "traces/saml-success.har\n\ntraces/okta-user-not-assigned.har\r\n";
    let piped = run(
        &["triage", "--format", "ndjson", "--stdin-paths"],
        Some(list.as_bytes().to_vec()),
    );
    let args = run(
        &[
            "triage",
            "--format",
            "ndjson",
            "traces/saml-success.har",
            "traces/okta-user-not-assigned.har",
        ],
        None,
    );
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert_eq!(piped.stdout, args.stdout);
    assert_eq!(piped.stdout.lines().count(), 2);
    let none = run(&["triage", "--stdin-paths"], Some(b"\n".to_vec()));
    assert_eq!(none.code, 2);
    let both = run(&["triage", "--stdin-paths", "-"], Some(Vec::new()));
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn redact_reads_stdin_and_the_copy_diagnoses_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.har");
    let out_s = out.to_str().unwrap();
    let trace = "traces/okta-user-not-assigned.har";
    let r = run(&["redact", "-", "-o", out_s], Some(read(trace)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("<stdin>"),
        "the receipt names the input: {}",
        r.stderr
    );
    let copy = run(&[out_s, "--format", "json"], None);
    let original = run(&[trace, "--format", "json"], None);
    let verdict = |s: &str| serde_json::from_str::<Value>(s).unwrap()["verdict"].clone();
    assert_eq!(verdict(&copy.stdout), verdict(&original.stdout));
}

#[test]
fn quiet_prints_nothing_and_keeps_the_exit_code() {
    let failed = run(&["-q", "traces/okta-user-not-assigned.har"], None);
    assert_eq!(
        (failed.code, failed.stdout.as_str(), failed.stderr.as_str()),
        (1, "", "")
    );
    let ok = run(&["--quiet", "traces/saml-success.har"], None);
    assert_eq!((ok.code, ok.stdout.as_str()), (0, ""));
    let missing = run(&["-q", "traces/no-such-file.har"], None);
    assert_eq!(missing.code, 2);
    assert!(missing.stdout.is_empty());
    assert!(
        missing.stderr.contains("no-such-file.har"),
        "errors stay on stderr"
    );
    let triage = run(&["triage", "-q", "traces"], None);
    assert_eq!((triage.code, triage.stdout.as_str()), (1, ""));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.har");
    let redact = run(
        &[
            "redact",
            "-q",
            "traces/saml-success.har",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!((redact.code, redact.stderr.as_str()), (0, ""));
    assert!(out.is_file());
    let explain = run(&["explain", "AADSTS50011", "-q"], None);
    assert_eq!((explain.code, explain.stdout.as_str()), (0, ""));
    let decode = run(
        &["decode", "-", "-q"],
        Some(b"not a protocol message".to_vec()),
    );
    assert_eq!(decode.code, 2, "decode -q keeps its exit code");
    assert!(decode.stdout.is_empty() && !decode.stderr.is_empty());
    let conflict = run(&["-q", "-o", "x.txt", "traces/saml-success.har"], None);
    assert_eq!(conflict.code, 2, "--quiet with -o is a usage error");
}

/// Every subcommand and the long names of every option, as clap knows them.
fn commands_and_options() -> (Vec<String>, Vec<String>) {
    let cmd = Cli::command();
    let subs = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut longs: Vec<String> = std::iter::once(&cmd)
        .chain(cmd.get_subcommands())
        .flat_map(|c| c.get_arguments())
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    longs.sort();
    longs.dedup();
    (subs, longs)
}

#[test]
fn completions_name_every_subcommand_and_option() {
    let (subs, longs) = commands_and_options();
    assert!(subs.len() >= 6 && longs.contains(&"stdin-paths".to_owned()));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell], None);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for s in &subs {
            assert!(
                r.stdout.contains(s.as_str()),
                "{shell} completions lack {s}"
            );
        }
        for l in &longs {
            let written = if shell == "fish" {
                format!("-l {l}")
            } else {
                format!("--{l}")
            };
            assert!(
                r.stdout.contains(&written),
                "{shell} completions lack {written}"
            );
        }
    }
    assert_eq!(run(&["completions", "tcsh"], None).code, 2);
}

#[test]
fn man_page_documents_every_subcommand_and_option() {
    let (subs, longs) = commands_and_options();
    let r = run(&["man"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH trace-inspect 1"));
    assert!(r.stdout.contains(".SH \"EXIT STATUS\""));
    for s in &subs {
        let heading = format!(".SH \"TRACE-INSPECT {}\"", s.to_uppercase());
        assert!(r.stdout.contains(&heading), "man page lacks {heading}");
    }
    for l in &longs {
        // roff writes every hyphen of an option as `\-`.
        let written = format!("\\-\\-{}", l.replace('-', "\\-"));
        assert!(r.stdout.contains(&written), "man page lacks --{l}");
    }
}

#[test]
fn version_names_the_aadsts_table_date() {
    let r = run(&["--version"], None);
    assert_eq!(r.code, 0);
    let line = r.stdout.trim();
    let date = line
        .strip_prefix(&format!(
            "trace-inspect {} (AADSTS table of ",
            env!("CARGO_PKG_VERSION")
        ))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{line}"
    );
}
