//! Rule `replay`: the same IdP answer delivered to the app twice.
//!
//! A SAML Response is single-use (SAML 2.0 Profiles §4.1.4.5: the SP must
//! keep used assertion IDs and reject a second presentation), and so is an
//! OAuth authorization code (RFC 6749 §4.1.2: "The client MUST NOT use the
//! authorization code more than once"). The same Response `ID` posted to
//! the ACS twice, or the same `code` delivered to the callback (or redeemed
//! at the token endpoint) twice, is a replay — usually the browser's Back
//! button or a double submit — and the app's second answer ("InResponseTo
//! is not valid", "Unsolicited response", `invalid_grant`, a missing
//! correlation cookie the first delivery consumed) is its symptom, not a
//! dropped cookie.

use std::collections::BTreeMap;

use crate::decode::{Found, Message, oidc, saml};
use crate::flow::Context;
use crate::rules::{Finding, mismatch_severity};

declare_rule! {
    /// ## What it means
    /// The app received an answer it had already been given: the same SAML
    /// Response ID, or the same OAuth authorization code, arrived a second
    /// time (the Back button re-posting the IdP's form, a refresh of the
    /// callback page, or a double submit).
    /// ## Why it matters
    /// A used response or code must be refused, so the second delivery
    /// fails even when the first one signed the user in: the error the user
    /// sees ("InResponseTo is not valid", `invalid_grant`, "Correlation
    /// failed.") hides that the sign-in itself worked.
    /// ## How to fix
    /// Nothing is wrong with the IdP or the federation: have the user start
    /// from the app's URL instead of the Back button. In the app, redirect
    /// after the callback / ACS (POST-redirect-GET) so the form is not in
    /// the history, and answer a replayed response by sending an already
    /// signed-in user on to the app.
    pub static REPLAY = {
        code: "replay",
        category: Replay,
        severity: Error,
        title: "The same sign-in response was delivered twice",
        check: replay,
    };
}

/// What makes an answer single-use, and what to call it.
fn single_use_key(m: &Found) -> Option<(String, &'static str)> {
    if !m.place.is_sent() {
        return None;
    }
    match &m.message {
        Message::Saml(saml::SamlMessage::Response(r)) => {
            Some((format!("saml:{}", r.id.as_deref()?), "SAML Response"))
        }
        Message::Oidc(oidc::OidcMessage::OauthResponse(r)) => Some((
            format!("code:{}", r.code.as_ref()?.expose()),
            "authorization code",
        )),
        Message::Oidc(oidc::OidcMessage::OauthTokenRequest(t))
            if t.grant_type == oidc::GrantType::AuthorizationCode =>
        {
            Some((
                format!("redeem:{}", t.code.as_ref()?.expose()),
                "authorization code redemption",
            ))
        }
        _ => None,
    }
}

pub fn replay(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let mut first: BTreeMap<String, u32> = BTreeMap::new();
    for m in &ctx.messages {
        let Some((key, what)) = single_use_key(m) else {
            continue;
        };
        let Some(&e1) = first.get(&key) else {
            first.insert(key, m.entry);
            continue;
        };
        if e1 == m.entry {
            continue;
        }
        // A 307 / 308 makes the browser repeat the POST, body and all
        // (RFC 9110 §15.4.8, §15.4.9): the same delivery, forwarded.
        let forwarded = ctx
            .capture
            .entry(e1)
            .and_then(|e| e.response.as_ref())
            .is_some_and(|r| matches!(r.status, 307 | 308));
        if forwarded {
            first.insert(key, m.entry);
            continue;
        }
        let e2 = m.entry;
        let first_ok = ctx.app_accepted(e1);
        let outcome = if first_ok {
            "the first delivery succeeded (the app accepted it), so the user was signed in and the error after the second one is only the replay's"
        } else {
            "the first delivery did not succeed either"
        };
        let shown = match &m.message {
            Message::Saml(saml::SamlMessage::Response(r)) => {
                format!(" (ID `{}`)", r.id.as_deref().unwrap_or_default())
            }
            _ => String::new(),
        };
        let mut f = Finding::new(
            &REPLAY,
            Some(e2),
            format!(
                "The {what}{shown} delivered at #{e1} was delivered again at #{e2} — usually the Back button or a double submit; {outcome}."
            ),
        )
        .severity(mismatch_severity(ctx, e2))
        .evidence("first_delivery_entry", e1)
        .evidence("first_delivery_succeeded", first_ok)
        .evidence("what", what);
        if let Some(r) = ctx.capture.entry(e2).and_then(|e| e.response.as_ref()) {
            f = f.evidence("status", r.status);
        }
        out.push(f);
        return;
    }
}
