//! Element tree → SAML 2.0 structures (SAML core, OASIS 2005 OS).
//!
//! Lenient by design: a missing optional piece is `None`, an unparsable time
//! or boolean is kept as text (or dropped) with a note, never an error. Only
//! a root that is not a SAML protocol message fails.

use std::collections::BTreeMap;

use super::SamlError;
use super::model::{
    Algorithm, Assertion, AssertionDocument, Attribute, AuthnRequest, AuthnStatement, BindingUri,
    Conditions, ConfirmationMethod, EncryptedAssertion, LogoutRequest, LogoutResponse, NameId,
    NameIdFormat, NameIdPolicy, ProxyRestriction, RequestedAuthnContext, Response, SamlMessage,
    Status, StatusCode, Subject, SubjectConfirmation, SubjectConfirmationData,
};
use super::signature::{self, element_id};
use super::xml::{DS, Element, SAML, SAMLP, XENC};
use crate::decode::encoding::Timestamp;

/// SOAP 1.1 envelope namespace (SAML bindings §3.2, ECP / artifact).
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// Collects notes while decoding one document.
#[derive(Debug, Default)]
pub(crate) struct Notes(pub Vec<String>);

impl Notes {
    pub(crate) fn time(&mut self, el: &Element, attr: &str) -> Option<Timestamp> {
        let t = Timestamp::parse(el.attr(attr)?);
        if t.utc.is_none() {
            self.0.push(format!(
                "{}/@{attr} {:?} is not a valid xs:dateTime",
                el.local, t.text
            ));
        }
        Some(t)
    }

    fn boolean(&mut self, el: &Element, attr: &str) -> Option<bool> {
        let v = el.attr(attr)?;
        match v.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            other => {
                self.0.push(format!(
                    "{}/@{attr} {other:?} is not an xs:boolean",
                    el.local
                ));
                None
            }
        }
    }
}

/// Decodes one root element. SOAP envelopes are unwrapped.
pub fn message(root: &Element, xml: &str) -> Result<SamlMessage, SamlError> {
    if root.is(SOAP11, "Envelope")
        && let Some(inner) = root.child(SOAP11, "Body").and_then(|b| b.children.first())
    {
        return message(inner, xml);
    }
    let mut notes = Notes::default();
    if root.ns.is_none() {
        notes.0.push(format!(
            "<{}> is in no namespace (missing xmlns declaration); elements were matched by local name",
            root.local
        ));
    }
    let source = xml.get(root.span.0..root.span.1).unwrap_or(xml).to_owned();
    let signatures = signature::collect(root);
    duplicate_ids(root, &mut notes);
    let msg = if root.is(SAMLP, "AuthnRequest") {
        SamlMessage::AuthnRequest(authn_request(root, &mut notes))
    } else if root.is(SAMLP, "Response") {
        SamlMessage::Response(response(root, &mut notes))
    } else if root.is(SAMLP, "LogoutRequest") {
        SamlMessage::LogoutRequest(logout_request(root, &mut notes))
    } else if root.is(SAMLP, "LogoutResponse") {
        SamlMessage::LogoutResponse(logout_response(root, &mut notes))
    } else if root.is(SAML, "Assertion") {
        SamlMessage::Assertion(AssertionDocument {
            assertion: assertion(root, &mut notes),
            ..AssertionDocument::default()
        })
    } else {
        return Err(SamlError::UnknownRoot {
            name: root.local.clone(),
            namespace: root.ns.clone().unwrap_or_default(),
        });
    };
    Ok(finish(msg, signatures, notes, source))
}

