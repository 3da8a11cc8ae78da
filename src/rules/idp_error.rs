//! Errors the identity provider reported: SAML non-success statuses, OAuth
//! error responses, Entra / AD FS / Google / Okta error pages — classified
//! by the AADSTS code table where a code is known (`conditional_access`,
//! `user_not_assigned`…). Redirect-URI and consent errors have rules of
//! their own and are skipped here, and so are the errors the `credentials`,
//! `mfa-interrupt` and `device-code` rules report.
//!
//! Device-code polling answers (`authorization_pending`, `slow_down`,
//! RFC 8628 §3.5) are progress, not errors: the client is told to keep
//! polling, so they are never reported. A failure at the token endpoint of
//! a `grant_type=refresh_token` request (RFC 6749 §6) is marked as the
//! token-refresh phase, one after a logout request as the sign-out phase.
//!
//! Every finding built here (by this rule and by the redirect-URI and
//! consent rules) carries the code's own remediation as its `fix` when
//! `decode::remediation` knows an IdP-specific code (`AADSTS50126`,
//! `AADB2C90118`, `MSIS7042`, `E0000004`, `admin_policy_enforced`…). This
//! rule's own generic advice is also replaced by the sub-category's steps
//! (`user_not_assigned`…) or, without one, by a protocol word's
//! (`access_denied`, SAML `Responder`).

use crate::decode::aadsts::{self, Category as Aad};
use crate::decode::entra::b2c;
use crate::decode::remediation;
use crate::decode::{ErrorInfo, Found};
use crate::decode::{Message, oidc};
use crate::flow::Context;
use crate::rules::{Category, Finding, Phase};

declare_rule! {
    /// ## What it means
    /// The identity provider refused the sign-in and said why: a SAML status
    /// other than Success, an OAuth `error`, or an error page (Entra AADSTS
    /// codes, AD FS, Google, Okta).
    /// ## Why it matters
    /// The failure is at the IdP, not in the app: its code says what policy,
    /// account state or configuration stopped it.
    /// ## How to fix
    /// Look the code up (`trace-inspect explain AADSTS…`); search the IdP's
    /// sign-in logs with the correlation / request ID and the time in the
    /// ticket block; fix the configuration or account the code names.
    pub static IDP_ERROR = {
        code: "idp-error",
        category: IdpError,
        severity: Error,
        title: "The identity provider returned an error",
        check: idp_error,
    };
}

