//! `factsite check`: are the citations still true to their sources?

use crate::annotate::Anchoring;
use crate::config::Project;
use crate::pipeline::{read_annotations, ANNOTATIONS_DIR};
use crate::read::{hex_sha256, Source};
use std::path::Path;

pub fn run(root: &Path) -> anyhow::Result<i32> {
    let project = Project::open(root)?;
    let (docs, errors) = read_annotations(&project, &project.content_dir().join(ANNOTATIONS_DIR));
    let mut problems = 0;
    for e in &errors {
        eprintln!("error: {e}");
        problems += 1;
    }
    for (path, doc) in &docs {
        let bytes = match std::fs::read(project.root.join(path)) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {path}: the source of an annotated file cannot be read: {e}");
                problems += 1;
                continue;
            }
        };
        let source = match Source::from_bytes(path, &bytes, &project.config.limits) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                problems += 1;
                continue;
            }
        };
        for c in doc.claims.iter().filter(|c| c.anchoring != Anchoring::Orphaned) {
            let now = source.text.get(c.span.start..c.span.end);
            if now != Some(c.quote.as_str()) || hex_sha256(c.quote.as_bytes())[..16] != c.quote_sha256 {
                let line = source.lines.line_of(c.span.start.min(source.text.len()));
                eprintln!("error: claim {} no longer matches its source\n  --> {path}:{line}\n  quote: {}\n  help: rebuild to re-anchor it, then review it", c.id, c.quote);
                problems += 1;
            }
        }
    }
    if problems > 0 {
        eprintln!("{problems} problem(s) found");
        return Ok(1);
    }
    println!("All citations match their sources ({} annotated files).", docs.len());
    Ok(0)
}
