//! Rule `device-code`: the OAuth device authorization grant (RFC 8628).
//!
//! The client polls the token endpoint with
//! `grant_type=urn:ietf:params:oauth:grant-type:device_code`; while the user
//! has not finished, the IdP answers `authorization_pending` (Entra:
//! AADSTS70016) or `slow_down` — progress, not failure (RFC 8628 §3.5). The
//! flow's outcome is the *last* poll: tokens mean success; `expired_token`
//! (Entra: AADSTS70020, "this device code has expired" — a code Microsoft's
//! published table omits, quoted from real `az login` / azure-identity
//! errors; 70019 for an expired verification code) means the user did not finish in time; any other
//! error (`access_denied`, `authorization_declined`, a bad code) is the
//! failure. `idp-error` leaves every answer to a device-code poll to this
//! rule.

use crate::decode::{Message, oidc};
use crate::flow::Context;
use crate::rules::{Finding, Severity};

declare_rule! {
    /// ## What it means
    /// A device-code sign-in (`az login --use-device-code`, a TV or CLI
    /// app) did not end with tokens: the device code expired before the user
    /// entered it and signed in (`expired_token`, AADSTS70020), the user
    /// declined, or the capture ends while the client was still polling
    /// (`authorization_pending`).
    /// ## Why it matters
    /// `authorization_pending` / `slow_down` answers are the protocol's "not
    /// yet" and are never the cause; only the last poll says how the flow
    /// ended. An expired code means the user was too slow (codes live about
    /// 15 minutes in Entra) or signed in on a different code.
    /// ## How to fix
    /// Start the device flow again and complete the sign-in at the
    /// verification URL before the code expires; make sure the user enters
    /// the code the client printed last. If polls stop without an answer,
    /// record until the client prints its result.
    pub static DEVICE_CODE = {
        code: "device-code",
        category: IdpError,
        severity: Error,
        title: "The device-code sign-in did not complete",
        check: device_code,
    };
}

/// One poll: its entry and how the token endpoint answered.
struct Poll<'m> {
    entry: u32,
    answer: Option<&'m crate::decode::Found>,
}

fn polls<'m>(ctx: &'m Context<'_, '_>) -> Vec<Poll<'m>> {
    ctx.messages
        .iter()
        .filter(|m| m.message.is_device_code_request())
        .map(|req| Poll {
            entry: req.entry,
            answer: ctx.messages.iter().find(|m| {
                m.entry == req.entry
                    && matches!(
                        m.message,
                        Message::Oidc(
                            oidc::OidcMessage::OauthTokenResponse(_)
                                | oidc::OidcMessage::OauthError(_)
                        )
                    )
            }),
        })
        .collect()
}

pub fn device_code(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let polls = polls(ctx);
    let Some(last) = polls.last() else {
        return;
    };
    let pending = polls
        .iter()
        .filter(|p| {
            p.answer
                .and_then(|a| a.message.error_info())
                .is_some_and(|i| super::idp_error::is_poll_progress(&i))
        })
        .count();
    let Some(answer) = last.answer else {
        return;
    };
    if answer.message.is_success_answer() {
        return;
    }
    let Some(info) = answer.message.error_info() else {
        return;
    };
    if super::idp_error::is_poll_progress(&info) {
        out.push(
            Finding::new(
                &DEVICE_CODE,
                Some(last.entry),
                format!(
                    "The capture ends while the client is still polling: the last of {} polls (#{}) was answered `{}`; the user had not finished signing in yet.",
                    polls.len(),
                    last.entry,
                    info.code
                ),
            )
            .severity(Severity::Warning)
            .title("The device-code sign-in was still pending when the capture ends")
            .evidence("polls", polls.len())
            .evidence("pending_polls", pending)
            .evidence("error", info.code.as_str()),
        );
        return;
    }
    let (category, sub) = super::idp_error::classify(&info);
    let expired =
        info.code == "expired_token" || info.aadsts.iter().any(|c| matches!(c, 70019 | 70020));
    let mut f = super::idp_error::finding(&DEVICE_CODE, answer, &info, category, sub)
        .evidence("polls", polls.len())
        .evidence("pending_polls", pending);
    if expired {
        f = f.title("The device code expired before the user finished signing in");
    }
    out.push(f);
}
