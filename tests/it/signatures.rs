//! XML signatures checked against the xmlsec1 oracle: every signature of
//! the signed SAML samples in `../shared/corpus/saml`, and a copy of each
//! with one NameID character changed, as recorded by
//! `tests/fixtures/signatures/make_record.py` (xmlsec1.tsv). The eight
//! classic signature-wrapping permutations of a signed Response must not
//! come out valid.

use std::path::Path;

use base64::Engine as _;
use trace_inspect::signature::trust::{TrustedKey, cert_key};
use trace_inspect::signature::xmldsig::{Status, check_document};

use crate::common;

const RECORD: &str = include_str!("../fixtures/signatures/xmlsec1.tsv");

fn load(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("corpus file reads");
    let text = text.trim();
    if text.starts_with('<') {
        return text.to_owned();
    }
    let joined: String = text.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(joined)
        .expect("corpus base64 decodes");
    String::from_utf8(bytes).expect("utf-8 XML")
}

/// The rule make_record.py applies: the first letter or digit of the
/// first NameID's text becomes `x` (or `y` when it is an `x`).
fn tamper(xml: &str) -> Option<String> {
    let start = xml.find("NameID")?;
    let open_end = start + xml.get(start..)?.find('>')? + 1;
    let text_end = open_end + xml.get(open_end..)?.find('<')?;
    let (i, ch) = xml
        .get(open_end..text_end)?
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())?;
    let pos = open_end + i;
    let repl = if ch == 'x' { "y" } else { "x" };
    Some(format!(
        "{}{}{}",
        &xml[..pos],
        repl,
        &xml[pos + ch.len_utf8()..]
    ))
}

fn key_info_key(xml: &str) -> Option<TrustedKey> {
    let start = xml.find("X509Certificate>")? + "X509Certificate>".len();
    let end = start + xml[start..].find('<')?;
    let b64: String = xml[start..end].split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    cert_key(
        &der,
        trace_inspect::signature::trust::KeyUse::Signing,
        "test",
    )
}

#[test]
fn agrees_with_xmlsec1_on_every_recorded_signature() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut checked = 0;
    for line in RECORD.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, variant, index, verdict] = cols.as_slice() else {
            panic!("bad record line {line:?}");
        };
        let original = load(&corpus.join("saml").join(file));
        let xml = match *variant {
            "tampered" => tamper(&original).expect("the sample has a NameID"),
            _ => original.clone(),
        };
        let index: usize = index.parse().expect("index");
        let check = check_document(&xml, &[]).expect("parses");
        let sig = check
            .signatures
            .get(index - 1)
            .unwrap_or_else(|| panic!("{file}: signature {index} found"));
        assert_eq!(
            sig.cryptographically_sound,
            *verdict == "OK",
            "{file} {variant} signature {index}: xmlsec1 says {verdict}, we say {:?} ({:?})",
            sig.status,
            sig.reason
        );
        // With the signer's certificate trusted, a sound signature is
        // `valid` unless the SAML shape around it is wrong.
        let trusted: Vec<TrustedKey> = key_info_key(&original).into_iter().collect();
        let check = check_document(&xml, &trusted).expect("parses");
        let sig = &check.signatures[index - 1];
        if *verdict == "OK" && check.wrapping.is_empty() {
            assert_eq!(
                sig.status,
                Status::Valid,
                "{file} {variant} {index}: {:?}",
                sig.reason
            );
        } else {
            assert_ne!(sig.status, Status::Valid, "{file} {variant} {index}");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} rows checked");
}

/// `(start, end)` of the first `<{tag}` … `</{tag}>` in `xml`.
fn span(xml: &str, tag: &str) -> (usize, usize) {
    let start = xml.find(&format!("<{tag}")).expect("open tag");
    let close = format!("</{tag}>");
    let end = start + xml[start..].find(&close).expect("close tag") + close.len();
    (start, end)
}

fn without_signature(xml: &str) -> String {
    let (s, e) = span(xml, "ds:Signature");
    format!("{}{}", &xml[..s], &xml[e..])
}

/// The attacker's copy: no signature, another ID, another user.
fn evil(element: &str, id: &str) -> String {
    let e = without_signature(element).replacen(&format!("ID=\"{id}\""), "ID=\"_evil\"", 1);
    let (s, end) = span(&e, "saml:NameID");
    let open_end = s + e[s..].find('>').expect("NameID open tag") + 1;
    format!(
        "{}attacker@evil.example{}",
        &e[..open_end],
        &e[end - "</saml:NameID>".len()..]
    )
}

