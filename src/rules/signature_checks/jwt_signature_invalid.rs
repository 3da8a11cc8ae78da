//! Rule `jwt-signature-invalid`: A token's signature does not verify.

use super::*;
use crate::signature::Status;

declare_rule! {
    /// ## What it means
    /// A JWT delivered to the app does not verify with the IdP's keys (the
    /// JWKS given with `--idp-cert`, or the one the capture fetched), or it
    /// verifies only with a key the capture fetched and not with the keys
    /// given.
    /// ## Why it matters
    /// The app rejects the token ("IDX10511 signature validation failed",
    /// "invalid signature"). Common causes: the app caches an old JWKS after
    /// the IdP rolled its keys, the token was issued by another tenant or
    /// authority, or it was modified.
    /// ## How to fix
    /// Let the app refresh the IdP's keys from its `jwks_uri` (restart it or
    /// shorten its metadata cache), check the authority / tenant it is
    /// configured with matches the token's `iss`.
    pub static JWT_SIGNATURE_INVALID = {
        code: "jwt-signature-invalid",
        category: Signature,
        severity: Error,
        title: "A token's signature does not verify",
        check: jwt_signature_invalid,
    };
}

pub fn jwt_signature_invalid(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_tokens(ctx) {
        for t in s
            .tokens
            .iter()
            .filter(|t| matches!(t.status, Status::Invalid | Status::UntrustedKey))
        {
            out.push(
                Finding::new(
                    &JWT_SIGNATURE_INVALID,
                    Some(f.entry),
                    format!(
                        "The {} ({}{}) does not verify with the keys the app trusts: {}.",
                        t.param,
                        t.alg.as_deref().unwrap_or("no alg"),
                        t.kid
                            .as_deref()
                            .map(|k| format!(", kid {k}"))
                            .unwrap_or_default(),
                        t.reason.as_deref().unwrap_or("invalid")
                    ),
                )
                .severity(crate::rules::mismatch_severity(ctx, f.entry))
                .evidence("status", t.status.as_str()),
            );
        }
    }
}
