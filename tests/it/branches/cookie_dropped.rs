//! The rule end to end on small captures: the app sets its sign-in state
//! cookie and sends the browser to the IdP; the IdP posts the answer back
//! cross-site; the cookie is missing and the app fails.

use super::testkit::{Ex, ev, findings_of, one};

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/// #1 the app sets `set_cookie` and redirects to the IdP, #2 the IdP's
/// page, #3 the IdP's answer comes back to `callback` by `method`
/// without the cookie, and the app answers 500.
fn sign_in(set_cookie: &str, method: &str, callback: &str) -> Vec<Ex> {
    let start = Ex::get("https://app.example.com/login")
        .at("2026-11-20T10:00:00.000Z")
        .req_header("User-Agent", CHROME)
        .status(302)
        .resp_header(
            "Location",
            "https://idp.example.net/authorize?client_id=app",
        )
        .resp_header("Set-Cookie", set_cookie);
    let idp = Ex::get("https://idp.example.net/authorize?client_id=app")
        .at("2026-11-20T10:00:01.000Z")
        .req_header("User-Agent", CHROME);
    let back = if method == "POST" {
        Ex::post(callback).form("code", "c0de").form("state", "s1")
    } else {
        Ex::get(&format!("{callback}?code=c0de&state=s1"))
    };
    let back = back
        .at("2026-11-20T10:05:00.000Z")
        .req_header("User-Agent", CHROME)
        .req_header("Sec-Fetch-Site", "cross-site")
        .req_header("Sec-Fetch-Mode", "navigate")
        .req_header("Sec-Fetch-Dest", "document")
        .req_header("Origin", "https://idp.example.net")
        .status(500)
        .body("<html><body>Correlation failed.</body></html>");
    vec![start, idp, back]
}

#[test]
fn samesite_lax_is_not_sent_on_the_cross_site_form_post() {
    let f = one(
        &sign_in(
            "oidc_state=abc; Path=/; Secure; SameSite=Lax",
            "POST",
            "https://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert_eq!(f.entry, Some(3));
    assert_eq!(ev(&f, "cookie"), "oidc_state");
    assert_eq!(ev(&f, "set_at_entry"), "1");
    assert_eq!(
        ev(&f, "reason"),
        "it is `SameSite=Lax`, which is not sent on a cross-site POST or in a cross-site frame"
    );
    assert_eq!(
        ev(&f, "request"),
        "POST https://app.example.com/signin-oidc"
    );
    assert_eq!(ev(&f, "sec_fetch_site"), "cross-site");
    assert!(
        f.message
            .contains("not sent on the cross-site POST to app.example.com at #3"),
        "{}",
        f.message
    );
}

#[test]
fn samesite_lax_is_sent_on_a_top_level_cross_site_get() {
    // RFC 6265bis §5.6.7.1: Lax cookies go with top-level GET
    // navigations, so a missing one is not explained by SameSite.
    let none = findings_of(
        &sign_in(
            "oidc_state=abc; Path=/; Secure; SameSite=Lax",
            "GET",
            "https://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn secure_cookie_is_not_sent_to_a_plain_http_callback() {
    let f = one(
        &sign_in(
            "oidc_state=abc; Path=/; Secure; SameSite=None",
            "POST",
            "http://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert_eq!(f.entry, Some(3));
    assert_eq!(ev(&f, "cookie"), "oidc_state");
    assert_eq!(
        ev(&f, "reason"),
        "it is `Secure` and the request went over plain HTTP"
    );
    assert_eq!(ev(&f, "request"), "POST http://app.example.com/signin-oidc");
}

#[test]
fn samesite_none_secure_over_https_is_sent() {
    // The same cookie to an HTTPS callback: nothing stops the browser
    // from sending it, so its absence is not a cookie-rule finding.
    let none = findings_of(
        &sign_in(
            "oidc_state=abc; Path=/; Secure; SameSite=None",
            "POST",
            "https://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn no_samesite_past_the_lax_post_window_is_dropped_by_chrome() {
    // Set at 10:00:00, posted back at 10:05:00: 300 s > 120 s.
    let f = one(
        &sign_in(
            "oidc_state=abc; Path=/; Secure",
            "POST",
            "https://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert_eq!(ev(&f, "cookie_age_seconds"), "300");
    assert_eq!(ev(&f, "browser_engine"), "chromium");
    assert!(
        ev(&f, "reason")
            .contains("it was set 300 s before, past the two-minute Lax+POST allowance"),
        "{}",
        ev(&f, "reason")
    );
}

#[test]
fn strict_cookie_is_never_sent_cross_site() {
    let f = one(
        &sign_in(
            "oidc_state=abc; Path=/; Secure; SameSite=Strict",
            "GET",
            "https://app.example.com/signin-oidc",
        ),
        "cookie-dropped",
    );
    assert_eq!(
        ev(&f, "reason"),
        "it is `SameSite=Strict`, which is never sent on a cross-site request"
    );
}
