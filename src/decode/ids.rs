//! Facts for the ticket block that decoding yields: the identifiers a
//! message or an exchange's headers carry ([`IdFact`]), and the error codes a
//! message reports with their meaning ([`CodeFact`]). They are decode-stage
//! values; `flow` gathers them around the failing step and the verdict's
//! ticket picks them.

use serde::Serialize;
use url::Url;

use super::{ErrorInfo, Message, aadsts, jwt, oidc, pages, remediation, saml};
use crate::capture::{Exchange, Headers, Limits};
use crate::codec::percent::decode_form;

/// What an identifier is, for the ticket block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdKind {
    Correlation,
    Request,
    Tenant,
    User,
    App,
    Idp,
}

impl IdKind {
    /// The ticket key it fills.
    pub fn key(self) -> &'static str {
        match self {
            IdKind::Correlation => "correlation_id",
            IdKind::Request => "request_id",
            IdKind::Tenant => "tenant_id",
            IdKind::User => "user",
            IdKind::App => "app",
            IdKind::Idp => "idp",
        }
    }
}

/// An identifier found in the capture, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdFact {
    pub kind: IdKind,
    pub value: String,
    pub entry: u32,
    pub source: String,
    /// Typed by the user (a login field), not issued by a server.
    pub typed: bool,
}

/// An error code with its one-line meaning and who acts on it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CodeFact {
    pub code: String,
    pub meaning: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    /// Who acts (`decode::remediation`); empty when the code is unknown.
    pub who: Vec<remediation::Who>,
}

impl CodeFact {
    /// The ticket's error line: `AADSTS53003 — <meaning> · who acts: admin`.
    pub fn line(&self) -> String {
        if self.who.is_empty() {
            format!("{} — {}", self.code, self.meaning)
        } else {
            format!(
                "{} — {} · who acts: {}",
                self.code,
                self.meaning,
                remediation::who_list(&self.who)
            )
        }
    }
}

