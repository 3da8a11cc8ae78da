//! Relative times for JWT time claims: `2 h 5 min`, `expired 2 h ago`,
//! `valid for another 5 min`, and the UTC wording every rendering shares.

use chrono::{DateTime, TimeDelta, Utc};

/// A duration in the two largest units, e.g. `2 h 5 min`, `45 s`,
/// `7 y 77 d` (a year is 365 days). Sign is ignored.
pub fn human_duration(d: TimeDelta) -> String {
    let secs = d.num_seconds().unsigned_abs();
    const UNITS: [(u64, &str); 5] = [
        (365 * 86_400, "y"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "min"),
        (1, "s"),
    ];
    let mut parts = Vec::with_capacity(2);
    let mut rest = secs;
    let mut started = false;
    for (size, name) in UNITS {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n} {name}"));
        }
        if started {
            // The unit right after the largest one is the last shown.
            break;
        }
        started = n > 0;
    }
    if parts.is_empty() {
        "0 s".to_owned()
    } else {
        parts.join(" ")
    }
}

/// `2 h ago`, `in 5 min`, or `now` (within a second).
pub fn relative_time(t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    let d = t - reference;
    if d.num_seconds() == 0 {
        "now".to_owned()
    } else if d < TimeDelta::zero() {
        format!("{} ago", human_duration(d))
    } else {
        format!("in {}", human_duration(d))
    }
}

/// What a time claim means at `reference`: `expired 2 h ago`,
/// `valid for another 5 min`, `not valid until 5 min from now`,
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
