//! HAR 1.1 / 1.2 / 1.3 as exporters really write them.
//!
//! Lenient where exporters differ: `cache`, `timings`, `pages`, `pageref`,
//! `comment`, `response` and even `startedDateTime` may be missing; sizes may
//! be -1; versions may be numbers; `postData` may hold `params` or `text`;
//! bodies may be base64. An entry missing its `request`, `url`, `method` or
//! `headers`, or with `null` where an object or array belongs, still loads
//! (with what it has) and the capture carries one [`LoadNote`] naming the
//! entries — the rest of the capture is still diagnosed. Strict only where
//! nothing could be read: the top level must be an object with a `log`
//! object holding an `entries` array.
//!
//! Before parsing, [`repair`] rewrites in place (same length) what strict
//! JSON parsers refuse but exporters write: a lone UTF-16 surrogate escape
//! (`"\ud800"`, RFC 8259 §8.2 leaves it undefined) becomes `\ufffd`, and a
//! number out of the f64 range (`1e999`) becomes `null`; [`unwrap_jsonp`]
//! removes HAR Viewer's JSONP wrapper (`onInputData({...});`, `.harp`).
//!
//! Zero-copy: strings borrow from the input (`Cow::Borrowed` unless the JSON
//! escapes them) and bodies are kept as raw JSON string literals
//! (`&RawValue`), unescaped only when a decoder asks.
//!
//! Truncated files: entries are pushed into the result as they are parsed, so
//! when the input ends mid-way everything before the cut is kept and a
//! [`LoadNote::Truncated`] says how much was recovered.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDateTime};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use url::Url;

use super::cookies::{parse_cookie_header, parse_set_cookie_header};
use super::model::{
    Body, BodyData, Capture, Coding, Codings, Cookie, Creator, Exchange, Format, Header, LoadNote,
    Meta, MetaValue, Request, Response, SameSite, SetCookie, Started, Timings,
};
use super::{CaptureError, LoadOptions};
use crate::secret::Secret;
use lenient::{Flag, Lenient, Number, null_as_default};
pub use lenient::{Repairs, repair, unwrap_jsonp};

mod lenient;

/// URLs longer than this (big `data:` URIs) are kept as text, not parsed.
const MAX_PARSED_URL: usize = 64 * 1024;

/// Parses HAR JSON (BOM already removed) into a capture borrowing `bytes`.
pub fn parse<'a>(
    bytes: &'a [u8],
    path: &str,
    options: &LoadOptions,
) -> Result<Capture<'a>, CaptureError> {
    let mut sink = Sink {
        exchanges: Vec::new(),
        creator: None,
        browser: None,
        version: None,
        saw_log: false,
        saw_entries: false,
        zone_unknown: None,
        max_headers: options.limits.max_headers,
        incomplete: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let outcome = TopSeed { sink: &mut sink }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    let mut notes = Vec::new();
    if let Err(e) = outcome {
        if e.is_eof() {
            if sink.exchanges.is_empty() {
                return Err(CaptureError::TruncatedHar {
                    line: e.line(),
                    column: e.column(),
                });
            }
            notes.push(LoadNote::Truncated {
                recovered: sink.exchanges.len(),
                detail: format!("input ends at line {}, column {}", e.line(), e.column()),
            });
        } else if e.is_syntax() {
            return Err(CaptureError::InvalidJson {
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            });
        } else {
            return Err(CaptureError::NotHar(e.to_string()));
        }
    }
    if !sink.saw_log {
        return Err(CaptureError::NotHar(
            "no top-level \"log\" object (is this an HTTP Archive?)".into(),
        ));
    }
    if !sink.saw_entries && notes.is_empty() {
        return Err(CaptureError::NotHar(
            "\"log\" has no \"entries\" array".into(),
        ));
    }
    if let Some(entry) = sink.zone_unknown {
        notes.push(LoadNote::TimeZoneUnknown { entry });
    }
    if !sink.incomplete.is_empty() {
        let list: Vec<String> = sink
            .incomplete
            .iter()
            .take(5)
            .map(|(n, what)| format!("#{n} {what}"))
            .collect();
        let more = sink.incomplete.len().saturating_sub(5);
        notes.push(LoadNote::Other(format!(
            "{} entr{} had missing or null fields ({}{}); loaded with what they have",
            sink.incomplete.len(),
            if sink.incomplete.len() == 1 {
                "y"
            } else {
                "ies"
            },
            list.join(", "),
            if more > 0 {
                format!(", {more} more")
            } else {
                String::new()
            }
        )));
    }
    Ok(Capture {
        path: path.to_owned(),
        format: Format::Har,
        creator: sink.creator.unwrap_or_default(),
        browser: sink.browser,
        version: sink.version,
        exchanges: sink.exchanges,
        notes,
    })
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Collects what has been parsed so far, so a truncated file keeps it.
struct Sink<'a> {
    exchanges: Vec<Exchange<'a>>,
    creator: Option<Creator>,
    browser: Option<Creator>,
    version: Option<String>,
    saw_log: bool,
    saw_entries: bool,
    zone_unknown: Option<u32>,
    max_headers: usize,
    /// Entries loaded without a field they should have: (entry, what).
    incomplete: Vec<(u32, String)>,
}

