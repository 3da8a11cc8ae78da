//! XML-DSig Core 1.0 (<https://www.w3.org/TR/xmldsig-core/>) validation of
//! the enveloped signatures SAML and WS-Federation use, and the structural
//! signature-wrapping checks an SP must make before trusting what it reads.
//!
//! Core validation (§3.2): "1. Reference Validation: Verify the
//! DigestValue in each Reference element of the SignedInfo. 2. Signature
//! Validation: Verify the SignatureValue over SignedInfo" — the digest is
//! computed over the referenced data after its Transforms (§4.4.3), the
//! signature over SignedInfo canonicalized with its CanonicalizationMethod
//! (§4.3.1, "The SignatureMethod is the algorithm that is used to convert
//! the canonicalized SignedInfo into the SignatureValue").
//!
//! References: §4.4.3.2 "URI="" identifies the node-set (minus any comment
//! nodes) of the XML resource containing the signature"; `URI="#id"`
//! "identifies a node-set containing the element with ID attribute value
//! 'id' and its descendants", again without comments (§4.4.3.3). The
//! enveloped-signature transform (§6.6.4) removes "the entire string of
//! characters used by an XML processor to match the Signature". When the
//! last transform leaves a node set, it is converted with inclusive C14N
//! 1.0 (§4.4.3.2).
//!
//! SAML core §5.4.2 fixes the shape: enveloped signatures, one Reference
//! to the ID of the element the signature sits in. Anything else — another
//! element's ID, two elements with one ID, an assertion the SP reads that
//! no valid signature covers — is signature wrapping (Somorovsky et al.,
//! "On Breaking SAML", USENIX Security 2012) and makes the status `invalid`.

use serde::Serialize;

use super::c14n::{self, Method};
use super::keys::{Hash, SigAlg};
use super::tree::{self, Element};
use super::trust::{KeyUse, TrustedKey, cert_key};
use crate::codec::base64::decode_wrapped;
use crate::decode::saml::Limits;
pub use crate::decode::signed::{AssertionSignature, KeyUsed, SignatureCheck, Status};

pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAML1: &str = "urn:oasis:names:tc:SAML:1.0:assertion";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

impl KeyUsed {
    pub fn from_trusted(k: &TrustedKey) -> Self {
        KeyUsed {
            kind: k.key.describe(),
            source: k.source.clone(),
            kid: k.kid.clone(),
            certificate: k.cert.clone(),
        }
    }
}

/// Everything learnt about one document's signatures.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentCheck {
    /// The message as a whole: the root's signature, else the status of
    /// what an SP reads (the assertion's), else `absent`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub signatures: Vec<SignatureCheck>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assertions: Vec<AssertionSignature>,
    /// Signature-wrapping shapes seen from the structure alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wrapping: Vec<String>,
}

/// Checks every signature of the XML document `xml` against `trusted`
/// (signing keys from the user or the capture).
pub fn check_document(xml: &str, trusted: &[TrustedKey]) -> Result<DocumentCheck, tree::TreeError> {
    let doc = tree::parse(xml, &Limits::default())?;
    Ok(check_tree(&doc.root, trusted, &[]))
}

