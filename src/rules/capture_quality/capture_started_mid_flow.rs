//! Rule `capture-started-mid-flow`: The capture starts in the middle of a sign-in.

use super::*;

declare_rule! {
    /// ## What it means
    /// The capture starts with the IdP's answer (a SAML POST to the app or an
    /// OAuth callback) but holds no sign-in request before it.
    /// ## Why it matters
    /// The request the answer belongs to — its ID, `state`, `redirect_uri`,
    /// cookies set by the app — is not in the trace, so mismatches against it
    /// cannot be checked.
    /// ## How to fix
    /// Start recording before opening the app (in DevTools tick "Preserve
    /// log"), then reproduce the whole sign-in from the beginning.
    pub static MID_FLOW = {
        code: "capture-started-mid-flow",
        category: CaptureQuality,
        severity: Warning,
        title: "The capture starts in the middle of a sign-in",
        check: mid_flow,
    };
}

pub fn mid_flow(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let Some(first_msg) = ctx.messages.first() else {
        return;
    };
    let is_answer = first_msg.message.is_idp_answer();
    let any_request_before = ctx
        .messages
        .iter()
        .take_while(|m| m.entry <= first_msg.entry)
        .any(|m| m.message.is_sign_in_request());
    if is_answer && !any_request_before {
        out.push(
            Finding::new(
                &MID_FLOW,
                Some(first_msg.entry),
                format!(
                    "The first identity message (#{}, {}) is the IdP's answer; the request it answers is not in the capture.",
                    first_msg.entry,
                    first_msg.message.kind()
                ),
            )
            .evidence("first_message", first_msg.message.kind()),
        );
    }
}
