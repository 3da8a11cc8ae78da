//! Trust material: the keys a signature may be checked against and the
//! private keys an encrypted assertion may be opened with.
//!
//! Files (`--idp-cert`, `--sp-key`) are read by the CLI and handed here as
//! bytes; the kind is detected from content, never from the file name:
//! * a PEM file (any number of `CERTIFICATE` / `PUBLIC KEY` blocks), a DER
//!   certificate, or the bare base64 of one (as copied from metadata);
//! * SAML 2.0 metadata (SAML metadata §2.4.1.1: `md:KeyDescriptor` with
//!   `use="signing"` / `"encryption"`, or no `use` for both) — IdP or SP,
//!   WS-Federation metadata uses the same elements;
//! * a JWKS (RFC 7517 §5) or an OpenID discovery document (OpenID Connect
//!   Discovery 1.0 §3: its `jwks_uri` makes the JWKS fetched from there in
//!   the capture trusted).
//!
//! Private keys: PEM PKCS#1 (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`, RSA
//! or EC) and SEC1 (`EC PRIVATE KEY`). Invariant: key material is never
//! printed — [`PrivateKey`]'s `Debug` shows only where it came from, and no
//! error message quotes file content.

use std::fmt;

use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use sha1::Digest as _;

use super::keys::PublicKey;
use super::tree;
use crate::codec::base64::decode_wrapped;
use crate::decode::encoding::hex_upper;
use crate::decode::saml::{CertificateInfo, Limits, parse_certificate};

/// SAML 2.0 metadata namespace (metadata §2).
pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// What a key is declared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    Signing,
    Encryption,
    /// No `use` given: both (metadata §2.4.1.1).
    Any,
}

impl KeyUse {
    pub fn signs(self) -> bool {
        matches!(self, KeyUse::Signing | KeyUse::Any)
    }
    pub fn encrypts(self) -> bool {
        matches!(self, KeyUse::Encryption | KeyUse::Any)
    }
}

/// One public key, with its certificate when it came in one.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    pub key: PublicKey,
    pub cert: Option<CertificateInfo>,
    /// JWK `kid`.
    pub kid: Option<String>,
    pub usage: KeyUse,
    /// Where it came from: a file name, or `#12 (metadata)` for the capture.
    pub source: String,
}

impl TrustedKey {
    /// A short description for reports: subject, else kid, else key kind.
    pub fn label(&self) -> String {
        self.cert
            .as_ref()
            .and_then(|c| c.subject.clone())
            .or_else(|| self.kid.as_ref().map(|k| format!("kid {k}")))
            .unwrap_or_else(|| self.key.describe())
    }
}

/// A private key (RSA or EC). `Debug` never shows the key.
#[derive(Clone)]
pub struct PrivateKey {
    pub key: PrivateKeyKind,
    /// The matching public key, to compare with certificates.
    pub public: PublicKey,
    pub source: String,
}

/// The private key itself.
#[derive(Clone)]
pub enum PrivateKeyKind {
    Rsa(Box<rsa::PrivateKey>),
    /// EC keys parse (so a key file is accepted) but XML-Enc key agreement
    /// (ECDH-ES) is not implemented; they cannot decrypt.
    Ec,
}

impl fmt::Debug for PrivateKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PrivateKeyKind::Rsa(_) => "Rsa(…)",
            PrivateKeyKind::Ec => "Ec",
        })
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, {})", self.public.describe(), self.source)
    }
}

/// Trust material for one run.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// Keys the user (or the capture's metadata / JWKS) says are the IdP's
    /// (and, for SP metadata, the SP's encryption certificates).
    pub keys: Vec<TrustedKey>,
    /// `--sp-key`s.
    pub private_keys: Vec<PrivateKey>,
    /// `jwks_uri`s of discovery documents given by the user.
    pub jwks_uris: Vec<String>,
}

impl Trust {
    /// Whether any signing key is known.
    pub fn has_signing_keys(&self) -> bool {
        self.keys.iter().any(|k| k.usage.signs())
    }

    /// Adds the content of an `--idp-cert` file.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), TrustError> {
        let found = parse_material(name, bytes)?;
        self.keys.extend(found.keys);
        self.jwks_uris.extend(found.jwks_uris);
        Ok(())
    }

    /// Adds the content of an `--sp-key` file.
    pub fn add_private_key_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), TrustError> {
        let key = parse_private_key(name, bytes)?;
        self.private_keys.push(key);
        Ok(())
    }
}

