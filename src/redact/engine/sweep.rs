//! The sweep: after the structured pass, every remaining copy of a replaced
//! value (raw, percent-, form-, HTML- and JSON-escaped, and base64 /
//! base64url of the whole value, padded or not — RFC 4648 §4, §5) is
//! replaced by the same pseudonym; [`Sweeper::contains`] tells whether
//! bytes that cannot be rewritten hold any. Its `Debug` shows counts,
//! never the needles.

use super::*;

/// Replaces every remaining copy of a replaced value, in several escapings.
/// Its `Debug` shows how many needles it holds, never the needles.
pub struct Sweeper {
    /// First [`SWEEP_MIN`] bytes → (needle, replacement, kind), longest first.
    by_prefix: HashMap<Vec<u8>, Vec<Needle>>,
    first_bytes: [bool; 256],
}

impl std::fmt::Debug for Sweeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let needles: usize = self.by_prefix.values().map(Vec::len).sum();
        f.debug_struct("Sweeper")
            .field("needles", &needles)
            .finish_non_exhaustive()
    }
}

impl Sweeper {
    pub(super) fn new(replaced: &HashMap<String, (String, Kind)>) -> Sweeper {
        let mut s = Sweeper {
            by_prefix: HashMap::new(),
            first_bytes: [false; 256],
        };
        let mut seen = std::collections::HashSet::new();
        let mut originals: Vec<(&String, &(String, Kind))> = replaced.iter().collect();
        originals.sort();
        for (orig, (repl, kind)) in originals {
            use base64::Engine as _;
            use base64::engine::general_purpose::{
                STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
            };
            let variants = [
                (STANDARD.encode(orig), STANDARD.encode(repl), true),
                (
                    STANDARD_NO_PAD.encode(orig),
                    STANDARD_NO_PAD.encode(repl),
                    true,
                ),
                (URL_SAFE.encode(orig), URL_SAFE.encode(repl), true),
                (
                    URL_SAFE_NO_PAD.encode(orig),
                    URL_SAFE_NO_PAD.encode(repl),
                    true,
                ),
                (orig.clone(), repl.clone(), false),
                (encode_component(orig), encode_component(repl), false),
                (form_encode(orig), form_encode(repl), false),
                (html_escape(orig), html_escape(repl), false),
                (json_escape(orig), json_escape(repl), false),
            ];
            for (needle, replacement, whole) in variants {
                if needle.len() < SWEEP_MIN || !seen.insert(needle.clone()) {
                    continue;
                }
                let bytes = needle.into_bytes();
                let Some(prefix) = bytes.get(..SWEEP_MIN) else {
                    continue;
                };
                if let Some(first) = bytes.first() {
                    s.first_bytes[usize::from(*first)] = true;
                }
                s.by_prefix.entry(prefix.to_vec()).or_default().push((
                    bytes,
                    replacement,
                    *kind,
                    whole,
                ));
            }
        }
        for list in s.by_prefix.values_mut() {
            list.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
        }
        s
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
            if self.first_bytes[usize::from(b)]
                && bytes.get(i..i + SWEEP_MIN).is_some_and(|p| {
                    self.by_prefix
                        .get(p)
                        .is_some_and(|list| list.iter().any(|n| matches_at(bytes, i, n)))
                })
            {
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
            let hit = bytes.get(i..i + SWEEP_MIN).and_then(|p| {
                self.by_prefix
                    .get(p)?
                    .iter()
                    .find(|n| matches_at(bytes, i, n))
            });
            match hit {
                Some((needle, replacement, kind, _)) => {
                    out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
                    out.extend_from_slice(replacement.as_bytes());
                    i += needle.len();
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

/// Whether needle `n` occurs at `i` in `bytes` (for a whole-token needle:
/// with no base64 character just before or after it).
fn matches_at(bytes: &[u8], i: usize, n: &Needle) -> bool {
    let (needle, _, _, whole) = n;
    if !bytes.get(i..).is_some_and(|rest| rest.starts_with(needle)) {
        return false;
    }
    if !*whole {
        return true;
    }
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    let before = i.checked_sub(1).and_then(|j| bytes.get(j)).is_some_and(b64);
    let after = bytes.get(i + needle.len()).is_some_and(b64);
    !before && !after
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
