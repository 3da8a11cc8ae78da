//! Rule `relay-state-lost`: the RelayState the app sent with its SAML
//! AuthnRequest did not come back unchanged with the Response.
//!
//! SAML 2.0 Bindings §3.4.3 / §3.5.3: "If a SAML request message is
//! accompanied by RelayState data, then the SAML responder MUST return its
//! SAML protocol response using a binding that also supports a RelayState
//! mechanism, and it MUST place the exact RelayState data it received with
//! the request into the corresponding RelayState parameter in the
//! response." Apps keep the deep link (the page the user asked for) there;
//! lost or changed, the user lands on the app's home page. IdP-initiated
//! SSO (a Response with no AuthnRequest) has nothing to compare and is
//! normal.

use crate::decode::{Message, saml};
use crate::flow::Context;
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// The app sent a `RelayState` (usually the deep link the user asked
    /// for) with its SAML AuthnRequest, and the IdP's Response came back
    /// without it or with a different value.
    /// ## Why it matters
    /// The bindings require the IdP to return the exact RelayState it got.
    /// Without it the app cannot send the user on to the page they wanted:
    /// the sign-in "works" but lands on the home page, or the app rejects a
    /// RelayState it uses as a CSRF check.
    /// ## How to fix
    /// Check the IdP's relying-party settings (a "default RelayState" or a
    /// fixed landing URL configured for the app replaces the app's value);
    /// keep RelayState under 80 bytes (some IdPs truncate longer values);
    /// make sure nothing between (a proxy, a discovery service) rewrites it.
    pub static RELAY_STATE_LOST = {
        code: "relay-state-lost",
        category: RelayState,
        severity: Error,
        title: "The RelayState (deep link) did not come back",
        check: relay_state_lost,
    };
}

fn relay_state(m: &Message) -> Option<&str> {
    match m {
        Message::Saml(s) => s.transport()?.relay_state.as_deref(),
        _ => None,
    }
}

pub fn relay_state_lost(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for a in &ctx.attempts {
        let Some(req) = a.request.and_then(|r| ctx.messages.get(r)) else {
            continue; // IdP-initiated: nothing was sent to compare with.
        };
        if !matches!(
            req.message,
            Message::Saml(saml::SamlMessage::AuthnRequest(_))
        ) {
            continue;
        }
        let Some(sent) = relay_state(&req.message).filter(|s| !s.is_empty()) else {
            continue;
        };
        let Some(back) = a
            .delivered
            .iter()
            .filter_map(|i| ctx.messages.get(*i))
            .find(|m| matches!(m.message, Message::Saml(saml::SamlMessage::Response(_))))
        else {
            continue;
        };
        let returned = relay_state(&back.message);
        if returned == Some(sent) {
            continue;
        }
        let what = match returned {
            None | Some("") => "came back without a RelayState".to_owned(),
            Some(r) => format!("came back with RelayState `{}` instead", short(r)),
        };
        let landed = ctx
            .capture
            .entry(back.entry)
            .and_then(|e| e.response.as_ref())
            .and_then(|r| r.location())
            .map(|l| format!(" The app then sent the browser to {l}."))
            .unwrap_or_default();
        let mut f = Finding::new(
            &RELAY_STATE_LOST,
            Some(back.entry),
            format!(
                "The app sent RelayState `{}` with its AuthnRequest at #{}; the SAML Response delivered at #{} {what}, so the deep link was lost.{landed}",
                short(sent),
                req.entry,
                back.entry
            ),
        )
        .evidence("relay_state_sent", sent)
        .evidence("request_entry", req.entry);
        if let Some(r) = returned {
            f = f.evidence("relay_state_returned", r);
        }
        out.push(f);
    }
}

/// A long value cut for a sentence (the evidence keeps it whole).
fn short(s: &str) -> String {
    if s.chars().count() <= 100 {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(100).collect::<String>())
    }
}
