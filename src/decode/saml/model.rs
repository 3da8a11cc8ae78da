//! The decoded SAML 2.0 structures and their JSON shape.
//!
//! Protocol values (status codes, algorithms, bindings, NameID formats,
//! confirmation methods) are *open*: a newtype around the URI as written,
//! with a short name for the ones the specs define. Unknown values are kept
//! and shown, never rejected. All serialize as the full URI.
//!
//! Nothing here is cryptographically verified: signatures are described
//! (where, what they reference, which algorithms, which certificate), not
//! checked.

use std::fmt;

use serde::Serialize;

use crate::decode::encoding::{MessageEncoding, Timestamp};
use crate::secret::Secret;

macro_rules! open_uri {
    ($(#[$m:meta])* $name:ident, prefix = $prefix:expr, table = [$(($uri:expr, $short:expr)),* $(,)?]) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            const KNOWN: &'static [(&'static str, &'static str)] = &[$(($uri, $short)),*];

            /// Wraps a URI as written.
            pub fn new(uri: impl Into<String>) -> Self {
                Self(uri.into())
            }

            /// The URI as written.
            pub fn uri(&self) -> &str {
                &self.0
            }

            /// The short name when the spec defines this value.
            pub fn known_name(&self) -> Option<&'static str> {
                Self::KNOWN.iter().find(|(u, _)| *u == self.0).map(|(_, n)| *n)
            }

            /// Whether the specs define this value.
            pub fn is_known(&self) -> bool {
                self.known_name().is_some()
            }

            /// The short name, or the URI minus the usual prefix, or the URI.
            pub fn short_name(&self) -> &str {
                let prefix: &str = $prefix;
                self.known_name()
                    .or_else(|| if prefix.is_empty() { None } else { self.0.strip_prefix(prefix) })
                    .unwrap_or(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.short_name())
            }
        }
    };
}

open_uri!(
    /// A `StatusCode/@Value` (core §3.2.2.2).
    StatusCode,
    prefix = "urn:oasis:names:tc:SAML:2.0:status:",
    table = [
        ("urn:oasis:names:tc:SAML:2.0:status:Success", "Success"),
        ("urn:oasis:names:tc:SAML:2.0:status:Requester", "Requester"),
        ("urn:oasis:names:tc:SAML:2.0:status:Responder", "Responder"),
        ("urn:oasis:names:tc:SAML:2.0:status:VersionMismatch", "VersionMismatch"),
        ("urn:oasis:names:tc:SAML:2.0:status:AuthnFailed", "AuthnFailed"),
        ("urn:oasis:names:tc:SAML:2.0:status:InvalidAttrNameOrValue", "InvalidAttrNameOrValue"),
        ("urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy", "InvalidNameIDPolicy"),
        ("urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext", "NoAuthnContext"),
        ("urn:oasis:names:tc:SAML:2.0:status:NoAvailableIDP", "NoAvailableIDP"),
        ("urn:oasis:names:tc:SAML:2.0:status:NoPassive", "NoPassive"),
        ("urn:oasis:names:tc:SAML:2.0:status:NoSupportedIDP", "NoSupportedIDP"),
        ("urn:oasis:names:tc:SAML:2.0:status:PartialLogout", "PartialLogout"),
        ("urn:oasis:names:tc:SAML:2.0:status:ProxyCountExceeded", "ProxyCountExceeded"),
        ("urn:oasis:names:tc:SAML:2.0:status:RequestDenied", "RequestDenied"),
        ("urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported", "RequestUnsupported"),
        ("urn:oasis:names:tc:SAML:2.0:status:RequestVersionDeprecated", "RequestVersionDeprecated"),
        ("urn:oasis:names:tc:SAML:2.0:status:RequestVersionTooHigh", "RequestVersionTooHigh"),
        ("urn:oasis:names:tc:SAML:2.0:status:RequestVersionTooLow", "RequestVersionTooLow"),
        ("urn:oasis:names:tc:SAML:2.0:status:ResourceNotRecognized", "ResourceNotRecognized"),
        ("urn:oasis:names:tc:SAML:2.0:status:TooManyResponses", "TooManyResponses"),
        ("urn:oasis:names:tc:SAML:2.0:status:UnknownAttrProfile", "UnknownAttrProfile"),
        ("urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal", "UnknownPrincipal"),
        ("urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding", "UnsupportedBinding"),
        // SAML 1.x (WS-Federation tokens never carry these, but pasted
        // SAML 1.1 responses do).
        ("samlp:Success", "Success"),
        ("samlp:Requester", "Requester"),
        ("samlp:Responder", "Responder"),
    ]
);

