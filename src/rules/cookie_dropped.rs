//! Cookies dropped on the way back from the IdP.
//!
//! Replays the capture through a small cookie jar (RFC 6265 §5.3 storage,
//! §5.4 sending, SameSite per RFC 6265bis §5.6.7) with the rules of the
//! browser the request came from (its `User-Agent`, see [`Engine`]):
//! a cookie the app set before the cross-site hop, which the browser should
//! hold for the URL, and which is absent from the cross-site request that
//! brings the IdP's answer back (a form_post / SAML POST, or a redirect), is
//! dropped — and the attributes say why. Reported when the app then fails
//! (4xx / 5xx, or sends the browser back to another site).
//!
//! Browser defaults, as shipped:
//! - Chromium (Chrome, Edge, Opera, Samsung Internet; Chrome 80+, 2020)
//!   treats a cookie without SameSite as `Lax` and refuses `SameSite=None`
//!   without `Secure` — but sends a cookie set without SameSite less than
//!   two minutes ago on a top-level cross-site POST ("Lax+POST",
//!   chromestatus.com/feature/5088147346030592), the allowance that keeps
//!   SSO form_post flows working;
//! - Firefox does not apply Lax-by-default in release builds (Mozilla paused
//!   it in favour of Total Cookie Protection, which partitions third-party
//!   cookies instead): a cookie without SameSite is sent like `None`;
//! - Safari and every iOS browser (all WebKit: "Chrome on iOS … uses the
//!   unchanged" defaults, chromium.org/updates/same-site/faq) send a cookie
//!   without SameSite like `None`, block third-party cookies entirely (ITP,
//!   Safari 13.1+), and Safari 12 on iOS 12 / macOS 10.14 treats
//!   `SameSite=None` as `Strict` (WebKit bug 198181).

use std::collections::BTreeMap;

use crate::capture::{Exchange, Headers, SameSite, SetCookie};
use crate::flow::Context;
use crate::flow::site::{registrable_domain, same_site, strip_port};
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// A cookie the app set before sending the browser to the IdP — usually
    /// the one holding the sign-in's state, nonce or request ID — was not sent
    /// back on the cross-site request that brought the IdP's answer (a
    /// form_post or SAML POST to the app), so the app could not match the
    /// answer to its sign-in.
    /// ## Why it matters
    /// Browsers do not send cookies without `SameSite=None` on cross-site
    /// POSTs (Chrome treats a cookie without SameSite as `Lax`), reject
    /// `SameSite=None` without `Secure`, and reject a `Domain` that does not
    /// cover the host. The app then fails with "Correlation failed.",
    /// `authorization_request_not_found`, an InResponseTo error, or loops.
    /// ## How to fix
    /// Set the app's state / correlation / session cookies with
    /// `SameSite=None; Secure` and serve the app over HTTPS (ASP.NET Core:
    /// `CookieSecurePolicy.Always` and the SameSite handling of
    /// Microsoft.Identity.Web; Spring: `server.servlet.session.cookie.same-site=none`),
    /// or use `response_mode=query` where the protocol allows it. Fix a
    /// `Domain` attribute so it covers the callback host.
    pub static COOKIE_DROPPED = {
        code: "cookie-dropped",
        category: CookieDropped,
        severity: Error,
        title: "A cookie the app needs was not sent back",
        check: cookie_dropped,
    };
}

/// A cookie as the browser would store it.
#[derive(Debug, Clone)]
struct Stored {
    name: String,
    /// Host that set it (host-only cookie) or the Domain attribute.
    domain: String,
    host_only: bool,
    path: String,
    same_site: Option<SameSite>,
    secure: bool,
    set_at: u32,
    set_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Why the browser would have refused to store it at all.
    rejected: Option<String>,
    /// Set on a response that sent the browser to another site (sign-in start).
    set_before_hop: bool,
    attributes: String,
}

pub fn cookie_dropped(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if !ctx.has_cookie_headers() {
        return;
    }
    let mut jar: BTreeMap<(String, String, String), Stored> = BTreeMap::new();
    // A re-posted, already used answer (rule `replay`, run before) is not
    // a dropped cookie: the first delivery consumed the sign-in's state.
    let replayed: Vec<u32> = out
        .iter()
        .filter(|f| f.category == crate::rules::Category::Replay)
        .filter_map(|f| f.entry)
        .collect();
    for e in ctx.exchanges() {
        if replayed.contains(&e.index) {
            store(e, &mut jar);
            continue;
        }
        if let Some(f) = check_request(e, &jar, ctx) {
            out.push(f);
            return;
        }
        store(e, &mut jar);
    }
}

