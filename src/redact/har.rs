//! HAR → HAR, in bounded memory. The file is streamed one entry at a time
//! ([`redact_to`]): each entry is read as a `serde_json::Value` (key order
//! kept), its strings are rewritten in place and it is serialised again
//! before the next is read, so the output is always valid JSON whatever the
//! values hold — quotes, backslashes, newlines, control characters (the
//! failure mode of sanitisers that run regular expressions over the
//! serialised text) — and peak memory is the input plus one entry, never a
//! tree of the whole document.
//!
//! Covered: `request.url`, `queryString[]`, headers (names, order and
//! count kept), `cookies[]`, `postData.text` by MIME type and
//! `postData.params[]`; `response` headers, `cookies[]`, `content.text`
//! (base64 bodies decoded, gzip undone, redacted, encoded back) and
//! `redirectURL`; `serverIPAddress` (`--pii`); pages' titles; every other
//! exporter field (`_initiator`, `_webSocketMessages`, comments) by the
//! free-text rules. Sizes and timings stay as they were.

use std::io::{Read, Write};

use serde_json::{Map, Value};

use super::RedactError;
use super::engine::{Redactor, Sweeper, form_decode};
use super::policy::{self, Rule};
use super::receipt::{Kind, Place, Receipt};
use crate::codec::base64;
use crate::codec::percent::decode as percent_decode;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Redacts HAR bytes; returns the new file (see [`redact_to`]).
pub fn redact(bytes: &[u8], r: &mut Redactor<'_>) -> Result<(Vec<u8>, usize), RedactError> {
    let mut out = Vec::new();
    let (entries, _) = redact_to(bytes, r, &mut out)?;
    Ok((out, entries))
}

/// Redacts HAR bytes into `out`, one entry at a time; returns the number
/// of entries and the sweep of every value replaced (for the re-scan of
/// the copy).
///
/// Memory stays near the input's size: the document is never held as a
/// tree. It is read twice, entry by entry ([`serde::de::DeserializeSeed`]
/// over `log.entries`): the first pass runs the structured redaction only,
/// to learn every value replaced anywhere; the second redacts again (the
/// pseudonyms are keyed, so the same), sweeps each entry for every value
/// of the first pass (an echo in entry 3 of a cookie first set in entry
/// 900) and writes it out. What the loader accepts and strict JSON refuses
/// (a JSONP wrapper, lone surrogates, numbers out of range) is repaired on
/// a copy first ([`crate::capture::Input::from_bytes`] hands over bytes
/// already repaired, so the CLI never makes that copy); the copy written is
/// plain HAR.
pub fn redact_to(
    bytes: &[u8],
    r: &mut Redactor<'_>,
    out: &mut dyn Write,
) -> Result<(usize, Sweeper), RedactError> {
    let bom = bytes.starts_with(UTF8_BOM);
    let json = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut first = r.fresh();
    let repaired;
    let json = match walk(json, &mut first, None, None) {
        Ok(_) => json,
        Err(e) => {
            let mut owned = json.to_vec();
            if let Some(inner) = crate::capture::har::unwrap_jsonp(&owned) {
                owned.truncate(inner.end);
                owned.drain(..inner.start);
            }
            crate::capture::har::repair(&mut owned);
            first = r.fresh();
            walk(&owned, &mut first, None, None).map_err(|_| e)?;
            repaired = owned;
            repaired.as_slice()
        }
    };
    let sweeper = first.into_sweeper();
    let pretty = json.iter().take(4096).any(|b| *b == b'\n');
    if bom {
        out.write_all(UTF8_BOM).map_err(RedactError::Write)?;
    }
    let sweep = (!sweeper.is_empty()).then_some(&sweeper);
    let entries = walk(json, r, sweep, Some(Out::new(out, pretty)))?;
    Ok((entries, sweeper))
}

