//! IdP pages that explain a failed sign-in: Entra ID pages (via
//! [`super::entra`], kind `entra_page`) and other IdPs' error surfaces
//! (kind `idp_error_page`, field `idp`): AD FS error pages, Google OAuth
//! error pages and `authError` URLs, Okta's HTML 400 page and API JSON
//! errors, and — only on strong evidence — a generic OAuth error page.
//!
//! Entry point: [`decode_page`] with a [`PageInput`] (body, optional URL /
//! host hint, response headers) → [`PageMessage`].
//!
//! False-positive guards: a page is only reported when it comes from a host
//! that looks like that IdP, or carries the IdP's own structure (labels,
//! layout, markers) — never because its prose mentions an error word. A
//! host hint that is clearly not an IdP (a docs site, the app itself)
//! disables the text-based detectors except for structural JSON (Okta API
//! errors) and AD FS pages under `/adfs/`. See each detector's module docs.

pub mod adfs;
pub mod app_errors;
pub mod b2c;
pub mod generic;
pub mod google;
pub mod okta;

use std::io::{self, Write};

use serde::Serialize;

use super::TextOptions;
pub use super::hosts::{HostKind, PageInput, classify_host};
pub use crate::codec::html;

use super::entra::{self, EntraPage};
use super::lines::Lines;

/// Which IdP produced an `idp_error_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Idp {
    Adfs,
    Google,
    Okta,
    /// Azure AD B2C's own error page (`AADB2C…` codes).
    B2c,
    Generic,
}

impl Idp {
    pub fn as_str(self) -> &'static str {
        match self {
            Idp::Adfs => "adfs",
            Idp::Google => "google",
            Idp::Okta => "okta",
            Idp::B2c => "azure_ad_b2c",
            Idp::Generic => "generic",
        }
    }

    fn display(self) -> &'static str {
        match self {
            Idp::Adfs => "AD FS",
            Idp::Google => "Google",
            Idp::Okta => "Okta",
            Idp::B2c => "Azure AD B2C",
            Idp::Generic => "IdP",
        }
    }
}

/// IdP-specific fields of an error page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IdpDetails {
    Adfs(adfs::AdfsDetails),
    Google(google::GoogleDetails),
    Okta(okta::OktaDetails),
    Generic(generic::GenericDetails),
}

/// An IdP's error page or error document (kind `idp_error_page`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpErrorPage {
    pub idp: Idp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The short error: `disallowed_useragent`, `invalid_request`,
    /// `E0000004`, `MSIS7012`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The human explanation shown with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Our category word (`webview_blocked`, `redirect_mismatch`,
    /// `user_not_assigned`, `credentials`, … or `idp_error`).
    pub category: &'static str,
    #[serde(flatten)]
    pub details: IdpDetails,
}

/// A decoded page, tagged with its `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageMessage {
    EntraPage(Box<EntraPage>),
    IdpErrorPage(Box<IdpErrorPage>),
}

impl PageMessage {
    /// `entra_page` or `idp_error_page`.
    pub fn kind(&self) -> &'static str {
        match self {
            PageMessage::EntraPage(_) => "entra_page",
            PageMessage::IdpErrorPage(_) => "idp_error_page",
        }
    }

    /// Whether the page reports a failure (an `idp_error_page` always does).
    pub fn is_error(&self) -> bool {
        match self {
            PageMessage::EntraPage(p) => p.is_error,
            PageMessage::IdpErrorPage(_) => true,
        }
    }

    /// Aligned key/value text; secrets masked unless `opts.show_secrets`.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        match self {
            PageMessage::EntraPage(p) => p.write_text(w, opts),
            PageMessage::IdpErrorPage(p) => p.write_text(w, opts),
        }
    }
}

/// Visible text (bytes) above which a page without a host hint is taken
/// for an article, not an error page.
pub const MAX_ERROR_PAGE_TEXT: usize = 6000;

/// Largest body examined by the non-Entra detectors.
const MAX_BODY_BYTES: usize = 4 << 20;

/// Decodes whatever IdP page `input` is: Okta API JSON, Entra ID page,
/// AD FS, Google (page or `authError` URL), Okta HTML, generic OAuth error
/// page — in that order. `None` for ordinary pages.
pub fn decode_page(input: &PageInput<'_>) -> Option<PageMessage> {
    let body = clip(input.body, MAX_BODY_BYTES);
    let host = input.host_name();
    let kind = input.kind_of_host();
    let path = input.path();
    if let Some(p) = okta::decode_api_error(body) {
        return Some(finish(p, host));
    }
    if let Some(p) = entra::decode(input) {
        return Some(PageMessage::EntraPage(Box::new(p)));
    }
    if let Some(p) = input.url.and_then(google::decode_auth_error_url) {
        return Some(finish(p, host));
    }
    if body.trim().is_empty() {
        return None;
    }
    let text = html::visible_text(body);
    let page = Page {
        html: body,
        text: &text,
        host: kind,
        path: path.as_deref(),
    };
    b2c::decode(&page, host.as_deref())
        .or_else(|| adfs::decode(&page))
        .or_else(|| google::decode(&page))
        .or_else(|| okta::decode_html(&page))
        .or_else(|| {
            (kind != Some(HostKind::Microsoft))
                .then(|| generic::decode(&page))
                .flatten()
        })
        .map(|p| finish(p, host))
}

fn finish(mut p: IdpErrorPage, host: Option<String>) -> PageMessage {
    if p.host.is_none() {
        p.host = host;
    }
    PageMessage::IdpErrorPage(Box::new(p))
}

