//! The verdict's branches on small captures: a repeating error is blamed on
//! its first occurrence and counted only where it repeats (same code, same
//! endpoint); an error before a completed sign-in counts as a failed try; an
//! incomplete sign-in says where it stops; a failed sign-out says the
//! sign-in itself completed.

use super::testkit::{Ex, analyse};

const APP: &str = "https://app.example.com";
const IDP: &str = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize";

/// The time `s` seconds after second `at` of 10:00.
fn clock(at: u32, s: u32) -> String {
    format!("2026-11-20T10:{:02}:{:02}.000Z", at / 60, at % 60 + s)
}

/// The first two steps of a sign-in from `at`: the app redirects to the
/// IdP's authorize endpoint (with `callback` and `state`), and the IdP
/// redirects the browser to `answer`.
fn to_idp_and_back(at: u32, callback: &str, state: &str, answer: &str) -> Vec<Ex> {
    let authorize = format!(
        "{IDP}?client_id=11111111-2222-3333-4444-555555555555&response_type=code&redirect_uri={}&scope=openid&state={state}",
        urlencode(&format!("{APP}{callback}"))
    );
    vec![
        Ex::get(&format!("{APP}/login"))
            .at(&clock(at, 0))
            .status(302)
            .resp_header("Location", &authorize),
        Ex::get(&authorize)
            .at(&clock(at, 1))
            .status(302)
            .resp_header("Location", answer),
    ]
}

