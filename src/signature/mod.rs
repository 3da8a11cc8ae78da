//! Signature verification and decryption of identity messages: XML-DSig
//! over SAML / WS-Federation documents ([`xmldsig`]), the HTTP-Redirect
//! binding's query signature ([`redirect`]), JWS over JWTs ([`jws`]) and
//! XML-Enc for encrypted assertions ([`xmlenc`]), checked against trust
//! material ([`trust`]): what the user gives (`--idp-cert`, `--sp-key`) and
//! what the capture fetched (SAML metadata, JWKS).
//!
//! Trust rule: keys the user gives are *the app's* trusted keys. Keys the
//! capture fetched are what the IdP *publishes*; they are trusted only when
//! the user gave no signing key, and otherwise only tell a rollover apart
//! (a signature that verifies with a published key but none of the user's
//! is `untrusted_key`). A KeyInfo certificate proves integrity, never trust.
//!
//! Everything here is pure: bytes and structs in, statuses out, no I/O.

pub mod c14n;
pub mod capture;
pub mod jws;
pub mod keys;
pub mod redirect;
pub mod tree;
pub mod trust;
pub mod xmldsig;
pub mod xmlenc;

use crate::decode::saml::{Binding, SamlMessage};
pub use crate::decode::signed::MessageSignature;
use crate::decode::{Found, Message, Place};
pub use trust::Trust;
pub use xmldsig::Status;

/// The keys a check uses: `trusted` decides `valid`; `published` (capture
/// material the user did not vouch for) can only make `untrusted_key`.
#[derive(Debug, Clone, Default)]
pub struct KeySets {
    pub trusted: Vec<trust::TrustedKey>,
    pub published: Vec<trust::TrustedKey>,
}

impl KeySets {
    /// Splits user material and capture material by the trust rule above.
    pub fn new(user: &Trust, from_capture: Vec<trust::TrustedKey>) -> Self {
        if user.has_signing_keys() {
            KeySets {
                trusted: user.keys.clone(),
                published: from_capture,
            }
        } else {
            KeySets {
                trusted: from_capture,
                published: Vec::new(),
            }
        }
    }
}

/// Checks one decoded message. `raw_query` is the URL query it came in,
/// for the redirect binding. `None` for messages that carry no signature
/// notion (pages, plain OAuth parameters without tokens).
pub fn check_message(
    message: &Message,
    raw_query: Option<&str>,
    keys: &KeySets,
    user: &Trust,
) -> Option<MessageSignature> {
    match message {
        Message::Saml(m) => Some(check_saml(m, raw_query, keys, user)),
        Message::WsFed(crate::decode::wsfed::WsFedMessage::Response(r)) if !r.xml.is_empty() => {
            Some(check_xml(&r.xml, keys, user))
        }
        Message::Jwt(j) => Some(with_tokens(vec![jws::check(
            "jwt",
            j,
            &keys.trusted,
            &keys.published,
        )])),
        Message::Oidc(o) => {
            let tokens: Vec<_> = o
                .jwts()
                .into_iter()
                .map(|(name, j)| jws::check(name, j, &keys.trusted, &keys.published))
                .collect();
            (!tokens.is_empty()).then(|| with_tokens(tokens))
        }
        _ => None,
    }
}

fn with_tokens(tokens: Vec<jws::TokenSignature>) -> MessageSignature {
    let mut s = MessageSignature::absent();
    if let Some(first) = tokens.first() {
        s.status = first.status;
        s.reason.clone_from(&first.reason);
        s.key.clone_from(&first.key);
    }
    s.tokens = tokens;
    s
}

fn check_saml(
    m: &SamlMessage,
    raw_query: Option<&str>,
    keys: &KeySets,
    user: &Trust,
) -> MessageSignature {
    let mut s = check_xml(m.xml(), keys, user);
    let redirect = m
        .transport()
        .is_some_and(|t| t.binding == Binding::HttpRedirect);
    if redirect && let Some(q) = raw_query {
        s.query = redirect::check(q, &keys.trusted);
        if s.signatures.is_empty()
            && let Some(q) = &s.query
        {
            s.status = q.status;
            s.reason.clone_from(&q.reason);
            s.key.clone_from(&q.key);
        }
    }
    s
}

