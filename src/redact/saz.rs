//! SAZ → SAZ, still openable by Fiddler: the same members, in the same
//! order, with the same names, compression methods, times and archive
//! comment. Members that do not change are copied raw (byte-identical,
//! encryption included).
//!
//! - `raw/NN_c.txt` / `raw/NN_s.txt`: the request-target, every header by
//!   the header rules, and the body. A body is decoded first (chunked
//!   framing, then `Content-Encoding` / `Transfer-Encoding` codings, last
//!   applied first); when its text has to change it is written back
//!   **identity-encoded** — `Content-Encoding` and `Transfer-Encoding`
//!   removed, `Content-Length` set, chunked trailers moved into the header
//!   section — which is what Fiddler's own "Decode" command produces.
//!   A body with nothing to redact keeps its exact wire bytes and framing.
//! - `raw/NN_m.xml`: kept; with `--pii` the `x-clientip` / `x-hostip`
//!   session flags are pseudonymised.
//! - `_index.htm` (the session table Fiddler shows, URLs included): the
//!   free-text rules and the sweep are applied in place, layout kept.
//! - `raw/NN_w.txt` (WebSocket message logs): a framed binary format; left
//!   as is, and the receipt says so.
//! - Fail closed: a request or response that does not parse (a header line
//!   without `:`, a bad request line, a limit exceeded), a member that does
//!   not decompress, a body whose content coding cannot be undone or whose
//!   undecodable bytes hold a replaced value, a WebSocket log that holds a
//!   replaced value or a bearer credential — the capture is refused, naming
//!   the member and the reason; with `--drop-unparsed` that whole session
//!   (all its `raw/NN_*` members) is left out and listed in the receipt.
//!   Nothing is ever copied unread.
//! - Members that are not Fiddler session files (anything but
//!   `raw/<digits>_{c,s,m,w}.*`, a top-level `*.htm` index and
//!   `[Content_Types].xml` — e.g.
//!   `../../etc/x_1_c.txt`) are dropped and listed: no output name is taken
//!   from the input unchecked.
//! - An encrypted archive is written encrypted with the same password
//!   (AES-256, the strongest the zip format offers; the input may have
//!   used ZipCrypto). Unchanged members keep their original encryption.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipArchive, ZipWriter};

use super::RedactError;
use super::engine::{Redactor, Sweeper};
use super::receipt::{Kind, Place, Receipt};
use crate::capture::raw_http::{self, Framing};
use crate::capture::{CaptureError, Coding, Header, LoadOptions, undo_coding};

/// One archive member as read.
struct Member {
    name: String,
    method: CompressionMethod,
    modified: Option<zip::DateTime>,
    unix_mode: Option<u32>,
    /// Decompressed content; `None` when it could not be read (copied raw).
    data: Option<Vec<u8>>,
    /// New content, when it changed.
    new: Option<Vec<u8>>,
    role: Role,
    /// Left out of the copy.
    dropped: bool,
    is_dir: bool,
}

impl Role {
    /// The session this member belongs to.
    fn session(self, name: &str) -> Option<u32> {
        match self {
            Role::Request(n) | Role::Response(n) => Some(n),
            Role::Metadata | Role::WebSocket => session_number(name),
            Role::Index | Role::ContentTypes | Role::Folder | Role::Other => None,
        }
    }
}

fn session_number(name: &str) -> Option<u32> {
    let rest = name.get(4..)?;
    rest.split_once('_')?.0.parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Request(u32),
    Response(u32),
    Metadata,
    Index,
    /// `[Content_Types].xml`, the package's content-type map (ECMA-376
    /// Part 2 §10.1.2.2): extensions and MIME types, no capture data.
    ContentTypes,
    /// The `raw/` folder entry.
    Folder,
    WebSocket,
    Other,
}

