//! Small text helpers of the engine: applying non-overlapping edits,
//! form / component / HTML / JSON escaping, JSON string scanning, sniffing
//! URLs, forms and signed XML; multipart and attribute parsing are
//! `codec`'s.
//! Pure functions over `&str`; positions come from ASCII searches.

/// Applies non-overlapping `(start, end, replacement)` edits; `None` when
/// there are none.
pub fn apply(text: &str, mut edits: Vec<(usize, usize, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e, new) in edits {
        if s < at || e < s {
            continue;
        }
        out.push_str(text.get(at..s)?);
        out.push_str(&new);
        at = e;
    }
    out.push_str(text.get(at..)?);
    (out != text).then_some(out)
}

/// Keeps the whitespace around a trimmed value.
pub(super) fn replace_trimmed(full: &str, trimmed: &str, new: &str) -> String {
    match full.find(trimmed) {
        Some(at) => format!(
            "{}{new}{}",
            full.get(..at).unwrap_or_default(),
            full.get(at + trimmed.len()..).unwrap_or_default()
        ),
        None => new.to_owned(),
    }
}

/// `application/x-www-form-urlencoded` decoding of one component.
pub use crate::codec::percent::decode_form as form_decode;

pub(super) use crate::codec::percent::encode_form as form_encode;

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub use crate::codec::percent::encode_component;

pub(super) fn is_url_safe(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Escapes text for an HTML attribute value (the one escaper,
/// `codec::html`).
pub use crate::codec::html::escape as html_escape;

pub(super) fn json_escape(s: &str) -> String {
    let lit = serde_json::to_string(s).unwrap_or_default();
    let inner = lit
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or_default();
    inner.replace('/', "\\/")
}

pub(super) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

pub(super) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// End (exclusive, after the closing quote) of the JSON string literal
/// opening at `start`.
pub(super) fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Whether a URL-ish value: absolute http(s), or a relative one with a query.
pub fn looks_like_url(v: &str) -> bool {
    let v = v.trim();
    let lower = v.get(..8).unwrap_or(v).to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (v.starts_with('/') && v.contains('?') && v.contains('='))
}

pub(super) fn looks_like_form(v: &str) -> bool {
    let v = v.trim_end();
    !v.is_empty()
        && v.contains('=')
        && !v.contains(char::is_whitespace)
        && v.split('&').all(|p| p.contains('=') || p.is_empty())
}

pub(super) fn looks_like_signed_xml(text: &str) -> bool {
    text.contains("SignatureValue")
        || text.contains("CipherValue")
        || text.contains("NameID")
        || text.contains("AttributeValue")
        || text.contains("NameIdentifier")
}

/// The `boundary` parameter of a multipart content type.
pub use crate::codec::multipart::boundary;

/// The attributes of a tag, with value positions (the one attribute
/// scanner, `codec::html`).
pub(super) use crate::codec::html::attributes;
