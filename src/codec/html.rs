//! A small, forgiving HTML scanner for IdP pages: tags and attributes, the
//! visible text (tags stripped, block elements turned into line breaks,
//! entities decoded), `<title>`, `<meta name=… content=…>` and forms with
//! their inputs.
//!
//! Not a conforming HTML5 parser (no tree, no error recovery beyond skipping):
//! IdP pages are server templates, and all we need is their text and forms.
//! Every function is linear in the input, works on any `&str` (slices only at
//! ASCII delimiters) and never panics.

use std::borrow::Cow;
use std::ops::Range;

/// One start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Lower-cased element name.
    pub name: String,
    /// `</name>`.
    pub closing: bool,
    /// The raw attribute text between the name and `>`.
    pub attrs: &'a str,
    /// Byte offset of `<`.
    pub start: usize,
    /// Byte offset just after `>`.
    pub end: usize,
}

impl Tag<'_> {
    /// The value of attribute `name` (ASCII case-insensitive), entities decoded.
    pub fn attr(&self, name: &str) -> Option<String> {
        attr(self.attrs, name)
    }
}

/// Elements whose content is raw text, never markup.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Elements after which visible text starts a new line.
const BLOCK: [&str; 24] = [
    "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "form", "dt", "dd", "pre", "hr", "title",
];

/// Iterates over the tags of `html`, skipping comments, doctypes and the
/// content of raw-text elements (`script`, `style`, …).
pub fn tags(html: &str) -> Tags<'_> {
    Tags { html, pos: 0 }
}

/// Iterator returned by [`tags`].
#[derive(Debug)]
pub struct Tags<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        loop {
            if let Scan::Tag(tag) = self.next_scan()? {
                return Some(tag);
            }
        }
    }
}

impl<'a> Tags<'a> {
    /// The next tag, or the span of a comment / doctype / stray `<`.
    fn next_scan(&mut self) -> Option<Scan<'a>> {
        let scan = next_tag(self.html, self.pos)?;
        match &scan {
            Scan::Skip(_, end) => self.pos = *end,
            Scan::Tag(tag) => {
                self.pos = tag.end;
                if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
                    // Jump over the raw text to its end tag (which the next
                    // call returns), so markup-looking script is ignored.
                    self.pos = find_end_tag(self.html, tag.end, &tag.name);
                }
            }
        }
        Some(scan)
    }
}

enum Scan<'a> {
    Tag(Tag<'a>),
    /// A comment / doctype / stray `<` from `.0` to `.1`.
    Skip(usize, usize),
}

fn next_tag(html: &str, from: usize) -> Option<Scan<'_>> {
    let bytes = html.as_bytes();
    let lt = from + memchr::memchr(b'<', bytes.get(from..)?)?;
    let rest = bytes.get(lt + 1..).unwrap_or_default();
    if rest.starts_with(b"!--") {
        let end = memchr::memmem::find(rest, b"-->").map_or(bytes.len(), |i| lt + 1 + i + 3);
        return Some(Scan::Skip(lt, end));
    }
    if rest.first().is_some_and(|b| *b == b'!' || *b == b'?') {
        let end = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
        return Some(Scan::Skip(lt, end));
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    let name_len = bytes
        .get(name_start..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
        .count();
    if name_len == 0 || !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return Some(Scan::Skip(lt, lt + 1));
    }
    let attrs_start = name_start + name_len;
    let end = tag_end(bytes, attrs_start);
    let attrs_end = if bytes.get(end.wrapping_sub(1)) == Some(&b'>') {
        end - 1
    } else {
        end
    };
    Some(Scan::Tag(Tag {
        name: html
            .get(name_start..attrs_start)
            .unwrap_or_default()
            .to_ascii_lowercase(),
        closing,
        attrs: html.get(attrs_start..attrs_end).unwrap_or_default(),
        start: lt,
        end,
    }))
}

