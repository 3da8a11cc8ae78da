//! Canonical XML 1.0 (inclusive, <https://www.w3.org/TR/2001/REC-xml-c14n-20010315>)
//! and Exclusive XML Canonicalization 1.0
//! (<https://www.w3.org/TR/2002/REC-xml-exc-c14n-20020718/>) of an element
//! subtree, optionally without one descendant (the enveloped signature).
//!
//! The node set canonicalized is always "an element, its descendants, their
//! attributes and namespace nodes, minus an excluded subtree": that is what
//! a same-document `URI="#id"` or `URI=""` reference yields after the
//! enveloped-signature transform (XML-DSig Core §6.6.4), and what
//! `SignedInfo` is (§4.3.1). Serialization rules (C14N §2.3 / §5 and
//! Exc-C14N §3):
//! * empty elements become start/end tag pairs; attribute values in double
//!   quotes; `&`, `<`, `"`, TAB, LF, CR escaped in attributes and `&`, `<`,
//!   `>`, CR in text;
//! * namespace declarations come first, sorted by prefix (the default
//!   first), then attributes sorted by (namespace URI, local name) with
//!   unqualified ones first;
//! * inclusive C14N renders every in-scope namespace not already rendered
//!   with the same value by an output ancestor (so the apex carries the
//!   ancestors' declarations) and gives the apex the ancestors' `xml:*`
//!   attributes (§2.4);
//! * Exc-C14N §3: "A namespace node N with a prefix that does not appear in
//!   the InclusiveNamespaces PrefixList is rendered if … it is visibly
//!   utilized by its parent element, and the prefix has not yet been
//!   rendered by any output ancestor, or the nearest output ancestor … does
//!   not have a namespace node in the node-set with the same namespace
//!   prefix and value"; prefixes in the PrefixList are treated as in
//!   inclusive C14N;
//! * `xmlns=""` is rendered only to undo a non-empty default namespace an
//!   output ancestor rendered.

use std::collections::BTreeMap;

use super::tree::{Element, Node, XML_NS};

/// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315`
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// `…#WithComments`
pub const C14N_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// `http://www.w3.org/2001/10/xml-exc-c14n#`
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// `…#WithComments`
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// A canonicalization algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Inclusive {
        comments: bool,
    },
    Exclusive {
        comments: bool,
        /// InclusiveNamespaces PrefixList (`"#default"` written as `""`).
        prefixes: Vec<String>,
    },
}

impl Method {
    /// The method an algorithm URI names, `None` when unsupported.
    pub fn from_uri(uri: &str, prefixes: Vec<String>) -> Option<Method> {
        match uri.trim() {
            C14N => Some(Method::Inclusive { comments: false }),
            C14N_COMMENTS => Some(Method::Inclusive { comments: true }),
            EXC_C14N => Some(Method::Exclusive {
                comments: false,
                prefixes,
            }),
            EXC_C14N_COMMENTS => Some(Method::Exclusive {
                comments: true,
                prefixes,
            }),
            _ => None,
        }
    }

    /// The same method with comments dropped (XML-DSig §4.4.3.3: a
    /// same-document reference yields a node set without comments).
    pub fn without_comments(&self) -> Method {
        match self {
            Method::Inclusive { .. } => Method::Inclusive { comments: false },
            Method::Exclusive { prefixes, .. } => Method::Exclusive {
                comments: false,
                prefixes: prefixes.clone(),
            },
        }
    }

    fn comments(&self) -> bool {
        match self {
            Method::Inclusive { comments } | Method::Exclusive { comments, .. } => *comments,
        }
    }
}

/// Namespaces in scope / rendered: prefix (`""` default) → URI.
type Scope = BTreeMap<String, String>;

