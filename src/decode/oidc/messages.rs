//! The decoded message types and how each is built from its parameters.
//!
//! Every type keeps all parameters in order ([`Params`], secrets masked)
//! and adds typed access to the ones diagnosis compares (failure-detection.md
//! O1–O9: redirect_uri, state, nonce, response_type / response_mode, PKCE,
//! id_token `iss` / `aud` / `nonce` / times).

use serde::Serialize;
use serde_json::{Map, Value};

use super::consent::{self, ConsentSignal};
use super::endpoint::{EndpointRole, IdpEndpoint, TenantKind};
use super::errors::{self, ErrorDescription};
use super::params::Params;
use super::values::{
    CodeChallengeMethod, ErrorCode, GrantType, Prompt, ResponseMode, ResponseType, space_list,
};
use crate::decode::jwt::{self, Jwt, ser_time};
use crate::secret::Secret;

/// How a response travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// In the query of the redirect (or request) URL.
    Query,
    /// In the fragment of a `Location` URL (never sent to a server).
    Fragment,
    /// In an `application/x-www-form-urlencoded` POST body
    /// (`response_mode=form_post`, or a token request).
    FormPost,
    /// In a JSON response body (token endpoint).
    Json,
}

impl Delivery {
    /// `query`, `fragment`, `form_post`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::FormPost => "form_post",
            Self::Json => "json",
        }
    }
}

/// Something about a message a strict party may reject, or a support
/// engineer should notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable snake_case code.
    pub code: &'static str,
    /// Explanation.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

fn duplicate_warnings(params: &Params) -> Vec<Warning> {
    params
        .duplicates()
        .into_iter()
        .map(|name| {
            Warning::new(
                "duplicate_parameter",
                format!("{name} is sent more than once (RFC 6749 §3.1 forbids it)"),
            )
        })
        .collect()
}

/// A token value: masked, with its claims when it is a JWT.
#[derive(Debug, Clone, Serialize)]
pub struct TokenValue {
    /// The token (masked unless secrets are shown).
    pub value: Secret<String>,
    /// The decoded token, when it is a JWT (opaque tokens: `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<Box<Jwt>>,
}

impl TokenValue {
    /// Wraps a token, decoding it when it looks like a JWT.
    pub fn new(value: &str) -> Self {
        let jwt = if jwt::looks_like_jwt(value) {
            jwt::decode(value).ok().map(Box::new)
        } else {
            None
        };
        Self {
            value: Secret::new(value.to_owned()),
            jwt,
        }
    }
}

/// Entra's `client_info`: base64url JSON `{"uid":…,"utid":…}` (MSAL
/// requests it with `client_info=1`); `uid.utid` is the MSAL home account ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientInfo {
    /// User object ID in the home tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Home tenant ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utid: Option<String>,
}

impl ClientInfo {
    /// Decodes the base64url JSON.
    pub fn decode(value: &str) -> Result<Self, String> {
        let (bytes, _) = jwt::decode_base64url(value.trim()).map_err(|e| e.to_string())?;
        let map: Map<String, Value> = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        let get = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        Ok(Self {
            uid: get("uid"),
            utid: get("utid"),
        })
    }

    /// MSAL's home account ID, `uid.utid`.
    pub fn home_account_id(&self) -> Option<String> {
        Some(format!("{}.{}", self.uid.as_ref()?, self.utid.as_ref()?))
    }
}

fn decode_jwt_param(
    params: &Params,
    name: &'static str,
    warnings: &mut Vec<Warning>,
) -> Option<Box<Jwt>> {
    let value = params.get_nonempty(name)?;
    match jwt::decode(value) {
        Ok(j) => Some(Box::new(j)),
        Err(e) => {
            warnings.push(Warning::new(
                "undecodable_jwt",
                format!("{name} is not a decodable JWT: {e}"),
            ));
            None
        }
    }
}

fn parse_i64(params: &Params, name: &'static str, warnings: &mut Vec<Warning>) -> Option<i64> {
    let v = params.get_nonempty(name)?;
    match v.trim().parse() {
        Ok(n) => Some(n),
        Err(_) => {
            warnings.push(Warning::new(
                "not_a_number",
                format!("{name} is not a whole number: {v:?}"),
            ));
            None
        }
    }
}

