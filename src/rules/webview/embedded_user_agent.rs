//! Rule `embedded-user-agent`: The sign-in ran in an embedded browser.

use super::*;
use crate::flow::browser::embedded_reason;

declare_rule! {
    /// ## What it means
    /// The sign-in ran in an embedded browser: an Android WebView (`; wv)`),
    /// an iOS WKWebView (no `Safari/` in the user agent), an in-app browser
    /// (Facebook, Instagram, LINE…) or, in a Fiddler capture, a process that is
    /// not a browser.
    /// ## Why it matters
    /// Many IdPs refuse or restrict embedded browsers, and they do not share
    /// cookies or SSO state with the system browser, which breaks single
    /// sign-on, passkeys and device-based Conditional Access.
    /// ## How to fix
    /// Reproduce in a real browser to confirm; have the app use the system
    /// browser for sign-in (see the IdP's native-app guidance, RFC 8252).
    pub static EMBEDDED_USER_AGENT = {
        code: "embedded-user-agent",
        category: WebviewBlocked,
        severity: Warning,
        title: "The sign-in ran in an embedded browser",
        check: embedded_user_agent,
    };
}

pub fn embedded_user_agent(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for e in ctx.exchanges() {
        if let Some(ua) = user_agent(e)
            && let Some(why) = embedded_reason(ua)
        {
            out.push(
                Finding::new(
                    &EMBEDDED_USER_AGENT,
                    Some(e.index),
                    format!("The user agent is {why}: `{ua}`."),
                )
                .evidence("user_agent", ua)
                .evidence("reason", why),
            );
            return;
        }
        if let Some(process) = e.meta_text("x-processinfo")
            && let Some(name) = non_browser_process(&process)
        {
            out.push(
                Finding::new(
                    &EMBEDDED_USER_AGENT,
                    Some(e.index),
                    format!(
                        "The traffic came from the process `{name}`, which is not a web browser."
                    ),
                )
                .evidence("process", process.as_ref()),
            );
            return;
        }
    }
}