fn id_of(element: &str) -> String {
    let i = element.find(" ID=\"").expect("ID") + 5;
    element[i..i + element[i..].find('"').expect("quote")].to_owned()
}

/// Inserts `what` just before the first `</{tag}>`.
fn before_close(xml: &str, tag: &str, what: &str) -> String {
    let i = xml.find(&format!("</{tag}>")).expect("close tag");
    format!("{}{}{}", &xml[..i], what, &xml[i..])
}

/// Inserts `what` right after the first `</saml:Issuer>` of `xml`.
fn after_issuer(xml: &str, what: &str) -> String {
    let i = xml.find("</saml:Issuer>").expect("issuer") + "</saml:Issuer>".len();
    format!("{}{}{}", &xml[..i], what, &xml[i..])
}

/// The eight permutations of Somorovsky et al., "On Breaking SAML: Be
/// Whoever You Want to Be" (USENIX Security 2012) — XSW1 and 2 on a signed
/// Response, 3 to 8 on a signed Assertion.
fn permutations(response_signed: &str, assertion_signed: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // XSW1: an evil Response; the original (minus signature) inside the
    // signature's Object. XSW2: the original detached before the signature.
    let outer = evil(response_signed, &id_of(response_signed));
    let original = without_signature(response_signed);
    let (sig_s, sig_e) = span(response_signed, "ds:Signature");
    let signature = &response_signed[sig_s..sig_e];
    let in_object = before_close(
        signature,
        "ds:Signature",
        &format!("<ds:Object>{original}</ds:Object>"),
    );
    out.push(("XSW1", after_issuer(&outer, &in_object)));
    out.push((
        "XSW2",
        after_issuer(&outer, &format!("{original}{signature}")),
    ));

    // Assertion-level permutations.
    let (a_s, a_e) = span(assertion_signed, "saml:Assertion");
    let assertion = &assertion_signed[a_s..a_e];
    let ev = evil(assertion, &id_of(assertion));
    let head = &assertion_signed[..a_s];
    let tail = &assertion_signed[a_e..];
    let (ss, se) = span(assertion, "ds:Signature");
    let a_sig = &assertion[ss..se];
    let plain = without_signature(assertion);
    // XSW3: the evil assertion before the signed one.
    out.push(("XSW3", format!("{head}{ev}{assertion}{tail}")));
    // XSW4: the evil assertion wraps the signed one.
    let wrapper = before_close(&ev, "saml:Assertion", assertion);
    out.push(("XSW4", format!("{head}{wrapper}{tail}")));
    // XSW5: the evil assertion carries the signature; a copy of the
    // original follows it.
    out.push((
        "XSW5",
        format!("{head}{}{plain}{tail}", after_issuer(&ev, a_sig)),
    ));
    // XSW6: the original directly inside the signature the evil one carries.
    let sig_holding = before_close(a_sig, "ds:Signature", &plain);
    out.push((
        "XSW6",
        format!("{head}{}{tail}", after_issuer(&ev, &sig_holding)),
    ));
    // XSW7: the original in an Extensions element, the evil one after it.
    let is = head.find("<samlp:Response").expect("Response tag");
    let head_end = is + head[is..].find('>').expect("Response tag") + 1;
    out.push((
        "XSW7",
        format!(
            "{}<samlp:Extensions>{assertion}</samlp:Extensions>{}{ev}{tail}",
            &head[..head_end],
            &head[head_end..]
        ),
    ));
    // XSW8: the original (minus signature) in the signature's Object.
    let sig_object = before_close(
        a_sig,
        "ds:Signature",
        &format!("<ds:Object>{plain}</ds:Object>"),
    );
    out.push((
        "XSW8",
        format!("{head}{}{tail}", after_issuer(&ev, &sig_object)),
    ));
    out
}

