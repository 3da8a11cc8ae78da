//! Reading one archive member, bounded, and deciding what of it to keep.
//!
//! Members are read one at a time. A response (`_s.txt`) is
//! read as far as the end of its header section first; when its body is of
//! a type no decoder or rule reads ([`body_use`]), only the header
//! section is kept and the body is streamed through a counter
//! ([`Member::Head`]); a chunked one is read whole, then dropped once its
//! de-chunked length is known. Any message whose body is larger than
//! [`Limits::max_body_bytes`] is kept the same way, with a note.
//!
//! Invariants:
//! - Every decompressed byte, kept or counted, is spent from
//!   [`Limits::max_decompressed_bytes`]; every kept byte also from
//!   [`Limits::max_retained_bytes`]. Going over either is
//!   [`CaptureError::TooLarge`], never a partial capture.
//! - One member never holds more than its header section plus
//!   `max_body_bytes` plus one byte (or the header probe) at any moment.
//! - A failed allocation, ours (`try_reserve`) or the decompressor's
//!   (`io::ErrorKind::OutOfMemory`), is [`CaptureError::OutOfMemory`]: the
//!   file is refused, it never becomes a session without a response.
//! - Declared sizes are never trusted: they are only a capacity hint,
//!   capped by the budget left and [`MAX_PREALLOCATION`].

use std::io::{self, Read};

use super::*;
use crate::capture::model::mime_essence;

/// Bytes read before deciding whether a response's body is kept; doubled
/// while its header section has not ended (up to `max_header_bytes`).
const PROBE: usize = 16 * 1024;

/// One member, as far as it is kept in memory, or why it could not be read.
pub(super) enum Member {
    /// The whole member.
    Bytes(Vec<u8>),
    /// An HTTP message whose header section was kept and whose body was
    /// counted: `body` bytes followed the header section in the member.
    Head {
        head: Vec<u8>,
        body: u64,
        /// Not kept because larger than `max_body_bytes`, rather than
        /// because no decoder reads its type.
        too_large: bool,
    },
    /// A chunked response kept de-chunked: its header section and its body
    /// without the chunk framing (the body was complete, with no trailer
    /// fields, so nothing else of the member was used). Saves holding the
    /// chunked bytes and the de-chunked copy the parse would make.
    Dechunked {
        head: Vec<u8>,
        body: Vec<u8>,
    },
    Unreadable(String),
}

impl Member {
    /// Bytes held in memory.
    pub(super) fn kept_len(&self) -> usize {
        match self {
            Member::Bytes(b) => b.len(),
            Member::Head { head, .. } => head.len(),
            Member::Dechunked { head, body } => head.len() + body.len(),
            Member::Unreadable(_) => 0,
        }
    }
}

/// Counts decompressed bytes against a limit.
struct Budget {
    used: u64,
    limit: u64,
    what: &'static str,
    flag: &'static str,
}

impl Budget {
    fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    fn exceeded(&self) -> CaptureError {
        CaptureError::TooLarge {
            what: self.what.into(),
            limit: self.limit,
            flag: self.flag,
        }
    }

    fn spend(&mut self, n: usize) -> Result<(), CaptureError> {
        self.used = self.used.saturating_add(n as u64);
        if self.used > self.limit {
            return Err(self.exceeded());
        }
        Ok(())
    }
}

/// Why reading a member stopped early.
enum Stop {
    /// A limit or an allocation failure: the archive is refused.
    Refused(CaptureError),
    /// The member's data could not be read (corrupt, cut, wrong password).
    Io(io::Error),
}

impl From<CaptureError> for Stop {
    fn from(e: CaptureError) -> Stop {
        Stop::Refused(e)
    }
}

/// A member as far as it was read.
#[derive(Default)]
struct Partial {
    buf: Vec<u8>,
    /// Set once the body is being counted: `buf` then holds the header
    /// section only.
    counting: Option<Counting>,
    /// Set when the member was too large to keep and had no header
    /// section to keep instead.
    not_read: Option<String>,
    /// A de-chunked body: `buf` then holds the header section only.
    dechunked: Option<Vec<u8>>,
}