fn check_request(
    e: &Exchange<'_>,
    jar: &BTreeMap<(String, String, String), Stored>,
    ctx: &Context<'_, '_>,
) -> Option<Finding> {
    let url = e.request.parsed_url.as_ref()?;
    let host = url.host_str()?.to_ascii_lowercase();
    if !is_cross_site(e, url.scheme(), &host) {
        return None;
    }
    let ua = e.request.header("user-agent").unwrap_or_default();
    let engine = Engine::of(ua);
    let req = RequestKind {
        browser: engine.name(ua),
        is_post: e.request.method.eq_ignore_ascii_case("POST"),
        top_level: crate::flow::is_navigation(e),
        frame: e
            .request
            .header("sec-fetch-dest")
            .is_some_and(|d| d.eq_ignore_ascii_case("iframe") || d.eq_ignore_ascii_case("frame")),
        scheme: url.scheme(),
    };
    let sent: Vec<&str> = e.request.cookies.iter().map(|c| c.name.as_ref()).collect();
    let mut dropped: Vec<(&Stored, String)> = jar
        .values()
        .filter(|c| matches(c, &host, url.path()))
        .filter(|c| !sent.contains(&c.name.as_str()))
        .filter_map(|c| {
            let age = match (c.set_time, e.started) {
                (Some(set), Some(now)) => Some((now.time - set).num_seconds()),
                _ => None,
            };
            why_not_sent(c, &req, engine, age).map(|why| (c, why))
        })
        .filter(|(c, _)| c.set_before_hop || looks_like_state(&c.name))
        .collect();
    if dropped.is_empty() || !fails_after(e, ctx) {
        return None;
    }
    dropped.sort_by_key(|(c, _)| (!looks_like_state(&c.name), c.set_at));
    let (first, why) = dropped.first()?;
    let age = match (first.set_time, e.started) {
        (Some(set), Some(now)) => Some((now.time - set).num_seconds()),
        _ => None,
    };
    let names: Vec<String> = dropped.iter().map(|(c, _)| c.name.clone()).collect();
    let mut f = Finding::new(
        &COOKIE_DROPPED,
        Some(e.index),
        format!(
            "Cookie `{}` was set by {} at #{} but not sent on the cross-site {} to {} at #{}: {why}.",
            first.name,
            first.domain,
            first.set_at,
            e.request.method,
            host,
            e.index
        ),
    )
    .evidence("cookie", first.name.as_str())
    .evidence("set_at_entry", first.set_at)
    .evidence("set_cookie", first.attributes.as_str())
    .evidence("reason", why.as_str())
    .evidence("dropped_cookies", names)
    .evidence("request", format!("{} {}", e.request.method, e.request.url))
    .evidence("browser_engine", engine.as_str());
    if let Some(ua) = e.request.header("user-agent") {
        f = f.evidence("browser", crate::flow::browser::describe(ua));
    }
    if let Some(a) = age {
        f = f.evidence("cookie_age_seconds", a);
    }
    if let Some(site) = e.request.header("sec-fetch-site") {
        f = f.evidence("sec_fetch_site", site);
    }
    Some(f)
}

/// Whether the request comes from another site: `Sec-Fetch-Site`, else the
/// `Origin` (including `null`) or `Referer` of another site.
fn is_cross_site(e: &Exchange<'_>, scheme: &str, host: &str) -> bool {
    if let Some(s) = e.request.header("sec-fetch-site") {
        return s.eq_ignore_ascii_case("cross-site");
    }
    let other = |v: &str| match url::Url::parse(v) {
        Ok(u) => u
            .host_str()
            .is_some_and(|h| !same_site(u.scheme(), h, scheme, host)),
        Err(_) => false,
    };
    if let Some(origin) = e.request.header("origin") {
        return origin == "null" || other(origin);
    }
    e.request.header("referer").is_some_and(other)
}

