//! The analysis of one capture: decode → context → rules → verdict and
//! ticket. Pure: borrows the capture, does no I/O, deterministic output.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::capture::{Capture, Headers, Limits};
use crate::flow::Context;
use crate::rules::{self, Category, Finding, Severity};

/// Overall outcome (`verdict.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
    Inconclusive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Inconclusive => "inconclusive",
        }
    }
}

/// The verdict: one root cause, the entry it points at, one line of summary.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub status: Status,
    pub category: Category,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    pub code: Option<&'static str>,
    pub entry: Option<u32>,
    pub summary: String,
}

/// A ticket value and where it was found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Sourced {
    pub value: String,
    /// Entry number it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    /// Where in that entry (`x-ms-request-id header`, `$Config.correlationId`…).
    pub source: String,
}

/// An error code with its one-line meaning.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: String,
    pub meaning: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
}

/// What support pastes into the ticket to search the IdP's logs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ticket {
    pub error_codes: Vec<ErrorCode>,
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
    pub timezone: Option<String>,
    pub idp: Option<String>,
    pub exporter: Option<String>,
    /// Where each value above was found, by key.
    pub sources: BTreeMap<String, Sourced>,
}

/// Everything known about one capture after analysis.
#[derive(Debug)]
pub struct Analysis<'c, 'a> {
    pub ctx: Context<'c, 'a>,
    pub findings: Vec<Finding>,
    pub verdict: Verdict,
    pub ticket: Ticket,
}

/// Analyses a capture.
pub fn analyze<'c, 'a>(capture: &'c Capture<'a>, limits: Limits) -> Analysis<'c, 'a> {
    analyze_with(capture, limits, &crate::signature::Trust::default())
}

/// [`analyze`] with trust material (`--idp-cert`, `--sp-key`).
pub fn analyze_with<'c, 'a>(
    capture: &'c Capture<'a>,
    limits: Limits,
    trust: &crate::signature::Trust,
) -> Analysis<'c, 'a> {
    let ctx = Context::build_with(capture, limits, trust);
    let mut findings = rules::run(&ctx);
    findings.sort_by(|a, b| (a.entry.unwrap_or(0), a.code).cmp(&(b.entry.unwrap_or(0), b.code)));
    let verdict = verdict(&ctx, &mut findings);
    // The root cause first, then errors, warnings and notes, each by entry.
    findings.sort_by_key(|f| {
        let root = verdict.code == Some(f.code) && verdict.entry == f.entry;
        (
            !root,
            std::cmp::Reverse(f.severity),
            f.entry.unwrap_or(0),
            f.code,
        )
    });
    let ticket = ticket(&ctx, &verdict, &findings);
    Analysis {
        ctx,
        findings,
        verdict,
        ticket,
    }
}

