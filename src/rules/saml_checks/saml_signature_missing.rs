//! Rule `saml-signature-missing`: The SAML Response is not signed.

use super::*;

declare_rule! {
    /// ## What it means
    /// Neither the SAML Response nor its assertion carries an XML signature.
    /// ## Why it matters
    /// Profiles §4.1.4: a Response delivered by HTTP-POST must be signed;
    /// every SP library rejects an unsigned one ("No Signature found",
    /// "Invalid document signature").
    /// ## How to fix
    /// Turn on signing at the IdP (Entra: SAML signing certificate › Signing
    /// option "Sign SAML response and assertion"), and check the SP expects
    /// the signature where the IdP puts it (response vs assertion).
    pub static SIGNATURE_MISSING = {
        code: "saml-signature-missing",
        category: Signature,
        severity: Error,
        title: "The SAML Response is not signed",
        check: signature_missing,
    };
}

pub fn signature_missing(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, f, r) in delivered(ctx) {
        if !r.status.is_success() || (r.assertions.is_empty() && r.encrypted_assertions.is_empty())
        {
            continue;
        }
        let response_signed = !r.signatures.is_empty();
        let assertion_signed = r.assertions.iter().any(|a| a.signed);
        if response_signed || assertion_signed || !r.encrypted_assertions.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                &SIGNATURE_MISSING,
                Some(f.entry),
                "Neither the Response nor its assertion carries a ds:Signature.",
            )
            .severity(crate::rules::mismatch_severity(ctx, f.entry))
            .evidence("response_signed", false)
            .evidence("assertion_signed", false),
        );
    }
}
