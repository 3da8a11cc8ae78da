//! Finding and decoding identity protocol messages in exchanges.

pub mod aadsts;
pub mod encoding;
pub mod entra;
pub mod jwt;
pub mod oidc;
pub mod pages;
pub mod saml;
pub mod wsfed;

use chrono::{DateTime, Utc};

/// How decoded messages are rendered as text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// `--show-secrets`: print token signatures, codes, cookie values.
    pub show_secrets: bool,
    /// The clock relative times are measured against ("expired 2 h ago"):
    /// the capture's own time for messages in a capture, now for `decode`.
    pub reference_time: Option<DateTime<Utc>>,
}
