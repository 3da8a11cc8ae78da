//! SAML 2.0 / WS-Federation messages: decoded, redacted inside, re-encoded
//! the way they came (same binding).
//!
//! The XML is edited as text, never re-serialised: only the content of the
//! elements below changes, so IDs, `InResponseTo`, `Destination`,
//! `Audience`, times, status codes and (public) certificates stay
//! byte-identical and the message still decodes to the same facts.
//!
//! - `ds:SignatureValue` → a marked base64 pseudonym (the message can no
//!   longer be replayed; the `Signature` element, its `Reference` and
//!   `KeyInfo` stay, so "signed or not, by which certificate" survives);
//! - `xenc:CipherValue` (encrypted assertions and keys) → likewise;
//! - RSA private-key parameters (`D`, `P`, `Q`, `DP`, `DQ`, `InverseQ` in
//!   an `RSAKeyValue` / `RSAKeyPair`), should a message ever carry them;
//! - with `--pii`: `NameID` / `NameIdentifier`, `AttributeValue` (except
//!   GUIDs, URLs, numbers and booleans: tenant and object IDs, IdP names,
//!   method references), `SubjectConfirmationData` / `SubjectLocality`
//!   `Address`, and any e-mail address in the text.
//!
//! Re-encoding (SAML bindings §3.4.4.1 for HTTP-Redirect: "compressed using
//! the DEFLATE compression mechanism [RFC1951] … subsequently
//! base64-encoded"; §3.5.4 for HTTP-POST: base64 only) repeats every layer
//! [`decode_saml_param`] reports: percent-encoding layers, HTML escaping,
//! base64 alphabet, padding and line wrapping, and raw DEFLATE / zlib /
//! gzip. A message with nothing to redact keeps its exact original text.

use std::io::Write;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Redactor;
use crate::decode::encoding::{Compression, DecodedXml, decode_saml_param};
use crate::redact::pii;
use crate::redact::receipt::{Kind, Place};

/// Elements whose whole text content is replaced.
fn target(local: &[u8], parent: Option<&[u8]>, pii: bool) -> Option<Kind> {
    match local {
        b"SignatureValue" => Some(Kind::SamlSignature),
        b"CipherValue" => Some(Kind::SamlCiphertext),
        b"D" | b"P" | b"Q" | b"DP" | b"DQ" | b"InverseQ"
            if matches!(parent, Some(b"RSAKeyValue" | b"RSAKeyPair")) =>
        {
            Some(Kind::PrivateKey)
        }
        b"NameID" | b"NameIdentifier" if pii => Some(Kind::PiiUser),
        b"AttributeValue" if pii => Some(Kind::PiiName),
        _ => None,
    }
}

/// Elements whose `Address` attribute is a client IP (`--pii`).
fn has_address(local: &[u8]) -> bool {
    matches!(local, b"SubjectConfirmationData" | b"SubjectLocality")
}

