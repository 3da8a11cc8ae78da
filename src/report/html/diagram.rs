//! The sequence diagram of the sign-in, as inline SVG: a lane per party (the
//! browser, then each host the identity steps talk to, named by host and
//! role), one request arrow and one answer arrow per step, labelled with the
//! protocol message each carried; repeated steps and loops folded (`×4`);
//! attempts one under another; the verdict's step highlighted with the
//! verdict. Entry numbers link to the step's details (`#eN`).
//!
//! Every label is text from the capture and goes through [`esc`]; paths have
//! secret parameters masked.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{HtmlOptions, esc, shown_url};
use crate::analysis::{Analysis, Status};
use crate::decode::{Found, Message, oidc::OidcMessage, saml::SamlMessage};
use crate::flow::attempts::{Attempt, Outcome};
use crate::report::timeline::shorten;
use crate::timeline::{Party, Row};

/// Hosts drawn as lanes of their own; the rest share one "other hosts" lane.
const MAX_LANES: usize = 8;
/// Steps drawn after folding; the rest are listed under "Identity steps".
const MAX_STEPS: usize = 150;
/// Longest loop folded into `×N` (A→B→C→A→B→C…).
const MAX_PERIOD: usize = 3;

const LEFT: f64 = 96.0;
const LANE_W: f64 = 190.0;
const HEAD_H: f64 = 58.0;
const STEP_H: f64 = 48.0;
const NOTE_H: f64 = 20.0;
const ATTEMPT_H: f64 = 26.0;

/// One drawn step (possibly several folded entries).
#[derive(Debug, Clone)]
struct Step {
    entries: Vec<u32>,
    lane: usize,
    request: String,
    answer: String,
    /// `break`, `done`, `err` or empty.
    class: &'static str,
    attempt: Option<usize>,
    /// The last attempt a folded step covers.
    attempt_last: Option<usize>,
    /// Times this step (or the loop it starts) repeats.
    times: usize,
    /// Length of the folded loop (1 for a plain repeat).
    period: usize,
}

impl Step {
    /// What makes two steps "the same" for folding: the attempt is left
    /// out, so a loop that starts a new attempt each round folds too.
    fn key(&self) -> (usize, &str, &str, &'static str) {
        (self.lane, &self.request, &self.answer, self.class)
    }
}

/// A party lane.
#[derive(Debug)]
struct Lane {
    name: String,
    role: Party,
}

/// Writes the diagram section.
pub(super) fn write(
    w: &mut dyn Write,
    a: &Analysis<'_, '_>,
    rows: &[Row<'_>],
    opts: &HtmlOptions,
) -> io::Result<()> {
    let picked: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.is_identity() || a.verdict.entry == Some(r.entry))
        .collect();
    let (lanes, lane_of) = lanes(&picked, rows);
    let by_entry = messages_by_entry(&a.ctx.messages);
    let steps: Vec<Step> = picked
        .iter()
        .map(|r| {
            let msgs = by_entry.get(&r.entry).map(Vec::as_slice).unwrap_or(&[]);
            Step {
                entries: vec![r.entry],
                lane: lane_of.get(host_key(r.host).as_str()).copied().unwrap_or(1),
                request: request_label(r, msgs, opts.show_secrets),
                answer: answer_label(r, msgs),
                class: super::step_class(a, r),
                attempt: attempt_of(&a.ctx.attempts, r.entry),
                attempt_last: attempt_of(&a.ctx.attempts, r.entry),
                times: 1,
                period: 1,
            }
        })
        .collect();
    let mut steps = fold(steps);
    let hidden = steps.len().saturating_sub(MAX_STEPS);
    steps.truncate(MAX_STEPS);
    writeln!(
        w,
        "<section id=\"diagram\"><h2>Sign-in sequence</h2><div class=\"diagram-wrap\">"
    )?;
    let svg = render(a, &lanes, &steps, hidden);
    w.write_all(svg.as_bytes())?;
    writeln!(w, "</div></section>")
}