impl Message {
    /// Identifiers for the ticket block.
    pub fn ids(&self, entry: u32) -> Vec<IdFact> {
        let mut out = Vec::new();
        let mut push = |kind, value: Option<&str>, source: &str| {
            if let Some(v) = value
                .map(str::trim)
                .filter(|v| !v.is_empty() && !v.contains("{{"))
            {
                out.push(IdFact {
                    kind,
                    value: v.to_owned(),
                    entry,
                    source: source.to_owned(),
                    typed: false,
                });
            }
        };
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(r)) => {
                push(
                    IdKind::App,
                    r.issuer.as_deref(),
                    "AuthnRequest Issuer (SP entity ID)",
                );
            }
            Message::Saml(saml::SamlMessage::Response(r)) => {
                push(IdKind::Idp, r.issuer.as_deref(), "SAML Response Issuer");
                if let Some(tid) = r.issuer.as_deref().and_then(entra_tenant_from_issuer) {
                    push(
                        IdKind::Tenant,
                        Some(tid),
                        "SAML Issuer (sts.windows.net/<tenant>)",
                    );
                }
                if let Some(msg) = &r.status.message {
                    for (k, v) in trailer_ids(msg) {
                        push(k, Some(v), "SAML StatusMessage");
                    }
                }
                for a in &r.assertions {
                    let name_id = a
                        .subject
                        .as_ref()
                        .and_then(|s| s.name_id.as_ref())
                        .map(|n| n.value.as_str());
                    push(IdKind::User, name_id, "Assertion NameID");
                    let audience = a.conditions.as_ref().and_then(|c| c.audiences.first());
                    push(
                        IdKind::App,
                        audience.map(String::as_str),
                        "Assertion Audience",
                    );
                }
            }
            Message::WsFed(m) => {
                push(IdKind::App, m.params().wtrealm.as_deref(), "WS-Fed wtrealm");
            }
            Message::Oidc(oidc::OidcMessage::OauthAuthorize(r)) => {
                push(IdKind::App, r.client_id.as_deref(), "authorize client_id");
                push(
                    IdKind::User,
                    r.login_hint.as_deref(),
                    "authorize login_hint",
                );
                let host = Url::parse(&r.url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned));
                if r.endpoint
                    .as_ref()
                    .is_none_or(|ep| ep.idp == oidc::Idp::Other)
                {
                    push(IdKind::Idp, host.as_deref(), "authorize URL host");
                }
                if let Some(ep) = &r.endpoint {
                    let tenant = ep.tenant.as_ref().filter(|t| {
                        matches!(t.kind, oidc::TenantKind::Guid | oidc::TenantKind::Domain)
                    });
                    push(
                        IdKind::Tenant,
                        tenant.map(|t| t.value.as_str()),
                        "authorize URL tenant",
                    );
                    push(IdKind::Idp, Some(ep.idp.name()), "authorize endpoint");
                }
            }
            Message::Oidc(oidc::OidcMessage::OauthError(e)) => {
                push(
                    IdKind::Correlation,
                    e.correlation_id.as_deref(),
                    "OAuth error correlation_id",
                );
                push(
                    IdKind::Request,
                    e.trace_id.as_deref(),
                    "OAuth error trace_id",
                );
                if let Some(d) = &e.description {
                    push(
                        IdKind::Correlation,
                        d.correlation_id.as_deref(),
                        "error_description Correlation ID",
                    );
                    push(
                        IdKind::Request,
                        d.trace_id.as_deref(),
                        "error_description Trace ID",
                    );
                }
            }
            Message::Oidc(m) => {
                for (name, j) in m.jwts() {
                    jwt_ids(j, name, &mut push);
                }
            }
            Message::Jwt(j) => jwt_ids(j, "JWT", &mut push),
            Message::Page(pages::PageMessage::EntraPage(p)) => {
                push(
                    IdKind::Correlation,
                    p.ids.correlation_id.as_deref(),
                    "Entra page correlation ID",
                );
                push(
                    IdKind::Request,
                    p.ids.request_id.as_deref(),
                    "Entra page request ID",
                );
                push(
                    IdKind::Tenant,
                    p.ids.tenant_id.as_deref(),
                    "Entra page tenant",
                );
                push(IdKind::User, p.ids.user.as_deref(), "Entra page user");
                let app = match (&p.ids.app_name, &p.ids.app_id) {
                    (Some(n), Some(i)) => Some(format!("{n} ({i})")),
                    (Some(n), None) => Some(n.clone()),
                    (None, Some(i)) => Some(i.clone()),
                    (None, None) => None,
                };
                push(IdKind::App, app.as_deref(), "Entra page app");
                push(IdKind::Idp, Some("Microsoft Entra ID"), "Entra page");
            }
            Message::Page(pages::PageMessage::IdpErrorPage(p)) => {
                push(IdKind::Idp, Some(p.idp.as_str()), "IdP error page");
                if let pages::IdpDetails::Adfs(d) = &p.details {
                    push(
                        IdKind::Request,
                        Some(d.activity_id.as_str()),
                        "AD FS Activity ID",
                    );
                    push(
                        IdKind::App,
                        d.relying_party.as_deref(),
                        "AD FS Relying party",
                    );
                }
                if let pages::IdpDetails::Okta(d) = &p.details {
                    push(IdKind::Request, d.error_id.as_deref(), "Okta errorId");
                }
            }
            _ => {}
        }
        out
    }

    /// The error this message carries, if it is one.
    pub fn error_info(&self) -> Option<ErrorInfo> {
        match self {
            Message::Saml(saml::SamlMessage::Response(r)) if self.is_error() => {
                let description = r.status.message.clone();
                Some(ErrorInfo {
                    code: r.status.chain(),
                    aadsts: description
                        .as_deref()
                        .map(aadsts::find_codes)
                        .unwrap_or_default(),
                    description,
                    hint: None,
                })
            }
            Message::Saml(saml::SamlMessage::LogoutResponse(r)) if self.is_error() => {
                Some(ErrorInfo {
                    code: r.status.chain(),
                    description: r.status.message.clone(),
                    aadsts: Vec::new(),
                    hint: None,
                })
            }
            Message::Oidc(oidc::OidcMessage::OauthError(e)) => {
                let mut aadsts = e.error_codes.clone();
                if aadsts.is_empty() {
                    aadsts = e
                        .error_description
                        .as_deref()
                        .map(aadsts::find_codes)
                        .unwrap_or_default();
                }
                use oidc::ConsentSignal as C;
                let hint = match e.consent {
                    Some(
                        C::Declined | C::Required | C::AdminConsentRequired | C::AdminConsentFailed,
                    ) => Some("consent".to_owned()),
                    _ => None,
                };
                Some(ErrorInfo {
                    code: e.error.as_str().to_owned(),
                    description: e.error_description.clone(),
                    aadsts,
                    hint,
                })
            }
            Message::Page(pages::PageMessage::EntraPage(p)) if p.is_error => {
                let codes: Vec<u32> = p
                    .error_codes
                    .iter()
                    .filter(|c| !c.benign)
                    .map(|c| c.code.code)
                    .collect();
                let message = p
                    .troubleshooting
                    .as_ref()
                    .and_then(|t| t.message.clone())
                    .or_else(|| p.title.clone());
                Some(ErrorInfo {
                    code: codes
                        .first()
                        .map_or_else(|| "entra_error_page".to_owned(), |c| format!("AADSTS{c}")),
                    description: message,
                    aadsts: codes,
                    hint: p.category.map(|c| c.as_str().to_owned()),
                })
            }
            Message::Page(pages::PageMessage::IdpErrorPage(p)) => Some(ErrorInfo {
                code: p
                    .error
                    .clone()
                    .unwrap_or_else(|| format!("{}_error_page", p.idp.as_str())),
                description: p.description.clone(),
                aadsts: p
                    .description
                    .as_deref()
                    .map(aadsts::find_codes)
                    .unwrap_or_default(),
                hint: Some(p.category.to_owned()),
            }),
            _ => None,
        }
    }

    /// Error codes with their one-line meaning.
    pub fn error_codes(&self, entry: u32) -> Vec<CodeFact> {
        let Some(info) = self.error_info() else {
            return Vec::new();
        };
        // Device-code "not yet" answers are progress, not errors.
        if info.is_poll_progress() {
            return Vec::new();
        }
        let mut out: Vec<CodeFact> = info
            .aadsts
            .iter()
            .map(|c| CodeFact {
                code: format!("AADSTS{c}"),
                meaning: aadsts::lookup(*c).map_or_else(
                    || "not in our AADSTS table".to_owned(),
                    |i| i.description.to_owned(),
                ),
                entry: Some(entry),
                who: remediation::aadsts_who(*c).to_vec(),
            })
            .collect();
        if out.is_empty() {
            let text = format!(
                "{} {}",
                info.code,
                info.description.as_deref().unwrap_or_default()
            );
            out.extend(
                crate::decode::entra::b2c::find_codes(&text)
                    .into_iter()
                    .filter_map(crate::decode::entra::b2c::lookup)
                    .map(|(c, _, meaning)| {
                        let code = format!("AADB2C{c}");
                        CodeFact {
                            who: remediation::lookup_reported(&code)
                                .map(|r| r.who.clone())
                                .unwrap_or_default(),
                            code,
                            meaning: (*meaning).to_owned(),
                            entry: Some(entry),
                        }
                    }),
            );
        }
        if out.is_empty() {
            out.push(CodeFact {
                code: info.code.clone(),
                meaning: info
                    .description
                    .as_deref()
                    .map(|d| d.lines().next().unwrap_or(d).trim().to_owned())
                    .unwrap_or_else(|| "the IdP reported an error".to_owned()),
                entry: Some(entry),
                who: remediation::who_for_error(&info),
            });
        }
        out
    }
}