/// Redacts an XML document (one or several concatenated). `None` when
/// nothing changed.
pub fn redact_xml(r: &mut Redactor<'_>, xml: &str) -> Option<String> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut reader = Reader::from_str(xml);
    // (local name, content start, saw a child element)
    let mut stack: Vec<(Vec<u8>, usize, bool)> = Vec::new();
    loop {
        let before = pos(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(e) => e,
            // Damaged XML: what was found before the damage is redacted.
            Err(_) => break,
        };
        let after = pos(reader.buffer_position());
        match event {
            Event::Start(e) => {
                if let Some(top) = stack.last_mut() {
                    top.2 = true;
                }
                let local = e.local_name().as_ref().to_vec();
                if r.pii() && has_address(&local) {
                    address_edits(r, xml, before, after, &mut edits);
                }
                stack.push((local, after, false));
            }
            Event::Empty(e) => {
                if let Some(top) = stack.last_mut() {
                    top.2 = true;
                }
                if r.pii() && has_address(e.local_name().as_ref()) {
                    address_edits(r, xml, before, after, &mut edits);
                }
            }
            Event::End(_) => {
                let Some((local, start, has_child)) = stack.pop() else {
                    continue;
                };
                let parent = stack.last().map(|p| p.0.as_slice());
                let Some(kind) = target(&local, parent, r.pii()) else {
                    continue;
                };
                if has_child {
                    continue;
                }
                let Some(content) = xml.get(start..before) else {
                    continue;
                };
                if let Some(new) = replace_content(r, kind, content) {
                    edits.push((start, before, new));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out = super::apply(xml, edits);
    if r.pii() {
        let text = out.as_deref().unwrap_or(xml);
        if let Some(more) = r.pii_scan_emails(text, Place::Saml) {
            out = Some(more);
        }
    }
    out
}

fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// The new text content for a target element, or `None` to keep it.
fn replace_content(r: &mut Redactor<'_>, kind: Kind, content: &str) -> Option<String> {
    let value = content.trim();
    if value.is_empty() || r.is_done(value) {
        return None;
    }
    match kind {
        Kind::SamlSignature | Kind::SamlCiphertext | Kind::PrivateKey => {
            let compact: String = value.split_ascii_whitespace().collect();
            Some(r.marked_base64(kind, Place::Saml, &compact, false))
        }
        Kind::PiiUser => r.pii_value(Kind::PiiUser, Place::Saml, value),
        Kind::PiiName => {
            if keeps_attribute_value(value) {
                None
            } else if pii::looks_like_email(value) {
                r.pii_value(Kind::PiiEmail, Place::Saml, value)
            } else {
                r.pii_value(Kind::PiiName, Place::Saml, value)
            }
        }
        _ => None,
    }
}

/// Attribute values that identify tenants, objects or methods, not people.
fn keeps_attribute_value(v: &str) -> bool {
    let is_guid = v.len() == 36
        && v.bytes().enumerate().all(|(i, b)| {
            matches!(i, 8 | 13 | 18 | 23) == (b == b'-') && (b == b'-' || b.is_ascii_hexdigit())
        });
    is_guid
        || v.contains("://")
        || v.starts_with("urn:")
        || v.parse::<f64>().is_ok()
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
}

/// `Address="…"` in the start tag spanning `[start, end)`.
fn address_edits(
    r: &mut Redactor<'_>,
    xml: &str,
    start: usize,
    end: usize,
    edits: &mut Vec<(usize, usize, String)>,
) {
    let Some(tag) = xml.get(start..end) else {
        return;
    };
    for quote in ['"', '\''] {
        let needle = format!(" Address={quote}");
        let Some(at) = tag.find(&needle) else {
            continue;
        };
        let vstart = at + needle.len();
        let Some(len) = tag.get(vstart..).and_then(|t| t.find(quote)) else {
            continue;
        };
        let Some(value) = tag.get(vstart..vstart + len) else {
            continue;
        };
        if let Some(new) = r.pii_value(Kind::PiiIp, Place::Saml, value) {
            edits.push((start + vstart, start + vstart + len, new));
        }
    }
}

/// A `SAMLRequest` / `SAMLResponse` / `wresult` value (one outer layer of
/// URL / form / HTML / JSON encoding already removed by the caller):
/// decoded, redacted, re-encoded the same way. `None` when nothing changed
/// (a value that is already a pseudonym). A value that does not decode (too
/// large, damaged, not base64) is replaced whole by an opaque pseudonym:
/// what cannot be read cannot be checked for secrets, so it is never copied
/// (fail closed), and a receipt note says so.
pub fn redact_value(r: &mut Redactor<'_>, value: &str) -> Option<String> {
    let decoded = match decode_saml_param(value, r.max_decoded()) {
        Ok(d) => d,
        Err(e) => {
            if r.is_done(value.trim()) {
                return None;
            }
            r.note(format!(
                "a SAML / WS-Fed value could not be decoded ({e}); replaced whole"
            ));
            return Some(r.opaque(Kind::SamlSignature, Place::Saml, value));
        }
    };
    let xml = redact_xml(r, &decoded.xml)?;
    let encoded = encode_like(&xml, &decoded, value);
    r.record(value, &encoded, Kind::SamlSignature);
    Some(encoded)
}

/// Applies the layers `decoded.encoding` describes to `xml`.
pub fn encode_like(xml: &str, decoded: &DecodedXml, original: &str) -> String {
    let enc = &decoded.encoding;
    let mut text = match &enc.base64 {
        None => xml.to_owned(),
        Some(info) => {
            let compressed = compress(xml.as_bytes(), enc.compression);
            crate::codec::base64::encode_like(&compressed, info, original)
        }
    };
    if enc.html_unescaped {
        text = super::html_escape(&text).into_owned();
    }
    for _ in 0..enc.url_decoded_layers {
        text = super::encode_component(&text);
    }
    text
}

fn compress(data: &[u8], how: Compression) -> Vec<u8> {
    let level = flate2::Compression::default();
    let result = match how {
        Compression::None => return data.to_vec(),
        Compression::Deflate => {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), level);
            e.write_all(data).and_then(|()| e.finish())
        }
        Compression::Zlib => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), level);
            e.write_all(data).and_then(|()| e.finish())
        }
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), level);
            e.write_all(data).and_then(|()| e.finish())
        }
    };
    // Writing to a Vec cannot fail; should it, the uncompressed bytes are
    // still a well-formed (if non-conforming) message.
    result.unwrap_or_else(|_| data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::key::Key;

    const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" InResponseTo="_req1" Destination="https://app.example/acs"><saml:Issuer>https://idp.example</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>
QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=
</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>TUlJQ0VSVA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1"><saml:Subject><saml:NameID>alice@contoso.com</saml:NameID><saml:SubjectConfirmation><saml:SubjectConfirmationData Address="203.0.113.9" InResponseTo="_req1"/></saml:SubjectConfirmation></saml:Subject><saml:AttributeStatement><saml:Attribute Name="tid"><saml:AttributeValue>72f988bf-86f1-41af-91ab-2d7cd011db47</saml:AttributeValue></saml:Attribute><saml:Attribute Name="name"><saml:AttributeValue>Alice Smith</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#;

    fn key() -> Key {
        Key::from_bytes(&[3u8; 32], true).unwrap()
    }

    #[test]
    fn replaces_the_signature_value_and_nothing_else() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let out = redact_xml(&mut r, RESPONSE).unwrap();
        assert!(!out.contains("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="));
        assert!(out.contains("<ds:SignatureValue>UkVEQUNURUQ6"));
        assert!(out.contains("TUlJQ0VSVA=="), "certificate kept");
        assert!(out.contains("alice@contoso.com"), "no --pii");
        let before = RESPONSE.len() - RESPONSE.find("</ds:SignatureValue>").unwrap();
        assert!(out.ends_with(&RESPONSE[RESPONSE.len() - before..]));
        assert!(redact_xml(&mut r, &out).is_none(), "idempotent");
    }

    #[test]
    fn pseudonymises_subject_and_names_with_pii() {
        let k = key();
        let mut r = Redactor::new(&k, true, 1 << 20);
        let out = redact_xml(&mut r, RESPONSE).unwrap();
        for gone in ["alice@contoso.com", "Alice Smith", "203.0.113.9"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(out.contains("72f988bf-86f1-41af-91ab-2d7cd011db47"));
        assert!(out.contains("@contoso.com</saml:NameID>"));
        assert!(redact_xml(&mut r, &out).is_none(), "idempotent");
    }

    #[test]
    fn re_encodes_redirect_binding_with_raw_deflate() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let deflated = compress(RESPONSE.as_bytes(), Compression::Deflate);
        let value = crate::codec::base64::encode(deflated, crate::codec::base64::Shape::STANDARD);
        let out = redact_value(&mut r, &value).unwrap();
        let back = decode_saml_param(&out, 1 << 20).unwrap();
        assert_eq!(back.encoding.compression, Compression::Deflate);
        assert!(back.xml.contains("ID=\"_r1\"") && back.xml.contains("UkVEQUNURUQ6"));
        assert!(redact_value(&mut r, &out).is_none());
    }
}