/// What a member is, from its name. Only the names Fiddler writes are
/// recognised — `raw/<digits>_c.txt`, `_s.txt`, `_m.xml`, `_w.txt` and a
/// top-level `.htm` index — so a name with `..`, a leading `/`, a drive or
/// a backslash is [`Role::Other`] and never written.
fn role(name: &str) -> Role {
    let lower = name.to_ascii_lowercase();
    if lower.contains('\\') || lower.contains("..") || lower.starts_with('/') || lower.contains(':')
    {
        return Role::Other;
    }
    if lower == "[content_types].xml" {
        return Role::ContentTypes;
    }
    if !lower.contains('/') && (lower.ends_with(".htm") || lower.ends_with(".html")) {
        return Role::Index;
    }
    let Some(rest) = lower.strip_prefix("raw/") else {
        return Role::Other;
    };
    let Some((number, suffix)) = rest.split_once('_') else {
        return Role::Other;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Role::Other;
    }
    let Ok(n) = number.parse::<u32>() else {
        return Role::Other;
    };
    match suffix {
        "c.txt" => Role::Request(n),
        "s.txt" => Role::Response(n),
        "m.xml" => Role::Metadata,
        "w.txt" => Role::WebSocket,
        _ => Role::Other,
    }
}

/// Redacts SAZ bytes; returns the new archive, the number of sessions and
/// the number of sessions dropped (`drop_unparsed`; otherwise anything
/// unparsed is an error).
pub fn redact(
    bytes: &[u8],
    load: &LoadOptions,
    r: &mut Redactor<'_>,
    drop_unparsed: bool,
) -> Result<(Vec<u8>, usize, usize), RedactError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        RedactError::Saz(format!(
            "{e}; only an intact archive (with its central directory) can be rewritten"
        ))
    })?;
    let comment = zip.comment().to_vec();
    let mut members = read_members(&mut zip, load)?;
    let methods: std::collections::BTreeMap<u32, String> = members
        .iter()
        .filter_map(|m| match (m.role, &m.data) {
            (Role::Request(n), Some(d)) => {
                let limits = load.limits;
                let p = raw_http::parse_request(d, &limits).ok()?;
                Some((n, p.method.into_owned()))
            }
            _ => None,
        })
        .collect();
    let sessions = methods.len();
    // (member index, reason) of what could not be read.
    let mut unparsed: Vec<(usize, String)> = Vec::new();
    let mut messages: Vec<Option<Message>> = Vec::with_capacity(members.len());
    for (i, m) in members.iter_mut().enumerate() {
        if m.role == Role::Other {
            if !m.is_dir {
                r.note(format!(
                    "archive member {} is not a Fiddler session file; dropped",
                    shown(&m.name)
                ));
            }
            m.dropped = true;
            messages.push(None);
            continue;
        }
        let Some(data) = &m.data else {
            unparsed.push((i, "it could not be decompressed".to_owned()));
            messages.push(None);
            continue;
        };
        let message = match m.role {
            Role::Request(_) => match Message::read(data, None, load, r) {
                Ok(msg) => Some(msg),
                Err(why) => {
                    unparsed.push((i, why));
                    None
                }
            },
            Role::Response(n) => {
                let method = methods.get(&n).map_or("GET", String::as_str);
                match Message::read(data, Some(method), load, r) {
                    Ok(msg) => Some(msg),
                    Err(why) => {
                        unparsed.push((i, why));
                        None
                    }
                }
            }
            Role::Metadata => {
                if r.pii() {
                    m.new = metadata(data, r);
                }
                None
            }
            Role::Index => {
                let text = String::from_utf8_lossy(data);
                m.new = r.text(&text, Place::Metadata).map(String::into_bytes);
                None
            }
            Role::WebSocket => {
                r.note("WebSocket message logs (raw/NN_w.txt) are framed binary; kept only where they hold no replaced value and no bearer credential".to_owned());
                None
            }
            Role::ContentTypes | Role::Folder | Role::Other => None,
        };
        messages.push(message);
    }
    let sweeper = r.sweeper();
    for (i, (m, message)) in members.iter_mut().zip(messages).enumerate() {
        if m.dropped {
            continue;
        }
        if let Some(message) = &message
            && let Some(why) = message.unreadable_body(&sweeper)
        {
            unparsed.push((i, why));
            continue;
        }
        if m.role == Role::WebSocket
            && let Some(data) = &m.data
            && (sweeper.contains(data) || holds_credential(data))
        {
            unparsed.push((
                i,
                "the WebSocket log holds a credential and its framing is not rewritten".to_owned(),
            ));
            continue;
        }
        if let Some(mut message) = message {
            message.sweep(&sweeper, &mut r.receipt);
            if message.changed() {
                m.new = Some(message.serialize());
            }
        } else if m.role == Role::Index && !sweeper.is_empty() {
            let current = m.new.as_ref().or(m.data.as_ref());
            if let Some(text) = current.map(|b| String::from_utf8_lossy(b).into_owned())
                && let Some(swept) = sweeper.sweep(&text, &mut r.receipt)
            {
                m.new = Some(swept.into_bytes());
            }
        }
    }
    let dropped = settle_unparsed(&mut members, &unparsed, drop_unparsed, r)?;
    let out = write_archive(&mut zip, &members, &comment, load.password.as_deref())?;
    Ok((out, sessions, dropped))
}

