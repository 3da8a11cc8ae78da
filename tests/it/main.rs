//! The integration tests, as one test binary (one link, one run): each
//! module runs the real binary (`assert_cmd`) or the library on fixtures.
//! Shared helpers live in `common`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod branches;
mod common;
mod corpus;
mod decode;
mod hostile;
mod html;
mod longtail;
mod masking;
mod redact;
mod remediation;
mod rules;
mod saz;
mod schema;
mod shell;
mod signatures;
mod ticket;
mod traces;
mod triage;
