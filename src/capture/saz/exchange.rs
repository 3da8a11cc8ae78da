//! One SAZ session → one [`Exchange`]: the raw request and response parsed
//! (best effort when truncated), the URL rebuilt from the request target and
//! the `Host` header, the body decoded, what is missing noted.

use super::*;

pub(super) fn exchange<'a>(
    number: u32,
    request: &'a Member,
    session: &'a Session,
    limits: &Limits,
    notes: &mut Vec<LoadNote>,
) -> Exchange<'a> {
    let meta = match &session.metadata {
        Some(Member::Bytes(b)) => {
            let (meta, problem) = parse_metadata(b);
            if let Some(problem) = problem {
                notes.push(LoadNote::Other(format!(
                    "session {number}: metadata raw/{number}_m.xml is damaged ({problem}); what came before was kept"
                )));
            }
            meta
        }
        Some(Member::Unreadable(reason)) => {
            notes.push(LoadNote::Other(format!(
                "session {number}: metadata raw/{number}_m.xml unreadable: {reason}"
            )));
            SessionMeta::default()
        }
        // Never made for metadata (it has no header section).
        Some(Member::Head { .. } | Member::Dechunked { .. }) => SessionMeta::default(),
        None => SessionMeta::default(),
    };
    let mut errors: Vec<String> = Vec::new();
    if meta.aborted {
        errors.push("Fiddler marked the session as aborted".into());
    }
    let request = match request {
        Member::Bytes(b) => match raw_http::parse_request(b, limits) {
            Ok(parsed) => {
                note_incomplete(number, "request", parsed.head_complete, &parsed.body, notes);
                request_from(parsed, meta.https())
            }
            Err(e) => {
                errors.push(format!("request could not be parsed: {e}"));
                best_effort_request(b)
            }
        },
        Member::Head {
            head,
            body,
            too_large,
        } => match raw_http::parse_request(head, limits) {
            Ok(parsed) => {
                let counted = Counted::of(&parsed.body, *body, *too_large);
                counted.note(number, "request", limits, notes);
                let mut request = request_from(parsed, meta.https());
                request.body = counted.body(&request.headers);
                request
            }
            Err(e) => {
                errors.push(format!("request could not be parsed: {e}"));
                best_effort_request(head)
            }
        },
        // Only responses are kept de-chunked.
        Member::Dechunked { head, .. } => best_effort_request(head),
        Member::Unreadable(reason) => {
            errors.push(format!("request file is unreadable: {reason}"));
            best_effort_request(&[])
        }
    };
    let (started, timings, server_ip) = (meta.started(), meta.timings(), meta.host_ip());
    let mut exchange_meta = meta.into_flags_meta();
    let response = match &session.response {
        None => {
            notes.push(LoadNote::MissingResponse(number));
            None
        }
        Some(Member::Bytes(b)) if b.iter().all(u8::is_ascii_whitespace) => {
            notes.push(LoadNote::MissingResponse(number));
            None
        }
        Some(Member::Bytes(b)) => match raw_http::parse_response(b, &request.method, limits) {
            Ok(parsed) => {
                note_incomplete(
                    number,
                    "response",
                    parsed.head_complete,
                    &parsed.body,
                    notes,
                );
                exchange_meta.extend(parsed.body.trailers.iter().map(|t| Meta {
                    key: Cow::Owned(format!("trailer.{}", t.name)),
                    value: MetaValue::Text(t.value.clone()),
                }));
                Some(response_from(parsed))
            }
            Err(e) => {
                errors.push(format!("response could not be parsed: {e}"));
                None
            }
        },
        Some(Member::Head {
            head,
            body,
            too_large,
        }) => match raw_http::parse_response(head, &request.method, limits) {
            Ok(parsed) => {
                let counted = Counted::of(&parsed.body, *body, *too_large);
                counted.note(number, "response", limits, notes);
                let mut response = response_from(parsed);
                response.body = counted.body(&response.headers);
                Some(response)
            }
            Err(e) => {
                errors.push(format!("response could not be parsed: {e}"));
                None
            }
        },
        Some(Member::Dechunked { head, body }) => {
            match raw_http::parse_response(head, &request.method, limits) {
                Ok(mut parsed) => {
                    // As the whole member parses: the de-chunked body, unless
                    // the request's method leaves the response no content.
                    if parsed.body.framing != raw_http::Framing::None {
                        parsed.body.data = Cow::Borrowed(body);
                    }
                    Some(response_from(parsed))
                }
                Err(e) => {
                    errors.push(format!("response could not be parsed: {e}"));
                    None
                }
            }
        }
        Some(Member::Unreadable(reason)) => {
            errors.push(format!("response file is unreadable: {reason}"));
            None
        }
    };
    Exchange {
        index: number,
        started,
        request,
        response,
        timings,
        server_ip: server_ip.map(Cow::Owned),
        error: (!errors.is_empty()).then(|| Cow::Owned(errors.join("; "))),
        meta: exchange_meta,
    }
}

