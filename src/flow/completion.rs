//! Completion: the one place that decides, per sign-in attempt, whether the
//! capture *shows* the sign-in completed — "ok needs proof"
//! (ARCHITECTURE.md, *Ok needs proof*).
//!
//! An attempt is **completed** only on positive evidence that the app
//! accepted the IdP's answer:
//!
//! 1. the callback / ACS that received a success answer (SAML Response with
//!    an assertion, WS-Fed token, OAuth code / tokens) answered 2xx, or
//!    redirected within the app's site (`callback_accepted`);
//! 2. following that redirect chain, the app page it lands on answered 2xx
//!    and carries no error marker (`error=` in its query, or an app error
//!    message from [`crate::decode::pages::app_errors`]) (`landed_in_app`);
//! 3. where visible, a cookie set on the callback or the chain after it
//!    (`session_cookie`);
//! 4. when the exporter did not record the redirect hops (status 0, no
//!    headers — some WebDriver / extension exporters), the app's later
//!    calls answering 2xx stand in for 1–2 (`later_calls_ok`, with
//!    `hops_not_recorded`).
//!
//! and no later failure in that attempt: a navigation to the app's site
//! answering ≥ 400, or landing on an error marker, before the next attempt
//! starts. Everything else **stopped**: [`Stop`] says at which entry and
//! what the user saw there (an IdP page's own name, the page title, or the
//! request and its status).
//!
//! Phases ([`Phase`]) are told apart from what the request asks for: OIDC
//! RP-initiated logout (`end_session_endpoint`, OpenID Connect RP-Initiated
//! Logout 1.0 §2), SAML Single Logout (SAML 2.0 Profiles §4.4), WS-Fed
//! `wa=wsignout1.0` (WS-Federation 1.2 §13.2.4), and token refresh
//! (`grant_type=refresh_token`, RFC 6749 §6; silent `prompt=none` renewals,
//! OIDC Core §3.1.2.1).

use serde::Serialize;

use crate::capture::Exchange;
use crate::flow::Context;
use crate::flow::attempts::Attempt;

/// Which phase of a session an exchange belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    SignIn,
    SignOut,
    TokenRefresh,
}

impl Phase {
    /// "Sign-in", "Sign-out", "Token refresh": the word a summary starts with.
    pub fn label(self) -> &'static str {
        match self {
            Phase::SignIn => "Sign-in",
            Phase::SignOut => "Sign-out",
            Phase::TokenRefresh => "Token refresh",
        }
    }
}

/// One fact that shows the app accepted the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub kind: &'static str,
    pub entry: u32,
    pub detail: String,
}

/// Where an attempt that did not complete stops, and what the user saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stop {
    pub entry: u32,
    /// What the user saw there ("Entra ID page ConvergedTFA", a title).
    pub saw: String,
    /// Whether the capture ends there (nothing later in the capture).
    pub capture_ends: bool,
}

/// The completion judgement of one attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
    /// The attempt number (1-based).
    pub attempt: usize,
    pub phase: Phase,
    pub completed: bool,
    /// The callback / ACS entry that completed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    pub evidence: Vec<Evidence>,
    /// A later failure that undoes the acceptance (an app error page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later_failure: Option<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
}

/// Judges every attempt of the context.
pub fn assess_all(ctx: &Context<'_, '_>) -> Vec<Completion> {
    let starts: Vec<u32> = ctx.attempts.iter().map(|a| a.first_entry).collect();
    ctx.attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let until = starts.get(i + 1).copied().unwrap_or(u32::MAX);
            assess(ctx, a, until)
        })
        .collect()
}

/// Judges one attempt; `until` is where the next attempt starts.
fn assess(ctx: &Context<'_, '_>, a: &Attempt, until: u32) -> Completion {
    let phase = a
        .request
        .and_then(|r| ctx.messages.get(r))
        .and_then(|m| ctx.capture.entry(m.entry))
        .map_or(Phase::SignIn, |e| phase_of(ctx, e));
    let mut c = Completion {
        attempt: a.number,
        phase,
        completed: false,
        entry: None,
        evidence: Vec::new(),
        later_failure: None,
        stop: None,
    };
    let callback = a
        .delivered
        .iter()
        .rev()
        .filter_map(|i| ctx.messages.get(*i))
        .find(|m| m.message.is_success_answer())
        .map(|m| m.entry);
    if let Some(cb) = callback.and_then(|e| ctx.capture.entry(e)) {
        judge_callback(ctx, cb, until, &mut c);
    }
    if !c.completed {
        device_grant(ctx, a, until, &mut c);
    }
    if !c.completed {
        c.stop = Some(stop_of(ctx, a, until));
    }
    c
}

