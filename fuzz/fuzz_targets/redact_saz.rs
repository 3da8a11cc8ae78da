#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trace_inspect::fuzzing::redact_saz(data);
});