fn json_param(value: &str) -> Value {
    serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()))
}

// ---------------------------------------------------------------------------
// Authorization request
// ---------------------------------------------------------------------------

/// An authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), or an
/// Entra admin consent request (kind `oauth_authorize`).
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizeRequest {
    /// Endpoint URL without the query.
    pub url: String,
    /// The IdP endpoint, when the path is a known one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `client_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `redirect_uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// `response_type` tokens.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_type: Vec<ResponseType>,
    /// `response_mode` as sent (see [`AuthorizeRequest::effective_response_mode`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_mode: Option<ResponseMode>,
    /// `scope` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// `state`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `nonce`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// `prompt` tokens.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prompt: Vec<Prompt>,
    /// `login_hint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_hint: Option<String>,
    /// `domain_hint` (Entra).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_hint: Option<String>,
    /// `code_challenge` (RFC 7636).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge: Option<String>,
    /// `code_challenge_method`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge_method: Option<CodeChallengeMethod>,
    /// `max_age` in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i64>,
    /// `claims` (OIDC Core §5.5), parsed JSON (a string if it is not JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Value>,
    /// `resource` (Entra v1, RFC 8707).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `request` object (OIDC Core §6.1), decoded, signature masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Box<Jwt>>,
    /// `request_uri` (by-reference request object, not in the capture).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_uri: Option<String>,
    /// Entra `client-request-id`: the correlation ID the client chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// MSAL / ADAL `x-client-SKU` and `x-client-Ver` (library and version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_library: Option<String>,
    /// Consent meaning (prompt=consent, admin consent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentSignal>,
    /// Every parameter, in order.
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl AuthorizeRequest {
    /// Builds from the endpoint URL and its parameters. Values in a `request`
    /// object take precedence over the same query parameters (OIDC Core
    /// §6.3.3).
    pub fn from_params(url: String, endpoint: Option<IdpEndpoint>, params: Params) -> Self {
        let mut warnings = duplicate_warnings(&params);
        let request = decode_jwt_param(&params, "request", &mut warnings);
        let pick = |name: &str| -> Option<String> {
            let from_object = request
                .as_deref()
                .and_then(|r| r.innermost().claim(name))
                .map(jwt::value_text);
            from_object.or_else(|| params.string(name))
        };
        let response_type: Vec<ResponseType> = space_list(pick("response_type").as_deref())
            .iter()
            .map(|s| ResponseType::parse(s))
            .collect();
        let prompt: Vec<Prompt> = space_list(pick("prompt").as_deref())
            .iter()
            .map(|s| Prompt::parse(s))
            .collect();
        let max_age = match pick("max_age") {
            Some(v) => match v.trim().parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    warnings.push(Warning::new(
                        "not_a_number",
                        format!("max_age is not a whole number of seconds: {v:?}"),
                    ));
                    None
                }
            },
            None => None,
        };
        let sku = params.get_nonempty("x-client-SKU");
        let ver = params.get_nonempty("x-client-Ver");
        let client_library = match (sku, ver) {
            (Some(s), Some(v)) => Some(format!("{s} {v}")),
            (Some(s), None) => Some(s.to_owned()),
            _ => None,
        };
        let admin_endpoint = endpoint
            .as_ref()
            .is_some_and(|e| e.role == EndpointRole::AdminConsent);
        let consent = if admin_endpoint || prompt.contains(&Prompt::AdminConsent) {
            Some(ConsentSignal::AdminConsentRequested)
        } else if prompt.contains(&Prompt::Consent) {
            Some(ConsentSignal::PromptForced)
        } else {
            None
        };
        let mut req = Self {
            url,
            client_id: pick("client_id"),
            redirect_uri: pick("redirect_uri"),
            response_type,
            response_mode: pick("response_mode").map(|m| ResponseMode::parse(&m)),
            scope: space_list(pick("scope").as_deref()),
            state: pick("state"),
            nonce: pick("nonce"),
            prompt,
            login_hint: pick("login_hint"),
            domain_hint: pick("domain_hint"),
            code_challenge: pick("code_challenge"),
            code_challenge_method: pick("code_challenge_method")
                .map(|m| CodeChallengeMethod::parse(&m)),
            max_age,
            claims: pick("claims").map(|c| json_param(&c)),
            resource: pick("resource"),
            request,
            request_uri: params.string("request_uri"),
            client_request_id: params.string("client-request-id"),
            client_library,
            consent,
            endpoint,
            params,
            warnings,
        };
        req.check();
        req
    }

    /// `response_mode`, or its default for the `response_type` (Multiple
    /// Response Type Encoding Practices §2.1, §5: `code` → query; any
    /// `token` / `id_token` → fragment).
    pub fn effective_response_mode(&self) -> ResponseMode {
        if let Some(m) = &self.response_mode {
            return m.clone();
        }
        if self
            .response_type
            .iter()
            .any(|t| matches!(t, ResponseType::Token | ResponseType::IdToken))
        {
            ResponseMode::Fragment
        } else {
            ResponseMode::Query
        }
    }

    fn wants(&self, t: &ResponseType) -> bool {
        self.response_type.contains(t)
    }

    fn check(&mut self) {
        let mut w = Vec::new();
        let implicit = self.wants(&ResponseType::Token) || self.wants(&ResponseType::IdToken);
        if implicit && self.response_mode == Some(ResponseMode::Query) {
            w.push(Warning::new(
                "query_with_token",
                "response_mode=query with a token or id_token response type: \
                 tokens must not travel in the query (Multiple Response Types §5)",
            ));
        }
        if self.wants(&ResponseType::IdToken) && self.nonce.is_none() {
            w.push(Warning::new(
                "nonce_missing",
                "response_type asks for an id_token but no nonce is sent (OIDC Core §3.2.2.1)",
            ));
        }
        if self.wants(&ResponseType::IdToken)
            && !self.scope.is_empty()
            && !self.scope.iter().any(|s| s == "openid")
        {
            w.push(Warning::new(
                "openid_scope_missing",
                "response_type asks for an id_token but scope lacks openid",
            ));
        }
        match (&self.code_challenge, &self.code_challenge_method) {
            (Some(_), Some(CodeChallengeMethod::Plain)) => w.push(Warning::new(
                "pkce_plain",
                "PKCE with method plain: Entra SPA and most IdPs require S256",
            )),
            (None, Some(_)) => w.push(Warning::new(
                "pkce_method_without_challenge",
                "code_challenge_method without code_challenge",
            )),
            _ => {}
        }
        for t in self.response_type.iter().filter(|t| !t.is_known()) {
            w.push(Warning::new(
                "unknown_response_type",
                format!(
                    "response_type value {t:?} is not a registered one",
                    t = t.as_str()
                ),
            ));
        }
        for p in self.prompt.iter().filter(|p| !p.is_known()) {
            w.push(Warning::new(
                "unknown_prompt",
                format!("prompt value {p:?} is not a registered one", p = p.as_str()),
            ));
        }
        if let Some(m) = self.response_mode.as_ref().filter(|m| !m.is_known()) {
            w.push(Warning::new(
                "unknown_response_mode",
                format!(
                    "response_mode {m:?} is not a registered one",
                    m = m.as_str()
                ),
            ));
        }
        if let Some(r) = &self.redirect_uri
            && is_plain_http_remote(r)
        {
            w.push(Warning::new(
                "http_redirect_uri",
                "redirect_uri uses http:// on a non-local host: an app behind TLS offload \
                 that does not honour X-Forwarded-Proto?",
            ));
        }
        if let Some(ep) = &self.endpoint
            && ep.role == EndpointRole::AdminConsent
            && ep
                .tenant
                .as_ref()
                .is_some_and(|t| t.kind == TenantKind::Common)
        {
            w.push(Warning::new(
                "admin_consent_common",
                "admin consent must name a tenant; /common is not accepted",
            ));
        }
        self.warnings.extend(w);
    }
}

