//! Loading benchmark: HAR and SAZ captures of a few hundred MB, loaded and
//! turned into a timeline, against the floor of just parsing their JSON
//! (HAR) or just extracting their archive (SAZ), in one run.
//!
//! `cargo bench --bench load [-- OPTIONS] [har] [saz]` generates the
//! captures on first use (see `synth/`), times every case N times
//! (interleaved, after one warm-up round), then measures each case's peak
//! heap in a fresh child process of this same binary. See
//! `benches/README.md` for how to read the table. Without `--bench` (as
//! `cargo test --benches` runs it) it only self-checks on small captures.

// The floor's fields are there to be deserialized (that is its cost), not read.
#[allow(dead_code)]
mod floor;
mod synth;

use std::alloc::System;
use std::borrow::Cow;
use std::error::Error;
use std::fs;
use std::hint::black_box;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cap::Cap;
use serde_json::value::RawValue;
use trace_inspect::capture::{self, CaptureError, Input, LoadOptions};
use trace_inspect::pipeline;
use trace_inspect::report::{self, Painter};
use trace_inspect::signature::Trust;
use trace_inspect::timeline::{self, Annotations};

/// Counts live heap bytes and their maximum (for the peak-memory columns).
#[global_allocator]
static ALLOC: Cap<System> = Cap::new(System, usize::MAX);

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// What one timed run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// serde_json into [`floor::Har`] with `&RawValue` bodies (as ours keeps them).
    HarFloorRaw,
    /// The same with `Cow<str>` bodies (unescaped, copied when escaped).
    HarFloorCow,
    /// `har::parse` alone.
    HarParse,
    /// `har::parse` + `timeline::rows`: what the target is about.
    HarTimeline,
    /// Also renders the text timeline (all rows) into `io::sink()`.
    HarRender,
    /// `har::parse` + `pipeline::analyze` + the JSON report into `io::sink()`.
    HarJson,
    /// The floor of the identity-heavy HAR (as [`Case::HarFloorRaw`]).
    IdFloorRaw,
    /// `har::parse` + `pipeline::analyze` of the identity-heavy HAR.
    IdAnalyze,
    /// … + the JSON report (`--format json`) into `io::sink()`.
    IdJson,
    /// Zip extraction of every member into memory: any SAZ reader's floor.
    SazFloor,
    /// `Input::from_bytes` (extraction) alone.
    SazExtract,
    /// `Input::from_bytes` + `parse` + `timeline::rows`.
    SazTimeline,
    /// The CLI's way: `Input::from_saz_reader` on the open file (not read
    /// into memory first) + `parse` + `timeline::rows`.
    SazFile,
    /// A zip bomb opened as the CLI opens a file: its refusal.
    BombFile,
    /// The same bomb read into memory first and given to `Input::from_bytes`.
    BombBytes,
}

const HAR_CASES: &[Case] = &[
    Case::HarFloorRaw,
    Case::HarFloorCow,
    Case::HarParse,
    Case::HarTimeline,
    Case::HarRender,
    Case::HarJson,
];
const ID_CASES: &[Case] = &[Case::IdFloorRaw, Case::IdAnalyze, Case::IdJson];
const SAZ_CASES: &[Case] = &[
    Case::SazFloor,
    Case::SazExtract,
    Case::SazTimeline,
    Case::SazFile,
];
const BOMB_CASES: &[Case] = &[Case::BombFile, Case::BombBytes];

