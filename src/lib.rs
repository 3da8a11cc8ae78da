//! trace-inspect: reads a browser or proxy capture of a web sign-in (HAR,
//! SAZ) and says where and why it broke.
//!
//! Pipeline (each stage borrows the previous one's output, no I/O):
//! [`capture`] loads HAR / SAZ into one model → `decode` finds and decodes
//! identity messages → `flow` groups them into sign-in attempts → `rules`
//! produce findings and a verdict → [`report`] renders them. Only the CLI
//! touches the file system.

pub mod analysis;
pub mod capture;
pub mod cli;
pub mod codec;
pub mod decode;
pub mod flow;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod pipeline;
pub mod redact;
pub mod report;
pub mod rules;
pub mod secret;
pub mod signature;
pub mod timeline;
pub mod triage;
