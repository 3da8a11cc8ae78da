//! The signature statuses a decoded message carries (the JSON
//! `messages[].signature` object): plain data, defined here beside the
//! messages and filled in by the signature stage (the `signature` module) after
//! decoding. Nothing here verifies anything; XML-DSig, JWS and XML-Enc
//! checking live in that stage, which re-exports these types.

use serde::Serialize;

use super::saml::CertificateInfo;

/// Everything known about the signatures of one decoded message (the JSON
/// `messages[].signature` object).
#[derive(Debug, Clone, Serialize)]
pub struct MessageSignature {
    /// The message as a whole: its own signature, else what protects the
    /// assertion an SP reads, else the query signature, else `absent`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// ID of the element the deciding signature covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covers: Option<String>,
    /// The key of the deciding signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyUsed>,
    /// Every XML signature, in document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureCheck>,
    /// Per assertion.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assertions: Vec<AssertionSignature>,
    /// Signature-wrapping shapes (structure alone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wrapping: Vec<String>,
    /// The HTTP-Redirect binding's query signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<SignatureCheck>,
    /// JWTs in the message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<TokenSignature>,
    /// Encrypted elements and whether they opened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub encrypted: Vec<Decryption>,
}

impl MessageSignature {
    /// No signature anywhere in the message.
    pub fn absent() -> Self {
        MessageSignature {
            status: Status::Absent,
            reason: None,
            covers: None,
            key: None,
            signatures: Vec::new(),
            assertions: Vec::new(),
            wrapping: Vec::new(),
            query: None,
            tokens: Vec::new(),
            encrypted: Vec::new(),
        }
    }

    /// The signature that decided [`MessageSignature::status`].
    pub fn deciding(&self) -> Option<&SignatureCheck> {
        self.signatures
            .iter()
            .find(|s| s.parent_path.is_empty())
            .or_else(|| {
                let read = self.assertions.iter().find(|a| a.read_by_sp)?;
                self.signatures
                    .iter()
                    .find(|s| s.covers.is_some() && s.covers == read.id)
            })
            .or(self.signatures.first())
            .or(self.query.as_ref())
    }
}

/// One status per signature (the JSON `signature.status` contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Verifies with a trusted key.
    Valid,
    /// Verifies with the KeyInfo certificate, which is not trusted.
    UntrustedKey,
    /// Does not verify, or covers another element than the one read.
    Invalid,
    /// No key to check against: structure only.
    Unverified,
    /// No signature.
    Absent,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::UntrustedKey => "untrusted_key",
            Status::Invalid => "invalid",
            Status::Unverified => "unverified",
            Status::Absent => "absent",
        }
    }
}

/// The key a signature was checked with.
#[derive(Debug, Clone, Serialize)]
pub struct KeyUsed {
    /// `RSA 2048`, `EC P-256`…
    pub kind: String,
    /// Where it came from: `KeyInfo`, a file name, `#12 (metadata)`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
}

/// The outcome for one `ds:Signature`.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub status: Status,
    /// Why it is not `valid` (or how far an `unverified` one was checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Local name of the element the signature sits in.
    pub parent: String,
    /// The ID the Reference names (the covered element).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covers: Option<String>,
    /// `SignatureMethod` short name (`rsa-sha256`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// The key that verified it, or the KeyInfo certificate when none did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyUsed>,
    /// The KeyInfo certificate (who the IdP says signed), when the key that
    /// verified came from elsewhere or nothing verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_info_certificate: Option<CertificateInfo>,
    /// The trusted certificates it was tried against, when none verified.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trusted_tried: Vec<KeyUsed>,
    /// SHA-1 in the signature or digest method.
    #[serde(skip)]
    pub uses_sha1: bool,
    /// Digests and signature value verify with some key (trusted or the
    /// KeyInfo one), before the SAML shape is judged.
    #[serde(skip)]
    pub cryptographically_sound: bool,
    /// Every Reference digest matched (needs no key).
    #[serde(skip)]
    pub digest_ok: bool,
    /// Path of the signed element in the tree.
    #[serde(skip)]
    pub covered_path: Option<Vec<usize>>,
    /// Path of the element the signature sits in.
    #[serde(skip)]
    pub parent_path: Vec<usize>,
}

/// Signature status of one assertion inside a Response.
#[derive(Debug, Clone, Serialize)]
pub struct AssertionSignature {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its own signature's status, else the Response's (which covers it).
    pub status: Status,
    /// `assertion` or `response`: which signature protects it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<&'static str>,
    /// The assertion is what a SAML SP reads (the first one directly in
    /// the Response).
    pub read_by_sp: bool,
}

/// The outcome for one JWT.
#[derive(Debug, Clone, Serialize)]
pub struct TokenSignature {
    /// The parameter it came in (`id_token`, `access_token`, `jwt`).
    pub param: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyUsed>,
    /// `alg: none`: an unsecured token.
    #[serde(skip)]
    pub unsecured: bool,
}

/// What happened to one encrypted element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Decrypted with an `--sp-key`.
    Decrypted,
    /// No `--sp-key` given.
    NoKey,
    /// The given key(s) could not decrypt the EncryptedKey: it was
    /// encrypted for another key.
    WrongKey,
    /// The key opened but the content did not decrypt (corrupt, or an
    /// algorithm mismatch).
    Failed,
    /// An algorithm not implemented here.
    Unsupported,
}

/// One encrypted element and what came of it.
#[derive(Debug, Clone, Serialize)]
pub struct Decryption {
    /// `EncryptedAssertion`, `EncryptedID`, `EncryptedAttribute`.
    pub element: String,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Key transport algorithm (short name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_transport: Option<String>,
    /// Content encryption algorithm (short name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encryption: Option<String>,
    /// The certificate the IdP encrypted for (EncryptedKey's KeyInfo).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypted_for: Option<CertificateInfo>,
    /// Whether `encrypted_for` is one of the SP encryption certificates
    /// given (`None` when none was given or the EncryptedKey names none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches_sp_certificate: Option<bool>,
    /// The SP encryption certificates given, when `encrypted_for` matches none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sp_certificates: Vec<CertificateInfo>,
    /// Which `--sp-key` opened it (file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_with: Option<String>,
    /// Status of the decrypted assertion's own signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureCheck>,
    /// The decrypted XML (not serialized: it is decoded as a message part).
    #[serde(skip)]
    pub plaintext: Option<String>,
}
