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

mod bodies;
mod edit;
pub mod saml;
mod sweep;
mod text;

use edit::*;
pub use edit::{apply, boundary, encode_component, form_decode, html_escape, looks_like_url};
pub use sweep::Sweeper;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use sweep::pseudonym_len;

use super::jwt::{self, Compact};
use super::key::{self, Key};
use super::pii;
use super::policy::{self, HeaderRule, Rule};
use super::receipt::{Kind, Place, Receipt};
use crate::codec::html::decode_entities;
use crate::codec::percent::decode as percent_decode;

/// One free-text pass: the text in, the new text out when it changed.
pub(super) type Pass<'k> = fn(&mut Redactor<'k>, &str, Place) -> Option<String>;

/// Nested values (JSON in a string in HTML…) are followed this deep.
pub(super) const MAX_DEPTH: u8 = 6;

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

    /// A new run with the same key and settings, nothing replaced yet:
    /// the first pass of a streamed redaction (`har::redact_to`).
    pub fn fresh(&self) -> Redactor<'k> {
        Redactor::new(self.key, self.pii, self.max_decoded)
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

    /// Whether a value is already a pseudonym of any shape, or a
    /// placeholder another sanitizer left ([`crate::secret::is_placeholder`]):
    /// rewriting it would change what the diagnosis reads.
    pub fn is_done(&self, value: &str) -> bool {
        key::is_pseudonym(value) || pii::is_pseudonym(value) || crate::secret::is_placeholder(value)
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
            // A nested JWT (`cty: JWT`, RFC 7519 §5.2): the payload is a
            // token of its own, redacted the same way and re-encoded.
            if let Some(inner) = c.nested()
                && let Some(inner_c) = Compact::parse(&inner)
                && self.depth < MAX_DEPTH
            {
                self.depth += 1;
                let redacted = self.jwt(&inner_c, &inner, place);
                self.depth -= 1;
                if let Some(new) = redacted
                    && let Some(slot) = parts.get_mut(1)
                {
                    *slot = jwt::encode_part(new.as_bytes());
                    changed = true;
                }
            }
            match parts.get_mut(2) {
                // An unsigned JWS (`alg: none`, RFC 7518 §3.6: the signature
                // MUST be empty) is a bearer credential with no signature
                // to break. Its shape is what the diagnosis reads (three
                // parts, the empty signature: `jwt-alg-none`), so it stays;
                // the payload gets a claim holding a pseudonym of the whole
                // token ([`jwt::REDACTED_CLAIM`]), so the copy is another
                // token and no encoded part of the original claims remains.
                // A payload that is not a JSON object cannot carry it: a
                // marked pseudonym then fills the signature.
                Some(sig) if sig.is_empty() => {
                    let claims = parts
                        .get(1)
                        .and_then(|p| jwt::decode_part(p))
                        .and_then(|b| match serde_json::from_slice(&b).ok()? {
                            Value::Object(m) => Some(m),
                            _ => None,
                        });
                    match claims {
                        Some(m)
                            if m.get(jwt::REDACTED_CLAIM)
                                .and_then(Value::as_str)
                                .is_some_and(|v| self.is_done(v)) => {}
                        Some(claims) => {
                            // First, so that not even a prefix of the
                            // original encoded payload is left.
                            let p = self.opaque(Kind::JwtSignature, place, token);
                            let mut m = serde_json::Map::new();
                            m.insert(jwt::REDACTED_CLAIM.to_owned(), Value::String(p));
                            m.extend(claims);
                            if let (Ok(bytes), Some(slot)) =
                                (serde_json::to_vec(&Value::Object(m)), parts.get_mut(1))
                            {
                                *slot = jwt::encode_part(&bytes);
                                changed = true;
                            }
                        }
                        None => {
                            if let Some(sig) = parts.get_mut(2) {
                                *sig = self.marked_base64(Kind::JwtSignature, place, token, true);
                                changed = true;
                            }
                        }
                    }
                }
                Some(sig) if !jwt::part_is_done(sig) => {
                    *sig = self.marked_base64(Kind::JwtSignature, place, sig, true);
                    changed = true;
                }
                _ => {}
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
                percent_decode(raw_value).into_owned()
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

    /// The sweep of everything this run replaced, taking its values over:
    /// for a run whose only use left is that sweep (the first pass of a
    /// streamed redaction).
    pub fn into_sweeper(self) -> Sweeper {
        Sweeper::from_map(self.replaced)
    }

    /// How many distinct original values were replaced (and so are
    /// searched for in the copy).
    pub fn replaced_count(&self) -> usize {
        self.replaced.len()
    }

    /// The original values replaced, wrapped so they never print: for the
    /// independent "no original survives" checks of the tests and fuzzers.
    pub fn originals(&self) -> Vec<crate::secret::Secret<String>> {
        self.replaced
            .keys()
            .map(|k| crate::secret::Secret::new(k.clone()))
            .collect()
    }
}

/// `Set-Cookie` attributes of RFC 6265 §4.1.1 and RFC 6265bis, and the
/// ones Chrome knows (`Priority`, `SameParty`, `Partitioned`).
pub(super) fn is_cookie_attribute(name: &str) -> bool {
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
pub(super) fn sweepable(original: &str, kind: Kind) -> bool {
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
    fn free_text_jwts_are_redacted_wherever_the_spotter_finds_them() {
        let k = key();
        let mut r = Redactor::new(&k, false, 1 << 20);
        let none = format!(
            "{}.{}.",
            jwt::encode_part(br#"{"alg":"none"}"#),
            jwt::encode_part(br#"{"sub":"u1","aud":"app"}"#)
        );
        // An unsigned token ending a sentence, a signed one glued to the
        // next word by a dot.
        let text = format!("log: got {none}. then {JWT}.Next step");
        let out = r.jwts(&text, Place::TextBody).unwrap();
        assert!(!out.contains(&none), "{out}");
        assert!(!out.contains("c2lnbmF0dXJl"), "{out}");
        assert!(out.contains(".Next step"), "{out}");
        assert_eq!(r.jwts(&out, Place::TextBody), None, "idempotent");
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
        // A body cut before its close delimiter still has its last part
        // redacted.
        let cut = "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nx\r\n--XyZ\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\ns3cr3t-val";
        let out = r
            .body(cut, Some("multipart/form-data; boundary=XyZ"))
            .unwrap();
        assert!(!out.contains("s3cr3t-val"), "{out}");
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
