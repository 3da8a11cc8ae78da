//! What a SAML service provider checks in a Response, redone from the trace
//! (../shared/reference/failure-detection.md S1–S7): Destination and
//! Recipient against the URL the Response was posted to, Audience against
//! the SP's entity ID, the validity window against the clocks in the trace,
//! and the signatures.
//!
//! Each check runs on Responses as delivered to the app (the browser's POST
//! to the ACS). A mismatch is an error when the app then refused the
//! Response, a warning when it accepted it anyway.

use chrono::{DateTime, Utc};

use crate::capture::Headers;
use crate::decode::saml::{Response, SamlMessage};
use crate::decode::{Found, Message};
use crate::flow::Context;
use crate::rules::{Finding, Severity};

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
    };
}

declare_rule! {
    /// ## What it means
    /// The assertion's `Audience` is not the entity ID the SP used as
    /// `Issuer` of its AuthnRequest.
    /// ## Why it matters
    /// SAML core §2.5.1.4: an assertion is only valid for its audiences; SPs
    /// reject others ("Invalid Audience", "SAML assertion audience mismatch").
    /// Entra copies the AuthnRequest Issuer into the Audience, so a difference
    /// means the app's Identifier at the IdP differs from what the SP sends.
    /// ## How to fix
    /// Make the IdP's Identifier (Entity ID) for the app exactly the SP's
    /// entity ID — watch for a trailing `/`, `http` vs `https`, `spn:` /
    /// `api://` prefixes, a GUID vs a URI.
    pub static AUDIENCE_MISMATCH = {
        code: "saml-audience-mismatch",
        category: AudienceMismatch,
        severity: Error,
        title: "SAML Audience is not the SP's entity ID",
    };
}

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
    };
}

declare_rule! {
    /// ## What it means
    /// Neither the SAML Response nor its assertion carries an XML signature.
    /// ## Why it matters
    /// Profiles §4.1.4: a Response delivered by HTTP-POST must be signed;
    /// every SP library rejects an unsigned one ("No Signature found",
    /// "Invalid document signature").
    /// ## How to fix
    /// Turn on signing at the IdP (Entra: SAML signing certificate › Signing
    /// option "Sign SAML response and assertion"), and check the SP expects
    /// the signature where the IdP puts it (response vs assertion).
    pub static SIGNATURE_MISSING = {
        code: "saml-signature-missing",
        category: Signature,
        severity: Error,
        title: "The SAML Response is not signed",
    };
}

declare_rule! {
    /// ## What it means
    /// The certificate in the Response's signature had expired (or was not
    /// yet valid) when the Response was issued, or it changed between two
    /// Responses of the same IdP in this capture.
    /// ## Why it matters
    /// SPs pin the IdP's signing certificate (or its thumbprint); after a
    /// rollover the SP rejects every Response until its configuration is
    /// updated, and some SPs refuse expired certificates.
    /// ## How to fix
    /// Give the SP the IdP's current signing certificate (import the IdP's
    /// metadata again), or roll the IdP back to the certificate the SP knows.
    pub static SIGNING_CERT = {
        code: "saml-signing-certificate",
        category: Signature,
        severity: Error,
        title: "The signing certificate expired or changed",
    };
}

/// Delivered SAML Responses: (message index, found, response).
fn delivered<'c>(ctx: &'c Context<'_, '_>) -> Vec<(usize, &'c Found, &'c Response)> {
    ctx.messages
        .iter()
        .enumerate()
        .filter(|(_, f)| f.place.is_sent())
        .filter_map(|(i, f)| match &f.message {
            Message::Saml(SamlMessage::Response(r)) => Some((i, f, r)),
            _ => None,
        })
        .collect()
}

/// The severity for a mismatch: error when the app refused the Response.
fn severity(ctx: &Context<'_, '_>, entry: u32) -> Severity {
    if ctx.app_accepted(entry) {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// Describes how two URLs differ, `None` when they are the same URL
/// (scheme and host case-insensitive, default ports implied).
pub fn url_difference(expected: &str, actual: &str) -> Option<String> {
    let (Ok(a), Ok(b)) = (url::Url::parse(expected), url::Url::parse(actual)) else {
        return (expected != actual).then(|| "the values differ".to_owned());
    };
    let mut diffs = Vec::new();
    if a.scheme() != b.scheme() {
        diffs.push(format!("scheme {} vs {}", a.scheme(), b.scheme()));
    }
    if a.host_str() != b.host_str() {
        diffs.push(format!(
            "host {} vs {}",
            a.host_str().unwrap_or_default(),
            b.host_str().unwrap_or_default()
        ));
    }
    if a.port_or_known_default() != b.port_or_known_default() {
        diffs.push(format!(
            "port {} vs {}",
            a.port_or_known_default().unwrap_or_default(),
            b.port_or_known_default().unwrap_or_default()
        ));
    }
    if a.path() != b.path() {
        let (pa, pb) = (a.path(), b.path());
        if pa.trim_end_matches('/') == pb.trim_end_matches('/') {
            diffs.push("trailing slash".to_owned());
        } else if pa.eq_ignore_ascii_case(pb) {
            diffs.push(format!("path case {pa} vs {pb}"));
        } else {
            diffs.push(format!("path {pa} vs {pb}"));
        }
    }
    (!diffs.is_empty()).then(|| diffs.join(", "))
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
                .severity(severity(ctx, f.entry))
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
                .severity(severity(ctx, f.entry))
                .evidence(&what.to_ascii_lowercase(), value)
                .evidence("posted_to", posted)
                .evidence("difference", diff),
            );
        }
    }
}

