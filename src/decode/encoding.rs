//! Encoding layers of identity messages: lenient base64 with its report
//! (the decoder itself is `codec::base64`; percent and entity decoding are
//! `codec::percent` and `codec::html`), bounded DEFLATE inflation, the "what
//! is this `SAMLRequest` value" helper, and the time helpers (`xs:dateTime`
//! parsing and "expired 2 h ago" phrases) every decoder renders with.
//!
//! Invariants: nothing here panics on input; every decompression is bounded
//! by a caller-supplied limit; every function reports *how* a value was
//! encoded so the diagnosis can flag a binding that used the wrong encoding.
//!
//! Real captures carry these values in every imaginable shape — line-wrapped
//! with CRLF, URL-safe alphabet, unpadded, percent-encoded once or twice, `+`
//! turned into a space by a form decoder, zlib-wrapped instead of raw
//! DEFLATE — so decoding is deliberately lenient and the leniency is recorded
//! in [`Base64Info`] / [`MessageEncoding`] rather than hidden.

use std::fmt;
use std::io::Read;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::codec::base64::trim_value;
use crate::codec::html::decode_entities;
use crate::codec::percent::decode_layers;

/// Default bound on decoded / inflated identity messages (16 MiB).
pub const DEFAULT_MAX_DECODED_BYTES: usize = 16 << 20;

/// Why a value could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// Nothing left after trimming whitespace and quotes.
    #[error("the value is empty")]
    Empty,
    /// A character that belongs to no base64 alphabet.
    #[error(
        "not base64: character {ch:?} at offset {offset} is in neither the standard nor the URL-safe alphabet"
    )]
    InvalidBase64Char {
        /// The offending character.
        ch: char,
        /// Character offset in the (percent-decoded) value.
        offset: usize,
    },
    /// `=` followed by more data.
    #[error("not base64: padding '=' at offset {offset} is followed by more data")]
    MisplacedPadding {
        /// Character offset of the first `=`.
        offset: usize,
    },
    /// 4n+1 symbols can never be valid base64 (a truncated copy, usually).
    #[error(
        "not base64: {symbols} symbols is one more than a multiple of 4 — the value looks truncated"
    )]
    TruncatedBase64 {
        /// Number of alphabet symbols after removing whitespace and padding.
        symbols: usize,
    },
    /// The DEFLATE / zlib / gzip stream is corrupt or truncated.
    #[error("{format} data is corrupt or truncated: {message}")]
    Inflate {
        /// Which container was being read.
        format: Compression,
        /// What the decompressor said.
        message: String,
    },
    /// Output would exceed the caller's limit (a decompression bomb, or a
    /// message far larger than any real one).
    #[error("decoded data exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Decoding worked but the result is not XML.
    #[error("decoded {steps} but the result is not XML (starts with {starts_with})")]
    NotXml {
        /// The steps that were applied ("base64 → raw DEFLATE").
        steps: String,
        /// The first bytes, hex, for the reader.
        starts_with: String,
    },
}

// ---------------------------------------------------------------------------
// Percent and HTML decoding
// ---------------------------------------------------------------------------

// Both live in `codec`: `codec::percent::{decode, decode_form,
// decode_layers}` and `codec::html::decode_entities`.

// ---------------------------------------------------------------------------
// Lenient base64
// ---------------------------------------------------------------------------

pub use crate::codec::base64::{Base64Alphabet, Base64Info, Base64Padding};

impl From<crate::codec::base64::Base64Error> for EncodingError {
    fn from(e: crate::codec::base64::Base64Error) -> Self {
        use crate::codec::base64::Base64Error as B;
        match e {
            B::Empty => EncodingError::Empty,
            B::InvalidChar { ch, offset } => EncodingError::InvalidBase64Char { ch, offset },
            B::MisplacedPadding { offset } => EncodingError::MisplacedPadding { offset },
            B::Truncated { symbols } => EncodingError::TruncatedBase64 { symbols },
        }
    }
}

