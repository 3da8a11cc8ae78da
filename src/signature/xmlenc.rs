//! XML Encryption (<https://www.w3.org/TR/xmlenc-core1/>) of SAML
//! `EncryptedAssertion` / `EncryptedID` / `EncryptedAttribute` (SAML core
//! §2.3.4, §2.2.4, §2.7.3.2): the content-encryption key is carried in an
//! `xenc:EncryptedKey` encrypted to the SP's public key, the content in
//! `xenc:EncryptedData`.
//!
//! Key transport (XML-Enc §5.5): `rsa-oaep-mgf1p` (OAEP, MGF1 with SHA-1,
//! the digest the `ds:DigestMethod` names, SHA-1 by default),
//! `xmlenc11#rsa-oaep` (the MGF the `xenc11:MGF` names) and `rsa-1_5`.
//! Content (§5.2): AES-128/192/256-CBC — "the IV … is prepended to the
//! cipher text", and padding whose last octet gives its length, the other
//! padding octets being arbitrary — and AES-GCM (§5.2.4: a 96-bit IV
//! prepended, the 128-bit tag appended).
//!
//! Without a private key, the EncryptedKey's certificate (when present) is
//! compared with the SP encryption certificates the user gave (SP
//! metadata, a certificate file).

use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _, block_padding::NoPadding};

use super::keys::PublicKey;
use super::tree::Element;
use super::trust::{PrivateKey, PrivateKeyKind, Trust, cert_key};
use crate::codec::base64::decode_wrapped;
pub use crate::decode::signed::{Decryption, Outcome};

pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

/// Tries to open every encrypted element below `root`.
pub fn open_all(root: &Element, trust: &Trust) -> Vec<Decryption> {
    let mut out = Vec::new();
    let mut scope: Vec<(String, String)> = Vec::new();
    walk(root, &mut scope, trust, &mut out);
    out
}

fn walk(el: &Element, scope: &mut Vec<(String, String)>, trust: &Trust, out: &mut Vec<Decryption>) {
    let mark = scope.len();
    scope.extend(el.ns_decls.iter().cloned());
    for c in el.elements() {
        if c.ns.as_deref() == Some(SAML)
            && matches!(
                c.local.as_str(),
                "EncryptedAssertion" | "EncryptedID" | "EncryptedAttribute"
            )
        {
            out.push(open(c, scope, trust));
        } else {
            walk(c, scope, trust, out);
        }
    }
    scope.truncate(mark);
}

fn short(uri: &str) -> String {
    uri.rsplit(['#', '/']).next().unwrap_or(uri).to_owned()
}

fn find<'a>(el: &'a Element, ns: &str, local: &str) -> Option<&'a Element> {
    el.walk()
        .into_iter()
        .map(|(_, e)| e)
        .find(|e| e.is(ns, local))
}

