//! Public keys and signature algorithms: RSA PKCS#1 v1.5 and PSS, ECDSA on
//! P-256 / P-384, Ed25519 — the algorithms XML-DSig (RFC 6931) and JWS
//! (RFC 7518 §3, RFC 8037) use in sign-in traffic — with the `rsa`, `p256`,
//! `p384` and `ed25519-dalek` crates.
//!
//! Signature values are taken as the specs lay them out: RSA as the
//! big-endian integer, ECDSA as the raw `r || s` concatenation (XML-DSig
//! 1.1 §6.4.3 and RFC 4050 §3.3; JWS RFC 7518 §3.4) — a DER `SEQUENCE` is
//! accepted too because some XML signers emit it.

use rsa::pkcs8::DecodePublicKey as _;
use rsa::signature::hazmat::PrehashVerifier as _;
use sha1::Digest as _;

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    /// XML-DSig / XML-Enc digest algorithm URIs (XML-DSig §6.2, RFC 6931
    /// §2.1, XML-Enc §5.7).
    pub fn from_uri(uri: &str) -> Option<Hash> {
        match uri.trim() {
            "http://www.w3.org/2000/09/xmldsig#sha1" => Some(Hash::Sha1),
            "http://www.w3.org/2001/04/xmlenc#sha256" => Some(Hash::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Some(Hash::Sha384),
            "http://www.w3.org/2001/04/xmlenc#sha512" => Some(Hash::Sha512),
            _ => None,
        }
    }
}

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigAlg {
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ecdsa(Hash),
    Ed25519,
}