/// Decodes base64 in any of the forms identity messages arrive in and says
/// which ([`crate::codec::base64::decode_message`]).
///
/// RFC 4648 §3.3 lets implementations ignore non-alphabet characters; we
/// ignore only whitespace and reject anything else, with its offset.
pub fn decode_base64(input: &str) -> Result<(Vec<u8>, Base64Info), EncodingError> {
    Ok(crate::codec::base64::decode_message(input)?)
}

/// [`decode_base64`] without the report.
pub fn base64_lenient(input: &str) -> Result<Vec<u8>, EncodingError> {
    decode_base64(input).map(|(bytes, _)| bytes)
}

// ---------------------------------------------------------------------------
// DEFLATE
// ---------------------------------------------------------------------------

/// Compression container found around a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Not compressed.
    None,
    /// Raw DEFLATE (RFC 1951), as SAML bindings §3.4.4.1 requires.
    Deflate,
    /// zlib-wrapped DEFLATE (RFC 1950) — a common SP bug, tolerated.
    Zlib,
    /// gzip (RFC 1952) — rare, tolerated.
    Gzip,
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::None => "uncompressed",
            Compression::Deflate => "raw DEFLATE",
            Compression::Zlib => "zlib",
            Compression::Gzip => "gzip",
        })
    }
}

/// Inflates a redirect-binding payload, output bounded by `limit` bytes.
///
/// SAML bindings §3.4.4.1: "Any signature on the SAML protocol message,
/// including the <ds:Signature> XML element itself, MUST be removed. …
/// The resulting XML … MUST be compressed using the DEFLATE compression
/// mechanism [RFC1951] … The compressed data is subsequently base64-encoded".
///
/// Tolerated deviations: zlib (RFC 1950) and gzip wrappers, and data that is
/// not compressed at all (returned as is, [`Compression::None`]).
pub fn inflate(data: &[u8], limit: usize) -> Result<(Vec<u8>, Compression), EncodingError> {
    if looks_like_xml(data) {
        if data.len() > limit {
            return Err(EncodingError::TooLarge { limit });
        }
        return Ok((data.to_vec(), Compression::None));
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        let out = read_bounded(flate2::read::GzDecoder::new(data), limit, Compression::Gzip)?;
        return Ok((out, Compression::Gzip));
    }
    if is_zlib_header(data)
        && let Ok(out) = read_bounded(
            flate2::read::ZlibDecoder::new(data),
            limit,
            Compression::Zlib,
        )
    {
        return Ok((out, Compression::Zlib));
    }
    let out = read_bounded(
        flate2::read::DeflateDecoder::new(data),
        limit,
        Compression::Deflate,
    )?;
    Ok((out, Compression::Deflate))
}

/// RFC 1950 §2.2: CM = 8 in the low nibble of CMF, CMF·256 + FLG a multiple
/// of 31.
use crate::codec::zlib::is_header as is_zlib_header;

fn read_bounded(
    reader: impl Read,
    limit: usize,
    format: Compression,
) -> Result<Vec<u8>, EncodingError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| EncodingError::Inflate {
            format,
            message: e.to_string(),
        })?;
    if out.len() > limit {
        return Err(EncodingError::TooLarge { limit });
    }
    if out.is_empty() {
        return Err(EncodingError::Inflate {
            format,
            message: "no data".into(),
        });
    }
    Ok(out)
}

/// Whether bytes start like an XML document: optional UTF-8 BOM and
/// whitespace, then `<` followed by a name start, `?` or `!`.
pub fn looks_like_xml(data: &[u8]) -> bool {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    let mut rest = data.iter().skip_while(|b| b.is_ascii_whitespace());
    matches!(
        (rest.next(), rest.next()),
        (Some(b'<'), Some(c)) if c.is_ascii_alphabetic() || matches!(c, b'?' | b'!' | b'_' | b':')
    )
}

// ---------------------------------------------------------------------------
// SAMLRequest / SAMLResponse values
// ---------------------------------------------------------------------------

