//! SAML 2.0 protocol messages: `AuthnRequest`, `Response`, `LogoutRequest`,
//! `LogoutResponse` (and a bare `Assertion`), decoded from a parameter value
//! or from XML text into [`SamlMessage`]s that serialize to the decode JSON
//! contract and render as text.
//!
//! Entry points:
//! * [`decode_value`] — a `SAMLRequest` / `SAMLResponse` value as found in a
//!   query string or form (any encoding, see
//!   [`encoding::decode_saml_param`](crate::decode::encoding::decode_saml_param)),
//!   with what the caller knows of the binding ([`BindingParams`]: the
//!   redirect binding's `SigAlg` / `Signature` / `RelayState`);
//! * [`decode_documents`] — XML text, which may hold several concatenated
//!   documents (Entra's auto-post page has been seen with two);
//! * [`SamlMessage::write_text`] and [`pretty_xml`] for display.
//!
//! Safety invariants: XML is parsed namespace-aware with quick-xml's
//! `NsReader` (any prefixes, default namespaces); a DOCTYPE or entity
//! declaration makes the message *refused* ([`SamlError::Refused`]) before
//! anything is expanded; depth, element count and size are bounded.
//!
//! **Nothing is cryptographically verified.** Signatures are located and
//! described (parent, Reference URI, algorithms, certificate thumbprints);
//! whether they verify needs the IdP's key from metadata.

mod model;
mod parse;
mod pretty;
mod signature;
pub(crate) mod text;
pub(crate) mod xml;

#[cfg(test)]
mod tests;

pub use model::{
    Algorithm, Assertion, AssertionDocument, Attribute, AuthnRequest, AuthnStatement, Binding,
    BindingParams, BindingUri, CertificateInfo, Conditions, ConfirmationMethod, EncryptedAssertion,
    LogoutRequest, LogoutResponse, NameId, NameIdFormat, NameIdPolicy, ProxyRestriction,
    RequestedAuthnContext, Response, SamlMessage, SignatureInfo, Status, StatusCode, Subject,
    SubjectConfirmation, SubjectConfirmationData, Transport,
};
pub use pretty::{pretty_xml, pretty_xml_with};
pub use xml::Limits;

pub(crate) use parse::{
    Notes, assertion as parse_assertion, duplicate_ids,
    encrypted_assertion as parse_encrypted_assertion,
};
/// Reads a base64 DER certificate (`X509Certificate` text, metadata
/// `KeyDescriptor`s): thumbprints, subject, issuer, serial, validity.
pub use signature::certificate as parse_certificate;
pub(crate) use signature::collect as collect_signatures;

use crate::decode::encoding::{self, Compression, EncodingError, MessageEncoding};
use crate::secret::Secret;

/// Why XML was refused without being read further.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// `<!DOCTYPE … [<!ENTITY …>]>`: entity expansion is how XXE and
    /// "billion laughs" attacks work; entities are never expanded.
    #[error(
        "the XML declares entities in a DOCTYPE ({doctype}); entities are never expanded (XXE / billion-laughs protection)"
    )]
    EntityDeclaration {
        /// The start of the DOCTYPE, for the reader.
        doctype: String,
    },
    /// Any other DOCTYPE: SAML messages never carry one (SAML core §1.3 —
    /// schema validated, no DTD), so it is not read.
    #[error("the XML has a DOCTYPE ({doctype}), which SAML messages never carry; it is not read")]
    Doctype {
        /// The start of the DOCTYPE.
        doctype: String,
    },
}

/// Why a SAML value or document could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlError {
    /// Refused for safety (DOCTYPE / entities).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Not well-formed XML.
    #[error("XML is not well-formed at byte {offset}: {message}")]
    Malformed {
        /// Byte offset in the XML text.
        offset: usize,
        /// What the parser said.
        message: String,
    },
    /// Deeper than [`Limits::max_depth`].
    #[error("XML nests deeper than {limit} elements; refused")]
    TooDeep {
        /// The bound.
        limit: usize,
    },
    /// More than [`Limits::max_elements`].
    #[error("XML has more than {limit} elements; refused")]
    TooManyElements {
        /// The bound.
        limit: usize,
    },
    /// One element with more than [`Limits::max_attributes`] attributes.
    #[error("an XML element has more than {limit} attributes; refused")]
    TooManyAttributes {
        /// The bound.
        limit: usize,
    },
    /// Larger than [`Limits::max_bytes`].
    #[error("XML is larger than {limit} bytes; refused")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// No element at all.
    #[error("no XML element found")]
    NoElement,
    /// Well-formed XML that is not a SAML 2.0 protocol message.
    #[error(
        "<{name}> (namespace {namespace:?}) is not a SAML 2.0 protocol message (expected AuthnRequest, Response, LogoutRequest, LogoutResponse or Assertion)"
    )]
    UnknownRoot {
        /// Root local name.
        name: String,
        /// Root namespace URI ("" when unbound).
        namespace: String,
    },
    /// The parameter value could not be turned into XML.
    #[error("could not decode the value: {0}")]
    Encoding(#[from] EncodingError),
}

impl SamlError {
    /// Whether the input was refused for safety (as opposed to broken).
    pub fn is_refused(&self) -> bool {
        matches!(self, SamlError::Refused(_))
    }
}

/// Decodes every SAML document in `xml` (usually one; a blob holding
/// several concatenated documents yields all of them). Documents whose root
/// is not a SAML message are skipped with a note on the first decoded one;
/// if none is a SAML message the first root's error is returned.
pub fn decode_documents(xml: &str) -> Result<Vec<SamlMessage>, SamlError> {
    decode_documents_with(xml, &Limits::default())
}

