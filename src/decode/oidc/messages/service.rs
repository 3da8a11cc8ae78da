//! Logout (OIDC RP-Initiated Logout 1.0, Back-Channel Logout 1.0), Entra's
//! GetCredentialType answer and the OIDC discovery document (OIDC
//! Discovery 1.0 §3).

use super::*;

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