/// Opens one encrypted element; `scope` holds the namespace declarations
/// in scope there (the plaintext may use their prefixes).
fn open(wrapper: &Element, scope: &[(String, String)], trust: &Trust) -> Decryption {
    let data = find(wrapper, XENC, "EncryptedData");
    let key_el = find(wrapper, XENC, "EncryptedKey");
    let alg = |e: Option<&Element>| {
        e.and_then(|e| e.child(XENC, "EncryptionMethod"))
            .and_then(|m| m.attr("Algorithm"))
            .map(str::to_owned)
    };
    let content_alg = alg(data);
    let key_alg = alg(key_el);
    let encrypted_for_der = key_el
        .and_then(|k| k.child(DS, "KeyInfo"))
        .and_then(|ki| find(ki, DS, "X509Certificate"))
        .and_then(|c| decode_wrapped(c.text()).ok());
    let encrypted_for_key = encrypted_for_der
        .as_deref()
        .and_then(|d| cert_key(d, super::trust::KeyUse::Encryption, "EncryptedKey"));
    let sp_certs: Vec<&super::trust::TrustedKey> = trust
        .keys
        .iter()
        .filter(|k| {
            k.usage == super::trust::KeyUse::Encryption
                || (k.usage.encrypts()
                    && k.cert.is_some()
                    && trust
                        .keys
                        .iter()
                        .all(|o| o.usage != super::trust::KeyUse::Encryption))
        })
        .collect();
    let matches_sp_certificate = encrypted_for_key.as_ref().and_then(|ek| {
        let known: Vec<_> = trust
            .keys
            .iter()
            .filter(|k| k.usage == super::trust::KeyUse::Encryption)
            .collect();
        (!known.is_empty()).then(|| known.iter().any(|k| k.key == ek.key))
    });
    let mut d = Decryption {
        element: wrapper.local.clone(),
        outcome: Outcome::NoKey,
        reason: None,
        key_transport: key_alg.as_deref().map(short),
        content_encryption: content_alg.as_deref().map(short),
        encrypted_for: encrypted_for_key.as_ref().and_then(|k| k.cert.clone()),
        matches_sp_certificate,
        sp_certificates: if matches_sp_certificate == Some(false) {
            sp_certs.iter().filter_map(|k| k.cert.clone()).collect()
        } else {
            Vec::new()
        },
        opened_with: None,
        signature: None,
        plaintext: None,
    };
    let (Some(data), Some(content_alg)) = (data, content_alg) else {
        d.outcome = Outcome::Unsupported;
        d.reason = Some("no EncryptedData with an EncryptionMethod".into());
        return d;
    };
    if trust.private_keys.is_empty() {
        d.reason = Some("no --sp-key given: the content is not visible".into());
        return d;
    }
    let Some(key_el) = key_el else {
        d.outcome = Outcome::Unsupported;
        d.reason = Some("no EncryptedKey (the key is agreed or named out of band)".into());
        return d;
    };
    let Some(wrapped) = cipher_value(key_el) else {
        d.outcome = Outcome::Failed;
        d.reason = Some("the EncryptedKey has no base64 CipherValue".into());
        return d;
    };
    if wrapped.starts_with(crate::secret::PSEUDONYM_MARKER) {
        d.reason =
            Some("the EncryptedKey was redacted (a shared copy): it cannot be opened".into());
        return d;
    }
    let key_alg = key_alg.unwrap_or_default();
    // A key whose public half matches the certificate first.
    let mut keys: Vec<&PrivateKey> = trust.private_keys.iter().collect();
    if let Some(ek) = &encrypted_for_key {
        keys.sort_by_key(|k| k.public != ek.key);
    }
    let mut unsupported = None;
    for k in keys {
        match unwrap_key(k, &key_alg, key_el, &wrapped) {
            Ok(cek) => {
                let Some(ct) = cipher_value(data) else {
                    d.outcome = Outcome::Failed;
                    d.reason = Some("the EncryptedData has no base64 CipherValue".into());
                    return d;
                };
                return match decrypt_content(&content_alg, &cek, &ct) {
                    Ok(plain) => match String::from_utf8(plain) {
                        Ok(text) => {
                            d.outcome = Outcome::Decrypted;
                            d.opened_with = Some(k.source.clone());
                            d.plaintext = Some(with_scope(&text, scope));
                            d
                        }
                        Err(_) => {
                            d.outcome = Outcome::Failed;
                            d.reason = Some("the decrypted content is not UTF-8 text".into());
                            d
                        }
                    },
                    Err(e) => {
                        d.outcome = if e.starts_with("unsupported") {
                            Outcome::Unsupported
                        } else {
                            Outcome::Failed
                        };
                        d.reason = Some(e);
                        d
                    }
                };
            }
            Err(KeyError::Unsupported(m)) => unsupported = Some(m),
            Err(KeyError::Wrong) => {}
        }
    }
    if let Some(m) = unsupported {
        d.outcome = Outcome::Unsupported;
        d.reason = Some(m);
    } else {
        d.outcome = Outcome::WrongKey;
        d.reason = Some(
            "none of the --sp-key keys decrypts the EncryptedKey: it was encrypted for another key"
                .into(),
        );
    }
    d
}

/// Re-roots a decrypted fragment under the namespace declarations in scope
/// where it was encrypted (XML-Enc §4.2: the plaintext is parsed in the
/// context of the EncryptedData's parent).
fn with_scope(text: &str, scope: &[(String, String)]) -> String {
    let trimmed = text.trim_start();
    let body = if trimmed.starts_with("<?xml") {
        trimmed
            .find("?>")
            .map_or(trimmed, |i| trimmed.get(i + 2..).unwrap_or_default())
    } else {
        trimmed
    };
    let mut decls = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for (p, u) in scope.iter().rev() {
        if seen.contains(&p.as_str()) {
            continue;
        }
        seen.push(p);
        let u = u
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;");
        if p.is_empty() {
            decls.push_str(&format!(" xmlns=\"{u}\""));
        } else {
            decls.push_str(&format!(" xmlns:{p}=\"{u}\""));
        }
    }
    if decls.is_empty() {
        return body.to_owned();
    }
    // Declarations go on the fragment's first element (its own win).
    match body.find(['>', '/', ' ', '\t', '\n', '\r']) {
        Some(i) if body.starts_with('<') => {
            let (head, rest) = body.split_at(i);
            let own: Vec<String> = seen
                .iter()
                .filter(|p| {
                    let attr = if p.is_empty() {
                        "xmlns=".to_owned()
                    } else {
                        format!("xmlns:{p}=")
                    };
                    body.split('>')
                        .next()
                        .is_some_and(|tag| tag.contains(&attr))
                })
                .map(|p| p.to_string())
                .collect();
            let mut extra = String::new();
            for (p, u) in scope.iter().rev() {
                if own.contains(p)
                    || extra.contains(&format!("xmlns:{p}="))
                    || (p.is_empty() && extra.contains(" xmlns="))
                {
                    continue;
                }
                let u = u
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;");
                if p.is_empty() {
                    extra.push_str(&format!(" xmlns=\"{u}\""));
                } else {
                    extra.push_str(&format!(" xmlns:{p}=\"{u}\""));
                }
            }
            format!("{head}{extra}{rest}")
        }
        _ => body.to_owned(),
    }
}

