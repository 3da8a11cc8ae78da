//! The verdict: one root cause among the error findings, the entry it
//! points at, and one line of summary.

use serde::Serialize;

use crate::flow::Context;
use crate::flow::completion::{Completion, Evidence, Phase, Stop, phase_of};
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
    /// Which phase the verdict is about (`sign_in`, `sign_out`, `token_refresh`).
    pub phase: Phase,
    /// Why the sign-in counts as completed (empty unless `ok`).
    pub evidence: Vec<Evidence>,
    /// Where the sign-in stops, when it did not complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stops_at: Option<Stop>,
    /// How often the root cause repeated (a repeating pattern is blamed on
    /// its first occurrence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<usize>,
    /// Per attempt: completed or stopped, with the evidence.
    pub attempts: Vec<Completion>,
}

impl Verdict {
    /// One line for the reports: the phase, and either the completion
    /// evidence or where the sign-in stops.
    pub fn context_line(&self) -> String {
        let phase = match self.phase {
            Phase::SignIn => "sign-in",
            Phase::SignOut => "sign-out",
            Phase::TokenRefresh => "token refresh",
        };
        let mut line = format!("phase: {phase}");
        if !self.evidence.is_empty() {
            let list: Vec<String> = self
                .evidence
                .iter()
                .map(|e| format!("{} #{}", e.kind.replace('_', " "), e.entry))
                .collect();
            line.push_str(&format!(" · completed: {}", list.join(", ")));
        }
        if let Some(stop) = &self.stops_at {
            line.push_str(&format!(" · stops at #{}", stop.entry));
            if stop.capture_ends {
                line.push_str(" (the capture ends there)");
            }
        } else if self.status != Status::Ok
            && let Some(e) = self.entry
        {
            line.push_str(&format!(" · fails at #{e}"));
        }
        if let Some(n) = self.repeats {
            line.push_str(&format!(" · repeats \u{d7}{n}"));
        }
        line
    }
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
            let mut summary = match failures {
                0 => format!("Sign-in succeeded (#{ok_entry})."),
                1 => format!("Sign-in failed once, then succeeded (#{ok_entry})."),
                2 => format!("Sign-in failed twice, then succeeded (#{ok_entry})."),
                n => format!("Sign-in failed {n} times, then succeeded (#{ok_entry})."),
            };
            let evidence = ctx
                .completions
                .iter()
                .rev()
                .find(|c| c.completed && c.entry == Some(ok_entry))
                .map(|c| c.evidence.clone())
                .unwrap_or_default();
            if evidence.iter().any(|e| e.kind == "hops_not_recorded") {
                summary.push_str(
                    " The exporter did not record the redirect hops (status 0, no headers); the app's later requests answering 2xx show it completed.",
                );
            }
            return Verdict {
                status: Status::Ok,
                category: Category::Ok,
                subcategory: None,
                code: None,
                entry: Some(ok_entry),
                summary,
                phase: Phase::SignIn,
                evidence,
                stops_at: None,
                repeats: None,
                attempts: ctx.completions.clone(),
            };
        }
    }
    // After a completed sign-in, what failed before it was recovered from:
    // the root cause is among the errors from that point on (a refused
    // sign-out, a later step), not the attempt that was retried.
    let recovered = |f: &Finding| succeeded_at.is_some_and(|ok| f.entry.is_some_and(|e| e < ok));
    let root = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.severity == Severity::Error && !recovered(f))
        .min_by_key(|(_, f)| (f.category.precedence(), f.entry.unwrap_or(u32::MAX)))
        .map(|(i, _)| i);
    if let Some(i) = root {
        let occurrences = findings
            .get(i)
            .map(|f| first_of_pattern(ctx, findings, f))
            .unwrap_or_default();
        let (entry, repeats) = match occurrences.as_slice() {
            [first, _, ..] => (Some(*first), Some(occurrences.len())),
            _ => (findings.get(i).and_then(|f| f.entry), None),
        };
        // The root finding points at the first occurrence and lists them all.
        if let (Some(f), Some(n)) = (findings.get_mut(i), repeats) {
            let list: Vec<String> = occurrences.iter().map(|e| format!("#{e}")).collect();
            if !f.message.ends_with('.') {
                f.message.push('.');
            }
            f.message.push_str(&format!(
                " The same failure occurs {n} times ({}); the first is blamed.",
                list.join(", ")
            ));
            f.entry = entry;
            f.evidence
                .insert("occurrences".into(), serde_json::json!(occurrences));
        }
        if let Some(f) = findings.get(i) {
            let phase = entry
                .and_then(|e| ctx.capture.entry(e))
                .map_or(Phase::SignIn, |e| phase_of(ctx, e));
            let stop = ctx
                .completions
                .iter()
                .rev()
                .find(|c| !c.completed)
                .and_then(|c| c.stop.clone())
                .filter(|_| f.category == Category::Incomplete);
            let mut code = code_of(f).map(|c| format!(" ({c})")).unwrap_or_default();
            if let Some(q) = f.evidence.get("quote").and_then(|q| q.as_str()) {
                let q = q.trim_end_matches('.');
                code.push_str(&format!(": \u{201c}{q}\u{201d}"));
            }
            let times = repeats
                .map(|n| format!(" It repeats \u{d7}{n}; the first occurrence is blamed."))
                .unwrap_or_default();
            // Issue 17: the error's meaning in plain words, code in brackets.
            let what = plain_meaning(f).map_or_else(|| lower_first(&f.title), str::to_owned);
            let mut summary = match entry {
                _ if f.category == Category::Incomplete => f.message.clone(),
                Some(e) if !ctx.messages.is_empty() || phase != Phase::SignIn => {
                    format!("{} failed at #{e}: {what}{code}.", phase.label())
                }
                Some(e) => format!("Failed at #{e}: {what}{code}."),
                None => format!("{}{code}.", upper_first(&what)),
            };
            if phase != Phase::SignIn
                && let Some(done) = ctx
                    .completions
                    .iter()
                    .filter(|c| c.completed && c.phase == Phase::SignIn)
                    .filter_map(|c| c.entry)
                    .find(|d| entry.is_none_or(|e| *d < e))
            {
                summary.push_str(&format!(" The sign-in itself completed (#{done})."));
            }
            summary.push_str(&times);
            return Verdict {
                status: if matches!(f.category, Category::CaptureQuality | Category::Incomplete) {
                    Status::Inconclusive
                } else {
                    Status::Failed
                },
                category: f.category,
                subcategory: f.subcategory.clone(),
                code: Some(f.code),
                entry,
                summary,
                phase,
                evidence: Vec::new(),
                stops_at: stop,
                repeats,
                attempts: ctx.completions.clone(),
            };
        }
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
            phase: Phase::SignIn,
            evidence: Vec::new(),
            stops_at: None,
            repeats: None,
            attempts: ctx.completions.clone(),
        };
    }
    // No error and no completed sign-in. With no sign-in attempt at all
    // there is nothing to judge; an attempt without completion evidence was
    // reported by `sign-in-incomplete`. Either way: never `ok` without proof.
    let completed = ctx.completions.iter().any(|c| c.completed);
    let evidence = ctx
        .completions
        .iter()
        .rev()
        .find(|c| c.completed)
        .map(|c| c.evidence.clone())
        .unwrap_or_default();
    Verdict {
        status: if completed {
            Status::Ok
        } else {
            Status::Inconclusive
        },
        category: if completed {
            Category::Ok
        } else {
            Category::Incomplete
        },
        subcategory: None,
        code: None,
        entry: None,
        summary: if completed {
            "No sign-in failure found in the identity traffic.".to_owned()
        } else if ctx.messages.is_empty() {
            "No sign-in failure found, and no sign-in attempt to judge.".to_owned()
        } else {
            "No sign-in failure found, but the capture does not show a sign-in completed."
                .to_owned()
        },
        phase: Phase::SignIn,
        evidence,
        stops_at: None,
        repeats: None,
        attempts: ctx.completions.clone(),
    }
}

