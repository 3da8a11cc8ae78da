//! Replays every saved fuzz input (`fuzz/corpus/<target>/*` and
//! `fuzz/artifacts/<target>/*`) through its target, so crashes found once
//! stay fixed without a nightly toolchain in CI.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn replays_saved_fuzz_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0usize;
    for (name, target) in trace_inspect::fuzzing::TARGETS {
        for dir in ["corpus", "artifacts"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths.iter().filter(|p| p.is_file()) {
                let data = std::fs::read(path).expect("read fuzz input");
                target(&data);
                replayed += 1;
            }
        }
    }
    assert!(
        replayed > 0,
        "no fuzz inputs found under {}",
        root.display()
    );
}