/// RFC 6265 §5.1.3 domain-match and §5.1.4 path-match.
fn matches(c: &Stored, host: &str, path: &str) -> bool {
    let domain_ok = if c.host_only {
        host == c.domain
    } else {
        host == c.domain || host.ends_with(&format!(".{}", c.domain))
    };
    let path_ok = path == c.path
        || (path.starts_with(&c.path)
            && (c.path.ends_with('/') || path[c.path.len()..].starts_with('/')));
    domain_ok && path_ok
}

/// The browser engine whose cookie rules apply, from the `User-Agent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    /// Chrome, Edge, Opera, Samsung Internet… on every OS but iOS.
    Chromium,
    /// Firefox on every OS but iOS.
    Gecko,
    /// Safari 13+, and every browser on iOS / iPadOS.
    WebKit,
    /// Safari 12 (iOS 12, macOS 10.14): `SameSite=None` read as `Strict`.
    WebKit12,
    /// No User-Agent: the rules of the most used engine (Chromium) are
    /// applied and the message says the browser is not known.
    Unknown,
}

impl Engine {
    pub(crate) fn of(ua: &str) -> Engine {
        if ua.is_empty() {
            return Engine::Unknown;
        }
        let ios = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
        if ios || (ua.contains("Safari/") && ua.contains("Version/") && !ua.contains("Chrome/")) {
            let v12 = ua.contains("Version/12.")
                || ua.contains("OS 12_")
                || ua.contains("Mac OS X 10_14");
            return if v12 && !ua.contains("Chrome/") {
                Engine::WebKit12
            } else {
                Engine::WebKit
            };
        }
        if ua.contains("Firefox/") || ua.contains("Gecko/") && !ua.contains("like Gecko") {
            return Engine::Gecko;
        }
        if ua.contains("Chrome/") || ua.contains("Chromium/") {
            return Engine::Chromium;
        }
        Engine::Unknown
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Gecko => "firefox",
            Engine::WebKit | Engine::WebKit12 => "webkit",
            Engine::Unknown => "unknown",
        }
    }

    /// Whether a cookie without SameSite is treated as `Lax`.
    fn lax_by_default(self) -> bool {
        matches!(self, Engine::Chromium | Engine::Unknown)
    }

    /// The browser's name for a sentence: the Chromium browser the
    /// User-Agent names (Edge, Opera… also say `Chrome/`), else the engine's.
    fn name(self, ua: &str) -> &'static str {
        match self {
            Engine::Chromium => [
                ("Edg", "Edge"),
                ("OPR/", "Opera"),
                ("SamsungBrowser/", "Samsung Internet"),
            ]
            .iter()
            .find(|(token, _)| ua.contains(token))
            .map_or("Chrome", |(_, name)| name),
            Engine::Unknown => {
                "a Chromium-based browser (the capture does not say which browser sent it)"
            }
            Engine::Gecko => "Firefox",
            Engine::WebKit | Engine::WebKit12 => "Safari (WebKit)",
        }
    }
}

/// What kind of request the cookie was (not) sent on.
struct RequestKind<'s> {
    /// The sending browser's name, for the sentence.
    browser: &'s str,
    is_post: bool,
    /// A top-level navigation (page load, form POST, redirect hop), not an
    /// iframe / fetch / image.
    top_level: bool,
    /// An embedded frame (`Sec-Fetch-Dest: iframe`): where third-party
    /// cookie blocking applies (silent `prompt=none` / checksession frames).
    frame: bool,
    scheme: &'s str,
}

/// Chromium's Lax+POST allowance: a cookie set without SameSite at most this
/// many seconds ago is still sent on a top-level cross-site POST
/// (chromestatus.com/feature/5088147346030592).
const LAX_POST_WINDOW_SECONDS: i64 = 120;

