//! The root cause each app-library error message names: the table of
//! messages is a fact about a page and lives in
//! [`crate::decode::pages::app_errors`]; this file maps its neutral
//! [`AppErrorKind`] to the rules' [`Category`], so the precedence and the
//! wording of findings stay in `rules`.

pub use crate::decode::pages::app_errors::{
    AppErrorKind, AppMessage, Matched, find, sentence_around,
};
use crate::rules::Category;

/// The root-cause category the app's message names.
pub fn category(kind: AppErrorKind) -> Category {
    match kind {
        AppErrorKind::MissingCookie => Category::CookieDropped,
        AppErrorKind::StateMismatch => Category::InResponseToMismatch,
        AppErrorKind::TokenLifetime => Category::ClockSkew,
        AppErrorKind::AudienceMismatch => Category::AudienceMismatch,
        AppErrorKind::DestinationMismatch => Category::DestinationMismatch,
        AppErrorKind::ResponseRejected => Category::ResponseRejected,
        AppErrorKind::SignatureInvalid => Category::Signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_failure_names_a_dropped_cookie() {
        let m =
            find("<html><body><p>An unhandled exception: Correlation failed.</p></body></html>")
                .unwrap();
        assert_eq!(category(m.row.kind), Category::CookieDropped);
    }

    #[test]
    fn jose_exp_failure_names_clock_skew() {
        let m = find(r#"{"error":"\"exp\" claim timestamp check failed"}"#).unwrap();
        assert_eq!(category(m.row.kind), Category::ClockSkew);
    }

    #[test]
    fn idx_signature_failure_names_the_signature() {
        let m = find("IDX10503: Signature validation failed.").unwrap();
        assert_eq!(category(m.row.kind), Category::Signature);
    }
}
