//! The verdict: one root cause among the error findings, the entry it
//! points at, and one line of summary.

use serde::Serialize;

use crate::flow::Context;
use crate::rules::{Category, Finding, Severity};

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

/// Picks the root cause among the error findings.
///
/// Precedence ([`Category::precedence`]) orders causes before symptoms;
/// among equals the earliest entry wins. When the capture's last sign-in
/// attempt succeeded, earlier failures become warnings and the verdict is
/// `ok` ("failed twice, then succeeded").
pub(super) fn verdict(ctx: &Context<'_, '_>, findings: &mut [Finding]) -> Verdict {
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
                // Issue 17: the error's meaning in plain words, code in brackets.
                let what = plain_meaning(f).map_or_else(|| lower_first(&f.title), str::to_owned);
                match f.entry {
                    Some(e) if !ctx.messages.is_empty() => {
                        format!("Sign-in failed at #{e}: {what}{code}.")
                    }
                    Some(e) => format!("Failed at #{e}: {what}{code}."),
                    None => format!("{}{code}.", upper_first(&what)),
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

/// The error code a finding carries (`AADSTS50011`, `MSIS7042`,
/// `access_denied`).
pub(super) fn code_of(f: &Finding) -> Option<String> {
    if let Some(serde_json::Value::Array(codes)) = f.evidence.get("aadsts") {
        let codes: Vec<&str> = codes.iter().filter_map(|c| c.as_str()).collect();
        if !codes.is_empty() {
            return Some(codes.join(", "));
        }
    }
    f.evidence
        .get("idp_code")
        .or_else(|| f.evidence.get("error"))
        .and_then(|e| e.as_str())
        .filter(|e| !e.contains(' ') || e.contains('>'))
        .map(str::to_owned)
}

/// The plain-words meaning of the IdP-specific code a finding carries
/// ("wrong user name or password" for AADSTS50126), else that of its
/// sub-category. Protocol-level words
/// (`access_denied`, SAML `Responder`) are too broad to replace the rule's
/// own title.
fn plain_meaning(f: &Finding) -> Option<&'static str> {
    code_of(f)?
        .split(", ")
        .filter_map(crate::decode::remediation::lookup_reported)
        .find(|r| r.family.is_specific())
        .or_else(|| {
            // No specific code: an IdP error's sub-category still says it
            // in plain words ("the user is not assigned to the app …").
            f.subcategory
                .as_deref()
                .and_then(crate::decode::remediation::for_category)
        })
        .map(|r| r.meaning)
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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
