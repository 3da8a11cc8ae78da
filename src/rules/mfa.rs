//! Rule `mfa-interrupt`: a second factor, MFA registration or a Conditional
//! Access policy stopped the sign-in.
//!
//! Two shapes: an error whose AADSTS code Microsoft's table files under MFA
//! or Conditional Access (50074, 50076, 50079, 50072, 50158, 53000–53004;
//! see [`super::idp_error::classify`]); and a capture that *stops* at an
//! interrupt page — Entra's `ConvergedTFA` (second factor),
//! `ConvergedProofUpRedirect` (register security info) or a Conditional
//! Access block page — with no successful answer from the IdP afterwards.
//! Such a page is a normal step when the user answers it; it is a finding
//! only when nothing after it shows the sign-in went on. AD FS's additional
//! authentication step is recognised the same way: its page under
//! `/adfs/ls/` posts a hidden `AuthMethod` naming an MFA adapter (AD FS
//! "Configure additional authentication methods": `AzureMfaAuthentication`,
//! `AzureMfaServerAuthentication`, third-party adapters) rather than a
//! primary method (`FormsAuthentication`, `WindowsAuthentication`,
//! `CertificateAuthentication`).

use crate::decode::{Message, entra::PageType, pages::PageMessage};
use crate::flow::Context;
use crate::rules::{Category, Finding};

declare_rule! {
    /// ## What it means
    /// The sign-in needed a second factor, MFA registration, or a device /
    /// client app that Conditional Access accepts, and did not get it: the
    /// IdP said so with an MFA / Conditional Access code (AADSTS50074,
    /// 50076, 50079, 53000–53004), or the capture stops at the MFA prompt
    /// (`ConvergedTFA`) or the "more information required" registration
    /// interrupt (`ConvergedProofUpRedirect`).
    /// ## Why it matters
    /// The app and the federation are fine; policy asked the user for more.
    /// A capture that ends at the prompt does not show the sign-in
    /// completing — the user gave up, the push was never approved, or the
    /// recording stopped too early.
    /// ## How to fix
    /// Have the user complete the prompt (approve the notification, enter
    /// the code, register a method at https://aka.ms/mysecurityinfo), or use
    /// a compliant / joined device; check the sign-in log's Conditional
    /// Access tab for the policy that applied. If the prompt was answered,
    /// record the capture again until the app's page loads.
    pub static MFA_INTERRUPT = {
        code: "mfa-interrupt",
        category: Mfa,
        severity: Error,
        title: "MFA or Conditional Access stopped the sign-in",
        check: mfa_interrupt,
    };
}

pub fn mfa_interrupt(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let before = out.len();
    for (_, m, info, category, sub) in super::idp_error::errors(ctx) {
        if category != Category::Mfa || ctx.is_device_code_poll(m.entry) {
            continue;
        }
        let mut f = super::idp_error::finding(&MFA_INTERRUPT, m, &info, category, sub.clone());
        if sub.as_deref() == Some("conditional_access") {
            f = f.title("A Conditional Access policy stopped the sign-in");
        }
        if let Some(p) = super::idp_error::phase_at(ctx, m.entry) {
            f = f.phase(p);
        }
        out.push(f);
    }
    if out.len() > before {
        return;
    }
    if let Some(f) = stopped_at_interrupt(ctx).or_else(|| stopped_at_adfs_mfa(ctx)) {
        out.push(f);
    }
}

/// AD FS primary authentication methods (everything else posted as
/// `AuthMethod` from an `/adfs/ls/` page is an additional-authentication
/// adapter).
const ADFS_PRIMARY: &[&str] = &[
    "FormsAuthentication",
    "WindowsAuthentication",
    "CertificateAuthentication",
    "DeviceAuthentication",
    "MicrosoftPassportAuthentication",
];

