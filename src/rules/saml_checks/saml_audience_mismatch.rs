//! Rule `saml-audience-mismatch`: SAML Audience is not the SP's entity ID.

use super::*;

declare_rule! {
    /// ## What it means
    /// The assertion's `Audience` is not the entity ID the SP used as
    /// `Issuer` of its AuthnRequest.
    /// ## Why it matters
    /// SAML core §2.5.1.4: an assertion is only valid for its audiences; SPs
    /// reject others ("Invalid Audience", "SAML assertion audience mismatch").
    /// Entra copies the AuthnRequest Issuer into the Audience, so a difference
    /// means the app's Identifier at the IdP differs from what the SP sends.
    /// ## How to fix
    /// Make the IdP's Identifier (Entity ID) for the app exactly the SP's
    /// entity ID — watch for a trailing `/`, `http` vs `https`, `spn:` /
    /// `api://` prefixes, a GUID vs a URI.
    pub static AUDIENCE_MISMATCH = {
        code: "saml-audience-mismatch",
        category: AudienceMismatch,
        severity: Error,
        title: "SAML Audience is not the SP's entity ID",
        check: audience_mismatch,
    };
}

pub fn audience_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, f, r) in delivered(ctx) {
        let Some(sp_entity) = ctx.request_for(i).and_then(|req| req.message.issuer()) else {
            continue; // IdP-initiated: the expected audience is SP configuration.
        };
        let audiences: Vec<&str> = r
            .assertions
            .iter()
            .filter_map(|a| a.conditions.as_ref())
            .flat_map(|c| c.audiences.iter().map(String::as_str))
            .collect();
        if audiences.is_empty() || audiences.contains(&sp_entity) {
            continue;
        }
        let first = audiences.first().copied().unwrap_or_default();
        out.push(
            Finding::new(
                &AUDIENCE_MISMATCH,
                Some(f.entry),
                format!(
                    "The assertion is for audience {first} but the SP asked as {sp_entity}{}.",
                    url_difference(sp_entity, first)
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                ),
            )
            .severity(crate::rules::mismatch_severity(ctx, f.entry))
            .evidence("audience", audiences)
            .evidence("sp_entity_id", sp_entity),
        );
    }
}
