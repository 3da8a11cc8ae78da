//! Triage throughput: a folder of ≥ 500 captures analysed with one worker
//! thread and with all cores, through the same library calls the `triage`
//! command makes (walk, read, detect, load, decode, diagnose). Prints files/s,
//! MB/s and the speed-up.
//!
//! The folder is made afresh under `target/bench-data/triage/`: every
//! sample in `traces/` (recorded and synthesized sign-ins, SAZ included)
//! copied until there are 510 files, each copy with its own name.
//!
//! `cargo bench --bench triage`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use trace_inspect::capture::LoadOptions;
use trace_inspect::triage;

const FILES: usize = 510;
const RUNS: usize = 3;

fn generate(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root.join("traces"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "har" || x == "saz"))
        .collect();
    samples.sort();
    // Start from an empty folder: the sample set changes as traces/ grows.
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut files = Vec::new();
    for i in 0..FILES {
        let src = &samples[i % samples.len()];
        let name = format!("{i:04}-{}", src.file_name().unwrap().to_string_lossy());
        let dst = dir.join(name);
        std::fs::copy(src, &dst).unwrap();
        files.push(dst);
    }
    files
}

fn run(dir: &Path, jobs: usize) -> (Duration, usize, u64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .unwrap();
    let start = Instant::now();
    let (files, _) = triage::collect_files(&[dir.to_path_buf()]);
    let options = LoadOptions::default();
    let (rows, bytes): (usize, u64) = pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let data = std::fs::read(p).unwrap();
                let len = data.len() as u64;
                let row = triage::analyze_bytes(&p.to_string_lossy(), data, &options);
                std::hint::black_box(row);
                (1, len)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    (start.elapsed(), rows, bytes)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/triage");
    let files = generate(&dir);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "triage benchmark: {} captures in {}",
        files.len(),
        dir.display()
    );
    run(&dir, cores); // warm the page cache
    let mut results = Vec::new();
    for jobs in [1, cores] {
        let mut times = Vec::new();
        let mut last = (0, 0);
        for _ in 0..RUNS {
            let (t, n, b) = run(&dir, jobs);
            times.push(t);
            last = (n, b);
        }
        let secs = median(times).as_secs_f64();
        println!(
            "  jobs={jobs:<2} {:>4} files {:>7.1} MB  median {:>7.3} s  {:>7.1} files/s  {:>6.1} MB/s",
            last.0,
            last.1 as f64 / 1e6,
            secs,
            last.0 as f64 / secs,
            last.1 as f64 / 1e6 / secs
        );
        results.push(secs);
    }
    if let [one, all] = results.as_slice() {
        println!("  speed-up with {cores} cores: {:.2}x", one / all);
    }
}
