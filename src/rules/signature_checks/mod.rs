//! What the signature statuses ([`crate::signature`]) mean for the sign-in:
//! wrapping (always an error: structure alone shows an attack shape), a
//! signature made with a key the app does not trust (the certificate
//! rollover), one that does not verify, SHA-1 an app refuses, an assertion
//! encrypted for another key, and JWTs that are unsigned or do not verify.
//!
//! Each check reads `Found::signature` of the messages delivered to the app
//! (the browser's POST / redirect to it). Like the other SAML checks, a
//! fault is an error when the app then refused the message and a warning
//! when it accepted it anyway — except wrapping, which is an error always.

mod encryption_key_mismatch;
mod jwt_alg_none;
mod jwt_signature_invalid;
mod saml_signature_invalid;
mod saml_signature_sha1;
mod saml_signature_untrusted;
mod signature_wrapping;

pub use encryption_key_mismatch::ENCRYPTION_KEY_MISMATCH;
pub use jwt_alg_none::JWT_ALG_NONE;
pub use jwt_signature_invalid::JWT_SIGNATURE_INVALID;
pub use saml_signature_invalid::SIGNATURE_INVALID;
pub use saml_signature_sha1::SIGNATURE_SHA1;
pub use saml_signature_untrusted::SIGNATURE_UNTRUSTED;
pub use signature_wrapping::SIGNATURE_WRAPPING;

use crate::decode::saml::CertificateInfo;
use crate::decode::{Found, Message};
use crate::flow::Context;
use crate::rules::Finding;
use crate::signature::MessageSignature;
use crate::signature::xmldsig::KeyUsed;

/// Messages delivered to the app that carry XML signatures (SAML, WS-Fed):
/// (found, its signature statuses).
fn delivered_xml<'c>(ctx: &'c Context<'_, '_>) -> Vec<(&'c Found, &'c MessageSignature)> {
    ctx.messages
        .iter()
        .filter(|f| f.place.is_sent())
        .filter(|f| matches!(f.message, Message::Saml(_) | Message::WsFed(_)))
        .filter_map(|f| f.signature.as_deref().map(|s| (f, s)))
        .collect()
}

/// Messages delivered to the app that carry JWTs.
fn delivered_tokens<'c>(ctx: &'c Context<'_, '_>) -> Vec<(&'c Found, &'c MessageSignature)> {
    ctx.messages
        .iter()
        .filter(|f| f.place.is_sent())
        .filter_map(|f| f.signature.as_deref().map(|s| (f, s)))
        .filter(|(_, s)| !s.tokens.is_empty())
        .collect()
}

/// `CN=… (SHA-1 AB12…, valid 2024-01-01 to 2027-01-01)`.
fn cert_text(c: &CertificateInfo) -> String {
    let mut s = c
        .subject
        .clone()
        .unwrap_or_else(|| "a certificate without subject".into());
    let mut facts = Vec::new();
    if let Some(t) = &c.sha1_thumbprint {
        facts.push(format!("SHA-1 {t}"));
    }
    if let (Some(a), Some(b)) = (c.not_before, c.not_after) {
        facts.push(format!(
            "valid {} to {}",
            a.format("%Y-%m-%d"),
            b.format("%Y-%m-%d")
        ));
    }
    if !facts.is_empty() {
        s.push_str(&format!(" ({})", facts.join(", ")));
    }
    s
}

fn key_text(k: &KeyUsed) -> String {
    match &k.certificate {
        Some(c) => cert_text(c),
        None => k
            .kid
            .as_ref()
            .map_or_else(|| k.kind.clone(), |kid| format!("key {kid}")),
    }
}

fn thumb(k: &KeyUsed) -> String {
    k.certificate
        .as_ref()
        .and_then(|c| c.sha1_thumbprint.clone())
        .unwrap_or_default()
}
