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
use super::wsfed;
use super::{Found, Message, Place, Undecodable};
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
];

pub fn find_all(capture: &Capture<'_>, limits: &Limits) -> Vec<Found> {
    let urls: HashSet<&str> = capture
        .exchanges
        .iter()
        .map(|e| e.request.url.as_ref())
        .collect();
    let mut out = Vec::new();
    for e in &capture.exchanges {
        if e.is_tunnel() {
            continue;
        }
        find_in_exchange(e, limits, &urls, &mut out);
    }
    out
}

fn find_in_exchange(e: &Exchange<'_>, limits: &Limits, urls: &HashSet<&str>, out: &mut Vec<Found>) {
    let url = e.request.parsed_url.as_ref();
    if let Some(u) = url {
        let q = params::query(u);
        decode_params(&q, e.index, Place::RequestUrl, Some(u.as_str()), Binding::HttpRedirect, out);
    }
    if e.request.method.eq_ignore_ascii_case("POST") {
        let form = params::request_form(&e.request, limits);
        decode_params(&form, e.index, Place::RequestBody, url.map(Url::as_str), Binding::HttpPost, out);
    }
    let Some(r) = &e.response else {
        return;
    };
    if let (Some(loc), Some(base)) = (r.location(), url) {
        if let Ok(target) = base.join(loc) {
            // The next request repeats a redirect's query: decode it there.
            if !urls.contains(target.as_str()) {
                let q = params::query(&target);
                decode_params(&q, e.index, Place::Location, Some(target.as_str()), Binding::HttpRedirect, out);
            }
            let frag = params::fragment(&target);
            decode_params(&frag, e.index, Place::Location, Some(target.as_str()), Binding::Unknown, out);
        }
    }
    if let Some(body) = &r.body {
        if worth_scanning(body) {
            if let Ok(text) = body.text(limits) {
                scan_response_body(e, &text, url, out);
            }
        }
    }
}

/// Whether a body's raw bytes mention something a decoder wants.
fn worth_scanning(body: &Body<'_>) -> bool {
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
    let compressed = body.base64 || (body.codings_state == Codings::Applied && !body.codings.is_empty());
    if compressed {
        return true;
    }
    let raw: &[u8] = match &body.data {
        BodyData::Json(raw) => raw.get().as_bytes(),
        BodyData::Text(t) => t.as_bytes(),
        BodyData::Bytes(b) => b,
    };
    BODY_MARKERS.iter().any(|m| memmem::find(raw, m).is_some())
}

fn scan_response_body(e: &Exchange<'_>, text: &str, url: Option<&Url>, out: &mut Vec<Found>) {
    let is_html = text.trim_start().starts_with('<')
        || e.response
            .as_ref()
            .and_then(|r| r.header("content-type"))
            .is_some_and(|c| c.contains("html"));
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
            decode_params(&form.fields, e.index, Place::ResponseBody, target.as_deref(), binding, out);
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
    if p.is_empty() {
        return;
    }
    let relay_state = params::get(p, "RelayState");
    for field in ["SAMLRequest", "SAMLResponse"] {
        let Some(value) = params::get(p, field) else {
            continue;
        };
        let bp = BindingParams {
            binding,
            relay_state,
            sig_alg: params::get(p, "SigAlg"),
            signature: params::get(p, "Signature"),
        };
        match saml::decode_value(value, &bp) {
            Ok(decoded) => {
                for m in decoded.messages {
                    out.push(found(entry, place, field, target, Message::Saml(m)));
                }
            }
            Err(err) => out.push(found(
                entry,
                place,
                field,
                target,
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
            Ok(m) => out.push(found(entry, place, "wa", target, Message::WsFed(m))),
            Err(err) => out.push(found(
                entry,
                place,
                "wresult",
                target,
                Message::Undecodable(Undecodable {
                    what: "WS-Federation".to_owned(),
                    reason: err.to_string(),
                }),
            )),
        }
    }
}

fn found(entry: u32, place: Place, field: &str, target: Option<&str>, message: Message) -> Found {
    Found {
        entry,
        place,
        field: Some(field.to_owned()),
        target: target.map(str::to_owned),
        message,
    }
}