/// A member name as it may be shown (control characters escaped, bounded).
fn shown(name: &str) -> String {
    let short: String = name.chars().take(120).collect();
    format!("'{}'", crate::report::safe::escape(&short))
}

/// Refuses (`Err`, every member named) or, with `drop`, drops every member
/// of each session that holds something unparsed, one receipt line each.
/// Returns the number of sessions dropped.
fn settle_unparsed(
    members: &mut [Member],
    unparsed: &[(usize, String)],
    drop: bool,
    r: &mut Redactor<'_>,
) -> Result<usize, RedactError> {
    if unparsed.is_empty() {
        return Ok(0);
    }
    let described: Vec<String> = unparsed
        .iter()
        .filter_map(|(i, why)| {
            members
                .get(*i)
                .map(|m| format!("{}: {why}", shown(&m.name)))
        })
        .collect();
    if !drop {
        return Err(RedactError::Unparsed(described.join("; ")));
    }
    let mut sessions = std::collections::BTreeSet::new();
    let mut loose = Vec::new();
    for (i, _) in unparsed {
        let Some(m) = members.get(*i) else { continue };
        match m.role.session(&m.name) {
            Some(n) => {
                sessions.insert(n);
            }
            None => loose.push(*i),
        }
    }
    for m in members.iter_mut() {
        if m.role
            .session(&m.name)
            .is_some_and(|n| sessions.contains(&n))
        {
            m.dropped = true;
        }
    }
    for i in loose {
        if let Some(m) = members.get_mut(i) {
            m.dropped = true;
        }
    }
    for d in described {
        r.note(format!("dropped (--drop-unparsed) {d}"));
    }
    Ok(sessions.len())
}

/// Whether bytes the redactor cannot rewrite hold a bearer credential by
/// shape: an `Authorization`-style `Bearer` / `Basic` credential (RFC 6750
/// §2.1, RFC 7617 §2) or a JWS / JWE compact serialization (RFC 7515 §7.1:
/// `eyJ` is base64url of `{"`).
fn holds_credential(data: &[u8]) -> bool {
    let lower = data.to_ascii_lowercase();
    [b"bearer ".as_slice(), b"basic ".as_slice()]
        .iter()
        .any(|n| memchr::memmem::find(&lower, n).is_some())
        || memchr::memmem::find_iter(data, b"eyJ").any(|at| {
            let tail = data.get(at..).unwrap_or_default();
            let token: Vec<u8> = tail
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                .collect();
            token.iter().filter(|b| **b == b'.').count() >= 1 && token.len() >= 20
        })
}

