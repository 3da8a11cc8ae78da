//! The redaction engine both container writers (HAR, SAZ) drive: one
//! [`Redactor`] per run, holding the key, the receipt and every replacement
//! made, with one method per place a secret hides in — URLs, headers,
//! cookies, form / multipart / JSON / HTML / text bodies — each returning
//! the new text, or `None` when nothing had to change (so untouched text
//! stays byte-identical).
//!
//! After the structured pass, [`Redactor::sweeper`] builds a byte-for-byte
//! sweep of every replaced value (raw, percent-, form-, HTML- and
//! JSON-escaped): echoes the protocol-aware pass could not see (a code
//! quoted in a page, a token in a nested URL, Fiddler's `_index.htm`) are
//! replaced by the same pseudonym.
//!
//! Invariants: never panics on input (positions come from ASCII searches
//! and are read with `get`); values that are already pseudonyms are left
//! alone, so redacting a redacted file changes nothing.

use std::collections::HashMap;

use serde_json::Value;

use super::jwt::{self, Compact};
use super::key::{self, Key};
use super::pii;
use super::policy::{self, HeaderRule, Rule};
use super::receipt::{Kind, Place, Receipt};
use super::saml;
use crate::decode::encoding::{html_unescape, percent_decode};

/// One free-text pass: the text in, the new text out when it changed.
type Pass<'k> = fn(&mut Redactor<'k>, &str, Place) -> Option<String>;

/// A value to sweep for: the needle, its replacement, what it was.
type Needle = (Vec<u8>, String, Kind);

/// Nested values (JSON in a string in HTML…) are followed this deep.
const MAX_DEPTH: u8 = 6;

/// Shortest value the sweep looks for elsewhere: shorter ones (`1`, `en`,
/// `true`) would match innocent text.
pub const SWEEP_MIN: usize = 6;

/// The state of one redaction run. Its `Debug` shows counts, never the
/// values it replaced.
pub struct Redactor<'k> {
    key: &'k Key,
    pii: bool,
    max_decoded: usize,
    depth: u8,
    pub receipt: Receipt,
    /// Original → (replacement, kind), for the sweep.
    replaced: HashMap<String, (String, Kind)>,
}

impl std::fmt::Debug for Redactor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("pii", &self.pii)
            .field("replaced", &self.replaced.len())
            .field("receipt", &self.receipt)
            .finish_non_exhaustive()
    }
}

impl<'k> Redactor<'k> {
    pub fn new(key: &'k Key, pii: bool, max_decoded: usize) -> Self {
        Redactor {
            key,
            pii,
            max_decoded,
            depth: 0,
            receipt: Receipt {
                pii,
                key: if key.given { "given" } else { "random" }.to_owned(),
                ..Receipt::default()
            },
            replaced: HashMap::new(),
        }
    }

    pub fn pii(&self) -> bool {
        self.pii
    }

    pub fn max_decoded(&self) -> usize {
        self.max_decoded
    }

    /// Adds a line to the receipt's notes (once).
    pub fn note(&mut self, note: String) {
        if !self.receipt.notes.contains(&note) {
            self.receipt.notes.push(note);
        }
    }

    /// Whether a value is already a pseudonym of any shape.
    pub fn is_done(&self, value: &str) -> bool {
        key::is_pseudonym(value) || pii::is_pseudonym(value)
    }

    /// Remembers a replacement for the sweep.
    pub fn record(&mut self, original: &str, replacement: &str, kind: Kind) {
        if original != replacement && sweepable(original, kind) {
            self.replaced
                .entry(original.to_owned())
                .or_insert_with(|| (replacement.to_owned(), kind));
        }
    }

    /// `REDACTED-<kind>-<hex>`, counted and remembered.
    pub fn opaque(&mut self, kind: Kind, place: Place, value: &str) -> String {
        let p = self.key.opaque(kind.as_str(), value);
        self.receipt.count(kind, place);
        self.record(value, &p, kind);
        p
    }

    /// A marked base64 pseudonym (standard or URL-safe alphabet).
    pub fn marked_base64(&mut self, kind: Kind, place: Place, value: &str, url: bool) -> String {
        let shape = kind.as_str();
        let p = if url {
            self.key.marked_base64url(shape, value.as_bytes())
        } else {
            self.key.marked_base64(shape, value.as_bytes())
        };
        self.receipt.count(kind, place);
        self.record(value, &p, kind);
        p
    }

    /// A personal value's pseudonym (`--pii` callers only).
    pub fn pii_value(&mut self, kind: Kind, place: Place, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() || self.is_done(v) {
            return None;
        }
        let (kind, p) = match kind {
            Kind::PiiIp => (Kind::PiiIp, pii::ip(self.key, v)?),
            _ if pii::looks_like_email(v) => (Kind::PiiEmail, pii::email(self.key, v)),
            Kind::PiiName => (Kind::PiiName, pii::name(self.key, v)),
            _ => (Kind::PiiUser, pii::user(self.key, v)),
        };
        self.receipt.count(kind, place);
        self.record(v, &p, kind);
        Some(p)
    }

    /// A secret: a JWT loses its signature, anything else is replaced whole.
    pub fn secret(&mut self, kind: Kind, place: Place, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() || self.is_done(v) {
            return None;
        }
        if let Some(c) = Compact::parse(v) {
            return self.jwt(&c, v, place);
        }
        let p = self.opaque(kind, place, v);
        Some(replace_trimmed(value, v, &p))
    }

