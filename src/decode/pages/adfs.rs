//! The AD FS error page (`/adfs/ls/…`): "An error occurred" and an
//! "Error details" list — `Activity ID`, `Relying party`, `Error time`,
//! `Cookie`, `User agent string` (error-surfaces.md §f; issue
//! jitbit/AspNetSaml#16). The Activity ID joins to the AD FS Admin event log
//! (events 364, 342, …) on the server; AD FS activity IDs start
//! `00000000-0000-0000-`, a cheap fingerprint. `MSISnnnn` codes, when the
//! page shows one (custom error texts, event excerpts), are collected.
//!
//! Guard: needs an `Activity ID` value plus one more AD FS trait (an `Error
//! time` label, the `00000000-0000-0000-` fingerprint, an `/adfs/` path or
//! "An error occurred"), and a host that is not clearly something else
//! (unless the path is under `/adfs/`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Idp, IdpDetails, IdpErrorPage, Page, read_labels};
use crate::decode::lines::Lines;

/// AD FS-specific fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdfsDetails {
    pub activity_id: String,
    /// Whether the Activity ID has the AD FS `00000000-0000-0000-` prefix.
    pub activity_id_fingerprint: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_activity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party: Option<String>,
    /// As written (`Mon, 04 Mar 2019 05:30:06 GMT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_time: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::decode::entra::troubleshooting::ser_time"
    )]
    pub error_time_utc: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// `MSISnnnn` codes found on the page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub msis_codes: Vec<String>,
}

const FINGERPRINT: &str = "00000000-0000-0000-";

/// Decodes an AD FS error page.
pub fn decode(page: &Page<'_>) -> Option<IdpErrorPage> {
    let adfs_path = page
        .path
        .is_some_and(|p| p.to_ascii_lowercase().contains("/adfs/"));
    if !page.host_allows_text_detection() && !adfs_path {
        return None;
    }
    let labels: [&[&str]; 6] = [
        &["activity id", "activityid"],
        &["related activity id"],
        &["relying party"],
        &["error time"],
        &["cookie"],
        &["user agent string", "user agent"],
    ];
    let [activity, related, rp, time, cookie, ua] =
        <[Option<String>; 6]>::try_from(read_labels(page.text, &labels)).ok()?;
    let activity_id = activity?;
    let fingerprint = activity_id.starts_with(FINGERPRINT);
    let error_occurred = super::html::contains_ci(page.text, "an error occurred");
    if !(time.is_some() || fingerprint || adfs_path || error_occurred) {
        return None;
    }
    let msis_codes = msis_codes(page.text);
    let lines = || page.text.lines();
    let description = lines()
        .find(|l| super::html::contains_ci(l, "contact your administrator"))
        .or_else(|| lines().find(|l| super::html::contains_ci(l, "error occurred")))
        .map(str::to_owned);
    Some(IdpErrorPage {
        idp: Idp::Adfs,
        host: None,
        title: page.title(),
        error: msis_codes.first().cloned(),
        description,
        category: "idp_error",
        details: IdpDetails::Adfs(AdfsDetails {
            activity_id_fingerprint: fingerprint,
            activity_id,
            related_activity_id: related,
            relying_party: rp,
            error_time_utc: time
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc2822(t).ok())
                .map(|t| t.with_timezone(&Utc)),
            error_time: time,
            cookie,
            user_agent: ua,
            msis_codes,
        }),
    })
}

/// Every distinct `MSIS` + 4 digits in the text, in order.
fn msis_codes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("MSIS") {
        let after = rest.get(i + 4..).unwrap_or_default();
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            let code = format!("MSIS{digits}");
            if !out.contains(&code) {
                out.push(code);
            }
        }
        rest = after;
    }
    out
}

impl AdfsDetails {
    pub(crate) fn write_text(&self, l: &mut Lines<'_>) -> std::io::Result<()> {
        let mut id = self.activity_id.clone();
        if self.activity_id_fingerprint {
            id.push_str("  (AD FS activity ID: search the AD FS Admin event log for it)");
        }
        l.kv("Activity ID", &id)?;
        l.opt("Related activity", self.related_activity_id.as_deref())?;
        l.opt("Relying party", self.relying_party.as_deref())?;
        let time = match (&self.error_time, &self.error_time_utc) {
            (Some(raw), Some(t)) => Some(format!("{raw} ({})", t.to_rfc3339())),
            (raw, _) => raw.clone(),
        };
        l.opt("Error time", time.as_deref())?;
        l.opt("Cookie", self.cookie.as_deref())?;
        l.opt("User agent", self.user_agent.as_deref())?;
        if !self.msis_codes.is_empty() {
            l.kv("MSIS codes", &self.msis_codes.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msis_codes_are_collected_once() {
        assert_eq!(
            msis_codes("MSIS7012: x MSIS0038 y MSIS7012 MSIS12 MSIS"),
            ["MSIS7012", "MSIS0038"]
        );
    }
}
