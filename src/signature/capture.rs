//! Trust material the capture itself fetched: SAML / WS-Federation metadata
//! (`…/FederationMetadata.xml`, `…/metadata`) and JWKS documents
//! (`…/discovery/keys`, `…/jwks`, Google's `…/certs`) — SPA / MSAL flows
//! fetch them during sign-in. Only responses whose URL names such a
//! document are decoded, so a capture full of other traffic costs nothing.

use super::trust::{self, TrustedKey};
use crate::capture::{Capture, Limits};

/// URL path words that name a metadata or key document.
const HINTS: &[&str] = &["metadata", "jwks", "/keys", "/certs", "/key"];

/// Keys from every metadata / JWKS response in the capture, each labelled
/// with its entry (`#12 (https://…/keys)`).
pub fn material(capture: &Capture<'_>, limits: &Limits, jwks_uris: &[String]) -> Vec<TrustedKey> {
    let mut out = Vec::new();
    for e in &capture.exchanges {
        let url = e.request.url.as_ref();
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .to_ascii_lowercase();
        let named = jwks_uris.iter().any(|u| url.starts_with(u.as_str()));
        if !named && !HINTS.iter().any(|h| path.contains(h)) {
            continue;
        }
        let Some(body) = e
            .response
            .as_ref()
            .filter(|r| r.status == 200)
            .and_then(|r| r.body.as_ref())
        else {
            continue;
        };
        let Ok(bytes) = body.decoded(limits) else {
            continue;
        };
        let source = format!("#{} ({})", e.index, url.split('?').next().unwrap_or(url));
        if let Ok(m) = trust::parse_material(&source, &bytes) {
            out.extend(m.keys);
        }
    }
    out
}
