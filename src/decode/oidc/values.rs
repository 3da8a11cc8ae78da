//! Open enums for OAuth 2 / OIDC protocol values: unknown values are kept
//! verbatim (`Other`) and shown, never rejected.

use crate::decode::jwt::open_enum;

open_enum! {
    /// One token of `response_type` (RFC 6749 §3.1.1; OAuth 2.0 Multiple
    /// Response Type Encoding Practices §3, §4).
    pub enum ResponseType {
        /// Authorization code.
        Code => "code",
        /// OIDC id_token.
        IdToken => "id_token",
        /// Implicit access token.
        Token => "token",
        /// No credential returned.
        None => "none",
    }
}

open_enum! {
    /// `response_mode` (OAuth 2.0 Multiple Response Type Encoding Practices
    /// §2.1, Form Post Response Mode §2, JARM §2.3).
    pub enum ResponseMode {
        /// Parameters in the redirect URL's query.
        Query => "query",
        /// Parameters in the redirect URL's fragment.
        Fragment => "fragment",
        /// Auto-submitted HTML form POSTed to the redirect URI.
        FormPost => "form_post",
        /// postMessage to the opener (web_message, draft).
        WebMessage => "web_message",
        /// JARM, default encoding.
        Jwt => "jwt",
        /// JARM in the query.
        QueryJwt => "query.jwt",
        /// JARM in the fragment.
        FragmentJwt => "fragment.jwt",
        /// JARM in a form post.
        FormPostJwt => "form_post.jwt",
    }
}

open_enum! {
    /// One token of `prompt` (OIDC Core §3.1.2.1; `admin_consent` is Entra v1,
    /// `create` is OIDC Prompt Create).
    pub enum Prompt {
        /// Silent: no UI at all.
        None => "none",
        /// Force re-authentication.
        Login => "login",
        /// Force the consent screen.
        Consent => "consent",
        /// Show the account picker.
        SelectAccount => "select_account",
        /// Entra v1: an administrator consents for the whole tenant.
        AdminConsent => "admin_consent",
        /// Show the sign-up page.
        Create => "create",
    }
}

open_enum! {
    /// `code_challenge_method` (RFC 7636 §4.3).
    pub enum CodeChallengeMethod {
        /// SHA-256 of the verifier.
        S256 => "S256",
        /// The verifier itself (discouraged, RFC 7636 §7.2).
        Plain => "plain",
    }
}

open_enum! {
    /// `grant_type` at the token endpoint.
    pub enum GrantType {
        /// RFC 6749 §4.1.3.
        AuthorizationCode => "authorization_code",
        /// RFC 6749 §6.
        RefreshToken => "refresh_token",
        /// RFC 6749 §4.4.
        ClientCredentials => "client_credentials",
        /// RFC 6749 §4.3 (ROPC).
        Password => "password",
        /// RFC 8628 §3.4.
        DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
        /// RFC 7523 §2.1 (also Entra on-behalf-of).
        JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
        /// RFC 7522 §2.1.
        Saml2Bearer => "urn:ietf:params:oauth:grant-type:saml2-bearer",
        /// Entra / AD FS SAML 1.1 assertion grant.
        Saml11Bearer => "urn:ietf:params:oauth:grant-type:saml1_1-bearer",
        /// RFC 8693 §2.1.
        TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
        /// OpenID CIBA.
        Ciba => "urn:openid:params:grant-type:ciba",
    }
}

