//! Who serves a host: the one table of IdP sign-in hosts (Microsoft's
//! clouds, Google, Okta, Auth0, B2C, OneLogin, Ping, Duo — read by the
//! finder, the timeline and the rules through [`is_known_idp_host`]) and
//! the shape test for "looks like an IdP", plus
//! [`PageInput`], what a caller knows about a response whose body may be an
//! IdP page (body, URL / host hint, headers).
//!
//! Host matching is on whole labels (`login.microsoftonline.com.evil.example`
//! is not Microsoft) and ASCII case-insensitive; a trailing dot is ignored.

/// What the caller knows about a response whose body may be an IdP page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInput<'a> {
    /// The body as text (HTML, JSON or pasted page text).
    pub body: &'a str,
    /// The request URL, when known.
    pub url: Option<&'a str>,
    /// The host, when known without a URL (overrides the URL's host).
    pub host: Option<&'a str>,
    /// Response headers as `(name, value)` pairs.
    pub headers: &'a [(&'a str, &'a str)],
}

impl<'a> PageInput<'a> {
    /// A body with no hints (pasted text, `decode`).
    pub fn new(body: &'a str) -> Self {
        Self {
            body,
            ..Self::default()
        }
    }

    /// Adds the request URL.
    pub fn with_url(mut self, url: &'a str) -> Self {
        self.url = Some(url);
        self
    }

    /// Adds a host hint.
    pub fn with_host(mut self, host: &'a str) -> Self {
        self.host = Some(host);
        self
    }

    /// Adds response headers.
    pub fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// Lower-cased host from the hint or the URL.
    pub fn host_name(&self) -> Option<String> {
        let host = match self.host {
            Some(h) => Some(h.trim().to_owned()),
            None => self.url.and_then(url_host),
        }?;
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        (!host.is_empty()).then_some(host)
    }

    /// The URL's path, when a URL is known.
    pub fn path(&self) -> Option<String> {
        let url = url::Url::parse(self.url?).ok()?;
        Some(url.path().to_owned())
    }

    /// How the host looks, `None` without a host.
    pub fn kind_of_host(&self) -> Option<HostKind> {
        self.host_name()
            .map(|h| classify_host(&h, self.path().as_deref()))
    }
}

fn url_host(url: &str) -> Option<String> {
    match url::Url::parse(url.trim()) {
        Ok(u) => u.host_str().map(str::to_owned),
        Err(_) => {
            // `host/path` without a scheme.
            let rest = url.trim().split("://").last()?;
            let host = rest.split(['/', '?', '#']).next()?;
            let host = host.rsplit('@').next()?.split(':').next()?;
            (!host.is_empty()).then(|| host.to_owned())
        }
    }
}

/// What a host hint says about who served a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// Entra ID / Microsoft account sign-in hosts.
    Microsoft,
    /// `accounts.google.*`.
    Google,
    /// `*.okta.com`, `*.oktapreview.com`, `*.okta-emea.com`, `*.okta-gov.com`.
    Okta,
    /// A host or path that looks like an identity provider (`login.`, `sso.`,
    /// `sts.`, `adfs.`, `/adfs/`, `/oauth2/`, `/realms/`, …).
    IdpLike,
    /// Anything else (docs sites, the app itself).
    Other,
}

