//! OAuth 2 / OpenID Connect messages found in URLs, form bodies and JSON
//! bodies: authorization requests, authorization responses and errors,
//! token requests and responses, logout requests, Entra consent steps,
//! Entra GetCredentialType answers and OIDC discovery documents.
//!
//! Entry points: [`decode_url`] (a request URL or a `Location` header —
//! both query and fragment are read), [`decode_form`] / [`decode_form_body`]
//! (an `application/x-www-form-urlencoded` POST body, with the URL it was
//! posted to), [`decode_json`] (a JSON response body). Each returns
//! [`OidcMessage`]s, serialized with a `kind` tag; JWTs inside are decoded
//! by [`crate::decode::jwt`] and never verified. Secrets (codes, tokens,
//! client secrets, verifiers, passwords, JWT signatures) are
//! [`crate::secret::Secret`]s.
//!
//! # Heuristics (false positives)
//!
//! Captures are full of ordinary query strings, so a message is reported
//! only when the evidence is specific:
//!
//! * **Authorization request**: a known authorize / admin consent path
//!   (Entra v1/v2, B2C, AD FS, Okta, Google, Keycloak, IdentityServer, MSA,
//!   or any path ending in `/authorize`) carrying `client_id`,
//!   `response_type`, `request` or `request_uri`; or *any* URL with both
//!   `client_id` and a `response_type` made only of lowercase `a-z_` words.
//! * **Authorization response** (query, fragment, form_post) — never on an
//!   IdP authorize / token / logout path — needs one of: an `id_token` that
//!   decodes as a JWT; `access_token` with `token_type`; a plausible `code`
//!   (at least 10 visible ASCII characters, so `?code=94103&state=CA`, a ZIP
//!   and a US state, is not one) together with `state`, `session_state`,
//!   `iss`, `client_info` or Google's `authuser`; or Entra's
//!   `admin_consent=True` with `tenant`.
//! * **Error response**: an `error` that looks like a code (letters,
//!   digits, `_ - . :`, no spaces, ≤ 100 characters) and is either a
//!   registered / documented code, or comes with `error_description`,
//!   `error_uri`, `state` or `admin_consent`. `?error=true` on a form page is
//!   not an OAuth error. JSON errors additionally accept `error_codes` or a
//!   known IdP endpoint URL as the second piece of evidence.
//! * **Token request**: a form with `grant_type` (registered, or a URI) and
//!   either a token endpoint URL or another token-request parameter
//!   (`client_id`, `code`, `refresh_token`, `assertion`, `device_code`,
//!   `username`).
//! * **Token response**: JSON with `access_token` plus `token_type` or
//!   `expires_in` (or posted to a known token endpoint), or with an
//!   `id_token` that decodes.
//! * **Logout**: a known logout / end-session path; a generic path ending in
//!   `logout`, `endsession`, `end_session`, `signout` or `logoff` only with
//!   `post_logout_redirect_uri`, `id_token_hint` or `logout_hint`.
//! * **Consent** (`kind: consent`): a form POSTed to Entra's
//!   `/{tenant}/Consent/Set` with `acceptConsent`, `flowToken` or `ctx`.
//! * **GetCredentialType**: JSON with `IfExistsResult` and `Credentials` or
//!   `Username`. **Discovery**: JSON with a string `issuer` and
//!   `authorization_endpoint` or `jwks_uri`.

mod consent;
pub mod endpoint;
mod errors;
mod messages;
pub mod params;
mod text;
pub mod values;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

pub use consent::{ConsentSignal, ConsentSubmission};
pub use endpoint::{
    EndpointRole, EndpointVersion, EntraCloud, Idp, IdpEndpoint, Tenant, TenantKind,
};
pub use errors::{
    ErrorDescription, IdpCode, find_aadsts_codes, normalize_description, parse_entra_timestamp,
    parse_error_description,
};
pub use messages::{
    AuthorizationResponse, AuthorizeRequest, ClientInfo, CredentialType, Delivery, Discovery,
    ErrorResponse, LogoutRequest, TokenRequest, TokenResponse, TokenValue, Warning,
};
pub use params::{Param, ParamValue, Params};
pub use values::{CodeChallengeMethod, ErrorCode, GrantType, Prompt, ResponseMode, ResponseType};

