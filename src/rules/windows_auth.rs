//! Rule `windows-auth-failed`: Windows integrated authentication (HTTP
//! Negotiate / NTLM, RFC 4559; MS-NLMP) that never got past its challenge.
//!
//! The server answers `401` with `WWW-Authenticate: Negotiate` and / or
//! `NTLM`; the browser retries with `Authorization: Negotiate <token>`. The
//! token says which mechanism the browser used: a raw NTLMSSP message
//! (base64 `TlRMTVNT`, "NTLMSSP\0", MS-NLMP §2.2) or an SPNEGO NegTokenInit
//! (RFC 4178) listing the NTLMSSP OID 1.3.6.1.4.1.311.2.2.10 first means
//! Kerberos failed (no ticket for the service's SPN: wrong SPN, no line of
//! sight to a domain controller, or the site not in the intranet zone); the
//! Kerberos OIDs (1.2.840.113554.1.2.2, 1.2.840.48018.1.2.2) mean a ticket
//! was offered. The same URL answering 401 again and again — the AD FS
//! `/adfs/ls/wia` endpoint especially — means the browser could not
//! authenticate at all.

use crate::capture::{Exchange, Headers};
use crate::codec::base64::decode_wrapped;
use crate::flow::Context;
use crate::rules::{Category, Finding};

declare_rule! {
    /// ## What it means
    /// The server asked for Windows integrated authentication (`401` with
    /// `WWW-Authenticate: Negotiate` / `NTLM`) and kept refusing: the same
    /// URL answered 401 several times (at AD FS, `/adfs/ls/wia`), and the
    /// browser's `Authorization` tokens show which mechanism it tried —
    /// NTLM inside Negotiate means Kerberos failed; no token at all means
    /// the browser would not even try.
    /// ## Why it matters
    /// The user never reaches the IdP's answer: the browser cannot prove who
    /// the Windows user is. It is a client / domain configuration problem,
    /// not an app or federation one.
    /// ## How to fix
    /// Put the IdP's URL in the Local intranet zone (or Chrome / Edge
    /// `AuthServerAllowlist`); check the service's SPN (`setspn -Q
    /// HTTP/sts.contoso.com` — registered once, on the AD FS service
    /// account) and that the client can reach a domain controller; for AD FS
    /// make sure the browser's user agent is in `WIASupportedUserAgents`, or
    /// let it fall back to forms sign-in.
    pub static WINDOWS_AUTH_FAILED = {
        code: "windows-auth-failed",
        category: Credentials,
        severity: Error,
        title: "Windows integrated authentication failed",
        check: windows_auth_failed,
    };
}

/// The mechanism a Negotiate / NTLM `Authorization` token carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Kerberos,
    Ntlm,
    Unknown,
}

impl Mechanism {
    fn as_str(self) -> &'static str {
        match self {
            Mechanism::Kerberos => "kerberos",
            Mechanism::Ntlm => "ntlm",
            Mechanism::Unknown => "unknown",
        }
    }
}

/// DER of the NTLMSSP mechanism OID 1.3.6.1.4.1.311.2.2.10.
const OID_NTLMSSP: &[u8] = &[
    0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a,
];
/// DER of the Kerberos V5 OID 1.2.840.113554.1.2.2.
const OID_KRB5: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
];
/// DER of Microsoft's legacy Kerberos OID 1.2.840.48018.1.2.2.
const OID_MS_KRB5: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02,
];