fn why_not_sent(
    c: &Stored,
    req: &RequestKind<'_>,
    engine: Engine,
    age: Option<i64>,
) -> Option<String> {
    if let Some(r) = &c.rejected {
        // `SameSite=None` without `Secure` is refused by Chromium only.
        let chromium_only = c.same_site == Some(SameSite::None) && !c.secure;
        if !chromium_only || engine.lax_by_default() {
            return Some(r.clone());
        }
    }
    if c.secure && req.scheme == "http" {
        return Some("it is `Secure` and the request went over plain HTTP".to_owned());
    }
    if req.frame
        && let Some(why) = third_party_blocked(c, engine)
    {
        return Some(why);
    }
    match &c.same_site {
        None if req.is_post && req.top_level && engine.lax_by_default() => {
            if age.is_some_and(|a| a <= LAX_POST_WINDOW_SECONDS) {
                // Lax+POST: sent, so not the reason it is missing.
                return None;
            }
            let when = match age {
                Some(a) => format!("it was set {a} s before, past the two-minute Lax+POST allowance"),
                None => "the capture has no times to tell whether it was younger than the two-minute Lax+POST allowance".to_owned(),
            };
            Some(format!(
                "it has no SameSite attribute, so {} treats it as `Lax`, which is not sent on a cross-site POST ({when})",
                req.browser
            ))
        }
        None if req.is_post && engine.lax_by_default() => Some(format!(
            "it has no SameSite attribute, so {} treats it as `Lax`, which is not sent on a cross-site POST from a script or frame",
            req.browser
        )),
        Some(SameSite::Lax) if req.is_post || req.frame => Some(
            "it is `SameSite=Lax`, which is not sent on a cross-site POST or in a cross-site frame"
                .to_owned(),
        ),
        Some(SameSite::Strict) => {
            Some("it is `SameSite=Strict`, which is never sent on a cross-site request".to_owned())
        }
        Some(SameSite::None) if engine == Engine::WebKit12 => Some(
            "Safari 12 (iOS 12 / macOS 10.14) treats `SameSite=None` as `Strict` (WebKit bug 198181), so it is never sent cross-site"
                .to_owned(),
        ),
        _ => None,
    }
}

/// Third-party cookie blocking on a cross-site subresource (iframe,
/// fetch) request, which only `SameSite=None` (or, outside Chromium, no
/// SameSite) cookies could reach at all.
fn third_party_blocked(c: &Stored, engine: Engine) -> Option<String> {
    let cross_site_capable = match &c.same_site {
        Some(SameSite::None) => true,
        None => !engine.lax_by_default(),
        _ => false,
    };
    if !cross_site_capable {
        return None;
    }
    Some(match engine {
        Engine::WebKit | Engine::WebKit12 => "Safari blocks third-party cookies on cross-site iframe / fetch requests (Intelligent Tracking Prevention, Safari 13.1+), whatever their SameSite".to_owned(),
        Engine::Gecko => "Firefox's Total Cookie Protection keeps third-party cookies partitioned per top-level site, so the cookie set in the first-party context is not sent in this embedded request".to_owned(),
        Engine::Chromium | Engine::Unknown => "it is `SameSite=None` but was not sent on this cross-site embedded request: third-party cookies are blocked in this browser (Incognito, or the user's or an enterprise setting)".to_owned(),
    })
}

/// Names of cookies that carry sign-in state in common stacks.
fn looks_like_state(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "correlation",
        "nonce",
        "state",
        "saml",
        "oidc",
        "relay",
        "request",
        "session",
        "sess",
        "sid",
        "auth",
        "csrf",
        "xsrf",
        "login",
        "pkce",
        "verifier",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Whether the app fails after the request: an error status, or a
/// redirect that leaves the site (back to the IdP).
fn fails_after(e: &Exchange<'_>, _ctx: &Context<'_, '_>) -> bool {
    let Some(r) = &e.response else {
        return false;
    };
    if r.status >= 400 {
        return true;
    }
    if !r.is_redirect() {
        return false;
    }
    let (Some(loc), Some(from)) = (r.location(), e.request.parsed_url.as_ref()) else {
        return false;
    };
    match from.join(loc) {
        Ok(to) => {
            let from_host = from.host_str().unwrap_or_default();
            let to_host = to.host_str().unwrap_or_default();
            registrable_domain(from_host) != registrable_domain(to_host)
        }
        Err(_) => false,
    }
}

/// RFC 6265 §5.3 storage model, simplified to what a diagnosis needs.
fn store(e: &Exchange<'_>, jar: &mut BTreeMap<(String, String, String), Stored>) {
    let (Some(r), Some(url)) = (&e.response, &e.request.parsed_url) else {
        return;
    };
    let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
        return;
    };
    let leaves_site = r
        .location()
        .and_then(|l| url.join(l).ok())
        .is_some_and(|to| {
            registrable_domain(to.host_str().unwrap_or_default()) != registrable_domain(&host)
        });
    for sc in &r.set_cookies {
        let (domain, host_only, domain_rejected) = cookie_domain(sc, &host);
        let path = sc
            .path
            .as_deref()
            .filter(|p| p.starts_with('/'))
            .map_or_else(|| default_path(url.path()), str::to_owned);
        let key = (sc.name.to_string(), domain.clone(), path.clone());
        if is_deletion(sc) {
            jar.remove(&key);
            continue;
        }
        let rejected = domain_rejected.or_else(|| rejection(sc, url.scheme(), &host));
        jar.insert(
            key,
            Stored {
                name: sc.name.to_string(),
                domain,
                host_only,
                path,
                same_site: sc.same_site.clone(),
                secure: sc.secure,
                set_at: e.index,
                set_time: e.started.map(|s| s.time),
                rejected,
                set_before_hop: leaves_site,
                attributes: crate::capture::cookies::set_cookie_line(sc, false),
            },
        );
    }
}

