//! A full-fidelity XML tree for signature checking: unlike the decoder's
//! tree it keeps prefixes, namespace declarations, text interleaved with
//! elements, comments and processing instructions in document order, which
//! is what canonicalization (C14N 1.0 / Exc-C14N 1.0) serializes.
//!
//! Invariants — the same defences as the SAML decoder
//! ([`crate::decode::saml::Limits`]): a DOCTYPE is refused before anything
//! else is read, so no entity is ever declared or expanded; only the five
//! predefined entities and character references are resolved; depth,
//! element count and size are bounded. Line ends are normalized (XML 1.0
//! §2.11) and attribute values are normalized as CDATA attributes (XML 1.0
//! §3.3.3: each literal TAB / CR / LF becomes a space, a character reference
//! keeps its character), which is the input C14N expects.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::decode::saml::Limits;

/// The namespace bound to the `xml` prefix (Namespaces in XML §3).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Why a document could not be read into a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("the XML has a DOCTYPE; it is never read (no entities are expanded)")]
    Doctype,
    #[error("XML is not well-formed at byte {offset}: {message}")]
    Malformed { offset: usize, message: String },
    #[error("XML exceeds a bound ({0}); refused")]
    Bound(&'static str),
    #[error("no root element")]
    NoElement,
}

/// One node in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
    Comment(String),
    Pi { target: String, data: String },
}

/// An attribute as written (prefix kept), value normalized and unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub prefix: Option<String>,
    pub local: String,
    pub value: String,
    /// Namespace URI of a prefixed attribute (`None` when unprefixed).
    pub ns: Option<String>,
}

/// An element with its own namespace declarations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub prefix: Option<String>,
    pub local: String,
    /// Resolved namespace URI (`None`: no namespace).
    pub ns: Option<String>,
    /// Declarations on this element: (prefix, URI), `""` for the default.
    pub ns_decls: Vec<(String, String)>,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
}

impl Element {
    /// Whether this element is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local && self.ns.as_deref() == Some(ns)
    }

    /// Unprefixed attribute by local name.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.prefix.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// Child elements in document order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// First child element `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.elements().find(|c| c.is(ns, local))
    }

    /// All text below this element (comments excluded).
    pub fn text(&self) -> String {
        fn walk(e: &Element, out: &mut String) {
            for c in &e.children {
                match c {
                    Node::Text(t) => out.push_str(t),
                    Node::Element(x) => walk(x, out),
                    _ => {}
                }
            }
        }
        let mut s = String::new();
        walk(self, &mut s);
        s
    }

    /// The ID an XML-DSig same-document reference can name: SAML 2.0 `ID`,
    /// SAML 1.x `AssertionID` / `ResponseID`, `Id`, or WS-Security `wsu:Id`.
    pub fn id(&self) -> Option<&str> {
        self.attr("ID")
            .or_else(|| self.attr("AssertionID"))
            .or_else(|| self.attr("ResponseID"))
            .or_else(|| self.attr("Id"))
            .or_else(|| {
                self.attrs
                    .iter()
                    .find(|a| a.local == "Id" && a.prefix.is_some())
                    .map(|a| a.value.as_str())
            })
    }

    /// The element at `path` (child-element indices from here).
    pub fn at(&self, path: &[usize]) -> Option<&Element> {
        let mut el = self;
        for &i in path {
            el = el.elements().nth(i)?;
        }
        Some(el)
    }

    /// Every element (self included) with its path, depth first.
    pub fn walk(&self) -> Vec<(Vec<usize>, &Element)> {
        fn go<'a>(e: &'a Element, path: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, &'a Element)>) {
            out.push((path.clone(), e));
            for (i, c) in e.elements().enumerate() {
                path.push(i);
                go(c, path, out);
                path.pop();
            }
        }
        let mut out = Vec::new();
        go(self, &mut Vec::new(), &mut out);
        out
    }
}

/// A parsed document: its root element (content outside it is not kept —
/// the signatures SAML uses always reference an element or the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub root: Element,
}