/// One pass over the document: redacts `log.pages[].title` and every
/// entry, and with `out` sweeps and writes the document as it goes.
fn walk(
    json: &[u8],
    r: &mut Redactor<'_>,
    sweeper: Option<&Sweeper>,
    out: Option<Out<'_>>,
) -> Result<usize, RedactError> {
    use serde::de::DeserializeSeed as _;
    let mut pass = Pass {
        r,
        sweeper,
        out,
        entries: 0,
        io: None,
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    let parsed = Level {
        pass: &mut pass,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(e) = pass.io.take() {
        return Err(RedactError::Write(e));
    }
    parsed.map_err(|e| RedactError::HarJson(e.to_string()))?;
    if let Some(out) = &mut pass.out {
        out.finish().map_err(RedactError::Write)?;
    }
    Ok(pass.entries)
}

/// The state of one pass.
struct Pass<'p, 'k, 'o> {
    r: &'p mut Redactor<'k>,
    sweeper: Option<&'p Sweeper>,
    out: Option<Out<'o>>,
    entries: usize,
    /// A write error, kept whole (the deserializer's error would flatten it).
    io: Option<std::io::Error>,
}

impl Pass<'_, '_, '_> {
    fn write(&mut self, f: impl FnOnce(&mut Out<'_>) -> std::io::Result<()>) -> Result<(), String> {
        let Some(out) = &mut self.out else {
            return Ok(());
        };
        f(out).map_err(|e| {
            let text = e.to_string();
            self.io = Some(e);
            text
        })
    }

    fn sweep(&mut self, v: &mut Value, key: Option<&str>) {
        if let Some(sweeper) = self.sweeper {
            sweep_value(v, key, sweeper, &mut self.r.receipt);
        }
    }
}

/// The object at `depth` 0 (the document) or 1 (`log`), read member by
/// member.
struct Level<'a, 'p, 'k, 'o> {
    pass: &'a mut Pass<'p, 'k, 'o>,
    depth: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Level<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Level<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.depth == 0 {
            "a HAR document (a JSON object)"
        } else {
            "a HAR `log` object"
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let depth = self.depth;
        let pass = self.pass;
        pass.write(|o| o.open(b'{')).map_err(A::Error::custom)?;
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            pass.write(|o| o.key(depth + 1, first, &key))
                .map_err(A::Error::custom)?;
            first = false;
            match (depth, key.as_str()) {
                (0, "log") => map.next_value_seed(Level {
                    pass: &mut *pass,
                    depth: 1,
                })?,
                (1, "entries") => map.next_value_seed(Entries {
                    pass: &mut *pass,
                    depth: 2,
                })?,
                _ => {
                    let mut v: Value = map.next_value()?;
                    if (depth, key.as_str()) == (1, "pages")
                        && let Some(pages) = v.as_array_mut()
                    {
                        for page in pages.iter_mut().filter_map(Value::as_object_mut) {
                            rewrite_str(page, "title", |s| pass.r.free(s, Place::Metadata));
                        }
                    }
                    if pass.out.is_some() {
                        pass.sweep(&mut v, Some(&key));
                        pass.write(|o| o.value(depth + 1, &v))
                            .map_err(A::Error::custom)?;
                    }
                }
            }
        }
        pass.write(|o| o.close(depth, b'}', first))
            .map_err(A::Error::custom)
    }
}

/// `log.entries`, read, redacted and written one entry at a time.
struct Entries<'a, 'p, 'k, 'o> {
    pass: &'a mut Pass<'p, 'k, 'o>,
    depth: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Entries<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Entries<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("`log.entries` as a JSON array")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let depth = self.depth;
        let pass = self.pass;
        pass.write(|o| o.open(b'[')).map_err(A::Error::custom)?;
        let mut first = true;
        while let Some(mut entry) = seq.next_element::<Value>()? {
            pass.entries += 1;
            if let Some(obj) = entry.as_object_mut() {
                redact_entry(obj, pass.r);
            }
            if pass.out.is_some() {
                pass.sweep(&mut entry, None);
                pass.write(|o| {
                    o.item(depth + 1, first)?;
                    o.value(depth + 1, &entry)
                })
                .map_err(A::Error::custom)?;
            }
            first = false;
        }
        pass.write(|o| o.close(depth, b']', first))
            .map_err(A::Error::custom)
    }
}

/// The JSON writer of the streamed document: compact, or indented by two
/// spaces as `serde_json::to_writer_pretty` (Chrome's layout) when the
/// input was. Values are serialised by `serde_json` (valid JSON whatever
/// the strings hold) and re-indented to their depth: in serialised JSON a
/// raw newline is only ever layout (in strings it is escaped `\n`).
struct Out<'o> {
    w: std::io::BufWriter<&'o mut dyn Write>,
    pretty: bool,
    buf: Vec<u8>,
}

