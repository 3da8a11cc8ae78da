//! Secret values: tokens, cookie values, passwords, authorization codes and
//! assertion signatures.
//!
//! Invariant: a [`Secret`] never prints its value through `Display` or `Debug`.
//! Renderers that are allowed to reveal it (`--show-secrets`) call
//! [`Secret::expose`] or [`Secret::render`] explicitly, so a forgotten code
//! path masks rather than leaks.

use std::fmt;

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
}
