//! The capture model both loaders produce: a [`Capture`] of [`Exchange`]s.
//!
//! Invariants:
//! - Exchanges are in capture order; `Exchange::index` is the number users
//!   see (`#7`): 1-based HAR position, or the Fiddler session number in a SAZ.
//! - Strings and bodies borrow from the loader's input buffer where they can
//!   (`Cow::Borrowed`, `&RawValue`): a 500 MB capture is not copied.
//! - Bodies are kept as recorded and decoded only when asked
//!   ([`Body::decoded`]), so a capture full of images costs little more than
//!   its parse.
//! - Start times keep the offset the exporter wrote (the user's time zone).

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde_json::value::RawValue;
use url::Url;

use crate::secret::Secret;

/// The container a capture came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// HTTP Archive (JSON), any exporter.
    Har,
    /// Fiddler session archive (zip of raw HTTP).
    Saz,
}

impl Format {
    /// The word used in outputs (`capture.format`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Har => "har",
            Format::Saz => "saz",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who wrote the capture (HAR `log.creator` / `log.browser`, Fiddler's version).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Creator {
    pub name: String,
    pub version: String,
    pub comment: Option<String>,
}

impl fmt::Display for Creator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name.is_empty(), self.version.is_empty()) {
            (true, _) => f.write_str("unknown exporter"),
            (false, true) => f.write_str(&self.name),
            (false, false) => write!(f, "{} {}", self.name, self.version),
        }
    }
}

/// Something the loader noticed about the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadNote {
    /// The file ends mid-way; `recovered` exchanges before the cut were kept.
    Truncated { recovered: usize, detail: String },
    /// SAZ WebSocket message logs (`NN_w.txt`) present for these sessions.
    WebSocketSessions(Vec<u32>),
    /// A SAZ session had a request but no response file.
    MissingResponse(u32),
    /// A start time had no UTC offset; it was read as UTC.
    TimeZoneUnknown { entry: u32 },
    /// Anything else worth telling the user, in one line.
    Other(String),
}

impl fmt::Display for LoadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadNote::Truncated { recovered, detail } => write!(
                f,
                "capture is truncated ({detail}); {recovered} entries before the cut were recovered"
            ),
            LoadNote::WebSocketSessions(s) => {
                write!(f, "{} WebSocket session(s) with message logs", s.len())
            }
            LoadNote::MissingResponse(n) => write!(f, "session {n} has no response recorded"),
            LoadNote::TimeZoneUnknown { entry } => {
                write!(
                    f,
                    "entry {entry} has a start time without UTC offset; read as UTC"
                )
            }
            LoadNote::Other(s) => f.write_str(s),
        }
    }
}

/// A whole capture.
#[derive(Debug)]
pub struct Capture<'a> {
    /// The path as the user gave it (for messages and outputs).
    pub path: String,
    pub format: Format,
    /// HAR `log.creator` or Fiddler's version.
    pub creator: Creator,
    /// HAR `log.browser`, when the exporter wrote one.
    pub browser: Option<Creator>,
    /// HAR `log.version` as written (`"1.2"`), when present.
    pub version: Option<String>,
    pub exchanges: Vec<Exchange<'a>>,
    pub notes: Vec<LoadNote>,
}

impl<'a> Capture<'a> {
    /// The exchange users call `#index`.
    ///
    /// O(1) when entries are numbered by position (HAR), O(log n) when they
    /// are in ascending order with gaps (SAZ session numbers); a linear scan
    /// only for a capture whose numbers are out of order.
    pub fn entry(&self, index: u32) -> Option<&Exchange<'a>> {
        let at = usize::try_from(index).ok()?.checked_sub(1);
        if let Some(e) = at.and_then(|i| self.exchanges.get(i))
            && e.index == index
        {
            return Some(e);
        }
        match self.exchanges.binary_search_by_key(&index, |e| e.index) {
            Ok(i) => self.exchanges.get(i),
            Err(_) if self.exchanges.is_sorted_by_key(|e| e.index) => None,
            Err(_) => self.exchanges.iter().find(|e| e.index == index),
        }
    }

    /// Whether the loader recovered this capture from a truncated file.
    pub fn is_truncated(&self) -> bool {
        self.notes
            .iter()
            .any(|n| matches!(n, LoadNote::Truncated { .. }))
    }
}

