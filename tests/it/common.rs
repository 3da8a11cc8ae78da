//! Helpers every integration module shares: where the project and the
//! shared corpus are, and the binary with a clean environment.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The project root (`CARGO_MANIFEST_DIR`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus`, or `None` with a skip message when it is absent
/// (a fresh clone has no `../shared`).
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/corpus is absent (a fresh clone has no ../shared)");
        None
    }
}

/// The binary, uncoloured and without a SAZ password from the environment.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("trace-inspect").expect("the binary is built");
    c.env("NO_COLOR", "1")
        .env_remove("TRACE_INSPECT_SAZ_PASSWORD");
    c
}
