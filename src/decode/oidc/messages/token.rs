//! The token endpoint: the token request (RFC 6749 §4.1.3, §6) and the
//! token response (RFC 6749 §5.1), secrets masked.

use super::*;
use crate::secret::names;

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
            code: params.secret(names::CODE),
            code_verifier: params.secret(names::CODE_VERIFIER),
            client_secret: params.secret(names::CLIENT_SECRET),
            client_assertion_type: params.string("client_assertion_type"),
            client_assertion: params.get_nonempty("client_assertion").map(TokenValue::new),
            assertion: params.get_nonempty("assertion").map(TokenValue::new),
            refresh_token: params.secret(names::REFRESH_TOKEN),
            device_code: params.secret(names::DEVICE_CODE),
            username: params.string("username"),
            password: params.secret(names::PASSWORD),
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
            refresh_token: params.secret(names::REFRESH_TOKEN),
            client_info,
            params,
            warnings,
        }
    }
}
