//! Finding and decoding identity protocol messages in exchanges.

pub mod aadsts;
pub mod encoding;
pub mod entra;
mod finder;
pub mod hosts;
pub mod html;
pub mod ids;
pub mod jwt;
mod lines;
pub mod oidc;
pub mod pages;
pub mod params;
pub mod pasted;
pub mod placeholder;
pub mod remediation;
pub mod saml;
pub mod signed;
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
        matches!(
            self,
            Place::RequestUrl | Place::RequestBody | Place::RequestHeader
        )
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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::secret::serialize_shown_opt"
    )]
    pub target: Option<String>,
    #[serde(flatten)]
    pub message: Message,
    /// Signature statuses, filled in after decoding (`messages[].signature`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Box<signed::MessageSignature>>,
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
    /// A category word the decoder already knows (`webview_blocked`,
    /// `redirect_mismatch`, `user_not_assigned`…), when no AADSTS code says.
    pub hint: Option<String>,
}

impl ErrorInfo {
    /// A device-code poll answered "not yet" (RFC 8628 §3.5:
    /// `authorization_pending`, `slow_down`; Entra's AADSTS70016 alone):
    /// progress, never a failure.
    pub fn is_poll_progress(&self) -> bool {
        matches!(self.code.as_str(), "authorization_pending" | "slow_down")
            || (!self.aadsts.is_empty() && self.aadsts.iter().all(|c| *c == 70016))
    }
}

/// A consent screen recognised by its shape (kind `consent_prompt`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentScreen {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A message that was recognised but could not be decoded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Undecodable {
    /// What it looked like (`SAMLResponse`, `wresult`, `id_token`).
    pub what: String,
    pub reason: String,
}

/// Every kind of identity message trace-inspect decodes.
///
/// Variants differ in size (a SAML Response is large); a capture holds at
/// most a few hundred messages, so they are kept inline rather than boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Message {
    Saml(saml::SamlMessage),
    WsFed(wsfed::WsFedMessage),
    Oidc(oidc::OidcMessage),
    Page(pages::PageMessage),
    Jwt(Box<jwt::Jwt>),
    #[serde(serialize_with = "consent_screen")]
    ConsentScreen(ConsentScreen),
    #[serde(serialize_with = "undecodable")]
    Undecodable(Undecodable),
}

fn consent_screen<S: serde::Serializer>(c: &ConsentScreen, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(2))?;
    m.serialize_entry("kind", "consent_prompt")?;
    if let Some(t) = &c.title {
        m.serialize_entry("title", t)?;
    }
    m.end()
}

fn undecodable<S: serde::Serializer>(u: &Undecodable, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(3))?;
    m.serialize_entry("kind", "undecodable")?;
    m.serialize_entry("what", &u.what)?;
    m.serialize_entry("reason", &u.reason)?;
    m.end()
}

/// OAuth errors that a silent (`prompt=none`) request is expected to get.
const SILENT_ERRORS: &[&str] = &[
    "login_required",
    "interaction_required",
    "consent_required",
    "account_selection_required",
];

impl Message {
    /// A device-code token poll (RFC 8628 §3.4: `grant_type=…:device_code`).
    pub fn is_device_code_request(&self) -> bool {
        matches!(self, Message::Oidc(oidc::OidcMessage::OauthTokenRequest(t))
            if t.grant_type == oidc::GrantType::DeviceCode)
    }