/// [`check_document`] on a parsed tree; `published` are keys the IdP
/// publishes (capture metadata) that the user did not vouch for: a
/// signature they verify is `untrusted_key`, never `valid`.
pub fn check_tree(
    root: &Element,
    trusted: &[TrustedKey],
    published: &[TrustedKey],
) -> DocumentCheck {
    let all = root.walk();
    let mut signatures = Vec::new();
    for (path, el) in &all {
        let parent_path = path.get(..path.len().saturating_sub(1)).unwrap_or_default();
        if el.is(DS, "Signature") {
            signatures.push(check_signature(
                root,
                &all,
                path,
                parent_path,
                trusted,
                published,
            ));
        } else if el.local == "Signature"
            && el.ns.is_none()
            && el.elements().any(|c| c.local == "SignedInfo")
        {
            let mut c = check_signature(root, &all, path, parent_path, trusted, published);
            c.status = Status::Invalid;
            c.reason = Some(
                "the Signature element is in no namespace, not XML-DSig's (the document's namespace declarations were stripped or rewritten): no SP can verify it"
                    .into(),
            );
            signatures.push(c);
        }
    }
    let mut wrapping = duplicate_ids(&all);
    for s in &mut signatures {
        if let Some(cov) = &s.covered_path
            && *cov != s.parent_path
        {
            let why = format!(
                "the signature in <{}> references {} instead of the element it sits in (SAML core §5.4.2)",
                s.parent,
                s.covers
                    .as_deref()
                    .map_or("the whole document".to_owned(), |c| format!("#{c}"))
            );
            wrapping.push(why.clone());
            demote(s, why);
        }
    }
    let assertions = assertion_statuses(root, &all, &signatures, &mut wrapping);
    let root_sig = signatures.iter().find(|s| s.parent_path.is_empty());
    let read = assertions.iter().find(|a| a.read_by_sp);
    let (mut status, mut reason) = match (root_sig, read) {
        (Some(s), _) => (s.status, s.reason.clone()),
        (None, Some(a)) => (a.status, None),
        (None, None) => match signatures.first() {
            Some(s) => (s.status, s.reason.clone()),
            None => (Status::Absent, None),
        },
    };
    if !wrapping.is_empty() {
        status = Status::Invalid;
        reason = Some(format!("signature wrapping: {}", wrapping.join("; ")));
    }
    DocumentCheck {
        status,
        reason,
        signatures,
        assertions,
        wrapping,
    }
}

fn demote(s: &mut SignatureCheck, why: String) {
    s.status = Status::Invalid;
    s.reason = Some(match s.reason.take() {
        Some(r) => format!("{why}; {r}"),
        None => why,
    });
}

/// IDs carried by more than one element (XML-DSig resolves `#id` to one).
fn duplicate_ids(all: &[(Vec<usize>, &Element)]) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (_, e) in all {
        if let Some(id) = e.id() {
            *seen.entry(id).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, n)| format!("ID {id:?} is carried by {n} elements"))
        .collect()
}

fn is_assertion(e: &Element) -> bool {
    e.is(SAML, "Assertion") || e.is(SAML1, "Assertion")
}

/// Per-assertion status and the wrapping shapes around assertions: one
/// nested anywhere but directly in the Response, several assertions where
/// an unsigned one sits beside a signed one, or a read assertion that no
/// valid signature covers while another is signed.
fn assertion_statuses(
    root: &Element,
    all: &[(Vec<usize>, &Element)],
    sigs: &[SignatureCheck],
    wrapping: &mut Vec<String>,
) -> Vec<AssertionSignature> {
    let is_response = root.is(SAMLP, "Response") || root.local == "Response";
    let found: Vec<&(Vec<usize>, &Element)> = all.iter().filter(|(_, e)| is_assertion(e)).collect();
    if found.is_empty() || !is_response {
        return Vec::new();
    }
    let direct: Vec<&&(Vec<usize>, &Element)> =
        found.iter().filter(|(p, _)| p.len() == 1).collect();
    let nested = found.len() - direct.len();
    if nested > 0 {
        wrapping.push(format!(
            "{nested} assertion(s) sit elsewhere than directly in the Response (inside a Signature, Object, Extensions or another assertion)"
        ));
    }
    let response_sig = sigs
        .iter()
        .find(|s| s.parent_path.is_empty() && s.covered_path.as_deref() == Some(&[]));
    let mut out = Vec::new();
    let first_direct = direct.first().map(|(p, _)| p.clone());
    for (path, el) in &found {
        let own = sigs
            .iter()
            .find(|s| s.parent_path == *path && s.covered_path.as_ref() == Some(path));
        let (status, signed_by) = match (own, response_sig) {
            (Some(s), _) if s.status <= Status::UntrustedKey => (s.status, Some("assertion")),
            (_, Some(r)) if r.status <= Status::UntrustedKey => (r.status, Some("response")),
            (Some(s), _) => (s.status, Some("assertion")),
            (None, Some(r)) => (r.status, Some("response")),
            (None, None) => (Status::Absent, None),
        };
        out.push(AssertionSignature {
            id: el.id().map(str::to_owned),
            status,
            signed_by,
            read_by_sp: first_direct.as_ref() == Some(path),
        });
    }
    // Structure alone (no key needed): an assertion is protected when a
    // signature whose digests match covers it or the Response around it.
    let protects = |s: &SignatureCheck, path: &[usize]| {
        s.digest_ok
            && s.covered_path.as_deref() == Some(s.parent_path.as_slice())
            && (s.parent_path == path || (s.parent_path.is_empty() && path.len() == 1))
    };
    let protected: Vec<bool> = found
        .iter()
        .map(|(p, _)| sigs.iter().any(|s| protects(s, p)))
        .collect();
    let own_signed = found.iter().any(|(p, _)| {
        sigs.iter()
            .any(|s| s.digest_ok && s.parent_path == *p && s.covered_path.as_ref() == Some(p))
    });
    let unprotected = protected.iter().filter(|p| !**p).count();
    if own_signed && unprotected > 0 {
        wrapping.push(format!(
            "{unprotected} unsigned assertion(s) beside a signed one"
        ));
    }
    if let Some(i) = found
        .iter()
        .position(|(p, _)| first_direct.as_ref() == Some(p))
        && !protected.get(i).copied().unwrap_or(true)
        && own_signed
        && let Some(read) = out.get(i)
    {
        wrapping.push(format!(
            "the assertion an SP reads ({}) is not the signed one",
            read.id.as_deref().unwrap_or("no ID")
        ));
    }
    out
}

