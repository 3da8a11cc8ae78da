//! Identity payloads as Entra ID and SAML IdPs write them: long `/authorize`
//! query strings, JWTs, the ESTS login page with its inline `$Config`, the
//! `form_post` auto-submit page, SAML AuthnRequests (DEFLATE + base64 for the
//! Redirect binding, SAML bindings §3.4.4.1) and signed SAML Responses
//! (base64 for the POST binding, §3.5.4), and AADSTS error redirects.

use std::io::Write;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use super::content::html_escape;
use super::rng::Rng;

pub const IDP: &str = "https://login.microsoftonline.com";

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `application/x-www-form-urlencoded` serialization of name / value pairs.
pub fn form_encode(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v).replace("%20", "+")))
        .collect::<Vec<_>>()
        .join("&")
}

/// A tenant's fixed identifiers, reused across its sign-ins.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub client_id: String,
    pub user_oid: String,
    pub upn: String,
    pub groups: Vec<String>,
    pub cert_b64: String,
}

impl Tenant {
    pub fn new(rng: &mut Rng) -> Tenant {
        let mut cert = Vec::new();
        rng.fill(&mut cert, 1100);
        Tenant {
            id: rng.guid(),
            client_id: rng.guid(),
            user_oid: rng.guid(),
            upn: "adele.vance@contoso-dev.com".to_owned(),
            groups: (0..120).map(|_| rng.guid()).collect(),
            cert_b64: STANDARD.encode(cert),
        }
    }
}

/// The `/authorize` URL an OIDC app redirects to (long `state`, `nonce`).
pub fn authorize_url(rng: &mut Rng, t: &Tenant, redirect_uri: &str, form_post: bool) -> String {
    let state = format!("CfDJ8{}", rng.b64url_between(600, 1200));
    format!(
        "{IDP}/{}/oauth2/v2.0/authorize?client_id={}&redirect_uri={}&response_type={}&scope={}&response_mode={}&nonce={}&state={}&x-client-SKU=ID_NET8_0&x-client-ver=7.1.2.0&client-request-id={}&sso_reload=true",
        t.id,
        t.client_id,
        urlencode(redirect_uri),
        if form_post { "code%20id_token" } else { "code" },
        urlencode("openid profile offline_access https://graph.microsoft.com/User.Read"),
        if form_post { "form_post" } else { "query" },
        rng.b64url(86),
        state,
        rng.guid()
    )
}

