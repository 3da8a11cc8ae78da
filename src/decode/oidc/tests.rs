//! Behaviour tests for the OAuth / OIDC decoders, with realistic fixtures
//! (IDs are made up; shapes follow error-surfaces.md and the IdPs' docs).

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use url::Url;

use super::*;
use crate::decode::TextOptions;
use crate::decode::jwt::JwtForm;

const TENANT: &str = "fa15d692-e9c7-4460-a743-29f2956fd429";
const CLIENT: &str = "3f1c2a9e-5b7d-4c1e-9a0f-2b6d8e4c7a11";
const CORR: &str = "51d2a9c4-77e1-4c0f-a3b2-9d8e7f6a5b4c";
const TRACE: &str = "0e7f3a4d-8c1b-4a5e-9f2d-6b3c1a0e9d00";
const ENTRA_CODE: &str = "0.AQoAkvBAruLp6ESVTgDaULYb3F0d9T8wNTRIkHQLsHx8IALyAIA.AgABBAIAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P";

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

fn jwt(claims: Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJlLW5vdC1yZWFs",
        b64(r#"{"typ":"JWT","alg":"RS256","kid":"nOo3ZDrODXEK1jKWhXslHR_KXEg"}"#),
        b64(&claims.to_string())
    )
}

fn id_token() -> String {
    jwt(json!({
        "aud": CLIENT,
        "iss": format!("https://login.microsoftonline.com/{TENANT}/v2.0"),
        "iat": 1795158252, "nbf": 1795158252, "exp": 1795162152,
        "name": "Adele Vance", "nonce": "638679170520000000.NzQ2",
        "oid": "00000000-0000-0000-66f3-3332eca7ea81",
        "preferred_username": "adele@contoso.com",
        "tid": TENANT, "ver": "2.0"
    }))
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn one(messages: Vec<OidcMessage>) -> OidcMessage {
    assert_eq!(messages.len(), 1, "{messages:#?}");
    messages.into_iter().next().unwrap()
}

fn text(m: &OidcMessage, opts: &TextOptions) -> String {
    let mut out = Vec::new();
    m.write_text(&mut out, opts).unwrap();
    String::from_utf8(out).unwrap()
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn entra_authorize_url() -> String {
    let claims = r#"{"id_token":{"acrs":{"essential":true,"value":"c1"}}}"#;
    format!(
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?\
         client_id={CLIENT}&response_type=code%20id_token\
         &redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fsignin-oidc&response_mode=form_post\
         &scope=openid%20profile%20offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FUser.Read\
         &state=OpenIdConnect.AuthenticationProperties%3DAQAAANCMnd8BFdERjHoAwE\
         &nonce=638679170520000000.NzQ2&prompt=select_account%20consent\
         &login_hint=adele%40contoso.com&domain_hint=contoso.com\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256\
         &max_age=3600&claims={}&client-request-id={CORR}\
         &x-client-SKU=ID_NET8_0&x-client-Ver=7.1.2.0",
        enc(claims)
    )
}

// ---------------------------------------------------------------------------
// Authorization requests
// ---------------------------------------------------------------------------

#[test]
fn decodes_entra_v2_authorize_url_with_every_parameter() {
    let m = one(decode_url(&url(&entra_authorize_url())));
    let OidcMessage::OauthAuthorize(a) = &m else {
        panic!("{m:?}")
    };
    let ep = a.endpoint.as_ref().unwrap();
    assert_eq!(ep.idp, Idp::EntraId);
    assert_eq!(ep.cloud, Some(EntraCloud::Global));
    assert_eq!(ep.version, Some(EndpointVersion::V2));
    assert_eq!(ep.tenant.as_ref().unwrap().kind, TenantKind::Domain);
    assert_eq!(a.client_id.as_deref(), Some(CLIENT));
    assert_eq!(
        a.redirect_uri.as_deref(),
        Some("https://app.contoso.com/signin-oidc")
    );
    assert_eq!(
        a.response_type,
        vec![ResponseType::Code, ResponseType::IdToken]
    );
    assert_eq!(a.response_mode, Some(ResponseMode::FormPost));
    assert_eq!(a.scope.len(), 4);
    assert_eq!(
        a.state.as_deref(),
        Some("OpenIdConnect.AuthenticationProperties=AQAAANCMnd8BFdERjHoAwE")
    );
    assert_eq!(a.nonce.as_deref(), Some("638679170520000000.NzQ2"));
    assert_eq!(a.prompt, vec![Prompt::SelectAccount, Prompt::Consent]);
    assert_eq!(a.login_hint.as_deref(), Some("adele@contoso.com"));
    assert_eq!(a.domain_hint.as_deref(), Some("contoso.com"));
    assert_eq!(a.code_challenge_method, Some(CodeChallengeMethod::S256));
    assert_eq!(a.max_age, Some(3600));
    assert_eq!(
        a.claims.as_ref().unwrap()["id_token"]["acrs"]["value"],
        "c1"
    );
    assert_eq!(a.client_request_id.as_deref(), Some(CORR));
    assert_eq!(a.client_library.as_deref(), Some("ID_NET8_0 7.1.2.0"));
    assert_eq!(a.consent, Some(ConsentSignal::PromptForced));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    // Every parameter kept in order.
    let names: Vec<&str> = a.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"client_id"));
    assert_eq!(names.last(), Some(&"x-client-Ver"));
    assert_eq!(names.len(), 17);
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "oauth_authorize");
    assert_eq!(
        json["endpoint"]["tenant"]["value"],
        "contoso.onmicrosoft.com"
    );
    assert_eq!(json["response_type"], json!(["code", "id_token"]));
    assert_eq!(json["consent"], "prompt_forced");
}

