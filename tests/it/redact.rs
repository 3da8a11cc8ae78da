//! `trace-inspect redact` end to end: hand-built Chrome-shaped HARs covering
//! every secret kind, regressions for each failure mode of regex-based HAR
//! sanitisers (invalid JSON, cookie names with `+` / `^`, tokens left in
//! bodies), SAML and JWT round trips, idempotence, "no original secret
//! anywhere in the output" (raw, JSON-escaped, base64, URL-encoded), a
//! property test, SAZ round trips (built here, and the public corpus read
//! in place), analysis equivalence on every corpus capture and sample
//! trace, and the binary's safe-writing contract.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use crate::common::{bin, corpus};
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{Value, json};
use trace_inspect::analysis::analyze;
use trace_inspect::capture::{CaptureError, Input, LoadOptions};
use trace_inspect::redact::policy::{self, Rule};
use trace_inspect::redact::{self, Key, Options, RedactError, Redacted};
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

// ---------------------------------------------------------------------------
// Helpers

fn key(seed: u8) -> Key {
    Key::from_bytes(&[seed; 32], true).unwrap()
}

fn load() -> LoadOptions {
    LoadOptions::default()
}

fn run(bytes: &[u8], seed: u8, pii: bool) -> Redacted {
    redact::redact(
        bytes,
        &load(),
        &Options {
            key: key(seed),
            pii,
            drop_unparsed: false,
        },
    )
    .unwrap()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn jwt(claims: &Value, signature: &[u8]) -> String {
    let header = json!({"alg": "RS256", "kid": "key-1", "typ": "JWT"});
    format!(
        "{}.{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes()),
        b64url(signature)
    )
}

fn id_token() -> String {
    jwt(
        &json!({
            "aud": "3f1c0000-0000-0000-0000-00000000app1",
            "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
            "exp": 1_900_000_000u64,
            "nonce": "nonce-123",
            "upn": "alice@contoso.com",
            "name": "Alice Smith",
            "ipaddr": "203.0.113.77",
            "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47"
        }),
        b"this-is-the-rsa-signature-of-the-id-token-0123456789",
    )
}

/// A signed SAML Response (the signature is only shaped like one).
const SAML_RESPONSE: &str = r##"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp-42" Version="2.0" IssueInstant="2026-11-20T09:04:12Z" InResponseTo="_authn-7" Destination="https://app.example/saml/acs"><saml:Issuer>https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_assert-9" Version="2.0" IssueInstant="2026-11-20T09:04:12Z"><saml:Issuer>https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_assert-9"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>ZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>U0FNTFNJR05BVFVSRVZBTFVFLXNlY3JldC1ieXRlcw==</ds:SignatureValue></ds:Signature><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alice@contoso.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="_authn-7" NotOnOrAfter="2026-11-20T09:09:12Z" Recipient="https://app.example/saml/acs"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-11-20T09:04:12Z" NotOnOrAfter="2026-11-20T10:04:12Z"><saml:AudienceRestriction><saml:Audience>https://app.example</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"><saml:AttributeValue>Alice Smith</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"##;

const SAML_SIGNATURE: &str = "U0FNTFNJR05BVFVSRVZBTFVFLXNlY3JldC1ieXRlcw==";

/// A LogoutRequest carrying an XML signature over the redirect binding
/// (which bindings §3.4.4.1 forbids, and SPs do anyway).
const LOGOUT_REQUEST: &str = r##"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_logout-5" Version="2.0" IssueInstant="2026-11-20T09:05:00Z" Destination="https://idp.example/slo"><saml:Issuer>https://app.example</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Reference URI="#_logout-5"/></ds:SignedInfo><ds:SignatureValue>TE9HT1VUU0lHTkFUVVJFLXNlY3JldA==</ds:SignatureValue></ds:Signature><saml:NameID>alice@contoso.com</saml:NameID></samlp:LogoutRequest>"##;

fn header(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn entry(request: Value, response: Value) -> Value {
    json!({
        "_initiator": {"type": "other"},
        "_resourceType": "document",
        "cache": {},
        "pageref": "page_1",
        "request": request,
        "response": response,
        "serverIPAddress": "20.190.151.7",
        "startedDateTime": "2026-11-20T10:04:11.123+01:00",
        "time": 120.5,
        "timings": {"blocked": 1, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1, "wait": 100, "receive": 19.4}
    })
}

fn request(method: &str, url: &str, headers: Vec<Value>, cookies: Vec<Value>) -> Value {
    json!({
        "method": method,
        "url": url,
        "httpVersion": "http/2.0",
        "headers": headers,
        "queryString": [],
        "cookies": cookies,
        "headersSize": -1,
        "bodySize": 0
    })
}

fn response(
    status: u16,
    headers: Vec<Value>,
    cookies: Vec<Value>,
    mime: &str,
    text: &str,
) -> Value {
    json!({
        "status": status,
        "statusText": "",
        "httpVersion": "http/2.0",
        "headers": headers,
        "cookies": cookies,
        "content": {"size": text.len(), "mimeType": mime, "text": text},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
        "_transferSize": 1234
    })
}

fn har(entries: Vec<Value>) -> Value {
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [{"startedDateTime": "2026-11-20T10:04:11.000+01:00", "id": "page_1", "title": "https://app.example/?code=page-title-code-77", "pageTimings": {}}],
            "entries": entries
        }
    })
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap()
}

const UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/// A Chrome-shaped OIDC + SAML sign-in carrying every secret kind.
fn full_har() -> Value {
    let idt = id_token();
    let at = jwt(
        &json!({"aud": "https://graph.microsoft.com", "scp": "User.Read", "upn": "alice@contoso.com"}),
        b"access-token-signature-bytes-abcdefghijklmnop",
    );
    let saml_post = b64(SAML_RESPONSE.as_bytes());
    let logout = b64(&deflate(LOGOUT_REQUEST.as_bytes()));
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretkey\n-----END PRIVATE KEY-----";
    let e1 = entry(
        request(
            "GET",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=3f1c0000-0000-0000-0000-00000000app1&redirect_uri=https%3A%2F%2Fapp.example%2Fsignin-oidc&response_type=code%20id_token&response_mode=form_post&scope=openid%20profile&state=state-abc-123&nonce=nonce-123&login_hint=alice%40contoso.com&client-request-id=51d2aaaa-0000-4000-8000-000000000001",
            vec![
                header("Host", "login.microsoftonline.com"),
                header("User-Agent", UA),
                header(
                    "Cookie",
                    "esctx=esctx-session-secret-1; a+b=plus-cookie-secret-2; x^y=caret-cookie-secret-3; fpc=fpc-cookie-secret-4",
                ),
                header(
                    "Referer",
                    "https://app.example/account/signin?code=referer-code-secret-5&state=state-abc-123",
                ),
                header("x-ms-RefreshTokenCredential", "prt-credential-secret-6"),
                header("sec-fetch-site", "cross-site"),
            ],
            vec![
                json!({"name": "esctx", "value": "esctx-session-secret-1", "path": "/", "domain": ".login.microsoftonline.com", "expires": "1969-12-31T23:59:59.000Z", "httpOnly": true, "secure": true, "sameSite": "None"}),
                json!({"name": "a+b", "value": "plus-cookie-secret-2"}),
                json!({"name": "x^y", "value": "caret-cookie-secret-3"}),
            ],
        ),
        response(
            200,
            vec![
                header("Content-Type", "text/html; charset=utf-8"),
                header("x-ms-request-id", "7a0c0000-1111-2222-3333-444444444444"),
                header(
                    "Set-Cookie",
                    "buid=buid-cookie-secret-7; expires=Fri, 20-Dec-2026 09:04:11 GMT; path=/; secure; HttpOnly; SameSite=None",
                ),
                header(
                    "Set-Cookie",
                    "esctx=esctx-new-secret-8; domain=.login.microsoftonline.com; path=/; secure; HttpOnly; SameSite=None",
                ),
            ],
            vec![
                json!({"name": "buid", "value": "buid-cookie-secret-7", "path": "/", "secure": true, "httpOnly": true, "sameSite": "None"}),
            ],
            "text/html",
            r#"<html><script>$Config={"sFT":"flowtoken-secret-9","sCtx":"ctx-secret-10","canary":"canary-secret-11","apiCanary":"apicanary-secret-12","correlationId":"51d2aaaa-0000-4000-8000-000000000001","sPOST_Username":"alice@contoso.com","urlPost":"/common/login?ctx=ctx-url-secret-13\u0026flowToken=ft"};</script></html>"#,
        ),
    );
    let mut e2 = entry(
        request(
            "POST",
            "https://login.microsoftonline.com/common/login",
            vec![
                header("Content-Type", "application/x-www-form-urlencoded"),
                header(
                    "Cookie",
                    "esctx=esctx-new-secret-8; buid=buid-cookie-secret-7",
                ),
                header("Origin", "https://login.microsoftonline.com"),
            ],
            vec![],
        ),
        response(
            200,
            vec![header("Content-Type", "text/html; charset=utf-8")],
            vec![],
            "text/html",
            &format!(
                r#"<html><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="https://app.example/signin-oidc"><input type="hidden" name="code" value="0.AUEA-auth-code-secret-14" /><input type="hidden" name="id_token" value="{idt}" /><input type="hidden" name="state" value="state-abc-123" /><input type="hidden" name="session_state" value="sess-state-1" /><noscript><input type="submit" value="Continue"/></noscript></form></body></html>"#
            ),
        ),
    );
    e2["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "text": "i13=0&login=alice%40contoso.com&loginfmt=alice%40contoso.com&type=11&passwd=P%40ssw0rd-secret-15%21&ctx=ctx-secret-10&hpgrequestid=hpg-7a0c&flowToken=flowtoken-secret-9&canary=canary-secret-11",
        "params": [
            {"name": "login", "value": "alice%40contoso.com"},
            {"name": "passwd", "value": "P%40ssw0rd-secret-15%21"},
            {"name": "flowToken", "value": "flowtoken-secret-9"}
        ]
    });
    let mut e3 = entry(
        request(
            "POST",
            "https://app.example/signin-oidc",
            vec![
                header("Content-Type", "application/x-www-form-urlencoded"),
                header(
                    "Cookie",
                    ".AspNetCore.OpenIdConnect.Nonce.CfDJ8=N; .AspNetCore.Correlation.xyz=correlation-cookie-secret-16",
                ),
                header("Origin", "https://login.microsoftonline.com"),
            ],
            vec![],
        ),
        response(
            302,
            vec![
                header(
                    "Location",
                    &format!(
                        "https://app.example/#access_token={at}&token_type=Bearer&expires_in=3599&state=state-abc-123"
                    ),
                ),
                header(
                    "Set-Cookie",
                    ".AspNetCore.Cookies=app-session-cookie-secret-17; path=/; secure; samesite=lax; httponly",
                ),
            ],
            vec![],
            "text/html",
            "",
        ),
    );
    e3["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "text": format!("code=0.AUEA-auth-code-secret-14&id_token={idt}&state=state-abc-123&session_state=sess-state-1")
    });
    e3["response"]["redirectURL"] = json!(format!(
        "https://app.example/#access_token={at}&state=state-abc-123"
    ));
    let mut e4 = entry(
        request(
            "POST",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
            vec![
                header("Content-Type", "application/json"),
                header("Authorization", "Basic Y2xpZW50OmJhc2ljLXBhc3N3b3JkLXNlY3JldC0xOA=="),
                header("Proxy-Authorization", "Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw-secret-19"),
                header("x-api-key", "api-key-secret-20"),
            ],
            vec![],
        ),
        response(
            400,
            vec![header("Content-Type", "application/json; charset=utf-8"), header("x-ms-request-id", "7a0c0000-1111-2222-3333-555555555555")],
            vec![],
            "application/json",
            &json!({
                "access_token": at,
                "refresh_token": "0.AUEA-refresh-token-secret-21",
                "id_token": idt,
                "error": "invalid_grant",
                "error_description": "AADSTS70008: The provided authorization code or refresh token has expired. Trace ID: 7a0c Correlation ID: 51d2 Timestamp: 2026-11-20 09:04:12Z",
                "error_codes": [70008],
                "correlation_id": "51d2aaaa-0000-4000-8000-000000000001",
                "private": pem
            })
            .to_string(),
        ),
    );
    e4["request"]["postData"] = json!({
        "mimeType": "application/json",
        "text": json!({"grant_type": "authorization_code", "code": "0.AUEA-auth-code-secret-14", "client_secret": "client-secret-value-22", "code_verifier": "pkce-verifier-secret-23", "password": "json-password-secret-24"}).to_string()
    });
    let mut e5 = entry(
        request(
            "POST",
            "https://app.example/saml/acs",
            vec![header(
                "Content-Type",
                "multipart/form-data; boundary=----WebKitFormBoundaryX",
            )],
            vec![],
        ),
        response(200, vec![], vec![], "text/html", "<html>ok</html>"),
    );
    e5["request"]["postData"] = json!({
        "mimeType": "multipart/form-data; boundary=----WebKitFormBoundaryX",
        "text": format!("------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\n{saml_post}\r\n------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"RelayState\"\r\n\r\nhttps://app.example/home\r\n------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"apikey\"\r\n\r\nmultipart-api-key-secret-25\r\n------WebKitFormBoundaryX--\r\n")
    });
    let e6 = entry(
        request(
            "GET",
            &format!(
                "https://idp.example/slo?SAMLRequest={}&RelayState=rs-1&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature={}",
                form_encode(&logout),
                form_encode(&b64(b"redirect-binding-query-signature-secret-26"))
            ),
            vec![header("Authorization", &format!("Bearer {at}"))],
            vec![],
        ),
        response(
            200,
            vec![header("Content-Type", "text/html")],
            vec![],
            "text/html",
            &format!(
                "<form method=\"post\" action=\"https://app.example/saml/acs\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"{saml_post}\"/><input type=\"hidden\" name=\"RelayState\" value=\"https://app.example/home?x=1&amp;y=2\"/></form>"
            ),
        ),
    );
    let mut e7 = entry(
        request(
            "GET",
            "https://app.example/api/me?api_key=query-api-key-secret-27&samlart=artifact-secret-28",
            vec![],
            vec![],
        ),
        response(
            200,
            vec![header("Content-Type", "application/json")],
            vec![],
            "application/json",
            "",
        ),
    );
    e7["response"]["content"] = json!({
        "size": 80,
        "mimeType": "application/json",
        "encoding": "base64",
        "text": b64(json!({"session_token": "b64-body-session-secret-29", "user": "alice"}).to_string().as_bytes())
    });
    e7["request"]["queryString"] = json!([
        {"name": "api_key", "value": "query-api-key-secret-27"},
        {"name": "samlart", "value": "artifact-secret-28"}
    ]);
    har(vec![e1, e2, e3, e4, e5, e6, e7])
}

