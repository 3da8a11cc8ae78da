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

mod assertion;
mod values;

pub use assertion::*;
pub use values::*;

use std::fmt;

use serde::Serialize;

use crate::decode::encoding::{MessageEncoding, Timestamp};
use crate::secret::Secret;

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
