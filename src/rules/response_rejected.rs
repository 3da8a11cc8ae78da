//! The app refused the IdP's answer: a successful Response / callback was
//! delivered and the app answered 4xx / 5xx, an error page, or sent the
//! browser straight back to the IdP — with no visible cause.

use crate::flow::Context;
use crate::flow::attempts::Outcome;
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// The identity provider issued a valid-looking success answer (a SAML
    /// Response with status Success, an authorization code or tokens), the
    /// browser delivered it to the app, and the app refused it: an error
    /// status, an error page, or a redirect straight back to the IdP.
    /// ## Why it matters
    /// The IdP did its part; the app's validation failed for a reason the
    /// trace does not show directly (a certificate or client secret the app
    /// has wrong, a token validation setting, a lost server-side session, an
    /// exception in the app).
    /// ## How to fix
    /// Read the app's log at the time of the failing request (UTC time in the
    /// ticket block) for the validation error; compare the app's IdP
    /// configuration (entity IDs, certificates, client ID / secret, issuer)
    /// with what the trace shows the IdP sent.
    pub static RESPONSE_REJECTED = {
        code: "response-rejected",
        category: ResponseRejected,
        severity: Error,
        title: "The app rejected the identity provider's answer",
        check: response_rejected,
    };
}

pub fn response_rejected(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for a in &ctx.attempts {
        let Outcome::Failed { entry } = a.outcome else {
            continue;
        };
        let delivered_success = a
            .delivered
            .iter()
            .filter_map(|i| ctx.messages.get(*i))
            .any(|m| m.entry == entry && m.message.is_success_answer());
        if !delivered_success {
            continue;
        }
        // A cause already found at that step explains the rejection.
        if out
            .iter()
            .any(|f| f.entry == Some(entry) && f.severity == crate::rules::Severity::Error)
        {
            continue;
        }
        let Some(e) = ctx.capture.entry(entry) else {
            continue;
        };
        // A hop the exporter did not record is no refusal: completion
        // judges it from what followed.
        if crate::flow::completion::not_recorded(e) {
            continue;
        }
        let Some(r) = &e.response else {
            out.push(Finding::new(
                &RESPONSE_REJECTED,
                Some(entry),
                format!("The app received the answer at #{entry} but no response was recorded."),
            ));
            continue;
        };
        let how = if r.is_redirect() {
            format!(
                "answered {} and sent the browser back to {}",
                r.status,
                r.location().unwrap_or("another site")
            )
        } else if r.status >= 400 {
            format!("answered {} {}", r.status, r.status_text)
        } else {
            format!("answered {} with an error page", r.status)
        };
        let mut f = Finding::new(
            &RESPONSE_REJECTED,
            Some(entry),
            format!(
                "The IdP's success answer was delivered to {} at #{entry} and the app {how}.",
                e.request.host().unwrap_or("the app")
            ),
        )
        .evidence("status", r.status)
        .evidence("url", e.request.url.as_ref());
        if let Some(title) = r
            .body
            .as_ref()
            .and_then(|b| b.text(&ctx.limits).ok())
            .and_then(|t| crate::decode::html::title(&t))
        {
            f = f.evidence("page_title", title);
        }
        out.push(f);
    }
}
