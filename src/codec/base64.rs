//! Base64 (RFC 4648) as captures carry it, through the `base64` crate: one
//! engine, three lenient readings and the encoders redaction needs to write
//! a value back in the shape it had.
//!
//! RFC 4648 §3.3: "Implementations MUST reject the encoded data if it
//! contains characters outside the base alphabet when interpreting
//! base-encoded data, unless the specification referring to this document
//! explicitly states otherwise." Identity messages are read from captures,
//! not validated, so the readings here accept what real exporters and IdPs
//! write and report it instead:
//!
//! * [`decode_message`] — a protocol parameter (`SAMLRequest`,
//!   `SAMLResponse`, `wresult`…): both alphabets (§4 standard, §5 URL-safe),
//!   `=` padding optional, CR / LF / tab wrapping (SAML POST bodies wrapped at
//!   76 columns, RFC 2045 §6.8), one to three percent-encoding layers (`%2B`
//!   for `+` in a query-string `SAMLRequest`), spaces read as `+` when a form
//!   decoder has turned every `+` into a space, surrounding quotes of a
//!   pasted value. What was tolerated is returned in a [`Base64Info`].
//! * [`decode_wrapped`] — transport base64 (HAR `encoding: "base64"` bodies,
//!   XML-DSig values, PEM bodies, HTTP `Negotiate` tokens): both alphabets,
//!   padding optional, any ASCII whitespace ignored.
//! * [`decode_url`] — one JWS / JWE segment (RFC 7515 §2 base64url, no
//!   padding, no whitespace): trailing `=` and the standard alphabet are
//!   tolerated and reported in [`UrlQuirks`].
//!
//! All three accept non-zero trailing bits (RFC 4648 §3.5 lets an encoder
//! leave them; some do) and never panic on input.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Serialize;

/// The one decoding engine: symbols normalised to the standard alphabet,
/// padding removed (and judged) before it runs.
const DECODER: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Why a value is not base64 in any of the accepted shapes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// Nothing left after trimming whitespace and quotes.
    #[error("the value is empty")]
    Empty,
    /// A character that belongs to no base64 alphabet.
    #[error(
        "character {ch:?} at offset {offset} is in neither the standard nor the URL-safe alphabet"
    )]
    InvalidChar {
        /// The offending character.
        ch: char,
        /// Character offset in the value (after percent-decoding, if any).
        offset: usize,
    },
    /// `=` followed by more data.
    #[error("padding '=' at offset {offset} is followed by more data")]
    MisplacedPadding {
        /// Character offset of the first `=`.
        offset: usize,
    },
    /// 4n+1 symbols can never be valid base64 (a truncated copy, usually).
    #[error("{symbols} symbols is one more than a multiple of 4 — the value looks truncated")]
    Truncated {
        /// Number of alphabet symbols after removing whitespace and padding.
        symbols: usize,
    },
}

/// Which base64 alphabet a value used (RFC 4648 §4 standard, §5 URL-safe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base64Alphabet {
    /// `+` and `/` (or neither character present).
    Standard,
    /// `-` and `_` (RFC 4648 §5, what JWTs use per RFC 7515 §2).
    UrlSafe,
    /// Both pairs in one value — decoded anyway.
    Mixed,
}

/// How the `=` padding looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base64Padding {
    /// As RFC 4648 §3.2 requires (including "none needed").
    Canonical,
    /// Padding needed but missing (RFC 7515 base64url style).
    Missing,
    /// More or fewer `=` than needed, but some present.
    Irregular,
}

/// What [`decode_message`] had to tolerate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Base64Info {
    /// Alphabet detected.
    pub alphabet: Base64Alphabet,
    /// Padding found.
    pub padding: Base64Padding,
    /// CR / LF / tab inside the value (MIME-style wrapping).
    pub line_wrapped: bool,
    /// Spaces were read as `+` (a form decoder had turned `+` into spaces).
    pub spaces_as_plus: bool,
    /// Percent-encoding layers removed before decoding.
    pub url_decoded_layers: u8,
}

