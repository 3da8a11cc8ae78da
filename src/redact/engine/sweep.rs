//! The sweep: after the structured pass, every remaining copy of a replaced
//! value (raw, percent-, form-, HTML- and JSON-escaped, and base64 /
//! base64url of the whole value, padded or not — RFC 4648 §4, §5) is
//! replaced by the same pseudonym; [`Sweeper::contains`] tells whether
//! bytes that cannot be rewritten hold any. Its `Debug` shows counts,
//! never the needles.

use super::*;

/// Replaces every remaining copy of a replaced value, in several escapings.
/// Its `Debug` shows how many needles it holds, never the needles.
///
/// Compact: the needles (nine encodings of every value, four of them
/// base64 at 4/3 of its size) are not kept, only each one's first
/// [`SWEEP_MIN`] bytes, its length and a hash of it under a key drawn for
/// this process; a candidate of the right prefix and length is hashed and
/// compared. The replacement of a hit is the same encoding of the value's
/// replacement, made when it is needed. So a sweeper costs about the
/// values and their replacements once, not ten times.
pub struct Sweeper {
    /// (original, replacement, kind), sorted by original.
    values: Vec<(String, String, Kind)>,
    /// First [`SWEEP_MIN`] bytes → needles, longest first.
    by_prefix: HashMap<Vec<u8>, Vec<Needle>>,
    first_bytes: [bool; 256],
    hasher: std::hash::RandomState,
}

/// One encoding of one value.
#[derive(Debug, Clone, Copy)]
struct Needle {
    len: usize,
    hash: u64,
    value: usize,
    encoding: Encoding,
}

/// The encodings swept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Base64,
    Base64NoPad,
    Base64Url,
    Base64UrlNoPad,
    Raw,
    Component,
    Form,
    Html,
    Json,
}

impl Encoding {
    const ALL: [Encoding; 9] = [
        Encoding::Base64,
        Encoding::Base64NoPad,
        Encoding::Base64Url,
        Encoding::Base64UrlNoPad,
        Encoding::Raw,
        Encoding::Component,
        Encoding::Form,
        Encoding::Html,
        Encoding::Json,
    ];

    fn encode(self, v: &str) -> String {
        use crate::codec::base64::{Shape, encode};
        match self {
            Encoding::Base64 => encode(v, Shape::STANDARD),
            Encoding::Base64NoPad => encode(v, Shape::STANDARD_NO_PAD),
            Encoding::Base64Url => encode(v, Shape::URL_SAFE),
            Encoding::Base64UrlNoPad => encode(v, Shape::URL_SAFE_NO_PAD),
            Encoding::Raw => v.to_owned(),
            Encoding::Component => encode_component(v),
            Encoding::Form => form_encode(v),
            Encoding::Html => html_escape(v).into_owned(),
            Encoding::Json => json_escape(v),
        }
    }

    /// A base64 needle matches only as a whole token: no base64 character
    /// touches it, so a blob that merely holds the same bytes at an aligned
    /// offset (a SAML message) is never cut.
    fn whole_token(self) -> bool {
        matches!(
            self,
            Encoding::Base64
                | Encoding::Base64NoPad
                | Encoding::Base64Url
                | Encoding::Base64UrlNoPad
        )
    }
}

impl std::fmt::Debug for Sweeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let needles: usize = self.by_prefix.values().map(Vec::len).sum();
        f.debug_struct("Sweeper")
            .field("needles", &needles)
            .finish_non_exhaustive()
    }
}

impl Default for Sweeper {
    /// A sweep for nothing.
    fn default() -> Sweeper {
        Sweeper::from_values(Vec::new())
    }
}

impl Sweeper {
    pub(super) fn new(replaced: &HashMap<String, (String, Kind)>) -> Sweeper {
        Sweeper::from_values(
            replaced
                .iter()
                .map(|(o, (r, k))| (o.clone(), r.clone(), *k))
                .collect(),
        )
    }

    /// Takes the values over (no copy): for a redactor whose run is over.
    pub(super) fn from_map(replaced: HashMap<String, (String, Kind)>) -> Sweeper {
        Sweeper::from_values(replaced.into_iter().map(|(o, (r, k))| (o, r, k)).collect())
    }

