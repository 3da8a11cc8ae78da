//! Fiddler SAZ archives: a zip holding, for each session `NN`,
//! `raw/NN_c.txt` (the request as sent), `raw/NN_s.txt` (the response),
//! `raw/NN_m.xml` (timers and session flags) and, for WebSocket sessions,
//! `raw/NN_w.txt` (the messages). `NN` may be zero-padded (`01_c.txt`).
//!
//! Two steps, as for every format ([`super::Input`]): [`Archive::extract`]
//! (from bytes) or [`Archive::extract_from`] (from an open file, which is
//! then not held in memory) decompresses the members the model needs, one
//! at a time, and owns what it keeps of them; [`Archive::parse`] builds a
//! [`Capture`] that borrows from them.
//!
//! Invariants:
//! - Bounded (`read.rs`): every decompressed byte counts against
//!   [`Limits::max_decompressed_bytes`] and every kept byte against
//!   [`Limits::max_retained_bytes`]; declared sizes are only a capacity
//!   hint. A zip bomb ends with [`CaptureError::TooLarge`], a failed
//!   allocation with [`CaptureError::OutOfMemory`], never with a verdict.
//!   At most [`MAX_MEMBERS`] members.
//! - A response body no decoder reads (images, fonts, media:
//!   `read::is_binary_media`), or any body over
//!   [`Limits::max_body_bytes`], is counted, not kept: the exchange keeps
//!   its size and type ([`BodyData::NotKept`]).
//! - Only `raw/NN_c.txt`, `raw/NN_s.txt` and `raw/NN_m.xml` are
//!   decompressed; `_w.txt` is only noted, other members are never read.
//! - One bad session never fails the capture: a member that cannot be read
//!   or parsed leaves its exchange with `response: None` and `error` set.
//!   Whole-archive failures are: not a zip, no sessions, a password problem,
//!   the decompression or retained limit, an allocation failure.
//! - Exchanges are in session-number order and `Exchange::index` is
//!   Fiddler's session number.
//! - Metadata XML is read without DTD processing: entities are never
//!   expanded, whatever a `<!DOCTYPE>` declares.
//! - A zip whose central directory is missing (a truncated download) is
//!   read from its local headers; what was recovered is kept and a
//!   [`LoadNote::Truncated`] says so.

mod buffered;
mod exchange;
mod meta;
mod read;

use exchange::*;
use meta::*;
use read::*;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read, Seek, SeekFrom};

use chrono::Datelike;
use quick_xml::events::{BytesStart, Event};
use url::Url;
use zip::result::ZipError;
use zip::{ZipArchive, ZipReadOptions};

use super::cookies::{parse_cookie_header, parse_set_cookie};
use super::har::parse_time;
use super::model::{
    Body, BodyData, Capture, Coding, Codings, Cookie, Creator, Exchange, Format, Header, LoadNote,
    Meta, MetaValue, Request, Response, SetCookie, Started, Timings,
};
use super::raw_http::{self, ParsedRequest, ParsedResponse, TargetForm};
use super::{CaptureError, Limits, LoadOptions};

/// More members than any real capture holds (Fiddler writes four per
/// session); a central directory claiming more is refused.
pub const MAX_MEMBERS: usize = 200_000;

/// The most one member's declared size may preallocate. Reading into a
/// buffer of the right size avoids a dozen reallocations per member, which
/// cost time and, as freed holes between kept members, resident memory.
pub const MAX_PREALLOCATION: u64 = 64 << 20;

/// URLs longer than this are kept as text, not parsed (as for HAR).
const MAX_PARSED_URL: usize = 64 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A SAZ archive with the members the model needs extracted.
pub struct Archive {
    creator: Creator,
    sessions: BTreeMap<u32, Session>,
    notes: Vec<LoadNote>,
    /// Members ignored because their session already had one in that role,
    /// and the first such session.
    duplicates: (usize, Option<u32>),
}

impl fmt::Debug for Archive {
    /// A summary: the members can be hundreds of megabytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes: usize = self.sessions.values().map(Session::len).sum();
        f.debug_struct("Archive")
            .field("creator", &self.creator)
            .field("sessions", &self.sessions.len())
            .field("bytes", &bytes)
            .field("notes", &self.notes)
            .finish()
    }
}