    /// A JWS loses its signature (and, with `--pii`, its personal claims);
    /// a JWE its encrypted parts. `None` when already done.
    pub fn jwt(&mut self, c: &Compact<'_>, token: &str, place: Place) -> Option<String> {
        let mut parts: Vec<String> = c.parts.iter().map(|p| (*p).to_owned()).collect();
        let mut changed = false;
        if c.is_jwe() {
            for part in parts.iter_mut().skip(1) {
                if !jwt::part_is_done(part) {
                    *part = self.marked_base64(Kind::JweCiphertext, place, part, true);
                    changed = true;
                }
            }
        } else {
            if self.pii
                && let Some(payload) = self.jwt_claims(c)
                && let Some(slot) = parts.get_mut(1)
            {
                *slot = payload;
                changed = true;
            }
            if let Some(sig) = parts.get_mut(2)
                && !jwt::part_is_done(sig)
            {
                *sig = self.marked_base64(Kind::JwtSignature, place, sig, true);
                changed = true;
            }
        }
        if !changed {
            return None;
        }
        let out = parts.join(".");
        self.record(token, &out, Kind::JwtSignature);
        Some(out)
    }

    /// The payload with personal claims pseudonymised, re-encoded; `None`
    /// when there were none.
    fn jwt_claims(&mut self, c: &Compact<'_>) -> Option<String> {
        let mut claims = c.claims()?;
        let mut changed = false;
        for (name, what) in jwt::PII_CLAIMS {
            let Some(v) = claims.get_mut(*name) else {
                continue;
            };
            let kind = match what {
                jwt::PiiClaim::User => Kind::PiiUser,
                jwt::PiiClaim::Name => Kind::PiiName,
                jwt::PiiClaim::Ip => Kind::PiiIp,
            };
            changed |= self.pii_json(v, kind, Place::Jwt);
        }
        if !changed {
            return None;
        }
        let bytes = serde_json::to_vec(&Value::Object(claims)).ok()?;
        Some(jwt::encode_part(&bytes))
    }

    fn pii_json(&mut self, v: &mut Value, kind: Kind, place: Place) -> bool {
        match v {
            Value::String(s) => match self.pii_value(kind, place, s) {
                Some(p) => {
                    *s = p;
                    true
                }
                None => false,
            },
            Value::Array(items) => {
                let mut changed = false;
                for item in items {
                    changed |= self.pii_json(item, kind, place);
                }
                changed
            }
            _ => false,
        }
    }

    // -----------------------------------------------------------------
    // Named values: query, form, JSON members, hidden inputs

    /// A value whose name is known (one outer encoding layer removed).
    pub fn named(&mut self, name: &str, value: &str, place: Place) -> Option<String> {
        if value.trim().is_empty() || self.is_done(value) {
            return None;
        }
        match policy::param(name) {
            Rule::Saml => saml::redact_value(self, value),
            Rule::Secret(kind) => self.secret(kind, place, value),
            Rule::Opaque(kind) => Some(self.opaque(kind, place, value)),
            Rule::QuerySignature => {
                let v = value.trim();
                let base64ish = v.len() >= 16
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=-_ ".contains(&b));
                Some(if base64ish {
                    self.marked_base64(Kind::SamlSignature, place, v, false)
                } else {
                    self.opaque(Kind::Token, place, v)
                })
            }
            Rule::Pii(kind) if self.pii => self.pii_value(kind, place, value),
            Rule::Keep if looks_like_url(value) => self.url(value),
            Rule::Keep if self.pii => self.pii_text(value, place),
            Rule::Keep => None,
            Rule::Pii(_) | Rule::Default => self.free(value, place),
        }
    }

    /// A value with no telling name: a whole JWT or URL, else free text.
    pub fn free(&mut self, value: &str, place: Place) -> Option<String> {
        if self.depth >= MAX_DEPTH || self.is_done(value) {
            return None;
        }
        let v = value.trim();
        if let Some(c) = Compact::parse(v) {
            return self
                .jwt(&c, v, place)
                .map(|new| replace_trimmed(value, v, &new));
        }
        if looks_like_url(v) && !v.contains(char::is_whitespace) {
            let out = self.url(v).map(|new| replace_trimmed(value, v, &new));
            return match out {
                Some(o) if self.pii => self.pii_text(&o, place).or(Some(o)),
                Some(o) => Some(o),
                None if self.pii => self.pii_text(value, place),
                None => None,
            };
        }
        self.depth += 1;
        let out = self.text(value, place);
        self.depth -= 1;
        out
    }

    // -----------------------------------------------------------------
    // URLs

