//! Google OAuth error surfaces (error-surfaces.md §g):
//!
//! * the current layout — "Access blocked: …" + `Error 403: disallowed_useragent`
//!   or `Error 400: redirect_uri_mismatch` + "Request details: redirect_uri=…
//!   flowName=GeneralOAuthFlow";
//! * the pre-2020 layout — "400. That’s an error." + "Error: redirect_uri_mismatch"
//!   + "Request Details";
//! * `https://accounts.google.com/signin/oauth/error?authError=<base64>`: the
//!   blob is a protobuf message; we walk its fields and keep the printable
//!   strings. Field 1 holding the error name and field 2 its description is
//!   inferred from observed blobs, not documented; every string is kept.
//!
//! Guard: on `accounts.google.*` any of those markers is enough; without a
//! host hint two are needed (the `Error NNN: code` line plus "Request
//! details", "That’s an error" or a Google-worded explanation); on any other
//! host (a docs page quoting the error) nothing is reported.

use serde::Serialize;

use super::{HostKind, Idp, IdpDetails, IdpErrorPage, Page};
use crate::decode::lines::Lines;

/// Google-specific fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GoogleDetails {
    /// HTTP-style number shown with the error (`403`, `400`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// "Access blocked: This app's request is invalid", …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// `key=value` pairs of "Request details" (`redirect_uri`, `flowName`, …),
    /// serialized as an object in page order.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser_pairs")]
    pub request_details: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_name: Option<String>,
    /// The decoded `authError` blob, when the page came from that URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_error: Option<AuthError>,
}

/// The printable content of an `authError` blob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// Every printable string, in blob order.
    pub strings: Vec<String>,
    /// The `client_id` query parameter of the URL, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Error names shown on Google's pages, with our category.
const KNOWN: [(&str, &str); 14] = [
    ("disallowed_useragent", "webview_blocked"),
    ("redirect_uri_mismatch", "redirect_mismatch"),
    ("invalid_client", "app_config"),
    ("unauthorized_client", "app_config"),
    ("deleted_client", "app_not_found"),
    ("invalid_request", "token_protocol"),
    ("invalid_scope", "token_protocol"),
    ("unsupported_response_type", "token_protocol"),
    ("admin_policy_enforced", "conditional_access"),
    ("org_internal", "user_not_assigned"),
    ("access_denied", "idp_error"),
    ("policy_enforced", "conditional_access"),
    ("invalid_grant", "token_protocol"),
    ("origin_mismatch", "redirect_mismatch"),
];

fn ser_pairs<S: serde::Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

/// Our category for a Google error name.
pub fn category(error: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|(e, _)| *e == error)
        .map_or("idp_error", |(_, c)| c)
}

/// Google-worded explanations of the webview block (several generations).
const WEBVIEW_TEXTS: [&str; 4] = [
    "embedded webview policy",
    "can\u{2019}t sign you in safely inside this app",
    "can't sign you in safely inside this app",
    "classified as an embedded user-agent",
];

