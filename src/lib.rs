//! factsite: a static site generator for fact-check reports.
//!
//! The pipeline, one module per stage (the order is stated in [`pipeline`]):
//! [`read`] → [`segment`] → [`extract`] → [`annotate`] → [`crosscheck`] → [`render`] →
//! [`publish`]. Stages are functions over values; only `read` and `publish` touch files.
#![warn(missing_docs)]

pub mod align;
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

/// `mi_option_purge_delay`, 16th of the options of mimalloc 3's `mimalloc.h` (the crate does
/// not name it): milliseconds before freed memory is returned, -1 for never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tell the allocator of the binary (mimalloc) to keep the memory it is given back for the
/// next allocations instead of returning it to the system a second after, its default. A build
/// frees and allocates again hundreds of megabytes from one stage to the next; `serve`
/// rebuilds every few seconds while an editor works, each time freeing and allocating again
/// hundreds of megabytes at archive scale, and each page returned is zeroed again by the kernel
/// when it comes back (10 to 30 ms of a rebuild at 10,000 dispatches, `benches/rebuild.rs`).
/// The cost: the process keeps its largest size (5.4 GB for 10,000 full-length articles after
/// a few rebuilds, against 2.7 GB after the first build). Left to the user when
/// `MIMALLOC_PURGE_DELAY` is set (`MIMALLOC_PURGE_DELAY=1000 factsite serve` gives memory back
/// a second after it is freed).
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: a plain call into mimalloc's option table (integers in), made before the threads
    // that allocate are started; changing an option never invalidates memory. The option's
    // number is checked by a test against mimalloc's own reading of `MIMALLOC_PURGE_DELAY`.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

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

#[cfg(test)]
mod tests {
    /// mimalloc reads `MIMALLOC_PURGE_DELAY` into its purge delay when it starts: a copy of this
    /// test run with it set finds the value at [`super::PURGE_DELAY`], and there only.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        if std::env::var_os("FACTSITE_PURGE_CHILD").is_some() {
            assert_eq!(get(super::PURGE_DELAY), 777);
            assert!((0..super::PURGE_DELAY).all(|o| get(o) != 777));
            // The user's setting is left alone.
            super::keep_freed_memory();
            assert_eq!(get(super::PURGE_DELAY), 777);
            return;
        }
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "tests::the_option_set_is_the_purge_delay", "--test-threads=1"])
            .env("MIMALLOC_PURGE_DELAY", "777")
            .env("FACTSITE_PURGE_CHILD", "1")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the purge delay is not option {}", super::PURGE_DELAY);
        super::keep_freed_memory();
        assert_eq!(get(super::PURGE_DELAY), -1);
    }
}
