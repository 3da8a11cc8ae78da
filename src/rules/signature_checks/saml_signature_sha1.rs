//! Rule `saml-signature-sha1`: The message is signed with SHA-1.

use super::*;

declare_rule! {
    /// ## What it means
    /// The signature or its digest uses SHA-1 (`rsa-sha1`, `xmldsig#sha1`).
    /// ## Why it matters
    /// SHA-1 is deprecated for signatures (RFC 6931 §2.3.1 and NIST SP
    /// 800-131A); Entra ID, AD FS (per relying party), Shibboleth and most
    /// current SP libraries can be set to refuse it, and then reject the
    /// Response although the signature itself is fine.
    /// ## How to fix
    /// Make the IdP sign with RSA-SHA256 (Entra: SAML Signing Certificate ›
    /// Signing algorithm SHA-256; AD FS: the relying party's secure hash
    /// algorithm; Okta / others: the app's signature algorithm setting).
    pub static SIGNATURE_SHA1 = {
        code: "saml-signature-sha1",
        category: Signature,
        severity: Warning,
        title: "The message is signed with SHA-1",
        check: signature_sha1,
    };
}

pub fn signature_sha1(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_xml(ctx) {
        let Some(sig) = s.signatures.iter().chain(&s.query).find(|x| x.uses_sha1) else {
            continue;
        };
        let accepted = ctx.app_accepted(f.entry);
        out.push(
            Finding::new(
                &SIGNATURE_SHA1,
                Some(f.entry),
                format!(
                    "The signature on {} uses SHA-1 ({}){}.",
                    sig.parent,
                    sig.algorithm.as_deref().unwrap_or("digest"),
                    if accepted {
                        "; this app accepts it, stricter ones refuse it"
                    } else {
                        "; the app refused the message, and apps set to refuse SHA-1 do exactly that"
                    }
                ),
            )
            .severity(if accepted {
                crate::rules::Severity::Info
            } else {
                crate::rules::Severity::Warning
            })
            .evidence("algorithm", sig.algorithm.clone().unwrap_or_default()),
        );
    }
}
