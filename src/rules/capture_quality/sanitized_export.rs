//! Rule `sanitized-export`: Cookies and credentials were stripped from the export.

use super::*;

declare_rule! {
    /// ## What it means
    /// No request carries a `Cookie` or `Authorization` header and no response
    /// a `Set-Cookie`: the exporter stripped them ("sanitized" HAR — current
    /// Chrome and Edge exports do this by default).
    /// ## Why it matters
    /// Session and state cookies are how the app ties the IdP's answer to the
    /// sign-in it started. Without them, a dropped cookie (SameSite) or a
    /// lost session cannot be seen, only guessed.
    /// ## How to fix
    /// Export again with sensitive data included: in Chrome / Edge DevTools,
    /// Network › settings › "Allow to generate HAR with sensitive data", then
    /// "Export HAR (with sensitive data)". Share it only through a secure
    /// channel, or redact it first with `trace-inspect redact`.
    pub static SANITIZED_EXPORT = {
        code: "sanitized-export",
        category: CaptureQuality,
        severity: Warning,
        title: "Cookies and credentials were stripped from the export",
        check: sanitized_export,
    };
}

/// Whether the capture comes from an exporter that strips cookies by
/// default: Chrome / Edge DevTools' "Export HAR (sanitized)" (Chrome 130+;
/// HAR `log.creator.name` is `WebInspector`, and the requests are
/// Chromium's). Fiddler, Charles, mitmproxy, Firefox ("Firefox") and Safari
/// ("WebKit Web Inspector", or `WebInspector` with Safari's user agent)
/// keep the cookie headers they saw, so their missing cookies are real.
fn exporter_strips_cookies(ctx: &Context<'_, '_>) -> bool {
    if ctx.capture.format != crate::capture::Format::Har
        || !ctx
            .capture
            .creator
            .name
            .eq_ignore_ascii_case("WebInspector")
    {
        return false;
    }
    let ua = ctx
        .exchanges()
        .iter()
        .find_map(|e| e.request.header("user-agent"))
        .unwrap_or_default();
    // No User-Agent recorded: DevTools' own export, judged by its creator.
    ua.is_empty()
        || crate::rules::cookie_dropped::Engine::of(ua)
            == crate::rules::cookie_dropped::Engine::Chromium
}

pub fn sanitized_export(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if !exporter_strips_cookies(ctx) {
        return;
    }
    let https_requests = ctx
        .exchanges()
        .iter()
        .filter(|e| !e.is_tunnel() && e.request.url.starts_with("https://"))
        .count();
    if https_requests < 3 || ctx.has_cookie_headers() {
        return;
    }
    out.push(
        Finding::new(
            &SANITIZED_EXPORT,
            None,
            format!(
                "None of the {https_requests} HTTPS requests carries a Cookie or Authorization header and no response sets a cookie: the export was sanitized, so cookie problems cannot be checked."
            ),
        )
        .evidence("https_requests", https_requests),
    );
}