/// Every layer that was removed to get from a parameter value to XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageEncoding {
    /// Short label: `raw XML`, `base64`, `base64+deflate`, `base64+zlib`,
    /// `base64+gzip`, prefixed with `url-encoded ` / `html-escaped ` when
    /// those layers were present.
    pub summary: String,
    /// Percent-encoding layers removed (0 when the value came decoded).
    pub url_decoded_layers: u8,
    /// HTML character references were unescaped (value copied from a page).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub html_unescaped: bool,
    /// The base64 layer, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base64: Option<Base64Info>,
    /// Compression under the base64 layer.
    pub compression: Compression,
    /// The bytes were not valid UTF-8 and were decoded lossily.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lossy_utf8: bool,
}

impl MessageEncoding {
    /// Whether the value was DEFLATE-compressed in any container.
    pub fn is_compressed(&self) -> bool {
        self.compression != Compression::None
    }

    fn new(
        url_layers: u8,
        html: bool,
        base64: Option<Base64Info>,
        compression: Compression,
    ) -> Self {
        let mut summary = String::new();
        if html {
            summary.push_str("html-escaped ");
        }
        if url_layers == 1 {
            summary.push_str("url-encoded ");
        } else if url_layers > 1 {
            summary.push_str(&format!("url-encoded×{url_layers} "));
        }
        match (base64.is_some(), compression) {
            (false, _) => summary.push_str("raw XML"),
            (true, Compression::None) => summary.push_str("base64"),
            (true, Compression::Deflate) => summary.push_str("base64+deflate"),
            (true, Compression::Zlib) => summary.push_str("base64+zlib"),
            (true, Compression::Gzip) => summary.push_str("base64+gzip"),
        }
        Self {
            summary,
            url_decoded_layers: url_layers,
            html_unescaped: html,
            base64,
            compression,
            lossy_utf8: false,
        }
    }
}

impl fmt::Display for MessageEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(b) = &self.base64 {
            let mut quirks = Vec::new();
            match b.alphabet {
                Base64Alphabet::Standard => {}
                Base64Alphabet::UrlSafe => quirks.push("URL-safe alphabet"),
                Base64Alphabet::Mixed => quirks.push("mixed alphabets"),
            }
            match b.padding {
                Base64Padding::Canonical => {}
                Base64Padding::Missing => quirks.push("unpadded"),
                Base64Padding::Irregular => quirks.push("irregular padding"),
            }
            if b.line_wrapped {
                quirks.push("line-wrapped");
            }
            if b.spaces_as_plus {
                quirks.push("'+' turned into spaces");
            }
            if !quirks.is_empty() {
                write!(f, " ({})", quirks.join(", "))?;
            }
        }
        if self.lossy_utf8 {
            f.write_str(" [invalid UTF-8 replaced]")?;
        }
        Ok(())
    }
}

/// XML text recovered from a parameter value, with how it was encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedXml {
    /// The XML text (BOM removed).
    pub xml: String,
    /// The layers removed.
    pub encoding: MessageEncoding,
}