fn cipher_value(el: &Element) -> Option<Vec<u8>> {
    let cd = el.child(XENC, "CipherData")?;
    let cv = cd.child(XENC, "CipherValue")?;
    decode_wrapped(cv.text()).ok()
}

enum KeyError {
    Wrong,
    Unsupported(String),
}

fn digest_of(el: &Element) -> Option<&str> {
    el.child(XENC, "EncryptionMethod")?
        .child(DS, "DigestMethod")?
        .attr("Algorithm")
}

/// Decrypts the content-encryption key.
fn unwrap_key(
    k: &PrivateKey,
    alg: &str,
    key_el: &Element,
    wrapped: &[u8],
) -> Result<Vec<u8>, KeyError> {
    let PrivateKeyKind::Rsa(rsa_key) = &k.key else {
        return Err(KeyError::Unsupported(
            "an EC private key was given; XML-Enc key agreement (ECDH-ES) is not implemented"
                .into(),
        ));
    };
    if !matches!(k.public, PublicKey::Rsa(_)) {
        return Err(KeyError::Wrong);
    }
    let method = key_el.child(XENC, "EncryptionMethod");
    let label = method
        .and_then(|m| m.child(XENC, "OAEPparams"))
        .and_then(|p| decode_wrapped(p.text()).ok())
        .filter(|l| !l.is_empty());
    let hash = digest_of(key_el).map_or(Some(super::keys::Hash::Sha1), super::keys::Hash::from_uri);
    let result = match alg.trim() {
        "http://www.w3.org/2001/04/xmlenc#rsa-1_5" => {
            rsa_key.decrypt(rsa::Pkcs1v15Encrypt, wrapped)
        }
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p" => {
            let Some(h) = hash else {
                return Err(KeyError::Unsupported(
                    "unsupported OAEP DigestMethod".into(),
                ));
            };
            oaep(rsa_key, h, super::keys::Hash::Sha1, label, wrapped)
        }
        "http://www.w3.org/2009/xmlenc11#rsa-oaep" => {
            let mgf = method
                .and_then(|m| m.child(XENC11, "MGF"))
                .and_then(|m| m.attr("Algorithm"))
                .unwrap_or("http://www.w3.org/2009/xmlenc11#mgf1sha1");
            let mgf = match short(mgf).as_str() {
                "mgf1sha1" => super::keys::Hash::Sha1,
                "mgf1sha256" => super::keys::Hash::Sha256,
                "mgf1sha384" => super::keys::Hash::Sha384,
                "mgf1sha512" => super::keys::Hash::Sha512,
                other => return Err(KeyError::Unsupported(format!("unsupported MGF {other}"))),
            };
            let Some(h) = hash else {
                return Err(KeyError::Unsupported(
                    "unsupported OAEP DigestMethod".into(),
                ));
            };
            oaep(rsa_key, h, mgf, label, wrapped)
        }
        other => {
            return Err(KeyError::Unsupported(format!(
                "unsupported key transport {}",
                short(other)
            )));
        }
    };
    result.map_err(|_| KeyError::Wrong)
}

