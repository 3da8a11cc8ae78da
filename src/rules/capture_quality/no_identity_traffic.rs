//! Rule `no-identity-traffic`: No sign-in traffic in the capture.

use super::*;

declare_rule! {
    /// ## What it means
    /// No sign-in traffic was found: no SAML, WS-Federation or OAuth / OpenID
    /// Connect message, and no request to a known identity provider.
    /// ## Why it matters
    /// Either the capture was taken while the problem did not happen, or the
    /// sign-in ran in another browser, profile or process than the one
    /// recorded.
    /// ## How to fix
    /// Reproduce the failing sign-in while recording, in a private window so
    /// existing sessions do not skip the IdP, with "Preserve log" on.
    pub static NO_IDENTITY_TRAFFIC = {
        code: "no-identity-traffic",
        category: CaptureQuality,
        severity: Warning,
        title: "No sign-in traffic in the capture",
        check: no_identity_traffic,
    };
}

pub fn no_identity_traffic(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if ctx.exchanges().is_empty() {
        out.push(Finding::new(
            &NO_IDENTITY_TRAFFIC,
            None,
            "The capture holds no requests at all.",
        ));
        return;
    }
    if !ctx.messages.is_empty() || ctx.exchanges().iter().all(|e| e.is_tunnel()) {
        return;
    }
    let idp_hosts = ctx.exchanges().iter().any(|e| {
        e.request
            .host()
            .is_some_and(|h| crate::timeline::host_party(h) == crate::timeline::Party::Idp)
    });
    if idp_hosts {
        return;
    }
    out.push(
        Finding::new(
            &NO_IDENTITY_TRAFFIC,
            None,
            format!(
                "None of the {} exchanges carries a SAML, WS-Federation or OAuth / OpenID Connect message.",
                ctx.exchanges().len()
            ),
        )
        .evidence("entries", ctx.exchanges().len()),
    );
}
