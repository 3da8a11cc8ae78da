//! Okta error surfaces (error-surfaces.md §i):
//!
//! * the hosted HTML 400 page shown instead of a redirect (bad
//!   `redirect_uri`, unknown client): "400 / BAD REQUEST / Your request
//!   resulted in an error." and a block `Identity Provider: …`,
//!   `Error Code: invalid_request`, `Description: The 'redirect_uri'
//!   parameter must be a Login redirect URI …`. Localized pages translate
//!   the labels; we accept a few common translations (fr, de, es, pt, it,
//!   nl, ja).
//! * API JSON errors (`/api/v1/…`, `/idp/idx/…`): `errorCode` (`E0000xxx`),
//!   `errorSummary`, `errorLink`, `errorId`, `errorCauses[].errorSummary`.
//!
//! Guards: the JSON needs an `errorCode` of the form `E` + 7 digits and an
//! `errorSummary` — structural enough to accept from any host. The HTML page
//! needs `Error Code` and `Description` labels plus an Okta trait (an Okta
//! host, the `Identity Provider` label, "Your request resulted in an error",
//! or Okta assets in the markup), and a host that is not clearly something
//! else.

use serde::Serialize;
use serde_json::Value;

use super::{HostKind, Idp, IdpDetails, IdpErrorPage, Page, html, read_labels};
use crate::decode::TextOptions;
use crate::decode::lines::Lines;

/// Okta-specific fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OktaDetails {
    /// `html` (hosted error page) or `api` (JSON error).
    pub surface: &'static str,
    /// HTML page: the `Identity Provider` value (`Unknown`, an IdP name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
    /// API: `errorLink`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_link: Option<String>,
    /// API: `errorId` — the id to search in the Okta System Log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    /// API: `errorCauses[].errorSummary`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_causes: Vec<String>,
}

/// Label synonyms: English first, then translations.
const IDP_LABELS: &[&str] = &[
    "identity provider",
    "fournisseur d'identité",
    "fournisseur d\u{2019}identité",
    "identitätsanbieter",
    "proveedor de identidad",
    "provedor de identidade",
    "provider di identità",
    "identiteitsprovider",
    "idプロバイダー",
];
const CODE_LABELS: &[&str] = &[
    "error code",
    "code d'erreur",
    "code d\u{2019}erreur",
    "fehlercode",
    "código de error",
    "código de erro",
    "codice di errore",
    "foutcode",
    "エラーコード",
];
const DESCRIPTION_LABELS: &[&str] = &[
    "description",
    "beschreibung",
    "descripción",
    "descrição",
    "descrizione",
    "beschrijving",
    "説明",
];

/// Decodes Okta's hosted HTML error page.
pub fn decode_html(page: &Page<'_>) -> Option<IdpErrorPage> {
    if !page.host_allows_text_detection() {
        return None;
    }
    let [idp, code, description] = <[Option<String>; 3]>::try_from(read_labels(
        page.text,
        &[IDP_LABELS, CODE_LABELS, DESCRIPTION_LABELS],
    ))
    .ok()?;
    let (code, description) = (code?, description?);
    let okta_trait = page.host == Some(HostKind::Okta)
        || idp.is_some()
        || html::contains_ci(page.text, "your request resulted in an error")
        || html::contains_ci(page.html, "okta");
    if !okta_trait || code.len() > 64 || code.contains(' ') {
        return None;
    }
    Some(IdpErrorPage {
        idp: Idp::Okta,
        host: None,
        title: page.title(),
        category: html_category(&code, &description),
        error: Some(code),
        description: Some(description),
        details: IdpDetails::Okta(OktaDetails {
            surface: "html",
            identity_provider: idp,
            ..OktaDetails::default()
        }),
    })
}

