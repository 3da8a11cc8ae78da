//! Recognising identity-provider endpoints from a URL: which IdP, which
//! protocol endpoint (authorize, token, logout, admin consent, Entra's
//! consent form), and for Entra ID the cloud, tenant, endpoint version and
//! B2C policy.
//!
//! Only paths are trusted for the endpoint role; hosts only name the IdP.
//! Path segments are compared ASCII case-insensitively (Entra accepts
//! `/Common/OAuth2/Authorize`), values (tenant, policy) are kept as sent.
//!
//! Entra endpoint shapes (Microsoft identity platform docs, "OAuth 2.0
//! authorization code flow", "Admin consent", "Azure AD B2C user flows"):
//! `/{tenant}/oauth2/v2.0/{authorize|token|logout|devicecode}` (v2),
//! `/{tenant}/oauth2/{authorize|token|logout}` (v1),
//! `/{tenant}/v2.0/adminconsent`, `/{tenant}/adminconsent`,
//! `/common/Consent/Set` (the consent page's POST),
//! B2C `/{tenant}/{policy}/oauth2/v2.0/…` or `/tfp/{tenant}/{policy}/…`.

use serde::Serialize;
use url::Url;

/// Which identity provider family a host or path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Idp {
    /// Microsoft Entra ID (Azure AD), work and school accounts.
    EntraId,
    /// Azure AD B2C (`*.b2clogin.com`, or a `B2C_1…` policy in the path).
    EntraB2c,
    /// Microsoft Entra External ID (`*.ciamlogin.com`).
    EntraExternalId,
    /// Microsoft personal accounts (`login.live.com`).
    MicrosoftAccount,
    /// Active Directory Federation Services (`/adfs/…`).
    Adfs,
    /// Google (`accounts.google.com`, `oauth2.googleapis.com`).
    Google,
    /// Okta (`*.okta.com`, `*.oktapreview.com`, `*.okta-emea.com`).
    Okta,
    /// Keycloak (`/realms/{realm}/protocol/openid-connect/…`).
    Keycloak,
    /// Duende / IdentityServer (`/connect/…`).
    IdentityServer,
    /// Anything else.
    Other,
}

impl Idp {
    /// A human name.
    pub fn name(self) -> &'static str {
        match self {
            Self::EntraId => "Entra ID",
            Self::EntraB2c => "Azure AD B2C",
            Self::EntraExternalId => "Entra External ID",
            Self::MicrosoftAccount => "Microsoft account",
            Self::Adfs => "AD FS",
            Self::Google => "Google",
            Self::Okta => "Okta",
            Self::Keycloak => "Keycloak",
            Self::IdentityServer => "IdentityServer",
            Self::Other => "OAuth / OIDC provider",
        }
    }

    fn is_entra_family(self) -> bool {
        matches!(self, Self::EntraId | Self::EntraB2c | Self::EntraExternalId)
    }
}

/// Entra ID national clouds, from the login host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntraCloud {
    /// login.microsoftonline.com (also login.windows.net, login.microsoft.com).
    Global,
    /// login.microsoftonline.us (Azure Government).
    UsGovernment,
    /// login.chinacloudapi.cn / login.partner.microsoftonline.cn (21Vianet).
    China,
    /// login.microsoftonline.de (retired Azure Germany).
    Germany,
}

/// What the tenant segment of an Entra path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// A directory (tenant) ID GUID.
    Guid,
    /// A verified domain, e.g. contoso.onmicrosoft.com.
    Domain,
    /// `common`: any work/school or personal account.
    Common,
    /// `organizations`: any work/school account.
    Organizations,
    /// `consumers`: personal Microsoft accounts only.
    Consumers,
    /// Something else.
    Other,
}

/// An Entra tenant as named in a URL path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    /// As sent.
    pub value: String,
    /// GUID, domain, common, …
    pub kind: TenantKind,
}

impl Tenant {
    /// Classifies a tenant path segment.
    pub fn parse(value: &str) -> Self {
        let kind = match value.to_ascii_lowercase().as_str() {
            "common" => TenantKind::Common,
            "organizations" => TenantKind::Organizations,
            "consumers" => TenantKind::Consumers,
            v if is_guid(v) => TenantKind::Guid,
            v if v.contains('.') => TenantKind::Domain,
            _ => TenantKind::Other,
        };
        Self {
            value: value.to_owned(),
            kind,
        }
    }
}