/// Validates one Signature element at `path`.
fn check_signature(
    root: &Element,
    all: &[(Vec<usize>, &Element)],
    path: &[usize],
    parent_path: &[usize],
    trusted: &[TrustedKey],
    published: &[TrustedKey],
) -> SignatureCheck {
    let sig = root.at(path);
    let parent = root
        .at(parent_path)
        .map(|p| p.local.clone())
        .unwrap_or_default();
    let mut check = SignatureCheck {
        status: Status::Invalid,
        reason: None,
        parent,
        covers: None,
        algorithm: None,
        key: None,
        key_info_certificate: None,
        trusted_tried: Vec::new(),
        uses_sha1: false,
        cryptographically_sound: false,
        digest_ok: false,
        covered_path: None,
        parent_path: parent_path.to_vec(),
    };
    let Some(sig) = sig else {
        check.reason = Some("signature element not found".into());
        return check;
    };
    // A copy made by `trace-inspect redact` replaces the value with a
    // marked pseudonym: nothing can be checked, and nothing is wrong.
    if sig
        .child(DS, "SignatureValue")
        .and_then(|v| decode_wrapped(v.text()).ok())
        .is_some_and(|v| v.starts_with(crate::secret::PSEUDONYM_MARKER))
    {
        check.status = Status::Unverified;
        check.reason =
            Some("the SignatureValue was redacted (a shared copy): it cannot be checked".into());
        check.digest_ok = true;
        if let Some(r) = sig
            .child(DS, "SignedInfo")
            .and_then(|si| si.child(DS, "Reference"))
            .and_then(|r| r.attr("URI"))
        {
            let id = r.trim_start_matches('#');
            check.covers = (!id.is_empty()).then(|| id.to_owned());
            check.covered_path = if id.is_empty() {
                Some(Vec::new())
            } else {
                all.iter()
                    .find(|(_, e)| e.id() == Some(id))
                    .map(|(p, _)| p.clone())
            };
        }
        return check;
    }
    let key_info_certs = key_info_certificates(sig);
    check.key_info_certificate = key_info_certs.first().and_then(|k| k.cert.clone());
    match validate(root, all, path, sig, &mut check) {
        Err(reason) => {
            check.reason = Some(reason);
            check
        }
        Ok((alg, signed_info, value)) => {
            let fitting: Vec<&TrustedKey> = trusted
                .iter()
                .filter(|k| k.usage.signs() && k.key.fits(alg))
                .collect();
            if let Some(k) = fitting
                .iter()
                .find(|k| k.key.verify(alg, signed_info.as_bytes(), &value))
            {
                check.status = Status::Valid;
                check.cryptographically_sound = true;
                check.key = Some(KeyUsed::from_trusted(k));
                return check;
            }
            check.trusted_tried = fitting.iter().map(|k| KeyUsed::from_trusted(k)).collect();
            if let Some(k) = published
                .iter()
                .filter(|k| k.usage.signs() && k.key.fits(alg))
                .find(|k| k.key.verify(alg, signed_info.as_bytes(), &value))
            {
                check.status = Status::UntrustedKey;
                check.cryptographically_sound = true;
                check.key = Some(KeyUsed::from_trusted(k));
                check.reason = Some(
                    "verifies with a key the IdP publishes in this capture, which is none of the trusted ones".into(),
                );
                return check;
            }
            if let Some(k) = key_info_certs
                .iter()
                .find(|k| k.key.verify(alg, signed_info.as_bytes(), &value))
            {
                check.key = Some(KeyUsed::from_trusted(k));
                check.cryptographically_sound = true;
                if fitting.is_empty() {
                    check.status = Status::Unverified;
                    check.reason = Some(
                        "no trusted key given: digest and signature verify with the KeyInfo certificate (integrity, not trust)"
                            .into(),
                    );
                } else {
                    check.status = Status::UntrustedKey;
                    check.reason = Some(
                        "verifies with the KeyInfo certificate, which is none of the trusted ones"
                            .into(),
                    );
                }
                return check;
            }
            match (fitting.is_empty(), key_info_certs.is_empty()) {
                (true, true) => {
                    check.status = Status::Unverified;
                    check.reason = Some(
                        "no key to check against: the digest matches, the signature value was not checked"
                            .into(),
                    );
                }
                (false, true) => {
                    check.reason =
                        Some("the signature value does not verify with any trusted key".into());
                }
                (_, false) => {
                    check.reason = Some(
                        "the signature value does not verify (SignedInfo modified, or signed with another key than its KeyInfo names)"
                            .into(),
                    );
                }
            }
            check
        }
    }
}

