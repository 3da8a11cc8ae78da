//! Rule `saml-destination-mismatch`: SAML Destination / Recipient is not where the Response was posted.

use super::*;

declare_rule! {
    /// ## What it means
    /// The SAML Response names a `Destination` (or its assertion a
    /// `Recipient`) that is not the URL the browser posted it to.
    /// ## Why it matters
    /// SAML bindings §3.5.5.2 and profiles §4.1.4.3 make the SP compare them;
    /// libraries answer "The response was received at X instead of Y" or "A
    /// valid SubjectConfirmation was not found". Behind a reverse proxy the SP
    /// may also see `http://` or an internal host while the browser used the
    /// public URL.
    /// ## How to fix
    /// Make the IdP's reply URL (Entra: "Reply URL (Assertion Consumer Service
    /// URL)") exactly the SP's ACS URL — scheme, host, port, path, trailing
    /// slash. If they already match in the trace, fix the SP's idea of its own
    /// URL (forwarded headers / base URL behind a proxy).
    pub static DESTINATION_MISMATCH = {
        code: "saml-destination-mismatch",
        category: DestinationMismatch,
        severity: Error,
        title: "SAML Destination / Recipient is not where the Response was posted",
        check: destination_mismatch,
    };
}

pub fn destination_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, f, r) in delivered(ctx) {
        let Some(posted) = f.target.as_deref() else {
            continue;
        };
        let mut checks: Vec<(&str, &str)> = Vec::new();
        if let Some(d) = r.destination.as_deref() {
            checks.push(("Destination", d));
        }
        for a in &r.assertions {
            for c in a.subject.iter().flat_map(|s| &s.confirmations) {
                if let Some(rec) = c.data.as_ref().and_then(|d| d.recipient.as_deref()) {
                    checks.push(("Recipient", rec));
                }
            }
        }
        if r.destination.as_deref() == Some("") {
            out.push(
                Finding::new(
                    &DESTINATION_MISMATCH,
                    Some(f.entry),
                    "The Response has an empty Destination attribute.",
                )
                .severity(crate::rules::mismatch_severity(ctx, f.entry))
                .evidence("destination", ""),
            );
            continue;
        }
        if let Some((what, value, diff)) = checks
            .iter()
            .find_map(|(what, v)| url_difference(v, posted).map(|d| (*what, *v, d)))
        {
            out.push(
                Finding::new(
                    &DESTINATION_MISMATCH,
                    Some(f.entry),
                    format!("The Response's {what} is {value} but the browser posted it to {posted} ({diff})."),
                )
                .severity(crate::rules::mismatch_severity(ctx, f.entry))
                .evidence(&what.to_ascii_lowercase(), value)
                .evidence("posted_to", posted)
                .evidence("difference", diff),
            );
        }
    }
}