/// Secrets a reader of `doc` could collect without knowing our policy's
/// internals: cookie values (headers and arrays), credentials, values of
/// secret-named parameters and JSON members, JWT signatures, SAML
/// signature values, at least 6 characters long.
fn collect_secrets(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |s: &str| {
        let s = s.trim();
        if s.len() >= 6 && !"REDACTED-cookie-REDACTED-code-".contains(s) {
            out.insert(s.to_owned());
        }
    };
    let entries = doc["log"]["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut texts: Vec<String> = Vec::new();
    for e in &entries {
        for side in ["request", "response"] {
            let msg = &e[side];
            for h in msg["headers"].as_array().cloned().unwrap_or_default() {
                let name = h["name"].as_str().unwrap_or_default().to_ascii_lowercase();
                let value = h["value"].as_str().unwrap_or_default().to_owned();
                match name.as_str() {
                    "cookie" => value
                        .split(';')
                        .filter_map(|p| p.split_once('=').map(|(_, v)| v.to_owned()))
                        .for_each(|v| add(&v)),
                    "set-cookie" => value.split('\n').for_each(|l| {
                        if let Some((_, v)) =
                            l.split(';').next().unwrap_or_default().split_once('=')
                        {
                            add(v);
                        }
                    }),
                    "authorization" | "proxy-authorization" => {
                        add(value.split_once(' ').map_or(value.as_str(), |(_, c)| c))
                    }
                    "x-api-key" | "x-ms-refreshtokencredential" => add(&value),
                    _ => texts.push(value),
                }
            }
            for c in msg["cookies"].as_array().cloned().unwrap_or_default() {
                add(c["value"].as_str().unwrap_or_default());
            }
            for key in ["url", "redirectURL"] {
                if let Some(s) = msg[key].as_str() {
                    texts.push(s.to_owned());
                }
            }
            if let Some(t) = msg["postData"]["text"].as_str() {
                texts.push(t.to_owned());
            }
            if let Some(t) = msg["content"]["text"].as_str() {
                if msg["content"]["encoding"] == "base64" {
                    let b = base64::engine::general_purpose::STANDARD.decode(t).unwrap();
                    texts.push(String::from_utf8_lossy(&b).into_owned());
                } else {
                    texts.push(t.to_owned());
                }
            }
        }
    }
    for t in &texts {
        // name=value pairs and "name":"value" members with secret names.
        for pair in t.split(['&', '?', '#', '\n', '"', '<', '>', ' ']) {
            if let Some((n, v)) = pair.split_once('=')
                && is_secret_name(n)
            {
                let decoded = url::form_urlencoded::parse(format!("v={v}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                add(&decoded);
            }
        }
        if let Ok(v) = serde_json::from_str::<Value>(t) {
            json_secrets(&v, &mut add);
        }
        for (i, _) in t.match_indices("name=\"") {
            let rest = &t[i + 6..];
            let name = rest.split('"').next().unwrap_or_default();
            if is_secret_name(name)
                && let Some(v) = rest.split("value=\"").nth(1)
            {
                add(v.split('"').next().unwrap_or_default());
            }
        }
        for w in t.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))) {
            let parts: Vec<&str> = w.split('.').collect();
            if w.starts_with("eyJ") && parts.len() == 3 {
                add(parts[2]);
            }
        }
        for (i, _) in t.match_indices("\"s") {
            let rest = &t[i + 1..];
            for k in ["sFT\":\"", "sCtx\":\"", "canary\":\"", "apiCanary\":\""] {
                if let Some(v) = rest.strip_prefix(k) {
                    add(v.split('"').next().unwrap_or_default());
                }
            }
        }
    }
    out
}

fn is_secret_name(name: &str) -> bool {
    !matches!(
        policy::param(name),
        Rule::Default | Rule::Keep | Rule::Pii(_) | Rule::Saml
    )
}

fn json_secrets(v: &Value, add: &mut impl FnMut(&str)) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::String(s) if is_secret_name(k) => add(s),
                    other => json_secrets(other, add),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| json_secrets(i, add)),
        _ => {}
    }
}

/// Every secret is absent from `output`, raw, JSON-escaped, base64- and
/// URL-encoded.
fn assert_absent(output: &[u8], secrets: &BTreeSet<String>) {
    let hay = output;
    let find = |needle: &[u8]| needle.len() >= 4 && hay.windows(needle.len()).any(|w| w == needle);
    for s in secrets {
        let json_escaped = serde_json::to_string(s).unwrap();
        let json_escaped = &json_escaped[1..json_escaped.len() - 1];
        let forms = [
            s.clone(),
            json_escaped.to_owned(),
            b64(s.as_bytes()),
            form_encode(s),
            s.replace('/', "%2F")
                .replace('+', "%2B")
                .replace('=', "%3D"),
        ];
        for f in forms {
            assert!(
                !find(f.as_bytes()),
                "secret {s:?} found in the output as {f:?}"
            );
        }
    }
}

fn parse_har(bytes: &[u8]) -> Value {
    let text = std::str::from_utf8(bytes).unwrap();
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

fn loads(bytes: Vec<u8>, options: &LoadOptions) -> usize {
    let input = Input::from_bytes(bytes, options).unwrap();
    input.parse("out", options).unwrap().exchanges.len()
}

fn diagnosis(bytes: Vec<u8>, options: &LoadOptions) -> Option<(String, BTreeSet<String>)> {
    let input = Input::from_bytes(bytes, options).ok()?;
    let capture = input.parse("x", options).ok()?;
    let a = analyze(&capture, options.limits);
    let v = &a.verdict;
    let verdict = format!(
        "{} {} {:?} {:?}",
        v.status.as_str(),
        v.category,
        v.code,
        v.entry
    );
    // Redaction replaces signature values with a marked pseudonym on purpose,
    // so a copy cannot show whether a signature verified: those findings
    // (and only those) may differ.
    const NEED_THE_SIGNATURE_VALUE: &[&str] = &[
        "saml-signature-invalid",
        "saml-signature-untrusted",
        "jwt-signature-invalid",
    ];
    let codes = a
        .findings
        .iter()
        .filter(|f| !NEED_THE_SIGNATURE_VALUE.contains(&f.code))
        .map(|f| format!("{}@{:?}", f.code, f.entry))
        .collect();
    Some((verdict, codes))
}

// ---------------------------------------------------------------------------
// HAR: every secret kind

#[test]
fn redacts_every_secret_kind_in_a_chrome_har() {
    let doc = full_har();
    let input = bytes(&doc);
    let secrets = collect_secrets(&doc);
    for expected in [
        "esctx-session-secret-1",
        "plus-cookie-secret-2",
        "caret-cookie-secret-3",
        "referer-code-secret-5",
        "prt-credential-secret-6",
        "flowtoken-secret-9",
        "0.AUEA-auth-code-secret-14",
        "P@ssw0rd-secret-15!",
        "client-secret-value-22",
        "query-api-key-secret-27",
        "b64-body-session-secret-29",
    ] {
        assert!(secrets.contains(expected), "collector missed {expected}");
    }
    let out = run(&input, 1, false);
    assert_absent(&out.bytes, &secrets);
    for extra in [
        "ctx-url-secret-13",
        "page-title-code-77",
        "multipart-api-key-secret-25",
        "artifact-secret-28",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretkey",
        SAML_SIGNATURE,
        "this-is-the-rsa-signature",
    ] {
        assert_absent(&out.bytes, &BTreeSet::from([extra.to_owned()]));
    }
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    let red = parse_har(&out.bytes);
    // Kept: what the diagnosis reads.
    for kept in [
        "state=state-abc-123",
        "nonce=nonce-123",
        "client_id=3f1c0000-0000-0000-0000-00000000app1",
        "redirect_uri=https%3A%2F%2Fapp.example%2Fsignin-oidc",
        "login_hint=alice%40contoso.com",
        "7a0c0000-1111-2222-3333-444444444444",
        "51d2aaaa-0000-4000-8000-000000000001",
        "AADSTS70008",
        "hpgrequestid=hpg-7a0c",
        "RelayState=rs-1",
        "SameSite=None",
        "samesite=lax",
        "2026-11-20T10:04:11.123+01:00",
        "Basic REDACTED-authorization-",
        "Negotiate REDACTED-authorization-",
        "Bearer eyJ",
    ] {
        assert!(text.contains(kept), "{kept} was lost");
    }
    // Same entries, statuses, header names / order / counts, cookie names.
    let (a, b) = (&doc["log"]["entries"], &red["log"]["entries"]);
    assert_eq!(a.as_array().unwrap().len(), b.as_array().unwrap().len());
    for (x, y) in a.as_array().unwrap().iter().zip(b.as_array().unwrap()) {
        assert_eq!(x["response"]["status"], y["response"]["status"]);
        for side in ["request", "response"] {
            let names = |v: &Value, k: &str| -> Vec<Value> {
                v[side][k]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["name"].clone())
                    .collect()
            };
            assert_eq!(names(x, "headers"), names(y, "headers"));
            assert_eq!(names(x, "cookies"), names(y, "cookies"));
        }
        assert_eq!(x["startedDateTime"], y["startedDateTime"]);
        assert_eq!(
            x["response"]["content"]["size"],
            y["response"]["content"]["size"]
        );
    }
    assert_eq!(loads(out.bytes.clone(), &load()), 7);
    // The receipt counts by kind and place.
    let r = &out.receipt;
    for kind in [
        redact::Kind::Cookie,
        redact::Kind::Authorization,
        redact::Kind::Password,
        redact::Kind::Secret,
        redact::Kind::Code,
        redact::Kind::Token,
        redact::Kind::JwtSignature,
        redact::Kind::SamlSignature,
        redact::Kind::PrivateKey,
    ] {
        assert!(
            r.by_kind.get(&kind).copied().unwrap_or(0) > 0,
            "no {kind:?} counted"
        );
    }
    for place in [
        redact::Place::Cookie,
        redact::Place::SetCookie,
        redact::Place::RequestHeader,
        redact::Place::Query,
        redact::Place::Fragment,
        redact::Place::Form,
        redact::Place::JsonBody,
        redact::Place::HtmlBody,
        redact::Place::Saml,
        redact::Place::Multipart,
    ] {
        assert!(
            r.by_place.get(&place).copied().unwrap_or(0) > 0,
            "nothing at {place:?}"
        );
    }
    assert_eq!(r.total, r.by_kind.values().sum::<u64>());
}

