//! Command-line interface: parse ([`args`]), validate ([`config`]), run.
//! The library stages below do no I/O; this module reads the files, writes
//! the output and decides the exit code.

pub mod args;
pub mod config;
mod decode;
mod explain;
pub mod input;
pub mod progress;
mod redact;
mod shell;
mod triage;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;

use crate::capture::{Capture, CaptureError, Input, LoadOptions};
use crate::report::safe::{SafeWriter, escape};
use crate::report::{self, Painter};
use args::{AnalyzeArgs, Cli, Command, OutputFormat};
use config::Output;

/// What a command found: the one value the exit-code contract is decided
/// from (`main` maps it; commands never pick numbers themselves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Analysed (or done), no sign-in failure found: exit 0.
    Clean,
    /// A failure, or a capture too incomplete to judge: exit 1.
    FailureFound,
    /// A usage error or an input that could not be read at all: exit 2.
    Unusable,
}

impl Outcome {
    /// The process exit code of the contract (0 / 1 / 2).
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::FailureFound => 1,
            Outcome::Unusable => 2,
        }
    }

    /// `FailureFound` when `failed`, else `Clean`.
    pub fn from_failure(failed: bool) -> Outcome {
        if failed {
            Outcome::FailureFound
        } else {
            Outcome::Clean
        }
    }
}

/// Runs the CLI and says what it found; `main` turns that (or the error,
/// which is a usage error or unreadable input) into the exit code.
pub fn run() -> Result<Outcome> {
    let cli = Cli::parse();
    match cli.command {
        None => analyze(&cli.analyze),
        Some(Command::Explain(a)) => explain::run(&a),
        Some(Command::Triage(a)) => triage::run(&a),
        Some(Command::Decode(a)) => decode::run(&a),
        Some(Command::Redact(a)) => redact::run(&a),
        Some(Command::Completions(a)) => shell::completions(&a),
        Some(Command::Man) => shell::man(),
    }
}

/// The `--version` text: the crate version and the date of the embedded
/// AADSTS table, so a support engineer knows how current the meanings are.
pub fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let date = crate::decode::aadsts::table_date().unwrap_or("undated");
        format!("{} (AADSTS table of {date})", env!("CARGO_PKG_VERSION"))
    })
}

/// How standard input is named in reports and messages when `-` is given.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether a capture path is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name a capture path is shown under.
pub fn shown_name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// The bytes of a capture path: the file, or standard input for `-`. Both
/// are read whole and then go through the same format detection and
/// limits ([`Input::from_bytes`]), so a piped capture is judged exactly as
/// the same file would be.
pub fn read_capture_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, CaptureError> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| match e.kind() {
                io::ErrorKind::OutOfMemory => CaptureError::OutOfMemory {
                    what: "standard input".into(),
                    held: bytes.len() as u64,
                },
                _ => CaptureError::Other(format!("cannot read standard input: {e}")),
            })?;
        if bytes.len() as u64 > limit {
            return Err(CaptureError::Other(format!(
                "standard input is larger than --max-capture-size ({limit} bytes)"
            )));
        }
        return Ok(bytes);
    }
    input::read_capture(path, limit).map_err(|e| CaptureError::Other(e.to_string()))
}

/// Refuses `-` named more than once: standard input can be read only once.
pub fn check_stdin_once(paths: &[PathBuf]) -> Result<()> {
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        bail!("- (standard input) can be given only once");
    }
    Ok(())
}

/// A capture path prepared: a file that starts like a zip is read as a
/// SAZ from the open file, member by member (its compressed bytes are
/// never all in memory); any other file, and standard input, is read
/// whole and detected by [`Input::from_bytes`].
pub fn load_input(path: &Path, options: &LoadOptions) -> Result<Input, CaptureError> {
    let limit = options.limits.max_capture_bytes;
    if is_stdin(path) {
        return Input::from_bytes(read_capture_bytes(path, limit)?, options);
    }
    let other = |e: input::ReadError| CaptureError::Other(e.to_string());
    let (mut file, len) = input::open_capture(path, limit).map_err(other)?;
    if input::starts_like_zip(&mut file).map_err(other)? {
        return Input::from_saz_reader(file, options);
    }
    Input::from_bytes(
        input::read_opened(file, len, limit).map_err(other)?,
        options,
    )
}

