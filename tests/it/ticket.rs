//! The ticket block says only what the capture shows, and all of it: the
//! time zone from evidence only, every IdP's request / trace ID (the one
//! nearest the failing step first, the others listed), the user and tenant
//! from every place they appear (typed values marked, passwords never
//! read), and the same fields in text, Markdown and JSON. Each case is a
//! small HAR shaped like the real exporter's and IdP's traffic.

use serde_json::{Value, json};

use crate::common::bin;

/// One exchange of a synthesized HAR.
struct Step {
    started: &'static str,
    method: &'static str,
    url: &'static str,
    status: u16,
    request_headers: Vec<(&'static str, &'static str)>,
    response_headers: Vec<(&'static str, &'static str)>,
    post: Option<(&'static str, &'static str)>,
}

fn step(started: &'static str, method: &'static str, url: &'static str, status: u16) -> Step {
    Step {
        started,
        method,
        url,
        status,
        // A browser navigation, as Chrome sends it.
        request_headers: vec![
            (
                "User-Agent",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
            ),
            (
                "Accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            ),
        ],
        response_headers: vec![("Content-Type", "text/html")],
        post: None,
    }
}

fn har(creator: &str, steps: &[Step]) -> Vec<u8> {
    let headers = |h: &[(&str, &str)]| -> Value {
        h.iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect()
    };
    let entries: Vec<Value> = steps
        .iter()
        .map(|s| {
            let mut request = json!({
                "method": s.method, "url": s.url, "httpVersion": "HTTP/1.1",
                "headers": headers(&s.request_headers), "queryString": [], "cookies": [],
                "headersSize": -1, "bodySize": 0
            });
            if let Some((mime, text)) = s.post {
                request["postData"] = json!({"mimeType": mime, "text": text});
                request["bodySize"] = json!(text.len());
                request["headers"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "Content-Type", "value": mime}));
            }
            json!({
                "startedDateTime": s.started, "time": 10,
                "request": request,
                "response": {
                    "status": s.status, "statusText": "", "httpVersion": "HTTP/1.1",
                    "headers": headers(&s.response_headers), "cookies": [],
                    "content": {"size": 0, "mimeType": "text/html", "text": ""},
                    "redirectURL": "", "headersSize": -1, "bodySize": 0
                },
                "cache": {}, "timings": {"send": 1, "wait": 8, "receive": 1}
            })
        })
        .collect();
    serde_json::to_vec(&json!({"log": {
        "version": "1.2",
        "creator": {"name": creator, "version": "1"},
        "pages": [], "entries": entries
    }}))
    .unwrap()
}

