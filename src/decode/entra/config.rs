//! The `$Config={…};` object that every Entra ID (ESTS) and Microsoft
//! account page embeds in a `<script>//<![CDATA[ … //]]>` block, and the
//! `ServerData = {…}` variant of login.live.com pages.
//!
//! Extraction takes the text after the marker and decodes exactly one JSON
//! value with a streaming deserializer, so the trailing `;` and `//]]>`
//! never matter (the approach of saml2aws `unmarshalEmbeddedJson`). Objects
//! over [`MAX_CONFIG_BYTES`] are refused. serde_json's recursion limit keeps
//! deep nesting from overflowing the stack.
//!
//! [`ConvergedConfig`] exposes the fields that matter for diagnosis; the full
//! object is kept in `raw` and serialized with secret-like values masked
//! (see [`is_secret_key`]). Go-template placeholders such as
//! `{{.ClientRequestId}}` (saml2aws test pages) are never reported as real
//! IDs: the typed field stays empty and the key is listed in `placeholders`.
//!
//! Field provenance: `pgid`, `sErrorCode`, `sErrTxt`, `correlationId`,
//! `sessionId`, `serverDetails`, `urlPost`, `sFT`, `sCtx`, `canary`,
//! `apiCanary`, `urlNoCookies`, `fUseSameSite`, `arrValErrs`,
//! `sPOST_Username` are in the saml2aws testdata pages; `iErrorCode`,
//! `strServiceExceptionMessage`, `strMainMessage`, `iErrorTitle`,
//! `iErrorDescription`, `sDeviceId`, `sDeviceState` come from tools that
//! parse real error pages (error-surfaces.md §b); `arrUserProofs[].authMethodId`
//! from MFA test fixtures; `sClientId`, `sCanary`, `arrScopes`,
//! `arrConsentInfoServerData` from login.live.com consent pages as handled by
//! public automation code. GUESSES (no captured page seen): `sAppName`,
//! `sAppDisplayName`, `sAppId`, `sTenantId`, `sDevicePlatform` — read if
//! present, harmless if absent.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::secret::{Secret, mask, secrets_shown};

/// Largest `$Config` object we parse (real pages are 5–60 KB).
pub const MAX_CONFIG_BYTES: usize = 4 << 20;

/// Why a `$Config` marker was found but no object could be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "$Config at byte {offset} is larger than {max} bytes; refusing to parse it (is the page a real ESTS page?)"
    )]
    TooLarge { offset: usize, max: usize },
    #[error("$Config at byte {offset} is not valid JSON: {source}")]
    Json {
        offset: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("$Config at byte {offset} is JSON but not an object")]
    NotObject { offset: usize },
}

/// A decoded `$Config` object and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct RawConfig {
    /// Byte offset of the marker in the page.
    pub offset: usize,
    /// `$Config` or `ServerData`.
    pub marker: &'static str,
    pub object: Map<String, Value>,
}

const MARKERS: [&str; 2] = ["$Config", "ServerData"];

/// Marker occurrences followed by `{` that we try to decode, at most (real
/// pages have one or two; the bound keeps hostile input linear).
const MAX_ATTEMPTS: usize = 8;

