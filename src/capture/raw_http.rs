//! Raw HTTP/1.x messages as Fiddler stores them in a SAZ (`raw/NN_c.txt`,
//! `raw/NN_s.txt`): one request or one response per file, the header section
//! as sent, then the body.
//!
//! The grammar is RFC 9112, quoted next to the code that implements it. The
//! parser is lenient where captures differ from the wire and the meaning
//! stays clear: bare LF line endings (§2.2), obsolete line folding (§5.2),
//! white space before a field's colon, empty lines before a request-line,
//! a header section cut off by the end of the file, a body declared chunked
//! but stored de-chunked (kept as is), a request body without any framing
//! header (read to the end, since Fiddler stored it), interim 1xx responses
//! stored ahead of the final one (skipped).
//!
//! Invariants:
//! - Never panics, whatever the bytes. An [`HttpError`] says what is wrong
//!   and at which byte offset from the start of the file.
//! - The header section (and a chunked body's trailer section) is bounded by
//!   [`Limits::max_headers`] and [`Limits::max_header_bytes`], checked line
//!   by line, before it grows.
//! - Names, values and bodies borrow from the input (`Cow::Borrowed`) unless
//!   they had to be rebuilt: an obs-fold joined, invalid UTF-8 replaced
//!   (lossy), several chunks concatenated. A de-chunked body is never larger
//!   than the input.
//! - "Incomplete" is a state, not an error: a Content-Length longer than the
//!   data, or a chunked body without its last chunk, keeps the bytes there
//!   are and says `complete: false`.

use std::borrow::Cow;

use nom::IResult;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, hex_digit1, space0, space1};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::{pair, tuple};
use thiserror::Error;

use super::limits::Limits;
use super::model::Header;

/// Why a raw message could not be parsed. Offsets count bytes from the start
/// of the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HttpError {
    #[error("the message is empty")]
    Empty,
    #[error("malformed request-line at byte {offset}: {reason}")]
    RequestLine { offset: usize, reason: &'static str },
    #[error("malformed status-line at byte {offset}: {reason}")]
    StatusLine { offset: usize, reason: &'static str },
    #[error("malformed header field at byte {offset}: {reason}")]
    Field { offset: usize, reason: &'static str },
    #[error("more than {limit} header fields (at byte {offset}); raise --max-headers to read them")]
    TooManyHeaders { limit: usize, offset: usize },
    #[error(
        "header section is larger than {limit} bytes (at byte {offset}); raise --max-header-size to read it"
    )]
    HeaderSectionTooLarge { limit: usize, offset: usize },
}

/// How the request-target is written (RFC 9112 §3.2).
///
/// ```text
/// request-target = origin-form / absolute-form / authority-form / asterisk-form
/// origin-form    = absolute-path [ "?" query ]
/// absolute-form  = absolute-URI
/// authority-form = uri-host ":" port
/// asterisk-form  = "*"
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetForm {
    /// `/path?query`: the host is in the `Host` header.
    Origin,
    /// `https://host/path`: what Fiddler writes for proxied requests.
    Absolute,
    /// `host:443`: the target of a `CONNECT`.
    Authority,
    /// `*`: server-wide `OPTIONS`.
    Asterisk,
}

impl TargetForm {
    fn of(method: &[u8], target: &[u8]) -> TargetForm {
        if method.eq_ignore_ascii_case(b"CONNECT") {
            TargetForm::Authority
        } else if target == b"*" {
            TargetForm::Asterisk
        } else if target.starts_with(b"/") {
            TargetForm::Origin
        } else if has_scheme(target) {
            TargetForm::Absolute
        } else {
            TargetForm::Authority
        }
    }
}

/// `scheme "://"` with `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn has_scheme(target: &[u8]) -> bool {
    let Some(colon) = memchr::memchr(b':', target) else {
        return false;
    };
    let (scheme, rest) = target.split_at(colon);
    matches!(scheme.first(), Some(b) if b.is_ascii_alphabetic())
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && rest.starts_with(b"://")
}

/// How the body's length was determined (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No content by rule: a response to HEAD, 1xx, 204, 304, a 2xx to
    /// CONNECT, or a CONNECT request.
    None,
    /// `Content-Length` octets.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`, de-chunked here.
    Chunked,
    /// Declared chunked, but the bytes are not a chunked body (Fiddler had
    /// already removed the chunking): kept as recorded.
    ChunkedRaw,
    /// Everything up to the end of the file.
    UntilEnd,
}

/// A message body after transfer decoding (chunked), before content codings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody<'a> {
    pub data: Cow<'a, [u8]>,
    pub framing: Framing,
    /// False when the file ends before the body does.
    pub complete: bool,
    /// Fields of a chunked body's trailer section.
    pub trailers: Vec<Header<'a>>,
    /// Bytes after the framed body: beyond the Content-Length, after the
    /// last chunk, or Fiddler's notes after a CONNECT.
    pub trailing: &'a [u8],
}

