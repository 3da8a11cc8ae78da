//! Embedded browsers: IdPs that refuse WebViews (Google's
//! `disallowed_useragent`, Entra's unsupported Android WebView) and user
//! agents that are embedded WebViews or in-app browsers.
//!
//! User-agent shapes (../shared/reference/error-surfaces.md §g): Android
//! WebView carries `; wv)` (Android CDD §3.4.1); iOS WKWebView looks like
//! Mobile Safari without `Safari/`; in-app browsers add markers such as
//! `FBAN/`, `FB_IAB`, `Instagram`, `Line/`. In a SAZ, a process that is not a
//! browser (`x-processinfo`) is an embedded client too.

use crate::capture::{Exchange, Headers, Limits};
use crate::flow::Context;
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// The identity provider refused to sign the user in because the page ran
    /// inside an embedded WebView (Google: `Error 403: disallowed_useragent`;
    /// Entra: AADSTS220450 for unsupported Android WebViews).
    /// ## Why it matters
    /// Google blocks all embedded WebViews since 2021 and Entra rejects old
    /// ones: the app's sign-in can never work in that container.
    /// ## How to fix
    /// Make the app open sign-in in the system browser or a browser tab
    /// (ASWebAuthenticationSession / SFSafariViewController on iOS, Custom
    /// Tabs on Android, MSAL with the system browser). Users can work around it
    /// by opening the link in their browser.
    pub static WEBVIEW_BLOCKED = {
        code: "webview-blocked",
        category: WebviewBlocked,
        severity: Error,
        title: "The IdP refused an embedded WebView",
    };
}

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
    };
}

/// Texts that mean "this IdP refused the embedded browser".
const BLOCK_MARKERS: &[&str] = &["disallowed_useragent", "AADSTS220450"];

pub fn webview_blocked(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for e in ctx.exchanges() {
        if let Some(marker) = block_marker(e, &ctx.limits) {
            let ua = user_agent(e).unwrap_or("(no User-Agent recorded)");
            out.push(
                Finding::new(
                    &WEBVIEW_BLOCKED,
                    Some(e.index),
                    format!(
                        "{} answered `{marker}`: it refuses to sign in from this embedded browser.",
                        e.request.host().unwrap_or("the IdP")
                    ),
                )
                .evidence("marker", marker)
                .evidence("user_agent", ua),
            );
            return;
        }
    }
}

fn block_marker(e: &Exchange<'_>, limits: &Limits) -> Option<&'static str> {
    let in_url = |u: &str| BLOCK_MARKERS.iter().copied().find(|m| u.contains(m));
    if let Some(m) = in_url(&e.request.url) {
        return Some(m);
    }
    let r = e.response.as_ref()?;
    if let Some(m) = r.location().and_then(in_url) {
        return Some(m);
    }
    if r.status < 400 && r.status != 200 {
        return None;
    }
    let body = r.body.as_ref()?;
    if body.recorded_len() > 4 << 20 {
        return None;
    }
    let text = body.text(limits).ok()?;
    BLOCK_MARKERS.iter().copied().find(|m| text.contains(m))
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

pub fn user_agent<'e>(e: &'e Exchange<'_>) -> Option<&'e str> {
    e.request.header("user-agent")
}

/// Why a user agent is an embedded browser, or `None` for a real browser.
pub fn embedded_reason(ua: &str) -> Option<&'static str> {
    const IN_APP: &[(&str, &str)] = &[
        ("FBAN/", "the Facebook in-app browser"),
        ("FB_IAB", "the Facebook in-app browser"),
        ("Instagram", "the Instagram in-app browser"),
        ("Line/", "the LINE in-app browser"),
        ("MicroMessenger", "the WeChat in-app browser"),
        ("Snapchat", "the Snapchat in-app browser"),
        ("musical_ly", "the TikTok in-app browser"),
        ("LinkedInApp", "the LinkedIn in-app browser"),
        ("Twitter for", "the X / Twitter in-app browser"),
    ];
    if let Some((_, why)) = IN_APP.iter().find(|(m, _)| ua.contains(m)) {
        return Some(why);
    }
    if ua.contains("Android") && (ua.contains("; wv)") || ua.contains(";wv)")) {
        return Some("an Android WebView (`; wv)`)");
    }
    if ua.contains("Linux; U; Android") {
        return Some("a legacy Android WebView");
    }
    let apple_mobile = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
    if apple_mobile && ua.contains("AppleWebKit") && !ua.contains("Safari/") {
        return Some("an iOS WKWebView (no `Safari/` token)");
    }
    None
}

/// A Fiddler `x-processinfo` (`name:pid`) naming something other than a browser.
fn non_browser_process(info: &str) -> Option<&str> {
    const BROWSERS: &[&str] = &[
        "chrome",
        "msedge",
        "firefox",
        "iexplore",
        "microsoftedge",
        "microsoftedgecp",
        "opera",
        "brave",
        "safari",
        "vivaldi",
        "msedgewebview2",
    ];
    let name = info.split(':').next()?.trim();
    if name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if BROWSERS.contains(&lower.as_str()) || lower == "fiddler" {
        return None;
    }
    // WebView2 hosts show up as the app's own process name: that is embedded.
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_embedded_user_agents() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 13_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/430.0]",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                false,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1",
                false,
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
                false,
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
                false,
            ),
        ];
        for (ua, embedded) in cases {
            assert_eq!(embedded_reason(ua).is_some(), embedded, "{ua}");
        }
    }

    #[test]
    fn browsers_in_fiddler_process_info_are_not_embedded() {
        assert_eq!(non_browser_process("chrome:1234"), None);
        assert_eq!(non_browser_process("msedge:88"), None);
        assert_eq!(non_browser_process("Teams:4410"), Some("Teams"));
        assert_eq!(non_browser_process(""), None);
    }
}