fn oaep(
    k: &rsa::PrivateKey,
    digest: super::keys::Hash,
    mgf: super::keys::Hash,
    label: Option<Vec<u8>>,
    ct: &[u8],
) -> rsa::errors::Result<Vec<u8>> {
    use super::keys::Hash::{Sha1, Sha256, Sha384, Sha512};
    macro_rules! go {
        ($d:ty, $m:ty) => {
            match label {
                Some(l) => k.decrypt(rsa::Oaep::<$d, $m>::new_with_mgf_hash_and_label(l), ct),
                None => k.decrypt(rsa::Oaep::<$d, $m>::new_with_mgf_hash(), ct),
            }
        };
    }
    macro_rules! by_mgf {
        ($d:ty) => {
            match mgf {
                Sha1 => go!($d, sha1::Sha1),
                Sha256 => go!($d, sha2::Sha256),
                Sha384 => go!($d, sha2::Sha384),
                Sha512 => go!($d, sha2::Sha512),
            }
        };
    }
    match digest {
        Sha1 => by_mgf!(sha1::Sha1),
        Sha256 => by_mgf!(sha2::Sha256),
        Sha384 => by_mgf!(sha2::Sha384),
        Sha512 => by_mgf!(sha2::Sha512),
    }
}

/// Decrypts `EncryptedData` content with the content-encryption key.
pub fn decrypt_content(alg: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    let wrong = |n: usize| {
        format!(
            "the decrypted key has {} bytes, not the {n} the algorithm needs",
            key.len()
        )
    };
    match short(alg).as_str() {
        "aes128-cbc" => cbc_decrypt::<aes::Aes128>(key, data).ok_or_else(|| cbc_error(key, 16)),
        "aes192-cbc" => cbc_decrypt::<aes::Aes192>(key, data).ok_or_else(|| cbc_error(key, 24)),
        "aes256-cbc" => cbc_decrypt::<aes::Aes256>(key, data).ok_or_else(|| cbc_error(key, 32)),
        "aes128-gcm" => gcm::<aes_gcm::AesGcm<aes::Aes128, aes_gcm::aead::consts::U12>>(key, data)
            .ok_or_else(|| wrong(16)),
        "aes192-gcm" => gcm::<aes_gcm::AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>>(key, data)
            .ok_or_else(|| wrong(24)),
        "aes256-gcm" => gcm::<aes_gcm::AesGcm<aes::Aes256, aes_gcm::aead::consts::U12>>(key, data)
            .ok_or_else(|| wrong(32)),
        other => Err(format!("unsupported content encryption {other}")),
    }
}

fn cbc_error(key: &[u8], n: usize) -> String {
    if key.len() == n {
        "the content does not decrypt (corrupt cipher text or padding)".into()
    } else {
        format!(
            "the decrypted key has {} bytes, not the {n} the algorithm needs",
            key.len()
        )
    }
}

fn cbc_decrypt<C>(key: &[u8], data: &[u8]) -> Option<Vec<u8>>
where
    C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit,
    cbc::Decryptor<C>: cbc::cipher::KeyIvInit + cbc::cipher::BlockModeDecrypt,
{
    let iv = data.get(..16)?;
    let mut buf = data.get(16..)?.to_vec();
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    let plain = dec.decrypt_padded::<NoPadding>(&mut buf).ok()?;
    // XML-Enc §5.2: the last octet is the padding length (1..=16).
    let pad = usize::from(*plain.last()?);
    if pad == 0 || pad > 16 || pad > plain.len() {
        return None;
    }
    Some(plain.get(..plain.len() - pad)?.to_vec())
}

fn gcm<A>(key: &[u8], data: &[u8]) -> Option<Vec<u8>>
where
    A: aes_gcm::aead::Aead + aes_gcm::aead::KeyInit,
{
    let cipher = A::new_from_slice(key).ok()?;
    let nonce = aes_gcm::aead::Nonce::<A>::try_from(data.get(..12)?).ok()?;
    cipher.decrypt(&nonce, data.get(12..)?).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use aes_gcm::aead::{Aead as _, KeyInit as _};

    use super::*;

    #[test]
    fn opens_aes_gcm_content_with_the_iv_in_front_and_the_tag_behind() {
        let key = [3u8; 32];
        let iv = [5u8; 12];
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).expect("key");
        let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::from(iv);
        let ct = cipher
            .encrypt(&nonce, &b"<saml:Assertion/>"[..])
            .expect("encrypts");
        let mut data = iv.to_vec();
        data.extend(ct);
        let gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
        assert_eq!(
            decrypt_content(gcm, &key, &data).expect("opens"),
            b"<saml:Assertion/>"
        );
        // One flipped bit fails the tag.
        if let Some(b) = data.last_mut() {
            *b ^= 1;
        }
        assert!(decrypt_content(gcm, &key, &data).is_err());
        assert!(
            decrypt_content("urn:unknown", &key, &data)
                .is_err_and(|e| e.starts_with("unsupported"))
        );
    }
}
