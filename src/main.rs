//! Thin entry point: run the CLI, print the error chain once, map it to the
//! exit-code contract (2 for usage errors and unreadable input; a broken
//! pipe is not an error).

use std::process::ExitCode;

fn main() -> ExitCode {
    match trace_inspect::cli::run() {
        Ok(code) => code,
        Err(err) => {
            let broken_pipe = err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("trace-inspect: {err:#}");
            ExitCode::from(trace_inspect::cli::EXIT_USAGE)
        }
    }
}
