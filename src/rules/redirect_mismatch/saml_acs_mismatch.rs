//! Rule `saml-acs-mismatch`: The IdP posted the Response to another ACS URL than requested.

use super::*;

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
        check: saml_acs_mismatch,
    };
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
            let sev = crate::rules::mismatch_severity(ctx, m.entry);
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
