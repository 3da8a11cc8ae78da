//! Rule `consent-declined`: The user declined consent.

use super::*;

declare_rule! {
    /// ## What it means
    /// The user declined the consent prompt (Entra AADSTS65004
    /// UserDeclinedConsent, `error=access_denied` after a consent screen).
    /// ## Why it matters
    /// The app gets no token; it should say so instead of failing obscurely.
    /// ## How to fix
    /// Sign in again and accept, or have an administrator grant consent for
    /// the organisation so users are not asked.
    pub static CONSENT_DECLINED = {
        code: "consent-declined",
        category: Consent,
        severity: Error,
        title: "The user declined consent",
        check: consent_declined,
    };
}

pub fn consent_declined(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Declined {
            out.push(idp_error::finding(
                &CONSENT_DECLINED,
                m,
                &info,
                Category::Consent,
                None,
            ));
        }
    }
}
