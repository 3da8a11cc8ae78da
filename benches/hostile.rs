//! Hostile and pathological captures: each case is generated at a size `n`
//! and at `4n`, and the real `trace-inspect` binary runs on each in a child
//! process, three times (the least CPU time and the largest peak are kept). The bench prints wall and on-CPU time, peak resident memory and
//! the exit code, and the growth of CPU time from `n` to `4n`: a linear
//! decoder grows about 4×, a quadratic one 16×. A case is marked OVER when it
//! grows more than 4.4× (the scaling bound of the performance issue), when
//! its peak memory exceeds the case's multiple of the input plus 64 MB, or
//! when the exit code is not the one the case expects (a limit hit is exit 2
//! with a one-line message naming the file and the flag that raises it).
//!
//! `cargo bench --bench hostile [-- CASE…] [--scale F]`; without `--bench`
//! (`cargo test --benches`) it runs every case at a small size and checks
//! only the exit codes.
//!
//! Measuring a child without `unsafe` or a C library: the bench polls
//! `/proc/PID/status` (VmHWM, kept as the maximum seen) and, once the child
//! is a zombie, reads its final `utime` + `stime` from `/proc/PID/stat`
//! before reaping it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The resolution of the CPU times `/proc/PID/stat` gives, seconds.
const TICK: f64 = 0.01;

/// One generated input.
struct Case {
    name: &'static str,
    what: &'static str,
    /// `n` for the timed run (`4n` is the second).
    n: usize,
    /// `n` for the self-check.
    small: usize,
    /// Exit codes the contract allows (0 no failure / 1 failure found / 2
    /// unusable input).
    exits: &'static [i32],
    /// Peak memory allowed, in multiples of the input (plus 64 MB): inputs
    /// made of many tiny items (cookies) cost more per byte than the bytes.
    memory: u64,
    build: fn(usize) -> Vec<u8>,
}

const CASES: &[Case] = &[
    Case {
        name: "attributes",
        what: "SAMLResponse: one element with n attributes",
        n: 1_000_000,
        small: 2_000,
        exits: &[0, 1],
        memory: 8,
        build: many_attributes,
    },
    Case {
        name: "depth",
        what: "SAMLResponse: elements nested n deep",
        n: 100_000,
        small: 500,
        exits: &[0, 1],
        memory: 8,
        build: deep_xml,
    },
    Case {
        name: "cookies",
        what: "one request carrying n cookies (header and cookie array)",
        n: 250_000,
        small: 2_000,
        exits: &[0, 1],
        memory: 8,
        build: many_cookies,
    },
    Case {
        name: "set-cookies",
        what: "one response with n Set-Cookie headers (over --max-headers: refused)",
        n: 25_000,
        small: 2_000,
        exits: &[2],
        memory: 8,
        build: many_set_cookies,
    },
    Case {
        name: "url",
        what: "one /authorize URL of n KB",
        n: 25_000,
        small: 100,
        exits: &[0, 1],
        memory: 8,
        build: long_url,
    },
    Case {
        name: "params",
        what: "one callback URL with n query parameters",
        n: 400_000,
        small: 1_000,
        exits: &[0, 1],
        memory: 8,
        build: many_params,
    },
    Case {
        name: "inputs",
        what: "an auto-post page with n hidden inputs",
        n: 400_000,
        small: 1_000,
        exits: &[0, 1],
        memory: 8,
        build: many_inputs,
    },
    Case {
        name: "jwts",
        what: "a JSON body with n JWT-shaped strings",
        n: 200_000,
        small: 500,
        exits: &[0, 1],
        memory: 8,
        build: many_jwts,
    },
];

// ------------------------------------------------------------- generators

fn har(entries: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"log": {
        "version": "1.2",
        "creator": {"name": "hostile-bench", "version": "1"},
        "browser": {"name": "Chrome", "version": "131"},
        "entries": entries,
    }}))
    .unwrap()
}

fn entry(
    method: &str,
    url: &str,
    req_headers: Value,
    post: Option<Value>,
    status: u16,
    resp_headers: Value,
    body: &str,
) -> Value {
    let mut request = json!({
        "method": method, "url": url, "httpVersion": "HTTP/1.1",
        "headers": req_headers, "queryString": [], "cookies": [],
        "headersSize": -1, "bodySize": -1,
    });
    if let Some(p) = post {
        request["postData"] = p;
    }
    json!({
        "startedDateTime": "2026-11-20T10:00:00.000Z",
        "time": 10,
        "request": request,
        "response": {
            "status": status, "statusText": "", "httpVersion": "HTTP/1.1",
            "headers": resp_headers, "cookies": [],
            "content": {"size": body.len(), "mimeType": "text/html", "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": body.len(),
        },
        "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 0},
    })
}

fn saml_post(xml: &str) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(xml);
    let form = format!("SAMLResponse={}", form_escape(&b64));
    har(vec![entry(
        "POST",
        "https://sp.example.com/saml/acs",
        json!([{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}]),
        Some(json!({"mimeType": "application/x-www-form-urlencoded", "text": form})),
        302,
        json!([{"name": "Location", "value": "https://sp.example.com/home"}]),
        "",
    )])
}