/// The bomb: 18 HTML responses of 256 MiB of zeros (4.5 GiB, over the
/// 4 GiB decompression limit), about 4.5 MB compressed.
const BOMB_SESSIONS: u32 = 18;
const BOMB_BODY: usize = 256 << 20;

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::HarFloorRaw => "har-floor-raw",
            Case::HarFloorCow => "har-floor-cow",
            Case::HarParse => "har-parse",
            Case::HarTimeline => "har-timeline",
            Case::HarRender => "har-render",
            Case::HarJson => "har-json",
            Case::IdFloorRaw => "id-floor-raw",
            Case::IdAnalyze => "id-analyze",
            Case::IdJson => "id-json",
            Case::SazFloor => "saz-floor",
            Case::SazExtract => "saz-extract",
            Case::SazTimeline => "saz-timeline",
            Case::SazFile => "saz-file",
            Case::BombFile => "bomb-file",
            Case::BombBytes => "bomb-bytes",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Case::HarFloorRaw => "floor: serde_json, &RawValue bodies",
            Case::HarFloorCow => "floor: serde_json, Cow<str> bodies",
            Case::HarParse => "ours: har::parse",
            Case::HarTimeline => "ours: har::parse + timeline::rows",
            Case::HarRender => "ours: … + render timeline to sink",
            Case::HarJson => "ours: parse + analyze + JSON report",
            Case::IdFloorRaw => "floor: serde_json, &RawValue bodies",
            Case::IdAnalyze => "ours: har::parse + pipeline::analyze",
            Case::IdJson => "ours: parse + analyze + JSON report",
            Case::SazFloor => "floor: zip-extract all members",
            Case::SazExtract => "ours: Input::from_bytes (extract)",
            Case::SazTimeline => "ours: from_bytes + parse + rows",
            Case::SazFile => "ours: open file + parse + rows",
            Case::BombFile => "bomb: open file → refusal",
            Case::BombBytes => "bomb: read + from_bytes → refusal",
        }
    }

    fn from_name(name: &str) -> Option<Case> {
        HAR_CASES
            .iter()
            .chain(SAZ_CASES)
            .chain(ID_CASES)
            .chain(BOMB_CASES)
            .copied()
            .find(|c| c.name() == name)
    }
}

/// One timed run: its times (results are dropped after the clock stops)
/// and the number of entries / sessions it produced.
#[derive(Debug, Clone, Copy)]
struct Sample {
    time: Times,
    entries: usize,
}

/// Wall time, and the time this thread was on a CPU. The machine is shared,
/// so wall time includes waiting for a core; on-CPU time does not (it still
/// feels cache and memory-bandwidth contention).
#[derive(Debug, Clone, Copy)]
struct Times {
    wall: Duration,
    cpu: Duration,
}

#[derive(Debug)]
struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    /// Falls back to wall time where the kernel gives no thread CPU time.
    fn stop(&self) -> Times {
        let wall = self.wall.elapsed();
        let cpu = match (self.cpu, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall,
        };
        Times { wall, cpu }
    }
}

/// This thread's on-CPU time (`CLOCK_THREAD_CPUTIME_ID`). Not
/// /proc/thread-self/schedstat: for a running thread that only moves at
/// scheduler ticks (4 ms steps here).
fn thread_cpu() -> Option<Duration> {
    cpu_time::ThreadTime::try_now()
        .ok()
        .map(|t| t.as_duration())
}

/// Why a case produced no sample.
#[derive(Debug)]
enum Skip {
    SazNotAvailable(String),
    Failed(String),
}

