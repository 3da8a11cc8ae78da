//! Just enough HTML to find what IdPs hide in pages: `<form>`s with their
//! `action`, `method` and hidden `<input>`s (SAML POST binding, OAuth
//! form_post, WS-Fed `wresult`), and whether the page submits itself.
//!
//! A tolerant scanner, not a parser: attributes in any order and quoting,
//! entities decoded (HTML Living Standard §13.2.5.72–80 for the numeric and
//! the few named references IdPs use). Bounded: at most [`MAX_FORMS`] forms
//! and [`MAX_INPUTS`] inputs per page.

use std::borrow::Cow;

const MAX_FORMS: usize = 64;
const MAX_INPUTS: usize = 512;

/// A form found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub action: Option<String>,
    /// Upper-case method (`POST`, `GET`).
    pub method: String,
    /// `name → value` of its inputs, in document order.
    pub fields: Vec<(String, String)>,
    /// The page submits this form by itself (onload, script, or `<noscript>`
    /// with a continue button — the IdP "Working…" pattern).
    pub auto_submit: bool,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Every form in the page.
pub fn forms(html: &str) -> Vec<Form> {
    let lower = html.to_ascii_lowercase();
    let page_submits = lower.contains(".submit()")
        || lower.contains("onload=\"document.forms")
        || lower.contains("onload='document.forms");
    let mut out = Vec::new();
    let mut pos = 0;
    let mut inputs_seen = 0;
    while let Some(start) = lower[pos..].find("<form").map(|i| i + pos) {
        if out.len() >= MAX_FORMS {
            break;
        }
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let attrs = attributes(&html[start + 5..tag_end]);
        let end = lower[tag_end..]
            .find("</form")
            .map_or(html.len(), |i| i + tag_end);
        let mut fields = Vec::new();
        let mut ipos = tag_end;
        while let Some(istart) = lower[ipos..end].find("<input").map(|i| i + ipos) {
            inputs_seen += 1;
            if inputs_seen > MAX_INPUTS {
                break;
            }
            let Some(iend) = lower[istart..end].find('>').map(|i| i + istart) else {
                break;
            };
            let ia = attributes(&html[istart + 6..iend]);
            let get = |k: &str| ia.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            if let Some(name) = get("name") {
                fields.push((name, get("value").unwrap_or_default()));
            }
            ipos = iend + 1;
        }
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        out.push(Form {
            action: get("action"),
            method: get("method")
                .unwrap_or_else(|| "GET".to_owned())
                .to_ascii_uppercase(),
            fields,
            auto_submit: page_submits || lower[tag_end..end].contains("<noscript"),
        });
        pos = end.max(tag_end + 1);
    }
    out
}

/// `name="v" x='y' z=w flag` → lower-case names, decoded values.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if ns == i {
            i += 1;
            continue;
        }
        let name = s[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve, next) = match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = s[i + 1..].find(q as char).map_or(b.len(), |p| p + i + 1);
                    (i + 1, close, close + 1)
                }
                _ => {
                    let mut e = i;
                    while e < b.len() && !b[e].is_ascii_whitespace() {
                        e += 1;
                    }
                    (i, e, e)
                }
            };
            let value = s.get(vs..ve).unwrap_or_default();
            out.push((name, unescape(value).into_owned()));
            i = next;
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

/// Decodes character references: `&amp;`, `&quot;`, `&#43;`, `&#x2B;`…
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail[..tail.len().min(12)].find(';') else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The page's `<title>` text, entity-decoded and trimmed.
pub fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower[start..].find('>')? + start + 1;
    let close = lower[open_end..].find("</title")? + open_end;
    let t = unescape(html.get(open_end..close)?.trim()).into_owned();
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_entra_auto_post_form() {
        let page = r#"<html><head><title>Working...</title></head><body>
            <form method="POST" name="hiddenform" action="https://app.contoso.com/saml/acs">
            <input type="hidden" name="SAMLResponse" value="PHNhbWw+&#x2B;&#x3D;" />
            <input type="hidden" name="RelayState" value="a&amp;b" />
            <noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
            </form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>"#;
        let f = forms(page);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].action.as_deref(),
            Some("https://app.contoso.com/saml/acs")
        );
        assert_eq!(f[0].method, "POST");
        assert_eq!(f[0].field("SAMLResponse"), Some("PHNhbWw++="));
        assert_eq!(f[0].field("relaystate"), Some("a&b"));
        assert!(f[0].auto_submit);
        assert_eq!(title(page).as_deref(), Some("Working..."));
    }

    #[test]
    fn reads_single_quoted_and_unquoted_attributes() {
        let f = forms(
            "<FORM action=/cb method=post><input name='code' value=abc><input type=hidden name=state value='x y'></FORM>",
        );
        assert_eq!(f[0].action.as_deref(), Some("/cb"));
        assert_eq!(
            f[0].fields,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x y".into())
            ]
        );
        assert!(!f[0].auto_submit);
    }

    #[test]
    fn unescapes_entities_and_keeps_stray_ampersands() {
        assert_eq!(
            unescape("a &amp; b &#39;c&#39; &unknown; & d"),
            "a & b 'c' &unknown; & d"
        );
    }

    #[test]
    fn survives_unclosed_markup() {
        assert!(forms("<form action=\"x").is_empty());
        assert_eq!(forms("<form><input name=a value=\"b").len(), 1);
    }
}
