//! WS-Federation passive requestor profile (WS-Federation 1.2 §13): the
//! sign-in request (`wa=wsignin1.0` with `wtrealm`, `wreply`, `wctx`, `whr`,
//! `wct`, `wfresh`, …), the sign-in response (`wresult` holding a WS-Trust
//! `RequestSecurityTokenResponse`, 2005/02 or 1.3 namespace, possibly inside
//! a `RequestSecurityTokenResponseCollection`) and sign-out
//! (`wsignout1.0`, `wsignoutcleanup1.0`).
//!
//! The token in `RequestedSecurityToken` is decoded when it is a SAML 1.1
//! assertion (what AD FS and Entra issue for WS-Fed by default) or a SAML
//! 2.0 assertion (the SAML decoder's assertion reader is reused); an
//! encrypted token shows its envelope only.
//!
//! Same safety rules as the SAML decoder (DOCTYPE refused, bounded tree),
//! same conventions (open values, secrets masked, JSON `kind`). Signatures
//! are described, **not verified**.

use std::io::{self, Write};

use serde::Serialize;

use crate::decode::TextOptions;
use crate::decode::encoding::{self, TimeRole, Timestamp};
use crate::decode::saml::text::{self as saml_text, Text};
use crate::decode::saml::xml::{self as samlxml, DS, Element, SAML, SAML1, XENC};
use crate::decode::saml::{
    Assertion, ConfirmationMethod, EncryptedAssertion, Limits, NameIdFormat, Notes, SamlError,
    SignatureInfo, collect_signatures, duplicate_ids, parse_assertion, parse_encrypted_assertion,
};

/// WS-Trust February 2005 namespace (AD FS 2.0+ default for WS-Fed).
pub const TRUST_2005: &str = "http://schemas.xmlsoap.org/ws/2005/02/trust";
/// WS-Trust 1.3 namespace (Entra ID, newer AD FS configurations).
pub const TRUST_13: &str = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";

/// Why WS-Federation parameters could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WsFedError {
    /// None of `wa`, `wresult`, `wtrealm` is present.
    #[error("not a WS-Federation message: none of wa, wresult or wtrealm is present")]
    NotWsFed,
    /// The `wresult` value could not be decoded (see [`SamlError`]).
    #[error("wresult: {0}")]
    Wresult(#[from] SamlError),
}

/// The passive-requestor query / form parameters (WS-Federation 1.2 §13.2).
#[derive(Debug, Clone, Default, Serialize)]
pub struct WsFedParams {
    /// `wa`: the action (`wsignin1.0`, `wsignout1.0`, `wsignoutcleanup1.0`;
    /// others are kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wa: Option<String>,
    /// `wtrealm`: the relying party's realm (its identifier at the IdP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wtrealm: Option<String>,
    /// `wreply`: where the response should go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wreply: Option<String>,
    /// `wctx`: RP context, echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wctx: Option<String>,
    /// `whr`: home realm hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whr: Option<String>,
    /// `wct`: the RP's current time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wct: Option<Timestamp>,
    /// `wfresh`: maximum authentication age, minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wfresh: Option<String>,
    /// `wauth`: requested authentication method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wauth: Option<String>,
    /// `wp`: policy URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wp: Option<String>,
    /// `wreq`: a WS-Trust request, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wreq: Option<String>,
    /// `wresultptr`: URL of the result (the token is then not in the trace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wresultptr: Option<String>,
}

/// `wa=wsignin1.0` without a result: the RP sends the user to the IdP.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WsFedRequest {
    /// The parameters.
    #[serde(flatten)]
    pub params: WsFedParams,
    /// Oddities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Sign-out (`wsignout1.0`, `wsignoutcleanup1.0`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct WsFedSignout {
    /// The parameters.
    #[serde(flatten)]
    pub params: WsFedParams,
    /// Oddities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// SAML 1.1 `NameIdentifier` (SAML 1.1 core §2.4.2.2).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NameIdentifier {
    /// The identifier.
    pub value: String,
    /// `@Format`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<NameIdFormat>,
    /// `@NameQualifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_qualifier: Option<String>,
}

/// SAML 1.1 `Attribute` (SAML 1.1 core §2.4.4.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Saml11Attribute {
    /// `@AttributeName`.
    pub name: String,
    /// `@AttributeNamespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `AttributeValue` texts.
    pub values: Vec<String>,
}

