//! Rule `bodies-missing`: Page bodies are missing from the capture.

use super::*;

declare_rule! {
    /// ## What it means
    /// Pages of the sign-in (HTML documents from the IdP or the app) were
    /// recorded without their response bodies.
    /// ## Why it matters
    /// Error pages, auto-submit forms carrying the SAML response and the
    /// `$Config` of Entra pages live in those bodies; without them the reason
    /// for a failure may be invisible.
    /// ## How to fix
    /// Keep DevTools open from the start and export with content (Chrome:
    /// "Export HAR"; Firefox: "Save All As HAR"); in Playwright use
    /// `recordHar: { content: 'embed' }`. Avoid reloading DevTools mid-flow.
    pub static BODIES_MISSING = {
        code: "bodies-missing",
        category: CaptureQuality,
        severity: Warning,
        title: "Page bodies are missing from the capture",
        check: bodies_missing,
    };
}

pub fn bodies_missing(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let missing: Vec<u32> = ctx
        .exchanges()
        .iter()
        .filter(|e| is_navigation(e))
        .filter(|e| {
            e.response.as_ref().is_some_and(|r| {
                (r.status == 200 || r.status >= 400)
                    && r.header("content-type").is_some_and(|t| t.contains("html"))
                    && r.body.as_ref().is_none_or(|b| b.is_empty())
                    && r.header("content-length") != Some("0")
            })
        })
        .map(|e| e.index)
        .collect();
    if missing.is_empty() {
        return;
    }
    let pages = ctx
        .exchanges()
        .iter()
        .filter(|e| is_navigation(e) && e.status() == 200)
        .count()
        .max(1);
    // One missing page in a large capture is normal (a page replaced before
    // DevTools read it); most pages missing means the export lacks content.
    if missing.len() * 2 < pages && missing.len() < 3 {
        return;
    }
    out.push(
        Finding::new(
            &BODIES_MISSING,
            missing.first().copied(),
            format!(
                "{} HTML page(s) were recorded without their body (first: #{}).",
                missing.len(),
                missing.first().copied().unwrap_or_default()
            ),
        )
        .evidence("entries", missing),
    );
}
