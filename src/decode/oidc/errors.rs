//! OAuth 2 error responses (RFC 6749 §4.1.2.1 redirect errors, §5.2 token
//! endpoint errors, OIDC Core §3.1.2.6) and the structure Entra, AD FS and
//! Azure AD B2C put inside `error_description`.
//!
//! RFC 6749 §4.1.2.1: "error REQUIRED. A single ASCII error code …
//! error_description OPTIONAL. Human-readable ASCII text … error_uri
//! OPTIONAL … state REQUIRED if a "state" parameter was present in the client
//! authorization request."
//!
//! Entra's `error_description` (error-surfaces.md §(a)) is
//! `AADSTS<n>: <text>\r\nTrace ID: <guid>\r\nCorrelation ID: <guid>\r\nTimestamp: yyyy-mm-dd hh:mm:ssZ`;
//! several codes can be chained (`AADSTS75006: … AADSTS90011: …`); MSAL's
//! fixtures concatenate the trailer without separators; the ADAL-era form is
//! `… Additional technical information:\r\nCorrelation ID: …\r\nTimestamp: …\r\nAADSTS50011: …`.
//! AD FS uses `MSIS<n>:` and B2C `AADB2C<n>:`. Okta and Google send plain
//! text. The parser therefore splits on *markers* wherever they occur rather
//! than on line breaks.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// An IdP error code found in a description: `AADSTS50011`, `MSIS9604`,
/// `AADB2C90118`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpCode {
    /// Prefix and number, as written.
    pub code: String,
    /// The number alone.
    pub number: u32,
    /// The text that follows `CODE:` up to the next code or trailer field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl IdpCode {
    /// The prefix: `AADSTS`, `AADB2C` or `MSIS`.
    pub fn prefix(&self) -> &str {
        self.code.trim_end_matches(|c: char| c.is_ascii_digit())
    }
}

/// The parts of an `error_description`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorDescription {
    /// Text before the first code or trailer field (ADAL's "Sorry, but
    /// we're having trouble…", Okta's whole description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Codes in order of appearance, each with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<IdpCode>,
    /// `Trace ID:` (Entra's request ID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// `Correlation ID:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `Timestamp:` as written (`2016-01-09 02:02:12Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

const CODE_PREFIXES: [&str; 3] = ["AADSTS", "AADB2C", "MSIS"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    TraceId,
    CorrelationId,
    Timestamp,
    AdditionalInfo,
}

const MARKERS: [(&str, Marker); 4] = [
    ("Trace ID:", Marker::TraceId),
    ("Correlation ID:", Marker::CorrelationId),
    ("Timestamp:", Marker::Timestamp),
    ("Additional technical information:", Marker::AdditionalInfo),
];

#[derive(Debug, Clone)]
enum Piece {
    Code { code: String, number: u32 },
    Marker(Marker),
}

#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    piece: Piece,
}

