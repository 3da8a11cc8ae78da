//! "Site" for SameSite purposes: scheme plus registrable domain
//! (RFC 6265bis §5.2, "schemeful same-site").
//!
//! The registrable domain is "the public suffix plus one label" of the
//! Public Suffix List (RFC 6265bis §5.1.2, HTML "registrable domain"), read
//! from the maintained list compiled into the `psl` crate, ICANN and private
//! sections both: `github.io` and `azurewebsites.net` are suffixes (each
//! customer is its own site), `okta.com` and `microsoftonline.com` are not
//! (`login.okta.com` and `contoso.okta.com` are same-site). IP addresses and
//! single-label hosts (`localhost`) are their own site, and so is a host that
//! is itself a public suffix.

/// The registrable domain of a host (lower-case, port removed).
pub fn registrable_domain(host: &str) -> String {
    let host = strip_port(host).trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') || !host.contains('.') {
        return host;
    }
    psl::domain_str(&host).map_or_else(|| host.clone(), str::to_owned)
}

/// `host:port` → `host` (IPv6 literals keep their brackets).
pub fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(h, _)| &host[..=h.len()]);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
}

/// Whether two (scheme, host) pairs are the same site.
pub fn same_site(a_scheme: &str, a_host: &str, b_scheme: &str, b_host: &str) -> bool {
    a_scheme.eq_ignore_ascii_case(b_scheme)
        && registrable_domain(a_host) == registrable_domain(b_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_registrable_domains() {
        assert_eq!(
            registrable_domain("login.microsoftonline.com"),
            "microsoftonline.com"
        );
        assert_eq!(registrable_domain("app.contoso.co.uk:443"), "contoso.co.uk");
        assert_eq!(
            registrable_domain("myapp.azurewebsites.net"),
            "myapp.azurewebsites.net"
        );
        assert_eq!(registrable_domain("127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(registrable_domain("localhost:3001"), "localhost");
        assert_eq!(registrable_domain("contoso.okta.com"), "okta.com");
        assert_eq!(registrable_domain("alice.github.io"), "alice.github.io");
        assert_eq!(registrable_domain("github.io"), "github.io");
        assert_eq!(
            registrable_domain("contoso.sharepoint.com"),
            "sharepoint.com"
        );
    }

    #[test]
    fn hosts_under_one_idp_domain_are_same_site() {
        assert!(same_site(
            "https",
            "login.okta.com",
            "https",
            "contoso.okta.com"
        ));
        assert!(same_site(
            "https",
            "contoso.onmicrosoft.com",
            "https",
            "login.onmicrosoft.com"
        ));
        assert!(!same_site("https", "a.github.io", "https", "b.github.io"));
    }

    #[test]
    fn same_site_is_schemeful() {
        assert!(same_site(
            "https",
            "a.contoso.com",
            "https",
            "b.contoso.com"
        ));
        assert!(!same_site(
            "http",
            "a.contoso.com",
            "https",
            "a.contoso.com"
        ));
        assert!(!same_site(
            "http",
            "localhost:3000",
            "http",
            "127.0.0.1:3000"
        ));
    }
}
