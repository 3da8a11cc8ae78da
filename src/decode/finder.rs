//! Where messages hide in an exchange, and which decoder reads them:
//! the request URL's query, the request's form body (urlencoded or
//! multipart), the `Location` of a redirect (query and fragment — the only
//! place an implicit / hybrid response is visible), and the response body
//! (auto-submit forms of SAML POST / form_post / WS-Fed, IdP pages, JSON).
//!
//! Cheap first: bodies are only decoded when their raw bytes mention a
//! marker (`SAMLResponse`, `wresult`, `$Config`…), so a capture full of
//! images costs nothing here.

use std::collections::HashSet;

use memchr::memmem;
use url::Url;

use super::html;
use super::params::{self, Params};
use super::saml::{self, Binding, BindingParams};
use super::{Found, Message, Place, Undecodable};
use super::{jwt, oidc, pages, wsfed};
use crate::capture::{Body, BodyData, Capture, Codings, Exchange, Headers, Limits};

/// Bodies larger than this are not searched for messages.
const MAX_SCANNED_BODY: usize = 16 << 20;

/// Raw-byte markers that make a response body worth decoding.
const BODY_MARKERS: &[&[u8]] = &[
    b"SAMLResponse",
    b"SAMLRequest",
    b"wresult",
    b"$Config",
    b"id_token",
    b"access_token",
    b"error_description",
    b"errorCode",
    b"disallowed_useragent",
    b"redirect_uri_mismatch",
    b"Activity ID",
    b"AADSTS",
    b"AADB2C",
    // JARM form_post.jwt: the answer is one JWT in a `response` field.
    b"name=\"response\"",
];

pub fn find_all(capture: &Capture<'_>, limits: &Limits) -> Vec<Found> {
    let urls: HashSet<&str> = capture
        .exchanges
        .iter()
        .map(|e| e.request.url.as_ref())
        .collect();
    let mut out = Vec::new();
    // Hosts that received a sign-in request: the IdPs of this capture.
    let mut idp_hosts: HashSet<String> = HashSet::new();
    for e in &capture.exchanges {
        if e.is_tunnel() {
            continue;
        }
        let before = out.len();
        find_in_exchange(e, limits, &urls, &idp_hosts, &mut out);
        if out[before..]
            .iter()
            .any(|f| f.place == Place::RequestUrl && f.message.is_sign_in_request())
            && let Some(h) = e.request.host()
        {
            idp_hosts.insert(h.to_ascii_lowercase());
        }
    }
    out
}

