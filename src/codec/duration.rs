//! One wording for durations and relative times in every output: the two
//! largest units (`2 h 5 min`, `45 s`, `7 y 77 d`; a year is 365 days), and
//! `2 h 5 min ago` / `in 5 min` / `now` against a reference instant.

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

#[cfg(test)]
mod tests {
    use super::*;

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
