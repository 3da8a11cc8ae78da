//! Keyed pseudonyms: `HMAC-SHA256(key, shape ‖ 0x00 ‖ value)` rendered in a
//! shape that keeps the field usable and marks it as redacted.
//!
//! Invariants:
//! - Deterministic for one key: equal values get equal pseudonyms, so
//!   correlations across a capture (the cookie set at #3 and sent at #9, the
//!   code in a redirect and in the token request) survive.
//! - Every pseudonym is recognisable *without the key* ([`is_pseudonym`],
//!   [`is_marked_base64`]), so a second run with another key leaves an
//!   already-redacted file unchanged (idempotence).
//! - The key never prints: [`Key`]'s `Debug` masks it.

use std::fmt;

use crate::codec::base64::{Shape, encode};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::RedactError;

/// Prefix of every opaque pseudonym: `REDACTED-<kind>-<12 hex>`.
pub const OPAQUE_PREFIX: &str = "REDACTED-";

pub use crate::secret::PSEUDONYM_MARKER as MARKER;

/// [`MARKER`] in base64 (identical in the standard and URL-safe alphabets).
pub const MARKER_B64: &str = "UkVEQUNURUQ6";

/// Hex digits in an opaque pseudonym (48 bits: collisions are negligible at
/// capture sizes, and the value cannot be guessed back without the key).
const OPAQUE_HEX: usize = 12;

/// Hex digits in PII pseudonyms (`redacted-<10 hex>@domain`).
pub const PII_HEX: usize = 10;

/// The per-run secret key. 32 random bytes unless `--key` gave one.
#[derive(Clone)]
pub struct Key {
    mac: Hmac<Sha256>,
    /// Whether the key was given by the user (pseudonyms comparable across runs).
    pub given: bool,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("key", &"‹redacted›")
            .field("given", &self.given)
            .finish()
    }
}

impl Key {
    /// A fresh random key from the operating system.
    pub fn random() -> Result<Key, RedactError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| RedactError::Key(format!("no randomness: {e}")))?;
        Self::from_bytes(&bytes, false)
    }

    /// A key from raw bytes (at least 16).
    pub fn from_bytes(bytes: &[u8], given: bool) -> Result<Key, RedactError> {
        if bytes.len() < 16 {
            return Err(RedactError::Key(format!(
                "the key has {} bytes; give at least 16 (32 recommended)",
                bytes.len()
            )));
        }
        let mac = Hmac::<Sha256>::new_from_slice(bytes)
            .map_err(|e| RedactError::Key(format!("unusable key: {e}")))?;
        Ok(Key { mac, given })
    }

    /// `--key HEX` (32+ hex digits), or the content of `@file`: hex text, or
    /// else the raw bytes of the file.
    pub fn parse(text_or_file_content: &[u8]) -> Result<Key, RedactError> {
        let trimmed = text_or_file_content.trim_ascii();
        if !trimmed.is_empty() && trimmed.iter().all(u8::is_ascii_hexdigit) {
            if !trimmed.len().is_multiple_of(2) {
                return Err(RedactError::Key(
                    "the hex key has an odd number of digits".into(),
                ));
            }
            let bytes: Vec<u8> = trimmed
                .chunks(2)
                .filter_map(|p| {
                    std::str::from_utf8(p)
                        .ok()
                        .and_then(|s| u8::from_str_radix(s, 16).ok())
                })
                .collect();
            return Self::from_bytes(&bytes, true);
        }
        Self::from_bytes(text_or_file_content, true)
    }

    /// The MAC of `value` in the domain `shape`.
    pub fn digest(&self, shape: &str, value: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(shape.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        let out = mac.finalize().into_bytes();
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(out.as_slice());
        bytes
    }

    /// `REDACTED-<kind>-<12 hex>`: opaque values (cookie values, codes,
    /// passwords, opaque tokens). The digest does not depend on `kind`, so
    /// a token seen as a JSON member and later in a header keeps its hex.
    pub fn opaque(&self, kind: &str, value: &str) -> String {
        let d = self.digest("opaque", value.as_bytes());
        format!("{OPAQUE_PREFIX}{kind}-{}", hex(&d, OPAQUE_HEX))
    }

    /// [`MARKER`] ‖ 27 digest bytes, base64url without padding (48 chars):
    /// a JWT signature or JWE part that still decodes as base64url.
    pub fn marked_base64url(&self, shape: &str, value: &[u8]) -> String {
        encode(self.marked(shape, value), Shape::URL_SAFE_NO_PAD)
    }

    /// [`MARKER`] ‖ 27 digest bytes, standard base64 (48 chars, no padding
    /// needed): a SAML `SignatureValue` or `CipherValue`.
    pub fn marked_base64(&self, shape: &str, value: &[u8]) -> String {
        encode(self.marked(shape, value), Shape::STANDARD)
    }

    fn marked(&self, shape: &str, value: &[u8]) -> Vec<u8> {
        let d = self.digest(shape, value);
        let mut out = MARKER.to_vec();
        out.extend_from_slice(d.get(..27).unwrap_or(&d));
        out
    }

    /// `<10 hex>` for PII pseudonyms.
    pub fn pii_hex(&self, shape: &str, value: &str) -> String {
        hex(&self.digest(shape, value.as_bytes()), PII_HEX)
    }
}