fn form_escape(s: &str) -> String {
    s.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn many_attributes(n: usize) -> Vec<u8> {
    let mut xml = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-11-20T10:00:00Z""#,
    );
    for i in 0..n {
        write!(xml, " a{i}=\"v\"").unwrap();
    }
    xml.push_str("/>");
    saml_post(&xml)
}

fn deep_xml(n: usize) -> Vec<u8> {
    let mut xml = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-11-20T10:00:00Z">"#,
    );
    xml.push_str(&"<x>".repeat(n));
    xml.push_str(&"</x>".repeat(n));
    xml.push_str("</samlp:Response>");
    saml_post(&xml)
}

fn many_cookies(n: usize) -> Vec<u8> {
    let header: Vec<String> = (0..n).map(|i| format!("c{i}=v{i}")).collect();
    let mut e = entry(
        "GET",
        "https://app.example.com/signin-oidc",
        json!([{"name": "Cookie", "value": header.join("; ")}]),
        None,
        200,
        json!([{"name": "Content-Type", "value": "text/html"}]),
        "<html><body>ok</body></html>",
    );
    e["request"]["cookies"] = Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("c{i}"), "value": format!("v{i}")}))
            .collect(),
    );
    har(vec![e])
}

fn many_set_cookies(n: usize) -> Vec<u8> {
    let headers: Vec<Value> = (0..n)
        .map(|i| json!({"name": "Set-Cookie", "value": format!("s{i}=v; Path=/; Secure; SameSite=None")}))
        .collect();
    har(vec![entry(
        "GET",
        "https://app.example.com/login",
        json!([]),
        None,
        302,
        Value::Array(headers),
        "",
    )])
}

fn long_url(kb: usize) -> Vec<u8> {
    let pad = "A".repeat(kb * 1024);
    let url = format!(
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=00000000-0000-0000-0000-000000000001&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid&state=s1&login_hint={pad}"
    );
    har(vec![entry(
        "GET",
        &url,
        json!([]),
        None,
        200,
        json!([{"name": "Content-Type", "value": "text/html"}]),
        "",
    )])
}

fn many_params(n: usize) -> Vec<u8> {
    let mut url = String::from("https://app.example.com/cb?code=abc&state=s1");
    for i in 0..n {
        write!(url, "&p{i}=v{i}").unwrap();
    }
    har(vec![entry(
        "GET",
        &url,
        json!([]),
        None,
        500,
        json!([{"name": "Content-Type", "value": "text/html"}]),
        "<html><body>error</body></html>",
    )])
}

