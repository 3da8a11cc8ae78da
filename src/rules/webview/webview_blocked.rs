//! Rule `webview-blocked`: The IdP refused an embedded WebView.

use super::*;

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
        check: webview_blocked,
    };
}

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