/// The cookie's domain, whether it is host-only, and a rejection when the
/// `Domain` attribute does not cover the host (RFC 6265 §5.3 step 6).
fn cookie_domain(sc: &SetCookie<'_>, host: &str) -> (String, bool, Option<String>) {
    match sc
        .domain
        .as_deref()
        .map(|d| d.trim_start_matches('.').to_ascii_lowercase())
    {
        Some(d) if !d.is_empty() => {
            let covers = host == d || host.ends_with(&format!(".{d}"));
            let rejected = (!covers).then(|| {
                format!("the browser refused to store it: its `Domain={d}` does not cover the host {host}")
            });
            (d, false, rejected)
        }
        _ => (strip_port(host).to_owned(), true, None),
    }
}

/// Why Chrome refuses to store the cookie at all.
fn rejection(sc: &SetCookie<'_>, scheme: &str, host: &str) -> Option<String> {
    let local = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    if sc.same_site == Some(SameSite::None) && !sc.secure {
        return Some(
            "the browser refused to store it: `SameSite=None` requires `Secure` (Chrome 80+)"
                .to_owned(),
        );
    }
    if sc.secure && scheme == "http" && !local {
        return Some(
            "the browser refused to store it: a `Secure` cookie was set over plain HTTP".to_owned(),
        );
    }
    None
}

fn is_deletion(sc: &SetCookie<'_>) -> bool {
    if sc.max_age.is_some_and(|m| m <= 0) {
        return true;
    }
    sc.expires
        .as_deref()
        .and_then(|x| chrono::DateTime::parse_from_rfc2822(&x.replace('-', " ")).ok())
        .is_some_and(|t| t.timestamp() < 86_400 * 365 * 2) // 1970-style "expired" dates
}

