//! Rule `saml-in-response-to-mismatch`: The SAML Response answers a different request.

use super::*;

declare_rule! {
    /// ## What it means
    /// The SAML Response answers an AuthnRequest other than the latest one
    /// the browser sent (`InResponseTo` names an older request, or none in
    /// the capture).
    /// ## Why it matters
    /// SPs remember the ID of the request they sent (in the session or a
    /// cookie) and reject an answer to another one: "InResponseTo is not
    /// valid", "does not match any of the possible request IDs". Two tabs, a
    /// double click, the back button or a bookmarked IdP page cause it.
    /// ## How to fix
    /// Sign in again from the app in a single tab. If it happens every time,
    /// check that the SP keeps its request ID across the round trip (session
    /// affinity on a load balancer, the session cookie's SameSite).
    pub static IN_RESPONSE_TO_MISMATCH = {
        code: "saml-in-response-to-mismatch",
        category: InResponseToMismatch,
        severity: Error,
        title: "The SAML Response answers a different request",
        check: in_response_to_mismatch,
    };
}

pub fn in_response_to_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    // AuthnRequest IDs sent so far, in order.
    let mut sent: Vec<(String, u32)> = Vec::new();
    for m in &ctx.messages {
        if m.message.is_sign_in_request() && m.place.is_sent() && m.message.protocol() == "saml" {
            if let Some(id) = m.message.request_key() {
                sent.push((id.to_owned(), m.entry));
            }
            continue;
        }
        if !(m.place.is_sent() && m.message.is_idp_answer() && m.message.protocol() == "saml") {
            continue;
        }
        let Some(irt) = m.message.answer_key() else {
            continue; // unsolicited (IdP-initiated): nothing to compare
        };
        let Some((latest, latest_entry)) = sent.last().cloned() else {
            continue; // the request is not in the capture (mid-flow)
        };
        if irt == latest {
            continue;
        }
        let older = sent.iter().find(|(id, _)| id == irt).map(|(_, e)| *e);
        let message = match older {
            Some(e) => format!(
                "InResponseTo is {irt}, the AuthnRequest sent at #{e}, but a newer AuthnRequest {latest} was sent at #{latest_entry}: two sign-ins overlapped (two tabs, double click, back button)."
            ),
            None => format!(
                "InResponseTo is {irt}, which none of the capture's AuthnRequests carries (latest: {latest} at #{latest_entry}): the Response belongs to another session or was replayed."
            ),
        };
        let sev = crate::rules::mismatch_severity(ctx, m.entry);
        out.push(
            Finding::new(&IN_RESPONSE_TO_MISMATCH, Some(m.entry), message)
                .severity(sev)
                .evidence("in_response_to", irt)
                .evidence("latest_request_id", latest)
                .evidence("latest_request_entry", latest_entry),
        );
    }
}
