//! Ordered OAuth parameters (query, fragment or form body) with secret values
//! typed as [`Secret`].
//!
//! RFC 6749 §3.1: "Request and response parameters MUST NOT be included more
//! than once." Captures do not always obey, so every occurrence is kept, in
//! order; accessors return the first one and [`Params::duplicates`] names the
//! repeated ones.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::secret::Secret;

/// Whether a parameter of this name carries a secret: the one registry in
/// [`crate::secret`], so what `analyze` masks is what `redact` removes.
pub fn is_secret_param(name: &str) -> bool {
    crate::secret::is_secret_param(name)
}

/// A parameter value: plain, or masked in output unless secrets are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Shown as is.
    Plain(String),
    /// Masked unless `--show-secrets`.
    Secret(Secret<String>),
}

impl ParamValue {
    /// The real value.
    pub fn expose(&self) -> &str {
        match self {
            Self::Plain(s) => s,
            Self::Secret(s) => s.expose(),
        }
    }

    /// The value as it may be shown.
    pub fn render(&self, show_secrets: bool) -> String {
        match self {
            Self::Plain(s) => s.clone(),
            Self::Secret(s) => s.render(show_secrets),
        }
    }
}

/// One `name=value` pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Parameter name, as sent.
    pub name: String,
    /// Its value (percent-decoded).
    pub value: ParamValue,
}

/// All parameters of one message, in the order they were sent.
///
/// Serializes as a JSON object in first-occurrence order; a repeated name
/// becomes an array of its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<Param>);

impl Params {
    /// Builds from decoded pairs (e.g. `url.query_pairs()`), wrapping
    /// secret-bearing values.
    pub fn from_pairs<K, V, I>(pairs: I) -> Self
    where
        K: AsRef<str>,
        V: AsRef<str>,
        I: IntoIterator<Item = (K, V)>,
    {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    let name = k.as_ref().to_owned();
                    let value = v.as_ref().to_owned();
                    let value = if is_secret_param(&name) {
                        ParamValue::Secret(Secret::new(value))
                    } else {
                        ParamValue::Plain(value)
                    };
                    Param { name, value }
                })
                .collect(),
        )
    }

    /// Parses `application/x-www-form-urlencoded` text (a query, fragment or
    /// form body).
    pub fn parse(encoded: &str) -> Self {
        Self::from_pairs(url::form_urlencoded::parse(encoded.as_bytes()))
    }

    /// The first value of `name` (exact, case-sensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.expose())
    }

    /// The first value of `name`, empty values treated as absent.
    pub fn get_nonempty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// The first value of `name` as an owned, non-empty string.
    pub fn string(&self, name: &str) -> Option<String> {
        self.get_nonempty(name).map(str::to_owned)
    }

    /// The first value of `name` as a [`Secret`].
    pub fn secret(&self, name: &str) -> Option<Secret<String>> {
        self.get_nonempty(name).map(|v| Secret::new(v.to_owned()))
    }

    /// Whether `name` is present (even empty).
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|p| p.name == name)
    }

    /// Every pair, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Param> {
        self.0.iter()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Names sent more than once, in first-occurrence order.
    pub fn duplicates(&self) -> Vec<&str> {
        self.grouped()
            .into_iter()
            .filter(|(_, values)| values.len() > 1)
            .map(|(name, _)| name)
            .collect()
    }

    /// Values grouped by name, names in first-occurrence order (linear time:
    /// a form body may hold many thousands of pairs).
    fn grouped(&self) -> Vec<(&str, Vec<&ParamValue>)> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<(&str, Vec<&ParamValue>)> = Vec::new();
        for p in &self.0 {
            match index.get(p.name.as_str()) {
                Some(&i) => {
                    if let Some((_, values)) = groups.get_mut(i) {
                        values.push(&p.value);
                    }
                }
                None => {
                    index.insert(&p.name, groups.len());
                    groups.push((&p.name, vec![&p.value]));
                }
            }
        }
        groups
    }

    /// Rows for text output: `(name, shown value)`; `overrides` replaces the
    /// shown value of some parameters (e.g. a decoded JWT's summary).
    pub(crate) fn rows(
        &self,
        show_secrets: bool,
        overrides: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<(Cow<'_, str>, String)> {
        self.0
            .iter()
            .map(|p| {
                let shown = overrides(&p.name).unwrap_or_else(|| p.value.render(show_secrets));
                (Cow::Borrowed(p.name.as_str()), shown)
            })
            .collect()
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let groups = self.grouped();
        let mut map = s.serialize_map(Some(groups.len()))?;
        for (name, values) in groups {
            match values.as_slice() {
                [one] => map.serialize_entry(name, one)?,
                many => map.serialize_entry(name, many)?,
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_masks_secrets_and_groups_duplicates() {
        let p = Params::parse("client_id=abc&code=SECRETCODE&scope=openid+profile&state=1&state=2");
        assert_eq!(p.get("scope"), Some("openid profile"));
        assert_eq!(p.get("code"), Some("SECRETCODE"));
        assert_eq!(p.duplicates(), vec!["state"]);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"client_id":"abc","code":"‹redacted 10 chars›","scope":"openid profile","state":["1","2"]}"#
        );
        let shown = crate::secret::with_secrets_shown(true, || serde_json::to_string(&p).unwrap());
        assert!(shown.contains("SECRETCODE"));
    }

    #[test]
    fn secret_names_match_case_insensitively() {
        for name in [
            "code",
            "flowToken",
            "CLIENT_SECRET",
            "id_token_hint",
            "canary",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in [
            "state",
            "nonce",
            "client_id",
            "code_challenge",
            "login_hint",
        ] {
            assert!(!is_secret_param(name), "{name}");
        }
    }
}