fn finish(
    mut msg: SamlMessage,
    signatures: Vec<super::model::SignatureInfo>,
    notes: Notes,
    xml: String,
) -> SamlMessage {
    for s in &signatures {
        if !s.reference_matches_parent {
            let refs = if s.reference_uris.is_empty() {
                "no Reference".to_owned()
            } else {
                s.reference_uris.join(", ")
            };
            let id = s.parent_id.as_deref().unwrap_or("(no ID)");
            msg_notes(&mut msg).push(format!(
                "signature on {} references {refs}, not its parent's ID {id} (core §5.4.2)",
                s.path
            ));
        }
    }
    msg_notes(&mut msg).extend(notes.0);
    match &mut msg {
        SamlMessage::AuthnRequest(m) => (m.signatures, m.xml) = (signatures, xml),
        SamlMessage::Response(m) => (m.signatures, m.xml) = (signatures, xml),
        SamlMessage::LogoutRequest(m) => (m.signatures, m.xml) = (signatures, xml),
        SamlMessage::LogoutResponse(m) => (m.signatures, m.xml) = (signatures, xml),
        SamlMessage::Assertion(m) => (m.signatures, m.xml) = (signatures, xml),
    }
    msg
}

fn msg_notes(msg: &mut SamlMessage) -> &mut Vec<String> {
    msg.notes_mut()
}

/// Several elements with the same ID is a signature-wrapping shape.
pub(crate) fn duplicate_ids(root: &Element, notes: &mut Notes) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for el in std::iter::once(root).chain(root.descendants()) {
        if let Some(id) = element_id(el) {
            *seen.entry(id).or_default() += 1;
        }
    }
    for (id, n) in seen.into_iter().filter(|(_, n)| *n > 1) {
        notes.0.push(format!(
            "ID {id:?} appears on {n} elements (signature-wrapping shape)"
        ));
    }
}

fn owned(el: &Element, attr: &str) -> Option<String> {
    el.attr(attr).map(str::to_owned)
}

fn issuer(el: &Element) -> Option<String> {
    el.child(SAML, "Issuer").and_then(Element::text_opt)
}

fn authn_request(el: &Element, notes: &mut Notes) -> AuthnRequest {
    let name_id_policy = el.child(SAMLP, "NameIDPolicy").map(|p| NameIdPolicy {
        format: p.attr("Format").map(NameIdFormat::new),
        allow_create: notes.boolean(p, "AllowCreate"),
        sp_name_qualifier: owned(p, "SPNameQualifier"),
    });
    let requested_authn_context =
        el.child(SAMLP, "RequestedAuthnContext")
            .map(|r| RequestedAuthnContext {
                comparison: owned(r, "Comparison"),
                class_refs: r
                    .children_named(SAML, "AuthnContextClassRef")
                    .filter_map(Element::text_opt)
                    .collect(),
                decl_refs: r
                    .children_named(SAML, "AuthnContextDeclRef")
                    .filter_map(Element::text_opt)
                    .collect(),
            });
    AuthnRequest {
        id: owned(el, "ID"),
        version: owned(el, "Version"),
        issue_instant: notes.time(el, "IssueInstant"),
        destination: owned(el, "Destination"),
        assertion_consumer_service_url: owned(el, "AssertionConsumerServiceURL"),
        assertion_consumer_service_index: owned(el, "AssertionConsumerServiceIndex"),
        protocol_binding: el.attr("ProtocolBinding").map(BindingUri::new),
        provider_name: owned(el, "ProviderName"),
        consent: owned(el, "Consent"),
        force_authn: notes.boolean(el, "ForceAuthn"),
        is_passive: notes.boolean(el, "IsPassive"),
        issuer: issuer(el),
        name_id_policy,
        requested_authn_context,
        subject_present: el.child(SAML, "Subject").is_some(),
        ..AuthnRequest::default()
    }
}

/// `samlp:Status` with the StatusCode chain in document order (core
/// §3.2.2.2: "The top-level <StatusCode> … MAY contain subordinate
/// second-level status codes").
pub(crate) fn status(el: Option<&Element>) -> Status {
    let Some(st) = el else {
        return Status::default();
    };
    let mut codes = Vec::new();
    let mut cur = st.child(SAMLP, "StatusCode");
    while let Some(c) = cur {
        codes.push(StatusCode::new(c.attr("Value").unwrap_or_default()));
        cur = c.child(SAMLP, "StatusCode");
    }
    let mut codes = codes.into_iter();
    Status {
        code: codes.next(),
        sub_codes: codes.collect(),
        message: st.child(SAMLP, "StatusMessage").map(Element::deep_text),
        detail: st
            .child(SAMLP, "StatusDetail")
            .map(Element::deep_text)
            .filter(|t| !t.is_empty()),
    }
}