struct TopSeed<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de, 's> DeserializeSeed<'de> for TopSeed<'s, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 's> Visitor<'de> for TopSeed<'s, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR object {\"log\": {...}}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "log" {
                self.sink.saw_log = true;
                map.next_value_seed(LogSeed {
                    sink: &mut *self.sink,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct LogSeed<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de, 's> DeserializeSeed<'de> for LogSeed<'s, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 's> Visitor<'de> for LogSeed<'s, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"log\" to be an object with \"entries\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "version" => self.sink.version = map.next_value::<Lenient<'de>>()?.owned(),
                "creator" => self.sink.creator = Some(map.next_value::<HarCreator<'de>>()?.into()),
                "browser" => {
                    self.sink.browser = map
                        .next_value::<Option<HarCreator<'de>>>()?
                        .map(Creator::from);
                }
                "entries" => {
                    self.sink.saw_entries = true;
                    map.next_value_seed(EntriesSeed {
                        sink: &mut *self.sink,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct EntriesSeed<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de, 's> DeserializeSeed<'de> for EntriesSeed<'s, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 's> Visitor<'de> for EntriesSeed<'s, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"log.entries\" to be an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(n) = seq.size_hint() {
            self.sink.exchanges.reserve(n);
        }
        loop {
            let index = u32::try_from(self.sink.exchanges.len() + 1).unwrap_or(u32::MAX);
            let Some(entry) = seq.next_element_seed(EntrySeed { index })? else {
                break;
            };
            let missing = entry.missing();
            let exchange = entry
                .into_exchange(index, self.sink.max_headers)
                .map_err(|m| de::Error::custom(format!("entry {index}: {m}")))?;
            if !missing.is_empty() {
                self.sink.incomplete.push((index, missing.join(" / ")));
            }
            if exchange.started.is_some_and(|s| !s.zone_known) && self.sink.zone_unknown.is_none() {
                self.sink.zone_unknown = Some(index);
            }
            self.sink.exchanges.push(exchange);
        }
        Ok(())
    }
}

/// One entry as written; converted to an [`Exchange`] right away.
#[derive(Default)]
struct RawEntry<'a> {
    started: Option<Cow<'a, str>>,
    time: Option<f64>,
    request: Option<HarRequest<'a>>,
    response: Option<HarResponse<'a>>,
    timings: Option<HarTimings>,
    server_ip: Option<Cow<'a, str>>,
    meta: Vec<Meta<'a>>,
}

struct EntrySeed {
    index: u32,
}

impl<'de> DeserializeSeed<'de> for EntrySeed {
    type Value = RawEntry<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawEntry<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed {
    type Value = RawEntry<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {} to be an object", self.index)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEntry<'de>, A::Error> {
        let mut e = RawEntry::default();
        let _ = self.index;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "startedDateTime" => e.started = map.next_value::<Lenient<'de>>()?.0,
                "time" => e.time = map.next_value::<Number>()?.0,
                "request" => e.request = map.next_value()?,
                "response" => e.response = map.next_value()?,
                "timings" => e.timings = map.next_value()?,
                "serverIPAddress" => e.server_ip = map.next_value::<Lenient<'de>>()?.0,
                "cache" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => e.meta.push(Meta {
                    key,
                    value: MetaValue::Json(map.next_value::<&'de RawValue>()?),
                }),
            }
        }
        Ok(e)
    }
}

impl<'a> RawEntry<'a> {
    /// The fields a HAR entry's request must have (HAR 1.2 §request) that
    /// this one lacks or holds as `null`.
    fn missing(&self) -> Vec<&'static str> {
        match &self.request {
            None => vec!["request"],
            Some(r) => {
                let mut out = Vec::new();
                if r.url.0.is_none() {
                    out.push("url");
                }
                if r.method.0.is_none() {
                    out.push("method");
                }
                if r.headers.is_none() {
                    out.push("headers");
                }
                out
            }
        }
    }

    fn into_exchange(self, index: u32, max_headers: usize) -> Result<Exchange<'a>, String> {
        let request = self.request.unwrap_or_default();
        let n_headers = request.headers.as_ref().map_or(0, Vec::len);
        if n_headers > max_headers {
            return Err(format!(
                "request has {n_headers} headers, more than the limit of {max_headers} (raise --max-headers)"
            ));
        }
        let started = self.started.as_deref().and_then(parse_time);
        let mut meta = self.meta;
        let mut error = None;
        let response = match self.response {
            Some(r) if r.headers.len() > max_headers => {
                return Err(format!(
                    "response has {} headers, more than the limit of {max_headers} (raise --max-headers)",
                    r.headers.len()
                ));
            }
            Some(r) => {
                error = r.error.and_then(error_text);
                if let Some(ts) = r.transfer_size {
                    meta.push(Meta {
                        key: Cow::Borrowed("_transferSize"),
                        value: MetaValue::Json(ts),
                    });
                }
                r.into_response()
            }
            None => None,
        };
        let mut timings = self.timings.map(HarTimings::into_model).unwrap_or_default();
        timings.total = timings.total.or(self.time.filter(|t| *t >= 0.0));
        Ok(Exchange {
            index,
            started,
            request: request.into_request(),
            response,
            timings,
            server_ip: self.server_ip.filter(|s| !s.is_empty()),
            error,
            meta,
        })
    }
}