/// Decodes a Google error page.
pub fn decode(page: &Page<'_>) -> Option<IdpErrorPage> {
    if !page.host_allows_text_detection() {
        return None;
    }
    let google_host = page.host == Some(HostKind::Google);
    let lines: Vec<&str> = page.text.lines().collect();
    let current = lines.iter().find_map(|l| error_line(l));
    let old_layout = lines.iter().any(|l| is_thats_an_error(l));
    let old_error = lines.iter().find_map(|l| {
        l.strip_prefix("Error:")
            .map(str::trim)
            .filter(|e| is_error_name(e))
    });
    let (status, error) = match (current, old_error) {
        (Some((s, e)), _) => (Some(s), e.to_owned()),
        (None, Some(e)) if old_layout => (old_status(&lines), e.to_owned()),
        _ => return None,
    };
    let details_at = lines
        .iter()
        .position(|l| super::html::contains_ci(l, "request details"));
    let explanation = lines
        .iter()
        .find(|l| WEBVIEW_TEXTS.iter().any(|t| super::html::contains_ci(l, t)))
        .map(|l| (*l).to_owned());
    let google_text = explanation.is_some()
        || page.title().is_some_and(|t| t.contains("Google"))
        || lines.iter().any(|l| l.starts_with("Access blocked"));
    let markers =
        usize::from(details_at.is_some()) + usize::from(old_layout) + usize::from(google_text);
    if !google_host && markers == 0 {
        return None;
    }
    let request_details = details_at
        .map(|i| request_details(lines.get(i..).unwrap_or_default()))
        .unwrap_or_default();
    let get = |k: &str| {
        request_details
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let headline = lines
        .iter()
        .find(|l| {
            l.starts_with("Access blocked")
                || l.starts_with("Sign in with Google temporarily disabled")
        })
        .map(|l| (*l).to_owned());
    Some(IdpErrorPage {
        idp: Idp::Google,
        host: None,
        title: page.title(),
        category: category(&error),
        description: explanation.or_else(|| headline.clone()),
        error: Some(error),
        details: IdpDetails::Google(GoogleDetails {
            status,
            headline,
            redirect_uri: get("redirect_uri"),
            flow_name: get("flowName"),
            request_details,
            auth_error: None,
        }),
    })
}

/// `Error 403: disallowed_useragent` anywhere in a line.
fn error_line(line: &str) -> Option<(u16, &str)> {
    let at = line.find("Error ")?;
    let rest = line.get(at + 6..)?;
    let (num, tail) = rest.split_once(':')?;
    let status: u16 = num.trim().parse().ok().filter(|n| (100..600).contains(n))?;
    let name = tail.split_whitespace().next()?;
    let name = name.trim_end_matches(['.', ',', ';']);
    is_error_name(name).then_some((status, name))
}

fn is_thats_an_error(line: &str) -> bool {
    line.contains("That\u{2019}s an error") || line.contains("That's an error")
}

/// The number of the old layout's "400. That’s an error." line.
fn old_status(lines: &[&str]) -> Option<u16> {
    lines.iter().find_map(|l| {
        let at = l.find(". That")?;
        l.get(..at)?.trim().rsplit(' ').next()?.parse().ok()
    })
}

/// A snake_case error name (`redirect_uri_mismatch`).
fn is_error_name(s: &str) -> bool {
    s.len() >= 3
        && s.len() <= 64
        && s.contains('_')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `key=value` tokens on the "Request details" line and the lines after it,
/// until a line without `=`.
fn request_details(lines: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = match line.split_once(':') {
            Some((head, tail)) if i == 0 && super::html::contains_ci(head, "request details") => {
                tail
            }
            _ => line,
        };
        if i > 0 && !line.contains('=') {
            break;
        }
        for token in line.split([' ', ',', '\t']).filter(|t| !t.is_empty()) {
            match token.split_once('=') {
                Some((k, v))
                    if !k.is_empty()
                        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
                {
                    out.push((k.to_owned(), v.to_owned()));
                }
                // A word without `=` continues the previous value (`scope=openid email`).
                _ if i > 0 || out.last().is_some() => {
                    if let Some((_, v)) = out.last_mut() {
                        v.push(' ');
                        v.push_str(token);
                    }
                }
                _ => {}
            }
        }
        if out.len() > 32 {
            break;
        }
    }
    out
}

/// Longest `authError` value decoded.
const MAX_BLOB_CHARS: usize = 64 * 1024;

/// Decodes `…/signin/oauth/error?authError=<base64>` (any Google accounts
/// host); `None` for other URLs.
pub fn decode_auth_error_url(url: &str) -> Option<IdpErrorPage> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if !host.starts_with("accounts.google.") {
        return None;
    }
    let blob = parsed
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("authError"))
        .map(|(_, v)| v.into_owned())?;
    let mut auth = decode_auth_error(&blob)?;
    auth.client_id = parsed
        .query_pairs()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned());
    let error = auth.error.clone();
    Some(IdpErrorPage {
        idp: Idp::Google,
        host: Some(host),
        title: None,
        category: error.as_deref().map_or("idp_error", category),
        description: auth.description.clone(),
        error,
        details: IdpDetails::Google(GoogleDetails {
            redirect_uri: auth.redirect_uri.clone(),
            auth_error: Some(auth),
            ..GoogleDetails::default()
        }),
    })
}