#[test]
fn equal_values_get_equal_pseudonyms_across_places() {
    let out = run(&bytes(&full_har()), 1, false);
    let red = parse_har(&out.bytes);
    let header_cookie = red["log"]["entries"][0]["request"]["headers"][2]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let array_cookie = red["log"]["entries"][0]["request"]["cookies"][0]["value"]
        .as_str()
        .unwrap();
    assert!(header_cookie.starts_with(&format!("esctx={array_cookie};")));
    let text = String::from_utf8(out.bytes).unwrap();
    // The code in the auto-post page, the callback body and the token request.
    let k = key(1);
    let code = k.opaque("code", "0.AUEA-auth-code-secret-14");
    assert!(text.matches(&code).count() >= 3, "{code}");
}

#[test]
fn analysis_of_the_redacted_fixture_is_the_same() {
    let input = bytes(&full_har());
    let out = run(&input, 1, true);
    assert_eq!(diagnosis(input, &load()), diagnosis(out.bytes, &load()));
}

// ---------------------------------------------------------------------------
// Regressions for regex-based sanitisers

#[test]
fn regression_output_is_valid_json_with_hostile_values() {
    let hostile = [
        "quote\"inside-cookie",
        "back\\slash\\\\value",
        "new\nline\r\nvalue",
        "\"fully-quoted\"",
        "tab\tand\u{0001}control",
        "}]},{\"injected\":\"json",
    ];
    let cookie_header = hostile
        .iter()
        .enumerate()
        .map(|(i, v)| format!("c{i}={}", v.replace(['\n', '\r', ';'], "_")))
        .collect::<Vec<_>>()
        .join("; ");
    let cookies: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"name": format!("c{i}"), "value": v}))
        .collect();
    let set_cookies: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(i, v)| {
            header(
                "Set-Cookie",
                &format!("s{i}={}; Path=/; Secure", v.replace(';', "_")),
            )
        })
        .collect();
    let mut e = entry(
        request(
            "GET",
            "https://app.example/?code=a%22b%5Cc%0Ad-code",
            vec![header("Cookie", &cookie_header)],
            cookies,
        ),
        response(
            200,
            set_cookies,
            vec![],
            "application/json",
            r#"{"access_token":"tok\"en\\with\nescapes"}"#,
        ),
    );
    e["request"]["postData"] =
        json!({"mimeType": "application/json", "text": "{\"password\":\"pa\\\"ss\\\\word\\n\"}"});
    let doc = har(vec![e]);
    let out = run(&bytes(&doc), 2, false);
    let red: Value = serde_json::from_slice(&out.bytes).expect("the output is valid JSON");
    let text = serde_json::to_string(&red).unwrap();
    for v in hostile {
        let escaped = serde_json::to_string(v).unwrap();
        assert!(
            !text.contains(&escaped[1..escaped.len() - 1]),
            "{v:?} survived"
        );
    }
    for gone in ["a\\\"b\\\\c", "tok\\\"en", "pa\\\"ss"] {
        assert!(!text.contains(gone), "{gone}");
    }
    assert_eq!(loads(out.bytes, &load()), 1);
}

#[test]
fn regression_cookie_names_with_plus_and_caret_are_redacted_everywhere() {
    let e = entry(
        request(
            "GET",
            "https://app.example/",
            vec![header(
                "Cookie",
                "a+b=plus-value-123456; x^y=caret-value-123456; ok=plain-value-123456",
            )],
            vec![
                json!({"name": "a+b", "value": "plus-value-123456"}),
                json!({"name": "x^y", "value": "caret-value-123456"}),
            ],
        ),
        response(
            200,
            vec![
                header("Set-Cookie", "a+b=plus-set-123456; Path=/; SameSite=Lax"),
                header(
                    "set-cookie",
                    "x^y=caret-set-123456; Secure\nz%2B=encoded-set-123456; HttpOnly",
                ),
            ],
            vec![
                json!({"name": "a+b", "value": "plus-set-123456", "sameSite": "Lax"}),
                json!({"name": "x^y", "value": "caret-set-123456"}),
            ],
            "text/html",
            "",
        ),
    );
    let out = run(&bytes(&har(vec![e])), 3, false);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    for gone in [
        "plus-value-123456",
        "caret-value-123456",
        "plain-value-123456",
        "plus-set-123456",
        "caret-set-123456",
        "encoded-set-123456",
    ] {
        assert!(!text.contains(gone), "{gone}");
    }
    for kept in [
        "\"a+b=REDACTED-cookie-",
        "; x^y=REDACTED-cookie-",
        "a+b=REDACTED-cookie-",
        "; Path=/; SameSite=Lax",
        "\\nz%2B=REDACTED-cookie-",
        "\"name\": \"x^y\"",
    ] {
        assert!(text.contains(kept), "{kept} missing:\n{text}");
    }
    assert_eq!(out.receipt.by_kind[&redact::Kind::Cookie], 10);
}

