//! HAR → HAR. The file is walked as a `serde_json::Value` (key order kept),
//! strings are rewritten in place and the document is serialised again, so
//! the output is always valid JSON whatever the values hold: quotes,
//! backslashes, newlines, control characters (the failure mode of
//! sanitisers that run regular expressions over the serialised text).
//!
//! Covered: `request.url`, `queryString[]`, headers (names, order and
//! count kept), `cookies[]`, `postData.text` by MIME type and
//! `postData.params[]`; `response` headers, `cookies[]`, `content.text`
//! (base64 bodies decoded, gzip undone, redacted, encoded back) and
//! `redirectURL`; `serverIPAddress` (`--pii`); pages' titles; every other
//! exporter field (`_initiator`, `_webSocketMessages`, comments) by the
//! free-text rules. Sizes and timings stay as they were.

use std::io::{Read, Write};

use base64::Engine as _;
use serde_json::{Map, Value};

use super::RedactError;
use super::engine::{Redactor, Sweeper, form_decode};
use super::policy::{self, Rule};
use super::receipt::{Kind, Place, Receipt};
use crate::decode::encoding::percent_decode;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Redacts HAR bytes; returns the new file.
pub fn redact(bytes: &[u8], r: &mut Redactor<'_>) -> Result<(Vec<u8>, usize), RedactError> {
    let bom = bytes.starts_with(UTF8_BOM);
    let json = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    // What the loader accepts (a JSONP wrapper, lone surrogates, numbers
    // out of range) is repaired the same way before parsing; the copy
    // written is plain HAR.
    let mut doc: Value = serde_json::from_slice(json).or_else(|e| {
        let mut owned = json.to_vec();
        if let Some(inner) = crate::capture::har::unwrap_jsonp(&owned) {
            owned.truncate(inner.end);
            owned.drain(..inner.start);
        }
        crate::capture::har::repair(&mut owned);
        serde_json::from_slice(&owned).map_err(|_| RedactError::HarJson(e.to_string()))
    })?;
    let mut entries = 0;
    if let Some(log) = doc.get_mut("log").and_then(Value::as_object_mut) {
        if let Some(pages) = log.get_mut("pages").and_then(Value::as_array_mut) {
            for page in pages.iter_mut().filter_map(Value::as_object_mut) {
                rewrite_str(page, "title", |s| r.free(s, Place::Metadata));
            }
        }
        if let Some(list) = log.get_mut("entries").and_then(Value::as_array_mut) {
            entries = list.len();
            for entry in list.iter_mut().filter_map(Value::as_object_mut) {
                redact_entry(entry, r);
            }
        }
    }
    let sweeper = r.sweeper();
    if !sweeper.is_empty() {
        sweep_value(&mut doc, None, &sweeper, &mut r.receipt);
    }
    let pretty = json.iter().take(4096).any(|b| *b == b'\n');
    let mut out = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
    let written = if pretty {
        serde_json::to_writer_pretty(&mut out, &doc)
    } else {
        serde_json::to_writer(&mut out, &doc)
    };
    written.map_err(|e| RedactError::HarJson(e.to_string()))?;
    if pretty {
        out.push(b'\n');
    }
    Ok((out, entries))
}

fn redact_entry(entry: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    for (key, value) in entry.iter_mut() {
        match key.as_str() {
            "request" => {
                if let Some(req) = value.as_object_mut() {
                    redact_request(req, r);
                }
            }
            "response" => {
                if let Some(resp) = value.as_object_mut() {
                    redact_response(resp, r);
                }
            }
            "serverIPAddress" => {
                if r.pii()
                    && let Value::String(s) = value
                    && let Some(new) =
                        r.pii_value(Kind::PiiIp, Place::Metadata, s.trim_matches(['[', ']']))
                {
                    *s = new;
                }
            }
            "startedDateTime" | "time" | "timings" | "cache" | "pageref" | "connection" => {}
            _ => {
                walk_free(value, None, r);
            }
        }
    }
}

fn redact_request(req: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    rewrite_str(req, "url", |s| r.url(s));
    headers(req, r, true);
    if let Some(list) = req.get_mut("queryString").and_then(Value::as_array_mut) {
        for q in list.iter_mut().filter_map(Value::as_object_mut) {
            name_value(q, r, Place::Query);
        }
    }
    cookies(req, r, Place::Cookie);
    if let Some(post) = req.get_mut("postData").and_then(Value::as_object_mut) {
        let mime = post
            .get("mimeType")
            .and_then(Value::as_str)
            .map(str::to_owned);
        rewrite_str(post, "text", |s| r.body(s, mime.as_deref()));
        if let Some(list) = post.get_mut("params").and_then(Value::as_array_mut) {
            for p in list.iter_mut().filter_map(Value::as_object_mut) {
                name_value(p, r, Place::Form);
            }
        }
    }
}

fn redact_response(resp: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    headers(resp, r, false);
    cookies(resp, r, Place::SetCookie);
    rewrite_str(resp, "redirectURL", |s| r.url(s));
    let encoding = header_value(resp, "content-encoding");
    if let Some(content) = resp.get_mut("content").and_then(Value::as_object_mut) {
        let mime = content
            .get("mimeType")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let base64 = content
            .get("encoding")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
        rewrite_str(content, "text", |s| {
            if base64 {
                map_base64_text(s, encoding.as_deref(), |t| r.body(t, mime.as_deref()))
            } else {
                r.body(s, mime.as_deref())
            }
        });
    }
}

