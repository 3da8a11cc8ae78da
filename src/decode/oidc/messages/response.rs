//! The authorization response (RFC 6749 §4.1.2, OIDC Core §3.1.2.5 / §3.2.2.5)
//! and the error response (RFC 6749 §4.1.2.1, §5.2), with Entra's error
//! codes and trace / correlation IDs read from the description.

use super::*;

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