/// Entra endpoint version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointVersion {
    /// `/oauth2/…`: Azure AD v1 (ADAL era, `resource` parameter).
    V1,
    /// `/oauth2/v2.0/…`: Microsoft identity platform (MSAL, `scope`).
    V2,
}

/// What the endpoint does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointRole {
    /// Authorization endpoint (RFC 6749 §3.1).
    Authorize,
    /// Token endpoint (RFC 6749 §3.2).
    Token,
    /// End-session / logout endpoint (OIDC RP-Initiated Logout).
    Logout,
    /// Entra admin consent endpoint (`/{tenant}/v2.0/adminconsent`).
    AdminConsent,
    /// Entra consent page's form POST (`/common/Consent/Set`).
    ConsentSet,
    /// Device authorization endpoint (RFC 8628).
    DeviceCode,
}

/// A recognised identity-provider endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpEndpoint {
    /// `scheme://host/path`, without query or fragment.
    pub url: String,
    /// Host name.
    pub host: String,
    /// IdP family.
    pub idp: Idp,
    /// Endpoint role.
    pub role: EndpointRole,
    /// Entra national cloud.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud: Option<EntraCloud>,
    /// Entra tenant from the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Tenant>,
    /// Entra endpoint version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<EndpointVersion>,
    /// Azure AD B2C policy (user flow / custom policy), from path or `p=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Keycloak realm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realm: Option<String>,
    /// Okta custom authorization server ID (`default`, `aus…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_server: Option<String>,
}

impl IdpEndpoint {
    /// A one-line description: `Entra ID v2 · global cloud · tenant contoso.com (domain)`.
    pub fn describe(&self) -> String {
        let mut name = self.idp.name().to_owned();
        match self.version {
            Some(EndpointVersion::V1) => name.push_str(" v1"),
            Some(EndpointVersion::V2) => name.push_str(" v2"),
            None => {}
        }
        let mut parts = vec![name];
        if let Some(cloud) = self.cloud {
            parts.push(
                match cloud {
                    EntraCloud::Global => "global cloud",
                    EntraCloud::UsGovernment => "US Government cloud",
                    EntraCloud::China => "China cloud (21Vianet)",
                    EntraCloud::Germany => "Germany cloud (retired)",
                }
                .to_owned(),
            );
        }
        if let Some(t) = &self.tenant {
            let kind = match t.kind {
                TenantKind::Guid => "tenant ID",
                TenantKind::Domain => "domain",
                TenantKind::Common => "any account",
                TenantKind::Organizations => "any work or school account",
                TenantKind::Consumers => "personal accounts only",
                TenantKind::Other => "unrecognised",
            };
            parts.push(format!("tenant {} ({kind})", t.value));
        }
        if let Some(p) = &self.policy {
            parts.push(format!("policy {p}"));
        }
        if let Some(r) = &self.realm {
            parts.push(format!("realm {r}"));
        }
        if let Some(a) = &self.authorization_server {
            parts.push(format!("authorization server {a}"));
        }
        parts.join(" · ")
    }
}

/// Whether `s` is a GUID in 8-4-4-4-12 hex form.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The IdP family and Entra cloud a host belongs to.
pub fn idp_of_host(host: &str) -> (Idp, Option<EntraCloud>) {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    let ends = |suffix: &str| h == suffix || h.ends_with(&format!(".{suffix}"));
    match h.as_str() {
        "login.microsoftonline.com"
        | "login.windows.net"
        | "login.microsoft.com"
        | "sts.windows.net" => (Idp::EntraId, Some(EntraCloud::Global)),
        "login.microsoftonline.us" | "login.usgovcloudapi.net" => {
            (Idp::EntraId, Some(EntraCloud::UsGovernment))
        }
        "login.chinacloudapi.cn" | "login.partner.microsoftonline.cn" => {
            (Idp::EntraId, Some(EntraCloud::China))
        }
        "login.microsoftonline.de" => (Idp::EntraId, Some(EntraCloud::Germany)),
        "login.live.com" => (Idp::MicrosoftAccount, None),
        "accounts.google.com" | "oauth2.googleapis.com" | "www.googleapis.com" => {
            (Idp::Google, None)
        }
        _ if ends("b2clogin.com") || ends("b2clogin.cn") || ends("b2clogin.us") => {
            (Idp::EntraB2c, None)
        }
        _ if ends("ciamlogin.com") => (Idp::EntraExternalId, None),
        _ if ends("okta.com") || ends("oktapreview.com") || ends("okta-emea.com") => {
            (Idp::Okta, None)
        }
        _ => (Idp::Other, None),
    }
}

