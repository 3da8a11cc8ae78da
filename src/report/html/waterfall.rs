//! The waterfall: every request of the capture on one time axis (start
//! offset and HAR `timings` duration), identity steps marked, runs of other
//! requests folded into `<details>` so the noise stays one click away.

use std::io::{self, Write};

use super::{HtmlOptions, esc, shown_url};
use crate::analysis::Analysis;
use crate::capture::Exchange;
use crate::report::timeline::shorten;
use crate::timeline::Row;

/// Runs of this many non-identity requests or more are folded.
const FOLD_RUN: usize = 3;

/// One request's place on the time axis, in milliseconds from the first.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: f64,
    duration: f64,
}

pub(super) fn write(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    rows: &[Row<'_>],
    opts: &HtmlOptions,
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let exchanges = &a.ctx.capture.exchanges;
    let spans = spans(exchanges);
    let end = spans
        .iter()
        .flatten()
        .map(|s| s.start + s.duration)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let identity = |r: &Row<'_>| r.is_identity() || a.verdict.entry == Some(r.entry);
    let shown = rows.iter().filter(|r| identity(r)).count();
    writeln!(
        w,
        "<section id=\"waterfall\"><h2>Waterfall</h2><p class=\"sub\">{} requests over {}; {} identity steps marked{}.</p><div class=\"wf\">",
        rows.len(),
        duration_text(end),
        shown,
        if shown > 0 { ", the others folded" } else { "" }
    )?;
    let mut i = 0;
    while i < rows.len() {
        let Some(r) = rows.get(i) else { break };
        if identity(r) {
            write_row(w, a, r, spans.get(i).copied().flatten(), end, opts)?;
            i += 1;
            continue;
        }
        let run = rows[i..].iter().take_while(|r| !identity(r)).count();
        // With no identity step at all, every request is the story.
        let fold = run >= FOLD_RUN && shown > 0;
        if fold {
            writeln!(
                w,
                "<details><summary>{run} other requests (#{}–#{})</summary>",
                r.entry,
                rows.get(i + run - 1).map_or(r.entry, |l| l.entry)
            )?;
        }
        for k in i..i + run {
            if let Some(r) = rows.get(k) {
                write_row(w, a, r, spans.get(k).copied().flatten(), end, opts)?;
            }
        }
        if fold {
            writeln!(w, "</details>")?;
        }
        i += run;
    }
    writeln!(w, "</div></section>")
}

/// Start offsets from the earliest start and durations (`timings.total`, or
/// the sum of the phases a HAR recorded).
fn spans(exchanges: &[Exchange<'_>]) -> Vec<Option<Span>> {
    let first = exchanges
        .iter()
        .filter_map(|e| e.started)
        .map(|s| s.time)
        .min();
    exchanges
        .iter()
        .map(|e| {
            let (first, started) = (first?, e.started?);
            let start = (started.time - first).num_microseconds()? as f64 / 1000.0;
            let t = &e.timings;
            let phases: f64 = [t.blocked, t.dns, t.connect, t.send, t.wait, t.receive]
                .iter()
                .flatten()
                .filter(|v| **v > 0.0)
                .sum();
            let duration = t.total.filter(|v| *v >= 0.0).unwrap_or(phases);
            Some(Span {
                start: start.max(0.0),
                duration: if duration.is_finite() { duration } else { 0.0 },
            })
        })
        .collect()
}

fn write_row(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    r: &Row<'_>,
    span: Option<Span>,
    end: f64,
    opts: &HtmlOptions,
) -> io::Result<()> {
    let identity = r.is_identity() || a.verdict.entry == Some(r.entry);
    let brk = a.verdict.entry == Some(r.entry) && a.verdict.status != crate::analysis::Status::Ok;
    let class = match (identity, brk) {
        (_, true) => "r id brk",
        (true, false) => "r id",
        _ => "r",
    };
    let num = if identity {
        format!("<a href=\"#e{0}\">#{0}</a>", r.entry)
    } else {
        format!("#{}", r.entry)
    };
    let (at, bar) = match span {
        Some(s) => (
            format!("+{}", duration_text(s.start)),
            format!(
                "<i style=\"left:{:.2}%;width:{:.2}%\"></i>",
                (s.start / end * 100.0).clamp(0.0, 100.0),
                (s.duration / end * 100.0).clamp(0.0, 100.0)
            ),
        ),
        None => (String::new(), String::new()),
    };
    let status = if r.status == 0 {
        "—".to_owned()
    } else {
        r.status.to_string()
    };
    let what = format!(
        "{} {}{}",
        r.method,
        r.host,
        shown_url(r.path, opts.show_secrets)
    );
    writeln!(
        w,
        "<div class=\"{class}\"><span class=\"n\">{num}</span><span class=\"t\">{at}</span><span class=\"st s{}\">{status}</span><span class=\"u\">{}</span><span class=\"bar\">{bar}</span></div>",
        r.status / 100,
        esc(&shorten(&what, 140))
    )
}

/// `840 ms`, `2.4 s`, `3 min 05 s`.
fn duration_text(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 60_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        let s = (ms / 1000.0).round() as u64;
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(840.0), "840 ms");
        assert_eq!(duration_text(2400.0), "2.4 s");
        assert_eq!(duration_text(185_000.0), "3 min 05 s");
    }
}