impl<'a> MessageBody<'a> {
    fn empty(framing: Framing, complete: bool, trailing: &'a [u8]) -> MessageBody<'a> {
        MessageBody {
            data: Cow::Borrowed(&[]),
            framing,
            complete,
            trailers: Vec::new(),
            trailing,
        }
    }
}

/// A parsed request (`NN_c.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRequest<'a> {
    pub method: Cow<'a, str>,
    /// The request-target as written.
    pub target: Cow<'a, str>,
    pub form: TargetForm,
    /// `HTTP/1.1`.
    pub version: Cow<'a, str>,
    pub headers: Vec<Header<'a>>,
    /// False when the file ends before the empty line closing the headers.
    pub head_complete: bool,
    pub body: MessageBody<'a>,
}

/// A parsed response (`NN_s.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedResponse<'a> {
    pub version: Cow<'a, str>,
    pub status: u16,
    pub reason: Cow<'a, str>,
    pub headers: Vec<Header<'a>>,
    /// False when the file ends before the empty line closing the headers.
    pub head_complete: bool,
    pub body: MessageBody<'a>,
    /// Interim (1xx) responses recorded before this one, by status.
    pub interim: Vec<u16>,
}

/// Parses a request file: request-line, header section, body.
///
/// ```text
/// HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
/// request-line = method SP request-target SP HTTP-version
/// ```
pub fn parse_request<'a>(bytes: &'a [u8], limits: &Limits) -> Result<ParsedRequest<'a>, HttpError> {
    // §2.2: "a server that is expecting to receive and parse a request-line
    // SHOULD ignore at least one empty line (CRLF) received prior to the
    // request-line."
    let start = skip_empty_lines(bytes, 0);
    if start >= bytes.len() {
        return Err(HttpError::Empty);
    }
    let line = line_at(bytes, start);
    check_head_size(line.next, start, limits)?;
    let RequestLine {
        method,
        target,
        version,
    } = request_line(line.text).map_err(|(at, reason)| HttpError::RequestLine {
        offset: start + at,
        reason,
    })?;
    let head = field_section(bytes, line.next, start, limits)?;
    let form = TargetForm::of(method, target);
    let body = if !head.complete {
        MessageBody::empty(Framing::UntilEnd, false, &[])
    } else if method.eq_ignore_ascii_case(b"CONNECT") {
        // RFC 9110 §9.3.6: "A CONNECT request message does not have
        // content." Fiddler writes its notes on the TLS handshake there.
        MessageBody::empty(Framing::None, true, rest_at(bytes, head.end))
    } else {
        // §6.3: with neither Transfer-Encoding nor Content-Length a request
        // has no content; Fiddler only stores what was sent, so whatever
        // follows is the body.
        framed_body(bytes, head.end, &head.fields, limits)?
    };
    Ok(ParsedRequest {
        method: lossy(method),
        target: lossy(target),
        form,
        version: lossy(version),
        headers: head.fields,
        head_complete: head.complete,
        body,
    })
}

/// Parses a response file. `request_method` decides whether a body may
/// follow (HEAD, CONNECT); interim 1xx responses before the final one are
/// skipped and listed in [`ParsedResponse::interim`].
///
/// ```text
/// status-line = HTTP-version SP status-code SP [ reason-phrase ]
/// ```
pub fn parse_response<'a>(
    bytes: &'a [u8],
    request_method: &str,
    limits: &Limits,
) -> Result<ParsedResponse<'a>, HttpError> {
    let mut start = skip_empty_lines(bytes, 0);
    let mut interim = Vec::new();
    loop {
        let mut response = response_at(bytes, start, request_method, limits)?;
        let next = bytes.len().saturating_sub(response.body.trailing.len());
        let is_interim = (100..200).contains(&response.status) && response.status != 101;
        let followed = rest_at(bytes, skip_empty_lines(bytes, next)).starts_with(b"HTTP/");
        if is_interim && response.head_complete && followed {
            interim.push(response.status);
            start = skip_empty_lines(bytes, next);
            continue;
        }
        response.interim = interim;
        return Ok(response);
    }
}

/// Where the body of the message at the start of `bytes` begins: just
/// after the empty line that closes its header section. `None` when that
/// section does not end within `bytes`, or is malformed or over the
/// limits (the full parse then says why). Lets a reader keep a message's
/// head and stream its body.
pub fn body_start(bytes: &[u8], limits: &Limits) -> Option<usize> {
    let start = skip_empty_lines(bytes, 0);
    let line = line_at(bytes, start);
    if line.text.is_empty() || !line.terminated {
        return None;
    }
    check_head_size(line.next, start, limits).ok()?;
    let head = field_section(bytes, line.next, start, limits).ok()?;
    head.complete.then_some(head.end)
}