/// Recognises an IdP endpoint from a URL's path (and host). `None` when the
/// path is not a known protocol endpoint.
pub fn recognise(url: &Url) -> Option<IdpEndpoint> {
    let host = url.host_str()?.to_owned();
    let segs: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let (host_idp, cloud) = idp_of_host(&host);
    let m = match_path(&lower, host_idp)?;
    let mut ep = IdpEndpoint {
        url: format!("{}://{}{}", url.scheme(), host_port(url), url.path()),
        host,
        idp: host_idp,
        role: m.role,
        cloud,
        tenant: None,
        version: m.version,
        policy: None,
        realm: None,
        authorization_server: None,
    };
    // Segments before the protocol part: tenant, policy, realm, AS…
    let prefix: Vec<&str> = segs.get(..m.start).unwrap_or(&[]).to_vec();
    let prefix_lower: Vec<&str> = lower
        .get(..m.start)
        .unwrap_or(&[])
        .iter()
        .map(String::as_str)
        .collect();
    match m.flavour {
        Flavour::Keycloak => {
            ep.idp = Idp::Keycloak;
            if let Some(i) = prefix_lower.iter().rposition(|s| *s == "realms") {
                ep.realm = prefix.get(i + 1).map(|s| (*s).to_owned());
            }
        }
        Flavour::Adfs => ep.idp = Idp::Adfs,
        Flavour::Okta(server) => {
            if host_idp == Idp::Other {
                ep.idp = Idp::Okta;
            }
            ep.authorization_server = server.and_then(|i| segs.get(i)).map(|s| (*s).to_owned());
        }
        Flavour::Google => ep.idp = Idp::Google,
        Flavour::Msa => ep.idp = Idp::MicrosoftAccount,
        Flavour::IdentityServer => {
            if host_idp == Idp::Other {
                ep.idp = Idp::IdentityServer;
            }
        }
        Flavour::Entra => entra_prefix(&mut ep, &prefix, &prefix_lower),
        Flavour::Generic => {}
    }
    if !ep.idp.is_entra_family() && ep.idp != Idp::MicrosoftAccount {
        ep.version = None;
    }
    if ep.idp == Idp::EntraB2c && ep.policy.is_none() {
        ep.policy = url
            .query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("p"))
            .map(|(_, v)| v.into_owned());
    }
    Some(ep)
}

fn host_port(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    }
}

/// Tenant / policy from the segments before `oauth2` on an Entra-style path.
fn entra_prefix(ep: &mut IdpEndpoint, prefix: &[&str], lower: &[&str]) {
    let (tenant, policy) = match (prefix, lower.first()) {
        ([_, t, p], Some(&"tfp")) => (Some(*t), Some(*p)),
        ([t, p], _) => (Some(*t), Some(*p)),
        ([t], _) => (Some(*t), None),
        _ => (None, None),
    };
    let is_b2c_policy = policy.is_some_and(|p| p.to_ascii_lowercase().starts_with("b2c_1"));
    if ep.idp == Idp::Other && (is_b2c_policy || lower.first() == Some(&"tfp")) {
        ep.idp = Idp::EntraB2c;
    }
    if ep.idp == Idp::Other {
        // An `/oauth2/v2.0/…` path on an unknown host: a proxy or custom
        // domain in front of Entra. Keep the version, leave the IdP unknown.
        return;
    }
    ep.tenant = tenant.map(Tenant::parse);
    if ep.idp == Idp::EntraB2c {
        ep.policy = policy.map(str::to_owned);
    }
}