/// Parses the first document element of `xml`.
pub fn parse(xml: &str, limits: &Limits) -> Result<Document, TreeError> {
    if xml.len() > limits.max_bytes {
        return Err(TreeError::Bound("size"));
    }
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    // In-scope declarations, one frame per open element.
    let mut scopes: Vec<Vec<(String, String)>> = Vec::new();
    let mut count = 0usize;
    loop {
        let offset = pos(reader.buffer_position());
        let ev = reader.read_event().map_err(|e| TreeError::Malformed {
            offset: pos(reader.error_position()),
            message: e.to_string(),
        })?;
        match ev {
            Event::DocType(_) => return Err(TreeError::Doctype),
            Event::Start(s) => {
                count += 1;
                bounds(count, stack.len() + 1, limits)?;
                let el = element(&s, &mut scopes, offset)?;
                stack.push(el);
            }
            Event::Empty(s) => {
                count += 1;
                bounds(count, stack.len() + 1, limits)?;
                let el = element(&s, &mut scopes, offset)?;
                scopes.pop();
                if let Some(done) = attach(&mut stack, el) {
                    return Ok(Document { root: done });
                }
            }
            Event::End(_) => {
                scopes.pop();
                let Some(el) = stack.pop() else {
                    return Err(malformed(offset, "end tag without a start tag"));
                };
                if let Some(done) = attach(&mut stack, el) {
                    return Ok(Document { root: done });
                }
            }
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| malformed(offset, &e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::CData(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| malformed(offset, &e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let ch = match r
                    .resolve_char_ref()
                    .map_err(|e| malformed(offset, &e.to_string()))?
                {
                    Some(c) => c,
                    None => {
                        let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                        crate::codec::xml::predefined_entity(&name).ok_or_else(|| {
                            malformed(offset, &format!("undefined entity &{name};"))
                        })?
                    }
                };
                push_text(&mut stack, ch.encode_utf8(&mut [0; 4]));
            }
            Event::Comment(c) => {
                if let Some(top) = stack.last_mut() {
                    let s = String::from_utf8_lossy(c.as_ref()).replace("\r\n", "\n");
                    top.children.push(Node::Comment(s));
                }
            }
            Event::PI(p) => {
                if let Some(top) = stack.last_mut() {
                    let target = String::from_utf8_lossy(p.target()).into_owned();
                    let data = String::from_utf8_lossy(p.content())
                        .trim_start()
                        .replace("\r\n", "\n");
                    top.children.push(Node::Pi { target, data });
                }
            }
            Event::Decl(_) => {}
            Event::Eof => {
                return Err(if stack.is_empty() {
                    TreeError::NoElement
                } else {
                    malformed(xml.len(), "input ends inside an element (truncated?)")
                });
            }
        }
    }
}

fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

fn malformed(offset: usize, message: &str) -> TreeError {
    TreeError::Malformed {
        offset,
        message: message.to_owned(),
    }
}

fn bounds(count: usize, depth: usize, limits: &Limits) -> Result<(), TreeError> {
    if depth > limits.max_depth {
        return Err(TreeError::Bound("depth"));
    }
    if count > limits.max_elements {
        return Err(TreeError::Bound("element count"));
    }
    Ok(())
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.children.last_mut() {
            t.push_str(s);
        } else {
            top.children.push(Node::Text(s.to_owned()));
        }
    }
}

/// Attaches a finished element to its parent; returns it when it is the root.
fn attach(stack: &mut [Element], el: Element) -> Option<Element> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(Node::Element(el));
            None
        }
        None => Some(el),
    }
}

fn split_qname(q: &str) -> (Option<String>, String) {
    match q.split_once(':') {
        Some((p, l)) => (Some(p.to_owned()), l.to_owned()),
        None => (None, q.to_owned()),
    }
}

/// Resolves `prefix` ("" for the default namespace) in the open scopes.
fn resolve(scopes: &[Vec<(String, String)>], prefix: &str) -> Option<String> {
    if prefix == "xml" {
        return Some(XML_NS.to_owned());
    }
    scopes
        .iter()
        .rev()
        .flat_map(|f| f.iter())
        .find(|(p, _)| p == prefix)
        .map(|(_, u)| u.clone())
        .filter(|u| !u.is_empty())
}