/// Picks the root cause among the error findings.
///
/// Precedence ([`Category::precedence`]) orders causes before symptoms;
/// among equals the earliest entry wins. When the capture's last sign-in
/// attempt succeeded, earlier failures become warnings and the verdict is
/// `ok` ("failed twice, then succeeded").
fn verdict(ctx: &Context<'_, '_>, findings: &mut [Finding]) -> Verdict {
    // A loop means the "success" was never really accepted: the app keeps
    // starting over.
    let looping = findings
        .iter()
        .any(|f| f.category == Category::RedirectLoop && f.severity == Severity::Error);
    let succeeded_at = ctx.last_success().filter(|_| !looping);
    if let Some(ok_entry) = succeeded_at {
        let earlier: Vec<u32> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.entry.is_some_and(|e| e < ok_entry))
            .filter_map(|f| f.entry)
            .collect();
        let later_errors = findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.entry.is_none_or(|e| e >= ok_entry));
        if !later_errors {
            for f in findings
                .iter_mut()
                .filter(|f| f.severity == Severity::Error)
            {
                f.severity = Severity::Warning;
            }
            let failures = ctx
                .failed_attempts_before(ok_entry)
                .max(usize::from(!earlier.is_empty()));
            let summary = match failures {
                0 => format!("Sign-in succeeded (#{ok_entry})."),
                1 => format!("Sign-in failed once, then succeeded (#{ok_entry})."),
                2 => format!("Sign-in failed twice, then succeeded (#{ok_entry})."),
                n => format!("Sign-in failed {n} times, then succeeded (#{ok_entry})."),
            };
            return Verdict {
                status: Status::Ok,
                category: Category::Ok,
                subcategory: None,
                code: None,
                entry: Some(ok_entry),
                summary,
            };
        }
    }
    let root = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .min_by_key(|f| (f.category.precedence(), f.entry.unwrap_or(u32::MAX)));
    if let Some(f) = root {
        return Verdict {
            status: if f.category == Category::CaptureQuality {
                Status::Inconclusive
            } else {
                Status::Failed
            },
            category: f.category,
            subcategory: f.subcategory.clone(),
            code: Some(f.code),
            entry: f.entry,
            summary: {
                let code = code_of(f).map(|c| format!(" ({c})")).unwrap_or_default();
                match f.entry {
                    Some(e) if !ctx.messages.is_empty() => {
                        format!("Sign-in failed at #{e}: {}{code}.", lower_first(&f.title))
                    }
                    Some(e) => format!("Failed at #{e}: {}{code}.", lower_first(&f.title)),
                    None => format!("{}{code}.", f.title),
                }
            },
        };
    }
    // No error: promote an embedded-browser warning when the flow never
    // completed, else judge whether the capture can show a sign-in at all.
    let quality = findings
        .iter()
        .filter(|f| f.category == Category::CaptureQuality)
        .min_by_key(|f| f.entry.unwrap_or(0));
    if (ctx.messages.is_empty() || ctx.capture.is_truncated())
        && let Some(f) = quality
    {
        return Verdict {
            status: Status::Inconclusive,
            category: Category::CaptureQuality,
            subcategory: None,
            code: Some(f.code),
            entry: f.entry,
            summary: format!("Cannot judge the sign-in: {}.", lower_first(&f.title)),
        };
    }
    Verdict {
        status: Status::Ok,
        category: Category::Ok,
        subcategory: None,
        code: None,
        entry: None,
        summary: if ctx.messages.is_empty() {
            "No sign-in failure found.".to_owned()
        } else {
            "No sign-in failure found in the identity traffic.".to_owned()
        },
    }
}

/// The error code a finding carries (`AADSTS50011`, `access_denied`).
fn code_of(f: &Finding) -> Option<String> {
    if let Some(serde_json::Value::Array(codes)) = f.evidence.get("aadsts") {
        let codes: Vec<&str> = codes.iter().filter_map(|c| c.as_str()).collect();
        if !codes.is_empty() {
            return Some(codes.join(", "));
        }
    }
    f.evidence
        .get("error")
        .and_then(|e| e.as_str())
        .filter(|e| !e.contains(' ') || e.contains('>'))
        .map(str::to_owned)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !c.clone().next().is_some_and(char::is_uppercase) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

/// Builds the ticket block from the verdict's entry outwards.
fn ticket(ctx: &Context<'_, '_>, verdict: &Verdict, findings: &[Finding]) -> Ticket {
    let mut t = Ticket::default();
    let focus = verdict.entry;
    for id in ctx.ids_near(focus) {
        let slot = match id.kind {
            crate::flow::IdKind::Correlation => &mut t.correlation_id,
            crate::flow::IdKind::Request => &mut t.request_id,
            crate::flow::IdKind::Tenant => &mut t.tenant_id,
            crate::flow::IdKind::User => &mut t.user,
            crate::flow::IdKind::App => &mut t.app,
            crate::flow::IdKind::Idp => &mut t.idp,
        };
        if slot.is_none() {
            *slot = Some(id.value.clone());
            t.sources.insert(
                id.kind.key().to_owned(),
                Sourced {
                    value: id.value,
                    entry: Some(id.entry),
                    source: id.source,
                },
            );
        }
    }
    for code in ctx.error_codes_near(focus) {
        if !t.error_codes.iter().any(|c| c.code == code.code) {
            t.error_codes.push(code);
        }
    }
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
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
        if s.zone_known {
            t.local_time = Some(format!(
                "{} ({})",
                s.time.format("%Y-%m-%d %H:%M:%S"),
                crate::report::offset_label(s.time.offset())
            ));
            t.timezone = Some(crate::report::offset_label(s.time.offset()));
        }
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
            },
        );
    }
    t.exporter = Some(crate::report::describe_exporter(ctx.capture));
    t
}

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