    /// A URL (absolute or relative): query and fragment parameters by
    /// name, a password in the user-info. Path and host stay.
    pub fn url(&mut self, url: &str) -> Option<String> {
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (url, None),
        };
        let (base, query) = match before_fragment.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (before_fragment, None),
        };
        let new_base = self.userinfo(base);
        let new_query = query.and_then(|q| self.params(q, Place::Query));
        let new_fragment = fragment
            .filter(|f| f.contains('='))
            .and_then(|f| self.params(f, Place::Fragment));
        if new_base.is_none() && new_query.is_none() && new_fragment.is_none() {
            return None;
        }
        let mut out = new_base.unwrap_or_else(|| base.to_owned());
        if let Some(q) = query {
            out.push('?');
            out.push_str(new_query.as_deref().unwrap_or(q));
        }
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(new_fragment.as_deref().unwrap_or(f));
        }
        Some(out)
    }

    /// `scheme://user:password@host` → the password replaced.
    fn userinfo(&mut self, base: &str) -> Option<String> {
        let (scheme, rest) = base.split_once("://")?;
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let authority = rest.get(..authority_end)?;
        let (userinfo, host) = authority.rsplit_once('@')?;
        let (user, password) = userinfo.split_once(':')?;
        if password.is_empty() || self.is_done(password) {
            return None;
        }
        let p = self.opaque(Kind::Password, Place::Query, &percent_decode(password));
        let path = rest.get(authority_end..).unwrap_or_default();
        Some(format!("{scheme}://{user}:{p}@{host}{path}"))
    }

    /// `name=value&…` (a query, a fragment, a form body). Names and order
    /// stay; a changed value is percent-encoded when it needs to be.
    pub fn params(&mut self, qs: &str, place: Place) -> Option<String> {
        let mut edits = Vec::new();
        let mut at = 0;
        for segment in qs.split('&') {
            let start = at;
            at += segment.len() + 1;
            let Some(eq) = segment.find('=') else {
                continue;
            };
            let raw_name = segment.get(..eq).unwrap_or_default();
            let raw_value = segment.get(eq + 1..).unwrap_or_default();
            if raw_value.is_empty() {
                continue;
            }
            // "&amp;" separators in HTML attributes leave "amp;" on names.
            let name = form_decode(raw_name.strip_prefix("amp;").unwrap_or(raw_name));
            let value = if policy::param(&name) == Rule::Saml {
                percent_decode(raw_value)
            } else {
                form_decode(raw_value)
            };
            if let Some(new) = self.named(&name, &value, place) {
                let encoded = if is_url_safe(&new) {
                    new
                } else {
                    encode_component(&new)
                };
                let vstart = start + eq + 1;
                edits.push((vstart, vstart + raw_value.len(), encoded));
            }
        }
        apply(qs, edits)
    }

    // -----------------------------------------------------------------
    // Headers

    /// A header value by the header's name.
    pub fn header(&mut self, name: &str, value: &str, request: bool) -> Option<String> {
        let place = if request {
            Place::RequestHeader
        } else {
            Place::ResponseHeader
        };
        match policy::header(name) {
            HeaderRule::Cookie => self.cookie_header(value),
            HeaderRule::SetCookie => self.set_cookie(value),
            HeaderRule::Authorization => self.authorization(value, place),
            HeaderRule::Secret(kind) => self.secret(kind, place, value),
            HeaderRule::Url => self.url_header(value),
            HeaderRule::Ip if self.pii => self.ip_list(value, place),
            HeaderRule::Ip | HeaderRule::Verbatim => None,
            HeaderRule::Default => self.free(value, place),
        }
    }

    /// `Location`, `Referer`, `Refresh: 0; url=…`: the URL in it.
    fn url_header(&mut self, value: &str) -> Option<String> {
        let start = value
            .find("://")
            .and_then(|i| value.get(..i)?.rfind(|c: char| !c.is_ascii_alphanumeric()))
            .map_or_else(
                || {
                    if value.contains("://") {
                        0
                    } else {
                        value.find('/').unwrap_or(0)
                    }
                },
                |i| i + 1,
            );
        let url = value.get(start..)?.trim_end();
        let new = self.url(url)?;
        let mut out = value.get(..start)?.to_owned();
        out.push_str(&new);
        out.push_str(value.get(start + url.len()..).unwrap_or_default());
        Some(out)
    }

    /// `X-Forwarded-For: a, b` / `Forwarded: for=a`: every address.
    fn ip_list(&mut self, value: &str, place: Place) -> Option<String> {
        let mut edits = Vec::new();
        let mut at = 0;
        for token in value.split([',', ';', ' ', '=']) {
            let start = at;
            at += token.len() + 1;
            let t = token.trim_matches(['"', '[', ']']);
            if t.is_empty() {
                continue;
            }
            let host = t
                .rsplit_once(':')
                .filter(|(h, p)| !h.contains(':') && p.bytes().all(|b| b.is_ascii_digit()))
                .map_or(t, |(h, _)| h);
            if let Some(new) = self.pii_value(Kind::PiiIp, place, host)
                && let Some(offset) = token.find(host)
            {
                edits.push((start + offset, start + offset + host.len(), new));
            }
        }
        apply(value, edits)
    }

    /// `Cookie: a=1; b=2`: every value replaced; names, order and the
    /// separators as they were. Names may hold any byte but `=` and `;`
    /// (`a+b`, `x^y`, quotes): the split is on those two only.
    pub fn cookie_header(&mut self, value: &str) -> Option<String> {
        let mut edits = Vec::new();
        let mut at = 0;
        for pair in value.split(';') {
            let start = at;
            at += pair.len() + 1;
            let (vstart, v) = match pair.find('=') {
                Some(eq) => (start + eq + 1, pair.get(eq + 1..).unwrap_or_default()),
                None => (start, pair),
            };
            if let Some((s, e, new)) = self.cookie_value(v, Place::Cookie) {
                edits.push((vstart + s, vstart + e, new));
            }
        }
        apply(value, edits)
    }

    /// One cookie value (quotes and surrounding spaces kept): the byte
    /// range replaced within `v` and the replacement.
    pub fn cookie_value(&mut self, v: &str, place: Place) -> Option<(usize, usize, String)> {
        let lead = v.len() - v.trim_start().len();
        let inner = v.trim();
        let (inner, quoted) = match inner.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
            Some(i) => (i, 1),
            None => (inner, 0),
        };
        if inner.is_empty() || self.is_done(inner) {
            return None;
        }
        let new = self.secret(Kind::Cookie, place, inner)?;
        let s = lead + quoted;
        Some((s, s + inner.len(), new))
    }

    /// `Set-Cookie: name=value; attributes`: only the value; Firefox's
    /// newline-joined lists line by line.
    pub fn set_cookie(&mut self, value: &str) -> Option<String> {
        let mut edits = Vec::new();
        let mut at = 0;
        for line in value.split('\n') {
            let start = at;
            at += line.len() + 1;
            let mut seg_at = start;
            for (i, segment) in line.split(';').enumerate() {
                let seg_start = seg_at;
                seg_at += segment.len() + 1;
                let (key, vstart, v) = match segment.find('=') {
                    Some(eq) => (
                        segment.get(..eq).unwrap_or_default(),
                        seg_start + eq + 1,
                        segment.get(eq + 1..).unwrap_or_default(),
                    ),
                    None => ("", seg_start, segment),
                };
                // The attributes browsers know are diagnosis evidence and
                // stay; anything else after the value (a value that held a
                // ';', junk) is treated as part of the value.
                let attribute = if key.is_empty() { v } else { key };
                if i > 0 && is_cookie_attribute(attribute) {
                    continue;
                }
                if let Some((s, e, new)) = self.cookie_value(v, Place::SetCookie) {
                    edits.push((vstart + s, vstart + e, new));
                }
            }
        }
        apply(value, edits)
    }

    /// `Authorization: <scheme> <credentials>`: the scheme stays; Bearer
    /// JWTs lose their signature, every other credential (Basic, NTLM,
    /// Negotiate, Digest, opaque bearer tokens) is replaced whole.
    pub fn authorization(&mut self, value: &str, place: Place) -> Option<String> {
        let trimmed = value.trim();
        let Some((scheme, cred)) = trimmed.split_once(' ') else {
            return self.secret(Kind::Authorization, place, value);
        };
        let cred = cred.trim();
        if cred.is_empty() || self.is_done(cred) {
            return None;
        }
        let new = if scheme.eq_ignore_ascii_case("bearer") {
            self.secret(Kind::Authorization, place, cred)?
        } else {
            self.opaque(Kind::Authorization, place, cred)
        };
        Some(format!("{scheme} {new}"))
    }

    // -----------------------------------------------------------------
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

    // -----------------------------------------------------------------
    // Free text: one pass per pattern, each skipping pseudonyms

    /// Free text: JSON members, hidden inputs, URLs, `name=value` pairs,
    /// JWTs, PEM private keys, and with `--pii` e-mails and IPv4 addresses.
    pub fn text(&mut self, text: &str, place: Place) -> Option<String> {
        let mut current: Option<String> = None;
        let passes: [Pass<'k>; 7] = [
            Self::json_members,
            Self::html_inputs,
            Self::absolute_urls,
            Self::pairs,
            Self::jwts,
            Self::private_keys,
            Self::pii_text_pass,
        ];
        for pass in passes {
            let input = current.as_deref().unwrap_or(text);
            if let Some(next) = pass(self, input, place) {
                current = Some(next);
            }
        }
        current
    }

    /// Scripts and style sheets: `name=value` in code is an assignment,
    /// not a parameter, so only JSON members, URLs, JWTs, keys and PII.
    pub fn script(&mut self, text: &str) -> Option<String> {
        let mut current: Option<String> = None;
        let passes: [Pass<'k>; 5] = [
            Self::json_members,
            Self::absolute_urls,
            Self::jwts,
            Self::private_keys,
            Self::pii_text_pass,
        ];
        for pass in passes {
            let input = current.as_deref().unwrap_or(text);
            if let Some(next) = pass(self, input, Place::TextBody) {
                current = Some(next);
            }
        }
        current
    }

    /// `"name": "value"` anywhere (JSON bodies that did not parse, `$Config`
    /// objects in pages, JSON in strings).
    fn json_members(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("\":") && !text.contains("\" :") {
            return None;
        }
        let bytes = text.as_bytes();
        let mut edits = Vec::new();
        let mut i = 0;
        while let Some(off) = memchr::memchr(b'"', bytes.get(i..).unwrap_or_default()) {
            let key_start = i + off;
            let Some(key_end) = string_end(bytes, key_start) else {
                break;
            };
            let mut j = skip_ws(bytes, key_end);
            if bytes.get(j) != Some(&b':') {
                i = key_end;
                continue;
            }
            j = skip_ws(bytes, j + 1);
            if bytes.get(j) != Some(&b'"') {
                i = j;
                continue;
            }
            let Some(value_end) = string_end(bytes, j) else {
                break;
            };
            let key: Option<String> = text
                .get(key_start..key_end)
                .and_then(|k| serde_json::from_str(k).ok());
            let value: Option<String> = text
                .get(j..value_end)
                .and_then(|v| serde_json::from_str(v).ok());
            if let (Some(k), Some(v)) = (key, value)
                && let Some(new) = self.nested(|r| r.named(&k, &v, place))
                && let Ok(lit) = serde_json::to_string(&new)
            {
                edits.push((j, value_end, lit));
            }
            i = value_end;
        }
        apply(text, edits)
    }

    /// `<input name="…" value="…">` in pages (auto-post forms, hidden
    /// fields): the value by the input's name, HTML-unescaped and escaped
    /// back.
    fn html_inputs(&mut self, text: &str, _place: Place) -> Option<String> {
        let lower = text.to_ascii_lowercase();
        if !lower.contains("<input") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = lower.get(from..).and_then(|l| l.find("<input")) {
            let start = from + off + "<input".len();
            let end = lower
                .get(start..)
                .and_then(|l| l.find('>'))
                .map_or(text.len(), |e| start + e);
            let attrs = attributes(text.get(start..end).unwrap_or_default());
            let get = |n: &str| attrs.iter().find(|a| a.name == n);
            if let (Some(name), Some(value)) = (get("name"), get("value")) {
                let name_text = html_unescape(
                    text.get(start + name.start..start + name.end)
                        .unwrap_or_default(),
                );
                let raw = text
                    .get(start + value.start..start + value.end)
                    .unwrap_or_default();
                if let Some(new) =
                    self.nested(|r| r.named(&name_text, &html_unescape(raw), Place::HtmlBody))
                {
                    edits.push((start + value.start, start + value.end, html_escape(&new)));
                }
            }
            from = end.max(start);
        }
        apply(text, edits)
    }

    /// Absolute `http(s)://` URLs in text.
    fn absolute_urls(&mut self, text: &str, _place: Place) -> Option<String> {
        if !text.contains("://") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = text.get(from..).and_then(|t| t.find("http")) {
            let start = from + off;
            let rest = text.get(start..).unwrap_or_default();
            let is_url = rest.starts_with("https://") || rest.starts_with("http://");
            let boundary = start == 0
                || text
                    .as_bytes()
                    .get(start - 1)
                    .is_some_and(|b| !b.is_ascii_alphanumeric());
            if !(is_url && boundary) {
                from = start + 4;
                continue;
            }
            let len = rest
                .find(|c: char| c.is_whitespace() || "\"'<>`\\)]}".contains(c))
                .unwrap_or(rest.len());
            let url = rest.get(..len).unwrap_or_default();
            if url.contains(['?', '#', '@'])
                && let Some(new) = self.url(url)
            {
                edits.push((start, start + len, new));
            }
            from = start + len.max(4);
        }
        apply(text, edits)
    }

    /// `name=value` pairs whose name is a secret (or, with `--pii`,
    /// personal), wherever they are: relative URLs, scripts, logs.
    fn pairs(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains('=') {
            return None;
        }
        let bytes = text.as_bytes();
        let mut edits = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let is_start = bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
            let boundary = i == 0 || bytes.get(i - 1).is_some_and(|b| !is_name_byte(*b));
            if !(is_start && boundary) {
                i += 1;
                continue;
            }
            let mut name_end = i;
            while bytes.get(name_end).copied().is_some_and(is_name_byte) {
                name_end += 1;
            }
            let name = text.get(i..name_end).unwrap_or_default();
            if bytes.get(name_end) != Some(&b'=') {
                i = name_end.max(i + 1);
                continue;
            }
            let before = text.get(..i).unwrap_or_default().trim_end();
            let declared = ["var", "let", "const"]
                .iter()
                .any(|k| before.ends_with(k) && before.len() < i);
            let act = !declared
                && match policy::param(name) {
                    Rule::Default | Rule::Keep => false,
                    // `name=` in free text is far more often an HTML
                    // attribute than a person's name.
                    Rule::Pii(Kind::PiiName) => false,
                    Rule::Pii(_) => self.pii,
                    _ => true,
                };
            let vstart = name_end + 1;
            let vlen = text
                .get(vstart..)
                .unwrap_or_default()
                .find(|c: char| c.is_whitespace() || "&\"'<>;#\\,)".contains(c))
                .unwrap_or(text.len() - vstart);
            let called = text
                .get(vstart + vlen..)
                .is_some_and(|rest| rest.starts_with('('));
            if act && vlen > 0 && !called {
                let raw = text.get(vstart..vstart + vlen).unwrap_or_default();
                let value = if policy::param(name) == Rule::Saml {
                    percent_decode(raw)
                } else {
                    form_decode(raw)
                };
                if let Some(new) = self.nested(|r| r.named(name, &value, place)) {
                    let enc = if is_url_safe(&new) {
                        new
                    } else {
                        encode_component(&new)
                    };
                    edits.push((vstart, vstart + vlen, enc));
                }
            }
            i = vstart + vlen.max(1);
        }
        apply(text, edits)
    }

    /// JWTs anywhere (`eyJ…`).
    fn jwts(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("eyJ") {
            return None;
        }
        let mut edits = Vec::new();
        for (s, e) in jwt::find_candidates(text) {
            let candidate = text.get(s..e).unwrap_or_default();
            // "…sig.Next" glued to a sentence: try the first 5, then 3 parts.
            let mut tried = vec![candidate];
            let dots: Vec<usize> = candidate.match_indices('.').map(|(i, _)| i).collect();
            for n in [4usize, 2] {
                if let Some(&cut) = dots.get(n) {
                    tried.push(candidate.get(..cut).unwrap_or_default());
                }
            }
            for t in tried {
                if let Some(c) = Compact::parse(t) {
                    if let Some(new) = self.jwt(&c, t, place) {
                        edits.push((s, s + t.len(), new));
                    }
                    break;
                }
            }
        }
        apply(text, edits)
    }

    /// PEM private keys (`-----BEGIN … PRIVATE KEY-----`): the base64 body.
    fn private_keys(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("PRIVATE KEY-----") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = text.get(from..).and_then(|t| t.find("-----BEGIN ")) {
            let begin = from + off;
            let Some(header_end) = text
                .get(begin..)
                .and_then(|t| t.find("PRIVATE KEY-----"))
                .map(|e| begin + e + "PRIVATE KEY-----".len())
            else {
                break;
            };
            let Some(end) = text
                .get(header_end..)
                .and_then(|t| t.find("-----END"))
                .map(|e| header_end + e)
            else {
                break;
            };
            let body = text.get(header_end..end).unwrap_or_default();
            let compact: String = body.split_ascii_whitespace().collect();
            if !compact.is_empty() && !self.is_done(&compact) {
                let p = self.marked_base64(Kind::PrivateKey, place, &compact, false);
                edits.push((header_end, end, format!("\n{p}\n")));
            }
            from = end;
        }
        apply(text, edits)
    }

    fn pii_text_pass(&mut self, text: &str, place: Place) -> Option<String> {
        if self.pii {
            self.pii_text(text, place)
        } else {
            None
        }
    }

    /// E-mail addresses and IPv4 addresses in free text (`--pii`).
    pub fn pii_text(&mut self, text: &str, place: Place) -> Option<String> {
        let emails = self.pii_scan_emails(text, place);
        let base = emails.as_deref().unwrap_or(text);
        let mut edits = Vec::new();
        for (s, e) in pii::find_ipv4(base) {
            let ip = base.get(s..e).unwrap_or_default();
            if let Some(new) = self.pii_value(Kind::PiiIp, place, ip) {
                edits.push((s, e, new));
            }
        }
        apply(base, edits).or(emails)
    }

    /// E-mail addresses in text.
    pub fn pii_scan_emails(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains('@') {
            return None;
        }
        let mut edits = Vec::new();
        for (s, e) in pii::find_emails(text) {
            let email = text.get(s..e).unwrap_or_default();
            if let Some(new) = self.pii_value(Kind::PiiEmail, place, email) {
                edits.push((s, e, new));
            }
        }
        apply(text, edits)
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// The byte-for-byte sweep of everything replaced so far.
    pub fn sweeper(&self) -> Sweeper {
        Sweeper::new(&self.replaced)
    }
}