fn response_at<'a>(
    bytes: &'a [u8],
    start: usize,
    request_method: &str,
    limits: &Limits,
) -> Result<ParsedResponse<'a>, HttpError> {
    if start >= bytes.len() {
        return Err(HttpError::Empty);
    }
    let line = line_at(bytes, start);
    check_head_size(line.next, start, limits)?;
    let StatusLine {
        version,
        status,
        reason,
    } = status_line(line.text).map_err(|(at, reason)| HttpError::StatusLine {
        offset: start + at,
        reason,
    })?;
    let head = field_section(bytes, line.next, start, limits)?;
    // §6.3 rules 1 and 2: "Any response to a HEAD request and any response
    // with a 1xx (Informational), 204 (No Content), or 304 (Not Modified)
    // status code is always terminated by the first empty line after the
    // header fields [...]. Any 2xx (Successful) response to a CONNECT request
    // implies that the connection will become a tunnel immediately after the
    // empty line that concludes the header fields."
    let no_content = request_method.eq_ignore_ascii_case("HEAD")
        || (100..200).contains(&status)
        || status == 204
        || status == 304
        || (request_method.eq_ignore_ascii_case("CONNECT") && (200..300).contains(&status));
    let body = if !head.complete {
        MessageBody::empty(Framing::UntilEnd, false, &[])
    } else if no_content {
        MessageBody::empty(Framing::None, true, rest_at(bytes, head.end))
    } else {
        framed_body(bytes, head.end, &head.fields, limits)?
    };
    Ok(ParsedResponse {
        version: lossy(version),
        status,
        reason: lossy(reason),
        headers: head.fields,
        head_complete: head.complete,
        body,
        interim: Vec::new(),
    })
}

// ---------------------------------------------------------------------------
// Lines

/// One line: its content without the line terminator, and where the next
/// line starts.
struct Line<'a> {
    text: &'a [u8],
    next: usize,
    /// False when the file ends before the line's LF.
    terminated: bool,
}

/// §2.2: "Although the line terminator for the start-line and fields is the
/// sequence CRLF, a recipient MAY recognize a single LF as a line terminator
/// and ignore any preceding CR."
fn line_at(bytes: &[u8], pos: usize) -> Line<'_> {
    let rest = rest_at(bytes, pos);
    match memchr::memchr(b'\n', rest) {
        Some(lf) => {
            let raw = rest.get(..lf).unwrap_or_default();
            Line {
                text: raw.strip_suffix(b"\r").unwrap_or(raw),
                next: pos + lf + 1,
                terminated: true,
            }
        }
        None => Line {
            text: rest,
            next: bytes.len(),
            terminated: false,
        },
    }
}

fn rest_at(bytes: &[u8], pos: usize) -> &[u8] {
    bytes.get(pos..).unwrap_or_default()
}

fn skip_empty_lines(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        let rest = rest_at(bytes, pos);
        if rest.starts_with(b"\r\n") {
            pos += 2;
        } else if rest.starts_with(b"\n") {
            pos += 1;
        } else {
            return pos;
        }
    }
}

fn check_head_size(end: usize, start: usize, limits: &Limits) -> Result<(), HttpError> {
    if end.saturating_sub(start) > limits.max_header_bytes {
        return Err(HttpError::HeaderSectionTooLarge {
            limit: limits.max_header_bytes,
            offset: start + limits.max_header_bytes,
        });
    }
    Ok(())
}

/// Text as written, invalid UTF-8 replaced. `from_utf8` first: its ASCII
/// fast path is much quicker than `from_utf8_lossy`'s chunk walk, and
/// header bytes are nearly always valid.
pub(super) fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

// ---------------------------------------------------------------------------
// Start lines

type PResult<'a, T> = IResult<&'a [u8], T, ()>;

/// ```text
/// token = 1*tchar
/// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
/// ```
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn token(i: &[u8]) -> PResult<'_, &[u8]> {
    take_while1(is_tchar)(i)
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// ```text
/// HTTP-version = HTTP-name "/" DIGIT "." DIGIT
/// HTTP-name    = %s"HTTP"
/// ```
/// Lenient: more than one digit, and no minor version (`HTTP/2`).
fn http_version(i: &[u8]) -> PResult<'_, &[u8]> {
    recognize(tuple((tag("HTTP/"), digit1, opt(pair(char('.'), digit1)))))(i)
}

/// Where a nom parser stopped, as an offset into `line`.
fn at(line: &[u8], rest: &[u8]) -> usize {
    line.len().saturating_sub(rest.len())
}

/// Where in a line parsing stopped, and why.
type LineError = (usize, &'static str);

struct RequestLine<'a> {
    method: &'a [u8],
    target: &'a [u8],
    version: &'a [u8],
}

struct StatusLine<'a> {
    version: &'a [u8],
    status: u16,
    reason: &'a [u8],
}

