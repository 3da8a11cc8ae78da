//! JSON Web Tokens: decoding JWS and JWE compact serializations **without
//! verifying anything**.
//!
//! A capture rarely holds the keys needed to check a signature, and a support
//! engineer needs the claims even when the signature is bad, so this module
//! only *reads* tokens: it never says a token is valid, and every rendering
//! says "signature not verified".
//!
//! What it implements:
//!
//! * RFC 7515 §7.1 (JWS Compact Serialization):
//!   `BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature)`.
//! * RFC 7516 §7.1 (JWE Compact Serialization, five segments): the protected
//!   header is decoded; the payload is reported as encrypted.
//! * RFC 7519 §6 (Unsecured JWTs, `"alg":"none"`, empty signature).
//! * RFC 7519 §5.2 (`"cty":"JWT"` marks a nested JWT, decoded one level down
//!   when the outer token is a JWS).
//! * RFC 7515 §2: "Base64url Encoding … with all trailing '=' characters
//!   omitted … and without the inclusion of any line breaks, whitespace, or
//!   other additional characters." Real tokens break that rule (MSAL's own
//!   test id_token has a padded payload), so decoding is *tolerant*: trailing
//!   `=` and the standard alphabet (`+`, `/`) are accepted and reported as
//!   warnings, because a strict validator on the relying party would reject
//!   them.
//! * RFC 7519 §2 NumericDate (`exp`, `nbf`, `iat`, `auth_time`): seconds since
//!   the epoch, possibly non-integer.
//!
//! Invariants: signatures are held as [`Secret`]s; claims keep their order
//! (serde_json `preserve_order`); nothing here panics on input.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

mod spot;
mod text;
mod time;

pub use spot::{find_jwts, looks_like_jwt};
pub(crate) use text::{sanitize, value_text, write_rows};
pub use time::{describe_time_claim, format_utc, human_duration, relative_time};

use crate::decode::TextOptions;
use crate::secret::Secret;

/// How deep nested JWTs (`cty: JWT`) are followed.
const MAX_NESTING: usize = 3;

/// Why a string could not be decoded as a JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Nothing to decode.
    #[error("empty token")]
    Empty,
    /// Wrong number of `.`-separated segments.
    #[error(
        "a JWT has 3 segments (JWS) or 5 (JWE) separated by '.', this value has {segments}; \
         check it was not truncated or wrapped when copied"
    )]
    Segments {
        /// Number of segments found.
        segments: usize,
    },
    /// A segment is not base64url.
    #[error("the {segment} is not base64url (RFC 7515 §2): {reason}")]
    Base64 {
        /// Which segment ("header", "payload", …).
        segment: &'static str,
        /// What was wrong, with the byte offset inside the token.
        reason: String,
    },
    /// The protected header is not a JSON object.
    #[error("the header is not a JSON object: {reason}")]
    Header {
        /// The JSON parser's message.
        reason: String,
    },
}

/// Why a base64url value could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// A byte outside both base64 alphabets.
    #[error("invalid character {byte:?} at offset {offset}")]
    InvalidByte {
        /// Offset in the value.
        offset: usize,
        /// The offending character.
        byte: char,
    },
    /// Length that no base64 encoding produces (4n + 1).
    #[error("impossible length {len} (a base64 value is never 4n+1 characters long)")]
    Length {
        /// Length without padding.
        len: usize,
    },
}

/// How a base64url value deviated from RFC 7515 §2 while still decoding.
pub use crate::codec::base64::UrlQuirks as Base64Quirks;

/// Decodes base64url (RFC 4648 §5), tolerating `=` padding and the standard
/// alphabet; reports which tolerance was needed
/// ([`crate::codec::base64::decode_url`]).
pub fn decode_base64url(value: &str) -> Result<(Vec<u8>, Base64Quirks), Base64Error> {
    use crate::codec::base64::{Base64Error as B, decode_url};
    decode_url(value).map_err(|e| match e {
        B::InvalidChar { ch, offset } => Base64Error::InvalidByte { offset, byte: ch },
        B::MisplacedPadding { offset } => Base64Error::InvalidByte { offset, byte: '=' },
        B::Truncated { symbols } => Base64Error::Length { len: symbols },
        B::Empty => Base64Error::Length { len: 0 },
    })
}

/// Declares an open enum of protocol strings: known values get variants,
/// anything else is kept verbatim in `Other` (rustls `msgs/enums.rs` style).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Parses a protocol value (exact, case-sensitive match).
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $text => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The protocol value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(s) => s,
                }
            }

            /// Whether the value is one this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use open_enum;

