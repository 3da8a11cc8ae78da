//! Bodies: a body by its content type, URL-encoded forms, JSON documents
//! (walked member by member) and multipart parts, each handed back to the
//! named-value and free-text passes of the engine.

use super::*;

impl Redactor<'_> {
    // Bodies

    /// A body's text by its content type (sniffed when absent or vague).
    pub fn body(&mut self, text: &str, content_type: Option<&str>) -> Option<String> {
        let ct = content_type.unwrap_or_default();
        let essence = crate::capture::mime_essence(ct);
        let trimmed = text.trim_start();
        if essence == "application/x-www-form-urlencoded" {
            return self.form(text);
        }
        if essence.contains("javascript") || essence.contains("ecmascript") || essence == "text/css"
        {
            return self.script(text);
        }
        if essence.starts_with("multipart/")
            && let Some(b) = boundary(ct)
        {
            return self.multipart(text, &b);
        }
        let jsonish = essence.ends_with("json") || essence.ends_with("+json");
        if (jsonish || trimmed.starts_with('{') || trimmed.starts_with('['))
            && let Some(out) = self.json(text)
        {
            return out;
        }
        if essence.contains("html") || essence.contains("xml") || trimmed.starts_with('<') {
            let place = if essence.contains("xml") && !essence.contains("html") {
                Place::TextBody
            } else {
                Place::HtmlBody
            };
            let xml = if looks_like_signed_xml(text) {
                saml::redact_xml(self, text)
            } else {
                None
            };
            let base = xml.as_deref().unwrap_or(text);
            return self.text(base, place).or(xml);
        }
        if essence.is_empty() && looks_like_form(trimmed) {
            return self.form(text);
        }
        self.text(text, Place::TextBody)
    }

    /// An urlencoded form body (trailing line breaks kept).
    pub fn form(&mut self, text: &str) -> Option<String> {
        let body = text.trim_end_matches(['\r', '\n']);
        let new = self.params(body, Place::Form)?;
        Some(format!(
            "{new}{}",
            text.get(body.len()..).unwrap_or_default()
        ))
    }

    /// A JSON body: `Some(None)` when it parsed and nothing changed,
    /// `None` when it is not JSON. Re-serialised (pretty when the original
    /// had line breaks) only when something changed.
    ///
    /// String members are edited in the text (formatting kept byte for
    /// byte); what that cannot reach — strings in arrays, numbers under a
    /// secret name, a top-level string — is done on the parsed value, and
    /// only then is the document re-serialised.
    pub fn json(&mut self, text: &str) -> Option<Option<String>> {
        serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
        let edited = self.json_members(text, Place::JsonBody);
        let current = edited.as_deref().unwrap_or(text);
        let mut value: Value = match serde_json::from_str(current) {
            Ok(v) => v,
            Err(_) => return Some(edited),
        };
        if !self.walk_json(&mut value, None) {
            return Some(edited);
        }
        let out = if text.trim().contains('\n') {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        };
        Some(out.ok().or(edited))
    }

    /// Walks a JSON value, members by their names. True when changed.
    pub fn walk_json(&mut self, v: &mut Value, name: Option<&str>) -> bool {
        match v {
            Value::String(s) => {
                let new = match name {
                    Some(n) => self.named(n, s, Place::JsonBody),
                    None => self.free(s, Place::JsonBody),
                };
                match new {
                    Some(n) => {
                        *s = n;
                        true
                    }
                    None => false,
                }
            }
            Value::Number(_) | Value::Bool(_) => {
                let Some(n) = name else {
                    return false;
                };
                let kind = match policy::param(n) {
                    Rule::Secret(k) | Rule::Opaque(k) => k,
                    _ => return false,
                };
                let text = v.to_string();
                *v = Value::String(self.opaque(kind, Place::JsonBody, &text));
                true
            }
            Value::Array(items) => {
                let mut changed = false;
                for item in items {
                    changed |= self.walk_json(item, name);
                }
                changed
            }
            Value::Object(map) => {
                let mut changed = false;
                for (k, item) in map.iter_mut() {
                    changed |= self.walk_json(item, Some(k));
                }
                changed
            }
            Value::Null => false,
        }
    }

    /// `multipart/form-data`: each text part by its field name; file parts
    /// as text when they are text.
    pub fn multipart(&mut self, text: &str, boundary: &str) -> Option<String> {
        let delimiter = format!("--{boundary}");
        let mut edits = Vec::new();
        let starts: Vec<usize> = text.match_indices(&delimiter).map(|(i, _)| i).collect();
        for pair in starts.windows(2) {
            let (Some(&a), Some(&b)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let part_start = a + delimiter.len();
            let Some(part) = text.get(part_start..b) else {
                continue;
            };
            let Some((head_len, sep)) = part
                .find("\r\n\r\n")
                .map(|i| (i, 4))
                .or_else(|| part.find("\n\n").map(|i| (i, 2)))
            else {
                continue;
            };
            let head = part.get(..head_len).unwrap_or_default();
            let content_start = head_len + sep;
            let content = part.get(content_start..).unwrap_or_default();
            let content = content
                .strip_suffix("\r\n")
                .or_else(|| content.strip_suffix('\n'))
                .unwrap_or(content);
            let name = disposition_param(head, "name");
            let part_type = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.trim()
                        .eq_ignore_ascii_case("content-type")
                        .then(|| v.trim().to_owned())
                })
                .filter(|_| disposition_param(head, "filename").is_some() || name.is_none());
            let new = match (&part_type, &name) {
                (Some(ct), _) => self.body(content, Some(ct)),
                (None, Some(n)) => self.named(n, content, Place::Multipart),
                (None, None) => None,
            };
            if let Some(new) = new {
                let s = part_start + content_start;
                edits.push((s, s + content.len(), new));
            }
        }
        apply(text, edits)
    }
}