/// When an exchange started, with the offset the exporter wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Started {
    pub time: DateTime<FixedOffset>,
    /// False when the exporter wrote no offset and UTC was assumed.
    pub zone_known: bool,
    /// True when the exporter wrote a numeric offset (`+02:00`, `-07:00`,
    /// `+00:00`) rather than `Z` or nothing: the clock of the machine that
    /// recorded it. `Z` only says the exporter writes UTC (Chrome, Edge,
    /// Playwright do, whatever the user's zone).
    pub offset_recorded: bool,
}

/// One request / response pair.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// 1-based number shown to users (`#7`); the session number in a SAZ.
    pub index: u32,
    pub started: Option<Started>,
    pub request: Request<'a>,
    /// `None` when no response was recorded at all.
    pub response: Option<Response<'a>>,
    pub timings: Timings,
    pub server_ip: Option<Cow<'a, str>>,
    /// A transport-level failure the exporter recorded (`_error`,
    /// Fiddler's aborted session), e.g. `net::ERR_INTERNET_DISCONNECTED`.
    pub error: Option<Cow<'a, str>>,
    /// Exporter-specific fields kept as written: HAR `_resourceType`,
    /// `_initiator`, `pageref`, `comment`…; SAZ session flags.
    pub meta: Vec<Meta<'a>>,
}

impl Exchange<'_> {
    /// An HTTPS tunnel the proxy did not decrypt.
    pub fn is_tunnel(&self) -> bool {
        self.request.method.eq_ignore_ascii_case("CONNECT")
    }

    /// The HTTP status, 0 when there was no response.
    pub fn status(&self) -> u16 {
        self.response.as_ref().map_or(0, |r| r.status)
    }

    /// A metadata value by key, as text.
    pub fn meta_text(&self, key: &str) -> Option<Cow<'_, str>> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.text())
    }
}

/// One exporter-specific field.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    pub key: Cow<'a, str>,
    pub value: MetaValue<'a>,
}

/// An exporter-specific value: JSON as written (HAR) or text (SAZ flags).
#[derive(Debug, Clone)]
pub enum MetaValue<'a> {
    Json(&'a RawValue),
    Text(Cow<'a, str>),
}

impl MetaValue<'_> {
    /// The value as text: a JSON string unquoted, other JSON as written.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            MetaValue::Text(t) => Cow::Borrowed(t.as_ref()),
            MetaValue::Json(raw) => match serde_json::from_str::<Cow<'_, str>>(raw.get()) {
                Ok(s) => s,
                Err(_) => Cow::Borrowed(raw.get()),
            },
        }
    }
}

/// Phase timings in milliseconds; `None` where the exporter wrote -1 or nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    pub total: Option<f64>,
    pub blocked: Option<f64>,
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub ssl: Option<f64>,
    pub send: Option<f64>,
    pub wait: Option<f64>,
    pub receive: Option<f64>,
}

/// A header as recorded, in order; names keep their case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
}

/// Case-insensitive header look-ups shared by requests and responses.
pub trait Headers {
    fn header_list(&self) -> &[Header<'_>];

    /// The first header with this name (ASCII case-insensitive).
    fn header(&self, name: &str) -> Option<&str> {
        self.header_list()
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_ref())
    }

    /// Every header with this name, in order.
    fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.header_list()
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_ref())
    }
}

/// A `name=value` pair from a request's `Cookie` header (or HAR `cookies[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie<'a> {
    pub name: Cow<'a, str>,
    pub value: Secret<Cow<'a, str>>,
}

/// The `SameSite` attribute of a `Set-Cookie` (open: unknown values kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    None,
    Other(String),
}

