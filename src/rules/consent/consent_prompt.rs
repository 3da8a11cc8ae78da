//! Rule `consent-prompt`: A consent prompt was shown.

use super::*;

declare_rule! {
    /// ## What it means
    /// The user was shown a consent screen asking to grant the app
    /// permissions (Entra consent page, `prompt=consent`, an OIDC provider's
    /// consent step).
    /// ## Why it matters
    /// Expected the first time a user or tenant uses an app; unexpected on
    /// every sign-in (the app forces `prompt=consent`, or asks for a new
    /// scope each time), and blocking when users may not consent.
    /// ## How to fix
    /// Nothing if it happens once. If it repeats, stop forcing
    /// `prompt=consent`, request the same scopes each time, or have an admin
    /// grant tenant-wide consent.
    pub static CONSENT_PROMPT = {
        code: "consent-prompt",
        category: Consent,
        severity: Info,
        title: "A consent prompt was shown",
        check: consent_prompt,
    };
}

pub fn consent_prompt(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(m) = ctx.messages.iter().find(|m| m.message.is_consent_prompt()) {
        out.push(
            Finding::new(
                &CONSENT_PROMPT,
                Some(m.entry),
                format!(
                    "A consent prompt was shown at #{} ({}).",
                    m.entry,
                    m.message.kind()
                ),
            )
            .evidence("message_kind", m.message.kind()),
        );
    }
}
