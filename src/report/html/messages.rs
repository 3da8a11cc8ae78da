//! Decoded protocol messages, one `<details>` each: the text rendering the
//! terminal shows (pretty-printed XML included), with the fields a relying
//! party checks marked, and every JWT's header and claims as tables, times
//! in UTC and in the user's time zone.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, Utc};

use super::{HtmlOptions, esc};
use crate::analysis::Analysis;
use crate::decode::{Found, Message, TextOptions, jwt::Jwt};

/// Most messages rendered in full; the rest are listed by kind only.
const MAX_MESSAGES: usize = 200;

/// What a SAML service provider checks in a Response (SAML 2.0 profiles
/// §4.1.4.3 and core §2.5.1.2, §3.2.2): where it was sent (`Destination`,
/// `Recipient`), which request it answers (`InResponseTo`), for whom
/// (`Audience`), when (`NotBefore`, `NotOnOrAfter`), the status, the issuer
/// and the signature. Lines naming them are marked.
const CHECKED: &[&str] = &[
    "Destination",
    "Recipient",
    "InResponseTo",
    "Audience",
    "NotBefore",
    "NotOnOrAfter",
    "StatusCode",
    "AssertionConsumerServiceURL",
    "Issuer",
    "SignatureValue",
    "<ds:Signature",
    "<Signature",
];

/// Claims that hold NumericDate values (RFC 7519 §4.1.4–4.1.6, OIDC Core
/// §2 `auth_time`).
const TIME_CLAIMS: &[&str] = &["exp", "nbf", "iat", "auth_time"];

pub(super) fn write(w: &mut dyn Write, a: &Analysis<'_, '_>, opts: &HtmlOptions) -> io::Result<()> {
    let messages = &a.ctx.messages;
    if messages.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "<section id=\"messages\"><h2>Decoded messages</h2><p class=\"sub\">{} message{}, in capture order; open one to see it decoded.</p>",
        messages.len(),
        if messages.len() == 1 { "" } else { "s" }
    )?;
    let zone = super::user_zone(a);
    let starts: std::collections::BTreeMap<u32, DateTime<Utc>> = a
        .ctx
        .capture
        .exchanges
        .iter()
        .filter_map(|e| e.started.map(|s| (e.index, s.time.with_timezone(&Utc))))
        .collect();
    for (i, m) in messages.iter().enumerate() {
        if i >= MAX_MESSAGES {
            writeln!(
                w,
                "<p>… {} more messages (use <code>--entry N</code> or <code>--format json</code>)</p>",
                messages.len() - MAX_MESSAGES
            )?;
            break;
        }
        write_message(w, i, m, starts.get(&m.entry).copied(), zone, opts)?;
    }
    writeln!(w, "</section>")
}

fn write_message(
    w: &mut dyn Write,
    i: usize,
    m: &Found,
    reference: Option<DateTime<Utc>>,
    zone: Option<FixedOffset>,
    opts: &HtmlOptions,
) -> io::Result<()> {
    let place = serde_json::to_value(m.place)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default();
    let error = if m.message.is_error() { " err" } else { "" };
    writeln!(
        w,
        "<details class=\"msg{error}\" id=\"m{}\"><summary><a href=\"#e{1}\">#{1}</a> <b>{2}</b> <span class=\"host\">{3} · {4}</span></summary>",
        i + 1,
        m.entry,
        esc(&super::diagram::message_label(&m.message)),
        esc(m.message.kind()),
        esc(&format!("from the {place}"))
    )?;
    let mut text = Vec::new();
    m.message.write_text(
        &mut text,
        &TextOptions {
            show_secrets: opts.show_secrets,
            reference_time: reference,
        },
    )?;
    let text = String::from_utf8_lossy(&text);
    writeln!(
        w,
        "<pre>{}</pre>",
        marked(&super::shown_url(&text, opts.show_secrets))
    )?;
    for (name, jwt) in jwts(&m.message) {
        write_jwt(w, name, jwt, zone)?;
    }
    writeln!(w, "</details>")
}

/// The JWTs a message carries, by the name of the parameter.
fn jwts(m: &Message) -> Vec<(&'static str, &Jwt)> {
    match m {
        Message::Jwt(j) => vec![("JWT", j.as_ref())],
        Message::Oidc(o) => o.jwts(),
        _ => Vec::new(),
    }
}

/// Escaped text with the lines naming a checked field inside `<mark>`.
fn marked(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if CHECKED.iter().any(|c| body.contains(c)) {
            out.push_str("<mark>");
            out.push_str(&esc(body));
            out.push_str("</mark>");
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(&esc(line));
        }
    }
    out
}

fn write_jwt(
    w: &mut dyn Write,
    name: &str,
    jwt: &Jwt,
    zone: Option<FixedOffset>,
) -> io::Result<()> {
    let jwt = jwt.innermost();
    writeln!(
        w,
        "<h3>{} header</h3><table class=\"claims\"><tbody>",
        esc(name)
    )?;
    for (k, v) in &jwt.header {
        writeln!(
            w,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(k),
            esc(&value_text(v))
        )?;
    }
    writeln!(w, "</tbody></table>")?;
    let Some(claims) = &jwt.claims else {
        return writeln!(w, "<p>Claims not readable (encrypted token).</p>");
    };
    writeln!(
        w,
        "<h3>{} claims</h3><table class=\"claims\"><thead><tr><th>claim</th><th>value</th><th>UTC</th><th>user's time</th></tr></thead><tbody>",
        esc(name)
    )?;
    for (k, v) in claims {
        let (utc, local) = if TIME_CLAIMS.contains(&k.as_str()) {
            times(v, zone)
        } else {
            (String::new(), String::new())
        };
        writeln!(
            w,
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(k),
            esc(&value_text(v)),
            esc(&utc),
            esc(&local)
        )?;
    }
    writeln!(w, "</tbody></table>")
}

/// A NumericDate in UTC and in the user's zone (or "zone unknown").
fn times(v: &serde_json::Value, zone: Option<FixedOffset>) -> (String, String) {
    let Some(t) = crate::decode::jwt::numeric_date(v).and_then(|s| DateTime::from_timestamp(s, 0))
    else {
        return (String::new(), String::new());
    };
    let utc = t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let local = match zone {
        Some(z) => format!(
            "{} ({})",
            t.with_timezone(&z).format("%Y-%m-%d %H:%M:%S"),
            crate::capture::offset_label(&z)
        ),
        None => "zone not in capture".to_owned(),
    };
    (utc, local)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_checked_fields_and_escapes_the_rest() {
        let t = marked("  Destination=\"https://a/<x>\"\n  Other=\"<b>\"\n");
        assert!(t.starts_with("<mark>  Destination=&quot;https://a/&lt;x&gt;&quot;</mark>\n"));
        assert!(t.contains("Other=&quot;&lt;b&gt;&quot;"));
        assert!(!t.contains("<b>"));
    }

    #[test]
    fn times_show_utc_and_the_users_zone() {
        let zone = FixedOffset::east_opt(3600);
        let (utc, local) = times(&serde_json::json!(1_700_000_000), zone);
        assert_eq!(utc, "2023-11-14 22:13:20 UTC");
        assert_eq!(local, "2023-11-14 23:13:20 (UTC+01:00)");
        assert_eq!(times(&serde_json::json!("x"), zone).0, "");
    }
}