use crate::decode::jwt::{self, Jwt};
use values::is_code_like_error;

/// One decoded OAuth 2 / OIDC message, tagged by `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OidcMessage {
    /// Authorization (or admin consent) request.
    OauthAuthorize(Box<AuthorizeRequest>),
    /// Successful authorization response.
    OauthResponse(Box<AuthorizationResponse>),
    /// Error response (redirect, form_post or JSON).
    OauthError(Box<ErrorResponse>),
    /// Token endpoint request.
    OauthTokenRequest(Box<TokenRequest>),
    /// Successful token endpoint response.
    OauthTokenResponse(Box<TokenResponse>),
    /// RP-initiated logout.
    OauthLogout(Box<LogoutRequest>),
    /// Entra consent page answer (`/common/Consent/Set`).
    Consent(Box<ConsentSubmission>),
    /// Entra GetCredentialType answer.
    EntraCredentialType(Box<CredentialType>),
    /// OIDC discovery document.
    OidcDiscovery(Box<Discovery>),
}

impl OidcMessage {
    /// The `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OauthAuthorize(_) => "oauth_authorize",
            Self::OauthResponse(_) => "oauth_response",
            Self::OauthError(_) => "oauth_error",
            Self::OauthTokenRequest(_) => "oauth_token_request",
            Self::OauthTokenResponse(_) => "oauth_token_response",
            Self::OauthLogout(_) => "oauth_logout",
            Self::Consent(_) => "consent",
            Self::EntraCredentialType(_) => "entra_credential_type",
            Self::OidcDiscovery(_) => "oidc_discovery",
        }
    }

    /// What the message says about consent.
    pub fn consent(&self) -> Option<ConsentSignal> {
        match self {
            Self::OauthAuthorize(m) => m.consent,
            Self::OauthResponse(m) => m.consent,
            Self::OauthError(m) => m.consent,
            Self::Consent(m) => m.consent,
            _ => None,
        }
    }

    /// `state`, where the message carries one.
    pub fn state(&self) -> Option<&str> {
        match self {
            Self::OauthAuthorize(m) => m.state.as_deref(),
            Self::OauthResponse(m) => m.state.as_deref(),
            Self::OauthError(m) => m.state.as_deref(),
            Self::OauthLogout(m) => m.state.as_deref(),
            _ => None,
        }
    }

    /// AADSTS numbers of an error.
    pub fn error_codes(&self) -> &[u32] {
        match self {
            Self::OauthError(m) => &m.error_codes,
            _ => &[],
        }
    }

    /// Every decoded JWT in the message, labelled by parameter name.
    pub fn jwts(&self) -> Vec<(&'static str, &Jwt)> {
        let candidates: Vec<(&'static str, Option<&Jwt>)> = match self {
            Self::OauthAuthorize(m) => vec![("request", m.request.as_deref())],
            Self::OauthResponse(m) => vec![
                ("id_token", m.id_token.as_deref()),
                ("access_token", token_jwt(m.access_token.as_ref())),
            ],
            Self::OauthTokenRequest(m) => vec![
                ("client_assertion", token_jwt(m.client_assertion.as_ref())),
                ("assertion", token_jwt(m.assertion.as_ref())),
            ],
            Self::OauthTokenResponse(m) => vec![
                ("id_token", m.id_token.as_deref()),
                ("access_token", token_jwt(m.access_token.as_ref())),
            ],
            Self::OauthLogout(m) => vec![("id_token_hint", m.id_token_hint.as_deref())],
            _ => Vec::new(),
        };
        candidates
            .into_iter()
            .filter_map(|(name, j)| j.map(|j| (name, j)))
            .collect()
    }
}

fn token_jwt(t: Option<&TokenValue>) -> Option<&Jwt> {
    t.and_then(|t| t.jwt.as_deref())
}

