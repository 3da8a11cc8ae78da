//! Describes `ds:Signature` elements and the certificates in their
//! `KeyInfo` — where the signature sits, what it references, which
//! algorithms, which key. **No cryptographic verification happens here**:
//! the embedded certificate proves nothing about trust (failure-detection
//! S6/S7); the diagnosis compares thumbprints with metadata instead.
//!
//! SAML core §5.4.2: "SAML assertions and protocols MUST use enveloped
//! signatures when signing assertions and protocol messages", and the
//! `<ds:Reference>` "MUST contain a single <ds:Reference> containing a
//! same-document reference to the ID attribute value of the root element of
//! the assertion or protocol message being signed" (`URI="#<ID>"`).

use sha1::Digest as _;

use super::model::{Algorithm, CertificateInfo, SignatureInfo};
use super::xml::{DS, Element, XENC};
use crate::codec::base64::decode_wrapped;
use crate::decode::encoding::{EncodingError, hex_upper};
use crate::secret::Secret;

/// Collects every `ds:Signature` below `root` (and `root`'s own) in document
/// order, with the enclosing element and path.
pub fn collect(root: &Element) -> Vec<SignatureInfo> {
    let mut out = Vec::new();
    let mut path = vec![root.local.as_str()];
    walk(root, &mut path, &mut out);
    out
}

/// `path` holds the names from the root to `el`; the string is only built
/// when a signature is found.
fn walk<'a>(el: &'a Element, path: &mut Vec<&'a str>, out: &mut Vec<SignatureInfo>) {
    for c in &el.children {
        if c.is(DS, "Signature") {
            out.push(describe(c, el, &path.join("/")));
        }
        // Also below signatures: a `ds:Object` can hide a wrapped assertion.
        path.push(&c.local);
        walk(c, path, out);
        path.pop();
    }
}

/// The ID attribute of a signed element: `ID` (SAML 2.0), `AssertionID`
/// (SAML 1.x), `Id` / `wsu:Id` (WS-*).
pub fn element_id(el: &Element) -> Option<&str> {
    el.attr("ID")
        .or_else(|| el.attr("AssertionID"))
        .or_else(|| el.attr("Id"))
        .or_else(|| {
            el.attrs
                .iter()
                .find(|a| a.local == "Id")
                .map(|a| a.value.as_str())
        })
}

/// Describes one `ds:Signature` whose parent is `parent`.
pub fn describe(sig: &Element, parent: &Element, path: &str) -> SignatureInfo {
    let signed_info = sig.child(DS, "SignedInfo");
    let algo = |el: Option<&Element>| el.and_then(|e| e.attr("Algorithm")).map(Algorithm::new);
    let references: Vec<&Element> = signed_info
        .map(|si| si.children_named(DS, "Reference").collect())
        .unwrap_or_default();
    let reference_uris: Vec<String> = references
        .iter()
        .map(|r| r.attr("URI").unwrap_or_default().to_owned())
        .collect();
    let parent_id = element_id(parent).map(str::to_owned);
    let reference_matches_parent = match (reference_uris.as_slice(), parent_id.as_deref()) {
        ([uri], Some(id)) => uri.strip_prefix('#') == Some(id),
        _ => false,
    };
    let first_ref = references.first().copied();
    SignatureInfo {
        parent: parent.local.clone(),
        parent_id,
        path: path.to_owned(),
        reference_uris,
        reference_matches_parent,
        signature_method: algo(signed_info.and_then(|si| si.child(DS, "SignatureMethod"))),
        digest_method: algo(first_ref.and_then(|r| r.child(DS, "DigestMethod"))),
        canonicalization_method: algo(
            signed_info.and_then(|si| si.child(DS, "CanonicalizationMethod")),
        ),
        transforms: first_ref
            .and_then(|r| r.child(DS, "Transforms"))
            .map(|t| {
                t.children_named(DS, "Transform")
                    .filter_map(|x| x.attr("Algorithm"))
                    .map(Algorithm::new)
                    .collect()
            })
            .unwrap_or_default(),
        signature_value: sig
            .child(DS, "SignatureValue")
            .map(|v| Secret::new(v.deep_text().split_whitespace().collect())),
        certificates: key_info_certificates(sig.child(DS, "KeyInfo")),
    }
}

/// `KeyInfo/X509Data/X509Certificate`s, decoded.
pub fn key_info_certificates(key_info: Option<&Element>) -> Vec<CertificateInfo> {
    let Some(ki) = key_info else {
        return Vec::new();
    };
    ki.children_named(DS, "X509Data")
        .flat_map(|d| d.children_named(DS, "X509Certificate"))
        .map(|c| certificate(&c.deep_text()))
        .collect()
}

/// Certificates the content-encryption key of an `EncryptedAssertion` (or
/// `EncryptedData`) was encrypted for.
pub fn encrypted_key_elements(enc: &Element) -> Vec<&Element> {
    enc.descendants()
        .into_iter()
        .filter(|e| e.is(XENC, "EncryptedKey"))
        .collect()
}

/// Reads a base64 DER certificate: thumbprints always (when base64 decodes),
/// subject / issuer / serial / validity when x509-parser can read it.
pub fn certificate(b64: &str) -> CertificateInfo {
    let mut info = CertificateInfo {
        subject: None,
        issuer: None,
        serial: None,
        not_before: None,
        not_after: None,
        sha1_thumbprint: None,
        sha256_thumbprint: None,
        note: None,
    };
    // XML Schema base64Binary: whitespace between characters is allowed.
    let der = match decode_wrapped(b64).map_err(EncodingError::from) {
        Ok(d) => d,
        Err(e) => {
            info.note = Some(format!("X509Certificate is not base64: {e}"));
            return info;
        }
    };
    info.sha1_thumbprint = Some(hex_upper(&sha1::Sha1::digest(&der)));
    info.sha256_thumbprint = Some(hex_upper(&sha2::Sha256::digest(&der)));
    match x509_parser::parse_x509_certificate(&der) {
        Ok((rest, cert)) => {
            info.subject = Some(cert.subject().to_string());
            info.issuer = Some(cert.issuer().to_string());
            info.serial = Some(hex_upper(cert.raw_serial()));
            let v = cert.validity();
            info.not_before = chrono::DateTime::from_timestamp(v.not_before.timestamp(), 0);
            info.not_after = chrono::DateTime::from_timestamp(v.not_after.timestamp(), 0);
            if !rest.is_empty() {
                info.note = Some(format!("{} bytes after the certificate", rest.len()));
            }
        }
        Err(e) => info.note = Some(format!("certificate could not be parsed: {e}")),
    }
    info
}