fn read_members(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    load: &LoadOptions,
) -> Result<Vec<Member>, RedactError> {
    let mut budget = load.limits.max_decompressed_bytes;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let options =
            zip::ZipReadOptions::new().password(load.password.as_deref().map(str::as_bytes));
        let file = match zip.by_index_with_options(i, options) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(m))
                if m == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                return Err(CaptureError::PasswordRequired.into());
            }
            Err(zip::result::ZipError::InvalidPassword) => {
                return Err(CaptureError::WrongPassword.into());
            }
            Err(e) => return Err(RedactError::Saz(format!("member {i}: {e}"))),
        };
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        let method = file.compression();
        let modified = file.last_modified();
        let unix_mode = file.unix_mode();
        let is_dir = file.is_dir();
        let mut data = Vec::new();
        let read = if is_dir {
            Ok(0)
        } else {
            file.take(budget.saturating_add(1)).read_to_end(&mut data)
        };
        budget = budget.saturating_sub(data.len() as u64);
        if budget == 0 {
            return Err(CaptureError::TooLarge {
                what: "decompressed archive".into(),
                limit: load.limits.max_decompressed_bytes,
                flag: "--max-decompressed",
            }
            .into());
        }
        out.push(Member {
            role: match (is_dir, name.as_str()) {
                (true, "raw/" | "raw") => Role::Folder,
                (true, _) => Role::Other,
                (false, _) => role(&name),
            },
            name,
            method,
            modified,
            unix_mode,
            data: read.ok().map(|_| data),
            new: None,
            dropped: false,
            is_dir,
        });
    }
    Ok(out)
}

fn write_archive(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    members: &[Member],
    comment: &[u8],
    password: Option<&str>,
) -> Result<Vec<u8>, RedactError> {
    let err = |e: zip::result::ZipError| RedactError::Saz(format!("writing the archive: {e}"));
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.set_raw_comment(comment.to_vec().into_boxed_slice())
        .map_err(err)?;
    for (i, m) in members.iter().enumerate() {
        if m.dropped {
            continue;
        }
        let Some(new) = &m.new else {
            let raw = zip.by_index_raw(i).map_err(err)?;
            w.raw_copy_file(raw).map_err(err)?;
            continue;
        };
        let method = match m.method {
            CompressionMethod::Stored => CompressionMethod::Stored,
            _ => CompressionMethod::Deflated,
        };
        let mut options = SimpleFileOptions::default().compression_method(method);
        if let Some(t) = m.modified {
            options = options.last_modified_time(t);
        }
        if let Some(mode) = m.unix_mode {
            options = options.unix_permissions(mode);
        }
        match password {
            Some(pw) if zip_member_encrypted(zip, i) => {
                let options = options.with_aes_encryption(AesMode::Aes256, pw);
                w.start_file(m.name.as_str(), options).map_err(err)?;
            }
            _ => w.start_file(m.name.as_str(), options).map_err(err)?,
        }
        w.write_all(new)
            .map_err(|e| RedactError::Saz(format!("writing {}: {e}", m.name)))?;
    }
    Ok(w.finish().map_err(err)?.into_inner())
}

fn zip_member_encrypted(zip: &mut ZipArchive<Cursor<&[u8]>>, i: usize) -> bool {
    zip.by_index_raw(i).is_ok_and(|f| f.encrypted())
}

/// `--pii`: `<SessionFlag N="x-clientip" V="…"/>` and `x-hostip`.
fn metadata(data: &[u8], r: &mut Redactor<'_>) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(data).ok()?;
    let lower = text.to_ascii_lowercase();
    let mut edits = Vec::new();
    for flag in ["x-clientip", "x-hostip", "x-egressip"] {
        let needle = format!("n=\"{flag}\"");
        let mut from = 0;
        while let Some(off) = lower.get(from..).and_then(|l| l.find(&needle)) {
            let at = from + off + needle.len();
            let tag_end = lower
                .get(at..)
                .and_then(|l| l.find('>'))
                .map_or(text.len(), |e| at + e);
            if let Some(v) = lower.get(at..tag_end).and_then(|t| t.find("v=\"")) {
                let vstart = at + v + 3;
                if let Some(len) = text.get(vstart..).and_then(|t| t.find('"'))
                    && let Some(value) = text.get(vstart..vstart + len)
                    && let Some(new) = r.pii_value(Kind::PiiIp, Place::Metadata, value)
                {
                    edits.push((vstart, vstart + len, new));
                }
            }
            from = tag_end;
        }
    }
    super::engine::apply(text, edits).map(String::into_bytes)
}