impl StatusCode {
    /// `urn:oasis:names:tc:SAML:2.0:status:Success`.
    pub fn is_success(&self) -> bool {
        self.short_name() == "Success"
    }
}

open_uri!(
    /// An XML Signature / XML Encryption algorithm URI (xmldsig-core §6,
    /// RFC 6931, xmlenc-core §5).
    Algorithm,
    prefix = "",
    table = [
        ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "rsa-sha1"),
        ("http://www.w3.org/2000/09/xmldsig#dsa-sha1", "dsa-sha1"),
        ("http://www.w3.org/2000/09/xmldsig#hmac-sha1", "hmac-sha1"),
        ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "rsa-sha256"),
        ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "rsa-sha384"),
        ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "rsa-sha512"),
        ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "ecdsa-sha1"),
        ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ecdsa-sha256"),
        ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "ecdsa-sha384"),
        ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "ecdsa-sha512"),
        ("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", "rsa-pss-sha256"),
        ("http://www.w3.org/2000/09/xmldsig#sha1", "sha1"),
        ("http://www.w3.org/2001/04/xmlenc#sha256", "sha256"),
        ("http://www.w3.org/2001/04/xmldsig-more#sha384", "sha384"),
        ("http://www.w3.org/2001/04/xmlenc#sha512", "sha512"),
        ("http://www.w3.org/2001/10/xml-exc-c14n#", "exc-c14n"),
        ("http://www.w3.org/2001/10/xml-exc-c14n#WithComments", "exc-c14n-with-comments"),
        ("http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "c14n"),
        ("http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments", "c14n-with-comments"),
        ("http://www.w3.org/2006/12/xml-c14n11", "c14n11"),
        ("http://www.w3.org/2000/09/xmldsig#enveloped-signature", "enveloped-signature"),
        ("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "aes128-cbc"),
        ("http://www.w3.org/2001/04/xmlenc#aes192-cbc", "aes192-cbc"),
        ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "aes256-cbc"),
        ("http://www.w3.org/2001/04/xmlenc#tripledes-cbc", "tripledes-cbc"),
        ("http://www.w3.org/2009/xmlenc11#aes128-gcm", "aes128-gcm"),
        ("http://www.w3.org/2009/xmlenc11#aes192-gcm", "aes192-gcm"),
        ("http://www.w3.org/2009/xmlenc11#aes256-gcm", "aes256-gcm"),
        ("http://www.w3.org/2001/04/xmlenc#rsa-1_5", "rsa-1_5"),
        ("http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p", "rsa-oaep-mgf1p"),
        ("http://www.w3.org/2009/xmlenc11#rsa-oaep", "rsa-oaep"),
        ("http://www.w3.org/2001/04/xmlenc#kw-aes128", "kw-aes128"),
        ("http://www.w3.org/2001/04/xmlenc#kw-aes256", "kw-aes256"),
    ]
);

impl Algorithm {
    /// SHA-1 based, PKCS#1 v1.5 key transport or 3DES: rejected by SPs that
    /// refuse deprecated algorithms (python3-saml `rejectDeprecatedAlgorithm`).
    pub fn is_deprecated(&self) -> bool {
        matches!(
            self.known_name(),
            Some(
                "rsa-sha1"
                    | "dsa-sha1"
                    | "hmac-sha1"
                    | "ecdsa-sha1"
                    | "sha1"
                    | "rsa-1_5"
                    | "tripledes-cbc"
            )
        )
    }
}

