//! Redaction memory benchmark: peak memory of `redact` on a generated HAR,
//! divided by the HAR's size, against the floor of a bare serde parse of
//! the same file in the same run (issue 12: redact ≤ 1.5× the HAR).
//!
//! `cargo bench --bench redact [-- --har-mb MB] [--compare BIN]…` generates
//! the HAR on first use (the `load` bench's generator, `synth/`), then runs
//! each case once in a fresh child process of this binary and reports its
//! peak live heap (a counting global allocator) and peak resident set
//! (VmHWM, reset just before the case), both divided by the file size, and
//! its on-CPU and wall time. Cases:
//!
//! - `floor`: `serde_json::from_slice` into the borrowed `floor::Har` (the
//!   least any reader of the file holds);
//! - `tree`: the whole document as a `serde_json::Value` (what a redactor
//!   that rewrites a tree holds before it writes anything);
//! - `analyze`: the input loaded and diagnosed (what `redact` does first,
//!   and again on the copy it wrote);
//! - `redact`: the CLI's path through the library: the input read,
//!   diagnosed and streamed into a temporary file, then read back,
//!   re-scanned and re-diagnosed (`redact::redact_to`, `Redacted::rescan`,
//!   `redact::verify`).
//!
//! Then the `trace-inspect redact` binary itself, and every `--compare`
//! binary (e.g. another branch's build, for a before / after), under
//! `/usr/bin/time` for its maximum resident set. The load average is
//! printed before and after. Without `--bench` (`cargo test --benches`) it
//! only self-checks the redact case on a 2 MB HAR in memory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

// The floor's fields are there to be deserialized (that is its cost), not read.
#[allow(dead_code)]
mod floor;
#[allow(dead_code)]
mod synth;

use std::alloc::System;
use std::error::Error;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cap::Cap;
use serde_json::value::RawValue;
use trace_inspect::capture::LoadOptions;
use trace_inspect::redact::{self, Key, Options};

#[global_allocator]
static ALLOC: Cap<System> = Cap::new(System, usize::MAX);

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const CASES: &[&str] = &["floor", "tree", "analyze", "redact"];
const KEY_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redact bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut bench = false;
    let mut har_bytes = 60_000_000;
    let mut compare = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--peak-case" => {
                let case = args.next().ok_or("--peak-case CASE FILE")?;
                let file = args.next().ok_or("--peak-case CASE FILE")?;
                return peak_child(&case, Path::new(&file));
            }
            "--bench" => bench = true,
            "--har-mb" => {
                let mb: f64 = args.next().ok_or("--har-mb MB")?.parse()?;
                har_bytes = (mb * 1e6) as usize;
            }
            "--compare" => compare.push(PathBuf::from(args.next().ok_or("--compare BIN")?)),
            _ => {}
        }
    }
    if !bench {
        return self_check();
    }
    println!("load average before: {}", load_average());
    let g = synth::har_file(har_bytes)?;
    let size = fs::metadata(&g.path)?.len() as f64;
    println!("HAR {} ({:.1} MB)\n", g.path.display(), size / 1e6);
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>9}",
        "case", "heap/file", "HWM/file", "cpu s", "wall s"
    );
    let mut redact_heap = None;
    let mut floor_heap = None;
    for case in CASES {
        let p = peak_of(case, &g.path)?;
        println!(
            "{:<34} {:>9.2}× {:>8.2}× {:>9.2} {:>9.2}",
            case,
            p.heap as f64 / size,
            p.hwm as f64 / size,
            p.cpu.as_secs_f64(),
            p.wall.as_secs_f64()
        );
        match *case {
            "redact" => redact_heap = Some(p.heap as f64 / size),
            "floor" => floor_heap = Some(p.heap as f64 / size),
            _ => {}
        }
    }
    let own = PathBuf::from(env!("CARGO_BIN_EXE_trace-inspect"));
    for bin in std::iter::once(&own).chain(&compare) {
        match cli_peak(bin, &g.path) {
            Ok((rss, wall)) => println!(
                "{:<34} {:>10} {:>8.2}× {:>9} {:>9.2}",
                format!("binary {}", short(bin)),
                "",
                rss as f64 / size,
                "",
                wall
            ),
            Err(e) => println!("binary {}: {e}", bin.display()),
        }
    }
    if let (Some(r), Some(f)) = (redact_heap, floor_heap) {
        println!(
            "\ntarget: redact peak heap {r:.2}× the HAR (≤ 1.50×: {}); floor {f:.2}×",
            if r <= 1.5 { "met" } else { "NOT met" }
        );
    }
    println!("load average after: {}", load_average());
    Ok(())
}

/// `cargo test --benches`: the redact case on a small HAR, in memory.
fn self_check() -> Result<()> {
    let har = synth::har_bytes(2_000_000)?;
    let entries = redact_case(har)?;
    if entries < 50 {
        return Err(format!("only {entries} entries redacted").into());
    }
    println!("redact bench self-check: {entries} entries redacted and verified");
    Ok(())
}

