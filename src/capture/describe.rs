//! One-line descriptions of a capture for every output: its format and
//! exporter, its time span, and UTC offsets as labels.

use chrono::FixedOffset;

use super::{Capture, Started};

/// `UTC+01:00`, `UTC−06:00`, `UTC`.
pub fn offset_label(offset: &FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// First and last start times of a capture.
pub fn span(capture: &Capture<'_>) -> Option<(Started, Started)> {
    let mut times = capture.exchanges.iter().filter_map(|e| e.started);
    let first = times.next()?;
    let (lo, hi) = times.fold((first, first), |(lo, hi), t| {
        (
            if t.time < lo.time { t } else { lo },
            if t.time > hi.time { t } else { hi },
        )
    });
    Some((lo, hi))
}

/// The capture's one-line description: `HAR 1.2 by WebInspector 537.36, 27 entries`.
pub fn describe(capture: &Capture<'_>) -> String {
    let mut s = capture.format.as_str().to_ascii_uppercase();
    if let Some(v) = &capture.version {
        s.push(' ');
        s.push_str(v);
    }
    s.push_str(" by ");
    s.push_str(&capture.creator.to_string());
    if let Some(b) = capture
        .browser
        .as_ref()
        .filter(|b| b.name != capture.creator.name)
    {
        s.push_str(&format!(" ({b})"));
    }
    let n = capture.exchanges.len();
    s.push_str(&format!(
        ", {n} {}",
        if n == 1 { "entry" } else { "entries" }
    ));
    s
}

/// The exporter for the ticket: `Chrome HAR (WebInspector 537.36)`.
pub fn describe_exporter(capture: &Capture<'_>) -> String {
    let fmt = capture.format.as_str().to_ascii_uppercase();
    match &capture.browser {
        Some(b) if b.name != capture.creator.name => format!("{fmt} by {} ({b})", capture.creator),
        _ => format!("{fmt} by {}", capture.creator),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn offsets_are_labelled() {
        let east = FixedOffset::east_opt(3600).unwrap();
        let west = FixedOffset::west_opt(6 * 3600).unwrap();
        assert_eq!(offset_label(&east), "UTC+01:00");
        assert_eq!(offset_label(&west), "UTC-06:00");
    }
}