/// The mechanism of an `Authorization: Negotiate|NTLM <token>` value.
pub fn mechanism(authorization: &str) -> Option<Mechanism> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("negotiate") && !scheme.eq_ignore_ascii_case("ntlm") {
        return None;
    }
    let bytes = decode_wrapped(token.trim()).ok()?;
    if bytes.starts_with(b"NTLMSSP\0") {
        return Some(Mechanism::Ntlm);
    }
    // SPNEGO NegTokenInit: the first mechanism listed is the one whose
    // token is sent.
    let first = [OID_NTLMSSP, OID_KRB5, OID_MS_KRB5]
        .into_iter()
        .filter_map(|oid| find(&bytes, oid).map(|at| (at, oid)))
        .min_by_key(|(at, _)| *at);
    Some(match first {
        Some((_, oid)) if oid == OID_NTLMSSP => Mechanism::Ntlm,
        Some(_) => Mechanism::Kerberos,
        None => Mechanism::Unknown,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The schemes a 401 offers (`Negotiate`, `NTLM`), when it asks for
/// Windows integrated authentication.
fn wia_challenge(e: &Exchange<'_>) -> Option<Vec<String>> {
    let r = e.response.as_ref()?;
    if r.status != 401 {
        return None;
    }
    let schemes: Vec<String> = r
        .headers_named("www-authenticate")
        .filter_map(|v| v.split_whitespace().next())
        .map(|s| s.trim_end_matches(',').to_owned())
        .filter(|s| s.eq_ignore_ascii_case("negotiate") || s.eq_ignore_ascii_case("ntlm"))
        .collect();
    (!schemes.is_empty()).then_some(schemes)
}

fn url_key(e: &Exchange<'_>) -> String {
    e.request
        .parsed_url
        .as_ref()
        .map(|u| format!("{}{}", u.host_str().unwrap_or_default(), u.path()))
        .unwrap_or_else(|| e.request.url.to_string())
        .to_ascii_lowercase()
}

pub fn windows_auth_failed(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let exchanges = ctx.exchanges();
    let mut done: Vec<String> = Vec::new();
    for (i, first) in exchanges.iter().enumerate() {
        let Some(schemes) = wia_challenge(first) else {
            continue;
        };
        let key = url_key(first);
        if done.contains(&key) {
            continue;
        }
        done.push(key.clone());
        let same: Vec<&Exchange<'_>> = exchanges
            .iter()
            .skip(i)
            .filter(|e| url_key(e) == key)
            .collect();
        // Authenticated in the end: the same URL answered something else.
        if same
            .iter()
            .any(|e| e.response.as_ref().is_some_and(|r| r.status != 401))
        {
            continue;
        }
        let challenges = same.len();
        let is_wia_endpoint = key.contains("/adfs/ls/wia");
        if challenges < 3 && !(is_wia_endpoint && challenges >= 2) {
            continue;
        }
        let tokens: Vec<Mechanism> = same
            .iter()
            .filter_map(|e| e.request.header("authorization"))
            .filter_map(mechanism)
            .collect();
        let Some(last) = same.last() else {
            continue;
        };
        let why = if tokens.contains(&Mechanism::Ntlm) {
            "the browser answered with NTLM inside Negotiate, so Kerberos failed (no ticket for the service's SPN), and the server refused the NTLM answer too"
        } else if tokens.contains(&Mechanism::Kerberos) {
            "the browser offered a Kerberos ticket and the server refused it (SPN registered on another account, or the ticket's encryption type is not accepted)"
        } else {
            "the browser never answered the challenge with a token: the site is not trusted for integrated authentication (not in the Local intranet zone / AuthServerAllowlist) or the machine is not signed in to the domain"
        };
        let mut f = Finding::new(
            &WINDOWS_AUTH_FAILED,
            Some(last.index),
            format!(
                "{} answered 401 `WWW-Authenticate: {}` {challenges} times (#{}–#{}): {why}.",
                key,
                schemes.join(", "),
                first.index,
                last.index
            ),
        )
        .category(
            Category::Credentials,
            Some("windows_integrated_auth".to_owned()),
        )
        .evidence("challenges", challenges)
        .evidence("schemes", schemes)
        .evidence(
            "tokens",
            tokens.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        );
        if is_wia_endpoint {
            f = f.evidence("adfs_wia", true);
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_ntlmssp_is_ntlm() {
        // "NTLMSSP\0" + type 1.
        assert_eq!(
            mechanism("Negotiate TlRMTVNTUAABAAAAl4II4gAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw=="),
            Some(Mechanism::Ntlm)
        );
    }

    #[test]
    fn spnego_lists_its_first_mechanism() {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut krb = vec![0x60, 0x30, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
        krb.extend_from_slice(OID_MS_KRB5);
        krb.extend_from_slice(OID_NTLMSSP);
        let token = format!("Negotiate {}", b64.encode(&krb));
        assert_eq!(mechanism(&token), Some(Mechanism::Kerberos));
        let mut ntlm = vec![0x60, 0x30];
        ntlm.extend_from_slice(OID_NTLMSSP);
        let token = format!("Negotiate {}", b64.encode(&ntlm));
        assert_eq!(mechanism(&token), Some(Mechanism::Ntlm));
        assert_eq!(mechanism("Bearer abc"), None);
    }
}