open_uri!(
    /// A SAML binding URI (bindings §3), e.g. `ProtocolBinding`.
    BindingUri,
    prefix = "urn:oasis:names:tc:SAML:2.0:bindings:",
    table = [
        ("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "HTTP-POST"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "HTTP-Redirect"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact", "HTTP-Artifact"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign", "HTTP-POST-SimpleSign"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:SOAP", "SOAP"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:PAOS", "PAOS"),
        ("urn:oasis:names:tc:SAML:2.0:bindings:URI", "URI"),
    ]
);

open_uri!(
    /// A NameID format URI (core §8.3).
    NameIdFormat,
    prefix = "",
    table = [
        ("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "unspecified"),
        ("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "emailAddress"),
        ("urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName", "X509SubjectName"),
        ("urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName", "WindowsDomainQualifiedName"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "persistent"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:entity", "entity"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos", "kerberos"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted", "encrypted"),
    ]
);

open_uri!(
    /// A `SubjectConfirmation/@Method` (profiles §3).
    ConfirmationMethod,
    prefix = "",
    table = [
        ("urn:oasis:names:tc:SAML:2.0:cm:bearer", "bearer"),
        ("urn:oasis:names:tc:SAML:2.0:cm:holder-of-key", "holder-of-key"),
        ("urn:oasis:names:tc:SAML:2.0:cm:sender-vouches", "sender-vouches"),
        ("urn:oasis:names:tc:SAML:1.0:cm:bearer", "bearer (SAML 1.x)"),
        ("urn:oasis:names:tc:SAML:1.0:cm:holder-of-key", "holder-of-key (SAML 1.x)"),
        ("urn:oasis:names:tc:SAML:1.0:cm:sender-vouches", "sender-vouches (SAML 1.x)"),
    ]
);

/// Where a parameter value was found, as the caller knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Not known (a value pasted into `decode`).
    #[default]
    Unknown,
    /// A query parameter of a GET (bindings §3.4).
    HttpRedirect,
    /// A form field of a POST (bindings §3.5).
    HttpPost,
}

/// What the caller knows about the transport of a `SAMLRequest` /
/// `SAMLResponse` value. For HTTP-Redirect, pass the sibling query
/// parameters: the signature of a redirect-bound message is in the query
/// (`SigAlg`, `Signature`, bindings §3.4.4.1), never in the XML.
#[derive(Debug, Clone, Copy, Default)]
pub struct BindingParams<'a> {
    /// Where the value came from.
    pub binding: Binding,
    /// `RelayState` parameter.
    pub relay_state: Option<&'a str>,
    /// `SigAlg` query parameter.
    pub sig_alg: Option<&'a str>,
    /// `Signature` query parameter.
    pub signature: Option<&'a str>,
}

/// How the message travelled: binding, encoding layers, and the
/// query-string signature of the redirect binding.
#[derive(Debug, Clone, Serialize)]
pub struct Transport {
    /// Binding the value came through.
    pub binding: Binding,
    /// Layers removed to reach the XML.
    pub encoding: MessageEncoding,
    /// `RelayState`, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// `SigAlg` (redirect binding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sig_alg: Option<Algorithm>,
    /// `Signature` query parameter (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_signature: Option<Secret<String>>,
    /// Anything odd about the transport (wrong encoding for the binding,
    /// RelayState over 80 bytes, SigAlg without Signature, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// An X.509 certificate from a `KeyInfo`, as far as it could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    /// Subject DN (RFC 4514 style).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Issuer DN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Serial number, upper-case hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// Start of validity (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rfc3339")]
    pub not_before: Option<chrono::DateTime<chrono::Utc>>,
    /// End of validity (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rfc3339")]
    pub not_after: Option<chrono::DateTime<chrono::Utc>>,
    /// SHA-1 over the DER, upper-case hex (what most SP configs call the
    /// "thumbprint" / fingerprint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1_thumbprint: Option<String>,
    /// SHA-256 over the DER, upper-case hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256_thumbprint: Option<String>,
    /// Why the certificate could not be (fully) read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn rfc3339<S: serde::Serializer>(
    t: &Option<chrono::DateTime<chrono::Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        None => s.serialize_none(),
    }
}

/// One `ds:Signature` element: where it is and what it claims. Not verified.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureInfo {
    /// Local name of the element that contains the signature
    /// (`Response`, `Assertion`, `AuthnRequest`, …).
    pub parent: String,
    /// That element's `ID` (`AssertionID` for SAML 1.x).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Element path from the document root, e.g. `Response/Assertion`.
    pub path: String,
    /// `Reference/@URI` values (normally exactly one, `#<parent ID>`).
    pub reference_uris: Vec<String>,
    /// The single Reference points at the enclosing element's ID
    /// (core §5.4.2). False on wrapping shapes and missing references.
    pub reference_matches_parent: bool,
    /// `SignatureMethod/@Algorithm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_method: Option<Algorithm>,
    /// `DigestMethod/@Algorithm` of the first Reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest_method: Option<Algorithm>,
    /// `CanonicalizationMethod/@Algorithm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonicalization_method: Option<Algorithm>,
    /// `Transform/@Algorithm`s of the first Reference.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<Algorithm>,
    /// `SignatureValue` (masked unless secrets are shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_value: Option<Secret<String>>,
    /// `KeyInfo/X509Data/X509Certificate`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateInfo>,
}

