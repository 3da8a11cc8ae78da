//! Secret values: tokens, cookie values, passwords, authorization codes and
//! assertion signatures.
//!
//! Invariant: a [`Secret`] never prints its value through `Display` or `Debug`.
//! Renderers that are allowed to reveal it (`--show-secrets`) call
//! [`Secret::expose`] or [`Secret::render`] explicitly, so a forgotten code
//! path masks rather than leaks.

use std::cell::Cell;
use std::fmt;

/// The nine bytes every binary pseudonym `redact` writes (JWT signature,
/// SAML `SignatureValue`, ciphertext) starts with. Nine bytes are exactly
/// twelve base64 characters, so the encoded prefix is the same whatever
/// follows. Here, below every stage, so the signature checks can tell a
/// redacted value from a forged one without importing the redactor.
pub const PSEUDONYM_MARKER: &[u8; 9] = b"REDACTED:";

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

// ---------------------------------------------------------------------------
// The registry of secret names
// ---------------------------------------------------------------------------

/// What kind of secret a name holds; the redactor picks its pseudonym and
/// its treatment from this, every output masks all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretClass {
    /// Typed by the user (passwords, passcodes, one-time codes): always
    /// replaced whole, never decoded.
    Password,
    /// One-time grants: OAuth authorization codes (RFC 6749 §4.1.2), device
    /// and user codes (RFC 8628 §3.2), SAML artifacts (SAML bindings §3.6).
    Code,
    /// Bearer tokens and replayable state: OAuth / OIDC tokens (RFC 6749
    /// §5.1, OIDC Core §2, RFC 8693 §2.1, OIDC Back-Channel Logout §2.4),
    /// request objects (RFC 9101 §5), client assertions (RFC 7521 §4.2),
    /// Entra / Okta flow state (`flowToken`, `ctx`, `canary`, `PPFT`) and
    /// anti-forgery tokens.
    Token,
    /// Long-lived credentials of an application: client secrets (RFC 6749
    /// §2.3.1), PKCE verifiers (RFC 7636 §4.1), API and subscription keys.
    Key,
    /// SAML / WS-Fed protocol messages (SAML bindings §3.4.4, §3.5.4;
    /// WS-Federation §13.2): decoded and masked inside (signatures,
    /// ciphertext), never shown or removed whole.
    Message,
}

/// The secret names decoders read by name (the token request's fields),
/// spelled once here so the decoders and the registry cannot drift apart.
pub mod names {
    pub const PASSWORD: &str = "password";
    pub const CODE: &str = "code";
    pub const DEVICE_CODE: &str = "device_code";
    pub const REFRESH_TOKEN: &str = "refresh_token";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const CODE_VERIFIER: &str = "code_verifier";
}

