//! The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): typed
//! access to redirect_uri, response_type / response_mode, state, nonce,
//! PKCE and prompt, with the warnings a relying party would raise.

use super::*;

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

pub(super) fn is_plain_http_remote(uri: &str) -> bool {
    let Ok(u) = url::Url::parse(uri) else {
        return false;
    };
    u.scheme() == "http"
        && !matches!(
            u.host_str(),
            Some("localhost" | "127.0.0.1" | "[::1]") | None
        )
}
