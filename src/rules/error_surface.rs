//! Error surfaces anywhere: every IdP or app response with status ≥ 400, or
//! a page / text / JSON body that reads as an error, that no earlier rule
//! explained, is examined here. Its message is extracted and quoted, its
//! codes are found wherever they are — AADSTS / AADB2C in any header
//! (`WWW-Authenticate` per RFC 6750 §3, the second field of `x-ms-clitelem`
//! per MSAL.NET's `XmsCliTelemInfoParser`), JSON body, text or HTML; Okta
//! `E0000…` (developer.okta.com error codes); AD FS `MSIS…`, Activity ID and
//! the AD FS 2.0 Reference number — and an app library's message
//! ([`super::app_messages`]) names the root cause.
//!
//! Guards against false failures: static resources (images, scripts, styles,
//! fonts) are skipped; a background request (XHR / fetch) counts only when
//! it carries a code or a known message; Windows integrated authentication
//! challenges (`401` + `Negotiate` / `NTLM`) are left to their own rule.

use crate::capture::{Exchange, Headers};
use crate::decode::ErrorInfo;
use crate::flow::completion::{phase_of, short_url};
use crate::flow::{Context, is_navigation};
use crate::rules::{Category, Finding, Severity, app_messages, idp_error};

declare_rule! {
    /// ## What it means
    /// A response in the sign-in answered with an error status, or a page /
    /// JSON / text body that reads as an error page (an IdP's error page, an
    /// app library's exception text, an error code in a header), and no
    /// more specific rule explained it. The finding quotes the message.
    /// ## Why it matters
    /// A sign-in that ends on an error page did not complete, whatever the
    /// shape of the page; the quoted text and codes are what the IdP's or
    /// the app's logs are searched for.
    /// ## How to fix
    /// Read the quoted message and codes (`trace-inspect explain AADSTS…`);
    /// search the IdP's or the app's log at the time in the ticket block;
    /// fix what the message names.
    pub static ERROR_SURFACE = {
        code: "error-surface",
        category: ResponseRejected,
        severity: Error,
        title: "An error page or error response",
        check: error_surface,
    };
}

/// Codes `PREFIX` + digits (`min..=max` of them) at word boundaries.
fn scan(text: &str, prefix: &str, min: usize, max: usize, out: &mut Vec<String>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(prefix)) {
        let at = from + i;
        let digits_at = at + prefix.len();
        let n = bytes
            .get(digits_at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let before_ok = at == 0 || bytes.get(at - 1).is_none_or(|b| !b.is_ascii_alphanumeric());
        let after_ok = bytes
            .get(digits_at + n)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if before_ok
            && after_ok
            && (min..=max).contains(&n)
            && let Some(code) = text.get(at..digits_at + n)
            && !out.iter().any(|c| c == code)
            && out.len() < 8
        {
            out.push(code.to_owned());
        }
        from = digits_at;
    }
}

/// `Reference number: <guid>` (AD FS 2.0) and `Activity ID: <guid>` (AD FS).
fn references(text: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (label, key) in [
        ("Reference number:", "reference_number"),
        ("Activity ID:", "activity_id"),
    ] {
        if let Some(at) = crate::decode::pages::html::find_ci(text, label) {
            let rest = text.get(at + label.len()..).unwrap_or_default();
            let id: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
                .collect();
            if id.len() == 36 {
                out.push((key, id));
            }
        }
    }
    out
}

/// IdP error-page phrases, each from the IdP's documented page (a phrase
/// alone counts only on a navigation).
const IDP_PAGE_PHRASES: &[(&str, Category, &str)] = &[
    // AD FS 2.0 error page (learn.microsoft.com "AD FS 2.0: … There was a problem accessing the site").
    (
        "There was a problem accessing the site",
        Category::IdpError,
        "AD FS",
    ),
    // Okta end-user "App Access Error" page (help.okta.com).
    ("not assigned this app", Category::IdpError, "Okta"),
    // Auth0 Universal Login error page (auth0.com/docs … error pages).
    ("Callback URL mismatch", Category::RedirectMismatch, "Auth0"),
    // Keycloak's error.ftl (`kc-error-message`).
    ("kc-error-message", Category::IdpError, "Keycloak"),
    // Shibboleth IdP "Web Login Service - Stale Request" view (messages.properties `stale.*`).
    ("Stale Request", Category::IdpError, "Shibboleth IdP"),
    // PingFederate's error template (`pf-error`): "We're sorry, … unable to complete".
    ("pf-error", Category::IdpError, "PingFederate"),
];