fn many_inputs(n: usize) -> Vec<u8> {
    let mut page = String::from(
        r#"<html><body onload="document.forms[0].submit()"><form method="post" action="https://app.example.com/signin-oidc">"#,
    );
    for i in 0..n {
        write!(page, r#"<input type="hidden" name="f{i}" value="v{i}"/>"#).unwrap();
    }
    page.push_str("</form></body></html>");
    har(vec![entry(
        "POST",
        "https://login.microsoftonline.com/common/login",
        json!([]),
        None,
        200,
        json!([{"name": "Content-Type", "value": "text/html"}]),
        &page,
    )])
}

fn many_jwts(n: usize) -> Vec<u8> {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let jwt = format!(
                "{}.{}.c2ln",
                b64(r#"{"alg":"RS256","typ":"JWT"}"#),
                b64(&format!(r#"{{"sub":"u{i}","aud":"api","exp":1763632800}}"#))
            );
            json!({"id": i, "token": jwt})
        })
        .collect();
    let body = serde_json::to_string(&items).unwrap();
    let mut e = entry(
        "GET",
        "https://api.example.com/tokens",
        json!([]),
        None,
        200,
        json!([{"name": "Content-Type", "value": "application/json"}]),
        &body,
    );
    e["response"]["content"]["mimeType"] = json!("application/json");
    har(vec![e])
}

// ------------------------------------------------------------ measurement

/// What one run of the binary cost.
struct Run {
    wall: Duration,
    /// utime + stime of the child, seconds (clock ticks of 1/100 s).
    cpu: f64,
    /// Largest VmHWM seen while it ran, bytes.
    hwm: u64,
    exit: i32,
    stderr: String,
}

fn measure(bin: &Path, file: &Path) -> Run {
    let start = Instant::now();
    let child = Command::new(bin)
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut hwm = 0;
    let mut cpu = 0.0;
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the `(comm)`: state is the 1st, utime the 12th, stime the 13th.
        let after = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        if let Some(kb) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
        {
            hwm = hwm.max(kb * 1024);
        }
        if fields.first() == Some(&"Z") || fields.is_empty() {
            let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
            if let (Some(u), Some(s)) = (ticks(11), ticks(12)) {
                cpu = (u + s) / 100.0;
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        wall: start.elapsed(),
        cpu,
        hwm,
        exit: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
    }
}

fn data_dir() -> PathBuf {
    let root = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = root.join("bench-data/hostile");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_case(case: &Case, n: usize) -> (PathBuf, usize) {
    let path = data_dir().join(format!("{}-{n}.har", case.name));
    let bytes = (case.build)(n);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes.len())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    let scale: f64 = args
        .iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    let wanted: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with("--") && a.parse::<f64>().is_err())
        .collect();
    let bin = Path::new(env!("CARGO_BIN_EXE_trace-inspect"));
    let mut failed = false;
    if !bench {
        for case in CASES {
            let (path, _) = write_case(case, case.small);
            let r = measure(bin, &path);
            if !case.exits.contains(&r.exit) {
                eprintln!(
                    "hostile self-check: {} exited {} ({})",
                    case.name, r.exit, r.stderr
                );
                failed = true;
            }
            let _ = std::fs::remove_file(path);
        }
        println!("hostile self-check: {} cases", CASES.len());
        return if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    println!(
        "trace-inspect hostile-input benchmark: each case at n and 4n, least CPU time of 3 runs"
    );
    println!("load average before: {}", loadavg());
    println!(
        "  {:<12} {:>9} {:>9} {:>9} {:>9} {:>9} {:>5} {:>7}  ",
        "case", "n", "input", "wall", "cpu", "peak", "exit", "cpu×"
    );
    for case in CASES
        .iter()
        .filter(|c| wanted.is_empty() || wanted.iter().any(|w| *w == c.name))
    {
        let n = ((case.n as f64 * scale) as usize).max(case.small);
        let mut first_cpu = None;
        for k in [n, 4 * n] {
            let (path, size) = write_case(case, k);
            // The least CPU time of three runs (the machine is shared; the
            // minimum is the run least disturbed), the largest peak.
            let runs: Vec<Run> = (0..3).map(|_| measure(bin, &path)).collect();
            let hwm = runs.iter().map(|r| r.hwm).max().unwrap_or(0);
            let mut r = runs
                .into_iter()
                .min_by(|a, b| a.cpu.total_cmp(&b.cpu))
                .unwrap();
            r.hwm = hwm;
            let growth = first_cpu
                .filter(|c: &f64| *c > 0.0)
                .map(|c| r.cpu.max(0.01) / c);
            // CPU times come in clock ticks (10 ms): the growth judged is the
            // least the ticks allow, so a short run's rounding is no verdict
            // (a quadratic step, 16×, still is).
            let least_growth = first_cpu.map(|c| (r.cpu - TICK).max(0.0) / (c + TICK));
            let mut verdict = Vec::new();
            if !case.exits.contains(&r.exit) {
                verdict.push(format!("exit {} ({})", r.exit, r.stderr));
            }
            if least_growth.is_some_and(|g| g > 4.4) {
                verdict.push("grows faster than the input".to_owned());
            }
            if r.hwm > case.memory * size as u64 + (64 << 20) {
                verdict.push(format!("memory over {}× the input + 64 MB", case.memory));
            }
            failed |= !verdict.is_empty();
            println!(
                "  {:<12} {:>9} {:>7.1}MB {:>8.2}s {:>8.2}s {:>7.1}MB {:>5} {:>7}  {}",
                case.name,
                k,
                size as f64 / 1e6,
                r.wall.as_secs_f64(),
                r.cpu,
                r.hwm as f64 / 1e6,
                r.exit,
                growth.map_or("".to_owned(), |g| format!("{g:.2}×")),
                if verdict.is_empty() {
                    String::new()
                } else {
                    format!("OVER: {}", verdict.join("; "))
                }
            );
            first_cpu.get_or_insert(r.cpu.max(0.01));
            let _ = std::fs::remove_file(path);
        }
        println!("  {:<12} {}", "", case.what);
    }
    println!("load average after: {}", loadavg());
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
