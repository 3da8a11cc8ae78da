//! A small, bounded, namespace-resolved element tree built with quick-xml's
//! `NsReader`, which is what the SAML and WS-Federation decoders walk.
//!
//! Invariants:
//! * a DOCTYPE (and so any entity declaration) is refused on sight, before
//!   anything else is read — entities are never expanded, which is the whole
//!   XXE / "billion laughs" defence;
//! * only the five predefined entities and character references are
//!   resolved; any other `&name;` is a well-formedness error;
//! * depth, element count and attributes per element are bounded
//!   ([`Limits`]); duplicate attributes (XML 1.0 §3.1, WFC "Unique Att
//!   Spec") are found with a hash set, not quick-xml's pairwise check,
//!   which is quadratic in the attribute count;
//! * several top-level elements are allowed (a decoded blob sometimes holds
//!   two concatenated documents); each becomes a root with its source span.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::{Refusal, SamlError};

/// SAML 2.0 protocol namespace (core §3).
pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion namespace (core §2).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 1.x assertion namespace (used by WS-Federation tokens).
pub const SAML1: &str = "urn:oasis:names:tc:SAML:1.0:assertion";
/// XML Signature namespace.
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Encryption namespace.
pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";

/// Bounds on what the parser accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Most elements in one input (all documents together).
    pub max_elements: usize,
    /// Largest input in bytes.
    pub max_bytes: usize,
    /// Most attributes (namespace declarations included) on one element.
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 256,
            max_elements: 100_000,
            // A SAML element carries a handful (Response: about ten); a
            // thousand is far above any real message.
            max_attributes: 1_000,
            max_bytes: crate::decode::encoding::DEFAULT_MAX_DECODED_BYTES,
        }
    }
}

/// One attribute, namespace resolved; `xmlns` declarations are not kept.
#[derive(Debug, Clone)]
pub struct Attr {
    /// Namespace URI of a prefixed attribute; `None` for unprefixed ones.
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
    /// Unescaped value.
    pub value: String,
}

/// One element.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Namespace URI; `None` when unbound (no default namespace, or an
    /// undeclared prefix — then matching falls back to the local name).
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
    /// Attributes in document order.
    pub attrs: Vec<Attr>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Direct text content (text, CDATA, references), concatenated.
    pub text: String,
    /// A comment interrupted the text (comment-truncation attacks on NameID).
    pub comment_in_text: bool,
    /// Byte range of the element in the source.
    pub span: (usize, usize),
}

impl Element {
    /// Whether this element is `{ns}local`; an unbound element matches any
    /// namespace by local name (lenient with broken namespace declarations).
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local && self.ns.as_deref().is_none_or(|n| n == ns)
    }

    /// Unprefixed attribute by local name.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// First child `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, local))
    }

    /// All children `{ns}local`.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(ns, local))
    }

    /// Trimmed direct text, `None` when empty.
    pub fn text_opt(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }

    /// Trimmed text of the first child `{ns}local`.
    pub fn child_text(&self, ns: &str, local: &str) -> Option<String> {
        self.child(ns, local).and_then(Element::text_opt)
    }

    /// All text below this element, in document order, trimmed.
    pub fn deep_text(&self) -> String {
        fn walk(e: &Element, out: &mut String) {
            out.push_str(&e.text);
            for c in &e.children {
                walk(c, out);
            }
        }
        let mut s = String::new();
        walk(self, &mut s);
        s.trim().to_owned()
    }

    /// Every descendant (not self), depth first in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        fn walk<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
            for c in &e.children {
                out.push(c);
                walk(c, out);
            }
        }
        let mut v = Vec::new();
        walk(self, &mut v);
        v
    }
}