/// `samlp:Status` (core §3.2.2.1).
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Top-level `StatusCode/@Value`.
    pub code: Option<StatusCode>,
    /// Nested second-level (and deeper) codes, in document order.
    pub sub_codes: Vec<StatusCode>,
    /// `StatusMessage`.
    pub message: Option<String>,
    /// `StatusDetail`, as text.
    pub detail: Option<String>,
}

impl Status {
    /// Whether the top-level code is Success.
    pub fn is_success(&self) -> bool {
        self.code.as_ref().is_some_and(StatusCode::is_success)
    }

    /// `Responder > InvalidNameIDPolicy`.
    pub fn chain(&self) -> String {
        self.code
            .iter()
            .chain(&self.sub_codes)
            .map(StatusCode::short_name)
            .collect::<Vec<_>>()
            .join(" > ")
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'a StatusCode>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code_name: Option<&'a str>,
            sub_codes: &'a [StatusCode],
            sub_code_names: Vec<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            message: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            detail: Option<&'a str>,
        }
        View {
            code: self.code.as_ref(),
            code_name: self.code.as_ref().map(StatusCode::short_name),
            sub_codes: &self.sub_codes,
            sub_code_names: self.sub_codes.iter().map(StatusCode::short_name).collect(),
            message: self.message.as_deref(),
            detail: self.detail.as_deref(),
        }
        .serialize(s)
    }
}

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

/// `samlp:AuthnRequest/samlp:NameIDPolicy` (core §3.4.1.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NameIdPolicy {
    /// `@Format`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<NameIdFormat>,
    /// `@AllowCreate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_create: Option<bool>,
    /// `@SPNameQualifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp_name_qualifier: Option<String>,
}

/// `samlp:RequestedAuthnContext` (core §3.3.2.2.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestedAuthnContext {
    /// `@Comparison` (default `exact`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<String>,
    /// `AuthnContextClassRef`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub class_refs: Vec<String>,
    /// `AuthnContextDeclRef`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decl_refs: Vec<String>,
}

/// `samlp:AuthnRequest` (core §3.4.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthnRequest {
    /// `@ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `@Version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `@Destination`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `@AssertionConsumerServiceURL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion_consumer_service_url: Option<String>,
    /// `@AssertionConsumerServiceIndex`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion_consumer_service_index: Option<String>,
    /// `@ProtocolBinding`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol_binding: Option<BindingUri>,
    /// `@ProviderName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// `@Consent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    /// `@ForceAuthn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_authn: Option<bool>,
    /// `@IsPassive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_passive: Option<bool>,
    /// `Issuer` — the SP's entity ID, which Entra copies into Audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `NameIDPolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_id_policy: Option<NameIdPolicy>,
    /// `RequestedAuthnContext`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_authn_context: Option<RequestedAuthnContext>,
    /// A `Subject` is present (Entra rejects it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub subject_present: bool,
    /// Every `ds:Signature` in the document.
    pub signatures: Vec<SignatureInfo>,
    /// Binding and encoding, when decoded from a parameter value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// Oddities noticed while decoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's XML text.
    #[serde(skip)]
    pub xml: String,
}

/// `samlp:Response` (core §3.3.3).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Response {
    /// `@ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `@Version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `@Destination`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `@InResponseTo`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    /// `@Consent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    /// `Issuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `Status`.
    pub status: Status,
    /// Assertions in clear.
    pub assertions: Vec<Assertion>,
    /// Encrypted assertions.
    pub encrypted_assertions: Vec<EncryptedAssertion>,
    /// Every `ds:Signature` in the document.
    pub signatures: Vec<SignatureInfo>,
    /// Binding and encoding, when decoded from a parameter value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// Oddities noticed while decoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's XML text.
    #[serde(skip)]
    pub xml: String,
}