open_enum! {
    /// JWS `alg` (RFC 7518 §3.1, RFC 8037) and JWE key management `alg`
    /// (RFC 7518 §4.1).
    pub enum Algorithm {
        /// HMAC SHA-256.
        Hs256 => "HS256",
        /// HMAC SHA-384.
        Hs384 => "HS384",
        /// HMAC SHA-512.
        Hs512 => "HS512",
        /// RSASSA-PKCS1-v1_5 SHA-256 (Entra, Okta, Google id_tokens).
        Rs256 => "RS256",
        /// RSASSA-PKCS1-v1_5 SHA-384.
        Rs384 => "RS384",
        /// RSASSA-PKCS1-v1_5 SHA-512.
        Rs512 => "RS512",
        /// ECDSA P-256 SHA-256.
        Es256 => "ES256",
        /// ECDSA P-384 SHA-384.
        Es384 => "ES384",
        /// ECDSA P-521 SHA-512.
        Es512 => "ES512",
        /// RSASSA-PSS SHA-256.
        Ps256 => "PS256",
        /// RSASSA-PSS SHA-384.
        Ps384 => "PS384",
        /// RSASSA-PSS SHA-512.
        Ps512 => "PS512",
        /// EdDSA (RFC 8037).
        EdDsa => "EdDSA",
        /// Unsecured JWT (RFC 7519 §6).
        None => "none",
        /// JWE: RSAES-PKCS1-v1_5.
        Rsa15 => "RSA1_5",
        /// JWE: RSAES OAEP.
        RsaOaep => "RSA-OAEP",
        /// JWE: RSAES OAEP SHA-256.
        RsaOaep256 => "RSA-OAEP-256",
        /// JWE: AES-128 key wrap.
        A128Kw => "A128KW",
        /// JWE: AES-256 key wrap.
        A256Kw => "A256KW",
        /// JWE: direct symmetric key.
        Dir => "dir",
        /// JWE: ECDH-ES.
        EcdhEs => "ECDH-ES",
        /// JWE: ECDH-ES + AES-128 key wrap.
        EcdhEsA128Kw => "ECDH-ES+A128KW",
        /// JWE: ECDH-ES + AES-256 key wrap.
        EcdhEsA256Kw => "ECDH-ES+A256KW",
    }
}

/// Which compact serialization a token uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JwtForm {
    /// Signed (or MACed) JWS, three segments.
    Jws,
    /// Unsecured JWS, `alg: none` (RFC 7519 §6).
    Unsecured,
    /// Encrypted JWE, five segments.
    Jwe,
}

/// Something about a token a strict consumer may reject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum JwtWarning {
    /// `exp` is not after `iat`: the token was never valid.
    ExpBeforeIat {
        /// `exp` in seconds.
        exp: i64,
        /// `iat` in seconds.
        iat: i64,
    },
    /// A segment carries `=` padding (RFC 7515 §2 forbids it).
    PaddedBase64url {
        /// Which segment.
        segment: &'static str,
    },
    /// A segment uses `+` or `/` (standard base64, not base64url).
    StandardBase64Alphabet {
        /// Which segment.
        segment: &'static str,
    },
    /// A time claim is not a JSON number (RFC 7519 §2 NumericDate).
    TimeNotNumeric {
        /// Claim name.
        claim: String,
    },
    /// A time claim cannot be a date (out of range).
    TimeOutOfRange {
        /// Claim name.
        claim: String,
    },
    /// A time claim lies beyond year 9999: milliseconds instead of seconds?
    TimeLooksLikeMilliseconds {
        /// Claim name.
        claim: String,
    },
    /// The payload is empty (detached content, RFC 7515 Appendix F).
    DetachedPayload,
    /// The payload is not a JSON object, so there is no claims set.
    PayloadNotJsonObject,
    /// `alg: none` but a signature is present.
    UnsecuredWithSignature,
    /// A signing `alg` but an empty signature.
    SignatureMissing,
    /// No `alg` in the header (RFC 7515 §4.1.1 makes it required).
    AlgMissing,
    /// `cty: JWT` but the payload is not a decodable JWT.
    NestedUndecodable {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for JwtWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ExpBeforeIat { exp, iat } => write!(
                f,
                "exp ({exp}) is not after iat ({iat}): the token was never valid"
            ),
            Self::PaddedBase64url { segment } => write!(
                f,
                "the {segment} has '=' padding, which RFC 7515 §2 forbids; strict validators reject it"
            ),
            Self::StandardBase64Alphabet { segment } => write!(
                f,
                "the {segment} uses '+' or '/' (base64, not base64url); strict validators reject it"
            ),
            Self::TimeNotNumeric { claim } => {
                write!(
                    f,
                    "{claim} is not a number of seconds (RFC 7519 NumericDate)"
                )
            }
            Self::TimeOutOfRange { claim } => write!(f, "{claim} is not a representable date"),
            Self::TimeLooksLikeMilliseconds { claim } => write!(
                f,
                "{claim} lies after year 9999: milliseconds sent where seconds are expected?"
            ),
            Self::DetachedPayload => f.write_str("the payload is empty (detached content)"),
            Self::PayloadNotJsonObject => {
                f.write_str("the payload is not a JSON object, so there are no claims")
            }
            Self::UnsecuredWithSignature => {
                f.write_str("alg is \"none\" but a signature segment is present")
            }
            Self::SignatureMissing => {
                f.write_str("the signature segment is empty although alg names a signing algorithm")
            }
            Self::AlgMissing => f.write_str("the header has no \"alg\" (RFC 7515 §4.1.1)"),
            Self::NestedUndecodable { reason } => {
                write!(f, "cty is JWT but the payload is not a JWT: {reason}")
            }
        }
    }
}

