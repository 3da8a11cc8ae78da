//! Microsoft Entra ID (and Microsoft account) pages: the `$Config` object,
//! the visible "Troubleshooting details" block, the ESTS response headers,
//! the AADSTS codes in all of them, and what kind of page it is.
//!
//! Entry point: [`decode`] (HTML or pasted page text + [`PageInput`] hints)
//! → [`EntraPage`], kind `entra_page`. Headers alone: [`parse_headers`].
//!
//! Page classification ([`PageType`]) uses, in order:
//! 1. an auto-submit form carrying a protocol message (`SAMLResponse`,
//!    `wresult`, `code`, `id_token`, …): the "Working..." page;
//! 2. `pgid` / `<meta name="PageID">`: `ConvergedSignIn`, `ConvergedTFA`,
//!    `KmsiInterrupt`, `ConvergedProofUpRedirect`, `ConvergedError` are seen
//!    in real pages; consent (`Consent` in the pgid), cookies-disabled and
//!    `*Interrupt` spellings are GUESSES — see [`type_from_pgid`];
//! 3. content: `strServiceExceptionMessage` or a troubleshooting block → error;
//!    consent scopes or a `urlPost` to `…/Consent/Set` / `Consent/Update`
//!    (GUESS from public automation code) → consent; `arrUserProofs` → MFA;
//!    the `/cookiesdisabled` URL → cookies-disabled;
//! 4. a Conditional Access signal (a CA-category code, or `iErrorTitle` with
//!    device fields, or a troubleshooting block with device state) turns an
//!    error / sign-in page into `conditional_access_block`.
//!
//! `sErrorCode` 50058 on a sign-in page only means "no SSO session yet": it
//! is listed but marked `benign`, and does not make the page an error.

pub mod b2c;
pub mod config;
pub mod headers;
pub mod troubleshooting;

use std::io::{self, Write};

use serde::Serialize;

use super::TextOptions;
use super::aadsts::{Category, ErrorCode, find_codes, parse_code};
pub use super::hosts::is_microsoft_login_host;

use super::hosts::{HostKind, PageInput};
use super::lines::Lines;
use crate::codec::html;
use crate::secret::Secret;

pub use config::{ConfigError, ConvergedConfig, ServerDetails};
pub use headers::{CliTelem, EntraHeaders, EstsServer, parse_headers};
pub use troubleshooting::Troubleshooting;

/// Largest page body examined (bytes); the rest is ignored.
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// Which step of the sign-in the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageType {
    /// Username / password (`ConvergedSignIn`).
    SignIn,
    /// Second factor (`ConvergedTFA`).
    Mfa,
    /// "Stay signed in?" (`KmsiInterrupt`).
    Kmsi,
    /// MFA / security-info registration (`ConvergedProofUpRedirect`).
    ProofUp,
    /// Permission consent.
    Consent,
    /// Another interrupt page (`CmsiInterrupt`, …).
    Interrupt,
    /// Error page (`ConvergedError`, `strServiceExceptionMessage`).
    Error,
    /// Conditional Access blocked the sign-in.
    ConditionalAccessBlock,
    /// The browser did not keep ESTS cookies.
    CookiesDisabled,
    /// "Working..." page auto-posting a protocol message onwards.
    AutoPost,
    /// An ESTS page we do not recognise (see `pgid`).
    Other,
}

impl PageType {
    /// The snake_case word.
    pub fn as_str(self) -> &'static str {
        match self {
            PageType::SignIn => "sign_in",
            PageType::Mfa => "mfa",
            PageType::Kmsi => "kmsi",
            PageType::ProofUp => "proof_up",
            PageType::Consent => "consent",
            PageType::Interrupt => "interrupt",
            PageType::Error => "error",
            PageType::ConditionalAccessBlock => "conditional_access_block",
            PageType::CookiesDisabled => "cookies_disabled",
            PageType::AutoPost => "auto_post",
            PageType::Other => "other",
        }
    }
}

/// An AADSTS code found on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageCode {
    #[serde(flatten)]
    pub code: ErrorCode,
    /// Where it was seen: `sErrorCode`, `iErrorCode`, `arrValErrs`,
    /// `strServiceExceptionMessage`, `sErrTxt`, `troubleshooting`,
    /// `x-ms-clitelem`, `form`.
    pub sources: Vec<&'static str>,
    /// True when the code is expected on this page and is not a failure
    /// (50058 on a sign-in page, 50140 on the KMSI page, …).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub benign: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// The IDs support needs, picked from the best source on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageIds {
    /// Troubleshooting block, else `$Config.correlationId`, else `client-request-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Troubleshooting block, else `x-ms-request-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

