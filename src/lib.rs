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

/// With `FACTSITE_TIMINGS` set, print how long a stage took to standard error.
pub fn timing(stage: &str, since: std::time::Instant) {
    if std::env::var_os("FACTSITE_TIMINGS").is_some() {
        eprintln!("  {stage:<16} {:>8.3} s", since.elapsed().as_secs_f64());
    }
}