impl<'o> Out<'o> {
    fn new(w: &'o mut dyn Write, pretty: bool) -> Self {
        Out {
            w: std::io::BufWriter::with_capacity(1 << 16, w),
            pretty,
            buf: Vec::new(),
        }
    }

    fn open(&mut self, b: u8) -> std::io::Result<()> {
        self.w.write_all(&[b])
    }

    fn newline(&mut self, depth: usize) -> std::io::Result<()> {
        if self.pretty {
            self.w.write_all(b"\n")?;
            for _ in 0..depth {
                self.w.write_all(b"  ")?;
            }
        }
        Ok(())
    }

    /// Before an array item: the comma, the line break and indentation.
    fn item(&mut self, depth: usize, first: bool) -> std::io::Result<()> {
        if !first {
            self.w.write_all(b",")?;
        }
        self.newline(depth)
    }

    /// Before an object member's value: `,`, layout, `"key":`.
    fn key(&mut self, depth: usize, first: bool, key: &str) -> std::io::Result<()> {
        self.item(depth, first)?;
        serde_json::to_writer(&mut self.w, key)?;
        self.w.write_all(if self.pretty { b": " } else { b":" })
    }

    fn value(&mut self, depth: usize, v: &Value) -> std::io::Result<()> {
        if !self.pretty {
            return serde_json::to_writer(&mut self.w, v).map_err(std::io::Error::other);
        }
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, v)?;
        let mut rest = self.buf.as_slice();
        while let Some(at) = memchr::memchr(b'\n', rest) {
            let (line, tail) = rest.split_at(at + 1);
            self.w.write_all(line)?;
            for _ in 0..depth {
                self.w.write_all(b"  ")?;
            }
            rest = tail;
        }
        self.w.write_all(rest)
    }

    fn close(&mut self, depth: usize, b: u8, empty: bool) -> std::io::Result<()> {
        if !empty {
            self.newline(depth)?;
        }
        self.w.write_all(&[b])
    }

    fn finish(&mut self) -> std::io::Result<()> {
        if self.pretty {
            self.w.write_all(b"\n")?;
        }
        self.w.flush()
    }
}

fn redact_entry(entry: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    for (key, value) in entry.iter_mut() {
        match key.as_str() {
            "request" => {
                if let Some(req) = value.as_object_mut() {
                    redact_request(req, r);
                }
            }
            "response" => {
                if let Some(resp) = value.as_object_mut() {
                    redact_response(resp, r);
                }
            }
            "serverIPAddress" => {
                if r.pii()
                    && let Value::String(s) = value
                    && let Some(new) =
                        r.pii_value(Kind::PiiIp, Place::Metadata, s.trim_matches(['[', ']']))
                {
                    *s = new;
                }
            }
            "startedDateTime" | "time" | "timings" | "cache" | "pageref" | "connection" => {}
            _ => {
                walk_free(value, None, r);
            }
        }
    }
}

fn redact_request(req: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    rewrite_str(req, "url", |s| r.url(s));
    headers(req, r, true);
    if let Some(list) = req.get_mut("queryString").and_then(Value::as_array_mut) {
        for q in list.iter_mut().filter_map(Value::as_object_mut) {
            name_value(q, r, Place::Query);
        }
    }
    cookies(req, r, Place::Cookie);
    if let Some(post) = req.get_mut("postData").and_then(Value::as_object_mut) {
        let mime = post
            .get("mimeType")
            .and_then(Value::as_str)
            .map(str::to_owned);
        rewrite_str(post, "text", |s| r.body(s, mime.as_deref()));
        if let Some(list) = post.get_mut("params").and_then(Value::as_array_mut) {
            for p in list.iter_mut().filter_map(Value::as_object_mut) {
                name_value(p, r, Place::Form);
            }
        }
    }
}

fn redact_response(resp: &mut Map<String, Value>, r: &mut Redactor<'_>) {
    headers(resp, r, false);
    cookies(resp, r, Place::SetCookie);
    rewrite_str(resp, "redirectURL", |s| r.url(s));
    let encoding = header_value(resp, "content-encoding");
    if let Some(content) = resp.get_mut("content").and_then(Value::as_object_mut) {
        let mime = content
            .get("mimeType")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let base64 = content
            .get("encoding")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
        rewrite_str(content, "text", |s| {
            if base64 {
                map_base64_text(s, encoding.as_deref(), |t| r.body(t, mime.as_deref()))
            } else {
                r.body(s, mime.as_deref())
            }
        });
    }
}