impl SigAlg {
    /// XML-DSig SignatureMethod URIs (XML-DSig §6.4, RFC 6931 §2.3).
    pub fn from_xml_uri(uri: &str) -> Option<SigAlg> {
        Some(match uri.trim() {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => SigAlg::RsaPkcs1(Hash::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => SigAlg::RsaPkcs1(Hash::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => SigAlg::RsaPkcs1(Hash::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => SigAlg::RsaPkcs1(Hash::Sha512),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => SigAlg::Ecdsa(Hash::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => SigAlg::Ecdsa(Hash::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => SigAlg::Ecdsa(Hash::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => SigAlg::Ecdsa(Hash::Sha512),
            _ => return None,
        })
    }

    /// JWS `alg` values (RFC 7518 §3.1, RFC 8037 §3.1).
    pub fn from_jws(alg: &str) -> Option<SigAlg> {
        Some(match alg {
            "RS256" => SigAlg::RsaPkcs1(Hash::Sha256),
            "RS384" => SigAlg::RsaPkcs1(Hash::Sha384),
            "RS512" => SigAlg::RsaPkcs1(Hash::Sha512),
            "PS256" => SigAlg::RsaPss(Hash::Sha256),
            "PS384" => SigAlg::RsaPss(Hash::Sha384),
            "PS512" => SigAlg::RsaPss(Hash::Sha512),
            "ES256" => SigAlg::Ecdsa(Hash::Sha256),
            "ES384" => SigAlg::Ecdsa(Hash::Sha384),
            "EdDSA" | "Ed25519" => SigAlg::Ed25519,
            _ => return None,
        })
    }

    /// The digest it signs over, `None` for Ed25519 (which hashes itself).
    pub fn hash(self) -> Option<Hash> {
        match self {
            SigAlg::RsaPkcs1(h) | SigAlg::RsaPss(h) | SigAlg::Ecdsa(h) => Some(h),
            SigAlg::Ed25519 => None,
        }
    }
}

/// A public key that can check signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Rsa(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    /// From a DER `SubjectPublicKeyInfo` (RSA, EC P-256 / P-384).
    pub fn from_spki_der(spki: &[u8]) -> Option<PublicKey> {
        if let Ok(k) = rsa::PublicKey::from_public_key_der(spki) {
            return Some(PublicKey::Rsa(k));
        }
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
            return Some(PublicKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(spki) {
            return Some(PublicKey::P384(k));
        }
        None
    }

    /// From an X.509 certificate (DER).
    pub fn from_certificate_der(der: &[u8]) -> Option<PublicKey> {
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        PublicKey::from_spki_der(cert.public_key().raw)
    }

    /// RSA from its modulus and exponent (big-endian bytes).
    pub fn rsa(n: &[u8], e: &[u8]) -> Option<PublicKey> {
        let n = rsa::BoxedUint::from_be_slice_vartime(n);
        let e = rsa::BoxedUint::from_be_slice_vartime(e);
        rsa::PublicKey::new(n, e).ok().map(PublicKey::Rsa)
    }

    /// EC from its curve name (`P-256` / `P-384`) and coordinates.
    pub fn ec(curve: &str, x: &[u8], y: &[u8]) -> Option<PublicKey> {
        let mut sec1 = vec![4u8];
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        match curve {
            "P-256" => p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                .ok()
                .map(PublicKey::P256),
            "P-384" => p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                .ok()
                .map(PublicKey::P384),
            _ => None,
        }
    }

    /// Ed25519 from its 32 raw bytes.
    pub fn ed25519(x: &[u8]) -> Option<PublicKey> {
        let bytes: [u8; 32] = x.try_into().ok()?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .ok()
            .map(PublicKey::Ed25519)
    }

    /// What kind of key this is, for reports (`RSA 2048`, `EC P-256`).
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa(k) => format!("RSA {}", rsa::traits::PublicKeyParts::n(k).bit_width()),
            PublicKey::P256(_) => "EC P-256".to_owned(),
            PublicKey::P384(_) => "EC P-384".to_owned(),
            PublicKey::Ed25519(_) => "Ed25519".to_owned(),
        }
    }

    /// Whether `sig` is a signature of `message` under `alg` with this key.
    pub fn verify(&self, alg: SigAlg, message: &[u8], sig: &[u8]) -> bool {
        match (self, alg) {
            (PublicKey::Rsa(k), SigAlg::RsaPkcs1(h)) => {
                let hashed = h.digest(message);
                k.verify(pkcs1(h), &hashed, sig).is_ok()
            }
            (PublicKey::Rsa(k), SigAlg::RsaPss(h)) => {
                let hashed = h.digest(message);
                match h {
                    Hash::Sha1 => k.verify(rsa::pss::Pss::<sha1::Sha1>::new(), &hashed, sig),
                    Hash::Sha256 => k.verify(rsa::pss::Pss::<sha2::Sha256>::new(), &hashed, sig),
                    Hash::Sha384 => k.verify(rsa::pss::Pss::<sha2::Sha384>::new(), &hashed, sig),
                    Hash::Sha512 => k.verify(rsa::pss::Pss::<sha2::Sha512>::new(), &hashed, sig),
                }
                .is_ok()
            }
            (PublicKey::P256(k), SigAlg::Ecdsa(h)) => {
                let hashed = h.digest(message);
                p256::ecdsa::Signature::from_slice(sig)
                    .or_else(|_| p256::ecdsa::Signature::from_der(sig))
                    .is_ok_and(|s| k.verify_prehash(&hashed, &s).is_ok())
            }
            (PublicKey::P384(k), SigAlg::Ecdsa(h)) => {
                let hashed = h.digest(message);
                p384::ecdsa::Signature::from_slice(sig)
                    .or_else(|_| p384::ecdsa::Signature::from_der(sig))
                    .is_ok_and(|s| k.verify_prehash(&hashed, &s).is_ok())
            }
            (PublicKey::Ed25519(k), SigAlg::Ed25519) => ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| k.verify_strict(message, &s).is_ok()),
            _ => false,
        }
    }

    /// Whether this key can be used with `alg` at all.
    pub fn fits(&self, alg: SigAlg) -> bool {
        matches!(
            (self, alg),
            (PublicKey::Rsa(_), SigAlg::RsaPkcs1(_) | SigAlg::RsaPss(_))
                | (PublicKey::P256(_) | PublicKey::P384(_), SigAlg::Ecdsa(_))
                | (PublicKey::Ed25519(_), SigAlg::Ed25519)
        )
    }
}

fn pkcs1(h: Hash) -> rsa::Pkcs1v15Sign {
    match h {
        Hash::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}
