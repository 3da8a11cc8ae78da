//! The redaction policy: which parameter, field and header names hold
//! secrets, which hold personal data (`--pii`), and which must stay because
//! the diagnosis needs them.
//!
//! Builds on [`crate::secret::is_secret_param`] (the names every output
//! masks) and adds what only redaction needs: identity message parameters
//! (`SAMLResponse`, `id_token`, `wresult`) that are decoded and redacted
//! inside, Entra / Okta / AD FS field names, and the keep list.

use super::receipt::Kind;
use crate::secret::is_secret_param;

/// What to do with a named value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A SAML / WS-Fed message: decode, redact inside, re-encode.
    Saml,
    /// A secret: replaced whole; a JWT keeps header and claims and loses
    /// its signature instead (it is then unusable, and still decodes).
    Secret(Kind),
    /// Always replaced whole, even when it looks like a JWT (passwords).
    Opaque(Kind),
    /// A redirect-binding `Signature` (base64): a marked base64 pseudonym.
    QuerySignature,
    /// Personal data, replaced only with `--pii`.
    Pii(Kind),
    /// Needed by the diagnosis: kept as is (URLs in it are still redacted).
    Keep,
    /// No opinion: kept, but JWTs, URLs and private keys inside are
    /// redacted (and e-mails / IPs with `--pii`).
    Default,
}

/// Names kept whatever else matches (correlation, protocol state, errors).
const KEEP: &[&str] = &[
    "state",
    "nonce",
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "scope",
    "prompt",
    "relaystate",
    "error",
    "error_description",
    "error_codes",
    "error_uri",
    "suberror",
    "correlation_id",
    "correlationid",
    "trace_id",
    "traceid",
    "timestamp",
    "hpgrequestid",
    "sessionid",
    "session_state",
    "code_challenge",
    "code_challenge_method",
    "wa",
    "wtrealm",
    "wctx",
    "wreply",
    "sigalg",
    "sftname",
    "serrorcode",
    "pgid",
];

/// Identity message parameters decoded and redacted inside.
const SAML: &[&str] = &["samlrequest", "samlresponse", "wresult", "wsignin"];

/// Tokens: JWT-aware, else replaced whole.
const TOKENS: &[&str] = &[
    "id_token",
    "access_token",
    "refresh_token",
    "logout_token",
    "subject_token",
    "actor_token",
    "assertion",
    "client_assertion",
    "token",
    "session_token",
    "sessiontoken",
    "state_token",
    "statetoken",
    "canary",
    "apicanary",
    "flowtoken",
    "sft",
    "ctx",
    "sctx",
    "ppft",
    "originalrequest",
    "csrf",
    "csrf_token",
    "_csrf",
    "xsrf",
    "__requestverificationtoken",
    "authenticity_token",
    "x-ms-refreshtokencredential",
    "x-ms-devicecredential",
    "wresult_token",
];

const CODES: &[&str] = &["code", "samlart", "device_code", "user_code"];

const SECRETS: &[&str] = &[
    "client_secret",
    "code_verifier",
    "api_key",
    "apikey",
    "api-key",
    "x-api-key",
    "secret",
    "subscription-key",
    "subscription_key",
    "ocp-apim-subscription-key",
];

const PII_USERS: &[&str] = &[
    "login_hint",
    "username",
    "user_name",
    "user",
    "login",
    "loginfmt",
    "email",
    "upn",
    "preferred_username",
    "unique_name",
    "userprincipalname",
    "spost_username",
    "ssigninname",
    "sunauthsessionid_username",
    "mail",
    "signinname",
];

const PII_NAMES: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "givenname",
    "surname",
    "displayname",
    "display_name",
    "middle_name",
    "nickname",
];

const PII_IPS: &[&str] = &["ipaddr", "ip", "clientip", "client_ip", "ipaddress"];

fn any(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The rule for a query / form / JSON / hidden-input name.
pub fn param(name: &str) -> Rule {
    let name = name.trim();
    if name.is_empty() || any(KEEP, name) {
        return Rule::Keep;
    }
    if any(SAML, name) {
        return Rule::Saml;
    }
    if name.eq_ignore_ascii_case("signature") {
        return Rule::QuerySignature;
    }
    let lower = name.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("passwd") {
        return Rule::Opaque(Kind::Password);
    }
    if any(CODES, name) {
        return Rule::Secret(Kind::Code);
    }
    if any(TOKENS, name) {
        return Rule::Secret(Kind::Token);
    }
    if any(SECRETS, name) {
        return Rule::Secret(Kind::Secret);
    }
    if any(PII_USERS, name) {
        return Rule::Pii(Kind::PiiUser);
    }
    if any(PII_NAMES, name) {
        return Rule::Pii(Kind::PiiName);
    }
    if any(PII_IPS, name) {
        return Rule::Pii(Kind::PiiIp);
    }
    if is_secret_param(name) {
        // pwd, pass, passcode, otc and whatever secret.rs adds later.
        return match lower.as_str() {
            "pwd" | "pass" | "passcode" | "otc" => Rule::Opaque(Kind::Password),
            _ => Rule::Secret(Kind::Token),
        };
    }
    if lower.ends_with("_token") || (lower.ends_with("token") && lower.len() > 5) {
        return Rule::Secret(Kind::Token);
    }
    if lower.ends_with("secret") || (lower.ends_with("_key") && lower.contains("api")) {
        return Rule::Secret(Kind::Secret);
    }
    Rule::Default
}

/// How a header's value is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRule {
    /// Request `Cookie`: every value replaced, names and order kept.
    Cookie,
    /// `Set-Cookie`: the value replaced, name and attributes kept.
    SetCookie,
    /// `Authorization`, `Proxy-Authorization`: scheme kept, credentials replaced.
    Authorization,
    /// An API key / token header: replaced whole (JWT-aware).
    Secret(Kind),
    /// `Location`, `Referer`, `Content-Location`, `Refresh`: URL rules.
    Url,
    /// Client IP headers: `--pii` only.
    Ip,
    /// Left alone entirely (User-Agent, client hints): version numbers
    /// there look like IP addresses.
    Verbatim,
    /// JWTs and private keys inside are redacted; e-mails with `--pii`.
    Default,
}