/// Why a body could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    /// The body is not JSON.
    #[error(
        "the body is not valid JSON (line {line}, column {column}: {reason}){hint}",
        hint = template_hint(.placeholder.as_deref())
    )]
    InvalidJson {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's message.
        reason: String,
        /// A `{{…}}` template placeholder found in the body, if any.
        placeholder: Option<String>,
    },
}

fn template_hint(placeholder: Option<&str>) -> String {
    match placeholder {
        Some(p) => format!(
            "; it contains the unfilled template placeholder {p}: a test template, not a captured response"
        ),
        None => String::new(),
    }
}

/// Finds a `{{…}}` placeholder (Go / Handlebars templates), preferring an
/// unquoted one: that is what breaks the JSON.
fn find_placeholder(body: &str) -> Option<String> {
    let mut first = None;
    for (start, _) in body.match_indices("{{") {
        let Some(p) = body
            .get(start..)
            .and_then(|rest| rest.find("}}").and_then(|end| rest.get(..end + 2)))
            .filter(|p| p.len() <= 80)
        else {
            continue;
        };
        let quoted = body.get(..start).and_then(|b| b.trim_end().chars().last()) == Some('"');
        if !quoted {
            return Some(p.to_owned());
        }
        first.get_or_insert_with(|| p.to_owned());
    }
    first
}

/// `scheme://host[:port]/path` of a URL, without query or fragment.
fn without_query(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// Decodes the OAuth / OIDC messages in a URL: a request URL, or the target
/// of a `Location` header. Both the query and the fragment are read (a
/// fragment is only ever visible in a `Location` header or a page URL).
pub fn decode_url(url: &Url) -> Vec<OidcMessage> {
    let query = Params::from_pairs(url.query_pairs());
    let base = without_query(url);
    if let Some(ep) = endpoint::recognise(url) {
        match ep.role {
            EndpointRole::Authorize | EndpointRole::AdminConsent => {
                return authorize_if_plausible(base, Some(ep), query)
                    .into_iter()
                    .collect();
            }
            EndpointRole::Logout => {
                return vec![OidcMessage::OauthLogout(Box::new(
                    LogoutRequest::from_params(base, Some(ep), query),
                ))];
            }
            // A GET of a token / device / consent endpoint carries no message.
            EndpointRole::Token | EndpointRole::DeviceCode | EndpointRole::ConsentSet => {
                return Vec::new();
            }
        }
    }
    if is_generic_authorize(&query) {
        return vec![OidcMessage::OauthAuthorize(Box::new(
            AuthorizeRequest::from_params(base, None, query),
        ))];
    }
    if is_generic_logout(url, &query) {
        return vec![OidcMessage::OauthLogout(Box::new(
            LogoutRequest::from_params(base, None, query),
        ))];
    }
    let mut out = Vec::new();
    out.extend(response_if_plausible(
        query,
        Delivery::Query,
        Some(base.clone()),
    ));
    if let Some(fragment) = url.fragment() {
        let fragment = fragment.strip_prefix('/').unwrap_or(fragment);
        out.extend(response_if_plausible(
            Params::parse(fragment),
            Delivery::Fragment,
            Some(base),
        ));
    }
    out
}

/// Decodes a form POST body given as decoded pairs (e.g. from
/// `url::form_urlencoded::parse`), with the URL it was posted to.
pub fn decode_form(url: Option<&Url>, params: &[(Cow<'_, str>, Cow<'_, str>)]) -> Vec<OidcMessage> {
    decode_params(
        url,
        Params::from_pairs(params.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))),
    )
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn decode_form_body(url: Option<&Url>, body: &str) -> Vec<OidcMessage> {
    decode_params(url, Params::parse(body.trim()))
}

