//! The clock-skew rule's branches on small SAML captures: assertion
//! expired (NotOnOrAfter), subject confirmation expired, not yet valid,
//! each on both sides of its boundary, from the SP's `Date` or the capture's
//! clock.

use super::testkit::{Ex, ev, findings_of, one};

/// An Entra-style Response: issued 10:00:00, valid 10:00:00–10:05:00,
/// the bearer confirmation valid until `scd`.
fn response(not_before: &str, not_after: &str, scd: &str) -> String {
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-11-20T10:00:00Z" Destination="https://sp.example.com/acs" InResponseTo="_req1"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-11-20T10:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID>alice@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="_req1" NotOnOrAfter="{scd}" Recipient="https://sp.example.com/acs"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{not_before}" NotOnOrAfter="{not_after}"><saml:AudienceRestriction><saml:Audience>https://sp.example.com</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2026-11-20T10:00:00Z"/></saml:Assertion></samlp:Response>"#
    )
}

const NB: &str = "2026-11-20T10:00:00Z";
const NA: &str = "2026-11-20T10:05:00Z";

/// The browser posts the Response to the ACS; the SP answers 403 with
/// its `Date` (or without one when `sp_date` is `None`).
fn capture(xml: &str, sp_date: Option<&str>) -> Vec<Ex> {
    let mut acs = Ex::post("https://sp.example.com/acs")
        .at("2026-11-20T10:00:30.000Z")
        .req_header("Origin", "https://idp.example.com")
        .saml_response(xml)
        .status(403)
        .body("<html><body>Forbidden</body></html>");
    if let Some(d) = sp_date {
        acs = acs.resp_header("Date", d);
    }
    vec![
        Ex::get("https://sp.example.com/app").at("2026-11-20T09:59:58.000Z"),
        acs,
    ]
}

#[test]
fn expired_assertion_is_reported_from_the_sp_date() {
    // The SP's clock reads 10:06:00, a minute past NotOnOrAfter.
    let f = one(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 10:06:00 GMT")),
        "clock-skew",
    );
    assert_eq!(f.entry, Some(2));
    assert!(
        f.message.starts_with("NotOnOrAfter is 2026-11-20T10:05:00"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("had expired 60 s earlier"),
        "{}",
        f.message
    );
    assert_eq!(ev(&f, "clock"), "the SP's Date header");
    assert_eq!(ev(&f, "seconds"), "60");
    assert_eq!(f.severity, trace_inspect::rules::Severity::Error);
}

#[test]
fn expiry_boundary_one_second_late_is_expired_on_time_is_not() {
    // NotOnOrAfter is exclusive (SAML core §2.5.1.2): at 10:05:00 the
    // assertion is already invalid, but a `Date` has 1 s resolution, so
    // only a full second late is reported.
    let late = one(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 10:05:01 GMT")),
        "clock-skew",
    );
    assert_eq!(ev(&late, "seconds"), "1");
    let on_time = findings_of(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 10:05:00 GMT")),
        "clock-skew",
    );
    assert!(on_time.is_empty(), "{on_time:?}");
}

#[test]
fn subject_confirmation_expiry_is_its_own_reason() {
    // Conditions run to 10:30, the bearer confirmation only to 10:05.
    let f = one(
        &capture(
            &response(NB, "2026-11-20T10:30:00Z", NA),
            Some("Fri, 20 Nov 2026 10:07:00 GMT"),
        ),
        "clock-skew",
    );
    assert!(
        f.message
            .starts_with("SubjectConfirmationData NotOnOrAfter is 2026-11-20T10:05:00"),
        "{}",
        f.message
    );
    assert_eq!(ev(&f, "seconds"), "120");
}

#[test]
fn not_yet_valid_boundary_two_seconds_early_is_reported_one_is_not() {
    let early = one(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 09:59:58 GMT")),
        "clock-skew",
    );
    assert!(
        early
            .message
            .starts_with("NotBefore is 2026-11-20T10:00:00"),
        "{}",
        early.message
    );
    assert!(
        early.message.contains("2 s before it became valid"),
        "{}",
        early.message
    );
    assert_eq!(ev(&early, "seconds"), "2");
    let within = findings_of(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 09:59:59 GMT")),
        "clock-skew",
    );
    assert!(within.is_empty(), "{within:?}");
}

#[test]
fn without_an_sp_date_the_capture_clock_is_used() {
    // Posted at 10:00:30 by the capture's clock, NotOnOrAfter 10:00:10.
    let f = one(
        &capture(
            &response(NB, "2026-11-20T10:00:10Z", "2026-11-20T10:00:10Z"),
            None,
        ),
        "clock-skew",
    );
    assert_eq!(ev(&f, "clock"), "the capture's clock");
    assert_eq!(ev(&f, "seconds"), "20");
}

#[test]
fn a_response_inside_its_window_is_not_reported() {
    let none = findings_of(
        &capture(&response(NB, NA, NA), Some("Fri, 20 Nov 2026 10:00:30 GMT")),
        "clock-skew",
    );
    assert!(none.is_empty(), "{none:?}");
}
