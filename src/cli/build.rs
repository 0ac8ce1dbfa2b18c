//! `factsite build`: the whole pipeline, then a one-screen summary.

use crate::config::Project;
use crate::pipeline;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Open the project at `root` with the command line's overrides applied.
pub fn open(root: &Path, base_url: Option<String>, output_dir: Option<PathBuf>) -> anyhow::Result<Project> {
    let mut project = Project::open(root)?;
    if let Some(url) = base_url {
        project.config.base_url = url;
    }
    if let Some(dir) = output_dir {
        let dir = if dir.is_absolute() { dir } else { std::env::current_dir()?.join(dir) };
        project.config.output_dir = dir.to_string_lossy().into_owned();
    }
    Ok(project)
}

pub fn run(root: &Path, base_url: Option<String>, output_dir: Option<PathBuf>) -> anyhow::Result<i32> {
    // A build frees hundreds of megabytes between its stages (the readings of the cross-check,
    // each page once written) and allocates as much again: kept, the memory is not zeroed a
    // second time by the kernel (BENCHMARKS.md, sixth pass), and the peak barely moves.
    crate::keep_freed_memory();
    let started = Instant::now();
    let project = open(root, base_url, output_dir)?;
    let summary = pipeline::build(project)?;
    println!(
        "Built {} claims from {} sources into {} topics, {} findings, in {:.2}s.",
        summary.claims,
        summary.sources,
        summary.topics,
        summary.findings,
        started.elapsed().as_secs_f64()
    );
    println!(
        "  content: {} written, {} unchanged; site: {} written, {} unchanged -> {}",
        summary.content.changed,
        summary.content.unchanged,
        summary.site.changed,
        summary.site.unchanged,
        summary.output_dir.display()
    );
    for s in &summary.skipped {
        println!("  skipped {}: {}", s.path, s.reason);
    }
    for o in &summary.orphans {
        println!("  orphaned claim kept for its review: {o} (run `factsite check`)");
    }
    Ok(0)
}
