//! Rule `admin-consent-required`: Administrator consent is required.

use super::*;

declare_rule! {
    /// ## What it means
    /// The app needs permissions that only an administrator may grant (Entra
    /// AADSTS90094 AdminConsentRequired, 90095 with the admin consent
    /// workflow, 65001 no grant yet, 650052…).
    /// ## Why it matters
    /// Users cannot get past this themselves; the tenant's consent settings
    /// or the app's requested permissions decide.
    /// ## How to fix
    /// An administrator grants consent (Entra admin center › Enterprise
    /// applications › the app › Permissions › "Grant admin consent", or the
    /// `/adminconsent` endpoint), or the app stops requesting the
    /// admin-only permission.
    pub static ADMIN_CONSENT_REQUIRED = {
        code: "admin-consent-required",
        category: Consent,
        severity: Error,
        title: "Administrator consent is required",
        check: admin_consent_required,
    };
}

pub fn admin_consent_required(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Admin {
            out.push(idp_error::finding(
                &ADMIN_CONSENT_REQUIRED,
                m,
                &info,
                Category::Consent,
                None,
            ));
        }
    }
}
