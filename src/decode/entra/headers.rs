//! Response headers set by Entra ID's token service (ESTS), per
//! error-surfaces.md §d:
//!
//! * `x-ms-request-id` — per-request id (the page's "Request Id", OAuth
//!   "Trace ID");
//! * `client-request-id` — echo of the id the client sent ("Correlation Id");
//! * `x-ms-ests-server: <build> - <region/scale unit> <slice>`, e.g.
//!   `2.1.12261.15 - KRSLR1 ProdSlices`;
//! * `x-ms-clitelem: version,ServerErrorCode,ServerSubErrorCode,TokenAge,SpeInfo`
//!   (MSAL.NET `XmsCliTelemInfoParser`: indexes 1–4; version must be `1`;
//!   `1,0,0,,` means no error). Gives the AADSTS code even when the body was
//!   not captured;
//! * `x-ms-srs` (kept as written) and `x-ms-gateway-slice` (a header, or the
//!   cookie of that name in `Set-Cookie`).
//!
//! Independent of the capture model: takes `(name, value)` pairs.

use serde::Serialize;

use super::super::aadsts::ErrorCode;

/// The parsed ESTS headers of one response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntraHeaders {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ests_server: Option<EstsServer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cli_telem: Option<CliTelem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_slice: Option<String>,
}

/// `x-ms-ests-server`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EstsServer {
    pub raw: String,
    /// `2.1.12261.15`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Region / scale unit (`KRSLR1`, `WUS2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_unit: Option<String>,
    /// `ProdSlices`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slice: Option<String>,
}

impl EstsServer {
    /// Parses `<build> - <scale unit> <slice>`; parts that are missing stay `None`.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let (build, rest) = match raw.split_once(" - ") {
            Some((b, r)) => (Some(b.trim()), r),
            None => (None, raw),
        };
        let mut words = rest.split_whitespace();
        let (first, second) = (words.next(), words.next());
        let build = build.or_else(|| first.filter(|w| looks_like_build(w)));
        let (scale_unit, slice) = if build.is_some() && first.is_some_and(looks_like_build) {
            (second, words.next())
        } else {
            (first, second)
        };
        let own = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
        Self {
            raw: raw.to_owned(),
            build: own(build),
            scale_unit: own(scale_unit),
            slice: own(slice),
        }
    }
}

fn looks_like_build(s: &str) -> bool {
    s.contains('.') && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `x-ms-clitelem`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CliTelem {
    pub raw: String,
    pub version: String,
    /// Whether the version is `1`, the only layout we know; other versions
    /// keep only `raw` and `version`.
    pub known_version: bool,
    /// Field 2: the AADSTS number; `None` for `0` / empty (no error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// Field 3: server sub-error (`0` / empty → `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_error: Option<String>,
    /// Field 4: token age, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_age: Option<String>,
    /// Field 5: SPE info, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spe_info: Option<String>,
}

impl CliTelem {
    /// Parses the comma list.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        let field = |i: usize| fields.get(i).copied().filter(|f| !f.is_empty());
        let version = field(0).unwrap_or_default().to_owned();
        let known_version = version == "1";
        if !known_version {
            return Self {
                raw: raw.to_owned(),
                version,
                ..Self::default()
            };
        }
        let nonzero = |i: usize| field(i).filter(|f| *f != "0").map(str::to_owned);
        Self {
            raw: raw.to_owned(),
            version,
            known_version,
            error: field(1)
                .and_then(|f| f.parse::<u32>().ok())
                .filter(|c| *c != 0)
                .map(ErrorCode::new),
            sub_error: nonzero(2),
            token_age: field(3).map(str::to_owned),
            spe_info: field(4).map(str::to_owned),
        }
    }
}