/// Lanes: the browser, then each host in order of first appearance among
/// the steps (capped), with its role. When no step is an identity step, the
/// first hosts of the capture are drawn so the reader still sees who the
/// browser talked to.
fn lanes(picked: &[&Row<'_>], all: &[Row<'_>]) -> (Vec<Lane>, BTreeMap<String, usize>) {
    let mut lanes = vec![Lane {
        name: "browser".to_owned(),
        role: Party::Other,
    }];
    let mut lane_of: BTreeMap<String, usize> = BTreeMap::new();
    let source: Vec<&Row<'_>> = if picked.is_empty() {
        all.iter().collect()
    } else {
        picked.to_vec()
    };
    let mut overflow = None;
    for r in source {
        let host = host_key(r.host);
        if let Some(&i) = lane_of.get(&host) {
            if let Some(l) = lanes.get_mut(i) {
                l.role = stronger(l.role, r.party);
            }
            continue;
        }
        if lanes.len() > MAX_LANES {
            if picked.is_empty() {
                break;
            }
            let i = *overflow.get_or_insert_with(|| {
                lanes.push(Lane {
                    name: "other hosts".to_owned(),
                    role: Party::Other,
                });
                lanes.len() - 1
            });
            lane_of.insert(host, i);
            continue;
        }
        lanes.push(Lane {
            name: host.clone(),
            role: r.party,
        });
        lane_of.insert(host, lanes.len() - 1);
    }
    (lanes, lane_of)
}

fn stronger(a: Party, b: Party) -> Party {
    match (a, b) {
        (Party::Idp, _) | (_, Party::Idp) => Party::Idp,
        (Party::App, _) | (_, Party::App) => Party::App,
        _ => Party::Other,
    }
}

/// The host as a lane name (lower case, port kept: a second app on another
/// port is another party).
fn host_key(host: &str) -> String {
    host.to_ascii_lowercase()
}

fn messages_by_entry(messages: &[Found]) -> BTreeMap<u32, Vec<&Found>> {
    let mut map: BTreeMap<u32, Vec<&Found>> = BTreeMap::new();
    for m in messages {
        map.entry(m.entry).or_default().push(m);
    }
    map
}

/// The attempt an entry belongs to: the one whose span holds it, else the
/// next one (the app's redirect that leads into it), else the last.
fn attempt_of(attempts: &[Attempt], entry: u32) -> Option<usize> {
    attempts
        .iter()
        .find(|a| entry >= a.first_entry && entry <= a.last_entry)
        .or_else(|| attempts.iter().find(|a| a.first_entry > entry))
        .or_else(|| attempts.last())
        .map(|a| a.number)
}

/// What the browser sent: method, path (no query) and the messages in the
/// request.
fn request_label(r: &Row<'_>, msgs: &[&Found], show_secrets: bool) -> String {
    let path = r.path.split(['?', '#']).next().unwrap_or_default();
    let mut s = format!(
        "{} {}",
        r.method,
        shorten(&shown_url(path, show_secrets), 36)
    );
    let mut sent: Vec<String> = msgs
        .iter()
        .filter(|m| m.place.is_sent())
        .map(|m| message_label(&m.message))
        .collect();
    // Entra's second factor runs through its Strong Authentication Service
    // endpoints (`/common/SAS/BeginAuth`, `EndAuth`, `ProcessAuth`), whose
    // JSON answers carry no protocol message of their own.
    if r.party == Party::Idp && path.to_ascii_lowercase().contains("/sas/") {
        sent.push("MFA step".to_owned());
    }
    if !sent.is_empty() {
        s.push_str(" · ");
        s.push_str(&dedup_join(sent));
    }
    s
}

/// What came back: status and the messages in the response.
fn answer_label(r: &Row<'_>, msgs: &[&Found]) -> String {
    let mut s = if r.tunnel {
        "tunnel (not decrypted)".to_owned()
    } else if r.status == 0 {
        "no response".to_owned()
    } else {
        r.status.to_string()
    };
    let got: Vec<String> = msgs
        .iter()
        .filter(|m| !m.place.is_sent())
        .map(|m| message_label(&m.message))
        .collect();
    if !got.is_empty() {
        s.push_str(if (300..400).contains(&r.status) {
            " → "
        } else {
            " · "
        });
        s.push_str(&dedup_join(got));
    } else if let Some(e) = r.error {
        s.push_str(" · ");
        s.push_str(&shorten(e, 40));
    }
    s
}