/// Why a trust file was refused (never quotes its content).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    #[error("{0}: not a certificate (PEM / DER), SAML metadata, JWKS or OpenID discovery document")]
    Unrecognized(String),
    #[error("{0}: {1}")]
    Bad(String, String),
    #[error(
        "{0}: not a PEM private key (PKCS#1 RSA PRIVATE KEY, PKCS#8 PRIVATE KEY or EC PRIVATE KEY)"
    )]
    NotPrivateKey(String),
}

/// What one file held.
#[derive(Debug, Default)]
pub struct Material {
    pub keys: Vec<TrustedKey>,
    pub jwks_uris: Vec<String>,
}

/// Reads trust material (certificates, metadata, JWKS, discovery).
pub fn parse_material(name: &str, bytes: &[u8]) -> Result<Material, TrustError> {
    let text = std::str::from_utf8(bytes)
        .ok()
        .map(|t| t.trim_start_matches('\u{feff}').trim());
    let bad = |m: &str| TrustError::Bad(name.to_owned(), m.to_owned());
    let material = match text {
        Some(t) if t.contains("-----BEGIN") => Material {
            keys: pem_keys(name, t).map_err(|m| bad(&m))?,
            ..Material::default()
        },
        Some(t) if t.starts_with('<') => Material {
            keys: metadata_keys(name, t).map_err(|m| bad(&m))?,
            ..Material::default()
        },
        Some(t) if t.starts_with('{') => json_material(name, t).map_err(|m| bad(&m))?,
        Some(t)
            if !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+/=\r\n ".contains(c)) =>
        {
            let der = decode_wrapped(t).map_err(|_| TrustError::Unrecognized(name.to_owned()))?;
            Material {
                keys: vec![
                    cert_key(&der, KeyUse::Any, name)
                        .ok_or_else(|| TrustError::Unrecognized(name.to_owned()))?,
                ],
                ..Material::default()
            }
        }
        _ => Material {
            keys: vec![
                cert_key(bytes, KeyUse::Any, name)
                    .ok_or_else(|| TrustError::Unrecognized(name.to_owned()))?,
            ],
            ..Material::default()
        },
    };
    if material.keys.is_empty() && material.jwks_uris.is_empty() {
        return Err(bad("holds no certificate or key"));
    }
    Ok(material)
}

/// A trusted key from a DER certificate.
pub fn cert_key(der: &[u8], usage: KeyUse, source: &str) -> Option<TrustedKey> {
    let key = PublicKey::from_certificate_der(der)?;
    Some(TrustedKey {
        key,
        cert: Some(certificate_info(der)),
        kid: None,
        usage,
        source: source.to_owned(),
    })
}

/// Thumbprints, subject and validity of a DER certificate.
pub fn certificate_info(der: &[u8]) -> CertificateInfo {
    use crate::codec::base64::{Shape, encode};
    parse_certificate(&encode(der, Shape::STANDARD))
}

/// SHA-1 thumbprint of DER bytes (upper-case hex).
pub fn sha1_hex(der: &[u8]) -> String {
    hex_upper(&sha1::Sha1::digest(der))
}

/// PEM blocks: (label, DER).
pub fn pem_blocks(text: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = rest.get(start + 11..).unwrap_or_default();
        let Some(label_end) = after.find("-----") else {
            return Err("a PEM BEGIN line is not closed".to_owned());
        };
        let label = after.get(..label_end).unwrap_or_default().to_owned();
        let body_start = label_end + 5;
        let end_marker = format!("-----END {label}-----");
        let Some(end) = after.find(&end_marker) else {
            return Err(format!("the PEM block {label} has no END line"));
        };
        let body: String = after
            .get(body_start..end)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.contains(':'))
            .collect();
        let der =
            decode_wrapped(&body).map_err(|_| format!("the PEM block {label} is not base64"))?;
        out.push((label, der));
        rest = after.get(end + end_marker.len()..).unwrap_or_default();
    }
    Ok(out)
}

