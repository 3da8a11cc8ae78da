//! Batch triage: many captures analysed in parallel, one row each, plus an
//! aggregate (counts per category, error-code histogram, most affected
//! apps, tenants and browsers).
//!
//! One unreadable or hostile file never stops the batch: it gets a row with
//! its error. Rows come out sorted by path, so the output is the same
//! whatever the number of threads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::{Analysis, Status};
use crate::capture::{LoadOptions, detect};
use crate::signature::Trust;

/// The verdict part of a row (`verdict{status,category,code,entry}`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowVerdict {
    pub status: String,
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    pub code: Option<String>,
    pub entry: Option<u32>,
    pub summary: String,
}

/// One capture's line in the triage (the NDJSON contract).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub format: Option<String>,
    pub entries: usize,
    pub verdict: Option<RowVerdict>,
    pub error_codes: Vec<String>,
    pub correlation_id: Option<String>,
    pub request_id: Option<String>,
    /// `METHOD host/path` of the failing entry.
    pub failing_step: Option<String>,
    pub app: Option<String>,
    pub tenant: Option<String>,
    pub browser: Option<String>,
    pub idp: Option<String>,
    pub timestamp: Option<String>,
    /// Why the file could not be read at all.
    pub error: Option<String>,
}

impl Row {
    fn unreadable(path: &str, format: Option<String>, error: String) -> Row {
        Row {
            path: path.to_owned(),
            format,
            entries: 0,
            verdict: None,
            error_codes: Vec::new(),
            correlation_id: None,
            request_id: None,
            failing_step: None,
            app: None,
            tenant: None,
            browser: None,
            idp: None,
            timestamp: None,
            error: Some(error),
        }
    }

    /// This row with the error replaced (a file that could not be read).
    pub fn with_error(mut self, error: String) -> Row {
        self.error = Some(error);
        self
    }

    /// Whether this capture shows a failure (or could not be judged / read).
    pub fn is_failure(&self) -> bool {
        match &self.verdict {
            Some(v) => v.status != Status::Ok.as_str(),
            None => true,
        }
    }
}

/// Analyses one capture's bytes into its row. A panic inside the analysis
/// (a bug) is caught and becomes this row's error, so the batch goes on.
pub fn analyze_bytes(path: &str, bytes: Vec<u8>, options: &LoadOptions) -> Row {
    analyze_bytes_then(path, bytes, options, &Trust::default(), &mut |_| {})
}

/// [`analyze_bytes`], handing the analysis to `then` before it is reduced to
/// a row (the CLI renders a per-capture report there). `then` is not called
/// for a file that could not be read.
pub fn analyze_bytes_then(
    path: &str,
    bytes: Vec<u8>,
    options: &LoadOptions,
    trust: &Trust,
    then: &mut dyn FnMut(&crate::analysis::Analysis<'_, '_>),
) -> Row {
    let format = detect(&bytes).map(|f| f.as_str().to_owned());
    analyze_input_then(
        path,
        format,
        || crate::capture::Input::from_bytes(bytes, options),
        options,
        trust,
        then,
    )
}

/// [`analyze_bytes_then`] for an input prepared by `load` (a SAZ read from
/// its open file), in the format named `format`.
pub fn analyze_input_then(
    path: &str,
    format: Option<String>,
    load: impl FnOnce() -> Result<crate::capture::Input, crate::capture::CaptureError>,
    options: &LoadOptions,
    trust: &Trust,
    then: &mut dyn FnMut(&crate::analysis::Analysis<'_, '_>),
) -> Row {
    isolated(path, format.clone(), || {
        load()
            .and_then(|input| {
                crate::pipeline::with_input_analysis(&input, path, options, trust, |a| {
                    then(a);
                    row_of(path, format.clone(), a)
                })
            })
            .unwrap_or_else(|e| Row::unreadable(path, format.clone(), e.to_string()))
    })
}

/// Runs `f`; a panic becomes an error row naming the capture.
pub fn isolated(path: &str, format: Option<String>, f: impl FnOnce() -> Row) -> Row {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|payload| panic_row(path, format, payload.as_ref()))
}

/// The error row of a capture whose analysis panicked.
fn panic_row(path: &str, format: Option<String>, payload: &(dyn std::any::Any + Send)) -> Row {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Row::unreadable(
        path,
        format,
        format!("internal error while analysing this capture (a bug, please report it): {what}"),
    )
}

