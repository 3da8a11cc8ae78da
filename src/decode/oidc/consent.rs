//! Consent: what a message says about the consent step, so diagnosis can
//! tell "consent prompt forced / shown and accepted / declined / admin
//! consent required".
//!
//! Sources (error-surfaces.md §(e)): `prompt=consent` forces the consent
//! dialog (OIDC Core §3.1.2.1); Entra v1 used `prompt=admin_consent`; the
//! v2 admin consent endpoint `/{tenant}/v2.0/adminconsent` answers
//! `admin_consent=True&tenant=…&scope=…` on success and the same plus
//! `error=…` on failure; accepting Entra's consent page POSTs
//! `/common/Consent/Set` with `acceptConsent=true|false`, `ctx`,
//! `flowToken`, `canary`, `hpgrequestid`. Google reports `prompt=consent` in
//! its authorization *response* when its consent screen was shown.
//!
//! AADSTS codes: 65001 (no grant yet), 65004 (user declined), 90094 /
//! 90095 (admin consent required / approval requested), 650052 (the API's
//! service is not in the organisation), 65005 / 650056 / 650057 (the
//! permission is not configured on the app registration), and 65002, 90008,
//! 90099, 52004, 9002341, 50150 (other missing-grant cases).

use serde::Serialize;

use super::endpoint::IdpEndpoint;
use super::params::Params;
use super::values::ErrorCode;
use crate::secret::Secret;

/// What a message says about consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSignal {
    /// `prompt=consent` on an authorization request: the dialog is forced.
    PromptForced,
    /// An admin consent request (`/adminconsent` endpoint or
    /// `prompt=admin_consent`).
    AdminConsentRequested,
    /// The user accepted (Entra `Consent/Set` with `acceptConsent=true`,
    /// Google's response `prompt=consent`).
    Accepted,
    /// The user declined (`acceptConsent=false`, AADSTS65004,
    /// `access_denied` on an admin consent response).
    Declined,
    /// Admin consent granted (`admin_consent=True` without an error).
    AdminConsentGranted,
    /// Consent needed and not given (`consent_required`, AADSTS65001, …).
    Required,
    /// Only an administrator can consent (AADSTS90094, 90095).
    AdminConsentRequired,
    /// The admin consent endpoint returned an error other than a refusal.
    AdminConsentFailed,
    /// A requested permission is not configured on the app registration
    /// (AADSTS65005, 650056, 650057).
    PermissionsNotConfigured,
    /// The API's service principal is missing or disabled in the tenant
    /// (AADSTS650052).
    ResourceNotInTenant,
}

impl ConsentSignal {
    /// One sentence for text output.
    pub fn describe(self) -> &'static str {
        match self {
            Self::PromptForced => "consent prompt forced (prompt=consent)",
            Self::AdminConsentRequested => "admin consent requested",
            Self::Accepted => "consent accepted",
            Self::Declined => "consent declined",
            Self::AdminConsentGranted => "admin consent granted",
            Self::Required => "consent required but not given",
            Self::AdminConsentRequired => "only an administrator can consent",
            Self::AdminConsentFailed => "admin consent failed",
            Self::PermissionsNotConfigured => {
                "a requested permission is not configured on the app registration"
            }
            Self::ResourceNotInTenant => "the requested API is not available in the tenant",
        }
    }
}

/// The consent meaning of an error, from its code and AADSTS numbers.
/// `interaction_required` alone is not consent (it is also MFA, CA, …):
/// only a consent AADSTS code makes it one.
pub fn from_error(error: &ErrorCode, aadsts: &[u32], admin_consent: bool) -> Option<ConsentSignal> {
    let has = |n: u32| aadsts.contains(&n);
    if has(65004) {
        return Some(ConsentSignal::Declined);
    }
    if admin_consent {
        return Some(if *error == ErrorCode::AccessDenied {
            ConsentSignal::Declined
        } else {
            ConsentSignal::AdminConsentFailed
        });
    }
    if has(90094) || has(90095) {
        return Some(ConsentSignal::AdminConsentRequired);
    }
    if has(650052) {
        return Some(ConsentSignal::ResourceNotInTenant);
    }
    if has(65005) || has(650056) || has(650057) {
        return Some(ConsentSignal::PermissionsNotConfigured);
    }
    if [65001, 65002, 90008, 90099, 52004, 9002341, 50150]
        .iter()
        .any(|n| has(*n))
        || *error == ErrorCode::ConsentRequired
    {
        return Some(ConsentSignal::Required);
    }
    None
}