/// SAML 1.1 `Assertion` (SAML 1.1 core §2.3.2) — the WS-Fed default token.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Saml11Assertion {
    /// `@AssertionID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion_id: Option<String>,
    /// `@Issuer` (an attribute in SAML 1.x).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `@IssueInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<Timestamp>,
    /// `@MajorVersion`.`@MinorVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `Conditions/@NotBefore`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    /// `Conditions/@NotOnOrAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_on_or_after: Option<Timestamp>,
    /// `AudienceRestrictionCondition/Audience`s.
    pub audiences: Vec<String>,
    /// The first statement's `Subject/NameIdentifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_identifier: Option<NameIdentifier>,
    /// `SubjectConfirmation/ConfirmationMethod`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub confirmation_methods: Vec<ConfirmationMethod>,
    /// `AuthenticationStatement/@AuthenticationMethod`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_method: Option<String>,
    /// `AuthenticationStatement/@AuthenticationInstant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_instant: Option<Timestamp>,
    /// Attributes of every `AttributeStatement`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Saml11Attribute>,
    /// A `ds:Signature` is a direct child.
    pub signed: bool,
}

/// The token inside `RequestedSecurityToken`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum SecurityToken {
    /// SAML 1.1 assertion.
    Saml11(Saml11Assertion),
    /// SAML 2.0 assertion.
    Saml20(Assertion),
    /// An encrypted token (`xenc:EncryptedData` or `saml:EncryptedAssertion`).
    Encrypted(EncryptedAssertion),
    /// Something else (a JWT in a `BinarySecurityToken`, …), named only.
    Other {
        /// Local name of the token element.
        element: String,
        /// Its namespace.
        namespace: String,
    },
}

/// A WS-Trust `RequestSecurityTokenResponse` (WS-Trust 1.3 §4.4).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenResponse {
    /// The WS-Trust namespace as written.
    pub trust_namespace: String,
    /// Wrapped in a `RequestSecurityTokenResponseCollection`.
    pub collection: bool,
    /// `Lifetime/wsu:Created`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
    /// `Lifetime/wsu:Expires`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Timestamp>,
    /// `wsp:AppliesTo/wsa:EndpointReference/wsa:Address`: the RP the token is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
    /// `TokenType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// `RequestType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
    /// `KeyType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// The token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<SecurityToken>,
}

impl TokenResponse {
    /// `WS-Trust 1.3`, `WS-Trust 2005/02`, or the namespace.
    pub fn trust_version(&self) -> &str {
        match self.trust_namespace.as_str() {
            TRUST_13 => "WS-Trust 1.3",
            TRUST_2005 => "WS-Trust 2005/02",
            other => other,
        }
    }
}

/// `wa=wsignin1.0` with `wresult`: the IdP posts the token to the RP.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WsFedResponse {
    /// The parameters.
    #[serde(flatten)]
    pub params: WsFedParams,
    /// The decoded `wresult`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_response: Option<TokenResponse>,
    /// Every `ds:Signature` in `wresult`.
    pub signatures: Vec<SignatureInfo>,
    /// Why `wresult` could not be decoded (refused, malformed, …).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "display")]
    pub wresult_error: Option<SamlError>,
    /// Oddities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The `wresult` XML text.
    #[serde(skip)]
    pub xml: String,
}

fn display<S: serde::Serializer>(e: &Option<SamlError>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_str(&e.to_string()),
        None => s.serialize_none(),
    }
}

/// One WS-Federation message. Serializes with `"kind"`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
pub enum WsFedMessage {
    /// Sign-in request.
    #[serde(rename = "wsfed_request")]
    Request(WsFedRequest),
    /// Sign-in response.
    #[serde(rename = "wsfed_response")]
    Response(Box<WsFedResponse>),
    /// Sign-out.
    #[serde(rename = "wsfed_signout")]
    Signout(WsFedSignout),
}

impl WsFedMessage {
    /// The JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            WsFedMessage::Request(_) => "wsfed_request",
            WsFedMessage::Response(_) => "wsfed_response",
            WsFedMessage::Signout(_) => "wsfed_signout",
        }
    }

    /// The parameters.
    pub fn params(&self) -> &WsFedParams {
        match self {
            WsFedMessage::Request(m) => &m.params,
            WsFedMessage::Response(m) => &m.params,
            WsFedMessage::Signout(m) => &m.params,
        }
    }
}