/// The time claims of a token, as UTC instants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JwtTimes {
    /// `exp`: expiration time.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub exp: Option<DateTime<Utc>>,
    /// `nbf`: not before.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub nbf: Option<DateTime<Utc>>,
    /// `iat`: issued at.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub iat: Option<DateTime<Utc>>,
    /// `auth_time`: when the user authenticated (OIDC Core §2).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub auth_time: Option<DateTime<Utc>>,
}

impl JwtTimes {
    fn is_empty(&self) -> bool {
        self.exp.is_none() && self.nbf.is_none() && self.iat.is_none() && self.auth_time.is_none()
    }
}

/// Serializes an instant as RFC 3339 with whole seconds.
pub(crate) fn ser_time<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        None => s.serialize_none(),
    }
}

/// Where a token's lifetime stands at a reference time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// `nbf` ≤ reference < `exp` (or no `exp`).
    Valid {
        /// Time left before `exp`, if there is one.
        remaining: Option<TimeDelta>,
    },
    /// reference ≥ `exp`.
    Expired {
        /// How long ago it expired.
        since: TimeDelta,
    },
    /// reference < `nbf`.
    NotYetValid {
        /// How long until it becomes valid.
        starts_in: TimeDelta,
    },
}

/// A decoded, **unverified** JWT (JWS or JWE compact serialization).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "jwt")]
pub struct Jwt {
    /// JWS, unsecured JWS or JWE.
    pub form: JwtForm,
    /// Always false: this tool never checks signatures.
    pub verified: bool,
    /// The (protected) header, in token order.
    pub header: Map<String, Value>,
    /// The claims set, in token order; `None` for a JWE or a non-JSON payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    /// The JWS signature segment (masked unless secrets are shown);
    /// `None` for a JWE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Secret<String>>,
    /// Whether the payload is encrypted (JWE) and therefore unreadable here.
    pub encrypted: bool,
    /// `exp`, `nbf`, `iat`, `auth_time` as instants.
    #[serde(skip_serializing_if = "JwtTimes::is_empty")]
    pub times: JwtTimes,
    /// The inner token when the header says `cty: JWT` (RFC 7519 §5.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<Box<Jwt>>,
    /// Deviations a strict consumer may reject.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<JwtWarning>,
    /// `header.payload` as received: the JWS signing input (RFC 7515 §5.2),
    /// which signature checking needs. Empty for a JWE.
    #[serde(skip)]
    pub signing_input: String,
}

/// Decodes a JWS or JWE compact serialization without verifying it.
/// Surrounding whitespace is ignored.
pub fn decode(token: &str) -> Result<Jwt, JwtError> {
    decode_nested(token.trim(), 0)
}