/// Runs one case on `bytes`, or for the cases that open the file
/// themselves on `path` (or on `bytes` through a `Cursor` without one).
fn run_case(case: Case, bytes: Cow<'_, [u8]>, path: Option<&Path>) -> Result<Sample, Skip> {
    let options = LoadOptions::default();
    let failed = |e: &dyn std::fmt::Display| Skip::Failed(format!("{}: {e}", case.name()));
    match case {
        Case::HarFloorRaw | Case::IdFloorRaw => {
            let t = Clock::start();
            let har: floor::Har<'_, &RawValue> =
                serde_json::from_slice(&bytes).map_err(|e| failed(&e))?;
            let time = t.stop();
            Ok(Sample {
                time,
                entries: black_box(har).log.entries.len(),
            })
        }
        Case::HarFloorCow => {
            let t = Clock::start();
            let har: floor::Har<'_, Cow<'_, str>> =
                serde_json::from_slice(&bytes).map_err(|e| failed(&e))?;
            let time = t.stop();
            Ok(Sample {
                time,
                entries: black_box(har).log.entries.len(),
            })
        }
        Case::HarParse | Case::HarTimeline | Case::HarRender => {
            let t = Clock::start();
            let capture =
                capture::har::parse(&bytes, "bench.har", &options).map_err(|e| failed(&e))?;
            let mut time = t.stop();
            if case != Case::HarParse {
                let rows = timeline::rows(&capture, &Annotations::default());
                if case == Case::HarRender {
                    report::timeline::write(
                        &mut io::sink(),
                        &capture,
                        &rows,
                        rows.len(),
                        Painter::PLAIN,
                    )
                    .map_err(|e| failed(&e))?;
                }
                time = t.stop();
                black_box(rows);
            }
            Ok(Sample {
                time,
                entries: black_box(capture).exchanges.len(),
            })
        }
        Case::HarJson | Case::IdAnalyze | Case::IdJson => {
            let t = Clock::start();
            let capture =
                capture::har::parse(&bytes, "bench.har", &options).map_err(|e| failed(&e))?;
            let analysis = pipeline::analyze(&capture, &options, &Trust::default());
            if case != Case::IdAnalyze {
                // What `analyze --format json` does after the analysis.
                let rows = pipeline::rows(&analysis, false);
                let report = report::json::CaptureReport::new(&analysis, &rows);
                report::json::write_value(&mut io::sink(), &report).map_err(|e| failed(&e))?;
            }
            let time = t.stop();
            let entries = analysis.ctx.capture.exchanges.len();
            black_box(analysis);
            Ok(Sample { time, entries })
        }
        Case::SazFloor => {
            let t = Clock::start();
            let members = extract_all(&bytes).map_err(|e| failed(&e))?;
            let time = t.stop();
            let sessions = members
                .iter()
                .filter(|(n, _)| n.ends_with("_c.txt"))
                .count();
            black_box(members);
            Ok(Sample {
                time,
                entries: sessions,
            })
        }
        Case::SazFile => {
            let t = Clock::start();
            let input = open_saz(&bytes, path, &options).map_err(|e| failed(&e))?;
            let capture = input.parse("bench.saz", &options).map_err(|e| failed(&e))?;
            let rows = timeline::rows(&capture, &Annotations::default());
            let time = t.stop();
            black_box(rows);
            Ok(Sample {
                time,
                entries: black_box(capture).exchanges.len(),
            })
        }
        Case::BombFile | Case::BombBytes => {
            let t = Clock::start();
            let result = if case == Case::BombFile {
                open_saz(&bytes, path, &options)
            } else {
                let owned = match path {
                    Some(p) => fs::read(p).map_err(|e| failed(&e))?,
                    None => bytes.into_owned(),
                };
                Input::from_bytes(owned, &options)
            };
            let time = t.stop();
            match result {
                Err(CaptureError::TooLarge { .. } | CaptureError::OutOfMemory { .. }) => {
                    Ok(Sample { time, entries: 0 })
                }
                Err(e) => Err(failed(&e)),
                Ok(_) => Err(failed(&"the bomb was not refused")),
            }
        }
        Case::SazExtract | Case::SazTimeline => {
            let owned = bytes.into_owned();
            let t = Clock::start();
            let input = Input::from_bytes(owned, &options).map_err(|e| saz_error(case, &e))?;
            if case == Case::SazExtract {
                let time = t.stop();
                black_box(input);
                return Ok(Sample { time, entries: 0 });
            }
            let capture = input
                .parse("bench.saz", &options)
                .map_err(|e| saz_error(case, &e))?;
            let rows = timeline::rows(&capture, &Annotations::default());
            let time = t.stop();
            black_box(rows);
            Ok(Sample {
                time,
                entries: black_box(capture).exchanges.len(),
            })
        }
    }
}

/// A SAZ read as the CLI reads a file: from the open file; from
/// `bytes` through a `Cursor` when there is no file (the self-check).
fn open_saz(
    bytes: &[u8],
    path: Option<&Path>,
    options: &LoadOptions,
) -> Result<Input, CaptureError> {
    match path {
        Some(p) => {
            let file = fs::File::open(p).map_err(|e| CaptureError::Other(e.to_string()))?;
            Input::from_saz_reader(file, options)
        }
        None => Input::from_saz_reader(Cursor::new(bytes), options),
    }
}

/// The SAZ loader is a stub until its branch lands: say so, do not fail.
fn saz_error(case: Case, e: &CaptureError) -> Skip {
    let text = e.to_string();
    if text.contains("not built yet") {
        Skip::SazNotAvailable(text)
    } else {
        Skip::Failed(format!("{}: {text}", case.name()))
    }
}

/// Every member of a zip, decompressed into memory.
fn extract_all(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, zip::result::ZipError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut members = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i)?;
        if f.is_dir() {
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0));
        f.read_to_end(&mut data)?;
        members.push((f.name()?.into_owned(), data));
    }
    Ok(members)
}

// ---------------------------------------------------------------- options