struct Counting {
    body: u64,
    too_large: bool,
}

impl Partial {
    fn into_member(mut self) -> Member {
        if let Some(why) = self.not_read {
            return Member::Unreadable(why);
        }
        if let Some(body) = self.dechunked {
            return Member::Dechunked {
                head: self.buf,
                body,
            };
        }
        match self.counting {
            Some(c) => Member::Head {
                head: self.buf,
                body: c.body,
                too_large: c.too_large,
            },
            None => {
                if self.buf.capacity() - self.buf.len() > self.buf.len() / 8 + 4096 {
                    // The header overstated the size (or the read failed early).
                    self.buf.shrink_to_fit();
                }
                Member::Bytes(self.buf)
            }
        }
    }
}

/// Reads the members of one archive: the budgets, the password, and
/// whether that password has already opened an encrypted member.
pub(super) struct Extraction<'p> {
    decompressed: Budget,
    retained: Budget,
    limits: Limits,
    password: Option<&'p [u8]>,
    password_proven: bool,
    /// Keep what was read before an error (recovery from a truncated zip).
    keep_partial: bool,
}

impl<'p> Extraction<'p> {
    pub(super) fn new(options: &'p LoadOptions, keep_partial: bool) -> Extraction<'p> {
        let limits = options.limits;
        Extraction {
            decompressed: Budget {
                used: 0,
                limit: limits.max_decompressed_bytes,
                what: "decompressed archive",
                flag: "--max-decompressed",
            },
            retained: Budget {
                used: 0,
                limit: limits.max_retained_bytes.min(limits.max_decompressed_bytes),
                what: "session data kept in memory",
                flag: "--max-retained",
            },
            limits,
            password: options.password.as_deref().map(str::as_bytes),
            password_proven: false,
            keep_partial,
        }
    }

    pub(super) fn read_options(&self) -> ZipReadOptions<'p> {
        ZipReadOptions::new().password(self.password)
    }

    /// Reads one member (`name` for messages) of `kind`.
    pub(super) fn read<R: Read>(
        &mut self,
        mut file: R,
        name: &str,
        kind: Kind,
        encrypted: bool,
        declared: u64,
    ) -> Result<Member, CaptureError> {
        let mut partial = Partial::default();
        let result = self.read_member(&mut file, kind, declared, &mut partial);
        let member = match result {
            Ok(()) => {
                self.password_proven |= encrypted;
                partial.into_member()
            }
            Err(Stop::Refused(e)) => return Err(e),
            Err(Stop::Io(e)) if e.kind() == io::ErrorKind::OutOfMemory => {
                return Err(self.out_of_memory(name, partial.buf.len()));
            }
            // ZipCrypto lets 1 wrong password in 256 through its check and
            // AES checks its MAC at the end: when no member has opened yet,
            // a failed read of an encrypted one means a bad password.
            Err(Stop::Io(_)) if encrypted && self.password.is_some() && !self.password_proven => {
                return Err(CaptureError::WrongPassword);
            }
            Err(Stop::Io(_)) if self.keep_partial && !partial.buf.is_empty() => {
                partial.into_member()
            }
            Err(Stop::Io(e)) => Member::Unreadable(e.to_string()),
        };
        self.retained.used = self.retained.used.saturating_add(member.kept_len() as u64);
        if self.retained.used > self.retained.limit {
            return Err(self.retained.exceeded());
        }
        Ok(member)
    }

    fn out_of_memory(&self, name: &str, in_member: usize) -> CaptureError {
        CaptureError::OutOfMemory {
            what: format!("SAZ member {name}"),
            held: self.retained.used.saturating_add(in_member as u64),
        }
    }

