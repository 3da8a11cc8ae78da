//! Rule `https-not-decrypted`: HTTPS traffic was not decrypted.

use super::*;

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
        check: https_not_decrypted,
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
