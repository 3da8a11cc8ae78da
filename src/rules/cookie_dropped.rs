//! Cookies dropped on the way back from the IdP.
//!
//! Replays the capture through a small cookie jar (RFC 6265 §5.3 storage,
//! §5.4 sending, SameSite per RFC 6265bis §5.6.7 and Chrome's Lax default):
//! a cookie the app set before the cross-site hop, which the browser should
//! hold for the URL, and which is absent from the cross-site request that
//! brings the IdP's answer back (a form_post / SAML POST, or a redirect), is
//! dropped — and the attributes say why. Reported when the app then fails
//! (4xx / 5xx, or sends the browser back to another site).

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
    for e in ctx.exchanges() {
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
    let is_post = e.request.method.eq_ignore_ascii_case("POST");
    let sent: Vec<&str> = e.request.cookies.iter().map(|c| c.name.as_ref()).collect();
    let mut dropped: Vec<(&Stored, String)> = jar
        .values()
        .filter(|c| matches(c, &host, url.path()))
        .filter(|c| !sent.contains(&c.name.as_str()))
        .filter_map(|c| why_not_sent(c, is_post, url.scheme()).map(|why| (c, why)))
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
    .evidence("request", format!("{} {}", e.request.method, e.request.url));
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

fn why_not_sent(c: &Stored, is_post: bool, scheme: &str) -> Option<String> {
    if let Some(r) = &c.rejected {
        return Some(r.clone());
    }
    if c.secure && scheme == "http" {
        return Some("it is `Secure` and the request went over plain HTTP".to_owned());
    }
    match &c.same_site {
        None if is_post => Some(
            "it has no SameSite attribute, so Chrome treats it as `Lax`, which is not sent on a cross-site POST"
                .to_owned(),
        ),
        Some(SameSite::Lax) if is_post => {
            Some("it is `SameSite=Lax`, which is not sent on a cross-site POST".to_owned())
        }
        Some(SameSite::Strict) => {
            Some("it is `SameSite=Strict`, which is never sent on a cross-site request".to_owned())
        }
        _ => None,
    }
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

    #[test]
    fn state_cookie_names_are_recognised() {
        assert!(looks_like_state(".AspNetCore.Correlation.OpenIdConnect.x"));
        assert!(looks_like_state("JSESSIONID"));
        assert!(!looks_like_state("_ga"));
    }
}