fn decode_nested(token: &str, depth: usize) -> Result<Jwt, JwtError> {
    if token.is_empty() {
        return Err(JwtError::Empty);
    }
    let segments: Vec<&str> = token.split('.').collect();
    let mut warnings = Vec::new();
    let (header_b64, rest) = match segments.as_slice() {
        [h, p, s] => (*h, Some((*p, *s))),
        [h, _, _, _, _] => (*h, None),
        other => {
            return Err(JwtError::Segments {
                segments: other.len(),
            });
        }
    };
    let header_bytes = decode_segment(header_b64, "header", 0, &mut warnings)?;
    let header: Map<String, Value> =
        serde_json::from_slice(&header_bytes).map_err(|e| JwtError::Header {
            reason: e.to_string(),
        })?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .map(Algorithm::parse);
    if alg.is_none() {
        warnings.push(JwtWarning::AlgMissing);
    }
    let Some((payload_b64, signature)) = rest else {
        return Ok(Jwt {
            form: JwtForm::Jwe,
            verified: false,
            header,
            claims: None,
            signature: None,
            encrypted: true,
            times: JwtTimes::default(),
            nested: None,
            warnings,
            signing_input: String::new(),
        });
    };
    let unsecured = alg == Some(Algorithm::None);
    if unsecured && !signature.is_empty() {
        warnings.push(JwtWarning::UnsecuredWithSignature);
    } else if !unsecured && signature.is_empty() {
        warnings.push(JwtWarning::SignatureMissing);
    }
    let payload_offset = header_b64.len() + 1;
    let payload = decode_segment(payload_b64, "payload", payload_offset, &mut warnings)?;
    // The signature is never decoded, but its encoding is still worth a warning.
    if signature.ends_with('=') {
        warnings.push(JwtWarning::PaddedBase64url {
            segment: "signature",
        });
    }
    let cty_jwt = header
        .get("cty")
        .and_then(Value::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("JWT"));
    let mut claims = None;
    let mut nested = None;
    if payload.is_empty() {
        warnings.push(JwtWarning::DetachedPayload);
    } else if cty_jwt {
        let inner = String::from_utf8_lossy(&payload);
        if depth + 1 >= MAX_NESTING {
            warnings.push(JwtWarning::NestedUndecodable {
                reason: format!("more than {MAX_NESTING} levels of nesting"),
            });
        } else {
            match decode_nested(inner.trim(), depth + 1) {
                Ok(jwt) => nested = Some(Box::new(jwt)),
                Err(e) => warnings.push(JwtWarning::NestedUndecodable {
                    reason: e.to_string(),
                }),
            }
        }
    } else {
        match serde_json::from_slice::<Map<String, Value>>(&payload) {
            Ok(map) => claims = Some(map),
            Err(_) => warnings.push(JwtWarning::PayloadNotJsonObject),
        }
    }
    let times = claims
        .as_ref()
        .map(|c| read_times(c, &mut warnings))
        .unwrap_or_default();
    Ok(Jwt {
        form: if unsecured {
            JwtForm::Unsecured
        } else {
            JwtForm::Jws
        },
        verified: false,
        header,
        claims,
        signature: Some(Secret::new(signature.to_owned())),
        encrypted: false,
        times,
        nested,
        warnings,
        signing_input: format!("{header_b64}.{payload_b64}"),
    })
}

fn decode_segment(
    b64: &str,
    segment: &'static str,
    offset: usize,
    warnings: &mut Vec<JwtWarning>,
) -> Result<Vec<u8>, JwtError> {
    match decode_base64url(b64) {
        Ok((bytes, quirks)) => {
            if quirks.padded {
                warnings.push(JwtWarning::PaddedBase64url { segment });
            }
            if quirks.standard_alphabet {
                warnings.push(JwtWarning::StandardBase64Alphabet { segment });
            }
            Ok(bytes)
        }
        Err(Base64Error::InvalidByte { offset: at, byte }) => Err(JwtError::Base64 {
            segment,
            reason: format!(
                "invalid character {byte:?} at byte {} of the token",
                offset + at
            ),
        }),
        Err(e) => Err(JwtError::Base64 {
            segment,
            reason: e.to_string(),
        }),
    }
}

/// Reads the RFC 7519 NumericDate claims, with warnings for odd values and
/// the `exp` ≤ `iat` check.
fn read_times(claims: &Map<String, Value>, warnings: &mut Vec<JwtWarning>) -> JwtTimes {
    let mut read = |name: &str| -> Option<(i64, DateTime<Utc>)> {
        let value = claims.get(name)?;
        let Some(secs) = numeric_date(value) else {
            warnings.push(JwtWarning::TimeNotNumeric {
                claim: name.to_owned(),
            });
            return None;
        };
        let Some(t) = DateTime::<Utc>::from_timestamp(secs, 0) else {
            warnings.push(JwtWarning::TimeOutOfRange {
                claim: name.to_owned(),
            });
            return None;
        };
        if secs > 253_402_300_799 {
            warnings.push(JwtWarning::TimeLooksLikeMilliseconds {
                claim: name.to_owned(),
            });
        }
        Some((secs, t))
    };
    let exp = read("exp");
    let nbf = read("nbf");
    let iat = read("iat");
    let auth_time = read("auth_time");
    if let (Some((exp, _)), Some((iat, _))) = (exp, iat)
        && exp <= iat
    {
        warnings.push(JwtWarning::ExpBeforeIat { exp, iat });
    }
    JwtTimes {
        exp: exp.map(|t| t.1),
        nbf: nbf.map(|t| t.1),
        iat: iat.map(|t| t.1),
        auth_time: auth_time.map(|t| t.1),
    }
}