/// ```text
/// request-line = method SP request-target SP HTTP-version
/// method       = token
/// ```
/// Lenient: several spaces or tabs between the parts, trailing white space.
fn request_line(line: &[u8]) -> Result<RequestLine<'_>, LineError> {
    let (i, method) = token(line).map_err(|_| (0, "expected a method token"))?;
    let (i, _) =
        space1(i).map_err(|_: nom::Err<()>| (at(line, i), "expected a space after the method"))?;
    let (i, target) = take_while1(|b: u8| !is_ws(b))(i)
        .map_err(|_: nom::Err<()>| (at(line, i), "expected a request-target"))?;
    let (i, _) = space1(i).map_err(|_: nom::Err<()>| {
        (
            at(line, i),
            "expected a space and the HTTP version after the target",
        )
    })?;
    let (i, version) =
        http_version(i).map_err(|_| (at(line, i), "expected an HTTP version such as HTTP/1.1"))?;
    let (i, _) = space0::<_, ()>(i).unwrap_or((i, &[]));
    if !i.is_empty() {
        return Err((at(line, i), "unexpected bytes after the HTTP version"));
    }
    Ok(RequestLine {
        method,
        target,
        version,
    })
}

/// ```text
/// status-line   = HTTP-version SP status-code SP [ reason-phrase ]
/// status-code   = 3DIGIT
/// reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
/// ```
/// Lenient: the SP after the status code may be missing.
fn status_line(line: &[u8]) -> Result<StatusLine<'_>, LineError> {
    let (i, version) =
        http_version(line).map_err(|_| (0, "expected an HTTP version such as HTTP/1.1"))?;
    let (i, _) = space1(i)
        .map_err(|_: nom::Err<()>| (at(line, i), "expected a space after the HTTP version"))?;
    let (i, code) = take_while_m_n(3, 3, |b: u8| b.is_ascii_digit())(i)
        .map_err(|_: nom::Err<()>| (at(line, i), "expected a three-digit status code"))?;
    if i.first().is_some_and(|b| !is_ws(*b)) {
        return Err((at(line, i), "expected a space after the status code"));
    }
    let status = code
        .iter()
        .fold(0u16, |n, d| n * 10 + u16::from(d.saturating_sub(b'0')));
    Ok(StatusLine {
        version,
        status,
        reason: i.trim_ascii(),
    })
}

// ---------------------------------------------------------------------------
// Header and trailer sections

/// The fields of a header or trailer section and where it ends.
struct Section<'a> {
    fields: Vec<Header<'a>>,
    /// Offset just past the empty line (or the end of the file).
    end: usize,
    /// False when the file ends before the empty line.
    complete: bool,
}

/// ```text
/// *( field-line CRLF ) CRLF
/// field-line  = field-name ":" OWS field-value OWS
/// field-name  = token
/// field-value = *field-content
/// obs-fold    = OWS CRLF RWS
///             ; obsolete line folding
/// ```
/// §5.2: "A user agent that receives an obs-fold in a response message [...]
/// MUST replace each received obs-fold with one or more SP octets prior to
/// interpreting the field value." Done here for requests too.
///
/// `first` is where the message starts: the section's size counts from it,
/// so the start-line is included in [`Limits::max_header_bytes`].
fn field_section<'a>(
    bytes: &'a [u8],
    mut pos: usize,
    first: usize,
    limits: &Limits,
) -> Result<Section<'a>, HttpError> {
    let mut fields: Vec<Header<'a>> = Vec::new();
    loop {
        if pos >= bytes.len() {
            return Ok(Section {
                fields,
                end: bytes.len(),
                complete: false,
            });
        }
        let line = line_at(bytes, pos);
        check_head_size(line.next, first, limits)?;
        if line.text.is_empty() {
            return Ok(Section {
                fields,
                end: line.next,
                complete: line.terminated,
            });
        }
        if line.text.first().copied().is_some_and(is_ws) {
            // §2.2: whitespace-preceded lines before the first field are
            // consumed "without further processing".
            if let Some(last) = fields.last_mut() {
                let more = line.text.trim_ascii();
                if !more.is_empty() {
                    let mut joined = std::mem::take(&mut last.value).into_owned();
                    joined.push(' ');
                    joined.push_str(&lossy(more));
                    last.value = Cow::Owned(joined);
                }
            }
        } else {
            if fields.len() >= limits.max_headers {
                return Err(HttpError::TooManyHeaders {
                    limit: limits.max_headers,
                    offset: pos,
                });
            }
            fields.push(
                field_line(line.text).map_err(|(col, reason)| HttpError::Field {
                    offset: pos + col,
                    reason,
                })?,
            );
        }
        pos = line.next;
    }
}

/// One `field-name ":" OWS field-value OWS`. Lenient: white space before
/// the colon (RFC 9112 §5.1 says to reject it; captures keep it).
fn field_line(line: &[u8]) -> Result<Header<'_>, (usize, &'static str)> {
    let (i, name) = token(line).map_err(|_| (0, "expected a field name (a token) before ':'"))?;
    let (i, _) = space0::<_, ()>(i).unwrap_or((i, &[]));
    let (value, _) =
        char::<_, ()>(':')(i).map_err(|_| (at(line, i), "expected ':' after the field name"))?;
    Ok(Header {
        name: lossy(name),
        value: lossy(trim_ows(value)),
    })
}