fn pem_keys(name: &str, text: &str) -> Result<Vec<TrustedKey>, String> {
    let mut keys = Vec::new();
    for (label, der) in pem_blocks(text)? {
        match label.as_str() {
            "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => keys.push(
                cert_key(&der, KeyUse::Any, name)
                    .ok_or_else(|| "a CERTIFICATE block could not be read (or its key type is not RSA / EC P-256 / P-384)".to_owned())?,
            ),
            "PUBLIC KEY" => keys.push(TrustedKey {
                key: PublicKey::from_spki_der(&der)
                    .ok_or_else(|| "a PUBLIC KEY block could not be read".to_owned())?,
                cert: None,
                kid: None,
                usage: KeyUse::Any,
                source: name.to_owned(),
            }),
            l if l.contains("PRIVATE KEY") => {
                return Err("this is a private key; give it with --sp-key (the IdP's certificate goes to --idp-cert)".to_owned());
            }
            _ => {}
        }
    }
    Ok(keys)
}

/// Signing / encryption certificates from SAML metadata (or any XML with
/// `ds:X509Certificate`s when it has no `KeyDescriptor`).
pub fn metadata_keys(name: &str, text: &str) -> Result<Vec<TrustedKey>, String> {
    let doc = tree::parse(text, &Limits::default()).map_err(|e| e.to_string())?;
    let mut keys = Vec::new();
    let all = doc.root.walk();
    let descriptors: Vec<_> = all
        .iter()
        .filter(|(_, e)| e.is(MD, "KeyDescriptor"))
        .collect();
    let push = |keys: &mut Vec<TrustedKey>, el: &tree::Element, usage: KeyUse| {
        for (_, c) in el.walk() {
            if c.is(DS, "X509Certificate")
                && let Ok(der) = decode_wrapped(c.text())
                && let Some(k) = cert_key(&der, usage, name)
            {
                keys.push(k);
            }
        }
    };
    if descriptors.is_empty() {
        push(&mut keys, &doc.root, KeyUse::Any);
    }
    for (_, d) in descriptors {
        let usage = match d.attr("use") {
            Some("signing") => KeyUse::Signing,
            Some("encryption") => KeyUse::Encryption,
            _ => KeyUse::Any,
        };
        push(&mut keys, d, usage);
    }
    Ok(keys)
}

fn json_material(name: &str, text: &str) -> Result<Material, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("JSON does not parse: {e}"))?;
    let mut m = Material::default();
    if let Some(keys) = v.get("keys").and_then(|k| k.as_array()) {
        m.keys = keys.iter().filter_map(|k| jwk(k, name)).collect();
        if m.keys.is_empty() {
            return Err("the JWKS holds no RSA / EC P-256 / P-384 / Ed25519 key".to_owned());
        }
    } else if let Some(uri) = v.get("jwks_uri").and_then(|u| u.as_str()) {
        m.jwks_uris.push(uri.to_owned());
    } else if v.get("kty").is_some() {
        m.keys.extend(jwk(&v, name));
    } else {
        return Err("JSON that is neither a JWKS (\"keys\") nor an OpenID discovery document (\"jwks_uri\")".to_owned());
    }
    Ok(m)
}

/// One JWK (RFC 7517 §4, RFC 7518 §6): RSA, EC P-256 / P-384, OKP Ed25519;
/// its `x5c` certificate is described when present.
pub fn jwk(k: &serde_json::Value, source: &str) -> Option<TrustedKey> {
    let s = |f: &str| k.get(f).and_then(|v| v.as_str());
    let b = |f: &str| {
        s(f).and_then(|v| crate::codec::base64::decode_url(v).ok())
            .map(|(bytes, _)| bytes)
    };
    let key = match s("kty")? {
        "RSA" => PublicKey::rsa(&b("n")?, &b("e")?)?,
        "EC" => PublicKey::ec(s("crv")?, &b("x")?, &b("y")?)?,
        "OKP" if s("crv") == Some("Ed25519") => PublicKey::ed25519(&b("x")?)?,
        _ => return None,
    };
    let cert = k
        .get("x5c")
        .and_then(|c| c.as_array())
        .and_then(|c| c.first())
        .and_then(|c| c.as_str())
        .map(parse_certificate);
    Some(TrustedKey {
        key,
        cert,
        kid: s("kid").map(str::to_owned),
        usage: match s("use") {
            Some("sig") => KeyUse::Signing,
            Some("enc") => KeyUse::Encryption,
            _ => KeyUse::Any,
        },
        source: source.to_owned(),
    })
}