/// Decodes the base64 (standard or URL-safe, padded or not) protobuf blob.
pub fn decode_auth_error(blob: &str) -> Option<AuthError> {
    if blob.len() > MAX_BLOB_CHARS {
        return None;
    }
    let bytes = crate::codec::base64::decode_wrapped(blob).ok()?;
    let mut fields = Vec::new();
    if !walk(&bytes, 0, &mut fields) {
        fields = printable_runs(&bytes).into_iter().map(|s| (0, s)).collect();
    }
    if fields.is_empty() {
        return None;
    }
    let top = |n: u64| fields.iter().find(|(f, _)| *f == n).map(|(_, s)| s.clone());
    let error = top(1).filter(|s| is_error_name(s)).or_else(|| {
        fields
            .iter()
            .map(|(_, s)| s)
            .find(|s| is_error_name(s))
            .cloned()
    });
    let redirect_uri = fields.iter().map(|(_, s)| s).find_map(|s| {
        if s.starts_with("http://") || s.starts_with("https://") {
            Some(s.clone())
        } else {
            s.split_once("redirect_uri=").map(|(_, v)| {
                v.split([' ', '&', ','])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        }
    });
    let description = top(2).filter(|d| Some(d) != error.as_ref());
    Some(AuthError {
        error,
        description,
        redirect_uri,
        strings: fields.into_iter().map(|(_, s)| s).collect(),
        client_id: None,
    })
}

/// Walks protobuf fields, pushing `(top-level field number, string)` for
/// every printable length-delimited field (nested messages searched up to
/// depth 4). False when the bytes are not a well-formed message.
fn walk(bytes: &[u8], depth: usize, out: &mut Vec<(u64, String)>) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let Some((key, n)) = varint(bytes.get(i..).unwrap_or_default()) else {
            return false;
        };
        i += n;
        let field = key >> 3;
        if field == 0 {
            return false;
        }
        match key & 7 {
            0 => match varint(bytes.get(i..).unwrap_or_default()) {
                Some((_, n)) => i += n,
                None => return false,
            },
            wire @ (1 | 5) => {
                i += if wire == 1 { 8 } else { 4 };
                if i > bytes.len() {
                    return false;
                }
            }
            2 => {
                let Some((len, n)) = varint(bytes.get(i..).unwrap_or_default()) else {
                    return false;
                };
                i += n;
                let Some(end) = usize::try_from(len).ok().and_then(|l| i.checked_add(l)) else {
                    return false;
                };
                let Some(payload) = bytes.get(i..end) else {
                    return false;
                };
                i = end;
                match printable(payload) {
                    Some(s) => out.push((if depth == 0 { field } else { 0 }, s)),
                    None if depth < 4 => {
                        let mut nested = Vec::new();
                        if walk(payload, depth + 1, &mut nested) {
                            out.extend(nested.into_iter().map(|(_, s)| (0, s)));
                        } else {
                            out.extend(printable_runs(payload).into_iter().map(|s| (0, s)));
                        }
                    }
                    None => {}
                }
            }
            _ => return false,
        }
        if out.len() > 256 {
            break;
        }
    }
    true
}

fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The payload as text when it is non-empty UTF-8 without control characters.
fn printable(bytes: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?;
    (!s.is_empty() && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'))
        .then(|| s.to_owned())
}

/// ASCII printable runs of at least 4 characters.
fn printable_runs(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|b| !(0x20..0x7f).contains(b))
        .filter(|run| run.len() >= 4)
        .filter_map(|run| std::str::from_utf8(run).ok().map(str::to_owned))
        .take(64)
        .collect()
}

impl GoogleDetails {
    pub(crate) fn write_text(&self, l: &mut Lines<'_>) -> std::io::Result<()> {
        if let Some(s) = self.status {
            l.kv("Status", &s.to_string())?;
        }
        l.opt("Headline", self.headline.as_deref())?;
        l.opt("redirect_uri", self.redirect_uri.as_deref())?;
        l.opt("flowName", self.flow_name.as_deref())?;
        for (k, v) in &self.request_details {
            if k != "redirect_uri" && k != "flowName" {
                l.kv(k, v)?;
            }
        }
        if let Some(a) = &self.auth_error {
            l.opt("client_id", a.client_id.as_deref())?;
            l.kv("authError", &a.strings.join(" | "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pb_string(field: u8, s: &str) -> Vec<u8> {
        let mut v = vec![(field << 3) | 2, u8::try_from(s.len()).unwrap()];
        v.extend_from_slice(s.as_bytes());
        v
    }

    #[test]
    fn decodes_an_auth_error_blob() {
        let mut blob = pb_string(1, "redirect_uri_mismatch");
        blob.extend(pb_string(2, "Bad redirect"));
        blob.extend([0x20, 0x01]); // field 4, varint 1
        let nested = pb_string(1, "https://app.example/cb");
        let mut outer = vec![(5 << 3) | 2, u8::try_from(nested.len()).unwrap()];
        outer.extend(nested);
        blob.extend(outer);
        let b64 = crate::codec::base64::encode(&blob, crate::codec::base64::Shape::URL_SAFE_NO_PAD);
        let a = decode_auth_error(&b64).unwrap();
        assert_eq!(a.error.as_deref(), Some("redirect_uri_mismatch"));
        assert_eq!(a.description.as_deref(), Some("Bad redirect"));
        assert_eq!(a.redirect_uri.as_deref(), Some("https://app.example/cb"));
    }

    #[test]
    fn falls_back_to_printable_runs_for_non_protobuf() {
        let b64 = crate::codec::base64::encode(
            b"\xff\xffdisallowed_useragent\x00\x01xy",
            crate::codec::base64::Shape::STANDARD,
        );
        let a = decode_auth_error(&b64).unwrap();
        assert_eq!(a.error.as_deref(), Some("disallowed_useragent"));
        assert!(decode_auth_error("!!!").is_none());
        assert!(decode_auth_error("").is_none());
    }

    #[test]
    fn reads_error_lines_of_both_layouts() {
        assert_eq!(
            error_line("Error 403: disallowed_useragent"),
            Some((403, "disallowed_useragent"))
        );
        assert_eq!(
            error_line("Error 400: redirect_uri_mismatch."),
            Some((400, "redirect_uri_mismatch"))
        );
        assert_eq!(error_line("Error 400: Something Else"), None);
        assert_eq!(error_line("Error 9999: bad_name"), None);
        assert_eq!(old_status(&["400. That\u{2019}s an error."]), Some(400));
    }

    #[test]
    fn request_details_reads_pairs_across_lines() {
        let lines = [
            "Request details: redirect_uri=http://localhost:8080/cb flowName=GeneralOAuthFlow",
            "access_type=offline",
            "Related developer documentation",
        ];
        let d = request_details(&lines);
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0],
            (
                "redirect_uri".to_owned(),
                "http://localhost:8080/cb".to_owned()
            )
        );
        let d = request_details(&[
            "Request Details",
            "scope=openid email",
            "response_type=code",
        ]);
        assert_eq!(d[0], ("scope".to_owned(), "openid email".to_owned()));
    }
}
