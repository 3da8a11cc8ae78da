//! Rule `oidc-nonce-mismatch`: The id_token's nonce belongs to another request.

use super::*;

declare_rule! {
    /// ## What it means
    /// The id_token's `nonce` claim is not the `nonce` the app sent in its
    /// authorization request, or is missing although one was sent.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rule 11: the relying party must reject it ("nonce
    /// mismatch", IDX21323). A different nonce means the token answers
    /// another sign-in (two tabs, a replayed callback).
    /// ## How to fix
    /// Start the sign-in again in one tab. If the nonces match in the trace
    /// but the app still fails, the app lost its own copy (its nonce cookie —
    /// check SameSite — or its session).
    pub static NONCE_MISMATCH = {
        code: "oidc-nonce-mismatch",
        category: InResponseToMismatch,
        severity: Error,
        title: "The id_token's nonce belongs to another request",
        check: nonce_mismatch,
    };
}

pub fn nonce_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, entry, token) in delivered(ctx) {
        let Some(sent) = ctx.request_for(i).and_then(|r| r.message.nonce()) else {
            continue;
        };
        let got = token.nonce();
        if got == Some(sent) {
            continue;
        }
        let message = match got {
            Some(g) => {
                format!("The id_token's nonce is {g} but the authorization request sent {sent}.")
            }
            None => {
                format!("The id_token has no nonce although the authorization request sent {sent}.")
            }
        };
        out.push(
            Finding::new(&NONCE_MISMATCH, Some(entry), message)
                .severity(crate::rules::mismatch_severity(ctx, entry))
                .evidence("nonce_sent", sent)
                .evidence("nonce_received", got.unwrap_or_default()),
        );
    }
}
