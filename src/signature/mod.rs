//! Signature verification and decryption of identity messages: XML-DSig
//! over SAML / WS-Federation documents, the HTTP-Redirect binding's query
//! signature, JWS over JWTs, and XML-Enc for encrypted assertions, checked
//! against trust material the user gives (`--idp-cert`, `--sp-key`) and
//! material found in the capture.
//!
//! Everything here is pure: bytes and structs in, statuses out, no I/O.

pub mod c14n;
pub mod keys;
pub mod tree;
pub mod trust;
pub mod xmldsig;