fn response(el: &Element, notes: &mut Notes) -> Response {
    let assertions: Vec<Assertion> = el
        .children_named(SAML, "Assertion")
        .map(|a| assertion(a, notes))
        .collect();
    let encrypted_assertions: Vec<EncryptedAssertion> = el
        .children_named(SAML, "EncryptedAssertion")
        .map(encrypted_assertion)
        .collect();
    let nested = el
        .descendants()
        .into_iter()
        .filter(|d| d.is(SAML, "Assertion"))
        .count();
    if nested > assertions.len() {
        notes.0.push(format!(
            "{} assertion(s) are nested elsewhere than directly under Response (signature-wrapping shape)",
            nested - assertions.len()
        ));
    }
    if assertions.len() + encrypted_assertions.len() > 1 {
        notes.0.push(format!(
            "{} assertions: most SP libraries require exactly one",
            assertions.len() + encrypted_assertions.len()
        ));
    }
    Response {
        id: owned(el, "ID"),
        version: owned(el, "Version"),
        issue_instant: notes.time(el, "IssueInstant"),
        destination: owned(el, "Destination"),
        in_response_to: owned(el, "InResponseTo"),
        consent: owned(el, "Consent"),
        issuer: issuer(el),
        status: status(el.child(SAMLP, "Status")),
        assertions,
        encrypted_assertions,
        ..Response::default()
    }
}

fn name_id(el: &Element, notes: &mut Notes) -> NameId {
    if el.comment_in_text {
        notes.0.push(format!(
            "a comment splits the {} text (comment-truncation attack shape, CVE-2017-11427 family)",
            el.local
        ));
    }
    NameId {
        value: el.text.trim().to_owned(),
        format: el.attr("Format").map(NameIdFormat::new),
        name_qualifier: owned(el, "NameQualifier"),
        sp_name_qualifier: owned(el, "SPNameQualifier"),
    }
}

fn subject(el: &Element, notes: &mut Notes) -> Subject {
    Subject {
        name_id: el.child(SAML, "NameID").map(|n| name_id(n, notes)),
        encrypted_id: el.child(SAML, "EncryptedID").is_some(),
        confirmations: el
            .children_named(SAML, "SubjectConfirmation")
            .map(|c| SubjectConfirmation {
                method: c.attr("Method").map(ConfirmationMethod::new),
                data: c
                    .child(SAML, "SubjectConfirmationData")
                    .map(|d| SubjectConfirmationData {
                        recipient: owned(d, "Recipient"),
                        not_before: notes.time(d, "NotBefore"),
                        not_on_or_after: notes.time(d, "NotOnOrAfter"),
                        in_response_to: owned(d, "InResponseTo"),
                        address: owned(d, "Address"),
                    }),
            })
            .collect(),
    }
}

fn conditions(el: &Element, notes: &mut Notes) -> Conditions {
    let restrictions: Vec<&Element> = el.children_named(SAML, "AudienceRestriction").collect();
    Conditions {
        not_before: notes.time(el, "NotBefore"),
        not_on_or_after: notes.time(el, "NotOnOrAfter"),
        audiences: restrictions
            .iter()
            .flat_map(|r| r.children_named(SAML, "Audience"))
            .filter_map(Element::text_opt)
            .collect(),
        audience_restrictions: restrictions.len(),
        one_time_use: el.child(SAML, "OneTimeUse").is_some(),
        proxy_restriction: el
            .child(SAML, "ProxyRestriction")
            .map(|p| ProxyRestriction {
                count: owned(p, "Count"),
                audiences: p
                    .children_named(SAML, "Audience")
                    .filter_map(Element::text_opt)
                    .collect(),
            }),
    }
}