#[derive(Debug)]
struct Options {
    /// `--bench` given (cargo bench); otherwise a quick self-check.
    bench: bool,
    iterations: usize,
    har_bytes: usize,
    saz_bytes: usize,
    har: bool,
    saz: bool,
    /// The identity-heavy HAR of `id_entries` entries.
    id: bool,
    id_entries: usize,
    /// The identity-heavy HAR at ¼, ½ and all of `id_entries`.
    scale: bool,
    /// The SAZ zip bomb: time and peak memory of its refusal.
    bomb: bool,
    peak: bool,
    /// Internal: `--peak-case CASE FILE` measures one case in this process.
    peak_case: Option<(Case, PathBuf)>,
}

const USAGE: &str = "usage: cargo bench --bench load -- [--iters N] [--har-mb MB] [--saz-mb MB] [--id-entries N] [--no-peak] [har] [saz] [id] [scale] [bomb]";

impl Options {
    fn parse() -> Result<Options> {
        let mut o = Options {
            bench: false,
            iterations: 11,
            har_bytes: synth::HAR_BYTES,
            saz_bytes: synth::SAZ_CONTENT_BYTES,
            har: false,
            saz: false,
            id: false,
            id_entries: 20_000,
            scale: false,
            bomb: false,
            peak: true,
            peak_case: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| format!("{name} needs a value; {USAGE}"))
            };
            match a.as_str() {
                "--bench" => o.bench = true,
                "--iters" => o.iterations = value("--iters")?.parse::<usize>()?.max(1),
                "--har-mb" => o.har_bytes = megabytes(&value("--har-mb")?)?,
                "--saz-mb" => o.saz_bytes = megabytes(&value("--saz-mb")?)?,
                "--no-peak" => o.peak = false,
                "--id-entries" => {
                    o.id_entries = value("--id-entries")?.parse::<usize>()?.max(320) / 80 * 80;
                }
                "--peak-case" => {
                    let case = value("--peak-case")?;
                    let case =
                        Case::from_name(&case).ok_or_else(|| format!("unknown case {case}"))?;
                    o.peak_case = Some((case, PathBuf::from(value("--peak-case")?)));
                }
                "har" => o.har = true,
                "saz" => o.saz = true,
                "bomb" => o.bomb = true,
                "id" => o.id = true,
                "scale" => o.scale = true,
                // libtest-style flags cargo may pass; nothing to filter by.
                s if s.starts_with("--") => {}
                other => return Err(format!("unknown argument {other:?}; {USAGE}").into()),
            }
        }
        if !o.har && !o.saz && !o.id && !o.scale && !o.bomb {
            o.har = true;
            o.saz = true;
            o.id = true;
            o.scale = true;
        }
        Ok(o)
    }
}

fn megabytes(s: &str) -> Result<usize> {
    let mb: f64 = s.parse()?;
    Ok((mb * 1e6) as usize)
}

// ------------------------------------------------------------------- main

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let options = Options::parse()?;
    if let Some((case, path)) = &options.peak_case {
        return peak_child(*case, path);
    }
    if !options.bench {
        return self_check();
    }
    println!(
        "trace-inspect load benchmark — generator v{}, seed {:#x}; {} timed iterations after 1 warm-up, cases interleaved",
        synth::VERSION,
        synth::SEED,
        options.iterations
    );
    if options.har {
        let file = timed_generation("HAR", || synth::har_file(options.har_bytes))?;
        bench_group("HAR", &file, HAR_CASES, &options)?;
    }
    if options.saz {
        let file = timed_generation("SAZ", || synth::saz_file(options.saz_bytes))?;
        bench_group("SAZ", &file, SAZ_CASES, &options)?;
    }
    if options.id {
        let file = timed_generation("identity-heavy HAR", || {
            synth::identity_file(options.id_entries)
        })?;
        bench_group("ID", &file, ID_CASES, &options)?;
    }
    if options.scale {
        bench_scaling(&options)?;
    }
    if options.bomb {
        let file = timed_generation("SAZ zip bomb", || {
            synth::bomb_file(BOMB_SESSIONS, BOMB_BODY)
        })?;
        let rounds = Options {
            iterations: options.iterations.min(3),
            ..options
        };
        bench_group("BOMB", &file, BOMB_CASES, &rounds)?;
    }
    Ok(())
}