fn is_plain_http_remote(uri: &str) -> bool {
    let Ok(u) = url::Url::parse(uri) else {
        return false;
    };
    u.scheme() == "http"
        && !matches!(
            u.host_str(),
            Some("localhost" | "127.0.0.1" | "[::1]") | None
        )
}

// ---------------------------------------------------------------------------
// Authorization response
// ---------------------------------------------------------------------------

/// A successful authorization response (RFC 6749 §4.1.2, §4.2.2; OIDC Core
/// §3.2.2.5, §3.3.2.5; RFC 9207 `iss`), or an Entra admin consent success
/// (kind `oauth_response`).
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizationResponse {
    /// Query, fragment or form_post.
    pub delivery: Delivery,
    /// Where the response was sent: the redirect URI, without query or fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
    /// `code` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Secret<String>>,
    /// `id_token`, decoded (signature masked, not verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Box<Jwt>>,
    /// `access_token` (implicit / hybrid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<TokenValue>,
    /// `token_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// `expires_in` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// `scope` granted (Google, implicit, admin consent).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// `state` echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `session_state` (OIDC Session Management; Entra).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_state: Option<String>,
    /// `iss` (RFC 9207).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Entra `client_info`, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_info: Option<ClientInfo>,
    /// Entra admin consent: `admin_consent=True`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub admin_consent: bool,
    /// Entra admin consent: the tenant that consented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Consent meaning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentSignal>,
    /// Every parameter, in order.
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl AuthorizationResponse {
    /// Builds from the parameters (the caller has decided it is a response).
    pub fn from_params(delivery: Delivery, callback: Option<String>, params: Params) -> Self {
        let mut warnings = duplicate_warnings(&params);
        let id_token = decode_jwt_param(&params, "id_token", &mut warnings);
        let client_info =
            params
                .get_nonempty("client_info")
                .and_then(|c| match ClientInfo::decode(c) {
                    Ok(ci) => Some(ci),
                    Err(e) => {
                        warnings.push(Warning::new(
                            "undecodable_client_info",
                            format!("client_info is not base64url JSON: {e}"),
                        ));
                        None
                    }
                });
        let admin_consent = params
            .get("admin_consent")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let google_consent = params.get("prompt").is_some_and(|p| p == "consent");
        let consent = if admin_consent {
            Some(ConsentSignal::AdminConsentGranted)
        } else if google_consent {
            Some(ConsentSignal::Accepted)
        } else {
            None
        };
        if delivery == Delivery::Query
            && (params.contains("access_token") || params.contains("id_token"))
        {
            warnings.push(Warning::new(
                "token_in_query",
                "a token travels in the query string, where logs and Referer headers keep it",
            ));
        }
        Self {
            delivery,
            callback,
            code: params.secret("code"),
            id_token,
            access_token: params.get_nonempty("access_token").map(TokenValue::new),
            token_type: params.string("token_type"),
            expires_in: parse_i64(&params, "expires_in", &mut warnings),
            scope: space_list(params.get("scope")),
            state: params.string("state"),
            session_state: params.string("session_state"),
            iss: params.string("iss"),
            client_info,
            admin_consent,
            tenant: if admin_consent {
                params.string("tenant")
            } else {
                None
            },
            consent,
            params,
            warnings,
        }
    }
}

// ---------------------------------------------------------------------------
// Error response
// ---------------------------------------------------------------------------

/// An OAuth error: redirect (RFC 6749 §4.1.2.1), form_post, or token
/// endpoint JSON (§5.2) — kind `oauth_error`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    /// Query, fragment, form_post or JSON.
    pub delivery: Delivery,
    /// The redirect URI the error was sent to (redirect errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
    /// The IdP endpoint that answered (JSON errors with a known URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `error` (open enum).
    pub error: ErrorCode,
    /// `error_description`, raw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// `error_description` split into codes and trailer fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<ErrorDescription>,
    /// `error_uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    /// `error_subcode` (Entra / MSAL, e.g. `cancel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<String>,
    /// `suberror` (Entra token endpoint, e.g. `bad_token`, `consent_required`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
    /// AADSTS numbers: `error_codes` plus any in the description, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<u32>,
    /// `state` echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `correlation_id` field, else the description's `Correlation ID:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `trace_id` field, else the description's `Trace ID:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// `timestamp` field, else the description's `Timestamp:`, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The timestamp as UTC.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub timestamp_utc: Option<chrono::DateTime<chrono::Utc>>,
    /// `claims` challenge (Conditional Access), parsed JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Value>,
    /// An Entra admin consent response (`admin_consent=True`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub admin_consent: bool,
    /// Consent meaning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentSignal>,
    /// Every parameter or JSON member, in order (JSON values other than
    /// strings as compact JSON).
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl ErrorResponse {
    /// Builds from the parameters; `error_codes` is the JSON value when the
    /// error came as JSON (else the `error_codes` parameter is read).
    pub fn from_params(
        delivery: Delivery,
        callback: Option<String>,
        endpoint: Option<IdpEndpoint>,
        params: Params,
        error_codes: Option<&Value>,
    ) -> Self {
        let warnings = duplicate_warnings(&params);
        let raw_description = params.string("error_description");
        let description = raw_description
            .as_deref()
            .map(errors::parse_error_description)
            .filter(|d| *d != ErrorDescription::default());
        let mut codes = match error_codes {
            Some(v) => errors::parse_error_codes(v),
            None => params
                .get("error_codes")
                .map(|s| errors::parse_error_codes(&Value::String(s.to_owned())))
                .unwrap_or_default(),
        };
        codes.extend(
            raw_description
                .as_deref()
                .map(errors::find_aadsts_codes)
                .unwrap_or_default(),
        );
        let mut seen = std::collections::HashSet::new();
        codes.retain(|n| seen.insert(*n));
        let from_desc =
            |f: fn(&ErrorDescription) -> Option<&String>| description.as_ref().and_then(f).cloned();
        let timestamp = params
            .string("timestamp")
            .or_else(|| from_desc(|d| d.timestamp.as_ref()));
        let error = ErrorCode::parse(params.get("error").unwrap_or("").trim());
        let admin_consent = params
            .get("admin_consent")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        Self {
            delivery,
            callback,
            endpoint,
            consent: consent::from_error(&error, &codes, admin_consent),
            error,
            error_description: raw_description,
            error_uri: params.string("error_uri"),
            error_subcode: params.string("error_subcode"),
            suberror: params.string("suberror"),
            error_codes: codes,
            state: params.string("state"),
            correlation_id: params
                .string("correlation_id")
                .or_else(|| from_desc(|d| d.correlation_id.as_ref())),
            trace_id: params
                .string("trace_id")
                .or_else(|| from_desc(|d| d.trace_id.as_ref())),
            timestamp_utc: timestamp.as_deref().and_then(errors::parse_entra_timestamp),
            timestamp,
            claims: params.get_nonempty("claims").map(json_param),
            admin_consent,
            description,
            params,
            warnings,
        }
    }
}

// ---------------------------------------------------------------------------
// Token endpoint
// ---------------------------------------------------------------------------

/// A token request (RFC 6749 §4.1.3, §6, §4.4; RFC 7636 §4.5; RFC 7523
/// client assertions) — kind `oauth_token_request`.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRequest {
    /// The token endpoint, when the URL is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `grant_type` (open enum).
    pub grant_type: GrantType,
    /// `client_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `redirect_uri` (must equal the authorization request's, RFC 6749 §4.1.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// `scope` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// `resource` (Entra v1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `code` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Secret<String>>,
    /// `code_verifier` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<Secret<String>>,
    /// `client_secret` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret<String>>,
    /// `client_assertion_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_assertion_type: Option<String>,
    /// `client_assertion` (JWT decoded, value masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_assertion: Option<TokenValue>,
    /// `assertion` (jwt-bearer / on-behalf-of: decoded when a JWT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion: Option<TokenValue>,
    /// `refresh_token` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret<String>>,
    /// `device_code` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_code: Option<Secret<String>>,
    /// `username` (ROPC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `password` (ROPC, masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret<String>>,
    /// `requested_token_use` (Entra on-behalf-of).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_token_use: Option<String>,
    /// Every parameter, in order.
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl TokenRequest {
    /// Builds from the form fields.
    pub fn from_params(endpoint: Option<IdpEndpoint>, params: Params) -> Self {
        let mut warnings = duplicate_warnings(&params);
        let grant_type = GrantType::parse(params.get("grant_type").unwrap_or("").trim());
        if grant_type == GrantType::AuthorizationCode && !params.contains("code") {
            warnings.push(Warning::new(
                "code_missing",
                "grant_type=authorization_code without a code",
            ));
        }
        Self {
            endpoint,
            client_id: params.string("client_id"),
            redirect_uri: params.string("redirect_uri"),
            scope: space_list(params.get("scope")),
            resource: params.string("resource"),
            code: params.secret("code"),
            code_verifier: params.secret("code_verifier"),
            client_secret: params.secret("client_secret"),
            client_assertion_type: params.string("client_assertion_type"),
            client_assertion: params.get_nonempty("client_assertion").map(TokenValue::new),
            assertion: params.get_nonempty("assertion").map(TokenValue::new),
            refresh_token: params.secret("refresh_token"),
            device_code: params.secret("device_code"),
            username: params.string("username"),
            password: params.secret("password"),
            requested_token_use: params.string("requested_token_use"),
            grant_type,
            params,
            warnings,
        }
    }
}

/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3) —
/// kind `oauth_token_response`.
#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    /// The token endpoint, when the URL is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `token_type` (`Bearer`, `pop`, `DPoP`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// `scope` granted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// `expires_in` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Entra `ext_expires_in` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_expires_in: Option<i64>,
    /// `id_token`, decoded (signature masked, not verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Box<Jwt>>,
    /// `access_token` (masked; claims when a JWT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<TokenValue>,
    /// `refresh_token` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret<String>>,
    /// Entra `client_info`, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_info: Option<ClientInfo>,
    /// Every JSON member, in order (secrets masked).
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl TokenResponse {
    /// Builds from the JSON members (flattened to [`Params`]).
    pub fn from_params(endpoint: Option<IdpEndpoint>, params: Params) -> Self {
        let mut warnings = Vec::new();
        let id_token = decode_jwt_param(&params, "id_token", &mut warnings);
        let client_info = params
            .get_nonempty("client_info")
            .and_then(|c| ClientInfo::decode(c).ok());
        Self {
            endpoint,
            token_type: params.string("token_type"),
            scope: space_list(params.get("scope")),
            expires_in: parse_i64(&params, "expires_in", &mut warnings),
            ext_expires_in: parse_i64(&params, "ext_expires_in", &mut warnings),
            id_token,
            access_token: params.get_nonempty("access_token").map(TokenValue::new),
            refresh_token: params.secret("refresh_token"),
            client_info,
            params,
            warnings,
        }
    }
}