/// `Set-Cookie` attributes of RFC 6265 §4.1.1 and RFC 6265bis, and the
/// ones Chrome knows (`Priority`, `SameParty`, `Partitioned`).
fn is_cookie_attribute(name: &str) -> bool {
    [
        "expires",
        "max-age",
        "domain",
        "path",
        "secure",
        "httponly",
        "samesite",
        "partitioned",
        "priority",
        "sameparty",
        "version",
        "comment",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(name.trim()))
}

/// Whether a replaced value is worth looking for elsewhere: long enough,
/// and not something that is also structure (a path, a URL, a number, a
/// bare word) where replacing it would break URLs or JSON.
fn sweepable(original: &str, kind: Kind) -> bool {
    let v = original;
    if v.len() < SWEEP_MIN || v.contains(char::is_whitespace) && kind != Kind::PiiName {
        return false;
    }
    if v.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return false;
    }
    if kind == Kind::Cookie || kind == Kind::Token {
        let word = v.bytes().all(|b| b.is_ascii_lowercase()) && v.len() <= 10;
        let structural = v.starts_with('/') || v.contains("://") || v.contains('@');
        return !(word || structural);
    }
    true
}

// ---------------------------------------------------------------------
// The sweep

/// Replaces every remaining copy of a replaced value, in several escapings.
/// Its `Debug` shows how many needles it holds, never the needles.
pub struct Sweeper {
    /// First [`SWEEP_MIN`] bytes → (needle, replacement, kind), longest first.
    by_prefix: HashMap<Vec<u8>, Vec<Needle>>,
    first_bytes: [bool; 256],
}