#[test]
fn regression_tokens_in_response_and_json_request_bodies() {
    let idt = id_token();
    let mut e1 = entry(
        request("POST", "https://login.example/token", vec![header("Content-Type", "application/json")], vec![]),
        response(
            200,
            vec![header("Content-Type", "application/json")],
            vec![],
            "application/json",
            &json!({"token_type": "Bearer", "access_token": "opaque-access-token-abcdef", "refresh_token": "opaque-refresh-token-abcdef", "expires_in": 3599, "id_token": idt}).to_string(),
        ),
    );
    e1["request"]["postData"] = json!({"mimeType": "application/json; charset=utf-8", "text": json!({"client_id": "app", "refresh_token": "request-refresh-token-abcdef", "nested": [{"client_secret": "nested-client-secret-abcdef"}]}).to_string()});
    let e2 = entry(
        request("GET", "https://login.example/authorize", vec![], vec![]),
        response(
            200,
            vec![],
            vec![],
            "text/html; charset=utf-8",
            &format!(
                "<form method=post action=\"https://app.example/cb\"><input type='hidden' name='id_token' value='{idt}'><INPUT TYPE=\"hidden\" NAME=\"access_token\" VALUE=\"html-opaque-token-abcdef\"></form>"
            ),
        ),
    );
    let doc = har(vec![e1, e2]);
    let out = run(&bytes(&doc), 4, false);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    for gone in [
        "opaque-access-token-abcdef",
        "opaque-refresh-token-abcdef",
        "request-refresh-token-abcdef",
        "nested-client-secret-abcdef",
        "html-opaque-token-abcdef",
        idt.split('.').nth(2).unwrap(),
    ] {
        assert!(!text.contains(gone), "{gone}");
    }
    let red = parse_har(&out.bytes);
    let body: Value = serde_json::from_str(
        red["log"]["entries"][0]["response"]["content"]["text"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["token_type"], "Bearer");
    assert_absent(&out.bytes, &collect_secrets(&doc));
}

// ---------------------------------------------------------------------------
// Protocol messages

fn saml_messages(value: &str) -> Vec<trace_inspect::decode::saml::SamlMessage> {
    trace_inspect::decode::saml::decode_value(value, &Default::default())
        .unwrap()
        .messages
}

#[test]
fn saml_post_and_redirect_messages_still_decode_with_their_ids() {
    let out = run(&bytes(&full_har()), 5, false);
    let red = parse_har(&out.bytes);
    // POST binding (multipart body and auto-post page): base64, same IDs.
    let post = red["log"]["entries"][4]["request"]["postData"]["text"]
        .as_str()
        .unwrap();
    let value = post
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .next()
        .unwrap();
    let decoded = trace_inspect::decode::saml::decode_value(value, &Default::default()).unwrap();
    assert_eq!(decoded.encoding.summary, "base64");
    let m = &decoded.messages[0];
    assert_eq!(m.id(), Some("_resp-42"));
    assert_eq!(m.in_response_to(), Some("_authn-7"));
    assert_eq!(m.signatures().len(), 1, "the Signature element stays");
    assert!(!decoded.xml.contains(SAML_SIGNATURE));
    let kept = SAML_RESPONSE.replace(SAML_SIGNATURE, "");
    let redacted_xml = decoded.xml.split("<ds:SignatureValue>").collect::<Vec<_>>();
    assert!(
        kept.starts_with(redacted_xml[0]),
        "the XML before the signature is byte-identical"
    );
    let page = red["log"]["entries"][5]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    let in_page = page
        .split("name=\"SAMLResponse\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(in_page, value, "equal messages stay equal");
    assert!(page.contains("value=\"https://app.example/home?x=1&amp;y=2\""));
    // Redirect binding: deflated again, query signature replaced.
    let url = red["log"]["entries"][5]["request"]["url"].as_str().unwrap();
    let params: Vec<(String, String)> = url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let redirect =
        trace_inspect::decode::saml::decode_value(&get("SAMLRequest"), &Default::default())
            .unwrap();
    assert_eq!(redirect.encoding.summary, "base64+deflate");
    assert_eq!(redirect.messages[0].id(), Some("_logout-5"));
    assert!(!redirect.xml.contains("TE9HT1VUU0lHTkFUVVJFLXNlY3JldA=="));
    assert!(
        redirect.xml.contains("alice@contoso.com"),
        "no --pii: NameID kept"
    );
    assert!(get("Signature").starts_with("UkVEQUNURUQ6"));
    assert_eq!(get("RelayState"), "rs-1");
    assert!(get("SigAlg").ends_with("rsa-sha256"));
}

#[test]
fn pii_replaces_names_in_assertions_claims_forms_and_addresses() {
    let input = bytes(&full_har());
    let out = run(&input, 6, true);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    for gone in [
        "alice@contoso.com",
        "alice%40contoso.com",
        "Alice Smith",
        "20.190.151.7",
    ] {
        assert!(!text.contains(gone), "{gone}");
    }
    let red = parse_har(&out.bytes);
    let post = red["log"]["entries"][4]["request"]["postData"]["text"]
        .as_str()
        .unwrap();
    let value = post
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .next()
        .unwrap();
    let m = &saml_messages(value)[0];
    assert_eq!(m.id(), Some("_resp-42"));
    let decoded = trace_inspect::decode::saml::decode_value(value, &Default::default()).unwrap();
    assert!(decoded.xml.contains("@contoso.com</saml:NameID>"));
    assert!(!decoded.xml.contains("Alice Smith") && !decoded.xml.contains(">alice@"));
    // JWT claims: personal ones replaced, the rest kept.
    let page = red["log"]["entries"][1]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    let token = page
        .split("name=\"id_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(claims["upn"].as_str().unwrap().starts_with("redacted-"));
    assert!(
        claims["name"]
            .as_str()
            .unwrap()
            .starts_with("redacted-name-")
    );
    assert!(
        claims["ipaddr"].as_str().unwrap().starts_with("24")
            || claims["ipaddr"].as_str().unwrap().starts_with("25")
    );
    assert_eq!(claims["nonce"], "nonce-123");
    assert_eq!(claims["tid"], "72f988bf-86f1-41af-91ab-2d7cd011db47");
    let ip = red["log"]["entries"][0]["serverIPAddress"]
        .as_str()
        .unwrap();
    assert!(ip.parse::<std::net::Ipv4Addr>().unwrap().octets()[0] >= 240);
    assert!(out.receipt.by_kind.contains_key(&redact::Kind::PiiEmail));
    assert!(out.receipt.by_kind.contains_key(&redact::Kind::PiiIp));
    assert!(out.receipt.by_kind.contains_key(&redact::Kind::PiiName));
}

#[test]
fn jwt_keeps_header_and_claims_and_loses_its_signature() {
    let idt = id_token();
    let out = run(&bytes(&full_har()), 7, false);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    let parts: Vec<&str> = idt.split('.').collect();
    let prefix = format!("{}.{}.", parts[0], parts[1]);
    let found: Vec<&str> = text
        .match_indices(&prefix)
        .map(|(i, _)| &text[i..])
        .collect();
    assert!(found.len() >= 3, "header and claims kept byte for byte");
    for f in found {
        let sig = f[prefix.len()..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()
            .unwrap();
        assert!(sig.starts_with("UkVEQUNURUQ6"), "{sig}");
        assert_ne!(sig, parts[2]);
    }
}

#[test]
fn redaction_is_idempotent_even_with_another_key() {
    for pii in [false, true] {
        let once = run(&bytes(&full_har()), 8, pii);
        let twice = run(&once.bytes, 9, pii);
        assert_eq!(
            String::from_utf8_lossy(&once.bytes),
            String::from_utf8_lossy(&twice.bytes),
            "pii={pii}"
        );
        assert_eq!(twice.receipt.total, 0, "{:?}", twice.receipt);
    }
}

#[test]
fn same_key_gives_the_same_file_and_another_key_another() {
    let input = bytes(&full_har());
    assert_eq!(run(&input, 1, false).bytes, run(&input, 1, false).bytes);
    assert_ne!(run(&input, 1, false).bytes, run(&input, 2, false).bytes);
}

// ---------------------------------------------------------------------------
// Property: random cookies and secret parameters

const SECRET_NAMES: &[&str] = &[
    "code",
    "password",
    "client_secret",
    "access_token",
    "refresh_token",
    "SAMLart",
    "canary",
    "flowToken",
    "api_key",
    "code_verifier",
];

fn cookie_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9+^_.!#$%&'*|~-]{1,10}"
}

fn cookie_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9+/=_.-]{6,24}",
        "[A-Za-z0-9\"\\\\+^ ;é€]{6,16}",
        "\\PC{6,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_hars_stay_valid_lose_their_secrets_and_are_idempotent(
        cookies in proptest::collection::vec((cookie_name(), cookie_value()), 1..5),
        params in proptest::collection::vec((0..SECRET_NAMES.len(), "[A-Za-z0-9._~+/=-]{6,30}"), 1..4),
    ) {
        let header_value = cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let query = params
            .iter()
            .map(|(i, v)| format!("{}={}", SECRET_NAMES[*i], form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let json_body: serde_json::Map<String, Value> = params
            .iter()
            .map(|(i, v)| (SECRET_NAMES[*i].to_owned(), Value::String(v.clone())))
            .collect();
        let mut e = entry(
            request(
                "POST",
                &format!("https://app.example/cb?{query}&state=keep-me"),
                vec![header("Cookie", &header_value)],
                cookies.iter().map(|(n, v)| json!({"name": n, "value": v})).collect(),
            ),
            response(
                200,
                cookies.iter().map(|(n, v)| header("Set-Cookie", &format!("{n}={v}; Path=/; Secure; SameSite=None"))).collect(),
                cookies.iter().map(|(n, v)| json!({"name": n, "value": v})).collect(),
                "application/json",
                &Value::Object(json_body.clone()).to_string(),
            ),
        );
        e["request"]["postData"] = json!({"mimeType": "application/x-www-form-urlencoded", "text": query});
        let input = bytes(&har(vec![e]));
        let once = run(&input, 10, false);
        let red: Value = serde_json::from_slice(&once.bytes).expect("valid JSON");
        prop_assert_eq!(loads(once.bytes.clone(), &load()), 1);
        // Secrets: every cookie value segment and parameter value.
        let mut secrets = BTreeSet::new();
        for (_, v) in &cookies {
            for piece in v.split(';') {
                let p = piece.trim().trim_matches('"');
                if p.len() >= 6 && !"REDACTED-cookie-".contains(p) {
                    secrets.insert(p.to_owned());
                }
            }
        }
        for (_, v) in &params {
            secrets.insert(v.clone());
        }
        assert_absent(&once.bytes, &secrets);
        let text = serde_json::to_string(&red).unwrap();
        prop_assert!(text.contains("state=keep-me"));
        for (n, _) in &cookies {
            let escaped = serde_json::to_string(n).unwrap();
            prop_assert!(text.contains(&escaped), "cookie name {} lost", n);
        }
        let twice = run(&once.bytes, 11, false);
        prop_assert_eq!(&once.bytes, &twice.bytes);
    }
}

// ---------------------------------------------------------------------------
// SAZ

const COMMENT: &str =
    "Fiddler (v5.0.20253.3311) Session Archive. See https://api.getfiddler.com/r/?fiddler";

fn zip_of(members: &[(&str, Vec<u8>)], password: Option<&str>) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.set_comment(COMMENT).unwrap();
    for (name, data) in members {
        let base = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let options = match password {
            Some(pw) => base.with_aes_encryption(AesMode::Aes256, pw),
            None => base,
        };
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn members_of(bytes: &[u8], password: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let options = zip::ZipReadOptions::new().password(password.map(str::as_bytes));
        let mut f = zip.by_index_with_options(i, options).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.push((f.name().unwrap().to_string(), data));
    }
    out
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let (a, b) = body.split_at(body.len() / 2);
    let mut out = Vec::new();
    for part in [a, b] {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn saz_members() -> Vec<(&'static str, Vec<u8>)> {
    let token_json = json!({"token_type": "Bearer", "access_token": id_token(), "refresh_token": "saz-refresh-token-secret", "expires_in": 3599}).to_string();
    let mut resp2 = b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nx-ms-request-id: 7a0c0000-1111-2222-3333-666666666666\r\n\r\n".to_vec();
    resp2.extend_from_slice(&chunked(&gzip(token_json.as_bytes())));
    let form = "grant_type=authorization_code&code=saz-auth-code-secret&client_secret=saz-client-secret&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";
    vec![
        ("[Content_Types].xml", b"<?xml version=\"1.0\" encoding=\"utf-8\" ?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"htm\" ContentType=\"text/html\" /><Default Extension=\"xml\" ContentType=\"application/xml\" /><Default Extension=\"txt\" ContentType=\"text/plain\" /></Types>".to_vec()),
        ("_index.htm", b"<html><table><tr><td>1</td><td>302</td><td>https://login.example/authorize?client_id=app&amp;state=st1</td></tr><tr><td>2</td><td>200</td><td>https://app.example/cb?code=saz-auth-code-secret&amp;state=st1</td></tr></table></html>".to_vec()),
        ("raw/01_c.txt", b"GET https://login.example/authorize?client_id=app&state=st1&login_hint=bob%40contoso.com HTTP/1.1\r\nHost: login.example\r\nCookie: esctx=saz-cookie-secret-1; a+b=saz-cookie-secret-2\r\nUser-Agent: Mozilla/5.0 Chrome/130.0.0.0\r\n\r\n".to_vec()),
        ("raw/01_s.txt", b"HTTP/1.1 302 Found\r\nLocation: https://app.example/cb?code=saz-auth-code-secret&state=st1\r\nSet-Cookie: ESTSAUTH=saz-ests-secret-3; path=/; secure; HttpOnly; SameSite=None\r\nContent-Length: 0\r\n\r\n".to_vec()),
        ("raw/01_m.xml", b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Session SID=\"1\" BitFlags=\"1\"><SessionTimers ClientBeginRequest=\"2026-11-20T10:04:11.0000000+01:00\" /><SessionFlags><SessionFlag N=\"x-clientip\" V=\"198.51.100.23\" /><SessionFlag N=\"x-hostip\" V=\"20.190.151.7\" /></SessionFlags></Session>".to_vec()),
        ("raw/02_c.txt", format!("POST /token HTTP/1.1\r\nHost: login.example\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic c2F6LWJhc2ljLXNlY3JldA==\r\nContent-Length: {}\r\n\r\n{form}", form.len()).into_bytes()),
        ("raw/02_s.txt", resp2),
        ("raw/02_m.xml", b"<Session SID=\"2\" BitFlags=\"1\"><SessionTimers ClientBeginRequest=\"2026-11-20T10:04:12.0000000+01:00\" /></Session>".to_vec()),
    ]
}

const SAZ_SECRETS: &[&str] = &[
    "saz-cookie-secret-1",
    "saz-cookie-secret-2",
    "saz-ests-secret-3",
    "saz-auth-code-secret",
    "saz-client-secret",
    "saz-refresh-token-secret",
    "c2F6LWJhc2ljLXNlY3JldA==",
    "this-is-the-rsa-signature",
];

fn check_saz_round_trip(password: Option<&str>) {
    let members = saz_members();
    let input = zip_of(&members, password);
    let options = LoadOptions {
        password: password.map(str::to_owned),
        ..LoadOptions::default()
    };
    let out = redact::redact(
        &input,
        &options,
        &Options {
            key: key(12),
            pii: true,
            drop_unparsed: false,
        },
    )
    .unwrap();
    assert_eq!(out.entries, 2);
    assert_eq!(loads(out.bytes.clone(), &options), 2);
    let red = members_of(&out.bytes, password);
    let names: Vec<&str> = red.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        members.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "same members, same order"
    );
    let mut all = Vec::new();
    for (_, data) in &red {
        all.extend_from_slice(data);
    }
    let secrets: BTreeSet<String> = SAZ_SECRETS
        .iter()
        .map(|s| (*s).to_owned())
        .chain([
            "198.51.100.23".to_owned(),
            "bob@contoso.com".to_owned(),
            "bob%40contoso.com".to_owned(),
        ])
        .collect();
    assert_absent(&all, &secrets);
    assert_eq!(red[0].1, members[0].1, "[Content_Types].xml untouched");
    let index = String::from_utf8(red[1].1.clone()).unwrap();
    assert!(
        index.contains("https://app.example/cb?code=REDACTED-code-")
            && index.contains("&amp;state=st1"),
        "{index}"
    );
    let resp2 = String::from_utf8(red[6].1.clone()).unwrap();
    assert!(
        !resp2.contains("Transfer-Encoding") && !resp2.contains("Content-Encoding"),
        "{resp2}"
    );
    assert!(resp2.contains("x-ms-request-id: 7a0c0000-1111-2222-3333-666666666666"));
    let (head, body) = resp2.split_once("\r\n\r\n").unwrap();
    assert!(head.contains(&format!("Content-Length: {}", body.len())));
    let body: Value = serde_json::from_str(body).unwrap();
    assert!(
        body["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("REDACTED-token-")
    );
    assert!(body["access_token"].as_str().unwrap().starts_with("eyJ"));
    let req1 = String::from_utf8(red[2].1.clone()).unwrap();
    assert!(
        req1.contains("Cookie: esctx=REDACTED-cookie-") && req1.contains("; a+b=REDACTED-cookie-")
    );
    assert!(req1.contains("User-Agent: Mozilla/5.0 Chrome/130.0.0.0"));
    let meta = String::from_utf8(red[4].1.clone()).unwrap();
    assert!(
        meta.contains("N=\"x-clientip\" V=\"24") || meta.contains("N=\"x-clientip\" V=\"25"),
        "{meta}"
    );
    assert_eq!(red[7].1, members[7].1, "unchanged metadata copied as is");
    // Idempotent: a second run changes no member.
    let again = redact::redact(
        &out.bytes,
        &options,
        &Options {
            key: key(13),
            pii: true,
            drop_unparsed: false,
        },
    )
    .unwrap();
    assert_eq!(members_of(&again.bytes, password), red);
    assert_eq!(again.receipt.total, 0);
    assert_eq!(
        diagnosis(input, &options),
        diagnosis(out.bytes.clone(), &options)
    );
    if password.is_some() {
        assert!(
            matches!(
                Input::from_bytes(out.bytes, &load()),
                Err(CaptureError::PasswordRequired)
            ),
            "the copy stays encrypted"
        );
    }
}

#[test]
fn saz_round_trip_with_chunked_gzip_body() {
    check_saz_round_trip(None);
}

#[test]
fn encrypted_saz_is_written_encrypted_with_the_same_password() {
    check_saz_round_trip(Some("s3cret-pw"));
}

// ---------------------------------------------------------------------------
// Corpus and sample traces

fn captures_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = list.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            captures_under(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("har") || e.eq_ignore_ascii_case("saz"))
        {
            out.push(p);
        }
    }
}

fn all_captures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(dir) = corpus() {
        captures_under(&dir.join("har"), &mut files);
        captures_under(&dir.join("saz"), &mut files);
    }
    let traces = Path::new(env!("CARGO_MANIFEST_DIR")).join("traces");
    if traces.is_dir() {
        captures_under(&traces, &mut files);
    } else {
        eprintln!("note: no traces/ folder in this checkout; only the corpus is checked");
    }
    files
}

#[test]
fn analysis_of_every_capture_is_the_same_after_redaction() {
    let mut checked = 0;
    for path in all_captures() {
        let bytes = std::fs::read(&path).unwrap();
        let options = load();
        let Some(before) = diagnosis(bytes.clone(), &options) else {
            continue; // unreadable input: nothing to compare
        };
        for pii in [false, true] {
            match redact::redact(
                &bytes,
                &options,
                &Options {
                    key: key(14),
                    pii,
                    drop_unparsed: false,
                },
            ) {
                Ok(out) => {
                    let after = diagnosis(out.bytes.clone(), &options)
                        .unwrap_or_else(|| panic!("{}: the copy does not load", path.display()));
                    assert_eq!(before, after, "{} (pii={pii})", path.display());
                    assert_eq!(
                        loads(out.bytes.clone(), &options),
                        out.entries,
                        "{}",
                        path.display()
                    );
                    let again = redact::redact(
                        &out.bytes,
                        &options,
                        &Options {
                            key: key(15),
                            pii,
                            drop_unparsed: false,
                        },
                    )
                    .unwrap();
                    assert_eq!(
                        again.receipt.total,
                        0,
                        "{} not idempotent: {:?}",
                        path.display(),
                        again.receipt
                    );
                }
                // Recovered-from-truncation inputs load for analysis but are
                // not rewritten (documented); nothing else may fail.
                Err(RedactError::HarJson(_) | RedactError::Saz(_)) => {
                    let input = Input::from_bytes(bytes.clone(), &options).unwrap();
                    let capture = input.parse("x", &options).unwrap();
                    assert!(
                        capture.is_truncated(),
                        "{} refused but not truncated",
                        path.display()
                    );
                }
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        checked += 1;
    }
    eprintln!("analysis equivalence checked on {checked} captures");
}

#[test]
fn corpus_saz_files_round_trip_with_the_same_members() {
    let Some(dir) = corpus() else {
        return;
    };
    let mut files = Vec::new();
    captures_under(&dir.join("saz"), &mut files);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        if Input::from_bytes(bytes.clone(), &load()).is_err() {
            continue;
        }
        let out = run(&bytes, 16, false);
        let before = members_of(&bytes, None);
        let after = members_of(&out.bytes, None);
        let names = |m: &[(String, Vec<u8>)]| m.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&before), names(&after), "{}", path.display());
        for ((name, a), (_, b)) in before.iter().zip(&after) {
            if !name.starts_with("raw/") && !name.ends_with(".htm") {
                assert_eq!(a, b, "{}: {name} changed", path.display());
            }
        }
        let zip_in = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let zip_out = zip::ZipArchive::new(Cursor::new(out.bytes.as_slice())).unwrap();
        assert_eq!(zip_in.comment(), zip_out.comment(), "{}", path.display());
    }
}

