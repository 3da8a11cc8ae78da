//! Azure AD B2C's own error page: shown on `*.b2clogin.com` (or a custom
//! domain serving a `B2C_1…` policy) when B2C cannot send the user back to
//! the app — an unregistered redirect URI (AADB2C90006), a policy that does
//! not exist (AADB2C90035) — with the `AADB2C` code, a correlation ID and
//! a timestamp in its text. Recognised only on such a host or path and
//! with a code present; the code's meaning comes from
//! [`crate::decode::entra::b2c`].

use super::generic::GenericDetails;
use super::{Idp, IdpDetails, IdpErrorPage, Page};
use crate::decode::entra::b2c;

/// Whether the host / path is Azure AD B2C's.
pub fn is_b2c(host: Option<&str>, path: Option<&str>) -> bool {
    let host = host.unwrap_or_default().to_ascii_lowercase();
    let b2c_host = [".b2clogin.com", ".b2clogin.cn", ".b2clogin.us"]
        .iter()
        .any(|s| host.ends_with(s));
    let b2c_path = path.is_some_and(|p| {
        let p = p.to_ascii_lowercase();
        p.contains("/b2c_1") || p.starts_with("/tfp/")
    });
    b2c_host || b2c_path
}

pub fn decode(page: &Page<'_>, host: Option<&str>) -> Option<IdpErrorPage> {
    if !is_b2c(host, page.path) {
        return None;
    }
    let code = *b2c::find_codes(page.text).first()?;
    let line = page
        .text
        .lines()
        .map(str::trim)
        .find(|l| crate::codec::html::contains_ci(l, &format!("AADB2C{code}")))
        .map(|l| l.chars().take(400).collect::<String>());
    let row = b2c::lookup(code);
    Some(IdpErrorPage {
        idp: Idp::B2c,
        host: host.map(str::to_owned),
        title: page.title(),
        error: Some(format!("AADB2C{code}")),
        description: line.or_else(|| row.map(|r| r.2.to_owned())),
        category: row.map_or("idp_error", |r| r.1),
        details: IdpDetails::Generic(GenericDetails {
            product: Some("azure_ad_b2c"),
            evidence: vec![format!("AADB2C{code} on a B2C page")],
        }),
    })
}