/// The rule for a header name.
pub fn header(name: &str) -> HeaderRule {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "cookie" => return HeaderRule::Cookie,
        "set-cookie" | "set-cookie2" => return HeaderRule::SetCookie,
        "authorization" | "proxy-authorization" => return HeaderRule::Authorization,
        "location" | "referer" | "content-location" | "refresh" | "origin" => {
            return HeaderRule::Url;
        }
        "x-forwarded-for" | "x-real-ip" | "x-client-ip" | "x-clientip" | "cf-connecting-ip"
        | "true-client-ip" | "forwarded" | "x-originating-ip" | "x-ms-client-ip" => {
            return HeaderRule::Ip;
        }
        "user-agent"
        | "x-ms-request-id"
        | "client-request-id"
        | "x-ms-correlation-id"
        | "request-id"
        | "x-request-id"
        | "date"
        | "host" => return HeaderRule::Verbatim,
        _ => {}
    }
    if lower.starts_with("sec-ch-ua") || lower.starts_with("sec-fetch-") {
        return HeaderRule::Verbatim;
    }
    // CORS headers name credentials and tokens without carrying any
    // (`Access-Control-Allow-Credentials: true`).
    if lower.starts_with("access-control-") {
        return HeaderRule::Default;
    }
    if lower.contains("api-key")
        || lower.contains("apikey")
        || lower.contains("subscription-key")
        || lower.contains("functions-key")
        || lower.contains("secret")
        || lower.contains("password")
    {
        return HeaderRule::Secret(Kind::Secret);
    }
    if lower.contains("token") || lower.contains("credential") || lower.contains("csrf") {
        return HeaderRule::Secret(Kind::Token);
    }
    HeaderRule::Default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_parameter_names() {
        let cases = [
            ("password", Rule::Opaque(Kind::Password)),
            ("passwd", Rule::Opaque(Kind::Password)),
            ("NewPassword", Rule::Opaque(Kind::Password)),
            ("pwd", Rule::Opaque(Kind::Password)),
            ("code", Rule::Secret(Kind::Code)),
            ("SAMLart", Rule::Secret(Kind::Code)),
            ("id_token", Rule::Secret(Kind::Token)),
            ("flowToken", Rule::Secret(Kind::Token)),
            ("sFT", Rule::Secret(Kind::Token)),
            ("client_secret", Rule::Secret(Kind::Secret)),
            ("SAMLResponse", Rule::Saml),
            ("wresult", Rule::Saml),
            ("Signature", Rule::QuerySignature),
            ("state", Rule::Keep),
            ("RelayState", Rule::Keep),
            ("hpgrequestid", Rule::Keep),
            ("login_hint", Rule::Pii(Kind::PiiUser)),
            ("given_name", Rule::Pii(Kind::PiiName)),
            ("ipaddr", Rule::Pii(Kind::PiiIp)),
            ("client_info", Rule::Default),
            ("codename", Rule::Default),
        ];
        for (name, rule) in cases {
            assert_eq!(param(name), rule, "{name}");
        }
    }

    #[test]
    fn classifies_header_names() {
        assert_eq!(header("Cookie"), HeaderRule::Cookie);
        assert_eq!(header("set-cookie"), HeaderRule::SetCookie);
        assert_eq!(header("Proxy-Authorization"), HeaderRule::Authorization);
        assert_eq!(header("x-api-key"), HeaderRule::Secret(Kind::Secret));
        assert_eq!(
            header("x-ms-RefreshTokenCredential"),
            HeaderRule::Secret(Kind::Token)
        );
        assert_eq!(header("Location"), HeaderRule::Url);
        assert_eq!(header("User-Agent"), HeaderRule::Verbatim);
        assert_eq!(header("x-ms-request-id"), HeaderRule::Verbatim);
        assert_eq!(header("Content-Type"), HeaderRule::Default);
        assert_eq!(
            header("Access-Control-Allow-Credentials"),
            HeaderRule::Default
        );
    }
}
