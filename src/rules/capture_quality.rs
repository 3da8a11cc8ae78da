//! Capture-quality rules: what in the capture itself keeps the flow from
//! being seen (undecrypted HTTPS, stripped cookies and bodies, truncation,
//! a capture started mid-flow, no identity traffic at all).

use crate::capture::{Format, Headers};
use crate::flow::{Context, is_navigation};
use crate::rules::{Finding, Severity};

declare_rule! {
    /// ## What it means
    /// The proxy recorded HTTPS connections only as `CONNECT` tunnels: it did
    /// not decrypt them, so no request inside them is visible.
    /// ## Why it matters
    /// Sign-in traffic is always HTTPS. Without decryption the capture cannot
    /// show a single identity message, so nothing can be diagnosed.
    /// ## How to fix
    /// In Fiddler: Tools › Options › HTTPS › "Decrypt HTTPS traffic" (trust the
    /// Fiddler root certificate), then reproduce and save again. Or capture a
    /// HAR from the browser's developer tools instead.
    pub static HTTPS_NOT_DECRYPTED = {
        code: "https-not-decrypted",
        category: CaptureQuality,
        severity: Error,
        title: "HTTPS traffic was not decrypted",
    };
}

declare_rule! {
    /// ## What it means
    /// No request carries a `Cookie` or `Authorization` header and no response
    /// a `Set-Cookie`: the exporter stripped them ("sanitized" HAR — current
    /// Chrome and Edge exports do this by default).
    /// ## Why it matters
    /// Session and state cookies are how the app ties the IdP's answer to the
    /// sign-in it started. Without them, a dropped cookie (SameSite) or a
    /// lost session cannot be seen, only guessed.
    /// ## How to fix
    /// Export again with sensitive data included: in Chrome / Edge DevTools,
    /// Network › settings › "Allow to generate HAR with sensitive data", then
    /// "Export HAR (with sensitive data)". Share it only through a secure
    /// channel, or redact it first with `trace-inspect redact`.
    pub static SANITIZED_EXPORT = {
        code: "sanitized-export",
        category: CaptureQuality,
        severity: Warning,
        title: "Cookies and credentials were stripped from the export",
    };
}

declare_rule! {
    /// ## What it means
    /// Pages of the sign-in (HTML documents from the IdP or the app) were
    /// recorded without their response bodies.
    /// ## Why it matters
    /// Error pages, auto-submit forms carrying the SAML response and the
    /// `$Config` of Entra pages live in those bodies; without them the reason
    /// for a failure may be invisible.
    /// ## How to fix
    /// Keep DevTools open from the start and export with content (Chrome:
    /// "Export HAR"; Firefox: "Save All As HAR"); in Playwright use
    /// `recordHar: { content: 'embed' }`. Avoid reloading DevTools mid-flow.
    pub static BODIES_MISSING = {
        code: "bodies-missing",
        category: CaptureQuality,
        severity: Warning,
        title: "Page bodies are missing from the capture",
    };
}

declare_rule! {
    /// ## What it means
    /// The file ends in the middle: the entries before the cut were
    /// recovered, the rest is lost.
    /// ## Why it matters
    /// The step where the sign-in broke may be after the cut.
    /// ## How to fix
    /// Ask for the capture again; make sure the export finished (large HARs
    /// take time) and that the file was not cut by an upload size limit.
    pub static TRUNCATED = {
        code: "truncated-capture",
        category: CaptureQuality,
        severity: Warning,
        title: "The capture is truncated",
    };
}

declare_rule! {
    /// ## What it means
    /// The capture starts with the IdP's answer (a SAML POST to the app or an
    /// OAuth callback) but holds no sign-in request before it.
    /// ## Why it matters
    /// The request the answer belongs to — its ID, `state`, `redirect_uri`,
    /// cookies set by the app — is not in the trace, so mismatches against it
    /// cannot be checked.
    /// ## How to fix
    /// Start recording before opening the app (in DevTools tick "Preserve
    /// log"), then reproduce the whole sign-in from the beginning.
    pub static MID_FLOW = {
        code: "capture-started-mid-flow",
        category: CaptureQuality,
        severity: Warning,
        title: "The capture starts in the middle of a sign-in",
    };
}

declare_rule! {
    /// ## What it means
    /// No sign-in traffic was found: no SAML, WS-Federation or OAuth / OpenID
    /// Connect message, and no request to a known identity provider.
    /// ## Why it matters
    /// Either the capture was taken while the problem did not happen, or the
    /// sign-in ran in another browser, profile or process than the one
    /// recorded.
    /// ## How to fix
    /// Reproduce the failing sign-in while recording, in a private window so
    /// existing sessions do not skip the IdP, with "Preserve log" on.
    pub static NO_IDENTITY_TRAFFIC = {
        code: "no-identity-traffic",
        category: CaptureQuality,
        severity: Warning,
        title: "No sign-in traffic in the capture",
    };
}