/// #n the app redirects to the IdP, #n+1 the IdP redirects back to
/// `callback` with `error` / AADSTS `code`, #n+2 the app shows the error.
fn failed_try(at: u32, callback: &str, code: u32) -> Vec<Ex> {
    let state = format!("st{at}");
    let error = format!(
        "{APP}{callback}?error=invalid_request&error_description=AADSTS{code}%3A+The+request+failed.&state={state}"
    );
    let mut ex = to_idp_and_back(at, callback, &state, &error);
    ex.push(Ex::get(&error).at(&clock(at, 2)).status(200));
    ex
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

/// A completed OIDC sign-in from `at`: the app redirects to the IdP, the
/// IdP returns a code, the callback sets the session cookie and redirects
/// home, and home answers 200 with the cookie.
fn signed_in(at: u32) -> Vec<Ex> {
    let state = format!("ok{at}");
    let back = format!("{APP}/signin-oidc?code=0.AXoA-code-{at}&state={state}");
    let mut ex = to_idp_and_back(at, "/signin-oidc", &state, &back);
    ex.push(
        Ex::get(&back)
            .at(&clock(at, 2))
            .status(302)
            .resp_header("Location", &format!("{APP}/"))
            .resp_header(
                "Set-Cookie",
                ".AspNetCore.Cookies=chunks-2; path=/; secure; samesite=lax; httponly",
            ),
    );
    ex.push(
        Ex::get(&format!("{APP}/"))
            .at(&clock(at, 3))
            .req_header("Cookie", ".AspNetCore.Cookies=chunks-2")
            .body("<html><body>Welcome back</body></html>"),
    );
    ex
}

/// An app page that refused the user (403) before a sign-in that then
/// completed: the error is no longer the verdict (a warning now), but the
/// summary counts it as a failed try although no sign-in attempt failed.
#[test]
fn an_error_before_a_completed_sign_in_counts_as_one_failed_try() {
    let denied = Ex::get(&format!("{APP}/reports"))
        .at("2026-11-20T09:59:00.000Z")
        .req_header("Sec-Fetch-Mode", "navigate")
        .req_header("Sec-Fetch-Dest", "document")
        .status(403)
        .body("<html><body><h1>Access denied</h1></body></html>");
    let mut ex = vec![denied];
    ex.extend(signed_in(0));
    let (findings, v) = analyse(&ex);
    assert_eq!(v.status.as_str(), "ok", "{}", v.summary);
    assert_eq!(v.summary, "Sign-in failed once, then succeeded (#4).");
    let refused = findings
        .iter()
        .find(|f| f.code == "error-surface")
        .expect("the 403 page is reported");
    assert_eq!(refused.entry, Some(1));
    assert_eq!(refused.severity, trace_inspect::rules::Severity::Warning);
    // The other side: the same sign-in alone succeeded at the first try.
    let (_, alone) = analyse(&signed_in(0));
    assert_eq!(alone.summary, "Sign-in succeeded (#3).");
}

/// The same AADSTS50011 at the same callback three times is one failure
/// repeating, blamed on its first occurrence; the same code at another
/// callback and another code at the same callback are not repetitions.
#[test]
fn a_repeating_error_is_counted_at_its_endpoint_with_its_code_only() {
    let mut ex = Vec::new();
    ex.extend(failed_try(0, "/signin-oidc", 50011)); // #3
    ex.extend(failed_try(120, "/signin-oidc", 50011)); // #6
    ex.extend(failed_try(240, "/signin-oidc", 50011)); // #9
    ex.extend(failed_try(360, "/auth/callback", 50011)); // #12: another endpoint
    ex.extend(failed_try(480, "/signin-oidc", 700016)); // #15: another code
    let (findings, v) = analyse(&ex);
    assert_eq!(v.status.as_str(), "failed", "{}", v.summary);
    assert_eq!(v.code, Some("redirect-uri-mismatch"), "{}", v.summary);
    assert_eq!(v.entry, Some(3), "{}", v.summary);
    assert_eq!(v.repeats, Some(3), "{}", v.summary);
    assert!(v.summary.contains("\u{d7}3"), "{}", v.summary);
    let blamed: Vec<Option<u32>> = findings
        .iter()
        .filter(|f| f.code == "redirect-uri-mismatch")
        .map(|f| f.entry)
        .collect();
    assert!(blamed.contains(&Some(12)), "{blamed:?}");
}

/// A sign-in whose capture ends on the IdP's page is inconclusive and says
/// where it stops: at the IdP, the last step of the attempt.
#[test]
fn an_incomplete_sign_in_says_where_it_stops() {
    let authorize = format!(
        "{IDP}?client_id=11111111-2222-3333-4444-555555555555&response_type=code&scope=openid&state=s1"
    );
    let ex = vec![
        Ex::get(&format!("{APP}/login"))
            .at("2026-11-20T10:00:00.000Z")
            .status(302)
            .resp_header("Location", &authorize),
        Ex::get(&authorize).at("2026-11-20T10:00:01.000Z").body(
            "<html><body><form method=\"post\"><input name=\"loginfmt\"></form></body></html>",
        ),
    ];
    let (_, v) = analyse(&ex);
    assert_ne!(v.status.as_str(), "ok", "{}", v.summary);
    let stop = v
        .stops_at
        .as_ref()
        .expect("an incomplete sign-in stops somewhere");
    assert_eq!(stop.entry, 2, "{}", v.summary);
    assert!(stop.capture_ends, "{}", v.summary);
}

/// A capture without any sign-in traffic is never "no failure": the verdict
/// says it cannot judge, and why.
#[test]
fn a_capture_without_sign_in_traffic_says_so_in_a_sentence() {
    let ex = vec![
        Ex::get("https://www.example.com/").body("<html><body>News</body></html>"),
        Ex::get("https://www.example.com/about").body("<html><body>About</body></html>"),
    ];
    let (_, v) = analyse(&ex);
    assert_ne!(v.status.as_str(), "ok", "{}", v.summary);
    assert_eq!(v.code, Some("no-identity-traffic"), "{}", v.summary);
    assert_eq!(
        v.summary,
        "Cannot judge the sign-in: no sign-in traffic in the capture."
    );
}

/// A sign-in that failed once, then completed, then a sign-out the IdP
/// refused: the verdict is the sign-out's, and it names the sign-in that
/// completed — not the attempt that failed before it.
#[test]
fn a_failed_sign_out_names_the_sign_in_that_completed() {
    let mut ex = failed_try(0, "/signin-oidc", 50011); // #1–#3
    ex.extend(signed_in(120)); // #4–#7, completed at #6
    let logout = format!(
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/logout?post_logout_redirect_uri={}",
        urlencode(&format!("{APP}/signed-out"))
    );
    ex.push(
        Ex::get(&format!("{APP}/logout"))
            .at("2026-11-20T10:05:00.000Z")
            .status(302)
            .resp_header("Location", &logout),
    );
    ex.push(
        Ex::get(&logout)
            .at("2026-11-20T10:05:01.000Z")
            .req_header("Sec-Fetch-Mode", "navigate")
            .req_header("Sec-Fetch-Dest", "document")
            .status(400)
            .body("<html><body><h1>Sorry, but we're having trouble signing you out.</h1><p>AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.</p></body></html>"),
    );
    let (_, v) = analyse(&ex);
    assert_eq!(v.status.as_str(), "failed", "{}", v.summary);
    assert_eq!(format!("{:?}", v.phase), "SignOut", "{}", v.summary);
    assert_eq!(v.entry, Some(9), "{}", v.summary);
    assert!(
        v.summary.starts_with("Sign-out failed at #9: "),
        "{}",
        v.summary
    );
    assert!(
        v.summary.ends_with("The sign-in itself completed (#6)."),
        "{}",
        v.summary
    );
}

/// After a completed sign-in the app loads its script bundle, which holds
/// a library's error messages as strings (`IDX10223: Lifetime validation
/// failed`): source code is not a page the user saw, and the sign-in stays
/// completed. The same text on the app's page is a failure.
#[test]
fn error_strings_inside_a_script_bundle_are_not_an_app_error_page() {
    let bundle = Ex::get(&format!("{APP}/static/main.8f3a.js"))
        .at("2026-11-20T10:00:05.000Z")
        .req_header("Sec-Fetch-Dest", "script")
        .resp_header("Content-Type", "application/javascript")
        .body(
            "const m={lifetime:\"IDX10223: Lifetime validation failed. The token is expired.\"};",
        );
    let mut ex = signed_in(0);
    ex.push(bundle);
    let (_, v) = analyse(&ex);
    assert_eq!(v.status.as_str(), "ok", "{}", v.summary);
    assert_eq!(v.summary, "Sign-in succeeded (#3).");
    let page = Ex::get(&format!("{APP}/account"))
        .at("2026-11-20T10:00:05.000Z")
        .req_header("Sec-Fetch-Dest", "document")
        .body("<html><body><p>IDX10223: Lifetime validation failed. The token is expired.</p></body></html>");
    let mut ex = signed_in(0);
    ex.push(page);
    let (_, v) = analyse(&ex);
    assert_ne!(v.status.as_str(), "ok", "{}", v.summary);
}