/// A value of an auto-posted form field: secret fields are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Plain(String),
    Secret(Secret<String>),
}

impl FieldValue {
    fn render(&self, show: bool) -> String {
        match self {
            FieldValue::Plain(v) => v.clone(),
            FieldValue::Secret(s) => s.render(show),
        }
    }
}

/// One field of an auto-posted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormField {
    pub name: String,
    pub value: FieldValue,
}

/// The hidden form of a "Working..." page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoPost {
    /// Where the browser posts next (the ACS, `redirect_uri` or `wreply`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub method: String,
    /// `saml_response`, `saml_request`, `wsfed_response`, `oidc_form_post`,
    /// `oauth_error` or `unknown`.
    pub protocol: &'static str,
    /// Whether a script or `onload` submits it (vs a manual button).
    pub auto_submit: bool,
    pub fields: Vec<FormField>,
}

/// A decoded Entra ID / Microsoft account page (kind `entra_page`).
#[derive(Debug, Clone, Serialize)]
pub struct EntraPage {
    pub page_type: PageType,
    /// `$Config.pgid`, else `<meta name="PageID">`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the page reports a failure (non-benign code, error page,
    /// CA block, cookies disabled, form error text).
    pub is_error: bool,
    /// The category of the first non-benign code (or of the page type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<PageCode>,
    pub ids: PageIds,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub troubleshooting: Option<Troubleshooting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_post: Option<AutoPost>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<EntraHeaders>,
    /// `$Config` was present but could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_error: Option<String>,
    /// True when IDs on the page are template placeholders (`{{.X}}`), as in
    /// test fixtures: such values are never reported as IDs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub templated: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<ConvergedConfig>,
}

