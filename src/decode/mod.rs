//! Finding and decoding identity protocol messages in exchanges.

pub mod aadsts;
pub mod encoding;
pub mod entra;
pub mod jwt;
pub mod oidc;
pub mod pages;
pub mod saml;
pub mod wsfed;
