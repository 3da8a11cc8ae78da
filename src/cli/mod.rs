//! Command-line interface: parse ([`args`]), validate ([`config`]), run.
//! The library stages below do no I/O; this module reads the files, writes
//! the output and decides the exit code.

pub mod args;
pub mod config;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use crate::capture::{Capture, CaptureError, Input, LoadOptions};
use crate::report::{self, Painter};
use crate::timeline::{self, Annotations};
use args::{AnalyzeArgs, Cli, Command, OutputFormat};
use config::Output;

/// Exit code: analysed, no sign-in failure found.
pub const EXIT_OK: u8 = 0;
/// Exit code: analysed, a failure (or a capture too incomplete to judge).
pub const EXIT_FAILURE_FOUND: u8 = 1;
/// Exit code: usage error or unreadable input.
pub const EXIT_USAGE: u8 = 2;

/// Runs the CLI; `main` only maps the error.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        None => analyze(&cli.analyze),
        Some(Command::Decode(_)) | Some(Command::Explain(_)) => {
            bail!("this command is not available in this build")
        }
    }
}

/// A file the user named, read and prepared; errors name the file.
pub fn open_capture(path: &Path, options: &LoadOptions) -> Result<Input, CaptureError> {
    let bytes = std::fs::read(path).map_err(|e| CaptureError::Other(io_message(&e)))?;
    Input::from_bytes(bytes, options)
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => {
            "is a directory (use `trace-inspect triage` for folders)".to_owned()
        }
        _ => e.to_string(),
    }
}

fn analyze(args: &AnalyzeArgs) -> Result<ExitCode> {
    let output = Output::from_args(&args.output);
    let options = config::load_options(&args.load)?;
    let mut out = open_output(output.path.as_deref(), &args.captures)?;
    let painter = Painter {
        color: output.color,
    };
    let mut failed_inputs = 0usize;
    let mut json_reports = Vec::new();
    for (i, path) in args.captures.iter().enumerate() {
        let shown = path.display().to_string();
        let input = match open_capture(path, &options) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("trace-inspect: {shown}: {e}");
                failed_inputs += 1;
                continue;
            }
        };
        let capture = match input.parse(&shown, &options) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("trace-inspect: {shown}: {e}");
                failed_inputs += 1;
                continue;
            }
        };
        if let Some(n) = args.entry {
            show_entry(&mut *out, &capture, n, &options, &output, painter)?;
            continue;
        }
        let notes = Annotations::default();
        let all_rows = timeline::rows(&capture, &notes);
        let total = all_rows.len();
        let rows: Vec<_> = if args.all {
            all_rows
        } else {
            all_rows
                .into_iter()
                .filter(timeline::Row::is_identity)
                .collect()
        };
        match output.format {
            OutputFormat::Json => {
                let report = report::json::CaptureReport {
                    schema_version: report::json::SCHEMA_VERSION,
                    capture: report::json::CaptureInfo::new(&capture),
                    timeline: &rows,
                };
                json_reports.push(serde_json::to_value(&report)?);
            }
            OutputFormat::Text | OutputFormat::Markdown => {
                if i > 0 {
                    writeln!(out)?;
                }
                let shown_rows = if rows.is_empty() && !args.all {
                    timeline::rows(&capture, &notes)
                } else {
                    rows
                };
                report::timeline::write(&mut *out, &capture, &shown_rows, total, painter)?;
            }
        }
    }
    if output.format == OutputFormat::Json && !json_reports.is_empty() {
        if json_reports.len() == 1 {
            report::json::write_value(&mut *out, &json_reports[0])?;
        } else {
            report::json::write_value(&mut *out, &json_reports)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if failed_inputs > 0 {
        EXIT_USAGE
    } else {
        EXIT_OK
    }))
}

fn show_entry(
    out: &mut dyn Write,
    capture: &Capture<'_>,
    n: u32,
    options: &LoadOptions,
    output: &Output,
    painter: Painter,
) -> Result<()> {
    let Some(e) = capture.entry(n) else {
        let last = capture.exchanges.last().map_or(0, |e| e.index);
        bail!(
            "{}: no entry #{n} (entries are numbered 1 to {last})",
            capture.path
        );
    };
    match output.format {
        OutputFormat::Json => {
            let view = report::entry::EntryJson::new(e, &options.limits, output.show_secrets);
            report::json::write_value(out, &view)?;
        }
        _ => report::entry::write_text(out, e, &options.limits, output.show_secrets, painter)?,
    }
    Ok(())
}

/// Standard output, or the `-o` file (never one of the inputs).
fn open_output(path: Option<&Path>, inputs: &[PathBuf]) -> Result<Box<dyn Write>> {
    let Some(path) = path else {
        return Ok(Box::new(BufWriter::new(io::stdout().lock())));
    };
    for input in inputs {
        if same_file(path, input) {
            bail!(
                "refusing to write the output over the input {} (choose another -o)",
                input.display()
            );
        }
    }
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Box::new(BufWriter::new(file)))
}

/// Whether two paths name the same file (by canonical path when both exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