/// `samlp:LogoutRequest` (core §3.7.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogoutRequest {
    /// `@ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `@Version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `@Destination`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `@NotOnOrAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_on_or_after: Option<Timestamp>,
    /// `@Reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `Issuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `NameID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_id: Option<NameId>,
    /// An `EncryptedID` stands in for the NameID.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted_id: bool,
    /// `SessionIndex`es.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub session_indexes: Vec<String>,
    /// Every `ds:Signature` in the document.
    pub signatures: Vec<SignatureInfo>,
    /// Binding and encoding, when decoded from a parameter value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// Oddities noticed while decoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's XML text.
    #[serde(skip)]
    pub xml: String,
}

/// `samlp:LogoutResponse` (core §3.7.2, a StatusResponseType).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogoutResponse {
    /// `@ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `@Version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `@Destination`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `@InResponseTo`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    /// `Issuer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `Status`.
    pub status: Status,
    /// Every `ds:Signature` in the document.
    pub signatures: Vec<SignatureInfo>,
    /// Binding and encoding, when decoded from a parameter value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// Oddities noticed while decoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's XML text.
    #[serde(skip)]
    pub xml: String,
}

/// A bare `saml:Assertion` as the document root (pasted on its own, or a
/// token outside any protocol message).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AssertionDocument {
    /// The assertion.
    #[serde(flatten)]
    pub assertion: Assertion,
    /// Every `ds:Signature` in the document.
    pub signatures: Vec<SignatureInfo>,
    /// Oddities noticed while decoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's XML text.
    #[serde(skip)]
    pub xml: String,
}

/// One decoded SAML 2.0 document. Serializes with `"kind"` first.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
pub enum SamlMessage {
    /// `samlp:AuthnRequest`.
    #[serde(rename = "saml_authn_request")]
    AuthnRequest(AuthnRequest),
    /// `samlp:Response`.
    #[serde(rename = "saml_response")]
    Response(Response),
    /// `samlp:LogoutRequest`.
    #[serde(rename = "saml_logout_request")]
    LogoutRequest(LogoutRequest),
    /// `samlp:LogoutResponse`.
    #[serde(rename = "saml_logout_response")]
    LogoutResponse(LogoutResponse),
    /// A bare `saml:Assertion`.
    #[serde(rename = "saml_assertion")]
    Assertion(AssertionDocument),
}