/// Decodes passive-requestor parameters (query or form, already
/// form-decoded). Parameter names match case-insensitively. A `wresult`
/// that cannot be decoded still yields a [`WsFedResponse`], with
/// `wresult_error` set.
pub fn decode_params<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
) -> Result<WsFedMessage, WsFedError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref().to_owned())
    };
    let p = WsFedParams {
        wa: get("wa"),
        wtrealm: get("wtrealm"),
        wreply: get("wreply"),
        wctx: get("wctx"),
        whr: get("whr"),
        wct: get("wct").map(|t| Timestamp::parse(&t)),
        wfresh: get("wfresh"),
        wauth: get("wauth"),
        wp: get("wp"),
        wreq: get("wreq"),
        wresultptr: get("wresultptr"),
    };
    let wresult = get("wresult");
    let mut notes = Vec::new();
    if let Some(t) = &p.wct
        && t.utc.is_none()
    {
        notes.push(format!("wct {:?} is not a valid date-time", t.text));
    }
    match p.wa.as_deref() {
        Some("wsignout1.0" | "wsignoutcleanup1.0") => {
            return Ok(WsFedMessage::Signout(WsFedSignout { params: p, notes }));
        }
        Some("wsignin1.0") => {}
        Some(other) => notes.push(format!(
            "wa={other} is not a passive-requestor action this tool knows"
        )),
        None if wresult.is_some() || p.wtrealm.is_some() => {
            notes.push("the wa parameter is missing".to_owned())
        }
        None => return Err(WsFedError::NotWsFed),
    }
    match wresult {
        Some(v) => {
            let mut r = response_from_wresult(&v);
            r.params = p;
            notes.append(&mut r.notes);
            r.notes = notes;
            Ok(WsFedMessage::Response(Box::new(r)))
        }
        None if p.wresultptr.is_some() => {
            notes.push(
                "wresultptr: the token is fetched by reference and is not in the trace".to_owned(),
            );
            Ok(WsFedMessage::Response(Box::new(WsFedResponse {
                params: p,
                notes,
                ..WsFedResponse::default()
            })))
        }
        None => Ok(WsFedMessage::Request(WsFedRequest { params: p, notes })),
    }
}

/// Decodes a pasted `wresult` value (raw, HTML-escaped or percent-encoded
/// XML) on its own. Unlike [`decode_params`], a broken value is an error.
pub fn decode_wresult(value: &str) -> Result<WsFedMessage, WsFedError> {
    let r = response_from_wresult(value);
    match r.wresult_error {
        Some(e) => Err(WsFedError::Wresult(e)),
        None => Ok(WsFedMessage::Response(Box::new(r))),
    }
}

fn response_from_wresult(value: &str) -> WsFedResponse {
    let limits = Limits::default();
    let mut r = WsFedResponse::default();
    let xml = match encoding::decode_saml_param(value, limits.max_bytes) {
        Ok(d) => d.xml,
        Err(e) => {
            r.wresult_error = Some(SamlError::Encoding(e));
            return r;
        }
    };
    let roots = match samlxml::parse(&xml, &limits) {
        Ok(roots) => roots,
        Err(e) => {
            r.wresult_error = Some(e);
            r.xml = xml;
            return r;
        }
    };
    let mut notes = Notes::default();
    if let Some(root) = roots.first() {
        r.signatures = collect_signatures(root);
        duplicate_ids(root, &mut notes);
        match token_response(root, &mut notes) {
            Some(tr) => r.token_response = Some(tr),
            None => notes.0.push(format!(
                "wresult root <{}> is not a RequestSecurityTokenResponse",
                root.local
            )),
        }
    }
    r.notes = notes.0;
    r.xml = xml;
    r
}

fn is_trust(el: &Element, local: &str) -> bool {
    el.is(TRUST_13, local) || el.is(TRUST_2005, local)
}

fn child_trust<'a>(el: &'a Element, local: &str) -> Option<&'a Element> {
    el.children.iter().find(|c| is_trust(c, local))
}

/// First descendant with this local name, any namespace.
fn find_local<'a>(el: &'a Element, local: &str) -> Option<&'a Element> {
    el.descendants().into_iter().find(|e| e.local == local)
}