/// Query / form parameter and JSON member names whose values are secrets,
/// compared ASCII case-insensitively. The one list every masking path
/// (`analyze` outputs, `$Config` values, OAuth parameters) and redaction
/// read; [`secret_param`] adds the name patterns.
pub const SECRET_NAMES: &[(&str, SecretClass)] = &[
    (names::PASSWORD, SecretClass::Password),
    ("passwd", SecretClass::Password),
    ("pwd", SecretClass::Password),
    ("pass", SecretClass::Password),
    ("passcode", SecretClass::Password),
    ("otc", SecretClass::Password),
    (names::CODE, SecretClass::Code),
    ("samlart", SecretClass::Code),
    (names::DEVICE_CODE, SecretClass::Code),
    ("user_code", SecretClass::Code),
    ("id_token", SecretClass::Token),
    // JARM: the whole authorization response (code, tokens) as one JWT.
    ("response", SecretClass::Token),
    ("id_token_hint", SecretClass::Token),
    ("access_token", SecretClass::Token),
    (names::REFRESH_TOKEN, SecretClass::Token),
    ("logout_token", SecretClass::Token),
    ("subject_token", SecretClass::Token),
    ("actor_token", SecretClass::Token),
    ("assertion", SecretClass::Token),
    ("client_assertion", SecretClass::Token),
    ("request", SecretClass::Token),
    ("token", SecretClass::Token),
    ("session_token", SecretClass::Token),
    ("sessiontoken", SecretClass::Token),
    ("state_token", SecretClass::Token),
    ("statetoken", SecretClass::Token),
    // Okta Identity Engine: the IDX transaction handle, posted with every
    // step (`/idp/idx/identify`); it resumes the transaction like `stateToken`.
    ("statehandle", SecretClass::Token),
    ("canary", SecretClass::Token),
    ("apicanary", SecretClass::Token),
    ("scanary", SecretClass::Token),
    ("flowtoken", SecretClass::Token),
    ("sft", SecretClass::Token),
    ("sfttag", SecretClass::Token),
    ("ctx", SecretClass::Token),
    ("sctx", SecretClass::Token),
    ("ppft", SecretClass::Token),
    ("originalrequest", SecretClass::Token),
    ("csrf", SecretClass::Token),
    ("csrf_token", SecretClass::Token),
    ("_csrf", SecretClass::Token),
    ("xsrf", SecretClass::Token),
    ("__requestverificationtoken", SecretClass::Token),
    ("authenticity_token", SecretClass::Token),
    ("x-ms-refreshtokencredential", SecretClass::Token),
    ("x-ms-devicecredential", SecretClass::Token),
    ("wresult_token", SecretClass::Token),
    (names::CLIENT_SECRET, SecretClass::Key),
    (names::CODE_VERIFIER, SecretClass::Key),
    ("api_key", SecretClass::Key),
    ("apikey", SecretClass::Key),
    ("api-key", SecretClass::Key),
    ("x-api-key", SecretClass::Key),
    ("secret", SecretClass::Key),
    ("subscription-key", SecretClass::Key),
    ("subscription_key", SecretClass::Key),
    ("ocp-apim-subscription-key", SecretClass::Key),
    // Session identifiers: replayable as the session itself. `sid` is also
    // OIDC's session ID (Front-Channel Logout 1.0 §3, Session Management
    // §2.1); keyed pseudonyms keep equal values equal, so correlation holds.
    ("sid", SecretClass::Token),
    ("sessionid", SecretClass::Token),
    ("session_id", SecretClass::Token),
    ("session-id", SecretClass::Token),
    ("session_key", SecretClass::Key),
    ("sessionkey", SecretClass::Key),
    // WOPI (Office for the web, [MS-WOPI] §2.2.2): the access token and the
    // session context a host passes to the WOPI client.
    ("access_token_ttl", SecretClass::Token),
    ("x-wopi-sessioncontext", SecretClass::Token),
    ("sc", SecretClass::Token),
    ("samlrequest", SecretClass::Message),
    ("samlresponse", SecretClass::Message),
    ("wresult", SecretClass::Message),
    ("wsignin", SecretClass::Message),
];

/// The class of a name listed in [`SECRET_NAMES`] (the table alone, no
/// patterns).
pub fn secret_name(name: &str) -> Option<SecretClass> {
    SECRET_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, class)| *class)
}

/// The class of a parameter / member name: the table first, then the name
/// patterns (`NewPassword`, `x_session_token`, `appSecret`, `api_key2`…).
pub fn secret_param(name: &str) -> Option<SecretClass> {
    let name = name.trim();
    if let Some(class) = secret_name(name) {
        return Some(class);
    }
    let lower = name.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("passwd") {
        return Some(SecretClass::Password);
    }
    if lower.ends_with("_token") || (lower.ends_with("token") && lower.len() > 5) {
        return Some(SecretClass::Token);
    }
    // `PHPSESSID`, `ASP.NET_SessionId`, `wdSessionId`, `x_session_id`.
    if ["sessid", "sessionid", "session_id", "session-id"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return Some(SecretClass::Token);
    }
    if lower.ends_with("secret")
        || ((lower.ends_with("_key") || lower.ends_with("-key") || lower.ends_with("key"))
            && ["api", "session", "secret", "access", "private", "auth"]
                .iter()
                .any(|s| lower.contains(s)))
    {
        return Some(SecretClass::Key);
    }
    None
}

/// Whether a value is a placeholder left by another sanitizer where a
/// secret was (`[code redacted]`, `REDACTED`, `<removed>`, `***`): an
/// already-removed value, neither a secret to replace again nor a value a
/// rule should judge.
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "redacted",
        "removed",
        "masked",
        "scrubbed",
        "sanitized",
        "omitted",
        "hidden",
    ];
    let raw = value.trim();
    if raw.len() >= 3 && raw.bytes().all(|b| b == b'*') {
        return true;
    }
    // A bare word is a placeholder only as the whole value (`REDACTED`); in
    // brackets a short phrase naming it is (`[code redacted]`, `<removed>`),
    // so a typed password such as `my hidden pin` is never mistaken for one.
    if WORDS.iter().any(|w| raw.eq_ignore_ascii_case(w)) {
        return true;
    }
    let inner = ["[]", "<>", "{}", "()"].iter().find_map(|pair| {
        let (open, close) = pair.split_at(1);
        raw.strip_prefix(open)?.strip_suffix(close)
    });
    inner.is_some_and(|v| {
        v.len() <= 40
            && v.split_whitespace().count() <= 3
            && v.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| WORDS.iter().any(|x| w.eq_ignore_ascii_case(x)))
    })
}

