//! `trace-inspect decode <VALUE|FILE|->`: decode one pasted value. Reads the
//! argument itself, the file it names, or standard input for `-`.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::Outcome;
use super::args::{DecodeArgs, OutputFormat};
use super::config::Output;
use crate::decode::{TextOptions, pasted};
use crate::report::Painter;

/// Largest value read from a file or standard input.
const MAX_INPUT: u64 = 64 << 20;

pub fn run(args: &DecodeArgs) -> Result<Outcome> {
    let output = Output::from_args(&args.output);
    let reference = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&chrono::Utc))
            .with_context(|| format!("--now {t}: not an RFC 3339 time (2026-11-20T10:04:00Z)"))?,
        None => chrono::Utc::now(),
    };
    if output.format == OutputFormat::Html {
        bail!("decode has no --format html (use text, json or markdown)");
    }
    let trust = super::config::trust(&args.trust)?;
    let (text, source) = read_input(&args.input)?;
    let messages = match pasted::decode(&text) {
        Ok(m) => m,
        Err(e) => bail!("{source}: {e}"),
    };
    let keys = crate::signature::KeySets::new(&trust, Vec::new());
    let query = text
        .trim()
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q));
    let checks: Vec<Option<crate::signature::MessageSignature>> = messages
        .iter()
        .map(|m| crate::signature::check_message(m, query, &keys, &trust))
        .collect();
    let mut out = super::open_output(
        output.path.as_deref(),
        &[],
        output.format != OutputFormat::Json,
        output.quiet,
    )?;
    let p = Painter {
        color: output.color,
    };
    crate::secret::with_secrets_shown(output.show_secrets, || -> Result<()> {
        match output.format {
            OutputFormat::Json => {
                let mut values = Vec::new();
                for (m, c) in messages.iter().zip(&checks) {
                    let mut v = serde_json::to_value(m)?;
                    if let (Some(obj), Some(c)) = (v.as_object_mut(), c) {
                        obj.insert("signature".into(), serde_json::to_value(c)?);
                    }
                    values.push(v);
                }
                if let [one] = values.as_slice() {
                    crate::report::json::write_value(&mut *out, one)?;
                } else {
                    crate::report::json::write_value(&mut *out, &values)?;
                }
            }
            OutputFormat::Text | OutputFormat::Markdown | OutputFormat::Html => {
                let opts = TextOptions {
                    show_secrets: output.show_secrets,
                    reference_time: Some(reference),
                };
                for (i, m) in messages.iter().enumerate() {
                    if messages.len() > 1 {
                        if i > 0 {
                            writeln!(out)?;
                        }
                        writeln!(
                            out,
                            "{}",
                            p.bold(&format!(
                                "── {} of {}: {} ──",
                                i + 1,
                                messages.len(),
                                m.kind()
                            ))
                        )?;
                    }
                    m.write_text(&mut *out, &opts)?;
                    if let Some(Some(c)) = checks.get(i) {
                        crate::report::signature::write_text(&mut *out, c, p)?;
                    }
                }
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(Outcome::Clean)
}

/// The text to decode and how to name it in messages.
fn read_input(arg: &str) -> Result<(String, String)> {
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        if buf.len() as u64 > MAX_INPUT {
            bail!("standard input: more than {MAX_INPUT} bytes");
        }
        return Ok((
            String::from_utf8_lossy(&buf).into_owned(),
            "standard input".to_owned(),
        ));
    }
    let path = Path::new(arg);
    // A value is never a path with a newline; short values that name an
    // existing file are read from it.
    if arg.len() < 4096 && !arg.contains('\n') && path.is_file() {
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read {arg}"))?;
        if meta.len() > MAX_INPUT {
            bail!(
                "{arg}: more than {MAX_INPUT} bytes; this is for one value, use `trace-inspect {arg}` for a capture"
            );
        }
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {arg}"))?;
        if crate::capture::detect(&bytes) == Some(crate::capture::Format::Saz) {
            bail!("{arg}: this is a SAZ capture; run `trace-inspect {arg}` to analyse it");
        }
        return Ok((String::from_utf8_lossy(&bytes).into_owned(), arg.to_owned()));
    }
    Ok((arg.to_owned(), "the value".to_owned()))
}