fn token_response(root: &Element, notes: &mut Notes) -> Option<TokenResponse> {
    let (rstr, collection) = if is_trust(root, "RequestSecurityTokenResponseCollection") {
        let mut all = root
            .children
            .iter()
            .filter(|c| is_trust(c, "RequestSecurityTokenResponse"));
        let first = all.next()?;
        let more = all.count();
        if more > 0 {
            notes.0.push(format!(
                "{more} more RequestSecurityTokenResponse(s) in the collection were not decoded"
            ));
        }
        (first, true)
    } else if is_trust(root, "RequestSecurityTokenResponse") {
        (root, false)
    } else {
        return None;
    };
    let lifetime = child_trust(rstr, "Lifetime");
    let lifetime_time = |local: &str, notes: &mut Notes| {
        lifetime
            .and_then(|l| l.children.iter().find(|c| c.local == local))
            .and_then(Element::text_opt)
            .map(|t| {
                let ts = Timestamp::parse(&t);
                if ts.utc.is_none() {
                    notes
                        .0
                        .push(format!("Lifetime/{local} {t:?} is not a valid date-time"));
                }
                ts
            })
    };
    Some(TokenResponse {
        trust_namespace: rstr.ns.clone().unwrap_or_default(),
        collection,
        created: lifetime_time("Created", notes),
        expires: lifetime_time("Expires", notes),
        applies_to: rstr
            .children
            .iter()
            .find(|c| c.local == "AppliesTo")
            .and_then(|a| find_local(a, "Address"))
            .and_then(Element::text_opt),
        token_type: child_trust(rstr, "TokenType").and_then(Element::text_opt),
        request_type: child_trust(rstr, "RequestType").and_then(Element::text_opt),
        key_type: child_trust(rstr, "KeyType").and_then(Element::text_opt),
        token: child_trust(rstr, "RequestedSecurityToken")
            .and_then(|t| t.children.first())
            .map(|tok| security_token(tok, notes)),
    })
}

fn security_token(tok: &Element, notes: &mut Notes) -> SecurityToken {
    if tok.is(SAML1, "Assertion") && tok.attr("AssertionID").is_some() {
        SecurityToken::Saml11(saml11(tok, notes))
    } else if tok.is(SAML, "Assertion") {
        SecurityToken::Saml20(parse_assertion(tok, notes))
    } else if tok.is(SAML, "EncryptedAssertion") || tok.is(XENC, "EncryptedData") {
        SecurityToken::Encrypted(parse_encrypted_assertion(tok))
    } else {
        SecurityToken::Other {
            element: tok.local.clone(),
            namespace: tok.ns.clone().unwrap_or_default(),
        }
    }
}

