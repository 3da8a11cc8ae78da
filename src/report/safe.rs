//! The one sanitizing writer every text output goes through: control
//! characters that came from a capture are shown escaped (`\x1b`, `\r`,
//! `\u{202e}`), never emitted, so a hostile capture cannot move the cursor,
//! retitle the terminal, hide text or reorder it (bidi overrides).
//!
//! Colour is the one exception, and it cannot be forged: a [`Painter`]
//! writes its SGR codes as a marker carrying a per-process random token
//! (two Unicode noncharacters around it, "permanently reserved for internal
//! use", Unicode §23.7), and only this writer turns a marker bearing the
//! right token into `ESC [ n m`. Anything else — a raw ESC, a marker without
//! the token — is escaped like every other control character.
//!
//! [`Painter`]: super::Painter

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

/// Opens a marker; the token and the SGR parameters follow, `CLOSE` ends it.
const OPEN: char = '\u{FDD0}';
/// Ends a marker.
const CLOSE: char = '\u{FDD1}';
/// The longest SGR parameter list a painter writes (`1;31`).
const MAX_SGR: usize = 16;

/// The per-process token, 16 hex digits from the OS's random source.
fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let mut bytes = [0u8; 8];
        // Without randomness, fall back to a token built from the clock and
        // the process ID: still unknown to a capture written beforehand.
        if getrandom::fill(&mut bytes).is_err() {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            bytes = (t ^ u64::from(std::process::id()).rotate_left(32)).to_le_bytes();
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// The marker a painter writes for `ESC [ sgr m`.
pub(crate) fn sgr(sgr: &str) -> String {
    format!("{OPEN}{}{sgr}{CLOSE}", token())
}

/// `text` with every control character escaped (for one-line messages
/// that do not go through a [`SafeWriter`], e.g. errors on stderr).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Whether `c` may not reach a terminal as it is.
fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides and isolates (Unicode UAX #9).
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{fdd0}'..='\u{fdef}' => true,
        _ => false,
    }
}