// ---------------------------------------------------------------------------
// Logout
// ---------------------------------------------------------------------------

/// An RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0
/// §2) — kind `oauth_logout`.
#[derive(Debug, Clone, Serialize)]
pub struct LogoutRequest {
    /// Endpoint URL without the query.
    pub url: String,
    /// The IdP endpoint, when the path is a known one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `post_logout_redirect_uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_logout_redirect_uri: Option<String>,
    /// `id_token_hint`, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_hint: Option<Box<Jwt>>,
    /// `logout_hint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_hint: Option<String>,
    /// `client_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `state`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Every parameter, in order.
    pub params: Params,
    /// Problems worth a look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl LogoutRequest {
    /// Builds from the endpoint URL and its parameters.
    pub fn from_params(url: String, endpoint: Option<IdpEndpoint>, params: Params) -> Self {
        let mut warnings = duplicate_warnings(&params);
        let id_token_hint = decode_jwt_param(&params, "id_token_hint", &mut warnings);
        Self {
            url,
            endpoint,
            post_logout_redirect_uri: params.string("post_logout_redirect_uri"),
            id_token_hint,
            logout_hint: params.string("logout_hint"),
            client_id: params.string("client_id"),
            state: params.string("state"),
            params,
            warnings,
        }
    }
}

// ---------------------------------------------------------------------------
// Entra GetCredentialType, OIDC discovery
// ---------------------------------------------------------------------------

