//! OAuth / OIDC metadata discovery failed: the app (usually a single-page
//! app) could not fetch the IdP's `/.well-known/openid-configuration`
//! (OpenID Connect Discovery 1.0 §4) or `/.well-known/oauth-authorization-server`
//! (RFC 8414 §3), so no sign-in request was ever sent. A CORS preflight
//! (Fetch standard §4.8) answered with a non-2xx status, or the fetch itself
//! failed (`net::ERR_FAILED`, status 0, an error status).

use crate::capture::Exchange;
use crate::flow::Context;
use crate::flow::completion::short_url;
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// The app tried to read the identity provider's discovery document
    /// (`/.well-known/openid-configuration`) and could not: the request
    /// failed, or the browser's CORS preflight (`OPTIONS`) was refused.
    /// ## Why it matters
    /// Without the metadata the app does not know where to send the user,
    /// so the sign-in never starts; the capture shows no sign-in request at
    /// all, which is easy to misread as "no sign-in traffic".
    /// ## How to fix
    /// Allow the app's origin in the IdP's CORS settings (Web origins in
    /// Keycloak, Trusted Origins in Okta), or stop the app from adding
    /// custom headers that force a preflight; check the authority URL is
    /// right and reachable.
    pub static DISCOVERY_FAILED = {
        code: "discovery-failed",
        category: Discovery,
        severity: Error,
        title: "The identity provider's metadata could not be fetched",
        check: discovery_failed,
    };
}

fn is_discovery(e: &Exchange<'_>) -> bool {
    e.request.parsed_url.as_ref().is_some_and(|u| {
        let p = u.path();
        p.ends_with("/.well-known/openid-configuration")
            || p.ends_with("/.well-known/oauth-authorization-server")
    })
}

pub fn discovery_failed(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let attempts: Vec<&Exchange<'_>> = ctx.exchanges().iter().filter(|e| is_discovery(e)).collect();
    if attempts.is_empty() {
        return;
    }
    // A later successful GET means discovery worked in the end.
    if attempts
        .iter()
        .any(|e| e.request.method.eq_ignore_ascii_case("GET") && (200..300).contains(&e.status()))
    {
        return;
    }
    let Some(first) = attempts.iter().find(|e| {
        let s = e.status();
        s == 0 || s >= 300 || e.error.is_some()
    }) else {
        return;
    };
    let preflight = first.request.method.eq_ignore_ascii_case("OPTIONS");
    let then = attempts
        .iter()
        .find(|e| e.index > first.index && e.error.is_some())
        .map(|e| {
            format!(
                "; then {} {} failed with {}",
                e.request.method,
                short_url(e),
                e.error.as_deref().unwrap_or("an error")
            )
        })
        .unwrap_or_default();
    let what = if preflight {
        format!(
            "the CORS preflight OPTIONS {} answered {}",
            short_url(first),
            first.status()
        )
    } else if let Some(err) = &first.error {
        format!(
            "{} {} failed with {err}",
            first.request.method,
            short_url(first)
        )
    } else {
        format!(
            "{} {} answered {}",
            first.request.method,
            short_url(first),
            first.status()
        )
    };
    out.push(
        Finding::new(
            &DISCOVERY_FAILED,
            Some(first.index),
            format!("The app could not read the IdP's discovery document: {what}{then}. No sign-in request followed."),
        )
        .evidence("url", first.request.url.as_ref())
        .evidence("status", first.status())
        .evidence("preflight", preflight),
    );
}