impl SamlMessage {
    /// The JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            SamlMessage::AuthnRequest(_) => "saml_authn_request",
            SamlMessage::Response(_) => "saml_response",
            SamlMessage::LogoutRequest(_) => "saml_logout_request",
            SamlMessage::LogoutResponse(_) => "saml_logout_response",
            SamlMessage::Assertion(_) => "saml_assertion",
        }
    }

    /// `@ID` (`Assertion/@ID` for a bare assertion).
    pub fn id(&self) -> Option<&str> {
        match self {
            SamlMessage::AuthnRequest(m) => m.id.as_deref(),
            SamlMessage::Response(m) => m.id.as_deref(),
            SamlMessage::LogoutRequest(m) => m.id.as_deref(),
            SamlMessage::LogoutResponse(m) => m.id.as_deref(),
            SamlMessage::Assertion(m) => m.assertion.id.as_deref(),
        }
    }

    /// The message's own `Issuer`.
    pub fn issuer(&self) -> Option<&str> {
        match self {
            SamlMessage::AuthnRequest(m) => m.issuer.as_deref(),
            SamlMessage::Response(m) => m.issuer.as_deref(),
            SamlMessage::LogoutRequest(m) => m.issuer.as_deref(),
            SamlMessage::LogoutResponse(m) => m.issuer.as_deref(),
            SamlMessage::Assertion(m) => m.assertion.issuer.as_deref(),
        }
    }

    /// `@Destination`.
    pub fn destination(&self) -> Option<&str> {
        match self {
            SamlMessage::AuthnRequest(m) => m.destination.as_deref(),
            SamlMessage::Response(m) => m.destination.as_deref(),
            SamlMessage::LogoutRequest(m) => m.destination.as_deref(),
            SamlMessage::LogoutResponse(m) => m.destination.as_deref(),
            SamlMessage::Assertion(_) => None,
        }
    }

    /// `@InResponseTo` of a response.
    pub fn in_response_to(&self) -> Option<&str> {
        match self {
            SamlMessage::Response(m) => m.in_response_to.as_deref(),
            SamlMessage::LogoutResponse(m) => m.in_response_to.as_deref(),
            _ => None,
        }
    }

    /// `@IssueInstant`.
    pub fn issue_instant(&self) -> Option<&Timestamp> {
        match self {
            SamlMessage::AuthnRequest(m) => m.issue_instant.as_ref(),
            SamlMessage::Response(m) => m.issue_instant.as_ref(),
            SamlMessage::LogoutRequest(m) => m.issue_instant.as_ref(),
            SamlMessage::LogoutResponse(m) => m.issue_instant.as_ref(),
            SamlMessage::Assertion(m) => m.assertion.issue_instant.as_ref(),
        }
    }

    /// `Status` of a response.
    pub fn status(&self) -> Option<&Status> {
        match self {
            SamlMessage::Response(m) => Some(&m.status),
            SamlMessage::LogoutResponse(m) => Some(&m.status),
            _ => None,
        }
    }

    /// Assertions in clear (a Response's, or the bare one).
    pub fn assertions(&self) -> &[Assertion] {
        match self {
            SamlMessage::Response(m) => &m.assertions,
            SamlMessage::Assertion(m) => std::slice::from_ref(&m.assertion),
            _ => &[],
        }
    }

    /// Every `ds:Signature` in the document, in document order.
    pub fn signatures(&self) -> &[SignatureInfo] {
        match self {
            SamlMessage::AuthnRequest(m) => &m.signatures,
            SamlMessage::Response(m) => &m.signatures,
            SamlMessage::LogoutRequest(m) => &m.signatures,
            SamlMessage::LogoutResponse(m) => &m.signatures,
            SamlMessage::Assertion(m) => &m.signatures,
        }
    }

    /// Transport details, when decoded from a parameter value.
    pub fn transport(&self) -> Option<&Transport> {
        match self {
            SamlMessage::AuthnRequest(m) => m.transport.as_ref(),
            SamlMessage::Response(m) => m.transport.as_ref(),
            SamlMessage::LogoutRequest(m) => m.transport.as_ref(),
            SamlMessage::LogoutResponse(m) => m.transport.as_ref(),
            SamlMessage::Assertion(_) => None,
        }
    }

    /// Notes about oddities.
    pub fn notes(&self) -> &[String] {
        match self {
            SamlMessage::AuthnRequest(m) => &m.notes,
            SamlMessage::Response(m) => &m.notes,
            SamlMessage::LogoutRequest(m) => &m.notes,
            SamlMessage::LogoutResponse(m) => &m.notes,
            SamlMessage::Assertion(m) => &m.notes,
        }
    }

    /// The document's XML text, as decoded.
    pub fn xml(&self) -> &str {
        match self {
            SamlMessage::AuthnRequest(m) => &m.xml,
            SamlMessage::Response(m) => &m.xml,
            SamlMessage::LogoutRequest(m) => &m.xml,
            SamlMessage::LogoutResponse(m) => &m.xml,
            SamlMessage::Assertion(m) => &m.xml,
        }
    }

    pub(crate) fn set_transport(&mut self, t: Transport) {
        match self {
            SamlMessage::AuthnRequest(m) => m.transport = Some(t),
            SamlMessage::Response(m) => m.transport = Some(t),
            SamlMessage::LogoutRequest(m) => m.transport = Some(t),
            SamlMessage::LogoutResponse(m) => m.transport = Some(t),
            SamlMessage::Assertion(m) => m.notes.extend(t.notes),
        }
    }

    pub(crate) fn notes_mut(&mut self) -> &mut Vec<String> {
        match self {
            SamlMessage::AuthnRequest(m) => &mut m.notes,
            SamlMessage::Response(m) => &mut m.notes,
            SamlMessage::LogoutRequest(m) => &mut m.notes,
            SamlMessage::LogoutResponse(m) => &mut m.notes,
            SamlMessage::Assertion(m) => &mut m.notes,
        }
    }
}