#[test]
fn decodes_authorize_requests_of_other_idps() {
    let cases: &[(&str, Idp)] = &[
        (
            "https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&response_type=code&scope=openid%20email&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth2callback&state=s1&access_type=offline&prompt=consent",
            Idp::Google,
        ),
        (
            "https://dev-123456.okta.com/oauth2/default/v1/authorize?client_id=0oa1b2c3d4&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&state=s&nonce=n",
            Idp::Okta,
        ),
        (
            "https://sso.example.com/realms/acme/protocol/openid-connect/auth?client_id=portal&response_type=code&redirect_uri=https%3A%2F%2Fportal.example.com%2F&scope=openid",
            Idp::Keycloak,
        ),
        (
            "https://fs.contoso.com/adfs/oauth2/authorize/?client_id=app&response_type=code&resource=urn%3Aapp&redirect_uri=https%3A%2F%2Fapp.contoso.com%2F",
            Idp::Adfs,
        ),
        (
            "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/oauth2/v2.0/authorize?client_id=a&response_type=id_token&nonce=n&scope=openid&redirect_uri=https%3A%2F%2Fjwt.ms",
            Idp::EntraB2c,
        ),
        (
            "https://auth.example.com/authorize?client_id=xyz&response_type=code&redirect_uri=https%3A%2F%2Fapp%2Fcb",
            Idp::Other,
        ),
    ];
    for (u, idp) in cases {
        let m = one(decode_url(&url(u)));
        let OidcMessage::OauthAuthorize(a) = m else {
            panic!("{u}")
        };
        assert_eq!(a.endpoint.map(|e| e.idp), Some(*idp), "{u}");
    }
    // Any URL with client_id and a lowercase response_type.
    let generic = one(decode_url(&url(
        "https://idp.example.org/sso/start?client_id=abc&response_type=code&state=1",
    )));
    assert_eq!(generic.kind(), "oauth_authorize");
}

#[test]
fn authorize_warnings_point_at_classic_mistakes() {
    let u = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=a&response_type=id_token%20token&response_mode=query&scope=profile&redirect_uri=http%3A%2F%2Fapp.contoso.com%2Fcb&code_challenge_method=plain&prompt=selectaccount&state=1&state=2";
    let OidcMessage::OauthAuthorize(a) = one(decode_url(&url(u))) else {
        panic!()
    };
    let codes: Vec<&str> = a.warnings.iter().map(|w| w.code).collect();
    for expected in [
        "duplicate_parameter",
        "query_with_token",
        "nonce_missing",
        "openid_scope_missing",
        "pkce_method_without_challenge",
        "unknown_prompt",
        "http_redirect_uri",
    ] {
        assert!(codes.contains(&expected), "{expected} not in {codes:?}");
    }
    assert_eq!(a.prompt, vec![Prompt::Other("selectaccount".into())]);
}

#[test]
fn default_response_mode_follows_response_type() {
    let cases: &[(&str, ResponseMode)] = &[
        ("code", ResponseMode::Query),
        ("id_token", ResponseMode::Fragment),
        ("code%20id_token", ResponseMode::Fragment),
        ("token", ResponseMode::Fragment),
    ];
    for (rt, expected) in cases {
        let u = format!(
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=a&response_type={rt}&nonce=n&scope=openid"
        );
        let OidcMessage::OauthAuthorize(a) = one(decode_url(&url(&u))) else {
            panic!()
        };
        assert_eq!(a.effective_response_mode(), *expected, "{rt}");
    }
}

#[test]
fn decodes_request_object_and_lets_it_override_query() {
    let request = format!(
        "{}.{}.",
        b64(r#"{"alg":"none"}"#),
        b64(
            r#"{"client_id":"a","redirect_uri":"https://app/cb","nonce":"from-object","response_type":"code"}"#
        )
    );
    let u = format!(
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=a&nonce=from-query&request={request}"
    );
    let OidcMessage::OauthAuthorize(a) = one(decode_url(&url(&u))) else {
        panic!()
    };
    assert_eq!(a.nonce.as_deref(), Some("from-object"));
    assert_eq!(a.request.as_ref().unwrap().form, JwtForm::Unsecured);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["request"]["kind"], "jwt");
    assert!(
        json["params"]["request"]
            .as_str()
            .unwrap()
            .starts_with("‹redacted")
    );
}

#[test]
fn decodes_v1_authorize_with_resource_and_admin_consent_prompt() {
    let u = format!(
        "https://login.microsoftonline.com/{TENANT}/oauth2/authorize?client_id=a&response_type=code&resource=https%3A%2F%2Fgraph.windows.net&prompt=admin_consent&redirect_uri=https%3A%2F%2Fapp%2Fcb"
    );
    let OidcMessage::OauthAuthorize(a) = one(decode_url(&url(&u))) else {
        panic!()
    };
    assert_eq!(
        a.endpoint.as_ref().unwrap().version,
        Some(EndpointVersion::V1)
    );
    assert_eq!(
        a.endpoint.as_ref().unwrap().tenant.as_ref().unwrap().kind,
        TenantKind::Guid
    );
    assert_eq!(a.resource.as_deref(), Some("https://graph.windows.net"));
    assert_eq!(a.consent, Some(ConsentSignal::AdminConsentRequested));
}

#[test]
fn decodes_admin_consent_request_on_v2_endpoint() {
    let u = "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent?client_id=3f1c2a9e-5b7d-4c1e-9a0f-2b6d8e4c7a11&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fadminconsent&state=12345";
    let m = one(decode_url(&url(u)));
    assert_eq!(m.consent(), Some(ConsentSignal::AdminConsentRequested));
    assert!(text(&m, &TextOptions::default()).starts_with("OAuth admin consent request"));
    let common = "https://login.microsoftonline.com/common/v2.0/adminconsent?client_id=a&state=1";
    let OidcMessage::OauthAuthorize(a) = one(decode_url(&url(common))) else {
        panic!()
    };
    assert!(a.warnings.iter().any(|w| w.code == "admin_consent_common"));
}