/// `_error` as text: a string as is (`net::ERR_…`), an object as
/// `code: message` (capture-har writes `{code, message}`).
fn error_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    if let Ok(s) = serde_json::from_str::<Cow<'_, str>>(raw.get()) {
        return Some(s).filter(|s| !s.is_empty());
    }
    let v: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    match (field("code"), field("message")) {
        (Some(c), Some(m)) => Some(Cow::Owned(format!("{c}: {m}"))),
        (Some(x), None) | (None, Some(x)) => Some(Cow::Owned(x)),
        (None, None) if v.is_null() => None,
        (None, None) => Some(Cow::Owned(v.to_string())),
    }
}

/// RFC 3339 with the exporter's offset; a missing offset is read as UTC
/// and flagged.
pub fn parse_time(s: &str) -> Option<Started> {
    let s = s.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(s) {
        return Some(Started {
            time,
            zone_known: true,
            // `Z` names UTC as such, not the user's zone.
            offset_recorded: !s.ends_with(['Z', 'z']),
        });
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(Started {
        time: naive.and_utc().fixed_offset(),
        zone_known: false,
        offset_recorded: false,
    })
}

#[derive(Deserialize)]
struct HarCreator<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    version: Lenient<'a>,
    #[serde(borrow, default)]
    comment: Lenient<'a>,
}

