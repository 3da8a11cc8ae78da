//! A generic OAuth / OIDC error page from an IdP we have no dedicated
//! decoder for — reported only on strong evidence:
//!
//! * Keycloak's error page, recognised by a real `id="kc-error-message"`
//!   element (a tag, not text in a code sample), e.g. "Invalid parameter:
//!   redirect_uri";
//! * a page whose title names an RFC 6749 / OIDC error code, or whose text
//!   carries `error=<code>` or an `Error: <code>` / `Error code: <code>` line.
//!
//! Guards: the second case needs an IdP-looking host, or — without any
//! host hint — a title containing "error" and a short page (under
//! [`MAX_TEXT_CHARS`] of visible text). JSON bodies are left to the OAuth
//! decoder. A docs page that mentions `redirect_uri_mismatch` in prose has
//! none of these and is not flagged.

use serde::Serialize;

use super::{HostKind, Idp, IdpDetails, IdpErrorPage, Page, html};
use crate::decode::lines::Lines;

/// Generic-page fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GenericDetails {
    /// The product when recognised (`keycloak`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'static str>,
    /// Why the page was flagged.
    pub evidence: Vec<String>,
}

/// Visible text above which a page without a host hint is not an error page.
pub const MAX_TEXT_CHARS: usize = 5000;

/// OAuth 2.0 / OIDC error codes and our category for each.
const CODES: [(&str, &str); 19] = [
    ("invalid_request", "token_protocol"),
    ("unauthorized_client", "app_config"),
    ("access_denied", "idp_error"),
    ("unsupported_response_type", "app_config"),
    ("invalid_scope", "token_protocol"),
    ("server_error", "service_error"),
    ("temporarily_unavailable", "service_error"),
    ("invalid_client", "app_config"),
    ("invalid_grant", "token_protocol"),
    ("unsupported_grant_type", "token_protocol"),
    ("interaction_required", "session"),
    ("login_required", "session"),
    ("account_selection_required", "session"),
    ("consent_required", "consent"),
    ("invalid_request_uri", "token_protocol"),
    ("invalid_request_object", "token_protocol"),
    ("request_not_supported", "token_protocol"),
    ("redirect_uri_mismatch", "redirect_mismatch"),
    ("invalid_redirect_uri", "redirect_mismatch"),
];

fn category(code: &str) -> &'static str {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("idp_error", |(_, cat)| cat)
}

/// Decodes a generic IdP error page.
pub fn decode(page: &Page<'_>) -> Option<IdpErrorPage> {
    if page.html.trim_start().starts_with('{') {
        return None;
    }
    keycloak(page).or_else(|| oauth_error(page))
}

fn keycloak(page: &Page<'_>) -> Option<IdpErrorPage> {
    let realms_path = page.path.is_some_and(|p| p.contains("/realms/"));
    if !page.host_allows_text_detection() && !realms_path {
        return None;
    }
    let tag = html::tags(page.html)
        .find(|t| !t.closing && t.attr("id").is_some_and(|id| id == "kc-error-message"))?;
    let rest = page.html.get(tag.end..).unwrap_or_default();
    let end = html::find_ci(rest, "</div").unwrap_or(rest.len());
    let text = html::visible_text(rest.get(..end).unwrap_or_default());
    let message = text.lines().next()?.to_owned();
    let lower = message.to_ascii_lowercase();
    let (error, category) = if lower.contains("redirect_uri") || lower.contains("redirect uri") {
        (Some("invalid_redirect_uri"), "redirect_mismatch")
    } else if lower.contains("client not found") {
        (Some("client_not_found"), "app_not_found")
    } else if lower.contains("expired") {
        (None, "session")
    } else {
        (None, "idp_error")
    };
    Some(IdpErrorPage {
        idp: Idp::Generic,
        host: None,
        title: page.title(),
        error: error.map(str::to_owned),
        description: Some(message),
        category,
        details: IdpDetails::Generic(GenericDetails {
            product: Some("keycloak"),
            evidence: vec!["Keycloak error element id=\"kc-error-message\"".to_owned()],
        }),
    })
}

