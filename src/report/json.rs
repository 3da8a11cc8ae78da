//! JSON output (`--format json`, `schema_version: 1`). Keys are a contract:
//! add, never rename. See ARCHITECTURE.md "JSON contract".

use std::io::{self, Write};

use serde::Serialize;

use super::rfc3339_utc;
use crate::analysis::{Analysis, Ticket, Verdict};
use crate::capture::{Capture, Creator};
use crate::capture::{offset_label, span};
use crate::decode::Found;
use crate::rules::Finding;
use crate::timeline::Row;

pub const SCHEMA_VERSION: u32 = 1;

/// The `capture` object.
#[derive(Debug, Serialize)]
pub struct CaptureInfo<'c> {
    pub path: &'c str,
    pub format: &'static str,
    pub creator: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'c str>,
    pub entries: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    /// The user's UTC offset as the capture recorded it (`UTC+01:00`);
    /// absent when the exporter records UTC only (see
    /// `analysis::timezone`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    pub truncated: bool,
    pub notes: Vec<String>,
}

impl<'c> CaptureInfo<'c> {
    pub fn new(capture: &'c Capture<'_>) -> CaptureInfo<'c> {
        let span = span(capture);
        CaptureInfo {
            path: &capture.path,
            format: capture.format.as_str(),
            creator: creator_text(&capture.creator),
            browser: capture.browser.as_ref().map(creator_text),
            version: capture.version.as_deref(),
            entries: capture.exchanges.len(),
            started: span.map(|(a, _)| rfc3339_utc(&a.time)),
            ended: span.map(|(_, b)| rfc3339_utc(&b.time)),
            timezone: span
                .filter(|(a, _)| crate::analysis::timezone::is_user_offset(capture, a))
                .map(|(a, _)| offset_label(a.time.offset())),
            truncated: capture.is_truncated(),
            notes: capture.notes.iter().map(ToString::to_string).collect(),
        }
    }
}

fn creator_text(c: &Creator) -> String {
    c.to_string()
}

/// The analyze output for one capture (the JSON contract).
#[derive(Debug, Serialize)]
pub struct CaptureReport<'c> {
    pub schema_version: u32,
    pub capture: CaptureInfo<'c>,
    pub verdict: &'c Verdict,
    pub findings: &'c [Finding],
    pub ticket: &'c Ticket,
    pub timeline: &'c [Row<'c>],
    pub messages: &'c [Found],
}

impl<'c> CaptureReport<'c> {
    pub fn new(a: &'c Analysis<'c, '_>, rows: &'c [Row<'c>]) -> Self {
        CaptureReport {
            schema_version: SCHEMA_VERSION,
            capture: CaptureInfo::new(a.ctx.capture),
            verdict: &a.verdict,
            findings: &a.findings,
            ticket: &a.ticket,
            timeline: rows,
            messages: &a.ctx.messages,
        }
    }
}

/// Writes one value as pretty JSON followed by a newline.
pub fn write_value<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    // `io::Error::from` keeps the kind of an I/O failure (a closed pipe
    // stays `BrokenPipe`, so `main` exits quietly); `other` would hide it.
    super::masked_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}
