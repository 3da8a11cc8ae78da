//! Redirect / reply URL mismatches: the IdP refused the `redirect_uri`
//! (AADSTS50011 and relatives, Google `redirect_uri_mismatch`, Okta's 400
//! page, generic `redirect_uri` errors), or a SAML IdP posted the Response
//! somewhere other than the ACS URL the AuthnRequest asked for.

use super::idp_error;
use super::saml_checks::url_difference;
use crate::decode::Message;
use crate::decode::saml::SamlMessage;
use crate::flow::Context;
use crate::rules::{Category, Finding, Severity};

declare_rule! {
    /// ## What it means
    /// The identity provider refused the `redirect_uri` (reply URL) the app
    /// sent: it is not registered for the app, or differs from the
    /// registered one (scheme, host, port, path, trailing slash, case).
    /// ## Why it matters
    /// RFC 6749 §4.1.2.1: the IdP must not redirect to an unverified URI, so
    /// it shows an error page (Entra AADSTS50011, Google Error 400
    /// redirect_uri_mismatch, Okta "The 'redirect_uri' parameter must be a
    /// Login redirect URI…") and the user never gets back to the app.
    /// ## How to fix
    /// Register the exact URI the app sends (Entra: App registrations ›
    /// Authentication › Redirect URIs; Google Cloud console › Credentials;
    /// Okta: Sign-in redirect URIs), or make the app send a registered one.
    /// An `http://` URI from an app served over HTTPS means the app is behind
    /// TLS offload without forwarded-proto handling.
    pub static REDIRECT_URI_MISMATCH = {
        code: "redirect-uri-mismatch",
        category: RedirectMismatch,
        severity: Error,
        title: "The redirect URI is not registered for the app",
    };
}

declare_rule! {
    /// ## What it means
    /// The AuthnRequest asked the IdP to post the Response to one
    /// AssertionConsumerServiceURL, and the IdP posted it to another.
    /// ## Why it matters
    /// The IdP uses its own configured reply URL: when it differs from the
    /// SP's ACS URL the Response lands where the SP does not expect it (a
    /// stale environment, HTTP instead of HTTPS, another path) and is
    /// rejected or lost.
    /// ## How to fix
    /// Make the IdP's reply URL for the app the SP's ACS URL (Entra: Basic
    /// SAML Configuration › Reply URL), or make the SP request the one the
    /// IdP knows.
    pub static SAML_ACS_MISMATCH = {
        code: "saml-acs-mismatch",
        category: RedirectMismatch,
        severity: Error,
        title: "The IdP posted the Response to another ACS URL than requested",
    };
}

pub fn redirect_uri_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, m, info, category, sub) in idp_error::errors(ctx) {
        if category != Category::RedirectMismatch {
            continue;
        }
        let mut f = idp_error::finding(&REDIRECT_URI_MISMATCH, m, &info, category, sub);
        if let Some(uri) = ctx.request_for(i).and_then(|r| r.message.redirect_uri()) {
            f = f.evidence("redirect_uri", uri);
        }
        out.push(f);
    }
}

pub fn saml_acs_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, m) in ctx.messages.iter().enumerate() {
        let Message::Saml(SamlMessage::Response(_)) = &m.message else {
            continue;
        };
        if !m.place.is_sent() {
            continue;
        }
        let Some(posted) = m.target.as_deref() else {
            continue;
        };
        let acs = ctx.request_for(i).and_then(|r| match &r.message {
            Message::Saml(SamlMessage::AuthnRequest(a)) => {
                a.assertion_consumer_service_url.as_deref()
            }
            _ => None,
        });
        let Some(acs) = acs else {
            continue;
        };
        if let Some(diff) = url_difference(acs, posted) {
            let sev = if ctx.app_accepted(m.entry) {
                Severity::Warning
            } else {
                Severity::Error
            };
            out.push(
                Finding::new(
                    &SAML_ACS_MISMATCH,
                    Some(m.entry),
                    format!("The AuthnRequest asked for {acs} but the Response was posted to {posted} ({diff})."),
                )
                .severity(sev)
                .evidence("requested_acs_url", acs)
                .evidence("posted_to", posted)
                .evidence("difference", diff),
            );
        }
    }
}
