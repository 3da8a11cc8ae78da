//! The visible "Troubleshooting details" block of Entra ID error pages, read
//! from page text (HTML already stripped by `pages::html::visible_text`, or
//! text a user pasted from "Copy info to clipboard"):
//!
//! ```text
//! Troubleshooting details
//! If you contact your administrator, send this info to them.
//! Request Id: f187c545-…-23dd2d331600
//! Correlation Id: 019ecfc1-…-93e65fac988b
//! Timestamp: 2026-06-16T09:26:36Z
//! Message: AADSTS900023: Specified tenant identifier …
//! ```
//!
//! Conditional Access pages add `Error Code`, `App name`, `App id`,
//! `IP address`, `Device identifier`, `Device platform`, `Device state`
//! (error-surfaces.md §b). Labels are matched case-insensitively; a label
//! alone on its line takes its value from the next line (when key and value
//! sit in separate block elements). A block is only reported when it holds
//! a request id, correlation id or error code, so a page that merely says
//! "Message: hello" is not one.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The key/value pairs of the block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Troubleshooting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// As written (`2026-09-03T13:32:53.761Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The timestamp as RFC 3339 UTC, when it parses.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub timestamp_utc: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_state: Option<String>,
    /// The first `AADSTS…` line of the page outside the block (the headline
    /// error shown above it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
}

pub(crate) fn ser_time<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        None => s.serialize_none(),
    }
}

#[derive(Clone, Copy)]
enum Field {
    RequestId,
    CorrelationId,
    Timestamp,
    Message,
    ErrorCode,
    AppName,
    AppId,
    IpAddress,
    DeviceIdentifier,
    DevicePlatform,
    DeviceState,
    Ignored,
}

/// Labels as rendered by ESTS (English), plus the OAuth-trailer spellings.
const LABELS: [(&str, Field); 15] = [
    ("request id", Field::RequestId),
    ("trace id", Field::RequestId),
    ("correlation id", Field::CorrelationId),
    ("timestamp", Field::Timestamp),
    ("message", Field::Message),
    ("error code", Field::ErrorCode),
    ("app name", Field::AppName),
    ("app id", Field::AppId),
    ("ip address", Field::IpAddress),
    ("device identifier", Field::DeviceIdentifier),
    ("device id", Field::DeviceIdentifier),
    ("device platform", Field::DevicePlatform),
    ("device state", Field::DeviceState),
    ("flag sign-in errors for review", Field::Ignored),
    ("advanced diagnostics", Field::Ignored),
];

fn label(line: &str) -> Option<(Field, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    if key.len() > 40 {
        return None;
    }
    LABELS
        .iter()
        .find(|(l, _)| key.eq_ignore_ascii_case(l))
        .map(|(_, f)| (*f, value.trim()))
}

/// Reads the block from page text; `None` when it is not there.
pub fn parse(text: &str) -> Option<Troubleshooting> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut t = Troubleshooting::default();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        let Some((field, mut value)) = label(line) else {
            if t.headline.is_none() && line.contains("AADSTS") {
                t.headline = Some((*line).to_owned());
            }
            continue;
        };
        if value.is_empty() {
            match lines.get(i) {
                Some(next) if label(next).is_none() => {
                    value = next;
                    i += 1;
                }
                _ => continue,
            }
        }
        let slot = match field {
            Field::RequestId => &mut t.request_id,
            Field::CorrelationId => &mut t.correlation_id,
            Field::Timestamp => &mut t.timestamp,
            Field::Message => &mut t.message,
            Field::ErrorCode => &mut t.error_code,
            Field::AppName => &mut t.app_name,
            Field::AppId => &mut t.app_id,
            Field::IpAddress => &mut t.ip_address,
            Field::DeviceIdentifier => &mut t.device_identifier,
            Field::DevicePlatform => &mut t.device_platform,
            Field::DeviceState => &mut t.device_state,
            Field::Ignored => continue,
        };
        slot.get_or_insert_with(|| value.to_owned());
    }
    if t.request_id.is_none() && t.correlation_id.is_none() && t.error_code.is_none() {
        return None;
    }
    t.timestamp_utc = t.timestamp.as_deref().and_then(parse_time);
    if t.headline.as_deref() == t.message.as_deref() {
        t.headline = None;
    }
    Some(t)
}

/// RFC 3339, or Entra's `2016-01-09 02:02:12Z` trailer form.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_block() {
        let text = "Sorry, but we're having trouble signing you in.\n\
            AADSTS900023: Specified tenant identifier 'x' is neither a valid DNS name.\n\
            Troubleshooting details\nIf you contact your administrator, send this info to them.\n\
            Copy info to clipboard\nRequest Id: f187c545-0000-4000-8000-23dd2d331600\n\
            Correlation Id: 019ecfc1-0000-4000-8000-93e65fac988b\nTimestamp: 2026-06-16T09:26:36Z\n\
            Message: AADSTS900023: Specified tenant identifier 'x' is neither a valid DNS name.\n\
            Flag sign-in errors for review: Enable flagging\n";
        let t = parse(text).unwrap();
        assert_eq!(
            t.request_id.as_deref(),
            Some("f187c545-0000-4000-8000-23dd2d331600")
        );
        assert_eq!(
            t.correlation_id.as_deref(),
            Some("019ecfc1-0000-4000-8000-93e65fac988b")
        );
        assert_eq!(
            t.timestamp_utc.unwrap().to_rfc3339(),
            "2026-06-16T09:26:36+00:00"
        );
        assert!(t.message.unwrap().starts_with("AADSTS900023"));
        assert_eq!(t.headline, None, "headline equal to the message is dropped");
    }

    #[test]
    fn takes_values_from_the_next_line_when_split() {
        let t = parse("Error Code:\n53003\nDevice state:\nUnregistered\nApp id:\nRequest Id:\n")
            .unwrap();
        assert_eq!(t.error_code.as_deref(), Some("53003"));
        assert_eq!(t.device_state.as_deref(), Some("Unregistered"));
        assert_eq!(t.app_id, None, "a label is never taken as a value");
    }

    #[test]
    fn ignores_pages_without_an_identifier() {
        assert!(parse("Message: hello\nTimestamp: now\n").is_none());
        assert!(parse("").is_none());
    }

    #[test]
    fn parses_both_timestamp_forms() {
        assert!(parse_time("2026-09-03T13:32:53.761Z").is_some());
        assert!(parse_time("2016-01-09 02:02:12Z").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