#[test]
fn authorize_text_lists_parameters_and_defaults() {
    let m = one(decode_url(&url(&entra_authorize_url())));
    let t = text(&m, &TextOptions::default());
    assert!(t.starts_with("OAuth authorization request\n"), "{t}");
    assert!(t.contains("  idp  ") || t.contains("idp "), "{t}");
    assert!(
        t.contains("Entra ID v2 · global cloud · tenant contoso.onmicrosoft.com (domain)"),
        "{t}"
    );
    assert!(t.contains("redirect_uri"), "{t}");
    assert!(t.contains("consent prompt forced"), "{t}");
}

// ---------------------------------------------------------------------------
// Authorization responses
// ---------------------------------------------------------------------------

#[test]
fn decodes_fragment_response_from_location_header() {
    let client_info = b64(&format!(
        r#"{{"uid":"00000000-0000-0000-66f3-3332eca7ea81","utid":"{TENANT}"}}"#
    ));
    let location = format!(
        "https://app.contoso.com/#code={ENTRA_CODE}&id_token={}&client_info={client_info}&state=eyJpZCI6IjEifQ&session_state=7b4a2c1e-0f3d-4e5a-8b9c-1d2e3f4a5b6c",
        id_token()
    );
    let m = one(decode_url(&url(&location)));
    let OidcMessage::OauthResponse(r) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(r.delivery, Delivery::Fragment);
    assert_eq!(r.callback.as_deref(), Some("https://app.contoso.com/"));
    assert_eq!(r.code.as_ref().unwrap().expose(), ENTRA_CODE);
    let idt = r.id_token.as_ref().unwrap();
    assert_eq!(idt.nonce(), Some("638679170520000000.NzQ2"));
    assert_eq!(idt.tenant_id(), Some(TENANT));
    let ci = r.client_info.as_ref().unwrap();
    assert_eq!(ci.utid.as_deref(), Some(TENANT));
    assert_eq!(
        ci.home_account_id().as_deref(),
        Some("00000000-0000-0000-66f3-3332eca7ea81.fa15d692-e9c7-4460-a743-29f2956fd429")
    );
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "oauth_response");
    assert_eq!(json["delivery"], "fragment");
    assert!(json["code"].as_str().unwrap().starts_with("‹redacted"));
    assert_eq!(json["id_token"]["claims"]["tid"], TENANT);
    assert_eq!(json["id_token"]["signature"], "‹redacted 24 chars›");
    let serialized = json.to_string();
    assert!(!serialized.contains(ENTRA_CODE));
    assert!(!serialized.contains("c2lnbmF0dXJlLW5vdC1yZWFs"));
}

#[test]
fn decodes_form_post_response_body() {
    let body = format!(
        "code={ENTRA_CODE}&id_token={}&state=OpenIdConnect.AuthenticationProperties%3DAQAAANCMnd8&session_state=7b4a2c1e-0f3d-4e5a-8b9c-1d2e3f4a5b6c",
        id_token()
    );
    let target = url("https://app.contoso.com/signin-oidc");
    let m = one(decode_form_body(Some(&target), &body));
    let OidcMessage::OauthResponse(r) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(r.delivery, Delivery::FormPost);
    assert_eq!(
        r.callback.as_deref(),
        Some("https://app.contoso.com/signin-oidc")
    );
    assert_eq!(
        r.state.as_deref(),
        Some("OpenIdConnect.AuthenticationProperties=AQAAANCMnd8")
    );
    // decode_form (pairs) gives the same.
    let pairs: Vec<(Cow<str>, Cow<str>)> = url::form_urlencoded::parse(body.as_bytes()).collect();
    assert_eq!(decode_form(Some(&target), &pairs).len(), 1);
    let t = text(&m, &TextOptions::default());
    assert!(
        t.contains("JWT (JWS, RS256), signature not verified"),
        "{t}"
    );
    assert!(!t.contains(ENTRA_CODE), "{t}");
    let shown = text(
        &m,
        &TextOptions {
            show_secrets: true,
            reference_time: None,
        },
    );
    assert!(shown.contains(ENTRA_CODE));
}

#[test]
fn decodes_google_code_response_and_consent_shown() {
    let u = "https://app.example.com/oauth2callback?state=security_token%3D138r5719ru3e1%26url%3Dhttps%3A%2F%2Foauth2-login-demo.example.com%2FmyHome&code=4%2F0AX4XfWjYZ8tQ2bLr0sV9kEwQ&scope=email%20openid%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email&authuser=0&prompt=consent";
    let OidcMessage::OauthResponse(r) = one(decode_url(&url(u))) else {
        panic!()
    };
    assert_eq!(
        r.code.as_ref().unwrap().expose(),
        "4/0AX4XfWjYZ8tQ2bLr0sV9kEwQ"
    );
    assert_eq!(r.scope.len(), 3);
    assert_eq!(r.consent, Some(ConsentSignal::Accepted));
}

#[test]
fn decodes_implicit_access_token_and_keeps_opaque_tokens_masked() {
    let at = jwt(json!({"aud":"https://graph.microsoft.com","scp":"User.Read","tid":TENANT}));
    let u = format!(
        "https://spa.contoso.com/#access_token={at}&token_type=Bearer&expires_in=3599&scope=User.Read&state=s"
    );
    let m = one(decode_url(&url(&u)));
    let OidcMessage::OauthResponse(r) = &m else {
        panic!()
    };
    let token = r.access_token.as_ref().unwrap();
    assert_eq!(token.jwt.as_ref().unwrap().scopes(), vec!["User.Read"]);
    assert_eq!(r.expires_in, Some(3599));
    assert_eq!(m.jwts().len(), 1);
    let opaque = "https://spa.example.com/#access_token=EwBwA8l6BAAURSN&token_type=bearer&state=s";
    let OidcMessage::OauthResponse(r) = one(decode_url(&url(opaque))) else {
        panic!()
    };
    assert!(r.access_token.unwrap().jwt.is_none());
}

