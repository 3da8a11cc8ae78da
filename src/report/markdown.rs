//! Markdown report, ready to paste into a ticket: verdict, findings, ticket
//! table, identity steps. Cells are escaped so URLs with `|` stay in place.

use std::io::{self, Write};

use super::human_size;
use crate::analysis::{Analysis, Status};
use crate::capture::describe;
use crate::rules::Severity;
use crate::timeline::Row;

/// Writes the Markdown report of one capture.
pub fn write(w: &mut dyn Write, a: &Analysis<'_, '_>, rows: &[Row<'_>]) -> io::Result<()> {
    let capture = a.ctx.capture;
    writeln!(w, "### Sign-in trace: `{}`", cell(&capture.path))?;
    writeln!(w)?;
    writeln!(w, "{}", describe(capture))?;
    writeln!(w)?;
    let mark = match a.verdict.status {
        Status::Ok => "✅",
        Status::Failed => "❌",
        Status::Inconclusive => "⚠️",
    };
    writeln!(w, "**{mark} {}**", a.verdict.summary)?;
    if a.verdict.status != Status::Ok {
        let mut line = format!("Category: `{}`", a.verdict.category);
        if let Some(sub) = &a.verdict.subcategory {
            line.push_str(&format!(" / `{sub}`"));
        }
        if let Some(code) = a.verdict.code {
            line.push_str(&format!(" · rule `{code}`"));
        }
        writeln!(w)?;
        writeln!(w, "{line}")?;
    }
    writeln!(w)?;
    writeln!(w, "{}", cell(&capitalise(&a.verdict.context_line())))?;
    let t = &a.ticket;
    writeln!(w)?;
    writeln!(w, "| Field | Value | Found at |")?;
    writeln!(w, "|---|---|---|")?;
    let found = |s: &crate::analysis::Sourced| {
        let typed = if s.typed { ", typed by the user" } else { "" };
        match s.entry {
            Some(e) => format!("#{e}, {}{typed}", s.source),
            None => format!("{}{typed}", s.source),
        }
    };
    let src = |key: &str| t.sources.get(key).map(found).unwrap_or_default();
    let codes = t
        .error_codes
        .iter()
        .map(crate::decode::ids::CodeFact::line)
        .collect::<Vec<_>>()
        .join("; ");
    let zone = t.timezone.clone().or_else(|| t.timezone_note.clone());
    let rows_t: [(&str, Option<String>, &str); 11] = [
        ("Error", (!codes.is_empty()).then_some(codes), ""),
        ("Correlation ID", t.correlation_id.clone(), "correlation_id"),
        ("Request ID", t.request_id.clone(), "request_id"),
        ("Time (UTC)", t.timestamp.clone(), ""),
        ("User's local time", t.local_time.clone(), ""),
        ("Time zone", zone, "timezone"),
        ("Tenant", t.tenant_id.clone(), "tenant_id"),
        ("User", t.user.clone(), "user"),
        ("App", t.app.clone(), "app"),
        ("IdP", t.idp.clone(), "idp"),
        ("Browser", t.browser.clone(), ""),
    ];
    for (label, value, key) in rows_t {
        writeln!(
            w,
            "| {label} | {} | {} |",
            value.as_deref().map(cell).unwrap_or_else(|| "—".to_owned()),
            cell(&src(key))
        )?;
    }
    writeln!(
        w,
        "| Exporter | {} | |",
        cell(t.exporter.as_deref().unwrap_or("—"))
    )?;
    for o in &t.other_ids {
        writeln!(
            w,
            "| Also seen: {} | {} | {} |",
            o.key,
            cell(&o.sourced.value),
            cell(&found(&o.sourced))
        )?;
    }
    let findings: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    if !findings.is_empty() {
        writeln!(w)?;
        writeln!(w, "#### Findings")?;
        writeln!(w)?;
        for f in findings {
            let at = f.entry.map(|e| format!(" (#{e})")).unwrap_or_default();
            writeln!(
                w,
                "- **{}** `{}`{at}: {} — {}",
                f.severity.as_str(),
                f.code,
                f.title,
                crate::secret::shown(&f.message)
            )?;
            if !f.fix.is_empty() {
                writeln!(w, "  - Fix: {}", f.fix)?;
            }
        }
    }
    if !rows.is_empty() {
        writeln!(w)?;
        writeln!(w, "#### Identity steps")?;
        writeln!(w)?;
        writeln!(
            w,
            "| # | Time | Method | Status | Host | Path | Size | Messages |"
        )?;
        writeln!(w, "|---|---|---|---|---|---|---|---|")?;
        for r in rows {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                r.entry,
                r.started
                    .map(|s| s.time.format("%H:%M:%S%.3f").to_string())
                    .unwrap_or_default(),
                cell(r.method),
                r.status,
                cell(r.host),
                cell(&super::timeline::shorten(&crate::secret::shown(r.path), 80)),
                r.size.map(human_size).unwrap_or_default(),
                r.messages.join(", ")
            )?;
        }
    }
    Ok(())
}

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
