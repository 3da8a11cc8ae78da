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
        let mut edits = Vec::new();
        for part in crate::codec::multipart::parts(text, boundary) {
            let content = text.get(part.content.clone()).unwrap_or_default();
            let part_type = part
                .content_type
                .as_deref()
                .filter(|_| part.filename.is_some() || part.name.is_none());
            let new = match (part_type, &part.name) {
                (Some(ct), _) => self.body(content, Some(ct)),
                (None, Some(n)) => self.named(n, content, Place::Multipart),
                (None, None) => None,
            };
            if let Some(new) = new {
                edits.push((part.content.start, part.content.end, new));
            }
        }
        apply(text, edits)
    }
}