fn push_escaped(out: &mut String, c: char) {
    if !needs_escape(c) {
        out.push(c);
        return;
    }
    match c {
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Wraps a writer; see the module docs.
#[derive(Debug)]
pub struct SafeWriter<W: Write> {
    inner: W,
    /// Bytes not yet decided: an incomplete UTF-8 sequence or marker.
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }

    /// Converts what is decided in `pending`; with `end`, everything.
    fn drain(&mut self, end: bool) -> io::Result<()> {
        let mut out = String::with_capacity(self.pending.len());
        let mut i = 0;
        let bytes = std::mem::take(&mut self.pending);
        while i < bytes.len() {
            let rest = &bytes[i..];
            let (c, len) = match decode_char(rest) {
                Decoded::Char(c, len) => (c, len),
                Decoded::Incomplete if !end => break,
                Decoded::Incomplete | Decoded::Invalid => {
                    out.push_str(&format!("\\x{:02x}", rest[0]));
                    i += 1;
                    continue;
                }
            };
            if c == OPEN {
                match marker(rest) {
                    Marker::Sgr(params, len) => {
                        out.push_str("\x1b[");
                        out.push_str(params);
                        out.push('m');
                        i += len;
                        continue;
                    }
                    Marker::Incomplete if !end => break,
                    Marker::Incomplete | Marker::Not => {}
                }
            }
            push_escaped(&mut out, c);
            i += len;
        }
        self.pending = bytes[i..].to_vec();
        self.inner.write_all(out.as_bytes())
    }
}

enum Decoded {
    Char(char, usize),
    Incomplete,
    Invalid,
}

fn decode_char(b: &[u8]) -> Decoded {
    let Some(&first) = b.first() else {
        return Decoded::Incomplete;
    };
    let len = match first {
        0x00..=0x7f => return Decoded::Char(char::from(first), 1),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Decoded::Invalid,
    };
    if b.len() < len {
        // Incomplete only if what is there could still become valid.
        return match std::str::from_utf8(b) {
            Err(e) if e.error_len().is_none() => Decoded::Incomplete,
            _ => Decoded::Invalid,
        };
    }
    match std::str::from_utf8(&b[..len]) {
        Ok(s) => s
            .chars()
            .next()
            .map_or(Decoded::Invalid, |c| Decoded::Char(c, len)),
        Err(_) => Decoded::Invalid,
    }
}

enum Marker<'a> {
    /// A painter's marker: its SGR parameters and its length in bytes.
    Sgr(&'a str, usize),
    /// Could still become one with more bytes.
    Incomplete,
    Not,
}

fn marker(b: &[u8]) -> Marker<'_> {
    let mut head = [0u8; 4];
    let open = OPEN.encode_utf8(&mut head).len();
    let token = token().as_bytes();
    let after_token = open + token.len();
    let avail = &b[open.min(b.len())..];
    if avail.len() < token.len() {
        return if token.starts_with(avail) {
            Marker::Incomplete
        } else {
            Marker::Not
        };
    }
    if &avail[..token.len()] != token {
        return Marker::Not;
    }
    let params = &b[after_token..];
    let mut close = [0u8; 4];
    let close = CLOSE.encode_utf8(&mut close).as_bytes().to_vec();
    for (n, &byte) in params.iter().enumerate().take(MAX_SGR + 1) {
        if params[n..].starts_with(&close) {
            return match std::str::from_utf8(&params[..n]) {
                Ok(p) if !p.is_empty() => Marker::Sgr(p, after_token + n + close.len()),
                _ => Marker::Not,
            };
        }
        if !(byte.is_ascii_digit() || byte == b';') {
            // The first byte of CLOSE not yet complete?
            return if close.starts_with(&params[n..]) {
                Marker::Incomplete
            } else {
                Marker::Not
            };
        }
    }
    if params.len() <= MAX_SGR {
        Marker::Incomplete
    } else {
        Marker::Not
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = self.drain(true);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::report::Painter;

    fn through(chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out);
            for c in chunks {
                w.write_all(c).unwrap();
            }
            w.flush().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_control_characters_from_a_capture() {
        let s = through(&[b"a\x1b[31mb\x07c\r\nd\te\x7f"]);
        assert_eq!(s, "a\\x1b[31mb\\x07c\\r\nd\te\\x7f");
    }

    #[test]
    fn escapes_c1_and_bidi_controls() {
        let s = through(&["x\u{9b}31m \u{202e}evil\u{2069}".as_bytes()]);
        assert_eq!(s, "x\\u{9b}31m \\u{202e}evil\\u{2069}");
    }

    #[test]
    fn lets_the_painters_colour_through_in_any_chunking() {
        let painted = Painter { color: true }.red("no");
        let bytes = format!("[{painted}]").into_bytes();
        for split in 0..bytes.len() {
            let s = through(&[&bytes[..split], &bytes[split..]]);
            assert_eq!(s, "[\x1b[31mno\x1b[0m]", "split at {split}");
        }
    }

    #[test]
    fn a_forged_marker_without_the_token_is_escaped() {
        let forged = format!("{OPEN}0000000000000000{}31{CLOSE}x", "");
        let s = through(&[forged.as_bytes()]);
        assert!(!s.contains('\x1b'), "{s}");
        assert!(s.starts_with("\\u{fdd0}"), "{s}");
    }

    #[test]
    fn invalid_utf8_is_shown_as_bytes() {
        assert_eq!(through(&[b"a\xffb"]), "a\\xffb");
        assert_eq!(through(&[b"a\xe2\x82"]), "a\\xe2\\x82");
        assert_eq!(through(&["é€".as_bytes()]), "é€");
    }

    #[test]
    fn escape_leaves_ordinary_text_borrowed() {
        assert!(matches!(escape("plain text\n"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}]0;title\u{7}"), "a\\x1b]0;title\\x07");
    }
}