/// Entra's `GetCredentialType` JSON answer (the username page asks it which
/// credential to offer) — kind `entra_credential_type`. Field meanings are
/// observed behaviour, not documented by Microsoft.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialType {
    /// `Username` as echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `Display`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// `IfExistsResult`: 0 the account exists, 1 it does not, 5 / 6 it
    /// (also) exists as a personal Microsoft account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_exists_result: Option<i64>,
    /// `IsUnmanaged`: an unmanaged ("viral") directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_unmanaged: Option<bool>,
    /// `ThrottleStatus`: non-zero when Entra throttles the lookup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_status: Option<i64>,
    /// `Credentials.PrefCredential`: the credential offered first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pref_credential: Option<i64>,
    /// `Credentials.HasPassword`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_password: Option<bool>,
    /// `Credentials.FederationRedirectUrl`: where a federated user is sent
    /// (AD FS, Okta, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federation_redirect_url: Option<String>,
    /// `EstsProperties.DomainType`: 3 managed (cloud) domain, 4 federated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_type: Option<i64>,
    /// `IsSignupDisallowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_signup_disallowed: Option<bool>,
    /// `FlowToken` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<Secret<String>>,
}

impl CredentialType {
    /// Whether a JSON object is a GetCredentialType answer.
    pub fn matches(map: &Map<String, Value>) -> bool {
        map.contains_key("IfExistsResult")
            && (map.contains_key("Credentials") || map.contains_key("Username"))
    }

