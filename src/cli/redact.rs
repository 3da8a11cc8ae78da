//! `trace-inspect redact CAPTURE -o OUT`: the only writer of captures
//! (`-` reads the capture from standard input).
//!
//! Safe writing: the input is never opened for writing; `-o` naming the
//! input (after resolving links) is refused, and so is an existing output
//! unless `--force`; the copy goes to a temporary file in the output's
//! folder, is read back and loaded as a capture ([`redact::verify`]), and
//! only then renamed over `OUT`. On any failure the temporary file is
//! removed and nothing is left behind. Exit 0 when written, 2 otherwise.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::RedactArgs;
use super::{Outcome, config, same_file};
use crate::redact::{self, Key, Options};

pub fn run(args: &RedactArgs) -> Result<Outcome> {
    let load = config::load_options(&args.load)?;
    let input = &args.capture;
    let output = &args.output;
    if same_file(output, input) {
        bail!(
            "refusing to write the redacted copy over the input {} (choose another -o)",
            input.display()
        );
    }
    if let Some(receipt) = &args.receipt
        && (same_file(receipt, input) || same_file(receipt, output))
    {
        bail!("--receipt must name a file other than the input and the output");
    }
    check_target(output, "-o", args.force)?;
    if let Some(receipt) = &args.receipt {
        check_target(receipt, "--receipt", args.force)?;
    }
    let key = match &args.key {
        None => Key::random()?,
        Some(k) => match k.strip_prefix('@') {
            Some(file) => {
                let bytes = fs::read(file)
                    .with_context(|| format!("--key @{file}: {}", "cannot read the key file"))?;
                Key::parse(&bytes)?
            }
            None => Key::parse(k.as_bytes())?,
        },
    };
    let shown = super::shown_name(input);
    let spinner = super::progress::Spinner::start(&shown, args.quiet);
    let bytes = super::read_capture_bytes(input, load.limits.max_capture_bytes)
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let options = Options {
        key,
        pii: args.pii,
        drop_unparsed: args.drop_unparsed,
    };
    let (redacted, loaded) = write_verified(output, &load, |out| {
        redact::redact_to(bytes, &load, &options, out).with_context(|| shown.clone())
    })?;
    drop(spinner);
    let mut receipt = redacted.receipt;
    receipt.verified.entries_loaded = loaded;
    receipt.verified.same_diagnosis = true;
    receipt.input = shown;
    receipt.output = output.display().to_string();
    match &args.receipt {
        Some(path) => {
            let json = serde_json::to_vec_pretty(&receipt)?;
            write_new(path, &json)
                .with_context(|| format!("cannot write the receipt {}", path.display()))?;
        }
        None if args.quiet => {}
        None => eprint!("{receipt}"),
    }
    Ok(Outcome::Clean)
}

/// A target the copy may be renamed over: a new name, or (with `--force`)
/// an existing regular file. A symbolic link, device, FIFO, socket or
/// directory is refused: renaming over it would replace the node itself
/// (`-o /dev/stdout --force` turned the device link into a file), and
/// writing through it is not a "copy" one can share.
fn check_target(path: &Path, flag: &str, force: bool) -> Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => bail!("{flag} {}: {}", path.display(), super::io_message(&e)),
    };
    let t = meta.file_type();
    let what = if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if !t.is_file() {
        "not a regular file (a device, FIFO or socket)"
    } else if !force {
        bail!(
            "{} already exists (add --force to replace it)",
            path.display()
        );
    } else {
        return Ok(());
    };
    bail!(
        "{flag} {} is {what}; the redacted copy is only written to a regular file (name a new file)",
        path.display()
    )
}

/// Redacts straight into a temporary file next to `output` (the copy is
/// never held in memory beside the input), then reads it back, re-scans it
/// for every original secret ([`redact::Redacted::rescan`]), loads and
/// diagnoses it ([`redact::verify`]) and only then renames it.
fn write_verified(
    output: &Path,
    load: &crate::capture::LoadOptions,
    redact: impl FnOnce(&mut dyn Write) -> Result<redact::Redacted>,
) -> Result<(redact::Redacted, usize)> {
    let temp = temp_path(output);
    let result = (|| -> Result<(redact::Redacted, usize)> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .with_context(|| format!("cannot create {}", temp.display()))?;
        let mut redacted = redact(&mut file)?;
        file.sync_all()?;
        drop(file);
        let written = fs::read(&temp)?;
        redacted.rescan(&written, load)?;
        redacted.release_needles();
        let loaded = redact::verify(
            written,
            load,
            redacted.format,
            redacted.entries,
            redacted.dropped == 0,
            &redacted.diagnosis,
        )?;
        fs::rename(&temp, output)
            .with_context(|| format!("cannot move the copy to {}", output.display()))?;
        Ok((redacted, loaded))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `bytes` to a temporary file beside `path` and renames it over
/// `path` (checked by [`check_target`] beforehand).
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_path(path);
    let result = (|| -> Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// `.OUT.redact-<pid>.tmp` in the output's folder (same file system, so
/// the rename is atomic).
fn temp_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "capture".into(), |n| n.to_string_lossy().into_owned());
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    dir.join(format!(".{name}.redact-{}.tmp", std::process::id()))
}