    fn read_member<R: Read>(
        &mut self,
        file: &mut R,
        kind: Kind,
        declared: u64,
        m: &mut Partial,
    ) -> Result<(), Stop> {
        let hint = usize::try_from(
            declared
                .min(self.decompressed.remaining().saturating_add(1))
                .min(MAX_PREALLOCATION),
        )
        .unwrap_or(0);
        let (mut head_end, mut eof, mut chunked) = (None, false, None);
        if matches!(kind, Kind::Request | Kind::Response) {
            let mut probe = PROBE;
            loop {
                // Not yet held: the probe is bounded by the header limit.
                // The buffer is sized for the whole member at once.
                eof = self.fill(file, &mut m.buf, probe, hint, false)?;
                head_end = raw_http::body_start(&m.buf, &self.limits);
                if head_end.is_some() || eof || m.buf.len() > self.limits.max_header_bytes {
                    break;
                }
                probe = probe.saturating_mul(2);
            }
            if let Some(end) = head_end
                && kind == Kind::Response
            {
                match body_use(m.buf.get(..end).unwrap_or_default(), &self.limits) {
                    BodyUse::Read => {}
                    BodyUse::ReadChunked => chunked = Some(true),
                    BodyUse::Unread => return self.count_body(file, m, end, false),
                    BodyUse::UnreadChunked => chunked = Some(false),
                }
            }
        }
        let cap = head_end
            .unwrap_or(self.limits.max_header_bytes)
            .saturating_add(usize::try_from(self.limits.max_body_bytes).unwrap_or(usize::MAX));
        if !eof {
            eof = self.fill(file, &mut m.buf, cap.saturating_add(1), hint, true)?;
        }
        if eof && m.buf.len() <= cap {
            if let (Some(end), Some(keep)) = (head_end, chunked) {
                self.settle_chunked(m, end, keep);
            }
            return Ok(());
        }
        match head_end {
            Some(end) => self.count_body(file, m, end, true),
            None => {
                // No header section to keep (metadata, or a message whose
                // head never ends): the member is not read.
                let seen = m.buf.len() as u64;
                m.buf = Vec::new();
                let rest = self.count_rest(file)?;
                m.not_read = Some(format!(
                    "{} bytes, more than the {cap} this tool keeps of one member (raise --max-body-size to read it)",
                    seen.saturating_add(rest)
                ));
                Ok(())
            }
        }
    }

    /// A whole chunked response: keeps its header section and its body
    /// de-chunked (`keep`, [`Member::Dechunked`]) or only the de-chunked
    /// body's length (no decoder reads it, [`Member::Head`]), when the body
    /// is complete chunked data without trailer fields. Else the member
    /// stays whole, so that its notes and trailers are what they were.
    fn settle_chunked(&mut self, m: &mut Partial, end: usize, keep: bool) {
        let Ok(r) = raw_http::parse_response(&m.buf, "GET", &self.limits) else {
            return;
        };
        let clean = r.interim.is_empty()
            && r.body.framing == raw_http::Framing::Chunked
            && r.body.complete
            && r.body.trailers.is_empty();
        if !clean {
            return;
        }
        if keep {
            let body = match r.body.data {
                // Several chunks: the parse already made the copy.
                Cow::Owned(v) => v,
                Cow::Borrowed(b) => {
                    let mut v = Vec::new();
                    if v.try_reserve_exact(b.len()).is_err() {
                        return; // kept whole, as read
                    }
                    v.extend_from_slice(b);
                    v
                }
            };
            m.dechunked = Some(body);
        } else {
            m.counting = Some(Counting {
                body: r.body.data.len() as u64,
                too_large: false,
            });
        }
        m.buf.truncate(end);
        m.buf.shrink_to_fit();
    }

    /// Keeps `m.buf[..end]` (the header section) and counts the rest.
    fn count_body<R: Read>(
        &mut self,
        file: &mut R,
        m: &mut Partial,
        end: usize,
        too_large: bool,
    ) -> Result<(), Stop> {
        let already = m.buf.len().saturating_sub(end) as u64;
        m.buf.truncate(end);
        m.buf.shrink_to_fit();
        m.counting = Some(Counting {
            body: already,
            too_large,
        });
        let rest = self.count_rest(file);
        if let Some(c) = &mut m.counting {
            c.body = c.body.saturating_add(*rest.as_ref().unwrap_or(&0));
        }
        rest.map(|_| ())
    }