/// Canonicalizes the element at `path` below `root`, leaving out the
/// element at `exclude` (a path from `root`) and its subtree. `None` when
/// `path` names no element.
pub fn canonicalize(
    root: &Element,
    path: &[usize],
    method: &Method,
    exclude: Option<&[usize]>,
) -> Option<String> {
    // In-scope namespaces and inherited xml:* attributes at the apex.
    let mut scope = Scope::new();
    let mut xml_attrs: BTreeMap<String, String> = BTreeMap::new();
    let mut el = root;
    for &i in path {
        absorb(&mut scope, el);
        for a in el.attrs.iter().filter(|a| a.ns.as_deref() == Some(XML_NS)) {
            xml_attrs.insert(a.local.clone(), a.value.clone());
        }
        el = el.elements().nth(i)?;
    }
    // `exclude` relative to the apex.
    let exclude = exclude.and_then(|x| x.strip_prefix(path));
    let mut out = String::new();
    let inherited = match method {
        Method::Inclusive { .. } => xml_attrs,
        Method::Exclusive { .. } => BTreeMap::new(),
    };
    let mut w = Writer {
        method,
        out: &mut out,
    };
    w.element(
        el,
        &scope,
        &Scope::new(),
        &inherited,
        exclude,
        &mut Vec::new(),
    );
    Some(out)
}

fn absorb(scope: &mut Scope, el: &Element) {
    for (p, u) in &el.ns_decls {
        scope.insert(p.clone(), u.clone());
    }
}

struct Writer<'m, 'o> {
    method: &'m Method,
    out: &'o mut String,
}

impl Writer<'_, '_> {
    fn element(
        &mut self,
        el: &Element,
        parent_scope: &Scope,
        rendered: &Scope,
        inherited_xml: &BTreeMap<String, String>,
        exclude: Option<&[usize]>,
        here: &mut Vec<usize>,
    ) {
        let mut scope = parent_scope.clone();
        absorb(&mut scope, el);
        let mut decls: Scope = Scope::new();
        match self.method {
            Method::Inclusive { .. } => {
                for (p, u) in &scope {
                    consider(&mut decls, rendered, p, u);
                }
                if !scope.contains_key("") {
                    consider(&mut decls, rendered, "", "");
                }
            }
            Method::Exclusive { prefixes, .. } => {
                let mut used: Vec<&str> = vec![el.prefix.as_deref().unwrap_or("")];
                used.extend(el.attrs.iter().filter_map(|a| a.prefix.as_deref()));
                for p in used {
                    let u = scope.get(p).map(String::as_str).unwrap_or("");
                    consider(&mut decls, rendered, p, u);
                }
                for p in prefixes {
                    if let Some(u) = scope.get(p) {
                        consider(&mut decls, rendered, p, u);
                    }
                }
            }
        }
        decls.remove("xml");
        let mut now_rendered = rendered.clone();
        for (p, u) in &decls {
            now_rendered.insert(p.clone(), u.clone());
        }

        let name = qname(el.prefix.as_deref(), &el.local);
        self.out.push('<');
        self.out.push_str(&name);
        for (p, u) in &decls {
            self.out
                .push_str(if p.is_empty() { " xmlns" } else { " xmlns:" });
            self.out.push_str(p);
            self.out.push_str("=\"");
            escape_attr(self.out, u);
            self.out.push('"');
        }
        let mut attrs: Vec<(&str, &str, String, &str)> = el
            .attrs
            .iter()
            .map(|a| {
                (
                    a.ns.as_deref().unwrap_or(""),
                    a.local.as_str(),
                    qname(a.prefix.as_deref(), &a.local),
                    a.value.as_str(),
                )
            })
            .collect();
        for (local, value) in inherited_xml {
            if !attrs
                .iter()
                .any(|(ns, l, _, _)| *ns == XML_NS && l == local)
            {
                attrs.push((XML_NS, local, format!("xml:{local}"), value));
            }
        }
        attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, q, v) in &attrs {
            self.out.push(' ');
            self.out.push_str(q);
            self.out.push_str("=\"");
            escape_attr(self.out, v);
            self.out.push('"');
        }
        self.out.push('>');

        let none = BTreeMap::new();
        let mut index = 0usize;
        for child in &el.children {
            match child {
                Node::Element(c) => {
                    here.push(index);
                    index += 1;
                    if exclude != Some(here.as_slice()) {
                        self.element(c, &scope, &now_rendered, &none, exclude, here);
                    }
                    here.pop();
                }
                Node::Text(t) => escape_text(self.out, t),
                Node::Comment(c) => {
                    if self.method.comments() {
                        self.out.push_str("<!--");
                        self.out.push_str(c);
                        self.out.push_str("-->");
                    }
                }
                Node::Pi { target, data } => {
                    self.out.push_str("<?");
                    self.out.push_str(target);
                    if !data.is_empty() {
                        self.out.push(' ');
                        self.out.push_str(data);
                    }
                    self.out.push_str("?>");
                }
            }
        }
        self.out.push_str("</");
        self.out.push_str(&name);
        self.out.push('>');
    }
}

