//! Percent-encoding (RFC 3986 §2.1) and form encoding
//! (`application/x-www-form-urlencoded`, WHATWG URL §5), through the
//! `percent-encoding` and `url` crates: one decoder for every caller.
//!
//! Two readings of the same bytes exist and callers must pick: in a URL
//! component `+` is data (a base64 `+` must survive), in a form value `+` is
//! a space. Invalid escapes are kept verbatim, invalid UTF-8 is replaced.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// How many percent-encoding layers [`decode_layers`] undoes at most
/// (values re-encoded by each redirect hop rarely exceed two).
pub const MAX_LAYERS: u8 = 3;

/// Everything but the RFC 3986 §2.3 unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One layer of percent-decoding; `+` is left alone.
pub fn decode(s: &str) -> Cow<'_, str> {
    percent_decode_str(s).decode_utf8_lossy()
}

/// A form value: `+` is a space, `%XX` a byte.
pub fn decode_form(s: &str) -> String {
    if !s.contains(['+', '%']) {
        return s.to_owned();
    }
    let spaced = s.replace('+', " ");
    decode(&spaced).into_owned()
}

/// Whether `s` holds at least one valid `%XX` escape.
pub fn has_escape(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()))
}

/// Undoes up to [`MAX_LAYERS`] layers, returning the value and how many
/// layers were removed.
pub fn decode_layers(s: &str) -> (String, u8) {
    let mut value = s.to_owned();
    let mut layers = 0;
    while layers < MAX_LAYERS && has_escape(&value) {
        value = decode(&value).into_owned();
        layers += 1;
    }
    (value, layers)
}

/// Percent-encodes everything but the unreserved characters.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Form-encodes a value (space as `+`).
pub fn encode_form(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decoding_keeps_plus_and_invalid_escapes() {
        assert_eq!(decode("a%2Bb+c%zz%4"), "a+b+c%zz%4");
        assert_eq!(decode("%E2%82%AC"), "€");
        assert_eq!(decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn form_decoding_reads_plus_as_space() {
        assert_eq!(decode_form("a+b%2Bc"), "a b+c");
        assert_eq!(decode_form("plain"), "plain");
    }

    #[test]
    fn layers_stop_at_the_limit() {
        assert_eq!(decode_layers("a%25252541"), ("a%41".to_owned(), 3));
        assert_eq!(decode_layers("abc"), ("abc".to_owned(), 0));
    }

    #[test]
    fn encoding_round_trips() {
        let s = "https://app/cb?x=1&y=ä b~";
        assert_eq!(decode(&encode_component(s)), s);
        assert_eq!(encode_component("a-b._~"), "a-b._~");
        assert_eq!(decode_form(&encode_form(s)), s);
    }
}
