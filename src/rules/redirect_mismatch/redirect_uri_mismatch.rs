//! Rule `redirect-uri-mismatch`: The redirect URI is not registered for the app.

use super::*;

declare_rule! {
    /// ## What it means
    /// The identity provider refused the `redirect_uri` (reply URL) the app
    /// sent: it is not registered for the app, or differs from the
    /// registered one (scheme, host, port, path, trailing slash, case).
    /// ## Why it matters
    /// RFC 6749 §4.1.2.1: the IdP must not redirect to an unverified URI, so
    /// it shows an error page (Entra AADSTS50011, Google Error 400
    /// redirect_uri_mismatch, Okta "The 'redirect_uri' parameter must be a
    /// Login redirect URI…") and the user never gets back to the app.
    /// ## How to fix
    /// Register the exact URI the app sends (Entra: App registrations ›
    /// Authentication › Redirect URIs; Google Cloud console › Credentials;
    /// Okta: Sign-in redirect URIs), or make the app send a registered one.
    /// An `http://` URI from an app served over HTTPS means the app is behind
    /// TLS offload without forwarded-proto handling.
    pub static REDIRECT_URI_MISMATCH = {
        code: "redirect-uri-mismatch",
        category: RedirectMismatch,
        severity: Error,
        title: "The redirect URI is not registered for the app",
        check: redirect_uri_mismatch,
    };
}

pub fn redirect_uri_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, m, info, category, sub) in idp_error::errors(ctx) {
        if category != Category::RedirectMismatch {
            continue;
        }
        let mut f = idp_error::finding(&REDIRECT_URI_MISMATCH, m, &info, category, sub);
        if let Some(uri) = ctx.request_for(i).and_then(|r| r.message.redirect_uri()) {
            f = f.evidence("redirect_uri", uri);
        }
        out.push(f);
    }
}