pub fn error_surface(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    // Entries an earlier rule already explained with an error (this rule
    // adds at most one finding per entry, so its own need no look-up).
    let explained: std::collections::HashSet<u32> = out
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.entry)
        .collect();
    let idp_hosts = IdpHosts::new(ctx);
    let mut new = Vec::new();
    for e in ctx.exchanges() {
        if explained.contains(&e.index) {
            continue;
        }
        // A decoded IdP error at this entry is the idp-error rule's to judge
        // (it leaves out silent `prompt=none` failures on purpose).
        if ctx.messages_at(e.index).any(|m| m.message.is_error()) {
            continue;
        }
        if let Some(f) = examine(ctx, e, &idp_hosts) {
            new.push(f);
        }
    }
    out.extend(new);
}

/// Hosts of the exchanges the flow judged to be the IdP's, computed on
/// first use (most captures have no error surface to place).
struct IdpHosts<'x, 'c, 'a> {
    ctx: &'x Context<'c, 'a>,
    hosts: std::cell::OnceCell<std::collections::HashSet<&'c str>>,
}

impl<'x, 'c, 'a> IdpHosts<'x, 'c, 'a> {
    fn new(ctx: &'x Context<'c, 'a>) -> Self {
        IdpHosts {
            ctx,
            hosts: std::cell::OnceCell::new(),
        }
    }

    fn contains(&self, host: &str) -> bool {
        self.hosts
            .get_or_init(|| {
                let capture: &'c crate::capture::Capture<'a> = self.ctx.capture;
                self.ctx
                    .parties()
                    .into_iter()
                    .filter(|(_, p)| *p == crate::timeline::Party::Idp)
                    .filter_map(|(n, _)| capture.entry(n).and_then(|x| x.request.host()))
                    .collect()
            })
            .contains(host)
    }
}