    /// Reads `file` to its end into a sink, spending from the decompression
    /// budget (at most one byte past it).
    fn count_rest<R: Read>(&mut self, file: &mut R) -> Result<u64, Stop> {
        let room = self.decompressed.remaining().saturating_add(1);
        let n = io::copy(&mut file.by_ref().take(room), &mut io::sink()).map_err(Stop::Io)?;
        self.decompressed
            .spend(usize::try_from(n).unwrap_or(usize::MAX))?;
        Ok(n)
    }

    /// Reads into `buf` until it holds `upto` bytes or `file` ends (then
    /// `true`), spending from the decompression budget and, when `retain`,
    /// from the retained one; never more than one byte past either. The
    /// buffer is first reserved for `hint` bytes (`try_reserve`), then
    /// grown by `read_to_end`, which reports a failed allocation as
    /// `io::ErrorKind::OutOfMemory`.
    fn fill<R: Read>(
        &mut self,
        file: &mut R,
        buf: &mut Vec<u8>,
        upto: usize,
        hint: usize,
        retain: bool,
    ) -> Result<bool, Stop> {
        let want = hint.min(upto);
        if buf.capacity() < want && buf.try_reserve_exact(want - buf.len()).is_err() {
            return Err(Stop::Io(io::ErrorKind::OutOfMemory.into()));
        }
        let mut room = (upto.saturating_sub(buf.len()) as u64)
            .min(self.decompressed.remaining().saturating_add(1));
        if retain {
            let held = self.retained.used.saturating_add(buf.len() as u64);
            room = room.min(self.retained.limit.saturating_sub(held).saturating_add(1));
        }
        let before = buf.len();
        let result = file.by_ref().take(room).read_to_end(buf);
        let n = buf.len() - before;
        self.decompressed.spend(n)?;
        if retain && self.retained.used.saturating_add(buf.len() as u64) > self.retained.limit {
            return Err(self.retained.exceeded().into());
        }
        match result {
            Ok(_) => Ok((n as u64) < room),
            Err(e) => Err(Stop::Io(e)),
        }
    }

    /// A member that could not be opened: password problems fail the
    /// archive, anything else only that member.
    pub(super) fn open_error(&self, e: ZipError) -> Result<Member, CaptureError> {
        match e {
            ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
                Err(CaptureError::PasswordRequired)
            }
            ZipError::InvalidPassword if self.password.is_some() => {
                Err(CaptureError::WrongPassword)
            }
            ZipError::InvalidPassword => Err(CaptureError::PasswordRequired),
            ZipError::Io(e) if e.kind() == io::ErrorKind::OutOfMemory => {
                Err(self.out_of_memory("(opening)", 0))
            }
            other => Ok(Member::Unreadable(other.to_string())),
        }
    }
}

/// Whether a decoder or rule may read a response's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyUse {
    Read,
    /// Read, and chunked: kept de-chunked.
    ReadChunked,
    /// Not read: count it, keep the header section.
    Unread,
    /// Not read, but chunked: its length is only known once de-chunked.
    UnreadChunked,
}