/// A request or response file, taken apart for rewriting.
struct Message {
    original: Vec<u8>,
    /// Interim 1xx responses and blank lines before the message, verbatim.
    prefix: Vec<u8>,
    start_line: String,
    start_changed: bool,
    headers: Vec<(String, String)>,
    headers_changed: bool,
    head_complete: bool,
    /// Wire bytes after the header section, verbatim (body, framing, notes).
    rest: Vec<u8>,
    /// The decoded body as text, when it decoded and is UTF-8.
    text: Option<String>,
    /// The decoded body, when it is not UTF-8 (kept, never rewritten).
    binary: Option<Vec<u8>>,
    text_changed: bool,
    trailers: Vec<(String, String)>,
    /// Bytes after the framed body (Fiddler's notes), verbatim.
    trailing: Vec<u8>,
}

impl Message {
    /// `method`: `None` for a request file, the request's method for a
    /// response file. `Err` (why) when the file does not parse: the caller
    /// refuses or drops it, never copies it.
    fn read(
        data: &[u8],
        method: Option<&str>,
        load: &LoadOptions,
        r: &mut Redactor<'_>,
    ) -> Result<Message, String> {
        let limits = &load.limits;
        let request = method.is_none();
        let (start_line, headers, head_complete, body, interim) = if request {
            let p = raw_http::parse_request(data, limits)
                .map_err(|e| format!("the request does not parse ({e})"))?;
            let line = format!("{} {} {}", p.method, p.target, p.version);
            (line, p.headers, p.head_complete, p.body, 0)
        } else {
            let p = raw_http::parse_response(data, method.unwrap_or("GET"), limits)
                .map_err(|e| format!("the response does not parse ({e})"))?;
            let line = if p.reason.is_empty() {
                format!("{} {}", p.version, p.status)
            } else {
                format!("{} {} {}", p.version, p.status, p.reason)
            };
            (line, p.headers, p.head_complete, p.body, p.interim.len())
        };
        let (prefix_end, head_end) = head_span(data, interim);
        let mut m = Message {
            original: data.to_vec(),
            prefix: data.get(..prefix_end).unwrap_or_default().to_vec(),
            start_line,
            start_changed: false,
            headers: headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_string()))
                .collect(),
            headers_changed: false,
            head_complete,
            rest: data.get(head_end..).unwrap_or_default().to_vec(),
            text: None,
            binary: None,
            text_changed: false,
            trailers: body
                .trailers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_string()))
                .collect(),
            trailing: body.trailing.to_vec(),
        };
        if request {
            let mut words = m.start_line.splitn(3, ' ');
            if let (Some(verb), Some(target), Some(version)) =
                (words.next(), words.next(), words.next())
                && !verb.eq_ignore_ascii_case("CONNECT")
                && let Some(new) = r.url(target)
            {
                m.start_line = format!("{verb} {new} {version}");
                m.start_changed = true;
            }
        }
        for (name, value) in &mut m.headers {
            if let Some(new) = r.header(name, value, request) {
                *value = new;
                m.headers_changed = true;
            }
        }
        if head_complete && body.framing != Framing::None && !body.data.is_empty() {
            match decode_text(&body.data, &headers, limits.max_body_bytes) {
                Decoded::Text(t) => m.text = Some(t),
                Decoded::Binary(b) => m.binary = Some(b),
                Decoded::Failed(why) => return Err(why),
            }
            let content_type = headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| h.value.to_string());
            if let Some(text) = &m.text
                && let Some(new) = r.body(text, content_type.as_deref())
            {
                m.text = Some(new);
                m.text_changed = true;
            }
        }
        Ok(m)
    }

    /// Why the body cannot be kept as it is: its bytes are not text (so not
    /// rewritten) yet hold a value replaced elsewhere.
    fn unreadable_body(&self, sweeper: &Sweeper) -> Option<String> {
        let b = self.binary.as_ref()?;
        sweeper
            .contains(b)
            .then(|| "a body that is not text holds a secret found elsewhere".to_owned())
    }

    fn sweep(&mut self, sweeper: &Sweeper, receipt: &mut Receipt) {
        if sweeper.is_empty() {
            return;
        }
        if let Some(new) = sweeper.sweep(&self.start_line, receipt) {
            self.start_line = new;
            self.start_changed = true;
        }
        for (_, value) in &mut self.headers {
            if let Some(new) = sweeper.sweep(value, receipt) {
                *value = new;
                self.headers_changed = true;
            }
        }
        if let Some(text) = &self.text
            && let Some(new) = sweeper.sweep(text, receipt)
        {
            self.text = Some(new);
            self.text_changed = true;
        }
    }

    fn changed(&self) -> bool {
        self.start_changed || self.headers_changed || self.text_changed
    }

    fn serialize(&self) -> Vec<u8> {
        if !self.changed() {
            return self.original.clone();
        }
        let mut out = self.prefix.clone();
        out.extend_from_slice(self.start_line.as_bytes());
        out.extend_from_slice(b"\r\n");
        let body = self.text.as_ref().filter(|_| self.text_changed);
        let mut length_written = false;
        for (name, value) in &self.headers {
            if body.is_some() {
                let lower = name.to_ascii_lowercase();
                if lower == "content-encoding" || lower == "transfer-encoding" {
                    continue;
                }
                if lower == "content-length" {
                    if length_written {
                        continue;
                    }
                    length_written = true;
                    let len = body.map_or(0, String::len);
                    out.extend_from_slice(format!("{name}: {len}\r\n").as_bytes());
                    continue;
                }
            }
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if !self.head_complete {
            return out;
        }
        match body {
            Some(text) => {
                if !length_written {
                    out.extend_from_slice(format!("Content-Length: {}\r\n", text.len()).as_bytes());
                }
                for (name, value) in &self.trailers {
                    out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
                }
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(text.as_bytes());
                out.extend_from_slice(&self.trailing);
            }
            None => {
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(&self.rest);
            }
        }
        out
    }
}

