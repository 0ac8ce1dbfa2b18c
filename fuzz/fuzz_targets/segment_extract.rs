//! Fuzz target: arbitrary bytes as a source file through read (decoding, limits), segment,
//! extract, annotate and the annotated Markdown round trip. The body is shared with the
//! regression test over the stored corpus (`tests/testsuite/hostile.rs`).
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::segment_extract(data));