/// Ticket identifiers from a JWT's claims.
fn jwt_ids(j: &jwt::Jwt, name: &str, push: &mut impl FnMut(IdKind, Option<&str>, &str)) {
    use IdKind;
    let Some(claims) = &j.claims else {
        return;
    };
    let text = |k: &str| claims.get(k).and_then(|v| v.as_str());
    push(IdKind::Tenant, text("tid"), &format!("{name} tid claim"));
    let user = text("upn")
        .or_else(|| text("preferred_username"))
        .or_else(|| text("email"))
        .or_else(|| text("unique_name"));
    push(IdKind::User, user, &format!("{name} user claim"));
    let app = text("azp")
        .or_else(|| text("appid"))
        .or_else(|| text("aud"));
    push(IdKind::App, app, &format!("{name} aud / azp claim"));
    push(IdKind::Idp, text("iss"), &format!("{name} iss claim"));
}

/// `https://sts.windows.net/<tenant>/` → the tenant GUID.
pub fn entra_tenant_from_issuer(issuer: &str) -> Option<&str> {
    let rest = issuer
        .strip_prefix("https://sts.windows.net/")
        .or_else(|| issuer.strip_prefix("https://login.microsoftonline.com/"))?;
    let tid = rest.split('/').next()?;
    (tid.len() == 36 && tid.chars().filter(|c| *c == '-').count() == 4).then_some(tid)
}

