//! Consent: a consent prompt shown (info), consent declined, admin consent
//! required, and `consent_required` / `interaction_required` under
//! `prompt=none`.

mod admin_consent_required;
mod consent_declined;
mod consent_prompt;
mod consent_required_silent;

pub use admin_consent_required::ADMIN_CONSENT_REQUIRED;
pub use consent_declined::CONSENT_DECLINED;
pub use consent_prompt::CONSENT_PROMPT;
pub use consent_required_silent::CONSENT_REQUIRED_SILENT;

use super::idp_error;
use crate::flow::Context;
use crate::rules::{Category, Finding, Severity};

/// AADSTS codes that mean an administrator must act.
const ADMIN_CODES: &[u32] = &[90094, 90095, 65001, 90008, 650052, 65002, 90099, 9002341];

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
