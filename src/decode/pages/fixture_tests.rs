//! Fixture-driven tests for `decode_page`: the hand-written pages under
//! `tests/fixtures/pages/` (see its README) and the shared corpus pages
//! under `../shared/corpus/oidc/` (skipped with a message when absent).

use std::path::{Path, PathBuf};

use super::{Idp, IdpDetails, IdpErrorPage, PageInput, PageMessage, decode_page};
use crate::decode::TextOptions;
use crate::decode::aadsts::Category;
use crate::decode::entra::{EntraPage, FieldValue, PageType};
use crate::secret::with_secrets_shown;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/oidc");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} not found", dir.display());
        None
    }
}

fn entra(msg: Option<PageMessage>) -> Box<EntraPage> {
    match msg {
        Some(PageMessage::EntraPage(p)) => p,
        other => panic!("expected entra_page, got {other:?}"),
    }
}

fn idp(msg: Option<PageMessage>) -> IdpErrorPage {
    match msg {
        Some(PageMessage::IdpErrorPage(p)) => *p,
        other => panic!("expected idp_error_page, got {other:?}"),
    }
}

fn text_of(msg: &PageMessage, show_secrets: bool) -> String {
    let mut out = Vec::new();
    let opts = TextOptions {
        show_secrets,
        reference_time: None,
    };
    msg.write_text(&mut out, &opts).unwrap();
    String::from_utf8(out).unwrap()
}

const ERROR_URL: &str = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=3f1c9e52-7a4b-4d0e-9c1f-2b8e6d5a7c10";

#[test]
fn converged_error_page_reports_reply_url_mismatch_with_ids() {
    let body = fixture("entra_converged_error_50011.html");
    let headers = [
        ("x-ms-request-id", "7a0c21e4-5b6d-4f38-a1c2-9e8d7f6a0900"),
        ("client-request-id", "51d2e8f0-3c4b-4a6d-9e1f-0b2c3d4e5f60"),
        ("x-ms-ests-server", "2.1.19870.4 - WEULR1 ProdSlices"),
        ("x-ms-clitelem", "1,50011,0,,"),
    ];
    let input = PageInput::new(&body)
        .with_url(ERROR_URL)
        .with_headers(&headers);
    let msg = decode_page(&input).unwrap();
    assert_eq!(msg.kind(), "entra_page");
    let text = text_of(&msg, false);
    let page = entra(Some(msg.clone()));
    assert_eq!(page.page_type, PageType::Error);
    assert_eq!(page.pgid.as_deref(), Some("ConvergedError"));
    assert!(page.is_error);
    assert_eq!(page.category, Some(Category::RedirectMismatch));
    assert_eq!(page.error_codes.len(), 1);
    let code = &page.error_codes[0];
    assert_eq!(code.code.code, 50011);
    assert!(!code.benign);
    for source in [
        "strServiceExceptionMessage",
        "troubleshooting",
        "x-ms-clitelem",
    ] {
        assert!(
            code.sources.contains(&source),
            "{source} missing in {:?}",
            code.sources
        );
    }
    assert_eq!(
        page.ids.correlation_id.as_deref(),
        Some("51d2e8f0-3c4b-4a6d-9e1f-0b2c3d4e5f60")
    );
    assert_eq!(
        page.ids.request_id.as_deref(),
        Some("7a0c21e4-5b6d-4f38-a1c2-9e8d7f6a0900")
    );
    assert_eq!(page.ids.timestamp.as_deref(), Some("2026-11-20T09:04:12Z"));
    let ests = page.headers.as_ref().unwrap().ests_server.as_ref().unwrap();
    assert_eq!(ests.scale_unit.as_deref(), Some("WEULR1"));
    assert!(!page.templated);

    let json = serde_json::to_string(&msg).unwrap();
    assert!(json.starts_with("{\"kind\":\"entra_page\""), "{json}");
    for secret in [
        "CTESTONLYTOKEN",
        "INVENTED-CTX",
        "INVENTED-API-CANARY",
        "INVENTED-CANARY-VALUE",
    ] {
        assert!(!json.contains(secret), "{secret} leaked in JSON");
        assert!(!text.contains(secret), "{secret} leaked in text");
    }
    let shown = with_secrets_shown(true, || serde_json::to_string(&msg).unwrap());
    assert!(shown.contains("CTESTONLYTOKEN"));
    assert!(text_of(&msg, true).contains("CTESTONLYTOKEN"));

    assert!(text.starts_with("Entra ID page: error (ConvergedError): AADSTS50011 InvalidReplyTo"));
    assert!(text.contains("AADSTS50011 InvalidReplyTo [redirect_mismatch]"));
    assert!(text.contains("redirect URI / ACS URL sent is not registered"));
    assert!(text.contains("build 2.1.19870.4"));
}

