//! The user's time zone, only from evidence in the capture.
//!
//! A support ticket asks for the user's time zone, and a wrong one sends the
//! IdP's log search to the wrong hour. So the zone is never assumed:
//!
//! 1. **Recorded offsets.** A HAR `startedDateTime` with a numeric offset
//!    (HAR 1.2 §log.entries: "ISO 8601 … with time zone") or Fiddler's
//!    session timers in `raw/NN_m.xml` carry the clock of the machine that
//!    recorded the capture. Chrome, Edge and Playwright write UTC with `Z`
//!    whatever the user's zone, and some exporters (mitmproxy) write UTC as
//!    `+00:00`; so `Z` is never evidence, and `+00:00` only from an exporter
//!    known to write local time (Fiddler, Firefox, Safari / WebKit, Charles).
//! 2. **A page or telemetry value** the browser sent with its own zone: an
//!    IANA zone name (what `Intl.DateTimeFormat().resolvedOptions().timeZone`
//!    returns, ECMA-402 §11.3.7) in a query or form field named like a time
//!    zone. It names the zone but no offset, so the local time is omitted.
//! 3. Otherwise the zone is **unknown**, with the reason and "ask the user".

use chrono::FixedOffset;

use crate::capture::{Capture, Exchange, Format, Headers, Limits, Started, offset_label};

/// What the capture shows of the user's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// Known: `label` (`UTC+02:00`, `Europe/Berlin`), the offset when the
    /// evidence carries one, and where it was found.
    Known {
        label: String,
        offset: Option<FixedOffset>,
        entry: u32,
        source: String,
    },
    /// Not shown by the capture; `note` says why and what to do.
    Unknown { note: String },
}

/// Field names that carry the browser's zone in pages and telemetry.
const ZONE_FIELDS: [&str; 8] = [
    "timezone",
    "timeZone",
    "time_zone",
    "tz",
    "browserTimeZone",
    "clientTimeZone",
    "userTimeZone",
    "browser_tz",
];

/// The user's zone, looked for at the `focus` entry first, then at every
/// exchange in capture order.
pub fn user_zone(capture: &Capture<'_>, focus: Option<u32>, limits: &Limits) -> Zone {
    let at_focus = focus.and_then(|n| capture.entry(n));
    let ordered = at_focus.into_iter().chain(capture.exchanges.iter());
    for e in ordered.clone() {
        if let Some(s) = e.started
            && is_user_offset(capture, &s)
        {
            return Zone::Known {
                label: offset_label(s.time.offset()),
                offset: Some(*s.time.offset()),
                entry: e.index,
                source: offset_source(capture),
            };
        }
    }
    for e in ordered {
        if let Some((label, source)) = browser_zone(e, limits) {
            return Zone::Known {
                label,
                offset: None,
                entry: e.index,
                source,
            };
        }
    }
    Zone::Unknown {
        note: unknown_note(capture),
    }
}

/// Whether a start time's offset is the recording machine's zone (see the
/// module doc).
pub fn is_user_offset(capture: &Capture<'_>, s: &Started) -> bool {
    s.zone_known
        && s.offset_recorded
        && (s.time.offset().local_minus_utc() != 0 || writes_local_time(capture))
}

/// Exporters that write start times in the machine's local zone, so that
/// even `+00:00` is a statement about the zone.
fn writes_local_time(capture: &Capture<'_>) -> bool {
    if capture.format == Format::Saz {
        return true;
    }
    let names = [Some(&capture.creator), capture.browser.as_ref()];
    names.into_iter().flatten().any(|c| {
        let n = c.name.to_ascii_lowercase();
        ["firefox", "fiddler", "charles", "webkit", "safari"]
            .iter()
            .any(|k| n.contains(k))
    })
}

fn offset_source(capture: &Capture<'_>) -> String {
    match capture.format {
        Format::Saz => "Fiddler session timers (the capturing machine's clock)".to_owned(),
        Format::Har => "HAR startedDateTime offset (the recording machine's clock)".to_owned(),
    }
}

fn unknown_note(capture: &Capture<'_>) -> String {
    let times: Vec<&Started> = capture
        .exchanges
        .iter()
        .filter_map(|e| e.started.as_ref())
        .collect();
    let reason = if times.is_empty() {
        "the capture records no times"
    } else if times.iter().all(|s| !s.zone_known) {
        "this exporter records times without a UTC offset"
    } else {
        "this exporter records UTC only"
    };
    format!("unknown ({reason}) — ask the user")
}

/// An IANA zone the browser sent in a query or form field.
fn browser_zone(e: &Exchange<'_>, limits: &Limits) -> Option<(String, String)> {
    const MAX_FORM: usize = 64 << 10;
    if let Ok(url) = url::Url::parse(&e.request.url) {
        for (k, v) in url.query_pairs() {
            if ZONE_FIELDS.contains(&k.as_ref()) && is_iana_zone(&v) {
                return Some((
                    v.into_owned(),
                    format!("`{k}` query parameter sent by the page"),
                ));
            }
        }
    }
    let body = e.request.body.as_ref()?;
    if body.is_empty() || body.recorded_len() > MAX_FORM {
        return None;
    }
    let form = e
        .request
        .header("content-type")
        .is_some_and(|c| c.to_ascii_lowercase().contains("x-www-form-urlencoded"));
    if !form {
        return None;
    }
    let text = body.text(limits).ok()?;
    ZONE_FIELDS.iter().find_map(|name| {
        crate::decode::ids::form_field(&text, name)
            .filter(|v| is_iana_zone(v))
            .map(|v| (v, format!("`{name}` form field sent by the page")))
    })
}

/// `Area/Location` (`Europe/Berlin`, `America/Argentina/Buenos_Aires`) or
/// `UTC` / `Etc/…`, as the tz database names zones.
fn is_iana_zone(v: &str) -> bool {
    const AREAS: [&str; 10] = [
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ];
    if v == "UTC" {
        return true;
    }
    let mut parts = v.split('/');
    let area_ok = parts.next().is_some_and(|a| AREAS.contains(&a));
    let rest: Vec<&str> = parts.collect();
    area_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 30
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_tz_database_names_only() {
        for ok in [
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "UTC",
        ] {
            assert!(is_iana_zone(ok), "{ok}");
        }
        for ko in [
            "",
            "Berlin",
            "Mars/Olympus",
            "Europe/",
            "Europe/Ber lin",
            "-120",
        ] {
            assert!(!is_iana_zone(ko), "{ko}");
        }
    }
}