// ---------------------------------------------------------------------------
// The binary

#[test]
fn cli_writes_the_copy_and_prints_a_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("capture.har");
    let output = dir.path().join("capture.redacted.har");
    let original = bytes(&full_har());
    std::fs::write(&input, &original).unwrap();
    let assert = bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("values replaced")
            && stderr.contains("by kind:")
            && stderr.contains("by place:"),
        "{stderr}"
    );
    assert!(stderr.contains("key: random"));
    assert_eq!(std::fs::read(&input).unwrap(), original, "input untouched");
    let written = std::fs::read(&output).unwrap();
    assert_absent(&written, &collect_secrets(&full_har()));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left: {leftovers:?}");
    // The copy analyses like the original, through the binary too.
    let a = bin()
        .arg(&input)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let b = bin()
        .arg(&output)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let verdict = |o: &std::process::Output| {
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["verdict"].clone()
    };
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("summary");
        v
    };
    assert_eq!(strip(verdict(&a)), strip(verdict(&b)));
    assert_eq!(a.status.code(), b.status.code());
}

#[test]
fn cli_refuses_to_overwrite_the_input_or_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.har");
    let original = bytes(&full_har());
    std::fs::write(&input, &original).unwrap();
    let same = dir.path().join(".").join("in.har");
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            same.to_str().unwrap(),
            "--force",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("over the input"));
    assert_eq!(std::fs::read(&input).unwrap(), original);
    let existing = dir.path().join("out.har");
    std::fs::write(&existing, b"keep me").unwrap();
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            existing.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    let receipt = dir.path().join("receipt.json");
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            existing.to_str().unwrap(),
            "--force",
            "--pii",
            "--receipt",
            receipt.to_str().unwrap(),
        ])
        .args([
            "--key",
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        ])
        .assert()
        .success();
    let r: Value = serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
    assert_eq!(r["format"], "har");
    assert_eq!(r["key"], "given");
    assert_eq!(r["pii"], true);
    assert!(r["total"].as_u64().unwrap() > 20);
    assert!(r["by_kind"]["cookie"].as_u64().unwrap() > 0);
    assert!(r["by_place"]["set_cookie"].as_u64().unwrap() > 0);
    assert!(r["detail"]["jwt_signature"].is_object());
}

