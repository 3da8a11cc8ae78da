//! Redirect / reply URL mismatches: the IdP refused the `redirect_uri`
//! (AADSTS50011 and relatives, Google `redirect_uri_mismatch`, Okta's 400
//! page, generic `redirect_uri` errors), or a SAML IdP posted the Response
//! somewhere other than the ACS URL the AuthnRequest asked for.

mod redirect_uri_mismatch;
mod saml_acs_mismatch;

pub use redirect_uri_mismatch::REDIRECT_URI_MISMATCH;
pub use saml_acs_mismatch::SAML_ACS_MISMATCH;

use super::idp_error;
use super::saml_checks::url_difference;
use crate::decode::Message;
use crate::decode::saml::SamlMessage;
use crate::flow::Context;
use crate::rules::{Category, Finding};