impl From<HarCreator<'_>> for Creator {
    fn from(c: HarCreator<'_>) -> Creator {
        Creator {
            name: c.name.owned().unwrap_or_default(),
            version: c.version.owned().unwrap_or_default(),
            comment: c.comment.owned().filter(|s| !s.is_empty()),
        }
    }
}

#[derive(Deserialize)]
struct HarHeader<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    value: Lenient<'a>,
}

impl<'a> HarHeader<'a> {
    fn into_header(self) -> Header<'a> {
        Header {
            name: self.name.0.unwrap_or_default(),
            value: self.value.0.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarCookie<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    value: Lenient<'a>,
    #[serde(borrow, default)]
    path: Lenient<'a>,
    #[serde(borrow, default)]
    domain: Lenient<'a>,
    #[serde(borrow, default)]
    expires: Lenient<'a>,
    #[serde(default)]
    http_only: Flag,
    #[serde(default)]
    secure: Flag,
    #[serde(borrow, default)]
    same_site: Lenient<'a>,
}

#[derive(Deserialize)]
struct HarParam<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    value: Lenient<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarPostData<'a> {
    #[serde(borrow, default)]
    mime_type: Lenient<'a>,
    #[serde(borrow, default)]
    text: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    params: Vec<HarParam<'a>>,
    #[serde(borrow, default)]
    encoding: Lenient<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct HarRequest<'a> {
    #[serde(borrow, default)]
    method: Lenient<'a>,
    #[serde(borrow, default)]
    url: Lenient<'a>,
    #[serde(borrow, default)]
    http_version: Lenient<'a>,
    /// `None` when missing or `null` (noted).
    #[serde(borrow, default)]
    headers: Option<Vec<HarHeader<'a>>>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    cookies: Vec<HarCookie<'a>>,
    #[serde(borrow, default)]
    post_data: Option<HarPostData<'a>>,
}

impl<'a> HarRequest<'a> {
    fn into_request(self) -> Request<'a> {
        let headers: Vec<Header<'a>> = self
            .headers
            .unwrap_or_default()
            .into_iter()
            .map(HarHeader::into_header)
            .collect();
        let url = self.url.0.unwrap_or_default();
        let method = self.method.0.unwrap_or(Cow::Borrowed("GET"));
        let mut cookies: Vec<Cookie<'a>> = Vec::new();
        for h in headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
        {
            match &h.value {
                &Cow::Borrowed(v) => cookies.extend(parse_cookie_header(v)),
                Cow::Owned(v) => {
                    cookies.extend(parse_cookie_header(v).into_iter().map(Cookie::into_owned))
                }
            }
        }
        if cookies.is_empty() {
            cookies = self
                .cookies
                .into_iter()
                .map(|c| Cookie {
                    name: c.name.0.unwrap_or_default(),
                    value: Secret::new(c.value.0.unwrap_or_default()),
                })
                .collect();
        }
        let parsed_url = if url.len() <= MAX_PARSED_URL {
            Url::parse(&url).ok()
        } else {
            None
        };
        let content_encoding = headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-encoding"))
            .map(|h| Coding::list(&h.value))
            .unwrap_or_default();
        let (body, form_params) = match self.post_data {
            Some(pd) => {
                let params = pd
                    .params
                    .into_iter()
                    .map(|p| (p.name.0.unwrap_or_default(), p.value.0.unwrap_or_default()))
                    .collect::<Vec<_>>();
                let body = pd.text.map(|text| Body {
                    data: BodyData::Json(text),
                    base64: pd.encoding.0.as_deref() == Some("base64"),
                    mime_type: pd.mime_type.0,
                    codings: content_encoding,
                    codings_state: Codings::Decoded,
                    declared_size: None,
                });
                (body, params)
            }
            None => (None, Vec::new()),
        };
        Request {
            method,
            url,
            parsed_url,
            http_version: self.http_version.0.unwrap_or_default(),
            headers,
            cookies,
            body,
            form_params,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarContent<'a> {
    #[serde(default)]
    size: Number,
    #[serde(borrow, default)]
    mime_type: Lenient<'a>,
    #[serde(borrow, default)]
    text: Option<&'a RawValue>,
    #[serde(borrow, default)]
    encoding: Lenient<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarResponse<'a> {
    #[serde(default)]
    status: Number,
    #[serde(borrow, default)]
    status_text: Lenient<'a>,
    #[serde(borrow, default)]
    http_version: Lenient<'a>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    headers: Vec<HarHeader<'a>>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    cookies: Vec<HarCookie<'a>>,
    #[serde(borrow, default)]
    content: Option<HarContent<'a>>,
    #[serde(borrow, default, rename = "redirectURL")]
    redirect_url: Lenient<'a>,
    #[serde(borrow, default, rename = "_error")]
    error: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "_transferSize")]
    transfer_size: Option<&'a RawValue>,
}