/// Finds the first `$Config =` / `ServerData =` followed by a JSON object and
/// decodes it. `Ok(None)`: no marker with an object; `Err`: a marker was
/// followed by `{` but nothing decodable (the first such error is returned
/// when no later marker succeeds).
pub fn extract(html: &str) -> Result<Option<RawConfig>, ConfigError> {
    let mut first_error = None;
    let mut attempts = 0;
    for marker in MARKERS {
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(
            html.as_bytes().get(from..).unwrap_or_default(),
            marker.as_bytes(),
        ) {
            let offset = from + i;
            from = offset + marker.len();
            let Some(start) = object_start(html, from) else {
                continue;
            };
            attempts += 1;
            if attempts > MAX_ATTEMPTS {
                return first_error.map_or(Ok(None), Err);
            }
            match parse_at(html, offset, start) {
                Ok(object) => {
                    return Ok(Some(RawConfig {
                        offset,
                        marker,
                        object,
                    }));
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    first_error.map_or(Ok(None), Err)
}

/// After a marker: optional spaces, one `=` (not `==`), optional spaces, `{`.
fn object_start(html: &str, from: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = from;
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    // An identifier continuing (`$ConfigX`) is another name.
    if bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    i = skip_ws(i);
    if bytes.get(i) != Some(&b'=') || bytes.get(i + 1) == Some(&b'=') {
        return None;
    }
    i = skip_ws(i + 1);
    (bytes.get(i) == Some(&b'{')).then_some(i)
}

fn parse_at(html: &str, offset: usize, start: usize) -> Result<Map<String, Value>, ConfigError> {
    let rest = html.get(start..).unwrap_or_default();
    let mut end = rest.len().min(MAX_CONFIG_BYTES);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let truncated = end < rest.len();
    let slice = rest.get(..end).unwrap_or_default();
    let mut stream = serde_json::Deserializer::from_str(slice).into_iter::<Value>();
    match stream.next() {
        Some(Ok(Value::Object(object))) => Ok(object),
        Some(Ok(_)) => Err(ConfigError::NotObject { offset }),
        Some(Err(e)) if truncated && e.is_eof() => Err(ConfigError::TooLarge {
            offset,
            max: MAX_CONFIG_BYTES,
        }),
        Some(Err(source)) => Err(ConfigError::Json { offset, source }),
        None => Err(ConfigError::NotObject { offset }),
    }
}

/// Whether a string holds a template placeholder (`{{.SessionId}}`).
pub fn is_placeholder(s: &str) -> bool {
    s.find("{{")
        .is_some_and(|i| s.get(i..).is_some_and(|r| r.contains("}}")))
}

/// Keys whose string values are state tokens or credentials: the secret
/// registry ([`crate::secret::secret_name`], messages included: a
/// `$Config` string holds a whole SAMLResponse), then `$Config`'s
/// Hungarian-notation words (`sCanary`, `sFTTag`, `oPostParams.sPassword`)
/// except flags, names and URLs (`fShowToken`, `sTokenName`, `urlTokenX`).
pub fn is_secret_key(key: &str) -> bool {
    if crate::secret::secret_name(key).is_some() {
        return true;
    }
    let k = key.to_ascii_lowercase();
    if k.ends_with("name") || k.starts_with("url") || k.starts_with('f') && !k.starts_with("ft") {
        return false;
    }
    crate::secret::secret_param(key).is_some()
        || ["canary", "token", "password", "secret"]
            .iter()
            .any(|w| k.contains(w))
}

/// Masks the values of secret parameters ([`crate::secret::is_secret_param`])
/// in `key=value` pairs of a string (URLs in `$Config` repeat `ctx` and friends).
pub fn mask_secret_params(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let (head, tail) = rest.split_at(eq);
        let name_start = head
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = head.get(name_start..).unwrap_or_default();
        out.push_str(head);
        out.push('=');
        let value_part = tail.get(1..).unwrap_or_default();
        let value_len = value_part
            .find(['&', '"', '\'', ' ', '#', '\\', ';', ','])
            .unwrap_or(value_part.len());
        let value = value_part.get(..value_len).unwrap_or_default();
        if crate::secret::is_secret_param(name) && !value.is_empty() {
            out.push_str(&mask(value));
        } else {
            out.push_str(value);
        }
        rest = value_part.get(value_len..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Serializes a JSON value with secret-like keys and URL parameters masked,
/// unless secrets are shown on this thread.
#[derive(Debug, Clone, Copy)]
pub struct Masked<'a>(pub &'a Value);

impl Serialize for Masked<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if secrets_shown() {
            return self.0.serialize(s);
        }
        masked_value(self.0, None).serialize(s)
    }
}

fn masked_value(v: &Value, key: Option<&str>) -> Value {
    match v {
        Value::String(text) if key.is_some_and(is_secret_key) && !is_placeholder(text) => {
            Value::String(mask(text))
        }
        Value::String(text) if text.contains('=') => Value::String(mask_secret_params(text)),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), masked_value(v, Some(k))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| masked_value(i, key)).collect()),
        other => other.clone(),
    }
}

fn ser_masked_map<S: serde::Serializer>(m: &Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut out = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        if secrets_shown() {
            out.serialize_entry(k, v)?;
        } else {
            out.serialize_entry(k, &masked_value(v, Some(k)))?;
        }
    }
    out.end()
}