pub fn audience_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, f, r) in delivered(ctx) {
        let Some(sp_entity) = ctx.request_for(i).and_then(|req| req.message.issuer()) else {
            continue; // IdP-initiated: the expected audience is SP configuration.
        };
        let audiences: Vec<&str> = r
            .assertions
            .iter()
            .filter_map(|a| a.conditions.as_ref())
            .flat_map(|c| c.audiences.iter().map(String::as_str))
            .collect();
        if audiences.is_empty() || audiences.contains(&sp_entity) {
            continue;
        }
        let first = audiences.first().copied().unwrap_or_default();
        out.push(
            Finding::new(
                &AUDIENCE_MISMATCH,
                Some(f.entry),
                format!(
                    "The assertion is for audience {first} but the SP asked as {sp_entity}{}.",
                    url_difference(sp_entity, first)
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                ),
            )
            .severity(severity(ctx, f.entry))
            .evidence("audience", audiences)
            .evidence("sp_entity_id", sp_entity),
        );
    }
}

/// A `Date` header as a UTC time.
fn date_header(h: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(h?.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Seconds of slack allowed for `Date`'s one-second resolution.
const DATE_RESOLUTION: i64 = 1;

pub fn clock_skew(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, f, r) in delivered(ctx) {
        let Some(e) = ctx.capture.entry(f.entry) else {
            continue;
        };
        let sp_date = date_header(e.response.as_ref().and_then(|r| r.header("date")));
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
                    .severity(severity(ctx, f.entry))
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

/// The IdP's `Date` on the page that issued the Response delivered at `entry`.
fn idp_date(ctx: &Context<'_, '_>, entry: u32) -> Option<DateTime<Utc>> {
    let issued = ctx
        .messages
        .iter()
        .rfind(|m| m.entry < entry && !m.place.is_sent() && m.message.is_idp_answer())?;
    let e = ctx.capture.entry(issued.entry)?;
    date_header(e.response.as_ref()?.header("date"))
}

pub fn signature_missing(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, f, r) in delivered(ctx) {
        if !r.status.is_success() || (r.assertions.is_empty() && r.encrypted_assertions.is_empty())
        {
            continue;
        }
        let response_signed = !r.signatures.is_empty();
        let assertion_signed = r.assertions.iter().any(|a| a.signed);
        if response_signed || assertion_signed || !r.encrypted_assertions.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                &SIGNATURE_MISSING,
                Some(f.entry),
                "Neither the Response nor its assertion carries a ds:Signature.",
            )
            .severity(severity(ctx, f.entry))
            .evidence("response_signed", false)
            .evidence("assertion_signed", false),
        );
    }
}

pub fn signing_cert(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<(String, String, u32)> = Vec::new(); // (issuer, sha256, entry)
    for (_, f, r) in delivered(ctx) {
        let issued_at = r.issue_instant.as_ref().and_then(|t| t.utc);
        let mut certs: Vec<_> = r.signatures.iter().flat_map(|s| &s.certificates).collect();
        // The Response and its assertion are often signed with the same certificate.
        certs.dedup_by(|a, b| a.sha256_thumbprint == b.sha256_thumbprint);
        for c in certs {
            if let (Some(at), Some(nb), Some(na)) = (issued_at, c.not_before, c.not_after)
                && (at > na || at < nb)
            {
                out.push(
                        Finding::new(
                            &SIGNING_CERT,
                            Some(f.entry),
                            format!(
                                "The signing certificate ({}) is valid {} – {}, not at the Response's IssueInstant {}.",
                                c.subject.as_deref().unwrap_or("no subject"),
                                nb.to_rfc3339(),
                                na.to_rfc3339(),
                                at.to_rfc3339()
                            ),
                        )
                        .severity(severity(ctx, f.entry))
                        .evidence("certificate_sha256", c.sha256_thumbprint.clone().unwrap_or_default()),
                    );
            }
            let (Some(issuer), Some(thumb)) = (r.issuer.clone(), c.sha256_thumbprint.clone())
            else {
                continue;
            };
            if let Some((_, old, old_entry)) =
                seen.iter().find(|(i, t, _)| *i == issuer && *t != thumb)
            {
                out.push(
                    Finding::new(
                        &SIGNING_CERT,
                        Some(f.entry),
                        format!(
                            "{issuer} signed with a different certificate than at #{old_entry} (SHA-256 {old} before, {thumb} now)."
                        ),
                    )
                    .severity(severity(ctx, f.entry))
                    .evidence("previous_sha256", old.clone())
                    .evidence("certificate_sha256", thumb.clone()),
                );
            }
            seen.push((issuer, thumb, f.entry));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_url_differences() {
        assert_eq!(url_difference("https://a/acs", "https://A:443/acs"), None);
        assert_eq!(
            url_difference("https://a/acs/", "https://a/acs").as_deref(),
            Some("trailing slash")
        );
        assert_eq!(
            url_difference("http://a/acs", "https://a/acs").as_deref(),
            Some("scheme http vs https, port 80 vs 443")
        );
        assert_eq!(
            url_difference("https://a/ACS", "https://a/acs").as_deref(),
            Some("path case /ACS vs /acs")
        );
    }
}
