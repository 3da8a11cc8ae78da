//! What an OpenID Connect relying party checks in the id_token, redone from
//! the trace (../shared/reference/failure-detection.md O3, O7, O8): its
//! `nonce` against the authorization request's, its `aud` against the
//! `client_id`, and its validity window against the clocks in the trace.
//!
//! Each check runs on callbacks delivered to the app; a mismatch is an error
//! when the app then refused the answer, a warning when it accepted it.

mod oidc_audience_mismatch;
mod oidc_nonce_mismatch;
mod oidc_token_time;

pub use oidc_audience_mismatch::TOKEN_AUDIENCE_MISMATCH;
pub use oidc_nonce_mismatch::NONCE_MISMATCH;
pub use oidc_token_time::TOKEN_CLOCK_SKEW;

use chrono::Utc;

use crate::capture::Headers;
use crate::decode::jwt::Jwt;
use crate::flow::Context;
use crate::rules::Finding;

/// Seconds of tolerance before a time claim counts as violated.
const LEEWAY: i64 = 1;

/// Delivered id_tokens with the message index and the request's values.
fn delivered<'c>(ctx: &'c Context<'_, '_>) -> Vec<(usize, u32, &'c Jwt)> {
    ctx.messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.place.is_sent() && m.message.is_idp_answer())
        .filter_map(|(i, m)| m.message.id_token().map(|j| (i, m.entry, j)))
        .collect()
}
