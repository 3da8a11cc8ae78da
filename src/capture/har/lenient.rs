//! The lenient side of HAR reading: repairs of the bytes sloppy exporters
//! write (lone surrogate escapes, overflowing numbers), HAR Viewer's JSONP
//! wrapper, and the field readers that take a scalar in whatever form an
//! exporter wrote it (string / number / null / bool). Moved out of `har.rs`
//! unchanged; `har.rs` re-exports the public items.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::capture::model::LoadNote;

/// An array (or object) some exporters write as `null`: read as empty.
pub(super) fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// HAR Viewer's JSONP form: `callback({...});` (the `.harp` files HAR
/// Viewer, PhantomJS netsniff and others write). Returns the inner JSON
/// object's byte range when `bytes` has that shape.
pub fn unwrap_jsonp(bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = bytes.get(start..)?;
    let name_len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
        .count();
    if name_len == 0 || rest.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let after = rest.get(name_len..)?;
    let paren = after.iter().position(|b| !b.is_ascii_whitespace())?;
    if after.get(paren) != Some(&b'(') {
        return None;
    }
    let open = start + name_len + paren + 1;
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != b';')?;
    if bytes.get(end) != Some(&b')') || end <= open {
        return None;
    }
    let inner = bytes.get(open..end)?;
    let first = inner.iter().position(|b| !b.is_ascii_whitespace())?;
    (inner.get(first) == Some(&b'{')).then_some(open..end)
}

/// What [`repair`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Repairs {
    pub surrogates: usize,
    pub numbers: usize,
}

impl Repairs {
    /// One capture-quality note, when anything was changed.
    pub fn note(&self) -> Option<LoadNote> {
        if self.surrogates == 0 && self.numbers == 0 {
            return None;
        }
        let mut parts = Vec::new();
        if self.surrogates > 0 {
            parts.push(format!(
                "{} lone UTF-16 surrogate escape(s) read as U+FFFD",
                self.surrogates
            ));
        }
        if self.numbers > 0 {
            parts.push(format!(
                "{} out-of-range number(s) read as null",
                self.numbers
            ));
        }
        Some(LoadNote::Other(format!(
            "the exporter wrote JSON that strict parsers refuse: {}",
            parts.join(", ")
        )))
    }
}

/// Rewrites, in place and at the same length, lone surrogate escapes to
/// `\ufffd` and out-of-range numbers to `null` (padded with spaces).
pub fn repair(bytes: &mut [u8]) -> Repairs {
    let mut r = Repairs::default();
    // Searched incrementally (never collected): a capture may hold
    // millions of matches.
    let finder = memchr::memmem::Finder::new(b"\\u");
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| finder.find(rest))
        .map(|i| from + i)
    {
        from = at + 2;
        if !real_escape(bytes, at) {
            continue;
        }
        let Some(unit) = hex4(bytes, at + 2) else {
            continue;
        };
        if (0xD800..0xDC00).contains(&unit) {
            let low = bytes.get(at + 6..at + 8) == Some(b"\\u")
                && hex4(bytes, at + 8).is_some_and(|u| (0xDC00..0xE000).contains(&u));
            if low {
                from = at + 12; // the pair's low half is part of it
                continue;
            }
        } else if !(0xDC00..0xE000).contains(&unit) {
            continue;
        }
        if let Some(slot) = bytes.get_mut(at + 2..at + 6) {
            slot.copy_from_slice(b"fffd");
            r.surrogates += 1;
        }
    }
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'e', b'E', rest))
        .map(|i| from + i)
    {
        from = at + 1;
        if let Some((start, end)) = overflowing_number(bytes, at)
            && let Some(slot) = bytes.get_mut(start..end)
        {
            slot.fill(b' ');
            if let Some(n) = slot.get_mut(..4) {
                n.copy_from_slice(b"null");
            }
            r.numbers += 1;
        }
    }
    r
}

/// Whether the backslash at `at` starts an escape (not escaped itself).
fn real_escape(bytes: &[u8], at: usize) -> bool {
    let before = bytes
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count();
    before % 2 == 0
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let s = std::str::from_utf8(bytes.get(at..at + 4)?).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// The byte range of a JSON number token around the exponent marker at
/// `at` when it overflows f64 (`1e999`), standing as a value (after `:` `,`
/// `[`, before `,` `}` `]`).
fn overflowing_number(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let num = |b: &u8| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E');
    let after = bytes.get(at + 1..)?;
    let sign = usize::from(matches!(after.first(), Some(b'+' | b'-')));
    let digits = after
        .get(sign..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits < 3 {
        return None;
    }
    let start = bytes
        .get(..at)?
        .iter()
        .rposition(|b| !num(b))
        .map_or(0, |p| p + 1);
    let end = at + 1 + sign + digits;
    if end - start < 4
        || !bytes
            .get(start)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'-')
    {
        return None;
    }
    let prev = bytes
        .get(..start)?
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    let next = bytes.get(end..)?.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(prev, Some(b':' | b',' | b'[')) || !matches!(next, Some(b',' | b'}' | b']')) {
        return None;
    }
    let text = std::str::from_utf8(bytes.get(start..end)?).ok()?;
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_infinite())
        .map(|_| (start, end))
}

/// A scalar some exporters write as a string and others as a number or
/// null (`"version": 1.2`, `"version": 2`). Kept as text; objects and arrays
/// are refused.
#[derive(Default)]
pub(super) struct Lenient<'a>(pub(super) Option<Cow<'a, str>>);

impl Lenient<'_> {
    pub(super) fn owned(self) -> Option<String> {
        self.0.map(Cow::into_owned)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Lenient<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A boolean Fiddler writes as a string (`"httpOnly": "true"`).
#[derive(Default, Clone, Copy)]
pub(super) struct Flag(pub(super) bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                Ok(Flag(v.trim().eq_ignore_ascii_case("true")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
                Ok(Flag(v != 0))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
                Ok(Flag(v != 0))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(false))
            }
            fn visit_none<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(false))
            }
        }
        d.deserialize_any(V)
    }
}

/// A number some exporters write as a string (`"status": "200"`) or null.
#[derive(Default, Clone, Copy)]
pub(super) struct Number(pub(super) Option<f64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(Some(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(Some(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Ok(Number(v.trim().parse().ok()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Number, E> {
                Ok(Number(None))
            }
        }
        d.deserialize_any(V)
    }
}