/// Whether a parameter or field with this name holds a secret value that
/// is masked whole (every class but [`SecretClass::Message`], whose
/// secret parts are masked by its decoder).
pub fn is_secret_param(name: &str) -> bool {
    secret_param(name).is_some_and(|c| c != SecretClass::Message)
}

/// What a header's value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretHeader {
    /// `Cookie` (RFC 6265 §5.4): every value.
    Cookie,
    /// `Set-Cookie` (RFC 6265 §4.1): the value, not the attributes.
    SetCookie,
    /// `Authorization` / `Proxy-Authorization` (RFC 9110 §11.6.2, §11.7.2):
    /// the credentials after the scheme.
    Authorization,
    /// An API key, token or credential header, whole.
    Value(SecretClass),
}

/// The secret a header name carries, `None` for headers without one.
/// CORS response headers name credentials without carrying any
/// (`Access-Control-Allow-Credentials: true`, Fetch standard §3.2.3).
pub fn secret_header(name: &str) -> Option<SecretHeader> {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "cookie" => return Some(SecretHeader::Cookie),
        "set-cookie" | "set-cookie2" => return Some(SecretHeader::SetCookie),
        "authorization" | "proxy-authorization" => return Some(SecretHeader::Authorization),
        _ => {}
    }
    if lower.starts_with("access-control-") {
        return None;
    }
    if [
        "api-key",
        "apikey",
        "subscription-key",
        "functions-key",
        "secret",
        "password",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Some(SecretHeader::Value(SecretClass::Key));
    }
    if ["token", "credential", "csrf"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Some(SecretHeader::Value(SecretClass::Token));
    }
    None
}

/// Header names whose values are secrets (cookies and credentials).
pub fn is_secret_header(name: &str) -> bool {
    secret_header(name).is_some()
}

/// Masks secret values inside free text (a body preview): `name=value`
/// pairs of form bodies and query strings, `"name":"value"` JSON members and
/// `name="name" value="…"` hidden inputs whose name is a secret parameter.
pub fn mask_text(text: &str) -> String {
    masked(text).into_owned()
}

/// [`mask_text`], borrowing the text when it holds nothing to mask (most
/// URLs and messages), so renderers allocate only for what they change.
fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let named = match next_secret_value(text) {
        None => Cow::Borrowed(text),
        Some(_) => Cow::Owned(mask_named_values(text)),
    };
    if !named.contains("eyJ") {
        return named;
    }
    Cow::Owned(mask_token_runs(&named))
}

/// Free text as it may be shown on this thread: itself inside
/// [`with_secrets_shown`]`(true, …)`, [`mask_text`] otherwise. Renderers call
/// this on every capture-derived string that is not a typed field (URLs,
/// evidence, messages), so a URL's `code=` or a JARM `response=` JWT never
/// reaches an output unmasked.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if secrets_shown() || !may_hold_secret(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        masked(text)
    }
}

/// `serialize_with` helper: a string serialized through [`shown`].
pub fn serialize_shown<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&shown(text))
}

/// `serialize_with` helper for optional strings (see [`serialize_shown`]).
pub fn serialize_shown_opt<S: serde::Serializer>(
    text: &Option<String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match text {
        Some(t) => s.serialize_str(&shown(t)),
        None => s.serialize_none(),
    }
}

/// Cheap pre-test for [`shown`]: text without `=`, `:` or `eyJ` carries
/// neither a named secret value nor a JWT, and is shown as it is.
fn may_hold_secret(text: &str) -> bool {
    text.contains(['=', ':']) || text.contains("eyJ")
}

/// Masks every JWT-shaped run ([`crate::codec::jwt::spot`]: an `eyJ…`
/// header, then two or four dots of base64url, RFC 7515 §7.1 / RFC 7516
/// §7.1) whatever parameter carries it: a JARM `response=`, a `token=` of an
/// unknown API, a bearer in a log line. Lookalikes whose header does not
/// decode are masked too, and so is the whole run around a token cut from
/// it: a mask errs on the side of hiding.
fn mask_token_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in crate::codec::jwt::spot(text) {
        let (start, end) = (found.run.start, found.run.end);
        out.push_str(text.get(copied..start).unwrap_or_default());
        out.push_str(&mask(text.get(start..end).unwrap_or_default()));
        copied = end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The `name=value` / JSON member / hidden-input pass of [`mask_text`].
fn mask_named_values(text: &str) -> String {
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
        // The value's shape first (one look at the next bytes), the name's
        // table only for a name that has a value.
        if let Some(range) = value_after(text, name_end)
            .filter(|r| r.1 > r.0)
            .filter(|_| is_secret_param(name))
            .filter(|r| !is_error_number(name, &text[r.0..r.1]))
        {
            return Some(range);
        }
        i = name_end.max(i + 1);
    }
    None
}

