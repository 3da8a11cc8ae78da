//! Rule `clock-skew`: The assertion is outside its validity window at the SP.

use super::*;

declare_rule! {
    /// ## What it means
    /// The assertion's validity window (`NotBefore`, `NotOnOrAfter`, the
    /// subject confirmation's `NotOnOrAfter`) does not contain the time the
    /// SP received it, as read from the SP's own `Date` header — or the IdP's
    /// and the SP's clocks differ by more than SP libraries tolerate.
    /// ## Why it matters
    /// SAML core §2.5.1.2: outside the window the assertion is invalid.
    /// Entra sets `NotBefore` to the issue instant with no margin; ruby-saml
    /// and node-saml accept 0 s of skew by default, python3-saml 300 s.
    /// ## How to fix
    /// Synchronise the SP server's clock (NTP). If the clocks are right and
    /// the Response was stale (back button, a re-posted form), sign in again;
    /// otherwise allow a small clock skew in the SP library.
    pub static CLOCK_SKEW = {
        code: "clock-skew",
        category: ClockSkew,
        severity: Error,
        title: "The assertion is outside its validity window at the SP",
        check: clock_skew,
    };
}

pub fn clock_skew(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, f, r) in delivered(ctx) {
        let Some(e) = ctx.capture.entry(f.entry) else {
            continue;
        };
        let sp_date = crate::rules::date_header(e.response.as_ref().and_then(|r| r.header("date")));
        let client = e.started.map(|s| s.time.with_timezone(&Utc));
        for a in &r.assertions {
            let cond = a.conditions.as_ref();
            let not_before = cond.and_then(|c| c.not_before.as_ref()).and_then(|t| t.utc);
            let not_after = cond
                .and_then(|c| c.not_on_or_after.as_ref())
                .and_then(|t| t.utc);
            let scd_after = a
                .subject
                .iter()
                .flat_map(|s| &s.confirmations)
                .filter_map(|c| c.data.as_ref())
                .find_map(|d| d.not_on_or_after.as_ref().and_then(|t| t.utc));
            // Which clock: the SP's own Date header, else the capturing client.
            let (now, clock) = match (sp_date, client) {
                (Some(d), _) => (d, "the SP's Date header"),
                (None, Some(c)) => (c, "the capture's clock"),
                (None, None) => continue,
            };
            let mut problem: Option<(String, i64)> = None;
            if let Some(nb) = not_before {
                let early = (nb - now).num_seconds();
                if early > DATE_RESOLUTION {
                    problem = Some((
                        format!(
                            "NotBefore is {} but {clock} says {} — the SP received it {early} s before it became valid (SP clock behind the IdP's)",
                            nb.to_rfc3339(),
                            now.to_rfc3339()
                        ),
                        early,
                    ));
                }
            }
            for (label, limit) in [
                ("NotOnOrAfter", not_after),
                ("SubjectConfirmationData NotOnOrAfter", scd_after),
            ] {
                if problem.is_some() {
                    break;
                }
                if let Some(na) = limit {
                    let late = (now - na).num_seconds();
                    if late >= DATE_RESOLUTION {
                        problem = Some((
                            format!(
                                "{label} is {} but {clock} says {} — the assertion had expired {late} s earlier",
                                na.to_rfc3339(),
                                now.to_rfc3339()
                            ),
                            late,
                        ));
                    }
                }
            }
            if let Some((text, seconds)) = problem {
                let mut finding = Finding::new(&CLOCK_SKEW, Some(f.entry), format!("{text}."))
                    .severity(crate::rules::mismatch_severity(ctx, f.entry))
                    .evidence("clock", clock)
                    .evidence("seconds", seconds);
                if let Some(idp) = idp_date(ctx, f.entry) {
                    finding = finding.evidence("idp_date", idp.to_rfc3339());
                    if let Some(sp) = sp_date {
                        finding =
                            finding.evidence("idp_minus_sp_seconds", (idp - sp).num_seconds());
                    }
                }
                out.push(finding);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testkit::{Ex, ev, findings_of, one};

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
        assert_eq!(f.severity, crate::rules::Severity::Error);
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
}