fn header_value(msg: &Map<String, Value>, name: &str) -> Option<String> {
    msg.get("headers")?.as_array()?.iter().find_map(|h| {
        h.get("name")?
            .as_str()?
            .eq_ignore_ascii_case(name)
            .then(|| h.get("value")?.as_str().map(str::to_owned))?
    })
}

fn headers(msg: &mut Map<String, Value>, r: &mut Redactor<'_>, request: bool) {
    let Some(list) = msg.get_mut("headers").and_then(Value::as_array_mut) else {
        return;
    };
    for h in list.iter_mut().filter_map(Value::as_object_mut) {
        let Some(name) = h.get("name").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        rewrite_str(h, "value", |v| r.header(&name, v, request));
    }
}

/// HAR `cookies[]`: the value only (name, path, domain, expires, flags stay).
fn cookies(msg: &mut Map<String, Value>, r: &mut Redactor<'_>, place: Place) {
    let Some(list) = msg.get_mut("cookies").and_then(Value::as_array_mut) else {
        return;
    };
    for c in list.iter_mut().filter_map(Value::as_object_mut) {
        rewrite_str(c, "value", |v| {
            let (s, e, new) = r.cookie_value(v, place)?;
            Some(format!(
                "{}{new}{}",
                v.get(..s).unwrap_or_default(),
                v.get(e..).unwrap_or_default()
            ))
        });
    }
}

/// `{name, value}` of `queryString[]` / `params[]`: exporters write the
/// value raw (percent-encoded) or decoded; it is decoded for the decision
/// and written back the way it came.
fn name_value(obj: &mut Map<String, Value>, r: &mut Redactor<'_>, place: Place) {
    let Some(raw_name) = obj.get("name").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let name = form_decode(&raw_name);
    rewrite_str(obj, "value", |raw| {
        let encoded = raw.contains('%');
        let value = match (encoded, policy::param(&name)) {
            (false, _) => raw.to_owned(),
            (true, Rule::Saml) => percent_decode(raw),
            (true, _) => form_decode(raw),
        };
        let new = r.named(&name, &value, place)?;
        Some(
            if encoded
                && !new
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            {
                super::engine::encode_component(&new)
            } else {
                new
            },
        )
    });
}

/// Exporter fields: strings by their member name, objects and arrays walked.
fn walk_free(v: &mut Value, name: Option<&str>, r: &mut Redactor<'_>) {
    match v {
        Value::String(s) => {
            let new = match name {
                Some(n) => r.named(n, s, Place::Metadata),
                None => r.free(s, Place::Metadata),
            };
            if let Some(new) = new {
                *s = new;
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_free(item, name, r);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                walk_free(item, Some(k), r);
            }
        }
        _ => {}
    }
}

fn rewrite_str(obj: &mut Map<String, Value>, key: &str, f: impl FnOnce(&str) -> Option<String>) {
    if let Some(Value::String(s)) = obj.get_mut(key)
        && let Some(new) = f(s)
    {
        *s = new;
    }
}

/// A base64 body: decoded (and gunzipped when it still is gzip), handed to
/// `f` as text, and encoded back the same way when `f` changed it. Binary
/// bodies are left alone.
pub fn map_base64_text(
    b64: &str,
    content_encoding: Option<&str>,
    f: impl FnOnce(&str) -> Option<String>,
) -> Option<String> {
    let cleaned: String = b64.split_ascii_whitespace().collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let bytes = engine.decode(cleaned.as_bytes()).ok()?;
    let gzipped = bytes.starts_with(&[0x1f, 0x8b])
        && content_encoding.is_none_or(|c| c.to_ascii_lowercase().contains("gzip"));
    let plain = if gzipped {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(1 << 30)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        bytes
    };
    let text = std::str::from_utf8(&plain).ok()?;
    let new = f(text)?;
    let out = if gzipped {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(new.as_bytes()).ok()?;
        e.finish().ok()?
    } else {
        new.into_bytes()
    };
    Some(base64::engine::general_purpose::STANDARD.encode(out))
}

/// Members that are structure, never values. `name` is swept: exporters
/// put whole bodies in a form parameter's name (a JSON blob posted without
/// `=`), secrets included.
const NOT_SWEPT: &[&str] = &[
    "method",
    "httpVersion",
    "mimeType",
    "startedDateTime",
    "encoding",
    "version",
    "pageref",
    "id",
    "_resourceType",
];

/// The byte-for-byte sweep over every string of the document.
fn sweep_value(v: &mut Value, key: Option<&str>, sweeper: &Sweeper, receipt: &mut Receipt) {
    match v {
        Value::String(s) => {
            if key.is_some_and(|k| NOT_SWEPT.contains(&k)) {
                return;
            }
            if let Some(new) = sweeper.sweep(s, receipt) {
                *s = new;
            }
        }
        Value::Array(items) => {
            for item in items {
                sweep_value(item, None, sweeper, receipt);
            }
        }
        Value::Object(map) => {
            let base64 = map
                .get("encoding")
                .and_then(Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
            for (k, item) in map.iter_mut() {
                if base64 && k == "text" {
                    if let Value::String(s) = item
                        && let Some(new) = map_base64_text(s, None, |t| sweeper.sweep(t, receipt))
                    {
                        *s = new;
                    }
                    continue;
                }
                sweep_value(item, Some(k), sweeper, receipt);
            }
        }
        _ => {}
    }
}