/// RFC 6265 §5.1.4 default-path.
fn default_path(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(i) => path[..i].to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_is_the_directory() {
        assert_eq!(default_path("/signin/start"), "/signin");
        assert_eq!(default_path("/login"), "/");
        assert_eq!(default_path(""), "/");
    }

    fn stored(same_site: Option<SameSite>, secure: bool) -> Stored {
        Stored {
            name: "state".to_owned(),
            domain: "app.example".to_owned(),
            host_only: true,
            path: "/".to_owned(),
            same_site,
            secure,
            set_at: 1,
            set_time: None,
            rejected: None,
            set_before_hop: true,
            attributes: String::new(),
        }
    }

    const POST: RequestKind<'static> = RequestKind {
        browser: "Chrome",
        is_post: true,
        top_level: true,
        frame: false,
        scheme: "https",
    };

    const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
    const FIREFOX: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const SAFARI: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    const CHROME_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0.6723.90 Mobile/15E148 Safari/604.1";

    #[test]
    fn engines_come_from_the_user_agent() {
        assert_eq!(Engine::of(CHROME), Engine::Chromium);
        assert_eq!(Engine::of(FIREFOX), Engine::Gecko);
        assert_eq!(Engine::of(SAFARI), Engine::WebKit);
        assert_eq!(Engine::of(CHROME_IOS), Engine::WebKit);
        assert_eq!(Engine::of(""), Engine::Unknown);
    }

    #[test]
    fn lax_by_default_is_chromium_only() {
        let c = stored(None, true);
        let old = Some(600);
        let why = why_not_sent(&c, &POST, Engine::of(CHROME), old).unwrap();
        assert!(why.contains("treats it as `Lax`"), "{why}");
        for ua in [FIREFOX, SAFARI, CHROME_IOS] {
            assert_eq!(why_not_sent(&c, &POST, Engine::of(ua), old), None, "{ua}");
        }
    }

    #[test]
    fn a_refused_cookie_is_the_reason_only_where_that_browser_refuses_it() {
        // `SameSite=None` without `Secure`: refused by Chromium (Chrome 80+),
        // kept by Firefox, where `None` is then sent cross-site.
        let mut none_insecure = stored(Some(SameSite::None), false);
        none_insecure.rejected = Some("refused: None requires Secure".to_owned());
        assert_eq!(
            why_not_sent(&none_insecure, &POST, Engine::of(CHROME), None).as_deref(),
            Some("refused: None requires Secure")
        );
        assert_eq!(
            why_not_sent(&none_insecure, &POST, Engine::of(FIREFOX), None),
            None
        );
        // Any other refusal (a `Domain` that does not cover the host)
        // holds in every browser.
        let mut bad_domain = stored(Some(SameSite::None), true);
        bad_domain.rejected = Some("refused: Domain".to_owned());
        assert_eq!(
            why_not_sent(&bad_domain, &POST, Engine::of(FIREFOX), None).as_deref(),
            Some("refused: Domain")
        );
    }

    #[test]
    fn no_samesite_on_a_scripted_post_has_no_lax_post_allowance() {
        // Lax+POST covers top-level navigations only: a fetch / XHR POST
        // of a fresh cookie without SameSite is still refused by Chromium.
        let scripted = RequestKind {
            top_level: false,
            ..POST
        };
        let why = why_not_sent(&stored(None, true), &scripted, Engine::of(CHROME), Some(5))
            .unwrap_or_default();
        assert!(
            why.ends_with("not sent on a cross-site POST from a script or frame"),
            "{why}"
        );
        assert_eq!(
            why_not_sent(&stored(None, true), &scripted, Engine::of(FIREFOX), Some(5)),
            None
        );
    }

    #[test]
    fn safari_12_reads_samesite_none_as_strict() {
        const SAFARI_12: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1";
        assert_eq!(Engine::of(SAFARI_12), Engine::WebKit12);
        let c = stored(Some(SameSite::None), true);
        let why = why_not_sent(&c, &POST, Engine::of(SAFARI_12), None).unwrap_or_default();
        assert!(
            why.starts_with("Safari 12 (iOS 12 / macOS 10.14) treats `SameSite=None` as `Strict`"),
            "{why}"
        );
        assert_eq!(why_not_sent(&c, &POST, Engine::of(SAFARI), None), None);
    }

    #[test]
    fn lax_post_allowance_on_each_side_of_two_minutes() {
        let c = stored(None, true);
        let chrome = Engine::of(CHROME);
        assert_eq!(why_not_sent(&c, &POST, chrome, Some(30)), None);
        assert_eq!(why_not_sent(&c, &POST, chrome, Some(120)), None);
        let why = why_not_sent(&c, &POST, chrome, Some(121)).unwrap();
        assert!(why.contains("121 s"), "{why}");
        // An explicit Lax gets no allowance.
        assert!(
            why_not_sent(&stored(Some(SameSite::Lax), true), &POST, chrome, Some(30)).is_some()
        );
    }

    #[test]
    fn third_party_blocking_is_said_per_browser() {
        let iframe = RequestKind {
            browser: "Safari",
            is_post: false,
            top_level: false,
            frame: true,
            scheme: "https",
        };
        let c = stored(Some(SameSite::None), true);
        assert!(
            why_not_sent(&c, &iframe, Engine::of(SAFARI), None)
                .unwrap()
                .contains("Intelligent Tracking Prevention")
        );
        assert!(
            why_not_sent(&c, &iframe, Engine::of(FIREFOX), None)
                .unwrap()
                .contains("Total Cookie Protection")
        );
        assert!(why_not_sent(&c, &POST, Engine::of(SAFARI), None).is_none());
    }

    #[test]
    fn state_cookie_names_are_recognised() {
        assert!(looks_like_state(".AspNetCore.Correlation.OpenIdConnect.x"));
        assert!(looks_like_state("JSESSIONID"));
        assert!(!looks_like_state("_ga"));
    }
}
