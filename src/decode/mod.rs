//! Finding and decoding identity protocol messages in exchanges.

pub mod aadsts;
pub mod encoding;
pub mod entra;
mod finder;
pub mod html;
pub mod jwt;
pub mod oidc;
pub mod pages;
pub mod params;
pub mod saml;
pub mod wsfed;

use chrono::{DateTime, Utc};

/// How decoded messages are rendered as text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// `--show-secrets`: print token signatures, codes, cookie values.
    pub show_secrets: bool,
    /// The clock relative times are measured against ("expired 2 h ago"):
    /// the capture's own time for messages in a capture, now for `decode`.
    pub reference_time: Option<DateTime<Utc>>,
}

/// Where in an exchange a message was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The request URL's query string.
    RequestUrl,
    /// The request body (form, multipart, JSON).
    RequestBody,
    /// A request header (`Authorization: Bearer …`).
    RequestHeader,
    /// The `Location` header of a redirect (query or fragment).
    Location,
    /// The response body (HTML page, auto-submit form, JSON).
    ResponseBody,
    /// Response headers (`x-ms-*`).
    ResponseHeader,
}

impl Place {
    /// Whether the browser sent this message (to the party that received it),
    /// as opposed to receiving it in a response to pass on.
    pub fn is_sent(self) -> bool {
        matches!(self, Place::RequestUrl | Place::RequestBody | Place::RequestHeader)
    }
}

/// A decoded message and where it was found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    pub entry: u32,
    pub place: Place,
    /// The parameter or field it came from (`SAMLResponse`, `wresult`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where the message goes: the URL it was sent to, or the action of the
    /// form / target of the redirect that carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub message: Message,
}

/// An error a message carries, normalised across protocols.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The protocol's own code: `access_denied`, `Requester > RequestDenied`,
    /// `AADSTS50011`…
    pub code: String,
    pub description: Option<String>,
    /// AADSTS codes mentioned anywhere in it, in order.
    pub aadsts: Vec<u32>,
}

/// A message that was recognised but could not be decoded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Undecodable {
    /// What it looked like (`SAMLResponse`, `wresult`, `id_token`).
    pub what: String,
    pub reason: String,
}

/// Every kind of identity message trace-inspect decodes.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Message {
    Saml(saml::SamlMessage),
    WsFed(wsfed::WsFedMessage),
    #[serde(serialize_with = "undecodable")]
    Undecodable(Undecodable),
}

fn undecodable<S: serde::Serializer>(u: &Undecodable, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(3))?;
    m.serialize_entry("kind", "undecodable")?;
    m.serialize_entry("what", &u.what)?;
    m.serialize_entry("reason", &u.reason)?;
    m.end()
}

