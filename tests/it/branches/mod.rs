//! One branch of a diagnosis rule per test, on a small capture built in
//! code ([`testkit`]) and run through the whole pipeline: each asserts the
//! finding, its entry and its evidence, so a mutation of a branch (an
//! inverted reason, a moved boundary) fails a test. These are what
//! `cargo mutants` (`.cargo/mutants.toml`) relies on besides the fixtures.

mod clock_skew;
mod cookie_dropped;
mod testkit;
mod verdict;
