//! Text timeline: a header line for the capture, then one line per exchange.

use std::io::{self, Write};

use super::{Painter, human_size};
use crate::capture::Capture;
use crate::capture::{describe, span};
use crate::timeline::{Party, Row};

/// Longest path shown before it is shortened with an ellipsis.
const PATH_WIDTH: usize = 50;
const HOST_WIDTH: usize = 30;

/// Writes the header and the given rows.
pub fn write(
    w: &mut dyn Write,
    capture: &Capture<'_>,
    rows: &[Row<'_>],
    total_rows: usize,
    p: Painter,
) -> io::Result<()> {
    write_header(w, capture, p)?;
    if rows.is_empty() {
        if total_rows == 0 {
            writeln!(w, "  (no exchanges)")?;
        } else {
            writeln!(
                w,
                "  no identity traffic among {total_rows} exchanges (use --all to list them)"
            )?;
        }
        return write_notes(w, capture, p);
    }
    write_rows(w, rows, p)?;
    if rows.len() < total_rows {
        writeln!(
            w,
            "{}",
            p.dim(&format!(
                "  {} of {total_rows} exchanges shown (identity traffic); --all lists every one",
                rows.len()
            ))
        )?;
    }
    write_notes(w, capture, p)
}

/// The column header and one line per row.
pub fn write_rows(w: &mut dyn Write, rows: &[Row<'_>], p: Painter) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|r| r.entry)
        .max()
        .unwrap_or(0)
        .to_string()
        .len()
        .max(2);
    writeln!(
        w,
        "{}",
        p.dim(&format!(
            "  {:>width$}  {:<12}  {:<7} {:>4}  {:<HOST_WIDTH$}  {:<PATH_WIDTH$}  {:>7}",
            "#", "time", "method", "st", "host", "path", "size"
        ))
    )?;
    for r in rows {
        write_row(w, r, width, p)?;
    }
    Ok(())
}

fn write_header(w: &mut dyn Write, capture: &Capture<'_>, p: Painter) -> io::Result<()> {
    let mut line = format!("{} — {}", p.bold(&capture.path), describe(capture));
    if let Some((first, last)) = span(capture) {
        line.push_str(&format!(
            ", {} – {} ({})",
            first.time.format("%Y-%m-%d %H:%M:%S"),
            last.time.format("%H:%M:%S"),
            super::zone_label(capture, &first)
        ));
    }
    writeln!(w, "{line}")?;
    writeln!(w)
}

fn write_row(w: &mut dyn Write, r: &Row<'_>, width: usize, p: Painter) -> io::Result<()> {
    let time = r
        .started
        .map(|s| s.time.format("%H:%M:%S%.3f").to_string())
        .unwrap_or_else(|| "--:--:--.---".to_owned());
    let host = shorten(r.host, HOST_WIDTH);
    let path = shorten(&crate::secret::shown(r.path), PATH_WIDTH);
    let size = r.size.map(human_size).unwrap_or_default();
    let host = match r.party {
        Party::Idp => p.magenta(&format!("{host:<HOST_WIDTH$}")),
        Party::App => p.cyan(&format!("{host:<HOST_WIDTH$}")),
        Party::Other => format!("{host:<HOST_WIDTH$}"),
    };
    let mut line = format!(
        "  {:>width$}  {time:<12}  {:<7} {:>4}  {host}  {:<PATH_WIDTH$}  {size:>7}",
        r.entry,
        shorten(r.method, 7),
        p.status(r.status),
        path,
    );
    if r.tunnel {
        line.push_str(&p.yellow("  tunnel (not decrypted)"));
    }
    if !r.messages.is_empty() {
        line.push_str(&p.bold(&format!("  ◆ {}", r.messages.join(", "))));
    }
    if let Some(e) = r.error {
        line.push_str(&p.red(&format!("  ✗ {}", shorten(e, 60))));
    }
    writeln!(w, "{}", line.trim_end())
}

fn write_notes(w: &mut dyn Write, capture: &Capture<'_>, p: Painter) -> io::Result<()> {
    for note in &capture.notes {
        writeln!(w, "{}", p.yellow(&format!("note: {note}")))?;
    }
    Ok(())
}

/// Cuts `s` to `max` characters, marking the cut with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{keep}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_paths_with_an_ellipsis() {
        assert_eq!(shorten("/abc", 10), "/abc");
        assert_eq!(shorten("/abcdefghijkl", 6), "/abcd…");
    }
}
