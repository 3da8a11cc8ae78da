//! Rule `credentials`: the IdP refused the user's own credentials — a wrong
//! password, a locked, disabled or expired account or password — from the
//! AADSTS codes Microsoft's error table files under them (50126, 50053,
//! 50055, 50057, 50144, …; see `data/aadsts.tsv` and
//! [`super::idp_error::classify`]). `idp-error` leaves these to this rule.

use crate::flow::Context;
use crate::rules::{Category, Finding, Phase};

declare_rule! {
    /// ## What it means
    /// The identity provider refused the user's credentials or account: a
    /// wrong username or password (AADSTS50126), an account locked by smart
    /// lockout (50053), disabled (50057), or a password that has expired
    /// (50055, 50144).
    /// ## Why it matters
    /// Nothing is wrong with the app or its federation set-up: the user (or
    /// the account's administrator) has to act, so the ticket goes to the
    /// help desk, not to the app's developers.
    /// ## How to fix
    /// Have the user reset or change the password (SSPR or on-premises),
    /// wait for the lockout to expire or unlock the account, or re-enable
    /// it; search the IdP's sign-in logs with the correlation ID and time in
    /// the ticket block for the failure reason.
    pub static CREDENTIALS = {
        code: "credentials",
        category: Credentials,
        severity: Error,
        title: "The identity provider refused the user's credentials",
        check: credentials,
    };
}

pub fn credentials(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, m, info, category, sub) in super::idp_error::errors(ctx) {
        if category != Category::Credentials || ctx.is_device_code_poll(m.entry) {
            continue;
        }
        let mut f = super::idp_error::finding(&CREDENTIALS, m, &info, category, sub);
        if let Some(p) = super::idp_error::phase_at(ctx, m.entry) {
            f = f.phase(p);
            if p == Phase::TokenRefresh {
                f = f.title("The token refresh was refused: the user's credentials changed");
            }
        }
        out.push(f);
    }
}