/// Adds `(p, u)` to the declarations to render unless an output ancestor
/// already rendered the same binding (an empty default counts as rendered
/// when nothing was).
fn consider(decls: &mut Scope, rendered: &Scope, p: &str, u: &str) {
    let before = rendered.get(p).map(String::as_str);
    let same = match (p, before) {
        ("", None) => u.is_empty(),
        (_, b) => b == Some(u),
    };
    if !same {
        decls.insert(p.to_owned(), u.to_owned());
    }
}

fn qname(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_owned(),
    }
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::saml::Limits;
    use crate::signature::tree::parse;

    fn c14n(xml: &str, path: &[usize], m: &Method, exclude: Option<&[usize]>) -> String {
        let d = parse(xml, &Limits::default()).expect("parses");
        canonicalize(&d.root, path, m, exclude).expect("path exists")
    }

    const EXC: Method = Method::Exclusive {
        comments: false,
        prefixes: Vec::new(),
    };
    const INC: Method = Method::Inclusive { comments: false };

    #[test]
    fn exclusive_renders_only_visibly_used_namespaces() {
        let xml = r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><b:x q="1" a:z="2"><y/></b:x></a:r>"#;
        assert_eq!(
            c14n(xml, &[0], &EXC, None),
            r#"<b:x xmlns:a="urn:a" xmlns:b="urn:b" q="1" a:z="2"><y xmlns="urn:d"></y></b:x>"#
        );
    }

    #[test]
    fn inclusive_renders_ancestor_namespaces_on_the_apex() {
        let xml = r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" xml:lang="en"><b:x/></a:r>"#;
        assert_eq!(
            c14n(xml, &[0], &INC, None),
            r#"<b:x xmlns:a="urn:a" xmlns:b="urn:b" xml:lang="en"></b:x>"#
        );
    }

    #[test]
    fn exclusive_prefix_list_is_inclusive_for_those_prefixes() {
        let xml = r#"<r xmlns:xs="urn:xs" xmlns:u="urn:u"><e/></r>"#;
        let m = Method::Exclusive {
            comments: false,
            prefixes: vec!["xs".into()],
        };
        assert_eq!(c14n(xml, &[0], &m, None), r#"<e xmlns:xs="urn:xs"></e>"#);
    }

    #[test]
    fn sorts_attributes_by_namespace_then_name_and_escapes() {
        let xml = "<r xmlns:z=\"urn:a\" xmlns:a=\"urn:z\" b=\"&lt;&amp;&quot;&#9;\" a:c=\"1\" z:d=\"2\">x&gt;&#xD;y</r>";
        assert_eq!(
            c14n(xml, &[], &INC, None),
            "<r xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" b=\"&lt;&amp;&quot;&#x9;\" z:d=\"2\" a:c=\"1\">x&gt;&#xD;y</r>"
        );
    }

    #[test]
    fn leaves_out_the_excluded_subtree_and_comments() {
        let xml = r#"<r ID="1"><s><t/></s><!--c--><u/></r>"#;
        assert_eq!(c14n(xml, &[], &EXC, Some(&[0])), "<r ID=\"1\"><u></u></r>");
        let with = Method::Exclusive {
            comments: true,
            prefixes: Vec::new(),
        };
        assert_eq!(
            c14n(xml, &[], &with, Some(&[0])),
            "<r ID=\"1\"><!--c--><u></u></r>"
        );
    }

    #[test]
    fn undoes_a_default_namespace_with_an_empty_declaration() {
        let xml = r#"<r xmlns="urn:d"><e xmlns=""/></r>"#;
        assert_eq!(
            c14n(xml, &[], &EXC, None),
            r#"<r xmlns="urn:d"><e xmlns=""></e></r>"#
        );
        assert_eq!(c14n(xml, &[0], &EXC, None), "<e></e>");
    }
}