/// Our category for an OAuth error code + description from Okta.
fn html_category(code: &str, description: &str) -> &'static str {
    let d = description.to_ascii_lowercase();
    match code {
        _ if d.contains("redirect_uri") || d.contains("redirect uri") => "redirect_mismatch",
        "access_denied" if d.contains("not assigned") => "user_not_assigned",
        "invalid_client" | "unauthorized_client" | "unsupported_response_type" => "app_config",
        "invalid_scope" | "invalid_request" | "invalid_grant" => "token_protocol",
        "consent_required" => "consent",
        _ => "idp_error",
    }
}

/// Largest JSON body parsed as an API error.
const MAX_JSON_BYTES: usize = 1 << 20;

/// Decodes an Okta API JSON error body.
pub fn decode_api_error(body: &str) -> Option<IdpErrorPage> {
    let body = body.trim_start_matches('\u{feff}').trim();
    if !body.starts_with('{') || body.len() > MAX_JSON_BYTES || !body.contains("errorCode") {
        return None;
    }
    let v: Value = serde_json::from_str(body).ok()?;
    let code = v.get("errorCode")?.as_str()?;
    let well_formed = code.len() == 8
        && code.starts_with('E')
        && code.bytes().skip(1).all(|b| b.is_ascii_digit());
    let summary = v.get("errorSummary")?.as_str()?;
    if !well_formed {
        return None;
    }
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let error_causes = v
        .get("errorCauses")
        .and_then(Value::as_array)
        .map(|causes| {
            causes
                .iter()
                .filter_map(|c| c.get("errorSummary").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(IdpErrorPage {
        idp: Idp::Okta,
        host: None,
        title: None,
        category: api_category(code),
        error: Some(code.to_owned()),
        description: Some(summary.to_owned()),
        details: IdpDetails::Okta(OktaDetails {
            surface: "api",
            identity_provider: None,
            error_link: text("errorLink"),
            error_id: text("errorId"),
            error_causes,
        }),
    })
}

/// Our category for the Okta API error codes support meets most.
fn api_category(code: &str) -> &'static str {
    match code {
        "E0000004" => "credentials",    // authentication exception
        "E0000011" => "token_protocol", // invalid token
        "E0000047" => "throttling",     // API rate limit exceeded
        "E0000064" => "account_state",  // password expired
        "E0000119" => "account_state",  // account locked
        "E0000068" => "mfa",            // invalid passcode / answer
        "E0000006" => "idp_error",      // access denied
        _ => "idp_error",
    }
}

impl OktaDetails {
    pub(crate) fn write_text(&self, l: &mut Lines<'_>, _opts: &TextOptions) -> std::io::Result<()> {
        l.kv("Surface", self.surface)?;
        l.opt("Identity provider", self.identity_provider.as_deref())?;
        l.opt("errorId", self.error_id.as_deref())?;
        l.opt("errorLink", self.error_link.as_deref())?;
        for c in &self.error_causes {
            l.kv("Cause", c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_requires_okta_shape() {
        let ok = r#"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorLink":"E0000004","errorId":"oaeXyz","errorCauses":[]}"#;
        let p = decode_api_error(ok).unwrap();
        assert_eq!(
            (p.error.as_deref(), p.category),
            (Some("E0000004"), "credentials")
        );
        for bad in [
            r#"{"errorCode":"invalid","errorSummary":"x"}"#,
            r#"{"errorCode":"E0000004"}"#,
            r#"{"error":"invalid_grant"}"#,
            "not json errorCode",
            r#"["errorCode"]"#,
        ] {
            assert!(decode_api_error(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn html_category_reads_the_description() {
        let cases = [
            (
                "invalid_request",
                "The 'redirect_uri' parameter must be a Login redirect URI",
                "redirect_mismatch",
            ),
            (
                "access_denied",
                "User is not assigned to the client application.",
                "user_not_assigned",
            ),
            (
                "invalid_client",
                "Invalid value for 'client_id' parameter.",
                "app_config",
            ),
            ("server_error", "Something", "idp_error"),
        ];
        for (code, d, want) in cases {
            assert_eq!(html_category(code, d), want);
        }
    }
}