pub fn https_not_decrypted(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    // Fiddler records a CONNECT session before the decrypted requests of a
    // host too: only tunnels to hosts with no decrypted request are blind.
    let decrypted_hosts: std::collections::BTreeSet<String> = ctx
        .exchanges()
        .iter()
        .filter(|e| !e.is_tunnel())
        .filter_map(|e| e.request.parsed_url.as_ref())
        .filter(|u| u.scheme() == "https")
        .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
        .collect();
    let blind = |e: &&crate::capture::Exchange<'_>| {
        e.is_tunnel()
            && e.request.host().is_some_and(|h| {
                !decrypted_hosts.contains(&crate::flow::site::strip_port(h).to_ascii_lowercase())
            })
    };
    let tunnels: Vec<u32> = ctx
        .exchanges()
        .iter()
        .filter(blind)
        .map(|e| e.index)
        .collect();
    if tunnels.is_empty() {
        return;
    }
    let decrypted_https = ctx.exchanges().iter().any(|e| {
        !e.is_tunnel()
            && e.request
                .parsed_url
                .as_ref()
                .is_some_and(|u| u.scheme() == "https")
    });
    let hosts: Vec<String> = ctx
        .exchanges()
        .iter()
        .filter(blind)
        .filter_map(|e| e.request.host().map(str::to_owned))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let first = tunnels.first().copied();
    if decrypted_https {
        // Some HTTPS was decrypted; undecrypted tunnels to identity hosts still hide steps.
        let idp_hosts: Vec<&String> = hosts
            .iter()
            .filter(|h| crate::timeline::host_party(h) == crate::timeline::Party::Idp)
            .collect();
        if !idp_hosts.is_empty() {
            out.push(
                Finding::new(
                    &HTTPS_NOT_DECRYPTED,
                    first,
                    format!(
                        "Connections to {} were not decrypted; what happened there is not visible.",
                        join(&idp_hosts)
                    ),
                )
                .severity(Severity::Warning)
                .evidence("tunnels", tunnels.len())
                .evidence("hosts", hosts.clone()),
            );
        }
        return;
    }
    let tool = if ctx.capture.format == Format::Saz {
        "Fiddler"
    } else {
        "the proxy"
    };
    out.push(
        Finding::new(
            &HTTPS_NOT_DECRYPTED,
            first,
            format!(
                "All {} HTTPS connections are CONNECT tunnels {tool} did not decrypt ({}); no sign-in request is visible.",
                tunnels.len(),
                join(&hosts.iter().take(5).collect::<Vec<_>>())
            ),
        )
        .evidence("tunnels", tunnels.len())
        .evidence("hosts", hosts),
    );
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn sanitized_export(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let https_requests = ctx
        .exchanges()
        .iter()
        .filter(|e| !e.is_tunnel() && e.request.url.starts_with("https://"))
        .count();
    if https_requests < 3 || ctx.has_cookie_headers() {
        return;
    }
    out.push(
        Finding::new(
            &SANITIZED_EXPORT,
            None,
            format!(
                "None of the {https_requests} HTTPS requests carries a Cookie or Authorization header and no response sets a cookie: the export was sanitized, so cookie problems cannot be checked."
            ),
        )
        .evidence("https_requests", https_requests),
    );
}

pub fn bodies_missing(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let missing: Vec<u32> = ctx
        .exchanges()
        .iter()
        .filter(|e| is_navigation(e))
        .filter(|e| {
            e.response.as_ref().is_some_and(|r| {
                (r.status == 200 || r.status >= 400)
                    && r.header("content-type").is_some_and(|t| t.contains("html"))
                    && r.body.as_ref().is_none_or(|b| b.is_empty())
                    && r.header("content-length") != Some("0")
            })
        })
        .map(|e| e.index)
        .collect();
    if missing.is_empty() {
        return;
    }
    let pages = ctx
        .exchanges()
        .iter()
        .filter(|e| is_navigation(e) && e.status() == 200)
        .count()
        .max(1);
    // One missing page in a large capture is normal (a page replaced before
    // DevTools read it); most pages missing means the export lacks content.
    if missing.len() * 2 < pages && missing.len() < 3 {
        return;
    }
    out.push(
        Finding::new(
            &BODIES_MISSING,
            missing.first().copied(),
            format!(
                "{} HTML page(s) were recorded without their body (first: #{}).",
                missing.len(),
                missing.first().copied().unwrap_or_default()
            ),
        )
        .evidence("entries", missing),
    );
}

pub fn truncated(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if !ctx.capture.is_truncated() {
        return;
    }
    let detail = ctx
        .capture
        .notes
        .iter()
        .find(|n| matches!(n, crate::capture::LoadNote::Truncated { .. }))
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push(Finding::new(
        &TRUNCATED,
        ctx.exchanges().last().map(|e| e.index),
        format!("The file ends mid-way: {detail}."),
    ));
}

pub fn mid_flow(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let Some(first_msg) = ctx.messages.first() else {
        return;
    };
    let is_answer = first_msg.message.is_idp_answer();
    let any_request_before = ctx
        .messages
        .iter()
        .take_while(|m| m.entry <= first_msg.entry)
        .any(|m| m.message.is_sign_in_request());
    if is_answer && !any_request_before {
        out.push(
            Finding::new(
                &MID_FLOW,
                Some(first_msg.entry),
                format!(
                    "The first identity message (#{}, {}) is the IdP's answer; the request it answers is not in the capture.",
                    first_msg.entry,
                    first_msg.message.kind()
                ),
            )
            .evidence("first_message", first_msg.message.kind()),
        );
    }
}

pub fn no_identity_traffic(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if ctx.exchanges().is_empty() {
        out.push(Finding::new(
            &NO_IDENTITY_TRAFFIC,
            None,
            "The capture holds no requests at all.",
        ));
        return;
    }
    if !ctx.messages.is_empty() || ctx.exchanges().iter().all(|e| e.is_tunnel()) {
        return;
    }
    let idp_hosts = ctx.exchanges().iter().any(|e| {
        e.request
            .host()
            .is_some_and(|h| crate::timeline::host_party(h) == crate::timeline::Party::Idp)
    });
    if idp_hosts {
        return;
    }
    out.push(
        Finding::new(
            &NO_IDENTITY_TRAFFIC,
            None,
            format!(
                "None of the {} exchanges carries a SAML, WS-Federation or OAuth / OpenID Connect message.",
                ctx.exchanges().len()
            ),
        )
        .evidence("entries", ctx.exchanges().len()),
    );
}
