//! `trace-inspect decode`: one pasted thing, its kind detected from its
//! shape — a full URL (query and fragment), a JWT, SAML / WS-Fed XML, a
//! base64 (or deflated) SAML message, a form body, an IdP HTML page, or a
//! JSON body (OAuth token / error, Okta API error, a captured
//! SAMLRequest / SAMLResponse object).

use thiserror::Error;
use url::Url;

use super::saml::{Binding, BindingParams};
use super::{Message, html, jwt, oidc, pages, params, saml, wsfed};

/// Why a pasted value could not be decoded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PastedError {
    #[error("nothing to decode: the input is empty")]
    Empty,
    #[error("no identity message found in this URL (no SAML, WS-Fed or OAuth parameters)")]
    UrlWithoutMessage,
    #[error("this looks like {what} but could not be decoded: {reason}")]
    Undecodable { what: &'static str, reason: String },
    #[error(
        "not recognised: expected a redirect URL, a SAMLRequest / SAMLResponse value, SAML XML, a JWT, a form body, an IdP page or an OAuth JSON body"
    )]
    Unrecognised,
}

/// Decodes a pasted value into its messages (several for a page or a URL
/// that carries more than one).
pub fn decode(input: &str) -> Result<Vec<Message>, PastedError> {
    let text = input.trim().trim_start_matches('\u{feff}');
    if text.is_empty() {
        return Err(PastedError::Empty);
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        return from_url(text);
    }
    if jwt::looks_like_jwt(text) {
        return jwt::decode(text)
            .map(|j| vec![Message::Jwt(Box::new(j))])
            .map_err(|e| PastedError::Undecodable {
                what: "a JWT",
                reason: e.to_string(),
            });
    }
    if text.starts_with('<') {
        return from_markup(text);
    }
    if text.starts_with('{') {
        return from_json(text);
    }
    if text.contains('=') && !text.contains(char::is_whitespace) && looks_like_form(text) {
        let found = from_params(&params::parse_urlencoded(text), None, Binding::Unknown);
        if !found.is_empty() {
            return Ok(found);
        }
    }
    // A bare SAMLRequest / SAMLResponse / wresult value.
    match saml::decode_value(text, &BindingParams::default()) {
        Ok(v) if !v.messages.is_empty() => Ok(v.messages.into_iter().map(Message::Saml).collect()),
        Ok(_) => Err(PastedError::Unrecognised),
        Err(e) => {
            if let Ok(m) = wsfed::decode_wresult(text) {
                return Ok(vec![Message::WsFed(m)]);
            }
            if looks_like_base64(text) {
                Err(PastedError::Undecodable {
                    what: "a base64 SAML message",
                    reason: e.to_string(),
                })
            } else {
                Err(PastedError::Unrecognised)
            }
        }
    }
}

fn looks_like_form(text: &str) -> bool {
    text.split('&').all(|p| p.contains('=')) && text.split('&').count() >= 1
}

fn looks_like_base64(text: &str) -> bool {
    text.len() >= 16
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=-_%\r\n ".contains(c))
}

fn from_url(text: &str) -> Result<Vec<Message>, PastedError> {
    let url = Url::parse(text).map_err(|e| PastedError::Undecodable {
        what: "a URL",
        reason: e.to_string(),
    })?;
    let mut out = from_params(&params::query(&url), Some(&url), Binding::HttpRedirect);
    out.extend(from_params(
        &params::fragment(&url),
        Some(&url),
        Binding::Unknown,
    ));
    out.retain(|m| !matches!(m, Message::Oidc(_)));
    out.extend(oidc::decode_url(&url).into_iter().map(Message::Oidc));
    if out.is_empty() {
        let input = pages::PageInput::new("").with_url(text);
        if let Some(p) = pages::decode_page(&input) {
            out.push(Message::Page(p));
        }
    }
    if out.is_empty() {
        return Err(PastedError::UrlWithoutMessage);
    }
    Ok(out)
}

/// SAML / WS-Fed parameters (and OAuth form fields) among `params`.
fn from_params(p: &params::Params, url: Option<&Url>, binding: Binding) -> Vec<Message> {
    let mut out: Vec<Message> = super::finder::saml_and_wsfed(p, binding)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    if out.is_empty() {
        let pairs: Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> = p
            .iter()
            .map(|(k, v)| (k.as_str().into(), v.as_str().into()))
            .collect();
        out.extend(
            oidc::decode_form(url, &pairs)
                .into_iter()
                .map(Message::Oidc),
        );
    }
    out
}