fn header_value(msg: &Map<String, Value>, name: &str) -> Option<String> {
    msg.get("headers")?.as_array()?.iter().find_map(|h| {
        h.get("name")?
            .as_str()?
            .eq_ignore_ascii_case(name)
            .then(|| h.get("value")?.as_str().map(str::to_owned))?
    })
}

fn headers(msg: &mut Map<String, Value>, r: &mut Redactor<'_>, request: bool) {
    let Some(list) = msg.get_mut("headers").and_then(Value::as_array_mut) else {
        return;
    };
    for h in list.iter_mut().filter_map(Value::as_object_mut) {
        let Some(name) = h.get("name").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        rewrite_str(h, "value", |v| r.header(&name, v, request));
    }
}

/// HAR `cookies[]`: the value only (name, path, domain, expires, flags stay).
fn cookies(msg: &mut Map<String, Value>, r: &mut Redactor<'_>, place: Place) {
    let Some(list) = msg.get_mut("cookies").and_then(Value::as_array_mut) else {
        return;
    };
    for c in list.iter_mut().filter_map(Value::as_object_mut) {
        rewrite_str(c, "value", |v| {
            let (s, e, new) = r.cookie_value(v, place)?;
            Some(format!(
                "{}{new}{}",
                v.get(..s).unwrap_or_default(),
                v.get(e..).unwrap_or_default()
            ))
        });
    }
}

/// `{name, value}` of `queryString[]` / `params[]`: exporters write the
/// value raw (percent-encoded) or decoded; it is decoded for the decision
/// and written back the way it came.
fn name_value(obj: &mut Map<String, Value>, r: &mut Redactor<'_>, place: Place) {
    let Some(raw_name) = obj.get("name").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let name = form_decode(&raw_name);
    rewrite_str(obj, "value", |raw| {
        let encoded = raw.contains('%');
        let value = match (encoded, policy::param(&name)) {
            (false, _) => raw.to_owned(),
            (true, Rule::Saml) => percent_decode(raw).into_owned(),
            (true, _) => form_decode(raw),
        };
        let new = r.named(&name, &value, place)?;
        Some(
            if encoded
                && !new
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            {
                super::engine::encode_component(&new)
            } else {
                new
            },
        )
    });
}

/// Exporter fields: strings by their member name, objects and arrays walked.
fn walk_free(v: &mut Value, name: Option<&str>, r: &mut Redactor<'_>) {
    match v {
        Value::String(s) => {
            let new = match name {
                Some(n) => r.named(n, s, Place::Metadata),
                None => r.free(s, Place::Metadata),
            };
            if let Some(new) = new {
                *s = new;
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_free(item, name, r);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                walk_free(item, Some(k), r);
            }
        }
        _ => {}
    }
}

fn rewrite_str(obj: &mut Map<String, Value>, key: &str, f: impl FnOnce(&str) -> Option<String>) {
    if let Some(Value::String(s)) = obj.get_mut(key)
        && let Some(new) = f(s)
    {
        *s = new;
    }
}

/// A base64 body: decoded (and gunzipped when it still is gzip), handed to
/// `f` as text, and encoded back the same way when `f` changed it. Binary
/// bodies are left alone.
pub fn map_base64_text(
    b64: &str,
    content_encoding: Option<&str>,
    f: impl FnOnce(&str) -> Option<String>,
) -> Option<String> {
    let bytes = base64::decode_wrapped(b64).ok()?;
    let gzipped = bytes.starts_with(&[0x1f, 0x8b])
        && content_encoding.is_none_or(|c| c.to_ascii_lowercase().contains("gzip"));
    let plain = if gzipped {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(1 << 30)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        bytes
    };
    let text = std::str::from_utf8(&plain).ok()?;
    let new = f(text)?;
    let out = if gzipped {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(new.as_bytes()).ok()?;
        e.finish().ok()?
    } else {
        new.into_bytes()
    };
    Some(base64::encode(out, base64::Shape::STANDARD))
}

/// Members that are structure, never values. `name` is swept: exporters
/// put whole bodies in a form parameter's name (a JSON blob posted without
/// `=`), secrets included.
const NOT_SWEPT: &[&str] = &[
    "method",
    "httpVersion",
    "mimeType",
    "startedDateTime",
    "encoding",
    "version",
    "pageref",
    "id",
    "_resourceType",
];

