//! JWTs in compact serialization, redacted so they still decode.
//!
//! RFC 7515 §3.1 (JWS): `BASE64URL(UTF8(JWS Protected Header)) || '.' ||
//! BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature)`.
//! RFC 7516 §3.1 (JWE): `header '.' encrypted_key '.' iv '.' ciphertext '.' tag`.
//!
//! A JWS keeps its header and claims (they are what the diagnosis reads:
//! `aud`, `iss`, `exp`, `nonce`, `tid`…) and loses its signature, replaced
//! by a marked pseudonym of the same alphabet: the token still has three
//! parts and decodes, but can no longer be presented anywhere. A JWE keeps
//! its header; its four other parts are ciphertext or key material and are
//! replaced. With `--pii` the personal claims are pseudonymised and the
//! payload re-encoded. Parts that do not change keep their exact text
//! (padding, if an issuer wrote some, included).

use serde_json::Value;

use crate::codec::base64::{Shape, decode_url, encode};

use super::key::is_marked_base64;

/// Claims pseudonymised with `--pii`, and what they hold.
pub const PII_CLAIMS: &[(&str, PiiClaim)] = &[
    ("upn", PiiClaim::User),
    ("email", PiiClaim::User),
    ("emails", PiiClaim::User),
    ("preferred_username", PiiClaim::User),
    ("unique_name", PiiClaim::User),
    ("verified_primary_email", PiiClaim::User),
    ("verified_secondary_email", PiiClaim::User),
    ("login_hint", PiiClaim::User),
    ("name", PiiClaim::Name),
    ("given_name", PiiClaim::Name),
    ("family_name", PiiClaim::Name),
    ("middle_name", PiiClaim::Name),
    ("nickname", PiiClaim::Name),
    ("ipaddr", PiiClaim::Ip),
];

/// What a personal claim holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiiClaim {
    User,
    Name,
    Ip,
}

/// A compact JWS or JWE, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compact<'a> {
    pub parts: Vec<&'a str>,
}

impl<'a> Compact<'a> {
    /// Splits `token` when it is a JWS (3 parts) or JWE (5 parts) whose
    /// first part decodes to a JSON object with `alg` (RFC 7515 §4.1.1:
    /// "This Header Parameter MUST be present"). Anything else is `None`,
    /// so host names and version numbers are never mistaken for tokens.
    pub fn parse(token: &'a str) -> Option<Compact<'a>> {
        let parts: Vec<&str> = token.split('.').collect();
        if parts.len() != 3 && parts.len() != 5 {
            return None;
        }
        if !parts.iter().all(|p| p.bytes().all(is_b64url_or_pad)) {
            return None;
        }
        let header = decode_part(parts.first()?)?;
        let header: Value = serde_json::from_slice(&header).ok()?;
        header.as_object()?.get("alg")?;
        if parts.len() == 3 {
            // The payload must decode too (a JWS with an unencoded payload
            // has no '.'-free compact form of interest here).
            decode_part(parts.get(1)?)?;
        }
        Some(Compact { parts })
    }

    /// The payload of a JWS whose header says `cty: JWT` (RFC 7519 §5.2,
    /// a nested JWT), as text.
    pub fn nested(&self) -> Option<String> {
        if self.is_jwe() {
            return None;
        }
        let header: Value = serde_json::from_slice(&decode_part(self.parts.first()?)?).ok()?;
        let cty = header.get("cty")?.as_str()?;
        if !cty.eq_ignore_ascii_case("JWT") {
            return None;
        }
        String::from_utf8(decode_part(self.parts.get(1)?)?).ok()
    }

    pub fn is_jwe(&self) -> bool {
        self.parts.len() == 5
    }

    /// The decoded claims of a JWS, when they are a JSON object.
    pub fn claims(&self) -> Option<serde_json::Map<String, Value>> {
        if self.is_jwe() {
            return None;
        }
        let bytes = decode_part(self.parts.get(1)?)?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// base64url alphabet (RFC 4648 §5), plus '=' some issuers leave in.
pub fn is_b64url_or_pad(b: u8) -> bool {
    crate::codec::jwt::is_b64url_byte(b) || b == b'='
}

/// Decodes one part, padded or not.
pub fn decode_part(part: &str) -> Option<Vec<u8>> {
    decode_url(part).ok().map(|(bytes, _)| bytes)
}

/// The claim an unsigned (`alg: none`) token's copy carries: a pseudonym
/// of the original token, so the copy keeps its shape (and its diagnosis)
/// without being the same token. A private claim name (RFC 7519 §4.3).
pub const REDACTED_CLAIM: &str = "x-redacted";

/// Encodes a payload the way RFC 7515 §2 asks: base64url, no padding.
pub fn encode_part(bytes: &[u8]) -> String {
    encode(bytes, Shape::URL_SAFE_NO_PAD)
}

/// Whether a part is already a pseudonym (or empty: `alg: none`, `dir`).
pub fn part_is_done(part: &str) -> bool {
    part.is_empty() || is_marked_base64(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.c2lnbmF0dXJl";

    #[test]
    fn splits_jws_and_rejects_look_alikes() {
        let c = Compact::parse(JWT).unwrap();
        assert_eq!(c.parts.len(), 3);
        assert_eq!(c.claims().unwrap()["name"], "John Doe");
        assert!(Compact::parse("login.microsoftonline.com").is_none());
        assert!(Compact::parse("1.2.3").is_none());
        assert!(
            Compact::parse("eyJhIjoxfQ.eyJiIjoyfQ.x").is_none(),
            "no alg"
        );
    }
}