/// The last AD FS page offering an MFA adapter, when the capture ends
/// there (no later successful answer).
fn stopped_at_adfs_mfa(ctx: &Context<'_, '_>) -> Option<Finding> {
    let exchanges = ctx.exchanges();
    let (at, adapter) = exchanges.iter().enumerate().rev().find_map(|(i, e)| {
        let url = e.request.parsed_url.as_ref()?;
        if !url.path().to_ascii_lowercase().starts_with("/adfs/ls") {
            return None;
        }
        let body = e.response.as_ref()?.body.as_ref()?;
        if body.raw_contains(b"AuthMethod") == Some(false) {
            return None;
        }
        let html = body.text(&ctx.limits).ok()?;
        crate::codec::html::forms(&html)
            .into_iter()
            .flat_map(|f| f.inputs)
            .find(|i| {
                i.name.as_deref() == Some("AuthMethod")
                    && i.value.as_deref().is_some_and(|v| {
                        !v.is_empty() && !ADFS_PRIMARY.iter().any(|p| p.eq_ignore_ascii_case(v))
                    })
            })
            .and_then(|i| i.value)
            .map(|v| (i, v))
    })?;
    let entry = exchanges.get(at)?.index;
    let went_on = ctx
        .messages
        .iter()
        .any(|m| m.entry > entry && (m.message.is_success_answer() || m.message.is_error()));
    if went_on {
        return None;
    }
    Some(
        Finding::new(
            &MFA_INTERRUPT,
            Some(entry),
            format!(
                "The sign-in stops at #{entry}: AD FS's additional authentication step (adapter `{adapter}`); the capture ends before it was answered, so it never shows the sign-in completing."
            ),
        )
        .title("The sign-in stops at AD FS's MFA step")
        .category(Category::Mfa, Some("adfs_mfa_adapter".to_owned()))
        .evidence("adfs_auth_method", adapter),
    )
}

/// The last interrupt page, when nothing after it shows the sign-in going
/// on (no successful answer, no later IdP error that explains more).
fn stopped_at_interrupt(ctx: &Context<'_, '_>) -> Option<Finding> {
    let (i, m, page) =
        ctx.messages
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, m)| match &m.message {
                Message::Page(PageMessage::EntraPage(p))
                    if matches!(
                        p.page_type,
                        PageType::Mfa | PageType::ProofUp | PageType::ConditionalAccessBlock
                    ) =>
                {
                    Some((i, m, p))
                }
                _ => None,
            })?;
    let went_on = ctx.messages.iter().skip(i + 1).any(|later| {
        later.message.is_success_answer() || later.message.is_error() || {
            // A later sign-in page of another kind (KMSI, auto-post) means
            // the prompt was answered.
            matches!(&later.message, Message::Page(PageMessage::EntraPage(p))
                if matches!(p.page_type, PageType::Kmsi | PageType::AutoPost))
        }
    });
    if went_on {
        return None;
    }
    let (what, pgid) = match page.page_type {
        PageType::Mfa => ("Entra's MFA prompt", "ConvergedTFA"),
        PageType::ProofUp => (
            "Entra's MFA registration interrupt (more information required)",
            "ConvergedProofUpRedirect",
        ),
        _ => ("Entra's Conditional Access block page", "ConditionalAccess"),
    };
    let pgid = page.pgid.as_deref().unwrap_or(pgid);
    let mut f = Finding::new(
        &MFA_INTERRUPT,
        Some(m.entry),
        format!(
            "The sign-in stops at #{}: {what} ({pgid}); the capture ends before it was answered, so it never shows the sign-in completing.",
            m.entry
        ),
    )
    .title(format!("The sign-in stops at {what}"))
    .category(Category::Mfa, Some(page.page_type.as_str().to_owned()))
    .evidence("page_type", page.page_type.as_str())
    .evidence("pgid", pgid);
    let codes: Vec<String> = page
        .error_codes
        .iter()
        .map(|c| format!("AADSTS{}", c.code.code))
        .collect();
    if !codes.is_empty() {
        f = f.evidence("aadsts", codes);
    }
    for id in m.message.ids(m.entry) {
        f = f.id(id.kind.key(), id.value);
    }
    Some(f)
}
