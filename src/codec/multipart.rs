//! `multipart/form-data` (RFC 7578) bodies, split into parts the decoders
//! read and the redactor rewrites in place.
//!
//! RFC 2046 §5.1.1: `multipart-body := [preamble CRLF] dash-boundary
//! transport-padding CRLF body-part *encapsulation close-delimiter …`, with
//! `body-part := MIME-part-headers [CRLF *OCTET]` and a close delimiter of
//! `--boundary--`. Read leniently, as captures hold them: LF line breaks
//! are accepted as well as CRLF, the preamble is ignored, and a body cut
//! before its close delimiter (a truncated capture) still yields its last
//! part. Content is returned as a byte range of the body, so an editor can
//! replace exactly the value.

use std::ops::Range;

/// The `boundary` parameter of a multipart content type (RFC 2046 §5.1.1),
/// without quotes.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// One body part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The part's header block.
    pub head: &'a str,
    /// `Content-Disposition: form-data; name="…"` (RFC 7578 §4.2).
    pub name: Option<String>,
    /// The `filename` of a file part.
    pub filename: Option<String>,
    /// The part's own `Content-Type`, when it has one.
    pub content_type: Option<String>,
    /// Byte range of the content in the body (without the line break that
    /// belongs to the next delimiter).
    pub content: Range<usize>,
}

impl Part<'_> {
    /// A text field: named, and not a file (RFC 7578 §4.2).
    pub fn is_field(&self) -> bool {
        self.name.is_some() && self.filename.is_none()
    }
}

/// The parts of `body` delimited by `--boundary`, in order.
pub fn parts<'a>(body: &'a str, boundary: &str) -> Vec<Part<'a>> {
    let delimiter = format!("--{boundary}");
    if boundary.is_empty() {
        return Vec::new();
    }
    let starts: Vec<usize> = body.match_indices(&delimiter).map(|(i, _)| i).collect();
    let mut out = Vec::new();
    for (n, &at) in starts.iter().enumerate() {
        let part_start = at + delimiter.len();
        let part_end = starts.get(n + 1).copied().unwrap_or(body.len());
        let Some(part) = body.get(part_start..part_end) else {
            continue;
        };
        if part.starts_with("--") {
            break; // the close delimiter
        }
        // The line break after the delimiter; then the headers, an empty
        // line, the content.
        let lead = if part.starts_with("\r\n") {
            2
        } else {
            usize::from(part.starts_with('\n'))
        };
        let rest = part.get(lead..).unwrap_or_default();
        let split = if rest.starts_with("\r\n") {
            Some((0, 2))
        } else if rest.starts_with('\n') {
            Some((0, 1))
        } else {
            rest.find("\r\n\r\n")
                .map(|i| (i, 4))
                .or_else(|| rest.find("\n\n").map(|i| (i, 2)))
        };
        let Some((head_len, sep)) = split else {
            continue;
        };
        let head = rest.get(..head_len).unwrap_or_default();
        let content = rest.get(head_len + sep..).unwrap_or_default();
        let content = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .unwrap_or(content);
        let start = part_start + lead + head_len + sep;
        out.push(Part {
            head,
            name: disposition_param(head, "name"),
            filename: disposition_param(head, "filename"),
            content_type: header(head, "content-type"),
            content: start..start + content.len(),
        });
    }
    out
}

/// A header of a part's head, by name (ASCII case-insensitive), trimmed.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

/// A parameter of the part's `Content-Disposition` (`name`, `filename`),
/// without quotes.
fn disposition_param(head: &str, key: &str) -> Option<String> {
    let value = header(head, "content-disposition")?;
    value.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: &str, b: &str) -> Vec<(String, String, Option<String>)> {
        parts(body, b)
            .into_iter()
            .map(|p| {
                let content = body[p.content.clone()].to_owned();
                (p.name.unwrap_or_default(), content, p.filename)
            })
            .collect()
    }

    #[test]
    fn reads_a_browser_form_post() {
        // What Chromium sends for a form with enctype=multipart/form-data.
        let body = "------WebKitFormBoundaryx7\r\n\
            Content-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\n\
            PHNhbWxwOlJlc3BvbnNlLz4=\r\n\
            ------WebKitFormBoundaryx7\r\n\
            Content-Disposition: form-data; name=\"RelayState\"\r\n\r\n\
            a b\r\n\
            ------WebKitFormBoundaryx7\r\n\
            Content-Disposition: form-data; name=\"cert\"; filename=\"idp.pem\"\r\n\
            Content-Type: application/x-pem-file\r\n\r\n\
            -----BEGIN CERTIFICATE-----\r\n\
            ------WebKitFormBoundaryx7--\r\n";
        let b = boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7").unwrap();
        let got = fields(body, &b);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, "SAMLResponse");
        assert_eq!(got[0].1, "PHNhbWxwOlJlc3BvbnNlLz4=");
        assert_eq!(got[1].1, "a b");
        assert_eq!(got[2].2.as_deref(), Some("idp.pem"));
        let p = parts(body, &b);
        assert!(p[0].is_field() && !p[2].is_field());
        assert_eq!(p[2].content_type.as_deref(), Some("application/x-pem-file"));
    }

    #[test]
    fn accepts_lf_quoted_boundaries_and_a_truncated_body() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"abc\"").as_deref(),
            Some("abc")
        );
        assert_eq!(boundary("multipart/form-data"), None);
        let body = "preamble\n--abc\nContent-Disposition: form-data; name=a\n\n1\n--abc\n\
                    content-disposition: form-data; name=\"b\"\n\n2 (cut";
        let got = fields(body, "abc");
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("a", "1"));
        assert_eq!((got[1].0.as_str(), got[1].1.as_str()), ("b", "2 (cut"));
    }

    #[test]
    fn a_part_without_headers_has_no_name() {
        let got = parts("--x\r\n\r\nvalue\r\n--x--", "x");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, None);
        assert!(parts("--x\r\nno blank line--x--", "").is_empty());
    }
}