/// What may read the body of the response whose header section is `head`.
/// What they read (`src/decode/finder.rs` `worth_scanning`,
/// `src/rules/webview`): bodies without a type, HTML, JSON, `text/*`,
/// JavaScript; and any body of an error response
/// (`rules/error_surface.rs` reads those whatever their type), or of an
/// interim or non-2xx answer. So only a 2xx answer of a binary media type
/// ([`is_binary_media`]) is not kept.
pub(super) fn body_use(head: &[u8], limits: &Limits) -> BodyUse {
    // A first look at the raw field lines; only a binary type needs the
    // full parse (which alone decides to drop a body). Missing a field
    // here only keeps the body, and a chunked one is checked again when
    // de-chunked.
    let (mut binary, mut chunked) = (false, false);
    for line in head.split(|b| *b == b'\n') {
        let Some((name, value)) =
            line.split_at_checked(line.iter().position(|b| *b == b':').unwrap_or(0))
        else {
            continue;
        };
        let name = name.trim_ascii();
        if name.eq_ignore_ascii_case(b"content-type") {
            let value = String::from_utf8_lossy(value.get(1..).unwrap_or_default());
            binary |= is_binary_media(&mime_essence(&value));
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked = true;
        }
    }
    if !binary {
        return if chunked {
            BodyUse::ReadChunked
        } else {
            BodyUse::Read
        };
    }
    let Ok(r) = raw_http::parse_response(head, "GET", limits) else {
        return BodyUse::Read;
    };
    let chunked = header(&r.headers, "transfer-encoding").is_some();
    let read = !r.interim.is_empty()
        || !(200..300).contains(&r.status)
        || header(&r.headers, "content-type").is_none_or(|t| !is_binary_media(&mime_essence(t)));
    match (read, chunked) {
        (true, false) => BodyUse::Read,
        (true, true) => BodyUse::ReadChunked,
        (false, false) => BodyUse::Unread,
        (false, true) => BodyUse::UnreadChunked,
    }
}