/// RFC 7519 §2: "A JSON numeric value representing the number of seconds
/// from 1970-01-01T00:00:00Z UTC … non-integer values can be represented."
/// Fractions are truncated toward the past.
pub fn numeric_date(value: &Value) -> Option<i64> {
    if let Some(i) = value.as_i64() {
        return Some(i);
    }
    let f = value.as_f64()?;
    if f.is_finite() && f.abs() < 9.0e15 {
        // Truncation is intended: seconds are what the claims compare.
        #[allow(clippy::cast_possible_truncation)]
        Some(f.floor() as i64)
    } else {
        None
    }
}

impl Jwt {
    /// The `alg` header parameter, typed (open enum).
    pub fn alg(&self) -> Option<Algorithm> {
        self.header_str("alg").map(Algorithm::parse)
    }

    /// A header parameter as a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// `kid`: the key the issuer says it signed with.
    pub fn kid(&self) -> Option<&str> {
        self.header_str("kid")
    }

    /// A claim, if the payload was readable.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.as_ref()?.get(name)
    }

    /// A claim that is a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claim(name).and_then(Value::as_str)
    }

    /// The claims of the innermost readable token (follows `cty: JWT`).
    pub fn innermost(&self) -> &Jwt {
        let mut jwt = self;
        while let Some(inner) = &jwt.nested {
            jwt = inner;
        }
        jwt
    }

    /// `iss`.
    pub fn issuer(&self) -> Option<&str> {
        self.claim_str("iss")
    }

    /// `aud`: a string or an array of strings (RFC 7519 §4.1.3).
    pub fn audiences(&self) -> Vec<&str> {
        string_or_array(self.claim("aud"))
    }

    /// `sub`.
    pub fn subject(&self) -> Option<&str> {
        self.claim_str("sub")
    }

    /// Entra `tid` (tenant ID).
    pub fn tenant_id(&self) -> Option<&str> {
        self.claim_str("tid")
    }

    /// Entra `oid` (user or service principal object ID).
    pub fn object_id(&self) -> Option<&str> {
        self.claim_str("oid")
    }

    /// The user's sign-in name: `upn`, `preferred_username`, `email`,
    /// `unique_name`, then Okta's `login`, first present wins.
    pub fn username(&self) -> Option<&str> {
        ["upn", "preferred_username", "email", "unique_name", "login"]
            .iter()
            .find_map(|c| self.claim_str(c))
    }

    /// `nonce` (OIDC Core §2).
    pub fn nonce(&self) -> Option<&str> {
        self.claim_str("nonce")
    }

    /// The client the token was issued to: Entra v1 `appid`, `azp`
    /// (OIDC / Entra v2), Okta `cid`, RFC 9068 `client_id`.
    pub fn app_id(&self) -> Option<&str> {
        ["appid", "azp", "cid", "client_id"]
            .iter()
            .find_map(|c| self.claim_str(c))
    }

    /// `ver`, string or number (Entra "1.0"/"2.0", Okta 1).
    pub fn version(&self) -> Option<String> {
        match self.claim("ver")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// `scp`: Entra's space-separated string, Okta's array, or `scope`
    /// (RFC 9068).
    pub fn scopes(&self) -> Vec<&str> {
        match self.claim("scp").or_else(|| self.claim("scope")) {
            Some(Value::String(s)) => s.split_whitespace().collect(),
            other => string_or_array(other),
        }
    }

    /// `roles` (app roles).
    pub fn roles(&self) -> Vec<&str> {
        string_or_array(self.claim("roles"))
    }

    /// Where the token's lifetime stands at `reference`.
    pub fn validity_at(&self, reference: DateTime<Utc>) -> Validity {
        if let Some(nbf) = self.times.nbf
            && reference < nbf
        {
            return Validity::NotYetValid {
                starts_in: nbf - reference,
            };
        }
        match self.times.exp {
            Some(exp) if reference >= exp => Validity::Expired {
                since: reference - exp,
            },
            Some(exp) => Validity::Valid {
                remaining: Some(exp - reference),
            },
            None => Validity::Valid { remaining: None },
        }
    }
}

