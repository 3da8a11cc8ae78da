//! The HTML report: one self-contained page per capture (and one for a
//! triage batch) that fetches nothing — inline CSS, inline SVG, one inline
//! script allowed by its SHA-256 hash in a `Content-Security-Policy` meta.
//!
//! Invariants: every value that comes from the capture goes through
//! [`esc`] (one function for text and attribute contexts); secret values are
//! masked through the [`crate::secret`] machinery unless `--show-secrets`;
//! the page reads fully with JavaScript off (expansion is `<details>`, the
//! script only adds copy buttons, column sorting and opens everything for
//! printing); output is deterministic (no clock, no hash-map order), so the
//! same capture always gives the same bytes.

mod diagram;
mod messages;
mod page;
pub mod triage;
mod waterfall;

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::FixedOffset;

use crate::analysis::{Analysis, Status, Ticket};
use crate::capture::{Exchange, Limits};
use crate::capture::{describe, offset_label, span};
use crate::rules::{Finding, Severity};
use crate::timeline::Row;

/// How the page is rendered.
#[derive(Debug, Clone, Copy)]
pub struct HtmlOptions {
    /// `--show-secrets`.
    pub show_secrets: bool,
    pub limits: Limits,
}

/// Most identity steps given a full entry view (headers, cookies, body
/// preview); a capture with more keeps the rest in the waterfall only.
const MAX_ENTRY_DETAILS: usize = 300;

/// Escapes text for HTML text and attribute values alike
/// ([`crate::codec::html::escape`]).
pub use crate::codec::html::escape as esc;

/// A URL or path as it may be shown: secret parameters (`code=`,
/// `password=`…) masked unless secrets are shown.
pub(crate) fn shown_url(url: &str, show_secrets: bool) -> Cow<'_, str> {
    if show_secrets {
        Cow::Borrowed(url)
    } else {
        Cow::Owned(crate::secret::mask_text(url))
    }
}

/// The user's time zone as the capture shows it (the offset the exporter
/// wrote), when it wrote one.
pub(crate) fn user_zone(a: &Analysis<'_, '_>) -> Option<FixedOffset> {
    span(a.ctx.capture)
        .filter(|(first, _)| first.zone_known)
        .map(|(first, _)| *first.time.offset())
}