/// The files of one session.
#[derive(Default)]
struct Session {
    request: Option<Member>,
    response: Option<Member>,
    metadata: Option<Member>,
    websocket: bool,
}

impl Session {
    fn len(&self) -> usize {
        [&self.request, &self.response, &self.metadata]
            .into_iter()
            .flatten()
            .map(Member::kept_len)
            .sum()
    }

    fn slot(&mut self, kind: Kind) -> Option<&mut Option<Member>> {
        match kind {
            Kind::Request => Some(&mut self.request),
            Kind::Response => Some(&mut self.response),
            Kind::Metadata => Some(&mut self.metadata),
            Kind::WebSocket => None,
        }
    }
}

/// What a `raw/` member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
    Metadata,
    WebSocket,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Request => "c.txt",
            Kind::Response => "s.txt",
            Kind::Metadata => "m.xml",
            Kind::WebSocket => "w.txt",
        }
    }
}

/// `raw/NN_c.txt` → `(NN, Request)`. Case-insensitive; a `\` separator
/// (written by some Windows tools) is accepted.
fn classify(name: &str) -> Option<(u32, Kind)> {
    let lower = name.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("raw/")
        .or_else(|| lower.strip_prefix("raw\\"))?;
    let (number, suffix) = rest.split_once('_')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = number.parse().ok()?;
    let kind = [
        Kind::Request,
        Kind::Response,
        Kind::Metadata,
        Kind::WebSocket,
    ]
    .into_iter()
    .find(|k| k.suffix() == suffix)?;
    Some((number, kind))
}