/// Offset just after the `>` closing a tag, honouring quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, b) in bytes.iter().enumerate().skip(from) {
        match (quote, *b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Offset of `</name` at or after `from` (ASCII case-insensitive), or the end.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut pos = from;
    while let Some(i) = memchr::memmem::find(bytes.get(pos..).unwrap_or_default(), b"</") {
        let at = pos + i;
        let candidate = bytes.get(at + 2..at + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return at;
        }
        pos = at + 2;
    }
    bytes.len()
}

/// One attribute of a tag's raw attribute text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased name.
    pub name: String,
    /// Byte range of the raw value (inside the quotes, entities not
    /// decoded), `None` for a bare attribute (`disabled`).
    pub value: Option<Range<usize>>,
}

/// The attributes of raw attribute text — `name="v" x='y' z=w flag` — in
/// order, with the positions of their values so an editor can rewrite one
/// in place. An unclosed quote runs to the end.
pub fn attributes(attrs: &str) -> Vec<Attr> {
    let bytes = attrs.as_bytes();
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        let key_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'=' && *b != b'/')
        {
            i += 1;
        }
        if i == key_start {
            i += 1;
            continue;
        }
        let name = attrs
            .get(key_start..i)
            .unwrap_or_default()
            .to_ascii_lowercase();
        i = skip_ws(i);
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i = skip_ws(i + 1);
            let (range, next) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, bytes.get(i + 1..).unwrap_or_default())
                        .map_or(bytes.len(), |e| i + 1 + e);
                    (i + 1..end, end + 1)
                }
                _ => {
                    let end = bytes
                        .iter()
                        .skip(i)
                        .position(u8::is_ascii_whitespace)
                        .map_or(bytes.len(), |e| i + e);
                    (i..end, end)
                }
            };
            value = Some(range);
            i = next;
        }
        out.push(Attr { name, value });
    }
    out
}

/// The value of attribute `name` in raw attribute text (quoted or not),
/// entities decoded; `""` for a bare attribute.
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    let found = attributes(attrs)
        .into_iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))?;
    let raw = found.value.and_then(|r| attrs.get(r)).unwrap_or_default();
    Some(decode_entities(raw).into_owned())
}

/// Decodes the character references IdP pages use (`&amp;`, `&#39;`,
/// `&#x2F;`, `&nbsp;`, typographic quotes…); unknown ones stay as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let semi = after.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|n| entity(after.get(..n).unwrap_or_default()));
        match (decoded, semi) {
            (Some(c), Some(n)) => {
                out.push(c);
                rest = after.get(n + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201d}',
        "ldquo" => '\u{201c}',
        "hellip" => '\u{2026}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "copy" => '\u{a9}',
        "middot" => '\u{b7}',
        _ => return None,
    })
}

/// The text a reader sees: tags removed, script/style dropped, block
/// elements and `<br>` as line breaks, entities decoded, each line trimmed
/// with inner whitespace collapsed, empty lines dropped.
pub fn visible_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len().min(1 << 20));
    let mut pos = 0;
    let mut iter = tags(html);
    while let Some(scan) = iter.next_scan() {
        let tag = match scan {
            // A stray `<` is text: leave it in the run.
            Scan::Skip(start, end) if end == start + 1 => continue,
            Scan::Skip(start, end) => {
                raw.push_str(html.get(pos..start).unwrap_or_default());
                pos = end;
                continue;
            }
            Scan::Tag(tag) => tag,
        };
        raw.push_str(html.get(pos..tag.start).unwrap_or_default());
        if BLOCK.contains(&tag.name.as_str()) || tag.name == "td" || tag.name == "th" {
            raw.push(if tag.name == "td" || tag.name == "th" {
                ' '
            } else {
                '\n'
            });
        }
        pos = tag.end;
        if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
            // Skip the raw text; keep the title's text on its own line.
            let end = find_end_tag(html, tag.end, &tag.name);
            if tag.name == "title" {
                raw.push_str(html.get(tag.end..end).unwrap_or_default());
                raw.push('\n');
            }
            pos = end;
        }
    }
    raw.push_str(html.get(pos..).unwrap_or_default());
    let decoded = decode_entities(&raw);
    let mut out = String::with_capacity(decoded.len());
    for line in decoded.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        for (i, w) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.push('\n');
    }
    out
}

