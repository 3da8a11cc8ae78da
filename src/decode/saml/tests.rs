//! Tests for the SAML decoder: namespaces and prefixes, refusal of DOCTYPE /
//! entities, bounds, every field of every message kind, JSON shape, text
//! rendering, and the shared corpus (`../shared/corpus`, skipped when
//! absent) checked against its MANIFEST facts.

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::*;
use crate::decode::TextOptions;
use crate::decode::encoding::parse_xs_datetime;

/// Self-signed test certificate (openssl req -x509, RSA 1024, serial 0x1A2B3C).
const CERT: &str = "
MIICQzCCAaygAwIBAgIDGis8MA0GCSqGSIb3DQEBCwUAMDwxHTAbBgNVBAMMFHRl
c3QtaWRwLmV4YW1wbGUuY29tMRswGQYDVQQKDBJUcmFjZSBJbnNwZWN0IFRlc3Qw
HhcNMjYxMTIzMTM1OTQ5WhcNMzYxMTIwMTM1OTQ5WjA8MR0wGwYDVQQDDBR0ZXN0
LWlkcC5leGFtcGxlLmNvbTEbMBkGA1UECgwSVHJhY2UgSW5zcGVjdCBUZXN0MIGf
MA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDOYH9aaCaqLx9u4wUdD8vPvuWs9+sZ
2KCUs2lM/Tkl1l4vcOjysIMs6KkIpc1KSCWq5kCWaxGeZRdZk4zJSR0wPS4WH1+H
bKIlA0WrrvDaPHoK/aSlT4w41FhzkuTA/lpLNIHdn++k2hh0R8XKEGIAdZzqe4fO
QisFMGwRByj+IwIDAQABo1MwUTAdBgNVHQ4EFgQUUiKvFA+0M7a1v6mWFulxRMU7
seAwHwYDVR0jBBgwFoAUUiKvFA+0M7a1v6mWFulxRMU7seAwDwYDVR0TAQH/BAUw
AwEB/zANBgkqhkiG9w0BAQsFAAOBgQBjWXgdfQsov0lVNbYH13w9ETRxF3k0S57h
uZX26IuG4ZWqsA57jbwnyOV7IsEHz/ZdKrwchPB4U+RaKVN154i9aNTPeP0HhbYb
uvu0RLJlYKZnTI+q1uQEfrGSlQ16QEGQ8QKzZRfIa3F1PwiDAYlphQ9yaZSlSGyp
FvjR6sdMfQ==";

fn signature(reference: &str) -> String {
    format!(
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><ds:Reference URI="{reference}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><ds:DigestValue>ZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>
U0lHTkFUVVJFVkFMVUU=
</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"#
    )
}

/// A Response exercising every field the decoder reads.
fn full_response() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"
    ID="_resp1" Version="2.0" IssueInstant="2024-01-18T06:16:48Z" Destination="https://sp.example.com/acs"
    InResponseTo="_req1" Consent="urn:oasis:names:tc:SAML:2.0:consent:unspecified">
  <saml2:Issuer>https://idp.example.com/</saml2:Issuer>
  {sig_resp}
  <saml2p:Status>
    <saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">
      <saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed">
        <saml2p:StatusCode Value="urn:example:custom:LockedOut"/>
      </saml2p:StatusCode>
    </saml2p:StatusCode>
    <saml2p:StatusMessage>AADSTS50053: locked &amp; loaded</saml2p:StatusMessage>
    <saml2p:StatusDetail><Cause xmlns="urn:example">too many attempts</Cause></saml2p:StatusDetail>
  </saml2p:Status>
  <saml2:Assertion ID="_a1" Version="2.0" IssueInstant="2024-01-18T06:16:48Z">
    <saml2:Issuer>https://idp.example.com/</saml2:Issuer>
    {sig_assertion}
    <saml2:Subject>
      <saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" NameQualifier="idp" SPNameQualifier="https://sp.example.com">alice@example.com</saml2:NameID>
      <saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml2:SubjectConfirmationData Recipient="https://sp.example.com/acs" NotOnOrAfter="2024-01-18T06:21:48Z" InResponseTo="_req1" Address="203.0.113.9"/>
      </saml2:SubjectConfirmation>
    </saml2:Subject>
    <saml2:Conditions NotBefore="2024-01-18T06:16:48Z" NotOnOrAfter="2024-01-18T07:26:48Z">
      <saml2:AudienceRestriction><saml2:Audience>https://sp.example.com</saml2:Audience><saml2:Audience>urn:other</saml2:Audience></saml2:AudienceRestriction>
      <saml2:OneTimeUse/>
      <saml2:ProxyRestriction Count="0"><saml2:Audience>urn:proxy</saml2:Audience></saml2:ProxyRestriction>
    </saml2:Conditions>
    <saml2:AuthnStatement AuthnInstant="2024-01-18T06:16:40Z" SessionIndex="_sess1" SessionNotOnOrAfter="2024-01-18T14:16:48Z">
      <saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext>
    </saml2:AuthnStatement>
    <saml2:AttributeStatement>
      <saml2:Attribute Name="groups" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic" FriendlyName="Groups">
        <saml2:AttributeValue>admins</saml2:AttributeValue><saml2:AttributeValue>users</saml2:AttributeValue>
      </saml2:Attribute>
    </saml2:AttributeStatement>
  </saml2:Assertion>
  <saml2:EncryptedAssertion>
    <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">
      <xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <xenc:EncryptedKey Recipient="https://sp.example.com">
          <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-1_5"/>
          <ds:KeyInfo><ds:KeyName>sp-enc-2024</ds:KeyName><ds:X509Data><ds:X509Certificate>{CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
          <xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData>
        </xenc:EncryptedKey>
      </ds:KeyInfo>
      <xenc:CipherData><xenc:CipherValue>BBBB</xenc:CipherValue></xenc:CipherData>
    </xenc:EncryptedData>
  </saml2:EncryptedAssertion>
</saml2p:Response>"#,
        sig_resp = signature("#_resp1"),
        sig_assertion = signature("#_a1"),
    )
}

