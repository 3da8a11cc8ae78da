//! What an OpenID Connect relying party checks in the id_token, redone from
//! the trace (../shared/reference/failure-detection.md O3, O7, O8): its
//! `nonce` against the authorization request's, its `aud` against the
//! `client_id`, and its validity window against the clocks in the trace.
//!
//! Each check runs on callbacks delivered to the app; a mismatch is an error
//! when the app then refused the answer, a warning when it accepted it.

use chrono::{DateTime, Utc};

use crate::capture::Headers;
use crate::decode::jwt::Jwt;
use crate::flow::Context;
use crate::rules::{Finding, Severity};

declare_rule! {
    /// ## What it means
    /// The id_token's `nonce` claim is not the `nonce` the app sent in its
    /// authorization request, or is missing although one was sent.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rule 11: the relying party must reject it ("nonce
    /// mismatch", IDX21323). A different nonce means the token answers
    /// another sign-in (two tabs, a replayed callback).
    /// ## How to fix
    /// Start the sign-in again in one tab. If the nonces match in the trace
    /// but the app still fails, the app lost its own copy (its nonce cookie —
    /// check SameSite — or its session).
    pub static NONCE_MISMATCH = {
        code: "oidc-nonce-mismatch",
        category: InResponseToMismatch,
        severity: Error,
        title: "The id_token's nonce belongs to another request",
    };
}

declare_rule! {
    /// ## What it means
    /// The id_token's audience (`aud`) does not contain the `client_id` the
    /// app used in its authorization request.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rule 3: the relying party must reject a token not
    /// issued to it ("aud mismatch", IDX10214). It usually means the app is
    /// configured with another client ID than the one it sends, or validates
    /// an access token as if it were its id_token.
    /// ## How to fix
    /// Make the app validate against the client ID it sends at /authorize
    /// (one app registration per environment), and validate the id_token —
    /// not an access token for an API — as its sign-in token.
    pub static TOKEN_AUDIENCE_MISMATCH = {
        code: "oidc-audience-mismatch",
        category: AudienceMismatch,
        severity: Error,
        title: "The id_token was issued to another client",
    };
}

declare_rule! {
    /// ## What it means
    /// When the id_token reached the app it was already expired (`exp`) or not
    /// yet valid (`nbf` / `iat` in the future), judged by the app's own `Date`
    /// header, else the capture's clock.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rules 9–10 and RFC 7519 §4.1.4: relying parties
    /// reject such tokens ("JWT expired", IDX10223) with a small tolerance
    /// (0 s in openid-client, 60 s in Spring, 5 min in Microsoft.IdentityModel).
    /// ## How to fix
    /// Synchronise the app server's clock (NTP). If the token was stale (a
    /// bookmarked or replayed callback), sign in again from the app.
    pub static TOKEN_CLOCK_SKEW = {
        code: "oidc-token-time",
        category: ClockSkew,
        severity: Error,
        title: "The id_token was outside its validity window at the app",
    };
}

/// Seconds of tolerance before a time claim counts as violated.
const LEEWAY: i64 = 1;

/// Delivered id_tokens with the message index and the request's values.
fn delivered<'c>(ctx: &'c Context<'_, '_>) -> Vec<(usize, u32, &'c Jwt)> {
    ctx.messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.place.is_sent() && m.message.is_idp_answer())
        .filter_map(|(i, m)| m.message.id_token().map(|j| (i, m.entry, j)))
        .collect()
}

fn severity(ctx: &Context<'_, '_>, entry: u32) -> Severity {
    if ctx.app_accepted(entry) {
        Severity::Warning
    } else {
        Severity::Error
    }
}

pub fn nonce_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, entry, token) in delivered(ctx) {
        let Some(sent) = ctx.request_for(i).and_then(|r| r.message.nonce()) else {
            continue;
        };
        let got = token.nonce();
        if got == Some(sent) {
            continue;
        }
        let message = match got {
            Some(g) => {
                format!("The id_token's nonce is {g} but the authorization request sent {sent}.")
            }
            None => {
                format!("The id_token has no nonce although the authorization request sent {sent}.")
            }
        };
        out.push(
            Finding::new(&NONCE_MISMATCH, Some(entry), message)
                .severity(severity(ctx, entry))
                .evidence("nonce_sent", sent)
                .evidence("nonce_received", got.unwrap_or_default()),
        );
    }
}

pub fn audience_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, entry, token) in delivered(ctx) {
        let Some(client_id) = ctx.request_for(i).and_then(|r| r.message.issuer()) else {
            continue;
        };
        let audiences = token.audiences();
        if audiences.is_empty() || audiences.contains(&client_id) {
            continue;
        }
        out.push(
            Finding::new(
                &TOKEN_AUDIENCE_MISMATCH,
                Some(entry),
                format!(
                    "The id_token's aud is {} but the app asked as client_id {client_id}.",
                    audiences.join(", ")
                ),
            )
            .severity(severity(ctx, entry))
            .evidence("aud", audiences)
            .evidence("client_id", client_id),
        );
    }
}

fn date_header(h: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(h?.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

pub fn token_clock_skew(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, entry, token) in delivered(ctx) {
        let Some(e) = ctx.capture.entry(entry) else {
            continue;
        };
        let app_date = date_header(e.response.as_ref().and_then(|r| r.header("date")));
        let (now, clock) = match (app_date, e.started) {
            (Some(d), _) => (d, "the app's Date header"),
            (None, Some(s)) => (s.time.with_timezone(&Utc), "the capture's clock"),
            (None, None) => continue,
        };
        let t = &token.times;
        let problem = if let Some(exp) = t.exp.filter(|x| (now - *x).num_seconds() >= LEEWAY) {
            Some((
                format!(
                    "expired at {} — {} s before {clock} ({})",
                    exp.to_rfc3339(),
                    (now - exp).num_seconds(),
                    now.to_rfc3339()
                ),
                (now - exp).num_seconds(),
            ))
        } else {
            t.nbf
                .or(t.iat)
                .filter(|x| (*x - now).num_seconds() > LEEWAY)
                .map(|start| {
                    let secs = (start - now).num_seconds();
                    (format!("not valid until {} — {secs} s after {clock} ({}): the app's clock is behind the IdP's", start.to_rfc3339(), now.to_rfc3339()), secs)
                })
        };
        if let Some((text, seconds)) = problem {
            out.push(
                Finding::new(
                    &TOKEN_CLOCK_SKEW,
                    Some(entry),
                    format!("The id_token was {text}."),
                )
                .severity(severity(ctx, entry))
                .evidence("clock", clock)
                .evidence("seconds", seconds),
            );
        }
    }
}
