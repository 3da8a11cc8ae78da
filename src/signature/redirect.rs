//! The HTTP-Redirect binding's query-string signature (SAML bindings
//! §3.4.4.1): "the signature MUST be computed over … a string consisting
//! of the concatenation of the RelayState (if present), SigAlg, and
//! SAMLRequest (or SAMLResponse) query string parameters (each one
//! URLencoded) … SAMLRequest=value&RelayState=value&SigAlg=value", and
//! "the relying party MUST therefore perform the verification step using
//! the original URL-encoded values it received on the query string". The
//! Signature parameter is the base64 of the signature value.

use super::keys::SigAlg;
use super::trust::TrustedKey;
use super::xmldsig::{KeyUsed, SignatureCheck, Status};
use crate::codec::percent::decode_layers as percent_decode_layers;
use crate::decode::encoding::base64_lenient;

/// Checks the signature of a redirect-binding URL's query (the part after
/// `?`, fragment removed). `None` when the query carries no `Signature`.
pub fn check(query: &str, trusted: &[TrustedKey]) -> Option<SignatureCheck> {
    let pairs: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    let raw = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let signature = raw("Signature")?;
    let mut check = SignatureCheck {
        status: Status::Invalid,
        reason: None,
        parent: "query string".into(),
        covers: None,
        algorithm: None,
        key: None,
        key_info_certificate: None,
        trusted_tried: Vec::new(),
        uses_sha1: false,
        cryptographically_sound: false,
        digest_ok: false,
        covered_path: None,
        parent_path: Vec::new(),
    };
    let (name, message) = match (raw("SAMLRequest"), raw("SAMLResponse")) {
        (Some(v), _) => ("SAMLRequest", v),
        (None, Some(v)) => ("SAMLResponse", v),
        _ => {
            check.reason = Some("no SAMLRequest / SAMLResponse beside the Signature".into());
            return Some(check);
        }
    };
    let Some(sig_alg_raw) = raw("SigAlg") else {
        check.reason = Some("Signature without SigAlg".into());
        return Some(check);
    };
    let sig_alg_uri = percent_decode_layers(sig_alg_raw).0;
    check.algorithm = Some(
        sig_alg_uri
            .rsplit(['#', '/'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    );
    let Some(alg) = SigAlg::from_xml_uri(&sig_alg_uri) else {
        check.reason = Some(format!("unsupported SigAlg {sig_alg_uri}"));
        return Some(check);
    };
    check.uses_sha1 = alg.hash() == Some(super::keys::Hash::Sha1);
    let mut signed = format!("{name}={message}");
    if let Some(rs) = raw("RelayState") {
        signed.push_str("&RelayState=");
        signed.push_str(rs);
    }
    signed.push_str("&SigAlg=");
    signed.push_str(sig_alg_raw);
    let Ok(value) = base64_lenient(&percent_decode_layers(signature).0) else {
        check.reason = Some("the Signature parameter is not base64".into());
        return Some(check);
    };
    let fitting: Vec<&TrustedKey> = trusted
        .iter()
        .filter(|k| k.usage.signs() && k.key.fits(alg))
        .collect();
    if fitting.is_empty() {
        check.status = Status::Unverified;
        check.reason = Some(
            "no key to check against (a redirect-binding signature carries no certificate)".into(),
        );
        return Some(check);
    }
    if let Some(k) = fitting
        .iter()
        .find(|k| k.key.verify(alg, signed.as_bytes(), &value))
    {
        check.status = Status::Valid;
        check.cryptographically_sound = true;
        check.key = Some(KeyUsed::from_trusted(k));
    } else {
        check.trusted_tried = fitting.iter().map(|k| KeyUsed::from_trusted(k)).collect();
        check.reason = Some(
            "the query signature does not verify with any trusted key (modified, re-encoded, or signed with another key)".into(),
        );
    }
    Some(check)
}
