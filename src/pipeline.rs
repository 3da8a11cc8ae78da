//! The pipeline, assembled once: bytes → [`Input`] (format detected, SAZ
//! opened) → [`Capture`] → [`Analysis`] (decode, flow, rules, verdict,
//! ticket). The CLI, triage, the fuzz targets and the benchmarks all enter
//! here, so the stages are wired in one place.
//!
//! A capture borrows its input's bytes and an analysis borrows its capture,
//! so the analysis is handed to a closure rather than returned.

use crate::analysis::{self, Analysis};
use crate::capture::{Capture, CaptureError, Input, LoadOptions};
use crate::signature::Trust;
use crate::timeline::{self, Annotations};

/// Reads bytes as a capture of any supported format (detected from the
/// content) and parses it; `path` names it in messages.
pub fn with_capture<R>(
    bytes: Vec<u8>,
    path: &str,
    options: &LoadOptions,
    f: impl FnOnce(&Capture<'_>) -> R,
) -> Result<R, CaptureError> {
    with_input_capture(&Input::from_bytes(bytes, options)?, path, options, f)
}

/// Parses a prepared input (a SAZ read from its file, say); `path` names it
/// in messages.
pub fn with_input_capture<R>(
    input: &Input,
    path: &str,
    options: &LoadOptions,
    f: impl FnOnce(&Capture<'_>) -> R,
) -> Result<R, CaptureError> {
    let capture = input.parse(path, options)?;
    Ok(f(&capture))
}

/// Analyses a parsed capture: the one place the stages after loading are
/// called in order.
pub fn analyze<'c, 'a>(
    capture: &'c Capture<'a>,
    options: &LoadOptions,
    trust: &Trust,
) -> Analysis<'c, 'a> {
    analysis::analyze_with(capture, options.limits, trust)
}

/// Loads, parses and analyses bytes, handing the analysis to `f`.
pub fn with_analysis<R>(
    bytes: Vec<u8>,
    path: &str,
    options: &LoadOptions,
    trust: &Trust,
    f: impl FnOnce(&Analysis<'_, '_>) -> R,
) -> Result<R, CaptureError> {
    with_capture(bytes, path, options, |capture| {
        f(&analyze(capture, options, trust))
    })
}

/// Analyses a prepared input, handing the analysis to `f`.
pub fn with_input_analysis<R>(
    input: &Input,
    path: &str,
    options: &LoadOptions,
    trust: &Trust,
    f: impl FnOnce(&Analysis<'_, '_>) -> R,
) -> Result<R, CaptureError> {
    with_input_capture(input, path, options, |capture| {
        f(&analyze(capture, options, trust))
    })
}

/// The timeline rows the reports show: the identity steps, or every
/// exchange with `all`, annotated with the messages decoded at each entry
/// and the party each host plays.
pub fn rows<'c, 'a>(a: &Analysis<'c, 'a>, all: bool) -> Vec<timeline::Row<'c>> {
    timeline::rows(a.ctx.capture, &annotations(a))
        .into_iter()
        .filter(|r| all || r.is_identity())
        .collect()
}

/// What the timeline shows per entry: message kinds and parties.
fn annotations(a: &Analysis<'_, '_>) -> Annotations {
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