fn check_xml(xml: &str, keys: &KeySets, user: &Trust) -> MessageSignature {
    let doc = match tree::parse(xml, &crate::decode::saml::Limits::default()) {
        Ok(d) => d,
        Err(e) => {
            let mut s = MessageSignature::absent();
            if xml.contains("Signature") {
                s.status = Status::Invalid;
            }
            s.reason = Some(format!(
                "the XML could not be read for signature checking: {e}"
            ));
            return s;
        }
    };
    let check = xmldsig::check_tree(&doc.root, &keys.trusted, &keys.published);
    let mut s = MessageSignature::absent();
    s.status = check.status;
    s.reason = check.reason;
    s.signatures = check.signatures;
    s.assertions = check.assertions;
    s.wrapping = check.wrapping;
    // SP encryption certificates the capture's metadata names count too.
    let mut enc = user.clone();
    for k in keys.trusted.iter().chain(&keys.published) {
        if k.usage == trust::KeyUse::Encryption && !enc.keys.iter().any(|e| e.key == k.key) {
            enc.keys.push(k.clone());
        }
    }
    s.encrypted = xmlenc::open_all(&doc.root, &enc);
    for d in &mut s.encrypted {
        let Some(plain) = &d.plaintext else { continue };
        if let Ok(inner) = tree::parse(plain, &crate::decode::saml::Limits::default()) {
            let c = xmldsig::check_tree(&inner.root, &keys.trusted, &keys.published);
            d.signature = c.signatures.into_iter().find(|s| s.parent_path.is_empty());
        }
    }
    // An unsigned Response whose encrypted assertion carries the signature.
    if s.status == Status::Absent
        && let Some(inner) = s.encrypted.iter().find_map(|d| d.signature.as_ref())
    {
        s.status = inner.status;
        s.reason = Some(format!(
            "the decrypted assertion's signature: {}",
            inner.reason.as_deref().unwrap_or(inner.status.as_str())
        ));
    }
    if let Some((covers, key)) = s.deciding().map(|d| (d.covers.clone(), d.key.clone())) {
        s.covers = covers;
        s.key = key;
    }
    s
}

/// Checks every message of a capture in place (fills `Found::signature`).
pub fn check_all(
    found: &mut [Found],
    capture: &crate::capture::Capture<'_>,
    keys: &KeySets,
    user: &Trust,
) {
    for f in found.iter_mut() {
        let query = raw_query(f, capture);
        if let Some(s) = check_message(&f.message, query.as_deref(), keys, user) {
            f.signature = Some(Box::new(s));
        }
    }
}

/// Puts every decrypted assertion into its Response, marked as decrypted,
/// so every SAML check runs on it.
pub fn open_assertions(found: &mut [Found]) {
    for f in found.iter_mut() {
        let (Message::Saml(SamlMessage::Response(r)), Some(sig)) = (&mut f.message, &f.signature)
        else {
            continue;
        };
        for d in sig
            .encrypted
            .iter()
            .filter(|d| d.element == "EncryptedAssertion")
        {
            if let Some(a) = d
                .plaintext
                .as_deref()
                .and_then(crate::decode::saml::decode_decrypted_assertion)
            {
                r.assertions.push(a);
            }
        }
    }
}

/// The raw query string of the URL a message came in.
fn raw_query(f: &Found, capture: &crate::capture::Capture<'_>) -> Option<String> {
    let e = capture.entry(f.entry)?;
    let url = match f.place {
        Place::RequestUrl => e.request.url.to_string(),
        Place::Location => e.response.as_ref()?.location()?.to_owned(),
        _ => return None,
    };
    let q = url.split_once('?')?.1;
    Some(q.split('#').next().unwrap_or(q).to_owned())
}
