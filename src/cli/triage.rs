//! `trace-inspect triage PATH...`: every capture under the paths, analysed
//! in parallel, one row each, then an aggregate. Exit 0 when no capture
//! shows a failure, 1 when any does (or could not be read), 2 for usage
//! errors only.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};

use super::args::{TriageArgs, TriageFormat};
use super::{config, input};
use crate::report::Painter;
use crate::report::html::triage::{report_file_name, report_href};
use crate::triage::{self, Aggregate, Row};

pub fn run(args: &TriageArgs) -> Result<super::Outcome> {
    let options = config::load_options(&args.load)?;
    let trust = config::trust(&args.trust)?;
    let paths = input_paths(args)?;
    let stdin_capture = paths.iter().any(|p| super::is_stdin(p));
    let named: Vec<PathBuf> = paths.into_iter().filter(|p| !super::is_stdin(p)).collect();
    let (mut files, problems) = triage::collect_files(&named);
    if stdin_capture {
        files.insert(0, PathBuf::from("-"));
    }
    if files.is_empty() && !problems.is_empty() {
        bail!("{}", problems.join("; "));
    }
    for p in &problems {
        eprintln!("trace-inspect: {}", crate::report::safe::escape(p));
    }
    let jobs = worker_count(args.jobs);
    let budget = triage::Budget::new(triage::Budget::default_total());
    let reports = args
        .reports
        .as_deref()
        .map(|dir| Reports::new(dir, &files, args.show_secrets))
        .transpose()?;
    let progress = Progress::new(files.len(), args.quiet);
    let (rows, skipped) = triage::batch(
        &files,
        jobs,
        |i, path| {
            triage_file(
                path,
                &options,
                &trust,
                &budget,
                reports.as_ref().map(|r| (r, i)),
            )
        },
        |path| progress.tick(path),
    )
    .context("cannot start worker threads")?;
    progress.finish();
    // Links and special files left out of the walk count as skipped too.
    let agg = triage::aggregate(&rows, skipped + problems.len());
    let color = config::use_color(args.color, args.output.as_deref());
    let mut out = super::open_output(
        args.output.as_deref(),
        &files,
        args.format == TriageFormat::Table,
        args.quiet,
    )?;
    match args.format {
        TriageFormat::Table => write_table(&mut *out, &rows, &agg, Painter { color })?,
        TriageFormat::Ndjson => {
            for r in &rows {
                crate::report::masked_json::to_writer_compact(&mut *out, r)?;
                writeln!(out)?;
            }
        }
        TriageFormat::Csv => write_csv(&mut *out, &rows)?,
        TriageFormat::Json => {
            let v = serde_json::json!({ "schema_version": 1, "captures": rows, "aggregate": agg });
            crate::report::json::write_value(&mut *out, &v)?;
        }
        TriageFormat::Html => {
            let links = match &reports {
                Some(r) => r.links(args.output.as_deref())?,
                None => Default::default(),
            };
            crate::report::html::triage::write(&mut *out, &rows, &agg, &links)?;
        }
    }
    out.flush()?;
    let failed = rows.iter().any(Row::is_failure);
    if reports
        .as_ref()
        .is_some_and(|r| r.failed.load(Ordering::Relaxed) > 0)
    {
        return Ok(super::Outcome::Unusable);
    }
    Ok(super::Outcome::from_failure(failed))
}

/// `--reports DIR`: where each capture's HTML report goes, and which were
/// written.
struct Reports {
    dir: PathBuf,
    /// File name per input index (see [`report_file_name`]).
    names: Vec<String>,
    show_secrets: bool,
    /// The inputs, by canonical path: a report never overwrites one.
    inputs: std::collections::BTreeSet<PathBuf>,
    /// Path as shown in the rows → report file name, for the reports written.
    written: Mutex<BTreeMap<String, String>>,
    failed: AtomicUsize,
}