#[test]
fn cli_exit_code_2_for_unreadable_input_and_bad_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.har");
    bin()
        .args([
            "redact",
            dir.path().join("missing.har").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    let broken = dir.path().join("broken.har");
    std::fs::write(&broken, b"{\"log\": {\"entries\": [").unwrap();
    bin()
        .args([
            "redact",
            broken.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    let input = dir.path().join("in.har");
    std::fs::write(&input, bytes(&full_har())).unwrap();
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--key",
            "abcd",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("key"));
    assert!(!out.exists());
    let key_file = dir.path().join("key.hex");
    std::fs::write(&key_file, "00112233445566778899aabbccddeeff\n").unwrap();
    let k = format!("@{}", key_file.display());
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--key",
            &k,
        ])
        .assert()
        .success();
    let first = std::fs::read(&out).unwrap();
    bin()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--key",
            &k,
            "--force",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        first,
        "a given key is deterministic"
    );
}

/// Every way a value may be written in a capture: raw, percent-encoded,
/// form-encoded, base64 / base64url (padded or not), HTML- and
/// JSON-escaped.
fn encodings(v: &str) -> Vec<(String, bool)> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let json = serde_json::to_string(v).unwrap();
    let json = json.trim_matches('"').to_owned();
    let pct: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
    let html = v
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    // (encoding, is base64)
    let mut out = vec![
        (v.to_owned(), false),
        (pct.clone(), false),
        (pct.replace('+', "%20"), false),
        (html, false),
        (json, false),
        (STANDARD.encode(v), true),
        (STANDARD_NO_PAD.encode(v), true),
        (URL_SAFE.encode(v), true),
        (URL_SAFE_NO_PAD.encode(v), true),
    ];
    out.sort();
    out.dedup();
    out
}

/// The copy's bytes as a reader sees them (SAZ members decompressed).
fn plain_bytes(bytes: &[u8]) -> Vec<u8> {
    if bytes.starts_with(b"PK") {
        members_of(bytes, None)
            .into_iter()
            .flat_map(|m| m.1)
            .collect()
    } else {
        bytes.to_vec()
    }
}

/// Whether `needle` occurs in `hay` as a whole token (not inside a longer
/// run of base64 characters, where it is only a coincidence of alignment).
fn occurs_whole(hay: &[u8], needle: &[u8]) -> bool {
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    memchr::memmem::find_iter(hay, needle).any(|at| {
        let before = at.checked_sub(1).and_then(|j| hay.get(j)).is_some_and(b64);
        let after = hay.get(at + needle.len()).is_some_and(b64);
        !before && !after
    })
}

