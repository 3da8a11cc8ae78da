//! Rendering: one output format per file, writing to `&mut dyn Write`.
//!
//! Colour is applied at the edge by a [`Painter`] chosen from the CLI flags;
//! with colour off it returns the text unchanged, so tests compare plain
//! output and no global colour state exists. Every text output goes through
//! [`safe::SafeWriter`], which escapes control characters from the capture
//! and turns only the painter's markers into colour.

pub mod entry;
pub mod html;
pub mod json;
pub mod markdown;
pub mod masked_json;
pub mod safe;
pub mod signature;
pub mod text;
pub mod timeline;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

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
            format!("{}{text}{}", safe::sgr(sgr), safe::sgr("0"))
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

/// RFC 3339 in UTC with milliseconds.
pub fn rfc3339_utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// How the header names the zone of the capture's times: the recording
/// machine's offset when the capture shows it; "UTC" with a warning when the
/// exporter writes UTC only (the user's zone is not recorded); "time zone
/// unknown" when the times carry no offset at all.
pub fn zone_label(
    capture: &crate::capture::Capture<'_>,
    first: &crate::capture::Started,
) -> String {
    if crate::analysis::timezone::is_user_offset(capture, first) {
        crate::capture::offset_label(first.time.offset())
    } else if first.zone_known {
        "UTC; the user's time zone is not recorded".to_owned()
    } else {
        "time zone unknown".to_owned()
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
        let mut out = Vec::new();
        {
            use std::io::Write;
            let mut w = safe::SafeWriter::new(&mut out);
            write!(w, "{}", Painter { color: true }.red("x")).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[31mx\x1b[0m");
    }
}