/// A clear `saml:Assertion` (core §2.3.3).
pub(crate) fn assertion(el: &Element, notes: &mut Notes) -> Assertion {
    Assertion {
        id: owned(el, "ID"),
        version: owned(el, "Version"),
        issue_instant: notes.time(el, "IssueInstant"),
        issuer: issuer(el),
        subject: el.child(SAML, "Subject").map(|s| subject(s, notes)),
        conditions: el.child(SAML, "Conditions").map(|c| conditions(c, notes)),
        authn_statements: el
            .children_named(SAML, "AuthnStatement")
            .map(|s| AuthnStatement {
                authn_instant: notes.time(s, "AuthnInstant"),
                session_index: owned(s, "SessionIndex"),
                session_not_on_or_after: notes.time(s, "SessionNotOnOrAfter"),
                authn_context_class_ref: s
                    .child(SAML, "AuthnContext")
                    .and_then(|c| c.child_text(SAML, "AuthnContextClassRef")),
            })
            .collect(),
        attributes: el
            .children_named(SAML, "AttributeStatement")
            .flat_map(|s| s.children_named(SAML, "Attribute"))
            .map(|a| Attribute {
                name: a.attr("Name").unwrap_or_default().to_owned(),
                name_format: owned(a, "NameFormat"),
                friendly_name: owned(a, "FriendlyName"),
                values: a
                    .children_named(SAML, "AttributeValue")
                    .map(Element::deep_text)
                    .collect(),
            })
            .collect(),
        signed: el.child(DS, "Signature").is_some(),
        decrypted: false,
    }
}

/// What can be seen of a `saml:EncryptedAssertion` (core §2.3.4, §6):
/// algorithms and which key the content key was encrypted for.
pub(crate) fn encrypted_assertion(el: &Element) -> EncryptedAssertion {
    let data = if el.is(XENC, "EncryptedData") {
        Some(el)
    } else {
        el.child(XENC, "EncryptedData")
    };
    let keys = signature::encrypted_key_elements(el);
    EncryptedAssertion {
        data_encryption_method: data
            .and_then(|d| d.child(XENC, "EncryptionMethod"))
            .and_then(|m| m.attr("Algorithm"))
            .map(Algorithm::new),
        key_encryption_methods: keys
            .iter()
            .filter_map(|k| k.child(XENC, "EncryptionMethod"))
            .filter_map(|m| m.attr("Algorithm"))
            .map(Algorithm::new)
            .collect(),
        key_recipients: keys.iter().filter_map(|k| owned(k, "Recipient")).collect(),
        key_names: keys
            .iter()
            .filter_map(|k| k.child(DS, "KeyInfo"))
            .filter_map(|ki| ki.child_text(DS, "KeyName"))
            .collect(),
        key_certificates: keys
            .iter()
            .flat_map(|k| signature::key_info_certificates(k.child(DS, "KeyInfo")))
            .collect(),
    }
}

fn logout_request(el: &Element, notes: &mut Notes) -> LogoutRequest {
    LogoutRequest {
        id: owned(el, "ID"),
        version: owned(el, "Version"),
        issue_instant: notes.time(el, "IssueInstant"),
        destination: owned(el, "Destination"),
        not_on_or_after: notes.time(el, "NotOnOrAfter"),
        reason: owned(el, "Reason"),
        issuer: issuer(el),
        name_id: el.child(SAML, "NameID").map(|n| name_id(n, notes)),
        encrypted_id: el.child(SAML, "EncryptedID").is_some(),
        session_indexes: el
            .children_named(SAMLP, "SessionIndex")
            .filter_map(Element::text_opt)
            .collect(),
        ..LogoutRequest::default()
    }
}

fn logout_response(el: &Element, notes: &mut Notes) -> LogoutResponse {
    LogoutResponse {
        id: owned(el, "ID"),
        version: owned(el, "Version"),
        issue_instant: notes.time(el, "IssueInstant"),
        destination: owned(el, "Destination"),
        in_response_to: owned(el, "InResponseTo"),
        issuer: issuer(el),
        status: status(el.child(SAMLP, "Status")),
        ..LogoutResponse::default()
    }
}
