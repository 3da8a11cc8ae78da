//! Pretty-printing of XML for display: one element per line, two-space
//! indent, text-only elements on one line, `SignatureValue` masked unless
//! secrets are shown.
//!
//! Invariants: never expands entities (the text is copied as written, so a
//! DOCTYPE is shown, not obeyed); never fails — from the first syntax error
//! on, the rest of the input is appended verbatim; output is bounded to
//! about five times the input (deep nesting would otherwise multiply it).

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::secret::mask;

/// Elements whose text is a secret (masked unless shown).
const SECRET_ELEMENTS: &[&str] = &["SignatureValue"];

/// Pretty-prints `xml` with secrets masked (the safe default).
pub fn pretty_xml(xml: &str) -> String {
    pretty_xml_with(xml, false)
}

/// Pretty-prints `xml`; `show_secrets` reveals `SignatureValue` texts.
pub fn pretty_xml_with(xml: &str, show_secrets: bool) -> String {
    let mut p = Printer {
        out: String::with_capacity(xml.len() + xml.len() / 4),
        depth: 0,
        stack: Vec::new(),
        pending: None,
        text: String::new(),
        show_secrets,
    };
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    // Indentation can multiply the size of pathological input; past this
    // the rest is appended as written.
    let budget = xml.len().saturating_mul(4).saturating_add(1 << 16);
    loop {
        if p.out.len() > budget {
            p.flush();
            let at = usize::try_from(reader.buffer_position()).unwrap_or(0);
            let rest = xml.get(at..).unwrap_or_default();
            if !rest.trim().is_empty() {
                p.out.push_str(rest.trim());
                p.out.push('\n');
            }
            break;
        }
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(_) => {
                p.flush();
                let at = usize::try_from(reader.error_position()).unwrap_or(0);
                let rest = xml.get(at..).unwrap_or_default();
                if !rest.trim().is_empty() {
                    p.line(rest.trim());
                }
                break;
            }
        };
        match ev {
            Event::Start(e) => {
                p.flush();
                let local = local_name(e.name().as_ref());
                p.pending = Some((format!("<{}>", lossy(&e)), local));
            }
            Event::Empty(e) => {
                p.flush();
                p.line(&format!("<{}/>", lossy(&e)));
            }
            Event::End(e) => p.end(&lossy(e.name().as_ref())),
            Event::Text(e) => p.text.push_str(&lossy(&e)),
            Event::GeneralRef(e) => {
                p.text.push('&');
                p.text.push_str(&lossy(&e));
                p.text.push(';');
            }
            Event::CData(e) => p.text.push_str(&format!("<![CDATA[{}]]>", lossy(&e))),
            Event::Comment(e) => {
                p.flush();
                p.line(&format!("<!--{}-->", lossy(&e)));
            }
            Event::Decl(e) => {
                p.flush();
                p.line(&format!("<?{}?>", lossy(&e)));
            }
            Event::PI(e) => {
                p.flush();
                p.line(&format!("<?{}?>", lossy(&e)));
            }
            Event::DocType(e) => {
                p.flush();
                p.line(&format!("<!DOCTYPE {}>", lossy(&e).trim()));
            }
            Event::Eof => break,
        }
    }
    p.flush();
    p.out
}

struct Printer {
    out: String,
    depth: usize,
    stack: Vec<String>,
    /// A start tag not yet written, so `<a>text</a>` can go on one line.
    pending: Option<(String, String)>,
    /// Text seen since the last tag.
    text: String,
    show_secrets: bool,
}

impl Printer {
    fn line(&mut self, s: &str) {
        for _ in 0..self.depth.min(64) {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn display_text(&self, owner: Option<&str>) -> String {
        let collapsed = collapse(&self.text);
        let secret = owner.is_some_and(|o| SECRET_ELEMENTS.contains(&o));
        if secret && !self.show_secrets {
            mask(&collapsed)
        } else {
            collapsed
        }
    }

    /// Writes a pending start tag and pending text on their own lines.
    fn flush(&mut self) {
        if let Some((tag, local)) = self.pending.take() {
            self.line(&tag);
            self.depth += 1;
            self.stack.push(local);
        }
        if !self.text.trim().is_empty() {
            let owner = self.stack.last().cloned();
            let t = self.display_text(owner.as_deref());
            self.line(&t);
        }
        self.text.clear();
    }

    fn end(&mut self, name: &str) {
        if let Some((tag, local)) = self.pending.take() {
            let t = self.display_text(Some(&local));
            self.text.clear();
            self.line(&format!("{tag}{t}</{name}>"));
            return;
        }
        self.flush();
        self.stack.pop();
        self.depth = self.depth.saturating_sub(1);
        self.line(&format!("</{name}>"));
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn local_name(qname: &[u8]) -> String {
    let s = lossy(qname);
    s.rsplit(':').next().unwrap_or_default().to_owned()
}

/// Whitespace-collapsed text; base64 blocks (certificates, digests) are
/// joined without spaces so they stay copyable.
fn collapse(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let base64ish = words.len() > 1
        && words.iter().all(|w| {
            w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        });
    words.join(if base64ish { "" } else { " " })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_and_keeps_text_elements_on_one_line() {
        let xml = r#"<?xml version="1.0"?><a x="1"><b>hi &amp; bye</b><c/><!-- note --><d><e>t</e></d></a>"#;
        let expected = "<?xml version=\"1.0\"?>\n<a x=\"1\">\n  <b>hi &amp; bye</b>\n  <c/>\n  <!-- note -->\n  <d>\n    <e>t</e>\n  </d>\n</a>\n";
        assert_eq!(pretty_xml(xml), expected);
    }

    #[test]
    fn masks_signature_value_unless_shown() {
        let xml = "<ds:Signature><ds:SignatureValue>\n  QUJD\n  REVG\n</ds:SignatureValue></ds:Signature>";
        let masked = pretty_xml(xml);
        assert!(
            masked.contains("<ds:SignatureValue>‹redacted 8 chars›</ds:SignatureValue>"),
            "{masked}"
        );
        assert!(!masked.contains("QUJD"));
        let shown = pretty_xml_with(xml, true);
        assert!(
            shown.contains("<ds:SignatureValue>QUJDREVG</ds:SignatureValue>"),
            "{shown}"
        );
    }

    #[test]
    fn never_fails_on_broken_xml() {
        let out = pretty_xml("<a><b>text</c></a><<<");
        assert!(out.contains("<a>"), "{out}");
        let out = pretty_xml("<!DOCTYPE x [<!ENTITY a \"aaa\">]><x>&a;</x>");
        assert!(out.contains("<x>&a;</x>"), "{out}");
        assert_eq!(pretty_xml(""), "");
    }

    #[test]
    fn bounds_output_of_pathological_nesting() {
        let xml = "<a>".repeat(200_000);
        let out = pretty_xml(&xml);
        assert!(
            out.len() <= xml.len() * 5 + (1 << 16) + 300,
            "{}",
            out.len()
        );
        assert!(out.ends_with("<a><a><a>\n"), "the rest is kept as written");
    }
}