/// The row of an analysed capture.
fn row_of(path: &str, format: Option<String>, a: &Analysis<'_, '_>) -> Row {
    let capture = a.ctx.capture;
    let failing_step = a.verdict.entry.and_then(|n| capture.entry(n)).map(|e| {
        let target = e
            .request
            .parsed_url
            .as_ref()
            .map(|u| format!("{}{}", u.host_str().unwrap_or_default(), u.path()))
            .unwrap_or_else(|| e.request.url.to_string());
        format!("#{} {} {}", e.index, e.request.method, target)
    });
    Row {
        path: path.to_owned(),
        format,
        entries: capture.exchanges.len(),
        verdict: Some(RowVerdict {
            status: a.verdict.status.as_str().to_owned(),
            category: a.verdict.category.as_str().to_owned(),
            subcategory: a.verdict.subcategory.clone(),
            code: a.verdict.code.map(str::to_owned),
            entry: a.verdict.entry,
            summary: a.verdict.summary.clone(),
        }),
        error_codes: a
            .ticket
            .error_codes
            .iter()
            .map(|c| c.code.clone())
            .collect(),
        correlation_id: a.ticket.correlation_id.clone(),
        request_id: a.ticket.request_id.clone(),
        failing_step: if a.verdict.status == Status::Ok {
            None
        } else {
            failing_step
        },
        app: a.ticket.app.clone(),
        tenant: a.ticket.tenant_id.clone(),
        browser: a.ticket.browser.clone(),
        idp: a.ticket.idp.clone(),
        timestamp: a.ticket.timestamp.clone(),
        error: None,
    }
}

/// Runs `per_file` over `files` on `jobs` threads, each file isolated (a
/// panic becomes that file's error row), and returns the rows sorted by
/// path with the number of files `per_file` skipped (`None`: not a capture).
/// `done` is called after each file (progress).
pub fn batch(
    files: &[PathBuf],
    jobs: usize,
    per_file: impl Fn(usize, &Path) -> Option<Row> + Sync,
    done: impl Fn(&Path) + Sync,
) -> Result<(Vec<Row>, usize), rayon::ThreadPoolBuildError> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()?;
    let skipped = AtomicUsize::new(0);
    let mut rows: Vec<Row> = pool.install(|| {
        files
            .par_iter()
            .enumerate()
            .filter_map(|(i, path)| {
                let row =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| per_file(i, path)))
                        .unwrap_or_else(|payload| {
                            Some(panic_row(
                                &path.display().to_string(),
                                None,
                                payload.as_ref(),
                            ))
                        });
                done(path);
                if row.is_none() {
                    skipped.fetch_add(1, Ordering::Relaxed);
                }
                row
            })
            .collect()
    });
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((rows, skipped.load(Ordering::Relaxed)))
}

/// Files to triage: the given files, and every file under the given
/// directories (recursively), sorted. Symbolic links are followed once:
/// a directory already walked (by its canonical path — a link loop, or two
/// links to one folder) is not walked again, a file already listed is not
/// listed twice, and a dangling link is reported in the problems, never
/// dropped silently.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut walk = Walk::default();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk.dir(p),
            Ok(_) => walk.file(p.clone()),
            Err(e) => walk.problems.push(format!("{}: {e}", p.display())),
        }
    }
    walk.files.sort();
    walk.files.dedup();
    (walk.files, walk.problems)
}

/// The state of one [`collect_files`] walk.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<String>,
    /// Canonical paths of the directories walked and files listed.
    seen: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn first_time(&mut self, p: &Path) -> bool {
        match p.canonicalize() {
            Ok(c) => self.seen.insert(c),
            Err(_) => true,
        }
    }

    fn file(&mut self, p: PathBuf) {
        if self.first_time(&p) {
            self.files.push(p);
        }
    }

    fn dir(&mut self, dir: &Path) {
        if !self.first_time(dir) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.problems.push(format!("{}: {e}", dir.display()));
                return;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => self.dir(&path),
                Ok(t) if t.is_file() => self.file(path),
                Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => self.dir(&path),
                    Ok(m) if m.is_file() => self.file(path),
                    Ok(_) => self.problems.push(format!(
                        "{}: a link to something that is not a file; skipped",
                        path.display()
                    )),
                    Err(e) => self.problems.push(format!(
                        "{}: dangling symbolic link ({e}); skipped",
                        path.display()
                    )),
                },
                // FIFOs, sockets, devices inside a folder: never opened.
                Ok(_) => self
                    .problems
                    .push(format!("{}: not a regular file; skipped", path.display())),
                Err(e) => self.problems.push(format!("{}: {e}", path.display())),
            }
        }
    }
}

