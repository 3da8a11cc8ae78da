//! Secret values: tokens, cookie values, passwords, authorization codes and
//! assertion signatures.
//!
//! Invariant: a [`Secret`] never prints its value through `Display` or `Debug`.
//! Renderers that are allowed to reveal it (`--show-secrets`) call
//! [`Secret::expose`] or [`Secret::render`] explicitly, so a forgotten code
//! path masks rather than leaks.

use std::cell::Cell;
use std::fmt;

thread_local! {
    static SHOW: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with secrets serialized in clear on this thread only
/// (`--show-secrets`). Scoped and thread-local, so parallel work and tests
/// never see each other's choice.
pub fn with_secrets_shown<R>(show: bool, f: impl FnOnce() -> R) -> R {
    let before = SHOW.with(|s| s.replace(show));
    let out = f();
    SHOW.with(|s| s.set(before));
    out
}

/// Whether secrets are being shown on this thread (see [`with_secrets_shown`]).
pub fn secrets_shown() -> bool {
    SHOW.with(Cell::get)
}

/// A value that is masked in every output unless the user asked for secrets.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The real value, for code that must compare or decode it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the real value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: AsRef<str>> Secret<T> {
    /// The value as it may be shown: itself with `show`, a mask otherwise.
    pub fn render(&self, show: bool) -> String {
        if show {
            self.0.as_ref().to_owned()
        } else {
            mask(self.0.as_ref())
        }
    }
}

/// Masks a secret, keeping only its length so a reader can tell values apart
/// by size without learning them.
pub fn mask(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!("‹redacted {} chars›", value.chars().count())
    }
}

impl<T: AsRef<str>> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(self.0.as_ref()))
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(‹redacted›)")
    }
}

/// Parameter and field names whose values are secrets wherever they appear:
/// query strings, form bodies, JSON bodies. Compared case-insensitively.
/// Identity message parameters (`SAMLResponse`, `id_token`) are not listed:
/// they are decoded and their secret parts (signatures) masked instead.
pub const SECRET_PARAMS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passcode",
    "otc",
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "assertion",
    "client_assertion",
    "samlart",
    "canary",
    "apicanary",
    "flowtoken",
    "sft",
    "ctx",
    "hpgrequestid",
    "api_key",
    "apikey",
    "api-key",
    "x-api-key",
    "secret",
    "token",
    "session_token",
    "sessiontoken",
    "state_token",
    "statetoken",
    "csrf",
    "csrf_token",
    "_csrf",
    "__requestverificationtoken",
    "authenticity_token",
];

/// Whether a parameter or field with this name holds a secret value.
pub fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name.trim()))
}

/// Header names whose values are secrets (cookies and credentials).
pub fn is_secret_header(name: &str) -> bool {
    [
        "cookie",
        "set-cookie",
        "authorization",
        "proxy-authorization",
        "x-api-key",
    ]
    .iter()
    .any(|h| h.eq_ignore_ascii_case(name))
}

/// Masks secret values inside free text (a body preview): `name=value`
/// pairs of form bodies and query strings, `"name":"value"` JSON members and
/// `name="name" value="…"` hidden inputs whose name is a secret parameter.
pub fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, end)) = next_secret_value(rest) {
        out.push_str(&rest[..start]);
        let value = &rest[start..];
        // Already a mask (text that went through masking once): kept whole,
        // so masking twice changes nothing.
        if value.starts_with("‹redacted ") {
            let close = value.find('›').map_or(end - start, |i| i + '›'.len_utf8());
            out.push_str(&value[..close]);
            rest = &value[close..];
            continue;
        }
        out.push_str(&mask(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Finds the byte range of the next secret value in `text`.
fn next_secret_value(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let is_name_start = b.is_ascii_alphabetic() || b == b'_';
        let prev_ok = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b'-');
        if !(is_name_start && prev_ok) {
            i += 1;
            continue;
        }
        let name_end = bytes[i..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-'))
            .map_or(bytes.len(), |p| i + p);
        let name = &text[i..name_end];
        if let Some(range) = is_secret_param(name)
            .then(|| value_after(text, name_end))
            .flatten()
            .filter(|r| r.1 > r.0)
        {
            return Some(range);
        }
        i = name_end.max(i + 1);
    }
    None
}

/// The value that follows a name: `=v` (form), `":"v"` (JSON), `" value="v"` (HTML).
fn value_after(text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = &text[at..];
    if let Some(v) = rest.strip_prefix('=') {
        if v.starts_with('"') {
            return None; // an HTML attribute such as name="x": handled below
        }
        let len = v
            .find(['&', ' ', '\n', '\r', '"', '\'', '<', ';'])
            .unwrap_or(v.len());
        return Some((at + 1, at + 1 + len));
    }
    for lead in ["\":\"", "\": \"", "\\\":\\\"", "\" value=\"", "' value='"] {
        if let Some(v) = rest.strip_prefix(lead) {
            let quote = if lead.ends_with('\'') { '\'' } else { '"' };
            let escaped = lead.contains('\\');
            let stop = if escaped {
                v.find("\\\"")
            } else {
                v.find(quote)
            };
            let len = stop.unwrap_or(v.len().min(4096));
            return Some((at + lead.len(), at + lead.len() + len));
        }
    }
    None
}

/// JSON output masks the value unless inside [`with_secrets_shown`]`(true, …)`.
impl<T: AsRef<str>> serde::Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.render(secrets_shown()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_debug_mask_the_value() {
        let s = Secret::new("hunter2".to_owned());
        assert_eq!(s.to_string(), "‹redacted 7 chars›");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.render(true), "hunter2");
        assert_eq!(s.render(false), "‹redacted 7 chars›");
    }

    #[test]
    fn masks_secret_values_in_free_text() {
        let t = mask_text("user=bob&password=hunter2&code=abc");
        assert_eq!(
            t,
            "user=bob&password=‹redacted 7 chars›&code=‹redacted 3 chars›"
        );
        let j = mask_text(r#"{"sFT":"flowtok","pgid":"x"}"#);
        assert_eq!(j, r#"{"sFT":"‹redacted 7 chars›","pgid":"x"}"#);
        let h = mask_text(r#"<input type="hidden" name="canary" value="c4n4ry"/>"#);
        assert!(!h.contains("c4n4ry"), "{h}");
        assert_eq!(
            mask_text("no secrets here: codename"),
            "no secrets here: codename"
        );
    }

    #[test]
    fn masking_text_twice_changes_nothing() {
        for text in [
            "user=bob&password=hunter2&code=abc",
            r#"{"apiCanary":"c4n4ry-value","pgid":"x"}"#,
        ] {
            let once = mask_text(text);
            assert_eq!(mask_text(&once), once);
        }
    }

    #[test]
    fn serializes_masked_unless_shown_in_scope() {
        let s = Secret::new("hunter2");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"‹redacted 7 chars›\"");
        let shown = with_secrets_shown(true, || serde_json::to_string(&s).unwrap());
        assert_eq!(shown, "\"hunter2\"");
        assert!(!secrets_shown());
    }
}
