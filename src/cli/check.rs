//! `factsite check`: read the project, run [`crate::check`], print the diagnostics.
//! Exit code 0 when nothing is wrong (warnings allowed), 1 when problems were found, 2 when the
//! check could not run (returned as an error to `main`).

use crate::check::{self, CheckReport};
use crate::config::Project;
use anyhow::Context;
use std::path::Path;

/// How to print the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics on stderr and a summary line.
    Human,
    /// One JSON document on stdout: `claims` (each with its `status`) and `diagnostics`.
    Json,
}

/// Run the check on the project at `root`.
pub fn run(root: &Path, format: Format) -> anyhow::Result<i32> {
    let project = Project::open(root)?;
    let inputs = check::read(&project).with_context(|| format!("reading the project in {}", root.display()))?;
    let report = check::check(&inputs);
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Human => {
            for d in &report.diagnostics {
                eprintln!("{}", d.render(check::file_text(&inputs, &d.path)));
            }
            println!("{}", summary(&report));
        }
    }
    Ok(report.exit_code())
}

fn summary(report: &CheckReport) -> String {
    use crate::annotate::Anchoring::*;
    let count = |s| report.claims.iter().filter(|c| c.status == s).count();
    format!(
        "{} claims: {} anchored, {} moved, {} changed, {} orphaned; {} error(s), {} warning(s)",
        report.claims.len(),
        count(Anchored),
        count(Moved),
        count(Changed),
        count(Orphaned),
        report.errors(),
        report.warnings()
    )
}