/// How a base64url segment deviated from RFC 7515 §2 while still decoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlQuirks {
    /// Trailing `=` padding was present.
    pub padded: bool,
    /// `+` or `/` (standard alphabet) was used.
    pub standard_alphabet: bool,
}

/// Decodes a protocol parameter in any of the shapes identity messages
/// arrive in, and says which (see the module docs).
pub fn decode_message(input: &str) -> Result<(Vec<u8>, Base64Info), Base64Error> {
    let trimmed = trim_value(input);
    if trimmed.is_empty() {
        return Err(Base64Error::Empty);
    }
    let (value, url_decoded_layers) = super::percent::decode_layers(trimmed);
    let value = trim_value(&value);

    let alphabet = match (value.contains(['+', '/']), value.contains(['-', '_'])) {
        (true, true) => Base64Alphabet::Mixed,
        (false, true) => Base64Alphabet::UrlSafe,
        _ => Base64Alphabet::Standard,
    };
    let line_wrapped = value.contains(['\r', '\n', '\t']);
    // Spaces mean '+' when a form decoder has been at the value: then no '+'
    // is left anywhere, the alphabet is the standard one, and reading the
    // spaces as data does not make the length impossible.
    let symbols_with_spaces = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+/-_ ".contains(*c))
        .count();
    let spaces_as_plus = value.contains(' ')
        && !value.contains('+')
        && alphabet != Base64Alphabet::UrlSafe
        && symbols_with_spaces % 4 != 1;

    let (clean, pad) = normalize(value, |c| match c {
        ' ' if spaces_as_plus => Some(Some('+')),
        ' ' | '\r' | '\n' | '\t' => Some(None),
        _ => None,
    })?;
    let needed = (4 - clean.len() % 4) % 4;
    let padding = if pad == needed {
        Base64Padding::Canonical
    } else if pad == 0 {
        Base64Padding::Missing
    } else {
        Base64Padding::Irregular
    };
    let bytes = run(&clean)?;
    Ok((
        bytes,
        Base64Info {
            alphabet,
            padding,
            line_wrapped,
            spaces_as_plus,
            url_decoded_layers,
        },
    ))
}

/// Decodes transport base64: either alphabet, padding optional, ASCII
/// whitespace (line wrapping) ignored. No percent-decoding, no quotes.
pub fn decode_wrapped(input: impl AsRef<[u8]>) -> Result<Vec<u8>, Base64Error> {
    let input = input.as_ref();
    // Non-ASCII bytes are never base64: report the first one as a character.
    let text = match std::str::from_utf8(input) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(input),
    };
    let (clean, _) = normalize(&text, |c| c.is_ascii_whitespace().then_some(None))?;
    run(&clean)
}

/// Decodes one base64url segment (RFC 7515 §2), tolerating trailing `=` and
/// the standard alphabet; anything else (whitespace included) is an error.
pub fn decode_url(segment: &str) -> Result<(Vec<u8>, UrlQuirks), Base64Error> {
    let trimmed = segment.trim_end_matches('=');
    let quirks = UrlQuirks {
        padded: trimmed.len() != segment.len(),
        standard_alphabet: trimmed.contains(['+', '/']),
    };
    let (clean, _) = normalize(trimmed, |_| None)?;
    Ok((run(&clean)?, quirks))
}

/// Maps every symbol to the standard alphabet and strips `=` (which must
/// only end the value). `other` decides about characters outside both
/// alphabets: `Some(Some(c))` reads them as `c`, `Some(None)` skips them,
/// `None` rejects them. Returns the symbols and the number of `=`.
fn normalize(
    value: &str,
    other: impl Fn(char) -> Option<Option<char>>,
) -> Result<(String, usize), Base64Error> {
    let mut clean = String::with_capacity(value.len());
    let mut pad = 0usize;
    let mut first_pad = None;
    for (offset, ch) in value.chars().enumerate() {
        let symbol = match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => ch,
            '-' => '+',
            '_' => '/',
            '=' => {
                pad += 1;
                first_pad.get_or_insert(offset);
                continue;
            }
            _ => match other(ch) {
                Some(Some(c)) => c,
                Some(None) => continue,
                None => return Err(Base64Error::InvalidChar { ch, offset }),
            },
        };
        if let Some(offset) = first_pad {
            return Err(Base64Error::MisplacedPadding { offset });
        }
        clean.push(symbol);
    }
    if clean.len() % 4 == 1 {
        return Err(Base64Error::Truncated {
            symbols: clean.len(),
        });
    }
    Ok((clean, pad))
}