impl Archive {
    /// Opens the zip and decompresses the session members, within
    /// `options.limits` and with `options.password` for encrypted members.
    pub fn extract(bytes: &[u8], options: &LoadOptions) -> Result<Archive, CaptureError> {
        match ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => Self::from_central_directory(zip, options),
            Err(e) => Self::from_local_headers(bytes, options, e),
        }
    }

    /// [`Archive::extract`] from a reader (an open file, unbuffered: it is
    /// buffered here), which is read member by member: the compressed
    /// archive is not held in memory. Only
    /// a zip without a readable central directory is read whole (at most
    /// `limits.max_capture_bytes`) to walk its local headers.
    pub fn extract_from<R: Read + Seek>(
        reader: R,
        options: &LoadOptions,
    ) -> Result<Archive, CaptureError> {
        let mut reader = buffered::SeekBuf::new(reader)
            .map_err(|e| CaptureError::Other(format!("cannot read the archive: {e}")))?;
        let cause = match ZipArchive::new(&mut reader) {
            Ok(zip) => return Self::from_central_directory(zip, options),
            Err(e) => e,
        };
        let bytes = read_whole(&mut reader, options.limits.max_capture_bytes)?;
        Self::from_local_headers(&bytes, options, cause)
    }

    fn from_central_directory<R: Read + Seek>(
        mut zip: ZipArchive<R>,
        options: &LoadOptions,
    ) -> Result<Archive, CaptureError> {
        if zip.len() > MAX_MEMBERS {
            return Err(CaptureError::Other(format!(
                "the SAZ archive has {} members, more than the {MAX_MEMBERS} this tool reads",
                zip.len()
            )));
        }
        let creator = creator_from_comment(&String::from_utf8_lossy(zip.comment()));
        let wanted: Vec<(usize, u32, Kind, String)> = (0..zip.len())
            .filter_map(|i| {
                let name = zip.name_for_index(i)?.ok()?;
                classify(&name).map(|(n, kind)| (i, n, kind, name.into_owned()))
            })
            .collect();
        if !wanted.iter().any(|w| w.2 == Kind::Request) {
            return Err(no_sessions());
        }
        let mut extraction = Extraction::new(options, false);
        let mut archive = Archive {
            creator,
            sessions: BTreeMap::new(),
            notes: Vec::new(),
            duplicates: (0, None),
        };
        for (i, number, kind, name) in wanted {
            let Some(slot) = archive.slot(number, kind) else {
                continue;
            };
            let member = match zip.by_index_with_options(i, extraction.read_options()) {
                Ok(file) => {
                    let (encrypted, declared) = (file.encrypted(), file.size());
                    extraction.read(file, &name, kind, encrypted, declared)?
                }
                Err(e) => extraction.open_error(e)?,
            };
            *slot = Some(member);
        }
        Ok(archive)
    }

    /// Recovery for a zip without a readable central directory: walks the
    /// local file headers from the start until they stop making sense.
    fn from_local_headers(
        bytes: &[u8],
        options: &LoadOptions,
        cause: ZipError,
    ) -> Result<Archive, CaptureError> {
        let not_zip = || CaptureError::NotZip(cause.to_string());
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(not_zip());
        }
        let mut extraction = Extraction::new(options, true);
        let mut archive = Archive {
            creator: creator_from_comment(""),
            sessions: BTreeMap::new(),
            notes: Vec::new(),
            duplicates: (0, None),
        };
        let mut pos = 0;
        for _ in 0..MAX_MEMBERS {
            let Some(entry) = LocalEntry::at(bytes, pos) else {
                break;
            };
            let mut read_options = extraction.read_options();
            if let Some(descriptor) = entry.descriptor {
                read_options = read_options
                    .override_compressed_size(descriptor.compressed)
                    .override_crc(descriptor.crc);
            }
            let mut reader = rest_at(bytes, pos);
            let file =
                match zip::read::read_zipfile_from_stream_with_options(&mut reader, read_options) {
                    Ok(Some(file)) => file,
                    Ok(None) => break,
                    Err(e) => {
                        extraction.open_error(e)?;
                        break;
                    }
                };
            pos = entry.next;
            let Some((number, kind)) = file.name().ok().as_deref().and_then(classify) else {
                continue;
            };
            let Some(slot) = archive.slot(number, kind) else {
                continue;
            };
            let (encrypted, declared) = (file.encrypted(), file.size());
            let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
            let member = match extraction.read(file, &name, kind, encrypted, declared) {
                // The member the file was cut in, not a wrong password.
                Err(CaptureError::WrongPassword) if entry.next >= bytes.len() => break,
                other => other?,
            };
            *slot = Some(member);
        }
        let recovered = archive
            .sessions
            .values()
            .filter(|s| s.request.is_some())
            .count();
        if recovered == 0 {
            return Err(not_zip());
        }
        archive.notes.push(LoadNote::Truncated {
            recovered,
            detail: format!("the zip's central directory is missing or damaged: {cause}"),
        });
        Ok(archive)
    }

    /// Where a member goes; `None` for WebSocket logs (only noted) and for a
    /// second member with the same role (the first one wins, with a note).
    fn slot(&mut self, number: u32, kind: Kind) -> Option<&mut Option<Member>> {
        let session = self.sessions.entry(number).or_default();
        if kind == Kind::WebSocket {
            session.websocket = true;
            return None;
        }
        let taken = session.slot(kind).is_some_and(|s| s.is_some());
        if taken {
            self.duplicates.0 += 1;
            self.duplicates.1.get_or_insert(number);
            return None;
        }
        self.sessions.entry(number).or_default().slot(kind)
    }

    /// Builds the capture, borrowing from the extracted members.
    pub fn parse(&self, path: &str, options: &LoadOptions) -> Result<Capture<'_>, CaptureError> {
        let mut notes = self.notes.clone();
        if let (count @ 1.., Some(first)) = self.duplicates {
            notes.push(LoadNote::Other(format!(
                "{count} duplicate session member(s) ignored, the first in session {first}; the first copy of each was used"
            )));
        }
        let mut exchanges = Vec::with_capacity(self.sessions.len());
        let mut websockets = Vec::new();
        let mut zone_unknown = None;
        for (&number, session) in &self.sessions {
            if session.websocket {
                websockets.push(number);
            }
            let Some(request) = &session.request else {
                notes.push(LoadNote::Other(format!(
                    "session {number} has no request (raw/{number}_c.txt); skipped"
                )));
                continue;
            };
            let exchange = exchange(number, request, session, &options.limits, &mut notes);
            if exchange.started.is_some_and(|s| !s.zone_known) && zone_unknown.is_none() {
                zone_unknown = Some(number);
            }
            exchanges.push(exchange);
        }
        if !websockets.is_empty() {
            notes.push(LoadNote::WebSocketSessions(websockets));
        }
        if let Some(entry) = zone_unknown {
            notes.push(LoadNote::TimeZoneUnknown { entry });
        }
        Ok(Capture {
            path: path.to_owned(),
            format: Format::Saz,
            creator: self.creator.clone(),
            browser: None,
            version: None,
            exchanges,
            notes,
        })
    }
}