#[test]
fn conditional_access_block_page_has_device_and_app_fields() {
    let body = fixture("entra_ca_block_53003.html");
    let page = entra(decode_page(&PageInput::new(&body).with_url(ERROR_URL)));
    assert_eq!(page.page_type, PageType::ConditionalAccessBlock);
    assert_eq!(page.category, Some(Category::ConditionalAccess));
    let codes: Vec<u32> = page.error_codes.iter().map(|c| c.code.code).collect();
    assert_eq!(codes, [53003]);
    assert_eq!(
        page.error_codes[0].sources,
        ["sErrorCode", "troubleshooting"]
    );
    let t = page.troubleshooting.as_ref().unwrap();
    assert_eq!(t.app_name.as_deref(), Some("Contoso Portal"));
    assert_eq!(t.ip_address.as_deref(), Some("203.0.113.45"));
    assert_eq!(t.device_platform.as_deref(), Some("Windows 10"));
    assert_eq!(t.device_state.as_deref(), Some("Unregistered"));
    assert_eq!(t.device_identifier.as_deref(), Some("Not available"));
    assert_eq!(
        page.ids.timestamp.as_deref(),
        Some("2026-09-03T13:32:53.761Z")
    );
    assert_eq!(
        page.ids.app_id.as_deref(),
        Some("3f1c9e52-7a4b-4d0e-9c1f-2b8e6d5a7c10")
    );
    assert_eq!(
        page.ids.user.as_deref(),
        Some("adele.vance@contoso.example")
    );
    assert_eq!(page.ids.device_id, None, "\"Not available\" is not an ID");
    let c = page.config.as_ref().unwrap();
    assert_eq!(
        (c.error_title_index, c.error_description_index),
        (Some(5), Some(4))
    );
    assert_eq!(c.device_state.as_deref(), Some("Unregistered"));
    assert_eq!(c.device_id, None, "empty sDeviceId is not a value");
}

#[test]
fn pasted_troubleshooting_text_is_an_entra_error() {
    let text = fixture("entra_troubleshooting_pasted.txt");
    let page = entra(decode_page(&PageInput::new(&text)));
    assert_eq!(page.page_type, PageType::Error);
    assert_eq!(page.category, Some(Category::Tenant));
    assert_eq!(page.error_codes[0].code.code, 900023);
    assert_eq!(
        page.ids.request_id.as_deref(),
        Some("f187c545-2a3b-4c5d-8e9f-23dd2d331600")
    );
    assert_eq!(
        page.ids.correlation_id.as_deref(),
        Some("019ecfc1-6d7e-4f80-9a1b-93e65fac988b")
    );
    assert!(page.config.is_none());
}

#[test]
fn working_page_reports_the_form_post_with_secrets_masked() {
    let body = fixture("entra_form_post_oidc.html");
    for input in [
        PageInput::new(&body),
        PageInput::new(&body).with_host("login.microsoftonline.com"),
    ] {
        let msg = decode_page(&input).unwrap();
        let page = entra(Some(msg.clone()));
        assert_eq!(page.page_type, PageType::AutoPost);
        assert!(!page.is_error);
        let form = page.auto_post.as_ref().unwrap();
        assert_eq!(form.protocol, "oidc_form_post");
        assert_eq!(
            form.action.as_deref(),
            Some("https://app.contoso.example/signin-oidc")
        );
        assert!(form.auto_submit);
        let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["code", "id_token", "state", "session_state"]);
        assert!(matches!(form.fields[0].value, FieldValue::Secret(_)));
        assert!(matches!(form.fields[2].value, FieldValue::Plain(_)));
        let json = serde_json::to_string(&msg).unwrap();
        assert!(!json.contains("INVENTED-AUTH-CODE") && !json.contains("eyJ0eXAi"));
        assert!(json.contains("INVENTEDSTATE"));
    }
    // Another IdP's auto-post (not the ESTS template, other host) is not an Entra page.
    let okta_form = r#"<html><body onload="document.forms[0].submit()"><form id="appForm" action="https://app.example/acs" method="POST"><input name="SAMLResponse" type="hidden" value="PHN"/></form></body></html>"#;
    assert!(decode_page(&PageInput::new(okta_form).with_host("contoso.okta.com")).is_none());
}