impl<'a> HarResponse<'a> {
    /// `None` for k6-style entries that carry an empty `response: {}`.
    fn into_response(self) -> Option<Response<'a>> {
        let status = self.status.0.map_or(0, |s| s.clamp(0.0, 999.0) as u16);
        if self.status.0.is_none() && self.headers.is_empty() && self.content.is_none() {
            return None;
        }
        let headers: Vec<Header<'a>> = self
            .headers
            .into_iter()
            .map(HarHeader::into_header)
            .collect();
        let mut set_cookies: Vec<SetCookie<'a>> = Vec::new();
        for h in headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
        {
            match &h.value {
                &Cow::Borrowed(v) => set_cookies.extend(parse_set_cookie_header(v)),
                Cow::Owned(v) => {
                    set_cookies.extend(parse_set_cookie_header(v).map(SetCookie::into_owned))
                }
            }
        }
        if set_cookies.is_empty() {
            set_cookies = self.cookies.into_iter().map(har_set_cookie).collect();
        }
        let codings = headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-encoding"))
            .map(|h| Coding::list(&h.value))
            .unwrap_or_default();
        let body = self.content.and_then(|c| {
            let text = c.text?;
            Some(Body {
                data: BodyData::Json(text),
                base64: c.encoding.0.as_deref() == Some("base64"),
                mime_type: c.mime_type.0.filter(|m| !m.is_empty()),
                codings,
                codings_state: Codings::Decoded,
                declared_size: c.size.0.filter(|s| *s >= 0.0).map(|s| s as u64),
            })
        });
        Some(Response {
            status,
            status_text: self.status_text.0.unwrap_or_default(),
            http_version: self.http_version.0.unwrap_or_default(),
            headers,
            set_cookies,
            body,
            redirect_url: self.redirect_url.0.filter(|u| !u.is_empty()),
        })
    }
}

