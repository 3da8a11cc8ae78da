//! The decoded message types and how each is built from its parameters.
//!
//! Every type keeps all parameters in order ([`Params`], secrets masked)
//! and adds typed access to the ones diagnosis compares (failure-detection.md
//! O1–O9: redirect_uri, state, nonce, response_type / response_mode, PKCE,
//! id_token `iss` / `aud` / `nonce` / times).

mod authorize;
mod response;
mod service;
mod token;

pub use authorize::AuthorizeRequest;
pub use response::{AuthorizationResponse, ErrorResponse};
pub use service::{CredentialType, Discovery, LogoutRequest};
pub use token::{TokenRequest, TokenResponse};

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
        _ if crate::decode::placeholder::is_removed(value) => {
            let reason = crate::decode::placeholder::REASON;
            warnings.push(Warning::new(
                "removed_by_exporter",
                format!("{name} {reason}"),
            ));
            None
        }
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
