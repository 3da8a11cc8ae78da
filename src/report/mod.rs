//! Rendering: one output format per file, writing to `&mut dyn Write`.
//!
//! Colour is applied at the edge by a [`Painter`] chosen from the CLI flags;
//! with colour off it returns the text unchanged, so tests compare plain
//! output and no global colour state exists.

pub mod entry;
pub mod json;
pub mod markdown;
pub mod signature;
pub mod text;
pub mod timeline;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

use crate::capture::{Capture, Started};

/// Applies colour when enabled.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    pub const PLAIN: Painter = Painter { color: false };

    /// Wraps `text` in an SGR sequence (ECMA-48 §8.3.117) when colour is on.
    /// The choice is made here, per painter, not by a library's global
    /// terminal detection, so `--color always` works through a pipe.
    fn paint(self, text: &str, sgr: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    pub fn bold(self, t: &str) -> String {
        self.paint(t, "1")
    }
    pub fn dim(self, t: &str) -> String {
        self.paint(t, "2")
    }
    pub fn red(self, t: &str) -> String {
        self.paint(t, "31")
    }
    pub fn green(self, t: &str) -> String {
        self.paint(t, "32")
    }
    pub fn yellow(self, t: &str) -> String {
        self.paint(t, "33")
    }
    pub fn cyan(self, t: &str) -> String {
        self.paint(t, "36")
    }
    pub fn magenta(self, t: &str) -> String {
        self.paint(t, "35")
    }
    /// Status codes coloured by class.
    pub fn status(self, status: u16) -> String {
        let text = if status == 0 {
            "---".to_owned()
        } else {
            status.to_string()
        };
        match status {
            0 => self.red(&text),
            200..=299 => self.green(&text),
            300..=399 => self.cyan(&text),
            400..=599 => self.red(&text),
            _ => text,
        }
    }
}

/// `1.2 KB`, `15 B`, `3.4 MB` (decimal units, as browsers show).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

/// `UTC+01:00`, `UTC−06:00`, `UTC`.
pub fn offset_label(offset: &FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// RFC 3339 in UTC with milliseconds.
pub fn rfc3339_utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// First and last start times of a capture.
pub fn span(capture: &Capture<'_>) -> Option<(Started, Started)> {
    let mut times = capture.exchanges.iter().filter_map(|e| e.started);
    let first = times.next()?;
    let (lo, hi) = times.fold((first, first), |(lo, hi), t| {
        (
            if t.time < lo.time { t } else { lo },
            if t.time > hi.time { t } else { hi },
        )
    });
    Some((lo, hi))
}

/// The capture's one-line description: `HAR 1.2 by WebInspector 537.36, 27 entries`.
pub fn describe(capture: &Capture<'_>) -> String {
    let mut s = capture.format.as_str().to_ascii_uppercase();
    if let Some(v) = &capture.version {
        s.push(' ');
        s.push_str(v);
    }
    s.push_str(" by ");
    s.push_str(&capture.creator.to_string());
    if let Some(b) = capture
        .browser
        .as_ref()
        .filter(|b| b.name != capture.creator.name)
    {
        s.push_str(&format!(" ({b})"));
    }
    let n = capture.exchanges.len();
    s.push_str(&format!(
        ", {n} {}",
        if n == 1 { "entry" } else { "entries" }
    ));
    s
}

/// The exporter for the ticket: `Chrome HAR (WebInspector 537.36)`.
pub fn describe_exporter(capture: &Capture<'_>) -> String {
    let fmt = capture.format.as_str().to_ascii_uppercase();
    match &capture.browser {
        Some(b) if b.name != capture.creator.name => format!("{fmt} by {} ({b})", capture.creator),
        _ => format!("{fmt} by {}", capture.creator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_browser() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1234), "1.2 KB");
        assert_eq!(human_size(45_000), "45 KB");
        assert_eq!(human_size(3_400_000), "3.4 MB");
    }

    #[test]
    fn paints_only_when_asked() {
        assert_eq!(Painter::PLAIN.red("x"), "x");
        assert_eq!(Painter { color: true }.red("x"), "\x1b[31mx\x1b[0m");
    }

    #[test]
    fn offsets_are_labelled() {
        let east = FixedOffset::east_opt(3600).unwrap();
        let west = FixedOffset::west_opt(6 * 3600).unwrap();
        assert_eq!(offset_label(&east), "UTC+01:00");
        assert_eq!(offset_label(&west), "UTC-06:00");
    }
}