/// The device authorization grant (RFC 8628 §3.4–3.5) has no browser
/// callback: the app is the polling client, and the sign-in completes when
/// its token request with `grant_type=…:device_code` is answered 200 with
/// an access or ID token (`authorization_pending` / `slow_down` polls
/// before it are progress).
fn device_grant(ctx: &Context<'_, '_>, a: &Attempt, until: u32, c: &mut Completion) {
    use crate::decode::Message;
    use crate::decode::oidc::OidcMessage;
    let granted = ctx
        .exchanges_between(a.first_entry, until)
        .flat_map(|e| ctx.messages_at(e.index))
        .find(|m| {
            m.message.is_device_code_request()
                && ctx
                    .capture
                    .entry(m.entry)
                    .is_some_and(|e| e.status() == 200)
                && ctx.messages_at(m.entry).any(|t| {
                    matches!(&t.message, Message::Oidc(OidcMessage::OauthTokenResponse(r))
                        if r.access_token.is_some() || r.id_token.is_some())
                })
        });
    if let Some(m) = granted {
        c.completed = true;
        c.entry = Some(m.entry);
        c.evidence.push(Evidence {
            kind: "device_code_granted",
            entry: m.entry,
            detail: "the device-code token request was answered 200 with tokens".into(),
        });
    }
}

fn judge_callback(ctx: &Context<'_, '_>, cb: &Exchange<'_>, until: u32, c: &mut Completion) {
    let app = cb.request.host().map(|h| ctx.site_of(h));
    let same_app = |e: &Exchange<'_>| e.request.host().map(|h| ctx.site_of(h)) == app;
    let mut accepted = false;
    match &cb.response {
        Some(r) if not_recorded(cb) => {
            let _ = r;
            c.evidence.push(Evidence {
                kind: "hops_not_recorded",
                entry: cb.index,
                detail: "the exporter recorded this redirect hop as status 0 with no headers"
                    .into(),
            });
        }
        None => c.evidence.push(Evidence {
            kind: "hops_not_recorded",
            entry: cb.index,
            detail: "no response recorded for the callback".into(),
        }),
        Some(_) if ctx.app_accepted(cb.index) => {
            accepted = true;
            c.evidence.push(Evidence {
                kind: "callback_accepted",
                entry: cb.index,
                detail: format!(
                    "{} answered {}",
                    cb.request.host().unwrap_or("the app"),
                    cb.status()
                ),
            });
        }
        Some(_) => {
            // Refused (4xx / 5xx / back to the IdP): the rules say why.
            return;
        }
    }
    // Follow the chain of redirects inside the app.
    let mut current = cb;
    let mut landed: Option<&Exchange<'_>> =
        (accepted && !current.response.as_ref().is_some_and(|r| r.is_redirect())).then_some(cb);
    for _ in 0..8 {
        cookie_evidence(current, c);
        let Some(next) = next_hop(ctx, current, until) else {
            break;
        };
        if !same_app(next) {
            break;
        }
        current = next;
        if current.response.as_ref().is_some_and(|r| r.is_redirect()) {
            continue;
        }
        landed = Some(current);
        cookie_evidence(current, c);
        break;
    }
    if let Some(page) = landed {
        if let Some(marker) = error_marker(ctx, page) {
            c.later_failure = Some(Evidence {
                kind: "app_error_page",
                entry: page.index,
                detail: marker,
            });
            return;
        }
        if (200..300).contains(&page.status()) {
            c.evidence.push(Evidence {
                kind: "landed_in_app",
                entry: page.index,
                detail: format!("{} answered {}", short_url(page), page.status()),
            });
        }
    }
    // Later calls to the app, up to the next attempt.
    let later = ctx
        .exchanges_between(current.index.saturating_add(1), until)
        .filter(|e| same_app(e));
    let mut ok_calls = 0usize;
    for e in later {
        let status = e.status();
        if status >= 400 && crate::flow::is_navigation(e) {
            c.later_failure = Some(Evidence {
                kind: "later_failure",
                entry: e.index,
                detail: format!("{} answered {status}", short_url(e)),
            });
            return;
        }
        if (200..300).contains(&status) {
            if let Some(marker) = error_marker(ctx, e) {
                c.later_failure = Some(Evidence {
                    kind: "app_error_page",
                    entry: e.index,
                    detail: marker,
                });
                return;
            }
            ok_calls += 1;
        }
    }
    if ok_calls > 0 {
        c.evidence.push(Evidence {
            kind: "later_calls_ok",
            entry: current.index,
            detail: format!("{ok_calls} later request(s) to the app answered 2xx"),
        });
    }
    let landed_ok = c.evidence.iter().any(|e| e.kind == "landed_in_app");
    let unrecorded = c.evidence.iter().any(|e| e.kind == "hops_not_recorded");
    c.completed = (landed_ok && (accepted || unrecorded))
        || (unrecorded && ok_calls > 0)
        || (accepted && landed.is_none() && ok_calls > 0);
    // A callback that answers 2xx itself (a page, not a redirect) is the landing.
    if accepted && !cb.response.as_ref().is_some_and(|r| r.is_redirect()) {
        c.completed = true;
    }
    if c.completed {
        c.entry = Some(cb.index);
    }
}