    /// Reads the fields.
    pub fn from_json(map: &Map<String, Value>) -> Self {
        let s =
            |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        let creds = map.get("Credentials").and_then(Value::as_object);
        let ests = map.get("EstsProperties").and_then(Value::as_object);
        Self {
            username: s(map, "Username"),
            display: s(map, "Display"),
            if_exists_result: map.get("IfExistsResult").and_then(Value::as_i64),
            is_unmanaged: map.get("IsUnmanaged").and_then(Value::as_bool),
            throttle_status: map.get("ThrottleStatus").and_then(Value::as_i64),
            pref_credential: creds
                .and_then(|c| c.get("PrefCredential"))
                .and_then(Value::as_i64),
            has_password: creds
                .and_then(|c| c.get("HasPassword"))
                .and_then(Value::as_bool),
            federation_redirect_url: creds.and_then(|c| s(c, "FederationRedirectUrl")),
            domain_type: ests
                .and_then(|e| e.get("DomainType"))
                .and_then(Value::as_i64),
            is_signup_disallowed: map.get("IsSignupDisallowed").and_then(Value::as_bool),
            flow_token: s(map, "FlowToken").map(Secret::new),
        }
    }

    /// What `IfExistsResult` means (observed values only).
    pub fn if_exists_meaning(&self) -> Option<&'static str> {
        Some(match self.if_exists_result? {
            0 => "account exists",
            1 => "account not found",
            5 => "exists as a personal Microsoft account only",
            6 => "exists as both a work/school and a personal account",
            _ => return None,
        })
    }

    /// What `DomainType` means (observed values only).
    pub fn domain_type_meaning(&self) -> Option<&'static str> {
        Some(match self.domain_type? {
            3 => "managed (cloud) domain",
            4 => "federated domain",
            _ => return None,
        })
    }
}