#[test]
fn the_eight_wrapping_permutations_never_verify() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let response_signed =
        load(&corpus.join("saml/py3saml_valid_response_without_inresponseto.xml.base64"));
    let assertion_signed =
        load(&corpus.join("saml/passportsaml_onelogin_samlresponse_crlf_wrapped.b64"));
    let trusted: Vec<TrustedKey> = key_info_key(&response_signed)
        .into_iter()
        .chain(key_info_key(&assertion_signed))
        .collect();
    // The untouched samples are valid with their signer trusted.
    for xml in [&response_signed, &assertion_signed] {
        let check = check_document(xml, &trusted).expect("parses");
        assert_eq!(check.status, Status::Valid, "{:?}", check.reason);
    }
    for (name, xml) in permutations(&response_signed, &assertion_signed) {
        for keys in [&trusted[..], &[]] {
            let check = check_document(&xml, keys).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
            assert_eq!(check.status, Status::Invalid, "{name}: {:?}", check.reason);
            assert!(
                !check.wrapping.is_empty(),
                "{name}: no wrapping shape named"
            );
            // The signature itself still verifies: only the shape gives it away.
            assert!(
                check.signatures.iter().any(|s| s.cryptographically_sound),
                "{name}: the permutation broke the signature instead of wrapping it"
            );
            let read = check.assertions.iter().find(|a| a.read_by_sp);
            assert!(
                read.is_none_or(|a| a.status != Status::Valid),
                "{name}: the assertion an SP reads comes out valid"
            );
        }
    }
}

fn fixture(name: &str) -> String {
    common::root()
        .join("tests/fixtures/rules")
        .join(name)
        .display()
        .to_string()
}

fn analyze_json(args: &[&str]) -> serde_json::Value {
    let out = common::bin()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

#[test]
fn a_rollover_with_the_apps_certificate_names_both_certificates() {
    let old = fixture("keys/sp-retired.cert.pem");
    let r = analyze_json(&[&fixture("saml-signature-untrusted.har"), "--idp-cert", &old]);
    assert_eq!(r["verdict"]["category"], "signature");
    assert_eq!(r["verdict"]["code"], "saml-signature-untrusted");
    let f = &r["findings"][0];
    let msg = f["message"].as_str().expect("message");
    assert!(
        msg.contains("Lab SAML IdP") && msg.contains("sp-retired"),
        "{msg}"
    );
    // Every signature in the JSON carries a status.
    for m in r["messages"].as_array().expect("messages") {
        if let Some(s) = m.get("signature") {
            let status = s["status"].as_str().expect("status");
            assert!(
                ["valid", "untrusted_key", "invalid", "unverified", "absent"].contains(&status),
                "{status}"
            );
        }
    }
}

#[test]
fn an_encrypted_assertion_opens_with_the_sp_key_and_its_checks_run() {
    let key = fixture("keys/sp-current.key.pem");
    let r = analyze_json(&[&fixture("saml-encrypted.har"), "--sp-key", &key]);
    assert_eq!(r["verdict"]["status"], "ok", "{}", r["verdict"]);
    let posted = r["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["kind"] == "saml_response" && m["entry"] == 7)
        .expect("the ACS POST");
    assert_eq!(posted["assertions"][0]["decrypted"], true);
    assert!(
        posted["assertions"][0]["conditions"].is_object(),
        "the assertion is decoded"
    );
    assert_eq!(posted["signature"]["encrypted"][0]["outcome"], "decrypted");
    // The key itself never appears in any output.
    let pem = std::fs::read_to_string(&key).expect("key");
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .take(3)
        .collect();
    let out = common::bin()
        .args([
            &fixture("saml-encrypted.har"),
            "--sp-key",
            &key,
            "--format",
            "json",
            "--show-secrets",
        ])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&body[..40]));
}

#[test]
fn an_assertion_for_a_retired_key_is_encryption() {
    let key = fixture("keys/sp-current.key.pem");
    for args in [
        vec![fixture("saml-encrypted-retired.har")],
        vec![
            fixture("saml-encrypted-retired.har"),
            "--sp-key".into(),
            key,
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = analyze_json(&args);
        assert_eq!(
            r["verdict"]["category"], "encryption",
            "{args:?}: {}",
            r["verdict"]
        );
    }
}

#[test]
fn a_trust_file_that_does_not_parse_is_a_one_line_error_naming_it() {
    let bad = fixture("derive.py");
    for flag in ["--idp-cert", "--sp-key"] {
        let out = common::bin()
            .args([&fixture("saml-encrypted.har"), flag, &bad])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("derive.py"), "{err}");
        assert!(!err.contains("import"), "file content leaked: {err}");
    }
}