    /// The contract's `kind` word.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Saml(m) => m.kind(),
            Message::WsFed(m) => m.kind(),
            Message::Oidc(m) => m.kind(),
            Message::Page(m) => m.kind(),
            Message::Jwt(_) => "jwt",
            Message::ConsentScreen(_) => "consent_prompt",
            Message::Undecodable(_) => "undecodable",
        }
    }

    /// Who sent the message (`Issuer`; the client for OAuth requests).
    pub fn issuer(&self) -> Option<&str> {
        match self {
            Message::Saml(m) => m.issuer(),
            Message::Oidc(oidc::OidcMessage::OauthAuthorize(r)) => r.client_id.as_deref(),
            _ => None,
        }
    }

    /// The protocol family (`saml`, `wsfed`, `oidc`, `page`, `jwt`).
    pub fn protocol(&self) -> &'static str {
        match self {
            Message::Saml(_) => "saml",
            Message::WsFed(_) => "wsfed",
            Message::Oidc(_) => "oidc",
            Message::Page(_) => "page",
            Message::Jwt(_) => "jwt",
            Message::ConsentScreen(_) => "page",
            Message::Undecodable(_) => "unknown",
        }
    }

    /// The value a request is correlated by: AuthnRequest `ID`, OAuth `state`,
    /// WS-Fed `wctx`.
    pub fn request_key(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(r)) => r.id.as_deref(),
            Message::WsFed(wsfed::WsFedMessage::Request(_)) => self.wsfed_wctx(),
            Message::Oidc(m @ oidc::OidcMessage::OauthAuthorize(_)) => m.state(),
            _ => None,
        }
    }

    /// The value an answer is correlated by: `InResponseTo`, `state`, `wctx`.
    pub fn answer_key(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::Response(r)) => {
                r.in_response_to.as_deref().or_else(|| {
                    r.assertions
                        .iter()
                        .filter_map(|a| a.subject.as_ref())
                        .flat_map(|s| &s.confirmations)
                        .filter_map(|c| c.data.as_ref())
                        .find_map(|d| d.in_response_to.as_deref())
                })
            }
            Message::WsFed(wsfed::WsFedMessage::Response(_)) => self.wsfed_wctx(),
            Message::Oidc(
                m @ (oidc::OidcMessage::OauthResponse(_) | oidc::OidcMessage::OauthError(_)),
            ) => m.state(),
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
    /// OAuth callback or error redirect).
    pub fn is_idp_answer(&self) -> bool {
        match self {
            Message::Saml(saml::SamlMessage::Response(_)) => true,
            Message::WsFed(wsfed::WsFedMessage::Response(_)) => true,
            Message::Oidc(oidc::OidcMessage::OauthResponse(_)) => true,
            Message::Oidc(oidc::OidcMessage::OauthError(e)) => e.delivery != oidc::Delivery::Json,
            _ => false,
        }
    }

    /// A request that starts a sign-in (AuthnRequest, authorize request,
    /// wsignin1.0).
    pub fn is_sign_in_request(&self) -> bool {
        matches!(
            self,
            Message::Saml(saml::SamlMessage::AuthnRequest(_))
                | Message::WsFed(wsfed::WsFedMessage::Request(_))
                | Message::Oidc(oidc::OidcMessage::OauthAuthorize(_))
        )
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
            Message::Oidc(oidc::OidcMessage::OauthResponse(_)) => true,
            Message::Oidc(oidc::OidcMessage::OauthTokenResponse(_)) => true,
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
            Message::Oidc(oidc::OidcMessage::OauthError(_)) => true,
            Message::Page(p) => p.is_error(),
            _ => false,
        }
    }

    /// A consent screen shown to the user, or a consent answer.
    pub fn is_consent_prompt(&self) -> bool {
        match self {
            Message::Page(pages::PageMessage::EntraPage(p)) => {
                p.page_type == entra::PageType::Consent
            }
            Message::Oidc(oidc::OidcMessage::Consent(_)) => true,
            Message::ConsentScreen(_) => true,
            _ => false,
        }
    }

    /// The `redirect_uri` / ACS URL a sign-in request asks for.
    pub fn redirect_uri(&self) -> Option<&str> {
        match self {
            Message::Saml(saml::SamlMessage::AuthnRequest(r)) => {
                r.assertion_consumer_service_url.as_deref()
            }
            Message::WsFed(m) => m.params().wreply.as_deref(),
            Message::Oidc(oidc::OidcMessage::OauthAuthorize(r)) => r.redirect_uri.as_deref(),
            _ => None,
        }
    }

    /// The `prompt` of an authorization request, space-separated.
    pub fn prompt(&self) -> Option<String> {
        match self {
            Message::Oidc(oidc::OidcMessage::OauthAuthorize(r)) if !r.prompt.is_empty() => Some(
                r.prompt
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    }

    /// A `prompt=none` / silent failure (`login_required`,
    /// `interaction_required`…) that apps answer with an interactive retry.
    pub fn is_silent_failure(&self) -> bool {
        match self {
            Message::Oidc(oidc::OidcMessage::OauthError(e)) => {
                SILENT_ERRORS.contains(&e.error.as_str()) || e.error_codes.contains(&50058)
            }
            _ => false,
        }
    }

    /// Renders the message for people: aligned fields, times relative to
    /// `opts.reference_time`, secrets masked unless `opts.show_secrets`.
    pub fn write_text(
        &self,
        w: &mut dyn std::io::Write,
        opts: &TextOptions,
    ) -> std::io::Result<()> {
        match self {
            Message::Saml(m) => m.write_text(w, opts),
            Message::WsFed(m) => m.write_text(w, opts),
            Message::Oidc(m) => m.write_text(w, opts),
            Message::Page(m) => m.write_text(w, opts),
            Message::Jwt(j) => j.write_text(w, opts),
            Message::ConsentScreen(c) => writeln!(
                w,
                "Consent screen{}",
                c.title
                    .as_deref()
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default()
            ),
            Message::Undecodable(u) => writeln!(w, "{} could not be decoded: {}", u.what, u.reason),
        }
    }

    /// The decoded id_token of an OAuth answer.
    pub fn id_token(&self) -> Option<&jwt::Jwt> {
        match self {
            Message::Oidc(m) => m
                .jwts()
                .into_iter()
                .find(|(n, _)| *n == "id_token")
                .map(|(_, j)| j),
            _ => None,
        }
    }

    /// The `nonce` of an authorization request.
    pub fn nonce(&self) -> Option<&str> {
        match self {
            Message::Oidc(oidc::OidcMessage::OauthAuthorize(r)) => r.nonce.as_deref(),
            _ => None,
        }
    }
}

/// Finds and decodes every identity message in a capture, in capture order.
pub fn find_all(
    capture: &crate::capture::Capture<'_>,
    limits: &crate::capture::Limits,
) -> Vec<Found> {
    finder::find_all(capture, limits)
}