fn dedup_join(mut v: Vec<String>) -> String {
    let mut seen = Vec::new();
    v.retain(|x| {
        let new = !seen.contains(x);
        if new {
            seen.push(x.clone());
        }
        new
    });
    v.join(", ")
}

/// A short name for what a message carried: `AuthnRequest`, `SAML Response
/// (Success)`, `authorize code / form_post`, `code + id_token`, `error
/// access_denied`, `consent`, `sign-out`…
pub(super) fn message_label(m: &Message) -> String {
    let err = m.error_info().map(|e| {
        let code = e
            .aadsts
            .first()
            .map(|c| format!("AADSTS{c}"))
            .unwrap_or(e.code);
        shorten(&code, 40)
    });
    match m {
        Message::Saml(SamlMessage::AuthnRequest(_)) => "AuthnRequest".to_owned(),
        Message::Saml(SamlMessage::Response(r)) => {
            let status = r
                .status
                .code
                .as_ref()
                .map(|c| c.short_name().to_owned())
                .unwrap_or_else(|| "no status".to_owned());
            match err {
                Some(e) if e != status => format!("SAML Response ({status}: {e})"),
                _ => format!("SAML Response ({status})"),
            }
        }
        Message::Saml(SamlMessage::LogoutRequest(_)) => "sign-out: LogoutRequest".to_owned(),
        Message::Saml(SamlMessage::LogoutResponse(_)) => "sign-out: LogoutResponse".to_owned(),
        Message::Saml(SamlMessage::Assertion(_)) => "SAML Assertion".to_owned(),
        Message::WsFed(w) => match w.kind() {
            "wsfed_request" => "WS-Fed wsignin1.0".to_owned(),
            "wsfed_signout" => "sign-out: wsignout1.0".to_owned(),
            _ => "WS-Fed wresult".to_owned(),
        },
        Message::Oidc(o) => oidc_label(o, err),
        Message::Page(_) if m.is_error() => match err {
            Some(e) => format!("error page {e}"),
            None => "error page".to_owned(),
        },
        Message::Page(p) => page_label(p),
        Message::Jwt(_) => "JWT".to_owned(),
        Message::ConsentScreen(_) => "consent prompt".to_owned(),
        Message::Undecodable(u) => format!("{} (undecodable)", shorten(&u.what, 30)),
    }
}

fn oidc_label(o: &OidcMessage, err: Option<String>) -> String {
    match o {
        OidcMessage::OauthAuthorize(r) => {
            let types: Vec<&str> = r.response_type.iter().map(|t| t.as_str()).collect();
            let mut s = format!("authorize {}", types.join(" "));
            if let Some(mode) = &r.response_mode {
                s.push_str(&format!(" / {}", mode.as_str()));
            }
            if !r.prompt.is_empty() {
                let p: Vec<&str> = r.prompt.iter().map(|p| p.as_str()).collect();
                s.push_str(&format!(" prompt={}", p.join(" ")));
            }
            s
        }
        OidcMessage::OauthResponse(r) => {
            let mut parts = Vec::new();
            if r.code.is_some() {
                parts.push("code");
            }
            if r.id_token.is_some() {
                parts.push("id_token");
            }
            if r.access_token.is_some() {
                parts.push("access_token");
            }
            if parts.is_empty() {
                "authorization response".to_owned()
            } else {
                parts.join(" + ")
            }
        }
        OidcMessage::OauthError(_) => format!("error {}", err.unwrap_or_default()),
        OidcMessage::OauthTokenRequest(_) => "token request".to_owned(),
        OidcMessage::OauthTokenResponse(_) => "tokens".to_owned(),
        OidcMessage::OauthLogout(_) => "sign-out".to_owned(),
        OidcMessage::Consent(_) => "consent answer".to_owned(),
        OidcMessage::EntraCredentialType(_) => "GetCredentialType".to_owned(),
        OidcMessage::OidcDiscovery(_) => "discovery".to_owned(),
    }
}

