//! The analysis of one capture: decode → context → rules → verdict and
//! ticket. Pure: borrows the capture, does no I/O, deterministic output.
//! The verdict ([`verdict`]) names one root cause; the ticket ([`ticket`])
//! gathers the IDs support pastes into a case.

mod ticket;
pub mod timezone;
mod verdict;

use crate::capture::{Capture, Limits};
use crate::flow::Context;
use crate::rules::{self, Finding};

pub use ticket::{Sourced, Ticket};
pub use verdict::{Status, Verdict};

/// Everything known about one capture after analysis.
#[derive(Debug)]
pub struct Analysis<'c, 'a> {
    pub ctx: Context<'c, 'a>,
    pub findings: Vec<Finding>,
    pub verdict: Verdict,
    pub ticket: Ticket,
}

/// Analyses a capture.
pub fn analyze<'c, 'a>(capture: &'c Capture<'a>, limits: Limits) -> Analysis<'c, 'a> {
    analyze_with(capture, limits, &crate::signature::Trust::default())
}

/// [`analyze`] with trust material (`--idp-cert`, `--sp-key`).
pub fn analyze_with<'c, 'a>(
    capture: &'c Capture<'a>,
    limits: Limits,
    trust: &crate::signature::Trust,
) -> Analysis<'c, 'a> {
    let ctx = Context::build_with(capture, limits, trust);
    let mut findings = rules::run(&ctx);
    findings.sort_by(|a, b| (a.entry.unwrap_or(0), a.code).cmp(&(b.entry.unwrap_or(0), b.code)));
    let verdict = verdict::verdict(&ctx, &mut findings);
    // The root cause first, then errors, warnings and notes, each by entry.
    findings.sort_by_key(|f| {
        let root = verdict.code == Some(f.code) && verdict.entry == f.entry;
        (
            !root,
            std::cmp::Reverse(f.severity),
            f.entry.unwrap_or(0),
            f.code,
        )
    });
    let ticket = ticket::ticket(&ctx, &verdict, &findings);
    Analysis {
        ctx,
        findings,
        verdict,
        ticket,
    }
}