/// Images (but SVG, which is XML text), fonts, audio, video, WebAssembly,
/// PDF, archives and `application/octet-stream`: types no decoder reads.
pub(super) fn is_binary_media(essence: &str) -> bool {
    let (top, sub) = essence.split_once('/').unwrap_or((essence, ""));
    match top {
        "image" => !sub.starts_with("svg"),
        "font" | "audio" | "video" => true,
        "application" => {
            matches!(
                sub,
                "wasm"
                    | "octet-stream"
                    | "pdf"
                    | "zip"
                    | "font-woff"
                    | "font-woff2"
                    | "font-sfnt"
                    | "vnd.ms-fontobject"
                    | "x-font-ttf"
                    | "x-font-otf"
                    | "x-font-woff"
            )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out `data`, then fails with `error`.
    struct Failing {
        data: &'static [u8],
        error: io::ErrorKind,
    }

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.data.is_empty() {
                return Err(self.error.into());
            }
            let n = self.data.len().min(buf.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn options(limits: Limits) -> LoadOptions {
        LoadOptions {
            limits,
            ..LoadOptions::default()
        }
    }

    #[test]
    fn out_of_memory_refuses_the_archive() {
        let o = options(Limits::default());
        for kind in [Kind::Request, Kind::Response, Kind::Metadata] {
            let mut x = Extraction::new(&o, false);
            let file = Failing {
                data: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>",
                error: io::ErrorKind::OutOfMemory,
            };
            let r = x.read(file, "raw/1_s.txt", kind, false, 0);
            assert!(
                matches!(&r, Err(CaptureError::OutOfMemory { what, .. }) if what.contains("raw/1_s.txt")),
                "{kind:?}: {:?}",
                r.as_ref().map(|_| ())
            );
            // Even when keeping what a truncated zip had.
            let mut x = Extraction::new(&o, true);
            let file = Failing {
                data: b"GET / HTTP/1.1\r\n\r\n",
                error: io::ErrorKind::OutOfMemory,
            };
            assert!(matches!(
                x.read(file, "raw/1_c.txt", kind, false, 0),
                Err(CaptureError::OutOfMemory { .. })
            ));
        }
    }

    #[test]
    fn other_read_errors_leave_the_member_unreadable() {
        let o = options(Limits::default());
        let mut x = Extraction::new(&o, false);
        let file = Failing {
            data: b"HTTP/1.1 200 OK\r\n",
            error: io::ErrorKind::InvalidData,
        };
        let m = x.read(file, "raw/1_s.txt", Kind::Response, false, 0);
        assert!(matches!(m, Ok(Member::Unreadable(_))));
    }

    #[test]
    fn counts_bodies_no_decoder_reads() {
        let o = options(Limits::default());
        let cases: [(&[u8], Option<u64>); 7] = [
            (b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG....", Some(8)),
            (b"HTTP/1.1 200 OK\r\nContent-Type: font/woff2\r\n\r\nwOF2", Some(4)),
            (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>", None),
            (b"HTTP/1.1 200 OK\r\nContent-Type: image/svg+xml\r\n\r\n<svg/>", None),
            (b"HTTP/1.1 404 Not Found\r\nContent-Type: image/png\r\n\r\nAADSTS", None),
            (
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n",
                Some(3),
            ),
            // Trailer fields become exchange metadata: kept whole.
            (
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-T: 1\r\n\r\n",
                None,
            ),
        ];
        for (bytes, counted) in cases {
            let mut x = Extraction::new(&o, false);
            let m = x
                .read(bytes, "raw/1_s.txt", Kind::Response, false, 0)
                .unwrap();
            let got = match m {
                Member::Head { body, head, .. } => {
                    assert!(head.ends_with(b"\r\n\r\n"));
                    Some(body)
                }
                _ => None,
            };
            assert_eq!(got, counted, "{}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn keeps_a_clean_chunked_body_de_chunked() {
        let o = options(Limits::default());
        let chunked: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let mut x = Extraction::new(&o, false);
        let m = x
            .read(chunked, "raw/1_s.txt", Kind::Response, false, 0)
            .unwrap();
        assert!(
            matches!(&m, Member::Dechunked { head, body } if head.ends_with(b"chunked\r\n\r\n") && body == b"hello world")
        );
        // Trailers, a cut body, or bytes that are not chunks: kept whole.
        for whole in [
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-T: 1\r\n\r\n"
                .as_slice(),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wo",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{\"a\":1}",
        ] {
            let m = x
                .read(whole, "raw/1_s.txt", Kind::Response, false, 0)
                .unwrap();
            assert!(
                matches!(m, Member::Bytes(_)),
                "{}",
                String::from_utf8_lossy(whole)
            );
        }
    }

    #[test]
    fn bodies_over_the_body_limit_are_counted() {
        let o = options(Limits {
            max_body_bytes: 10,
            max_header_bytes: 64,
            ..Limits::default()
        });
        let mut x = Extraction::new(&o, false);
        let bytes: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n0123456789abcdef";
        let m = x
            .read(bytes, "raw/1_s.txt", Kind::Response, false, 0)
            .unwrap();
        assert!(matches!(
            m,
            Member::Head {
                body: 16,
                too_large: true,
                ..
            }
        ));
        let xml = [b"<Session/>".as_slice(), &[b' '; 70]].concat();
        let m = x.read(xml.as_slice(), "raw/1_m.xml", Kind::Metadata, false, 0);
        assert!(matches!(m, Ok(Member::Unreadable(_))));
    }

    #[test]
    fn refuses_past_either_budget() {
        let o = options(Limits {
            max_decompressed_bytes: 100,
            ..Limits::default()
        });
        let mut x = Extraction::new(&o, false);
        let png = [
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n".as_slice(),
            &[0u8; 100],
        ]
        .concat();
        let r = x.read(png.as_slice(), "raw/1_s.txt", Kind::Response, false, 0);
        assert!(matches!(
            r,
            Err(CaptureError::TooLarge {
                flag: "--max-decompressed",
                ..
            })
        ));
        let o = options(Limits {
            max_retained_bytes: 150,
            ..Limits::default()
        });
        let mut x = Extraction::new(&o, false);
        let html = [b"HTTP/1.1 200 OK\r\n\r\n".as_slice(), &[b'a'; 60]].concat();
        assert!(
            x.read(html.as_slice(), "raw/1_s.txt", Kind::Response, false, 0)
                .is_ok()
        );
        let r = x.read(html.as_slice(), "raw/2_s.txt", Kind::Response, false, 0);
        assert!(matches!(
            r,
            Err(CaptureError::TooLarge {
                flag: "--max-retained",
                ..
            })
        ));
        // Images are counted, not kept: only their 46-byte heads use the
        // retained budget.
        let mut x = Extraction::new(&o, false);
        for _ in 0..3 {
            assert!(
                x.read(png.as_slice(), "raw/1_s.txt", Kind::Response, false, 0)
                    .is_ok()
            );
        }
    }
}