/// The POST of Entra's consent page to `/common/Consent/Set` (kind
/// `consent`).
#[derive(Debug, Clone, Serialize)]
pub struct ConsentSubmission {
    /// The endpoint it was posted to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<IdpEndpoint>,
    /// `acceptConsent`: true = Accept, false = Cancel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<bool>,
    /// Accepted / Declined, when `acceptConsent` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentSignal>,
    /// `hpgrequestid`: the request ID of the consent page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpgrequestid: Option<String>,
    /// `flowToken` (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<Secret<String>>,
    /// All fields, in order (secrets masked).
    pub params: Params,
}

impl ConsentSubmission {
    /// Builds from the form fields.
    pub fn from_params(endpoint: Option<IdpEndpoint>, params: Params) -> Self {
        let accepted = params.get_nonempty("acceptConsent").and_then(|v| {
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Some(true),
                "false" | "0" | "no" | "off" => Some(false),
                _ => None,
            }
        });
        Self {
            endpoint,
            accepted,
            consent: accepted.map(|a| {
                if a {
                    ConsentSignal::Accepted
                } else {
                    ConsentSignal::Declined
                }
            }),
            hpgrequestid: params.string("hpgrequestid"),
            flow_token: params.secret("flowToken"),
            params,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_consent_errors() {
        let cases: &[(&str, &[u32], bool, Option<ConsentSignal>)] = &[
            (
                "access_denied",
                &[65004],
                false,
                Some(ConsentSignal::Declined),
            ),
            (
                "consent_required",
                &[],
                false,
                Some(ConsentSignal::Required),
            ),
            (
                "interaction_required",
                &[65001],
                false,
                Some(ConsentSignal::Required),
            ),
            (
                "invalid_grant",
                &[65001],
                false,
                Some(ConsentSignal::Required),
            ),
            ("interaction_required", &[50076], false, None),
            (
                "invalid_client",
                &[650052],
                false,
                Some(ConsentSignal::ResourceNotInTenant),
            ),
            (
                "invalid_request",
                &[650057],
                false,
                Some(ConsentSignal::PermissionsNotConfigured),
            ),
            (
                "access_denied",
                &[90094],
                false,
                Some(ConsentSignal::AdminConsentRequired),
            ),
            (
                "consent_required",
                &[65004],
                true,
                Some(ConsentSignal::Declined),
            ),
            ("access_denied", &[], true, Some(ConsentSignal::Declined)),
            (
                "consent_required",
                &[],
                true,
                Some(ConsentSignal::AdminConsentFailed),
            ),
            ("access_denied", &[], false, None),
        ];
        for (error, codes, admin, expected) in cases {
            assert_eq!(
                from_error(&ErrorCode::parse(error), codes, *admin),
                *expected,
                "{error} {codes:?} {admin}"
            );
        }
    }

    #[test]
    fn reads_consent_set_form() {
        let p = Params::parse(
            "acceptConsent=false&ctx=rQIIAX&flowToken=AQABAAEAAAD&canary=xyz&hpgrequestid=6e1a",
        );
        let c = ConsentSubmission::from_params(None, p);
        assert_eq!(c.accepted, Some(false));
        assert_eq!(c.consent, Some(ConsentSignal::Declined));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["flow_token"], "‹redacted 11 chars›");
        assert_eq!(json["params"]["canary"], "‹redacted 3 chars›");
        assert_eq!(json["hpgrequestid"], "6e1a");
    }
}
