//! Rule `oidc-token-time`: The id_token was outside its validity window at the app.

use super::*;

declare_rule! {
    /// ## What it means
    /// When the id_token reached the app it was already expired (`exp`) or not
    /// yet valid (`nbf` / `iat` in the future), judged by the app's own `Date`
    /// header, else the capture's clock.
    /// ## Why it matters
    /// OIDC Core §3.1.3.7 rules 9–10 and RFC 7519 §4.1.4: relying parties
    /// reject such tokens ("JWT expired", IDX10223) with a small tolerance
    /// (0 s in openid-client, 60 s in Spring, 5 min in Microsoft.IdentityModel).
    /// ## How to fix
    /// Synchronise the app server's clock (NTP). If the token was stale (a
    /// bookmarked or replayed callback), sign in again from the app.
    pub static TOKEN_CLOCK_SKEW = {
        code: "oidc-token-time",
        category: ClockSkew,
        severity: Error,
        title: "The id_token was outside its validity window at the app",
        check: token_clock_skew,
    };
}

pub fn token_clock_skew(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (_, entry, token) in delivered(ctx) {
        let Some(e) = ctx.capture.entry(entry) else {
            continue;
        };
        let app_date =
            crate::rules::date_header(e.response.as_ref().and_then(|r| r.header("date")));
        let (now, clock) = match (app_date, e.started) {
            (Some(d), _) => (d, "the app's Date header"),
            (None, Some(s)) => (s.time.with_timezone(&Utc), "the capture's clock"),
            (None, None) => continue,
        };
        let t = &token.times;
        let problem = if let Some(exp) = t.exp.filter(|x| (now - *x).num_seconds() >= LEEWAY) {
            Some((
                format!(
                    "expired at {} — {} s before {clock} ({})",
                    exp.to_rfc3339(),
                    (now - exp).num_seconds(),
                    now.to_rfc3339()
                ),
                (now - exp).num_seconds(),
            ))
        } else {
            t.nbf
                .or(t.iat)
                .filter(|x| (*x - now).num_seconds() > LEEWAY)
                .map(|start| {
                    let secs = (start - now).num_seconds();
                    (format!("not valid until {} — {secs} s after {clock} ({}): the app's clock is behind the IdP's", start.to_rfc3339(), now.to_rfc3339()), secs)
                })
        };
        if let Some((text, seconds)) = problem {
            out.push(
                Finding::new(
                    &TOKEN_CLOCK_SKEW,
                    Some(entry),
                    format!("The id_token was {text}."),
                )
                .severity(crate::rules::mismatch_severity(ctx, entry))
                .evidence("clock", clock)
                .evidence("seconds", seconds),
            );
        }
    }
}