/// The `<title>` text, trimmed and entity-decoded.
pub fn title(html: &str) -> Option<String> {
    let tag = tags(html).find(|t| t.name == "title" && !t.closing)?;
    let end = find_end_tag(html, tag.end, "title");
    let text = html.get(tag.end..end)?;
    let text = decode_entities(text.trim());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The `content` of the first `<meta name="…">` with this name
/// (case-insensitive).
pub fn meta_content(html: &str, name: &str) -> Option<String> {
    tags(html)
        .filter(|t| t.name == "meta" && !t.closing)
        .find(|t| t.attr("name").is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .and_then(|t| t.attr("content"))
}

/// A `<form>` and the inputs inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pub action: Option<String>,
    pub method: Option<String>,
    pub name: Option<String>,
    pub id: Option<String>,
    pub inputs: Vec<Input>,
    /// A `<noscript>` element inside the form (the IdP "Working…" page's
    /// continue button for browsers without script).
    pub noscript: bool,
}

/// An `<input>` of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub name: Option<String>,
    /// Lower-cased `type` (`hidden`, `submit`…), `text` when absent.
    pub kind: String,
    pub value: Option<String>,
}

/// Every form of the page, with the inputs between `<form>` and `</form>`
/// (or the next `<form>` / the end of the page when unclosed).
pub fn forms(html: &str) -> Vec<Form> {
    let mut out: Vec<Form> = Vec::new();
    let mut open = false;
    for tag in tags(html) {
        match (tag.name.as_str(), tag.closing) {
            ("form", false) => {
                out.push(Form {
                    action: tag.attr("action"),
                    method: tag.attr("method"),
                    name: tag.attr("name"),
                    id: tag.attr("id"),
                    inputs: Vec::new(),
                    noscript: false,
                });
                open = true;
            }
            ("form", true) => open = false,
            ("noscript", false) if open => {
                if let Some(form) = out.last_mut() {
                    form.noscript = true;
                }
            }
            ("input", false) if open => {
                if let Some(form) = out.last_mut() {
                    form.inputs.push(Input {
                        name: tag.attr("name"),
                        kind: tag
                            .attr("type")
                            .map_or_else(|| "text".to_owned(), |t| t.to_ascii_lowercase()),
                        value: tag.attr("value"),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Escapes text for HTML text and attribute values alike (HTML Living
/// Standard §13.1.2.6 / §13.5 "escaping a string"): `&`, `<`, `>`, `"` and
/// `'` become character references, so a value can neither open a tag nor
/// leave a quoted attribute. NUL, which the tokenizer treats specially, is
/// replaced by U+FFFD.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'', '\0']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `haystack` contains `needle`, ASCII case-insensitively.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    find_ci(haystack, needle).is_some()
}

/// Byte offset of the first ASCII case-insensitive match of `needle`.
pub fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    let first = *n.first()?;
    let h = haystack.as_bytes();
    let mut pos = 0;
    while let Some(i) = memchr::memchr2(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        h.get(pos..)?,
    ) {
        let at = pos + i;
        if h.get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(at);
        }
        pos = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_drops_script_and_breaks_blocks() {
        let html = "<html><head><title>Hi &amp; bye</title><script>if (a<b) {x='<div>'}</script>\
                    <style>p{}</style></head><body><div>Request Id: <span>abc</span></div>\
                    <p>Line&nbsp;two&#39;s<br>three</p><!-- <div>hidden</div> --></body></html>";
        assert_eq!(
            visible_text(html),
            "Hi & bye\nRequest Id: abc\nLine two's\nthree\n"
        );
    }

    #[test]
    fn attr_handles_quotes_case_and_unquoted_values() {
        let cases = [
            (
                r#" name="SAMLResponse" value="a&amp;b""#,
                "value",
                Some("a&b"),
            ),
            (" NAME='x' Value=y", "value", Some("y")),
            (" type=hidden name=code", "name", Some("code")),
            (" disabled name=\"n\"", "disabled", Some("")),
            (r#" data-x=">" name="n""#, "name", Some("n")),
            (" name=\"unterminated", "name", Some("unterminated")),
            ("", "name", None),
        ];
        for (attrs, key, want) in cases {
            assert_eq!(attr(attrs, key).as_deref(), want, "{attrs:?}");
        }
    }

    #[test]
    fn forms_collect_their_inputs() {
        let html = r#"<form method="POST" name="hiddenform" action="https://app/acs">
            <input type="hidden" name="SAMLResponse" value="PHN"/><input type="submit" value="Go" />
            </form><input name="outside">"#;
        let forms = forms(html);
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].action.as_deref(), Some("https://app/acs"));
        assert_eq!(forms[0].inputs.len(), 2);
        assert_eq!(forms[0].inputs[0].kind, "hidden");
    }

    #[test]
    fn meta_and_title_are_found() {
        let html = r#"<meta name="PageID" content="ConvergedError" /><TITLE> Sign in
            to your account </TITLE>"#;
        assert_eq!(
            meta_content(html, "pageid").as_deref(),
            Some("ConvergedError")
        );
        assert_eq!(title(html).as_deref(), Some("Sign in to your account"));
    }

    #[test]
    fn attributes_give_names_and_raw_value_positions() {
        let raw = r#"type=hidden NAME="SAMLResponse" value='PHNhbWw+&#x2B;' disabled /"#;
        let attrs = attributes(raw);
        let names: Vec<&str> = attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["type", "name", "value", "disabled"]);
        let value = attrs[2].value.clone().unwrap();
        assert_eq!(&raw[value], "PHNhbWw+&#x2B;");
        assert_eq!(attrs[3].value, None);
        assert_eq!(attr(raw, "value").as_deref(), Some("PHNhbWw++"));
        assert_eq!(attr(raw, "disabled").as_deref(), Some(""));
        assert_eq!(attr("a=\"unclosed", "a").as_deref(), Some("unclosed"));
    }

    #[test]
    fn forms_note_a_noscript_continue_button() {
        let page = "<form method=post><input name=a value=1><noscript><input type=submit></noscript></form><form></form>";
        let f = forms(page);
        assert!(f[0].noscript && !f[1].noscript);
    }

    #[test]
    fn decode_entities_handles_named_and_numeric_references() {
        assert_eq!(
            decode_entities("&lt;a b=&quot;1&#39;&#x3E;&amp;amp;&bogus;"),
            "<a b=\"1'>&amp;&bogus;"
        );
        assert_eq!(decode_entities("a & b"), "a & b");
    }

    #[test]
    fn decode_entities_keeps_unknown_and_broken_references() {
        let cases = [
            ("a &amp; b", "a & b"),
            ("&#x2F;&#47;", "//"),
            ("&bogus; & &#xZZ; &#0;", "&bogus; & &#xZZ; &#0;"),
            ("That&rsquo;s", "That\u{2019}s"),
            ("tail &", "tail &"),
        ];
        for (input, want) in cases {
            assert_eq!(decode_entities(input), want);
        }
    }

    #[test]
    fn scanner_survives_malformed_markup() {
        for html in [
            "<",
            "<<>>",
            "</",
            "<!--",
            "<script>",
            "<a href='",
            "<é>",
            "<1>",
            "a<b c=\"d",
        ] {
            let _ = visible_text(html);
            let _ = forms(html);
            let _ = title(html);
        }
        assert_eq!(find_ci("xxAbCxx", "abc"), Some(2));
        assert!(!contains_ci("ab", "abc"));
    }
}