fn response(m: &SamlMessage) -> &Response {
    match m {
        SamlMessage::Response(r) => r,
        other => panic!("expected a Response, got {}", other.kind()),
    }
}

fn text_of(m: &SamlMessage, opts: &TextOptions) -> String {
    let mut out = Vec::new();
    m.write_text(&mut out, opts).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn decodes_every_response_field() {
    let m = decode_document(&full_response()).unwrap();
    let r = response(&m);
    assert_eq!(r.id.as_deref(), Some("_resp1"));
    assert_eq!(r.version.as_deref(), Some("2.0"));
    assert_eq!(r.in_response_to.as_deref(), Some("_req1"));
    assert_eq!(r.destination.as_deref(), Some("https://sp.example.com/acs"));
    assert_eq!(
        r.consent.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:consent:unspecified")
    );
    assert_eq!(r.issuer.as_deref(), Some("https://idp.example.com/"));
    let iss = r.issue_instant.as_ref().unwrap();
    assert_eq!(iss.text, "2024-01-18T06:16:48Z");
    assert_eq!(iss.utc, parse_xs_datetime("2024-01-18T06:16:48Z"));

    // Status: top code, every sub code in document order, unknown kept.
    assert_eq!(
        r.status.chain(),
        "Responder > AuthnFailed > urn:example:custom:LockedOut"
    );
    assert_eq!(
        r.status.sub_codes[0].uri(),
        "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
    );
    assert!(!r.status.sub_codes[1].is_known());
    assert_eq!(
        r.status.message.as_deref(),
        Some("AADSTS50053: locked & loaded")
    );
    assert_eq!(r.status.detail.as_deref(), Some("too many attempts"));

    let a = &r.assertions[0];
    assert_eq!(a.id.as_deref(), Some("_a1"));
    assert!(a.signed);
    let s = a.subject.as_ref().unwrap();
    let n = s.name_id.as_ref().unwrap();
    assert_eq!(n.value, "alice@example.com");
    assert_eq!(n.format.as_ref().unwrap().short_name(), "emailAddress");
    assert_eq!(n.name_qualifier.as_deref(), Some("idp"));
    assert_eq!(
        n.sp_name_qualifier.as_deref(),
        Some("https://sp.example.com")
    );
    let c = &s.confirmations[0];
    assert_eq!(c.method.as_ref().unwrap().short_name(), "bearer");
    let d = c.data.as_ref().unwrap();
    assert_eq!(d.recipient.as_deref(), Some("https://sp.example.com/acs"));
    assert_eq!(d.in_response_to.as_deref(), Some("_req1"));
    assert_eq!(d.address.as_deref(), Some("203.0.113.9"));
    assert_eq!(
        d.not_on_or_after.as_ref().unwrap().text,
        "2024-01-18T06:21:48Z"
    );
    let cond = a.conditions.as_ref().unwrap();
    assert_eq!(
        cond.not_before.as_ref().unwrap().text,
        "2024-01-18T06:16:48Z"
    );
    assert_eq!(cond.audiences, ["https://sp.example.com", "urn:other"]);
    assert_eq!(cond.audience_restrictions, 1);
    assert!(cond.one_time_use);
    let pr = cond.proxy_restriction.as_ref().unwrap();
    assert_eq!(
        (pr.count.as_deref(), pr.audiences.as_slice()),
        (Some("0"), &["urn:proxy".to_owned()][..])
    );
    let st = &a.authn_statements[0];
    assert_eq!(st.session_index.as_deref(), Some("_sess1"));
    assert_eq!(
        st.session_not_on_or_after.as_ref().unwrap().text,
        "2024-01-18T14:16:48Z"
    );
    assert_eq!(
        st.authn_instant.as_ref().unwrap().text,
        "2024-01-18T06:16:40Z"
    );
    assert_eq!(
        st.authn_context_class_ref.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
    );
    let attr = &a.attributes[0];
    assert_eq!(attr.name, "groups");
    assert_eq!(attr.friendly_name.as_deref(), Some("Groups"));
    assert_eq!(
        attr.name_format.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:attrname-format:basic")
    );
    assert_eq!(attr.values, ["admins", "users"]);

    let e = &r.encrypted_assertions[0];
    assert_eq!(
        e.data_encryption_method.as_ref().unwrap().short_name(),
        "aes256-gcm"
    );
    assert_eq!(e.key_encryption_methods[0].short_name(), "rsa-1_5");
    assert!(e.key_encryption_methods[0].is_deprecated());
    assert_eq!(e.key_recipients, ["https://sp.example.com"]);
    assert_eq!(e.key_names, ["sp-enc-2024"]);
    assert_eq!(
        e.key_certificates[0].sha1_thumbprint.as_deref(),
        Some("EA4C0BFCF59DAA998C0001A99E31F10E2256CFA8")
    );
    assert!(
        r.notes.iter().any(|n| n.contains("2 assertions")),
        "{:?}",
        r.notes
    );
}

#[test]
fn describes_signatures_and_certificates() {
    let m = decode_document(&full_response()).unwrap();
    let sigs = m.signatures();
    let places: Vec<(&str, &str)> = sigs
        .iter()
        .map(|s| (s.parent.as_str(), s.path.as_str()))
        .collect();
    assert_eq!(
        places,
        [
            ("Response", "Response"),
            ("Assertion", "Response/Assertion")
        ]
    );
    let s = &sigs[0];
    assert_eq!(s.parent_id.as_deref(), Some("_resp1"));
    assert_eq!(s.reference_uris, ["#_resp1"]);
    assert!(s.reference_matches_parent);
    assert_eq!(
        s.signature_method.as_ref().unwrap().short_name(),
        "rsa-sha1"
    );
    assert!(s.signature_method.as_ref().unwrap().is_deprecated());
    assert_eq!(s.digest_method.as_ref().unwrap().short_name(), "sha1");
    assert_eq!(
        s.canonicalization_method.as_ref().unwrap().short_name(),
        "exc-c14n"
    );
    assert_eq!(s.transforms.len(), 2);
    assert_eq!(
        s.signature_value.as_ref().unwrap().expose(),
        "U0lHTkFUVVJFVkFMVUU="
    );
    let c = &s.certificates[0];
    assert_eq!(
        c.subject.as_deref(),
        Some("CN=test-idp.example.com, O=Trace Inspect Test")
    );
    assert_eq!(c.issuer, c.subject);
    assert_eq!(c.serial.as_deref(), Some("1A2B3C"));
    assert_eq!(
        c.not_before.unwrap().to_rfc3339(),
        "2026-11-23T13:59:49+00:00"
    );
    assert_eq!(
        c.not_after.unwrap().to_rfc3339(),
        "2036-11-20T13:59:49+00:00"
    );
    assert_eq!(
        c.sha1_thumbprint.as_deref(),
        Some("EA4C0BFCF59DAA998C0001A99E31F10E2256CFA8")
    );
    assert_eq!(
        c.sha256_thumbprint.as_deref(),
        Some(
            "077E0D81BD11A822EF87103CFC13EC65C06489 66EF9FAE2883A9E4BDC0E9EF54"
                .replace(' ', "")
                .as_str()
        )
    );
    assert!(c.note.is_none());
}

#[test]
fn keeps_certificate_parse_failures_as_notes() {
    let cases = [
        ("not_base64", "!!!", "not base64"),
        (
            "not_a_certificate",
            "aGVsbG8gd29ybGQ=",
            "could not be parsed",
        ),
    ];
    for (name, b64, expected) in cases {
        let c = parse_certificate(b64);
        assert!(
            c.note.as_deref().unwrap_or_default().contains(expected),
            "{name}: {c:?}"
        );
        assert!(c.subject.is_none(), "{name}");
    }
    assert!(
        parse_certificate("aGVsbG8gd29ybGQ=")
            .sha1_thumbprint
            .is_some()
    );
}

#[test]
fn flags_signature_reference_that_misses_its_parent() {
    let xml = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">{}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r"/></samlp:Response>"#,
        signature("#_evil")
    );
    let m = decode_document(&xml).unwrap();
    assert!(!m.signatures()[0].reference_matches_parent);
    let notes = m.notes().join("\n");
    assert!(
        notes.contains("references #_evil, not its parent's ID _r"),
        "{notes}"
    );
    assert!(notes.contains("ID \"_r\" appears on 2 elements"), "{notes}");
}