/// References and SignedInfo: returns (algorithm, canonical SignedInfo,
/// signature value) when every Reference digest matches.
fn validate(
    root: &Element,
    all: &[(Vec<usize>, &Element)],
    sig_path: &[usize],
    sig: &Element,
    check: &mut SignatureCheck,
) -> Result<(SigAlg, String, Vec<u8>), String> {
    let (si_index, signed_info) = sig
        .elements()
        .enumerate()
        .find(|(_, e)| e.is(DS, "SignedInfo"))
        .ok_or("no SignedInfo")?;
    let method_uri = signed_info
        .child(DS, "SignatureMethod")
        .and_then(|m| m.attr("Algorithm"))
        .ok_or("no SignatureMethod")?;
    check.algorithm = Some(
        method_uri
            .rsplit(['#', '/'])
            .next()
            .unwrap_or(method_uri)
            .to_owned(),
    );
    let alg = SigAlg::from_xml_uri(method_uri)
        .ok_or_else(|| format!("unsupported SignatureMethod {method_uri}"))?;
    check.uses_sha1 |= alg.hash() == Some(Hash::Sha1);
    let references: Vec<&Element> = signed_info
        .elements()
        .filter(|e| e.is(DS, "Reference"))
        .collect();
    if references.is_empty() {
        return Err("SignedInfo has no Reference".into());
    }
    for r in &references {
        reference(root, all, sig_path, r, check)?;
    }
    check.digest_ok = true;
    let c14n_el = signed_info
        .child(DS, "CanonicalizationMethod")
        .ok_or("no CanonicalizationMethod")?;
    let uri = c14n_el.attr("Algorithm").unwrap_or_default();
    let method = Method::from_uri(uri, prefix_list(c14n_el))
        .ok_or_else(|| format!("unsupported CanonicalizationMethod {uri}"))?;
    let mut si_path = sig_path.to_vec();
    si_path.push(si_index);
    let canonical = c14n::canonicalize(root, &si_path, &method, None).ok_or("SignedInfo lost")?;
    let value_text = sig
        .child(DS, "SignatureValue")
        .map(Element::text)
        .ok_or("no SignatureValue")?;
    let value =
        decode_wrapped(&value_text).map_err(|_| "SignatureValue is not base64".to_owned())?;
    Ok((alg, canonical, value))
}