/// Redacts `bytes` as the CLI does: into a temporary file, read back,
/// re-scanned, re-loaded and re-diagnosed. Returns the entries loaded.
fn redact_case(bytes: Vec<u8>) -> Result<usize> {
    let load = LoadOptions::default();
    let options = Options {
        key: Key::parse(KEY_HEX.as_bytes())?,
        pii: false,
        drop_unparsed: false,
    };
    let dir = synth::data_dir();
    fs::create_dir_all(&dir)?;
    let temp = dir.join(format!(".redact-bench-{}.tmp", std::process::id()));
    let result = (|| -> Result<usize> {
        let mut file = fs::File::create(&temp)?;
        let size = bytes.len();
        let mut redacted = redact::redact_to(bytes, &load, &options, &mut file)?;
        if std::env::var_os("REDACT_BENCH_DEBUG").is_some() {
            let o: usize = redacted.originals.iter().map(|o| o.expose().len()).sum();
            eprintln!("originals {} bytes for {size}: {:?}", o, redacted.sweeper);
        }
        drop(file);
        let written = fs::read(&temp)?;
        redacted.rescan(&written, &load)?;
        redacted.release_needles();
        Ok(redact::verify(
            written,
            &load,
            redacted.format,
            redacted.entries,
            true,
            &redacted.diagnosis,
        )?)
    })();
    let _ = fs::remove_file(&temp);
    result
}

struct Peak {
    heap: usize,
    hwm: usize,
    cpu: Duration,
    wall: Duration,
}

fn peak_of(case: &str, path: &Path) -> Result<Peak> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--peak-case")
        .arg(case)
        .arg(path)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("PEAK "))
        .ok_or_else(|| format!("{case}: {}", String::from_utf8_lossy(&out.stderr)))?;
    let v: Vec<u64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [heap, hwm, cpu, wall] = v[..] else {
        return Err(format!("{case}: bad peak line {line}").into());
    };
    Ok(Peak {
        heap: heap as usize,
        hwm: hwm as usize,
        cpu: Duration::from_micros(cpu),
        wall: Duration::from_micros(wall),
    })
}

/// Child side of [`peak_of`]: read the file, reset VmHWM, run the case.
fn peak_child(case: &str, path: &Path) -> Result<()> {
    let bytes = fs::read(path)?;
    let _ = fs::write("/proc/self/clear_refs", "5");
    let cpu = cpu_time::ThreadTime::now();
    let wall = Instant::now();
    match case {
        "floor" => {
            let har: floor::Har<'_, &RawValue> = serde_json::from_slice(&bytes)?;
            black_box(har);
        }
        "tree" => {
            let doc: serde_json::Value = serde_json::from_slice(&bytes)?;
            black_box(doc);
        }
        "analyze" => {
            let load = LoadOptions::default();
            let input = trace_inspect::capture::Input::from_bytes(bytes, &load)?;
            let capture = input.parse("", &load)?;
            let analysis = trace_inspect::pipeline::analyze(&capture, &load, &Default::default());
            black_box(analysis.findings.len());
        }
        "redact" => {
            black_box(redact_case(bytes)?);
        }
        other => return Err(format!("unknown case {other}").into()),
    }
    let cpu = cpu.elapsed();
    let wall = wall.elapsed();
    println!(
        "PEAK {} {} {} {}",
        ALLOC.max_allocated(),
        vm_hwm().unwrap_or(0),
        cpu.as_micros(),
        wall.as_micros()
    );
    Ok(())
}

/// A `trace-inspect redact` binary's maximum resident set (bytes) and wall
/// time (s), from `/usr/bin/time`.
fn cli_peak(bin: &Path, har: &Path) -> Result<(u64, f64)> {
    let out_path = synth::data_dir().join(format!(".redact-bench-{}.har", std::process::id()));
    let _ = fs::remove_file(&out_path);
    let out = Command::new("/usr/bin/time")
        .args(["-f", "TIME %M %e"])
        .arg(bin)
        .arg("redact")
        .arg(har)
        .arg("-o")
        .arg(&out_path)
        .args(["--quiet", "--key", KEY_HEX])
        .output()?;
    let _ = fs::remove_file(&out_path);
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("TIME "))
        .ok_or_else(|| format!("no /usr/bin/time output: {err}"))?;
    if !out.status.success() {
        return Err(format!("exit {:?}: {err}", out.status.code()).into());
    }
    let mut it = line.split_whitespace();
    let kb: u64 = it.next().ok_or("rss")?.parse()?;
    let wall: f64 = it.next().ok_or("wall")?.parse()?;
    Ok((kb * 1024, wall))
}

fn short(p: &Path) -> String {
    let s = p.display().to_string();
    match s.char_indices().rev().nth(48) {
        Some((i, _)) => format!("…{}", &s[i..]),
        None => s,
    }
}

fn vm_hwm() -> Option<usize> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
