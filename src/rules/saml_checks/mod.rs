//! What a SAML service provider checks in a Response, redone from the trace
//! (../shared/reference/failure-detection.md S1–S7): Destination and
//! Recipient against the URL the Response was posted to, Audience against
//! the SP's entity ID, the validity window against the clocks in the trace,
//! and the signatures.
//!
//! Each check runs on Responses as delivered to the app (the browser's POST
//! to the ACS). A mismatch is an error when the app then refused the
//! Response, a warning when it accepted it anyway.

mod clock_skew;
mod saml_audience_mismatch;
mod saml_destination_mismatch;
mod saml_signature_missing;
mod saml_signing_certificate;

pub use clock_skew::CLOCK_SKEW;
pub use saml_audience_mismatch::AUDIENCE_MISMATCH;
pub use saml_destination_mismatch::DESTINATION_MISMATCH;
pub use saml_signature_missing::SIGNATURE_MISSING;
pub use saml_signing_certificate::SIGNING_CERT;

use chrono::{DateTime, Utc};

use crate::capture::Headers;
use crate::decode::saml::{Response, SamlMessage};
use crate::decode::{Found, Message};
use crate::flow::Context;
use crate::rules::Finding;

/// Delivered SAML Responses: (message index, found, response).
fn delivered<'c>(ctx: &'c Context<'_, '_>) -> Vec<(usize, &'c Found, &'c Response)> {
    ctx.messages
        .iter()
        .enumerate()
        .filter(|(_, f)| f.place.is_sent())
        .filter_map(|(i, f)| match &f.message {
            Message::Saml(SamlMessage::Response(r)) => Some((i, f, r)),
            _ => None,
        })
        .collect()
}

/// Describes how two URLs differ, `None` when they are the same URL
/// (scheme and host case-insensitive, default ports implied).
pub fn url_difference(expected: &str, actual: &str) -> Option<String> {
    let (Ok(a), Ok(b)) = (url::Url::parse(expected), url::Url::parse(actual)) else {
        return (expected != actual).then(|| "the values differ".to_owned());
    };
    let mut diffs = Vec::new();
    if a.scheme() != b.scheme() {
        diffs.push(format!("scheme {} vs {}", a.scheme(), b.scheme()));
    }
    if a.host_str() != b.host_str() {
        diffs.push(format!(
            "host {} vs {}",
            a.host_str().unwrap_or_default(),
            b.host_str().unwrap_or_default()
        ));
    }
    if a.port_or_known_default() != b.port_or_known_default() {
        diffs.push(format!(
            "port {} vs {}",
            a.port_or_known_default().unwrap_or_default(),
            b.port_or_known_default().unwrap_or_default()
        ));
    }
    if a.path() != b.path() {
        let (pa, pb) = (a.path(), b.path());
        if pa.trim_end_matches('/') == pb.trim_end_matches('/') {
            diffs.push("trailing slash".to_owned());
        } else if pa.eq_ignore_ascii_case(pb) {
            diffs.push(format!("path case {pa} vs {pb}"));
        } else {
            diffs.push(format!("path {pa} vs {pb}"));
        }
    }
    (!diffs.is_empty()).then(|| diffs.join(", "))
}

/// Seconds of slack allowed for `Date`'s one-second resolution.
const DATE_RESOLUTION: i64 = 1;

/// The IdP's `Date` on the page that issued the Response delivered at `entry`.
fn idp_date(ctx: &Context<'_, '_>, entry: u32) -> Option<DateTime<Utc>> {
    let issued = ctx
        .messages
        .iter()
        .rfind(|m| m.entry < entry && !m.place.is_sent() && m.message.is_idp_answer())?;
    let e = ctx.capture.entry(issued.entry)?;
    crate::rules::date_header(e.response.as_ref()?.header("date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_url_differences() {
        assert_eq!(url_difference("https://a/acs", "https://A:443/acs"), None);
        assert_eq!(
            url_difference("https://a/acs/", "https://a/acs").as_deref(),
            Some("trailing slash")
        );
        assert_eq!(
            url_difference("http://a/acs", "https://a/acs").as_deref(),
            Some("scheme http vs https, port 80 vs 443")
        );
        assert_eq!(
            url_difference("https://a/ACS", "https://a/acs").as_deref(),
            Some("path case /ACS vs /acs")
        );
    }
}
