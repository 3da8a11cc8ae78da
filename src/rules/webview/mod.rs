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

pub use embedded_user_agent::EMBEDDED_USER_AGENT;
pub use webview_blocked::WEBVIEW_BLOCKED;

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
    fn browsers_in_fiddler_process_info_are_not_embedded() {
        assert_eq!(non_browser_process("chrome:1234"), None);
        assert_eq!(non_browser_process("msedge:88"), None);
        assert_eq!(non_browser_process("Teams:4410"), Some("Teams"));
        assert_eq!(non_browser_process(""), None);
    }
}