impl Message {
    /// The contract's `kind` word.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Saml(m) => m.kind(),
            Message::WsFed(m) => m.kind(),
            Message::Undecodable(_) => "undecodable",
        }
    }

    /// Who sent the message (`Issuer`; the client for OAuth requests).
    pub fn issuer(&self) -> Option<&str> {
        match self {
            Message::Saml(m) => m.issuer(),
            _ => None,
        }
    }

    /// The protocol family (`saml`, `wsfed`, `oidc`).
    pub fn protocol(&self) -> &'static str {
        match self {
            Message::Saml(_) => "saml",
            Message::WsFed(_) => "wsfed",
            Message::Undecodable(_) => "unknown",
        }
    }

    /// The value a request is correlated by: AuthnRequest `ID`, OAuth `state`,
    /// WS-Fed `wctx`.
    pub fn request_key(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(r)) => r.id.as_deref(),
            Message::WsFed(wsfed::WsFedMessage::Request(_)) => self.wsfed_wctx(),
            _ => None,
        }
    }

    /// The value an answer is correlated by: `InResponseTo`, `state`, `wctx`.
    pub fn answer_key(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::Response(r)) => r.in_response_to.as_deref().or_else(|| {
                r.assertions
                    .iter()
                    .filter_map(|a| a.subject.as_ref())
                    .flat_map(|s| &s.confirmations)
                    .filter_map(|c| c.data.as_ref())
                    .find_map(|d| d.in_response_to.as_deref())
            }),
            Message::WsFed(wsfed::WsFedMessage::Response(_)) => self.wsfed_wctx(),
            _ => None,
        }
    }

    fn wsfed_wctx(&self) -> Option<&str> {
        match self {
            Message::WsFed(m) => m.params().wctx.as_deref(),
            _ => None,
        }
    }

    /// An IdP's answer meant for the app (SAML Response, WS-Fed wresult,
    /// OAuth callback).
    pub fn is_idp_answer(&self) -> bool {
        match self {
            Message::Saml(saml::SamlMessage::Response(_)) => true,
            Message::WsFed(wsfed::WsFedMessage::Response(_)) => true,
            _ => false,
        }
    }

    /// A request that starts a sign-in (AuthnRequest, authorize request,
    /// wsignin1.0).
    pub fn is_sign_in_request(&self) -> bool {
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(_)) => true,
            Message::WsFed(wsfed::WsFedMessage::Request(_)) => true,
            _ => false,
        }
    }

    /// A successful answer (SAML Success with an assertion, code / tokens).
    pub fn is_success_answer(&self) -> bool {
        match self {
            Message::Saml(saml::SamlMessage::Response(r)) => {
                r.status.is_success()
                    && (!r.assertions.is_empty() || !r.encrypted_assertions.is_empty())
            }
            Message::WsFed(wsfed::WsFedMessage::Response(r)) => {
                r.token_response.is_some() && r.wresult_error.is_none()
            }
            _ => false,
        }
    }

    /// An error from the IdP (SAML non-success status, OAuth error, error page).
    pub fn is_error(&self) -> bool {
        match self {
            Message::Saml(saml::SamlMessage::Response(r)) => {
                r.status.code.is_some() && !r.status.is_success()
            }
            Message::Saml(saml::SamlMessage::LogoutResponse(r)) => {
                r.status.code.is_some() && !r.status.is_success()
            }
            _ => false,
        }
    }

    /// A consent screen shown to the user.
    pub fn is_consent_prompt(&self) -> bool {
        false
    }

    /// The `redirect_uri` / ACS URL a sign-in request asks for.
    pub fn redirect_uri(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(r)) => r.assertion_consumer_service_url.as_deref(),
            Message::WsFed(m) => m.params().wreply.as_deref(),
            _ => None,
        }
    }

    /// The `prompt` of an authorization request.
    pub fn prompt(&self) -> Option<&str> {
        None
    }

    /// A `prompt=none` / silent failure (`login_required`,
    /// `interaction_required`, AADSTS50058) that apps answer with an
    /// interactive retry.
    pub fn is_silent_failure(&self) -> bool {
        false
    }

    /// Identifiers for the ticket block.
    pub fn ids(&self, entry: u32) -> Vec<crate::flow::IdFact> {
        use crate::flow::{IdFact, IdKind};
        let mut out = Vec::new();
        let mut push = |kind, value: Option<&str>, source: &str| {
            if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
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
                push(IdKind::App, r.issuer.as_deref(), "AuthnRequest Issuer (SP entity ID)");
            }
            Message::Saml(saml::SamlMessage::Response(r)) => {
                push(IdKind::Idp, r.issuer.as_deref(), "SAML Response Issuer");
                if let Some(tid) = r.issuer.as_deref().and_then(entra_tenant_from_issuer) {
                    push(IdKind::Tenant, Some(tid), "SAML Issuer (sts.windows.net/<tenant>)");
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
                    push(IdKind::App, audience.map(String::as_str), "Assertion Audience");
                }
            }
            Message::WsFed(m) => {
                push(IdKind::App, m.params().wtrealm.as_deref(), "WS-Fed wtrealm");
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
                    aadsts: description.as_deref().map(aadsts::find_codes).unwrap_or_default(),
                    description,
                })
            }
            Message::Saml(saml::SamlMessage::LogoutResponse(r)) if self.is_error() => Some(ErrorInfo {
                code: r.status.chain(),
                description: r.status.message.clone(),
                aadsts: Vec::new(),
            }),
            _ => None,
        }
    }

    /// Error codes with their one-line meaning.
    pub fn error_codes(&self, entry: u32) -> Vec<crate::analysis::ErrorCode> {
        let Some(info) = self.error_info() else {
            return Vec::new();
        };
        let mut out: Vec<crate::analysis::ErrorCode> = info
            .aadsts
            .iter()
            .map(|c| crate::analysis::ErrorCode {
                code: format!("AADSTS{c}"),
                meaning: aadsts::lookup(*c)
                    .map_or_else(|| "not in our AADSTS table".to_owned(), |i| i.description.to_owned()),
                entry: Some(entry),
            })
            .collect();
        if out.is_empty() {
            out.push(crate::analysis::ErrorCode {
                code: info.code.clone(),
                meaning: info
                    .description
                    .clone()
                    .unwrap_or_else(|| "the IdP reported an error".to_owned()),
                entry: Some(entry),
            });
        }
        out
    }
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
pub fn trailer_ids(text: &str) -> Vec<(crate::flow::IdKind, &str)> {
    use crate::flow::IdKind;
    let mut out = Vec::new();
    for (label, kind) in [("Trace ID:", IdKind::Request), ("Correlation ID:", IdKind::Correlation)] {
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

/// Finds and decodes every identity message in a capture, in capture order.
pub fn find_all(capture: &crate::capture::Capture<'_>, limits: &crate::capture::Limits) -> Vec<Found> {
    finder::find_all(capture, limits)
}

/// An AADSTS code explained for `trace-inspect explain`, as text or JSON.
pub fn explain_code(_code: &str, _json: bool) -> Option<String> {
    None
}
