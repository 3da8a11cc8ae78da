//! Finding and decoding identity protocol messages in exchanges.

pub mod aadsts;
pub mod encoding;
pub mod entra;
pub mod html;
pub mod jwt;
pub mod oidc;
pub mod pages;
pub mod params;
pub mod saml;
pub mod wsfed;

use chrono::{DateTime, Utc};

/// How decoded messages are rendered as text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// `--show-secrets`: print token signatures, codes, cookie values.
    pub show_secrets: bool,
    /// The clock relative times are measured against ("expired 2 h ago"):
    /// the capture's own time for messages in a capture, now for `decode`.
    pub reference_time: Option<DateTime<Utc>>,
}

/// Where in an exchange a message was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The request URL's query string.
    RequestUrl,
    /// The request body (form, multipart, JSON).
    RequestBody,
    /// A request header (`Authorization: Bearer …`).
    RequestHeader,
    /// The `Location` header of a redirect (query or fragment).
    Location,
    /// The response body (HTML page, auto-submit form, JSON).
    ResponseBody,
    /// Response headers (`x-ms-*`).
    ResponseHeader,
}

/// A decoded message and where it was found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    pub entry: u32,
    pub place: Place,
    #[serde(flatten)]
    pub message: Message,
}

/// Every kind of identity message trace-inspect decodes.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Message {}

impl Message {
    /// The contract's `kind` word.
    pub fn kind(&self) -> &'static str {
        match *self {}
    }

    /// An IdP's answer delivered to the app (SAML Response, OAuth callback).
    pub fn is_idp_answer(&self) -> bool {
        match *self {}
    }

    /// A request that starts a sign-in (AuthnRequest, authorize request).
    pub fn is_sign_in_request(&self) -> bool {
        match *self {}
    }

    /// A successful answer (SAML Success with an assertion, code / tokens).
    pub fn is_success_answer(&self) -> bool {
        match *self {}
    }

    /// An error from the IdP (SAML non-success status, OAuth error, error page).
    pub fn is_error(&self) -> bool {
        match *self {}
    }

    /// Identifiers for the ticket block.
    pub fn ids(&self, _entry: u32) -> Vec<crate::flow::IdFact> {
        match *self {}
    }

    /// Error codes with their one-line meaning.
    pub fn error_codes(&self, _entry: u32) -> Vec<crate::analysis::ErrorCode> {
        match *self {}
    }
}

/// Finds and decodes every identity message in a capture, in capture order.
pub fn find_all(
    _capture: &crate::capture::Capture<'_>,
    _limits: &crate::capture::Limits,
) -> Vec<Found> {
    Vec::new()
}

/// An AADSTS code explained for `trace-inspect explain`, as text or JSON.
pub fn explain_code(_code: &str, _json: bool) -> Option<String> {
    None
}
