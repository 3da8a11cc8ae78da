//! Facts for the ticket block that decoding yields: the identifiers a
//! message or an exchange's headers carry ([`IdFact`]), and the error codes a
//! message reports with their meaning ([`CodeFact`]). They are decode-stage
//! values; `flow` gathers them around the failing step and the verdict's
//! ticket picks them.

use serde::Serialize;
use url::Url;

use super::{ErrorInfo, Message, aadsts, jwt, oidc, pages, saml};
use crate::capture::{Exchange, Headers};

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
}

/// An error code with its one-line meaning.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CodeFact {
    pub code: String,
    pub meaning: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
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
                    .map(|(c, _, meaning)| CodeFact {
                        code: format!("AADB2C{c}"),
                        meaning: (*meaning).to_owned(),
                        entry: Some(entry),
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

/// Identifiers carried in response and request headers.
pub fn header_ids(e: &Exchange<'_>) -> Vec<IdFact> {
    let mut out = Vec::new();
    let mut push = |kind, value: &str, source: &str| {
        let v = value.trim();
        if !v.is_empty() {
            out.push(IdFact {
                kind,
                value: v.to_owned(),
                entry: e.index,
                source: source.to_owned(),
            });
        }
    };
    if let Some(r) = &e.response {
        if let Some(v) = r.header("x-ms-request-id") {
            push(IdKind::Request, v, "x-ms-request-id header");
        }
        if let Some(v) = r.header("client-request-id") {
            push(IdKind::Correlation, v, "client-request-id response header");
        }
    }
    if let Some(v) = e.request.header("client-request-id") {
        push(IdKind::Correlation, v, "client-request-id request header");
    }
    out
}
