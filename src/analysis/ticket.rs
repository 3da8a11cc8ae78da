//! The ticket block: what support pastes into a case to search the IdP's
//! logs, each value with the entry and place it was found.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::Verdict;
use super::timezone::Zone;
use crate::capture::Headers;
use crate::decode::ids::{CodeFact, IdKind};
use crate::flow::Context;
use crate::rules::{Finding, Severity};

/// A ticket value and where it was found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Sourced {
    pub value: String,
    /// Entry number it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    /// Where in that entry (`x-ms-request-id header`, `$Config.correlationId`…).
    pub source: String,
    /// Typed by the user (a login field), not issued by a server.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub typed: bool,
}

/// An identifier seen in the capture besides the one the ticket shows for
/// its key (a request ID of another step, the user name typed before the
/// one the IdP issued…), farthest from the failing step last.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OtherId {
    /// The ticket key it would fill (`request_id`, `user`…).
    pub key: &'static str,
    #[serde(flatten)]
    pub sourced: Sourced,
}

/// What support pastes into the ticket to search the IdP's logs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ticket {
    pub error_codes: Vec<CodeFact>,
    pub correlation_id: Option<String>,
    pub request_id: Option<String>,
    /// Failure time, RFC 3339 UTC.
    pub timestamp: Option<String>,
    /// The same moment in the user's time zone.
    pub local_time: Option<String>,
    pub tenant_id: Option<String>,
    pub user: Option<String>,
    pub app: Option<String>,
    pub browser: Option<String>,
    /// The user's time zone, only when the capture shows it (`UTC+02:00`,
    /// or a zone name the browser sent); `null` otherwise.
    pub timezone: Option<String>,
    /// Why the zone is unknown, when it is (and that the user must be asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone_note: Option<String>,
    pub idp: Option<String>,
    pub exporter: Option<String>,
    /// Where each value above was found, by key.
    pub sources: BTreeMap<String, Sourced>,
    /// Other correlation / request IDs, tenants and users the capture shows.
    pub other_ids: Vec<OtherId>,
}

/// Most entries in [`Ticket::other_ids`].
const MAX_OTHER_IDS: usize = 12;

/// Builds the ticket block from the verdict's entry outwards.
pub(super) fn ticket(ctx: &Context<'_, '_>, verdict: &Verdict, findings: &[Finding]) -> Ticket {
    let mut t = Ticket::default();
    let focus = verdict.entry;
    for id in ctx.ids_near(focus) {
        let slot = match id.kind {
            IdKind::Correlation => &mut t.correlation_id,
            IdKind::Request => &mut t.request_id,
            IdKind::Tenant => &mut t.tenant_id,
            IdKind::User => &mut t.user,
            IdKind::App => &mut t.app,
            IdKind::Idp => &mut t.idp,
        };
        let sourced = Sourced {
            value: id.value.clone(),
            entry: Some(id.entry),
            source: id.source,
            typed: id.typed,
        };
        if slot.is_none() {
            *slot = Some(id.value);
            t.sources.insert(id.kind.key().to_owned(), sourced);
        } else if matches!(
            id.kind,
            IdKind::Correlation | IdKind::Request | IdKind::Tenant | IdKind::User
        ) && slot.as_deref() != Some(id.value.as_str())
            && !t.other_ids.iter().any(|o| o.sourced.value == id.value)
            && t.other_ids.len() < MAX_OTHER_IDS
        {
            t.other_ids.push(OtherId {
                key: id.kind.key(),
                sourced,
            });
        }
    }
    for mut code in ctx.error_codes_near(focus) {
        // A protocol word (`access_denied`) at the verdict's step: its
        // sub-category ("not assigned") says better who acts.
        if code.entry == focus
            && let Some(row) = verdict
                .subcategory
                .as_deref()
                .and_then(crate::decode::remediation::for_category)
            && !crate::decode::remediation::lookup_reported(&code.code)
                .is_some_and(|r| r.family.is_specific())
        {
            code.who = row.who.clone();
        }
        if !t.error_codes.iter().any(|c| c.code == code.code) {
            t.error_codes.push(code);
        }
    }
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
        // Codes a rule found outside any decoded message (an API's
        // `WWW-Authenticate`, an app's JSON error) belong in the ticket too.
        let codes = f.evidence.get("aadsts").and_then(|v| v.as_array());
        for code in codes.into_iter().flatten().filter_map(|c| c.as_str()) {
            let Some(n) = crate::decode::aadsts::parse_code(code) else {
                continue;
            };
            let code = format!("AADSTS{n}");
            if t.error_codes.iter().any(|c| c.code == code) {
                continue;
            }
            t.error_codes.push(CodeFact {
                meaning: crate::decode::aadsts::lookup(n).map_or_else(
                    || "not in our AADSTS table".to_owned(),
                    |i| i.description.to_owned(),
                ),
                entry: f.entry,
                who: crate::decode::remediation::aadsts_who(n).to_vec(),
                code,
            });
        }
        for (k, v) in &f.ids {
            let slot = match k.as_str() {
                "correlation_id" => &mut t.correlation_id,
                "request_id" | "trace_id" => &mut t.request_id,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(v.clone());
            }
        }
    }
    let when = focus
        .and_then(|n| ctx.capture.entry(n))
        .and_then(|e| e.started)
        .or_else(|| ctx.exchanges().last().and_then(|e| e.started));
    if let Some(s) = when {
        t.timestamp = Some(utc(&s.time));
    }
    match super::timezone::user_zone(ctx.capture, focus, &ctx.limits) {
        Zone::Known {
            label,
            offset,
            entry,
            source,
        } => {
            if let (Some(s), Some(offset)) = (when, offset) {
                t.local_time = Some(format!(
                    "{} ({label})",
                    s.time.with_timezone(&offset).format("%Y-%m-%d %H:%M:%S")
                ));
            }
            t.sources.insert(
                "timezone".to_owned(),
                Sourced {
                    value: label.clone(),
                    entry: Some(entry),
                    source,
                    typed: false,
                },
            );
            t.timezone = Some(label);
        }
        Zone::Unknown { note } => t.timezone_note = Some(note),
    }
    let ua_entry = focus
        .and_then(|n| ctx.capture.entry(n))
        .filter(|e| e.request.header("user-agent").is_some())
        .or_else(|| {
            ctx.exchanges()
                .iter()
                .find(|e| e.request.header("user-agent").is_some())
        });
    if let Some(e) = ua_entry
        && let Some(ua) = e.request.header("user-agent")
    {
        t.browser = Some(crate::flow::browser::describe(ua));
        t.sources.insert(
            "browser".to_owned(),
            Sourced {
                value: ua.to_owned(),
                entry: Some(e.index),
                source: "User-Agent header".to_owned(),
                typed: false,
            },
        );
    }
    t.exporter = Some(crate::capture::describe_exporter(ctx.capture));
    t
}

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