/// Category for an IdP error, from its AADSTS codes or protocol words.
pub fn classify(info: &ErrorInfo) -> (Category, Option<String>) {
    for code in &info.aadsts {
        if let Some(row) = aadsts::lookup(*code) {
            return match row.category {
                Aad::RedirectMismatch => (Category::RedirectMismatch, None),
                Aad::Consent => (Category::Consent, None),
                Aad::Credentials => (Category::Credentials, None),
                Aad::AccountState if CREDENTIAL_STATE.contains(code) => {
                    (Category::Credentials, Some("account_state".to_owned()))
                }
                Aad::Mfa => (Category::Mfa, None),
                Aad::ConditionalAccess => (Category::Mfa, Some("conditional_access".to_owned())),
                other => (Category::IdpError, Some(other.as_str().to_owned())),
            };
        }
    }
    // Azure AD B2C codes (in the error_description B2C sends back, or on
    // its own error page), from its code table.
    let b2c_text = format!(
        "{} {}",
        info.code,
        info.description.as_deref().unwrap_or_default()
    );
    if let Some(row) = b2c::find_codes(&b2c_text)
        .first()
        .and_then(|c| b2c::lookup(*c))
    {
        return category_word(row.1);
    }
    if let Some(hint) = info.hint.as_deref() {
        match hint {
            "credentials" => return (Category::Credentials, None),
            "mfa" => return (Category::Mfa, None),
            "webview_blocked" => return (Category::WebviewBlocked, None),
            "redirect_mismatch" => return (Category::RedirectMismatch, None),
            "consent" => return (Category::Consent, None),
            "idp_error" | "" => {}
            sub => return (Category::IdpError, Some(sub.to_owned())),
        }
    }
    let text = format!(
        "{} {}",
        info.code,
        info.description.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    if text.contains("redirect_uri") || text.contains("reply url") || text.contains("reply address")
    {
        return (Category::RedirectMismatch, None);
    }
    if text.contains("consent") {
        return (Category::Consent, None);
    }
    if text.contains("not assigned") {
        return (Category::IdpError, Some("user_not_assigned".to_owned()));
    }
    if text.contains("disallowed_useragent") {
        return (Category::WebviewBlocked, None);
    }
    (Category::IdpError, None)
}

/// The report category for a category word of a code table.
fn category_word(word: &str) -> (Category, Option<String>) {
    match word {
        "redirect_mismatch" => (Category::RedirectMismatch, None),
        "consent" => (Category::Consent, None),
        "credentials" => (Category::Credentials, None),
        "mfa" => (Category::Mfa, None),
        "conditional_access" => (Category::Mfa, Some(word.to_owned())),
        "idp_error" | "" => (Category::IdpError, None),
        other => (Category::IdpError, Some(other.to_owned())),
    }
}

/// Account-state codes that are about the user's own credentials (the
/// `credentials` category: "wrong password, locked, disabled, expired
/// password"), from Microsoft's AADSTS table (reference-error-codes.md):
/// 50053 IdsLocked, 50055 InvalidPasswordExpiredPassword, 50057
/// UserDisabled, 50144 InvalidPasswordExpiredOnPremPassword, 50173
/// FreshTokenNeeded (the password was changed), 50089 flow token expired.
const CREDENTIAL_STATE: &[u32] = &[50053, 50055, 50057, 50144, 50173];

/// Device-code polling answers that mean "not yet" (RFC 8628 §3.5:
/// `authorization_pending`, `slow_down`; Entra's AADSTS70016).
pub fn is_poll_progress(info: &ErrorInfo) -> bool {
    info.is_poll_progress()
}

/// The phase an error at `entry` belongs to, when it is not the sign-in:
/// the browser / client asked there for a refresh (`grant_type=refresh_token`,
/// RFC 6749 §6) or a sign-out (an OIDC end-session request, a SAML
/// LogoutRequest / LogoutResponse).
pub fn phase_at(ctx: &Context<'_, '_>, entry: u32) -> Option<Phase> {
    ctx.messages_at(entry).find_map(|m| match &m.message {
        Message::Oidc(oidc::OidcMessage::OauthTokenRequest(t))
            if t.grant_type == oidc::GrantType::RefreshToken =>
        {
            Some(Phase::TokenRefresh)
        }
        Message::Oidc(oidc::OidcMessage::OauthLogout(_))
        | Message::Saml(
            crate::decode::saml::SamlMessage::LogoutRequest(_)
            | crate::decode::saml::SamlMessage::LogoutResponse(_),
        ) => Some(Phase::SignOut),
        _ => None,
    })
}

/// Every IdP error in the capture with its classification. Errors seen
/// twice (issued by the IdP, then delivered to the app) are reported at the
/// delivery; `prompt=none` failures followed by another attempt are left out.
pub fn errors<'c>(
    ctx: &'c Context<'_, '_>,
) -> Vec<(usize, &'c Found, ErrorInfo, Category, Option<String>)> {
    let mut out: Vec<(usize, &Found, ErrorInfo, Category, Option<String>)> = Vec::new();
    for (i, m) in ctx.messages.iter().enumerate() {
        let Some(info) = m.message.error_info() else {
            continue;
        };
        if is_poll_progress(&info) {
            continue;
        }
        if m.message.is_silent_failure()
            && ctx.attempts.last().is_some_and(|a| a.first_entry > m.entry)
        {
            continue;
        }
        let (mut c, mut s) = classify(&info);
        // `access_denied` right after a consent screen is the user's "no".
        if c == Category::IdpError && info.code == "access_denied" && after_consent_screen(ctx, i) {
            (c, s) = (Category::Consent, None);
        }
        // The same error delivered later replaces its issued copy.
        if let Some(prev) = out
            .iter_mut()
            .find(|(_, f, e, _, _)| *e == info && !f.place.is_sent())
        {
            if m.place.is_sent() {
                *prev = (i, m, info, c, s);
            }
            continue;
        }
        out.push((i, m, info, c, s));
    }
    out
}