/// `key=value` facts of a MANIFEST.tsv row (`pgid=…; sErrorCode=…`).
fn manifest_facts(corpus: &Path, file: &str) -> Vec<(String, String)> {
    let Ok(manifest) = std::fs::read_to_string(corpus.join("../MANIFEST.tsv")) else {
        return Vec::new();
    };
    let Some(row) = manifest
        .lines()
        .find(|l| l.starts_with(&format!("oidc/{file}\t")))
    else {
        return Vec::new();
    };
    let facts = row.split('\t').nth(6).unwrap_or_default();
    facts
        .split(';')
        .filter_map(|f| f.trim().split_once('='))
        .filter(|(k, _)| matches!(*k, "pgid" | "sErrorCode"))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
}

#[test]
fn corpus_pages_match_the_manifest() {
    let Some(dir) = corpus_dir() else { return };
    let cases = [
        ("s2a_aad_ConvergedSignIn.html", PageType::SignIn),
        ("s2a_aad_KmsiInterrupt.html", PageType::Kmsi),
    ];
    for (file, want_type) in cases {
        let body = std::fs::read_to_string(dir.join(file)).unwrap();
        let page = entra(decode_page(&PageInput::new(&body)));
        assert_eq!(page.page_type, want_type, "{file}");
        assert!(!page.is_error, "{file}: {:?}", page.error_codes);
        assert!(page.templated, "{file}: placeholders flagged");
        assert_eq!(
            page.ids.correlation_id, None,
            "{file}: placeholder is not an ID"
        );
        let c = page.config.as_ref().unwrap();
        assert!(c.placeholders.contains(&"correlationId".to_owned()));
        assert!(c.placeholders.contains(&"sessionId".to_owned()));
        let facts = manifest_facts(&dir, file);
        assert!(!facts.is_empty(), "{file}: no manifest facts");
        for (key, value) in facts {
            match key.as_str() {
                "pgid" => assert_eq!(page.pgid.as_deref(), Some(value.as_str()), "{file}"),
                "sErrorCode" => {
                    assert_eq!(c.error_code.as_deref(), Some(value.as_str()), "{file}");
                    let code = page
                        .error_codes
                        .iter()
                        .find(|pc| pc.code.code.to_string() == value)
                        .unwrap();
                    assert!(code.benign, "{file}: 50058 on a sign-in page is benign");
                }
                _ => {}
            }
        }
    }
}

