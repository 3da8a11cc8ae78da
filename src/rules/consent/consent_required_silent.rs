//! Rule `consent-required-silent`: A silent request needs consent or interaction.

use super::*;

declare_rule! {
    /// ## What it means
    /// A silent request (`prompt=none`) failed with `consent_required` or
    /// `interaction_required`: the IdP needs the user to consent or interact.
    /// ## Why it matters
    /// Apps are expected to retry interactively; if no interactive attempt
    /// follows, the sign-in silently never completes.
    /// ## How to fix
    /// Make the app fall back to an interactive request (no `prompt=none`)
    /// when the silent one fails, or pre-grant consent.
    pub static CONSENT_REQUIRED_SILENT = {
        code: "consent-required-silent",
        category: Consent,
        severity: Warning,
        title: "A silent request needs consent or interaction",
        check: consent_required_silent,
    };
}

pub fn consent_required_silent(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Silent {
            let retried = ctx.attempts.iter().any(|a| a.first_entry > m.entry);
            let f = idp_error::finding(&CONSENT_REQUIRED_SILENT, m, &info, Category::Consent, None);
            // Expected when the app retries interactively; the failure when it does not.
            out.push(if retried {
                f.severity(Severity::Info)
            } else {
                f.severity(Severity::Error)
            });
        }
    }
}