/// The occurrences of a repeating pattern, in order: the messages carrying
/// the same error at the same endpoint and the findings with the same code
/// at the same endpoint. The verdict blames the first.
fn first_of_pattern(ctx: &Context<'_, '_>, findings: &[Finding], root: &Finding) -> Vec<u32> {
    let Some(entry) = root.entry else {
        return Vec::new();
    };
    let endpoint = |n: u32| {
        ctx.capture
            .entry(n)
            .and_then(|e| e.request.parsed_url.as_ref())
            .map(|u| format!("{}{}", u.host_str().unwrap_or_default(), u.path()))
    };
    let here = endpoint(entry);
    let mut same: Vec<u32> = findings
        .iter()
        .filter(|f| f.code == root.code && f.entry.is_some_and(|e| endpoint(e) == here))
        .filter_map(|f| f.entry)
        .collect();
    let error = ctx
        .messages_at(entry)
        .find(|m| m.message.is_error())
        .and_then(|m| m.message.error_info());
    if let Some(info) = error {
        same.extend(
            ctx.messages
                .iter()
                .filter(|m| m.place.is_sent() && endpoint(m.entry) == here)
                // The same error: its code and, for Entra, its AADSTS codes
                // (`invalid_request` carries dozens of different failures).
                .filter(|m| {
                    m.message
                        .error_info()
                        .is_some_and(|i| i.code == info.code && i.aadsts == info.aadsts)
                })
                .map(|m| m.entry),
        );
    }
    same.sort_unstable();
    same.dedup();
    same
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