/// `OWS = *( SP / HTAB )` on both sides.
fn trim_ows(value: &[u8]) -> &[u8] {
    let start = value.iter().position(|b| !is_ws(*b)).unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_ws(*b))
        .map_or(start, |e| e + 1);
    value.get(start..end).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Body framing

/// §6.3 rules 3 to 8, for a message that may have content:
///
/// 3. "If a Transfer-Encoding header field is present and the chunked
///    transfer coding is the final encoding, the message body length is
///    determined by reading and decoding the chunked data until the transfer
///    coding indicates the data is complete." Otherwise, in a response, "the
///    message body length is determined by reading the connection until it
///    is closed by the server".
/// 4. Transfer-Encoding overrides Content-Length.
/// 5. An invalid Content-Length is an unrecoverable error on the wire; in a
///    capture the bytes are there, so the body is read to the end.
/// 6. "If a valid Content-Length header field is present [...] its decimal
///    value defines the expected message body length in octets."
///
/// Rules 7 and 8: otherwise read to the end (see [`parse_request`] for
/// requests).
fn framed_body<'a>(
    bytes: &'a [u8],
    pos: usize,
    headers: &[Header<'_>],
    limits: &Limits,
) -> Result<MessageBody<'a>, HttpError> {
    let rest = rest_at(bytes, pos);
    if let Some(chunked) = transfer_chunked(headers) {
        if !chunked {
            return Ok(until_end(rest));
        }
        return Ok(match dechunk(bytes, pos, limits)? {
            Some(body) => body,
            None => MessageBody {
                framing: Framing::ChunkedRaw,
                ..until_end(rest)
            },
        });
    }
    match content_length(headers) {
        Some(Ok(length)) => {
            let take = usize::try_from(length)
                .unwrap_or(usize::MAX)
                .min(rest.len());
            let (data, trailing) = rest.split_at_checked(take).unwrap_or((rest, &[]));
            Ok(MessageBody {
                data: Cow::Borrowed(data),
                framing: Framing::ContentLength(length),
                complete: take as u64 == length,
                trailers: Vec::new(),
                trailing,
            })
        }
        Some(Err(())) | None => Ok(until_end(rest)),
    }
}

fn until_end(rest: &[u8]) -> MessageBody<'_> {
    MessageBody {
        data: Cow::Borrowed(rest),
        framing: Framing::UntilEnd,
        complete: true,
        trailers: Vec::new(),
        trailing: &[],
    }
}

/// `Transfer-Encoding = #transfer-coding`: `None` when absent, else whether
/// `chunked` is the final coding.
fn transfer_chunked(headers: &[Header<'_>]) -> Option<bool> {
    let mut last: Option<&str> = None;
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
    {
        for coding in h.value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            last = Some(coding);
        }
        last = last.or(Some(""));
    }
    last.map(|c| {
        c.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("chunked")
    })
}

/// `Content-Length = 1*DIGIT`. RFC 9110 §8.6 lets a recipient accept a list
/// of identical values (`42, 42`), also spread over several fields. `None`
/// when absent, `Err` when invalid or conflicting.
fn content_length(headers: &[Header<'_>]) -> Option<Result<u64, ()>> {
    let mut found: Option<u64> = None;
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
    {
        for part in h.value.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Err(()));
            }
            let Ok(n) = part.parse::<u64>() else {
                return Some(Err(()));
            };
            if found.is_some_and(|f| f != n) {
                return Some(Err(()));
            }
            found = Some(n);
        }
    }
    found.map(Ok)
}

