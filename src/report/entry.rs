//! One exchange in full (`--entry N`): request and response lines, headers
//! in order, cookies with their attributes, decoded body previews, timings
//! and exporter metadata. Secrets are masked unless `show_secrets`.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::{Painter, human_size, rfc3339_utc};
use crate::capture::cookies::set_cookie_line;
use crate::capture::{Body, BodyData, Exchange, Header, Limits};
use crate::secret::{is_secret_header, is_secret_param, mask, mask_text};

/// Bytes of a body shown in a text preview.
const PREVIEW_BYTES: usize = 4096;

/// Writes the text view of one exchange.
pub fn write_text(
    w: &mut dyn Write,
    e: &Exchange<'_>,
    limits: &Limits,
    show_secrets: bool,
    p: Painter,
) -> io::Result<()> {
    let when = e
        .started
        .map(|s| s.time.format("%Y-%m-%d %H:%M:%S%.3f %:z").to_string())
        .unwrap_or_else(|| "time not recorded".to_owned());
    writeln!(w, "{}  {when}", p.bold(&format!("#{}", e.index)))?;
    writeln!(
        w,
        "{} {} {}",
        p.bold(&e.request.method),
        if show_secrets {
            Cow::Borrowed(e.request.url.as_ref())
        } else {
            Cow::Owned(mask_text(&e.request.url))
        },
        p.dim(&e.request.http_version)
    )?;
    if e.is_tunnel() {
        writeln!(
            w,
            "{}",
            p.yellow("HTTPS tunnel: the proxy did not decrypt this connection")
        )?;
    }
    if let Some(err) = &e.error {
        writeln!(w, "{}", p.red(&format!("error: {err}")))?;
    }
    writeln!(w)?;
    writeln!(w, "{}", p.bold("Request headers"))?;
    write_headers(w, &e.request.headers, show_secrets, p)?;
    if !e.request.cookies.is_empty() {
        writeln!(w, "{}", p.bold("Request cookies"))?;
        for c in &e.request.cookies {
            writeln!(w, "  {} = {}", c.name, c.value.render(show_secrets))?;
        }
    }
    if !e.request.form_params.is_empty() {
        writeln!(w, "{}", p.bold("Form parameters"))?;
        for (k, v) in &e.request.form_params {
            writeln!(w, "  {k} = {}", param_value(k, v, show_secrets))?;
        }
    }
    if let Some(b) = &e.request.body {
        write_body(w, "Request body", b, limits, show_secrets, p)?;
    }
    writeln!(w)?;
    match &e.response {
        None => writeln!(w, "{}", p.yellow("No response recorded."))?,
        Some(r) => {
            writeln!(
                w,
                "{} {} {}",
                p.bold("Response"),
                p.status(r.status),
                r.status_text
            )?;
            write_headers(w, &r.headers, show_secrets, p)?;
            if !r.set_cookies.is_empty() {
                writeln!(w, "{}", p.bold("Cookies set"))?;
                for c in &r.set_cookies {
                    writeln!(w, "  {}", set_cookie_line(c, show_secrets))?;
                }
            }
            if let Some(b) = &r.body {
                write_body(w, "Response body", b, limits, show_secrets, p)?;
            }
        }
    }
    let t = &e.timings;
    if let Some(total) = t.total {
        writeln!(w)?;
        let parts: Vec<String> = [
            ("blocked", t.blocked),
            ("dns", t.dns),
            ("connect", t.connect),
            ("ssl", t.ssl),
            ("send", t.send),
            ("wait", t.wait),
            ("receive", t.receive),
        ]
        .iter()
        .filter_map(|(n, v)| v.map(|v| format!("{n} {v:.0}")))
        .collect();
        writeln!(
            w,
            "{} {total:.0} ms ({})",
            p.bold("Timing"),
            parts.join(", ")
        )?;
    }
    if !e.meta.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", p.bold("Exporter metadata"))?;
        for m in &e.meta {
            let text = m.value.text();
            writeln!(w, "  {} = {}", m.key, super::timeline::shorten(&text, 160))?;
        }
    }
    Ok(())
}

