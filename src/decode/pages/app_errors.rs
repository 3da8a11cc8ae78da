//! The error messages well-known SP / RP libraries print on a page, and
//! what each one says went wrong ([`AppErrorKind`]): a fact about a page,
//! read by the completion check (`flow`) and by the rules, which map the
//! kind to their root-cause category. One table ([`MESSAGES`]); each row
//! cites where the text comes from (the library's source, or the reference
//! notes in `shared/reference/failure-detection.md` that quote it). Matching
//! is a case-insensitive substring search of the page / JSON / text body,
//! the most specific row first; the quoted text is the sentence of the body
//! around the match, so the user sees the app's own words.

use crate::codec::html;

/// What an app library's message says went wrong, in the page's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppErrorKind {
    /// A cookie set before the redirect (correlation, nonce) did not come back.
    MissingCookie,
    /// The state / InResponseTo the app expected did not match.
    StateMismatch,
    /// A token or assertion is outside its lifetime at the app's clock.
    TokenLifetime,
    /// The audience / client ID is not the one the app expects.
    AudienceMismatch,
    /// The Destination / recipient is not the app's endpoint.
    DestinationMismatch,
    /// The app refused the answer for another stated reason.
    ResponseRejected,
    /// The signature did not verify with the key the app trusts.
    SignatureInvalid,
}

/// One library message.
#[derive(Debug, Clone, Copy)]
pub struct AppMessage {
    /// What to look for (case-insensitive).
    pub needle: &'static str,
    /// The library that prints it.
    pub library: &'static str,
    pub kind: AppErrorKind,
    /// What the message means, in our words.
    pub meaning: &'static str,
}

/// A match: the row and the text quoted from the body.
#[derive(Debug, Clone)]
pub struct Matched {
    pub row: &'static AppMessage,
    pub quote: String,
}

macro_rules! m {
    ($needle:literal, $lib:literal, $cat:ident, $meaning:literal) => {
        AppMessage {
            needle: $needle,
            library: $lib,
            kind: AppErrorKind::$cat,
            meaning: $meaning,
        }
    };
}