fn find_in_exchange(
    e: &Exchange<'_>,
    limits: &Limits,
    urls: &HashSet<&str>,
    idp_hosts: &HashSet<String>,
    out: &mut Vec<Found>,
) {
    let url = e.request.parsed_url.as_ref();
    if let Some(u) = url {
        let q = params::query(u);
        decode_params(
            &q,
            e.index,
            Place::RequestUrl,
            Some(u.as_str()),
            Binding::HttpRedirect,
            out,
        );
        for m in oidc::decode_url(u) {
            out.push(found(
                e.index,
                Place::RequestUrl,
                "query",
                Some(u.as_str()),
                Message::Oidc(m),
            ));
        }
    }
    if let Some(token) = bearer_jwt(e)
        && let Ok(j) = jwt::decode(token)
    {
        out.push(found(
            e.index,
            Place::RequestHeader,
            "Authorization",
            url.map(Url::as_str),
            Message::Jwt(Box::new(j)),
        ));
    }
    if e.request.method.eq_ignore_ascii_case("POST") {
        let form = params::request_form(&e.request, limits);
        decode_params(
            &form,
            e.index,
            Place::RequestBody,
            url.map(Url::as_str),
            Binding::HttpPost,
            out,
        );
        if !form.is_empty() {
            for m in oidc::decode_form(url, &cow_pairs(&form)) {
                out.push(found(
                    e.index,
                    Place::RequestBody,
                    "form",
                    url.map(Url::as_str),
                    Message::Oidc(m),
                ));
            }
        }
    }
    let Some(r) = &e.response else {
        return;
    };
    if let (Some(loc), Some(base)) = (r.location(), url)
        && let Ok(target) = base.join(loc)
    {
        let mut bare = target.clone();
        bare.set_fragment(None);
        // The next request repeats a redirect's query: decode it there.
        // The fragment is never sent: this is the only place it shows.
        let repeated = urls.contains(bare.as_str());
        if !repeated {
            let q = params::query(&target);
            decode_params(
                &q,
                e.index,
                Place::Location,
                Some(target.as_str()),
                Binding::HttpRedirect,
                out,
            );
        }
        let frag = params::fragment(&target);
        decode_params(
            &frag,
            e.index,
            Place::Location,
            Some(target.as_str()),
            Binding::Unknown,
            out,
        );
        for m in oidc::decode_url(&target) {
            if repeated && !from_fragment(&m) {
                continue;
            }
            out.push(found(
                e.index,
                Place::Location,
                "Location",
                Some(bare.as_str()),
                Message::Oidc(m),
            ));
        }
    }
    // The exchange that received a sign-in request is the IdP's endpoint:
    // its page is the IdP's answer, whatever its host looks like.
    let idp_endpoint = out
        .iter()
        .rev()
        .take_while(|f| f.entry == e.index)
        .any(|f| f.place == Place::RequestUrl && f.message.is_sign_in_request());
    if let Some(body) = &r.body {
        let at_idp = e
            .request
            .host()
            .is_some_and(|h| idp_hosts.contains(&h.to_ascii_lowercase()));
        let error_page = r.status >= 400 || idp_endpoint || is_idp_host(e) || at_idp;
        if worth_scanning(body, error_page)
            && let Ok(text) = body.text(limits)
        {
            scan_response_body(e, &text, url, idp_endpoint, out);
            if (at_idp || is_idp_host(e))
                && r.status == 200
                && let Some(screen) = consent_screen(&text)
            {
                out.push(found(
                    e.index,
                    Place::ResponseBody,
                    "page",
                    url.map(Url::as_str),
                    Message::ConsentScreen(screen),
                ));
            }
        }
    }
}

fn is_idp_host(e: &Exchange<'_>) -> bool {
    e.request
        .host()
        .is_some_and(super::hosts::is_known_idp_host)
}

/// Whether an OAuth message came from a URL fragment.
fn from_fragment(m: &oidc::OidcMessage) -> bool {
    match m {
        oidc::OidcMessage::OauthResponse(r) => r.delivery == oidc::Delivery::Fragment,
        oidc::OidcMessage::OauthError(r) => r.delivery == oidc::Delivery::Fragment,
        _ => false,
    }
}

fn cow_pairs(p: &Params) -> Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    p.iter()
        .map(|(k, v)| {
            (
                std::borrow::Cow::Borrowed(k.as_str()),
                std::borrow::Cow::Borrowed(v.as_str()),
            )
        })
        .collect()
}

/// `Authorization: Bearer <JWT>`.
fn bearer_jwt<'e>(e: &'e Exchange<'_>) -> Option<&'e str> {
    let v = e.request.header("authorization")?;
    let (scheme, token) = v.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && jwt::looks_like_jwt(token)).then_some(token)
}

