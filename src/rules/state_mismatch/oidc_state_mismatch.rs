//! Rule `oidc-state-mismatch`: The OAuth callback's state belongs to another attempt.

use super::*;

declare_rule! {
    /// ## What it means
    /// The OAuth / OpenID Connect callback carries a `state` that is not the
    /// one the app sent with its latest authorization request.
    /// ## Why it matters
    /// RFC 6749 §10.12: the app must reject a callback whose `state` it did
    /// not issue ("state mismatch", "The oauth state was missing or
    /// invalid", `authorization_request_not_found`). It means the answer
    /// belongs to another attempt (two tabs, back button, a replayed or
    /// bookmarked callback URL).
    /// ## How to fix
    /// Start the sign-in again from the app in one tab. If the state matches
    /// in the trace but the app still fails, the app lost its copy: check its
    /// correlation / state cookie (SameSite) and session affinity.
    pub static STATE_MISMATCH = {
        code: "oidc-state-mismatch",
        category: InResponseToMismatch,
        severity: Error,
        title: "The OAuth callback's state belongs to another attempt",
        check: state_mismatch,
    };
}

pub fn state_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let mut sent: Vec<(String, u32)> = Vec::new();
    for m in &ctx.messages {
        if m.message.protocol() != "oidc" {
            continue;
        }
        if m.message.is_sign_in_request() && m.place.is_sent() {
            if let Some(state) = m.message.request_key() {
                sent.push((state.to_owned(), m.entry));
            }
            continue;
        }
        let is_callback = m.place.is_sent() && (m.message.is_idp_answer() || m.message.is_error());
        if !is_callback {
            continue;
        }
        let (Some(state), Some((latest, latest_entry))) =
            (m.message.answer_key(), sent.last().cloned())
        else {
            continue;
        };
        if state == latest || matches!(m.message, Message::Undecodable(_)) {
            continue;
        }
        let older = sent.iter().find(|(s, _)| s == state).map(|(_, e)| *e);
        let message = match older {
            Some(e) => format!(
                "The callback's state is the one sent at #{e}, but the app started a newer sign-in at #{latest_entry}: the answer belongs to the earlier attempt (two tabs, back button)."
            ),
            None => format!(
                "The callback's state matches none of the capture's authorization requests (latest at #{latest_entry}): a replayed or foreign callback."
            ),
        };
        let sev = crate::rules::mismatch_severity(ctx, m.entry);
        out.push(
            Finding::new(&STATE_MISMATCH, Some(m.entry), message)
                .severity(sev)
                .evidence("state_received", state)
                .evidence("latest_state_sent", latest)
                .evidence("latest_request_entry", latest_entry),
        );
    }
}