/// Where and how the page was served (`serverDetails`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerDetails {
    /// `slc`: the service slice (`ProdSlices`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slice: Option<String>,
    /// `dc`: datacenter / scale unit (`NEULR2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// `ri`: role instance (`DU2XXXX`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_instance: Option<String>,
    /// `ver.v` joined with dots: the ESTS build (`2.1.12570.16`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// `rt`: server render time as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_time: Option<String>,
    /// `et`: server elapsed time (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<i64>,
}

/// The diagnostic fields of a `$Config` object.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConvergedConfig {
    /// `$Config` or `ServerData`.
    pub marker: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgid: Option<String>,
    /// `sErrorCode` (string on sign-in pages; `50058` there means no SSO session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// `sErrTxt`: localized error text shown on the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_text: Option<String>,
    /// `iErrorCode`: numeric code on error pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i_error_code: Option<String>,
    /// `strServiceExceptionMessage`: the full `AADSTSnnnnn: …` text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_exception_message: Option<String>,
    /// `strMainMessage`: the page headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_message: Option<String>,
    /// `iErrorTitle`: 1-based index into the localized titles of block pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_title_index: Option<i64>,
    /// `iErrorDescription`: 1-based index into the localized descriptions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description_index: Option<i64>,
    /// `arrValErrs`: validation error codes of the form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub validation_errors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `sessionId` (ESTS request/session id; compare with `x-ms-request-id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// `sTenantId` (guess).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// `sAppName` / `sAppDisplayName` (guesses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    /// `sClientId` (MSA consent pages) / `sAppId` (guess).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// `sPOST_Username`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `sDeviceId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// `sDeviceState`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_state: Option<String>,
    /// `sDevicePlatform` (guess).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_platform: Option<String>,
    /// `urlPost`: where the form posts next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_post: Option<String>,
    /// `urlNoCookies`: the cookies-disabled landing page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_no_cookies: Option<String>,
    /// `fUseSameSite`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_same_site: Option<bool>,
    /// `arrUserProofs[].authMethodId`: MFA methods offered (methods only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_proofs: Vec<String>,
    /// Scope ids of a consent page (`arrScopes`, `arrConsentInfoServerData`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consent_scopes: Vec<String>,
    /// `sFT`: the flow token posted as `sFTName` (usually `flowToken`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<Secret<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token_name: Option<String>,
    /// `sCtx`: request context posted as `ctx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Secret<String>>,
    /// `canary` / `sCanary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<Secret<String>>,
    /// `apiCanary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_canary: Option<Secret<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpgid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpgact: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_details: Option<ServerDetails>,
    /// Top-level keys whose value holds a `{{.X}}` template placeholder.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// The whole object, secret-like values masked on output.
    #[serde(serialize_with = "ser_masked_map")]
    pub raw: Map<String, Value>,
}

impl ConvergedConfig {
    /// Reads the typed fields of a decoded object.
    pub fn from_raw(raw: RawConfig) -> Self {
        let o = &raw.object;
        let text = |keys: &[&str]| keys.iter().find_map(|k| real_text(o.get(*k)));
        let secret = |keys: &[&str]| text(keys).map(Secret::new);
        let mut placeholders: Vec<String> = o
            .iter()
            .filter(|(_, v)| contains_placeholder(v))
            .map(|(k, _)| k.clone())
            .collect();
        placeholders.sort();
        Self {
            marker: raw.marker,
            pgid: text(&["pgid"]),
            error_code: text(&["sErrorCode"]),
            error_text: text(&["sErrTxt"]),
            i_error_code: text(&["iErrorCode"]),
            service_exception_message: text(&["strServiceExceptionMessage"]),
            main_message: text(&["strMainMessage"]),
            error_title_index: o.get("iErrorTitle").and_then(as_int),
            error_description_index: o.get("iErrorDescription").and_then(as_int),
            validation_errors: text_list(o.get("arrValErrs")),
            correlation_id: text(&["correlationId"]),
            session_id: text(&["sessionId"]),
            tenant_id: text(&["sTenantId"]),
            app_name: text(&["sAppName", "sAppDisplayName"]),
            app_id: text(&["sClientId", "sAppId"]),
            username: text(&["sPOST_Username"]),
            device_id: text(&["sDeviceId"]),
            device_state: text(&["sDeviceState"]),
            device_platform: text(&["sDevicePlatform"]),
            url_post: text(&["urlPost"]),
            url_no_cookies: text(&["urlNoCookies"]),
            use_same_site: o.get("fUseSameSite").and_then(Value::as_bool),
            user_proofs: proofs(o.get("arrUserProofs")),
            consent_scopes: consent_scopes(o),
            flow_token: secret(&["sFT"]),
            flow_token_name: text(&["sFTName"]),
            ctx: secret(&["sCtx"]),
            canary: secret(&["canary", "sCanary"]),
            api_canary: secret(&["apiCanary"]),
            hpgid: o.get("hpgid").and_then(as_int),
            hpgact: o.get("hpgact").and_then(as_int),
            server_details: o.get("serverDetails").and_then(server_details),
            placeholders,
            raw: raw.object,
        }
    }

