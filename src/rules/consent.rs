//! Consent: a consent prompt shown (info), consent declined, admin consent
//! required, and `consent_required` / `interaction_required` under
//! `prompt=none`.

use super::idp_error;
use crate::flow::Context;
use crate::rules::{Category, Finding, Severity};

declare_rule! {
    /// ## What it means
    /// The user was shown a consent screen asking to grant the app
    /// permissions (Entra consent page, `prompt=consent`, an OIDC provider's
    /// consent step).
    /// ## Why it matters
    /// Expected the first time a user or tenant uses an app; unexpected on
    /// every sign-in (the app forces `prompt=consent`, or asks for a new
    /// scope each time), and blocking when users may not consent.
    /// ## How to fix
    /// Nothing if it happens once. If it repeats, stop forcing
    /// `prompt=consent`, request the same scopes each time, or have an admin
    /// grant tenant-wide consent.
    pub static CONSENT_PROMPT = {
        code: "consent-prompt",
        category: Consent,
        severity: Info,
        title: "A consent prompt was shown",
    };
}

declare_rule! {
    /// ## What it means
    /// The user declined the consent prompt (Entra AADSTS65004
    /// UserDeclinedConsent, `error=access_denied` after a consent screen).
    /// ## Why it matters
    /// The app gets no token; it should say so instead of failing obscurely.
    /// ## How to fix
    /// Sign in again and accept, or have an administrator grant consent for
    /// the organisation so users are not asked.
    pub static CONSENT_DECLINED = {
        code: "consent-declined",
        category: Consent,
        severity: Error,
        title: "The user declined consent",
    };
}

declare_rule! {
    /// ## What it means
    /// The app needs permissions that only an administrator may grant (Entra
    /// AADSTS90094 AdminConsentRequired, 90095 with the admin consent
    /// workflow, 65001 no grant yet, 650052…).
    /// ## Why it matters
    /// Users cannot get past this themselves; the tenant's consent settings
    /// or the app's requested permissions decide.
    /// ## How to fix
    /// An administrator grants consent (Entra admin center › Enterprise
    /// applications › the app › Permissions › "Grant admin consent", or the
    /// `/adminconsent` endpoint), or the app stops requesting the
    /// admin-only permission.
    pub static ADMIN_CONSENT_REQUIRED = {
        code: "admin-consent-required",
        category: Consent,
        severity: Error,
        title: "Administrator consent is required",
    };
}

declare_rule! {
    /// ## What it means
    /// A silent request (`prompt=none`) failed with `consent_required` or
    /// `interaction_required`: the IdP needs the user to consent or interact.
    /// ## Why it matters
    /// Apps are expected to retry interactively; if no interactive attempt
    /// follows, the sign-in silently never completes.
    /// ## How to fix
    /// Make the app fall back to an interactive request (no `prompt=none`)
    /// when the silent one fails, or pre-grant consent.
    pub static CONSENT_REQUIRED_SILENT = {
        code: "consent-required-silent",
        category: Consent,
        severity: Warning,
        title: "A silent request needs consent or interaction",
    };
}

/// AADSTS codes that mean an administrator must act.
const ADMIN_CODES: &[u32] = &[90094, 90095, 65001, 90008, 650052, 65002, 90099, 9002341];

pub fn consent_prompt(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(m) = ctx.messages.iter().find(|m| m.message.is_consent_prompt()) {
        out.push(
            Finding::new(
                &CONSENT_PROMPT,
                Some(m.entry),
                format!(
                    "A consent prompt was shown at #{} ({}).",
                    m.entry,
                    m.message.kind()
                ),
            )
            .evidence("message_kind", m.message.kind()),
        );
    }
}

fn consent_errors<'c>(
    ctx: &'c Context<'_, '_>,
) -> impl Iterator<
    Item = (
        usize,
        &'c crate::decode::Found,
        crate::decode::ErrorInfo,
        Kind,
    ),
> + 'c {
    idp_error::errors(ctx)
        .into_iter()
        .filter(|(_, _, _, c, _)| *c == Category::Consent)
        .map(move |(i, m, info, _, _)| {
            let kind = kind(ctx, i, &info);
            (i, m, info, kind)
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Declined,
    Admin,
    Silent,
}

fn kind(ctx: &Context<'_, '_>, i: usize, info: &crate::decode::ErrorInfo) -> Kind {
    let text = format!(
        "{} {}",
        info.code,
        info.description.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    if info.aadsts.contains(&65004) || text.contains("declined") || text.contains("cancel") {
        return Kind::Declined;
    }
    let silent = ctx
        .request_for(i)
        .and_then(|r| r.message.prompt())
        .is_some_and(|p| p.split(' ').any(|p| p == "none"));
    if silent && (info.code == "consent_required" || info.code == "interaction_required") {
        return Kind::Silent;
    }
    if info.aadsts.iter().any(|c| ADMIN_CODES.contains(c)) || text.contains("admin") {
        return Kind::Admin;
    }
    if info.code == "access_denied" {
        return Kind::Declined;
    }
    Kind::Admin
}

pub fn consent_declined(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Declined {
            out.push(idp_error::finding(
                &CONSENT_DECLINED,
                m,
                &info,
                Category::Consent,
                None,
            ));
        }
    }
}

pub fn admin_consent_required(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Admin {
            out.push(idp_error::finding(
                &ADMIN_CONSENT_REQUIRED,
                m,
                &info,
                Category::Consent,
                None,
            ));
        }
    }
}

pub fn consent_required_silent(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, kind) in consent_errors(ctx) {
        if kind == Kind::Silent {
            let retried = ctx.attempts.iter().any(|a| a.first_entry > m.entry);
            let f = idp_error::finding(&CONSENT_REQUIRED_SILENT, m, &info, Category::Consent, None);
            // Expected when the app retries interactively; the failure when it does not.
            out.push(if retried {
                f.severity(Severity::Info)
            } else {
                f.severity(Severity::Error)
            });
        }
    }
}