fn har_set_cookie(c: HarCookie<'_>) -> SetCookie<'_> {
    SetCookie {
        name: c.name.0.unwrap_or_default(),
        value: Secret::new(c.value.0.unwrap_or_default()),
        domain: c.domain.0,
        path: c.path.0,
        expires: c.expires.0,
        max_age: None,
        secure: c.secure.0,
        http_only: c.http_only.0,
        same_site: c.same_site.0.as_deref().map(SameSite::parse),
        partitioned: false,
    }
}

#[derive(Deserialize, Default)]
struct HarTimings {
    #[serde(default)]
    blocked: Number,
    #[serde(default)]
    dns: Number,
    #[serde(default)]
    connect: Number,
    #[serde(default)]
    ssl: Number,
    #[serde(default)]
    send: Number,
    #[serde(default)]
    wait: Number,
    #[serde(default)]
    receive: Number,
}

impl HarTimings {
    fn into_model(self) -> Timings {
        let ms = |n: Number| n.0.filter(|v| *v >= 0.0);
        Timings {
            total: None,
            blocked: ms(self.blocked),
            dns: ms(self.dns),
            connect: ms(self.connect),
            ssl: ms(self.ssl),
            send: ms(self.send),
            wait: ms(self.wait),
            receive: ms(self.receive),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{Headers, Limits};

    fn load(json: &str) -> Result<Capture<'_>, CaptureError> {
        parse(json.as_bytes(), "t.har", &LoadOptions::default())
    }

    const ENTRY: &str = r#"{"startedDateTime":"2026-11-20T10:04:11.123+01:00","time":12.5,
        "request":{"method":"GET","url":"https://app.contoso.com/a?x=1","httpVersion":"HTTP/1.1",
          "headers":[{"name":"Cookie","value":"sid=abc; a+b=1"}],"cookies":[],"queryString":[],"headersSize":-1,"bodySize":-1},
        "response":{"status":302,"statusText":"Found","httpVersion":"HTTP/1.1",
          "headers":[{"name":"Location","value":"https://login.example/authorize"},
                     {"name":"Set-Cookie","value":"n=1; Secure; SameSite=None"}],
          "cookies":[],"content":{"size":5,"mimeType":"text/html","text":"<b>\"x\"</b>"},
          "redirectURL":"","headersSize":-1,"bodySize":-1},
        "cache":{},"timings":{"send":1,"wait":10,"receive":-1},"_resourceType":"document"}"#;

    #[test]
    fn loads_a_chrome_style_entry() {
        let json = format!(
            r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[{ENTRY}]}}}}"#
        );
        let c = load(&json).unwrap();
        assert_eq!(c.exchanges.len(), 1);
        let e = &c.exchanges[0];
        assert_eq!(e.index, 1);
        let started = e.started.unwrap();
        assert_eq!(started.time.offset().local_minus_utc(), 3600);
        assert_eq!(e.request.cookies.len(), 2);
        assert!(matches!(e.request.cookies[0].name, Cow::Borrowed("sid")));
        let r = e.response.as_ref().unwrap();
        assert_eq!(r.location(), Some("https://login.example/authorize"));
        assert_eq!(r.set_cookies[0].same_site, Some(SameSite::None));
        let body = r.body.as_ref().unwrap();
        assert_eq!(body.text(&Limits::default()).unwrap(), "<b>\"x\"</b>");
        assert_eq!(e.timings.total, Some(12.5));
        assert_eq!(e.timings.receive, None);
        assert_eq!(e.meta_text("_resourceType").as_deref(), Some("document"));
        assert_eq!(c.creator.to_string(), "WebInspector 537.36");
        assert_eq!(
            r.header("LOCATION"),
            Some("https://login.example/authorize")
        );
    }

    #[test]
    fn borrows_unescaped_strings() {
        let json = format!(r#"{{"log":{{"entries":[{ENTRY}]}}}}"#);
        let c = load(&json).unwrap();
        assert!(matches!(c.exchanges[0].request.url, Cow::Borrowed(_)));
    }

    #[test]
    fn accepts_numeric_versions_and_missing_parts() {
        let c = load(
            r#"{"log":{"version":1.2,"creator":{"name":"","version":2},"entries":[
            {"request":{"method":"GET","url":"https://x/"}, "response":{}}]}}"#,
        )
        .unwrap();
        assert_eq!(c.version.as_deref(), Some("1.2"));
        assert_eq!(c.creator.version, "2");
        assert!(c.exchanges[0].response.is_none());
        assert!(c.exchanges[0].started.is_none());
    }

    #[test]
    fn reads_a_date_without_offset_as_utc_and_says_so() {
        let c = load(
            r#"{"log":{"entries":[{"startedDateTime":"2015-02-10T07:33:17.146",
            "request":{"method":"GET","url":"https://x/"}}]}}"#,
        )
        .unwrap();
        assert!(!c.exchanges[0].started.unwrap().zone_known);
        assert!(c.notes.contains(&LoadNote::TimeZoneUnknown { entry: 1 }));
    }

    #[test]
    fn recovers_entries_before_a_truncation() {
        let json = format!(r#"{{"log":{{"entries":[{ENTRY},{ENTRY},{{"request":{{"method":"GE"#);
        let c = load(&json).unwrap();
        assert_eq!(c.exchanges.len(), 2);
        assert!(c.is_truncated());
    }

    #[test]
    fn truncated_before_any_entry_is_an_error() {
        assert!(matches!(
            load(r#"{"log":{"creator":{"name":"x"#),
            Err(CaptureError::TruncatedHar { .. })
        ));
    }

    #[test]
    fn reports_invalid_json_with_line_and_column() {
        let err = load("{\n \"log\": {\n  \"version\": \"1.1\"\n  xxx\n }\n}").unwrap_err();
        assert!(
            matches!(
                err,
                CaptureError::InvalidJson {
                    line: 4,
                    column: 3,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn refuses_json_that_is_not_a_har() {
        assert!(matches!(load(r#"{"foo":1}"#), Err(CaptureError::NotHar(_))));
        assert!(matches!(
            load(r#"{"log":{"version":"1.1"}}"#),
            Err(CaptureError::NotHar(_))
        ));
        assert!(matches!(
            load(r#"{"log":[1,2]}"#),
            Err(CaptureError::NotHar(_))
        ));
    }

    #[test]
    fn loads_entries_with_missing_or_null_fields_and_says_so() {
        let c = load(
            r#"{"log":{"entries":[{"response":{}},
            {"request":{"method":null,"headers":null,"cookies":null},"response":{"status":200,"headers":null,"cookies":null}},
            {"request":{"method":"GET","url":"https://x/","headers":[]}}]}}"#,
        )
        .unwrap();
        assert_eq!(c.exchanges.len(), 3);
        let note = c.notes.iter().map(ToString::to_string).collect::<String>();
        assert!(note.contains("2 entries"), "{note}");
        assert!(
            note.contains("#1 request") && note.contains("#2 url / method / headers"),
            "{note}"
        );
    }

    #[test]
    fn unwraps_har_viewer_jsonp() {
        let text = b"onInputData({\"log\":{\"entries\":[]}});\n";
        let r = unwrap_jsonp(text).unwrap();
        assert_eq!(&text[r], b"{\"log\":{\"entries\":[]}}");
        assert!(unwrap_jsonp(b"{\"log\":{}}").is_none());
        assert!(unwrap_jsonp(b"f(1);").is_none());
    }

    #[test]
    fn repairs_lone_surrogates_and_overflowing_numbers_in_place() {
        let mut b = br#"{"a":"x\ud800y","b":"\ud83d\ude00","c":"\\ud800","n":1e999,"m":[2E+400],"s":"t 1e999,"}"#.to_vec();
        let len = b.len();
        let r = repair(&mut b);
        assert_eq!(b.len(), len);
        assert_eq!(
            r,
            Repairs {
                surrogates: 1,
                numbers: 2
            }
        );
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "\u{1f600}");
        assert_eq!(v["c"], "\\ud800");
        assert!(v["n"].is_null());
        assert!(r.note().is_some());
    }

    #[test]
    fn bounds_header_counts() {
        let headers = vec![r#"{"name":"a","value":"b"}"#; 20].join(",");
        let json = format!(
            r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"https://x/","headers":[{headers}]}}}}]}}}}"#
        );
        let options = LoadOptions {
            limits: Limits {
                max_headers: 10,
                ..Limits::default()
            },
            ..LoadOptions::default()
        };
        let err = parse(json.as_bytes(), "t", &options).unwrap_err();
        assert!(err.to_string().contains("--max-headers"), "{err}");
    }

    #[test]
    fn uses_har_cookie_arrays_when_headers_are_stripped() {
        let c = load(r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://x/",
            "cookies":[{"name":"sid","value":"v"}]},
            "response":{"status":200,"headers":[],"cookies":[{"name":"k","value":"1","secure":true,"sameSite":"Lax"}]}}]}}"#)
        .unwrap();
        let e = &c.exchanges[0];
        assert_eq!(e.request.cookies[0].name, "sid");
        let sc = &e.response.as_ref().unwrap().set_cookies[0];
        assert!(sc.secure);
        assert_eq!(sc.same_site, Some(SameSite::Lax));
    }
}