/// Whether a body's raw bytes mention something a decoder wants.
fn worth_scanning(body: &Body<'_>, error_page: bool) -> bool {
    if body.recorded_len() > MAX_SCANNED_BODY {
        return false;
    }
    let mime = body.essence().unwrap_or_default();
    let texty = mime.is_empty()
        || mime.contains("html")
        || mime.contains("json")
        || mime.starts_with("text/")
        || mime.contains("javascript");
    if !texty {
        return false;
    }
    let compressed =
        body.base64 || (body.codings_state == Codings::Applied && !body.codings.is_empty());
    if compressed || (error_page && body.recorded_len() <= 2 << 20) {
        return true;
    }
    let raw: &[u8] = match &body.data {
        BodyData::Json(raw) => raw.get().as_bytes(),
        BodyData::Text(t) => t.as_bytes(),
        BodyData::Bytes(b) => b,
        BodyData::NotKept { .. } => return false,
    };
    BODY_MARKERS.iter().any(|m| memmem::find(raw, m).is_some())
}

fn scan_response_body(
    e: &Exchange<'_>,
    text: &str,
    url: Option<&Url>,
    idp_endpoint: bool,
    out: &mut Vec<Found>,
) {
    let content_type = e
        .response
        .as_ref()
        .and_then(|r| r.header("content-type"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let trimmed = text.trim_start();
    let is_json = content_type.contains("json") || trimmed.starts_with('{');
    let is_html = trimmed.starts_with('<') || content_type.contains("html");
    let url_text = url.map(Url::as_str);
    if is_json
        && !is_html
        && let Ok(Some(m)) = oidc::decode_json(url, text)
    {
        out.push(found(
            e.index,
            Place::ResponseBody,
            "json",
            url_text,
            Message::Oidc(m),
        ));
        return;
    }
    let headers: Vec<(&str, &str)> = e
        .response
        .as_ref()
        .map(|r| {
            r.headers
                .iter()
                .map(|h| (h.name.as_ref(), h.value.as_ref()))
                .collect()
        })
        .unwrap_or_default();
    let mut input = pages::PageInput::new(text).with_headers(&headers);
    input.url = url_text;
    let page = pages::decode_page(&input).or_else(|| {
        // The page decoders trust only IdP-looking hosts; the flow knows this
        // host is the IdP, so let them judge the page on its own.
        idp_endpoint
            .then(|| pages::decode_page(&pages::PageInput::new(text).with_headers(&headers)))
            .flatten()
    });
    if let Some(page) = page {
        out.push(found(
            e.index,
            Place::ResponseBody,
            "page",
            url_text,
            Message::Page(page),
        ));
    }
    if is_html {
        for form in html::forms(text) {
            let target = form
                .action
                .as_deref()
                .and_then(|a| params::resolve(url, a))
                .map(String::from);
            let binding = if form.method == "POST" {
                Binding::HttpPost
            } else {
                Binding::HttpRedirect
            };
            decode_params(
                &form.fields,
                e.index,
                Place::ResponseBody,
                target.as_deref(),
                binding,
                out,
            );
            let form_url = target.as_deref().and_then(|t| Url::parse(t).ok());
            if form.auto_submit && form.method == "POST" {
                for m in oidc::decode_form(form_url.as_ref(), &cow_pairs(&form.fields)) {
                    if matches!(
                        m,
                        oidc::OidcMessage::OauthResponse(_) | oidc::OidcMessage::OauthError(_)
                    ) {
                        out.push(found(
                            e.index,
                            Place::ResponseBody,
                            "form_post",
                            target.as_deref(),
                            Message::Oidc(m),
                        ));
                    }
                }
            }
        }
    }
}

/// Decodes SAML and WS-Fed parameters found together.
fn decode_params(
    p: &Params,
    entry: u32,
    place: Place,
    target: Option<&str>,
    binding: Binding,
    out: &mut Vec<Found>,
) {
    for (field, m) in saml_and_wsfed(p, binding) {
        out.push(found(entry, place, field, target, m));
    }
}

/// The SAML and WS-Federation messages among parameters found together
/// (a query, a form, an auto-submit page), each with the field it came
/// from. One that does not decode becomes [`Message::Undecodable`].
pub(super) fn saml_and_wsfed(p: &Params, binding: Binding) -> Vec<(&'static str, Message)> {
    let mut out = Vec::new();
    if p.is_empty() {
        return out;
    }
    for field in ["SAMLRequest", "SAMLResponse"] {
        let Some(value) = params::get(p, field) else {
            continue;
        };
        let bp = BindingParams {
            binding,
            relay_state: params::get(p, "RelayState"),
            sig_alg: params::get(p, "SigAlg"),
            signature: params::get(p, "Signature"),
        };
        match saml::decode_value(value, &bp) {
            _ if super::placeholder::is_removed(value) => out.push((
                field,
                Message::Undecodable(Undecodable {
                    what: field.to_owned(),
                    reason: super::placeholder::REASON.to_owned(),
                }),
            )),
            Ok(decoded) => out.extend(
                decoded
                    .messages
                    .into_iter()
                    .map(|m| (field, Message::Saml(m))),
            ),
            Err(err) => out.push((
                field,
                Message::Undecodable(Undecodable {
                    what: field.to_owned(),
                    reason: err.to_string(),
                }),
            )),
        }
    }
    let has = |k: &str| p.iter().any(|(n, _)| n.eq_ignore_ascii_case(k));
    if has("wa") || has("wresult") {
        match wsfed::decode_params(p) {
            Ok(m) => out.push(("wa", Message::WsFed(m))),
            Err(err) => out.push((
                "wresult",
                Message::Undecodable(Undecodable {
                    what: "WS-Federation".to_owned(),
                    reason: err.to_string(),
                }),
            )),
        }
    }
    out
}

fn found(entry: u32, place: Place, field: &str, target: Option<&str>, message: Message) -> Found {
    Found {
        entry,
        place,
        field: Some(field.to_owned()),
        target: target.map(str::to_owned),
        message,
        signature: None,
    }
}

/// Words of a consent screen's title or heading (OIDC providers, Okta,
/// Google, Keycloak, node-oidc-provider…).
const CONSENT_HEADINGS: &[&str] = &[
    "consent",
    "permissions requested",
    "permission requested",
    "wants to access",
    "would like to",
    "grant access",
    "authorize access",
    "allow access",
    "requesting access",
];
const ACCEPT_WORDS: &[&str] = &[
    "accept", "allow", "approve", "confirm", "grant", "yes", "continue",
];
const DENY_WORDS: &[&str] = &[
    "cancel",
    "deny",
    "decline",
    "reject",
    "abort",
    "no thanks",
    "don't allow",
];

/// A generic consent screen: a consent-worded title or heading, with both
/// an accept and a deny control. Entra's own consent page is decoded from
/// its `$Config` instead.
pub fn consent_screen(html_text: &str) -> Option<super::ConsentScreen> {
    if html_text.len() > 512 << 10 {
        return None;
    }
    let lower = html_text.to_ascii_lowercase();
    let title = html::title(html_text).unwrap_or_default();
    let heading = lower
        .find("<h1")
        .and_then(|i| lower[i..].find('>').map(|j| i + j + 1))
        .and_then(|start| {
            lower[start..]
                .find("</h1")
                .map(|end| &lower[start..start + end])
        })
        .unwrap_or_default();
    let worded = CONSENT_HEADINGS
        .iter()
        .any(|w| title.to_ascii_lowercase().contains(w) || heading.contains(w));
    let controls: String = lower
        .match_indices("<button")
        .chain(lower.match_indices("<input"))
        .filter_map(|(i, _)| {
            lower[i..]
                .find('>')
                .map(|j| &lower[i..(i + j + 60).min(lower.len())])
        })
        .collect::<Vec<_>>()
        .join(" ");
    let accept = ACCEPT_WORDS.iter().any(|w| controls.contains(w));
    let deny = DENY_WORDS
        .iter()
        .any(|w| controls.contains(w) || lower.contains(&format!("/{w}\"")));
    (worded && accept && deny).then(|| super::ConsentScreen {
        title: (!title.is_empty()).then_some(title),
    })
}