impl Reports {
    fn new(dir: &Path, files: &[PathBuf], show_secrets: bool) -> Result<Reports> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the reports folder {}", dir.display()))?;
        let names = files
            .iter()
            .enumerate()
            .map(|(i, f)| report_file_name(i, f))
            .collect();
        Ok(Reports {
            dir: dir.to_path_buf(),
            names,
            show_secrets,
            inputs: files.iter().filter_map(|f| f.canonicalize().ok()).collect(),
            written: Mutex::new(BTreeMap::new()),
            failed: AtomicUsize::new(0),
        })
    }

    /// Renders and writes the report of the `index`-th input.
    fn write(&self, index: usize, shown: &str, a: &crate::analysis::Analysis<'_, '_>) {
        let Some(name) = self.names.get(index) else {
            return;
        };
        let target = self.dir.join(name);
        if target
            .canonicalize()
            .is_ok_and(|t| self.inputs.contains(&t))
        {
            eprintln!(
                "trace-inspect: {}: not written (it is one of the inputs)",
                target.display()
            );
            self.failed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let result = (|| -> Result<()> {
            let file = std::fs::File::create(&target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let rows = crate::pipeline::rows(a, true);
            let opts = crate::report::html::HtmlOptions {
                show_secrets: self.show_secrets,
                limits: a.ctx.limits,
            };
            crate::secret::with_secrets_shown(self.show_secrets, || {
                crate::report::html::write(&mut w, a, &rows, &opts)
            })?;
            w.flush()?;
            Ok(())
        })();
        match result {
            Ok(()) => {
                if let Ok(mut m) = self.written.lock() {
                    m.insert(shown.to_owned(), name.clone());
                }
            }
            Err(e) => {
                eprintln!("trace-inspect: {e:#}");
                self.failed.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Row path → link to its report, relative to the folder of the triage
    /// page (the current folder when it goes to standard output).
    fn links(&self, page: Option<&Path>) -> Result<BTreeMap<String, String>> {
        let base = page
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let rel = relative_dir(base, &self.dir);
        let written = self.written.lock().map(|m| m.clone()).unwrap_or_default();
        Ok(written
            .into_iter()
            .map(|(path, name)| (path, report_href(&rel, &name)))
            .collect())
    }
}

/// `to` relative to `from` (both folders), as `/`-separated text; by
/// canonical paths when both exist, else `to` as given.
fn relative_dir(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (from.canonicalize(), to.canonicalize()) else {
        return to.to_string_lossy().into_owned();
    };
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_owned(), a.len() - common).collect();
    parts.extend(
        b.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The PATH arguments, then with `--stdin-paths` one path per line of
/// standard input (blank lines ignored). `-` (one capture on standard
/// input) is kept as given; it cannot be combined with `--stdin-paths`,
/// which already reads standard input.
fn input_paths(args: &TriageArgs) -> Result<Vec<PathBuf>> {
    super::check_stdin_once(&args.paths)?;
    let mut paths = args.paths.clone();
    if args.stdin_paths {
        if paths.iter().any(|p| super::is_stdin(p)) {
            bail!(
                "--stdin-paths reads the list of paths from standard input; `-` cannot also read a capture from it"
            );
        }
        for line in std::io::stdin().lock().lines() {
            let line = line.context("--stdin-paths: cannot read standard input")?;
            let line = line.trim_end_matches('\r');
            if !line.trim().is_empty() {
                paths.push(PathBuf::from(line));
            }
        }
        if paths.is_empty() {
            bail!("--stdin-paths: standard input named no paths");
        }
    }
    Ok(paths)
}

/// One file's row, or `None` when it is not a capture (skipped). With
/// `reports`, the capture's HTML report is written too.
fn triage_file(
    path: &Path,
    options: &crate::capture::LoadOptions,
    trust: &crate::signature::Trust,
    budget: &triage::Budget,
    reports: Option<(&Reports, usize)>,
) -> Option<Row> {
    if super::is_stdin(path) {
        // Named explicitly, so never skipped: an unreadable or unknown input
        // gets its error row.
        return Some(
            match super::read_capture_bytes(path, options.limits.max_capture_bytes) {
                Ok(bytes) => analyze(super::STDIN_NAME, bytes, options, trust, reports),
                Err(e) => error_row(super::STDIN_NAME, e.to_string()),
            },
        );
    }
    let shown = path.display().to_string();
    let named_capture = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("har") || e.eq_ignore_ascii_case("saz"));
    // Only regular files are opened: a FIFO would block the worker forever.
    let size = match input::regular_size(path) {
        Ok(n) => n,
        Err(e) => return Some(error_row(&shown, e.to_string())),
    };
    let mut head = [0u8; 4096];
    let read_head = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    let saz = match read_head {
        Ok(n) if named_capture || triage::looks_like_capture(&head[..n]) => {
            crate::capture::detect(&head[..n]) == Some(crate::capture::Format::Saz)
        }
        Ok(_) => return None,
        Err(e) => {
            return named_capture.then(|| error_row(&shown, e.to_string()));
        }
    };
    // The file's memory is taken from the budget the workers share.
    let _held = budget.acquire(triage::Budget::weight(size, saz, &options.limits));
    if saz {
        // Read from the open file, member by member.
        let format = Some(crate::capture::Format::Saz.as_str().to_owned());
        return Some(triage::analyze_input_then(
            &shown,
            format,
            || super::load_input(path, options),
            options,
            trust,
            &mut |a| {
                if let Some((r, i)) = reports {
                    r.write(i, &shown, a);
                }
            },
        ));
    }
    match input::read_capture(path, options.limits.max_capture_bytes) {
        Ok(bytes) => Some(analyze(&shown, bytes, options, trust, reports)),
        Err(e) => Some(error_row(&shown, e.to_string())),
    }
}

/// The row of one capture's bytes, writing its HTML report with `reports`.
fn analyze(
    shown: &str,
    bytes: Vec<u8>,
    options: &crate::capture::LoadOptions,
    trust: &crate::signature::Trust,
    reports: Option<(&Reports, usize)>,
) -> Row {
    triage::analyze_bytes_then(shown, bytes, options, trust, &mut |a| {
        if let Some((r, i)) = reports {
            r.write(i, shown, a);
        }
    })
}

fn error_row(path: &str, e: String) -> Row {
    triage::analyze_bytes(path, Vec::new(), &Default::default()).with_error(e)
}

/// Most workers per core `--jobs` may ask for.
const MAX_JOBS_PER_CORE: usize = 4;

/// The worker count: as asked, but at most [`MAX_JOBS_PER_CORE`] per core
/// (each worker holds a capture in memory; thousands of threads only
/// thrash). Said on stderr when lowered.
fn worker_count(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores.saturating_mul(MAX_JOBS_PER_CORE);
    match asked {
        None => cores,
        Some(n) if n > cap => {
            eprintln!("trace-inspect: --jobs {n} lowered to {cap} ({MAX_JOBS_PER_CORE} per core)");
            cap
        }
        Some(n) => n.max(1),
    }
}

/// A progress bar on stderr when [`super::progress::allowed`] (a capable
/// terminal) and not `--quiet`.
struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Self {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled: !quiet && total > 1 && super::progress::allowed(),
        }
    }

    fn tick(&self, path: &Path) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            let width = 30;
            let filled = done * width / self.total.max(1);
            eprint!(
                "\r\x1b[2K[{}{}] {done}/{} {}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.total,
                crate::report::timeline::shorten(&name, 40)
            );
        }
    }

    fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

fn write_table(w: &mut dyn Write, rows: &[Row], agg: &Aggregate, p: Painter) -> Result<()> {
    let path_w = rows
        .iter()
        .map(|r| r.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 60);
    writeln!(
        w,
        "{}",
        p.dim(&format!(
            "{:<path_w$}  {:<12}  {:<24}  {:<16}  {:<40}  correlation id",
            "capture", "verdict", "category", "error", "failing step"
        ))
    )?;
    for r in rows {
        let (status, category) = match &r.verdict {
            Some(v) => (
                v.status.clone(),
                match &v.subcategory {
                    Some(s) => format!("{}/{s}", v.category),
                    None => v.category.clone(),
                },
            ),
            None => ("unreadable".to_owned(), String::new()),
        };
        let status_col = format!("{status:<12}");
        let status_col = match status.as_str() {
            "ok" => p.green(&status_col),
            "failed" | "unreadable" => p.red(&status_col),
            _ => p.yellow(&status_col),
        };
        let step = r
            .error
            .clone()
            .or_else(|| r.failing_step.clone())
            .unwrap_or_default();
        writeln!(
            w,
            "{:<path_w$}  {status_col}  {:<24}  {:<16}  {:<40}  {}",
            crate::report::timeline::shorten(&r.path, path_w),
            crate::report::timeline::shorten(&category, 24),
            r.error_codes.first().cloned().unwrap_or_default(),
            crate::report::timeline::shorten(&step, 40),
            r.correlation_id.clone().unwrap_or_default()
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{} captures: {}; {} other files skipped",
        agg.captures,
        agg.by_status
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", "),
        agg.skipped
    )?;
    for (title, map) in [
        ("By category", &agg.by_category),
        ("Error codes", &agg.error_codes),
        ("Most affected apps", &agg.apps),
        ("Most affected tenants", &agg.tenants),
        ("Browsers in failures", &agg.browsers),
    ] {
        if map.is_empty() {
            continue;
        }
        writeln!(w, "{}", p.bold(title))?;
        let top = triage::top(map, 10);
        let max = top.first().map_or(1, |t| t.1.max(1));
        for (k, n) in top {
            let bar = "█".repeat((n * 20).div_ceil(max));
            writeln!(w, "  {:>5}  {bar:<20}  {k}", n)?;
        }
    }
    Ok(())
}

/// RFC 4180 CSV: quoted when a field holds a comma, quote or line break.
fn write_csv(w: &mut dyn Write, rows: &[Row]) -> Result<()> {
    writeln!(
        w,
        "path,format,entries,status,category,subcategory,code,entry,error_codes,correlation_id,request_id,failing_step,app,tenant,browser,idp,timestamp,error"
    )?;
    for r in rows {
        let v = r.verdict.as_ref();
        let fields: Vec<String> = vec![
            r.path.clone(),
            r.format.clone().unwrap_or_default(),
            r.entries.to_string(),
            v.map(|v| v.status.clone())
                .unwrap_or_else(|| "unreadable".into()),
            v.map(|v| v.category.clone()).unwrap_or_default(),
            v.and_then(|v| v.subcategory.clone()).unwrap_or_default(),
            v.and_then(|v| v.code.clone()).unwrap_or_default(),
            v.and_then(|v| v.entry)
                .map(|e| e.to_string())
                .unwrap_or_default(),
            r.error_codes.join(" "),
            r.correlation_id.clone().unwrap_or_default(),
            r.request_id.clone().unwrap_or_default(),
            r.failing_step.clone().unwrap_or_default(),
            r.app.clone().unwrap_or_default(),
            r.tenant.clone().unwrap_or_default(),
            r.browser.clone().unwrap_or_default(),
            r.idp.clone().unwrap_or_default(),
            r.timestamp.clone().unwrap_or_default(),
            r.error.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(w, "{}", line.join(","))?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_csv_fields_that_need_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