impl SameSite {
    pub fn parse(value: &str) -> SameSite {
        let v = value.trim();
        if v.eq_ignore_ascii_case("strict") {
            SameSite::Strict
        } else if v.eq_ignore_ascii_case("lax") {
            SameSite::Lax
        } else if v.eq_ignore_ascii_case("none") {
            SameSite::None
        } else {
            SameSite::Other(v.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
            SameSite::Other(s) => s,
        }
    }
}

/// A cookie a response set, with its attributes (RFC 6265 §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie<'a> {
    pub name: Cow<'a, str>,
    pub value: Secret<Cow<'a, str>>,
    pub domain: Option<Cow<'a, str>>,
    pub path: Option<Cow<'a, str>>,
    pub expires: Option<Cow<'a, str>>,
    pub max_age: Option<i64>,
    pub secure: bool,
    pub http_only: bool,
    /// `None` when the attribute is absent (Chrome then treats it as Lax).
    pub same_site: Option<SameSite>,
    pub partitioned: bool,
}

impl SetCookie<'_> {
    /// The same cookie owning its strings (for values parsed from an owned
    /// header that does not live as long as the capture's input).
    pub fn into_owned<'b>(self) -> SetCookie<'b> {
        let own = |s: Option<Cow<'_, str>>| s.map(|s| Cow::Owned(s.into_owned()));
        SetCookie {
            name: Cow::Owned(self.name.into_owned()),
            value: Secret::new(Cow::Owned(self.value.into_inner().into_owned())),
            domain: own(self.domain),
            path: own(self.path),
            expires: own(self.expires),
            max_age: self.max_age,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            partitioned: self.partitioned,
        }
    }
}

impl Cookie<'_> {
    /// The same pair owning its strings.
    pub fn into_owned<'b>(self) -> Cookie<'b> {
        Cookie {
            name: Cow::Owned(self.name.into_owned()),
            value: Secret::new(Cow::Owned(self.value.into_inner().into_owned())),
        }
    }
}

/// A request as the browser sent it.
#[derive(Debug)]
pub struct Request<'a> {
    pub method: Cow<'a, str>,
    /// The URL as recorded.
    pub url: Cow<'a, str>,
    /// The URL parsed; `None` when it does not parse (kept, not fatal).
    pub parsed_url: Option<Url>,
    pub http_version: Cow<'a, str>,
    pub headers: Vec<Header<'a>>,
    pub cookies: Vec<Cookie<'a>>,
    pub body: Option<Body<'a>>,
    /// HAR `postData.params` when the exporter gave parameters, not text.
    pub form_params: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl Headers for Request<'_> {
    fn header_list(&self) -> &[Header<'_>] {
        &self.headers
    }
}

impl Request<'_> {
    /// Host of the request URL (or the `Host` header), lower-cased by `url`.
    pub fn host(&self) -> Option<&str> {
        self.parsed_url
            .as_ref()
            .and_then(|u| u.host_str())
            .or_else(|| self.header("host"))
    }
}

/// A response as the server sent it.
#[derive(Debug)]
pub struct Response<'a> {
    /// 0 when the exporter recorded a failed request with no status.
    pub status: u16,
    pub status_text: Cow<'a, str>,
    pub http_version: Cow<'a, str>,
    pub headers: Vec<Header<'a>>,
    pub set_cookies: Vec<SetCookie<'a>>,
    pub body: Option<Body<'a>>,
    /// HAR `redirectURL` when non-empty.
    pub redirect_url: Option<Cow<'a, str>>,
}

impl Headers for Response<'_> {
    fn header_list(&self) -> &[Header<'_>] {
        &self.headers
    }
}

impl Response<'_> {
    /// Where a redirect sends the browser: `Location`, else HAR `redirectURL`.
    pub fn location(&self) -> Option<&str> {
        self.header("location")
            .or(self.redirect_url.as_deref())
            .filter(|l| !l.is_empty())
    }

    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// How a body's bytes are held.