/// The table, most specific first.
pub static MESSAGES: &[AppMessage] = &[
    // dotnet/aspnetcore src/Security/Authentication/OAuth/src/OAuthHandler.cs and
    // RemoteAuthenticationHandler.cs: "Correlation failed." when the correlation cookie is absent.
    m!(
        "Correlation failed",
        "ASP.NET Core",
        MissingCookie,
        "the correlation cookie set before the redirect did not come back"
    ),
    // dotnet/aspnetcore OpenIdConnectHandler.cs: "The oauth state was missing or invalid."
    m!(
        "oauth state was missing or invalid",
        "ASP.NET Core",
        StateMismatch,
        "the state cookie / protected state did not match"
    ),
    m!(
        "Unable to unprotect the message.State",
        "ASP.NET Core",
        StateMismatch,
        "the state was protected with another data-protection key"
    ),
    // AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet LogMessages.cs (IDX codes).
    m!(
        "IDX21323",
        "Microsoft.IdentityModel",
        MissingCookie,
        "the nonce cookie is missing (RequireNonce)"
    ),
    m!(
        "IDX10223",
        "Microsoft.IdentityModel",
        TokenLifetime,
        "the token's lifetime is over (exp) at the app server's clock"
    ),
    m!(
        "IDX10222",
        "Microsoft.IdentityModel",
        TokenLifetime,
        "the token is not yet valid (nbf) at the app server's clock"
    ),
    m!(
        "IDX10205",
        "Microsoft.IdentityModel",
        AudienceMismatch,
        "the token's issuer is not one the app accepts"
    ),
    m!(
        "IDX10214",
        "Microsoft.IdentityModel",
        AudienceMismatch,
        "the token's audience is not the app"
    ),
    m!(
        "IDX10501",
        "Microsoft.IdentityModel",
        SignatureInvalid,
        "no signing key matched the token's kid"
    ),
    m!(
        "IDX10503",
        "Microsoft.IdentityModel",
        SignatureInvalid,
        "the token's signature did not validate"
    ),
    m!(
        "IDX10511",
        "Microsoft.IdentityModel",
        SignatureInvalid,
        "the token's signature did not validate"
    ),
    m!(
        "OpenIdConnectProtocolException",
        "Microsoft.IdentityModel",
        ResponseRejected,
        "the OIDC handler refused the answer"
    ),
    // WIF / System.IdentityModel ID4xxx (learn.microsoft.com WIF error codes).
    m!(
        "ID4175",
        "WIF",
        SignatureInvalid,
        "the token's issuer is not trusted (signing certificate)"
    ),
    m!(
        "ID4037",
        "WIF",
        SignatureInvalid,
        "the signing key could not be resolved"
    ),
    m!(
        "ID1038",
        "WIF",
        ResponseRejected,
        "the wreply / audience did not match"
    ),
    m!(
        "ID4148",
        "WIF",
        TokenLifetime,
        "the token is not yet valid at the app server's clock"
    ),
    m!(
        "ID4147",
        "WIF",
        TokenLifetime,
        "the token has expired at the app server's clock"
    ),
    m!(
        "ID4223",
        "WIF",
        TokenLifetime,
        "the SAML token has expired at the app server's clock"
    ),
    m!(
        "ID1032",
        "WIF",
        TokenLifetime,
        "the token's NotBefore is in the future at the app server's clock"
    ),
    // node-saml/node-saml src/saml.ts (validatePostResponseAsync, checkTimestampsValidityError).
    m!(
        "Invalid document signature",
        "node-saml",
        SignatureInvalid,
        "the Response / Assertion signature did not verify"
    ),
    m!(
        "SAML assertion expired",
        "node-saml",
        TokenLifetime,
        "NotOnOrAfter passed at the app server's clock"
    ),
    m!(
        "SAML assertion not yet valid",
        "node-saml",
        TokenLifetime,
        "NotBefore is in the future at the app server's clock"
    ),
    m!(
        "InResponseTo is not valid",
        "node-saml",
        StateMismatch,
        "the Response answers a request the SP does not remember"
    ),
    m!(
        "SAML assertion audience mismatch",
        "node-saml",
        AudienceMismatch,
        "the Audience is not the SP's entity ID"
    ),
    // SAML-Toolkits/python3-saml src/onelogin/saml2/response.py messages.
    m!(
        "is not a valid audience for this Response",
        "python3-saml",
        AudienceMismatch,
        "the Audience is not the SP's entity ID"
    ),
    m!(
        "The response was received at",
        "python3-saml",
        DestinationMismatch,
        "Destination is not the ACS URL it was posted to"
    ),
    m!(
        "Check system clock",
        "python3-saml",
        TokenLifetime,
        "the assertion is not yet valid at the app server's clock"
    ),
    m!(
        "Signature validation failed",
        "python3-saml",
        SignatureInvalid,
        "the signature did not verify"
    ),
    m!(
        "The InResponseTo of the Response",
        "python3-saml",
        StateMismatch,
        "the Response answers another request"
    ),
    // spring-projects/spring-security OAuth2LoginAuthenticationFilter / OpenSaml4AuthenticationProvider.
    m!(
        "authorization_request_not_found",
        "Spring Security",
        MissingCookie,
        "the stored authorization request (session cookie) was lost"
    ),
    m!(
        "invalid_state_parameter",
        "Spring Security",
        StateMismatch,
        "the state did not match the stored request"
    ),
    m!(
        "invalid_signature",
        "Spring Security SAML",
        SignatureInvalid,
        "the SAML signature did not verify"
    ),
    m!(
        "invalid_assertion",
        "Spring Security SAML",
        ResponseRejected,
        "the assertion failed validation"
    ),
    m!(
        "invalid_destination",
        "Spring Security SAML",
        DestinationMismatch,
        "the Destination did not match"
    ),
    m!(
        "invalid_in_response_to",
        "Spring Security SAML",
        StateMismatch,
        "the InResponseTo did not match"
    ),
    // Shibboleth SP (shibsp) error template texts.
    m!(
        "Unable to establish security of incoming assertion",
        "Shibboleth SP",
        SignatureInvalid,
        "the IdP's signing key is not in the SP's metadata"
    ),
    m!(
        "Message was signed, but signature could not be verified",
        "Shibboleth SP",
        SignatureInvalid,
        "the signature did not verify"
    ),
    m!(
        "Unsupported request",
        "Shibboleth SP",
        ResponseRejected,
        "the SP refused the message"
    ),
    // OpenIDC/mod_auth_openidc src/proto.c / mod_auth_openidc.c.
    m!(
        "state has expired",
        "mod_auth_openidc",
        MissingCookie,
        "the state cookie expired or was not sent back"
    ),
    m!(
        "state cookie could not be",
        "mod_auth_openidc",
        MissingCookie,
        "the state cookie was not sent back"
    ),
    m!(
        "could not find state",
        "mod_auth_openidc",
        MissingCookie,
        "the state cookie was not sent back"
    ),
    // panva/node-openid-client lib/client.js and panva/jose errors.
    m!(
        "state mismatch",
        "openid-client",
        StateMismatch,
        "the callback's state is not the one stored"
    ),
    m!(
        "nonce mismatch",
        "openid-client",
        MissingCookie,
        "the nonce stored with the request is not the token's"
    ),
    m!(
        "JWT expired",
        "openid-client",
        TokenLifetime,
        "the token's exp is past at the app server's clock"
    ),
    m!(
        "JWT not active yet",
        "openid-client",
        TokenLifetime,
        "the token's nbf is in the future at the app server's clock"
    ),
    m!(
        "\"exp\" claim timestamp check failed",
        "jose",
        TokenLifetime,
        "the token's exp is past at the app server's clock"
    ),
    m!(
        "\"nbf\" claim timestamp check failed",
        "jose",
        TokenLifetime,
        "the token's nbf is in the future at the app server's clock"
    ),
    m!(
        "unexpected iss value",
        "openid-client",
        AudienceMismatch,
        "the token's issuer is not the one configured"
    ),
    m!(
        "aud mismatch",
        "openid-client",
        AudienceMismatch,
        "the token's audience is not the client"
    ),
    m!(
        "invalid_client",
        "OAuth 2.0 client",
        ResponseRejected,
        "the app's client credentials were refused at the token endpoint"
    ),
    // AzureAD/microsoft-authentication-library-for-js lib/msal-browser/src/error/BrowserAuthError.ts.
    m!(
        "state_not_found",
        "MSAL.js",
        MissingCookie,
        "the request state was not found in the browser's storage"
    ),
    m!(
        "no_cached_authority_error",
        "MSAL.js",
        MissingCookie,
        "the cached request was lost"
    ),
    m!(
        "interaction_in_progress",
        "MSAL.js",
        ResponseRejected,
        "another interactive request was already running"
    ),
    m!(
        "hash_empty_error",
        "MSAL.js",
        ResponseRejected,
        "the redirect came back without a response"
    ),
];

