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

pub fn sanitized_export(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
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
