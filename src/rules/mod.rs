//! Diagnosis rules: one file per rule, each declared with [`declare_rule!`]
//! (code, category, severity, title, and a What / Why / How-to-fix doc that
//! `trace-inspect explain CODE` prints), and a registry ([`RULES`]) that the
//! analysis runs in order.
//!
//! Rules borrow the [`Context`] (capture, decoded messages, sign-in
//! attempts) and push [`Finding`]s; they do no I/O and never fail: what they
//! cannot judge they leave alone.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::flow::Context;

/// The words `findings[].category` and `verdict.category` use (a contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Ok,
    CaptureQuality,
    RedirectMismatch,
    Consent,
    ResponseRejected,
    AudienceMismatch,
    DestinationMismatch,
    ClockSkew,
    InResponseToMismatch,
    Signature,
    CookieDropped,
    WebviewBlocked,
    RedirectLoop,
    IdpError,
    ServerError,
    Discovery,
    Incomplete,
    Encryption,
    RelayState,
    Replay,
    Mfa,
    Credentials,
}

impl Category {
    pub const ALL: [Category; 22] = [
        Category::Ok,
        Category::CaptureQuality,
        Category::RedirectMismatch,
        Category::Consent,
        Category::ResponseRejected,
        Category::AudienceMismatch,
        Category::DestinationMismatch,
        Category::ClockSkew,
        Category::InResponseToMismatch,
        Category::Signature,
        Category::CookieDropped,
        Category::WebviewBlocked,
        Category::RedirectLoop,
        Category::IdpError,
        Category::ServerError,
        Category::Discovery,
        Category::Incomplete,
        Category::Encryption,
        Category::RelayState,
        Category::Replay,
        Category::Mfa,
        Category::Credentials,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ok => "ok",
            Category::CaptureQuality => "capture_quality",
            Category::RedirectMismatch => "redirect_mismatch",
            Category::Consent => "consent",
            Category::ResponseRejected => "response_rejected",
            Category::AudienceMismatch => "audience_mismatch",
            Category::DestinationMismatch => "destination_mismatch",
            Category::ClockSkew => "clock_skew",
            Category::InResponseToMismatch => "in_response_to_mismatch",
            Category::Signature => "signature",
            Category::CookieDropped => "cookie_dropped",
            Category::WebviewBlocked => "webview_blocked",
            Category::RedirectLoop => "redirect_loop",
            Category::IdpError => "idp_error",
            Category::ServerError => "server_error",
            Category::Discovery => "discovery",
            Category::Incomplete => "incomplete",
            Category::Encryption => "encryption",
            Category::RelayState => "relay_state",
            Category::Replay => "replay",
            Category::Mfa => "mfa",
            Category::Credentials => "credentials",
        }
    }

    /// Root-cause precedence: the position in [`ROOT_CAUSE_ORDER`] (lower
    /// explains higher).
    pub fn precedence(self) -> u8 {
        ROOT_CAUSE_ORDER
            .iter()
            .position(|c| *c == self)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(u8::MAX)
    }
}

/// Which cause explains which: the one table the verdict reads when several
/// error findings compete (among equals the earliest entry wins). Causes
/// come before the symptoms they produce:
///
/// - the capture itself first — when it cannot show the flow, nothing it
///   shows can be trusted as the cause;
/// - what the IdP refused (embedded browser, redirect URI, consent, an IdP
///   error) before what the app then did: an IdP that refused the request
///   explains why the app never signed in;
/// - what the browser lost (a dropped cookie) before the checks the app
///   then failed on (InResponseTo / state, Destination, Audience, times,
///   signature): a SameSite-dropped cookie that makes the app answer 400 is
///   `cookie_dropped`, not `response_rejected`;
/// - the bare symptoms last: a loop, a rejection with no visible cause, a
///   5xx with no better explanation;
/// - a sign-in the capture shows no end of (`incomplete`) only when nothing
///   else explains it.
///
/// `discovery` (the app could not even fetch the IdP's metadata) sits with
/// the IdP's refusals: nothing after it can have worked.
///
/// The newer words sit where their cause sits: `credentials` and `mfa` are
/// IdP refusals more specific than a bare `idp_error` (the user's password
/// or a second factor / Conditional Access stopped the sign-in), so they
/// come just before it; `replay` comes before `cookie_dropped` and the
/// InResponseTo / state checks, because a re-posted, already used answer is
/// what makes the app say "InResponseTo is not valid" or `invalid_grant`
/// (and its missing correlation cookie was consumed by the first delivery);
/// `relay_state` is a sign-in that worked but lost the deep link, so it
/// ranks below every check that explains a refusal, above the bare symptoms.
pub const ROOT_CAUSE_ORDER: [Category; 22] = [
    Category::CaptureQuality,
    Category::WebviewBlocked,
    Category::RedirectMismatch,
    Category::Consent,
    Category::Credentials,
    Category::Mfa,
    Category::Discovery,
    Category::IdpError,
    Category::Replay,
    Category::CookieDropped,
    Category::InResponseToMismatch,
    Category::DestinationMismatch,
    Category::AudienceMismatch,
    Category::ClockSkew,
    Category::Signature,
    // An assertion encrypted for a key the app does not hold: like a
    // signature problem, the app cannot read what the IdP sent.
    Category::Encryption,
    Category::RelayState,
    Category::RedirectLoop,
    Category::ResponseRejected,
    Category::ServerError,
    Category::Incomplete,
    Category::Ok,
];

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which part of the session a finding belongs to: the interactive
/// sign-in, a sign-out, or a token refresh / background token request
/// (`grant_type=refresh_token`, RFC 6749 §6). The verdict reads it to say
/// "Token refresh failed" instead of "Sign-in failed".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    SignIn,
    SignOut,
    TokenRefresh,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::SignIn => "sign_in",
            Phase::SignOut => "sign_out",
            Phase::TokenRefresh => "token_refresh",
        }
    }
}