/// Parses `xml` into its top-level elements.
pub fn parse(xml: &str, limits: &Limits) -> Result<Vec<Element>, SamlError> {
    if xml.len() > limits.max_bytes {
        return Err(SamlError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut roots = Vec::new();
    let mut count = 0usize;
    loop {
        let start_pos = pos(reader.buffer_position());
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ResolveResult::Bound(n), ev)) => {
                (Some(String::from_utf8_lossy(n.as_ref()).into_owned()), ev)
            }
            Ok((_, ev)) => (None, ev),
            Err(e) => return Err(malformed(&reader, &e)),
        };
        match event {
            Event::DocType(d) => {
                let text = String::from_utf8_lossy(d.as_ref()).into_owned();
                return Err(SamlError::Refused(refusal_for(&text)));
            }
            Event::Start(e) => {
                count += 1;
                check_bounds(count, stack.len() + 1, limits)?;
                let el = element(&reader, &e, ns, start_pos, limits)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                count += 1;
                check_bounds(count, stack.len() + 1, limits)?;
                let mut el = element(&reader, &e, ns, start_pos, limits)?;
                el.span.1 = pos(reader.buffer_position());
                attach(&mut stack, &mut roots, el);
            }
            Event::End(_) => {
                if let Some(mut el) = stack.pop() {
                    el.span.1 = pos(reader.buffer_position());
                    attach(&mut stack, &mut roots, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.xml10_content().map_err(|e| malformed(&reader, &e))?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.xml10_content().map_err(|e| malformed(&reader, &e))?;
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| malformed(&reader, &e))? {
                    Some(c) => c,
                    None => {
                        let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                        crate::codec::xml::predefined_entity(&name).ok_or_else(|| {
                            SamlError::Malformed {
                                offset: start_pos,
                                message: format!("undefined entity &{name}; (no DTD is ever read)"),
                            }
                        })?
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(ch);
                }
            }
            Event::Comment(_) => {
                if let Some(top) = stack.last_mut()
                    && !top.text.trim().is_empty()
                {
                    top.comment_in_text = true;
                }
            }
            Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(SamlError::Malformed {
            offset: xml.len(),
            message: format!("input ends inside <{}> (truncated?)", open.local),
        });
    }
    if roots.is_empty() {
        return Err(SamlError::NoElement);
    }
    Ok(roots)
}

fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

fn refusal_for(doctype: &str) -> Refusal {
    let summary: String = doctype.trim().chars().take(80).collect();
    if doctype.contains("<!ENTITY") {
        Refusal::EntityDeclaration { doctype: summary }
    } else {
        Refusal::Doctype { doctype: summary }
    }
}

fn check_bounds(count: usize, depth: usize, limits: &Limits) -> Result<(), SamlError> {
    if depth > limits.max_depth {
        return Err(SamlError::TooDeep {
            limit: limits.max_depth,
        });
    }
    if count > limits.max_elements {
        return Err(SamlError::TooManyElements {
            limit: limits.max_elements,
        });
    }
    Ok(())
}

fn attach(stack: &mut [Element], roots: &mut Vec<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => roots.push(el),
    }
}

fn malformed(reader: &NsReader<&[u8]>, e: &dyn std::fmt::Display) -> SamlError {
    SamlError::Malformed {
        offset: pos(reader.error_position()),
        message: e.to_string(),
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    e: &BytesStart<'_>,
    ns: Option<String>,
    start: usize,
    limits: &Limits,
) -> Result<Element, SamlError> {
    let mut attrs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // `with_checks(false)`: quick-xml's own duplicate check compares each
    // attribute with every earlier one (quadratic); the set below is linear.
    for (i, a) in e.attributes().with_checks(false).enumerate() {
        if i >= limits.max_attributes {
            return Err(SamlError::TooManyAttributes {
                limit: limits.max_attributes,
            });
        }
        let a = a.map_err(|err| malformed(reader, &err))?;
        let key = a.key;
        if !seen.insert(key.into_inner()) {
            return Err(SamlError::Malformed {
                offset: start,
                message: format!(
                    "duplicate attribute '{}'",
                    String::from_utf8_lossy(key.as_ref())
                ),
            });
        }
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let (res, local) = reader.resolve_attribute(key);
        let ns = match res {
            ResolveResult::Bound(n) => Some(String::from_utf8_lossy(n.as_ref()).into_owned()),
            ResolveResult::Unknown(_) => Some(String::new()),
            ResolveResult::Unbound => None,
        };
        let value = a
            .decode_and_unescape_value(reader.decoder())
            .map_err(|err| malformed(reader, &err))?
            .into_owned();
        attrs.push(Attr {
            ns,
            local: String::from_utf8_lossy(local.as_ref()).into_owned(),
            value,
        });
    }
    Ok(Element {
        ns,
        local: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        attrs,
        span: (start, start),
        ..Element::default()
    })
}