/// Whether a consent screen was shown in the same attempt before message `i`.
fn after_consent_screen(ctx: &Context<'_, '_>, i: usize) -> bool {
    let Some(a) = ctx.attempt_of(i) else {
        return false;
    };
    let entry = ctx.messages.get(i).map_or(0, |m| m.entry);
    ctx.messages
        .iter()
        .any(|m| m.message.is_consent_prompt() && m.entry >= a.first_entry && m.entry < entry)
}

/// A finding for an IdP error with the ids and codes it carries.
pub fn finding(
    rule: &'static crate::rules::RuleInfo,
    m: &Found,
    info: &ErrorInfo,
    category: Category,
    sub: Option<String>,
) -> Finding {
    let codes: Vec<String> = info.aadsts.iter().map(|c| format!("AADSTS{c}")).collect();
    let b2c_codes = b2c::find_codes(&format!(
        "{} {}",
        info.code,
        info.description.as_deref().unwrap_or_default()
    ));
    let b2c_row = b2c_codes.first().and_then(|c| b2c::lookup(*c));
    let headline = match (
        info.aadsts.first().and_then(|c| aadsts::lookup(*c)),
        b2c_row,
    ) {
        (Some(row), _) => format!(
            "AADSTS{} {} — {}",
            row.code,
            row.name.trim_start_matches('~'),
            row.description
        ),
        (None, Some((code, _, meaning))) => format!("AADB2C{code} — {meaning}"),
        (None, None) => info.code.clone(),
    };
    // This rule's own advice is generic: a category row (Okta's "not
    // assigned", an Entra page's category) or a protocol word's row says
    // more. Other rules keep their fix unless an IdP-specific code is known.
    let generic_rule = rule.code == IDP_ERROR.code;
    let remedy = match remediation::for_error(info) {
        Some(r) if r.family.is_specific() => Some(r),
        code if generic_rule => sub.as_deref().and_then(remediation::for_category).or(code),
        _ => None,
    };
    let mut f = Finding::new(
        rule,
        Some(m.entry),
        match &info.description {
            Some(d) if !d.is_empty() => format!("{headline}: {}", first_line(d)),
            _ => headline,
        },
    )
    .category(category, sub)
    .evidence("error", info.code.as_str())
    .evidence("message_kind", m.message.kind());
    if let Some(r) = remedy {
        f = f.fix(r.fix_line());
        // A code found in the description (`MSIS7042: …`) is the one to show.
        let reported = info
            .code
            .split('>')
            .any(|part| part.trim().eq_ignore_ascii_case(r.code));
        if r.family.is_specific() && !codes.iter().any(|c| c == r.code) && !reported {
            f = f.evidence("idp_code", r.code);
        }
    }
    if !codes.is_empty() {
        f = f.evidence("aadsts", codes);
    }
    if !b2c_codes.is_empty() {
        let b2c_codes: Vec<String> = b2c_codes.iter().map(|c| format!("AADB2C{c}")).collect();
        f = f.evidence("aadb2c", b2c_codes);
    }
    for id in m.message.ids(m.entry) {
        f = f.id(id.kind.key(), id.value);
    }
    f
}

fn first_line(s: &str) -> &str {
    let cut = s.find(['\r', '\n']).unwrap_or(s.len());
    s[..cut].trim()
}

pub fn idp_error(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, category, sub) in errors(ctx) {
        if matches!(
            category,
            Category::RedirectMismatch
                | Category::Consent
                | Category::WebviewBlocked
                | Category::Credentials
                | Category::Mfa
        ) || ctx.is_device_code_poll(m.entry)
        {
            continue;
        }
        let mut f = finding(&IDP_ERROR, m, &info, category, sub.clone());
        if let Some(sub) = &sub {
            f = f.title(format!(
                "The identity provider returned an error ({})",
                sub.replace('_', " ")
            ));
        }
        match phase_at(ctx, m.entry) {
            Some(Phase::TokenRefresh) => {
                f = f
                    .phase(Phase::TokenRefresh)
                    .title("The token refresh failed (grant_type=refresh_token)");
            }
            Some(p) => f = f.phase(p),
            None => {}
        }
        out.push(f);
    }
}