/// What the non-Entra detectors look at.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub html: &'a str,
    /// `html::visible_text` of the body.
    pub text: &'a str,
    pub host: Option<HostKind>,
    pub path: Option<&'a str>,
}

impl Page<'_> {
    /// The `<title>`.
    pub fn title(&self) -> Option<String> {
        html::title(self.html)
    }

    /// Whether text-based detection is allowed: a host that looks like an
    /// IdP, or no host hint and a page short enough to be an error page
    /// (long pages without a host are articles, not error pages).
    pub fn host_allows_text_detection(&self) -> bool {
        match self.host {
            Some(HostKind::Other) => false,
            Some(_) => true,
            None => self.text.len() < MAX_ERROR_PAGE_TEXT,
        }
    }
}

fn clip(body: &str, max: usize) -> &str {
    let mut end = body.len().min(max);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or_default()
}

/// Reads `Label: value` lines (label ASCII-case-insensitive, `:` or `：`);
/// a label alone on its line takes the next line unless that is a label
/// too. Returns one slot per entry of `labels` (each entry lists synonyms).
pub(crate) fn read_labels(text: &str, labels: &[&[&str]]) -> Vec<Option<String>> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let find = |line: &str| -> Option<(usize, String)> {
        let (key, value) = line.split_once([':', '：'])?;
        let key = key.trim();
        if key.is_empty() || key.len() > 60 {
            return None;
        }
        let key = key.to_lowercase();
        labels
            .iter()
            .position(|syn| syn.iter().any(|s| key == *s))
            .map(|i| (i, value.trim().to_owned()))
    };
    let mut out = vec![None; labels.len()];
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        let Some((slot, mut value)) = find(line) else {
            continue;
        };
        if value.is_empty() {
            match lines.get(i) {
                Some(next) if find(next).is_none() => {
                    value = (*next).to_owned();
                    i += 1;
                }
                _ => continue,
            }
        }
        if let Some(s) = out.get_mut(slot)
            && s.is_none()
        {
            *s = Some(value);
        }
    }
    out
}

impl IdpErrorPage {
    /// One line: `Google error page: Error 403 disallowed_useragent`.
    pub fn summary(&self) -> String {
        let mut s = format!("{} error page", self.idp.display());
        if let Some(e) = &self.error {
            s.push_str(&format!(": {e}"));
        }
        s.push_str(&format!(" [{}]", self.category));
        s
    }

    /// Aligned key/value text.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut l = Lines::new(w);
        let mut head = self.summary();
        if let Some(h) = &self.host {
            head.push_str(&format!(" · {h}"));
        }
        l.head(&head)?;
        l.opt("Title", self.title.as_deref())?;
        l.opt("Error", self.error.as_deref())?;
        l.opt("Description", self.description.as_deref())?;
        match &self.details {
            IdpDetails::Adfs(d) => d.write_text(&mut l),
            IdpDetails::Google(d) => d.write_text(&mut l),
            IdpDetails::Okta(d) => d.write_text(&mut l, opts),
            IdpDetails::Generic(d) => d.write_text(&mut l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hosts() {
        let cases = [
            ("login.microsoftonline.com", None, HostKind::Microsoft),
            ("LOGIN.LIVE.COM", None, HostKind::Microsoft),
            ("accounts.google.com", None, HostKind::Google),
            ("contoso.okta.com", None, HostKind::Okta),
            ("contoso-admin.oktapreview.com", None, HostKind::Okta),
            ("sts.contoso.com", None, HostKind::IdpLike),
            ("adfs.contoso.com", None, HostKind::IdpLike),
            ("login.contoso.com", None, HostKind::IdpLike),
            ("www.contoso.com", Some("/adfs/ls/"), HostKind::IdpLike),
            (
                "learn.microsoft.com",
                Some("/en-us/entra/"),
                HostKind::Other,
            ),
            ("app.contoso.com", Some("/signin-oidc"), HostKind::Other),
            ("developers.google.com", None, HostKind::Other),
        ];
        for (host, path, want) in cases {
            assert_eq!(classify_host(host, path), want, "{host}");
        }
    }

    #[test]
    fn page_input_derives_host_and_path() {
        let i = PageInput::new("")
            .with_url("https://Login.MicrosoftOnline.com/common/oauth2/authorize?x=1");
        assert_eq!(i.host_name().as_deref(), Some("login.microsoftonline.com"));
        assert_eq!(i.path().as_deref(), Some("/common/oauth2/authorize"));
        assert_eq!(i.kind_of_host(), Some(HostKind::Microsoft));
        let i = PageInput::new("").with_url("sts.contoso.com/adfs/ls");
        assert_eq!(i.host_name().as_deref(), Some("sts.contoso.com"));
        assert_eq!(PageInput::new("").host_name(), None);
    }

    #[test]
    fn read_labels_handles_same_and_next_line_values() {
        let text =
            "Activity ID: 00000000-0000-0000-1\nRelying party:\nContoso\nCookie:\nError time: x\n";
        let got = read_labels(
            text,
            &[
                &["activity id"],
                &["relying party"],
                &["cookie"],
                &["error time"],
            ],
        );
        assert_eq!(got[0].as_deref(), Some("00000000-0000-0000-1"));
        assert_eq!(got[1].as_deref(), Some("Contoso"));
        assert_eq!(got[2], None);
        assert_eq!(got[3].as_deref(), Some("x"));
    }
}

#[cfg(test)]
mod fixture_tests;