fn hex(bytes: &[u8], digits: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(digits);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
        if s.len() >= digits {
            break;
        }
    }
    s.truncate(digits);
    s
}

/// Whether `value` is an opaque pseudonym (`REDACTED-<kind>-<12 hex>`) or
/// contains nothing but one.
pub fn is_pseudonym(value: &str) -> bool {
    let v = value.trim();
    let Some(rest) = v.strip_prefix(OPAQUE_PREFIX) else {
        return is_marked_base64(v);
    };
    let Some((kind, hexpart)) = rest.rsplit_once('-') else {
        return false;
    };
    !kind.is_empty()
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && hexpart.len() == OPAQUE_HEX
        && hexpart.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a base64 / base64url value starts with the pseudonym marker.
pub fn is_marked_base64(value: &str) -> bool {
    value.trim().starts_with(MARKER_B64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_bytes(&[7u8; 32], true).unwrap()
    }

    #[test]
    fn opaque_pseudonyms_are_deterministic_and_recognised() {
        let k = key();
        let a = k.opaque("cookie", "s3cr3t");
        assert_eq!(a, k.opaque("cookie", "s3cr3t"));
        assert_ne!(a, k.opaque("cookie", "other"));
        assert!(a.starts_with("REDACTED-cookie-"));
        assert!(is_pseudonym(&a));
        assert!(!is_pseudonym("REDACTED"));
        assert!(!is_pseudonym("s3cr3t"));
        assert!(!is_pseudonym("REDACTED-cookie-xyz"));
    }

    #[test]
    fn marked_base64_keeps_its_prefix_in_both_alphabets() {
        let k = key();
        let url = k.marked_base64url("jwt", b"sig");
        let std = k.marked_base64("saml", b"sig");
        assert!(url.starts_with(MARKER_B64) && std.starts_with(MARKER_B64));
        assert_eq!(url.len(), 48);
        assert!(is_marked_base64(&url));
        let other = Key::from_bytes(&[9u8; 32], false).unwrap();
        assert_ne!(url, other.marked_base64url("jwt", b"sig"));
    }

    #[test]
    fn parses_hex_keys_and_refuses_short_ones() {
        assert!(Key::parse(b"00112233445566778899aabbccddeeff").is_ok());
        assert!(Key::parse(b"0011").is_err());
        assert!(Key::parse(b"abc").is_err());
        assert!(!format!("{:?}", key()).contains("07"));
    }
}
