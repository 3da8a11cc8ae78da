//! Redirect loops: the browser bouncing between the same URLs (app → IdP →
//! app → IdP…) or a redirect chain long enough for the browser to give up
//! (`ERR_TOO_MANY_REDIRECTS`).

use crate::capture::Exchange;
use crate::flow::{Context, is_navigation};
use crate::rules::Finding;

declare_rule! {
    /// ## What it means
    /// The browser went round the same sequence of pages several times — the
    /// app sent it to the IdP, the IdP sent it back, and the app sent it to
    /// the IdP again — or followed so many redirects that it gave up.
    /// ## Why it matters
    /// A loop means the app never accepts the sign-in: typically its session
    /// cookie is not stored or not sent back (SameSite, Secure over HTTP, a
    /// cookie too large, a wrong Domain or Path), or the app redirects before
    /// it reads the IdP's answer (wrong callback path, HTTP↔HTTPS offload).
    /// ## How to fix
    /// Look at the first turn of the loop: is the app's session cookie set on
    /// the callback response and sent on the next request? Check the app's
    /// callback path, its HTTPS / reverse-proxy settings (forwarded headers)
    /// and the cookie's attributes.
    pub static REDIRECT_LOOP = {
        code: "redirect-loop",
        category: RedirectLoop,
        severity: Error,
        title: "The browser is caught in a redirect loop",
        check: redirect_loop,
    };
}

/// A cycle must go round this many times to be a loop.
const MIN_TURNS: usize = 3;
/// Longest cycle considered (app → IdP → callback → app).
const MAX_PERIOD: usize = 5;
/// Consecutive redirects after which browsers stop (Chrome: 20).
const MAX_CHAIN: usize = 20;

pub fn redirect_loop(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(e) = ctx.exchanges().iter().find(|e| gave_up(e)) {
        out.push(
            Finding::new(
                &REDIRECT_LOOP,
                Some(e.index),
                format!(
                    "The client stopped following redirects at #{}: {}.",
                    e.index,
                    e.error.as_deref().unwrap_or("too many redirects")
                ),
            )
            .evidence("error", e.error.as_deref().unwrap_or_default()),
        );
        return;
    }
    let nav: Vec<&Exchange<'_>> = ctx
        .exchanges()
        .iter()
        .filter(|e| is_navigation(e))
        .collect();
    let keys: Vec<String> = nav.iter().map(|e| key(e)).collect();
    if let Some((start, period, turns)) = find_cycle(&keys) {
        let cycle = &nav[start..start + period];
        let hops_redirect = nav[start..start + period * turns].iter().any(|e| {
            e.response.as_ref().is_some_and(|r| r.is_redirect()) || e.request.method == "POST"
        });
        if hops_redirect {
            let urls: Vec<&str> = cycle.iter().map(|e| e.request.url.as_ref()).collect();
            // Point at where the browser starts going round again: the first
            // sign-in request that repeats an earlier one, else the first
            // repeated page of the cycle.
            let sign_in_entries: Vec<u32> = ctx
                .messages
                .iter()
                .filter(|m| m.message.is_sign_in_request() && m.place.is_sent())
                .map(|m| m.entry)
                .collect();
            let repeated_sign_in = nav
                .iter()
                .enumerate()
                .skip(start)
                .find(|(i, e)| sign_in_entries.contains(&e.index) && keys[..*i].contains(&keys[*i]))
                .map(|(_, e)| e.index);
            let first = repeated_sign_in.or_else(|| nav.get(start + period).map(|e| e.index));
            let seconds = span_seconds(&nav[start..start + period * turns]);
            out.push(
                Finding::new(
                    &REDIRECT_LOOP,
                    first,
                    format!(
                        "From #{} the browser went round the same {period} page(s) {turns} times{}: {}.",
                        cycle.first().map_or(0, |e| e.index),
                        seconds.map(|s| format!(" in {s:.0} s")).unwrap_or_default(),
                        cycle.iter().map(|e| short(e)).collect::<Vec<_>>().join(" → ")
                    ),
                )
                .evidence("cycle", urls)
                .evidence("turns", turns),
            );
            return;
        }
    }
    if let Some((start, len)) = longest_redirect_chain(ctx.exchanges())
        && len >= MAX_CHAIN
    {
        out.push(
            Finding::new(
                &REDIRECT_LOOP,
                Some(start),
                format!("From #{start} the browser followed {len} redirects in a row."),
            )
            .evidence("redirects", len),
        );
    }
}

fn gave_up(e: &Exchange<'_>) -> bool {
    e.error.as_deref().is_some_and(|err| {
        err.contains("TOO_MANY_REDIRECTS")
            || err.contains("MAXREDIRECTS")
            || err.contains("Max redirects")
    })
}

/// Method, host and path: query strings change every turn (state, nonce).
fn key(e: &Exchange<'_>) -> String {
    match &e.request.parsed_url {
        Some(u) => format!(
            "{} {}{}",
            e.request.method,
            u.host_str().unwrap_or_default(),
            u.path()
        ),
        None => format!("{} {}", e.request.method, e.request.url),
    }
}

fn short(e: &Exchange<'_>) -> String {
    match &e.request.parsed_url {
        Some(u) => format!("{}{}", u.host_str().unwrap_or_default(), u.path()),
        None => e.request.url.to_string(),
    }
}

/// The first run where a cycle of `period` keys repeats `MIN_TURNS` times
/// or more: (start, period, turns). Cycles of one page need two distinct
/// keys nowhere, so a period-1 run counts only if it is made of redirects
/// (checked by the caller).
pub fn find_cycle(keys: &[String]) -> Option<(usize, usize, usize)> {
    for start in 0..keys.len() {
        for period in 1..=MAX_PERIOD {
            if start + period * MIN_TURNS > keys.len() {
                break;
            }
            let mut len = period;
            while start + len < keys.len() && keys[start + len] == keys[start + len - period] {
                len += 1;
            }
            let turns = len / period;
            if turns >= MIN_TURNS {
                return Some((start, period, turns));
            }
        }
    }
    None
}

fn longest_redirect_chain(exchanges: &[Exchange<'_>]) -> Option<(u32, usize)> {
    let mut best: Option<(u32, usize)> = None;
    let mut current: Option<(u32, usize)> = None;
    for e in exchanges {
        let redirect = e.response.as_ref().is_some_and(|r| r.is_redirect());
        current = match (redirect, current) {
            (true, Some((s, n))) => Some((s, n + 1)),
            (true, None) => Some((e.index, 1)),
            (false, _) => None,
        };
        if let Some(c) = current
            && best.is_none_or(|b| c.1 > b.1)
        {
            best = Some(c);
        }
    }
    best
}

fn span_seconds(exchanges: &[&Exchange<'_>]) -> Option<f64> {
    let first = exchanges.first()?.started?.time;
    let last = exchanges.last()?.started?.time;
    Some((last - first).num_milliseconds() as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &[&str]) -> Vec<String> {
        s.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn finds_an_app_idp_cycle() {
        let k = keys(&["home", "app", "idp", "app", "idp", "app", "idp", "done"]);
        assert_eq!(find_cycle(&k), Some((1, 2, 3)));
    }

    #[test]
    fn two_turns_are_not_a_loop() {
        let k = keys(&["app", "idp", "app", "idp", "done"]);
        assert_eq!(find_cycle(&k), None);
    }

    #[test]
    fn a_straight_flow_has_no_cycle() {
        let k = keys(&["app", "idp", "login", "kmsi", "callback", "home"]);
        assert_eq!(find_cycle(&k), None);
    }
}
