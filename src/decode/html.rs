//! Just enough HTML to find what IdPs hide in pages: `<form>`s with their
//! `action`, `method` and hidden `<input>`s (SAML POST binding, OAuth
//! form_post, WS-Fed `wresult`), and whether the page submits itself.
//!
//! The scanning (tags, attributes in any order and quoting, entities) is
//! `codec::html`'s; this module only says what a form means to the
//! decoders: its method, its named fields, whether it posts itself.
//! Bounded: at most [`MAX_FORMS`] forms and [`MAX_INPUTS`] inputs per page.

use crate::codec::html::{self, contains_ci};

const MAX_FORMS: usize = 64;
const MAX_INPUTS: usize = 512;

/// A form found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub action: Option<String>,
    /// Upper-case method (`POST`, `GET`).
    pub method: String,
    /// `name → value` of its inputs, in document order.
    pub fields: Vec<(String, String)>,
    /// The page submits this form by itself (onload, script, or `<noscript>`
    /// with a continue button — the IdP "Working…" pattern).
    pub auto_submit: bool,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Every form in the page (at most [`MAX_FORMS`], with at most
/// [`MAX_INPUTS`] inputs in all), read by the one HTML scanner
/// ([`crate::codec::html::forms`]).
pub fn forms(html: &str) -> Vec<Form> {
    let page_submits = contains_ci(html, ".submit()")
        || contains_ci(html, "onload=\"document.forms")
        || contains_ci(html, "onload='document.forms");
    let mut inputs_left = MAX_INPUTS;
    html::forms(html)
        .into_iter()
        .take(MAX_FORMS)
        .map(|form| {
            let inputs = form.inputs.len().min(inputs_left);
            inputs_left -= inputs;
            Form {
                action: form.action,
                method: form
                    .method
                    .unwrap_or_else(|| "GET".to_owned())
                    .to_ascii_uppercase(),
                fields: form
                    .inputs
                    .into_iter()
                    .take(inputs)
                    .filter_map(|i| Some((i.name?, i.value.unwrap_or_default())))
                    .collect(),
                auto_submit: page_submits || form.noscript,
            }
        })
        .collect()
}

/// The page's `<title>` text, entity-decoded and trimmed.
pub use crate::codec::html::title;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_entra_auto_post_form() {
        let page = r#"<html><head><title>Working...</title></head><body>
            <form method="POST" name="hiddenform" action="https://app.contoso.com/saml/acs">
            <input type="hidden" name="SAMLResponse" value="PHNhbWw+&#x2B;&#x3D;" />
            <input type="hidden" name="RelayState" value="a&amp;b" />
            <noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
            </form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>"#;
        let f = forms(page);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].action.as_deref(),
            Some("https://app.contoso.com/saml/acs")
        );
        assert_eq!(f[0].method, "POST");
        assert_eq!(f[0].field("SAMLResponse"), Some("PHNhbWw++="));
        assert_eq!(f[0].field("relaystate"), Some("a&b"));
        assert!(f[0].auto_submit);
        assert_eq!(title(page).as_deref(), Some("Working..."));
    }

    #[test]
    fn reads_single_quoted_and_unquoted_attributes() {
        let f = forms(
            "<FORM action=/cb method=post><input name='code' value=abc><input type=hidden name=state value='x y'></FORM>",
        );
        assert_eq!(f[0].action.as_deref(), Some("/cb"));
        assert_eq!(
            f[0].fields,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x y".into())
            ]
        );
        assert!(!f[0].auto_submit);
    }

    #[test]
    fn survives_unclosed_markup() {
        // A tag cut by a truncated body runs to the end: a form, no fields.
        assert!(
            forms("<form action=\"x")
                .iter()
                .all(|f| f.fields.is_empty())
        );
        let f = forms("<form><input name=a value=\"b");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field("a"), Some("b"));
    }
}