/// A non-error IdP page by what it asks of the user (Entra's `pgid`).
fn page_label(p: &crate::decode::pages::PageMessage) -> String {
    let v = serde_json::to_value(p).unwrap_or_default();
    let pgid = v.get("pgid").and_then(|x| x.as_str()).unwrap_or_default();
    // Entra's page ids for the second factor and for consent (as seen in
    // `$Config.pgid` of login.microsoftonline.com pages).
    let lower = pgid.to_ascii_lowercase();
    if lower.contains("tfa") || lower.contains("proof") || lower.contains("mfa") {
        "MFA step".to_owned()
    } else if lower.contains("consent") {
        "consent prompt".to_owned()
    } else if pgid.is_empty() {
        "IdP page".to_owned()
    } else {
        format!("page {}", shorten(pgid, 30))
    }
}

/// Folds consecutive repeats: a step, or a loop of up to [`MAX_PERIOD`]
/// steps, seen twice or more in a row becomes one drawing with `×N`.
fn fold(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let (mut p, mut times) = best_fold(&steps, i);
        // A loop that covers as much one step later starts where the
        // round starts (A B C ×4, not C A B ×4 then C).
        if times > 1 {
            let (p2, t2) = best_fold(&steps, i + 1);
            if t2 > 1 && p2 * t2 >= p * times {
                (p, times) = (1, 1);
            }
        }
        for k in 0..p {
            let Some(first) = steps.get(i + k) else { break };
            let mut s = first.clone();
            s.entries = (0..times)
                .filter_map(|t| steps.get(i + t * p + k))
                .flat_map(|x| x.entries.iter().copied())
                .collect();
            s.times = times;
            s.period = if k == 0 { p } else { 0 };
            s.attempt_last = (0..times)
                .filter_map(|t| steps.get(i + t * p + k))
                .filter_map(|x| x.attempt_last)
                .max()
                .or(s.attempt);
            out.push(s);
        }
        i += p * times;
    }
    out
}

/// The longest fold at `i`: (period, times), `(1, 1)` when nothing repeats.
fn best_fold(steps: &[Step], i: usize) -> (usize, usize) {
    let mut best = (1usize, 1usize);
    for p in 1..=MAX_PERIOD {
        let mut times = 1;
        while (0..p).all(|k| match (steps.get(i + k), steps.get(i + times * p + k)) {
            (Some(x), Some(y)) => x.key() == y.key(),
            _ => false,
        }) {
            times += 1;
        }
        if times >= 2 && times * p > best.0 * best.1 {
            best = (p, times);
        }
    }
    best
}

fn lane_x(i: usize) -> f64 {
    LEFT + LANE_W * (i as f64) + LANE_W / 2.0 - 60.0
}