fn run(clean: &str) -> Result<Vec<u8>, Base64Error> {
    // `normalize` leaves only alphabet symbols in a possible length, so the
    // engine has nothing left to refuse; map defensively all the same.
    DECODER
        .decode(clean.as_bytes())
        .map_err(|_| Base64Error::Truncated {
            symbols: clean.len(),
        })
}

/// Trims whitespace and one pair of surrounding quotes (values pasted from
/// JSON or a shell).
pub fn trim_value(s: &str) -> &str {
    let t = s.trim();
    t.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .map_or(t, str::trim)
}

/// An alphabet and padding to encode with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// RFC 4648 §5 (`-`, `_`) instead of §4 (`+`, `/`).
    pub url_safe: bool,
    /// `=` padding to a multiple of four.
    pub padded: bool,
}

impl Shape {
    /// RFC 4648 §4, padded: SAML, XML-DSig, HAR bodies, CSP hashes.
    pub const STANDARD: Shape = Shape {
        url_safe: false,
        padded: true,
    };
    /// RFC 4648 §4 without padding.
    pub const STANDARD_NO_PAD: Shape = Shape {
        url_safe: false,
        padded: false,
    };
    /// RFC 4648 §5, padded.
    pub const URL_SAFE: Shape = Shape {
        url_safe: true,
        padded: true,
    };
    /// RFC 4648 §5 without padding: JWS / JWE segments (RFC 7515 §2).
    pub const URL_SAFE_NO_PAD: Shape = Shape {
        url_safe: true,
        padded: false,
    };

    /// The shape a decoded message had: URL-safe when it used only that
    /// alphabet, unpadded when padding was missing.
    pub fn of(info: &Base64Info) -> Shape {
        Shape {
            url_safe: info.alphabet == Base64Alphabet::UrlSafe,
            padded: info.padding != Base64Padding::Missing,
        }
    }
}