/// The first row (most specific first) whose needle the body contains,
/// with the sentence around it quoted.
pub fn find(body: &str) -> Option<Matched> {
    let Some(needles) = NEEDLES.as_ref() else {
        return find_one_by_one(&plain(body));
    };
    // Without `\\`, `<` or `&`, the readable text is made of substrings of
    // the body (a JSON document's strings, unescaped, or the body itself),
    // so a body without any needle has no match: skip building the text.
    if !body.contains(['\\', '<', '&']) && needles.find(body).is_none() {
        return None;
    }
    let text = plain(body);
    // The first row of the table that matches anywhere (rows are ordered
    // most specific first), not the leftmost match.
    let row = needles
        .find_overlapping_iter(&text)
        .map(|m| m.pattern().as_usize())
        .min()
        .and_then(|i| MESSAGES.get(i))?;
    let at = find_ci(&text, row.needle)?;
    Some(Matched {
        row,
        quote: sentence_around(&text, at, row.needle.len()),
    })
}

/// Every needle of [`MESSAGES`], ASCII case-insensitive, in one automaton:
/// one pass over a body instead of one per row.
static NEEDLES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(MESSAGES.iter().map(|row| row.needle))
            .ok()
    });

/// [`find`] row by row (when the automaton could not be built).
fn find_one_by_one(text: &str) -> Option<Matched> {
    MESSAGES.iter().find_map(|row| {
        let at = find_ci(text, row.needle)?;
        Some(Matched {
            row,
            quote: sentence_around(text, at, row.needle.len()),
        })
    })
}

