//! Rule `saml-signature-untrusted`: Signed with a certificate the app does not trust.

use super::*;
use crate::signature::Status;

declare_rule! {
    /// ## What it means
    /// The signature verifies, but with the certificate the message names in
    /// its KeyInfo (or one the IdP publishes in the capture's metadata), not
    /// with any certificate the app trusts (`--idp-cert`, or the metadata
    /// the capture fetched when none is given).
    /// ## Why it matters
    /// This is the commonest SAML outage: a signing-certificate rollover.
    /// The IdP started signing with its new certificate and the app still
    /// trusts the old one, so it rejects every Response ("Invalid
    /// signature", "certificate not trusted", AADSTS / AD FS event 364).
    /// ## How to fix
    /// Give the app the IdP's current signing certificate: re-import the
    /// IdP's federation metadata (or let the app refresh it from its URL).
    /// For Entra ID as IdP, the active certificate is the one under Single
    /// sign-on › SAML Signing Certificate of the enterprise app: make the app
    /// trust it, or make the certificate the app knows active again.
    pub static SIGNATURE_UNTRUSTED = {
        code: "saml-signature-untrusted",
        category: Signature,
        severity: Error,
        title: "Signed with a certificate the app does not trust",
        check: signature_untrusted,
    };
}

pub fn signature_untrusted(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_xml(ctx) {
        if !s.wrapping.is_empty() {
            continue;
        }
        let Some(sig) = s
            .signatures
            .iter()
            .find(|x| x.status == Status::UntrustedKey)
        else {
            continue;
        };
        let Some(used) = &sig.key else { continue };
        let trusted: Vec<String> = sig.trusted_tried.iter().map(key_text).collect();
        let trusts = if trusted.is_empty() {
            "none of the certificates given".to_owned()
        } else {
            trusted.join(" or ")
        };
        out.push(
            Finding::new(
                &SIGNATURE_UNTRUSTED,
                Some(f.entry),
                format!(
                    "The IdP signs with {} but the app trusts {trusts}: a signing-certificate rollover.",
                    key_text(used)
                ),
            )
            .severity(crate::rules::mismatch_severity(ctx, f.entry))
            .evidence("signing_certificate_sha1", thumb(used))
            .evidence(
                "trusted_certificates_sha1",
                sig.trusted_tried.iter().map(thumb).collect::<Vec<_>>(),
            )
            .evidence("signed_element", sig.parent.clone()),
        );
    }
}
