//! Fuzz target: arbitrary text as an editor's annotated Markdown file, parsed and merged
//! with a fresh extraction. The body is shared with the regression test over the stored
//! corpus (`tests/testsuite/hostile.rs`).
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::annotate_parse(data));