/// Undoes URL encoding left in a description that was copied from a URL
/// (`AADSTS65004%3a+User+declined…%0d%0aTrace+ID%3a+…`). Text that is already
/// decoded is returned unchanged.
pub fn normalize_description(raw: &str) -> Cow<'_, str> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%0d%0a") || lower.contains("%3a") || lower.contains("%20") {
        Cow::Owned(crate::codec::percent::decode_form(raw))
    } else if !raw.contains(' ') && raw.contains('+') && lower.contains("aadsts") {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Splits an `error_description` into codes, trace / correlation IDs and
/// timestamp. Never fails: unknown text ends up in `summary`.
pub fn parse_error_description(raw: &str) -> ErrorDescription {
    let text = normalize_description(raw);
    let text = text.as_ref();
    let tokens = tokenize(text);
    let mut out = ErrorDescription::default();
    let first = tokens.first().map_or(text.len(), |t| t.start);
    let summary = text.get(..first).unwrap_or("").trim();
    if !summary.is_empty() {
        out.summary = Some(summary.to_owned());
    }
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map_or(text.len(), |t| t.start);
        let segment = text.get(token.end..next).unwrap_or("");
        match &token.piece {
            Piece::Code { code, number } => {
                let message = segment.trim();
                let has_colon = text.get(..token.end).is_some_and(|s| s.ends_with(':'));
                out.codes.push(IdpCode {
                    code: code.clone(),
                    number: *number,
                    message: (has_colon && !message.is_empty()).then(|| message.to_owned()),
                });
            }
            Piece::Marker(marker) => {
                let value = first_line(segment);
                match marker {
                    Marker::TraceId => {
                        out.trace_id = out.trace_id.take().or_else(|| id_value(value))
                    }
                    Marker::CorrelationId => {
                        out.correlation_id = out.correlation_id.take().or_else(|| id_value(value));
                    }
                    Marker::Timestamp => {
                        out.timestamp = out
                            .timestamp
                            .take()
                            .or_else(|| (!value.is_empty()).then(|| value.to_owned()));
                    }
                    Marker::AdditionalInfo => {}
                }
            }
        }
    }
    out
}

