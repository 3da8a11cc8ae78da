//! The page shell every HTML output shares: doctype, the restrictive
//! `Content-Security-Policy`, the inline style sheet and the one inline
//! script, allowed by its hash.
//!
//! The policy (CSP Level 3, W3C): `default-src 'none'` forbids every fetch
//! (scripts, styles, images, fonts, frames, connections); `style-src
//! 'unsafe-inline'` allows the inline sheet and the waterfall's `style`
//! attributes; `script-src 'sha256-…'` allows exactly the script below and
//! nothing injected next to it; `base-uri` and `form-action 'none'` close the
//! two doors `default-src` does not cover.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use super::esc;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// `'sha256-<base64>'` of the script text exactly as it is written inside
/// `<script>` (CSP3 §8.3: the hash covers the element's text content).
fn script_hash() -> String {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        crate::codec::base64::encode(digest, crate::codec::base64::Shape::STANDARD)
    )
}

/// The policy of every page.
pub(super) fn policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src {}; base-uri 'none'; form-action 'none'",
        script_hash()
    )
}

/// Writes everything up to and including `<body>`.
pub(super) fn open(w: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        esc(&policy())
    )?;
    writeln!(w, "<meta name=\"referrer\" content=\"no-referrer\">")?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        w,
        "<meta name=\"generator\" content=\"trace-inspect {}\">",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(w, "<title>{}</title>", esc(title))?;
    writeln!(w, "<style>{STYLE}</style></head><body>")
}

/// Writes the script and closes the document.
pub(super) fn close(w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "<footer>Made by trace-inspect {}. Nothing on this page is fetched from the network.</footer>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(w, "<script>{SCRIPT}</script></body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_only_the_inline_script_by_hash() {
        let p = policy();
        assert!(p.starts_with("default-src 'none';"));
        assert!(p.contains("script-src 'sha256-"));
        assert!(!p.contains("unsafe-eval"));
        assert!(!p.contains("script-src 'unsafe-inline'"));
        // A SHA-256 digest is 32 bytes: 44 base64 characters with padding.
        let hash = p
            .split("'sha256-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or_default();
        assert_eq!(hash.len(), 44);
    }

    #[test]
    fn script_and_style_cannot_close_their_element_early() {
        assert!(!SCRIPT.contains("</script"));
        assert!(!STYLE.contains("</style"));
        assert!(!STYLE.contains("url("));
    }
}