/// SAML 1.1 core §2.3.2 (Assertion), §2.3.2.1 (Conditions), §2.4
/// (statements; every statement carries its own Subject).
fn saml11(el: &Element, notes: &mut Notes) -> Saml11Assertion {
    let conditions = el.child(SAML1, "Conditions");
    let statements: Vec<&Element> = el
        .children
        .iter()
        .filter(|c| c.is(SAML1, "AttributeStatement") || c.is(SAML1, "AuthenticationStatement"))
        .collect();
    let subject = statements.iter().find_map(|s| s.child(SAML1, "Subject"));
    let authn = el.child(SAML1, "AuthenticationStatement");
    let version = match (el.attr("MajorVersion"), el.attr("MinorVersion")) {
        (Some(a), Some(b)) => Some(format!("{a}.{b}")),
        (Some(a), None) => Some(a.to_owned()),
        _ => None,
    };
    Saml11Assertion {
        assertion_id: el.attr("AssertionID").map(str::to_owned),
        issuer: el.attr("Issuer").map(str::to_owned),
        issue_instant: notes.time(el, "IssueInstant"),
        version,
        not_before: conditions.and_then(|c| notes.time(c, "NotBefore")),
        not_on_or_after: conditions.and_then(|c| notes.time(c, "NotOnOrAfter")),
        audiences: conditions
            .map(|c| {
                c.children_named(SAML1, "AudienceRestrictionCondition")
                    .flat_map(|r| r.children_named(SAML1, "Audience"))
                    .filter_map(Element::text_opt)
                    .collect()
            })
            .unwrap_or_default(),
        name_identifier: subject
            .and_then(|s| s.child(SAML1, "NameIdentifier"))
            .map(|n| NameIdentifier {
                value: n.text.trim().to_owned(),
                format: n.attr("Format").map(NameIdFormat::new),
                name_qualifier: n.attr("NameQualifier").map(str::to_owned),
            }),
        confirmation_methods: subject
            .and_then(|s| s.child(SAML1, "SubjectConfirmation"))
            .map(|c| {
                c.children_named(SAML1, "ConfirmationMethod")
                    .filter_map(Element::text_opt)
                    .map(ConfirmationMethod::new)
                    .collect()
            })
            .unwrap_or_default(),
        authentication_method: authn
            .and_then(|a| a.attr("AuthenticationMethod"))
            .map(str::to_owned),
        authentication_instant: authn.and_then(|a| notes.time(a, "AuthenticationInstant")),
        attributes: el
            .children_named(SAML1, "AttributeStatement")
            .flat_map(|s| s.children_named(SAML1, "Attribute"))
            .map(|a| Saml11Attribute {
                name: a.attr("AttributeName").unwrap_or_default().to_owned(),
                namespace: a.attr("AttributeNamespace").map(str::to_owned),
                values: a
                    .children_named(SAML1, "AttributeValue")
                    .map(Element::deep_text)
                    .collect(),
            })
            .collect(),
        signed: el.child(DS, "Signature").is_some(),
    }
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

fn params_text(t: &mut Text<'_>, p: &WsFedParams) {
    t.opt("wa", p.wa.as_deref());
    t.opt("wtrealm", p.wtrealm.as_deref());
    t.opt("wreply", p.wreply.as_deref());
    t.opt("wctx", p.wctx.as_deref());
    t.opt("whr", p.whr.as_deref());
    t.time("wct", p.wct.as_ref(), TimeRole::Instant);
    t.opt("wfresh", p.wfresh.as_deref());
    t.opt("wauth", p.wauth.as_deref());
    t.opt("wp", p.wp.as_deref());
    t.opt("wreq", p.wreq.as_deref());
    t.opt("wresultptr", p.wresultptr.as_deref());
}

fn saml11_text(t: &mut Text<'_>, a: &Saml11Assertion) {
    t.heading("SAML 1.1 assertion");
    t.opt("AssertionID", a.assertion_id.as_deref());
    t.opt("Version", a.version.as_deref());
    t.opt("Issuer", a.issuer.as_deref());
    t.time("IssueInstant", a.issue_instant.as_ref(), TimeRole::Instant);
    t.kv("Signed", if a.signed { "yes" } else { "no" });
    t.time("NotBefore", a.not_before.as_ref(), TimeRole::NotBefore);
    t.time(
        "NotOnOrAfter",
        a.not_on_or_after.as_ref(),
        TimeRole::NotOnOrAfter,
    );
    for aud in &a.audiences {
        t.kv("Audience", aud.as_str());
    }
    if let Some(n) = &a.name_identifier {
        let mut v = n.value.clone();
        if let Some(f) = &n.format {
            v.push_str(&format!("  [{f}]"));
        }
        t.kv("NameIdentifier", v);
    }
    for m in &a.confirmation_methods {
        t.kv("Confirmation", m.to_string());
    }
    t.opt("AuthnMethod", a.authentication_method.as_deref());
    t.time(
        "AuthnInstant",
        a.authentication_instant.as_ref(),
        TimeRole::Instant,
    );
    for attr in &a.attributes {
        let name = match &attr.namespace {
            Some(ns) => format!("{}/{}", ns.trim_end_matches('/'), attr.name),
            None => attr.name.clone(),
        };
        t.kv("Attribute", format!("{name} = {}", attr.values.join(", ")));
    }
}

fn token_text(t: &mut Text<'_>, tr: &TokenResponse) {
    t.heading(format!(
        "Token response ({}{})",
        tr.trust_version(),
        if tr.collection {
            ", in a collection"
        } else {
            ""
        }
    ));
    t.time("Created", tr.created.as_ref(), TimeRole::Instant);
    t.time("Expires", tr.expires.as_ref(), TimeRole::NotOnOrAfter);
    t.opt("AppliesTo", tr.applies_to.as_deref());
    t.opt("TokenType", tr.token_type.as_deref());
    t.opt("RequestType", tr.request_type.as_deref());
    t.opt("KeyType", tr.key_type.as_deref());
    match &tr.token {
        Some(SecurityToken::Saml11(a)) => saml11_text(t, a),
        Some(SecurityToken::Saml20(a)) => saml_text::assertion(t, "SAML 2.0 assertion".into(), a),
        Some(SecurityToken::Encrypted(e)) => {
            t.heading("Encrypted token (content not visible without the RP's private key)");
            if let Some(a) = &e.data_encryption_method {
                t.kv("Data cipher", a.to_string());
            }
            for a in &e.key_encryption_methods {
                t.kv("Key transport", a.to_string());
            }
            for c in &e.key_certificates {
                saml_text::certificate(t, "Encrypted for", c);
            }
        }
        Some(SecurityToken::Other { element, namespace }) => {
            t.kv("Token", format!("<{element}> ({namespace}), not decoded"));
        }
        None => t.kv("Token", "(none)"),
    }
}

fn notes_text(t: &mut Text<'_>, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    t.heading("Notes");
    for n in notes {
        t.raw(format!("  - {n}"));
    }
}

impl WsFedMessage {
    /// Readable summary (same conventions as
    /// [`SamlMessage::write_text`](crate::decode::saml::SamlMessage::write_text)):
    /// aligned lines, UTC times with relative phrases, signatures described
    /// but not verified, secrets masked unless shown, then the XML.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut t = Text::new(opts);
        match self {
            WsFedMessage::Request(m) => {
                t.heading("WS-Federation sign-in request");
                params_text(&mut t, &m.params);
                notes_text(&mut t, &m.notes);
                t.write(w)
            }
            WsFedMessage::Signout(m) => {
                t.heading("WS-Federation sign-out");
                params_text(&mut t, &m.params);
                notes_text(&mut t, &m.notes);
                t.write(w)
            }
            WsFedMessage::Response(m) => {
                t.heading("WS-Federation sign-in response");
                params_text(&mut t, &m.params);
                if let Some(e) = &m.wresult_error {
                    t.kv("wresult", format!("not decoded: {e}"));
                }
                if let Some(tr) = &m.token_response {
                    token_text(&mut t, tr);
                }
                saml_text::signatures(&mut t, &m.signatures);
                notes_text(&mut t, &m.notes);
                t.write(w)?;
                saml_text::xml_section(w, &m.xml, opts.show_secrets)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAML11_WRESULT: &str = r##"<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">
  <t:Lifetime>
    <wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2024-03-01T10:00:00.000Z</wsu:Created>
    <wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2024-03-01T11:00:00.000Z</wsu:Expires>
  </t:Lifetime>
  <wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">
    <wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://app.contoso.com/</wsa:Address></wsa:EndpointReference>
  </wsp:AppliesTo>
  <t:RequestedSecurityToken>
    <saml:Assertion MajorVersion="1" MinorVersion="1" AssertionID="_a1b2" Issuer="http://adfs.contoso.com/adfs/services/trust" IssueInstant="2024-03-01T10:00:00.000Z" xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion">
      <saml:Conditions NotBefore="2024-03-01T10:00:00.000Z" NotOnOrAfter="2024-03-01T11:00:00.000Z">
        <saml:AudienceRestrictionCondition><saml:Audience>https://app.contoso.com/</saml:Audience></saml:AudienceRestrictionCondition>
      </saml:Conditions>
      <saml:AttributeStatement>
        <saml:Subject>
          <saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">CONTOSO\alice</saml:NameIdentifier>
          <saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod></saml:SubjectConfirmation>
        </saml:Subject>
        <saml:Attribute AttributeName="upn" AttributeNamespace="http://schemas.xmlsoap.org/ws/2005/05/identity/claims"><saml:AttributeValue>alice@contoso.com</saml:AttributeValue></saml:Attribute>
        <saml:Attribute AttributeName="role" AttributeNamespace="http://schemas.microsoft.com/ws/2008/06/identity/claims"><saml:AttributeValue>Admins</saml:AttributeValue><saml:AttributeValue>Users</saml:AttributeValue></saml:Attribute>
      </saml:AttributeStatement>
      <saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password" AuthenticationInstant="2024-03-01T09:59:58.000Z">
        <saml:Subject><saml:NameIdentifier>CONTOSO\alice</saml:NameIdentifier></saml:Subject>
      </saml:AuthenticationStatement>
      <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:SignedInfo>
          <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
          <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
          <ds:Reference URI="#_a1b2"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>
        </ds:SignedInfo>
        <ds:SignatureValue>c2VjcmV0c2lnbmF0dXJl</ds:SignatureValue>
      </ds:Signature>
    </saml:Assertion>
  </t:RequestedSecurityToken>
  <t:TokenType>urn:oasis:names:tc:SAML:1.0:assertion</t:TokenType>
  <t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType>
  <t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType>
</t:RequestSecurityTokenResponse>"##;

    const SAML2_WRESULT: &str = r#"<trust:RequestSecurityTokenResponseCollection xmlns:trust="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><trust:RequestSecurityTokenResponse><trust:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2024-03-01T10:00:00Z</wsu:Created><wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2024-03-01T11:00:00Z</wsu:Expires></trust:Lifetime><wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>spn:3f1c0000-0000-0000-0000-000000000000</wsa:Address></wsa:EndpointReference></wsp:AppliesTo><trust:RequestedSecurityToken><Assertion ID="_s2" IssueInstant="2024-03-01T10:00:00Z" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>https://sts.windows.net/aaaabbbb-0000-cccc-1111-dddd2222eeee/</Issuer><Subject><NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">opaque123</NameID><SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/></Subject><Conditions NotBefore="2024-03-01T10:00:00Z" NotOnOrAfter="2024-03-01T11:10:00Z"><AudienceRestriction><Audience>spn:3f1c0000-0000-0000-0000-000000000000</Audience></AudienceRestriction></Conditions><AttributeStatement><Attribute Name="http://schemas.microsoft.com/identity/claims/tenantid"><AttributeValue>aaaabbbb-0000-cccc-1111-dddd2222eeee</AttributeValue></Attribute></AttributeStatement><AuthnStatement AuthnInstant="2024-03-01T09:59:00Z" SessionIndex="_s2"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement></Assertion></trust:RequestedSecurityToken><trust:TokenType>http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0</trust:TokenType></trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection>"#;

    fn params<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn decodes_saml11_wresult_from_adfs() {
        let msg = decode_params(&params(&[
            ("wa", "wsignin1.0"),
            ("wresult", SAML11_WRESULT),
            ("wctx", "rm=0&id=passive&ru=%2f"),
        ]))
        .unwrap();
        let WsFedMessage::Response(r) = &msg else {
            panic!("{msg:?}")
        };
        assert_eq!(r.params.wctx.as_deref(), Some("rm=0&id=passive&ru=%2f"));
        let tr = r.token_response.as_ref().unwrap();
        assert_eq!(tr.trust_version(), "WS-Trust 2005/02");
        assert!(!tr.collection);
        assert_eq!(tr.applies_to.as_deref(), Some("https://app.contoso.com/"));
        assert_eq!(
            tr.expires.as_ref().unwrap().text,
            "2024-03-01T11:00:00.000Z"
        );
        assert_eq!(
            tr.token_type.as_deref(),
            Some("urn:oasis:names:tc:SAML:1.0:assertion")
        );
        let Some(SecurityToken::Saml11(a)) = &tr.token else {
            panic!("{:?}", tr.token)
        };
        assert_eq!(a.assertion_id.as_deref(), Some("_a1b2"));
        assert_eq!(
            a.issuer.as_deref(),
            Some("http://adfs.contoso.com/adfs/services/trust")
        );
        assert_eq!(a.version.as_deref(), Some("1.1"));
        assert_eq!(a.audiences, ["https://app.contoso.com/"]);
        assert_eq!(
            a.not_on_or_after.as_ref().unwrap().text,
            "2024-03-01T11:00:00.000Z"
        );
        assert_eq!(a.name_identifier.as_ref().unwrap().value, "CONTOSO\\alice");
        assert_eq!(a.confirmation_methods[0].short_name(), "bearer (SAML 1.x)");
        assert_eq!(
            a.authentication_method.as_deref(),
            Some("urn:oasis:names:tc:SAML:1.0:am:password")
        );
        assert_eq!(a.attributes.len(), 2);
        assert_eq!(a.attributes[1].values, ["Admins", "Users"]);
        assert!(a.signed);
        assert_eq!(r.signatures.len(), 1);
        assert_eq!(r.signatures[0].parent, "Assertion");
        assert!(r.signatures[0].reference_matches_parent);

        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(json["kind"], "wsfed_response");
        assert_eq!(json["wa"], "wsignin1.0");
        assert_eq!(json["token_response"]["token"]["format"], "saml11");
        assert_eq!(
            json["signatures"][0]["signature_value"],
            "‹redacted 20 chars›"
        );

        let mut out = Vec::new();
        msg.write_text(&mut out, &TextOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("SAML 1.1 assertion"), "{text}");
        assert!(text.contains("its status: see Signatures"), "{text}");
        assert!(!text.contains("c2VjcmV0c2lnbmF0dXJl"), "{text}");
    }

    #[test]
    fn decodes_saml2_wresult_in_a_collection() {
        // As copied from an HTML auto-post page: HTML-escaped.
        let escaped = SAML2_WRESULT
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let msg = decode_params(&[("wa", "wsignin1.0"), ("wresult", escaped.as_str())]).unwrap();
        let WsFedMessage::Response(r) = &msg else {
            panic!("{msg:?}")
        };
        assert!(r.wresult_error.is_none(), "{:?}", r.wresult_error);
        let tr = r.token_response.as_ref().unwrap();
        assert_eq!(tr.trust_version(), "WS-Trust 1.3");
        assert!(tr.collection);
        assert_eq!(
            tr.applies_to.as_deref(),
            Some("spn:3f1c0000-0000-0000-0000-000000000000")
        );
        let Some(SecurityToken::Saml20(a)) = &tr.token else {
            panic!("{:?}", tr.token)
        };
        assert_eq!(a.id.as_deref(), Some("_s2"));
        assert_eq!(
            a.subject.as_ref().unwrap().name_id.as_ref().unwrap().value,
            "opaque123"
        );
        assert_eq!(
            a.conditions.as_ref().unwrap().audiences,
            ["spn:3f1c0000-0000-0000-0000-000000000000"]
        );
        assert_eq!(
            a.attributes[0].values,
            ["aaaabbbb-0000-cccc-1111-dddd2222eeee"]
        );
        assert!(!a.signed);
        assert_eq!(
            serde_json::to_value(&msg).unwrap()["token_response"]["token"]["format"],
            "saml20"
        );
    }

    #[test]
    fn classifies_actions() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[
                    ("wa", "wsignin1.0"),
                    ("wtrealm", "urn:app"),
                    ("wreply", "https://app/"),
                ],
                "wsfed_request",
            ),
            (
                &[("wa", "wsignout1.0"), ("wreply", "https://app/")],
                "wsfed_signout",
            ),
            (&[("wa", "wsignoutcleanup1.0")], "wsfed_signout"),
            (
                &[("WA", "wsignin1.0"), ("wresult", SAML11_WRESULT)],
                "wsfed_response",
            ),
            (&[("wresult", SAML11_WRESULT)], "wsfed_response"),
            (
                &[("wa", "wsignin1.0"), ("wresultptr", "https://idp/r/1")],
                "wsfed_response",
            ),
        ];
        for (p, kind) in cases {
            assert_eq!(decode_params(p).unwrap().kind(), *kind, "{p:?}");
        }
        assert_eq!(
            decode_params(&[("foo", "bar")]).unwrap_err(),
            WsFedError::NotWsFed
        );
        let req = decode_params(&[
            ("wa", "wsignin1.0"),
            ("wtrealm", "urn:app"),
            ("wct", "2024-03-01T10:00:00Z"),
        ])
        .unwrap();
        assert_eq!(
            req.params().wct.as_ref().unwrap().text,
            "2024-03-01T10:00:00Z"
        );
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["wtrealm"], "urn:app");
    }

    #[test]
    fn refuses_doctype_in_wresult_but_keeps_the_params() {
        let evil = r#"<!DOCTYPE r [<!ENTITY a "aaaa">]><t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">&a;</t:RequestSecurityTokenResponse>"#;
        let msg = decode_params(&[("wa", "wsignin1.0"), ("wresult", evil), ("wctx", "x")]).unwrap();
        let WsFedMessage::Response(r) = &msg else {
            panic!()
        };
        assert!(r.wresult_error.as_ref().is_some_and(SamlError::is_refused));
        assert_eq!(r.params.wctx.as_deref(), Some("x"));
        assert!(matches!(
            decode_wresult(evil),
            Err(WsFedError::Wresult(SamlError::Refused(_)))
        ));
    }
}