/// The body as readable text: a JSON document's string values one per
/// line; tags stripped and entities decoded for HTML.
fn plain(body: &str) -> String {
    let t = body.trim_start();
    if (t.starts_with('{') || t.starts_with('['))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(t)
    {
        let mut out = String::new();
        json_strings(&v, &mut out);
        return out;
    }
    let head = body.get(..body.len().min(512)).unwrap_or(body);
    if head.contains('<')
        && (head.contains("<html") || head.contains("<!") || head.contains("<body"))
    {
        html::visible_text(body)
    } else {
        body.to_owned()
    }
}

fn json_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    html::find_ci(hay, needle)
}

/// The sentence (or line) containing `[at, at + len)`, at most ~200 chars.
pub fn sentence_around(text: &str, at: usize, len: usize) -> String {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0 && at - start < 160 {
        let b = bytes.get(start - 1).copied().unwrap_or(b'\n');
        if b == b'\n' || b == b'"' || b == b'>' {
            break;
        }
        start -= 1;
    }
    let mut end = (at + len).min(text.len());
    while end < text.len() && end - at < 200 {
        let b = bytes.get(end).copied().unwrap_or(b'\n');
        if b == b'\n' || b == b'"' || b == b'<' {
            break;
        }
        end += 1;
        if b == b'.' && bytes.get(end).is_none_or(|n| n.is_ascii_whitespace()) {
            break;
        }
    }
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_aspnet_correlation_failure_in_a_page() {
        let m = find("<html><body><h1>Error</h1><p>An unhandled exception: Correlation failed.</p></body></html>")
            .unwrap();
        assert_eq!(m.row.kind, AppErrorKind::MissingCookie);
        assert!(m.quote.contains("Correlation failed."), "{}", m.quote);
    }

    #[test]
    fn finds_jose_exp_failure_in_json() {
        let m = find(r#"{"error":"\"exp\" claim timestamp check failed"}"#).unwrap();
        assert_eq!(m.row.kind, AppErrorKind::TokenLifetime);
    }

    #[test]
    fn the_first_row_of_the_table_wins_not_the_leftmost_match() {
        // IDX10223 (lifetime) comes before "Correlation failed" in the
        // text; the table lists the correlation row first.
        let m = find("IDX10223: Lifetime validation failed. Then: Correlation failed.").unwrap();
        assert_eq!(m.row.needle, "Correlation failed");
        assert!(m.quote.contains("Correlation failed"), "{}", m.quote);
        assert_eq!(
            find("idx10223: lifetime validation failed")
                .unwrap()
                .row
                .needle,
            "IDX10223"
        );
    }

    #[test]
    fn needles_hidden_by_escapes_or_tags_are_found() {
        // A JSON string escape, an HTML entity and a tag split the needle in
        // the raw body; the readable text holds it whole.
        let json = find(r#"{"message":"Correlation failed"}"#).unwrap();
        assert_eq!(json.row.kind, AppErrorKind::MissingCookie);
        let entity = find("<html><body><p>Correlation&#32;failed.</p></body></html>").unwrap();
        assert_eq!(entity.row.kind, AppErrorKind::MissingCookie);
        let plain_json = find(r#"{"error":"invalid_grant","detail":"JWT expired"}"#).unwrap();
        assert_eq!(plain_json.row.needle, "JWT expired");
        assert!(find(r#"{"value":[{"id":1,"name":"Pat"}]}"#).is_none());
    }

    #[test]
    fn ordinary_pages_match_nothing() {
        assert!(find("<html><body>Welcome back, Pat</body></html>").is_none());
    }
}