#[test]
fn decodes_whatever_the_prefixes() {
    let cases = [
        (
            "samlp_and_saml",
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x"><saml:Issuer>I</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a"/></samlp:Response>"#,
        ),
        (
            "saml2p_and_saml2",
            r#"<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x"><saml2:Issuer>I</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml2:Assertion ID="_a"/></saml2p:Response>"#,
        ),
        (
            "default_namespaces",
            r#"<Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">I</Issuer><Status><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></Status><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"/></Response>"#,
        ),
        (
            "entra_mixed_default_and_prefix",
            r#"<samlp:Response ID="_x" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">I</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><Assertion ID="_a" xmlns="urn:oasis:names:tc:SAML:2.0:assertion"/></samlp:Response>"#,
        ),
        (
            "no_namespace_at_all",
            r#"<Response ID="_x"><Issuer>I</Issuer><Status><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></Status><Assertion ID="_a"/></Response>"#,
        ),
        (
            "soap_envelope",
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x"><a:Issuer>I</a:Issuer><p:Status><p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></p:Status><a:Assertion ID="_a"/></p:Response></soap:Body></soap:Envelope>"#,
        ),
    ];
    for (name, xml) in cases {
        let m = decode_document(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = response(&m);
        assert_eq!(r.id.as_deref(), Some("_x"), "{name}");
        assert_eq!(r.issuer.as_deref(), Some("I"), "{name}");
        assert!(r.status.is_success(), "{name}");
        assert_eq!(r.assertions.len(), 1, "{name}");
    }
}

#[test]
fn ignores_lookalike_elements_in_other_namespaces() {
    let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"><x:Issuer xmlns:x="urn:other">evil</x:Issuer><x:Assertion xmlns:x="urn:other" ID="_a"/></samlp:Response>"#;
    let m = decode_document(xml).unwrap();
    assert_eq!(m.issuer(), None);
    assert!(m.assertions().is_empty());
}

#[test]
fn refuses_doctype_and_entities_without_expanding() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="&lol9;"/>"#;
    let xxe = r#"<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:StatusMessage>&xxe;</samlp:StatusMessage></samlp:Response>"#;
    let plain_doctype = r#"<!DOCTYPE Response SYSTEM "http://attacker.example/x.dtd"><Response/>"#;
    let cases: Vec<(&str, String, bool)> = vec![
        ("billion_laughs", billion_laughs.to_owned(), true),
        (
            "billion_laughs_base64",
            STANDARD.encode(billion_laughs),
            true,
        ),
        ("external_entity", xxe.to_owned(), true),
        ("doctype_without_entities", plain_doctype.to_owned(), false),
    ];
    for (name, input, entity) in cases {
        let start = Instant::now();
        let err = decode_value(&input, &BindingParams::default()).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{name} took {:?}",
            start.elapsed()
        );
        assert!(err.is_refused(), "{name}: {err}");
        let SamlError::Refused(reason) = &err else {
            unreachable!()
        };
        assert_eq!(
            matches!(reason, Refusal::EntityDeclaration { .. }),
            entity,
            "{name}: {reason}"
        );
        assert!(err.to_string().starts_with("refused: "), "{name}: {err}");
    }
}