fn oauth_error(page: &Page<'_>) -> Option<IdpErrorPage> {
    let title = page.title();
    let idp_host = matches!(
        page.host,
        Some(HostKind::IdpLike | HostKind::Okta | HostKind::Google)
    );
    let no_host_but_error_page = page.host.is_none()
        && title
            .as_deref()
            .is_some_and(|t| html::contains_ci(t, "error"))
        && page.text.len() < MAX_TEXT_CHARS;
    if !(idp_host || no_host_but_error_page) {
        return None;
    }
    let mut evidence = Vec::new();
    let in_title = title.as_deref().and_then(|t| {
        CODES
            .iter()
            .find(|(code, _)| contains_word(t, code))
            .map(|(code, _)| (*code, format!("title \"{t}\" names OAuth error {code}")))
    });
    let found = in_title.or_else(|| {
        page.text
            .lines()
            .filter(|l| l.contains('=') || l.contains(':'))
            .find_map(|l| {
                assigned_code(l).map(|code| {
                    (
                        code,
                        format!("text line \"{}\"", crate::decode::lines::clip(l)),
                    )
                })
            })
    });
    let (code, why) = found?;
    evidence.push(why);
    evidence.push(if idp_host {
        "host looks like an identity provider".to_owned()
    } else {
        "short page titled as an error".to_owned()
    });
    Some(IdpErrorPage {
        idp: Idp::Generic,
        host: None,
        title,
        error: Some(code.to_owned()),
        description: error_description(page.text),
        category: category(code),
        details: IdpDetails::Generic(GenericDetails {
            product: None,
            evidence,
        }),
    })
}

/// Whether `word` occurs in `s` with no identifier character on either side.
fn contains_word(s: &str, word: &str) -> bool {
    let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    s.match_indices(word).any(|(i, _)| {
        let before = s.get(..i).and_then(|b| b.chars().next_back());
        let after = s.get(i + word.len()..).and_then(|a| a.chars().next());
        !is_ident(before) && !is_ident(after)
    })
}

/// The OAuth error code assigned on a line: `error=code`, or a line
/// `Error: code` / `Error code: code` / `code: code`.
fn assigned_code(line: &str) -> Option<&'static str> {
    let known = |word: &str| CODES.iter().map(|(c, _)| *c).find(|c| *c == word);
    if let Some(i) = line.find("error=") {
        let value = line.get(i + 6..).unwrap_or_default();
        let word: String = value
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let next = value.chars().nth(word.len());
        if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && let Some(code) = known(&word)
        {
            return Some(code);
        }
    }
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    if !matches!(key.as_str(), "error" | "error code" | "code" | "error_code") {
        return None;
    }
    known(value.trim().trim_end_matches('.'))
}

/// `error_description=…` (URL-decoded `+`) or an `error_description:` line.
fn error_description(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        if let Some((_, v)) = l.split_once("error_description=") {
            let v = v.split('&').next().unwrap_or_default().replace('+', " ");
            return Some(crate::codec::percent::decode_form(&v));
        }
        let (k, v) = l.split_once(':')?;
        (k.trim().eq_ignore_ascii_case("error_description")
            || k.trim().eq_ignore_ascii_case("error description"))
        .then(|| v.trim().to_owned())
        .filter(|v| !v.is_empty())
    })
}

impl GenericDetails {
    pub(crate) fn write_text(&self, l: &mut Lines<'_>) -> std::io::Result<()> {
        l.opt("Product", self.product)?;
        for e in &self.evidence {
            l.kv("Evidence", e)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_assignment_matching() {
        assert!(contains_word("Error: invalid_request.", "invalid_request"));
        assert!(!contains_word("invalid_request_uri", "invalid_request"));
        assert_eq!(assigned_code("Error: access_denied"), Some("access_denied"));
        assert_eq!(
            assigned_code("?error=access_denied&x"),
            Some("access_denied")
        );
        assert_eq!(
            assigned_code("Use access_denied when the user refuses"),
            None
        );
        assert_eq!(assigned_code("error=access_denied_x"), None);
        assert_eq!(
            assigned_code("Error code: invalid_client."),
            Some("invalid_client")
        );
        assert_eq!(assigned_code("Note: invalid_client"), None);
    }

    #[test]
    fn reads_error_description_forms() {
        assert_eq!(
            error_description("x?error=a&error_description=User+is+not%20assigned&state=1")
                .as_deref(),
            Some("User is not assigned")
        );
        assert_eq!(
            error_description("error_description: Bad thing").as_deref(),
            Some("Bad thing")
        );
        assert_eq!(error_description("nothing"), None);
    }
}