/// Turns a `SAMLRequest` / `SAMLResponse` (or `wresult`) value into XML text,
/// whatever the binding did to it: raw XML, HTML-escaped XML, percent-encoded
/// XML, base64 (SAML bindings §3.5.4, HTTP-POST) or base64 + DEFLATE
/// (§3.4.4.1, HTTP-Redirect), each possibly percent-encoded once or twice.
/// `limit` bounds the decompressed size.
pub fn decode_saml_param(value: &str, limit: usize) -> Result<DecodedXml, EncodingError> {
    let trimmed = trim_value(value);
    if trimmed.is_empty() {
        return Err(EncodingError::Empty);
    }
    let bounded = |xml: String, encoding: MessageEncoding| {
        if xml.len() > limit {
            Err(EncodingError::TooLarge { limit })
        } else {
            Ok(DecodedXml { xml, encoding })
        }
    };
    if looks_like_xml(trimmed.as_bytes()) {
        return bounded(
            strip_bom(trimmed).to_owned(),
            MessageEncoding::new(0, false, None, Compression::None),
        );
    }
    if trimmed.starts_with("&lt;") {
        return bounded(
            decode_entities(trimmed).into_owned(),
            MessageEncoding::new(0, true, None, Compression::None),
        );
    }
    let (unescaped, layers) = decode_layers(trimmed);
    if layers > 0 && looks_like_xml(unescaped.trim().as_bytes()) {
        return bounded(
            strip_bom(unescaped.trim()).to_owned(),
            MessageEncoding::new(layers, false, None, Compression::None),
        );
    }
    let (bytes, info) = decode_base64(trimmed)?;
    let (inflated, compression) = if looks_like_xml(&bytes) {
        (bytes, Compression::None)
    } else {
        inflate(&bytes, limit).map_err(|e| match e {
            EncodingError::Inflate { .. } => EncodingError::NotXml {
                steps: "base64 (and DEFLATE did not apply)".into(),
                starts_with: hex_prefix(&bytes),
            },
            other => other,
        })?
    };
    if !looks_like_xml(&inflated) {
        return Err(EncodingError::NotXml {
            steps: format!("base64 → {compression}"),
            starts_with: hex_prefix(&inflated),
        });
    }
    let mut encoding =
        MessageEncoding::new(info.url_decoded_layers, false, Some(info), compression);
    let xml = match String::from_utf8(inflated) {
        Ok(s) => s,
        Err(e) => {
            encoding.lossy_utf8 = true;
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    bounded(strip_bom(&xml).to_owned(), encoding)
}

fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s).trim_start()
}

fn hex_prefix(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    if hex.is_empty() {
        "nothing".into()
    } else {
        hex.join(" ")
    }
}

/// Upper-case hex without separators (certificate thumbprints).
pub fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

// ---------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------

/// A time as the message wrote it, plus its parsed UTC value for comparisons.
/// Serializes as the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    /// The attribute / element text, untouched.
    pub text: String,
    /// Parsed value; `None` when the text is not a valid `xs:dateTime`.
    pub utc: Option<DateTime<Utc>>,
}

