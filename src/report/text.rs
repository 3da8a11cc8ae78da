//! The text report: verdict line first, then the findings with evidence and
//! fix, the identity steps, and the ticket block ready to paste.

use std::io::{self, Write};

use super::Painter;
use crate::analysis::{Analysis, Status, Ticket};
use crate::capture::{describe, span};
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
            super::zone_label(capture, &first)
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
    writeln!(w, "{}", p.dim(&format!("  {}", v.context_line())))?;
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
    writeln!(w, "      {}", crate::secret::shown(&f.message))?;
    for (k, v) in &f.evidence {
        let text = match crate::rules::shown_evidence(v) {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        writeln!(w, "      {} {}", p.dim(&format!("{k}:")), text)?;
    }
    if f.severity != Severity::Info && !f.fix.is_empty() {
        writeln!(w, "      {} {}", p.cyan("fix:"), f.fix)?;
    }
    Ok(())
}

/// The ticket block: aligned `key  value  (where)` lines. Every value says
/// where it was found; typed values say so; a time zone the capture does
/// not show is "unknown", never assumed.
pub fn write_ticket(w: &mut dyn Write, t: &Ticket, p: Painter) -> io::Result<()> {
    writeln!(w, "{}", p.bold("Ticket"))?;
    let src = |key: &str| t.sources.get(key).map(where_found).unwrap_or_default();
    let mut line = |label: &str, value: Option<String>, at: String| -> io::Result<()> {
        let value = value.unwrap_or_else(|| "—".to_owned());
        writeln!(w, "  {:<15}{value}{}", label, p.dim(&at))
    };
    let codes = if t.error_codes.is_empty() {
        None
    } else {
        Some(
            t.error_codes
                .iter()
                .map(crate::decode::ids::CodeFact::line)
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    line("Error", codes, src("error"))?;
    line(
        "Correlation ID",
        t.correlation_id.clone(),
        src("correlation_id"),
    )?;
    line("Request ID", t.request_id.clone(), src("request_id"))?;
    let time = t.timestamp.as_ref().map(|ts| match &t.local_time {
        Some(local) => format!("{ts} (user's time {local})"),
        None => ts.clone(),
    });
    line("Time (UTC)", time, src("timestamp"))?;
    let zone = t.timezone.clone().or_else(|| t.timezone_note.clone());
    line("Time zone", zone, src("timezone"))?;
    line("Tenant", t.tenant_id.clone(), src("tenant_id"))?;
    line("User", t.user.clone(), src("user"))?;
    line("App", t.app.clone(), src("app"))?;
    line("IdP", t.idp.clone(), src("idp"))?;
    line("Browser", t.browser.clone(), String::new())?;
    line("Exporter", t.exporter.clone(), String::new())?;
    for o in &t.other_ids {
        line(
            "Also seen",
            Some(format!("{} {}", o.key, o.sourced.value)),
            where_found(&o.sourced),
        )?;
    }
    Ok(())
}

/// `  (#5, GetCredentialType username, typed)`.
fn where_found(s: &crate::analysis::Sourced) -> String {
    let typed = if s.typed { ", typed by the user" } else { "" };
    match s.entry {
        Some(e) => format!("  (#{e}, {}{typed})", s.source),
        None => format!("  ({}{typed})", s.source),
    }
}
