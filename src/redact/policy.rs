//! The redaction policy: which parameter, field and header names hold
//! secrets, which hold personal data (`--pii`), and which must stay because
//! the diagnosis needs them.
//!
//! Secret names come from the one registry in [`crate::secret`] (the names
//! every output masks, with their class: identity messages such as
//! `SAMLResponse` / `wresult` are decoded and redacted inside); this module
//! adds only what redaction alone needs: the keep list, personal-data names
//! for `--pii`, and the URL / IP / verbatim header rules.

use super::receipt::Kind;
use crate::secret::{SecretClass, SecretHeader, secret_header, secret_param};

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

/// The rule for a query / form / JSON / hidden-input name: the keep list
/// first, then the secret registry ([`crate::secret::secret_param`]), then
/// personal data.
pub fn param(name: &str) -> Rule {
    let name = name.trim();
    if name.is_empty() || any(KEEP, name) {
        return Rule::Keep;
    }
    if name.eq_ignore_ascii_case("signature") {
        return Rule::QuerySignature;
    }
    if let Some(class) = secret_param(name) {
        return match class {
            SecretClass::Message => Rule::Saml,
            SecretClass::Password => Rule::Opaque(Kind::Password),
            SecretClass::Code => Rule::Secret(Kind::Code),
            SecretClass::Token => Rule::Secret(Kind::Token),
            SecretClass::Key => Rule::Secret(Kind::Secret),
        };
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
    match secret_header(&lower) {
        Some(SecretHeader::Cookie) => HeaderRule::Cookie,
        Some(SecretHeader::SetCookie) => HeaderRule::SetCookie,
        Some(SecretHeader::Authorization) => HeaderRule::Authorization,
        Some(SecretHeader::Value(SecretClass::Password)) => HeaderRule::Secret(Kind::Password),
        Some(SecretHeader::Value(SecretClass::Code)) => HeaderRule::Secret(Kind::Code),
        Some(SecretHeader::Value(SecretClass::Key)) => HeaderRule::Secret(Kind::Secret),
        Some(SecretHeader::Value(_)) => HeaderRule::Secret(Kind::Token),
        None => HeaderRule::Default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names the decoders and the redactor once listed apart, plus pattern
    /// names: the registry must treat each the same on both sides.
    const PROBES: &[&str] = &[
        "sctx",
        "ppft",
        "logout_token",
        "device_code",
        "request",
        "id_token_hint",
        "scanary",
        "sfttag",
        "user_code",
        "NewPassword",
        "x_session_token",
        "appSecret",
        "my_api_key",
        "hpgrequestid",
        "state",
        "nonce",
        "client_id",
        "redirect_uri",
        "RelayState",
        "mkt",
    ];

    #[test]
    fn every_name_the_decoders_mask_is_redacted_and_vice_versa() {
        let names = crate::secret::SECRET_NAMES.iter().map(|(n, _)| *n);
        for name in names.chain(PROBES.iter().copied()) {
            let masked = crate::secret::is_secret_param(name);
            let masked_oidc = crate::decode::oidc::params::is_secret_param(name);
            let masked_config = crate::decode::entra::config::is_secret_key(name);
            let rule = param(name);
            let redacted = matches!(rule, Rule::Secret(_) | Rule::Opaque(_));
            assert_eq!(
                masked, redacted,
                "{name}: masked {masked}, redaction rule {rule:?}"
            );
            assert_eq!(masked, masked_oidc, "{name}: OAuth parameters disagree");
            let message = rule == Rule::Saml;
            assert_eq!(
                masked || message,
                masked_config,
                "{name}: $Config disagrees"
            );
        }
        for name in [
            "Cookie",
            "Set-Cookie",
            "Authorization",
            "X-API-Key",
            "X-CSRF-Token",
        ] {
            assert!(crate::secret::is_secret_header(name), "{name}");
            assert!(!matches!(header(name), HeaderRule::Default), "{name}");
        }
        for header in [
            "Access-Control-Allow-Credentials",
            "Content-Type",
            "X-MS-Request-ID",
        ] {
            assert!(!crate::secret::is_secret_header(header), "{header}");
        }
    }

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
