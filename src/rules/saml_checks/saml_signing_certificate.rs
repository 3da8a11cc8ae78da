//! Rule `saml-signing-certificate`: The signing certificate expired or changed.

use super::*;

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
        check: signing_cert,
    };
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
                        .severity(crate::rules::mismatch_severity(ctx, f.entry))
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
                    .severity(crate::rules::mismatch_severity(ctx, f.entry))
                    .evidence("previous_sha256", old.clone())
                    .evidence("certificate_sha256", thumb.clone()),
                );
            }
            seen.push((issuer, thumb, f.entry));
        }
    }
}