fn string_or_array(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn token(header: &str, claims: &str, sig: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(claims), sig)
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn decodes_jws_header_claims_and_masks_signature() {
        let jwt = decode(&token(
            r#"{"typ":"JWT","alg":"RS256","kid":"k1"}"#,
            r#"{"iss":"https://login.microsoftonline.com/t/v2.0","aud":"app","exp":1700003600,"iat":1700000000}"#,
            "c2lnbmF0dXJl",
        ))
        .unwrap();
        assert_eq!(jwt.form, JwtForm::Jws);
        assert_eq!(jwt.alg(), Some(Algorithm::Rs256));
        assert_eq!(jwt.kid(), Some("k1"));
        assert_eq!(jwt.audiences(), vec!["app"]);
        assert_eq!(jwt.times.exp, Some(t("2023-11-14T23:13:20Z")));
        assert!(jwt.warnings.is_empty());
        let json = serde_json::to_value(&jwt).unwrap();
        assert_eq!(json["kind"], "jwt");
        assert_eq!(json["verified"], false);
        assert_eq!(json["encrypted"], false);
        assert_eq!(json["signature"], "‹redacted 12 chars›");
        assert_eq!(json["times"]["exp"], "2023-11-14T23:13:20Z");
        // Claims keep token order.
        let keys: Vec<_> = jwt.claims.as_ref().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["iss", "aud", "exp", "iat"]);
    }

    #[test]
    fn accepts_padded_and_standard_alphabet_base64_with_warnings() {
        // {"alg":"HS256"} padded; payload with '+' / '/' from the standard alphabet.
        let header = format!("{}==", b64(r#"{"alg":"HS256","x":1}"#));
        let payload = base64::engine::general_purpose::STANDARD.encode(r#"{"a":"~~~>>>???"}"#);
        assert!(payload.contains('+') || payload.contains('/'));
        let jwt = decode(&format!("{header}.{payload}.sig")).unwrap();
        assert_eq!(jwt.claim_str("a"), Some("~~~>>>???"));
        assert!(
            jwt.warnings
                .contains(&JwtWarning::PaddedBase64url { segment: "header" })
        );
        assert!(
            jwt.warnings
                .contains(&JwtWarning::StandardBase64Alphabet { segment: "payload" })
        );
    }

    #[test]
    fn rejects_malformed_tokens_with_reasons() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("abc", "has 1"),
            ("a.b", "has 2"),
            ("a.b.c.d", "has 4"),
            ("eyJ!.eyJ.x", "invalid character '!'"),
            ("eyJhbGciOiJub25lIn0xx.e30.", "impossible length"),
            (&format!("{}.e30.", b64("[1]")), "not a JSON object"),
        ];
        for (input, expected) in cases {
            let err = decode(input).unwrap_err().to_string();
            assert!(err.contains(expected), "{input:?}: {err}");
        }
    }

    #[test]
    fn decodes_unsecured_jwt_with_empty_signature() {
        let jwt = decode(&token(r#"{"alg":"none"}"#, r#"{"sub":"u"}"#, "")).unwrap();
        assert_eq!(jwt.form, JwtForm::Unsecured);
        assert!(jwt.warnings.is_empty());
        assert_eq!(serde_json::to_value(&jwt).unwrap()["signature"], "");
        let with_sig = decode(&token(r#"{"alg":"none"}"#, r#"{"sub":"u"}"#, "abc")).unwrap();
        assert_eq!(with_sig.warnings, vec![JwtWarning::UnsecuredWithSignature]);
        let no_sig = decode(&token(r#"{"alg":"RS256"}"#, r#"{"sub":"u"}"#, "")).unwrap();
        assert_eq!(no_sig.warnings, vec![JwtWarning::SignatureMissing]);
    }

    #[test]
    fn recognises_jwe_and_reports_payload_encrypted() {
        let header = b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM","kid":"enc1"}"#);
        let jwe = format!("{header}.ZW5jS2V5.aXY.Y2lwaGVydGV4dA.dGFn");
        assert!(looks_like_jwt(&jwe));
        let jwt = decode(&jwe).unwrap();
        assert_eq!(jwt.form, JwtForm::Jwe);
        assert!(jwt.encrypted);
        assert!(jwt.claims.is_none() && jwt.signature.is_none());
        assert_eq!(jwt.alg(), Some(Algorithm::RsaOaep));
        let json = serde_json::to_value(&jwt).unwrap();
        assert_eq!(json["encrypted"], true);
        assert!(json.get("signature").is_none());
    }

    #[test]
    fn decodes_nested_jwt_when_cty_is_jwt() {
        let inner = token(r#"{"alg":"RS256"}"#, r#"{"sub":"inner"}"#, "c2ln");
        let outer = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"HS256","cty":"JWT"}"#),
            b64(&inner)
        );
        let jwt = decode(&outer).unwrap();
        assert!(jwt.claims.is_none());
        assert_eq!(jwt.innermost().subject(), Some("inner"));
        let broken = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"HS256","cty":"JWT"}"#),
            b64("x")
        );
        assert!(matches!(
            decode(&broken).unwrap().warnings.as_slice(),
            [JwtWarning::NestedUndecodable { .. }]
        ));
    }

    #[test]
    fn keeps_unknown_alg_and_marks_it_in_text() {
        let jwt = decode(&token(r#"{"alg":"XS999"}"#, r#"{}"#, "c2ln")).unwrap();
        assert_eq!(jwt.alg(), Some(Algorithm::Other("XS999".into())));
        let mut out = Vec::new();
        jwt.write_text(&mut out, &TextOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("XS999 (unknown algorithm)"), "{text}");
    }

    #[test]
    fn flags_exp_before_iat_and_odd_time_values() {
        let jwt = decode(&token(
            r#"{"alg":"RS256"}"#,
            r#"{"exp":1449690000,"iat":1449696330,"nbf":"soon","auth_time":1700000000000.5}"#,
            "c2ln",
        ))
        .unwrap();
        assert!(jwt.warnings.contains(&JwtWarning::ExpBeforeIat {
            exp: 1_449_690_000,
            iat: 1_449_696_330
        }));
        assert!(jwt.warnings.contains(&JwtWarning::TimeNotNumeric {
            claim: "nbf".into()
        }));
        assert!(
            jwt.warnings
                .contains(&JwtWarning::TimeLooksLikeMilliseconds {
                    claim: "auth_time".into()
                })
        );
        let bad = decode(&token(r#"{"alg":"RS256"}"#, r#"{"exp":1e300}"#, "c2ln")).unwrap();
        assert_eq!(
            bad.warnings,
            vec![JwtWarning::TimeNotNumeric {
                claim: "exp".into()
            }]
        );
    }

    #[test]
    fn looks_like_jwt_is_cheap_and_strict_on_shape() {
        let cases: &[(&str, bool)] = &[
            ("eyJhbGciOiJub25lIn0.e30.", true),
            ("eyJhbGciOiJub25lIn0.e30.sig", true),
            ("eyJh.e30=.sig", true),
            ("eyJh.e30.sig.x", false),
            ("eyJh..sig", false),
            ("eyJh.e30", false),
            ("eyJh.e30.s g", false),
            ("eyJh.e3=0.sig", false),
            ("abc.def.ghi", false),
            ("eyJh..aXY.Y3Q.dGFn", true),
        ];
        for (input, expected) in cases {
            assert_eq!(looks_like_jwt(input), *expected, "{input}");
        }
    }

    #[test]
    fn finds_jwts_in_urls_headers_and_prose() {
        let a = token(r#"{"alg":"RS256"}"#, r#"{"a":1}"#, "c2ln");
        let b = token(r#"{"alg":"none"}"#, r#"{"b":2}"#, "");
        let text = format!(
            "Authorization: Bearer {a}\r\nLocation: https://app/cb#id_token={a}&state=s\n\
             unsecured {b} and a sentence ending in {a}. not eyJnotatoken nor xeyJ{a}"
        );
        let found = find_jwts(&text);
        assert_eq!(found, vec![a.as_str(), a.as_str(), b.as_str(), a.as_str()]);
        // Looks right but the header has no alg: not reported.
        let no_alg = token(r#"{"typ":"JWT"}"#, r#"{}"#, "c2ln");
        assert!(find_jwts(&no_alg).is_empty());
    }

    #[test]
    fn human_duration_uses_two_largest_units() {
        let cases: &[(i64, &str)] = &[
            (0, "0 s"),
            (45, "45 s"),
            (300, "5 min"),
            (303, "5 min 3 s"),
            (7_200, "2 h"),
            (7_500, "2 h 5 min"),
            (7_203, "2 h"),
            (90_000, "1 d 1 h"),
            (-7_200, "2 h"),
            (365 * 86_400 * 7 + 77 * 86_400 + 5, "7 y 77 d"),
        ];
        for (secs, expected) in cases {
            assert_eq!(
                human_duration(TimeDelta::seconds(*secs)),
                *expected,
                "{secs}"
            );
        }
    }

    #[test]
    fn describes_time_claims_relative_to_reference() {
        let reference = t("2026-11-20T09:04:12Z");
        let cases: &[(&str, &str, &str)] = &[
            ("exp", "2026-11-20T07:04:12Z", "expired 2 h ago"),
            // The wording SAML's NotOnOrAfter / NotBefore use too.
            ("exp", "2026-11-20T09:09:12Z", "expires in 5 min"),
            ("exp", "2026-11-20T09:04:12Z", "expires now"),
            ("nbf", "2026-11-20T09:09:12Z", "not valid for another 5 min"),
            ("nbf", "2026-11-20T08:04:12Z", "valid since 1 h ago"),
            ("iat", "2026-11-20T09:01:12Z", "issued 3 min ago"),
            (
                "iat",
                "2026-11-20T09:05:12Z",
                "issued 1 min in the future: clock skew?",
            ),
            ("other", "2026-11-20T09:05:12Z", "in 1 min"),
            ("other", "2026-11-20T09:03:12Z", "1 min ago"),
        ];
        for (claim, at, expected) in cases {
            assert_eq!(describe_time_claim(claim, t(at), reference), *expected);
        }
    }

    #[test]
    fn text_shows_times_relative_masks_signature_and_says_unverified() {
        let jwt = decode(&token(
            r#"{"alg":"RS256","kid":"k"}"#,
            r#"{"iss":"i","exp":1795165452,"iat":1795158252}"#,
            "c2lnbmF0dXJl",
        ))
        .unwrap();
        let opts = TextOptions {
            show_secrets: false,
            reference_time: Some(t("2026-11-20T09:04:12Z")),
        };
        let mut out = Vec::new();
        jwt.write_text(&mut out, &opts).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("signature not verified"), "{text}");
        assert!(
            text.contains("exp  2026-11-20 09:04:12 UTC (expires now)"),
            "{text}"
        );
        assert!(
            text.contains("iat  2026-11-20 07:04:12 UTC (issued 2 h ago)"),
            "{text}"
        );
        assert!(text.contains("‹redacted 12 chars›"), "{text}");
        assert!(!text.contains("c2lnbmF0dXJl"));
        let mut shown = Vec::new();
        let opts = TextOptions {
            show_secrets: true,
            ..opts
        };
        jwt.write_text(&mut shown, &opts).unwrap();
        assert!(String::from_utf8(shown).unwrap().contains("c2lnbmF0dXJl"));
    }

    #[test]
    fn text_escapes_control_characters_from_claims() {
        let jwt = decode(&token(
            r#"{"alg":"none"}"#,
            "{\"name\":\"a\\u001b[31mb\\r\\nc\"}",
            "",
        ))
        .unwrap();
        let mut out = Vec::new();
        jwt.write_text(&mut out, &TextOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("a\\u{1b}[31mb\\r\\nc"), "{text}");
    }

    #[test]
    fn summary_helpers_read_entra_and_okta_shapes() {
        let jwt = decode(&token(
            r#"{"alg":"RS256"}"#,
            r#"{"aud":["a","b"],"ver":1,"scp":["openid","email"],"cid":"okta-client","roles":"Admin","preferred_username":"p@x","upn":"u@x"}"#,
            "c2ln",
        ))
        .unwrap();
        assert_eq!(jwt.audiences(), vec!["a", "b"]);
        assert_eq!(jwt.version().as_deref(), Some("1"));
        assert_eq!(jwt.scopes(), vec!["openid", "email"]);
        assert_eq!(jwt.app_id(), Some("okta-client"));
        assert_eq!(jwt.roles(), vec!["Admin"]);
        assert_eq!(jwt.username(), Some("u@x"));
        let entra = decode(&token(
            r#"{"alg":"RS256"}"#,
            r#"{"scp":"User.Read Mail.Send","azp":"app","ver":"2.0"}"#,
            "c2ln",
        ))
        .unwrap();
        assert_eq!(entra.scopes(), vec!["User.Read", "Mail.Send"]);
        assert_eq!(entra.version().as_deref(), Some("2.0"));
    }

    #[test]
    fn validity_at_reference() {
        let jwt = decode(&token(
            r#"{"alg":"RS256"}"#,
            r#"{"nbf":1000,"exp":2000}"#,
            "c2ln",
        ))
        .unwrap();
        let at = |s| DateTime::<Utc>::from_timestamp(s, 0).unwrap();
        assert_eq!(
            jwt.validity_at(at(500)),
            Validity::NotYetValid {
                starts_in: TimeDelta::seconds(500)
            }
        );
        assert_eq!(
            jwt.validity_at(at(1500)),
            Validity::Valid {
                remaining: Some(TimeDelta::seconds(500))
            }
        );
        assert_eq!(
            jwt.validity_at(at(2000)),
            Validity::Expired {
                since: TimeDelta::zero()
            }
        );
    }
}