#[test]
fn rejects_undeclared_entities_as_malformed() {
    let err = decode_document(r#"<Response ID="&foo;"/>"#).unwrap_err();
    assert!(matches!(err, SamlError::Malformed { .. }), "{err}");
    let err = decode_document(r#"<Response><Issuer>&foo;</Issuer></Response>"#).unwrap_err();
    assert!(err.to_string().contains("undefined entity &foo;"), "{err}");
}

#[test]
fn bounds_depth_and_element_count() {
    let nest = |depth: usize| {
        format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Extensions>{}{}</samlp:Extensions></samlp:Response>"#,
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        )
    };
    assert!(decode_document(&nest(200)).is_ok());
    let start = Instant::now();
    assert_eq!(
        decode_document(&nest(100_000)).unwrap_err(),
        SamlError::TooDeep { limit: 256 }
    );
    assert!(start.elapsed() < Duration::from_secs(2));

    let limits = Limits {
        max_elements: 50,
        ..Limits::default()
    };
    let many = format!(r#"<Response>{}</Response>"#, "<x/>".repeat(60));
    assert_eq!(
        decode_documents_with(&many, &limits).unwrap_err(),
        SamlError::TooManyElements { limit: 50 }
    );
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        decode_documents_with(&many, &small).unwrap_err(),
        SamlError::TooLarge { limit: 10 }
    );
}

#[test]
fn reports_broken_documents_saying_why() {
    let cases = [
        (
            "truncated",
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Status>"#,
            "ends inside <Status>",
        ),
        (
            "mismatched_end",
            "<Response><Issuer>x</Status></Response>",
            "not well-formed",
        ),
        (
            "not_saml",
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>"#,
            "not a SAML 2.0 protocol message",
        ),
        ("text_only", "just text", "not XML"),
        (
            "xml_without_elements",
            "<!-- only a comment -->",
            "no XML element",
        ),
        ("empty_value", "", "empty"),
    ];
    for (name, input, expected) in cases {
        let err = decode_value(input, &BindingParams::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn decodes_authn_request_with_redirect_binding_params() {
    let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
        ID="id6c1c178c1662" Version="2.0" IssueInstant="2024-01-18T06:16:40Z" Destination="https://login.microsoftonline.com/t/saml2"
        AssertionConsumerServiceURL="https://sp.example.com/acs" AssertionConsumerServiceIndex="1"
        ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ProviderName="Example SP" ForceAuthn="true" IsPassive="0">
      <saml:Issuer>https://sp.example.com</saml:Issuer>
      <saml:Subject><saml:NameID>bob</saml:NameID></saml:Subject>
      <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true" SPNameQualifier="https://sp.example.com"/>
      <samlp:RequestedAuthnContext Comparison="minimum">
        <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>
        <saml:AuthnContextClassRef>urn:example:mfa</saml:AuthnContextClassRef>
      </samlp:RequestedAuthnContext>
    </samlp:AuthnRequest>"#;
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut deflater, xml.as_bytes()).unwrap();
    let value = STANDARD.encode(deflater.finish().unwrap());
    let relay = "x".repeat(81);
    let params = BindingParams {
        binding: Binding::HttpRedirect,
        relay_state: Some(&relay),
        sig_alg: Some("http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"),
        signature: Some("c2lnbmF0dXJl"),
    };
    let m = decode_message(&value, &params).unwrap();
    let SamlMessage::AuthnRequest(r) = &m else {
        panic!("{}", m.kind())
    };
    assert_eq!(r.id.as_deref(), Some("id6c1c178c1662"));
    assert_eq!(r.version.as_deref(), Some("2.0"));
    assert_eq!(
        r.destination.as_deref(),
        Some("https://login.microsoftonline.com/t/saml2")
    );
    assert_eq!(
        r.assertion_consumer_service_url.as_deref(),
        Some("https://sp.example.com/acs")
    );
    assert_eq!(r.assertion_consumer_service_index.as_deref(), Some("1"));
    assert_eq!(
        r.protocol_binding.as_ref().unwrap().short_name(),
        "HTTP-POST"
    );
    assert_eq!(r.provider_name.as_deref(), Some("Example SP"));
    assert_eq!((r.force_authn, r.is_passive), (Some(true), Some(false)));
    assert_eq!(r.issuer.as_deref(), Some("https://sp.example.com"));
    assert!(r.subject_present);
    let p = r.name_id_policy.as_ref().unwrap();
    assert_eq!(p.format.as_ref().unwrap().short_name(), "persistent");
    assert_eq!(p.allow_create, Some(true));
    assert_eq!(
        p.sp_name_qualifier.as_deref(),
        Some("https://sp.example.com")
    );
    let rac = r.requested_authn_context.as_ref().unwrap();
    assert_eq!(rac.comparison.as_deref(), Some("minimum"));
    assert_eq!(rac.class_refs.len(), 2);
    assert!(r.signatures.is_empty());

    let t = r.transport.as_ref().unwrap();
    assert_eq!(t.binding, Binding::HttpRedirect);
    assert_eq!(t.encoding.summary, "base64+deflate");
    assert_eq!(t.sig_alg.as_ref().unwrap().short_name(), "rsa-sha256");
    assert_eq!(t.query_signature.as_ref().unwrap().expose(), "c2lnbmF0dXJl");
    assert!(
        t.notes.iter().any(|n| n.contains("RelayState is 81 bytes")),
        "{:?}",
        t.notes
    );

    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "saml_authn_request");
    assert_eq!(json["transport"]["query_signature"], "‹redacted 12 chars›");
    assert_eq!(
        json["transport"]["sig_alg"],
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    );
    assert_eq!(json["name_id_policy"]["allow_create"], true);
}

#[test]
fn notes_transport_that_breaks_its_binding() {
    let xml =
        r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l"/>"#;
    let b64 = STANDARD.encode(xml);
    let cases = [
        (
            Binding::HttpRedirect,
            b64.clone(),
            Some("x"),
            None,
            "not compressed",
        ),
        (
            Binding::HttpRedirect,
            b64.clone(),
            Some("x"),
            None,
            "Signature parameter is missing",
        ),
        (
            Binding::HttpPost,
            xml.to_owned(),
            None,
            None,
            "this value is raw XML",
        ),
        (
            Binding::HttpRedirect,
            b64.clone(),
            None,
            Some("s"),
            "SigAlg parameter is missing",
        ),
    ];
    for (binding, value, sig_alg, signature, expected) in cases {
        let params = BindingParams {
            binding,
            sig_alg,
            signature,
            ..BindingParams::default()
        };
        let m = decode_message(&value, &params).unwrap();
        let notes = m.transport().unwrap().notes.join("\n");
        assert!(notes.contains(expected), "{expected}: {notes}");
    }
}

#[test]
fn decodes_logout_request_and_response() {
    let req = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr" Version="2.0" IssueInstant="2024-01-18T06:16:48Z" Destination="https://idp/slo" NotOnOrAfter="2024-01-18T06:21:48Z" Reason="urn:oasis:names:tc:SAML:2.0:logout:user"><saml:Issuer>https://sp</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_t1</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex><samlp:SessionIndex>_s2</samlp:SessionIndex></samlp:LogoutRequest>"#;
    let m = decode_document(req).unwrap();
    let SamlMessage::LogoutRequest(r) = &m else {
        panic!()
    };
    assert_eq!(r.id.as_deref(), Some("_lr"));
    assert_eq!(r.destination.as_deref(), Some("https://idp/slo"));
    assert_eq!(r.issuer.as_deref(), Some("https://sp"));
    assert_eq!(r.name_id.as_ref().unwrap().value, "_t1");
    assert_eq!(r.session_indexes, ["_s1", "_s2"]);
    assert_eq!(
        r.not_on_or_after.as_ref().unwrap().text,
        "2024-01-18T06:21:48Z"
    );
    assert_eq!(
        r.reason.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:logout:user")
    );

    let resp = r#"<LogoutResponse xmlns="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lo" InResponseTo="_lr" Destination="https://sp/slo"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://idp</Issuer><Status><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/></StatusCode></Status></LogoutResponse>"#;
    let m = decode_document(resp).unwrap();
    assert_eq!(m.kind(), "saml_logout_response");
    assert_eq!(m.in_response_to(), Some("_lr"));
    assert_eq!(m.status().unwrap().chain(), "Success > PartialLogout");
}

#[test]
fn notes_comment_inside_name_id() {
    let xml = r#"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"><Subject><NameID>user@evil.com<!---->.example.com</NameID></Subject></Assertion>"#;
    let m = decode_document(xml).unwrap();
    assert_eq!(m.kind(), "saml_assertion");
    let a = &m.assertions()[0];
    assert_eq!(
        a.subject.as_ref().unwrap().name_id.as_ref().unwrap().value,
        "user@evil.com.example.com"
    );
    assert!(
        m.notes()
            .iter()
            .any(|n| n.contains("comment splits the NameID")),
        "{:?}",
        m.notes()
    );
}

#[test]
fn keeps_unparsable_times_and_booleans_as_notes() {
    let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" IssueInstant="yesterday" ForceAuthn="yes"/>"#;
    let m = decode_document(xml).unwrap();
    let SamlMessage::AuthnRequest(r) = &m else {
        panic!()
    };
    assert_eq!(r.issue_instant.as_ref().unwrap().text, "yesterday");
    assert!(r.issue_instant.as_ref().unwrap().utc.is_none());
    assert_eq!(r.force_authn, None);
    assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
}

#[test]
fn returns_every_concatenated_document() {
    let one = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>"#;
    let two = one.replace("_1", "_2");
    let blob = format!("{one}{two}<junk/>");
    let msgs = decode_documents(&blob).unwrap();
    let ids: Vec<_> = msgs.iter().map(|m| m.id().unwrap()).collect();
    assert_eq!(ids, ["_1", "_2"]);
    assert_eq!(msgs[1].xml(), two);
    let notes = msgs[0].notes().join("\n");
    assert!(
        notes.contains("holds 2 SAML documents") && notes.contains("<junk>"),
        "{notes}"
    );
}

#[test]
fn serializes_to_the_decode_json_contract() {
    let m = decode_document(&full_response()).unwrap();
    let json = serde_json::to_value(&m).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys[0], "kind");
    assert_eq!(json["kind"], "saml_response");
    assert_eq!(json["id"], "_resp1");
    assert_eq!(json["issuer"], "https://idp.example.com/");
    assert_eq!(json["destination"], "https://sp.example.com/acs");
    assert_eq!(json["in_response_to"], "_req1");
    assert_eq!(json["issue_instant"], "2024-01-18T06:16:48Z");
    assert_eq!(
        json["status"]["code"],
        "urn:oasis:names:tc:SAML:2.0:status:Responder"
    );
    assert_eq!(json["status"]["code_name"], "Responder");
    assert_eq!(
        json["status"]["sub_codes"][0],
        "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
    );
    assert_eq!(
        json["status"]["sub_code_names"][1],
        "urn:example:custom:LockedOut"
    );
    assert_eq!(json["status"]["message"], "AADSTS50053: locked & loaded");
    assert_eq!(
        json["assertions"][0]["subject"]["confirmations"][0]["data"]["recipient"],
        "https://sp.example.com/acs"
    );
    assert_eq!(
        json["assertions"][0]["conditions"]["audiences"][0],
        "https://sp.example.com"
    );
    assert_eq!(
        json["encrypted_assertions"][0]["data_encryption_method"],
        "http://www.w3.org/2009/xmlenc11#aes256-gcm"
    );
    assert_eq!(json["signatures"][0]["parent"], "Response");
    assert_eq!(
        json["signatures"][0]["signature_value"],
        "‹redacted 20 chars›"
    );
    assert_eq!(
        json["signatures"][0]["certificates"][0]["not_after"],
        "2036-11-20T13:59:49Z"
    );
    assert!(json.get("transport").is_none(), "None fields are omitted");
    assert!(json.get("xml").is_none());
    let shown = crate::secret::with_secrets_shown(true, || serde_json::to_value(&m).unwrap());
    assert_eq!(
        shown["signatures"][0]["signature_value"],
        "U0lHTkFUVVJFVkFMVUU="
    );
}

#[test]
fn renders_readable_text_with_relative_times_and_masked_secrets() {
    let m = decode_document(&full_response()).unwrap();
    let opts = TextOptions {
        show_secrets: false,
        reference_time: parse_xs_datetime("2024-01-18T08:30:00Z"),
    };
    let text = text_of(&m, &opts);
    // Values align in one column per section.
    let aligned = [
        "SAML Response",
        "  ID             _resp1",
        "  InResponseTo   _req1",
        "  IssueInstant   2024-01-18 06:16:48 UTC (2 h 13 min ago)",
        "  Status         Responder > AuthnFailed > urn:example:custom:LockedOut",
        "  StatusMessage  AADSTS50053: locked & loaded",
        "  Signed         Response, Assertion",
    ];
    for line in aligned {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    let collapsed: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let expected = [
        "NotOnOrAfter 2024-01-18 07:26:48 UTC (expired 1 h 3 min ago)",
        "NotOnOrAfter 2024-01-18 06:21:48 UTC (expired 2 h 8 min ago)",
        "SessionNotOnOrAfter 2024-01-18 14:16:48 UTC (expires in 5 h 46 min)",
        "Signature 1 on Response (its status: see Signatures)",
        "Signature 2 on Response/Assertion (its status: see Signatures)",
        "SignatureMethod rsa-sha1 (deprecated)",
        "SignatureValue ‹redacted 20 chars›",
        "SHA-1 EA4C0BFCF59DAA998C0001A99E31F10E2256CFA8",
        "Key transport rsa-1_5 (deprecated)",
        "XML",
        "<saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\"",
        "<ds:SignatureValue>‹redacted 20 chars›</ds:SignatureValue>",
    ];
    for line in expected {
        assert!(
            collapsed.iter().any(|l| l.starts_with(line)),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(!text.contains("U0lHTkFUVVJFVkFMVUU="), "{text}");
    let shown = text_of(
        &m,
        &TextOptions {
            show_secrets: true,
            ..opts
        },
    );
    assert!(
        shown.contains("  SignatureValue    U0lHTkFUVVJFVkFMVUU="),
        "{shown}"
    );
    assert!(
        shown.contains("<ds:SignatureValue>U0lHTkFUVVJFVkFMVUU=</ds:SignatureValue>"),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------

fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        None
    }
}

/// Decodes a corpus file the way the tool would meet it.
fn decode_corpus_file(path: &Path) -> DecodedValue {
    let content = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "json") {
        let json: serde_json::Value = serde_json::from_str(&content).unwrap();
        let field = |k: &str| json.get(k).and_then(|v| v.as_str());
        let value = field("SAMLRequest").or(field("SAMLResponse")).unwrap();
        let params = BindingParams {
            binding: Binding::HttpRedirect,
            relay_state: field("RelayState"),
            sig_alg: field("SigAlg"),
            signature: field("Signature"),
        };
        decode_value(value, &params).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    } else {
        decode_value(&content, &BindingParams::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

fn expected_kind(manifest_kind: &str) -> &'static str {
    let table = [
        ("SAML AuthnRequest", "saml_authn_request"),
        ("SAML Response", "saml_response"),
        ("SAML LogoutRequest", "saml_logout_request"),
        ("SAML LogoutResponse", "saml_logout_response"),
    ];
    table
        .iter()
        .find(|(prefix, _)| manifest_kind.starts_with(&format!("{prefix} ")))
        .map(|(_, k)| *k)
        .unwrap_or_else(|| panic!("unknown MANIFEST kind {manifest_kind:?}"))
}

/// Checks one `Key=Value` fact; `None` when the key is not a fact we know.
fn check_fact(m: &SamlMessage, key: &str, value: &str) -> Option<Result<(), String>> {
    let (value, prefix_only) = match value.strip_suffix("...") {
        Some(v) => (v, true),
        None => (value, key == "StatusMessage"),
    };
    let matches = |got: Option<&str>| match got {
        Some(g) if prefix_only => g.starts_with(value),
        Some(g) => g == value,
        None => false,
    };
    let first_assertion = m.assertions().first();
    let scd = first_assertion
        .and_then(|a| a.subject.as_ref())
        .and_then(|s| s.confirmations.first())
        .and_then(|c| c.data.as_ref());
    let cond = first_assertion.and_then(|a| a.conditions.as_ref());
    let encrypted = match m {
        SamlMessage::Response(r) => r.encrypted_assertions.len(),
        _ => 0,
    };
    let (ok, got): (bool, String) = match key {
        "StatusCode" => {
            let chain = m.status().map(Status::chain).unwrap_or_default();
            (chain == value, chain)
        }
        "StatusMessage" => {
            let msg = m.status().and_then(|s| s.message.as_deref());
            (matches(msg), format!("{msg:?}"))
        }
        "InResponseTo" => (
            matches(m.in_response_to()),
            format!("{:?}", m.in_response_to()),
        ),
        "Destination" => (matches(m.destination()), format!("{:?}", m.destination())),
        "Issuer" => (matches(m.issuer()), format!("{:?}", m.issuer())),
        "Signature" => {
            let places: Vec<&str> = m.signatures().iter().map(|s| s.parent.as_str()).collect();
            let got = if places.is_empty() {
                "none".to_owned()
            } else {
                places.join(",")
            };
            (got == value, got)
        }
        "Assertions" => {
            let n = m.assertions().len().to_string();
            (n == value, n)
        }
        "EncryptedAssertion" => (encrypted.to_string() == value, encrypted.to_string()),
        "SCD.InResponseTo" => {
            let v = scd.and_then(|d| d.in_response_to.as_deref());
            (matches(v), format!("{v:?}"))
        }
        "SCD.NotOnOrAfter" => {
            let v = scd
                .and_then(|d| d.not_on_or_after.as_ref())
                .map(|t| t.text.as_str());
            (matches(v), format!("{v:?}"))
        }
        "Cond.NotOnOrAfter" => {
            let v = cond
                .and_then(|c| c.not_on_or_after.as_ref())
                .map(|t| t.text.as_str());
            (matches(v), format!("{v:?}"))
        }
        "Audience" => {
            let auds = cond.map(|c| c.audiences.clone()).unwrap_or_default();
            (auds.iter().any(|a| matches(Some(a))), format!("{auds:?}"))
        }
        _ => return None,
    };
    Some(if ok {
        Ok(())
    } else {
        Err(format!("{key}: expected {value:?}, got {got}"))
    })
}

#[test]
fn corpus_files_decode_to_their_manifest_facts() {
    let Some(dir) = corpus_dir() else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut header = Vec::new();
    let mut files = 0;
    let mut facts = 0;
    let mut failures = Vec::new();
    for (i, line) in manifest.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if i == 0 {
            header = cols.iter().map(|c| (*c).to_owned()).collect();
            continue;
        }
        let col = |name: &str| {
            let idx = header.iter().position(|h| h == name).unwrap();
            cols.get(idx).copied().unwrap_or_default()
        };
        let local = col("local_name");
        if !local.starts_with("saml/") {
            continue;
        }
        files += 1;
        let decoded = decode_corpus_file(&dir.join(local));
        let kind = col("kind");
        // The encoding the MANIFEST names, e.g. "SAML Response (base64 (line-wrapped))".
        let summary = &decoded.encoding.summary;
        let enc_ok = if kind.contains("(raw XML)") {
            summary == "raw XML"
        } else if kind.contains("base64+deflate") {
            summary.ends_with("base64+deflate")
        } else if kind.contains("(base64 (line-wrapped))") {
            summary == "base64" && decoded.encoding.base64.is_some_and(|b| b.line_wrapped)
        } else {
            summary == "base64"
        };
        if !enc_ok {
            failures.push(format!(
                "{local}: encoding {summary:?} does not match {kind:?}"
            ));
        }
        let [m] = decoded.messages.as_slice() else {
            failures.push(format!("{local}: {} documents", decoded.messages.len()));
            continue;
        };
        if m.kind() != expected_kind(kind) {
            failures.push(format!("{local}: kind {} for {kind:?}", m.kind()));
        }
        for fact in col("expected_notable_facts").split("; ") {
            let Some((key, value)) = fact.split_once('=') else {
                continue;
            };
            if key.contains(' ') {
                continue;
            }
            match check_fact(m, key, value) {
                Some(Ok(())) => facts += 1,
                Some(Err(e)) => failures.push(format!("{local}: {e}")),
                None => failures.push(format!("{local}: unknown fact key {key:?}")),
            }
        }
        // Rendering and JSON never fail and never leak a SignatureValue.
        let text = text_of(m, &TextOptions::default());
        let json = serde_json::to_string(m).unwrap();
        for s in m.signatures() {
            if let Some(v) = s.signature_value.as_ref().filter(|v| v.expose().len() > 8) {
                assert!(
                    !text.contains(v.expose().as_str()),
                    "{local}: text leaks SignatureValue"
                );
                assert!(
                    !json.contains(v.expose().as_str()),
                    "{local}: JSON leaks SignatureValue"
                );
            }
        }
        if let Some(t) = m.transport()
            && let Some(q) = &t.query_signature
        {
            assert!(
                !json.contains(q.expose().as_str()),
                "{local}: JSON leaks the query Signature"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let on_disk = std::fs::read_dir(dir.join("saml")).unwrap().count();
    assert_eq!(files, on_disk, "every saml/ file in MANIFEST.tsv");
    assert!(facts > 150, "only {facts} facts checked");
}

#[test]
fn corpus_has_no_saml_file_missing_from_manifest() {
    let Some(dir) = corpus_dir() else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    for entry in std::fs::read_dir(dir.join("saml")).unwrap() {
        let name = format!("saml/{}", entry.unwrap().file_name().to_string_lossy());
        assert!(
            manifest
                .lines()
                .any(|l| l.starts_with(&format!("{name}\t"))),
            "{name} not in MANIFEST"
        );
    }
}

#[test]
fn entra_auto_post_page_holds_two_responses() {
    let Some(dir) = corpus_dir() else { return };
    let page = std::fs::read_to_string(dir.join("oidc/s2a_aad_SAMLResponse.html")).unwrap();
    let marker = r#"name="SAMLResponse" value=""#;
    let start = page.find(marker).unwrap() + marker.len();
    let value = &page[start..start + page[start..].find('"').unwrap()];
    let params = BindingParams {
        binding: Binding::HttpPost,
        ..BindingParams::default()
    };
    let decoded = decode_value(value, &params).unwrap();
    assert_eq!(decoded.encoding.summary, "base64");
    assert_eq!(decoded.messages.len(), 2);
    for m in &decoded.messages {
        let r = response(m);
        assert_eq!(
            r.id.as_deref(),
            Some("_a80fa312-e5e3-43d2-bf81-ad745d5b4826")
        );
        assert_eq!(
            r.destination.as_deref(),
            Some("https://signin.aws.amazon.com/saml")
        );
        assert_eq!(
            r.issuer.as_deref(),
            Some("https://sts.windows.net/25f4519b-eca5-405d-b516-123af862c268/")
        );
        assert!(r.status.is_success());
        assert_eq!(r.assertions.len(), 1);
        assert_eq!(r.signatures.len(), 1);
        assert_eq!(r.signatures[0].parent, "Assertion");
        assert!(r.signatures[0].reference_matches_parent);
        assert_eq!(r.transport.as_ref().unwrap().binding, Binding::HttpPost);
    }
    assert!(
        decoded.messages[0]
            .notes()
            .iter()
            .any(|n| n.contains("holds 2 SAML documents"))
    );
}