/// Encodes `bytes` in `shape`, on one line.
pub fn encode(bytes: impl AsRef<[u8]>, shape: Shape) -> String {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let bytes = bytes.as_ref();
    match (shape.url_safe, shape.padded) {
        (false, true) => STANDARD.encode(bytes),
        (false, false) => STANDARD_NO_PAD.encode(bytes),
        (true, true) => URL_SAFE.encode(bytes),
        (true, false) => URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// Encodes `bytes` the way [`decode_message`] found `original` (alphabet,
/// padding, line width and line ending, spaces for `+`), so a rewritten
/// value looks like the one it replaces. Percent-encoding layers are the
/// caller's: they depend on where the value goes back.
pub fn encode_like(bytes: &[u8], info: &Base64Info, original: &str) -> String {
    let mut b64 = encode(bytes, Shape::of(info));
    if info.line_wrapped {
        b64 = wrap_like(&b64, &super::percent::decode(original));
    }
    if info.spaces_as_plus {
        b64 = b64.replace('+', " ");
    }
    b64
}

/// Breaks `b64` into lines as wide as the first line of `original`, with
/// its line ending (CRLF or LF).
fn wrap_like(b64: &str, original: &str) -> String {
    let trimmed = original.trim();
    let Some(first_break) = trimmed.find(['\r', '\n']) else {
        return b64.to_owned();
    };
    let width = first_break.max(4);
    let eol = if trimmed.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = String::with_capacity(b64.len() + b64.len() / width * 2);
    let mut rest = b64;
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(width));
        out.push_str(line);
        if !tail.is_empty() {
            out.push_str(eol);
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SAMLResponse as an HTTP-POST form carries it: wrapped at 76
    /// columns with CRLF (what ADFS and Shibboleth write).
    fn wrapped_saml_response() -> (String, String) {
        let xml = format!(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" \
             InResponseTo=\"_req1\"><saml:Issuer>https://sts.contoso.com/adfs/services/trust\
             </saml:Issuer>{}</samlp:Response>",
            "<saml:AttributeValue>x</saml:AttributeValue>".repeat(4)
        );
        let one_line = encode(&xml, Shape::STANDARD);
        let lines: Vec<&str> = one_line
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        (xml, lines.join("\r\n"))
    }

    #[test]
    fn accepts_a_76_column_wrapped_saml_response() {
        let (xml, wrapped) = wrapped_saml_response();
        assert!(wrapped.contains("\r\n"));
        let (bytes, info) = decode_message(&wrapped).unwrap();
        assert_eq!(bytes, xml.as_bytes());
        assert!(info.line_wrapped);
        assert_eq!(info.alphabet, Base64Alphabet::Standard);
        assert_eq!(decode_wrapped(&wrapped).unwrap(), xml.as_bytes());
    }

    #[test]
    fn re_encodes_in_the_original_wrapping() {
        let (xml, wrapped) = wrapped_saml_response();
        let (_, info) = decode_message(&wrapped).unwrap();
        assert_eq!(encode_like(xml.as_bytes(), &info, &wrapped), wrapped);
        let lf = wrapped.replace("\r\n", "\n");
        let (_, info) = decode_message(&lf).unwrap();
        assert_eq!(encode_like(xml.as_bytes(), &info, &lf), lf);
    }

    #[test]
    fn accepts_percent_encoded_plus_in_a_query_string_saml_request() {
        // `SAMLRequest=fZJNT%2BMwEIb...` in a redirect URL: `%2B` is `+`.
        let raw = [0xfb_u8, 0xef, 0xbe, 0x01, 0x02];
        let b64 = encode(raw, Shape::STANDARD);
        assert!(b64.contains('+'));
        let query = b64.replace('+', "%2B").replace('=', "%3D");
        let (bytes, info) = decode_message(&query).unwrap();
        assert_eq!(bytes, raw);
        assert_eq!(info.url_decoded_layers, 1);
        // Encoded twice by a second redirect hop.
        let twice = query.replace('%', "%25");
        assert_eq!(decode_message(&twice).unwrap().1.url_decoded_layers, 2);
    }

    #[test]
    fn reads_spaces_as_plus_after_a_form_decoder() {
        let raw = *b"a\x0f\xbebcd"; // "YQ++YmNk"
        let b64 = encode(raw, Shape::STANDARD);
        let spaced = b64.replace('+', " ");
        let (bytes, info) = decode_message(&spaced).unwrap();
        assert_eq!(bytes, raw);
        assert!(info.spaces_as_plus);
        assert_eq!(encode_like(&raw, &info, &spaced), spaced);
        // Transport base64 never does: there a space is wrapping.
        assert_ne!(decode_wrapped(&spaced).ok(), Some(raw.to_vec()));
    }

    #[test]
    fn accepts_an_unpadded_url_safe_jwt_part() {
        // `{"alg":"RS256","kid":"~~?"}` has `-` and `_` in base64url.
        let header = br#"{"alg":"RS256","kid":"~~>?"}"#;
        let part = encode(header, Shape::URL_SAFE_NO_PAD);
        assert!(part.contains(['-', '_']) && !part.ends_with('='));
        let (bytes, quirks) = decode_url(&part).unwrap();
        assert_eq!(bytes, header);
        assert_eq!(quirks, UrlQuirks::default());
        let (bytes, info) = decode_message(&part).unwrap();
        assert_eq!(bytes, header);
        assert_eq!(info.alphabet, Base64Alphabet::UrlSafe);
        assert_eq!(info.padding, Base64Padding::Missing);
        assert_eq!(Shape::of(&info), Shape::URL_SAFE_NO_PAD);
    }

    #[test]
    fn url_segments_report_padding_and_the_standard_alphabet() {
        let (bytes, q) = decode_url("e30=").unwrap();
        assert_eq!(bytes, b"{}");
        assert!(q.padded && !q.standard_alphabet);
        let (_, q) = decode_url("-_+/").unwrap();
        assert!(q.standard_alphabet);
        assert_eq!(
            decode_url("e3 0"),
            Err(Base64Error::InvalidChar { ch: ' ', offset: 2 })
        );
    }

    #[test]
    fn xml_values_wrapped_with_spaces_keep_their_bytes() {
        // A SignatureValue some producers wrap with spaces (XML Schema
        // base64Binary allows whitespace): transport reading skips them,
        // where the message reading would take them for '+'.
        let raw = b"\x01\x02\x03\x04\x05\x06\x07\x08\x09";
        let b64 = encode(raw, Shape::STANDARD);
        let wrapped = format!("{} {} {}", &b64[..4], &b64[4..8], &b64[8..]);
        assert_eq!(decode_wrapped(&wrapped).unwrap(), raw);
        let (misread, info) = decode_message(&wrapped).unwrap();
        assert!(info.spaces_as_plus);
        assert_ne!(misread, raw);
    }

    #[test]
    fn har_bodies_accept_either_alphabet_and_any_padding() {
        assert_eq!(decode_wrapped("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_wrapped("aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode_wrapped(" aGVs\r\n bG8=\n").unwrap(), b"hello");
        assert_eq!(
            decode_wrapped("-_-_").unwrap(),
            decode_wrapped("+/+/").unwrap()
        );
        assert_eq!(decode_wrapped("").unwrap(), b"");
    }

    #[test]
    fn rejects_truncated_misplaced_padding_and_foreign_characters() {
        assert_eq!(decode_message("   \"\" "), Err(Base64Error::Empty));
        assert_eq!(
            decode_wrapped("QUJDR"),
            Err(Base64Error::Truncated { symbols: 5 })
        );
        assert_eq!(
            decode_wrapped("QQ==QQ=="),
            Err(Base64Error::MisplacedPadding { offset: 2 })
        );
        assert_eq!(
            decode_message("QUJD*A=="),
            Err(Base64Error::InvalidChar { ch: '*', offset: 4 })
        );
        assert!(decode_wrapped([0xff_u8, b'Q', b'Q']).is_err());
    }

    #[test]
    fn padding_is_judged_not_required() {
        let pad = |s: &str| decode_message(s).unwrap().1.padding;
        assert_eq!(pad("QQ=="), Base64Padding::Canonical);
        assert_eq!(pad("QUJD"), Base64Padding::Canonical);
        assert_eq!(pad("QQ"), Base64Padding::Missing);
        assert_eq!(pad("QQ="), Base64Padding::Irregular);
        // Non-zero trailing bits (RFC 4648 §3.5) are accepted.
        assert_eq!(decode_wrapped("QR==").unwrap(), b"A");
    }

    #[test]
    fn wraps_like_the_original() {
        assert_eq!(wrap_like("abcdefgh", "abcd\r\nefgh"), "abcd\r\nefgh");
        assert_eq!(wrap_like("abcdefgh", "abcd\nef"), "abcd\nefgh");
        assert_eq!(wrap_like("abcdefgh", "abcdefgh"), "abcdefgh");
    }

    #[test]
    fn encodes_every_shape() {
        let b = [0xfb_u8, 0xff];
        assert_eq!(encode(b, Shape::STANDARD), "+/8=");
        assert_eq!(encode(b, Shape::STANDARD_NO_PAD), "+/8");
        assert_eq!(encode(b, Shape::URL_SAFE), "-_8=");
        assert_eq!(encode(b, Shape::URL_SAFE_NO_PAD), "-_8");
    }
}