/// An OpenID Provider configuration document
/// (`/.well-known/openid-configuration`, OIDC Discovery §3) — kind
/// `oidc_discovery`. Diagnosis compares its `issuer` with id_token `iss`.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    /// `issuer` (Entra multi-tenant: contains `{tenantid}`).
    pub issuer: String,
    /// `authorization_endpoint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    /// `token_endpoint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    /// `end_session_endpoint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    /// `jwks_uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// `response_modes_supported`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_modes_supported: Vec<String>,
    /// `response_types_supported`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_types_supported: Vec<String>,
    /// Entra `cloud_instance_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_instance_name: Option<String>,
    /// Entra `tenant_region_scope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_region_scope: Option<String>,
}

impl Discovery {
    /// Whether a JSON object is a discovery document.
    pub fn matches(map: &Map<String, Value>) -> bool {
        map.get("issuer").is_some_and(Value::is_string)
            && (map.contains_key("authorization_endpoint") || map.contains_key("jwks_uri"))
    }

    /// Reads the fields.
    pub fn from_json(map: &Map<String, Value>) -> Self {
        let s = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        let list = |k: &str| -> Vec<String> {
            map.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        Self {
            issuer: s("issuer").unwrap_or_default(),
            authorization_endpoint: s("authorization_endpoint"),
            token_endpoint: s("token_endpoint"),
            end_session_endpoint: s("end_session_endpoint"),
            jwks_uri: s("jwks_uri"),
            response_modes_supported: list("response_modes_supported"),
            response_types_supported: list("response_types_supported"),
            cloud_instance_name: s("cloud_instance_name"),
            tenant_region_scope: s("tenant_region_scope"),
        }
    }
}