/// The whole of `reader` from its start, at most `limit` bytes, reserved
/// with `try_reserve`.
fn read_whole<R: Read + Seek>(reader: &mut R, limit: u64) -> Result<Vec<u8>, CaptureError> {
    let io = |e: std::io::Error| CaptureError::Other(format!("cannot read the archive: {e}"));
    let len = reader.seek(SeekFrom::End(0)).map_err(io)?;
    reader.seek(SeekFrom::Start(0)).map_err(io)?;
    let too_large = || CaptureError::TooLarge {
        what: "capture file".into(),
        limit,
        flag: "--max-capture-size",
    };
    if len > limit {
        return Err(too_large());
    }
    let oom = || CaptureError::OutOfMemory {
        what: "the archive (recovering a damaged zip)".into(),
        held: 0,
    };
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(len).map_err(|_| oom())?)
        .map_err(|_| oom())?;
    match reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => return Err(oom()),
        other => other.map_err(io)?,
    };
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

fn rest_at(bytes: &[u8], pos: usize) -> &[u8] {
    bytes.get(pos..).unwrap_or_default()
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// A local file header met while walking a zip without its central
/// directory (APPNOTE.TXT §4.3.7):
///
/// ```text
/// local file header signature     4 bytes  (0x04034b50)
/// version needed to extract       2 bytes
/// general purpose bit flag        2 bytes
/// compression method              2 bytes
/// last mod file time, date        2 + 2 bytes
/// crc-32, compressed size,
/// uncompressed size               4 + 4 + 4 bytes
/// file name length                2 bytes
/// extra field length              2 bytes
/// ```
struct LocalEntry {
    /// Sizes from the data descriptor, when flag bit 3 put them there.
    descriptor: Option<Descriptor>,
    /// Where the next header starts (the end of the file when cut).
    next: usize,
}

/// The CRC and size a data descriptor gives (APPNOTE.TXT §4.3.9):
/// `[signature 0x08074b50] crc-32 (4) compressed size (4 or 8)
/// uncompressed size (4 or 8)`.
struct Descriptor {
    crc: u32,
    compressed: u64,
}

impl LocalEntry {
    fn at(bytes: &[u8], pos: usize) -> Option<LocalEntry> {
        let header = rest_at(bytes, pos);
        if !header.starts_with(b"PK\x03\x04") {
            return None;
        }
        let flags = le16(header, 6)?;
        let compressed = le32(header, 18)?;
        let name_len = usize::from(le16(header, 26)?);
        let extra_len = usize::from(le16(header, 28)?);
        let data_start = pos + 30 + name_len + extra_len;
        if flags & 0x8 == 0 {
            if compressed == u32::MAX {
                return None; // zip64 sizes in the extra field: not walked
            }
            let end = data_start.saturating_add(compressed as usize);
            return Some(LocalEntry {
                descriptor: None,
                next: end.min(bytes.len()),
            });
        }
        Some(match find_descriptor(bytes, data_start) {
            Some((descriptor, next)) => LocalEntry {
                descriptor: Some(descriptor),
                next,
            },
            // Cut inside this entry: read what there is.
            None => LocalEntry {
                descriptor: Some(Descriptor {
                    crc: 0,
                    compressed: rest_at(bytes, data_start).len() as u64,
                }),
                next: bytes.len(),
            },
        })
    }
}

/// Finds the data descriptor after an entry's data, checking that the size
/// it gives is the distance from `data_start`: with its optional signature
/// (32- or 64-bit sizes), or else the 12 bytes before the next header.
fn find_descriptor(bytes: &[u8], data_start: usize) -> Option<(Descriptor, usize)> {
    let data = rest_at(bytes, data_start);
    for q in memchr::memmem::find_iter(data, b"PK\x07\x08") {
        let size = q as u64;
        let crc = le32(data, q + 4)?;
        if le32(data, q + 8).map(u64::from) == Some(size) {
            return Some((
                Descriptor {
                    crc,
                    compressed: size,
                },
                data_start + q + 16,
            ));
        }
        if le64(data, q + 8) == Some(size) {
            return Some((
                Descriptor {
                    crc,
                    compressed: size,
                },
                data_start + q + 24,
            ));
        }
    }
    for n in memchr::memmem::find_iter(data, b"PK") {
        let next_header = rest_at(data, n);
        if !(next_header.starts_with(b"PK\x03\x04") || next_header.starts_with(b"PK\x01\x02")) {
            continue;
        }
        let Some(q) = n.checked_sub(12) else {
            continue;
        };
        if le32(data, q + 4).map(u64::from) == Some(q as u64) {
            let crc = le32(data, q)?;
            return Some((
                Descriptor {
                    crc,
                    compressed: q as u64,
                },
                data_start + n,
            ));
        }
    }
    None
}

fn no_sessions() -> CaptureError {
    CaptureError::NotSaz("no raw/ folder of Fiddler sessions (raw/NN_c.txt)".into())
}

/// `Fiddler (v5.0.20253.3311) Session Archive. See https://…` → Fiddler
/// 5.0.20253.3311; anything else → Fiddler, version unknown.
fn creator_from_comment(comment: &str) -> Creator {
    let version = comment
        .split_once("(v")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(v, _)| v.trim())
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .unwrap_or_default();
    Creator {
        name: "Fiddler".into(),
        version: version.to_owned(),
        comment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_session_members() {
        let cases = [
            ("raw/1_c.txt", Some((1, Kind::Request))),
            ("raw/01_s.txt", Some((1, Kind::Response))),
            ("RAW/0012_m.xml", Some((12, Kind::Metadata))),
            ("raw\\7_w.txt", Some((7, Kind::WebSocket))),
            ("raw/", None),
            ("raw/x_c.txt", None),
            ("raw/_c.txt", None),
            ("raw/1_c.xml", None),
            ("raw/99999999999_c.txt", None),
            ("_index.htm", None),
            ("[Content_Types].xml", None),
            ("other/1_c.txt", None),
        ];
        for (name, expected) in cases {
            assert_eq!(classify(name), expected, "{name}");
        }
    }

    #[test]
    fn reads_the_fiddler_version_from_the_zip_comment() {
        let cases = [
            (
                "Fiddler (v5.0.20253.3311) Session Archive. See https://api.getfiddler.com/r/?fiddler",
                "5.0.20253.3311",
            ),
            ("", ""),
            ("made by hand (vX)", ""),
        ];
        for (comment, version) in cases {
            let c = creator_from_comment(comment);
            assert_eq!((c.name.as_str(), c.version.as_str()), ("Fiddler", version));
        }
    }

    const META: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>
<Session SID=\"1\" BitFlags=\"81\">
  <SessionTimers ClientConnected=\"2020-09-01T13:57:52.211861-06:00\" ClientBeginRequest=\"2020-09-01T13:57:52.211861-06:00\" GotRequestHeaders=\"2020-09-01T13:57:52.211861-06:00\" ClientDoneRequest=\"2020-09-01T13:57:52.211861-06:00\" GatewayTime=\"0\" DNSTime=\"23\" TCPConnectTime=\"56\" HTTPSHandshakeTime=\"120\" ServerConnected=\"2020-09-01T13:57:52.295637-06:00\" FiddlerBeginRequest=\"2020-09-01T13:57:52.4163147-06:00\" ServerGotRequest=\"2020-09-01T13:57:52.4173141-06:00\" ServerBeginResponse=\"2020-09-01T13:57:52.5051189-06:00\" GotResponseHeaders=\"2020-09-01T13:57:52.5051189-06:00\" ServerDoneResponse=\"2020-09-01T13:57:52.506117-06:00\" ClientBeginResponse=\"2020-09-01T13:57:52.506117-06:00\" ClientDoneResponse=\"2020-09-01T13:57:52.506117-06:00\" />
  <PipeInfo />
  <SessionFlags>
    <SessionFlag N=\"x-hostip\" V=\"50.56.19.116\" />
    <SessionFlag N=\"ui-comments\" V=\"a &amp; b\" />
  </SessionFlags>
</Session>";

    #[test]
    fn reads_timers_and_flags_from_metadata() {
        let (m, problem) = parse_metadata(META.as_bytes());
        assert_eq!(problem, None);
        assert_eq!(m.https(), Some(true));
        let started = m.started().unwrap();
        assert_eq!(started.time.offset().local_minus_utc(), -6 * 3600);
        assert!(started.zone_known);
        let t = m.timings();
        assert_eq!(t.total, Some(294.256));
        assert_eq!(
            (t.dns, t.connect, t.ssl),
            (Some(23.0), Some(56.0), Some(120.0))
        );
        assert_eq!(t.wait, Some(87.8048));
        assert_eq!(m.host_ip().as_deref(), Some("50.56.19.116"));
        assert_eq!(m.flags[1], ("ui-comments".to_owned(), "a & b".to_owned()));
    }

    #[test]
    fn unset_timers_are_none() {
        let xml = r#"<Session SID="4" BitFlags="1100"><SessionTimers ClientBeginRequest="2020-09-01T13:57:56.7065849-06:00" ServerGotRequest="2020-09-01T13:57:56.7752895-06:00" ServerBeginResponse="0001-01-01T00:00:00" ClientDoneResponse="2020-09-01T13:57:56.7752895-06:00" DNSTime="-1"/></Session>"#;
        let (m, _) = parse_metadata(xml.as_bytes());
        let t = m.timings();
        assert_eq!((t.wait, t.dns), (None, None));
        assert!(t.total.is_some());
        assert_eq!(m.https(), Some(false));
    }

    #[test]
    fn never_expands_doctype_entities() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<Session SID="1" BitFlags="0"><SessionFlags><SessionFlag N="x" V="&lol2;" /><SessionFlag N="y" V="&ext;" /></SessionFlags></Session>"#;
        let (m, _) = parse_metadata(xml.as_bytes());
        assert_eq!(m.flags[0], ("x".to_owned(), "&lol2;".to_owned()));
        assert_eq!(m.flags[1].1, "&ext;");
    }

    #[test]
    fn keeps_metadata_before_damage() {
        let (m, problem) = parse_metadata(
            b"<Session BitFlags=\"1\"><SessionFlags><SessionFlag N=\"a\" V=\"1\"/></Oops>",
        );
        assert_eq!(m.flags.len(), 1);
        assert!(problem.is_some());
    }

    #[test]
    fn builds_urls_from_the_request_target() {
        let limits = Limits::default();
        let cases: [(&str, Option<bool>, &str, Option<&str>); 6] = [
            (
                "GET https://a.example/x HTTP/1.1\r\n\r\n",
                Some(false),
                "https://a.example/x",
                Some("https://a.example/x"),
            ),
            (
                "GET /x?y HTTP/1.1\r\nHost: a.example\r\n\r\n",
                Some(true),
                "https://a.example/x?y",
                Some("https://a.example/x?y"),
            ),
            (
                "GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n",
                None,
                "http://a.example/x",
                Some("http://a.example/x"),
            ),
            (
                "GET /x HTTP/1.1\r\nHost: a.example:443\r\n\r\n",
                None,
                "https://a.example:443/x",
                Some("https://a.example/x"),
            ),
            (
                "CONNECT a.example:443 HTTP/1.1\r\n\r\n",
                None,
                "a.example:443",
                Some("https://a.example/"),
            ),
            ("GET /x HTTP/1.1\r\n\r\n", None, "/x", None),
        ];
        for (raw, https, url, parsed) in cases {
            let p = raw_http::parse_request(raw.as_bytes(), &limits).unwrap();
            let (u, pu) = request_url(&p, https);
            assert_eq!(
                (u.as_ref(), pu.as_ref().map(Url::as_str)),
                (url, parsed),
                "{raw}"
            );
        }
    }

    #[test]
    fn best_effort_request_keeps_method_and_url() {
        let r = best_effort_request(b"GET https://a.example/ HTTP/1.1\r\nbroken header\r\n");
        assert_eq!(
            (r.method.as_ref(), r.url.as_ref()),
            ("GET", "https://a.example/")
        );
        assert!(r.parsed_url.is_some());
        let r = best_effort_request(b"");
        assert_eq!((r.method.as_ref(), r.url.as_ref()), ("", ""));
    }
}