open_enum! {
    /// `error` codes: RFC 6749 §4.1.2.1, §4.2.2.1, §5.2; OIDC Core §3.1.2.6;
    /// RFC 8628 §3.5; RFC 6750 §3.1; RFC 9449; and the provider-specific
    /// values Entra, Google and Okta are documented to send.
    pub enum ErrorCode {
        /// Malformed request.
        InvalidRequest => "invalid_request",
        /// Client not allowed this flow.
        UnauthorizedClient => "unauthorized_client",
        /// User or server refused.
        AccessDenied => "access_denied",
        /// response_type not supported.
        UnsupportedResponseType => "unsupported_response_type",
        /// Bad scope.
        InvalidScope => "invalid_scope",
        /// IdP failure.
        ServerError => "server_error",
        /// IdP overloaded.
        TemporarilyUnavailable => "temporarily_unavailable",
        /// Client authentication failed.
        InvalidClient => "invalid_client",
        /// Code / refresh token / assertion rejected.
        InvalidGrant => "invalid_grant",
        /// grant_type not supported.
        UnsupportedGrantType => "unsupported_grant_type",
        /// OIDC: UI needed (MFA, CA, consent…).
        InteractionRequired => "interaction_required",
        /// OIDC: no session for prompt=none.
        LoginRequired => "login_required",
        /// OIDC: several accounts, none chosen.
        AccountSelectionRequired => "account_selection_required",
        /// OIDC: consent needed.
        ConsentRequired => "consent_required",
        /// OIDC: bad request_uri.
        InvalidRequestUri => "invalid_request_uri",
        /// OIDC: bad request object.
        InvalidRequestObject => "invalid_request_object",
        /// OIDC: request param unsupported.
        RequestNotSupported => "request_not_supported",
        /// OIDC: request_uri unsupported.
        RequestUriNotSupported => "request_uri_not_supported",
        /// OIDC: registration param unsupported.
        RegistrationNotSupported => "registration_not_supported",
        /// Entra v1: bad resource.
        InvalidResource => "invalid_resource",
        /// RFC 8628: keep polling.
        AuthorizationPending => "authorization_pending",
        /// RFC 8628: poll slower.
        SlowDown => "slow_down",
        /// RFC 8628: device code expired.
        ExpiredToken => "expired_token",
        /// RFC 8707: bad resource indicator.
        InvalidTarget => "invalid_target",
        /// RFC 6750: bad bearer token.
        InvalidToken => "invalid_token",
        /// RFC 6750: scope too small.
        InsufficientScope => "insufficient_scope",
        /// RFC 8693.
        UnsupportedTokenType => "unsupported_token_type",
        /// RFC 9449.
        InvalidDpopProof => "invalid_dpop_proof",
        /// RFC 9449.
        UseDpopNonce => "use_dpop_nonce",
        /// Google: Workspace admin blocked the app.
        AdminPolicyEnforced => "admin_policy_enforced",
        /// Google: embedded webview refused.
        DisallowedUseragent => "disallowed_useragent",
        /// Google: app limited to its organisation.
        OrgInternal => "org_internal",
        /// Google: redirect URI not registered.
        RedirectUriMismatch => "redirect_uri_mismatch",
    }
}

/// Splits a space-separated list (`scope`, `response_type`, `prompt`).
pub(crate) fn space_list(value: Option<&str>) -> Vec<String> {
    value
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// RFC 6749 §4.1.2.1: `error = 1*NQSCHAR` (%x20-21 / %x23-5B / %x5D-7E).
/// We additionally want a code-like token, not prose: no spaces, at most
/// 100 characters.
pub(crate) fn is_code_like_error(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 100
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(Prompt::parse("consent"), Prompt::Consent);
        assert_eq!(Prompt::parse("pick_one").as_str(), "pick_one");
        assert!(!Prompt::parse("pick_one").is_known());
        assert_eq!(
            serde_json::to_string(&ResponseMode::parse("form_post.jwt")).unwrap(),
            r#""form_post.jwt""#
        );
        assert_eq!(
            GrantType::parse("urn:ietf:params:oauth:grant-type:device_code"),
            GrantType::DeviceCode
        );
    }

    #[test]
    fn code_like_error_rejects_prose() {
        for ok in ["access_denied", "invalid_client", "E0000011", "urn:x:y"] {
            assert!(is_code_like_error(ok), "{ok}");
        }
        for ko in ["", "Not Found", "true\"", "a b"] {
            assert!(!is_code_like_error(ko), "{ko}");
        }
    }
}
