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
    fn serializes_masked_unless_shown_in_scope() {
        let s = Secret::new("hunter2");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"‹redacted 7 chars›\"");
        let shown = with_secrets_shown(true, || serde_json::to_string(&s).unwrap());
        assert_eq!(shown, "\"hunter2\"");
        assert!(!secrets_shown());
    }
}