fn from_markup(text: &str) -> Result<Vec<Message>, PastedError> {
    let lower_head = text[..text.len().min(2048)].to_ascii_lowercase();
    let is_saml_xml = !lower_head.contains("<html")
        && (text.contains("urn:oasis:names:tc:SAML")
            || text.contains("RequestSecurityTokenResponse"));
    if is_saml_xml {
        if text.contains("RequestSecurityTokenResponse") {
            return wsfed::decode_wresult(text)
                .map(|m| vec![Message::WsFed(m)])
                .map_err(|e| PastedError::Undecodable {
                    what: "a WS-Federation wresult",
                    reason: e.to_string(),
                });
        }
        return saml::decode_documents(text)
            .map(|ms| ms.into_iter().map(Message::Saml).collect())
            .map_err(|e| PastedError::Undecodable {
                what: "SAML XML",
                reason: e.to_string(),
            });
    }
    let mut out = Vec::new();
    if let Some(p) = pages::decode_page(&pages::PageInput::new(text)) {
        out.push(Message::Page(p));
    }
    for form in html::forms(text) {
        let target = form.action.as_deref().and_then(|a| Url::parse(a).ok());
        let binding = if form.method == "POST" {
            Binding::HttpPost
        } else {
            Binding::HttpRedirect
        };
        out.extend(from_params(&form.fields, target.as_ref(), binding).into_iter().filter(|m| {
            !matches!(m, Message::Oidc(o) if !matches!(o, oidc::OidcMessage::OauthResponse(_) | oidc::OidcMessage::OauthError(_)))
        }));
    }
    if out.is_empty()
        && let Some(screen) = super::finder::consent_screen(text)
    {
        out.push(Message::ConsentScreen(screen));
    }
    if out.is_empty() {
        return Err(PastedError::Unrecognised);
    }
    Ok(out)
}

fn from_json(text: &str) -> Result<Vec<Message>, PastedError> {
    // A captured redirect-binding message kept as JSON (SAMLRequest + SigAlg…).
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
        let fields: params::Params = map
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect();
        if params::get(&fields, "SAMLRequest").is_some()
            || params::get(&fields, "SAMLResponse").is_some()
        {
            return Ok(from_params(&fields, None, Binding::HttpRedirect));
        }
    }
    match oidc::decode_json(None, text) {
        Ok(Some(m)) => return Ok(vec![Message::Oidc(m)]),
        Ok(None) => {}
        Err(e) => {
            return Err(PastedError::Undecodable {
                what: "a JSON body",
                reason: e.to_string(),
            });
        }
    }
    if let Some(p) = pages::decode_page(&pages::PageInput::new(text)) {
        return Ok(vec![Message::Page(p)]);
    }
    Err(PastedError::Unrecognised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_an_entra_error_redirect_url() {
        let url = "https://app.contoso.com/signin-oidc?error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent.%0d%0aTrace+ID%3a+2efdc9be-04d5-4ec0-9ce6-71532c584e00%0d%0aCorrelation+ID%3a+36ffe9f8-2a26-48dc-92e7-7151fa6227ca%0d%0aTimestamp%3a+2026-11-20+10%3a21%3a07Z&state=abc";
        let m = decode(url).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].kind(), "oauth_error");
        assert_eq!(m[0].error_info().unwrap().aadsts, vec![65004]);
    }

    #[test]
    fn refuses_what_it_cannot_recognise() {
        assert_eq!(decode("   ").unwrap_err(), PastedError::Empty);
        assert_eq!(
            decode("hello world").unwrap_err(),
            PastedError::Unrecognised
        );
        assert_eq!(
            decode("https://example.com/?q=1").unwrap_err(),
            PastedError::UrlWithoutMessage
        );
    }

    #[test]
    fn refuses_a_doctype_in_saml_xml() {
        let xml = r#"<!DOCTYPE r [<!ENTITY a "b">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"#;
        assert!(matches!(decode(xml), Err(PastedError::Undecodable { .. })));
    }
}
