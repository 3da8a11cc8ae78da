//! The assertion and its parts (SAML core §2): NameID, Subject and its
//! confirmations, Conditions, AuthnStatement, attributes, and the
//! EncryptedAssertion wrapper.

use super::*;

/// `saml:NameID` (core §2.2.3).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NameId {
    /// The identifier.
    pub value: String,
    /// `@Format`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<NameIdFormat>,
    /// `@NameQualifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_qualifier: Option<String>,
    /// `@SPNameQualifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp_name_qualifier: Option<String>,
}

/// `saml:SubjectConfirmationData` (core §2.4.1.2).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubjectConfirmationData {
    /// `@Recipient`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// `@NotBefore` (MUST NOT be present on bearer, profiles §4.1.4.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    /// `@NotOnOrAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_on_or_after: Option<Timestamp>,
    /// `@InResponseTo`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    /// `@Address`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// `saml:SubjectConfirmation` (core §2.4.1.1).
#[derive(Debug, Clone, Serialize)]
pub struct SubjectConfirmation {
    /// `@Method`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<ConfirmationMethod>,
    /// `SubjectConfirmationData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<SubjectConfirmationData>,
}

/// `saml:Subject` (core §2.4.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Subject {
    /// `NameID`, when in clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_id: Option<NameId>,
    /// An `EncryptedID` stands in for the NameID.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted_id: bool,
    /// `SubjectConfirmation`s.
    pub confirmations: Vec<SubjectConfirmation>,
}

/// `saml:ProxyRestriction` (core §2.5.1.6).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProxyRestriction {
    /// `@Count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    /// `Audience`s.
    pub audiences: Vec<String>,
}

/// `saml:Conditions` (core §2.5).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Conditions {
    /// `@NotBefore`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    /// `@NotOnOrAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_on_or_after: Option<Timestamp>,
    /// `AudienceRestriction/Audience`s of every AudienceRestriction, in
    /// document order (several restrictions must *all* hold, §2.5.1.4).
    pub audiences: Vec<String>,
    /// Number of `AudienceRestriction` elements.
    pub audience_restrictions: usize,
    /// `OneTimeUse` present.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_time_use: bool,
    /// `ProxyRestriction`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_restriction: Option<ProxyRestriction>,
}

/// `saml:AuthnStatement` (core §2.7.2).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthnStatement {
    /// `@AuthnInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_instant: Option<Timestamp>,
    /// `@SessionIndex`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_index: Option<String>,
    /// `@SessionNotOnOrAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_not_on_or_after: Option<Timestamp>,
    /// `AuthnContext/AuthnContextClassRef`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_context_class_ref: Option<String>,
}

/// `saml:Attribute` (core §2.7.3.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attribute {
    /// `@Name`.
    pub name: String,
    /// `@NameFormat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_format: Option<String>,
    /// `@FriendlyName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// `AttributeValue` texts.
    pub values: Vec<String>,
}

/// `saml:Assertion` (core §2.3.3), in clear.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Assertion {
    /// `@ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `@Version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `Issuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `Subject`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// `Conditions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// `AuthnStatement`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authn_statements: Vec<AuthnStatement>,
    /// Attributes of every `AttributeStatement`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// A `ds:Signature` is a direct child (see the message's `signatures`).
    pub signed: bool,
    /// Opened from an `EncryptedAssertion` with an `--sp-key`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub decrypted: bool,
}

/// `saml:EncryptedAssertion` (core §2.3.4): only its envelope is visible.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EncryptedAssertion {
    /// `xenc:EncryptedData/xenc:EncryptionMethod/@Algorithm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_encryption_method: Option<Algorithm>,
    /// `xenc:EncryptedKey/xenc:EncryptionMethod/@Algorithm`s.
    pub key_encryption_methods: Vec<Algorithm>,
    /// `xenc:EncryptedKey/@Recipient`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_recipients: Vec<String>,
    /// `ds:KeyName`s under the EncryptedKey.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_names: Vec<String>,
    /// Certificates the key was encrypted for (which SP key it targets).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_certificates: Vec<CertificateInfo>,
}