fn first_line(segment: &str) -> &str {
    segment
        .split(['\r', '\n'])
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// A trace or correlation ID: the GUID at the start, else the first word.
fn id_value(value: &str) -> Option<String> {
    if let Some(g) = value.get(..36)
        && super::endpoint::is_guid(g)
    {
        return Some(g.to_owned());
    }
    value
        .split_whitespace()
        .next()
        .map(|w| w.chars().take(100).collect())
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for (pattern, marker) in MARKERS {
        for (start, _) in text.match_indices(pattern) {
            tokens.push(Token {
                start,
                end: start + pattern.len(),
                piece: Piece::Marker(marker),
            });
        }
    }
    for prefix in CODE_PREFIXES {
        for (start, _) in text.match_indices(prefix) {
            if let Some((number, digits_end)) = code_at(text, start, prefix.len()) {
                let colon = text.get(digits_end..).is_some_and(|s| s.starts_with(':'));
                tokens.push(Token {
                    start,
                    end: digits_end + usize::from(colon),
                    piece: Piece::Code {
                        code: text.get(start..digits_end).unwrap_or("").to_owned(),
                        number,
                    },
                });
            }
        }
    }
    tokens.sort_by_key(|t| t.start);
    tokens
}

/// A code starting at `start` (prefix of `prefix_len` bytes, then 1–9
/// digits, not glued to a preceding letter or digit): its number and the
/// end of its digits.
fn code_at(text: &str, start: usize, prefix_len: usize) -> Option<(u32, usize)> {
    let bytes = text.as_bytes();
    if start > 0 && bytes.get(start - 1).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let digits_start = start + prefix_len;
    let digits = bytes
        .get(digits_start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let end = digits_start + digits;
    let number = text.get(digits_start..end)?.parse().ok()?;
    Some((number, end))
}

/// Every `AADSTS<n>` number in `text` (case-insensitive), in order of first
/// appearance, without duplicates. Works on raw or URL-encoded text
/// (`AADSTS50011%3a`, `AADSTS50011+`).
pub fn find_aadsts_codes(text: &str) -> Vec<u32> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (start, _) in lower.match_indices("aadsts") {
        if let Some((n, _)) = code_at(&lower, start, 6)
            && seen.insert(n)
        {
            out.push(n);
        }
    }
    out
}

/// Parses Entra's `Timestamp:` / `timestamp` value (`2016-01-09 02:02:12Z`,
/// optionally with fractional seconds, or RFC 3339).
pub fn parse_entra_timestamp(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    let v = v.strip_suffix('Z').unwrap_or(v);
    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Reads `error_codes`: a JSON array of numbers or strings, a number, or a
/// string such as `[50011,50012]` / `50011` (query form).
pub fn parse_error_codes(value: &Value) -> Vec<u32> {
    match value {
        Value::Array(items) => items.iter().flat_map(parse_error_codes).collect(),
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .into_iter()
            .collect(),
        Value::String(s) => s
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty() && p.len() <= 9)
            .filter_map(|p| p.parse().ok())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRAILER: &str = "Trace ID: 0e7f3a4d-8c1b-4a5e-9f2d-6b3c1a0e9d00\r\nCorrelation ID: 51d2a9c4-77e1-4c0f-a3b2-9d8e7f6a5b4c\r\nTimestamp: 2026-11-20 09:04:12Z";

    #[test]
    fn splits_entra_description_with_crlf_trailer() {
        let raw = format!(
            "AADSTS50011: The redirect URI 'https://app.contoso.com/signin-oidc' specified in the request does not match.\r\n{TRAILER}"
        );
        let d = parse_error_description(&raw);
        assert_eq!(d.summary, None);
        assert_eq!(d.codes.len(), 1);
        assert_eq!(d.codes[0].code, "AADSTS50011");
        assert_eq!(d.codes[0].number, 50011);
        assert_eq!(d.codes[0].prefix(), "AADSTS");
        assert_eq!(
            d.codes[0].message.as_deref(),
            Some(
                "The redirect URI 'https://app.contoso.com/signin-oidc' specified in the request does not match."
            )
        );
        assert_eq!(
            d.trace_id.as_deref(),
            Some("0e7f3a4d-8c1b-4a5e-9f2d-6b3c1a0e9d00")
        );
        assert_eq!(
            d.correlation_id.as_deref(),
            Some("51d2a9c4-77e1-4c0f-a3b2-9d8e7f6a5b4c")
        );
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-20 09:04:12Z"));
    }

    #[test]
    fn splits_concatenated_msal_trailer() {
        let raw = "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.Trace ID: 01707a0c-640b-4049-8cbb-ee2304dc0700Correlation ID: 78b0fdfc-dd0e-4dfb-b13a-d316333783f6Timestamp: 2020-03-26 22:54:14Z";
        let d = parse_error_description(raw);
        assert_eq!(
            d.codes[0].message.as_deref(),
            Some("OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
        );
        assert_eq!(
            d.trace_id.as_deref(),
            Some("01707a0c-640b-4049-8cbb-ee2304dc0700")
        );
        assert_eq!(
            d.correlation_id.as_deref(),
            Some("78b0fdfc-dd0e-4dfb-b13a-d316333783f6")
        );
        assert_eq!(d.timestamp.as_deref(), Some("2020-03-26 22:54:14Z"));
    }

    #[test]
    fn splits_chained_codes() {
        let raw = format!(
            "AADSTS75006: An error occurred while processing a WS-Federation message. AADSTS90011: Request parameter 'wtrealm' is missing.\r\n{TRAILER}"
        );
        let d = parse_error_description(&raw);
        let codes: Vec<_> = d
            .codes
            .iter()
            .map(|c| (c.number, c.message.as_deref()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (
                    75006,
                    Some("An error occurred while processing a WS-Federation message.")
                ),
                (90011, Some("Request parameter 'wtrealm' is missing.")),
            ]
        );
        assert_eq!(find_aadsts_codes(&raw), vec![75006, 90011]);
    }

    #[test]
    fn reads_adal_additional_technical_information_form() {
        let raw = "Sorry, but we're having trouble signing you in.\r\n\r\nAdditional technical information:\r\nCorrelation ID: 0d3b5f0e-1c2a-4b7e-9f00-112233445566\r\nTimestamp: 2016-04-20 12:02:16Z\r\nAADSTS50011: The reply address 'http://localhost:5000/signin-oidc' does not match the reply addresses configured for the application.";
        let d = parse_error_description(raw);
        assert_eq!(
            d.summary.as_deref(),
            Some("Sorry, but we're having trouble signing you in.")
        );
        assert_eq!(
            d.correlation_id.as_deref(),
            Some("0d3b5f0e-1c2a-4b7e-9f00-112233445566")
        );
        assert_eq!(d.timestamp.as_deref(), Some("2016-04-20 12:02:16Z"));
        assert_eq!(d.codes[0].number, 50011);
        assert!(
            d.codes[0]
                .message
                .as_deref()
                .unwrap()
                .ends_with("for the application.")
        );
    }

    #[test]
    fn decodes_description_left_url_encoded() {
        let raw = "AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+0e7f3a4d-8c1b-4a5e-9f2d-6b3c1a0e9d00%0d%0aCorrelation+ID%3a+51d2a9c4-77e1-4c0f-a3b2-9d8e7f6a5b4c%0d%0aTimestamp%3a+2026-11-20+09%3a04%3a12Z";
        let d = parse_error_description(raw);
        assert_eq!(
            d.codes[0].message.as_deref(),
            Some("User declined to consent to access the app.")
        );
        assert_eq!(
            d.correlation_id.as_deref(),
            Some("51d2a9c4-77e1-4c0f-a3b2-9d8e7f6a5b4c")
        );
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-20 09:04:12Z"));
        assert_eq!(find_aadsts_codes(raw), vec![65004]);
        let plus = "AADSTS50058:+A+silent+sign-in+request+was+sent.";
        assert_eq!(
            parse_error_description(plus).codes[0].message.as_deref(),
            Some("A silent sign-in request was sent.")
        );
    }

    #[test]
    fn reads_adfs_b2c_and_plain_descriptions() {
        let adfs = parse_error_description(
            "MSIS9604: An error occurred. The authorization server was not able to fulfill the request.",
        );
        assert_eq!(adfs.codes[0].code, "MSIS9604");
        assert_eq!(adfs.codes[0].prefix(), "MSIS");
        let b2c = parse_error_description(&format!(
            "AADB2C90118: The user has forgotten their password.\r\n{TRAILER}"
        ));
        assert_eq!(b2c.codes[0].number, 90118);
        assert_eq!(b2c.codes[0].prefix(), "AADB2C");
        assert!(b2c.trace_id.is_some());
        let okta = parse_error_description("User is not assigned to the client application.");
        assert_eq!(
            okta.summary.as_deref(),
            Some("User is not assigned to the client application.")
        );
        assert!(okta.codes.is_empty() && okta.correlation_id.is_none());
    }

    #[test]
    fn find_aadsts_codes_ignores_non_codes() {
        let cases: &[(&str, &[u32])] = &[
            ("", &[]),
            ("AADSTS", &[]),
            ("XAADSTS50011", &[]),
            (
                "aadsts50011 and AADSTS50011 and (AADSTS700054)",
                &[50011, 700054],
            ),
            ("AADSTS12345678901", &[]),
            (
                "see https://login.microsoftonline.com/error?code=50011",
                &[],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(find_aadsts_codes(text), *expected, "{text}");
        }
    }

    #[test]
    fn parses_error_codes_in_every_shape() {
        let cases: &[(Value, &[u32])] = &[
            (serde_json::json!([70016]), &[70016]),
            (serde_json::json!(["50011", 50012]), &[50011, 50012]),
            (serde_json::json!("[50011,50012]"), &[50011, 50012]),
            (serde_json::json!(-1), &[]),
            (serde_json::json!(null), &[]),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_error_codes(value), *expected, "{value}");
        }
    }

    #[test]
    fn parses_entra_timestamps() {
        let t = parse_entra_timestamp("2020-03-26 22:54:14Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-03-26T22:54:14+00:00");
        assert!(parse_entra_timestamp("2020-03-26 22:54:14.1234567Z").is_some());
        assert!(parse_entra_timestamp("2020-03-26T22:54:14Z").is_some());
        assert!(parse_entra_timestamp("yesterday").is_none());
    }
}