fn write_headers(
    w: &mut dyn Write,
    headers: &[Header<'_>],
    show_secrets: bool,
    p: Painter,
) -> io::Result<()> {
    if headers.is_empty() {
        return writeln!(w, "  {}", p.dim("(no headers recorded)"));
    }
    for h in headers {
        writeln!(
            w,
            "  {}: {}",
            p.cyan(&h.name),
            header_value(h, show_secrets)
        )?;
    }
    Ok(())
}

fn header_value<'h>(h: &'h Header<'_>, show_secrets: bool) -> Cow<'h, str> {
    if show_secrets {
        return Cow::Borrowed(h.value.as_ref());
    }
    if !is_secret_header(&h.name) {
        // `Location`, `Referer`, `Link`… quote URLs with `code=` or a JWT.
        let masked = mask_text(&h.value);
        return if masked == h.value.as_ref() {
            Cow::Borrowed(h.value.as_ref())
        } else {
            Cow::Owned(masked)
        };
    }
    if h.name.eq_ignore_ascii_case("cookie") {
        let masked: Vec<String> = crate::capture::cookies::parse_cookie_header(&h.value)
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        return Cow::Owned(masked.join("; "));
    }
    if h.name.eq_ignore_ascii_case("set-cookie") {
        let lines: Vec<String> = crate::capture::cookies::parse_set_cookie_header(&h.value)
            .map(|c| set_cookie_line(&c, false))
            .collect();
        return Cow::Owned(lines.join(" | "));
    }
    // Authorization: keep the scheme, mask the credentials.
    match h.value.split_once(' ') {
        Some((scheme, cred)) => Cow::Owned(format!("{scheme} {}", mask(cred))),
        None => Cow::Owned(mask(&h.value)),
    }
}

fn param_value(name: &str, value: &str, show_secrets: bool) -> String {
    if !show_secrets && is_secret_param(name) {
        mask(value)
    } else {
        value.to_owned()
    }
}

fn write_body(
    w: &mut dyn Write,
    title: &str,
    body: &Body<'_>,
    limits: &Limits,
    show_secrets: bool,
    p: Painter,
) -> io::Result<()> {
    let mime = body.mime_type.as_deref().unwrap_or("unknown type");
    if let BodyData::NotKept { size, too_large } = body.data {
        let why = if too_large {
            "larger than --max-body-size"
        } else {
            "no decoder reads this type"
        };
        return writeln!(
            w,
            "{} ({mime}, {} recorded)\n  {}",
            p.bold(title),
            human_size(size),
            p.dim(&format!("(not kept in memory: {why})"))
        );
    }
    match body.decoded(limits) {
        Err(e) => writeln!(
            w,
            "{} ({mime}, {} recorded): {}",
            p.bold(title),
            human_size(body.recorded_len() as u64),
            p.red(&format!("undecodable — {e}"))
        ),
        Ok(bytes) => {
            writeln!(
                w,
                "{} ({mime}, {})",
                p.bold(title),
                human_size(bytes.len() as u64)
            )?;
            match preview(&bytes, show_secrets) {
                Some(text) => {
                    for line in text.lines() {
                        writeln!(w, "  {line}")?;
                    }
                    if bytes.len() > PREVIEW_BYTES {
                        writeln!(
                            w,
                            "  {}",
                            p.dim(&format!(
                                "… {} more",
                                human_size((bytes.len() - PREVIEW_BYTES) as u64)
                            ))
                        )?;
                    }
                    Ok(())
                }
                None => writeln!(w, "  {}", p.dim("(binary content not shown)")),
            }
        }
    }
}

/// A text preview of a body's first bytes, or `None` for binary content.
fn preview(bytes: &[u8], show_secrets: bool) -> Option<String> {
    let head = &bytes[..bytes.len().min(PREVIEW_BYTES)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A cut in the middle of a multi-byte character is still text.
        Err(e) if e.valid_up_to() + 4 >= head.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return None,
    };
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    Some(if show_secrets {
        text.to_owned()
    } else {
        mask_text(text)
    })
}

/// JSON view of one exchange.
#[derive(Debug, Serialize)]
pub struct EntryJson<'e> {
    pub entry: u32,
    pub started: Option<String>,
    pub request: MessageJson<'e>,
    pub response: Option<MessageJson<'e>>,
    pub error: Option<&'e str>,
    pub timings_ms: Option<f64>,
    pub meta: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct MessageJson<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub http_version: &'e str,
    pub headers: Vec<(String, String)>,
    pub body: Option<BodyJson>,
}

#[derive(Debug, Serialize)]
pub struct BodyJson {
    pub mime_type: Option<String>,
    pub size: usize,
    /// Text bodies (masked unless secrets are shown); absent for binary.
    pub text: Option<String>,
    /// Why the body could not be decoded.
    pub error: Option<String>,
}

impl<'e> EntryJson<'e> {
    pub fn new(e: &'e Exchange<'_>, limits: &Limits, show_secrets: bool) -> EntryJson<'e> {
        let headers = |hs: &[Header<'_>]| {
            hs.iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        header_value(h, show_secrets).into_owned(),
                    )
                })
                .collect()
        };
        let body = |b: &Option<Body<'_>>| {
            b.as_ref().map(|b| match b.decoded(limits) {
                Ok(bytes) => BodyJson {
                    mime_type: b.mime_type.as_deref().map(str::to_owned),
                    size: bytes.len(),
                    text: std::str::from_utf8(&bytes).ok().map(|t| {
                        if show_secrets {
                            t.to_owned()
                        } else {
                            mask_text(t)
                        }
                    }),
                    error: None,
                },
                Err(err) => BodyJson {
                    mime_type: b.mime_type.as_deref().map(str::to_owned),
                    size: b.recorded_len(),
                    text: None,
                    error: Some(err.to_string()),
                },
            })
        };
        EntryJson {
            entry: e.index,
            started: e.started.map(|s| rfc3339_utc(&s.time)),
            request: MessageJson {
                method: Some(&e.request.method),
                url: Some(&e.request.url),
                status: None,
                http_version: &e.request.http_version,
                headers: headers(&e.request.headers),
                body: body(&e.request.body),
            },
            response: e.response.as_ref().map(|r| MessageJson {
                method: None,
                url: None,
                status: Some(r.status),
                http_version: &r.http_version,
                headers: headers(&r.headers),
                body: body(&r.body),
            }),
            error: e.error.as_deref(),
            timings_ms: e.timings.total,
            meta: e
                .meta
                .iter()
                .map(|m| {
                    let v = match &m.value {
                        crate::capture::MetaValue::Json(raw) => {
                            serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null)
                        }
                        crate::capture::MetaValue::Text(t) => serde_json::Value::from(t.as_ref()),
                    };
                    (m.key.to_string(), v)
                })
                .collect(),
        }
    }
}
