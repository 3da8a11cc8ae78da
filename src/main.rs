//! Thin entry point: run the CLI and map what it found to the exit-code
//! contract — the only place a number is chosen. An error (usage, unreadable
//! input) prints its chain once and exits 2; a closed pipe exits quietly.

use std::process::ExitCode;

use trace_inspect::cli::{self, Outcome};
use trace_inspect::report::safe::escape;

fn main() -> ExitCode {
    let outcome = match cli::run() {
        Ok(outcome) => outcome,
        Err(err) if cli::is_broken_pipe(&err) => Outcome::Clean,
        Err(err) => {
            eprintln!("trace-inspect: {}", escape(&format!("{err:#}")));
            Outcome::Unusable
        }
    };
    ExitCode::from(outcome.exit_code())
}