/// Whether an exchange is a hop the exporter did not record (status 0, no
/// headers, no body, no network error).
pub fn not_recorded(e: &Exchange<'_>) -> bool {
    match &e.response {
        None => e.error.is_none(),
        Some(r) => r.status == 0 && r.headers.is_empty() && r.body.is_none() && e.error.is_none(),
    }
}

fn cookie_evidence(e: &Exchange<'_>, c: &mut Completion) {
    let Some(r) = &e.response else { return };
    let names: Vec<&str> = r
        .set_cookies
        .iter()
        .filter(|s| !s.value.expose().is_empty())
        .map(|s| s.name.as_ref())
        .collect();
    if !names.is_empty() && !c.evidence.iter().any(|x| x.kind == "session_cookie") {
        c.evidence.push(Evidence {
            kind: "session_cookie",
            entry: e.index,
            detail: format!("sets {}", names.join(", ")),
        });
    }
}

/// The exchange the browser made next for `e`'s redirect (or, when the hop
/// was not recorded, the next navigation).
fn next_hop<'c, 'a>(
    ctx: &Context<'c, 'a>,
    e: &Exchange<'a>,
    until: u32,
) -> Option<&'c Exchange<'a>> {
    match e.response.as_ref() {
        Some(r) if r.is_redirect() => {
            let target = r
                .location()
                .zip(e.request.parsed_url.as_ref())
                .and_then(|(loc, base)| base.join(loc).ok())?;
            // The first later request of exactly that URL, before `until`.
            let requests = ctx.requests_of(target.as_str());
            let first = requests.partition_point(|n| *n <= e.index);
            requests
                .get(first..)
                .unwrap_or_default()
                .iter()
                .filter(|n| **n < until)
                .find_map(|n| ctx.capture.entry(*n))
        }
        _ if not_recorded(e) => ctx
            .exchanges_between(e.index.saturating_add(1), until)
            .find(|x| crate::flow::is_navigation(x)),
        _ => None,
    }
}

/// An error marker on an app page: `error=` in the query (the app's own
/// "sign-in failed" landing), or an app library's error message.
fn error_marker(ctx: &Context<'_, '_>, e: &Exchange<'_>) -> Option<String> {
    if crate::flow::is_static_resource(e) {
        return None;
    }
    if let Some(url) = &e.request.parsed_url
        && let Some((k, v)) = url
            .query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("error") || k.eq_ignore_ascii_case("autherror"))
    {
        return Some(format!("the app's page {} carries {k}={v}", short_url(e)));
    }
    ctx.app_message(e).map(|m| {
        format!(
            "the app's page {} says \u{201c}{}\u{201d}",
            short_url(e),
            m.quote
        )
    })
}

/// Where an attempt that did not complete stops: its last navigation.
fn stop_of(ctx: &Context<'_, '_>, a: &Attempt, until: u32) -> Stop {
    let last_capture = ctx.exchanges().last().map_or(0, |e| e.index);
    let nav = ctx
        .exchanges_between(a.first_entry, until)
        .rfind(|e| crate::flow::is_navigation(e) && e.response.is_some())
        .or_else(|| ctx.capture.entry(a.last_entry));
    let Some(e) = nav else {
        return Stop {
            entry: a.last_entry,
            saw: "the last step of the attempt".into(),
            capture_ends: true,
        };
    };
    Stop {
        entry: e.index,
        saw: what_the_user_saw(ctx, e),
        capture_ends: e.index == last_capture || until == u32::MAX,
    }
}

