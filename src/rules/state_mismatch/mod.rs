//! Answers that belong to another sign-in: SAML `InResponseTo` that names
//! an older (or no) AuthnRequest of the capture, OAuth `state` that matches
//! another attempt's (two tabs, back button, replayed callback).

mod oidc_state_mismatch;
mod saml_in_response_to_mismatch;

pub use oidc_state_mismatch::STATE_MISMATCH;
pub use saml_in_response_to_mismatch::IN_RESPONSE_TO_MISMATCH;

use crate::decode::Message;
use crate::flow::Context;
use crate::rules::Finding;
