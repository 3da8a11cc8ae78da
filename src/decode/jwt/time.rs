//! Relative times for JWT time claims: `2 h 5 min`, `expired 2 h ago`,
//! `expires in 5 min` (the wording SAML and WS-Fed times use too), and the
//! UTC wording every rendering shares.

use chrono::{DateTime, Utc};

pub use crate::codec::duration::delta as human_duration;
pub use crate::codec::duration::relative as relative_time;

/// `issued 3 min ago`, `expired 2 h ago`, … in the wording every protocol
/// shares ([`crate::codec::duration::phrase`]); other claim names read as a
/// plain [`relative_time`].
pub fn describe_time_claim(claim: &str, t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    use crate::codec::duration::{TimeRole, phrase};
    let role = match claim {
        "exp" => TimeRole::NotOnOrAfter,
        "nbf" => TimeRole::NotBefore,
        "iat" => TimeRole::Issued,
        "auth_time" => TimeRole::SignedIn,
        _ => return relative_time(t, reference),
    };
    phrase(t, reference, role)
}

/// `2026-11-20 09:04:12 UTC`.
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}