/// A short description of the page at `e`: an Entra page by its `pgid`, an
/// IdP page by its title, else the request and its status.
pub fn what_the_user_saw(ctx: &Context<'_, '_>, e: &Exchange<'_>) -> String {
    use crate::decode::Message;
    use crate::decode::pages::PageMessage;
    for m in ctx.messages_at(e.index) {
        if let Message::Page(PageMessage::EntraPage(p)) = &m.message
            && let Some(pgid) = &p.pgid
        {
            return format!("an Entra ID page ({pgid})");
        }
    }
    let title = e
        .response
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .and_then(|b| b.text(&ctx.limits).ok())
        .and_then(|t| crate::decode::html::title(&t));
    match title {
        Some(t) if !t.trim().is_empty() => {
            format!("the page \u{201c}{}\u{201d} ({})", t.trim(), short_url(e))
        }
        _ if not_recorded(e) => format!(
            "{} {} (not recorded by the exporter)",
            e.request.method,
            short_url(e)
        ),
        _ => format!(
            "{} {} answered {}",
            e.request.method,
            short_url(e),
            e.status()
        ),
    }
}

/// `host/path` without the query.
pub fn short_url(e: &Exchange<'_>) -> String {
    match &e.request.parsed_url {
        Some(u) => format!("{}{}", u.host_str().unwrap_or_default(), u.path()),
        None => e.request.url.chars().take(80).collect(),
    }
}

/// The phase an exchange belongs to, from its own URL and body, else from
/// the one exchange that redirected to it (the app's `/logout` sending the
/// browser to the IdP's logout endpoint; the IdP's answer to a silent
/// `prompt=none` renewal delivered to the app). A
/// sign-in request itself (`response_type`, an `/authorize` path) is a
/// sign-in whatever led to it.
pub fn phase_of(ctx: &Context<'_, '_>, e: &Exchange<'_>) -> Phase {
    if let Some(p) = own_phase(e) {
        return p;
    }
    let starts_sign_in = e.request.parsed_url.as_ref().is_some_and(|u| {
        u.query_pairs()
            .any(|(k, _)| k == "response_type" || k == "SAMLRequest" || k == "wa")
            || u.path().to_ascii_lowercase().contains("authorize")
    });
    if starts_sign_in {
        return Phase::SignIn;
    }
    // The answer to a silent renewal or a logout belongs to it.
    redirected_from(ctx, e)
        .and_then(own_phase)
        .unwrap_or(Phase::SignIn)
}

fn own_phase(e: &Exchange<'_>) -> Option<Phase> {
    let url = e.request.parsed_url.as_ref()?;
    let path = url.path().to_ascii_lowercase();
    let query = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or_default();
    if matches!(
        last,
        "logout"
            | "signout"
            | "sign-out"
            | "log-out"
            | "end_session"
            | "endsession"
            | "slo"
            | "logoff"
    ) || path.contains("/saml2/slo")
        || query("wa").as_deref() == Some("wsignout1.0")
        || query("wa").as_deref() == Some("wsignoutcleanup1.0")
        || query("post_logout_redirect_uri").is_some()
        || query("SAMLRequest").is_some_and(|_| path.contains("logout"))
    {
        return Some(Phase::SignOut);
    }
    if query("prompt").as_deref() == Some("none") {
        return Some(Phase::TokenRefresh);
    }
    let refresh = e
        .request
        .form_params
        .iter()
        .any(|(k, v)| k == "grant_type" && v == "refresh_token");
    refresh.then_some(Phase::TokenRefresh)
}

/// The exchange whose redirect led to `e`.
fn redirected_from<'c, 'a>(ctx: &Context<'c, 'a>, e: &Exchange<'a>) -> Option<&'c Exchange<'a>> {
    let url = e.request.parsed_url.as_ref()?;
    let from = ctx.redirects_to(url.as_str());
    let before = from.partition_point(|n| *n < e.index);
    before
        .checked_sub(1)
        .and_then(|i| from.get(i))
        .and_then(|n| ctx.capture.entry(*n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_labels_read_as_sentence_starts() {
        assert_eq!(Phase::SignOut.label(), "Sign-out");
        assert_eq!(Phase::TokenRefresh.label(), "Token refresh");
    }
}