#[derive(Debug, Clone)]
pub enum BodyData<'a> {
    /// A HAR JSON string literal, quotes and escapes included; unescaped on demand.
    Json(&'a RawValue),
    /// Text already unescaped.
    Text(Cow<'a, str>),
    /// Raw bytes (SAZ), after transfer decoding (chunked) but before content codings.
    Bytes(Cow<'a, [u8]>),
    /// Not held in memory (SAZ): the body was counted, not kept, while the
    /// archive was read, because no decoder reads its type or because it is
    /// larger than [`crate::capture::Limits::max_body_bytes`]. `size` is
    /// its recorded length.
    NotKept { size: u64, too_large: bool },
}

/// A content coding (RFC 9110 §8.4.1), open for unknown values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coding {
    Gzip,
    Deflate,
    Brotli,
    Identity,
    Other(String),
}

impl Coding {
    pub fn parse(token: &str) -> Coding {
        let t = token.trim();
        if t.eq_ignore_ascii_case("gzip") || t.eq_ignore_ascii_case("x-gzip") {
            Coding::Gzip
        } else if t.eq_ignore_ascii_case("deflate") {
            Coding::Deflate
        } else if t.eq_ignore_ascii_case("br") {
            Coding::Brotli
        } else if t.eq_ignore_ascii_case("identity") || t.is_empty() {
            Coding::Identity
        } else {
            Coding::Other(t.to_owned())
        }
    }

    /// Codings from a `Content-Encoding` value, in the order they were applied.
    pub fn list(header: &str) -> Vec<Coding> {
        header
            .split(',')
            .map(Coding::parse)
            .filter(|c| *c != Coding::Identity)
            .collect()
    }
}

/// Whether the recorded bytes still carry their content codings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codings {
    /// Raw wire bytes (SAZ): apply the listed codings' inverses.
    Applied,
    /// Exporter already decoded (HAR), unless the bytes plainly are not.
    Decoded,
}

/// A request or response body, kept as recorded.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    pub data: BodyData<'a>,
    /// HAR `content.encoding: "base64"`.
    pub base64: bool,
    pub mime_type: Option<Cow<'a, str>>,
    /// From `Content-Encoding`, in the order applied.
    pub codings: Vec<Coding>,
    pub codings_state: Codings,
    /// Size the exporter declared (`content.size`), when known (not -1).
    pub declared_size: Option<u64>,
}

impl<'a> Body<'a> {
    /// Size in bytes as recorded (before decoding), cheap.
    pub fn recorded_len(&self) -> usize {
        match &self.data {
            BodyData::Json(raw) => raw.get().len().saturating_sub(2),
            BodyData::Text(t) => t.len(),
            BodyData::Bytes(b) => b.len(),
            BodyData::NotKept { size, .. } => usize::try_from(*size).unwrap_or(usize::MAX),
        }
    }

    /// Whether the body holds nothing at all.
    pub fn is_empty(&self) -> bool {
        match &self.data {
            BodyData::Json(raw) => raw.get() == "\"\"",
            BodyData::Text(t) => t.is_empty(),
            BodyData::Bytes(b) => b.is_empty(),
            BodyData::NotKept { size, .. } => *size == 0,
        }
    }

    /// Whether the bytes were counted but not kept in memory.
    pub fn is_kept(&self) -> bool {
        !matches!(self.data, BodyData::NotKept { .. })
    }

    /// Whether the recorded bytes (before any decoding) contain `needle`;
    /// `None` when they are base64 or still content-coded, so only decoding
    /// can tell. A cheap filter before [`Body::text`].
    pub fn raw_contains(&self, needle: &[u8]) -> Option<bool> {
        let coded =
            self.base64 || (self.codings_state == Codings::Applied && !self.codings.is_empty());
        if coded {
            return None;
        }
        let raw: &[u8] = match &self.data {
            BodyData::Json(raw) => raw.get().as_bytes(),
            BodyData::Text(t) => t.as_bytes(),
            BodyData::Bytes(b) => b,
            // Nothing to search, and nothing decoding could find.
            BodyData::NotKept { .. } => return Some(false),
        };
        Some(memchr::memmem::find(raw, needle).is_some())
    }

    /// The MIME type without parameters, lower-case (`text/html`).
    pub fn essence(&self) -> Option<String> {
        self.mime_type.as_deref().map(mime_essence)
    }
}

/// `text/html; charset=utf-8` → `text/html`.
pub fn mime_essence(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
