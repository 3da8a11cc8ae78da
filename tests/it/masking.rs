//! Secrets never reach an analysis output: for every sample HAR in `traces/`,
//! the values of its secret query / form parameters (authorization codes,
//! tokens, passwords) and every JWT it carries are looked for in the text,
//! JSON, Markdown and HTML reports (with `--all`, so every timeline row is there)
//! and in `--entry` for each entry that carries one. None may appear unless
//! `--show-secrets` was given.

use std::collections::BTreeSet;

use serde_json::Value;
use trace_inspect::decode::jwt::find_jwts;
use trace_inspect::secret::is_secret_param;

use crate::common::{bin, root};

/// Secret values of a query string or form body (`a=1&code=…`): raw as they
/// are written, at least 8 characters (shorter ones are test words that
/// could appear by chance).
fn secret_params(query: &str, out: &mut BTreeSet<String>) {
    for pair in query.split('&') {
        if let Some((name, value)) = pair.split_once('=')
            && is_secret_param(name)
            && value.len() >= 8
        {
            out.insert(value.to_owned());
        }
    }
}

/// The secrets a HAR's URLs, `Location` headers and form bodies carry, with
/// the entries (0-based) that carry them.
fn secrets_of(har: &Value) -> (BTreeSet<String>, BTreeSet<usize>) {
    let mut secrets = BTreeSet::new();
    let mut entries = BTreeSet::new();
    let list = har["log"]["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (i, e) in list.iter().enumerate() {
        let before = secrets.len();
        let mut urls = vec![e["request"]["url"].as_str().unwrap_or("").to_owned()];
        for h in e["response"]["headers"].as_array().into_iter().flatten() {
            if h["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("location"))
            {
                urls.push(h["value"].as_str().unwrap_or("").to_owned());
            }
        }
        for url in &urls {
            let rest = url.split_once('?').map_or("", |(_, q)| q);
            let (query, fragment) = rest.split_once('#').unwrap_or((rest, ""));
            secret_params(query, &mut secrets);
            secret_params(fragment, &mut secrets);
            secret_params(url.split_once('#').map_or("", |(_, f)| f), &mut secrets);
            secrets.extend(find_jwts(url).into_iter().map(str::to_owned));
        }
        if let Some(body) = e["request"]["postData"]["text"].as_str()
            && !body.trim_start().starts_with(['{', '<'])
        {
            secret_params(body, &mut secrets);
        }
        if secrets.len() > before {
            entries.insert(i + 1);
        }
    }
    (secrets, entries)
}

fn run(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("the binary runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_secret_of_a_sample_reaches_any_report() {
    let dir = root().join("traces");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "har"))
        .collect();
    files.sort();
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(har) = serde_json::from_str::<Value>(&text) else {
            continue; // the lenient-loading samples are tested elsewhere
        };
        let (secrets, entries) = secrets_of(&har);
        if secrets.is_empty() {
            continue;
        }
        let p = path.to_str().unwrap();
        let mut outputs = Vec::new();
        for format in ["text", "json", "markdown", "html"] {
            outputs.push((format.to_owned(), run(&[p, "--all", "--format", format])));
        }
        for e in &entries {
            let e = e.to_string();
            outputs.push((format!("--entry {e}"), run(&[p, "--entry", &e])));
        }
        for (what, out) in &outputs {
            assert!(!out.is_empty(), "{p} {what}: no output");
            for s in &secrets {
                assert!(
                    !out.contains(s.as_str()),
                    "{p} {what}: shows the secret {s}"
                );
            }
        }
        checked += secrets.len();
    }
    assert!(checked > 20, "only {checked} secrets were looked for");
}

#[test]
fn show_secrets_shows_them() {
    let p = root().join("traces/oidc-redirect-loop.har");
    let har: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let (secrets, _) = secrets_of(&har);
    assert!(!secrets.is_empty(), "the sample carries codes");
    let p = p.to_str().unwrap();
    let shows = |out: String| secrets.iter().any(|s| out.contains(s.as_str()));
    assert!(!shows(run(&[p, "--all"])));
    assert!(shows(run(&[p, "--all", "--show-secrets"])));
    assert!(shows(run(&[
        p,
        "--all",
        "--format",
        "json",
        "--show-secrets"
    ])));
}