#[test]
fn no_encoding_of_any_replaced_secret_survives_in_any_capture() {
    let mut checked = 0;
    let mut secrets = 0;
    for path in all_captures() {
        let bytes = std::fs::read(&path).unwrap();
        let options = load();
        if diagnosis(bytes.clone(), &options).is_none() {
            continue;
        }
        for pii in [false, true] {
            let Ok(out) = redact::redact(
                &bytes,
                &options,
                &Options {
                    key: key(16),
                    pii,
                    drop_unparsed: false,
                },
            ) else {
                continue; // refused: nothing written, nothing leaked
            };
            let plain = plain_bytes(&out.bytes);
            for original in &out.originals {
                let v = original.expose();
                for (enc, is_base64) in encodings(v) {
                    if enc.len() < 6 {
                        continue;
                    }
                    // Raw / escaped forms anywhere; base64 forms as tokens.
                    let found = if is_base64 {
                        occurs_whole(&plain, enc.as_bytes())
                    } else {
                        memchr::memmem::find(&plain, enc.as_bytes()).is_some()
                    };
                    assert!(
                        !found,
                        "{} (pii={pii}): a replaced value survives in one encoding",
                        path.display()
                    );
                }
                secrets += 1;
            }
            assert_eq!(out.receipt.verified.secrets_found, 0);
        }
        checked += 1;
    }
    eprintln!("checked {checked} captures, {secrets} replaced values");
    if checked == 0 {
        eprintln!("skipped: no sample or corpus capture found");
    }
}

/// `--pii`: down-level logon names (`DOMAIN\user`), as AD FS forms sign-in
/// and Windows integrated authentication carry them, are replaced in form
/// fields, headers, JSON and page text; the NetBIOS domain stays. Without
/// `--pii` they are left alone.
#[test]
fn pii_replaces_down_level_logon_names_everywhere() {
    let form = "UserName=CONTOSO%5Cjdoe&Password=Pa55word%21&AuthMethod=FormsAuthentication";
    let mut post = request(
        "POST",
        "https://adfs.contoso.com/adfs/ls/?client-request-id=8b0c5a33-1f2e-4d6a-9c1b-0e7f6a5d4c3b",
        vec![header("Content-Type", "application/x-www-form-urlencoded")],
        vec![],
    );
    post["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "text": form,
        "params": [
            {"name": "UserName", "value": "CONTOSO%5Cjdoe"},
            {"name": "Password", "value": "Pa55word%21"},
            {"name": "AuthMethod", "value": "FormsAuthentication"}
        ]
    });
    let page = "<html><body><p>Signed in as CONTOSO\\jdoe.</p>\
        <script>var user = \"CONTOSO\\\\jdoe\"; var msg = \"ERROR\\nDetails\";</script></body></html>";
    let doc = har(vec![
        entry(
            post,
            response(
                200,
                vec![
                    header("Content-Type", "text/html; charset=utf-8"),
                    header("X-Remote-User", "CONTOSO\\jdoe"),
                ],
                vec![],
                "text/html",
                page,
            ),
        ),
        entry(
            request("GET", "https://app.contoso.com/api/me", vec![], vec![]),
            response(
                200,
                vec![header("Content-Type", "application/json")],
                vec![],
                "application/json",
                r#"{"account":"CONTOSO\\jdoe","displayName":"J"}"#,
            ),
        ),
    ]);
    let input = bytes(&doc);
    let out = run(&input, 4, true);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    assert!(
        !text.to_lowercase().contains("jdoe"),
        "a down-level name survived: {text}"
    );
    let red = parse_har(&out.bytes);
    let e0 = &red["log"]["entries"][0];
    let field = e0["request"]["postData"]["params"][0]["value"]
        .as_str()
        .unwrap();
    assert!(
        field.starts_with("CONTOSO%5Credacted-user-")
            || field.starts_with("CONTOSO\\redacted-user-"),
        "{field}"
    );
    let body = e0["response"]["content"]["text"].as_str().unwrap();
    assert!(
        body.contains("Signed in as CONTOSO\\redacted-user-"),
        "{body}"
    );
    assert!(
        body.contains("\"CONTOSO\\\\redacted-user-"),
        "escape kept: {body}"
    );
    assert!(
        body.contains("ERROR\\nDetails"),
        "a line break is not a name: {body}"
    );
    let api = red["log"]["entries"][1]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    let account: Value = serde_json::from_str(api).unwrap();
    assert!(
        account["account"]
            .as_str()
            .unwrap()
            .starts_with("CONTOSO\\redacted-user-"),
        "{api}"
    );
    // The same name gets the same pseudonym in every place.
    let names: BTreeSet<&str> = text
        .match_indices("redacted-user-")
        .map(|(i, _)| &text[i..i + 24])
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // Not personal data without --pii.
    let plain = run(&input, 4, false);
    assert!(String::from_utf8(plain.bytes).unwrap().contains("jdoe"));
}

/// A capture another sanitizer already cleaned (`[code redacted]`,
/// `REDACTED`, `***` where the values were): the placeholders are left as
/// they are, the copy diagnoses the same (verified), and the analysis
/// reads a placeholder SAMLResponse as removed by the exporter, not as a
/// message that failed to decode.
#[test]
fn a_sanitized_capture_keeps_its_placeholders_and_its_diagnosis() {
    let mut acs = request(
        "POST",
        "https://sp.example/saml/acs",
        vec![header("Content-Type", "application/x-www-form-urlencoded")],
        vec![],
    );
    acs["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "text": "SAMLResponse=%5BSAMLResponse+redacted%5D&RelayState=rs-1",
        "params": [{"name": "SAMLResponse", "value": "[SAMLResponse redacted]"},
                   {"name": "RelayState", "value": "rs-1"}]
    });
    let mut cb = request(
        "POST",
        "https://app.example/signin-oidc",
        vec![
            header("Content-Type", "application/x-www-form-urlencoded"),
            header("Cookie", "session=REDACTED"),
        ],
        vec![json!({"name": "session", "value": "REDACTED"})],
    );
    cb["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "text": "code=%5Bcode+redacted%5D&id_token=***&state=st-9",
        "params": [{"name": "code", "value": "[code redacted]"},
                   {"name": "id_token", "value": "***"},
                   {"name": "state", "value": "st-9"}]
    });
    let doc = har(vec![
        entry(
            acs,
            response(
                302,
                vec![header("Location", "https://sp.example/home")],
                vec![],
                "text/html",
                "",
            ),
        ),
        entry(
            cb,
            response(
                302,
                vec![header("Location", "https://app.example/")],
                vec![],
                "text/html",
                "",
            ),
        ),
    ]);
    let input = bytes(&doc);
    let out = run(&input, 8, false);
    let text = String::from_utf8(out.bytes.clone()).unwrap();
    for kept in [
        "[SAMLResponse redacted]",
        "[code redacted]",
        "session=REDACTED",
        "%5Bcode+redacted%5D",
    ] {
        assert!(text.contains(kept), "{kept} rewritten");
    }
    redact::verify(
        out.bytes.clone(),
        &load(),
        out.format,
        out.entries,
        true,
        &out.diagnosis,
    )
    .expect("the copy diagnoses the same");
    // The analysis: a placeholder message is removed by the exporter.
    let input_owned = Input::from_bytes(input, &load()).unwrap();
    let capture = input_owned.parse("sanitized.har", &load()).unwrap();
    let a = analyze(&capture, load().limits);
    let kinds: Vec<&str> = a.ctx.messages.iter().map(|m| m.message.kind()).collect();
    let reasons: Vec<String> = a
        .ctx
        .messages
        .iter()
        .filter_map(|m| match &m.message {
            trace_inspect::decode::Message::Undecodable(u) => Some(u.reason.clone()),
            _ => None,
        })
        .collect();
    assert!(
        !reasons.is_empty()
            && reasons
                .iter()
                .all(|r| r.starts_with("removed by the exporter")),
        "{kinds:?} {reasons:?}"
    );
}