#[test]
fn decodes_admin_consent_success() {
    let u = format!(
        "https://app.contoso.com/adminconsent?admin_consent=True&tenant={TENANT}&scope=https%3a%2f%2fgraph.microsoft.com%2fUser.Read+https%3a%2f%2fgraph.microsoft.com%2fCalendars.Read&state=12345"
    );
    let m = one(decode_url(&url(&u)));
    let OidcMessage::OauthResponse(r) = &m else {
        panic!("{m:?}")
    };
    assert!(r.admin_consent);
    assert_eq!(r.tenant.as_deref(), Some(TENANT));
    assert_eq!(r.scope.len(), 2);
    assert_eq!(m.consent(), Some(ConsentSignal::AdminConsentGranted));
    assert_eq!(
        serde_json::to_value(&m).unwrap()["consent"],
        "admin_consent_granted"
    );
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn decodes_entra_error_redirect_with_url_encoded_trailer() {
    let u = format!(
        "https://app.contoso.com/signin-oidc?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+%27https%3a%2f%2fapp.contoso.com%2fsignin-oidc%27+specified+in+the+request+does+not+match+the+redirect+URIs+configured+for+the+application+%27{CLIENT}%27.%0d%0aTrace+ID%3a+{TRACE}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2026-11-20+09%3a04%3a12Z&error_uri=https%3a%2f%2flogin.microsoftonline.com%2ferror%3fcode%3d50011&state=OpenIdConnect.AuthenticationProperties%3dAQAAANCM"
    );
    let m = one(decode_url(&url(&u)));
    let OidcMessage::OauthError(e) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(e.error, ErrorCode::InvalidRequest);
    assert_eq!(e.delivery, Delivery::Query);
    assert_eq!(e.error_codes, vec![50011]);
    assert_eq!(e.trace_id.as_deref(), Some(TRACE));
    assert_eq!(e.correlation_id.as_deref(), Some(CORR));
    assert_eq!(e.timestamp.as_deref(), Some("2026-11-20 09:04:12Z"));
    assert_eq!(
        e.timestamp_utc.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-20T09:04:12+00:00")
    );
    let d = e.description.as_ref().unwrap();
    assert!(
        d.codes[0]
            .message
            .as_deref()
            .unwrap()
            .starts_with("The redirect URI 'https://app.contoso.com/signin-oidc'")
    );
    assert!(
        e.error_description
            .as_deref()
            .unwrap()
            .contains("\r\nTrace ID: ")
    );
    assert_eq!(e.consent, None);
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "oauth_error");
    assert_eq!(json["error_codes"], json!([50011]));
    assert_eq!(json["timestamp_utc"], "2026-11-20T09:04:12Z");
    let t = text(&m, &TextOptions::default());
    assert!(
        t.starts_with(
            "OAuth error (query) to https://app.contoso.com/signin-oidc: invalid_request"
        ),
        "{t}"
    );
    assert!(t.contains("AADSTS50011      The redirect URI"), "{t}");
    assert!(t.contains(&format!("correlation ID   {CORR}")), "{t}");
    assert!(
        t.contains("timestamp (UTC)  2026-11-20 09:04:12 UTC"),
        "{t}"
    );
}

#[test]
fn decodes_admin_consent_failures() {
    let declined = format!(
        "https://app.contoso.com/adminconsent?admin_consent=True&error=consent_required&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+{TRACE}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2026-11-20+09%3a04%3a12Z&state=12345"
    );
    let m = one(decode_url(&url(&declined)));
    let OidcMessage::OauthError(e) = &m else {
        panic!()
    };
    assert!(e.admin_consent);
    assert_eq!(e.error, ErrorCode::ConsentRequired);
    assert_eq!(e.consent, Some(ConsentSignal::Declined));
    let failed = "https://app.contoso.com/adminconsent?admin_consent=True&error=invalid_request&error_description=AADSTS90094%3a+Admin+consent+is+required.&state=1";
    assert_eq!(
        one(decode_url(&url(failed))).consent(),
        Some(ConsentSignal::AdminConsentFailed)
    );
}

#[test]
fn classifies_consent_errors_from_redirects() {
    let cases: &[(&str, Option<ConsentSignal>)] = &[
        (
            "error=consent_required&error_description=AADSTS65001%3a+The+user+or+administrator+has+not+consented.&state=s",
            Some(ConsentSignal::Required),
        ),
        (
            "error=access_denied&error_subcode=cancel&error_description=AADSTS65004%3a+User+declined+to+consent.&state=s",
            Some(ConsentSignal::Declined),
        ),
        (
            "error=access_denied&error_description=AADSTS90095%3a+Admin+consent+is+required+for+the+permissions.&state=s",
            Some(ConsentSignal::AdminConsentRequired),
        ),
        (
            "error=invalid_client&error_description=AADSTS650052%3a+The+app+needs+access+to+a+service.&state=s",
            Some(ConsentSignal::ResourceNotInTenant),
        ),
        (
            "error=invalid_request&error_description=AADSTS650057%3a+Invalid+resource.&state=s",
            Some(ConsentSignal::PermissionsNotConfigured),
        ),
        (
            "error=interaction_required&error_description=AADSTS50076%3a+MFA+required.&state=s",
            None,
        ),
        (
            "error=login_required&error_description=AADSTS50058%3a+A+silent+sign-in+request+was+sent.&state=s",
            None,
        ),
    ];
    for (q, expected) in cases {
        let m = one(decode_url(&url(&format!("https://app.contoso.com/cb?{q}"))));
        assert_eq!(m.consent(), *expected, "{q}");
    }
}