/// Classifies a host (and optional path).
pub fn classify_host(host: &str, path: Option<&str>) -> HostKind {
    let host = host.to_ascii_lowercase();
    if is_microsoft_login_host(&host) {
        return HostKind::Microsoft;
    }
    if host.starts_with("accounts.google.") {
        return HostKind::Google;
    }
    if OKTA_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return HostKind::Okta;
    }
    const WORDS: [&str; 10] = [
        "login", "signin", "sso", "auth", "idp", "adfs", "accounts", "identity", "okta", "keycloak",
    ];
    const LABELS: [&str; 5] = ["sts", "fs", "id", "account", "iam"];
    let labels: Vec<&str> = host.split('.').collect();
    let name_labels = labels
        .get(..labels.len().saturating_sub(1))
        .unwrap_or_default();
    let host_idp = name_labels
        .iter()
        .any(|l| LABELS.contains(l) || WORDS.iter().any(|w| l.contains(w)));
    const PATHS: [&str; 7] = [
        "/adfs/", "/oauth2/", "/realms/", "/saml", "/sso", "/idp/", "/oidc/",
    ];
    let path_idp = path.is_some_and(|p| {
        let p = p.to_ascii_lowercase();
        PATHS.iter().any(|x| p.contains(x))
    });
    if host_idp || path_idp {
        HostKind::IdpLike
    } else {
        HostKind::Other
    }
}

/// Whether `host` is a Microsoft sign-in host (Entra ID, national clouds,
/// Microsoft account, Seamless SSO).
pub fn is_microsoft_login_host(host: &str) -> bool {
    const HOSTS: [&str; 14] = [
        "login.microsoftonline.com",
        "login.microsoft.com",
        "login.windows.net",
        "login.live.com",
        "account.live.com",
        "login.microsoftonline.us",
        "login-us.microsoftonline.com",
        "login.microsoftonline.de",
        "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn",
        "sts.windows.net",
        "autologon.microsoftazuread-sso.com",
        "mysignins.microsoft.com",
        "login.microsoftonline.microsoft.scloud",
    ];
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    HOSTS
        .iter()
        .any(|h| host == *h || host.strip_suffix(h).is_some_and(|p| p.ends_with('.')))
}

/// Okta org domains (Okta docs, "Okta domain": `{org}.okta.com`, preview
/// `oktapreview.com`, EMEA `okta-emea.com`, US government `okta-gov.com`).
const OKTA_SUFFIXES: [&str; 4] = [
    ".okta.com",
    ".oktapreview.com",
    ".okta-emea.com",
    ".okta-gov.com",
];

/// Tenant domains of other hosted IdPs: Auth0 (`{tenant}.auth0.com`), Azure
/// AD B2C (`{tenant}.b2clogin.com`), OneLogin (`{sub}.onelogin.com`), Ping
/// Identity (`auth.pingone.com`), Duo (`api-*.duosecurity.com`).
const HOSTED_IDP_SUFFIXES: [&str; 5] = [
    ".auth0.com",
    ".b2clogin.com",
    ".onelogin.com",
    ".pingone.com",
    ".duosecurity.com",
];

/// Whether `host` (a port and a trailing dot are ignored) is a well-known
/// identity-provider host, whatever the flow looks like: Microsoft's sign-in
/// hosts, Google's (`accounts.google.*`, the token endpoint
/// `oauth2.googleapis.com`), Okta and the hosted IdPs above. A hint only:
/// the flow stage decides by protocol role.
pub fn is_known_idp_host(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    is_microsoft_login_host(&h)
        || h.starts_with("accounts.google.")
        || h == "oauth2.googleapis.com"
        || OKTA_SUFFIXES.iter().any(|s| h.ends_with(s))
        || HOSTED_IDP_SUFFIXES.iter().any(|s| h.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_idp_hosts_with_port_and_case() {
        for h in [
            "login.microsoftonline.com",
            "device.login.microsoftonline.com",
            "LOGIN.LIVE.COM",
            "accounts.google.com",
            "oauth2.googleapis.com",
            "contoso.okta.com:443",
            "contoso.b2clogin.com",
            "dev-1.auth0.com",
        ] {
            assert!(is_known_idp_host(h), "{h}");
        }
    }

    #[test]
    fn lookalike_and_app_hosts_are_not_idp_hosts() {
        for h in [
            "login.microsoftonline.com.evil.example",
            "okta.com.evil.example",
            "app.contoso.com",
            "developers.google.com",
        ] {
            assert!(!is_known_idp_host(h), "{h}");
        }
    }
}