    /// Whether the object looks like an ESTS / MSA page config rather than
    /// some other script's `ServerData`.
    pub fn looks_like_ests(&self) -> bool {
        const KEYS: [&str; 14] = [
            "pgid",
            "sFT",
            "sFTTag",
            "urlPost",
            "correlationId",
            "sessionId",
            "serverDetails",
            "sErrorCode",
            "iErrorCode",
            "strServiceExceptionMessage",
            "sCtx",
            "apiCanary",
            "hpgid",
            "urlNoCookies",
        ];
        KEYS.iter().any(|k| self.raw.contains_key(*k))
    }
}

/// A non-empty, non-placeholder text value (numbers as written).
fn real_text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty() && !is_placeholder(&s)).then_some(s)
}

fn contains_placeholder(v: &Value) -> bool {
    match v {
        Value::String(s) => is_placeholder(s),
        _ => false,
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| real_text(Some(i))).collect())
        .unwrap_or_default()
}

fn proofs(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = v
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|p| real_text(p.get("authMethodId")))
                .collect()
        })
        .unwrap_or_default();
    out.dedup();
    out
}

fn consent_scopes(o: &Map<String, Value>) -> Vec<String> {
    let scope_ids = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|s| match s {
                        Value::String(_) => real_text(Some(s)),
                        _ => ["id", "scope", "value"]
                            .iter()
                            .find_map(|k| real_text(s.get(*k))),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = scope_ids(o.get("arrScopes"));
    if let Some(infos) = o.get("arrConsentInfoServerData").and_then(Value::as_array) {
        for info in infos {
            out.extend(scope_ids(info.get("arrScopes")));
        }
    }
    out
}

fn server_details(v: &Value) -> Option<ServerDetails> {
    let o = v.as_object()?;
    let build = o
        .get("ver")
        .and_then(|ver| ver.get("v"))
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(".")
        })
        .filter(|b| !b.is_empty());
    Some(ServerDetails {
        slice: real_text(o.get("slc")),
        datacenter: real_text(o.get("dc")),
        role_instance: real_text(o.get("ri")),
        build,
        render_time: real_text(o.get("rt")),
        elapsed_ms: o.get("et").and_then(as_int),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(html: &str) -> ConvergedConfig {
        ConvergedConfig::from_raw(extract(html).unwrap().unwrap())
    }

    #[test]
    fn extracts_with_trailing_semicolon_and_cdata_end() {
        let cases = [
            "<script>//<![CDATA[\n$Config={\"pgid\":\"ConvergedError\"};\n//]]></script>",
            "$Config = {\"pgid\":\"ConvergedError\"}//]]>",
            "var ServerData = {\"pgid\":\"ConvergedError\"};",
            "ServerData = $Config; $Config={\"pgid\":\"ConvergedError\"};",
        ];
        for html in cases {
            assert_eq!(
                config(html).pgid.as_deref(),
                Some("ConvergedError"),
                "{html}"
            );
        }
    }

    #[test]
    fn ignores_markers_without_an_object() {
        for html in [
            "ServerData = $Config;",
            "$Config == 1",
            "$ConfigX={}",
            "no marker",
            "$Config=",
        ] {
            assert!(extract(html).unwrap().is_none(), "{html}");
        }
    }

    #[test]
    fn reports_broken_json_and_refuses_huge_objects() {
        assert!(matches!(
            extract("$Config={\"a\":,};"),
            Err(ConfigError::Json { offset: 0, .. })
        ));
        let huge = format!("$Config={{\"a\":\"{}\"}};", "x".repeat(MAX_CONFIG_BYTES));
        assert!(matches!(extract(&huge), Err(ConfigError::TooLarge { .. })));
        let deep = format!("$Config={}", "{\"a\":".repeat(100_000));
        assert!(matches!(extract(&deep), Err(ConfigError::Json { .. })));
    }

    #[test]
    fn template_placeholders_are_not_ids() {
        let c = config(
            r#"$Config={"correlationId":"{{.ClientRequestId}}","sessionId":"{{.SessionId}}","sFT":"{{.SFT}}","canary":"{{.Canary}}=0:1","pgid":"ConvergedSignIn"};"#,
        );
        assert_eq!(c.correlation_id, None);
        assert_eq!(c.session_id, None);
        assert!(c.flow_token.is_none() && c.canary.is_none());
        assert_eq!(
            c.placeholders,
            ["canary", "correlationId", "sFT", "sessionId"]
        );
    }

    #[test]
    fn reads_typed_fields() {
        let c = config(
            r#"$Config={"iErrorCode":53003,"iErrorTitle":"3","arrUserProofs":[{"authMethodId":"PhoneAppNotification","display":"+X XXX"},{"authMethodId":"PhoneAppOTP"}],
            "serverDetails":{"slc":"ProdSlices","dc":"NEULR2","ri":"DU2XXXX","ver":{"v":[2,1,12570,16]},"rt":"2020-01-01T00:00:00","et":28},
            "fUseSameSite":true,"sFT":"AQABAAEAAAD","arrConsentInfoServerData":[{"arrScopes":[{"id":"User.Read"}]}]};"#,
        );
        assert_eq!(c.i_error_code.as_deref(), Some("53003"));
        assert_eq!(c.error_title_index, Some(3));
        assert_eq!(c.user_proofs, ["PhoneAppNotification", "PhoneAppOTP"]);
        let sd = c.server_details.unwrap();
        assert_eq!(sd.build.as_deref(), Some("2.1.12570.16"));
        assert_eq!(sd.elapsed_ms, Some(28));
        assert_eq!(c.use_same_site, Some(true));
        assert_eq!(c.flow_token.unwrap().expose(), "AQABAAEAAAD");
        assert_eq!(c.consent_scopes, ["User.Read"]);
    }

    #[test]
    fn raw_object_is_serialized_with_secrets_masked() {
        let c = config(
            r#"$Config={"sFT":"FLOWTOKENVALUE","sFTName":"flowToken","apiCanary":"CANARYVALUE","urlResume":"https://x/resume?ctx=CTXVALUE&y=1","nested":{"canary":"C2"},"fShowButtons":true};"#,
        );
        let json = serde_json::to_string(&c).unwrap();
        for secret in ["FLOWTOKENVALUE", "CANARYVALUE", "CTXVALUE", "\"C2\""] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
        assert!(json.contains("\"sFTName\":\"flowToken\""));
        assert!(json.contains("y=1"));
        let shown = crate::secret::with_secrets_shown(true, || serde_json::to_string(&c).unwrap());
        assert!(shown.contains("FLOWTOKENVALUE") && shown.contains("CTXVALUE"));
    }

    #[test]
    fn secret_key_heuristics() {
        let secret = [
            "sFT",
            "sCtx",
            "canary",
            "apiCanary",
            "sCanary",
            "PPFT",
            "sFTTag",
            "x_token",
        ];
        let plain = [
            "sFTName",
            "sCanaryTokenName",
            "urlTokenBindingLearnMore",
            "fEnableToken",
            "pgid",
        ];
        for k in secret {
            assert!(is_secret_key(k), "{k}");
        }
        for k in plain {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn mask_secret_params_keeps_other_parameters() {
        let out = mask_secret_params("https://l/x?ctx=ABC&mkt=en-US&code=XYZ#f");
        assert!(!out.contains("ABC") && !out.contains("XYZ"));
        assert!(out.contains("mkt=en-US") && out.ends_with("#f"));
        assert_eq!(mask_secret_params("a=b=c"), "a=b=c");
        assert!(!mask_secret_params("éctx=SECRET").contains("SECRET"));
    }
}
