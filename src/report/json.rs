//! JSON output (`--format json`, `schema_version: 1`). Keys are a contract:
//! add, never rename. See ARCHITECTURE.md "JSON contract".
//!
//! The report is serialized straight to the writer from borrowed wire
//! structs ([`CaptureReport`], [`EntryReport`]) — no intermediate
//! `serde_json::Value` tree — so key order is the wire structs' field order
//! and the output costs one pass over the analysis. Several reports are
//! serialized one by one to bytes and joined into the array serde_json's
//! pretty printer would write ([`write_pretty_values`]).

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
    pub messages: Messages<'c>,
}

/// `messages[]` on the wire: each [`Found`] serialized straight to the
/// writer. A message that carries its own `signature` key (a JWT's
/// signature segment) and a signature check as well goes through a `Value`
/// map, as the whole report once did: the check replaces the segment in
/// place, which is the contract the snapshots pin.
#[derive(Debug, Clone, Copy)]
pub struct Messages<'c>(pub &'c [Found]);

impl Serialize for Messages<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for m in self.0 {
            if m.signature.is_some() {
                let v = serde_json::to_value(m).map_err(S::Error::custom)?;
                seq.serialize_element(&v)?;
            } else {
                seq.serialize_element(m)?;
            }
        }
        seq.end()
    }
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
            messages: Messages(&a.ctx.messages),
        }
    }
}

/// `--entry N --format json`: the exchange's view with the messages decoded
/// from it, `messages` last.
#[derive(Debug, Serialize)]
pub struct EntryReport<'e> {
    #[serde(flatten)]
    pub entry: &'e crate::report::entry::EntryJson<'e>,
    pub messages: Messages<'e>,
}

/// One value as pretty JSON bytes (no trailing newline).
/// Strings are masked like [`write_value`]'s (see [`super::masked_json`]).
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    super::masked_json::to_writer_pretty(&mut out, value)?;
    Ok(out)
}

/// Writes values already serialized by [`to_pretty`]: one as it is, several
/// as the pretty array of them, each line shifted by the array's indent —
/// byte for byte what `to_writer_pretty` writes for the array. Raw newlines
/// only occur between tokens (JSON strings escape theirs), so shifting
/// after each newline is exact. A trailing newline follows.
pub fn write_pretty_values(w: &mut dyn Write, values: &[Vec<u8>]) -> io::Result<()> {
    match values {
        [] => w.write_all(b"[]")?,
        [one] => w.write_all(one)?,
        many => {
            w.write_all(b"[")?;
            for (i, v) in many.iter().enumerate() {
                w.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
                for (j, line) in v.split(|b| *b == b'\n').enumerate() {
                    if j > 0 {
                        w.write_all(b"\n  ")?;
                    }
                    w.write_all(line)?;
                }
            }
            w.write_all(b"\n]")?;
        }
    }
    writeln!(w)
}

/// Writes one value as pretty JSON followed by a newline.
pub fn write_value<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    // `io::Error::from` keeps the kind of an I/O failure (a closed pipe
    // stays `BrokenPipe`, so `main` exits quietly); `other` would hide it.
    // serde_json writes token by token: batch those small writes before
    // they reach the (dynamic, filtering) output writer.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *w);
    super::masked_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()
}