#[test]
fn decodes_google_and_okta_error_redirects() {
    let google = one(decode_url(&url(
        "https://app.example.com/oauth2callback?error=access_denied&state=security_token%3D138r5719ru3e1",
    )));
    let OidcMessage::OauthError(g) = &google else {
        panic!()
    };
    assert_eq!(g.error, ErrorCode::AccessDenied);
    assert!(g.error_codes.is_empty() && g.description.is_none());
    let okta = one(decode_url(&url(
        "https://app.example.com/authorization-code/callback?state=Zx1wQ&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.",
    )));
    let OidcMessage::OauthError(o) = &okta else {
        panic!()
    };
    assert_eq!(
        o.description.as_ref().unwrap().summary.as_deref(),
        Some("User is not assigned to the client application.")
    );
    let t = text(&okta, &TextOptions::default());
    assert!(t.contains("error_description  User is not assigned"), "{t}");
    // Google's embedded-webview refusal, and an unknown code with state.
    let webview = one(decode_url(&url(
        "https://app.example.com/cb?error=disallowed_useragent",
    )));
    assert_eq!(webview.kind(), "oauth_error");
    let custom = one(decode_url(&url(
        "https://app.example.com/cb?error=org_policy_blocked&state=s",
    )));
    let OidcMessage::OauthError(c) = &custom else {
        panic!()
    };
    assert_eq!(c.error, ErrorCode::Other("org_policy_blocked".into()));
    assert!(text(&custom, &TextOptions::default()).contains("not in the OAuth / OIDC registries"));
}

#[test]
fn decodes_adfs_error_with_msis_code_in_fragment() {
    let u = "https://app.contoso.com/#error=invalid_request&error_description=MSIS9604%3a+An+error+occurred.+The+authorization+server+was+not+able+to+fulfill+the+request.&state=s";
    let m = one(decode_url(&url(u)));
    let OidcMessage::OauthError(e) = &m else {
        panic!()
    };
    assert_eq!(e.delivery, Delivery::Fragment);
    let d = e.description.as_ref().unwrap();
    assert_eq!(d.codes[0].code, "MSIS9604");
    assert!(e.error_codes.is_empty(), "MSIS codes are not AADSTS codes");
}

#[test]
fn decodes_error_in_form_post() {
    let body = format!(
        "error=interaction_required&error_description=AADSTS50079%3a+Due+to+a+configuration+change+made+by+your+administrator%2c+you+must+enroll+in+multi-factor+authentication.%0d%0aTrace+ID%3a+{TRACE}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2026-11-20+09%3a04%3a12Z&error_uri=https%3a%2f%2flogin.microsoftonline.com%2ferror%3fcode%3d50079&state=s&claims=%7b%22access_token%22%3a%7b%22capolids%22%3a%7b%22essential%22%3atrue%2c%22values%22%3a%5b%22c1%22%5d%7d%7d%7d"
    );
    let m = one(decode_form_body(
        Some(&url("https://app.contoso.com/signin-oidc")),
        &body,
    ));
    let OidcMessage::OauthError(e) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(e.delivery, Delivery::FormPost);
    assert_eq!(e.error_codes, vec![50079]);
    assert_eq!(
        e.claims.as_ref().unwrap()["access_token"]["capolids"]["values"][0],
        "c1"
    );
}

// ---------------------------------------------------------------------------
// Token endpoint
// ---------------------------------------------------------------------------

