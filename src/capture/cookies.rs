//! Cookie syntax: the request `Cookie` header (RFC 6265 §4.2.1) and
//! `Set-Cookie` with its attributes (RFC 6265 §4.1, SameSite from
//! RFC 6265bis).
//!
//! Parsing is lenient the way browsers are: names may hold any byte but `=`
//! and `;` (so `a+b` and `x^y` survive), values may be quoted, unknown
//! attributes are ignored.

use std::borrow::Cow;

use super::model::{Cookie, SameSite, SetCookie};
use crate::secret::Secret;

/// `cookie-string = cookie-pair *( ";" SP cookie-pair )`.
pub fn parse_cookie_header(value: &str) -> Vec<Cookie<'_>> {
    value
        .split(';')
        .filter_map(|pair| {
            let pair = pair.trim();
            if pair.is_empty() {
                return None;
            }
            let (name, value) = pair.split_once('=').unwrap_or(("", pair));
            Some(Cookie {
                name: Cow::Borrowed(name.trim()),
                value: Secret::new(Cow::Borrowed(value.trim())),
            })
        })
        .collect()
}

/// One `Set-Cookie` value. Firefox joins several into one header with
/// newlines; call [`parse_set_cookie_header`] for that.
pub fn parse_set_cookie(value: &str) -> Option<SetCookie<'_>> {
    let mut parts = value.split(';');
    let first = parts.next()?.trim();
    let (name, val) = match first.split_once('=') {
        Some((n, v)) => (n.trim(), v.trim()),
        None => ("", first),
    };
    if name.is_empty() && val.is_empty() {
        return None;
    }
    let mut cookie = SetCookie {
        name: Cow::Borrowed(name),
        value: Secret::new(Cow::Borrowed(val)),
        domain: None,
        path: None,
        expires: None,
        max_age: None,
        secure: false,
        http_only: false,
        same_site: None,
        partitioned: false,
    };
    for attr in parts {
        let (key, v) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (attr.trim(), None),
        };
        match key.to_ascii_lowercase().as_str() {
            "domain" => cookie.domain = v.map(Cow::Borrowed),
            "path" => cookie.path = v.map(Cow::Borrowed),
            "expires" => cookie.expires = v.map(Cow::Borrowed),
            "max-age" => cookie.max_age = v.and_then(|v| v.parse().ok()),
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = Some(SameSite::parse(v.unwrap_or_default())),
            "partitioned" => cookie.partitioned = true,
            _ => {}
        }
    }
    Some(cookie)
}

/// A `Set-Cookie` header value that may hold several cookies joined by
/// newlines (Firefox HAR exports do this).
pub fn parse_set_cookie_header(value: &str) -> impl Iterator<Item = SetCookie<'_>> {
    value.split('\n').filter_map(parse_set_cookie)
}

/// `name=value; Domain=…; Path=/; Secure; HttpOnly; SameSite=None` with the
/// value masked unless shown; an absent SameSite is said explicitly.
pub fn set_cookie_line(c: &SetCookie<'_>, show_secrets: bool) -> String {
    let mut s = format!("{}={}", c.name, c.value.render(show_secrets));
    if let Some(d) = &c.domain {
        s.push_str(&format!("; Domain={d}"));
    }
    if let Some(pth) = &c.path {
        s.push_str(&format!("; Path={pth}"));
    }
    if let Some(x) = &c.expires {
        s.push_str(&format!("; Expires={x}"));
    }
    if let Some(m) = c.max_age {
        s.push_str(&format!("; Max-Age={m}"));
    }
    if c.secure {
        s.push_str("; Secure");
    }
    if c.http_only {
        s.push_str("; HttpOnly");
    }
    match &c.same_site {
        Some(ss) => s.push_str(&format!("; SameSite={}", ss.as_str())),
        None => s.push_str("; (no SameSite: Lax by default)"),
    }
    if c.partitioned {
        s.push_str("; Partitioned");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cookie_names_with_plus_and_caret() {
        let c = parse_cookie_header("a+b=1; x^y=2;plain=3");
        let names: Vec<_> = c.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, ["a+b", "x^y", "plain"]);
        assert_eq!(c[1].value.expose().as_ref(), "2");
    }

    #[test]
    fn reads_set_cookie_attributes() {
        let c = parse_set_cookie(
            ".AspNetCore.Correlation.abc=N; expires=Wed, 20 Nov 2026 10:19:11 GMT; path=/signin-oidc; secure; samesite=none; httponly",
        )
        .unwrap();
        assert_eq!(c.name, ".AspNetCore.Correlation.abc");
        assert_eq!(c.path.as_deref(), Some("/signin-oidc"));
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site, Some(SameSite::None));
    }

    #[test]
    fn missing_samesite_is_none_not_lax() {
        let c = parse_set_cookie("sid=1; Path=/").unwrap();
        assert_eq!(c.same_site, None);
        assert!(!c.secure);
    }

    #[test]
    fn splits_firefox_joined_set_cookie() {
        let all: Vec<_> = parse_set_cookie_header("a=1; Secure\nb=2; SameSite=Lax").collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].same_site, Some(SameSite::Lax));
    }
}