/// `Trace ID: …`, `Correlation ID: …` in an Entra message trailer.
pub fn trailer_ids(text: &str) -> Vec<(IdKind, &str)> {
    use IdKind;
    let mut out = Vec::new();
    for (label, kind) in [
        ("Trace ID:", IdKind::Request),
        ("Correlation ID:", IdKind::Correlation),
    ] {
        if let Some(i) = text.find(label) {
            let v = text[i + label.len()..].trim_start();
            let id: &str = &v[..v
                .find(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
                .unwrap_or(v.len())];
            if id.len() == 36 {
                out.push((kind, id));
            }
        }
    }
    out
}

/// Request / trace identifier headers, per IdP, each checked against the
/// vendor's documentation: (header, kind, where it is read, source label).
///
/// - Entra ID: `x-ms-request-id` (the request ID of the sign-in logs) and
///   `client-request-id` (the correlation ID), Microsoft identity platform
///   "Troubleshoot sign-in / request ID" docs; AD FS echoes
///   `client-request-id` too.
/// - Okta: `X-Okta-Request-Id` on every response, the
///   `debugContext.debugData.requestId` of the System Log (Okta API
///   reference, "Rate limits" response headers).
/// - Auth0: `X-Auth0-RequestId` on Authentication API responses (the ID
///   Auth0 support asks for).
/// - ForgeRock / PingAM: `X-ForgeRock-TransactionId`, the `transactionId` of
///   the AM audit logs (PingAM "Audit logging reference").
/// - PingOne: `X-Ping-External-Transaction-Id`, recorded in PingOne audit
///   reports (PingOne API "External transaction and session IDs").
///
/// Google and Keycloak document no request-ID header for browser sign-in;
/// their error pages and messages are read by the decoders instead.
const ID_HEADERS: [(&str, IdKind, Side, &str); 8] = [
    (
        "x-ms-request-id",
        IdKind::Request,
        Side::Response,
        "x-ms-request-id header",
    ),
    (
        "client-request-id",
        IdKind::Correlation,
        Side::Response,
        "client-request-id response header",
    ),
    (
        "client-request-id",
        IdKind::Correlation,
        Side::Request,
        "client-request-id request header",
    ),
    (
        "x-okta-request-id",
        IdKind::Request,
        Side::Response,
        "x-okta-request-id header (Okta System Log requestId)",
    ),
    (
        "x-auth0-requestid",
        IdKind::Request,
        Side::Response,
        "x-auth0-requestid header",
    ),
    (
        "x-forgerock-transactionid",
        IdKind::Request,
        Side::Response,
        "x-forgerock-transactionid response header (AM audit transactionId)",
    ),
    (
        "x-forgerock-transactionid",
        IdKind::Request,
        Side::Request,
        "x-forgerock-transactionid request header (AM audit transactionId)",
    ),
    (
        "x-ping-external-transaction-id",
        IdKind::Request,
        Side::Request,
        "x-ping-external-transaction-id header (PingOne audit)",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Identifiers carried in response and request headers.
pub fn header_ids(e: &Exchange<'_>) -> Vec<IdFact> {
    let mut out = Vec::new();
    for (name, kind, side, source) in ID_HEADERS {
        let value = match side {
            Side::Request => e.request.header(name),
            Side::Response => e.response.as_ref().and_then(|r| r.header(name)),
        };
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            out.push(IdFact {
                kind,
                value: v.to_owned(),
                entry: e.index,
                source: source.to_owned(),
                typed: false,
            });
        }
    }
    out
}

/// Identifiers a request itself shows: the tenant in an IdP endpoint's
/// path or host, and the user name typed at the IdP. Passwords are never
/// read: only the named login fields of a body are decoded.
pub fn request_ids(e: &Exchange<'_>, limits: &Limits) -> Vec<IdFact> {
    let mut out = Vec::new();
    let Ok(url) = Url::parse(&e.request.url) else {
        return out;
    };
    let fact = |kind, value: &str, source: String, typed| IdFact {
        kind,
        value: value.to_owned(),
        entry: e.index,
        source,
        typed,
    };
    if let Some((tenant, source)) = path_tenant(&url) {
        out.push(fact(IdKind::Tenant, &tenant, source, false));
    }
    // MSAL / ADAL send their correlation ID as the `client-request-id`
    // query parameter of Entra ID and AD FS requests (the same value as the
    // header; Entra's sign-in logs call it the correlation ID).
    let microsoft = url
        .host_str()
        .is_some_and(super::entra::is_microsoft_login_host);
    if (microsoft || url.path().to_ascii_lowercase().starts_with("/adfs/"))
        && let Some((_, v)) = url.query_pairs().find(|(k, _)| k == "client-request-id")
        && !v.trim().is_empty()
    {
        let source = "client-request-id query parameter".to_owned();
        out.push(fact(IdKind::Correlation, v.trim(), source, false));
    }
    if e.request.method.eq_ignore_ascii_case("POST")
        && let Some((user, source)) = typed_user(e, &url, limits)
    {
        out.push(fact(IdKind::User, &user, source, true));
    }
    out
}

/// The tenant an endpoint URL names.
///
/// - Entra ID: `https://login.microsoftonline.com/<tenant>/saml2`,
///   `/<tenant>/wsfed`, `/<tenant>/oauth2/…`, `/<tenant>/login` — a tenant ID
///   or a verified domain (not `common`, `organizations`, `consumers`), as in
///   Microsoft's "SAML-based single sign-on" and "OAuth 2.0 authorization
///   code flow" endpoint docs.
/// - Keycloak: `/realms/<realm>/protocol/…` and `/realms/<realm>/login-actions/…`
///   (Keycloak server administration guide, realm endpoints).
/// - Okta: the org host (`<org>.okta.com`, `.oktapreview.com`,
///   `.okta-emea.com`), which names the Okta tenant.
fn path_tenant(url: &Url) -> Option<(String, String)> {
    let host = url.host_str()?.to_ascii_lowercase();
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    if super::entra::is_microsoft_login_host(&host) {
        let (first, second) = (segments.first()?, segments.get(1)?);
        let endpoint = second.to_ascii_lowercase();
        if !matches!(
            endpoint.as_str(),
            "saml2" | "wsfed" | "oauth2" | "login" | "reprocess" | "federation" | "kmsi"
        ) {
            return None;
        }
        let tenant = oidc::Tenant::parse(first);
        return matches!(
            tenant.kind,
            oidc::TenantKind::Guid | oidc::TenantKind::Domain
        )
        .then(|| {
            (
                tenant.value,
                format!("Entra endpoint path (/<tenant>/{second})"),
            )
        });
    }
    if let Some(i) = segments.iter().position(|s| *s == "realms")
        && let (Some(realm), Some(next)) = (segments.get(i + 1), segments.get(i + 2))
        && matches!(*next, "protocol" | "login-actions" | "broker")
    {
        // A path segment (RFC 3986 §3.3): '+' is data, not a space.
        let realm = crate::codec::percent::decode(realm).into_owned();
        return Some((realm, "Keycloak realm in the URL path".to_owned()));
    }
    const OKTA: [&str; 3] = [".okta.com", ".oktapreview.com", ".okta-emea.com"];
    if OKTA.iter().any(|s| host.ends_with(s)) {
        return Some((host, "Okta org host".to_owned()));
    }
    None
}

/// The user name typed into an IdP's sign-in step, with where it was typed.
///
/// - Entra ID: the `username` of the JSON body POSTed to `…/GetCredentialType`
///   (the user-name page asks which credentials the account has), and the
///   `login` / `loginfmt` fields of the sign-in form POST.
/// - AD FS forms sign-in: the `UserName` field of the POST to `/adfs/ls/`.
/// - Okta: `username` of `/api/v1/authn` (Classic) and `identifier` of
///   `/idp/idx/identify` (Identity Engine), JSON bodies.
/// - Any other login form: a `username` / `login` / `email` /
///   `j_username` field in a form that also has a password field (only the
///   password field's *name* is looked at).
fn typed_user(e: &Exchange<'_>, url: &Url, limits: &Limits) -> Option<(String, String)> {
    const MAX_LOGIN_BODY: usize = 64 << 10;
    let path = url.path().to_ascii_lowercase();
    let microsoft = super::entra::is_microsoft_login_host(url.host_str().unwrap_or_default());
    // Which JSON login call this is, decided before any body is read.
    let json_field = if path.ends_with("/getcredentialtype") && microsoft {
        Some(("username", "Entra GetCredentialType username"))
    } else if path.ends_with("/api/v1/authn") {
        Some(("username", "Okta /api/v1/authn username"))
    } else if path.ends_with("/idp/idx/identify") {
        Some(("identifier", "Okta /idp/idx/identify identifier"))
    } else {
        None
    };
    let form = e
        .request
        .header("content-type")
        .is_some_and(|c| c.to_ascii_lowercase().contains("x-www-form-urlencoded"));
    if json_field.is_none() && !form {
        return None;
    }
    let body = e.request.body.as_ref()?;
    if body.is_empty() || body.recorded_len() > MAX_LOGIN_BODY {
        return None;
    }
    let text = body.text(limits).ok()?;
    let trimmed = text.trim_start();
    if let Some((name, source)) = json_field
        && trimmed.starts_with('{')
    {
        let value = json_string_field(trimmed, name)?;
        return Some((value, source.to_owned()));
    }
    if !form {
        return None;
    }
    let fields: &[(&str, &str)] = if microsoft {
        &[
            ("login", "Entra sign-in form login field"),
            ("loginfmt", "Entra sign-in form loginfmt field"),
        ]
    } else if path.contains("/adfs/ls") {
        &[("UserName", "AD FS forms sign-in UserName field")]
    } else if form_has_field(
        &text,
        &["password", "passwd", "Password", "j_password", "pass"],
    ) {
        &[
            ("username", "login form username field"),
            ("login", "login form login field"),
            ("email", "login form email field"),
            ("j_username", "login form j_username field"),
            ("UserName", "login form UserName field"),
        ]
    } else {
        return None;
    };
    fields
        .iter()
        .find_map(|(name, source)| form_field(&text, name).map(|v| (v, (*source).to_owned())))
}

/// One login field of a JSON body. Only the login fields are deserialized:
/// every other member (the password among them) is skipped unread
/// (`serde` ignores unknown fields without building them).
fn json_string_field(json: &str, name: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Login {
        username: Option<String>,
        identifier: Option<String>,
    }
    let login: Login = serde_json::from_str(json).ok()?;
    match name {
        "username" => login.username,
        _ => login.identifier,
    }
    .map(|v| v.trim().to_owned())
    .filter(|v| !v.is_empty())
}

/// Whether an `application/x-www-form-urlencoded` body has a field of one
/// of these names (values are not decoded).
fn form_has_field(body: &str, names: &[&str]) -> bool {
    body.split('&')
        .filter_map(|pair| pair.split('=').next())
        .any(|k| names.contains(&decode_form(k).as_str()))
}

/// The decoded value of one form field; only that field is decoded.
pub(crate) fn form_field(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (decode_form(k) == name)
            .then(|| decode_form(v).trim().to_owned())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod request_id_tests {
    use super::*;

    #[test]
    fn form_field_decodes_only_the_named_field() {
        let body = "i13=0&login=pat%40contoso.com&passwd=a%26b&Login=x&loginfmt=";
        assert_eq!(
            form_field(body, "login").as_deref(),
            Some("pat@contoso.com")
        );
        assert_eq!(form_field(body, "Login").as_deref(), Some("x"));
        assert_eq!(form_field(body, "loginfmt"), None, "empty is absent");
        assert_eq!(form_field(body, "user"), None);
        assert_eq!(
            form_field("user+name=a+b", "user name").as_deref(),
            Some("a b")
        );
    }

    #[test]
    fn json_login_fields_ignore_every_other_member() {
        let body = r#"{"password":{"deep":[1,2]},"username":" kim@contoso.com "}"#;
        assert_eq!(
            json_string_field(body, "username").as_deref(),
            Some("kim@contoso.com")
        );
        assert_eq!(json_string_field(body, "identifier"), None);
        assert_eq!(json_string_field("[1]", "username"), None);
    }

    #[test]
    fn path_tenants_need_a_known_endpoint() {
        let t = |u: &str| path_tenant(&Url::parse(u).unwrap()).map(|(v, _)| v);
        assert_eq!(
            t("https://login.microsoftonline.com/contoso.onmicrosoft.com/wsfed").as_deref(),
            Some("contoso.onmicrosoft.com")
        );
        assert_eq!(
            t("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize"),
            None
        );
        assert_eq!(
            t("https://login.microsoftonline.com/contoso.com/favicon.ico"),
            None
        );
        assert_eq!(
            t("https://kc.example/auth/realms/My%20Realm/protocol/openid-connect/auth").as_deref(),
            Some("My Realm")
        );
        assert_eq!(t("https://kc.example/realms/x/account"), None);
        assert_eq!(t("https://app.example/contoso.com/saml2"), None);
    }
}
