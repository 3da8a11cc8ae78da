//! The capture shows no end of the sign-in: an attempt started and no
//! completion evidence followed ([`crate::flow::completion`]), and no other
//! rule found a failure. This is what makes "ok" need proof: without it,
//! every shape no rule knows would read as a success.

use crate::flow::Context;
use crate::flow::completion::Phase;
use crate::rules::{Finding, Severity};

declare_rule! {
    /// ## What it means
    /// A sign-in started but the capture does not show it completed: the
    /// app never answered the IdP's response with a page of its own, or the
    /// capture ends on a page the user still had to answer (a password or
    /// MFA prompt, a consent screen, an error nobody recognised).
    /// ## Why it matters
    /// Calling this a success would close the ticket wrongly. The place it
    /// stops is usually where the user got stuck.
    /// ## How to fix
    /// Look at the page the sign-in stops at; if the capture was stopped
    /// too early, record again and keep recording until the app's page is
    /// shown (or the error appears).
    pub static SIGN_IN_INCOMPLETE = {
        code: "sign-in-incomplete",
        category: Incomplete,
        severity: Error,
        title: "The capture does not show the sign-in completed",
        check: sign_in_incomplete,
    };
}

pub fn sign_in_incomplete(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    // A truncated capture is the capture-quality rules' to explain.
    if out.iter().any(|f| f.severity == Severity::Error)
        || ctx.last_success().is_some()
        || ctx.capture.is_truncated()
    {
        return;
    }
    let Some(c) = ctx
        .completions
        .iter()
        .rev()
        .find(|c| c.phase == Phase::SignIn && !c.completed)
    else {
        return;
    };
    // An earlier sign-in that completed, followed only by silent renewals
    // or a sign-out that did not fail, is still a completed sign-in.
    if ctx
        .completions
        .iter()
        .any(|x| x.completed && x.phase == Phase::SignIn && x.attempt > c.attempt)
    {
        return;
    }
    let Some(stop) = &c.stop else { return };
    let ends = if stop.capture_ends {
        "; the capture ends before it was answered"
    } else {
        ""
    };
    let mut f = Finding::new(
        &SIGN_IN_INCOMPLETE,
        Some(stop.entry),
        format!("The sign-in stops at #{}: {}{ends}.", stop.entry, stop.saw),
    )
    .evidence("stops_at", stop.entry)
    .evidence("saw", stop.saw.as_str())
    .evidence("capture_ends", stop.capture_ends);
    f.attempt = Some(c.attempt);
    if let Some(later) = &c.later_failure {
        f = f.evidence("later_failure", later.detail.as_str());
    }
    out.push(f);
}

declare_rule! {
    /// ## What it means
    /// The app took the identity provider's answer (its callback / ACS
    /// redirected into the app) and then showed an error: the page it lands
    /// on carries `error=` in its address, or an app library's error text,
    /// or answers with an error status.
    /// ## Why it matters
    /// The redirect looked like a success, but the app did not sign the user
    /// in — usually its server-side code exchange or token validation
    /// failed, which the browser cannot see.
    /// ## How to fix
    /// Read the app's log at the time of the callback for the token request
    /// or validation error (client secret, token endpoint reachability,
    /// clock, issuer / audience settings).
    pub static REJECTED_AFTER_CALLBACK = {
        code: "rejected-after-callback",
        category: ResponseRejected,
        severity: Error,
        title: "The app showed an error after taking the answer",
        check: rejected_after_callback,
    };
}

pub fn rejected_after_callback(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for c in &ctx.completions {
        let Some(later) = &c.later_failure else {
            continue;
        };
        if out
            .iter()
            .any(|f| f.entry == Some(later.entry) && f.severity == Severity::Error)
        {
            continue;
        }
        let mut f = Finding::new(
            &REJECTED_AFTER_CALLBACK,
            Some(later.entry),
            format!("After the callback, {}.", later.detail),
        )
        .evidence("later_failure", later.detail.as_str());
        f.attempt = Some(c.attempt);
        out.push(f);
    }
}