/// A file the user named (or `-`), read and prepared; errors name the file.
pub fn open_capture(path: &Path, options: &LoadOptions) -> Result<Input, CaptureError> {
    let named_saz = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("saz"));
    match load_input(path, options) {
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

fn analyze(args: &AnalyzeArgs) -> Result<Outcome> {
    let output = Output::from_args(&args.output);
    let options = config::load_options(&args.load)?;
    if output.format == OutputFormat::Html && args.captures.len() > 1 && args.entry.is_none() {
        bail!(
            "--format html writes one page per capture: give one capture, or use \
             `trace-inspect triage PATH... --format html --reports DIR` for many"
        );
    }
    check_stdin_once(&args.captures)?;
    let trust = config::trust(&args.trust)?;
    let mut out = open_output(
        output.path.as_deref(),
        &args.captures,
        matches!(output.format, OutputFormat::Text | OutputFormat::Markdown),
        output.quiet,
    )?;
    let painter = Painter {
        color: output.color,
    };
    let mut unreadable = 0usize;
    let mut failed = false;
    // One capture: its report goes straight to the output. Several: each
    // report is serialized as it is made (its capture is then dropped) and
    // they are written as one array at the end.
    let stream_json = args.captures.len() == 1;
    let mut json_reports: Vec<Vec<u8>> = Vec::new();
    for (i, path) in args.captures.iter().enumerate() {
        let shown = shown_name(path);
        // Shown only when loading and decoding take more than a moment.
        let spinner = progress::Spinner::start(&shown, output.quiet);
        let input = match open_capture(path, &options) {
            Ok(input) => input,
            Err(e) => {
                drop(spinner);
                eprintln!("trace-inspect: {}", escape(&format!("{shown}: {e}")));
                unreadable += 1;
                continue;
            }
        };
        let capture = match input.parse(&shown, &options) {
            Ok(c) => c,
            Err(e) => {
                drop(spinner);
                eprintln!("trace-inspect: {}", escape(&format!("{shown}: {e}")));
                unreadable += 1;
                continue;
            }
        };
        if let Some(n) = args.entry {
            drop(spinner);
            show_entry(&mut *out, &capture, n, &options, &output, painter, &trust)?;
            continue;
        }
        let analysis = crate::pipeline::analyze(&capture, &options, &trust);
        drop(spinner);
        failed |= args.fail_on.fails(&analysis);
        let rows = crate::pipeline::rows(&analysis, args.all);
        crate::secret::with_secrets_shown(output.show_secrets, || -> Result<()> {
            match output.format {
                OutputFormat::Json => {
                    let report = report::json::CaptureReport::new(&analysis, &rows);
                    if stream_json {
                        report::json::write_value(&mut *out, &report)?;
                    } else {
                        json_reports.push(report::json::to_pretty(&report)?);
                    }
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
                OutputFormat::Html => {
                    // The waterfall shows every exchange, whatever --all says.
                    let every = crate::pipeline::rows(&analysis, true);
                    let opts = report::html::HtmlOptions {
                        show_secrets: output.show_secrets,
                        limits: options.limits,
                    };
                    report::html::write(&mut *out, &analysis, &every, &opts)?;
                }
            }
            Ok(())
        })?;
    }
    if output.format == OutputFormat::Json && !json_reports.is_empty() {
        report::json::write_pretty_values(&mut *out, &json_reports)?;
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        Outcome::Unusable
    } else {
        Outcome::from_failure(failed)
    })
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
            let report = report::json::EntryReport {
                entry: &view,
                messages: report::json::Messages(&messages),
            };
            crate::secret::with_secrets_shown(output.show_secrets, || {
                report::json::write_value(out, &report)
            })?;
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

/// Standard output, or the `-o` file (never one of the inputs), or nothing
/// at all with `--quiet`. Text formats (`sanitize`) go through the
/// [`SafeWriter`], so control characters from a capture are shown escaped;
/// JSON escapes them itself.
fn open_output(
    path: Option<&Path>,
    inputs: &[PathBuf],
    sanitize: bool,
    quiet: bool,
) -> Result<Box<dyn Write>> {
    if quiet {
        return Ok(Box::new(io::sink()));
    }
    let sink: Box<dyn Write> = match path {
        None => Box::new(BufWriter::new(io::stdout().lock())),
        Some(path) => {
            for input in inputs {
                if same_file(path, input) {
                    bail!(
                        "refusing to write the output over the input {} (choose another -o)",
                        input.display()
                    );
                }
            }
            let file =
                File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
            Box::new(BufWriter::new(file))
        }
    };
    Ok(if sanitize {
        Box::new(SafeWriter::new(sink))
    } else {
        sink
    })
}

/// Whether two paths name the same file (by canonical path when both exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Whether an error is (or wraps) a closed output pipe (`| head`), which is
/// not a failure: the reader simply stopped reading. A `serde_json::Error`
/// counts too: its `source()` skips the `io::Error` it wraps, so the kind
/// is only reachable through `io_error_kind`.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(io::ErrorKind::BrokenPipe)
    })
}
