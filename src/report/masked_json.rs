//! JSON written with every string masked on the way out.
//!
//! Typed secrets ([`crate::secret::Secret`]) mask themselves; this is the
//! net under them for the strings no type marks: a decoded `$Config`'s
//! `federation_redirect_url` with a `ctx=` in it, a URL with `code=`, a JARM
//! `response=` JWT. A [`serde_json::ser::Formatter`] that collects each
//! string between its quotes, passes it through [`crate::secret::shown`] and
//! escapes the result, so it works while streaming (no `Value` tree needed)
//! and for keys as for values. Inside
//! [`crate::secret::with_secrets_shown`]`(true, …)` strings pass unchanged.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

/// Wraps a formatter (pretty or compact) and masks every string it writes.
#[derive(Debug)]
pub struct MaskingFormatter<F> {
    inner: F,
    /// The string being written, unescaped (one buffer, reused).
    string: String,
    /// Whether a string is being written.
    in_string: bool,
}

impl<F> MaskingFormatter<F> {
    /// A masking formatter around `inner`.
    pub fn new(inner: F) -> Self {
        MaskingFormatter {
            inner,
            string: String::new(),
            in_string: false,
        }
    }
}

fn unescaped(e: CharEscape) -> char {
    match e {
        CharEscape::Quote => '"',
        CharEscape::ReverseSolidus => '\\',
        CharEscape::Solidus => '/',
        CharEscape::Backspace => '\u{8}',
        CharEscape::FormFeed => '\u{c}',
        CharEscape::LineFeed => '\n',
        CharEscape::CarriageReturn => '\r',
        CharEscape::Tab => '\t',
        CharEscape::AsciiControl(b) => char::from(b),
    }
}

/// Writes `s` as JSON string contents through `f`, escaping as serde_json
/// does (`"`, `\\` and the C0 controls, nothing else), so the bytes are the
/// ones serde_json writes for the same string — without a second buffer.
fn write_escaped<F: Formatter, W: ?Sized + Write>(f: &mut F, w: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => CharEscape::Quote,
            b'\\' => CharEscape::ReverseSolidus,
            0x08 => CharEscape::Backspace,
            0x0c => CharEscape::FormFeed,
            b'\n' => CharEscape::LineFeed,
            b'\r' => CharEscape::CarriageReturn,
            b'\t' => CharEscape::Tab,
            0x00..=0x1f => CharEscape::AsciiControl(b),
            _ => continue,
        };
        if start < i {
            f.write_string_fragment(w, &s[start..i])?;
        }
        f.write_char_escape(w, escape)?;
        start = i + 1;
    }
    if start < bytes.len() {
        f.write_string_fragment(w, &s[start..])?;
    }
    Ok(())
}

impl<F: Formatter> Formatter for MaskingFormatter<F> {
    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.string.clear();
        self.in_string = true;
        self.inner.begin_string(w)
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        if self.in_string {
            self.string.push_str(s);
            Ok(())
        } else {
            self.inner.write_string_fragment(w, s)
        }
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, e: CharEscape) -> io::Result<()> {
        if self.in_string {
            self.string.push(unescaped(e));
            Ok(())
        } else {
            self.inner.write_char_escape(w, e)
        }
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.in_string {
            self.in_string = false;
            let buf = std::mem::take(&mut self.string);
            let result = write_escaped(&mut self.inner, w, &crate::secret::shown(&buf));
            self.string = buf;
            result?;
        }
        self.inner.end_string(w)
    }

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.write_null(w)
    }
    fn write_bool<W: ?Sized + Write>(&mut self, w: &mut W, v: bool) -> io::Result<()> {
        self.inner.write_bool(w, v)
    }
    fn write_i64<W: ?Sized + Write>(&mut self, w: &mut W, v: i64) -> io::Result<()> {
        self.inner.write_i64(w, v)
    }
    fn write_u64<W: ?Sized + Write>(&mut self, w: &mut W, v: u64) -> io::Result<()> {
        self.inner.write_u64(w, v)
    }
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        self.inner.write_f64(w, v)
    }
    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, v: &str) -> io::Result<()> {
        self.inner.write_number_str(w, v)
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_value(w)
    }
}

/// Writes `value` as pretty JSON (two-space indent), strings masked.
pub fn to_writer_pretty<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    let f = MaskingFormatter::new(serde_json::ser::PrettyFormatter::new());
    let mut ser = serde_json::Serializer::with_formatter(w, f);
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Writes `value` as one line of JSON (NDJSON rows), strings masked.
pub fn to_writer_compact<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    let f = MaskingFormatter::new(serde_json::ser::CompactFormatter);
    let mut ser = serde_json::Serializer::with_formatter(w, f);
    value.serialize(&mut ser).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        to_writer_pretty(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn masks_secret_values_inside_any_string_and_keeps_the_layout() {
        let v = serde_json::json!({
            "federation_redirect_url": "https://login/fed?idp=google&ctx=rQQIARAAd4eb&x=1",
            "note": "line\n\"quoted\" \\ tab\t",
            "n": [1, true, null],
        });
        let out = pretty(&v);
        assert!(!out.contains("rQQIARAAd4eb"), "{out}");
        assert!(out.contains("ctx=‹redacted 12 chars›&x=1"), "{out}");
        // Escapes survive the round trip, and the layout is serde_json's.
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["note"], v["note"]);
        assert_eq!(back["n"], v["n"]);
        assert!(out.starts_with("{\n  \""), "{out}");
    }

    #[test]
    fn identical_to_serde_json_when_nothing_is_secret() {
        let v = serde_json::json!({
            "a": "plain",
            "b": ["x\u{1}y\u{8}\u{c}\u{1f}\u{7f}", 2.5],
            "c": {},
            "d": "q\"b\\s/n\nr\rt\t é ☃ 😀 \u{2028}",
        });
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
        let mut one = Vec::new();
        to_writer_compact(&mut one, &v).unwrap();
        assert_eq!(
            String::from_utf8(one).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
    }

    #[test]
    fn strings_pass_unchanged_when_secrets_are_shown() {
        let v = serde_json::json!({"u": "https://app/cb?code=abc123"});
        let out = crate::secret::with_secrets_shown(true, || pretty(&v));
        assert!(out.contains("code=abc123"), "{out}");
    }
}