fn decode_params(url: Option<&Url>, params: Params) -> Vec<OidcMessage> {
    let ep = url.and_then(endpoint::recognise);
    let base = url.map(without_query);
    if let Some(ep) = ep.clone() {
        let out = match ep.role {
            EndpointRole::ConsentSet => ["acceptConsent", "flowToken", "ctx"]
                .iter()
                .any(|k| params.contains(k))
                .then(|| {
                    OidcMessage::Consent(Box::new(ConsentSubmission::from_params(
                        Some(ep),
                        params.clone(),
                    )))
                }),
            // OIDC Core §3.1.2.1: the authorization endpoint also accepts POST.
            EndpointRole::Authorize | EndpointRole::AdminConsent => {
                authorize_if_plausible(ep.url.clone(), Some(ep), params.clone())
            }
            EndpointRole::Logout => Some(OidcMessage::OauthLogout(Box::new(
                LogoutRequest::from_params(ep.url.clone(), Some(ep), params.clone()),
            ))),
            EndpointRole::Token | EndpointRole::DeviceCode => {
                is_token_request(&params, true).then(|| {
                    OidcMessage::OauthTokenRequest(Box::new(TokenRequest::from_params(
                        Some(ep),
                        params.clone(),
                    )))
                })
            }
        };
        return out.into_iter().collect();
    }
    if is_token_request(&params, false) {
        return vec![OidcMessage::OauthTokenRequest(Box::new(
            TokenRequest::from_params(None, params),
        ))];
    }
    response_if_plausible(params, Delivery::FormPost, base)
        .into_iter()
        .collect()
}

/// Decodes a JSON response body. `Ok(None)`: valid JSON that is not an
/// identity message. `Err`: not JSON at all (with the reason, and a hint
/// when the body is an unfilled template).
pub fn decode_json(url: Option<&Url>, body: &str) -> Result<Option<OidcMessage>, OidcError> {
    let body = body.trim_start_matches('\u{feff}');
    let value: Value = serde_json::from_str(body).map_err(|e| OidcError::InvalidJson {
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
        placeholder: find_placeholder(body),
    })?;
    let Value::Object(map) = value else {
        return Ok(None);
    };
    let ep = url.and_then(endpoint::recognise);
    if let Some(error) = map.get("error").and_then(Value::as_str) {
        return Ok(json_error_if_plausible(error, &map, ep));
    }
    if CredentialType::matches(&map) {
        return Ok(Some(OidcMessage::EntraCredentialType(Box::new(
            CredentialType::from_json(&map),
        ))));
    }
    if Discovery::matches(&map) {
        return Ok(Some(OidcMessage::OidcDiscovery(Box::new(
            Discovery::from_json(&map),
        ))));
    }
    let at_token_endpoint = ep.as_ref().is_some_and(|e| e.role == EndpointRole::Token);
    let has_str = |k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    let access = has_str("access_token")
        && (has_str("token_type") || map.contains_key("expires_in") || at_token_endpoint);
    let id_token = map
        .get("id_token")
        .and_then(Value::as_str)
        .is_some_and(|t| jwt::decode(t).is_ok());
    let refresh = has_str("refresh_token") && at_token_endpoint;
    if access || id_token || refresh {
        return Ok(Some(OidcMessage::OauthTokenResponse(Box::new(
            TokenResponse::from_params(ep, json_params(&map)),
        ))));
    }
    Ok(None)
}

fn json_params(map: &Map<String, Value>) -> Params {
    Params::from_pairs(map.iter().map(|(k, v)| (k.as_str(), jwt::value_text(v))))
}

fn json_error_if_plausible(
    error: &str,
    map: &Map<String, Value>,
    ep: Option<IdpEndpoint>,
) -> Option<OidcMessage> {
    let known = ErrorCode::parse(error).is_known();
    let idp_url = ep
        .as_ref()
        .is_some_and(|e| e.role != EndpointRole::ConsentSet);
    let evidence = known
        || map.contains_key("error_description")
        || map.contains_key("error_codes")
        || idp_url;
    (is_code_like_error(error) && evidence).then(|| {
        OidcMessage::OauthError(Box::new(ErrorResponse::from_params(
            Delivery::Json,
            None,
            ep,
            json_params(map),
            map.get("error_codes"),
        )))
    })
}

fn authorize_if_plausible(
    url: String,
    ep: Option<IdpEndpoint>,
    params: Params,
) -> Option<OidcMessage> {
    let evidence = ["client_id", "response_type", "request", "request_uri"]
        .iter()
        .any(|k| params.get_nonempty(k).is_some());
    evidence.then(|| {
        OidcMessage::OauthAuthorize(Box::new(AuthorizeRequest::from_params(url, ep, params)))
    })
}