#[derive(Debug, Clone, Copy)]
enum Flavour {
    Entra,
    Adfs,
    Okta(Option<usize>),
    Google,
    Keycloak,
    Msa,
    IdentityServer,
    /// A bare `…/authorize` or `…/token` (Auth0 and many others): the IdP
    /// stays whatever the host says.
    Generic,
}

#[derive(Debug, Clone, Copy)]
struct PathMatch {
    role: EndpointRole,
    /// Index of the first protocol segment (everything before is prefix).
    start: usize,
    version: Option<EndpointVersion>,
    flavour: Flavour,
}

fn role_of(last: &str) -> Option<EndpointRole> {
    Some(match last {
        "authorize" => EndpointRole::Authorize,
        "token" => EndpointRole::Token,
        "logout" => EndpointRole::Logout,
        "devicecode" | "device_authorization" | "device" => EndpointRole::DeviceCode,
        _ => return None,
    })
}

fn match_path(segs: &[String], host_idp: Idp) -> Option<PathMatch> {
    let n = segs.len();
    let s = |i: usize| segs.get(i).map(String::as_str);
    let last = s(n.checked_sub(1)?)?;
    let at = |k: usize| n.checked_sub(k);
    let pm = |role, start, version, flavour| {
        Some(PathMatch {
            role,
            start,
            version,
            flavour,
        })
    };

    // Microsoft personal accounts.
    match last {
        "oauth20_authorize.srf" => return pm(EndpointRole::Authorize, n - 1, None, Flavour::Msa),
        "oauth20_token.srf" => return pm(EndpointRole::Token, n - 1, None, Flavour::Msa),
        "oauth20_logout.srf" => return pm(EndpointRole::Logout, n - 1, None, Flavour::Msa),
        _ => {}
    }
    // Keycloak: …/protocol/openid-connect/{auth|token|logout}
    if let Some(i) = at(3)
        && s(i) == Some("protocol")
        && s(i + 1) == Some("openid-connect")
    {
        let role = match last {
            "auth" => EndpointRole::Authorize,
            "token" => EndpointRole::Token,
            "logout" => EndpointRole::Logout,
            "device" => EndpointRole::DeviceCode,
            _ => return None,
        };
        return pm(role, i, None, Flavour::Keycloak);
    }
    // Google: /o/oauth2/v2/auth, /o/oauth2/auth, /o/oauth2/token, /oauth2/v4/token, oauth2.googleapis.com/token
    if segs.first().map(String::as_str) == Some("o") && s(1) == Some("oauth2") {
        let role = match last {
            "auth" => EndpointRole::Authorize,
            "token" => EndpointRole::Token,
            "revoke" => return None,
            _ => return None,
        };
        return pm(role, 0, None, Flavour::Google);
    }
    if host_idp == Idp::Google && last == "token" {
        return pm(EndpointRole::Token, 0, None, Flavour::Google);
    }
    // Entra consent page POST: /{tenant}/Consent/Set
    if last == "set" && at(2).and_then(s) == Some("consent") && host_idp.is_entra_family() {
        return pm(EndpointRole::ConsentSet, n - 2, None, Flavour::Entra);
    }
    // Entra admin consent: /{tenant}/v2.0/adminconsent, /{tenant}/adminconsent
    if last == "adminconsent" && host_idp.is_entra_family() {
        if at(2).and_then(s) == Some("v2.0") {
            return pm(
                EndpointRole::AdminConsent,
                n - 2,
                Some(EndpointVersion::V2),
                Flavour::Entra,
            );
        }
        return pm(
            EndpointRole::AdminConsent,
            n - 1,
            Some(EndpointVersion::V1),
            Flavour::Entra,
        );
    }
    // IdentityServer: /connect/{authorize|token|endsession|deviceauthorization}
    if at(2).and_then(s) == Some("connect") {
        let role = match last {
            "authorize" => EndpointRole::Authorize,
            "token" => EndpointRole::Token,
            "endsession" => EndpointRole::Logout,
            "deviceauthorization" => EndpointRole::DeviceCode,
            _ => return None,
        };
        return pm(role, n - 2, None, Flavour::IdentityServer);
    }
    let role = role_of(last)?;
    // Okta: /oauth2/v1/x, /oauth2/{server}/v1/x
    if at(2).and_then(s) == Some("v1") {
        if at(3).and_then(s) == Some("oauth2") {
            return pm(role, n - 3, None, Flavour::Okta(None));
        }
        if at(4).and_then(s) == Some("oauth2") {
            return pm(role, n - 4, None, Flavour::Okta(at(3)));
        }
    }
    // Entra v2: …/oauth2/v2.0/x
    if at(2).and_then(s) == Some("v2.0") && at(3).and_then(s) == Some("oauth2") {
        return pm(role, n - 3, Some(EndpointVersion::V2), Flavour::Entra);
    }
    // …/oauth2/x: Entra v1, or AD FS when under /adfs/
    if at(2).and_then(s) == Some("oauth2") {
        if at(3).and_then(s) == Some("adfs") {
            return pm(role, n - 3, None, Flavour::Adfs);
        }
        return pm(role, n - 2, Some(EndpointVersion::V1), Flavour::Entra);
    }
    match role {
        EndpointRole::Authorize | EndpointRole::Token => pm(role, n - 1, None, Flavour::Generic),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(url: &str) -> Option<IdpEndpoint> {
        recognise(&Url::parse(url).unwrap())
    }

    #[test]
    fn recognises_entra_endpoints_clouds_tenants_and_versions() {
        type Case<'a> = (
            &'a str,
            EndpointRole,
            Option<EntraCloud>,
            Option<(&'a str, TenantKind)>,
            Option<EndpointVersion>,
        );
        let cases: &[Case<'_>] = &[
            (
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
                EndpointRole::Authorize,
                Some(EntraCloud::Global),
                Some(("contoso.onmicrosoft.com", TenantKind::Domain)),
                Some(EndpointVersion::V2),
            ),
            (
                "https://login.microsoftonline.com/Common/OAuth2/Authorize",
                EndpointRole::Authorize,
                Some(EntraCloud::Global),
                Some(("Common", TenantKind::Common)),
                Some(EndpointVersion::V1),
            ),
            (
                "https://login.microsoftonline.us/organizations/oauth2/v2.0/token",
                EndpointRole::Token,
                Some(EntraCloud::UsGovernment),
                Some(("organizations", TenantKind::Organizations)),
                Some(EndpointVersion::V2),
            ),
            (
                "https://login.chinacloudapi.cn/consumers/oauth2/v2.0/logout",
                EndpointRole::Logout,
                Some(EntraCloud::China),
                Some(("consumers", TenantKind::Consumers)),
                Some(EndpointVersion::V2),
            ),
            (
                "https://login.partner.microsoftonline.cn/3338040d-6c67-4c5b-b112-36a304b66dad/oauth2/token",
                EndpointRole::Token,
                Some(EntraCloud::China),
                Some(("3338040d-6c67-4c5b-b112-36a304b66dad", TenantKind::Guid)),
                Some(EndpointVersion::V1),
            ),
            (
                "https://login.microsoftonline.com/contoso.com/v2.0/adminconsent",
                EndpointRole::AdminConsent,
                Some(EntraCloud::Global),
                Some(("contoso.com", TenantKind::Domain)),
                Some(EndpointVersion::V2),
            ),
            (
                "https://login.microsoftonline.com/contoso.com/adminconsent",
                EndpointRole::AdminConsent,
                Some(EntraCloud::Global),
                Some(("contoso.com", TenantKind::Domain)),
                Some(EndpointVersion::V1),
            ),
            (
                "https://login.microsoftonline.com/common/Consent/Set",
                EndpointRole::ConsentSet,
                Some(EntraCloud::Global),
                Some(("common", TenantKind::Common)),
                None,
            ),
            (
                "https://login.microsoftonline.com/oauth2/v2.0/authorize",
                EndpointRole::Authorize,
                Some(EntraCloud::Global),
                None,
                Some(EndpointVersion::V2),
            ),
        ];
        for (url, role, cloud, tenant, version) in cases {
            let e = ep(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(e.idp, Idp::EntraId, "{url}");
            assert_eq!(e.role, *role, "{url}");
            assert_eq!(e.cloud, *cloud, "{url}");
            assert_eq!(
                e.tenant.as_ref().map(|t| (t.value.as_str(), t.kind)),
                *tenant,
                "{url}"
            );
            assert_eq!(e.version, *version, "{url}");
        }
    }

    #[test]
    fn recognises_b2c_policy_in_path_tfp_or_query() {
        let a = ep("https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_signupsignin/oauth2/v2.0/authorize").unwrap();
        assert_eq!(a.idp, Idp::EntraB2c);
        assert_eq!(a.policy.as_deref(), Some("B2C_1_signupsignin"));
        assert_eq!(a.tenant.unwrap().value, "contosob2c.onmicrosoft.com");
        let b = ep("https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/oauth2/v2.0/authorize?p=B2C_1A_signin").unwrap();
        assert_eq!(b.policy.as_deref(), Some("B2C_1A_signin"));
        let c = ep(
            "https://login.contoso.com/tfp/contosob2c.onmicrosoft.com/B2C_1_susi/oauth2/v2.0/token",
        )
        .unwrap();
        assert_eq!(c.idp, Idp::EntraB2c);
        assert_eq!(c.role, EndpointRole::Token);
        assert_eq!(c.policy.as_deref(), Some("B2C_1_susi"));
    }

    #[test]
    fn recognises_other_providers() {
        let cases: &[(&str, Idp, EndpointRole)] = &[
            (
                "https://accounts.google.com/o/oauth2/v2/auth",
                Idp::Google,
                EndpointRole::Authorize,
            ),
            (
                "https://oauth2.googleapis.com/token",
                Idp::Google,
                EndpointRole::Token,
            ),
            (
                "https://dev-1.okta.com/oauth2/v1/authorize",
                Idp::Okta,
                EndpointRole::Authorize,
            ),
            (
                "https://dev-1.okta.com/oauth2/default/v1/token",
                Idp::Okta,
                EndpointRole::Token,
            ),
            (
                "https://id.example.com/oauth2/aus8/v1/logout",
                Idp::Okta,
                EndpointRole::Logout,
            ),
            (
                "https://sso.example.com/realms/acme/protocol/openid-connect/auth",
                Idp::Keycloak,
                EndpointRole::Authorize,
            ),
            (
                "https://sso.example.com/auth/realms/acme/protocol/openid-connect/logout",
                Idp::Keycloak,
                EndpointRole::Logout,
            ),
            (
                "https://fs.contoso.com/adfs/oauth2/authorize/",
                Idp::Adfs,
                EndpointRole::Authorize,
            ),
            (
                "https://login.live.com/oauth20_authorize.srf",
                Idp::MicrosoftAccount,
                EndpointRole::Authorize,
            ),
            (
                "https://demo.duendesoftware.com/connect/endsession",
                Idp::IdentityServer,
                EndpointRole::Logout,
            ),
        ];
        for (url, idp, role) in cases {
            let e = ep(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!((e.idp, e.role), (*idp, *role), "{url}");
        }
        let okta = ep("https://dev-1.okta.com/oauth2/default/v1/token").unwrap();
        assert_eq!(okta.authorization_server.as_deref(), Some("default"));
        assert_eq!(okta.version, None);
        let kc =
            ep("https://sso.example.com/auth/realms/acme/protocol/openid-connect/auth").unwrap();
        assert_eq!(kc.realm.as_deref(), Some("acme"));
    }

    #[test]
    fn ignores_ordinary_paths() {
        for url in [
            "https://www.example.com/",
            "https://www.example.com/search?q=authorize",
            "https://www.example.com/api/token/list",
            "https://www.example.com/o/oauth2/revoke",
            "https://login.microsoftonline.com/common/login",
            "https://www.example.com/consent/set",
        ] {
            assert!(ep(url).is_none(), "{url}");
        }
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("3338040d-6c67-4c5b-b112-36a304b66dad"));
        assert!(!is_guid("3338040d-6c67-4c5b-b112-36a304b66daZ"));
        assert!(!is_guid("3338040d6c674c5bb11236a304b66dad"));
    }
}
