//! Sign-in reconstruction: the [`Context`] rules read — the capture, the
//! identity messages decoded from it, and the sign-in attempts they form.
//!
//! The context indexes the capture once when it is built (messages by
//! entry, the attempt of each message, the completion of each attempt,
//! exchanges by requested URL and by redirect target, the registrable
//! domain of each host), so a rule's look-up costs O(1) or O(log n) and no
//! step scans every entry once per entry: the analysis stays linear in the
//! size of the capture.

pub mod attempts;
pub mod browser;
pub mod completion;
pub mod site;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::capture::{Capture, Exchange, Headers, Limits};
use crate::decode::Found;
use crate::decode::ids::IdFact;
use crate::decode::pages::app_errors::Matched;

/// The look-ups a [`Context`] builds once (see the module docs).
#[derive(Debug, Default)]
struct Index<'c> {
    /// Message indices per entry, in capture order.
    messages_at: HashMap<u32, Vec<usize>>,
    /// Position in `Context::attempts` of each message's attempt.
    attempt_of: Vec<Option<usize>>,
    /// Position in `Context::completions` by attempt number.
    completion_of: HashMap<usize, usize>,
    /// Entries by the URL they request (`Url::as_str`), ascending.
    requests: HashMap<&'c str, Vec<u32>>,
    /// Entries by the absolute URL their redirect points to, ascending.
    redirects: HashMap<String, Vec<u32>>,
    /// The registrable domain of every host the capture requests.
    sites: HashMap<&'c str, String>,
    /// Whether the exchanges are in ascending entry order (HAR, SAZ), so
    /// ranges of entries are slices.
    sorted: bool,
}

impl<'c> Index<'c> {
    fn of_capture(capture: &'c Capture<'_>) -> Self {
        let mut ix = Index {
            sorted: capture.exchanges.is_sorted_by_key(|e| e.index),
            ..Index::default()
        };
        for e in &capture.exchanges {
            let Some(url) = &e.request.parsed_url else {
                continue;
            };
            ix.requests.entry(url.as_str()).or_default().push(e.index);
            if let Some(host) = url.host_str() {
                ix.sites
                    .entry(host)
                    .or_insert_with(|| site::registrable_domain(host));
            }
            if let Some(to) = redirect_target(e) {
                ix.redirects.entry(to.into()).or_default().push(e.index);
            }
        }
        ix
    }
}

/// The absolute URL an exchange's redirect (`Location`) points to.
fn redirect_target(e: &Exchange<'_>) -> Option<url::Url> {
    e.response
        .as_ref()
        .and_then(|r| r.location())
        .zip(e.request.parsed_url.as_ref())
        .and_then(|(loc, base)| base.join(loc).ok())
}

/// Everything a rule may look at. Built once per capture.
#[derive(Debug)]
pub struct Context<'c, 'a> {
    pub capture: &'c Capture<'a>,
    pub limits: Limits,
    /// Identity messages in capture order.
    pub messages: Vec<Found>,
    /// Sign-in attempts, in capture order.
    pub attempts: Vec<attempts::Attempt>,
    /// Per attempt (same order): whether the capture shows it completed.
    pub completions: Vec<completion::Completion>,
    /// Trust material the user gave (`--idp-cert`, `--sp-key`).
    pub trust: crate::signature::Trust,
    index: Index<'c>,
    /// Every identifier of the capture, computed on first use.
    ids: OnceLock<Vec<IdFact>>,
    /// The app error message each exchange's body holds, by entry, found
    /// on first use: completion and the error-surface rule ask for the same
    /// bodies.
    app_messages: std::sync::Mutex<HashMap<u32, Option<Matched>>>,
}

impl<'c, 'a> Context<'c, 'a> {
    /// Decodes the capture's identity messages and groups them.
    pub fn build(capture: &'c Capture<'a>, limits: Limits) -> Self {
        Context::build_with(capture, limits, &crate::signature::Trust::default())
    }

