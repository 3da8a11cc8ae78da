//! Rule `jwt-alg-none`: A token is unsigned (alg none).

use super::*;

declare_rule! {
    /// ## What it means
    /// A JWT delivered to the app has `"alg": "none"`: an unsecured token
    /// (RFC 7518 §3.6) that anyone could have written.
    /// ## Why it matters
    /// OpenID Connect Core §3.1.3.7 requires ID tokens to be signed unless
    /// the client registered `none` for the back channel; libraries reject
    /// it, and one that accepts it is exploitable.
    /// ## How to fix
    /// Make the IdP sign the token (the client's registered
    /// `id_token_signed_response_alg`, RS256 by default); never accept
    /// `none` in the app.
    pub static JWT_ALG_NONE = {
        code: "jwt-alg-none",
        category: Signature,
        severity: Error,
        title: "A token is unsigned (alg none)",
        check: jwt_alg_none,
    };
}

pub fn jwt_alg_none(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_tokens(ctx) {
        for t in s.tokens.iter().filter(|t| t.unsecured) {
            out.push(
                Finding::new(
                    &JWT_ALG_NONE,
                    Some(f.entry),
                    format!("The {} has alg none: it is not signed at all.", t.param),
                )
                .evidence("param", t.param.clone()),
            );
        }
    }
}