/// Where the final message starts (after `interim` 1xx heads) and where
/// its header section ends (just past the empty line).
fn head_span(data: &[u8], interim: usize) -> (usize, usize) {
    let mut start = skip_blank(data, 0);
    for _ in 0..interim {
        start = skip_blank(data, section_end(data, start));
    }
    (start, section_end(data, start))
}

fn skip_blank(data: &[u8], mut at: usize) -> usize {
    loop {
        let rest = data.get(at..).unwrap_or_default();
        if rest.starts_with(b"\r\n") {
            at += 2;
        } else if rest.starts_with(b"\n") {
            at += 1;
        } else {
            return at;
        }
    }
}

/// Just past the first empty line from `from` (or the end of the data).
fn section_end(data: &[u8], from: usize) -> usize {
    let rest = data.get(from..).unwrap_or_default();
    let crlf = memchr::memmem::find(rest, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(rest, b"\n\n").map(|i| i + 2);
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => rest.len(),
    };
    from + end
}

/// A body after its content codings were undone.
enum Decoded {
    Text(String),
    /// Not UTF-8 (an image, a font, protobuf): kept byte for byte.
    Binary(Vec<u8>),
    /// A coding that is unknown or corrupt: its content cannot be read.
    Failed(String),
}

/// The body's text: content codings undone (last applied first).
fn decode_text(data: &[u8], headers: &[Header<'_>], limit: u64) -> Decoded {
    let mut codings = Vec::new();
    for name in ["content-encoding", "transfer-encoding"] {
        for h in headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)) {
            codings.extend(
                Coding::list(&h.value).into_iter().filter(
                    |c| !matches!(c, Coding::Other(t) if t.eq_ignore_ascii_case("chunked")),
                ),
            );
        }
    }
    let mut bytes = data.to_vec();
    if headers.iter().any(|h| {
        h.name.eq_ignore_ascii_case("fiddler-encoding")
            && h.value.trim().eq_ignore_ascii_case("base64")
    }) {
        // Kept as recorded; checked like any binary body.
        return Decoded::Binary(bytes);
    }
    for coding in codings.iter().rev() {
        bytes = match undo_coding(coding, &bytes, limit) {
            Ok(b) => b,
            Err(e) => {
                return Decoded::Failed(format!(
                    "the body's content coding cannot be undone ({e})"
                ));
            }
        };
    }
    match String::from_utf8(bytes) {
        Ok(t) => Decoded::Text(t),
        Err(e) => Decoded::Binary(e.into_bytes()),
    }
}