/// `code=700038` on Microsoft's error page, `code=404`: a short number is
/// an error code, not an authorization code — RFC 6749 §10.10 requires a
/// guessing probability of at most 2^-128 for codes and tokens, which no nine
/// decimal digits (about 30 bits) can meet.
fn is_error_number(name: &str, value: &str) -> bool {
    name.eq_ignore_ascii_case("code")
        && value.len() <= 9
        && value.bytes().all(|b| b.is_ascii_digit())
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
    fn shown_borrows_what_holds_nothing_to_mask_and_masks_the_rest() {
        use std::borrow::Cow;
        let plain =
            "https://login.example.com/common/oauth2/v2.0/authorize?client_id=1&scope=openid";
        assert!(matches!(shown(plain), Cow::Borrowed(_)));
        let code = "https://app.example.com/cb?code=0.AXoAsecretsecretsecret&state=s1";
        let masked = shown(code);
        assert!(matches!(masked, Cow::Owned(_)));
        assert!(!masked.contains("secretsecret"), "{masked}");
        assert!(masked.contains("state=s1"), "{masked}");
        let jwt = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        assert!(!shown(jwt).contains("eyJzdWIiOiJ4In0"), "{}", shown(jwt));
        assert_eq!(mask_text(plain), plain);
    }

    #[test]
    fn recognises_other_sanitizers_placeholders_and_session_names() {
        for p in [
            "[code redacted]",
            "REDACTED",
            "<removed>",
            "***",
            "[REDACTED]",
            "{masked}",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "eyJhbGciOiJub25lIn0",
            "0.AXoA",
            "my hidden pin",
            "[a b c d redacted]",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
        for n in [
            "sid",
            "sessionid",
            "PHPSESSID",
            "wdSessionId",
            "session_key",
            "api_key",
            "x-private-key",
        ] {
            assert!(secret_param(n).is_some(), "{n}");
        }
        assert!(secret_param("keyboard").is_none());
    }

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
        // An error number is not an authorization code (RFC 6749 §10.10).
        assert_eq!(
            mask_text("https://login.microsoftonline.com/error?code=700038"),
            "https://login.microsoftonline.com/error?code=700038"
        );
        assert_eq!(mask_text("code=1234567890"), "code=‹redacted 10 chars›");
        assert_eq!(mask_text("password=123456"), "password=‹redacted 6 chars›");
        assert_eq!(
            mask_text("no secrets here: codename"),
            "no secrets here: codename"
        );
    }

    #[test]
    fn masks_jwt_shaped_runs_whatever_carries_them() {
        let jws = "eyJhbGciOiJSUzI1NiJ9.eyJzdGF0ZSI6InMifQ.c2ln";
        let t = mask_text(&format!("/cb?response={jws}&state=s1. Then {jws}."));
        assert!(!t.contains("eyJ"), "{t}");
        assert!(t.contains("&state=s1. Then ‹redacted 44 chars›."), "{t}");
        // An unsecured JWT (empty signature) and a JWE are tokens too.
        assert!(!mask_text("x eyJhbGciOiJub25lIn0.eyJhIjoxfQ. y").contains("eyJ"));
        assert!(!mask_text("eyJlbmMiOiJBIn0..aXY.Y3Q.dGFn").contains("eyJ"));
        // Not a token: one dot, or glued to a longer base64 run.
        assert_eq!(mask_text("see eyJhbGciOi.x"), "see eyJhbGciOi.x");
        assert_eq!(mask_text("AeyJa.b.c"), "AeyJa.b.c");
    }

    #[test]
    fn shown_masks_unless_secrets_are_shown_on_this_thread() {
        let url = "https://app/cb?code=abc123&state=s";
        assert_eq!(shown(url), "https://app/cb?code=‹redacted 6 chars›&state=s");
        assert_eq!(with_secrets_shown(true, || shown(url).into_owned()), url);
        assert!(matches!(
            shown("plain words"),
            std::borrow::Cow::Borrowed(_)
        ));
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
