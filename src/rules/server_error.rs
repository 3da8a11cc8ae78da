//! Server errors: a page of the sign-in answered 5xx and no better
//! explanation was found.

use crate::capture::Headers;
use crate::flow::{Context, is_navigation};
use crate::rules::{Finding, Severity};

declare_rule! {
    /// ## What it means
    /// A page the browser navigated to answered with a 5xx status (500
    /// Internal Server Error, 502 Bad Gateway, 503 Service Unavailable…).
    /// ## Why it matters
    /// The server failed while handling the step; the browser cannot go on.
    /// When the 5xx comes from the app right after the IdP's answer, the app
    /// most likely crashed while validating it.
    /// ## How to fix
    /// Find the request in the server's logs by its time (UTC) and any request
    /// ID header in the response; fix the exception there. For a 502 / 503 /
    /// 504, check the reverse proxy or load balancer in front of the server.
    pub static SERVER_ERROR = {
        code: "server-error",
        category: ServerError,
        severity: Error,
        title: "A server answered with an error (5xx)",
        check: server_error,
    };
}

pub fn server_error(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let Some(e) = ctx
        .exchanges()
        .iter()
        .find(|e| e.status() >= 500 && e.status() <= 599 && is_navigation(e))
    else {
        return;
    };
    // A cause already found at that step explains the 5xx.
    if out
        .iter()
        .any(|f| f.entry == Some(e.index) && f.severity == Severity::Error)
    {
        return;
    }
    let status = e.status();
    let text = e
        .response
        .as_ref()
        .map(|r| r.status_text.as_ref())
        .unwrap_or_default();
    let mut f = Finding::new(
        &SERVER_ERROR,
        Some(e.index),
        format!(
            "{} answered {status} {text} to {} {}.",
            e.request.host().unwrap_or("the server"),
            e.request.method,
            e.request
                .parsed_url
                .as_ref()
                .map_or(e.request.url.as_ref(), |u| u.path())
        ),
    )
    .evidence("status", status)
    .evidence("url", e.request.url.as_ref());
    if let Some(r) = &e.response {
        for h in [
            "x-request-id",
            "x-ms-request-id",
            "request-id",
            "x-correlation-id",
            "traceparent",
        ] {
            if let Some(v) = r.header(h) {
                f = f.id(h, v);
            }
        }
    }
    let identity = !ctx.messages.is_empty()
        || ctx.exchanges().iter().any(|x| {
            x.request
                .host()
                .is_some_and(|h| crate::timeline::host_party(h) == crate::timeline::Party::Idp)
        });
    if !identity {
        f = f.severity(Severity::Warning);
    }
    out.push(f);
}