    fn from_values(mut values: Vec<(String, String, Kind)>) -> Sweeper {
        use std::hash::BuildHasher as _;
        values.sort_by(|a, b| a.0.cmp(&b.0));
        let mut s = Sweeper {
            values: Vec::new(),
            by_prefix: HashMap::new(),
            first_bytes: [false; 256],
            hasher: std::hash::RandomState::new(),
        };
        for (value, (orig, _, _)) in values.iter().enumerate() {
            for encoding in Encoding::ALL {
                let needle = encoding.encode(orig);
                let bytes = needle.as_bytes();
                let Some(prefix) = bytes.get(..SWEEP_MIN) else {
                    continue;
                };
                let hash = s.hasher.hash_one(bytes);
                let list = s.by_prefix.entry(prefix.to_vec()).or_default();
                // The same needle from two values (or two encodings of
                // one): the first is kept, as values are sorted.
                if list.iter().any(|n| n.len == bytes.len() && n.hash == hash) {
                    continue;
                }
                if let Some(first) = bytes.first() {
                    s.first_bytes[usize::from(*first)] = true;
                }
                list.push(Needle {
                    len: bytes.len(),
                    hash,
                    value,
                    encoding,
                });
            }
        }
        for list in s.by_prefix.values_mut() {
            list.sort_by_key(|n| std::cmp::Reverse(n.len));
        }
        s.values = values;
        s
    }

    /// The needle at `i` in `bytes`, if any (longest first).
    fn hit(&self, bytes: &[u8], i: usize) -> Option<&Needle> {
        use std::hash::BuildHasher as _;
        let list = self.by_prefix.get(bytes.get(i..i + SWEEP_MIN)?)?;
        list.iter().find(|n| {
            let Some(candidate) = bytes.get(i..i + n.len) else {
                return false;
            };
            if self.hasher.hash_one(candidate) != n.hash {
                return false;
            }
            if !n.encoding.whole_token() {
                return true;
            }
            let b64 =
                |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
            let before = i.checked_sub(1).and_then(|j| bytes.get(j)).is_some_and(b64);
            let after = bytes.get(i + n.len).is_some_and(b64);
            !before && !after
        })
    }

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }

    /// Whether `bytes` (not necessarily text) hold any needle: for content
    /// that cannot be rewritten and so must not be kept if it does.
    pub fn contains(&self, bytes: &[u8]) -> bool {
        if self.is_empty() {
            return false;
        }
        let mut i = 0;
        while i + SWEEP_MIN <= bytes.len() {
            // Pseudonyms are skipped whole, as by the sweep itself.
            let skip = pseudonym_len(bytes.get(i..).unwrap_or_default());
            if skip > 0 {
                i += skip;
                continue;
            }
            let b = bytes.get(i).copied().unwrap_or_default();
            if self.first_bytes[usize::from(b)] && self.hit(bytes, i).is_some() {
                return true;
            }
            i += 1;
        }
        false
    }

    /// `text` with every copy replaced, counted on `receipt` as echoes;
    /// `None` when there was none. Pseudonyms are skipped whole, so a
    /// value that happens to be a substring of one never splits it.
    pub fn sweep(&self, text: &str, receipt: &mut Receipt) -> Option<String> {
        if self.is_empty() || text.len() < SWEEP_MIN {
            return None;
        }
        let bytes = text.as_bytes();
        let mut out: Vec<u8> = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        let mut changed = false;
        while i + SWEEP_MIN <= bytes.len() {
            let skip = pseudonym_len(bytes.get(i..).unwrap_or_default());
            if skip > 0 {
                i += skip;
                continue;
            }
            let b = bytes.get(i).copied().unwrap_or_default();
            if !self.first_bytes[usize::from(b)] {
                i += 1;
                continue;
            }
            match self.hit(bytes, i).copied() {
                Some(n) => {
                    let Some((_, replacement, kind)) = self.values.get(n.value) else {
                        i += 1;
                        continue;
                    };
                    out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
                    out.extend_from_slice(n.encoding.encode(replacement).as_bytes());
                    i += n.len;
                    copied = i;
                    changed = true;
                    receipt.count(*kind, Place::Echo);
                }
                None => i += 1,
            }
        }
        if !changed {
            return None;
        }
        out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
        String::from_utf8(out).ok()
    }
}

/// Length of a pseudonym starting at the beginning of `bytes` (0 if none).
pub(crate) fn pseudonym_len(bytes: &[u8]) -> usize {
    let run = |from: usize, ok: fn(u8) -> bool| {
        from + bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| ok(**b))
            .count()
    };
    if bytes.starts_with(key::OPAQUE_PREFIX.as_bytes()) || bytes.starts_with(b"redacted-") {
        return run(9, |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    }
    if bytes.starts_with(key::MARKER_B64.as_bytes()) {
        return run(0, |b| {
            b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'+' || b == b'/'
        });
    }
    0
}