fn timed_generation(
    what: &str,
    f: impl FnOnce() -> io::Result<synth::Generated>,
) -> Result<PathBuf> {
    let t = Instant::now();
    let g = f()?;
    if g.fresh {
        println!(
            "generated {what} {} in {:.1} s",
            g.path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(g.path)
}

/// `cargo test --benches`: small captures, every case once, counts agree.
fn self_check() -> Result<()> {
    let har = synth::har_bytes(2_000_000)?;
    let counts: Vec<usize> = HAR_CASES
        .iter()
        .map(|c| run_case(*c, Cow::Borrowed(&har), None).map(|s| s.entries))
        .collect::<Result<_, Skip>>()
        .map_err(|s| format!("{s:?}"))?;
    if counts.iter().any(|n| *n != counts[0]) || counts[0] < 50 {
        return Err(format!("HAR cases disagree on entry counts: {counts:?}").into());
    }
    let id = synth::identity_bytes(400)?;
    let id_counts: Vec<usize> = ID_CASES
        .iter()
        .map(|c| run_case(*c, Cow::Borrowed(&id), None).map(|s| s.entries))
        .collect::<Result<_, Skip>>()
        .map_err(|s| format!("{s:?}"))?;
    if id_counts.iter().any(|n| *n != 400) {
        return Err(format!("identity-heavy cases disagree on entry counts: {id_counts:?}").into());
    }
    let saz = synth::saz_bytes(1_000_000)?;
    let sessions = run_case(Case::SazFloor, Cow::Borrowed(&saz), None)
        .map_err(|s| format!("{s:?}"))?
        .entries;
    let from_file = run_case(Case::SazFile, Cow::Borrowed(&saz), None)
        .map_err(|s| format!("{s:?}"))?
        .entries;
    if from_file != sessions {
        return Err(
            format!("SAZ from a reader: {from_file} exchanges for {sessions} sessions").into(),
        );
    }
    let saz_note = match run_case(Case::SazTimeline, Cow::Borrowed(&saz), None) {
        Ok(s) if s.entries == sessions => "SAZ loader ok".to_owned(),
        Ok(s) => {
            return Err(format!("SAZ: {} exchanges for {sessions} sessions", s.entries).into());
        }
        Err(Skip::SazNotAvailable(_)) => "SAZ loader not available".to_owned(),
        Err(Skip::Failed(e)) => return Err(e.into()),
    };
    println!(
        "load bench self-check: HAR {} bytes, {} entries; SAZ {} bytes, {sessions} sessions; {saz_note} (run `cargo bench --bench load` to measure)",
        har.len(),
        counts[0],
        saz.len()
    );
    Ok(())
}

// ------------------------------------------------------------ measurement

fn bench_group(title: &str, path: &Path, cases: &[Case], o: &Options) -> Result<()> {
    let bytes = fs::read(path)?;
    let size = bytes.len();
    let content = describe_input(title, path, &bytes)?;
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
    let mut skipped: Vec<Option<String>> = vec![None; cases.len()];
    for round in 0..=o.iterations {
        // Rotate the order each round so no case always runs right after another.
        for k in 0..cases.len() {
            let i = (k + round) % cases.len();
            if skipped[i].is_some() {
                continue;
            }
            match run_case(cases[i], Cow::Borrowed(&bytes), Some(path)) {
                Ok(s) if round > 0 => samples[i].push(s),
                Ok(_) => {}
                Err(Skip::SazNotAvailable(m)) => {
                    skipped[i] = Some(format!("SAZ loader not available ({m})"))
                }
                Err(Skip::Failed(m)) => return Err(m.into()),
            }
        }
    }
    drop(bytes);
    let peaks: Vec<Option<Peak>> = cases
        .iter()
        .zip(&skipped)
        .map(|(c, s)| {
            if o.peak && s.is_none() {
                peak_of(*c, path).ok()
            } else {
                None
            }
        })
        .collect();
    print_table(title, size, content, cases, &samples, &skipped, &peaks);
    Ok(())
}

/// The identity-heavy HAR at ¼, ½ and all of `--id-entries`: the floor and
/// the JSON analysis of each, interleaved, then how the time grows with the
/// entries (target: 4× the entries in ≤ 4.4× the time).
fn bench_scaling(o: &Options) -> Result<()> {
    let sizes = [
        o.id_entries / 320 * 80,
        o.id_entries / 160 * 80,
        o.id_entries,
    ];
    let mut files = Vec::new();
    for n in sizes {
        let path = timed_generation("identity-heavy HAR", || synth::identity_file(n))?;
        files.push(fs::read(path)?);
    }
    let cases = [Case::IdFloorRaw, Case::IdJson];
    // samples[size][case]
    let mut samples: Vec<Vec<Vec<Sample>>> = vec![vec![Vec::new(); cases.len()]; sizes.len()];
    let jobs: Vec<(usize, usize)> = (0..sizes.len())
        .flat_map(|s| (0..cases.len()).map(move |c| (s, c)))
        .collect();
    for round in 0..=o.iterations {
        for k in 0..jobs.len() {
            let (s, c) = jobs[(k + round) % jobs.len()];
            let sample =
                run_case(cases[c], Cow::Borrowed(&files[s]), None).map_err(|e| format!("{e:?}"))?;
            if round > 0 {
                samples[s][c].push(sample);
            }
        }
    }
    println!();
    println!(
        "scaling — identity-heavy HAR, median on-CPU time of {} rounds",
        o.iterations
    );
    println!(
        "  {:>8} {:>9} {:>11} {:>11} {:>8}",
        "entries", "MB", "floor", "json", "×floor"
    );
    let medians: Vec<(f64, f64)> = samples
        .iter()
        .map(|per_case| {
            let m = |c: usize| {
                median(
                    per_case[c]
                        .iter()
                        .map(|s| s.time.cpu.as_secs_f64())
                        .collect(),
                )
            };
            (m(0), m(1))
        })
        .collect();
    for ((n, bytes), (floor, json)) in sizes.iter().zip(&files).zip(&medians) {
        println!(
            "  {n:>8} {:>9.1} {:>9.1}ms {:>9.1}ms {:>7.2}×",
            mb(bytes.len()),
            floor * 1e3,
            json * 1e3,
            json / floor
        );
    }
    let (f0, j0) = medians[0];
    let (f2, j2) = medians[2];
    let growth = j2 / j0;
    println!(
        "  target: {}× the entries cost {growth:.2}× the time (floor: {:.2}×) (≤ 4.40×: {})",
        sizes[2] / sizes[0].max(1),
        f2 / f0,
        if growth <= 4.4 { "ok" } else { "OVER TARGET" }
    );
    Ok(())
}

/// Prints what the input holds; for a SAZ returns the members' total size.
fn describe_input(title: &str, path: &Path, bytes: &[u8]) -> Result<Option<usize>> {
    println!();
    match title {
        "HAR" | "ID" => {
            let har: floor::Har<'_, &RawValue> = serde_json::from_slice(bytes)?;
            let c = Composition::of(&har);
            println!(
                "HAR {} — {:.1} MB, {} entries",
                path.display(),
                mb(bytes.len()),
                har.log.entries.len()
            );
            println!(
                "  bodies: {} base64 (images, fonts) {:.1} MB; {} HTML {:.1} MB; {} JS/CSS {:.1} MB; {} JSON {:.1} MB; {} others",
                c.base64.0,
                mb(c.base64.1),
                c.html.0,
                mb(c.html.1),
                c.code.0,
                mb(c.code.1),
                c.json.0,
                mb(c.json.1),
                c.other
            );
            println!(
                "  identity: {} /authorize, {} SAMLRequest redirects, {} SAMLResponse posts, {} id_token form_posts, {} AADSTS errors, {} 302s",
                c.authorize, c.saml_request, c.saml_response, c.id_token, c.aadsts, c.redirects
            );
            Ok(None)
        }
        _ => {
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
            let mut content = 0u64;
            let mut sessions = 0usize;
            for i in 0..zip.len() {
                let f = zip.by_index_raw(i)?;
                content += f.size();
                sessions += usize::from(f.name()?.ends_with("_c.txt"));
            }
            println!(
                "SAZ {} — {:.1} MB file, {:.1} MB of members uncompressed, {sessions} sessions, {} members",
                path.display(),
                mb(bytes.len()),
                content as f64 / 1e6,
                zip.len()
            );
            Ok(Some(usize::try_from(content)?))
        }
    }
}

/// What the generated HAR holds, to show it is the traffic it claims to be.
#[derive(Debug, Default)]
struct Composition {
    base64: (usize, usize),
    html: (usize, usize),
    code: (usize, usize),
    json: (usize, usize),
    other: usize,
    authorize: usize,
    saml_request: usize,
    saml_response: usize,
    id_token: usize,
    aadsts: usize,
    redirects: usize,
}

impl Composition {
    fn of(har: &floor::Har<'_, &RawValue>) -> Composition {
        let mut c = Composition::default();
        for e in &har.log.entries {
            let url = e.request.url.as_ref();
            c.authorize += usize::from(url.contains("/oauth2/v2.0/authorize"));
            c.saml_request += usize::from(url.contains("SAMLRequest="));
            if let Some(text) = e.request.post_data.as_ref().and_then(|p| p.text) {
                c.saml_response += usize::from(text.get().starts_with("\"SAMLResponse="));
                c.id_token += usize::from(text.get().contains("id_token="));
            }
            let Some(r) = &e.response else { continue };
            c.redirects += usize::from(r.status == 302);
            let location = r.redirect_url.as_deref().unwrap_or("");
            let Some(content) = &r.content else { continue };
            let Some(text) = content.text else { continue };
            let len = text.get().len();
            c.aadsts += usize::from(
                location.contains("error_description=AADSTS")
                    || text.get().contains("strServiceExceptionMessage"),
            );
            let mime = content.mime_type.as_deref().unwrap_or("");
            let slot = if content.encoding.as_deref() == Some("base64") {
                &mut c.base64
            } else if mime.starts_with("text/html") {
                &mut c.html
            } else if mime.contains("javascript") || mime.starts_with("text/css") {
                &mut c.code
            } else if mime.contains("json") {
                &mut c.json
            } else {
                c.other += 1;
                continue;
            };
            slot.0 += 1;
            slot.1 += len;
        }
        c
    }
}

/// Peak memory of one case, measured in a fresh process.
#[derive(Debug, Clone, Copy)]
struct Peak {
    /// Maximum live heap bytes, input buffer included.
    heap: usize,
    /// Peak resident set (VmHWM) after resetting it just before the case, bytes.
    hwm: Option<usize>,
}

fn peak_of(case: Case, path: &Path) -> Result<Peak> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--peak-case")
        .arg(case.name())
        .arg(path)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("PEAK "))
        .ok_or_else(|| {
            format!(
                "{}: no peak reported: {}",
                case.name(),
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let mut it = line.split_whitespace().map(str::parse::<usize>);
    let heap = it.next().ok_or("peak line")??;
    let hwm = it.next().and_then(|r| r.ok()).filter(|v| *v > 0);
    Ok(Peak { heap, hwm })
}

/// Child side of [`peak_of`]: read the file, reset VmHWM, run the case once.
fn peak_child(case: Case, path: &Path) -> Result<()> {
    // The cases that open the file themselves are not given its bytes.
    let bytes = match case {
        Case::SazFile | Case::BombFile | Case::BombBytes => Vec::new(),
        _ => fs::read(path)?,
    };
    let hwm_reset = fs::write("/proc/self/clear_refs", "5").is_ok();
    run_case(case, Cow::Owned(bytes), Some(path)).map_err(|s| format!("{s:?}"))?;
    let hwm = if hwm_reset { vm_hwm().unwrap_or(0) } else { 0 };
    println!("PEAK {} {hwm}", ALLOC.max_allocated());
    Ok(())
}

/// VmHWM from /proc/self/status, in bytes.
fn vm_hwm() -> Option<usize> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

// ----------------------------------------------------------------- report

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn print_table(
    title: &str,
    size: usize,
    content: Option<usize>,
    cases: &[Case],
    samples: &[Vec<Sample>],
    skipped: &[Option<String>],
    peaks: &[Option<Peak>],
) {
    println!(
        "  {:<36} {:>9} {:>9} {:>6} {:>6} {:>7} {:>7} {:>9} {:>7} {:>7} {:>7}",
        "case (times: on-CPU unless 'wall')",
        "median",
        "min",
        "spread",
        "MB/s",
        "×floor",
        "paired",
        "wall med",
        "wall×f",
        "heap/f",
        "HWM/f"
    );
    for (i, case) in cases.iter().enumerate() {
        if let Some(why) = &skipped[i] {
            println!("  {:<36} {why}", case.label());
            continue;
        }
        let s = Stats::of(&samples[i], &samples[0]);
        let floor = Stats::of(&samples[0], &samples[0]);
        let (heap, hwm) = match peaks[i] {
            Some(p) => (
                format!("{:.2}×", p.heap as f64 / size as f64),
                p.hwm.map_or("-".to_owned(), |h| {
                    format!("{:.2}×", h as f64 / size as f64)
                }),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "  {:<36} {:>7.1}ms {:>7.1}ms {:>5.0}% {:>6.0} {:>6.2}× {:>6.2}× {:>7.1}ms {:>6.2}× {:>7} {:>7}",
            case.label(),
            s.cpu_median * 1e3,
            s.cpu_min * 1e3,
            s.cpu_spread * 100.0,
            mb(size) / s.cpu_median,
            s.cpu_median / floor.cpu_median,
            s.cpu_paired,
            s.wall_median * 1e3,
            s.wall_median / floor.wall_median,
            heap,
            hwm
        );
    }
    if title == "BOMB" {
        for (case, peak) in cases.iter().zip(peaks) {
            if let Some(p) = peak {
                println!(
                    "  {}: peak heap {:.0} MB, VmHWM {} before the refusal",
                    case.name(),
                    mb(p.heap),
                    p.hwm.map_or("-".to_owned(), |h| format!("{:.0} MB", mb(h)))
                );
            }
        }
    }
    let targets: &[(Case, f64, f64)] = match title {
        "HAR" => &[(Case::HarTimeline, 1.3, 1.2), (Case::HarJson, 1.3, 1.2)],
        "ID" => &[(Case::IdJson, 2.5, 1.5)],
        "BOMB" => &[],
        _ => &[(Case::SazFile, 1.3, 1.5)],
    };
    for &(target, time_bound, heap_bound) in targets {
        verdict(
            cases,
            samples,
            peaks,
            size,
            content,
            (target, time_bound, heap_bound),
        );
    }
}

/// Summary of one case's samples; ratios are against the group's floor.
#[derive(Debug)]
struct Stats {
    cpu_median: f64,
    cpu_min: f64,
    /// (max − min) / median of the on-CPU times.
    cpu_spread: f64,
    /// Median over rounds of (this case / floor) in the same round.
    cpu_paired: f64,
    wall_median: f64,
}

impl Stats {
    fn of(samples: &[Sample], floor: &[Sample]) -> Stats {
        let cpu: Vec<f64> = samples.iter().map(|s| s.time.cpu.as_secs_f64()).collect();
        let wall: Vec<f64> = samples.iter().map(|s| s.time.wall.as_secs_f64()).collect();
        let min = cpu.iter().copied().fold(f64::INFINITY, f64::min);
        let max = cpu.iter().copied().fold(0.0, f64::max);
        let cpu_median = median(cpu);
        Stats {
            cpu_median,
            cpu_min: min,
            cpu_spread: (max - min) / cpu_median,
            cpu_paired: median(
                samples
                    .iter()
                    .zip(floor)
                    .map(|(a, b)| a.time.cpu.as_secs_f64() / b.time.cpu.as_secs_f64())
                    .collect(),
            ),
            wall_median: median(wall),
        }
    }
}

/// The targets: the case's time ≤ `time_bound` × the floor, its
/// peak heap ≤ `heap_bound` × the file (for a SAZ also ≤ 1.0× the content).
fn verdict(
    cases: &[Case],
    samples: &[Vec<Sample>],
    peaks: &[Option<Peak>],
    size: usize,
    content: Option<usize>,
    (target, time_bound, heap_bound): (Case, f64, f64),
) {
    let Some(i) = cases.iter().position(|c| *c == target) else {
        return;
    };
    if samples[i].is_empty() {
        return;
    }
    let s = Stats::of(&samples[i], &samples[0]);
    let floor = Stats::of(&samples[0], &samples[0]);
    let ok = |b: bool| if b { "ok" } else { "OVER TARGET" };
    let ratio = s.cpu_median / floor.cpu_median;
    print!(
        "  target: {} = {:.2}× {} on-CPU ({:.2}× paired, {:.2}× wall) (≤ {time_bound:.2}×: {})",
        cases[i].name(),
        ratio,
        cases[0].name(),
        s.cpu_paired,
        s.wall_median / floor.wall_median,
        ok(ratio.max(s.cpu_paired) <= time_bound)
    );
    if let Some(p) = peaks[i] {
        let m = p.heap as f64 / size as f64;
        print!(
            "; peak heap {:.0} MB = {:.2}× file (≤ {heap_bound:.2}×: {})",
            mb(p.heap),
            m,
            ok(m <= heap_bound)
        );
        if let Some(c) = content {
            let m = p.heap as f64 / c as f64;
            print!(", {m:.2}× uncompressed content (≤ 1.00×: {})", ok(m <= 1.0));
        }
    }
    println!();
}