/// Decodes an Entra ID page; `None` when the body is not one.
pub fn decode(input: &PageInput<'_>) -> Option<EntraPage> {
    let body = clip_body(input.body);
    let host = input.host_name();
    let microsoft = host.as_deref().is_some_and(is_microsoft_login_host);
    let (config, config_error) = match config::extract(body) {
        Ok(Some(raw)) => (Some(ConvergedConfig::from_raw(raw)), None),
        Ok(None) => (None, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let config = config.filter(|c| microsoft || c.looks_like_ests());
    let meta_page_id = html::meta_content(body, "PageID");
    let ests_meta = meta_page_id.is_some()
        && (microsoft
            || html::meta_content(body, "SiteID").is_some()
            || html::meta_content(body, "ReqLC").is_some());
    let text = html::visible_text(body);
    let troubleshooting = troubleshooting::parse(&text).filter(|t| {
        microsoft
            || config.is_some()
            || t.message.as_deref().is_some_and(|m| m.contains("AADSTS"))
            || t.headline.is_some()
            || t.error_code.as_deref().and_then(parse_code).is_some()
    });
    let auto_post = auto_post(body, input.kind_of_host()).filter(|_| config.is_none());
    let config_error = config_error.filter(|_| microsoft || ests_meta);
    if config.is_none()
        && !ests_meta
        && troubleshooting.is_none()
        && auto_post.is_none()
        && config_error.is_none()
    {
        return None;
    }
    let mut page = EntraPage {
        page_type: PageType::Other,
        pgid: config
            .as_ref()
            .and_then(|c| c.pgid.clone())
            .or(meta_page_id),
        host,
        title: html::title(body),
        is_error: false,
        category: None,
        error_codes: Vec::new(),
        ids: PageIds::default(),
        troubleshooting,
        auto_post,
        headers: parse_headers(input.headers.iter().copied()),
        config_error,
        templated: config.as_ref().is_some_and(|c| !c.placeholders.is_empty()),
        notes: Vec::new(),
        config,
    };
    page.page_type = classify(&page, input.path().as_deref());
    page.error_codes = collect_codes(&page);
    page.is_error = is_error(&page);
    page.category = page
        .error_codes
        .iter()
        .filter(|c| !c.benign)
        .find_map(|c| c.code.category())
        .or(match page.page_type {
            PageType::ConditionalAccessBlock => Some(Category::ConditionalAccess),
            PageType::CookiesDisabled => Some(Category::Session),
            _ => None,
        });
    page.ids = ids(&page);
    page.notes = notes(&page);
    Some(page)
}

/// The first [`MAX_PAGE_BYTES`] of `body`, cut at a character boundary.
fn clip_body(body: &str) -> &str {
    let mut end = body.len().min(MAX_PAGE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or_default()
}

/// Maps a page id to a page type. Seen in real pages: `ConvergedSignIn`,
/// `ConvergedTFA`, `KmsiInterrupt`, `ConvergedProofUpRedirect`,
/// `ConvergedError`, `CmsiInterrupt`. GUESSES: any id containing `Consent`
/// (e.g. `Consent`, `ConvergedConsent`), `CookiesDisabled` / `NoCookies`,
/// `Kmsi` spellings other than `KmsiInterrupt` (`ConvergedKmsi` appears in
/// third-party fixtures).
pub fn type_from_pgid(pgid: &str) -> PageType {
    let p = pgid.to_ascii_lowercase();
    let has = |s: &str| p.contains(s);
    if has("error") {
        PageType::Error
    } else if has("kmsi") {
        PageType::Kmsi
    } else if has("proofup") {
        PageType::ProofUp
    } else if has("consent") {
        PageType::Consent
    } else if has("cookiesdisabled") || has("nocookies") {
        PageType::CookiesDisabled
    } else if has("tfa") || has("mfa") {
        PageType::Mfa
    } else if has("interrupt") {
        PageType::Interrupt
    } else if has("signin") || p == "login" {
        PageType::SignIn
    } else {
        PageType::Other
    }
}

fn classify(page: &EntraPage, path: Option<&str>) -> PageType {
    if page.auto_post.is_some() {
        return PageType::AutoPost;
    }
    let c = page.config.as_ref();
    let mut t = page.pgid.as_deref().map_or(PageType::Other, type_from_pgid);
    let has_exception = c.is_some_and(|c| c.service_exception_message.is_some());
    if path.is_some_and(|p| {
        p.to_ascii_lowercase()
            .trim_end_matches('/')
            .ends_with("/cookiesdisabled")
    }) {
        return PageType::CookiesDisabled;
    }
    if t == PageType::Other {
        let posts_consent = c
            .and_then(|c| c.url_post.as_deref())
            .is_some_and(|u| html::contains_ci(u, "/consent/"));
        t = if has_exception || page.troubleshooting.is_some() {
            PageType::Error
        } else if posts_consent || c.is_some_and(|c| !c.consent_scopes.is_empty()) {
            PageType::Consent
        } else if c.is_some_and(|c| !c.user_proofs.is_empty()) {
            PageType::Mfa
        } else {
            PageType::Other
        };
    } else if has_exception && matches!(t, PageType::SignIn | PageType::Interrupt) {
        t = PageType::Error;
    }
    if matches!(
        t,
        PageType::Error | PageType::Other | PageType::SignIn | PageType::Interrupt
    ) && conditional_access_signal(page)
    {
        t = PageType::ConditionalAccessBlock;
    }
    t
}

fn conditional_access_signal(page: &EntraPage) -> bool {
    let c = page.config.as_ref();
    let t = page.troubleshooting.as_ref();
    let ca_code = raw_codes(page)
        .iter()
        .any(|(code, _)| ErrorCode::new(*code).category() == Some(Category::ConditionalAccess));
    let device_fields = c.is_some_and(|c| c.device_id.is_some() || c.device_state.is_some())
        || t.is_some_and(|t| t.device_state.is_some() || t.device_identifier.is_some());
    let title_index = c.is_some_and(|c| c.error_title_index.is_some());
    ca_code || (title_index && device_fields)
}

/// Every code on the page with where it came from (before benign marking).
fn raw_codes(page: &EntraPage) -> Vec<(u32, &'static str)> {
    let mut out = Vec::new();
    let msa = page
        .host
        .as_deref()
        .is_some_and(|h| h.ends_with("live.com"));
    if let Some(c) = &page.config {
        if !msa {
            let numeric = [
                ("sErrorCode", &c.error_code),
                ("iErrorCode", &c.i_error_code),
            ];
            for (source, value) in numeric {
                if let Some(code) = value.as_deref().and_then(parse_code).filter(plausible) {
                    out.push((code, source));
                }
            }
            for v in &c.validation_errors {
                if let Some(code) = parse_code(v).filter(plausible) {
                    out.push((code, "arrValErrs"));
                }
            }
        }
        let texts = [
            ("strServiceExceptionMessage", &c.service_exception_message),
            ("sErrTxt", &c.error_text),
            ("strMainMessage", &c.main_message),
        ];
        for (source, value) in texts {
            for code in value.as_deref().map(find_codes).unwrap_or_default() {
                out.push((code, source));
            }
        }
    }
    if let Some(t) = &page.troubleshooting {
        let mut codes: Vec<u32> = t
            .error_code
            .as_deref()
            .and_then(parse_code)
            .into_iter()
            .collect();
        for text in [&t.message, &t.headline].into_iter().flatten() {
            codes.extend(find_codes(text));
        }
        out.extend(codes.into_iter().map(|c| (c, "troubleshooting")));
    }
    if let Some(form) = &page.auto_post {
        for f in &form.fields {
            if let FieldValue::Plain(v) = &f.value {
                out.extend(find_codes(v).into_iter().map(|c| (c, "form")));
            }
        }
    }
    if let Some(code) = page
        .headers
        .as_ref()
        .and_then(|h| h.cli_telem.as_ref())
        .and_then(|t| t.error.as_ref())
    {
        out.push((code.code, "x-ms-clitelem"));
    }
    out
}

/// Whether a bare number can be an AADSTS code (1–7 digits; Microsoft
/// account pages use 8-digit `8004xxxx` codes in the same fields).
fn plausible(code: &u32) -> bool {
    (1..10_000_000).contains(code)
}

fn collect_codes(page: &EntraPage) -> Vec<PageCode> {
    let mut out: Vec<PageCode> = Vec::new();
    for (code, source) in raw_codes(page) {
        match out.iter_mut().find(|c| c.code.code == code) {
            Some(existing) if !existing.sources.contains(&source) => existing.sources.push(source),
            Some(_) => {}
            None => {
                let (benign, note) = benign(code, page.page_type);
                out.push(PageCode {
                    code: ErrorCode::new(code),
                    sources: vec![source],
                    benign,
                    note,
                });
            }
        }
    }
    out
}

/// Codes that are expected on a page and are not failures there.
fn benign(code: u32, page: PageType) -> (bool, Option<&'static str>) {
    use PageType::*;
    let on_flow_page = !matches!(page, Error | ConditionalAccessBlock | CookiesDisabled);
    let note = match (code, page) {
        (50058, SignIn | Other | Interrupt) => {
            "no SSO session yet: the user is simply asked to sign in (an error only with prompt=none)"
        }
        (50140, Kmsi) => "the 'Stay signed in?' prompt itself",
        (50074 | 50076, Mfa) => "the MFA prompt itself",
        (50072 | 50079, ProofUp) => "the MFA registration prompt itself",
        (50199 | 501314 | 500581 | 50201, _) if on_flow_page => "a benign interrupt page",
        _ => return (false, None),
    };
    (true, Some(note))
}

fn is_error(page: &EntraPage) -> bool {
    matches!(
        page.page_type,
        PageType::Error | PageType::ConditionalAccessBlock | PageType::CookiesDisabled
    ) || page.error_codes.iter().any(|c| !c.benign)
        || page.config.as_ref().is_some_and(|c| c.error_text.is_some())
}

fn ids(page: &EntraPage) -> PageIds {
    let c = page.config.as_ref();
    let t = page.troubleshooting.as_ref();
    let h = page.headers.as_ref();
    let pick = |vals: [Option<&String>; 3]| vals.into_iter().flatten().next().cloned();
    PageIds {
        correlation_id: pick([
            t.and_then(|t| t.correlation_id.as_ref()),
            c.and_then(|c| c.correlation_id.as_ref()),
            h.and_then(|h| h.client_request_id.as_ref()),
        ]),
        request_id: pick([
            t.and_then(|t| t.request_id.as_ref()),
            h.and_then(|h| h.request_id.as_ref()),
            None,
        ]),
        timestamp: t.and_then(|t| {
            t.timestamp_utc
                .map(|ts| ts.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .or_else(|| t.timestamp.clone())
        }),
        app_name: pick([
            t.and_then(|t| t.app_name.as_ref()),
            c.and_then(|c| c.app_name.as_ref()),
            None,
        ]),
        app_id: pick([
            t.and_then(|t| t.app_id.as_ref()),
            c.and_then(|c| c.app_id.as_ref()),
            None,
        ]),
        tenant_id: c.and_then(|c| c.tenant_id.clone()),
        user: c.and_then(|c| c.username.clone()),
        device_id: pick([
            t.and_then(|t| t.device_identifier.as_ref())
                .filter(|d| !is_not_available(d)),
            c.and_then(|c| c.device_id.as_ref()),
            None,
        ]),
    }
}

/// Values the block shows instead of an ID (`Not available`, `N/A`).
fn is_not_available(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    v.is_empty() || v == "n/a" || v == "-" || v.starts_with("not available") || v == "unknown"
}

fn notes(page: &EntraPage) -> Vec<String> {
    let mut notes = Vec::new();
    if page.templated {
        notes.push(
            "IDs on this page are template placeholders ({{.X}}): a test fixture or saved template, not a live page"
                .to_owned(),
        );
    }
    if let (Some(c), Some(h)) = (&page.config, &page.headers)
        && let (Some(a), Some(b)) = (&c.correlation_id, &h.client_request_id)
        && !a.eq_ignore_ascii_case(b)
    {
        notes.push(format!(
            "$Config.correlationId {a} differs from client-request-id {b}"
        ));
    }
    if page.page_type == PageType::CookiesDisabled {
        notes.push(
            "the browser did not send back ESTS cookies: third-party cookies blocked, SameSite, or a privacy mode"
                .to_owned(),
        );
    }
    notes
}

/// Form fields that carry a protocol message (the first 8 mark a form as
/// an auto-post), and whether their values are secret.
const PROTOCOL_FIELDS: [(&str, bool); 12] = [
    ("SAMLResponse", true),
    ("SAMLRequest", false),
    ("wresult", true),
    ("code", true),
    ("id_token", true),
    ("access_token", true),
    ("refresh_token", true),
    ("error", false),
    ("error_description", false),
    ("wa", false),
    ("state", false),
    ("RelayState", false),
];

fn field_is_secret(name: &str) -> bool {
    PROTOCOL_FIELDS
        .iter()
        .any(|(n, secret)| *secret && n.eq_ignore_ascii_case(name))
        || config::is_secret_key(name)
}

/// The auto-posted hidden form of a "Working..." page, when there is one.
/// Off Microsoft hosts only the ESTS / AD FS template (`<title>Working...`
/// or `name="hiddenform"`) qualifies, so other IdPs' forms are left alone.
fn auto_post(body: &str, host: Option<HostKind>) -> Option<AutoPost> {
    let working_title =
        html::title(body).is_some_and(|t| t.trim_end_matches('.').eq_ignore_ascii_case("working"));
    let auto_submit = html::contains_ci(body, ".submit()") || html::contains_ci(body, "onload=");
    html::forms(body).into_iter().find_map(|form| {
        let names: Vec<&str> = form
            .inputs
            .iter()
            .filter_map(|i| i.name.as_deref())
            .collect();
        let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
        let protocol = if has("SAMLResponse") {
            "saml_response"
        } else if has("SAMLRequest") {
            "saml_request"
        } else if has("wresult") {
            "wsfed_response"
        } else if has("code") || has("id_token") || has("access_token") {
            "oidc_form_post"
        } else if has("error") {
            "oauth_error"
        } else {
            return None;
        };
        let hiddenform = form
            .name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case("hiddenform"));
        let post = form
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("post"));
        let hidden_message = form.inputs.iter().any(|i| {
            i.kind == "hidden"
                && i.name.as_deref().is_some_and(|n| {
                    PROTOCOL_FIELDS
                        .iter()
                        .take(8)
                        .any(|(f, _)| f.eq_ignore_ascii_case(n))
                })
        });
        let ests_template = working_title || hiddenform;
        let qualifies = post
            && hidden_message
            && match host {
                Some(HostKind::Microsoft) => ests_template || auto_submit,
                None => ests_template,
                Some(_) => false,
            };
        if !qualifies {
            return None;
        }
        let fields = form
            .inputs
            .iter()
            .filter(|i| i.kind != "submit" && i.kind != "button")
            .filter_map(|i| {
                let name = i.name.clone()?;
                let value = i.value.clone().unwrap_or_default();
                let value = if field_is_secret(&name) {
                    FieldValue::Secret(Secret::new(value))
                } else {
                    FieldValue::Plain(value)
                };
                Some(FormField { name, value })
            })
            .collect();
        Some(AutoPost {
            action: form.action.clone(),
            method: form.method.as_deref().unwrap_or("GET").to_ascii_uppercase(),
            protocol,
            auto_submit,
            fields,
        })
    })
}

impl EntraPage {
    /// One-line summary (`error (ConvergedError): AADSTS50011 InvalidReplyTo`).
    pub fn summary(&self) -> String {
        let mut s = self.page_type.as_str().replace('_', " ");
        if let Some(p) = &self.pgid {
            s.push_str(&format!(" ({p})"));
        }
        if let Some(c) = self.error_codes.iter().find(|c| !c.benign) {
            s.push_str(&format!(": AADSTS{}", c.code.code));
            if let Some(i) = c.code.info {
                s.push_str(&format!(" {}", i.name));
            }
        }
        s
    }

    /// Aligned key/value text; secrets masked unless `opts.show_secrets`.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let show = opts.show_secrets;
        let mut l = Lines::new(w);
        let mut head = format!("Entra ID page: {}", self.summary());
        if let Some(h) = &self.host {
            head.push_str(&format!(" · {h}"));
        }
        l.head(&head)?;
        l.opt("Title", self.title.as_deref())?;
        l.kv(
            "Status",
            if self.is_error {
                "reports a failure"
            } else {
                "no failure on this page"
            },
        )?;
        for c in &self.error_codes {
            let mut line = c.code.headline();
            if c.benign {
                line.push_str(" — not an error here");
            }
            l.kv("AADSTS", &line)?;
            l.opt("", c.code.description())?;
            l.opt("", c.note)?;
            l.more(&format!("seen in {}", c.sources.join(", ")))?;
        }
        let cfg = self.config.as_ref();
        let t = self.troubleshooting.as_ref();
        l.opt("Headline", cfg.and_then(|c| c.main_message.as_deref()))?;
        l.opt(
            "Message",
            cfg.and_then(|c| c.service_exception_message.as_deref())
                .or(t.and_then(|t| t.message.as_deref())),
        )?;
        l.opt("Form error", cfg.and_then(|c| c.error_text.as_deref()))?;
        l.opt("Correlation ID", self.ids.correlation_id.as_deref())?;
        l.opt("Request ID", self.ids.request_id.as_deref())?;
        l.opt("Timestamp", self.ids.timestamp.as_deref())?;
        l.opt("Tenant", self.ids.tenant_id.as_deref())?;
        l.opt("User", self.ids.user.as_deref())?;
        let app = match (&self.ids.app_name, &self.ids.app_id) {
            (Some(n), Some(i)) => Some(format!("{n} ({i})")),
            (n, i) => n.clone().or_else(|| i.clone()),
        };
        l.opt("App", app.as_deref())?;
        if let Some(t) = t {
            l.opt("IP address", t.ip_address.as_deref())?;
            l.opt("Device platform", t.device_platform.as_deref())?;
            l.opt("Device state", t.device_state.as_deref())?;
        }
        l.opt("Device ID", self.ids.device_id.as_deref())?;
        if let Some(c) = cfg {
            self.write_config_text(&mut l, c, show)?;
        }
        if let Some(h) = &self.headers {
            write_headers_text(&mut l, h)?;
        }
        if let Some(f) = &self.auto_post {
            l.kv(
                "Auto-post",
                &format!(
                    "{} {} ({})",
                    f.method,
                    f.action.as_deref().unwrap_or("(same URL)"),
                    f.protocol
                ),
            )?;
            for field in &f.fields {
                l.more(&format!("{} = {}", field.name, field.value.render(show)))?;
            }
        }
        l.opt("Config error", self.config_error.as_deref())?;
        for n in &self.notes {
            l.kv("Note", n)?;
        }
        Ok(())
    }

    fn write_config_text(
        &self,
        l: &mut Lines<'_>,
        c: &ConvergedConfig,
        show: bool,
    ) -> io::Result<()> {
        if !c.user_proofs.is_empty() {
            l.kv("MFA methods", &c.user_proofs.join(", "))?;
        }
        if !c.consent_scopes.is_empty() {
            l.kv("Scopes", &c.consent_scopes.join(" "))?;
        }
        l.opt("Posts to", c.url_post.as_deref())?;
        if let Some(sd) = &c.server_details {
            let parts: Vec<String> = [
                sd.build.as_ref().map(|b| format!("build {b}")),
                sd.datacenter.as_ref().map(|d| format!("dc {d}")),
                sd.role_instance.as_ref().map(|r| format!("ri {r}")),
                sd.slice.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            l.kv("Server", &parts.join(" · "))?;
        }
        let secrets: Vec<String> = [
            ("sFT", &c.flow_token),
            ("sCtx", &c.ctx),
            ("canary", &c.canary),
            ("apiCanary", &c.api_canary),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {}", v.render(show))))
        .collect();
        if !secrets.is_empty() {
            l.kv("Flow state", &secrets.join(", "))?;
        }
        if !c.placeholders.is_empty() {
            l.kv("Placeholders", &c.placeholders.join(", "))?;
        }
        Ok(())
    }
}

fn write_headers_text(l: &mut Lines<'_>, h: &EntraHeaders) -> io::Result<()> {
    l.opt("x-ms-request-id", h.request_id.as_deref())?;
    l.opt("client-request-id", h.client_request_id.as_deref())?;
    if let Some(s) = &h.ests_server {
        l.kv("x-ms-ests-server", &s.raw)?;
    }
    if let Some(t) = &h.cli_telem {
        let mut v = t.raw.clone();
        if let Some(e) = &t.error {
            v.push_str(&format!(" → {}", e.headline()));
        }
        l.kv("x-ms-clitelem", &v)?;
    }
    l.opt("x-ms-srs", h.srs.as_deref())?;
    l.opt("gateway slice", h.gateway_slice.as_deref())
}

impl EntraHeaders {
    /// Aligned key/value text of the headers alone.
    pub fn write_text(&self, w: &mut dyn Write, _opts: &TextOptions) -> io::Result<()> {
        let mut l = Lines::new(w);
        l.head("Entra ID response headers")?;
        write_headers_text(&mut l, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(config: &str) -> EntraPage {
        let html = format!("<html><script>//<![CDATA[\n$Config={config};\n//]]></script></html>");
        decode(&PageInput::new(&html).with_host("login.microsoftonline.com")).unwrap()
    }

    #[test]
    fn classifies_pages_by_pgid_and_content() {
        let cases = [
            (
                r#"{"pgid":"ConvergedSignIn","sErrorCode":"50058"}"#,
                PageType::SignIn,
                false,
            ),
            (
                r#"{"pgid":"ConvergedSignIn","sErrorCode":"50126","sErrTxt":"Your account or password is incorrect."}"#,
                PageType::SignIn,
                true,
            ),
            (
                r#"{"pgid":"ConvergedTFA","arrUserProofs":[{"authMethodId":"PhoneAppNotification"}]}"#,
                PageType::Mfa,
                false,
            ),
            (
                r#"{"pgid":"KmsiInterrupt","sErrorCode":"50140"}"#,
                PageType::Kmsi,
                false,
            ),
            (
                r#"{"pgid":"ConvergedProofUpRedirect","iErrorCode":"50079"}"#,
                PageType::ProofUp,
                false,
            ),
            (
                r#"{"pgid":"CmsiInterrupt","sErrorCode":"50199"}"#,
                PageType::Interrupt,
                false,
            ),
            (
                r#"{"pgid":"ConvergedError","strServiceExceptionMessage":"AADSTS700016: app not found"}"#,
                PageType::Error,
                true,
            ),
            (
                r#"{"strServiceExceptionMessage":"AADSTS50105: not assigned","urlPost":"/x"}"#,
                PageType::Error,
                true,
            ),
            (
                r#"{"urlPost":"https://login.microsoftonline.com/common/Consent/Set","sCtx":"c"}"#,
                PageType::Consent,
                false,
            ),
            (
                r#"{"pgid":"Consent","arrScopes":[{"id":"User.Read"}]}"#,
                PageType::Consent,
                false,
            ),
            (
                r#"{"pgid":"ConvergedError","sErrorCode":"53000","sDeviceState":"Unregistered"}"#,
                PageType::ConditionalAccessBlock,
                true,
            ),
            (
                r#"{"pgid":"ConvergedSignIn","iErrorTitle":3,"sDeviceId":"d1"}"#,
                PageType::ConditionalAccessBlock,
                true,
            ),
            (
                r#"{"pgid":"SomethingNew","hpgid":1}"#,
                PageType::Other,
                false,
            ),
        ];
        for (config, want, error) in cases {
            let p = page(config);
            assert_eq!((p.page_type, p.is_error), (want, error), "{config}");
        }
    }

    #[test]
    fn marks_expected_interrupt_codes_benign_only_on_their_page() {
        let signin =
            page(r#"{"pgid":"ConvergedSignIn","sErrorCode":"50058","arrValErrs":["50058"]}"#);
        assert_eq!(signin.error_codes.len(), 1);
        assert!(signin.error_codes[0].benign);
        assert_eq!(signin.error_codes[0].sources, ["sErrorCode", "arrValErrs"]);
        assert_eq!(signin.category, None);
        let error = page(
            r#"{"pgid":"ConvergedError","iErrorCode":50058,"strServiceExceptionMessage":"AADSTS50058: no session"}"#,
        );
        assert!(
            !error.error_codes[0].benign,
            "50058 on an error page (prompt=none) is a failure"
        );
        assert_eq!(error.category, Some(Category::Session));
    }

    #[test]
    fn cookies_disabled_page_is_recognised_by_url() {
        let input = PageInput::new("<html><meta name=\"PageID\" content=\"x\"/><script>$Config={\"hpgid\":5};</script></html>")
            .with_url("https://login.microsoftonline.com/cookiesdisabled");
        let p = decode(&input).unwrap();
        assert_eq!(p.page_type, PageType::CookiesDisabled);
        assert!(p.is_error);
        assert_eq!(p.category, Some(Category::Session));
    }

    #[test]
    fn microsoft_account_codes_are_not_aadsts() {
        let html = r#"<script>var ServerData = {"sErrorCode":"80041012","sErrTxt":"That password is incorrect.","sFTTag":"<input name=\"PPFT\" value=\"SECRETPPFT\"/>","urlPost":"https://login.live.com/ppsecure/post.srf"};</script>"#;
        let p = decode(&PageInput::new(html).with_host("login.live.com")).unwrap();
        assert!(p.error_codes.is_empty());
        assert!(p.is_error, "the form error text still counts");
        let p = decode(&PageInput::new(html)).unwrap();
        assert!(
            p.error_codes.is_empty(),
            "8-digit codes are not AADSTS codes"
        );
        assert!(!serde_json::to_string(&p).unwrap().contains("SECRETPPFT"));
    }

    #[test]
    fn broken_config_on_a_microsoft_host_is_reported_not_dropped() {
        let input = PageInput::new("<script>$Config={\"pgid\":\"ConvergedError\",};</script>")
            .with_host("login.microsoftonline.com");
        let p = decode(&input).unwrap();
        assert!(p.config.is_none());
        assert!(
            p.config_error
                .as_deref()
                .unwrap()
                .contains("not valid JSON")
        );
        assert!(decode(&PageInput::new("<script>$Config={\"a\":,};</script>")).is_none());
    }

    #[test]
    fn unrelated_server_data_is_not_an_entra_page() {
        let html = r#"<script>window.ServerData = {"theme":"dark","items":[1,2]};</script>"#;
        assert!(decode(&PageInput::new(html)).is_none());
        assert!(decode(&PageInput::new(html).with_host("www.contoso.example")).is_none());
    }

    #[test]
    fn headers_alone_and_mismatched_correlation_are_noted() {
        let headers = [("client-request-id", "aaaaaaaa-0000-4000-8000-000000000001")];
        let html = r#"<script>$Config={"pgid":"ConvergedSignIn","correlationId":"bbbbbbbb-0000-4000-8000-000000000002"};</script>"#;
        let p = decode(&PageInput::new(html).with_headers(&headers)).unwrap();
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("differs from client-request-id"))
        );
        assert_eq!(
            p.ids.correlation_id.as_deref(),
            Some("bbbbbbbb-0000-4000-8000-000000000002")
        );
    }

    #[test]
    fn pgid_words_map_to_types() {
        let cases = [
            ("ConvergedSignIn", PageType::SignIn),
            ("ConvergedTFA", PageType::Mfa),
            ("KmsiInterrupt", PageType::Kmsi),
            ("ConvergedKmsi", PageType::Kmsi),
            ("ConvergedProofUpRedirect", PageType::ProofUp),
            ("ConvergedError", PageType::Error),
            ("CmsiInterrupt", PageType::Interrupt),
            ("ConvergedConsent", PageType::Consent),
            ("CookiesDisabled", PageType::CookiesDisabled),
            ("ConvergedChangePassword", PageType::Other),
        ];
        for (pgid, want) in cases {
            assert_eq!(type_from_pgid(pgid), want, "{pgid}");
        }
    }

    #[test]
    fn recognises_microsoft_login_hosts() {
        for h in [
            "login.microsoftonline.com",
            "LOGIN.MICROSOFT.COM",
            "login.microsoftonline.us",
            "device.login.microsoftonline.com",
        ] {
            assert!(is_microsoft_login_host(h), "{h}");
        }
        for h in [
            "login.microsoftonline.com.evil.example",
            "notlogin.microsoftonline.com",
            "microsoft.com",
        ] {
            assert!(!is_microsoft_login_host(h), "{h}");
        }
    }
}
