//! The timeline: one row per exchange, the facts a reader scans first
//! (number, time, method, status, host, short path, size) plus which
//! identity messages the exchange carries and which party it talks to.
//!
//! Pure: borrows the capture, does no I/O, costs no body decoding (sizes come
//! from what the exporter declared or the recorded length).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::capture::{Capture, Exchange, Started};

/// Who an exchange talks to, by protocol role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The identity provider (receives sign-in requests, issues responses).
    Idp,
    /// The application (starts sign-in, receives the response).
    App,
    /// Anything else (static content, telemetry, other sites).
    Other,
}

/// One exchange as the timeline shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'c> {
    pub entry: u32,
    #[serde(serialize_with = "started_rfc3339")]
    pub started: Option<Started>,
    pub method: &'c str,
    #[serde(serialize_with = "crate::secret::serialize_shown")]
    pub url: &'c str,
    pub status: u16,
    pub party: Party,
    /// Kinds of identity messages decoded in this exchange.
    pub messages: Vec<&'static str>,
    #[serde(skip)]
    pub host: &'c str,
    #[serde(skip)]
    pub path: &'c str,
    /// Response body size in bytes as declared or recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<&'c str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tunnel: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'c str>,
}

impl Row<'_> {
    /// Whether the row belongs in the identity-only view.
    pub fn is_identity(&self) -> bool {
        !self.messages.is_empty() || self.party != Party::Other
    }
}

fn started_rfc3339<S: serde::Serializer>(s: &Option<Started>, ser: S) -> Result<S::Ok, S::Error> {
    match s {
        Some(st) => {
            ser.serialize_str(&st.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        }
        None => ser.serialize_none(),
    }
}

/// What the decode / flow stages learnt per entry; empty before they ran.
#[derive(Debug, Default, Clone)]
pub struct Annotations {
    pub messages: BTreeMap<u32, Vec<&'static str>>,
    pub parties: BTreeMap<u32, Party>,
}

/// The rows of a capture, in capture order.
pub fn rows<'c>(capture: &'c Capture<'_>, notes: &Annotations) -> Vec<Row<'c>> {
    capture.exchanges.iter().map(|e| row(e, notes)).collect()
}

fn row<'c>(e: &'c Exchange<'_>, notes: &Annotations) -> Row<'c> {
    let (host, path) = host_and_path(e);
    let response = e.response.as_ref();
    let body = response.and_then(|r| r.body.as_ref());
    let messages = notes.messages.get(&e.index).cloned().unwrap_or_default();
    let party = notes
        .parties
        .get(&e.index)
        .copied()
        .unwrap_or_else(|| host_party(host));
    Row {
        entry: e.index,
        started: e.started,
        method: e.request.method.as_ref(),
        url: e.request.url.as_ref(),
        status: e.status(),
        party,
        messages,
        host,
        path,
        size: body.map(|b| b.declared_size.unwrap_or(b.recorded_len() as u64)),
        mime_type: body.and_then(|b| b.mime_type.as_deref()),
        tunnel: e.is_tunnel(),
        error: e.error.as_deref(),
    }
}

/// Host and path-with-query, borrowed from the recorded URL.
fn host_and_path<'c>(e: &'c Exchange<'_>) -> (&'c str, &'c str) {
    let url = e.request.url.as_ref();
    if e.is_tunnel() {
        return (url, "");
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    }
}

/// Hosts that are identity providers whatever the flow looks like. A hint
/// only: the flow stage decides by protocol role.
pub fn host_party(host: &str) -> Party {
    if crate::decode::hosts::is_known_idp_host(host) {
        Party::Idp
    } else {
        Party::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_idp_hosts_are_hints() {
        assert_eq!(host_party("login.microsoftonline.com"), Party::Idp);
        assert_eq!(host_party("contoso.okta.com:443"), Party::Idp);
        assert_eq!(host_party("app.contoso.com"), Party::Other);
        assert_eq!(host_party("notokta.com"), Party::Other);
    }
}