    /// [`Context::build`] with trust material: every signature is checked
    /// and encrypted assertions are opened before the attempts are formed.
    pub fn build_with(
        capture: &'c Capture<'a>,
        limits: Limits,
        trust: &crate::signature::Trust,
    ) -> Self {
        let mut ctx = Context::new(capture, limits);
        ctx.trust = trust.clone();
        ctx.index = Index::of_capture(capture);
        ctx.messages = crate::decode::find_all(capture, &limits);
        let published = crate::signature::capture::material(capture, &limits, &trust.jwks_uris);
        let keys = crate::signature::KeySets::new(trust, published);
        crate::signature::check_all(&mut ctx.messages, capture, &keys, trust);
        crate::signature::open_assertions(&mut ctx.messages);
        for (i, m) in ctx.messages.iter().enumerate() {
            ctx.index.messages_at.entry(m.entry).or_default().push(i);
        }
        ctx.attempts = attempts::group(&ctx.messages, |entry| ctx.app_accepted(entry));
        ctx.index.attempt_of = vec![None; ctx.messages.len()];
        for (pos, a) in ctx.attempts.iter().enumerate() {
            for m in a.request.iter().chain(&a.delivered).chain(&a.other) {
                if let Some(slot) = ctx.index.attempt_of.get_mut(*m)
                    && slot.is_none()
                {
                    *slot = Some(pos);
                }
            }
        }
        ctx.completions = completion::assess_all(&ctx);
        for (pos, c) in ctx.completions.iter().enumerate() {
            ctx.index.completion_of.entry(c.attempt).or_insert(pos);
        }
        ctx
    }