/// Analyses a HAR piped on standard input in one format.
fn report(bytes: &[u8], format: &str) -> String {
    let out = bin()
        .args(["-", "--format", format])
        .write_stdin(bytes.to_vec())
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ticket(bytes: &[u8]) -> Value {
    let v: Value = serde_json::from_str(&report(bytes, "json")).unwrap();
    v["ticket"].clone()
}

const AUTHORIZE: &str = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=3f1c9a2e-7b4d-4c8a-a6e5-0d9b2f4c7e11&response_type=code&redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fsignin-oidc&scope=openid&state=abc";

#[test]
fn chrome_utc_times_leave_the_zone_unknown() {
    let bytes = har(
        "WebInspector",
        &[step("2026-11-20T09:04:12.000Z", "GET", AUTHORIZE, 200)],
    );
    let t = ticket(&bytes);
    assert_eq!(t["timezone"], Value::Null);
    assert_eq!(t["local_time"], Value::Null);
    assert_eq!(
        t["timezone_note"],
        "unknown (this exporter records UTC only) — ask the user"
    );
    assert_eq!(t["timestamp"], "2026-11-20T09:04:12Z");
    let text = report(&bytes, "text");
    assert!(!text.contains("(user's time 20"), "{text}");
    assert!(
        text.contains("Time zone      unknown (this exporter records UTC only) — ask the user")
    );
    let md = report(&bytes, "markdown");
    assert!(md.contains("| Time zone | unknown (this exporter records UTC only) — ask the user |"));
}

#[test]
fn mitmproxy_utc_offset_is_not_a_zone_but_firefox_and_fiddler_offsets_are() {
    let utc_offset = "2026-11-20T09:04:12.000+00:00";
    let mitm = ticket(&har(
        "mitmproxy",
        &[step(utc_offset, "GET", AUTHORIZE, 200)],
    ));
    assert_eq!(
        mitm["timezone"],
        Value::Null,
        "mitmproxy writes UTC as +00:00"
    );
    let firefox = ticket(&har("Firefox", &[step(utc_offset, "GET", AUTHORIZE, 200)]));
    assert_eq!(
        firefox["timezone"], "UTC",
        "Firefox writes the local offset"
    );
    assert_eq!(firefox["timezone_note"], Value::Null);
    let east = ticket(&har(
        "WebInspector",
        &[step("2026-11-20T10:04:12.000+01:00", "GET", AUTHORIZE, 200)],
    ));
    assert_eq!(east["timezone"], "UTC+01:00");
    assert_eq!(east["local_time"], "2026-11-20 10:04:12 (UTC+01:00)");
    assert_eq!(east["timestamp"], "2026-11-20T09:04:12Z");
    let source = east["sources"]["timezone"]["source"].as_str().unwrap();
    assert!(source.contains("startedDateTime offset"), "{source}");
}

#[test]
fn times_without_offset_say_so() {
    let t = ticket(&har(
        "Some exporter",
        &[step("2026-11-20T09:04:12.000", "GET", AUTHORIZE, 200)],
    ));
    assert_eq!(t["timezone"], Value::Null);
    assert!(
        t["timezone_note"]
            .as_str()
            .unwrap()
            .contains("without a UTC offset")
    );
}

#[test]
fn a_zone_the_page_sent_names_the_zone_without_a_local_time() {
    let mut telemetry = step(
        "2026-11-20T09:04:13.000Z",
        "POST",
        "https://portal.contoso.com/telemetry",
        204,
    );
    telemetry.post = Some((
        "application/x-www-form-urlencoded",
        "event=load&timeZone=Europe%2FBerlin",
    ));
    let t = ticket(&har(
        "WebInspector",
        &[
            step("2026-11-20T09:04:12.000Z", "GET", AUTHORIZE, 200),
            telemetry,
        ],
    ));
    assert_eq!(t["timezone"], "Europe/Berlin");
    assert_eq!(
        t["local_time"],
        Value::Null,
        "a zone name has no offset here"
    );
    assert_eq!(t["sources"]["timezone"]["entry"], 2);
}

#[test]
fn typed_user_name_fills_the_block_and_the_password_is_never_shown() {
    let mut gct = step(
        "2026-11-20T09:04:13.000Z",
        "POST",
        "https://login.microsoftonline.com/common/GetCredentialType?mkt=en-US",
        200,
    );
    gct.post = Some((
        "application/json",
        r#"{"username":"pat.taylor@contoso.com","isOtherIdpSupported":true,"flowToken":"AQABAAEAAAA"}"#,
    ));
    let mut login = step(
        "2026-11-20T09:04:20.000Z",
        "POST",
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/login",
        200,
    );
    login.post = Some((
        "application/x-www-form-urlencoded",
        "i13=0&login=pat.taylor%40contoso.com&loginfmt=pat.taylor%40contoso.com&type=11&passwd=Hunter2-Sekret%21",
    ));
    let bytes = har(
        "WebInspector",
        &[
            step("2026-11-20T09:04:12.000Z", "GET", AUTHORIZE, 200),
            gct,
            login,
        ],
    );
    let t = ticket(&bytes);
    assert_eq!(t["user"], "pat.taylor@contoso.com");
    assert_eq!(t["sources"]["user"]["typed"], true);
    assert_eq!(t["sources"]["user"]["entry"], 3);
    assert_eq!(t["tenant_id"], "contoso.onmicrosoft.com");
    for format in ["json", "text", "markdown"] {
        let out = report(&bytes, format);
        assert!(!out.contains("Hunter2"), "{format} shows the password");
    }
    assert!(report(&bytes, "text").contains("typed by the user"));
    assert!(report(&bytes, "markdown").contains("typed by the user"));
}

#[test]
fn adfs_and_okta_typed_names_are_read_from_their_login_fields() {
    let mut adfs = step(
        "2026-11-20T09:04:13.000+01:00",
        "POST",
        "https://sts.contoso.com/adfs/ls/?SAMLRequest=fZJBT8MwDIX%2F",
        200,
    );
    adfs.post = Some((
        "application/x-www-form-urlencoded",
        "UserName=CONTOSO%5Cpat.taylor&Password=Hunter2&AuthMethod=FormsAuthentication",
    ));
    let t = ticket(&har("WebInspector", &[adfs]));
    assert_eq!(t["user"], "CONTOSO\\pat.taylor");
    assert!(
        t["sources"]["user"]["source"]
            .as_str()
            .unwrap()
            .contains("AD FS")
    );
    let mut okta = step(
        "2026-11-20T09:04:13.000Z",
        "POST",
        "https://contoso.okta.com/api/v1/authn",
        401,
    );
    okta.post = Some((
        "application/json",
        r#"{"username":"jordan.lee@contoso.com","password":"Hunter2"}"#,
    ));
    okta.response_headers
        .push(("X-Okta-Request-Id", "Xk2ZaB1cD3eF4gH5iJ6kLAAABc0"));
    let t = ticket(&har("WebInspector", &[okta]));
    assert_eq!(t["user"], "jordan.lee@contoso.com");
    assert_eq!(t["sources"]["user"]["typed"], true);
    assert_eq!(t["request_id"], "Xk2ZaB1cD3eF4gH5iJ6kLAAABc0");
    assert_eq!(t["tenant_id"], "contoso.okta.com");
}

#[test]
fn every_idp_request_id_header_reaches_the_block() {
    for (url, header, value) in [
        (
            "https://contoso.okta.com/oauth2/v1/authorize?client_id=x",
            "X-Okta-Request-Id",
            "YzA1Njg4NTItOkta",
        ),
        (
            "https://contoso.auth0.com/authorize?client_id=x",
            "X-Auth0-RequestId",
            "c629c3e05e0881e81315",
        ),
        (
            "https://am.contoso.com/am/oauth2/authorize?client_id=x",
            "X-ForgeRock-TransactionId",
            "9c9e8d5c-2941-4e61-9c3c-8a990088e801-77",
        ),
        (
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/saml2",
            "x-ms-request-id",
            "7a0c1b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
        ),
    ] {
        let mut s = step("2026-11-20T09:04:12.000Z", "GET", url, 200);
        s.response_headers.push((header, value));
        let t = ticket(&har("WebInspector", &[s]));
        assert_eq!(t["request_id"], value, "{header}");
        assert!(
            t["sources"]["request_id"]["source"]
                .as_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains(&header.to_ascii_lowercase())
        );
    }
    let adfs = step(
        "2026-11-20T09:04:12.000Z",
        "GET",
        "https://sts.contoso.com/adfs/oauth2/authorize?client_id=x&client-request-id=fa554fcc-f64f-44a1-8b5f-cd884b08ce07",
        200,
    );
    let t = ticket(&har("WebInspector", &[adfs]));
    assert_eq!(t["correlation_id"], "fa554fcc-f64f-44a1-8b5f-cd884b08ce07");
    let mut ping = step(
        "2026-11-20T09:04:12.000Z",
        "GET",
        "https://auth.pingone.com/env/as/authorize?client_id=x",
        200,
    );
    ping.request_headers
        .push(("X-Ping-External-Transaction-Id", "txn-123456"));
    assert_eq!(
        ticket(&har("WebInspector", &[ping]))["request_id"],
        "txn-123456"
    );
}

#[test]
fn the_id_nearest_the_failure_wins_and_the_others_are_listed() {
    let mut first = step("2026-11-20T09:04:12.000Z", "GET", AUTHORIZE, 302);
    first
        .response_headers
        .push(("x-ms-request-id", "11111111-1111-4111-8111-111111111111"));
    let mut last = step(
        "2026-11-20T09:04:14.000Z",
        "POST",
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/saml2",
        200,
    );
    last.response_headers
        .push(("x-ms-request-id", "22222222-2222-4222-8222-222222222222"));
    let bytes = har("WebInspector", &[first, last]);
    let t = ticket(&bytes);
    assert_eq!(t["request_id"], "22222222-2222-4222-8222-222222222222");
    let others: Vec<&str> = t["other_ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["key"] == "request_id")
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(others, ["11111111-1111-4111-8111-111111111111"]);
    assert!(report(&bytes, "text").contains("Also seen      request_id 11111111-1111-4111-8111-111111111111  (#1, x-ms-request-id header)"));
    assert!(report(&bytes, "markdown").contains("| Also seen: request_id | 11111111-1111-4111-8111-111111111111 | #1, x-ms-request-id header |"));
}

#[test]
fn path_tenants_of_entra_and_keycloak_fill_the_block() {
    let saml = step(
        "2026-11-20T09:04:12.000Z",
        "GET",
        "https://login.microsoftonline.com/6e3b9c1d-2f4a-4b8e-9c7d-5a1f0e2d3c4b/saml2?SAMLRequest=x",
        200,
    );
    let t = ticket(&har("WebInspector", &[saml]));
    assert_eq!(t["tenant_id"], "6e3b9c1d-2f4a-4b8e-9c7d-5a1f0e2d3c4b");
    assert_eq!(
        t["sources"]["tenant_id"]["source"],
        "Entra endpoint path (/<tenant>/saml2)"
    );
    let common = step(
        "2026-11-20T09:04:12.000Z",
        "GET",
        "https://login.microsoftonline.com/common/saml2",
        200,
    );
    assert_eq!(
        ticket(&har("WebInspector", &[common]))["tenant_id"],
        Value::Null,
        "common is no tenant"
    );
    let mut kc = step(
        "2026-11-20T09:04:12.000Z",
        "POST",
        "https://sso.contoso.com/realms/staff/login-actions/authenticate?session_code=abc&execution=x&client_id=portal&tab_id=t1",
        200,
    );
    kc.post = Some((
        "application/x-www-form-urlencoded",
        "username=kim&password=Hunter2&credentialId=",
    ));
    let t = ticket(&har("WebInspector", &[kc]));
    assert_eq!(t["tenant_id"], "staff");
    assert_eq!(t["user"], "kim");
    assert_eq!(t["sources"]["user"]["typed"], true);
}
