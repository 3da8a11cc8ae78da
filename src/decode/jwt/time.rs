//! Relative times for JWT time claims: `2 h 5 min`, `expired 2 h ago`,
//! `valid for another 5 min`, and the UTC wording every rendering shares.

use chrono::{DateTime, TimeDelta, Utc};

pub use crate::codec::duration::delta as human_duration;
pub use crate::codec::duration::relative as relative_time;

/// `issued 3 min ago`, … Unknown claim names fall back to [`relative_time`].
pub fn describe_time_claim(claim: &str, t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    let d = t - reference;
    let past = d <= TimeDelta::zero();
    let span = human_duration(d);
    match (claim, past) {
        ("exp", true) if d.num_seconds() == 0 => "expires now".to_owned(),
        ("exp", true) => format!("expired {span} ago"),
        ("exp", false) => format!("valid for another {span}"),
        ("nbf", true) => format!("valid since {span} ago"),
        ("nbf", false) => format!("not valid until {span} from now"),
        ("iat", true) => format!("issued {span} ago"),
        ("iat", false) => format!("issued {span} in the future: clock skew?"),
        ("auth_time", true) => format!("signed in {span} ago"),
        ("auth_time", false) => format!("sign-in {span} in the future: clock skew?"),
        _ => relative_time(t, reference),
    }
}

/// `2026-11-20 09:04:12 UTC`.
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}
