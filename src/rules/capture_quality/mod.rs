//! Capture-quality rules: what in the capture itself keeps the flow from
//! being seen (undecrypted HTTPS, stripped cookies and bodies, truncation,
//! a capture started mid-flow, no identity traffic at all).

mod bodies_missing;
mod capture_started_mid_flow;
mod https_not_decrypted;
mod no_identity_traffic;
mod sanitized_export;
mod truncated_capture;

pub use bodies_missing::BODIES_MISSING;
pub use capture_started_mid_flow::MID_FLOW;
pub use https_not_decrypted::HTTPS_NOT_DECRYPTED;
pub use no_identity_traffic::NO_IDENTITY_TRAFFIC;
pub use sanitized_export::SANITIZED_EXPORT;
pub use truncated_capture::TRUNCATED;

use crate::capture::{Format, Headers};
use crate::flow::{Context, is_navigation};
use crate::rules::{Finding, Severity};

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
