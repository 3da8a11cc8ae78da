//! Open protocol values (status codes, algorithms, bindings, NameID
//! formats, confirmation methods: the URI as written plus a short name for
//! the ones the specs define), and the transport, certificate, signature
//! and status descriptions every message shares.

use super::*;

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

pub(super) fn rfc3339<S: serde::Serializer>(
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