/// A signed-looking JWT (RS256, 2048-bit signature length).
pub fn jwt(rng: &mut Rng, t: &Tenant, aud: &str, extra_claims: usize) -> String {
    let header = format!(
        "{{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"{}\"}}",
        rng.b64url(27)
    );
    let mut payload = format!(
        "{{\"aud\":\"{aud}\",\"iss\":\"{IDP}/{tid}/v2.0\",\"iat\":1795600000,\"nbf\":1795600000,\"exp\":1795603900,\"aio\":\"{}\",\"name\":\"Adele Vance\",\"nonce\":\"{}\",\"oid\":\"{}\",\"preferred_username\":\"{}\",\"rh\":\"{}\",\"sid\":\"{}\",\"sub\":\"{}\",\"tid\":\"{tid}\",\"uti\":\"{}\",\"ver\":\"2.0\"",
        rng.b64url(120),
        rng.b64url(86),
        t.user_oid,
        t.upn,
        rng.b64url(60),
        rng.guid(),
        rng.b64url(43),
        rng.b64url(22),
        tid = t.id
    );
    if extra_claims > 0 {
        payload.push_str(",\"groups\":[");
        let groups: Vec<String> = t
            .groups
            .iter()
            .take(extra_claims)
            .map(|g| format!("\"{g}\""))
            .collect();
        payload.push_str(&groups.join(","));
        payload.push(']');
    }
    payload.push('}');
    let mut sig = Vec::new();
    rng.fill(&mut sig, 256);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

/// The ESTS sign-in page: a big inline `$Config` object, then markup.
pub fn login_page(rng: &mut Rng, t: &Tenant, error: Option<&Aadsts>) -> String {
    let mut cfg = format!(
        "{{\"fShowPersistentCookiesWarning\":false,\"urlMsaSignUp\":\"https://login.live.com/oauth20_authorize.srf?scope=openid+profile+email+offline_access\\u0026response_type=code\\u0026client_id=51483342-085c-4d86-bf88-cf50c7252078\\u0026response_mode=form_post\\u0026redirect_uri=https%3a%2f%2flogin.microsoftonline.com%2fcommon%2freprocess\\u0026state={}\",\"sCtx\":\"{}\",\"sFT\":\"{}\",\"canary\":\"{}\",\"correlationId\":\"{}\",\"sessionId\":\"{}\",\"hpgrequestid\":\"{}\",\"urlPost\":\"/{}/login\",\"iMaxStackForKnockoutAsyncComponents\":10000",
        rng.b64url(300),
        rng.b64url_between(700, 1400),
        rng.b64url_between(900, 1500),
        rng.b64url(280),
        rng.guid(),
        rng.guid(),
        rng.guid(),
        t.id
    );
    if let Some(e) = error {
        cfg.push_str(&format!(
            ",\"iErrorCode\":{},\"strServiceExceptionMessage\":\"{}\",\"strTraceId\":\"{}\"",
            e.number,
            e.message.replace('\'', "\\u0027"),
            rng.guid()
        ));
    }
    for i in 0..rng.range(60, 160) {
        cfg.push_str(&format!(
            ",\"str{i}_{}\":\"{}\",\"url{i}\":\"https://aadcdn.msftauth.net/shared/1.0/content/js/{}.js?x={}\\u0026y={}\"",
            rng.alnum(6),
            rng.b64url_between(10, 80),
            rng.alnum(10),
            rng.hex(8),
            rng.alnum(4)
        ));
    }
    cfg.push('}');
    let mut s = String::with_capacity(cfg.len() + 8192);
    s.push_str("<!-- Copyright (C) Microsoft Corporation. All rights reserved. -->\n<!DOCTYPE html>\n<html dir=\"ltr\" class=\"\" lang=\"en\">\n<head>\n    <title>Sign in to your account</title>\n    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n    <meta name=\"robots\" content=\"none\">\n");
    s.push_str("<script type=\"text/javascript\">//<![CDATA[\n$Config=");
    s.push_str(&cfg);
    s.push_str(";\n//]]></script>\n");
    s.push_str("<script type=\"text/javascript\">//<![CDATA[\n!function(){var e=window,r=e.$Debug=e.$Debug||{},t=e.$Config||{};if(!r.appendLog){var n=[],o=0;r.appendLog=function(e){var r=t.maxDebugLog||25;n.push(\"[\"+(new Date).toISOString()+\"] \"+e)}}}();\n//]]></script>\n");
    s.push_str("</head>\n<body data-bind=\"defineGlobals: ServerData, bodyCssClass\">\n");
    if let Some(e) = error {
        s.push_str("    <div id=\"service_exception_message\" class=\"error-text\">");
        html_escape(&mut s, &format!("AADSTS{}: {}", e.number, e.message));
        s.push_str("</div>\n");
    }
    s.push_str("    <form name=\"f1\" id=\"i0281\" novalidate=\"novalidate\" spellcheck=\"false\" method=\"post\" target=\"_top\" autocomplete=\"off\" action=\"/common/login\">\n    </form>\n</body>\n</html>\n");
    s
}

/// The `response_mode=form_post` page: hidden inputs and an auto-submit script.
pub fn form_post_page(action: &str, fields: &[(&str, String)]) -> String {
    let mut s = String::from(
        "<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\"",
    );
    html_escape(&mut s, action);
    s.push_str("\">");
    for (k, v) in fields {
        s.push_str(&format!("<input type=\"hidden\" name=\"{k}\" value=\""));
        html_escape(&mut s, v);
        s.push_str("\" />");
    }
    s.push_str("<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form><script language=\"javascript\">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>");
    s
}

/// A SAML 2.0 AuthnRequest, DEFLATEd and base64-encoded for the Redirect binding.
pub fn saml_request(rng: &mut Rng, sp: &str, acs: &str) -> String {
    let xml = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_{}\" Version=\"2.0\" IssueInstant=\"2026-11-20T09:12:03.417Z\" Destination=\"{IDP}/saml2\" ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" AssertionConsumerServiceURL=\"{acs}\"><saml:Issuer>{sp}</saml:Issuer><samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\" AllowCreate=\"true\"/><samlp:RequestedAuthnContext Comparison=\"exact\"><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>",
        rng.hex(40)
    );
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    let deflated = match enc.write_all(xml.as_bytes()) {
        Ok(()) => enc.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    STANDARD.encode(deflated)
}

/// A signed SAML Response with one assertion, about 8–20 KB of XML, base64.
pub fn saml_response(rng: &mut Rng, t: &Tenant, sp: &str, acs: &str) -> String {
    let assertion_id = format!("_{}", rng.guid());
    let mut attrs = String::new();
    let claims = [
        (
            "http://schemas.microsoft.com/identity/claims/tenantid",
            t.id.clone(),
        ),
        (
            "http://schemas.microsoft.com/identity/claims/objectidentifier",
            t.user_oid.clone(),
        ),
        (
            "http://schemas.microsoft.com/identity/claims/displayname",
            "Adele Vance".to_owned(),
        ),
        (
            "http://schemas.microsoft.com/identity/claims/identityprovider",
            format!("https://sts.windows.net/{}/", t.id),
        ),
        (
            "http://schemas.microsoft.com/claims/authnmethodsreferences",
            "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"
                .to_owned(),
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
            "Adele".to_owned(),
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
            "Vance".to_owned(),
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            t.upn.clone(),
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            t.upn.clone(),
        ),
    ];
    for (name, value) in claims {
        attrs.push_str(&format!(
            "<Attribute Name=\"{name}\"><AttributeValue>{value}</AttributeValue></Attribute>"
        ));
    }
    attrs.push_str(
        "<Attribute Name=\"http://schemas.microsoft.com/ws/2008/06/identity/claims/groups\">",
    );
    for g in t.groups.iter().take(rng.range(40, 120)) {
        attrs.push_str(&format!("<AttributeValue>{g}</AttributeValue>"));
    }
    attrs.push_str("</Attribute>");
    let mut sig = Vec::new();
    rng.fill(&mut sig, 256);
    let xml = format!(
        "<samlp:Response ID=\"_{rid}\" Version=\"2.0\" IssueInstant=\"2026-11-20T09:12:05.127Z\" Destination=\"{acs}\" InResponseTo=\"_{irt}\" xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><Issuer xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">https://sts.windows.net/{tid}/</Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status><Assertion ID=\"{assertion_id}\" IssueInstant=\"2026-11-20T09:12:05.112Z\" Version=\"2.0\" xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"><Issuer>https://sts.windows.net/{tid}/</Issuer><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo><CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><Reference URI=\"#{assertion_id}\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></Transforms><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue>{digest}</DigestValue></Reference></SignedInfo><SignatureValue>{sigval}</SignatureValue><KeyInfo><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></Signature><Subject><NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">{upn}</NameID><SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><SubjectConfirmationData InResponseTo=\"_{irt}\" NotOnOrAfter=\"2026-11-20T09:17:05.112Z\" Recipient=\"{acs}\"/></SubjectConfirmation></Subject><Conditions NotBefore=\"2026-11-20T09:07:05.112Z\" NotOnOrAfter=\"2026-11-20T10:12:05.112Z\"><AudienceRestriction><Audience>{sp}</Audience></AudienceRestriction></Conditions><AttributeStatement>{attrs}</AttributeStatement><AuthnStatement AuthnInstant=\"2026-11-20T09:12:04.000Z\" SessionIndex=\"{assertion_id}\"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement></Assertion></samlp:Response>",
        rid = rng.guid(),
        irt = rng.hex(40),
        tid = t.id,
        digest = STANDARD.encode(rng.hex(32)),
        sigval = STANDARD.encode(sig),
        cert = t.cert_b64,
        upn = t.upn,
    );
    STANDARD.encode(xml)
}

/// An AADSTS error as ESTS reports it.
#[derive(Debug, Clone, Copy)]
pub struct Aadsts {
    pub number: u32,
    pub error: &'static str,
    pub message: &'static str,
}

pub const AADSTS: &[Aadsts] = &[
    Aadsts {
        number: 50011,
        error: "invalid_request",
        message: "The redirect URI 'https://portal.contoso-dev.com/signin-oidc' specified in the request does not match the redirect URIs configured for the application. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
    },
    Aadsts {
        number: 50105,
        error: "access_denied",
        message: "Your administrator has configured the application to block users unless they are specifically granted ('assigned') access to the application.",
    },
    Aadsts {
        number: 700016,
        error: "unauthorized_client",
        message: "Application with identifier 'a1b2c3' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant.",
    },
    Aadsts {
        number: 53003,
        error: "access_denied",
        message: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    },
    Aadsts {
        number: 65001,
        error: "consent_required",
        message: "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
    },
];

/// Where ESTS sends the browser back with an error (`response_mode=query`).
pub fn error_redirect(rng: &mut Rng, redirect_uri: &str, e: &Aadsts) -> String {
    let description = format!(
        "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: 2026-11-20 09:12:04Z",
        e.number,
        e.message,
        rng.guid(),
        rng.guid()
    );
    format!(
        "{redirect_uri}?error={}&error_description={}&error_uri={}&state={}",
        e.error,
        urlencode(&description),
        urlencode(&format!("{IDP}/error?code={}", e.number)),
        rng.b64url(400)
    )
}