/// De-chunks a chunked body (RFC 9112 §7.1):
///
/// ```text
/// chunked-body   = *chunk
///                  last-chunk
///                  trailer-section
///                  CRLF
///
/// chunk          = chunk-size [ chunk-ext ] CRLF
///                  chunk-data CRLF
/// chunk-size     = 1*HEXDIG
/// last-chunk     = 1*("0") [ chunk-ext ] CRLF
///
/// chunk-data     = 1*OCTET ; a sequence of chunk-size octets
///
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name
///                     [ BWS "=" BWS chunk-ext-val ] )
/// chunk-ext-name = token
/// chunk-ext-val  = token / quoted-string
///
/// trailer-section = *( field-line CRLF )
/// ```
///
/// `Ok(None)` when the bytes are not a chunked body at all (Fiddler stored
/// them de-chunked): the first chunk must be whole, and every chunk-size
/// line must parse. A body cut off after its first chunk is kept as far as
/// it goes, with `complete: false`. Extensions are parsed and dropped.
fn dechunk<'a>(
    bytes: &'a [u8],
    pos: usize,
    limits: &Limits,
) -> Result<Option<MessageBody<'a>>, HttpError> {
    let mut pieces: Vec<&'a [u8]> = Vec::new();
    let mut p = pos;
    let mut first_chunk = true;
    let mut trailers = Vec::new();
    let complete = loop {
        if p >= bytes.len() {
            if first_chunk {
                return Ok(None);
            }
            break false;
        }
        let line = line_at(bytes, p);
        let Some(size) = chunk_size_line(line.text) else {
            return Ok(None);
        };
        if !line.terminated {
            if first_chunk {
                return Ok(None);
            }
            break false;
        }
        p = line.next;
        if size == 0 {
            // A malformed trailer section ends the body without trailers;
            // limits still apply, counted from the trailer section's start.
            match field_section(bytes, p, p, limits) {
                Ok(section) => {
                    trailers = section.fields;
                    p = section.end;
                }
                Err(
                    e
                    @ (HttpError::TooManyHeaders { .. } | HttpError::HeaderSectionTooLarge { .. }),
                ) => {
                    return Err(e);
                }
                Err(_) => {}
            }
            break true;
        }
        let rest = rest_at(bytes, p);
        let Some(data) = usize::try_from(size).ok().and_then(|n| rest.get(..n)) else {
            if first_chunk {
                return Ok(None);
            }
            pieces.push(rest);
            p = bytes.len();
            break false;
        };
        pieces.push(data);
        p += data.len();
        let after = rest_at(bytes, p);
        if after.starts_with(b"\r\n") {
            p += 2;
        } else if after.starts_with(b"\n") {
            p += 1;
        } else if after.is_empty() && !first_chunk {
            break false;
        } else {
            return Ok(None);
        }
        first_chunk = false;
    };
    let data = match pieces.as_slice() {
        [] => Cow::Borrowed(&[][..]),
        [one] => Cow::Borrowed(*one),
        many => Cow::Owned(many.concat()),
    };
    Ok(Some(MessageBody {
        data,
        framing: Framing::Chunked,
        complete,
        trailers,
        trailing: rest_at(bytes, p),
    }))
}

/// `chunk-size [ chunk-ext ]` (trailing white space allowed), as a number.
/// `None` when the line is not one, or the size overflows.
fn chunk_size_line(line: &[u8]) -> Option<u64> {
    let parsed: PResult<'_, &[u8]> =
        tuple((hex_digit1, many0(chunk_ext), space0))(line).map(|(i, (size, _, _))| (i, size));
    let (rest, size) = parsed.ok()?;
    if !rest.is_empty() || size.len() > 16 {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(size).ok()?, 16).ok()
}

/// `BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ]`
fn chunk_ext(i: &[u8]) -> PResult<'_, ()> {
    let (i, _) = tuple((space0, char(';'), space0, token))(i)?;
    let (i, _) = opt(tuple((
        space0,
        char('='),
        space0,
        alt((token, quoted_string)),
    )))(i)?;
    Ok((i, ()))
}