impl Timestamp {
    /// Parses an `xs:dateTime`. SAML core §1.3.3: "All SAML time values have
    /// the type xs:dateTime … MUST be expressed in UTC form, with no time
    /// zone component" — offsets are accepted anyway and converted, and a
    /// value without a zone is read as UTC.
    pub fn parse(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            utc: parse_xs_datetime(text),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// `xs:dateTime` → UTC (see [`Timestamp::parse`]).
pub fn parse_xs_datetime(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

pub use crate::codec::duration::TimeRole;
pub use crate::codec::duration::phrase as relative_phrase;

/// `2024-01-18 06:21:48 UTC (expired 2 h ago)`; the text as written when it
/// does not parse; no phrase without a reference time.
pub fn describe_time(ts: &Timestamp, reference: Option<DateTime<Utc>>, role: TimeRole) -> String {
    match ts.utc {
        Some(t) => {
            let shown = t.format("%Y-%m-%d %H:%M:%S UTC");
            match reference {
                Some(r) => format!("{shown} ({})", relative_phrase(t, r, role)),
                None => shown.to_string(),
            }
        }
        None => format!("{} (not a valid xs:dateTime)", ts.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use std::io::Write as _;

    const XML: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a?b>c~" Version="2.0"/>"#;

    fn deflate_raw(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn wrap(s: &str, width: usize, eol: &str) -> String {
        s.as_bytes()
            .chunks(width)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(eol)
    }

    fn url_encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn accepts_every_base64_form_identity_messages_arrive_in() {
        // Bytes chosen so the standard encoding contains '+' and '/'.
        let data: Vec<u8> = (0u8..=255).chain(b"<xml/>".iter().copied()).collect();
        let std = STANDARD.encode(&data);
        assert!(std.contains('+') && std.contains('/'));
        let cases: Vec<(&str, String, Base64Alphabet, Base64Padding, bool, bool, u8)> = vec![
            (
                "standard",
                std.clone(),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                false,
                false,
                0,
            ),
            (
                "crlf_wrapped",
                wrap(&std, 60, "\r\n"),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                true,
                false,
                0,
            ),
            (
                "lf_wrapped_76",
                format!("{}\n", wrap(&std, 76, "\n")),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                true,
                false,
                0,
            ),
            (
                "url_safe_unpadded",
                URL_SAFE_NO_PAD.encode(&data),
                Base64Alphabet::UrlSafe,
                Base64Padding::Missing,
                false,
                false,
                0,
            ),
            (
                "unpadded_standard",
                std.trim_end_matches('=').to_owned(),
                Base64Alphabet::Standard,
                Base64Padding::Missing,
                false,
                false,
                0,
            ),
            (
                "extra_padding",
                format!("{std}=="),
                Base64Alphabet::Standard,
                Base64Padding::Irregular,
                false,
                false,
                0,
            ),
            (
                "percent_encoded_once",
                url_encode(&std),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                false,
                false,
                1,
            ),
            (
                "percent_encoded_twice",
                url_encode(&url_encode(&std)),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                false,
                false,
                2,
            ),
            (
                "plus_turned_into_space",
                std.replace('+', " "),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                false,
                true,
                0,
            ),
            (
                "quoted_with_whitespace",
                format!("  \"{std}\"\n"),
                Base64Alphabet::Standard,
                Base64Padding::Canonical,
                false,
                false,
                0,
            ),
        ];
        for (name, input, alphabet, padding, wrapped, spaces, layers) in cases {
            let (bytes, info) = decode_base64(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(bytes, data, "{name}");
            assert_eq!(info.alphabet, alphabet, "{name}");
            assert_eq!(info.padding, padding, "{name}");
            assert_eq!(info.line_wrapped, wrapped, "{name}");
            assert_eq!(info.spaces_as_plus, spaces, "{name}");
            assert_eq!(info.url_decoded_layers, layers, "{name}");
        }
    }

    #[test]
    fn rejects_broken_base64_saying_why() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            ("abc*def", "character '*' at offset 3"),
            ("abcde", "looks truncated"),
            ("ab==cd", "padding '=' at offset 2"),
        ];
        for (input, expected) in cases {
            let err = decode_base64(input).unwrap_err().to_string();
            assert!(err.contains(expected), "{input:?}: {err}");
        }
    }

    #[test]
    fn decodes_saml_param_in_every_binding_shape() {
        let b64 = STANDARD.encode(XML);
        let b64_deflate = STANDARD.encode(deflate_raw(XML.as_bytes()));
        let b64_zlib = STANDARD.encode(zlib(XML.as_bytes()));
        let html = XML
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let cases = [
            ("raw_xml", XML.to_owned(), "raw XML", Compression::None),
            (
                "raw_xml_with_bom",
                format!("\u{feff}{XML}"),
                "raw XML",
                Compression::None,
            ),
            (
                "html_escaped_xml",
                html,
                "html-escaped raw XML",
                Compression::None,
            ),
            (
                "url_encoded_xml",
                url_encode(XML),
                "url-encoded raw XML",
                Compression::None,
            ),
            (
                "post_binding_base64",
                b64.clone(),
                "base64",
                Compression::None,
            ),
            (
                "redirect_binding",
                b64_deflate.clone(),
                "base64+deflate",
                Compression::Deflate,
            ),
            (
                "redirect_binding_url_encoded",
                url_encode(&b64_deflate),
                "url-encoded base64+deflate",
                Compression::Deflate,
            ),
            (
                "redirect_binding_double_encoded",
                url_encode(&url_encode(&b64_deflate)),
                "url-encoded×2 base64+deflate",
                Compression::Deflate,
            ),
            (
                "zlib_wrapped_deflate",
                b64_zlib,
                "base64+zlib",
                Compression::Zlib,
            ),
            (
                "non_deflated_base64_in_redirect",
                url_encode(&b64),
                "url-encoded base64",
                Compression::None,
            ),
            (
                "crlf_wrapped_deflate",
                wrap(&b64_deflate, 10, "\r\n"),
                "base64+deflate",
                Compression::Deflate,
            ),
        ];
        for (name, input, summary, compression) in cases {
            let d = decode_saml_param(&input, DEFAULT_MAX_DECODED_BYTES)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(d.xml, XML, "{name}");
            assert_eq!(d.encoding.summary, summary, "{name}");
            assert_eq!(d.encoding.compression, compression, "{name}");
        }
    }

    #[test]
    fn rejects_param_that_is_not_xml() {
        let err = decode_saml_param(&STANDARD.encode("hello world, not xml"), 1 << 20).unwrap_err();
        assert!(matches!(err, EncodingError::NotXml { .. }), "{err}");
        assert!(err.to_string().contains("not XML"));
    }

    #[test]
    fn inflate_stops_at_the_limit() {
        let bomb = deflate_raw(&vec![b'<'; 1 << 20]);
        assert_eq!(
            inflate(&bomb, 1000),
            Err(EncodingError::TooLarge { limit: 1000 })
        );
        let (out, c) = inflate(&bomb, 2 << 20).unwrap();
        assert_eq!((out.len(), c), (1 << 20, Compression::Deflate));
    }

    #[test]
    fn inflate_reports_corrupt_stream() {
        let mut data = deflate_raw(XML.as_bytes());
        data.truncate(data.len() / 2);
        data.push(0xff);
        let err = inflate(&[0xff, 0xff, 0xff, 0xff], 1000).unwrap_err();
        assert!(err.to_string().contains("raw DEFLATE"), "{err}");
        // A truncated stream may yield a prefix or an error; it must not panic.
        let _ = inflate(&data, 1000);
    }

    #[test]
    fn parses_xs_datetime_forms() {
        let cases = [
            ("2024-01-18T06:21:48Z", Some("2024-01-18T06:21:48+00:00")),
            (
                "2014-05-27T23:32:35.426Z",
                Some("2014-05-27T23:32:35.426+00:00"),
            ),
            (
                "2020-09-25T17:00:00+00:00",
                Some("2020-09-25T17:00:00+00:00"),
            ),
            (
                "2020-09-25T19:00:00+02:00",
                Some("2020-09-25T17:00:00+00:00"),
            ),
            ("2020-09-25T17:00:00", Some("2020-09-25T17:00:00+00:00")),
            (
                "2011-06-22T12:54:30.3481234Z",
                Some("2011-06-22T12:54:30.348123400+00:00"),
            ),
            ("yesterday", None),
        ];
        for (text, expected) in cases {
            let got = Timestamp::parse(text).utc.map(|t| t.to_rfc3339());
            assert_eq!(got.as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn relative_phrases_read_naturally() {
        let r = parse_xs_datetime("2024-01-18T12:00:00Z").unwrap();
        let t = |s: &str| parse_xs_datetime(s).unwrap();
        let cases = [
            (
                "2024-01-18T10:00:00Z",
                TimeRole::NotOnOrAfter,
                "expired 2 h ago",
            ),
            (
                "2024-01-18T12:05:00Z",
                TimeRole::NotOnOrAfter,
                "expires in 5 min",
            ),
            (
                "2024-01-18T12:00:40Z",
                TimeRole::NotBefore,
                "not valid for another 40 s",
            ),
            ("2024-01-15T12:00:00Z", TimeRole::Instant, "3 d ago"),
            (
                "2028-01-18T12:00:00Z",
                TimeRole::NotOnOrAfter,
                "expires in 4 y 1 d",
            ),
            ("2024-01-18T12:00:00Z", TimeRole::Instant, "now"),
        ];
        for (time, role, expected) in cases {
            assert_eq!(relative_phrase(t(time), r, role), expected, "{time}");
        }
        let ts = Timestamp::parse("2024-01-18T10:00:00Z");
        assert_eq!(
            describe_time(&ts, Some(r), TimeRole::NotOnOrAfter),
            "2024-01-18 10:00:00 UTC (expired 2 h ago)"
        );
    }
}
