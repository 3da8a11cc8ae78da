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