    /// The messages decoded from the exchange at `entry`, in capture order.
    pub fn messages_at(&self, entry: u32) -> impl Iterator<Item = &Found> + '_ {
        self.index
            .messages_at
            .get(&entry)
            .into_iter()
            .flatten()
            .filter_map(|i| self.messages.get(*i))
    }

    /// The exchanges numbered `from..until` (`until` excluded), in capture
    /// order: a slice of the capture when its entries are in order.
    pub fn exchanges_between(
        &self,
        from: u32,
        until: u32,
    ) -> impl DoubleEndedIterator<Item = &'c Exchange<'a>> + Clone + 'c {
        let all = self.exchanges();
        let (slice, filter) = if self.index.sorted {
            let lo = all.partition_point(|e| e.index < from);
            let hi = all.partition_point(|e| e.index < until);
            (all.get(lo..hi).unwrap_or_default(), false)
        } else {
            (all, true)
        };
        slice
            .iter()
            .filter(move |e| !filter || (e.index >= from && e.index < until))
    }

    /// The entries requesting exactly this URL (`Url` serialization), in
    /// ascending order.
    pub fn requests_of(&self, url: &str) -> &[u32] {
        self.index.requests.get(url).map_or(&[], Vec::as_slice)
    }

    /// The entries whose redirect points to exactly this absolute URL, in
    /// ascending order.
    pub fn redirects_to(&self, url: &str) -> &[u32] {
        self.index.redirects.get(url).map_or(&[], Vec::as_slice)
    }

    /// The registrable domain of a host ([`site::registrable_domain`]),
    /// computed once per host of the capture.
    pub fn site_of<'h>(&'h self, host: &'h str) -> Cow<'h, str> {
        match self.index.sites.get(host) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(site::registrable_domain(host)),
        }
    }

    /// The entry where the last sign-in attempt completed, when the capture
    /// shows it did ([`completion`]: ok needs proof). Sign-out and token
    /// refresh attempts after it do not undo it.
    pub fn last_success(&self) -> Option<u32> {
        let last = self
            .completions
            .iter()
            .rev()
            .find(|c| c.phase == completion::Phase::SignIn)?;
        last.completed.then_some(last.entry).flatten()
    }

    /// The completion judgement of the attempt with this number.
    pub fn completion(&self, attempt: usize) -> Option<&completion::Completion> {
        match self.index.completion_of.get(&attempt) {
            Some(pos) => self.completions.get(*pos),
            None => self.completions.iter().find(|c| c.attempt == attempt),
        }
    }

    /// Sign-in attempts that failed before `entry`.
    pub fn failed_attempts_before(&self, entry: u32) -> usize {
        self.attempts
            .iter()
            .filter(|a| matches!(a.outcome, attempts::Outcome::Failed { entry: e } if e < entry))
            .count()
    }

    /// The attempt a message (by index) belongs to.
    pub fn attempt_of(&self, message: usize) -> Option<&attempts::Attempt> {
        if let Some(found) = self.index.attempt_of.get(message) {
            return found.and_then(|pos| self.attempts.get(pos));
        }
        self.attempts.iter().find(|a| {
            a.request == Some(message)
                || a.delivered.contains(&message)
                || a.other.contains(&message)
        })
    }

    /// The sign-in request of the attempt a message belongs to.
    pub fn request_for(&self, message: usize) -> Option<&Found> {
        self.attempt_of(message)
            .and_then(|a| a.request)
            .and_then(|r| self.messages.get(r))
    }

    /// Whether the app accepted what it received at `entry`: a 2xx, or a
    /// redirect that stays on the app's site.
    pub fn app_accepted(&self, entry: u32) -> bool {
        let Some(e) = self.capture.entry(entry) else {
            return false;
        };
        let Some(r) = &e.response else {
            return false;
        };
        match r.status {
            200..=299 => true,
            300..=399 => match (r.location(), &e.request.parsed_url) {
                (Some(loc), Some(from)) => from.join(loc).is_ok_and(|to| {
                    self.site_of(to.host_str().unwrap_or_default())
                        == self.site_of(from.host_str().unwrap_or_default())
                        && crate::timeline::host_party(to.host_str().unwrap_or_default())
                            != crate::timeline::Party::Idp
                }),
                _ => false,
            },
            _ => false,
        }
    }

    /// Identifiers, the ones nearest to `focus` first (the failing entry,
    /// then earlier entries backwards, then later ones).
    pub fn ids_near(&self, focus: Option<u32>) -> Vec<IdFact> {
        let mut ids = self
            .ids
            .get_or_init(|| {
                let mut ids: Vec<IdFact> = Vec::new();
                for m in &self.messages {
                    ids.extend(m.message.ids(m.entry));
                }
                for e in self.exchanges() {
                    ids.extend(crate::decode::ids::header_ids(e));
                    ids.extend(crate::decode::ids::request_ids(e, &self.limits));
                }
                ids
            })
            .clone();
        let focus = focus.unwrap_or(u32::MAX);
        ids.sort_by_key(|id| (distance(id.entry, focus), id.entry, id.kind));
        ids
    }

    /// Error codes with their meaning, nearest to `focus` first.
    pub fn error_codes_near(&self, focus: Option<u32>) -> Vec<crate::decode::ids::CodeFact> {
        let mut codes: Vec<crate::decode::ids::CodeFact> = self
            .messages
            .iter()
            .flat_map(|m| m.message.error_codes(m.entry))
            .collect();
        let focus = focus.unwrap_or(u32::MAX);
        codes.sort_by_key(|c| (distance(c.entry.unwrap_or(0), focus), c.entry));
        codes
    }

    /// Parties by entry: IdP for exchanges that receive sign-in requests or
    /// serve IdP pages, app for those that start sign-in or receive answers.
    pub fn parties(&self) -> Vec<(u32, crate::timeline::Party)> {
        use crate::timeline::Party;
        let mut out = Vec::new();
        use crate::decode::Place;
        for m in &self.messages {
            let request = m.message.is_sign_in_request();
            let answer_received = m.message.is_idp_answer() && m.place.is_sent();
            let party = match (request, m.place) {
                (true, Place::RequestUrl) => Party::Idp,
                (true, Place::Location) => Party::App,
                _ if answer_received => Party::App,
                _ => continue,
            };
            out.push((m.entry, party));
        }
        // The app's redirect that sent the browser to a sign-in request.
        let sign_in_urls: std::collections::HashSet<&str> = self
            .messages
            .iter()
            .filter(|m| m.message.is_sign_in_request() && m.place.is_sent())
            .filter_map(|m| self.capture.entry(m.entry))
            .map(|e| e.request.url.as_ref())
            .collect();
        for url in sign_in_urls {
            out.extend(self.redirects_to(url).iter().map(|e| (*e, Party::App)));
        }
        out.sort_by_key(|(e, _)| *e);
        out
    }

    /// A context without decoding (for rules' unit tests).
    pub fn new(capture: &'c Capture<'a>, limits: Limits) -> Self {
        Context {
            capture,
            limits,
            messages: Vec::new(),
            attempts: Vec::new(),
            completions: Vec::new(),
            trust: crate::signature::Trust::default(),
            index: Index::default(),
            ids: OnceLock::new(),
            app_messages: std::sync::Mutex::default(),
        }
    }

    /// The app library error message (`Correlation failed.`, `IDX10223 …`)
    /// in the response body of `e`, searched once per exchange.
    pub fn app_message(&self, e: &Exchange<'_>) -> Option<Matched> {
        let mut seen = self
            .app_messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.entry(e.index)
            .or_insert_with(|| {
                let text = e
                    .response
                    .as_ref()?
                    .body
                    .as_ref()?
                    .text(&self.limits)
                    .ok()?;
                crate::decode::pages::app_errors::find(&text)
            })
            .clone()
    }

    /// Whether the exchange at `entry` is a device-code poll (its answer is
    /// judged by the device-code rule, not as an IdP error).
    pub fn is_device_code_poll(&self, entry: u32) -> bool {
        self.messages_at(entry)
            .any(|m| m.message.is_device_code_request())
    }

    pub fn exchanges(&self) -> &'c [Exchange<'a>] {
        &self.capture.exchanges
    }

    /// Whether any request or response carries a cookie or credential header:
    /// false for "sanitized" exports (current Chrome strips them by default).
    pub fn has_cookie_headers(&self) -> bool {
        self.exchanges().iter().any(|e| {
            e.request.header("cookie").is_some()
                || e.request.header("authorization").is_some()
                || !e.request.cookies.is_empty()
                || e.response
                    .as_ref()
                    .is_some_and(|r| r.header("set-cookie").is_some() || !r.set_cookies.is_empty())
        })
    }
}

