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