pub(super) fn note_incomplete(
    number: u32,
    what: &str,
    head_complete: bool,
    body: &raw_http::MessageBody<'_>,
    notes: &mut Vec<LoadNote>,
) {
    if !head_complete {
        notes.push(LoadNote::Other(format!(
            "session {number}: the {what} file ends inside its header section"
        )));
    } else if !body.complete {
        notes.push(LoadNote::Other(format!(
            "session {number}: the {what} body is shorter than its framing says ({} bytes kept)",
            body.data.len()
        )));
    }
}

/// A body that was counted, not kept ([`Member::Head`]), as its framing
/// delimits it: what the full parse would have kept, without the bytes.
pub(super) struct Counted {
    /// The body's length: at most `Content-Length`; 0 for a message that
    /// has no content by rule (a response to HEAD, a 304).
    size: u64,
    complete: bool,
    too_large: bool,
}

impl Counted {
    /// `parsed` is the message's head alone (an empty body); `after_head`
    /// the bytes counted after it.
    pub(super) fn of(
        parsed: &raw_http::MessageBody<'_>,
        after_head: u64,
        too_large: bool,
    ) -> Counted {
        let (size, complete) = match parsed.framing {
            raw_http::Framing::None => (0, true),
            raw_http::Framing::ContentLength(n) => (n.min(after_head), after_head >= n),
            _ => (after_head, true),
        };
        Counted {
            size,
            complete,
            too_large,
        }
    }

    pub(super) fn note(&self, number: u32, what: &str, limits: &Limits, notes: &mut Vec<LoadNote>) {
        if !self.complete {
            notes.push(LoadNote::Other(format!(
                "session {number}: the {what} body is shorter than its framing says ({} bytes kept)",
                self.size
            )));
        }
        if self.too_large && self.size > 0 {
            notes.push(LoadNote::Other(format!(
                "session {number}: the {what} body ({} bytes) is larger than --max-body-size ({} bytes) and was not kept in memory",
                self.size, limits.max_body_bytes
            )));
        }
    }

    pub(super) fn body<'a>(&self, headers: &[Header<'a>]) -> Option<Body<'a>> {
        (self.size > 0).then(|| Body {
            data: BodyData::NotKept {
                size: self.size,
                too_large: self.too_large,
            },
            ..body_with(BodyData::Bytes(Cow::Borrowed(&[])), headers, false)
        })
    }
}

/// A request whose file does not parse: method and URL from the first line
/// when it has them, nothing else.
pub(super) fn best_effort_request(bytes: &[u8]) -> Request<'_> {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut words = first
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let method = words
        .next()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    let url = words
        .next()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    let parsed_url = parse_url(&url);
    Request {
        method,
        url,
        parsed_url,
        http_version: Cow::Borrowed(""),
        headers: Vec::new(),
        cookies: Vec::new(),
        body: None,
        form_params: Vec::new(),
    }
}

pub(super) fn parse_url(url: &str) -> Option<Url> {
    (url.len() <= MAX_PARSED_URL)
        .then(|| Url::parse(url).ok())
        .flatten()
}

pub(super) fn header<'h, 'a>(headers: &'h [Header<'a>], name: &str) -> Option<&'h Cow<'a, str>> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| &h.value)
}

