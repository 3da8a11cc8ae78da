//! Aligned `key  value` lines for the text rendering of page messages.

use std::io::{self, Write};

/// Column where values start (after a two-space indent).
const KEY_WIDTH: usize = 18;

/// Longest value printed on one line before it is cut with `…`.
const MAX_VALUE_CHARS: usize = 240;

/// Writes indented, aligned key/value lines.
pub(crate) struct Lines<'w> {
    w: &'w mut dyn Write,
}

impl<'w> Lines<'w> {
    pub(crate) fn new(w: &'w mut dyn Write) -> Self {
        Self { w }
    }

    /// A free line (headings).
    pub(crate) fn head(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.w, "{text}")
    }

    /// `  key               value`; nothing when `value` is empty.
    pub(crate) fn kv(&mut self, key: &str, value: &str) -> io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        writeln!(self.w, "  {key:<KEY_WIDTH$} {}", clip(value))
    }

    /// Like [`Lines::kv`] for an optional value.
    pub(crate) fn opt(&mut self, key: &str, value: Option<&str>) -> io::Result<()> {
        match value {
            Some(v) => self.kv(key, v),
            None => Ok(()),
        }
    }

    /// A continuation line under the previous value.
    pub(crate) fn more(&mut self, value: &str) -> io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        writeln!(self.w, "  {:<KEY_WIDTH$} {}", "", clip(value))
    }
}

/// Cuts long single-line values (multi-line values are joined with ` ⏎ `).
pub(crate) fn clip(value: &str) -> String {
    let one_line: String = value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ⏎ ");
    if one_line.chars().count() <= MAX_VALUE_CHARS {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_VALUE_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_skips_empty_values() {
        let mut out = Vec::new();
        let mut l = Lines::new(&mut out);
        l.head("Title").unwrap();
        l.kv("Key", "value").unwrap();
        l.kv("Empty", "").unwrap();
        l.opt("None", None).unwrap();
        l.more("next").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!("Title\n  {:<18} value\n  {:<18} next\n", "Key", "")
        );
    }

    #[test]
    fn clips_long_and_multiline_values() {
        assert_eq!(clip("a\r\n\r\nb"), "a ⏎ b");
        let long = "x".repeat(500);
        assert_eq!(clip(&long).chars().count(), MAX_VALUE_CHARS + 1);
    }
}
