//! The text report: verdict line first, then the findings with evidence and
//! fix, the identity steps, and the ticket block ready to paste.

use std::io::{self, Write};

use super::{Painter, describe, offset_label, span};
use crate::analysis::{Analysis, Status, Ticket};
use crate::rules::{Finding, Severity};
use crate::timeline::Row;

/// Writes the whole report for one capture.
pub fn write(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    rows: &[Row<'_>],
    all: bool,
    p: Painter,
) -> io::Result<()> {
    let capture = a.ctx.capture;
    let mut head = format!("{} — {}", p.bold(&capture.path), describe(capture));
    if let Some((first, _)) = span(capture) {
        head.push_str(&format!(
            ", {} ({})",
            first.time.format("%Y-%m-%d %H:%M"),
            if first.zone_known {
                offset_label(first.time.offset())
            } else {
                "time zone unknown".to_owned()
            }
        ));
    }
    writeln!(w, "{head}")?;
    writeln!(w)?;
    let v = &a.verdict;
    let line = match v.status {
        Status::Ok => p.green(&format!("✓ {}", v.summary)),
        Status::Failed => p.red(&p.bold(&format!("✗ {}", v.summary))),
        Status::Inconclusive => p.yellow(&p.bold(&format!("? {}", v.summary))),
    };
    writeln!(w, "{line}")?;
    if v.status != Status::Ok {
        let mut cat = format!("  category: {}", v.category);
        if let Some(sub) = &v.subcategory {
            cat.push_str(&format!(" / {sub}"));
        }
        if let Some(code) = v.code {
            cat.push_str(&format!(" · rule {code} (trace-inspect explain {code})"));
        }
        writeln!(w, "{}", p.dim(&cat))?;
    }
    let shown: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info || all)
        .collect();
    if !shown.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", p.bold("Findings"))?;
        for f in shown {
            write_finding(w, f, p)?;
        }
    }
    writeln!(w)?;
    if rows.is_empty() {
        writeln!(w, "{}", p.bold("Steps"))?;
        writeln!(w, "  (no identity traffic; --all lists every exchange)")?;
    } else {
        writeln!(
            w,
            "{}",
            p.bold(if all { "Exchanges" } else { "Identity steps" })
        )?;
        super::timeline::write_rows(w, rows, p)?;
    }
    super::signature::write_summary(w, &a.ctx.messages, p)?;
    writeln!(w)?;
    write_ticket(w, &a.ticket, p)?;
    for note in &capture.notes {
        writeln!(w, "{}", p.yellow(&format!("note: {note}")))?;
    }
    Ok(())
}

fn write_finding(w: &mut dyn Write, f: &Finding, p: Painter) -> io::Result<()> {
    let mark = match f.severity {
        Severity::Error => p.red("✗ error  "),
        Severity::Warning => p.yellow("! warning"),
        Severity::Info => p.dim("· info   "),
    };
    let at = f.entry.map(|e| format!("#{e} ")).unwrap_or_default();
    writeln!(
        w,
        "  {mark} {at}{} {}",
        p.bold(&f.title),
        p.dim(&format!("[{}]", f.code))
    )?;
    writeln!(w, "      {}", f.message)?;
    for (k, v) in &f.evidence {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        writeln!(w, "      {} {}", p.dim(&format!("{k}:")), text)?;
    }
    if f.severity != Severity::Info && !f.fix.is_empty() {
        writeln!(w, "      {} {}", p.cyan("fix:"), f.fix)?;
    }
    Ok(())
}

/// The ticket block: aligned `key  value  (where)` lines.
pub fn write_ticket(w: &mut dyn Write, t: &Ticket, p: Painter) -> io::Result<()> {
    writeln!(w, "{}", p.bold("Ticket"))?;
    let src = |key: &str| {
        t.sources
            .get(key)
            .map(|s| match s.entry {
                Some(e) => format!("  (#{e}, {})", s.source),
                None => format!("  ({})", s.source),
            })
            .unwrap_or_default()
    };
    let mut line = |label: &str, value: Option<String>, key: &str| -> io::Result<()> {
        let value = value.unwrap_or_else(|| "—".to_owned());
        writeln!(w, "  {:<15}{value}{}", label, p.dim(&src(key)))
    };
    let codes = if t.error_codes.is_empty() {
        None
    } else {
        Some(
            t.error_codes
                .iter()
                .map(|c| format!("{} — {}", c.code, c.meaning))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    line("Error", codes, "error")?;
    line("Correlation ID", t.correlation_id.clone(), "correlation_id")?;
    line("Request ID", t.request_id.clone(), "request_id")?;
    let time = t.timestamp.as_ref().map(|ts| match &t.local_time {
        Some(local) => format!("{ts} (user's time {local})"),
        None => format!("{ts} (user's time zone unknown)"),
    });
    line("Time (UTC)", time, "timestamp")?;
    line("Tenant", t.tenant_id.clone(), "tenant_id")?;
    line("User", t.user.clone(), "user")?;
    line("App", t.app.clone(), "app")?;
    line("IdP", t.idp.clone(), "idp")?;
    line("Browser", t.browser.clone(), "browser-none")?;
    line("Exporter", t.exporter.clone(), "exporter")
}