impl std::fmt::Debug for Sweeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let needles: usize = self.by_prefix.values().map(Vec::len).sum();
        f.debug_struct("Sweeper")
            .field("needles", &needles)
            .finish_non_exhaustive()
    }
}

impl Sweeper {
    fn new(replaced: &HashMap<String, (String, Kind)>) -> Sweeper {
        let mut s = Sweeper {
            by_prefix: HashMap::new(),
            first_bytes: [false; 256],
        };
        let mut seen = std::collections::HashSet::new();
        let mut originals: Vec<(&String, &(String, Kind))> = replaced.iter().collect();
        originals.sort();
        for (orig, (repl, kind)) in originals {
            let variants = [
                (orig.clone(), repl.clone()),
                (encode_component(orig), encode_component(repl)),
                (form_encode(orig), form_encode(repl)),
                (html_escape(orig), html_escape(repl)),
                (json_escape(orig), json_escape(repl)),
            ];
            for (needle, replacement) in variants {
                if needle.len() < SWEEP_MIN || !seen.insert(needle.clone()) {
                    continue;
                }
                let bytes = needle.into_bytes();
                let Some(prefix) = bytes.get(..SWEEP_MIN) else {
                    continue;
                };
                if let Some(first) = bytes.first() {
                    s.first_bytes[usize::from(*first)] = true;
                }
                s.by_prefix
                    .entry(prefix.to_vec())
                    .or_default()
                    .push((bytes, replacement, *kind));
            }
        }
        for list in s.by_prefix.values_mut() {
            list.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }

    /// `text` with every copy replaced, counted on `receipt` as echoes;
    /// `None` when there was none. Pseudonyms are skipped whole, so a
    /// value that happens to be a substring of one never splits it.
    pub fn sweep(&self, text: &str, receipt: &mut Receipt) -> Option<String> {
        if self.is_empty() || text.len() < SWEEP_MIN {
            return None;
        }
        let bytes = text.as_bytes();
        let mut out: Vec<u8> = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        let mut changed = false;
        while i + SWEEP_MIN <= bytes.len() {
            let skip = pseudonym_len(bytes.get(i..).unwrap_or_default());
            if skip > 0 {
                i += skip;
                continue;
            }
            let b = bytes.get(i).copied().unwrap_or_default();
            if !self.first_bytes[usize::from(b)] {
                i += 1;
                continue;
            }
            let hit = bytes.get(i..i + SWEEP_MIN).and_then(|p| {
                self.by_prefix.get(p)?.iter().find(|(needle, _, _)| {
                    bytes.get(i..).is_some_and(|rest| rest.starts_with(needle))
                })
            });
            match hit {
                Some((needle, replacement, kind)) => {
                    out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
                    out.extend_from_slice(replacement.as_bytes());
                    i += needle.len();
                    copied = i;
                    changed = true;
                    receipt.count(*kind, Place::Echo);
                }
                None => i += 1,
            }
        }
        if !changed {
            return None;
        }
        out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
        String::from_utf8(out).ok()
    }
}

/// Length of a pseudonym starting at the beginning of `bytes` (0 if none).
fn pseudonym_len(bytes: &[u8]) -> usize {
    let run = |from: usize, ok: fn(u8) -> bool| {
        from + bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| ok(**b))
            .count()
    };
    if bytes.starts_with(key::OPAQUE_PREFIX.as_bytes()) || bytes.starts_with(b"redacted-") {
        return run(9, |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    }
    if bytes.starts_with(key::MARKER_B64.as_bytes()) {
        return run(0, |b| {
            b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'+' || b == b'/'
        });
    }
    0
}

// ---------------------------------------------------------------------
// Small text helpers

/// Applies non-overlapping `(start, end, replacement)` edits; `None` when
/// there are none.
pub fn apply(text: &str, mut edits: Vec<(usize, usize, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e, new) in edits {
        if s < at || e < s {
            continue;
        }
        out.push_str(text.get(at..s)?);
        out.push_str(&new);
        at = e;
    }
    out.push_str(text.get(at..)?);
    (out != text).then_some(out)
}

/// Keeps the whitespace around a trimmed value.
fn replace_trimmed(full: &str, trimmed: &str, new: &str) -> String {
    match full.find(trimmed) {
        Some(at) => format!(
            "{}{new}{}",
            full.get(..at).unwrap_or_default(),
            full.get(at + trimmed.len()..).unwrap_or_default()
        ),
        None => new.to_owned(),
    }
}

/// `application/x-www-form-urlencoded` decoding of one component.
pub fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn is_url_safe(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Escapes text for an HTML attribute value.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn json_escape(s: &str) -> String {
    let lit = serde_json::to_string(s).unwrap_or_default();
    let inner = lit
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or_default();
    inner.replace('/', "\\/")
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// End (exclusive, after the closing quote) of the JSON string literal
/// opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Whether a URL-ish value: absolute http(s), or a relative one with a query.
pub fn looks_like_url(v: &str) -> bool {
    let v = v.trim();
    let lower = v.get(..8).unwrap_or(v).to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (v.starts_with('/') && v.contains('?') && v.contains('='))
}

fn looks_like_form(v: &str) -> bool {
    let v = v.trim_end();
    !v.is_empty()
        && v.contains('=')
        && !v.contains(char::is_whitespace)
        && v.split('&').all(|p| p.contains('=') || p.is_empty())
}

fn looks_like_signed_xml(text: &str) -> bool {
    text.contains("SignatureValue")
        || text.contains("CipherValue")
        || text.contains("NameID")
        || text.contains("AttributeValue")
        || text.contains("NameIdentifier")
}

/// The `boundary` parameter of a multipart content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn disposition_param(head: &str, key: &str) -> Option<String> {
    let line = head.lines().find(|l| {
        l.trim_start()
            .to_ascii_lowercase()
            .starts_with("content-disposition:")
    })?;
    line.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// An attribute of a tag: lower-case name, value byte range within the
/// attribute text.
struct Attr {
    name: String,
    start: usize,
    end: usize,
}

/// `name="v" x='y' z=w flag`, with value positions.
fn attributes(s: &str) -> Vec<Attr> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            i += 1;
        }
        let ns = i;
        while b
            .get(i)
            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'=' && *c != b'/')
        {
            i += 1;
        }
        if ns == i {
            i += 1;
            continue;
        }
        let name = s.get(ns..i).unwrap_or_default().to_ascii_lowercase();
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i = skip_ws(b, i + 1);
        let (start, end, next) = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let close = b
                    .get(i + 1..)
                    .and_then(|r| r.iter().position(|c| *c == q))
                    .map_or(b.len(), |p| i + 1 + p);
                (i + 1, close, close + 1)
            }
            _ => {
                let mut e = i;
                while b.get(e).is_some_and(|c| !c.is_ascii_whitespace()) {
                    e += 1;
                }
                (i, e, e)
            }
        };
        out.push(Attr { name, start, end });
        i = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_bytes(&[5u8; 32], true).unwrap()
    }

    const JWT: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcHAiLCJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSIsIm5hbWUiOiJBbGljZSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";

    #[test]
    fn redacts_cookie_values_and_keeps_names_with_any_bytes() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let out = r
            .cookie_header("a+b=v1secret; x^y=\"v2secret\";plain=v3secret; empty=")
            .unwrap();
        assert!(out.starts_with("a+b=REDACTED-cookie-"), "{out}");
        assert!(out.contains("; x^y=\"REDACTED-cookie-"));
        assert!(out.contains(";plain=REDACTED-cookie-"));
        assert!(out.ends_with("; empty="));
        assert!(!out.contains("secret"));
        assert_eq!(r.cookie_header(&out), None);
    }

    #[test]
    fn keeps_set_cookie_attributes() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let out = r
            .set_cookie("sid=abc123secret; Path=/; Secure; SameSite=None\nb=zzz; HttpOnly")
            .unwrap();
        assert!(
            out.ends_with(
                "; Path=/; Secure; SameSite=None\nb=REDACTED-cookie-"
                    .to_owned()
                    .as_str()
            ) || out.contains("; Path=/; Secure; SameSite=None\nb=REDACTED-cookie-"),
            "{out}"
        );
        assert!(out.ends_with("; HttpOnly"));
        assert!(!out.contains("abc123secret"));
    }

    #[test]
    fn redacts_query_and_fragment_by_name() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let url = format!(
            "https://app.example/cb?code=0.AAA-secret&state=s1&session_state=x#id_token={JWT}&access_token=opaque-token-1"
        );
        let out = r.url(&url).unwrap();
        assert!(out.starts_with("https://app.example/cb?code=REDACTED-code-"));
        assert!(out.contains(
            "&state=s1&session_state=x#id_token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQi"
        ));
        assert!(!out.contains("c2lnbmF0dXJl") && !out.contains("opaque-token-1"));
        assert_eq!(r.url(&out), None, "idempotent");
    }

    #[test]
    fn jwt_keeps_claims_unless_pii() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let c = Compact::parse(JWT).unwrap();
        let out = r.jwt(&c, JWT, Place::Query).unwrap();
        let parts: Vec<&str> = out.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1], JWT.split('.').nth(1).unwrap());
        assert!(parts[2].starts_with(key::MARKER_B64));
        let mut p = Redactor::new(&k, true, 1 << 20);
        let out = p.jwt(&c, JWT, Place::Query).unwrap();
        let claims = Compact::parse(&out).unwrap().claims().unwrap();
        assert_eq!(claims["aud"], "app");
        assert!(claims["upn"].as_str().unwrap().starts_with("redacted-"));
        assert!(
            claims["name"]
                .as_str()
                .unwrap()
                .starts_with("redacted-name-")
        );
        let again = Compact::parse(&out).unwrap();
        assert_eq!(p.jwt(&again, &out, Place::Query), None);
    }

    #[test]
    fn authorization_keeps_the_scheme() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let basic = r
            .authorization("Basic dXNlcjpwYXNzd29yZA==", Place::RequestHeader)
            .unwrap();
        assert!(basic.starts_with("Basic REDACTED-authorization-"));
        let bearer = r
            .authorization(&format!("Bearer {JWT}"), Place::RequestHeader)
            .unwrap();
        assert!(bearer.starts_with("Bearer eyJ") && bearer.contains(key::MARKER_B64));
        assert_eq!(r.authorization(&bearer, Place::RequestHeader), None);
    }

    #[test]
    fn redacts_json_and_html_bodies() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let json = r
            .body(
                r#"{"token_type":"Bearer","access_token":"at-secret-value","nested":{"refresh_token":"rt-secret-value","otc":123456},"error_codes":[50011]}"#,
                Some("application/json; charset=utf-8"),
            )
            .unwrap();
        assert!(!json.contains("at-secret-value") && !json.contains("rt-secret-value"));
        assert!(!json.contains("123456") && json.contains("[50011]"));
        let html = r#"<form method="post" action="https://app/cb"><input type="hidden" name="id_token" value="opaque-id-token-x"/><input type="hidden" name="state" value="st"/></form><script>$Config={"sFT":"flow-token-value","canary":"can\u002fary-value","sErrorCode":"50058"};</script>"#;
        let out = r.body(html, Some("text/html")).unwrap();
        for gone in [
            "opaque-id-token-x",
            "flow-token-value",
            "can/ary-value",
            "can\\u002fary",
        ] {
            assert!(!out.contains(gone), "{gone}: {out}");
        }
        assert!(out.contains(r#"name="state" value="st""#) && out.contains("\"50058\""));
        assert_eq!(r.body(&out, Some("text/html")), None);
    }

    #[test]
    fn redacts_form_and_multipart_bodies() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let form = r
            .body(
                "login=bob%40contoso.com&passwd=hunter2%21&ctx=abc&flowToken=ft",
                Some("application/x-www-form-urlencoded"),
            )
            .unwrap();
        assert!(form.starts_with("login=bob%40contoso.com&passwd=REDACTED-password-"));
        let mp = "--XyZ\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\ns3cr3t-value\r\n--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nauthorization_code\r\n--XyZ--\r\n";
        let out = r
            .body(mp, Some("multipart/form-data; boundary=XyZ"))
            .unwrap();
        assert!(!out.contains("s3cr3t-value") && out.contains("authorization_code"));
        assert!(out.ends_with("\r\n--XyZ--\r\n"));
    }

    #[test]
    fn unquoted_html_attributes_are_not_mistaken_for_names_with_pii() {
        let k = key();
        let mut r = Redactor::new(&k, true, 1 << 20);
        let html = "<form><input type=hidden name=code value='c0de-secret-1'><input type=hidden name=state value=s1></form>";
        let out = r.body(html, Some("text/html")).unwrap();
        assert!(out.contains("name=code value='REDACTED-code-"), "{out}");
        assert!(out.contains("name=state value=s1"), "{out}");
    }

    #[test]
    fn debug_never_prints_replaced_values() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        r.opaque(Kind::Token, Place::Query, "very-secret-token");
        assert!(!format!("{r:?}").contains("very-secret-token"));
        assert!(!format!("{:?}", r.sweeper()).contains("very-secret-token"));
    }

    #[test]
    fn sweep_replaces_echoes_but_not_inside_pseudonyms() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let p = r.opaque(Kind::Code, Place::Query, "c0de/value+1");
        let s = r.sweeper();
        let mut receipt = Receipt::default();
        let out = s
            .sweep(
                "seen c0de/value+1 and c0de%2Fvalue%2B1 in a page",
                &mut receipt,
            )
            .unwrap();
        assert_eq!(out, format!("seen {p} and {p} in a page"));
        assert_eq!(s.sweep(&out, &mut receipt), None);
        assert_eq!(receipt.by_place.get(&Place::Echo), Some(&2));
    }
}