/// ```text
/// quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
/// qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
/// quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
/// ```
fn quoted_string(i: &[u8]) -> PResult<'_, &[u8]> {
    let (body, _) = char('"')(i)?;
    let mut k = 0;
    while let Some(&b) = body.get(k) {
        match b {
            b'"' => {
                let end = k + 2; // both quotes
                let (matched, rest) = i.split_at_checked(end).ok_or(nom::Err::Error(()))?;
                return Ok((rest, matched));
            }
            b'\\' if body.get(k + 1).is_some() => k += 2,
            b'\t' | b' ' | 0x21..=0x7e | 0x80..=0xff => k += 1,
            _ => break,
        }
    }
    Err(nom::Err::Error(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    fn req(raw: &str) -> ParsedRequest<'_> {
        parse_request(raw.as_bytes(), &limits()).unwrap()
    }

    fn resp<'a>(raw: &'a [u8], method: &str) -> ParsedResponse<'a> {
        parse_response(raw, method, &limits()).unwrap()
    }

    #[test]
    fn reads_request_targets_in_every_form() {
        let cases = [
            (
                "GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET",
                "/a?b=1",
                TargetForm::Origin,
            ),
            (
                "GET https://login.example/authorize?x=1 HTTP/1.1\r\n\r\n",
                "GET",
                "https://login.example/authorize?x=1",
                TargetForm::Absolute,
            ),
            (
                "CONNECT login.example:443 HTTP/1.1\r\n\r\n",
                "CONNECT",
                "login.example:443",
                TargetForm::Authority,
            ),
            (
                "OPTIONS * HTTP/1.1\r\n\r\n",
                "OPTIONS",
                "*",
                TargetForm::Asterisk,
            ),
        ];
        for (raw, method, target, form) in cases {
            let r = req(raw);
            assert_eq!(
                (r.method.as_ref(), r.target.as_ref(), r.form),
                (method, target, form),
                "{raw}"
            );
            assert_eq!(r.version, "HTTP/1.1");
            assert!(matches!(r.method, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn accepts_bare_lf_and_empty_lines_before_the_request_line() {
        let r = req("\r\n\nPOST /x HTTP/1.1\nHost: a\nContent-Length: 3\n\nabc");
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.body.data.as_ref(), b"abc");
        assert!(r.head_complete && r.body.complete);
    }

    #[test]
    fn joins_obs_fold_with_a_space() {
        let r = req("GET / HTTP/1.1\r\nX-Long: one\r\n  two\r\n\tthree\r\nB: c\r\n\r\n");
        assert_eq!(r.headers[0].value, "one two three");
        assert_eq!(r.headers[1].name, "B");
        assert!(matches!(r.headers[1].value, Cow::Borrowed(_)));
    }

    #[test]
    fn trims_ows_and_accepts_space_before_colon() {
        let r = req("GET / HTTP/1.1\r\nA :  v w \t\r\nEmpty:\r\n\r\n");
        assert_eq!(
            (r.headers[0].name.as_ref(), r.headers[0].value.as_ref()),
            ("A", "v w")
        );
        assert_eq!(r.headers[1].value, "");
    }

    #[test]
    fn replaces_invalid_utf8_in_header_values() {
        let r = parse_request(b"GET / HTTP/1.1\r\nX: caf\xe9\r\n\r\n", &limits()).unwrap();
        assert_eq!(r.headers[0].value, "caf\u{fffd}");
    }

    #[test]
    fn rejects_malformed_lines_with_their_offset() {
        let cases: [(&[u8], HttpError); 5] = [
            (b"", HttpError::Empty),
            (
                b"GET\r\n",
                HttpError::RequestLine {
                    offset: 3,
                    reason: "expected a space after the method",
                },
            ),
            (
                b"GET / HTTX/1.1\r\n",
                HttpError::RequestLine {
                    offset: 6,
                    reason: "expected an HTTP version such as HTTP/1.1",
                },
            ),
            (
                b"GET / HTTP/1.1\r\nok: 1\r\nno colon\r\n\r\n",
                HttpError::Field {
                    offset: 26,
                    reason: "expected ':' after the field name",
                },
            ),
            (
                b"GET / HTTP/1.1\r\n: v\r\n\r\n",
                HttpError::Field {
                    offset: 16,
                    reason: "expected a field name (a token) before ':'",
                },
            ),
        ];
        for (raw, err) in cases {
            assert_eq!(
                parse_request(raw, &limits()).err(),
                Some(err),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let e = parse_response(b"HTTP/1.1 2000 OK\r\n", "GET", &limits()).unwrap_err();
        assert_eq!(
            e,
            HttpError::StatusLine {
                offset: 12,
                reason: "expected a space after the status code"
            }
        );
        assert!(e.to_string().contains("byte 12"), "{e}");
    }

    #[test]
    fn reads_status_lines_with_and_without_reason() {
        let cases: [(&[u8], u16, &str); 4] = [
            (b"HTTP/1.1 302 Found\r\n\r\n", 302, "Found"),
            (b"HTTP/1.1 200\r\n\r\n", 200, ""),
            (b"HTTP/1.0 404 Not  Found \r\n\r\n", 404, "Not  Found"),
            (b"HTTP/2 200 \r\n\r\n", 200, ""),
        ];
        for (raw, status, reason) in cases {
            let r = resp(raw, "GET");
            assert_eq!((r.status, r.reason.as_ref()), (status, reason));
        }
    }

    #[test]
    fn frames_bodies_per_rfc9112_section_6_3() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1;q=\"a;b\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nServer-Timing: t;dur=1\r\n\r\n";
        type Case<'a> = (&'a [u8], &'a str, &'a [u8], Framing, bool);
        let cases: [Case<'_>; 12] = [
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "GET",
                b"hello",
                Framing::ContentLength(5),
                true,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello",
                "GET",
                b"hel",
                Framing::ContentLength(3),
                true,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello",
                "GET",
                b"hello",
                Framing::ContentLength(9),
                false,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello",
                "GET",
                b"hello",
                Framing::ContentLength(5),
                true,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "GET",
                b"hello!",
                Framing::UntilEnd,
                true,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "HEAD",
                b"",
                Framing::None,
                true,
            ),
            (
                b"HTTP/1.1 204 No Content\r\n\r\nx",
                "GET",
                b"",
                Framing::None,
                true,
            ),
            (
                b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
                "GET",
                b"",
                Framing::None,
                true,
            ),
            (
                b"HTTP/1.1 200 Connection Established\r\n\r\nFiddler notes",
                "CONNECT",
                b"",
                Framing::None,
                true,
            ),
            (
                b"HTTP/1.1 200 OK\r\n\r\nto the end",
                "GET",
                b"to the end",
                Framing::UntilEnd,
                true,
            ),
            (chunked, "GET", b"hello world", Framing::Chunked, true),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{\"result\":\"ok\"}",
                "GET",
                b"{\"result\":\"ok\"}",
                Framing::ChunkedRaw,
                true,
            ),
        ];
        for (raw, method, body, framing, complete) in cases {
            let r = resp(raw, method);
            assert_eq!(
                (r.body.data.as_ref(), r.body.framing, r.body.complete),
                (body, framing, complete),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let r = resp(chunked, "GET");
        assert_eq!(r.body.trailers[0].name, "Server-Timing");
        let r = resp(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello", "GET");
        assert_eq!(r.body.trailing, b"lo");
    }

    #[test]
    fn dechunks_with_extensions_trailers_and_bare_lf() {
        let cases: [(&[u8], &[u8], bool); 6] = [
            (b"a\r\n0123456789\r\n0\r\n\r\n", b"0123456789", true),
            (
                b"A;name=\"quoted \\\" value\"\n0123456789\n0\nT: v\n\n",
                b"0123456789",
                true,
            ),
            (b"3\r\nabc\r\n000;last\r\n\r\n", b"abc", true),
            (b"3\r\nabc\r\n2\r\nde\r\n", b"abcde", false),
            (b"3\r\nabc\r\n8\r\nde", b"abcde", false),
            (b"3\r\nabc\r\n0\r\n", b"abc", true),
        ];
        for (body, data, complete) in cases {
            let raw = [
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".as_slice(),
                body,
            ]
            .concat();
            let r = parse_response(&raw, "GET", &limits()).unwrap();
            assert_eq!(
                r.body.framing,
                Framing::Chunked,
                "{}",
                String::from_utf8_lossy(body)
            );
            assert_eq!((r.body.data.as_ref(), r.body.complete), (data, complete));
        }
    }

    #[test]
    fn borrows_a_single_chunk() {
        let r = resp(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "GET",
        );
        assert!(matches!(r.body.data, Cow::Borrowed(b"abc")));
    }

    #[test]
    fn keeps_bodies_that_are_not_really_chunked() {
        let cases: [&[u8]; 5] = [
            b"cafe\r\nnot the size",
            b"5\r\nhello",
            b"5\r\nhelloXX",
            b"zz\r\n",
            b"",
        ];
        for body in cases {
            let raw = [
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".as_slice(),
                body,
            ]
            .concat();
            let r = parse_response(&raw, "GET", &limits()).unwrap();
            assert_eq!(
                (r.body.framing, r.body.data.as_ref()),
                (Framing::ChunkedRaw, body)
            );
        }
    }

    #[test]
    fn reads_a_request_body_without_framing_to_the_end() {
        let r = req(
            "GET http://localhost:9000/test HTTP/1.1\r\nAccept: application/json\r\n\r\n{\"request\":\"test\"}",
        );
        assert_eq!(r.body.data.as_ref(), b"{\"request\":\"test\"}");
        assert_eq!(r.body.framing, Framing::UntilEnd);
    }

    #[test]
    fn connect_requests_have_no_body() {
        let r = req(
            "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\nA SSLv3-compatible ClientHello handshake was found.",
        );
        assert_eq!(r.body.framing, Framing::None);
        assert!(r.body.data.is_empty());
        assert!(r.body.trailing.starts_with(b"A SSLv3"));
    }

    #[test]
    fn a_header_section_cut_off_is_incomplete_not_an_error() {
        let r = req("GET / HTTP/1.1\r\nHost: a\r\nAccept: x");
        assert!(!r.head_complete);
        assert_eq!(r.headers.len(), 2);
        let r = resp(b"HTTP/1.1 200 OK\r\nContent-Length: 10", "GET");
        assert!(!r.head_complete && !r.body.complete);
    }

    #[test]
    fn skips_interim_responses() {
        let r = resp(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "POST",
        );
        assert_eq!(
            (r.status, r.interim.as_slice(), r.body.data.as_ref()),
            (200, &[100][..], &b"ok"[..])
        );
        let r = resp(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello",
            "GET",
        );
        assert_eq!((r.status, r.body.framing), (101, Framing::None));
    }

    #[test]
    fn enforces_header_limits() {
        let small = Limits {
            max_headers: 3,
            max_header_bytes: 64,
            ..Limits::default()
        };
        let many = "GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n";
        assert_eq!(
            parse_request(many.as_bytes(), &small).err(),
            Some(HttpError::TooManyHeaders {
                limit: 3,
                offset: 34
            })
        );
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "v".repeat(100));
        let err = parse_request(big.as_bytes(), &small).unwrap_err();
        assert!(
            matches!(err, HttpError::HeaderSectionTooLarge { limit: 64, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("--max-header-size"));
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(100));
        assert!(matches!(
            parse_request(long_line.as_bytes(), &small),
            Err(HttpError::HeaderSectionTooLarge { .. })
        ));
        let trailers = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n{}\r\n",
            "t: 1\r\n".repeat(5)
        );
        assert!(matches!(
            parse_response(trailers.as_bytes(), "GET", &small),
            Err(HttpError::TooManyHeaders { .. })
        ));
    }

    #[test]
    fn never_panics_on_prefixes_of_a_message() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: a\r\n b\r\n\r\n5;e=\"q\"\r\nhello\r\n0\r\nT: 1\r\n\r\n";
        for end in 0..=raw.len() {
            let _ = parse_response(&raw[..end], "GET", &limits());
            let _ = parse_request(&raw[..end], &limits());
        }
    }
}