/// The SVG text.
fn render(a: &Analysis<'_, '_>, lanes: &[Lane], steps: &[Step], hidden: usize) -> String {
    // Wide enough for the verdict line under the break step.
    let width = (LEFT + LANE_W * lanes.len() as f64 + 40.0).max(LEFT + 800.0);
    let mut body = String::new();
    let mut y = HEAD_H + 6.0;
    let mut attempt_shown = None;
    let mut break_drawn = false;
    let verdict_entry = a.verdict.entry;
    for s in steps {
        if s.attempt.is_some() && s.attempt_last > attempt_shown && s.period > 0 {
            attempt_shown = s.attempt_last;
            let first = s
                .attempt
                .and_then(|n| a.ctx.attempts.get(n.wrapping_sub(1)));
            let last = s
                .attempt_last
                .and_then(|n| a.ctx.attempts.get(n.wrapping_sub(1)));
            if let (Some(att), Some(last)) = (first, last) {
                let title = if last.number > att.number {
                    format!(
                        "Attempts {}–{} — {} · the same steps again each time; the last {}",
                        att.number,
                        last.number,
                        att.protocol,
                        outcome_text(last.outcome)
                    )
                } else {
                    attempt_title(att)
                };
                let _ = write!(
                    body,
                    "<line class=\"attempt-line\" x1=\"4\" x2=\"{:.0}\" y1=\"{:.0}\" y2=\"{:.0}\"/><text class=\"attempt\" x=\"8\" y=\"{:.0}\">{}</text>",
                    width - 4.0,
                    y + 4.0,
                    y + 4.0,
                    y + 18.0,
                    esc(&title)
                );
                y += ATTEMPT_H;
            }
        }
        y = draw_step(&mut body, s, y, width);
        let holds_verdict = verdict_entry.is_some_and(|e| s.entries.contains(&e));
        if holds_verdict && !break_drawn {
            break_drawn = true;
            let (class, mark) = verdict_mark(a.verdict.status);
            let _ = write!(
                body,
                "<text class=\"{class}\" x=\"{:.0}\" y=\"{:.0}\">{mark} {}</text>",
                LEFT,
                y + 4.0,
                esc(&shorten(&a.verdict.summary, 120))
            );
            y += NOTE_H;
        }
    }
    if hidden > 0 {
        let _ = write!(
            body,
            "<text class=\"role\" x=\"{LEFT:.0}\" y=\"{:.0}\">… {hidden} more steps under Identity steps</text>",
            y + 6.0
        );
        y += NOTE_H;
    }
    if !break_drawn {
        let (class, mark) = verdict_mark(a.verdict.status);
        let where_ = if steps.is_empty() {
            " (no identity step in this capture)"
        } else if a.verdict.status == Status::Ok {
            ""
        } else {
            " (no single step to point at)"
        };
        let _ = write!(
            body,
            "<text class=\"{class}\" x=\"{LEFT:.0}\" y=\"{:.0}\">{mark} {}{where_}</text>",
            y + 8.0,
            esc(&shorten(&a.verdict.summary, 120))
        );
        y += NOTE_H;
    }
    let height = y + 14.0;
    let mut svg = String::with_capacity(body.len() + 4096);
    let _ = write!(
        svg,
        "<svg class=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-labelledby=\"diagram-title\"><title id=\"diagram-title\">Sign-in sequence: {}</title>",
        esc(&a.verdict.summary)
    );
    svg.push_str("<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path class=\"head\" d=\"M0,0L10,5L0,10z\"/></marker><marker id=\"ahr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path class=\"head ret\" d=\"M0,0L10,5L0,10z\"/></marker><marker id=\"ahb\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path class=\"head\" style=\"fill:var(--bad)\" d=\"M0,0L10,5L0,10z\"/></marker></defs>");
    for (i, lane) in lanes.iter().enumerate() {
        let x = lane_x(i);
        let role = match (i, lane.role) {
            (0, _) => "user agent",
            (_, Party::Idp) => "identity provider",
            (_, Party::App) => "app",
            (_, Party::Other) => "other",
        };
        let class = match lane.role {
            Party::Idp => "idp",
            Party::App => "app",
            Party::Other => "other",
        };
        let _ = write!(
            svg,
            "<g class=\"lanehead {class}\"><rect x=\"{:.0}\" y=\"6\" width=\"{:.0}\" height=\"40\" rx=\"5\"/><text x=\"{x:.0}\" y=\"23\" text-anchor=\"middle\">{}</text><text class=\"role\" x=\"{x:.0}\" y=\"39\" text-anchor=\"middle\">{role}</text></g><line class=\"lane\" x1=\"{x:.0}\" x2=\"{x:.0}\" y1=\"46\" y2=\"{:.0}\"/>",
            x - LANE_W / 2.0 + 8.0,
            LANE_W - 16.0,
            esc(&shorten(&lane.name, 28)),
            height - 6.0
        );
    }
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

fn verdict_mark(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Ok => ("done-note", "✓"),
        Status::Failed => ("break-note", "✗"),
        Status::Inconclusive => ("warn-note", "?"),
    }
}

fn outcome_text(o: Outcome) -> String {
    match o {
        Outcome::Succeeded { entry } => format!("completed at #{entry}"),
        Outcome::Failed { entry } => format!("failed at #{entry}"),
        Outcome::Incomplete => "does not show its end in the capture".to_owned(),
    }
}