/// Any URL with `client_id` and a lowercase-word `response_type`.
fn is_generic_authorize(p: &Params) -> bool {
    p.get_nonempty("client_id").is_some()
        && p.get_nonempty("response_type").is_some_and(|rt| {
            rt.split_whitespace()
                .all(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        })
}

fn is_generic_logout(url: &Url, p: &Params) -> bool {
    let last = url
        .path_segments()
        .and_then(|mut s| s.rfind(|x| !x.is_empty()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(
        last.as_str(),
        "logout" | "endsession" | "end_session" | "end-session" | "signout" | "logoff"
    ) && ["post_logout_redirect_uri", "id_token_hint", "logout_hint"]
        .iter()
        .any(|k| p.get_nonempty(k).is_some())
}

fn is_token_request(p: &Params, at_token_endpoint: bool) -> bool {
    let Some(grant) = p.get_nonempty("grant_type") else {
        return false;
    };
    let grant_ok = GrantType::parse(grant.trim()).is_known()
        || (grant.contains(':') && !grant.contains(char::is_whitespace));
    let other = [
        "client_id",
        "code",
        "refresh_token",
        "assertion",
        "device_code",
        "username",
        "client_assertion",
    ]
    .iter()
    .any(|k| p.contains(k));
    grant_ok && (at_token_endpoint || other)
}

/// An authorization code as IdPs issue them: at least 10 visible ASCII
/// characters (RFC 6749 Appendix A.11: `code = 1*VSCHAR`).
fn is_plausible_code(code: &str) -> bool {
    code.len() >= 10 && code.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// The claims of a JARM response (OpenID "JWT Secured Authorization
/// Response Mode for OAuth 2.0", §2.1, §2.3): the authorization response's
/// parameters — `code` / `state` or `error` / `error_description`, plus
/// `iss`, `aud`, `exp` — carried as one signed JWT in the `response`
/// parameter of the query (`query.jwt`), fragment (`fragment.jwt`) or form
/// body (`form_post.jwt`). Claims that are not strings are kept as JSON.
fn jarm_params(params: &Params) -> Option<Params> {
    if params.contains("code") || params.contains("error") {
        return None;
    }
    let token = params.get_nonempty("response")?;
    let claims = jwt::decode(token.trim()).ok()?.claims?;
    let is_answer = ["code", "error", "id_token", "access_token"]
        .iter()
        .any(|k| claims.contains_key(*k));
    if !is_answer {
        return None;
    }
    let pairs: Vec<(String, String)> = claims
        .iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect();
    Some(Params::from_pairs(pairs))
}

fn response_if_plausible(
    params: Params,
    delivery: Delivery,
    callback: Option<String>,
) -> Option<OidcMessage> {
    if let Some(jarm) = jarm_params(&params) {
        return response_if_plausible(jarm, delivery, callback);
    }
    if let Some(error) = params.get("error") {
        let error = error.trim();
        let evidence = ErrorCode::parse(error).is_known()
            || ["error_description", "error_uri", "state", "admin_consent"]
                .iter()
                .any(|k| params.contains(k));
        return (is_code_like_error(error) && evidence).then(|| {
            OidcMessage::OauthError(Box::new(ErrorResponse::from_params(
                delivery, callback, None, params, None,
            )))
        });
    }
    let present = |k: &str| params.get_nonempty(k).is_some();
    let id_token = params
        .get_nonempty("id_token")
        .is_some_and(|t| jwt::decode(t).is_ok());
    let implicit = present("access_token") && present("token_type");
    let code = params.get_nonempty("code").is_some_and(is_plausible_code)
        && ["state", "session_state", "iss", "client_info", "authuser"]
            .iter()
            .any(|k| present(k));
    let admin_consent = params
        .get("admin_consent")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        && present("tenant");
    (id_token || implicit || code || admin_consent).then(|| {
        OidcMessage::OauthResponse(Box::new(AuthorizationResponse::from_params(
            delivery, callback, params,
        )))
    })
}
