//! Embedded browsers: IdPs that refuse WebViews (Google's
//! `disallowed_useragent`, Entra's unsupported Android WebView) and user
//! agents that are embedded WebViews or in-app browsers.
//!
//! User-agent shapes (../shared/reference/error-surfaces.md §g): Android
//! WebView carries `; wv)` (Android CDD §3.4.1); iOS WKWebView looks like
//! Mobile Safari without `Safari/`; in-app browsers add markers such as
//! `FBAN/`, `FB_IAB`, `Instagram`, `Line/`. In a SAZ, a process that is not a
//! browser (`x-processinfo`) is an embedded client too.

mod embedded_user_agent;
mod webview_blocked;

pub use embedded_user_agent::{EMBEDDED_USER_AGENT, embedded_user_agent};
pub use webview_blocked::{WEBVIEW_BLOCKED, webview_blocked};

use crate::capture::{Exchange, Headers, Limits};
use crate::flow::Context;
use crate::rules::Finding;

/// Texts that mean "this IdP refused the embedded browser".
const BLOCK_MARKERS: &[&str] = &["disallowed_useragent", "AADSTS220450"];

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
    // Only pages; and when the recorded bytes can be searched as they are,
    // decode nothing that does not mention a marker.
    let mime = body.essence().unwrap_or_default();
    let texty = mime.is_empty()
        || mime.contains("html")
        || mime.contains("json")
        || mime.starts_with("text/");
    if !texty
        || BLOCK_MARKERS
            .iter()
            .all(|m| body.raw_contains(m.as_bytes()) == Some(false))
    {
        return None;
    }
    let text = body.text(limits).ok()?;
    BLOCK_MARKERS.iter().copied().find(|m| text.contains(m))
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