/// A rule's fixed description, from its declaration.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub title: &'static str,
    /// What / Why / How-to-fix, from the rule's doc comment.
    pub doc: &'static str,
    /// The check itself.
    pub check: Check,
}

/// Declares a rule with its check function; its doc comment is its
/// explanation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $name:ident = {
            code: $code:literal,
            category: $cat:ident,
            severity: $sev:ident,
            title: $title:literal,
            check: $check:path $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $name: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            code: $code,
            category: $crate::rules::Category::$cat,
            severity: $crate::rules::Severity::$sev,
            title: $title,
            doc: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// One thing a rule found in this capture.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub category: Category,
    /// For `idp_error`: the AADSTS / IdP sub-category (`conditional_access`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    pub severity: Severity,
    /// The exchange the finding points at.
    pub entry: Option<u32>,
    /// The sign-in attempt (1-based) it belongs to, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<usize>,
    /// The phase it belongs to, when a rule knows it is not the sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    pub title: String,
    /// Free text that may quote a URL: serialized through [`crate::secret::shown`].
    #[serde(serialize_with = "crate::secret::serialize_shown")]
    pub message: String,
    /// Facts compared, as `name → value` (sorted for stable output). Rules
    /// quote URLs here (a loop's cycle, a redirect target): every string is
    /// serialized through [`crate::secret::shown`].
    #[serde(serialize_with = "serialize_evidence")]
    pub evidence: BTreeMap<String, serde_json::Value>,
    /// IDs to search the IdP's logs with.
    pub ids: BTreeMap<String, String>,
    pub fix: String,
}