fn examine(
    ctx: &Context<'_, '_>,
    e: &Exchange<'_>,
    idp_hosts: &IdpHosts<'_, '_, '_>,
) -> Option<Finding> {
    let r = e.response.as_ref()?;
    if crate::flow::is_static_resource(e) {
        return None;
    }
    let status = r.status;
    if status == 401
        && r.header("www-authenticate").is_some_and(|w| {
            let w = w.trim_start().to_ascii_lowercase();
            w.starts_with("negotiate") || w.starts_with("ntlm")
        })
    {
        return None;
    }
    let nav = is_navigation(e);
    let body = r.body.as_ref().and_then(|b| b.text(&ctx.limits).ok());
    let body = body.as_deref().unwrap_or_default();
    let mut codes = header_codes(e);
    codes.extend(body_codes(body));
    codes.dedup();
    let app_msg = ctx.app_message(e);
    let phrase = nav
        .then(|| {
            IDP_PAGE_PHRASES
                .iter()
                .find(|(p, _, _)| crate::decode::pages::html::contains_ci(body, p))
        })
        .flatten();
    let error_status = status >= 400;
    let interesting =
        (error_status && nav) || !codes.is_empty() || app_msg.is_some() || phrase.is_some();
    if !interesting {
        return None;
    }
    // An app that refused a delivered answer without saying why is the
    // response-rejected rule's; a bare 5xx is the server-error rule's.
    let delivered_success = ctx
        .messages_at(e.index)
        .any(|m| m.place.is_sent() && m.message.is_success_answer());
    if delivered_success && codes.is_empty() && app_msg.is_none() {
        return None;
    }
    if status >= 500 && codes.is_empty() && app_msg.is_none() && phrase.is_none() {
        return None;
    }
    let host = e.request.host().unwrap_or_default();
    let idp_side = crate::timeline::host_party(host) == crate::timeline::Party::Idp
        || idp_hosts.contains(host)
        || e.request
            .parsed_url
            .as_ref()
            .is_some_and(|u| u.path().to_ascii_lowercase().starts_with("/adfs/"));
    // The category: the app's message names the cause, then the codes, then the page.
    let aadsts: Vec<u32> = codes
        .iter()
        .filter_map(|c| c.strip_prefix("AADSTS"))
        .filter_map(|n| n.parse().ok())
        .collect();
    let quote = app_msg
        .as_ref()
        .map(|m| m.quote.clone())
        .or_else(|| described(e, body))
        .or_else(|| codes.first().and_then(|c| quote_code(e, body, c)))
        .or_else(|| phrase.and_then(|(p, _, _)| quote_phrase(body, p)))
        .or_else(|| page_heading(body));
    let info = ErrorInfo {
        code: codes.first().cloned().unwrap_or_default(),
        description: quote.clone(),
        aadsts: aadsts.clone(),
        hint: None,
    };
    let (category, sub) = if let Some(m) = &app_msg {
        (app_messages::category(m.row.kind), None)
    } else if let Some((_, c, _)) = phrase.filter(|(_, c, _)| *c != Category::IdpError) {
        (*c, None)
    } else if !aadsts.is_empty() || idp_side || codes.iter().any(|c| c.starts_with("E0000")) {
        idp_error::classify(&info)
    } else if status >= 500 {
        (Category::ServerError, None)
    } else {
        (Category::ResponseRejected, None)
    };
    let phase = phase_of(ctx, e);
    let who = if idp_side {
        "The identity provider"
    } else {
        "The app"
    };
    let said = quote
        .as_deref()
        .map(|q| format!(" and says \u{201c}{q}\u{201d}"))
        .unwrap_or_default();
    let code_list = if codes.is_empty() {
        String::new()
    } else {
        format!(" ({})", codes.join(", "))
    };
    let title = match (&app_msg, phrase) {
        (Some(m), _) => format!(
            "The app ({}) refused the answer: {}",
            m.row.library, m.row.meaning
        ),
        (None, Some((_, _, idp))) => format!("An error page from {idp}"),
        _ if idp_side => "The identity provider answered with an error".to_owned(),
        _ => format!("The app answered {status}"),
    };
    let mut f = Finding::new(
        &ERROR_SURFACE,
        Some(e.index),
        format!(
            "{who} answered {status} to {} {}{said}{code_list}.",
            e.request.method,
            short_url(e)
        ),
    )
    .title(title)
    .category(category, sub)
    .evidence("status", status)
    .evidence("url", e.request.url.as_ref())
    .evidence("phase", serde_json::to_value(phase).unwrap_or_default());
    if let Some(q) = &quote {
        f = f.evidence("quote", q.as_str());
    }
    if !aadsts.is_empty() {
        f = f.evidence(
            "aadsts",
            codes
                .iter()
                .filter(|c| c.starts_with("AADSTS"))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    if let Some(c) = codes.iter().find(|c| !c.starts_with("AADSTS")) {
        f = f.evidence("error", c.as_str());
    }
    if let Some(m) = &app_msg {
        f = f.evidence("library", m.row.library).fix(format!(
            "{} {}",
            capitalise(m.row.meaning),
            cause_hint(ctx, app_messages::category(m.row.kind))
        ));
        if app_messages::category(m.row.kind) == Category::ClockSkew
            && let Some(seen) = token_time_at(ctx, e)
        {
            f.message.push_str(&format!(" {seen}"));
            f = f.evidence("capture_clock", seen);
        }
    }
    let text = if body.contains('<') {
        crate::decode::pages::html::visible_text(body)
    } else {
        body.to_owned()
    };
    for (key, id) in references(&text) {
        f = f.id(key, id);
    }
    Some(f)
}

/// What the capture itself says about a cause an app names.
fn cause_hint(ctx: &Context<'_, '_>, c: Category) -> &'static str {
    match c {
        Category::ClockSkew if !ctx.messages.is_empty() => {
            "— compare the token's times with the Date headers in the capture: when the token was valid at the capture's clock, the app server's clock is off (sync it with NTP)."
        }
        Category::ClockSkew => "— check the app server's clock (NTP).",
        Category::CookieDropped => {
            "— the cookie the app set before the redirect did not come back: check its SameSite / Secure / Domain / Path."
        }
        Category::Signature => "— update the IdP signing certificate / metadata the app trusts.",
        _ => "— read the app's log at this time.",
    }
}

/// What the capture's own clock says about the last token the browser
/// carried before `e`: valid then means the app server's clock is off.
fn token_time_at(ctx: &Context<'_, '_>, e: &Exchange<'_>) -> Option<String> {
    let now = crate::rules::date_header(e.response.as_ref().and_then(|r| r.header("date")))
        .or_else(|| e.started.map(|s| s.time.with_timezone(&chrono::Utc)))?
        .timestamp();
    let jwt = ctx
        .messages
        .iter()
        .filter(|m| m.entry <= e.index)
        .rev()
        .find_map(|m| match &m.message {
            crate::decode::Message::Jwt(j) => Some(j.as_ref()),
            other => other.id_token(),
        })?;
    let exp = jwt.claim("exp").and_then(serde_json::Value::as_i64)?;
    let nbf = jwt.claim("nbf").and_then(serde_json::Value::as_i64);
    Some(if exp > now && nbf.is_none_or(|n| n <= now) {
        format!(
            "The token was valid at the capture's clock ({}s before exp), so the app server's clock is off.",
            exp - now
        )
    } else if exp <= now {
        format!(
            "The token had expired at the capture's clock too ({}s after exp): the app used a stale token.",
            now - exp
        )
    } else {
        "The token was not yet valid at the capture's clock either: the IdP's clock is ahead."
            .to_owned()
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Codes in response headers: any header's AADSTS / AADB2C, and
/// `x-ms-clitelem` `1,<code>,…` (MSAL.NET `XmsCliTelemInfoParser`).
fn header_codes(e: &Exchange<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(r) = &e.response else { return out };
    for h in r.header_list() {
        // A redirect's Location is decoded as the protocol message it carries.
        if h.name.eq_ignore_ascii_case("location") {
            continue;
        }
        if h.name.eq_ignore_ascii_case("x-ms-clitelem") {
            let mut fields = h.value.split(',');
            if fields.next().map(str::trim) == Some("1")
                && let Some(code) = fields.next().map(str::trim)
                && code.parse::<u32>().is_ok_and(|c| c != 0)
            {
                out.push(format!("AADSTS{code}"));
            }
            continue;
        }
        scan(&h.value, "AADSTS", 4, 7, &mut out);
        scan(&h.value, "AADB2C", 4, 7, &mut out);
    }
    out
}

fn body_codes(body: &str) -> Vec<String> {
    let head = body.get(..body.len().min(256 * 1024)).unwrap_or(body);
    let mut out: Vec<String> = Vec::new();
    scan(head, "AADSTS", 4, 7, &mut out);
    scan(head, "AADB2C", 4, 7, &mut out);
    scan(head, "E0000", 3, 3, &mut out);
    scan(head, "MSIS", 4, 4, &mut out);
    out
}

/// `error_description` from a JSON body or the `WWW-Authenticate` header.
fn described(e: &Exchange<'_>, body: &str) -> Option<String> {
    let from_json = serde_json::from_str::<serde_json::Value>(body.trim())
        .ok()
        .and_then(|v| {
            ["error_description", "errorSummary", "message", "error"]
                .iter()
                .find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(str::to_owned))
        });
    let from_header = || {
        let w = e.response.as_ref()?.header("www-authenticate")?;
        let at = w.find("error_description=\"")? + "error_description=\"".len();
        let rest = w.get(at..)?;
        rest.find('"')
            .and_then(|end| rest.get(..end))
            .map(str::to_owned)
    };
    from_json
        .or_else(from_header)
        .map(|s| first_sentence(&s))
        .filter(|s| !s.is_empty())
}

fn quote_code(e: &Exchange<'_>, body: &str, code: &str) -> Option<String> {
    let text = if body.contains('<') {
        crate::decode::pages::html::visible_text(body)
    } else {
        body.to_owned()
    };
    let at = text.find(code).or_else(|| {
        let _ = e;
        None
    })?;
    Some(app_messages::sentence_around(&text, at, code.len()))
}

fn quote_phrase(body: &str, phrase: &str) -> Option<String> {
    let text = crate::decode::pages::html::visible_text(body);
    let at = crate::decode::pages::html::find_ci(&text, phrase)?;
    Some(app_messages::sentence_around(&text, at, phrase.len()))
}

/// The page's title, else its first visible words.
fn page_heading(body: &str) -> Option<String> {
    if let Some(t) = crate::decode::html::title(body).filter(|t| !t.trim().is_empty()) {
        return Some(t.trim().to_owned());
    }
    let text = crate::decode::pages::html::visible_text(body);
    let words: Vec<&str> = text.split_whitespace().take(20).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Up to the first sentence end (keeps `AADSTS…: message.`).
fn first_sentence(s: &str) -> String {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|(i, c)| {
            (*c == '.'
                && s.get(i + 1..i + 2)
                    .is_none_or(|n| n == " " || n == "\r" || n == "\n"))
                || *c == '\r'
                || *c == '\n'
        })
        .map_or(s.len(), |(i, c)| if c == '.' { i + 1 } else { i });
    s.get(..end.min(300)).unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_codes_at_word_boundaries_only() {
        let mut out = Vec::new();
        scan(
            "AADSTS50011: x; XAADSTS1 AADSTS500133, AADSTS50011 AADSTS12",
            "AADSTS",
            4,
            7,
            &mut out,
        );
        assert_eq!(out, ["AADSTS50011", "AADSTS500133"]);
        let mut okta = Vec::new();
        scan("Error Code: E0000022 E00000221", "E0000", 3, 3, &mut okta);
        assert_eq!(okta, ["E0000022"]);
    }

    #[test]
    fn finds_ad_fs_reference_numbers_and_activity_ids() {
        let refs = references(
            "Reference number: 4d5a3d4f-1111-2222-3333-444455556666 Activity ID: 00000000-0000-0000-87f6-59300cc93eaa",
        );
        assert_eq!(
            refs,
            [
                (
                    "reference_number",
                    "4d5a3d4f-1111-2222-3333-444455556666".to_owned()
                ),
                (
                    "activity_id",
                    "00000000-0000-0000-87f6-59300cc93eaa".to_owned()
                )
            ]
        );
        assert!(references("Reference number: n/a").is_empty());
    }

    #[test]
    fn first_sentence_keeps_the_code_and_its_message() {
        assert_eq!(
            first_sentence("AADSTS50173: The provided grant has expired. Trace ID: x"),
            "AADSTS50173: The provided grant has expired."
        );
        assert_eq!(first_sentence("line one\r\nline two"), "line one");
    }
}
