//! Azure AD B2C's own error codes (`AADB2C9xxxx`), which B2C puts in the
//! `error_description` of the OAuth error it sends back to the app
//! (`error=access_denied&error_description=AADB2C90118: …`) and on the error
//! page it shows itself on `*.b2clogin.com` when it cannot send the user
//! back (an unregistered redirect URI, a missing policy).
//!
//! Codes and their subjects follow Microsoft's table "Error codes: Azure
//! Active Directory B2C" (learn.microsoft.com/azure/active-directory-b2c/
//! error-codes); the one-line meanings are our own words for support
//! engineers, the category words those of the report contract.

/// One B2C code: number, our category word, our meaning.
pub type B2cCode = (u32, &'static str, &'static str);

/// The codes support sees most, sorted by number.
pub const CODES: &[B2cCode] = &[
    (
        90006,
        "redirect_mismatch",
        "the redirect URI in the request is not registered for the application",
    ),
    (
        90007,
        "redirect_mismatch",
        "the application has no redirect URI registered at all",
    ),
    (90008, "app_config", "the request has no client_id"),
    (90010, "token_protocol", "the request has no scope"),
    (
        90011,
        "app_config",
        "the client_id does not match the one the policy is registered for",
    ),
    (
        90012,
        "token_protocol",
        "a requested scope is not supported",
    ),
    (
        90013,
        "app_config",
        "the requested response_type is not supported (enable implicit grant, or use code)",
    ),
    (
        90014,
        "token_protocol",
        "the requested response_mode is not supported",
    ),
    (
        90035,
        "app_config",
        "the policy (user flow / custom policy) in the request does not exist in this tenant",
    ),
    (
        90037,
        "service_error",
        "B2C could not process the request; retry, and check the policy's technical profiles",
    ),
    (
        90055,
        "token_protocol",
        "the requested scope must include openid (or the app's own scope)",
    ),
    (
        90057,
        "app_config",
        "the application is not allowed to receive tokens by the implicit flow",
    ),
    (
        90075,
        "federation",
        "a claims exchange (REST API / external IdP technical profile) failed",
    ),
    (
        90077,
        "session",
        "prompt=none but the user has no B2C session: an interactive sign-in is needed",
    ),
    (
        90079,
        "app_config",
        "a confidential client must send its client_secret when redeeming the grant",
    ),
    (
        90080,
        "token_protocol",
        "the grant (code or refresh token) has expired",
    ),
    (90085, "service_error", "B2C hit an unexpected error; retry"),
    (
        90088,
        "token_protocol",
        "the grant was not issued for this endpoint (another policy or tenant)",
    ),
    (
        90090,
        "session",
        "the refresh token was revoked or issued before the user's last password change",
    ),
    (
        90091,
        "user_cancelled",
        "the user cancelled: pressed Cancel on a B2C page (the app should send them back to its start page)",
    ),
    (
        90117,
        "token_protocol",
        "the scope in the request is not supported",
    ),
    (
        90118,
        "password_reset",
        "the user chose \"Forgot your password?\": the app must start the password-reset user flow",
    ),
    (
        90157,
        "credentials",
        "the user exceeded the number of retries of a verification step (e-mail or phone code)",
    ),
    (
        90205,
        "app_config",
        "the application is not allowed to use this policy's API scopes",
    ),
    (
        90208,
        "token_protocol",
        "the id_token_hint cannot be validated",
    ),
    (
        90273,
        "consent",
        "the social / external IdP answered access_denied: the user refused there",
    ),
    (
        99002,
        "app_config",
        "the policy is not allowed to send an e-mail verification (check the tenant's settings)",
    ),
    (
        99059,
        "token_protocol",
        "the request must present a PKCE code_challenge",
    ),
];

/// The row for a code.
pub fn lookup(code: u32) -> Option<&'static B2cCode> {
    CODES
        .binary_search_by_key(&code, |(c, _, _)| *c)
        .ok()
        .and_then(|i| CODES.get(i))
}

/// Every `AADB2C` code mentioned in `text`, in order, without repeats.
pub fn find_codes(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = crate::codec::html::find_ci(rest, "AADB2C") {
        let after = rest.get(at + 6..).unwrap_or_default();
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if (5..=6).contains(&digits.len())
            && let Ok(n) = digits.parse::<u32>()
            && !out.contains(&n)
        {
            out.push(n);
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(CODES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn finds_codes_in_an_error_description() {
        assert_eq!(
            find_codes("AADB2C90118: The user has forgotten their password.\r\nCorrelation ID: x"),
            vec![90118]
        );
        assert_eq!(find_codes("aadb2c90091 then AADB2C90091"), vec![90091]);
        assert!(find_codes("AADB2C9").is_empty());
        assert_eq!(lookup(90118).map(|r| r.1), Some("password_reset"));
    }
}