/// A byte budget shared by triage's workers, so that memory stays bounded
/// across them: each capture takes its [`weight`](Budget::weight) before it
/// is read and gives it back when its row is made; a worker waits while the
/// others hold too much. A capture heavier than the whole budget still runs,
/// alone (it is then bounded by the per-capture limits).
#[derive(Debug)]
pub struct Budget {
    total: u64,
    used: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

/// Bytes taken from a [`Budget`], given back on drop.
#[derive(Debug)]
pub struct Held<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    /// A budget of `total` bytes.
    pub fn new(total: u64) -> Budget {
        Budget {
            total: total.max(1),
            used: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Half of the machine's memory (`MemTotal` in `/proc/meminfo`), or
    /// 4 GiB where that cannot be read.
    pub fn default_total() -> u64 {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .map_or(4 << 30, |kib| kib.saturating_mul(1024) / 2)
    }

    /// The memory one capture is expected to need while analysed: a HAR
    /// about twice its size (the bytes and the parsed entries); a SAZ what
    /// it may decompress to, estimated at 8× the archive (text compresses
    /// 5–10×), never more than it may keep in memory (the retained and
    /// decompression limits). The archive itself is read from the file,
    /// not held, and bodies no decoder reads are not kept, so 8× is an
    /// upper estimate.
    pub fn weight(file_bytes: u64, saz: bool, limits: &crate::capture::Limits) -> u64 {
        if saz {
            file_bytes
                .saturating_mul(8)
                .min(limits.max_retained_bytes.min(limits.max_decompressed_bytes))
        } else {
            file_bytes.saturating_mul(2)
        }
    }

    /// Takes `bytes`, waiting while other holders leave too little.
    pub fn acquire(&self, bytes: u64) -> Held<'_> {
        let bytes = bytes.min(self.total);
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && used.saturating_add(bytes) > self.total {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Held {
            budget: self,
            bytes,
        }
    }

    /// Bytes held right now.
    pub fn in_use(&self) -> u64 {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

/// Whether a file's first bytes look like a capture (HAR or SAZ).
/// A JSON file must name a `"log"` key early on (HAR); other JSON
/// (API responses, configs) and other content are skipped, not reported.
pub fn looks_like_capture(head: &[u8]) -> bool {
    match detect(head) {
        Some(crate::capture::Format::Saz) => true,
        Some(crate::capture::Format::Har) => memchr::memmem::find(head, b"\"log\"").is_some(),
        None => false,
    }
}

/// Counts over all rows.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Aggregate {
    pub captures: usize,
    pub unreadable: usize,
    pub skipped: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_category: BTreeMap<String, usize>,
    pub error_codes: BTreeMap<String, usize>,
    pub apps: BTreeMap<String, usize>,
    pub tenants: BTreeMap<String, usize>,
    pub browsers: BTreeMap<String, usize>,
}

/// Aggregates rows; `skipped` counts files that were not captures.
pub fn aggregate(rows: &[Row], skipped: usize) -> Aggregate {
    let mut a = Aggregate {
        captures: rows.len(),
        skipped,
        ..Aggregate::default()
    };
    for r in rows {
        let Some(v) = &r.verdict else {
            a.unreadable += 1;
            *a.by_status.entry("unreadable".into()).or_default() += 1;
            continue;
        };
        *a.by_status.entry(v.status.clone()).or_default() += 1;
        let cat = match &v.subcategory {
            Some(s) => format!("{}/{s}", v.category),
            None => v.category.clone(),
        };
        *a.by_category.entry(cat).or_default() += 1;
        if v.status == Status::Ok.as_str() {
            continue;
        }
        for c in &r.error_codes {
            *a.error_codes.entry(c.clone()).or_default() += 1;
        }
        for (map, value) in [
            (&mut a.apps, &r.app),
            (&mut a.tenants, &r.tenant),
            (&mut a.browsers, &r.browser),
        ] {
            if let Some(v) = value {
                *map.entry(v.clone()).or_default() += 1;
            }
        }
    }
    a
}

/// The `n` largest counts, largest first, ties by name.
pub fn top(map: &BTreeMap<String, usize>, n: usize) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = map.iter().map(|(k, c)| (k.as_str(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saz_weighs_what_it_may_keep_not_its_archive() {
        let limits = crate::capture::Limits::default();
        // 100 MB of archive: up to 8× that decompressed, none of it the file.
        assert_eq!(Budget::weight(100 << 20, true, &limits), 800 << 20);
        // A zip bomb cannot weigh more than the loader may keep.
        assert_eq!(
            Budget::weight(50 << 30, true, &limits),
            limits.max_retained_bytes
        );
        let small = crate::capture::Limits {
            max_retained_bytes: 10 << 20,
            ..limits
        };
        assert_eq!(Budget::weight(100 << 20, true, &small), 10 << 20);
        assert_eq!(Budget::weight(100 << 20, false, &limits), 200 << 20);
    }

    #[test]
    fn follows_symlinks_once_and_reports_dangling_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/a.har"), b"{}").unwrap();
        // A loop back to the root, a second link to the file, a dangling link.
        std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/a.har"), root.join("b.har")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("c.har")).unwrap();
        let (files, problems) = collect_files(&[root.to_path_buf()]);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("dangling"), "{problems:?}");
    }

    #[test]
    fn budget_bounds_what_workers_hold_together() {
        let budget = Budget::new(100);
        let peak = std::sync::atomic::AtomicU64::new(0);
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (budget, peak) = (&budget, &peak);
                s.spawn(move || {
                    let _held = budget.acquire(30 + i * 10);
                    peak.fetch_max(budget.in_use(), std::sync::atomic::Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                });
            }
        });
        assert!(peak.into_inner() <= 100);
        assert_eq!(budget.in_use(), 0);
        // Heavier than the whole budget: still runs, alone.
        let held = budget.acquire(1_000);
        assert_eq!(budget.in_use(), 100);
        drop(held);
    }

    #[test]
    fn a_panicking_capture_becomes_its_row_error_and_the_batch_goes_on() {
        let files: Vec<PathBuf> = ["a.har", "b.har", "c.har"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let per_file = |_: usize, p: &Path| {
            if p.ends_with("b.har") {
                panic!("boom in b");
            }
            Some(Row::unreadable(
                &p.display().to_string(),
                None,
                "fine".to_owned(),
            ))
        };
        let (rows, skipped) = batch(&files, 2, per_file, |_| {}).unwrap();
        assert_eq!(skipped, 0);
        let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["a.har", "b.har", "c.har"]);
        let b = rows[1].error.as_deref().unwrap();
        assert!(
            b.contains("internal error") && b.contains("boom in b"),
            "{b}"
        );
        assert_eq!(rows[0].error.as_deref(), Some("fine"));
        assert_eq!(rows[2].error.as_deref(), Some("fine"));
    }

    #[test]
    fn a_panic_inside_one_analysis_is_isolated() {
        let row = isolated("x.har", Some("har".into()), || {
            panic!("{}", String::from("owned"))
        });
        assert!(row.is_failure());
        assert!(row.error.unwrap().contains("owned"));
    }

    #[test]
    fn unreadable_input_gets_a_row_not_a_panic() {
        let row = analyze_bytes("x.har", b"{\"log\":".to_vec(), &LoadOptions::default());
        assert!(row.error.is_some());
        assert!(row.is_failure());
    }

    #[test]
    fn aggregates_counts() {
        let ok = analyze_bytes(
            "a.har",
            br#"{"log":{"entries":[{"request":{"method":"GET","url":"https://x/"}}]}}"#.to_vec(),
            &LoadOptions::default(),
        );
        let bad = analyze_bytes("b.har", b"{".to_vec(), &LoadOptions::default());
        let agg = aggregate(&[ok, bad], 3);
        assert_eq!(agg.captures, 2);
        assert_eq!(agg.unreadable, 1);
        assert_eq!(agg.skipped, 3);
    }

    #[test]
    fn top_orders_by_count_then_name() {
        let mut m = BTreeMap::new();
        m.insert("b".to_owned(), 2);
        m.insert("a".to_owned(), 2);
        m.insert("c".to_owned(), 5);
        assert_eq!(top(&m, 2), vec![("c", 5), ("a", 2)]);
    }
}