/// The byte-for-byte sweep over every string of the document.
fn sweep_value(v: &mut Value, key: Option<&str>, sweeper: &Sweeper, receipt: &mut Receipt) {
    match v {
        Value::String(s) => {
            if key.is_some_and(|k| NOT_SWEPT.contains(&k)) {
                return;
            }
            if let Some(new) = sweeper.sweep(s, receipt) {
                *s = new;
            }
        }
        Value::Array(items) => {
            for item in items {
                sweep_value(item, None, sweeper, receipt);
            }
        }
        Value::Object(map) => {
            let base64 = map
                .get("encoding")
                .and_then(Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
            for (k, item) in map.iter_mut() {
                if base64 && k == "text" {
                    if let Value::String(s) = item
                        && let Some(new) = map_base64_text(s, None, |t| sweeper.sweep(t, receipt))
                    {
                        *s = new;
                    }
                    continue;
                }
                sweep_value(item, Some(k), sweeper, receipt);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::redact::Key;

    fn har(pretty: bool) -> Vec<u8> {
        let doc = serde_json::json!({
            "log": {
                "version": "1.2",
                "creator": {"name": "WebInspector", "version": "537.36"},
                "pages": [{"id": "page_1", "title": "https://app.example/"}],
                "entries": [
                    {
                        "request": {"method": "GET", "url": "https://app.example/a",
                                    "headers": [], "queryString": [], "cookies": []},
                        "response": {"status": 200, "headers": [], "cookies": [],
                                     "content": {"mimeType": "text/plain",
                                                 "text": "echo: q7Wz9KpLm2XvB4nR8sT1"}}
                    },
                    {
                        "request": {"method": "GET", "url": "https://app.example/b",
                                    "headers": [], "queryString": [], "cookies": []},
                        "response": {"status": 200,
                                     "headers": [{"name": "Set-Cookie",
                                                  "value": "sid=q7Wz9KpLm2XvB4nR8sT1; Path=/; Secure"}],
                                     "cookies": [], "content": {"mimeType": "text/plain", "text": ""}}
                    }
                ],
                "comment": ""
            },
            "empty": {}, "list": []
        });
        if pretty {
            serde_json::to_vec_pretty(&doc).unwrap()
        } else {
            serde_json::to_vec(&doc).unwrap()
        }
    }

    fn run(bytes: &[u8]) -> Vec<u8> {
        let key = Key::from_bytes(&[3u8; 32], true).unwrap();
        let mut r = Redactor::new(&key, false, 1 << 20);
        let mut out = Vec::new();
        assert_eq!(redact_to(bytes, &mut r, &mut out).unwrap().0, 2);
        out
    }

    /// The streamed layout is exactly what serialising the whole document
    /// would give, compact and pretty.
    #[test]
    fn streamed_output_is_laid_out_as_the_whole_document_would_be() {
        for pretty in [false, true] {
            let out = run(&har(pretty));
            let doc: Value = serde_json::from_slice(&out).unwrap();
            let mut expected = if pretty {
                serde_json::to_vec_pretty(&doc).unwrap()
            } else {
                serde_json::to_vec(&doc).unwrap()
            };
            if pretty {
                expected.push(b'\n');
            }
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    /// A value first replaced in a later entry is swept from an earlier one:
    /// the first pass learns every value before anything is written.
    #[test]
    fn an_echo_before_the_original_is_swept() {
        let input = har(true);
        let out = run(&input);
        assert!(memchr::memmem::find(&input, b"q7Wz9KpLm2XvB4nR8sT1").is_some());
        assert!(memchr::memmem::find(&out, b"q7Wz9KpLm2XvB4nR8sT1").is_none());
        let doc: Value = serde_json::from_slice(&out).unwrap();
        let text = doc["log"]["entries"][0]["response"]["content"]["text"]
            .as_str()
            .unwrap();
        assert!(text.starts_with("echo: "), "{text}");
    }

    #[test]
    fn what_is_not_a_har_object_is_refused() {
        let key = Key::from_bytes(&[3u8; 32], true).unwrap();
        for bad in [
            &b"[1,2]"[..],
            b"{\"log\":{\"entries\":{}}}",
            b"{\"log\":{}} x",
        ] {
            let mut r = Redactor::new(&key, false, 1 << 20);
            let e = redact_to(bad, &mut r, &mut Vec::new()).unwrap_err();
            assert!(matches!(e, RedactError::HarJson(_)), "{e}");
        }
    }
}