/// Dereferences, transforms and digests one Reference.
fn reference(
    root: &Element,
    all: &[(Vec<usize>, &Element)],
    sig_path: &[usize],
    r: &Element,
    check: &mut SignatureCheck,
) -> Result<(), String> {
    let uri = r.attr("URI").unwrap_or_default();
    let target: Vec<usize> = if uri.is_empty() {
        Vec::new()
    } else if let Some(id) = uri.strip_prefix('#') {
        check.covers = Some(id.to_owned());
        let matches: Vec<&Vec<usize>> = all
            .iter()
            .filter(|(_, e)| e.id() == Some(id))
            .map(|(p, _)| p)
            .collect();
        match matches.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(format!(
                    "the Reference names #{id}, which no element carries"
                ));
            }
            many => {
                return Err(format!(
                    "the Reference names #{id}, which {} elements carry (signature wrapping)",
                    many.len()
                ));
            }
        }
    } else {
        return Err(format!("external Reference URI {uri:?} is not followed"));
    };
    check.covered_path = Some(target.clone());
    let mut exclude: Option<&[usize]> = None;
    let mut method = Method::Inclusive { comments: false };
    if let Some(transforms) = r.child(DS, "Transforms") {
        for t in transforms.elements().filter(|e| e.is(DS, "Transform")) {
            let alg = t.attr("Algorithm").unwrap_or_default();
            if alg == ENVELOPED {
                exclude = Some(sig_path);
            } else if let Some(m) = Method::from_uri(alg, prefix_list(t)) {
                method = m;
            } else {
                return Err(format!("unsupported Transform {alg}"));
            }
        }
    }
    // §4.4.3.3: a same-document reference yields a node set without comments.
    let method = method.without_comments();
    let data =
        c14n::canonicalize(root, &target, &method, exclude).ok_or("referenced element lost")?;
    let digest_uri = r
        .child(DS, "DigestMethod")
        .and_then(|d| d.attr("Algorithm"))
        .ok_or("no DigestMethod")?;
    let hash = Hash::from_uri(digest_uri)
        .ok_or_else(|| format!("unsupported DigestMethod {digest_uri}"))?;
    check.uses_sha1 |= hash == Hash::Sha1;
    let expected = r
        .child(DS, "DigestValue")
        .map(Element::text)
        .ok_or("no DigestValue")?;
    let expected = decode_wrapped(&expected).map_err(|_| "DigestValue is not base64".to_owned())?;
    if hash.digest(data.as_bytes()) != expected {
        return Err(format!(
            "the {} digest of {} does not match its DigestValue: the signed content was modified after signing",
            hash.name(),
            if uri.is_empty() {
                "the document".to_owned()
            } else {
                uri.to_owned()
            }
        ));
    }
    Ok(())
}

/// `ec:InclusiveNamespaces/@PrefixList` of a transform or c14n method.
fn prefix_list(el: &Element) -> Vec<String> {
    el.elements()
        .find(|e| e.local == "InclusiveNamespaces")
        .and_then(|e| e.attr("PrefixList"))
        .map(|l| {
            l.split_whitespace()
                .map(|p| {
                    if p == "#default" {
                        String::new()
                    } else {
                        p.to_owned()
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Keys from `KeyInfo/X509Data/X509Certificate` (and `KeyValue/RSAKeyValue`).
fn key_info_certificates(sig: &Element) -> Vec<TrustedKey> {
    let Some(ki) = sig.child(DS, "KeyInfo") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, e) in ki.walk() {
        if e.is(DS, "X509Certificate")
            && let Ok(der) = decode_wrapped(e.text())
            && let Some(k) = cert_key(&der, KeyUse::Signing, "KeyInfo")
        {
            out.push(k);
        }
        if e.is(DS, "RSAKeyValue") {
            let part = |n: &str| e.child(DS, n).and_then(|c| decode_wrapped(c.text()).ok());
            if let (Some(n), Some(x)) = (part("Modulus"), part("Exponent"))
                && let Some(key) = super::keys::PublicKey::rsa(&n, &x)
            {
                out.push(TrustedKey {
                    key,
                    cert: None,
                    kid: None,
                    usage: KeyUse::Signing,
                    source: "KeyInfo".into(),
                });
            }
        }
    }
    out
}
