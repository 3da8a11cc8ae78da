//! Placeholders other sanitizers leave where they removed a value: Fiddler
//! and HAR sanitizers write `[code redacted]`, `REDACTED`, `<redacted>`,
//! `***` or a run of `x`. A protocol field holding one was removed by the
//! exporter: it is neither a message that failed to decode nor a value the
//! application rejected, and the decoders say so ([`is_removed`],
//! [`REASON`]) instead of reporting it undecodable.

/// Why such a field has no message, for the decoders' notes.
pub const REASON: &str =
    "removed by the exporter: a sanitizer's placeholder stands where the value was";

/// Whether a protocol field's value is a sanitizer's placeholder: the
/// shapes of [`crate::secret::is_placeholder`], and a run of five or more
/// `x` (no SAML message, JWT or authorization code is one).
pub fn is_removed(value: &str) -> bool {
    let v = value.trim();
    crate::secret::is_placeholder(v)
        || (v.len() >= 5 && v.bytes().all(|b| b.eq_ignore_ascii_case(&b'x')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizer_placeholders_are_removed_values_and_real_values_are_not() {
        for p in [
            "[code redacted]",
            "REDACTED",
            "<redacted>",
            "***",
            "xxxxx",
            " XXXXXXXX ",
            "[REDACTED]",
        ] {
            assert!(is_removed(p), "{p}");
        }
        for v in [
            "PHNhbWxwOlJlc3BvbnNlIC8+",
            "eyJhbGciOiJub25lIn0.e30.",
            "0.AXEA-code",
            "xx",
            "redacted-user-0123456789",
        ] {
            assert!(!is_removed(v), "{v}");
        }
    }
}