/// Writes the HTML report of one capture. `rows` are the timeline rows of
/// every exchange (the waterfall shows them all; the steps and the diagram
/// pick the identity ones).
pub fn write(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    rows: &[Row<'_>],
    opts: &HtmlOptions,
) -> io::Result<()> {
    let capture = a.ctx.capture;
    let title = format!("{} — trace-inspect", capture.path);
    page::open(w, &title)?;
    write!(
        w,
        "<header><h1>{}</h1><p class=\"sub\">",
        esc(&capture.path)
    )?;
    let mut sub = describe(capture);
    if let Some((first, last)) = span(capture) {
        sub.push_str(&format!(
            ", {} – {} ({})",
            first.time.format("%Y-%m-%d %H:%M:%S"),
            last.time.format("%H:%M:%S"),
            if first.zone_known {
                offset_label(first.time.offset())
            } else {
                "time zone unknown".to_owned()
            }
        ));
    }
    writeln!(w, "{}</p></header>", esc(&sub))?;
    write_verdict(w, a)?;
    diagram::write(w, a, rows, opts)?;
    write_findings(w, &a.findings, opts.show_secrets)?;
    write_ticket(w, &a.ticket)?;
    write_steps(w, a, rows, opts)?;
    messages::write(w, a, opts)?;
    waterfall::write(w, a, rows, opts)?;
    if !capture.notes.is_empty() {
        writeln!(w, "<section id=\"notes\"><h2>Notes</h2><ul>")?;
        for note in &capture.notes {
            writeln!(w, "<li>{}</li>", esc(&note.to_string()))?;
        }
        writeln!(w, "</ul></section>")?;
    }
    page::close(w)
}

/// The verdict banner: one line, coloured by status, with category and rule.
fn write_verdict(w: &mut dyn Write, a: &Analysis<'_, '_>) -> io::Result<()> {
    let v = &a.verdict;
    let (class, mark) = match v.status {
        Status::Ok => ("ok", "✓"),
        Status::Failed => ("failed", "✗"),
        Status::Inconclusive => ("inconclusive", "?"),
    };
    writeln!(
        w,
        "<section id=\"verdict\" class=\"verdict {class}\"><p class=\"summary\"><span class=\"mark\">{mark}</span> {}</p>",
        esc(&v.summary)
    )?;
    let mut facts = vec![format!("status: <b>{}</b>", v.status.as_str())];
    if v.status != Status::Ok {
        let mut cat = format!("category: <code>{}</code>", esc(v.category.as_str()));
        if let Some(sub) = &v.subcategory {
            cat.push_str(&format!(" / <code>{}</code>", esc(sub)));
        }
        facts.push(cat);
        if let Some(code) = v.code {
            facts.push(format!(
                "rule <code>{0}</code> (<code>trace-inspect explain {0}</code>)",
                esc(code)
            ));
        }
    }
    if let Some(e) = v.entry {
        facts.push(format!("at <a href=\"#e{e}\">#{e}</a>"));
    }
    writeln!(w, "<p class=\"facts\">{}</p></section>", facts.join(" · "))
}

fn write_findings(w: &mut dyn Write, findings: &[Finding], show_secrets: bool) -> io::Result<()> {
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    let notes: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .collect();
    if shown.is_empty() && notes.is_empty() {
        return Ok(());
    }
    writeln!(w, "<section id=\"findings\"><h2>Findings</h2>")?;
    for f in shown {
        write_finding(w, f, show_secrets)?;
    }
    if !notes.is_empty() {
        writeln!(
            w,
            "<details class=\"infos\"><summary>{} note{}</summary>",
            notes.len(),
            if notes.len() == 1 { "" } else { "s" }
        )?;
        for f in notes {
            write_finding(w, f, show_secrets)?;
        }
        writeln!(w, "</details>")?;
    }
    writeln!(w, "</section>")
}

/// Evidence values (URLs a rule compared, a loop's cycle) pass through the
/// same masking as every URL on the page.
fn write_finding(w: &mut dyn Write, f: &Finding, show_secrets: bool) -> io::Result<()> {
    let sev = f.severity.as_str();
    let at = f
        .entry
        .map(|e| format!("<a href=\"#e{e}\">#{e}</a> "))
        .unwrap_or_default();
    writeln!(
        w,
        "<article class=\"finding {sev}\"><h3><span class=\"sev\">{sev}</span> {at}{} <code class=\"rule\">{}</code></h3>",
        esc(&f.title),
        esc(f.code)
    )?;
    writeln!(w, "<p>{}</p>", esc(&shown_url(&f.message, show_secrets)))?;
    if !f.evidence.is_empty() {
        writeln!(w, "<dl class=\"evidence\">")?;
        for (k, v) in &f.evidence {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            writeln!(
                w,
                "<dt>{}</dt><dd>{}</dd>",
                esc(k),
                esc(&shown_url(&text, show_secrets))
            )?;
        }
        writeln!(w, "</dl>")?;
    }
    if f.severity != Severity::Info && !f.fix.is_empty() {
        writeln!(w, "<p class=\"fix\"><b>Fix:</b> {}</p>", esc(&f.fix))?;
    }
    writeln!(w, "</article>")
}

/// The ticket block: one row per value with a copy button (added by the
/// script), and the whole block as plain text to paste into a ticket.
fn write_ticket(w: &mut dyn Write, t: &Ticket) -> io::Result<()> {
    let src = |key: &str| {
        t.sources
            .get(key)
            .map(|s| match s.entry {
                Some(e) => format!("#{e}, {}", s.source),
                None => s.source.clone(),
            })
            .unwrap_or_default()
    };
    let codes = (!t.error_codes.is_empty()).then(|| {
        t.error_codes
            .iter()
            .map(|c| format!("{} — {}", c.code, c.meaning))
            .collect::<Vec<_>>()
            .join("; ")
    });
    let time = t.timestamp.as_ref().map(|ts| match &t.local_time {
        Some(local) => format!("{ts} (user's time {local})"),
        None => format!("{ts} (user's time zone unknown)"),
    });
    let lines: [(&str, Option<String>, &str); 11] = [
        ("Error", codes, "error"),
        ("Correlation ID", t.correlation_id.clone(), "correlation_id"),
        ("Request ID", t.request_id.clone(), "request_id"),
        ("Time (UTC)", time, "timestamp"),
        ("Tenant", t.tenant_id.clone(), "tenant_id"),
        ("User", t.user.clone(), "user"),
        ("App", t.app.clone(), "app"),
        ("IdP", t.idp.clone(), "idp"),
        ("Browser", t.browser.clone(), "browser"),
        ("Time zone", t.timezone.clone(), "timezone"),
        ("Exporter", t.exporter.clone(), "exporter"),
    ];
    writeln!(
        w,
        "<section id=\"ticket\"><h2>Ticket</h2><table class=\"ticket\"><tbody>"
    )?;
    let mut plain = String::new();
    for (label, value, key) in &lines {
        let shown = value.as_deref().unwrap_or("—");
        plain.push_str(&format!("{label:<15}{shown}\n"));
        let copy = value
            .as_deref()
            .map(|v| format!(" data-copy=\"{}\"", esc(v)))
            .unwrap_or_default();
        writeln!(
            w,
            "<tr><th>{}</th><td class=\"v\"{copy}>{}</td><td class=\"src\">{}</td></tr>",
            esc(label),
            esc(shown),
            esc(&src(key))
        )?;
    }
    writeln!(w, "</tbody></table>")?;
    writeln!(
        w,
        "<details class=\"plain\"><summary>Ticket as plain text</summary><pre id=\"ticket-text\" data-copy-from=\"ticket-text\">{}</pre></details></section>",
        esc(&plain)
    )
}

/// The identity steps: one expandable row per step, the entry in full inside
/// (the target of the diagram's entry links).
fn write_steps(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    rows: &[Row<'_>],
    opts: &HtmlOptions,
) -> io::Result<()> {
    let steps: Vec<(&Row<'_>, &Exchange<'_>)> = rows
        .iter()
        .zip(&a.ctx.capture.exchanges)
        .filter(|(r, _)| r.is_identity() || a.verdict.entry == Some(r.entry))
        .collect();
    writeln!(w, "<section id=\"steps\"><h2>Identity steps</h2>")?;
    if steps.is_empty() {
        writeln!(
            w,
            "<p>No identity traffic in this capture; every request is in the waterfall below.</p></section>"
        )?;
        return Ok(());
    }
    for (i, (r, e)) in steps.iter().enumerate() {
        let class = step_class(a, r);
        let time = r
            .started
            .map(|s| s.time.format("%H:%M:%S%.3f").to_string())
            .unwrap_or_default();
        let kinds = r.messages.join(", ");
        let summary = format!(
            "<span class=\"n\">#{}</span> <span class=\"t\">{}</span> <span class=\"party {}\">{}</span> <b>{}</b> <span class=\"host\">{}</span><span class=\"path\">{}</span> <span class=\"st s{}\">{}</span> <span class=\"kinds\">{}</span>",
            r.entry,
            esc(&time),
            party_word(r.party),
            party_word(r.party),
            esc(r.method),
            esc(r.host),
            esc(&super::timeline::shorten(
                &shown_url(r.path, opts.show_secrets),
                120
            )),
            r.status / 100,
            status_text(r.status),
            esc(&kinds),
        );
        if i < MAX_ENTRY_DETAILS {
            writeln!(
                w,
                "<details class=\"step {class}\" id=\"e{}\"><summary>{summary}</summary>",
                r.entry
            )?;
            let mut text = Vec::new();
            super::entry::write_text(
                &mut text,
                e,
                &opts.limits,
                opts.show_secrets,
                super::Painter::PLAIN,
            )?;
            // The entry view masks headers, cookies and parameters; the
            // request line's query is masked here too.
            let text = String::from_utf8_lossy(&text);
            writeln!(
                w,
                "<pre class=\"entry\">{}</pre></details>",
                esc(&shown_url(&text, opts.show_secrets))
            )?;
        } else {
            writeln!(
                w,
                "<div class=\"step {class}\" id=\"e{}\">{summary}</div>",
                r.entry
            )?;
        }
    }
    writeln!(w, "</section>")
}

/// `break` for the verdict's entry, `done` for the success, `err` for an
/// error status.
fn step_class(a: &Analysis<'_, '_>, r: &Row<'_>) -> &'static str {
    if a.verdict.entry == Some(r.entry) {
        if a.verdict.status == Status::Ok {
            "done"
        } else {
            "break"
        }
    } else if r.status == 0 || r.status >= 400 || r.error.is_some() {
        "err"
    } else {
        ""
    }
}

fn party_word(p: crate::timeline::Party) -> &'static str {
    match p {
        crate::timeline::Party::Idp => "idp",
        crate::timeline::Party::App => "app",
        crate::timeline::Party::Other => "other",
    }
}

fn status_text(status: u16) -> String {
    if status == 0 {
        "—".to_owned()
    } else {
        status.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attribute_breakers() {
        assert_eq!(
            esc(r#"<script>alert("x")</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert_eq!(esc("a'b&c"), "a&#39;b&amp;c");
        assert_eq!(esc("plain text"), "plain text");
        assert!(matches!(esc("plain"), Cow::Borrowed(_)));
        assert_eq!(esc("a\0b"), "a\u{FFFD}b");
    }

    #[test]
    fn masks_secret_parameters_in_urls() {
        let u = "/cb?code=abc123&state=xyz";
        assert!(!shown_url(u, false).contains("abc123"));
        assert!(shown_url(u, false).contains("state=xyz"));
        assert_eq!(shown_url(u, true), u);
    }
}