/// [`decode_documents`] with explicit bounds.
pub fn decode_documents_with(xml: &str, limits: &Limits) -> Result<Vec<SamlMessage>, SamlError> {
    let roots = xml::parse(xml, limits)?;
    let mut messages = Vec::new();
    let mut skipped = Vec::new();
    let mut first_err = None;
    for root in &roots {
        match parse::message(root, xml) {
            Ok(m) => messages.push(m),
            Err(e) => {
                skipped.push(format!("<{}>", root.local));
                first_err.get_or_insert(e);
            }
        }
    }
    if messages.is_empty() {
        return Err(first_err.unwrap_or(SamlError::NoElement));
    }
    let count = messages.len();
    if let Some(first) = messages.first_mut() {
        if count > 1 {
            first.notes_mut().push(format!(
                "the decoded value holds {count} SAML documents one after another"
            ));
        }
        if !skipped.is_empty() {
            first.notes_mut().push(format!(
                "other top-level elements were not decoded: {}",
                skipped.join(", ")
            ));
        }
    }
    Ok(messages)
}

/// The first SAML document in `xml` (see [`decode_documents`]).
pub fn decode_document(xml: &str) -> Result<SamlMessage, SamlError> {
    decode_documents(xml)?
        .into_iter()
        .next()
        .ok_or(SamlError::NoElement)
}

/// Decodes a decrypted `saml:Assertion` (the plaintext of an
/// `EncryptedAssertion`), marked as decrypted; `None` when the text is not
/// an assertion.
pub fn decode_decrypted_assertion(xml: &str) -> Option<Assertion> {
    let roots = xml::parse(xml, &Limits::default()).ok()?;
    let root = roots.iter().find(|r| r.is(xml::SAML, "Assertion"))?;
    let mut notes = Notes(Vec::new());
    let mut a = parse::assertion(root, &mut notes);
    a.decrypted = true;
    Some(a)
}

/// A decoded parameter value.
#[derive(Debug, Clone)]
pub struct DecodedValue {
    /// How the value was encoded.
    pub encoding: MessageEncoding,
    /// The XML text.
    pub xml: String,
    /// Every document in it, each carrying its [`Transport`].
    pub messages: Vec<SamlMessage>,
}

/// Decodes a `SAMLRequest` / `SAMLResponse` value (any encoding) and
/// attaches what the caller knows of its transport to each message.
///
/// With `BindingParams::default()` the binding is unknown (a pasted value).
/// For HTTP-Redirect pass `SigAlg`, `Signature` and `RelayState`: the
/// redirect binding signs the query string, not the XML (bindings §3.4.4.1).
pub fn decode_value(value: &str, params: &BindingParams<'_>) -> Result<DecodedValue, SamlError> {
    let limits = Limits::default();
    let decoded = encoding::decode_saml_param(value, limits.max_bytes)?;
    let mut messages = decode_documents_with(&decoded.xml, &limits)?;
    for m in &mut messages {
        let t = transport(params, &decoded.encoding, !m.signatures().is_empty());
        m.set_transport(t);
    }
    Ok(DecodedValue {
        encoding: decoded.encoding,
        xml: decoded.xml,
        messages,
    })
}

/// The first message of [`decode_value`].
pub fn decode_message(value: &str, params: &BindingParams<'_>) -> Result<SamlMessage, SamlError> {
    decode_value(value, params)?
        .messages
        .into_iter()
        .next()
        .ok_or(SamlError::NoElement)
}

fn transport(p: &BindingParams<'_>, enc: &MessageEncoding, xml_signed: bool) -> Transport {
    let mut notes = Vec::new();
    match p.binding {
        Binding::HttpRedirect => {
            match enc.compression {
                Compression::None => notes.push(
                    "HTTP-Redirect binding requires DEFLATE before base64 (bindings §3.4.4.1); this value is not compressed"
                        .to_owned(),
                ),
                Compression::Zlib | Compression::Gzip => notes.push(format!(
                    "HTTP-Redirect binding requires raw DEFLATE (RFC 1951, bindings §3.4.4.1); this value has a {} wrapper",
                    enc.compression
                )),
                Compression::Deflate => {}
            }
            if xml_signed {
                notes.push(
                    "an XML signature travels in a redirect-bound message; bindings §3.4.4.1 says it MUST be removed (the query string is signed instead)"
                        .to_owned(),
                );
            }
            match (p.sig_alg.is_some(), p.signature.is_some()) {
                (true, false) => notes
                    .push("SigAlg is present but the Signature parameter is missing".to_owned()),
                (false, true) => notes
                    .push("Signature is present but the SigAlg parameter is missing".to_owned()),
                _ => {}
            }
        }
        Binding::HttpPost => {
            if enc.is_compressed() {
                notes.push(
                    "HTTP-POST binding carries plain base64 (bindings §3.5.4); this value is DEFLATE-compressed"
                        .to_owned(),
                );
            }
            if enc.base64.is_none() {
                notes.push(
                    "HTTP-POST binding carries base64 (bindings §3.5.4); this value is raw XML"
                        .to_owned(),
                );
            }
        }
        Binding::Unknown => {}
    }
    if let Some(rs) = p.relay_state
        && rs.len() > 80
    {
        notes.push(format!(
            "RelayState is {} bytes; bindings §3.4.3 / §3.5.3 limit it to 80 and some parties truncate or reject longer ones",
            rs.len()
        ));
    }
    Transport {
        binding: p.binding,
        encoding: enc.clone(),
        relay_state: p.relay_state.map(str::to_owned),
        sig_alg: p
            .sig_alg
            .map(|a| Algorithm::new(crate::codec::percent::decode_layers(a).0)),
        query_signature: p.signature.map(|s| Secret::new(s.to_owned())),
        notes,
    }
}
