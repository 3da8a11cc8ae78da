//! Parameters from where identity protocols put them: query strings and
//! fragments (`application/x-www-form-urlencoded`, WHATWG URL §5), form
//! bodies, and `multipart/form-data` (RFC 7578) text fields.

use std::borrow::Cow;

use url::Url;

use crate::capture::{Body, Headers, Limits, Request};
use crate::codec::multipart::boundary;

/// Ordered `name → value` pairs, percent- and `+`-decoded.
pub type Params = Vec<(String, String)>;

/// Pairs of a query string or fragment (without the leading `?` / `#`).
pub fn parse_urlencoded(s: &str) -> Params {
    url::form_urlencoded::parse(s.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The query parameters of a URL.
pub fn query(url: &Url) -> Params {
    url.query().map(parse_urlencoded).unwrap_or_default()
}

/// The fragment parameters of a URL (implicit / hybrid responses).
pub fn fragment(url: &Url) -> Params {
    url.fragment()
        .filter(|f| f.contains('='))
        .map(parse_urlencoded)
        .unwrap_or_default()
}

/// First value of a parameter (case-sensitive, as protocols define them).
pub fn get<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Form parameters of a request: the body when it is urlencoded or
/// multipart, else HAR `postData.params`.
pub fn request_form(req: &Request<'_>, limits: &Limits) -> Params {
    if let Some(body) = &req.body {
        let content_type = req
            .header("content-type")
            .map(str::to_owned)
            .or_else(|| body.mime_type.as_deref().map(str::to_owned))
            .unwrap_or_default();
        if let Some(params) = body_form(body, &content_type, limits) {
            return params;
        }
    }
    req.form_params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn body_form(body: &Body<'_>, content_type: &str, limits: &Limits) -> Option<Params> {
    let ct = content_type.to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        let text = body.text(limits).ok()?;
        return Some(parse_urlencoded(text.trim()));
    }
    if ct.starts_with("multipart/form-data") {
        let boundary = boundary(content_type)?;
        let bytes = body.decoded(limits).ok()?;
        return Some(multipart(&bytes, &boundary));
    }
    None
}

/// Text fields of a `multipart/form-data` body (RFC 7578 §4); file parts
/// (with a `filename`) are skipped. The parts are `codec::multipart`'s.
pub fn multipart(body: &[u8], boundary: &str) -> Params {
    let text = String::from_utf8_lossy(body);
    crate::codec::multipart::parts(&text, boundary)
        .into_iter()
        .filter(crate::codec::multipart::Part::is_field)
        .filter_map(|p| Some((p.name?, text.get(p.content)?.to_owned())))
        .collect()
}

/// A URL relative to the page it appeared in (`action="/acs"`).
pub fn resolve(base: Option<&Url>, target: &str) -> Option<Url> {
    match base {
        Some(b) => b.join(target).ok(),
        None => Url::parse(target).ok(),
    }
}

/// The text of a parameter value for display: the value itself, or
/// `Cow::Borrowed("")`.
pub fn text(v: Option<&str>) -> Cow<'_, str> {
    Cow::Borrowed(v.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_query_and_fragment() {
        let u = Url::parse("https://app/cb?code=a%2Bb&state=s#id_token=x.y.z&state=t").unwrap();
        assert_eq!(get(&query(&u), "code"), Some("a+b"));
        assert_eq!(get(&fragment(&u), "id_token"), Some("x.y.z"));
    }

    #[test]
    fn reads_multipart_text_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\nPHNhbWw+\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nignored\r\n--XyZ\r\nContent-Disposition: form-data; name=\"RelayState\"\r\n\r\nrs\r\n--XyZ--\r\n";
        let p = multipart(body.as_bytes(), "XyZ");
        assert_eq!(
            p,
            vec![
                ("SAMLResponse".into(), "PHNhbWw+".into()),
                ("RelayState".into(), "rs".into())
            ]
        );
    }

    #[test]
    fn finds_the_boundary_parameter() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"abc\"").as_deref(),
            Some("abc")
        );
        assert_eq!(boundary("multipart/form-data"), None);
    }
}