#[test]
fn corpus_saml_working_page_is_an_auto_post() {
    let Some(dir) = corpus_dir() else { return };
    let body = std::fs::read_to_string(dir.join("s2a_aad_SAMLResponse.html")).unwrap();
    let msg = decode_page(&PageInput::new(&body)).unwrap();
    let page = entra(Some(msg.clone()));
    assert_eq!(page.page_type, PageType::AutoPost);
    let form = page.auto_post.as_ref().unwrap();
    assert_eq!(form.protocol, "saml_response");
    assert_eq!(
        form.action.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(form.method, "POST");
    let json = serde_json::to_string(&msg).unwrap();
    assert!(!json.contains("PHNhbWxw"), "SAMLResponse must be masked");
}

#[test]
fn adfs_error_page_yields_activity_id_and_time() {
    let body = fixture("adfs_error.html");
    for input in [
        PageInput::new(&body).with_url("https://sts.contoso.example/adfs/ls/?SAMLRequest=fZ"),
        PageInput::new(&body),
    ] {
        let p = idp(decode_page(&input));
        assert_eq!((p.idp, p.category), (Idp::Adfs, "idp_error"));
        let IdpDetails::Adfs(d) = &p.details else {
            panic!()
        };
        assert_eq!(d.activity_id, "00000000-0000-0000-4b1d-0080020000c3");
        assert!(d.activity_id_fingerprint);
        assert_eq!(d.relying_party.as_deref(), Some("Contoso Portal"));
        assert_eq!(
            d.error_time_utc.unwrap().to_rfc3339(),
            "2026-11-19T09:04:12+00:00"
        );
        assert_eq!(d.cookie.as_deref(), Some("enabled"));
        assert!(d.user_agent.as_deref().unwrap().starts_with("Mozilla/5.0"));
        let json = serde_json::to_value(PageMessage::IdpErrorPage(Box::new(p.clone()))).unwrap();
        assert_eq!(json["kind"], "idp_error_page");
        assert_eq!(json["idp"], "adfs");
    }
    let off_host = PageInput::new(&body).with_url("https://app.contoso.example/home");
    assert!(
        decode_page(&off_host).is_none(),
        "not from an IdP host or /adfs/ path"
    );
}

#[test]
fn google_pages_are_classified_by_error() {
    let cases = [
        (
            "google_403_disallowed_useragent.html",
            "disallowed_useragent",
            "webview_blocked",
            Some(403),
        ),
        (
            "google_400_redirect_uri_mismatch.html",
            "redirect_uri_mismatch",
            "redirect_mismatch",
            Some(400),
        ),
        (
            "google_400_old_layout.html",
            "redirect_uri_mismatch",
            "redirect_mismatch",
            Some(400),
        ),
    ];
    for (file, error, category, status) in cases {
        let body = fixture(file);
        for input in [
            PageInput::new(&body).with_url("https://accounts.google.com/signin/oauth/error?x=1"),
            PageInput::new(&body),
        ] {
            let p = idp(decode_page(&input));
            assert_eq!(p.idp, Idp::Google, "{file}");
            assert_eq!(p.error.as_deref(), Some(error), "{file}");
            assert_eq!(p.category, category, "{file}");
            let IdpDetails::Google(d) = &p.details else {
                panic!()
            };
            assert_eq!(d.status, status, "{file}");
        }
    }
    let webview = idp(decode_page(&PageInput::new(&fixture(
        "google_403_disallowed_useragent.html",
    ))));
    assert!(
        webview
            .description
            .unwrap()
            .contains("embedded webview policy")
    );
    let mismatch = idp(decode_page(&PageInput::new(&fixture(
        "google_400_redirect_uri_mismatch.html",
    ))));
    let IdpDetails::Google(d) = &mismatch.details else {
        panic!()
    };
    assert_eq!(
        d.redirect_uri.as_deref(),
        Some("http://localhost:8080/oauth2callback")
    );
    assert_eq!(d.flow_name.as_deref(), Some("GeneralOAuthFlow"));
    let old = idp(decode_page(&PageInput::new(&fixture(
        "google_400_old_layout.html",
    ))));
    let IdpDetails::Google(d) = &old.details else {
        panic!()
    };
    assert_eq!(
        d.redirect_uri.as_deref(),
        Some("https://app.contoso.example/auth/google/callback")
    );
}

#[test]
fn google_auth_error_url_is_decoded() {
    use base64::Engine;
    let mut blob = vec![0x0a, 20];
    blob.extend_from_slice(b"disallowed_useragent");
    blob.extend_from_slice(&[0x12, 22]);
    blob.extend_from_slice(b"https://app.example/cb");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&blob);
    let url = format!(
        "https://accounts.google.com/signin/oauth/error?authError={}&client_id=123-invented.apps.googleusercontent.com",
        url::form_urlencoded::byte_serialize(b64.as_bytes()).collect::<String>()
    );
    let p = idp(decode_page(&PageInput::new("").with_url(&url)));
    assert_eq!(p.error.as_deref(), Some("disallowed_useragent"));
    assert_eq!(p.category, "webview_blocked");
    let IdpDetails::Google(d) = &p.details else {
        panic!()
    };
    let a = d.auth_error.as_ref().unwrap();
    assert_eq!(a.redirect_uri.as_deref(), Some("https://app.example/cb"));
    assert_eq!(
        a.client_id.as_deref(),
        Some("123-invented.apps.googleusercontent.com")
    );
    assert!(
        decode_page(&PageInput::new("").with_url("https://accounts.google.com/signin/v2"))
            .is_none()
    );
}

#[test]
fn okta_html_page_reads_the_error_block() {
    let body = fixture("okta_400.html");
    for input in [
        PageInput::new(&body)
            .with_url("https://contoso.okta.com/oauth2/default/v1/authorize?client_id=0oa1"),
        PageInput::new(&body),
    ] {
        let p = idp(decode_page(&input));
        assert_eq!(p.idp, Idp::Okta);
        assert_eq!(p.error.as_deref(), Some("invalid_request"));
        assert_eq!(p.category, "redirect_mismatch");
        let IdpDetails::Okta(d) = &p.details else {
            panic!()
        };
        assert_eq!(d.identity_provider.as_deref(), Some("Unknown"));
        assert_eq!(d.surface, "html");
    }
    let german = "<html><head><title>Fehler</title></head><body><p>Ihre Anfrage hat einen Fehler verursacht.</p>\
        <div>Identitätsanbieter: Unbekannt</div><div>Fehlercode: access_denied</div>\
        <div>Beschreibung: User is not assigned to the client application.</div></body></html>";
    let p = idp(decode_page(
        &PageInput::new(german).with_host("contoso.okta-emea.com"),
    ));
    assert_eq!(
        (p.error.as_deref(), p.category),
        (Some("access_denied"), "user_not_assigned")
    );
}

