//! Rule `oidc-audience-mismatch`: The id_token was issued to another client.

use super::*;

declare_rule! {
    /// ## What it means
    /// The id_token's audience (`aud`) does not contain the `client_id` the
    /// app used in its authorization request.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rule 3: the relying party must reject a token not
    /// issued to it ("aud mismatch", IDX10214). It usually means the app is
    /// configured with another client ID than the one it sends, or validates
    /// an access token as if it were its id_token.
    /// ## How to fix
    /// Make the app validate against the client ID it sends at /authorize
    /// (one app registration per environment), and validate the id_token —
    /// not an access token for an API — as its sign-in token.
    pub static TOKEN_AUDIENCE_MISMATCH = {
        code: "oidc-audience-mismatch",
        category: AudienceMismatch,
        severity: Error,
        title: "The id_token was issued to another client",
        check: audience_mismatch,
    };
}

pub fn audience_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, entry, token) in delivered(ctx) {
        let Some(client_id) = ctx.request_for(i).and_then(|r| r.message.issuer()) else {
            continue;
        };
        let audiences = token.audiences();
        if audiences.is_empty() || audiences.contains(&client_id) {
            continue;
        }
        out.push(
            Finding::new(
                &TOKEN_AUDIENCE_MISMATCH,
                Some(entry),
                format!(
                    "The id_token's aud is {} but the app asked as client_id {client_id}.",
                    audiences.join(", ")
                ),
            )
            .severity(crate::rules::mismatch_severity(ctx, entry))
            .evidence("aud", audiences)
            .evidence("client_id", client_id),
        );
    }
}
