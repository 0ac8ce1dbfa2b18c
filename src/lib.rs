//! factsite: a static site generator for fact-check reports.
//!
//! The pipeline, one module per stage (the order is stated in [`pipeline`]):
//! [`read`] → [`segment`] → [`extract`] → [`annotate`] → [`crosscheck`] → [`render`] →
//! [`publish`]. Stages are functions over values; only `read` and `publish` touch files.
#![warn(missing_docs)]

pub mod annotate;
pub mod check;
pub mod cli;
pub mod config;
pub mod crosscheck;
pub mod diagnostic;
pub mod extract;
pub mod lang;
pub mod pipeline;
pub mod publish;
pub mod read;
pub mod render;
pub mod report;
pub mod segment;
pub mod span;

/// With `FACTSITE_TIMINGS` set, print how long a stage took to standard error, with the
/// process's resident memory at its end where the system tells it (Linux).
pub fn timing(stage: &str, since: std::time::Instant) {
    if std::env::var_os("FACTSITE_TIMINGS").is_some() {
        let rss = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map(|pages| format!("  {:>6} MB resident", pages * 4096 / 1_000_000))
            .unwrap_or_default();
        eprintln!("  {stage:<16} {:>8.3} s{rss}", since.elapsed().as_secs_f64());
    }
}