fn element(
    s: &BytesStart<'_>,
    scopes: &mut Vec<Vec<(String, String)>>,
    offset: usize,
) -> Result<Element, TreeError> {
    let qname = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let (prefix, local) = split_qname(&qname);
    let mut ns_decls = Vec::new();
    let mut raw_attrs = Vec::new();
    for a in s.attributes().with_checks(true) {
        let a = a.map_err(|e| malformed(offset, &e.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = attr_value(&String::from_utf8_lossy(&a.value))
            .ok_or_else(|| malformed(offset, &format!("bad reference in attribute {key}")))?;
        if key == "xmlns" {
            ns_decls.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            ns_decls.push((p.to_owned(), value));
        } else {
            raw_attrs.push((key, value));
        }
    }
    scopes.push(ns_decls.clone());
    let ns = match prefix.as_deref() {
        Some(p) => Some(resolve(scopes, p).ok_or_else(|| {
            malformed(
                offset,
                &format!("prefix {p:?} of <{qname}> is not declared"),
            )
        })?),
        None => resolve(scopes, ""),
    };
    let mut attrs = Vec::with_capacity(raw_attrs.len());
    for (key, value) in raw_attrs {
        let (prefix, local) = split_qname(&key);
        let ns = match prefix.as_deref() {
            Some(p) => Some(resolve(scopes, p).ok_or_else(|| {
                malformed(
                    offset,
                    &format!("prefix {p:?} of attribute {key} is not declared"),
                )
            })?),
            None => None,
        };
        attrs.push(Attr {
            prefix,
            local,
            value,
            ns,
        });
    }
    Ok(Element {
        prefix,
        local,
        ns,
        ns_decls,
        attrs,
        children: Vec::new(),
    })
}

/// Attribute-value normalization for CDATA attributes (XML 1.0 §3.3.3):
/// line ends first (§2.11), then each literal whitespace character becomes
/// a space, then references are replaced (a `&#xA;` stays a line feed).
fn attr_value(raw: &str) -> Option<String> {
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(i) = rest.find(['&', '\t', '\n']) {
        out.push_str(rest.get(..i)?);
        let tail = rest.get(i..)?;
        if tail.starts_with('&') {
            let end = tail.find(';')?;
            let name = tail.get(1..end)?;
            out.push(crate::codec::xml::reference(name)?);
            rest = tail.get(end + 1..)?;
        } else {
            out.push(' ');
            rest = tail.get(1..)?;
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_prefixes_declarations_and_mixed_content() {
        let d = parse(
            r#"<a:r xmlns:a="urn:a" xmlns="urn:d" b="1&#xA;2	3">x<c/>y<!--z--></a:r>"#,
            &Limits::default(),
        )
        .expect("parses");
        assert_eq!(d.root.ns.as_deref(), Some("urn:a"));
        assert_eq!(d.root.ns_decls.len(), 2);
        assert_eq!(d.root.attr("b"), Some("1\n2 3"));
        assert_eq!(d.root.children.len(), 4);
        assert_eq!(
            d.root
                .elements()
                .next()
                .and_then(|c| c.ns.clone())
                .as_deref(),
            Some("urn:d")
        );
    }

    #[test]
    fn refuses_doctype_and_undeclared_prefix() {
        let l = Limits::default();
        assert_eq!(
            parse("<!DOCTYPE r [<!ENTITY x 'y'>]><r>&x;</r>", &l),
            Err(TreeError::Doctype)
        );
        assert!(matches!(
            parse("<p:r/>", &l),
            Err(TreeError::Malformed { .. })
        ));
        assert!(matches!(
            parse("<r>&x;</r>", &l),
            Err(TreeError::Malformed { .. })
        ));
    }

    #[test]
    fn bounds_depth() {
        let l = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert_eq!(
            parse("<a><b><c><d/></c></b></a>", &l),
            Err(TreeError::Bound("depth"))
        );
    }
}
