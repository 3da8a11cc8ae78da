//! Command-line interface: parse ([`args`]), validate ([`config`]), run.
//! The library stages below do no I/O; this module reads the files, writes
//! the output and decides the exit code.

pub mod args;
pub mod config;
mod decode;
mod explain;
mod redact;
mod triage;

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
        Some(Command::Explain(a)) => explain::run(&a),
        Some(Command::Triage(a)) => triage::run(&a),
        Some(Command::Decode(a)) => decode::run(&a),
        Some(Command::Redact(a)) => redact::run(&a),
    }
}

/// A file the user named, read and prepared; errors name the file.
pub fn open_capture(path: &Path, options: &LoadOptions) -> Result<Input, CaptureError> {
    let bytes = std::fs::read(path).map_err(|e| CaptureError::Other(io_message(&e)))?;
    let named_saz = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("saz"));
    match Input::from_bytes(bytes, options) {
        // Named .saz but not a zip at all: say so in SAZ terms.
        Err(CaptureError::UnknownFormat { .. }) if named_saz => Err(CaptureError::NotZip(
            "a .saz file must be a zip archive of Fiddler sessions".to_owned(),
        )),
        other => other,
    }
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
    let trust = config::trust(&args.trust)?;
    let mut out = open_output(output.path.as_deref(), &args.captures)?;
    let painter = Painter {
        color: output.color,
    };
    let mut unreadable = 0usize;
    let mut failed = false;
    let mut json_reports = Vec::new();
    for (i, path) in args.captures.iter().enumerate() {
        let shown = path.display().to_string();
        let input = match open_capture(path, &options) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("trace-inspect: {shown}: {e}");
                unreadable += 1;
                continue;
            }
        };
        let capture = match input.parse(&shown, &options) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("trace-inspect: {shown}: {e}");
                unreadable += 1;
                continue;
            }
        };
        if let Some(n) = args.entry {
            show_entry(&mut *out, &capture, n, &options, &output, painter, &trust)?;
            continue;
        }
        let analysis = crate::analysis::analyze_with(&capture, options.limits, &trust);
        failed |= args.fail_on.fails(&analysis);
        let notes = annotations(&analysis);
        let rows: Vec<_> = timeline::rows(&capture, &notes)
            .into_iter()
            .filter(|r| args.all || r.is_identity())
            .collect();
        crate::secret::with_secrets_shown(output.show_secrets, || -> Result<()> {
            match output.format {
                OutputFormat::Json => {
                    let report = report::json::CaptureReport::new(&analysis, &rows);
                    json_reports.push(serde_json::to_value(&report)?);
                }
                OutputFormat::Text => {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    report::text::write(&mut *out, &analysis, &rows, args.all, painter)?;
                }
                OutputFormat::Markdown => {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    report::markdown::write(&mut *out, &analysis, &rows)?;
                }
            }
            Ok(())
        })?;
    }
    if output.format == OutputFormat::Json && !json_reports.is_empty() {
        if json_reports.len() == 1 {
            report::json::write_value(&mut *out, &json_reports[0])?;
        } else {
            report::json::write_value(&mut *out, &json_reports)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if unreadable > 0 {
        EXIT_USAGE
    } else if failed {
        EXIT_FAILURE_FOUND
    } else {
        EXIT_OK
    }))
}

/// What the timeline shows per entry: message kinds and parties.
pub fn annotations(a: &crate::analysis::Analysis<'_, '_>) -> Annotations {
    let mut notes = Annotations::default();
    for m in &a.ctx.messages {
        let kinds = notes.messages.entry(m.entry).or_default();
        let kind = m.message.kind();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    for (entry, party) in a.ctx.parties() {
        notes.parties.insert(entry, party);
    }
    notes
}

fn show_entry(
    out: &mut dyn Write,
    capture: &Capture<'_>,
    n: u32,
    options: &LoadOptions,
    output: &Output,
    painter: Painter,
    trust: &crate::signature::Trust,
) -> Result<()> {
    let Some(e) = capture.entry(n) else {
        let last = capture.exchanges.last().map_or(0, |e| e.index);
        bail!(
            "{}: no entry #{n} (entries are numbered 1 to {last})",
            capture.path
        );
    };
    // Decoding needs the whole capture (an IdP host is known from earlier
    // requests); done once for both outputs.
    let mut messages: Vec<_> = crate::decode::find_all(capture, &options.limits)
        .into_iter()
        .filter(|m| m.entry == n)
        .collect();
    let published = crate::signature::capture::material(capture, &options.limits, &trust.jwks_uris);
    let keys = crate::signature::KeySets::new(trust, published);
    crate::signature::check_all(&mut messages, capture, &keys, trust);
    match output.format {
        OutputFormat::Json => {
            let view = report::entry::EntryJson::new(e, &options.limits, output.show_secrets);
            let mut value = serde_json::to_value(&view)?;
            crate::secret::with_secrets_shown(output.show_secrets, || {
                serde_json::to_value(&messages).map(|m| value["messages"] = m)
            })?;
            report::json::write_value(out, &value)?;
        }
        _ => {
            report::entry::write_text(out, e, &options.limits, output.show_secrets, painter)?;
            write_entry_messages(out, e, &messages, output, painter)?;
        }
    }
    Ok(())
}

/// The identity messages decoded from one exchange, measured against the
/// capture's own clock at that exchange.
fn write_entry_messages(
    out: &mut dyn Write,
    e: &crate::capture::Exchange<'_>,
    messages: &[crate::decode::Found],
    output: &Output,
    painter: Painter,
) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let reference = e.started.map(|s| s.time.with_timezone(&chrono::Utc));
    let opts = crate::decode::TextOptions {
        show_secrets: output.show_secrets,
        reference_time: reference,
    };
    for m in messages {
        writeln!(out)?;
        let place = serde_json::to_value(m.place)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
            .replace('_', " ");
        writeln!(
            out,
            "{}",
            painter.bold(&format!("Decoded {} (from the {place})", m.message.kind()))
        )?;
        m.message.write_text(out, &opts)?;
        if let Some(sig) = &m.signature {
            report::signature::write_text(out, sig, painter)?;
        }
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
