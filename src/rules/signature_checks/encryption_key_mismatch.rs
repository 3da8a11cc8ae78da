//! Rule `encryption-key-mismatch`: The assertion is encrypted for another key.

use super::*;
use crate::signature::xmlenc::Outcome;

declare_rule! {
    /// ## What it means
    /// The IdP encrypted the assertion (or NameID / attribute) for a
    /// certificate that is not the app's: the SP key given with `--sp-key`
    /// cannot decrypt its EncryptedKey, or the certificate the EncryptedKey
    /// names is not the SP encryption certificate of the SP metadata given.
    /// ## Why it matters
    /// The app cannot open the assertion and rejects the Response
    /// ("Failed to decrypt", "no matching key"). It happens when the SP
    /// rotated its encryption key and the IdP still has the old certificate.
    /// ## How to fix
    /// Give the IdP the SP's current encryption certificate (re-import the
    /// SP metadata; Entra: the enterprise app's Token encryption
    /// certificate), or put the old key back on the SP until the IdP is
    /// updated.
    pub static ENCRYPTION_KEY_MISMATCH = {
        code: "encryption-key-mismatch",
        category: Encryption,
        severity: Error,
        title: "The assertion is encrypted for another key",
        check: encryption_key_mismatch,
    };
}

pub fn encryption_key_mismatch(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (f, s) in delivered_xml(ctx) {
        for d in &s.encrypted {
            let wrong_key = d.outcome == Outcome::WrongKey;
            let other_cert = d.matches_sp_certificate == Some(false);
            if !wrong_key && !other_cert {
                continue;
            }
            let target = d.encrypted_for.as_ref().map_or_else(
                || "a key the EncryptedKey does not name".to_owned(),
                cert_text,
            );
            let app = if other_cert {
                d.sp_certificates
                    .iter()
                    .map(cert_text)
                    .collect::<Vec<_>>()
                    .join(" or ")
            } else {
                String::new()
            };
            let app = if app.is_empty() {
                "the --sp-key given".to_owned()
            } else {
                app
            };
            out.push(
                Finding::new(
                    &ENCRYPTION_KEY_MISMATCH,
                    Some(f.entry),
                    format!(
                        "The IdP encrypted the {} for {target}; the app's key is for {app}.",
                        d.element
                    ),
                )
                .severity(crate::rules::mismatch_severity(ctx, f.entry))
                .evidence(
                    "encrypted_for_sha1",
                    d.encrypted_for
                        .as_ref()
                        .and_then(|c| c.sha1_thumbprint.clone())
                        .unwrap_or_default(),
                ),
            );
        }
    }
}