/// Reads the ESTS headers from `(name, value)` pairs (names
/// case-insensitive, first occurrence wins); `None` when none is present.
pub fn parse_headers<'h, I>(headers: I) -> Option<EntraHeaders>
where
    I: IntoIterator<Item = (&'h str, &'h str)>,
{
    let mut h = EntraHeaders::default();
    let mut any = false;
    for (name, value) in headers {
        let value = value.trim();
        let name = name.trim();
        let set = |slot: &mut Option<String>| {
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.to_owned());
            }
        };
        if name.eq_ignore_ascii_case("x-ms-request-id") {
            set(&mut h.request_id);
        } else if name.eq_ignore_ascii_case("client-request-id") {
            set(&mut h.client_request_id);
        } else if name.eq_ignore_ascii_case("x-ms-srs") {
            set(&mut h.srs);
        } else if name.eq_ignore_ascii_case("x-ms-gateway-slice") {
            set(&mut h.gateway_slice);
        } else if name.eq_ignore_ascii_case("x-ms-ests-server") && h.ests_server.is_none() {
            h.ests_server = Some(EstsServer::parse(value));
        } else if name.eq_ignore_ascii_case("x-ms-clitelem") && h.cli_telem.is_none() {
            h.cli_telem = Some(CliTelem::parse(value));
        } else if name.eq_ignore_ascii_case("set-cookie") && h.gateway_slice.is_none() {
            h.gateway_slice = gateway_slice_cookie(value);
        } else {
            continue;
        }
        any = true;
    }
    any.then_some(h).filter(|h| *h != EntraHeaders::default())
}

fn gateway_slice_cookie(set_cookie: &str) -> Option<String> {
    // HAR exports sometimes fold several Set-Cookie lines into one value.
    set_cookie.lines().find_map(|line| {
        let pair = line.split(';').next()?;
        let (name, value) = pair.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("x-ms-gateway-slice") && !value.trim().is_empty())
            .then(|| value.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_recorded_header_set() {
        let headers = [
            ("X-MS-Request-Id", "a128bc5f-3e0d-452d-b6e3-ff5bd6090900"),
            ("x-ms-ests-server", "2.1.12261.15 - KRSLR1 ProdSlices"),
            ("x-ms-clitelem", "1,0,0,,"),
            ("Set-Cookie", "fpc=AkX; path=/; secure"),
            (
                "Set-Cookie",
                "x-ms-gateway-slice=estsfd; path=/; secure; samesite=none; httponly",
            ),
            ("Content-Type", "text/html"),
        ];
        let h = parse_headers(headers).unwrap();
        assert_eq!(
            h.request_id.as_deref(),
            Some("a128bc5f-3e0d-452d-b6e3-ff5bd6090900")
        );
        let s = h.ests_server.unwrap();
        assert_eq!(
            (
                s.build.as_deref(),
                s.scale_unit.as_deref(),
                s.slice.as_deref()
            ),
            (Some("2.1.12261.15"), Some("KRSLR1"), Some("ProdSlices"))
        );
        let t = h.cli_telem.unwrap();
        assert!(t.known_version && t.error.is_none() && t.sub_error.is_none());
        assert_eq!(h.gateway_slice.as_deref(), Some("estsfd"));
    }

    #[test]
    fn clitelem_carries_the_error_code() {
        type Case<'a> = (&'a str, Option<u32>, Option<&'a str>, Option<&'a str>);
        let cases: [Case<'_>; 5] = [
            ("1,50011,0,,", Some(50011), None, None),
            ("1,700016,7,120,I", Some(700016), Some("7"), Some("120")),
            ("1,0,0,,", None, None, None),
            ("1,abc", None, None, None),
            ("2,50011,0,,", None, None, None),
        ];
        for (raw, code, sub, age) in cases {
            let t = CliTelem::parse(raw);
            assert_eq!(t.error.map(|e| e.code), code, "{raw}");
            assert_eq!(t.sub_error.as_deref(), sub, "{raw}");
            assert_eq!(t.token_age.as_deref(), age, "{raw}");
        }
        assert!(!CliTelem::parse("2,50011").known_version);
    }

    #[test]
    fn ests_server_tolerates_odd_layouts() {
        let cases = [
            (
                "2.1.14167.14 - WUS2 ProdSlices",
                Some("2.1.14167.14"),
                Some("WUS2"),
                Some("ProdSlices"),
            ),
            (
                "2.1.14167.14 - WUS2",
                Some("2.1.14167.14"),
                Some("WUS2"),
                None,
            ),
            (
                "2.1.14167.14 WUS2 ProdSlices",
                Some("2.1.14167.14"),
                Some("WUS2"),
                Some("ProdSlices"),
            ),
            ("", None, None, None),
        ];
        for (raw, build, unit, slice) in cases {
            let s = EstsServer::parse(raw);
            assert_eq!(
                (
                    s.build.as_deref(),
                    s.scale_unit.as_deref(),
                    s.slice.as_deref()
                ),
                (build, unit, slice),
                "{raw}"
            );
        }
    }

    #[test]
    fn no_ests_headers_is_none() {
        assert!(parse_headers([("Content-Type", "text/html")]).is_none());
        assert!(parse_headers([("x-ms-request-id", "")]).is_none());
    }
}