#[test]
fn okta_api_json_error_is_decoded() {
    let body = fixture("okta_api_error.json");
    let msg = decode_page(&PageInput::new(&body)).unwrap();
    let text = text_of(&msg, false);
    let p = idp(Some(msg));
    assert_eq!(
        (p.idp, p.error.as_deref(), p.category),
        (Idp::Okta, Some("E0000004"), "credentials")
    );
    assert_eq!(p.description.as_deref(), Some("Authentication failed"));
    let IdpDetails::Okta(d) = &p.details else {
        panic!()
    };
    assert_eq!(d.error_id.as_deref(), Some("oaeInvented1234567890abcdE"));
    assert!(text.contains("errorId"));
}

#[test]
fn ordinary_and_docs_pages_are_not_flagged() {
    let ordinary = fixture("ordinary.html");
    let docs = fixture("docs_redirect_uri_mismatch.html");
    let inputs = [
        PageInput::new(&ordinary),
        PageInput::new(&ordinary).with_url("https://www.contoso.example/"),
        PageInput::new(&ordinary).with_url("https://login.contoso.example/"),
        PageInput::new(&ordinary)
            .with_url("https://login.microsoftonline.com/common/oauth2/authorize"),
        PageInput::new(&docs),
        PageInput::new(&docs).with_url("https://learn.contoso.example/oauth/troubleshoot"),
        PageInput::new(&docs).with_url("https://developers.google.com/identity/errors"),
        PageInput::new(""),
        PageInput::new("just some text with AADSTS50011 in it"),
    ];
    for input in inputs {
        let got = decode_page(&input);
        assert!(got.is_none(), "flagged {:?}: {got:?}", input.url);
    }
}

#[test]
fn generic_pages_need_strong_evidence() {
    let keycloak = r#"<html><head><title>Sign in to contoso</title></head><body><div id="kc-content"><h1 id="kc-page-title">We are sorry...</h1><div id="kc-error-message"><p class="instruction">Invalid parameter: redirect_uri</p></div></div></body></html>"#;
    let p = idp(decode_page(&PageInput::new(keycloak).with_url(
        "https://auth.contoso.example/realms/main/protocol/openid-connect/auth",
    )));
    assert_eq!((p.idp, p.category), (Idp::Generic, "redirect_mismatch"));
    let IdpDetails::Generic(d) = &p.details else {
        panic!()
    };
    assert_eq!(d.product, Some("keycloak"));

    let oauth = "<html><head><title>Error</title></head><body><h1>Sign-in error</h1>\
        <p>Error: unauthorized_client</p><p>error_description: The client is not allowed to use this grant.</p></body></html>";
    let p = idp(decode_page(
        &PageInput::new(oauth).with_host("sso.contoso.example"),
    ));
    assert_eq!(
        (p.error.as_deref(), p.category),
        (Some("unauthorized_client"), "app_config")
    );
    assert_eq!(
        p.description.as_deref(),
        Some("The client is not allowed to use this grant.")
    );
    assert!(
        idp(decode_page(&PageInput::new(oauth))).error.is_some(),
        "short error-titled page"
    );
    assert!(decode_page(&PageInput::new(oauth).with_host("www.contoso.example")).is_none());
    let prose = "<html><head><title>Blog</title></head><body><p>We fixed access_denied and \
        invalid_request errors.</p></body></html>";
    assert!(decode_page(&PageInput::new(prose).with_host("login.contoso.example")).is_none());
}

#[test]
fn every_surface_renders_text() {
    let pages = [
        ("entra_converged_error_50011.html", "Entra ID page:"),
        (
            "entra_ca_block_53003.html",
            "Entra ID page: conditional access block",
        ),
        ("adfs_error.html", "AD FS error page"),
        (
            "google_403_disallowed_useragent.html",
            "Google error page: disallowed_useragent [webview_blocked]",
        ),
        (
            "okta_400.html",
            "Okta error page: invalid_request [redirect_mismatch]",
        ),
        (
            "okta_api_error.json",
            "Okta error page: E0000004 [credentials]",
        ),
    ];
    for (file, head) in pages {
        let body = fixture(file);
        let msg = decode_page(&PageInput::new(&body)).unwrap();
        let text = text_of(&msg, false);
        assert!(text.starts_with(head), "{file}:\n{text}");
        assert!(
            text.lines().skip(1).all(|l| l.starts_with("  ")),
            "{file}:\n{text}"
        );
    }
}
