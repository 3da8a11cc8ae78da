//! `trace-inspect triage PATH...`: every capture under the paths, analysed
//! in parallel, one row each, then an aggregate. Exit 0 when no capture
//! shows a failure, 1 when any does (or could not be read), 2 for usage
//! errors only.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};

use super::args::{TriageArgs, TriageFormat};
use super::{config, input};
use crate::report::Painter;
use crate::triage::{self, Aggregate, Row};

pub fn run(args: &TriageArgs) -> Result<super::Outcome> {
    let options = config::load_options(&args.load)?;
    let (files, problems) = triage::collect_files(&args.paths);
    if files.is_empty() && !problems.is_empty() {
        bail!("{}", problems.join("; "));
    }
    for p in &problems {
        eprintln!("trace-inspect: {}", crate::report::safe::escape(p));
    }
    let jobs = worker_count(args.jobs);
    let budget = triage::Budget::new(triage::Budget::default_total());
    let progress = Progress::new(files.len());
    let (rows, skipped) = triage::batch(
        &files,
        jobs,
        |path| triage_file(path, &options, &budget),
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
    )?;
    match args.format {
        TriageFormat::Table => write_table(&mut *out, &rows, &agg, Painter { color })?,
        TriageFormat::Ndjson => {
            for r in &rows {
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
        }
        TriageFormat::Csv => write_csv(&mut *out, &rows)?,
        TriageFormat::Json => {
            let v = serde_json::json!({ "schema_version": 1, "captures": rows, "aggregate": agg });
            crate::report::json::write_value(&mut *out, &v)?;
        }
    }
    out.flush()?;
    let failed = rows.iter().any(Row::is_failure);
    Ok(super::Outcome::from_failure(failed))
}

/// One file's row, or `None` when it is not a capture (skipped). Only
/// regular files are opened (a FIFO would block the worker forever); the
/// file's memory is taken from the shared `budget` while it is analysed.
fn triage_file(
    path: &Path,
    options: &crate::capture::LoadOptions,
    budget: &triage::Budget,
) -> Option<Row> {
    let shown = path.display().to_string();
    let named_capture = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("har") || e.eq_ignore_ascii_case("saz"));
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
    let _held = budget.acquire(triage::Budget::weight(size, saz, &options.limits));
    match input::read_capture(path, options.limits.max_capture_bytes) {
        Ok(bytes) => Some(triage::analyze_bytes(&shown, bytes, options)),
        Err(e) => Some(error_row(&shown, e.to_string())),
    }
}

fn error_row(path: &str, e: String) -> Row {
    triage::analyze_bytes(path, Vec::new(), &Default::default()).with_error(e)
}

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

/// Most workers per core `--jobs` may ask for.
const MAX_JOBS_PER_CORE: usize = 4;

/// A progress line on stderr when it is a terminal.
struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled: std::io::stderr().is_terminal() && total > 1,
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
