//! "Site" for SameSite purposes: scheme plus registrable domain
//! (RFC 6265bis §5.2, "schemeful same-site").
//!
//! Without the full Public Suffix List the registrable domain is the last two
//! labels, or three under a short list of common two-level public suffixes
//! (`co.uk`, `com.au`…) and hosting suffixes where every customer is its own
//! site (`azurewebsites.net`, `herokuapp.com`…). IP addresses and
//! single-label hosts (`localhost`) are their own site.

/// Public suffixes with two labels that matter in enterprise captures.
const TWO_LABEL_SUFFIXES: &[&str] = &[
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "com.au",
    "net.au",
    "org.au",
    "co.nz",
    "co.jp",
    "ne.jp",
    "co.in",
    "com.br",
    "com.cn",
    "com.mx",
    "co.za",
    "com.sg",
    "com.tr",
    "co.kr",
    "azurewebsites.net",
    "cloudapp.net",
    "azurefd.net",
    "azureedge.net",
    "cloudfront.net",
    "herokuapp.com",
    "appspot.com",
    "github.io",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "web.app",
    "firebaseapp.com",
    "onmicrosoft.com",
    "sharepoint.com",
    "b2clogin.com",
    "okta.com",
    "oktapreview.com",
    "auth0.com",
    "onelogin.com",
    "my.salesforce.com",
];

/// The registrable domain of a host (lower-case, port removed).
pub fn registrable_domain(host: &str) -> String {
    let host = strip_port(host).trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') || !host.contains('.') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let take = if TWO_LABEL_SUFFIXES
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")))
    {
        let suffix_labels = TWO_LABEL_SUFFIXES
            .iter()
            .filter(|s| host == **s || host.ends_with(&format!(".{s}")))
            .map(|s| s.split('.').count())
            .max()
            .unwrap_or(2);
        suffix_labels + 1
    } else {
        2
    };
    let start = labels.len().saturating_sub(take);
    labels[start..].join(".")
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
        assert_eq!(registrable_domain("contoso.okta.com"), "contoso.okta.com");
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