#[test]
fn decodes_token_request_and_masks_its_secrets() {
    let assertion = jwt(
        json!({"aud":"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token","iss":CLIENT,"sub":CLIENT,"jti":"1","exp":1795162152}),
    );
    let body = format!(
        "client_id={CLIENT}&scope=openid%20offline_access&grant_type=authorization_code&code={ENTRA_CODE}&redirect_uri=https%3A%2F%2Fspa.contoso.com%2F&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_secret=Qx8Q~notARealSecret&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={assertion}&client_info=1"
    );
    let ep = url("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    let m = one(decode_form_body(Some(&ep), &body));
    let OidcMessage::OauthTokenRequest(t) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(t.grant_type, GrantType::AuthorizationCode);
    assert_eq!(t.redirect_uri.as_deref(), Some("https://spa.contoso.com/"));
    assert_eq!(t.endpoint.as_ref().unwrap().role, EndpointRole::Token);
    assert_eq!(
        t.client_assertion
            .as_ref()
            .unwrap()
            .jwt
            .as_ref()
            .unwrap()
            .subject(),
        Some(CLIENT)
    );
    let json = serde_json::to_string(&m).unwrap();
    for secret in [
        ENTRA_CODE,
        "dBjftJeZ4CVP",
        "notARealSecret",
        "c2lnbmF0dXJlLW5vdC1yZWFs",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert!(json.contains(r#""kind":"oauth_token_request""#));
    let t = text(&m, &TextOptions::default());
    assert!(
        t.starts_with("OAuth token request: grant_type authorization_code"),
        "{t}"
    );
    assert!(!t.contains("notARealSecret"));
    // Without a URL: grant_type plus another token parameter.
    let refresh = "grant_type=refresh_token&refresh_token=1.AQoAkvBAru&client_id=a";
    assert_eq!(
        one(decode_form_body(None, refresh)).kind(),
        "oauth_token_request"
    );
}

#[test]
fn decodes_token_json_success() {
    let at = jwt(
        json!({"aud":"00000003-0000-0000-c000-000000000000","scp":"openid profile User.Read","tid":TENANT}),
    );
    let body = json!({
        "token_type": "Bearer",
        "scope": "openid profile User.Read",
        "expires_in": 4821,
        "ext_expires_in": 4821,
        "access_token": at,
        "refresh_token": "1.AQoAkvBAruLp6ESVTgDaULYb3F0d9T8w",
        "id_token": id_token(),
        "client_info": b64(r#"{"uid":"u1","utid":"t1"}"#)
    })
    .to_string();
    let m = decode_json(None, &body).unwrap().unwrap();
    let OidcMessage::OauthTokenResponse(t) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(t.expires_in, Some(4821));
    assert_eq!(t.ext_expires_in, Some(4821));
    assert_eq!(
        t.id_token.as_ref().unwrap().nonce(),
        Some("638679170520000000.NzQ2")
    );
    assert_eq!(
        t.access_token
            .as_ref()
            .unwrap()
            .jwt
            .as_ref()
            .unwrap()
            .scopes()
            .len(),
        3
    );
    assert_eq!(
        t.client_info.as_ref().unwrap().home_account_id().as_deref(),
        Some("u1.t1")
    );
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "oauth_token_response");
    assert!(
        json["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("‹redacted")
    );
    assert!(
        json["params"]["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("‹redacted")
    );
    assert!(
        !json
            .to_string()
            .contains("1.AQoAkvBAruLp6ESVTgDaULYb3F0d9T8w")
    );
    assert_eq!(m.jwts().len(), 2);
}

#[test]
fn decodes_token_json_error_with_consent_suberror() {
    let body = json!({
        "error": "invalid_grant",
        "error_description": format!("AADSTS65001: The user or administrator has not consented to use the application with ID '{CLIENT}' named 'Contoso Portal'. Send an interactive authorization request for this user and resource.\r\nTrace ID: {TRACE}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2026-11-20 09:04:12Z"),
        "error_codes": [65001],
        "timestamp": "2026-11-20 09:04:12Z",
        "trace_id": TRACE,
        "correlation_id": CORR,
        "suberror": "consent_required"
    })
    .to_string();
    let ep = url("https://login.microsoftonline.com/common/oauth2/v2.0/token");
    let m = decode_json(Some(&ep), &body).unwrap().unwrap();
    let OidcMessage::OauthError(e) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(e.delivery, Delivery::Json);
    assert_eq!(e.error_codes, vec![65001]);
    assert_eq!(e.suberror.as_deref(), Some("consent_required"));
    assert_eq!(e.consent, Some(ConsentSignal::Required));
    assert_eq!(e.endpoint.as_ref().unwrap().role, EndpointRole::Token);
    assert_eq!(
        serde_json::to_value(&m).unwrap()["params"]["error_codes"],
        "[65001]"
    );
}

#[test]
fn refuses_invalid_json_with_reason_and_template_hint() {
    let body = r#"{"Success":true,"Entropy":{{.Entropy}}}"#;
    let err = decode_json(None, body).unwrap_err().to_string();
    assert!(
        err.starts_with("the body is not valid JSON (line 1, column 28"),
        "{err}"
    );
    assert!(
        err.contains("unfilled template placeholder {{.Entropy}}"),
        "{err}"
    );
    let plain = decode_json(None, "{").unwrap_err().to_string();
    assert!(!plain.contains("template"), "{plain}");
}

#[test]
fn recognises_get_credential_type_and_discovery_json() {
    let body = r#"{"Username":"adele@contoso.com","Display":"adele@contoso.com","IfExistsResult":0,"IsUnmanaged":false,"ThrottleStatus":0,"Credentials":{"PrefCredential":1,"HasPassword":true,"FederationRedirectUrl":"https://fs.contoso.com/adfs/ls/?username=adele%40contoso.com"},"EstsProperties":{"DomainType":4},"FlowToken":"AQABAAEAAAD--DLA3VO7Qr","IsSignupDisallowed":true,"apiCanary":"PAQABAAEAAAD"}"#;
    let m = decode_json(None, body).unwrap().unwrap();
    let OidcMessage::EntraCredentialType(c) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(c.if_exists_meaning(), Some("account exists"));
    assert_eq!(c.domain_type_meaning(), Some("federated domain"));
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "entra_credential_type");
    assert!(!json.to_string().contains("DLA3VO7Qr"));
    assert!(
        text(&m, &TextOptions::default()).contains("DomainType             4 (federated domain)")
    );

    let discovery = r#"{"token_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/token","jwks_uri":"https://login.microsoftonline.com/common/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"],"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize"}"#;
    let d = decode_json(None, discovery).unwrap().unwrap();
    assert_eq!(d.kind(), "oidc_discovery");
}

// ---------------------------------------------------------------------------
// Logout and consent
// ---------------------------------------------------------------------------

#[test]
fn decodes_logout_with_id_token_hint() {
    let u = format!(
        "https://login.microsoftonline.com/common/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fsignout-callback-oidc&id_token_hint={}&state=CfDJ8",
        id_token()
    );
    let m = one(decode_url(&url(&u)));
    let OidcMessage::OauthLogout(l) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(
        l.post_logout_redirect_uri.as_deref(),
        Some("https://app.contoso.com/signout-callback-oidc")
    );
    assert_eq!(l.id_token_hint.as_ref().unwrap().tenant_id(), Some(TENANT));
    assert_eq!(serde_json::to_value(&m).unwrap()["kind"], "oauth_logout");
    // Known logout paths need no parameters; generic ones do.
    assert_eq!(
        one(decode_url(&url(
            "https://login.microsoftonline.com/common/oauth2/logout"
        )))
        .kind(),
        "oauth_logout"
    );
    assert!(decode_url(&url("https://app.example.com/account/logout")).is_empty());
    assert_eq!(
        one(decode_url(&url(
            "https://idp.example.com/session/endsession?post_logout_redirect_uri=https%3A%2F%2Fapp%2F"
        )))
        .kind(),
        "oauth_logout"
    );
}

#[test]
fn decodes_entra_consent_set_post() {
    let target = url("https://login.microsoftonline.com/common/Consent/Set");
    let m = one(decode_form_body(
        Some(&target),
        "acceptConsent=true&ctx=rQQIARAAhZK9a9tAGMZ&hpgrequestid=6e1a7b2c-4d3e-4f50-8a9b-0c1d2e3f4a5b&flowToken=AQABAAEAAAD--DLA3VO7QrddgJg7WevrAgMBAAX&canary=PAQABAAEAAAD",
    ));
    let OidcMessage::Consent(c) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(c.accepted, Some(true));
    assert_eq!(m.consent(), Some(ConsentSignal::Accepted));
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["kind"], "consent");
    assert!(!json.to_string().contains("DLA3VO7Qr"));
    assert!(text(&m, &TextOptions::default()).contains("the user clicked Accept"));
    // The same fields elsewhere are not a consent answer.
    assert!(
        decode_form_body(
            Some(&url("https://app.example.com/consent/set")),
            "acceptConsent=true"
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------------------
// False positives
// ---------------------------------------------------------------------------

#[test]
fn ordinary_urls_are_not_oauth_messages() {
    let cases = [
        "https://www.bing.com/search?q=code&state=CA",
        "https://maps.example.com/find?code=94103&state=CA",
        "https://shop.example.com/checkout?error=true",
        "https://www.example.com/page?error=Not+Found&state=1",
        "https://www.example.com/page?error=timeout",
        "https://api.example.com/items?client_id=5&response_type=JSON",
        "https://app.example.com/#/dashboard?code=1234567890",
        "https://app.example.com/#section-2",
        "https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA",
        "https://app.example.com/cb?id_token=not-a-jwt&state=s",
        "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        "https://login.microsoftonline.com/common/login",
    ];
    for u in cases {
        assert!(
            decode_url(&url(u)).is_empty(),
            "{u}: {:?}",
            decode_url(&url(u))
        );
    }
}

#[test]
fn plausible_responses_are_recognised() {
    let cases = [
        "https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz",
        "https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&iss=https%3A%2F%2Fidp.example.com",
        "https://app.example.com/cb?error=access_denied",
        "https://app.example.com/cb?state=s&error=whatever_code",
    ];
    for u in cases {
        assert_eq!(decode_url(&url(u)).len(), 1, "{u}");
    }
}

#[test]
fn ordinary_forms_and_json_are_not_oauth_messages() {
    let forms = [
        "q=code&state=CA",
        "code=94103&state=CA",
        "login=adele%40contoso.com&passwd=hunter2&ctx=x",
        "grant_type=lifetime&client_id=5",
        "grant_type=authorization_code",
        "error=1&message=oops",
    ];
    for f in forms {
        assert!(
            decode_form_body(Some(&url("https://app.example.com/post")), f).is_empty(),
            "{f}"
        );
    }
    let bodies = [
        r#"{"error":"Not Found"}"#,
        r#"{"error":"not_found"}"#,
        r#"{"access_token":"abc"}"#,
        r#"{"id_token":"abc","token_type":"x"}"#,
        r#"[1,2,3]"#,
        r#""eyJ""#,
        r#"{"Success":true,"ResultValue":"Success","Message":null,"ErrCode":0}"#,
    ];
    for b in bodies {
        assert!(decode_json(None, b).unwrap().is_none(), "{b}");
    }
    // An unknown error is accepted as JSON from a known IdP endpoint.
    let ep = url("https://dev-1.okta.com/oauth2/default/v1/token");
    assert!(
        decode_json(Some(&ep), r#"{"error":"not_found"}"#)
            .unwrap()
            .is_some()
    );
}

#[test]
fn find_aadsts_codes_is_exposed_here() {
    assert_eq!(
        find_aadsts_codes("AADSTS50011 and AADSTS700054"),
        vec![50011, 700054]
    );
}

#[test]
fn jwe_id_token_is_reported_encrypted() {
    let jwe = format!(
        "{}.ZW5jS2V5.aXY.Y2lwaGVydGV4dA.dGFn",
        b64(r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"}"#)
    );
    let body = format!("id_token={jwe}&state=s");
    let OidcMessage::OauthResponse(r) = one(decode_form_body(None, &body)) else {
        panic!()
    };
    let idt = r.id_token.unwrap();
    assert!(idt.encrypted);
    assert_eq!(idt.form, JwtForm::Jwe);
}

#[test]
fn text_output_escapes_control_characters_in_parameters() {
    let u = "https://app.example.com/cb?error=access_denied&error_description=bad%1b%5b31m+text&state=s";
    let t = text(&one(decode_url(&url(u))), &TextOptions::default());
    assert!(!t.contains('\u{1b}'), "{t}");
}

/// Prints one serialized example per kind (run with `--nocapture` to see
/// them); asserts every kind is produced.
#[test]
fn every_kind_has_an_example() {
    let mut kinds = Vec::new();
    let mut show = |m: OidcMessage| {
        kinds.push(m.kind());
        println!("{}", serde_json::to_string_pretty(&m).unwrap());
    };
    show(one(decode_url(&url(&entra_authorize_url()))));
    show(one(decode_form_body(
        Some(&url("https://app.contoso.com/signin-oidc")),
        &format!(
            "code={ENTRA_CODE}&id_token={}&state=s1&session_state=7b4a2c1e",
            id_token()
        ),
    )));
    show(one(decode_url(&url(&format!(
        "https://app.contoso.com/adminconsent?admin_consent=True&error=consent_required&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+{TRACE}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2026-11-20+09%3a04%3a12Z&state=12345"
    )))));
    show(one(decode_form_body(
        Some(&url(
            "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        )),
        &format!(
            "grant_type=authorization_code&client_id={CLIENT}&code={ENTRA_CODE}&redirect_uri=https%3A%2F%2Fspa.contoso.com%2F&code_verifier=dBjftJeZ4CVP"
        ),
    )));
    show(
        decode_json(
            None,
            &json!({"token_type":"Bearer","scope":"User.Read","expires_in":3599,"ext_expires_in":3599,"access_token":"EwBwA8l6BAAURSN","refresh_token":"M.C105_BAY"}).to_string(),
        )
        .unwrap()
        .unwrap(),
    );
    show(one(decode_url(&url(
        "https://login.microsoftonline.com/common/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.contoso.com%2F",
    ))));
    show(one(decode_form_body(
        Some(&url("https://login.microsoftonline.com/common/Consent/Set")),
        "acceptConsent=false&ctx=rQQIARAAhZK9a9tAGMZ&hpgrequestid=6e1a7b2c&flowToken=AQABAAEAAAD&canary=PAQAB",
    )));
    show(
        decode_json(
            None,
            r#"{"Username":"a@contoso.com","IfExistsResult":1,"Credentials":{"HasPassword":true}}"#,
        )
        .unwrap()
        .unwrap(),
    );
    show(
        decode_json(None, r#"{"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize"}"#)
            .unwrap()
            .unwrap(),
    );
    assert_eq!(
        kinds,
        [
            "oauth_authorize",
            "oauth_response",
            "oauth_error",
            "oauth_token_request",
            "oauth_token_response",
            "oauth_logout",
            "consent",
            "entra_credential_type",
            "oidc_discovery"
        ]
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn decoders_never_panic_on_arbitrary_text(s in ".{0,300}") {
            let _ = decode_form_body(None, &s);
            let _ = decode_json(None, &s);
            let _ = parse_error_description(&s);
            let _ = find_aadsts_codes(&s);
            if let Ok(u) = Url::parse(&format!("https://login.microsoftonline.com/{s}")) {
                for m in decode_url(&u) {
                    let _ = text(&m, &TextOptions::default());
                }
            }
        }

        #[test]
        fn authorization_codes_never_leak_into_json_or_text(
            code in "C0DE[A-Za-z0-9._~-]{10,60}",
            state in "[a-z]{1,10}",
        ) {
            let u = url(&format!("https://app.example.com/cb?code={code}&state={state}"));
            let messages = decode_url(&u);
            prop_assert_eq!(messages.len(), 1);
            let json = serde_json::to_string(&messages).unwrap();
            prop_assert!(!json.contains(&code));
            prop_assert!(!text(&messages[0], &TextOptions::default()).contains(&code));
        }

        #[test]
        fn error_description_trailer_round_trips(
            code in 1u32..10_000_000,
            message in "[A-Za-z ,.']{1,80}",
            corr in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            sep in prop::sample::select(vec!["\r\n", "", " "]),
        ) {
            let raw = format!("AADSTS{code}: {message}{sep}Trace ID: {corr}{sep}Correlation ID: {corr}{sep}Timestamp: 2026-11-20 09:04:12Z");
            let d = parse_error_description(&raw);
            prop_assert_eq!(d.codes.len(), 1);
            prop_assert_eq!(d.codes[0].number, code);
            prop_assert_eq!(d.correlation_id.as_deref(), Some(corr.as_str()));
            prop_assert_eq!(d.trace_id.as_deref(), Some(corr.as_str()));
            prop_assert_eq!(d.timestamp.as_deref(), Some("2026-11-20 09:04:12Z"));
        }
    }
}

#[test]
fn large_pathological_inputs_stay_linear() {
    let started = std::time::Instant::now();
    let dots = format!("eyJ{}", ".".repeat(200_000));
    assert!(crate::decode::jwt::find_jwts(&dots).is_empty());
    let many_params = "a=1&".repeat(100_000);
    assert!(decode_form_body(None, &many_params).is_empty());
    let p = Params::parse(&many_params);
    assert_eq!(p.duplicates(), vec!["a"]);
    let codes: String = (0..50_000).map(|n| format!("AADSTS{n} ")).collect();
    assert_eq!(find_aadsts_codes(&codes).len(), 50_000);
    let error = format!(
        "error=access_denied&state=s&error_description={}",
        enc(&codes)
    );
    assert_eq!(decode_form_body(None, &error).len(), 1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// JARM (JWT Secured Authorization Response Mode §2.3.1, `query.jwt`): the
/// answer's parameters are the claims of the `response` JWT.
#[test]
fn jarm_response_jwt_is_read_from_its_claims() {
    let seg = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let token = |claims: Value| {
        format!(
            "{}.{}.{}",
            seg(&json!({"alg": "RS256", "kid": "k1"})),
            seg(&claims),
            URL_SAFE_NO_PAD.encode("sig")
        )
    };
    let err = token(
        json!({"iss": "https://op.example", "aud": "app1", "exp": 1795000000,
        "state": "s-123", "error": "access_denied", "error_description": "End-User aborted interaction"}),
    );
    let m = one(decode_url(&url(&format!(
        "https://app.example/callback?response={err}"
    ))));
    match m {
        OidcMessage::OauthError(e) => {
            assert_eq!(e.error.as_str(), "access_denied");
            assert_eq!(e.state.as_deref(), Some("s-123"));
        }
        other => panic!("not an error: {other:?}"),
    }
    let ok = token(
        json!({"iss": "https://op.example", "aud": "app1", "exp": 1795000000,
        "state": "s-123", "code": "c0de-0123456789abcdef"}),
    );
    let m = one(decode_url(&url(&format!(
        "https://app.example/callback#response={ok}"
    ))));
    assert!(matches!(m, OidcMessage::OauthResponse(_)), "{m:?}");
    // A `response` that is not a JWT answer is not one.
    assert!(decode_url(&url("https://app.example/cb?response=hello")).is_empty());
}