/// The URL as a browser saw it. Absolute-form is kept as written;
/// origin-form is completed from `Host` (https when the session was, per
/// its metadata, else when the port is 443); a CONNECT's authority-form is
/// kept, parsed as `https://host:port/`.
pub(super) fn request_url<'a>(
    parsed: &ParsedRequest<'a>,
    https: Option<bool>,
) -> (Cow<'a, str>, Option<Url>) {
    let target = parsed.target.clone();
    match parsed.form {
        TargetForm::Absolute => {
            let url = parse_url(&target);
            (target, url)
        }
        TargetForm::Authority => {
            let url = parse_url(&format!("https://{target}/"));
            (target, url)
        }
        TargetForm::Origin | TargetForm::Asterisk => {
            let Some(host) = header(&parsed.headers, "host").filter(|h| !h.is_empty()) else {
                return (target, None);
            };
            let on_443 = host.rsplit_once(':').is_some_and(|(_, port)| port == "443");
            let scheme = if https.unwrap_or(on_443) {
                "https"
            } else {
                "http"
            };
            let path = if parsed.form == TargetForm::Asterisk {
                ""
            } else {
                target.as_ref()
            };
            let full = format!("{scheme}://{host}{path}");
            let url = parse_url(&full);
            (Cow::Owned(full), url)
        }
    }
}

pub(super) fn request_from(parsed: ParsedRequest<'_>, https: Option<bool>) -> Request<'_> {
    let (url, parsed_url) = request_url(&parsed, https);
    let mut cookies: Vec<Cookie<'_>> = Vec::new();
    for h in parsed
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
    {
        match &h.value {
            Cow::Borrowed(v) => cookies.extend(parse_cookie_header(v)),
            Cow::Owned(v) => {
                cookies.extend(parse_cookie_header(v).into_iter().map(Cookie::into_owned))
            }
        }
    }
    let base64 = header(&parsed.headers, "fiddler-encoding")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("base64"));
    let body = body_from(parsed.body.data, &parsed.headers, base64);
    Request {
        method: parsed.method,
        url,
        parsed_url,
        http_version: parsed.version,
        headers: parsed.headers,
        cookies,
        body,
        form_params: Vec::new(),
    }
}

pub(super) fn response_from(parsed: ParsedResponse<'_>) -> Response<'_> {
    let mut set_cookies: Vec<SetCookie<'_>> = Vec::new();
    for h in parsed
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
    {
        match &h.value {
            Cow::Borrowed(v) => set_cookies.extend(parse_set_cookie(v)),
            Cow::Owned(v) => set_cookies.extend(parse_set_cookie(v).map(SetCookie::into_owned)),
        }
    }
    let redirect_url = header(&parsed.headers, "location")
        .filter(|l| !l.is_empty())
        .cloned();
    let body = body_from(parsed.body.data, &parsed.headers, false);
    Response {
        status: parsed.status,
        status_text: parsed.reason,
        http_version: parsed.version,
        headers: parsed.headers,
        set_cookies,
        body,
        redirect_url,
    }
}

/// Wire bytes after de-chunking: every `Content-Encoding` is still applied,
/// then any transfer coding other than chunked (`Transfer-Encoding: gzip,
/// chunked`). `None` for an empty body.
pub(super) fn body_from<'a>(
    data: Cow<'a, [u8]>,
    headers: &[Header<'a>],
    base64: bool,
) -> Option<Body<'a>> {
    if data.is_empty() {
        return None;
    }
    Some(body_with(BodyData::Bytes(data), headers, base64))
}

/// A body of `data` with the type and codings its headers give.
fn body_with<'a>(data: BodyData<'a>, headers: &[Header<'a>], base64: bool) -> Body<'a> {
    let mut codings: Vec<Coding> = Vec::new();
    for name in ["content-encoding", "transfer-encoding"] {
        for h in headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)) {
            codings.extend(
                Coding::list(&h.value).into_iter().filter(
                    |c| !matches!(c, Coding::Other(t) if t.eq_ignore_ascii_case("chunked")),
                ),
            );
        }
    }
    Body {
        data,
        base64,
        mime_type: header(headers, "content-type")
            .filter(|m| !m.is_empty())
            .cloned(),
        codings,
        codings_state: Codings::Applied,
        declared_size: None,
    }
}
