//! One wording for durations and relative times in every output: the two
//! largest units (`2 h 5 min`, `45 s`, `7 y 77 d`; a year is 365 days),
//! `2 h 5 min ago` / `in 5 min` / `now` against a reference instant, and
//! the validity phrases SAML, WS-Fed and JWT times share ([`phrase`]:
//! `expired 2 h ago`, `expires in 5 min`, `not valid for another 40 s`).

use chrono::{DateTime, TimeDelta, Utc};

/// A duration of `secs` seconds in the two largest units.
pub fn seconds(secs: u64) -> String {
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

/// A signed duration in the two largest units; the sign is ignored.
pub fn delta(d: TimeDelta) -> String {
    seconds(d.num_seconds().unsigned_abs())
}

/// `2 h ago`, `in 5 min`, or `now` (within a second).
pub fn relative(t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    let d = t - reference;
    if d.num_seconds() == 0 {
        "now".to_owned()
    } else if d < TimeDelta::zero() {
        format!("{} ago", delta(d))
    } else {
        format!("in {}", delta(d))
    }
}

/// What a time means, so its phrase can say "expired" or "issued".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRole {
    /// An instant something happened (IssueInstant, AuthnInstant, `wct`).
    Instant,
    /// When a token was issued (`iat`): a future one means a skewed clock.
    Issued,
    /// When the user signed in (`auth_time`).
    SignedIn,
    /// Start of validity (NotBefore, `nbf`).
    NotBefore,
    /// End of validity (NotOnOrAfter, SessionNotOnOrAfter, `exp`, a
    /// certificate's notAfter).
    NotOnOrAfter,
}

/// `t` against `reference` as its role reads: `expired 2 h ago`, `expires
/// in 5 min`, `valid since 1 h ago`, `not valid for another 40 s`, `issued 3
/// min ago`, `3 min ago`; `now` (`expires now`) within a second.
pub fn phrase(t: DateTime<Utc>, reference: DateTime<Utc>, role: TimeRole) -> String {
    let secs = t.signed_duration_since(reference).num_seconds();
    let span = seconds(secs.unsigned_abs());
    let future = secs > 0;
    match role {
        TimeRole::NotOnOrAfter if secs == 0 => "expires now".into(),
        _ if secs == 0 => "now".into(),
        TimeRole::Instant if future => format!("in {span}, in the future"),
        TimeRole::Instant => format!("{span} ago"),
        TimeRole::Issued if future => format!("issued {span} in the future: clock skew?"),
        TimeRole::Issued => format!("issued {span} ago"),
        TimeRole::SignedIn if future => format!("sign-in {span} in the future: clock skew?"),
        TimeRole::SignedIn => format!("signed in {span} ago"),
        TimeRole::NotBefore if future => format!("not valid for another {span}"),
        TimeRole::NotBefore => format!("valid since {span} ago"),
        TimeRole::NotOnOrAfter if future => format!("expires in {span}"),
        TimeRole::NotOnOrAfter => format!("expired {span} ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_phrases_read_the_same_for_every_protocol() {
        let r = DateTime::parse_from_rfc3339("2026-11-20T09:04:12Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |m: i64| r + TimeDelta::minutes(m);
        assert_eq!(
            phrase(at(-120), r, TimeRole::NotOnOrAfter),
            "expired 2 h ago"
        );
        assert_eq!(phrase(at(5), r, TimeRole::NotOnOrAfter), "expires in 5 min");
        assert_eq!(phrase(r, r, TimeRole::NotOnOrAfter), "expires now");
        assert_eq!(
            phrase(at(5), r, TimeRole::NotBefore),
            "not valid for another 5 min"
        );
        assert_eq!(
            phrase(at(-60), r, TimeRole::NotBefore),
            "valid since 1 h ago"
        );
        assert_eq!(phrase(at(-3), r, TimeRole::Issued), "issued 3 min ago");
        assert_eq!(
            phrase(at(1), r, TimeRole::Issued),
            "issued 1 min in the future: clock skew?"
        );
        assert_eq!(
            phrase(at(-10), r, TimeRole::SignedIn),
            "signed in 10 min ago"
        );
        assert_eq!(phrase(at(-3), r, TimeRole::Instant), "3 min ago");
        assert_eq!(
            phrase(at(3), r, TimeRole::Instant),
            "in 3 min, in the future"
        );
        assert_eq!(phrase(r, r, TimeRole::Instant), "now");
    }

    #[test]
    fn uses_the_two_largest_units() {
        assert_eq!(seconds(0), "0 s");
        assert_eq!(seconds(45), "45 s");
        assert_eq!(seconds(7_500), "2 h 5 min");
        assert_eq!(seconds(7_200), "2 h");
        assert_eq!(seconds(3_600 + 1), "1 h");
        assert_eq!(seconds(365 * 86_400 * 7 + 77 * 86_400 + 5), "7 y 77 d");
    }

    #[test]
    fn relative_times_read_both_ways() {
        let r = DateTime::from_timestamp(1_000_000, 0).unwrap_or_default();
        assert_eq!(relative(r - TimeDelta::seconds(120), r), "2 min ago");
        assert_eq!(relative(r + TimeDelta::seconds(30), r), "in 30 s");
        assert_eq!(relative(r, r), "now");
    }
}