fn attempt_title(a: &Attempt) -> String {
    format!(
        "Attempt {} — {} · {}",
        a.number,
        a.protocol,
        outcome_text(a.outcome)
    )
}

/// Draws one step (request and answer arrows); returns the next y.
fn draw_step(out: &mut String, s: &Step, y: f64, width: f64) -> f64 {
    let x0 = lane_x(0);
    let x1 = lane_x(s.lane);
    let first = s.entries.first().copied().unwrap_or(0);
    let last = s.entries.last().copied().unwrap_or(first);
    let (bg, marker) = match s.class {
        "break" => (" break-bg", "ahb"),
        "done" => (" done-bg", "ah"),
        _ => ("", "ah"),
    };
    let _ = write!(out, "<g class=\"step {}\">", s.class);
    if !bg.is_empty() {
        let _ = write!(
            out,
            "<rect class=\"{}\" x=\"2\" y=\"{:.0}\" width=\"{:.0}\" height=\"{STEP_H:.0}\" rx=\"4\"/>",
            bg.trim(),
            y - 2.0,
            width - 4.0
        );
    }
    let num = if s.entries.len() > 1 {
        format!("#{first}…{last}")
    } else {
        format!("#{first}")
    };
    let _ = write!(
        out,
        "<a href=\"#e{first}\"><text class=\"num\" x=\"8\" y=\"{:.0}\">{num}</text></a>",
        y + 19.0
    );
    if s.times > 1 && s.period > 0 {
        let what = if s.period == 1 {
            format!("×{}", s.times)
        } else {
            format!("loop ×{}", s.times)
        };
        let _ = write!(
            out,
            "<text class=\"fold\" x=\"8\" y=\"{:.0}\">{what}</text>",
            y + 35.0
        );
    }
    let ry = y + 18.0;
    let ay = y + 40.0;
    let _ = write!(
        out,
        "<text class=\"lbl\" x=\"{:.0}\" y=\"{:.0}\">{}</text><line class=\"arrow\" x1=\"{x0:.0}\" x2=\"{:.0}\" y1=\"{ry:.0}\" y2=\"{ry:.0}\" marker-end=\"url(#{marker})\"/>",
        x0 + 8.0,
        ry - 5.0,
        esc(&shorten(&s.request, 90)),
        x1 - 2.0
    );
    let _ = write!(
        out,
        "<text class=\"lbl ret\" x=\"{:.0}\" y=\"{:.0}\">{}</text><line class=\"arrow ret\" x1=\"{x1:.0}\" x2=\"{:.0}\" y1=\"{ay:.0}\" y2=\"{ay:.0}\" marker-end=\"url(#ahr)\"/></g>",
        x0 + 14.0,
        ay - 5.0,
        esc(&shorten(&s.answer, 90)),
        x0 + 2.0
    );
    y + STEP_H + 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(lane: usize, label: &str, entry: u32) -> Step {
        Step {
            entries: vec![entry],
            lane,
            request: label.to_owned(),
            answer: "302".to_owned(),
            class: "",
            attempt: Some(1),
            attempt_last: Some(1),
            times: 1,
            period: 1,
        }
    }

    #[test]
    fn folds_a_repeated_step() {
        let s = vec![
            step(1, "a", 1),
            step(1, "a", 2),
            step(1, "a", 3),
            step(2, "b", 4),
        ];
        let f = fold(s);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].times, 3);
        assert_eq!(f[0].entries, vec![1, 2, 3]);
        assert_eq!(f[1].times, 1);
    }

    #[test]
    fn folds_a_two_step_loop() {
        let s = vec![
            step(1, "a", 1),
            step(2, "b", 2),
            step(1, "a", 3),
            step(2, "b", 4),
            step(1, "a", 5),
            step(2, "b", 6),
        ];
        let f = fold(s);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].times, f[0].period), (3, 2));
        assert_eq!(f[1].period, 0);
        assert_eq!(f[1].entries, vec![2, 4, 6]);
    }

    #[test]
    fn does_not_fold_distinct_steps() {
        let s = vec![step(1, "a", 1), step(2, "b", 2), step(1, "c", 3)];
        assert_eq!(fold(s).len(), 3);
    }
}