/// Reads an `--sp-key` file.
pub fn parse_private_key(name: &str, bytes: &[u8]) -> Result<PrivateKey, TrustError> {
    let not_key = || TrustError::NotPrivateKey(name.to_owned());
    let text = std::str::from_utf8(bytes).map_err(|_| not_key())?;
    let blocks = pem_blocks(text).map_err(|m| TrustError::Bad(name.to_owned(), m))?;
    for (label, der) in blocks {
        let rsa_key = match label.as_str() {
            "RSA PRIVATE KEY" => rsa::PrivateKey::from_pkcs1_der(&der).ok(),
            "PRIVATE KEY" => rsa::PrivateKey::from_pkcs8_der(&der).ok(),
            "ENCRYPTED PRIVATE KEY" => {
                return Err(TrustError::Bad(
                    name.to_owned(),
                    "the private key is password-protected; export it unencrypted (openssl pkey -in KEY -out PLAIN.pem)".to_owned(),
                ));
            }
            _ => None,
        };
        if let Some(k) = rsa_key {
            let public = PublicKey::Rsa(k.to_public_key());
            return Ok(PrivateKey {
                key: PrivateKeyKind::Rsa(Box::new(k)),
                public,
                source: name.to_owned(),
            });
        }
        let ec_public = match label.as_str() {
            "EC PRIVATE KEY" => p256::SecretKey::from_sec1_der(&der)
                .map(|k| {
                    PublicKey::P256(p256::ecdsa::VerifyingKey::from(
                        p256::ecdsa::SigningKey::from(k),
                    ))
                })
                .ok()
                .or_else(|| {
                    p384::SecretKey::from_sec1_der(&der)
                        .map(|k| {
                            PublicKey::P384(p384::ecdsa::VerifyingKey::from(
                                p384::ecdsa::SigningKey::from(k),
                            ))
                        })
                        .ok()
                }),
            "PRIVATE KEY" => p256::SecretKey::from_pkcs8_der(&der)
                .map(|k| {
                    PublicKey::P256(p256::ecdsa::VerifyingKey::from(
                        p256::ecdsa::SigningKey::from(k),
                    ))
                })
                .ok()
                .or_else(|| {
                    p384::SecretKey::from_pkcs8_der(&der)
                        .map(|k| {
                            PublicKey::P384(p384::ecdsa::VerifyingKey::from(
                                p384::ecdsa::SigningKey::from(k),
                            ))
                        })
                        .ok()
                }),
            _ => None,
        };
        if let Some(public) = ec_public {
            return Ok(PrivateKey {
                key: PrivateKeyKind::Ec,
                public,
                source: name.to_owned(),
            });
        }
    }
    Err(not_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_garbage_naming_the_file() {
        let e = parse_material("x.bin", b"\x00\x01garbage").expect_err("refused");
        assert!(e.to_string().starts_with("x.bin: "), "{e}");
        let e = parse_private_key("k.pem", b"hello").expect_err("refused");
        assert!(e.to_string().starts_with("k.pem: "), "{e}");
    }

    #[test]
    fn reads_a_jwks_and_a_discovery_document() {
        let jwks = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
        let m = parse_material("jwks.json", jwks.as_bytes()).expect("reads");
        assert_eq!(m.keys.len(), 1);
        assert_eq!(m.keys.first().and_then(|k| k.kid.as_deref()), Some("k1"));
        let disc = r#"{"issuer":"https://idp","jwks_uri":"https://idp/keys"}"#;
        let m = parse_material("d.json", disc.as_bytes()).expect("reads");
        assert_eq!(m.jwks_uris, vec!["https://idp/keys".to_owned()]);
    }

    #[test]
    fn private_key_debug_hides_the_key() {
        let k = PrivateKey {
            key: PrivateKeyKind::Ec,
            public: PublicKey::ed25519(&[0x11; 32]).expect("point"),
            source: "sp.pem".into(),
        };
        assert_eq!(format!("{k:?}"), "PrivateKey(Ed25519, sp.pem)");
    }
}
