//! Rule `saml-signature-invalid`: The XML signature does not verify.

use super::*;
use crate::signature::Status;

declare_rule! {
    /// ## What it means
    /// A signature of the message delivered to the app does not verify: a
    /// Reference digest does not match (the signed content changed after
    /// signing — a proxy or a script rewrote it, or whitespace was added),
    /// or the SignatureValue fails with the trusted key and with the KeyInfo
    /// certificate.
    /// ## Why it matters
    /// Every SP rejects it ("Invalid signature", "digest mismatch"). When the
    /// app accepted it anyway, the app does not check signatures at all.
    /// ## How to fix
    /// Look for whatever touches the message between the IdP and the app
    /// (a proxy rewriting the form, a script re-encoding the XML). If the
    /// IdP signs with another key than the certificate it sends, re-import
    /// its metadata. An app that accepted an invalid signature must be fixed.
    pub static SIGNATURE_INVALID = {
        code: "saml-signature-invalid",
        category: Signature,
        severity: Error,
        title: "The XML signature does not verify",
        check: signature_invalid,
    };
}

pub fn signature_invalid(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_xml(ctx) {
        if !s.wrapping.is_empty() {
            continue;
        }
        let Some(sig) = s.signatures.iter().find(|x| x.status == Status::Invalid) else {
            continue;
        };
        let reason = sig
            .reason
            .clone()
            .unwrap_or_else(|| "it does not verify".into());
        let accepted = ctx.app_accepted(f.entry);
        out.push(
            Finding::new(
                &SIGNATURE_INVALID,
                Some(f.entry),
                format!(
                    "The signature on {} does not verify: {reason}.{}",
                    sig.parent,
                    if accepted {
                        " The app accepted it anyway: it does not seem to check signatures."
                    } else {
                        ""
                    }
                ),
            )
            .severity(crate::rules::mismatch_severity(ctx, f.entry))
            .evidence("signed_element", sig.parent.clone())
            .evidence("reason", reason),
        );
    }
}