/// Evidence as it may be shown: every string inside masked by
/// [`crate::secret::shown`], the structure kept.
pub fn shown_evidence(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(crate::secret::shown(s).into_owned()),
        Value::Array(items) => Value::Array(items.iter().map(shown_evidence).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), shown_evidence(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn serialize_evidence<S: serde::Serializer>(
    evidence: &BTreeMap<String, serde_json::Value>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(evidence.len()))?;
    for (k, v) in evidence {
        map.serialize_entry(k, &shown_evidence(v))?;
    }
    map.end()
}

impl Finding {
    /// A finding with the rule's category, severity and title.
    pub fn new(rule: &'static RuleInfo, entry: Option<u32>, message: impl Into<String>) -> Self {
        Finding {
            code: rule.code,
            category: rule.category,
            subcategory: None,
            severity: rule.severity,
            entry,
            attempt: None,
            phase: None,
            title: rule.title.to_owned(),
            message: message.into(),
            evidence: BTreeMap::new(),
            ids: BTreeMap::new(),
            fix: fix_section(rule.doc),
        }
    }

    pub fn evidence(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.evidence.insert(key.to_owned(), value.into());
        self
    }

    pub fn id(mut self, key: &str, value: impl Into<String>) -> Self {
        self.ids.insert(key.to_owned(), value.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn phase(mut self, phase: Phase) -> Self {
        self.phase = Some(phase);
        self
    }

    pub fn category(mut self, category: Category, subcategory: Option<String>) -> Self {
        self.category = category;
        self.subcategory = subcategory;
        self
    }
}

/// The "How to fix" paragraph of a rule doc, joined into one line.
pub fn fix_section(doc: &str) -> String {
    section(doc, "How to fix")
}

/// A `## Heading` section of a rule doc, as one paragraph.
pub fn section(doc: &str, heading: &str) -> String {
    let mut lines = doc.lines().skip_while(|l| {
        !l.trim_start()
            .trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case(heading)
    });
    lines.next();
    lines
        .take_while(|l| !l.trim_start().starts_with('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The severity of a mismatch found in what the app received at `entry`:
/// an error when the app then refused it, a warning when it accepted it
/// anyway (the mismatch did not matter to this app).
pub(crate) fn mismatch_severity(ctx: &Context<'_, '_>, entry: u32) -> Severity {
    if ctx.app_accepted(entry) {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// A `Date` header (RFC 9110 §5.6.7, IMF-fixdate) as a UTC time.
pub(crate) fn date_header(h: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc2822(h?.trim())
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}

/// A rule's entry point.
pub type Check = fn(&Context<'_, '_>, &mut Vec<Finding>);

pub mod app_messages;
mod capture_quality;
mod consent;
pub(crate) mod cookie_dropped;
mod credentials;
mod device_code;
mod discovery;
mod error_surface;
mod idp_error;
mod incomplete;
mod mfa;
mod oidc_checks;
mod redirect_loop;
mod redirect_mismatch;
mod relay_state;
mod replay;
mod response_rejected;
mod saml_checks;
mod server_error;
mod signature_checks;
mod state_mismatch;
mod webview;
mod windows_auth;

/// Every rule, in the order they run (a rule may read the findings of the
/// rules before it: the capture-quality rules first, the symptoms last).
pub static RULES: &[&RuleInfo] = &[
    &capture_quality::HTTPS_NOT_DECRYPTED,
    &capture_quality::SANITIZED_EXPORT,
    &capture_quality::BODIES_MISSING,
    &capture_quality::TRUNCATED,
    &capture_quality::MID_FLOW,
    &capture_quality::NO_IDENTITY_TRAFFIC,
    &webview::WEBVIEW_BLOCKED,
    &webview::EMBEDDED_USER_AGENT,
    &redirect_mismatch::REDIRECT_URI_MISMATCH,
    &redirect_mismatch::SAML_ACS_MISMATCH,
    &consent::CONSENT_PROMPT,
    &consent::CONSENT_DECLINED,
    &consent::ADMIN_CONSENT_REQUIRED,
    &consent::CONSENT_REQUIRED_SILENT,
    &credentials::CREDENTIALS,
    &windows_auth::WINDOWS_AUTH_FAILED,
    &mfa::MFA_INTERRUPT,
    &device_code::DEVICE_CODE,
    &idp_error::IDP_ERROR,
    &replay::REPLAY,
    &cookie_dropped::COOKIE_DROPPED,
    &state_mismatch::IN_RESPONSE_TO_MISMATCH,
    &state_mismatch::STATE_MISMATCH,
    &oidc_checks::NONCE_MISMATCH,
    &oidc_checks::TOKEN_AUDIENCE_MISMATCH,
    &oidc_checks::TOKEN_CLOCK_SKEW,
    &saml_checks::DESTINATION_MISMATCH,
    &saml_checks::AUDIENCE_MISMATCH,
    &saml_checks::CLOCK_SKEW,
    &saml_checks::SIGNATURE_MISSING,
    &saml_checks::SIGNING_CERT,
    &signature_checks::SIGNATURE_WRAPPING,
    &signature_checks::SIGNATURE_UNTRUSTED,
    &signature_checks::SIGNATURE_INVALID,
    &signature_checks::SIGNATURE_SHA1,
    &signature_checks::ENCRYPTION_KEY_MISMATCH,
    &signature_checks::JWT_ALG_NONE,
    &signature_checks::JWT_SIGNATURE_INVALID,
    &relay_state::RELAY_STATE_LOST,
    &redirect_loop::REDIRECT_LOOP,
    &error_surface::ERROR_SURFACE,
    &response_rejected::RESPONSE_REJECTED,
    &incomplete::REJECTED_AFTER_CALLBACK,
    &discovery::DISCOVERY_FAILED,
    &server_error::SERVER_ERROR,
    &incomplete::SIGN_IN_INCOMPLETE,
];

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static RuleInfo> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

/// Runs every rule.
pub fn run(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.check)(ctx, &mut findings);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rule_codes_are_unique_and_documented() {
        let mut seen = BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            for heading in ["What it means", "Why it matters", "How to fix"] {
                assert!(
                    !section(rule.doc, heading).is_empty(),
                    "{} lacks a '{heading}' section",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn every_failure_category_has_a_rule() {
        for cat in Category::ALL {
            if cat == Category::Ok {
                continue;
            }
            assert!(
                RULES.iter().any(|r| r.category == cat),
                "no rule for category {cat}"
            );
        }
    }

    #[test]
    fn every_category_has_one_place_in_the_root_cause_order() {
        for cat in Category::ALL {
            let n = ROOT_CAUSE_ORDER.iter().filter(|c| **c == cat).count();
            assert_eq!(n, 1, "{cat} appears {n} times in ROOT_CAUSE_ORDER");
        }
    }

    #[test]
    fn precedence_puts_causes_before_symptoms() {
        assert!(Category::CookieDropped.precedence() < Category::ResponseRejected.precedence());
        assert!(Category::RedirectMismatch.precedence() < Category::RedirectLoop.precedence());
        assert!(Category::IdpError.precedence() < Category::ServerError.precedence());
    }
}
