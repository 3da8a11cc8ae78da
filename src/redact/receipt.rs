//! The receipt: what was replaced, counted by kind and by where it was
//! found. Sorted maps only, so the JSON is byte-identical across runs.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// What a replaced value was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A cookie value (`Cookie`, `Set-Cookie`, HAR `cookies[]`).
    Cookie,
    /// `Authorization` / `Proxy-Authorization` credentials.
    Authorization,
    /// Passwords, passcodes, one-time codes typed by the user.
    Password,
    /// Client secrets, API keys, subscription keys.
    Secret,
    /// OAuth authorization codes and SAML artifacts.
    Code,
    /// Opaque tokens: access / refresh tokens, flow tokens, canaries, CSRF.
    Token,
    /// A JWS signature (the JWT keeps its header and claims).
    JwtSignature,
    /// The encrypted parts of a JWE.
    JweCiphertext,
    /// A SAML / XML-DSig `SignatureValue` (or a redirect-binding `Signature`).
    SamlSignature,
    /// XML-Encryption `CipherValue` (encrypted assertions and keys).
    SamlCiphertext,
    /// Private key material (PEM blocks, XML RSA private parameters).
    PrivateKey,
    /// `--pii`: e-mail addresses and UPNs.
    PiiEmail,
    /// `--pii`: user names and login hints that are not e-mail addresses.
    PiiUser,
    /// `--pii`: people's names (claims, SAML attributes, NameID).
    PiiName,
    /// `--pii`: IP addresses.
    PiiIp,
}

impl Kind {
    /// The word used in pseudonyms and the receipt.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cookie => "cookie",
            Kind::Authorization => "authorization",
            Kind::Password => "password",
            Kind::Secret => "secret",
            Kind::Code => "code",
            Kind::Token => "token",
            Kind::JwtSignature => "jwt_signature",
            Kind::JweCiphertext => "jwe_ciphertext",
            Kind::SamlSignature => "saml_signature",
            Kind::SamlCiphertext => "saml_ciphertext",
            Kind::PrivateKey => "private_key",
            Kind::PiiEmail => "pii_email",
            Kind::PiiUser => "pii_user",
            Kind::PiiName => "pii_name",
            Kind::PiiIp => "pii_ip",
        }
    }
}

/// Where a replaced value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    RequestHeader,
    ResponseHeader,
    /// A `Set-Cookie` response header or HAR `response.cookies[]`.
    SetCookie,
    /// A request `Cookie` header or HAR `request.cookies[]`.
    Cookie,
    /// A URL's query string (request URL, `Location`, `Referer`, links…).
    Query,
    /// A URL's fragment (implicit / hybrid responses).
    Fragment,
    /// An `application/x-www-form-urlencoded` body or HAR `postData.params`.
    Form,
    /// A `multipart/form-data` body.
    Multipart,
    JsonBody,
    HtmlBody,
    /// Any other text body (plain text, JavaScript, unknown types).
    TextBody,
    /// Inside a decoded SAML / WS-Federation XML message.
    Saml,
    /// Inside a decoded JWT's claims.
    Jwt,
    /// Exporter and session metadata (`serverIPAddress`, `_m.xml` flags…).
    Metadata,
    /// A copy of a value already replaced elsewhere, found by the final
    /// byte-for-byte sweep (an echo in a page, a nested URL, `_index.htm`).
    Echo,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::RequestHeader => "request header",
            Place::ResponseHeader => "response header",
            Place::SetCookie => "set-cookie",
            Place::Cookie => "cookie",
            Place::Query => "query",
            Place::Fragment => "fragment",
            Place::Form => "form",
            Place::Multipart => "multipart",
            Place::JsonBody => "json body",
            Place::HtmlBody => "html body",
            Place::TextBody => "text body",
            Place::Saml => "saml",
            Place::Jwt => "jwt",
            Place::Metadata => "metadata",
            Place::Echo => "echo",
        }
    }
}

/// Counts of replaced values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// Input file as given.
    pub input: String,
    /// Output file as given.
    pub output: String,
    /// `"har"` or `"saz"`.
    pub format: String,
    /// Exchanges in the capture.
    pub entries: usize,
    /// Whether `--pii` was on.
    pub pii: bool,
    /// `"random"` (per run) or `"given"` (`--key`).
    pub key: String,
    /// Values replaced in all.
    pub total: u64,
    pub by_kind: BTreeMap<Kind, u64>,
    pub by_place: BTreeMap<Place, u64>,
    /// `kind → place → count`.
    pub detail: BTreeMap<Kind, BTreeMap<Place, u64>>,
    /// Things left as they were, and why (one line each).
    pub notes: Vec<String>,
    /// What was checked on the copy before it was written.
    pub verified: Verified,
}

/// The checks run on the redacted copy before it was written: every
/// original secret value searched for in it (in each encoding the sweep
/// knows), and the copy loaded back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Distinct original secret values searched for.
    pub secrets_searched: usize,
    /// Of those, found in the copy (always 0 in a copy that was written).
    pub secrets_found: usize,
    /// Exchanges in the copy as loaded back.
    pub entries_loaded: usize,
    /// The copy's verdict and finding codes equal the input's.
    pub same_diagnosis: bool,
}

impl Receipt {
    /// Counts one replacement.
    pub fn count(&mut self, kind: Kind, place: Place) {
        self.total += 1;
        *self.by_kind.entry(kind).or_default() += 1;
        *self.by_place.entry(place).or_default() += 1;
        *self
            .detail
            .entry(kind)
            .or_default()
            .entry(place)
            .or_default() += 1;
    }

    /// Adds another receipt's counts (notes too).
    pub fn merge(&mut self, other: &Receipt) {
        for (kind, places) in &other.detail {
            for (place, n) in places {
                for _ in 0..*n {
                    self.count(*kind, *place);
                }
            }
        }
        self.notes.extend(other.notes.iter().cloned());
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "redacted {} → {} ({}, {} entries{})",
            self.input,
            self.output,
            self.format.to_uppercase(),
            self.entries,
            if self.pii { ", --pii" } else { "" }
        )?;
        writeln!(f, "  {} values replaced", self.total)?;
        let join = |items: Vec<String>| items.join(" · ");
        if !self.by_kind.is_empty() {
            let kinds = self
                .by_kind
                .iter()
                .map(|(k, n)| format!("{} {n}", k.as_str()))
                .collect();
            writeln!(f, "  by kind:  {}", join(kinds))?;
            let places = self
                .by_place
                .iter()
                .map(|(p, n)| format!("{} {n}", p.as_str()))
                .collect();
            writeln!(f, "  by place: {}", join(places))?;
        }
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        writeln!(
            f,
            "  verified: {} original secret values searched for in the copy (each encoding), {} found; {} entries loaded back",
            self.verified.secrets_searched,
            self.verified.secrets_found,
            self.verified.entries_loaded
        )?;
        if self.key == "random" {
            writeln!(
                f,
                "  key: random for this run (pseudonyms match only within this file; --key makes them comparable across files)"
            )?;
        } else {
            writeln!(f, "  key: given with --key")?;
        }
        Ok(())
    }
}