/// Whether the exchange is a top-level navigation (a page load, a form
/// POST, a redirect hop), judged from what exporters record.
pub fn is_navigation(e: &Exchange<'_>) -> bool {
    if let Some(kind) = e.meta_text("_resourceType") {
        return kind == "document";
    }
    if let Some(dest) = e.request.header("sec-fetch-dest") {
        return dest.eq_ignore_ascii_case("document") || dest.eq_ignore_ascii_case("iframe");
    }
    if let Some(mode) = e.request.header("sec-fetch-mode") {
        return mode.eq_ignore_ascii_case("navigate");
    }
    let accepts_html = e
        .request
        .header("accept")
        .is_some_and(|a| a.starts_with("text/html"));
    let is_redirect = e.response.as_ref().is_some_and(|r| r.is_redirect());
    accepts_html || is_redirect
}

/// A static resource (image, script, style sheet, font, media, manifest):
/// its body is the app's code or assets, not a page the user saw, so an
/// error string inside it (a library's message table, `IDX10223` in a
/// bundle) is no error. Known from the exporter's resource type, the
/// browser's `Sec-Fetch-Dest`, the path's extension or the response type.
pub fn is_static_resource(e: &Exchange<'_>) -> bool {
    if let Some(kind) = e.meta_text("_resourceType")
        && matches!(
            kind.as_ref(),
            "image" | "script" | "stylesheet" | "font" | "media" | "manifest" | "ping"
        )
    {
        return true;
    }
    if let Some(dest) = e.request.header("sec-fetch-dest")
        && matches!(
            dest.to_ascii_lowercase().as_str(),
            "script" | "style" | "image" | "font" | "audio" | "video" | "track" | "manifest"
        )
    {
        return true;
    }
    let path = e
        .request
        .parsed_url
        .as_ref()
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    if [
        ".ico", ".png", ".jpg", ".gif", ".svg", ".css", ".js", ".woff", ".woff2", ".map",
    ]
    .iter()
    .any(|x| path.ends_with(x))
    {
        return true;
    }
    let essence = e
        .response
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .and_then(|b| b.essence())
        .unwrap_or_default();
    (essence.starts_with("image/")
        || essence.starts_with("font/")
        || essence.starts_with("audio/")
        || essence.starts_with("video/")
        || matches!(
            essence.as_str(),
            "text/css" | "text/javascript" | "application/javascript" | "application/x-javascript"
        ))
        && (200..300).contains(&e.status())
}

/// How far `entry` is from `focus`: the failing entry itself first, then
/// earlier entries (the flow that led there), then later ones.
fn distance(entry: u32, focus: u32) -> (u8, u32) {
    if entry == focus {
        (0, 0)
    } else if entry < focus {
        (1, focus - entry)
    } else {
        (2, entry - focus)
    }
}
