//! Stage 1, **read**: find the source files of a project and decode them into [`Source`] values.
//! This is one of the two places that touch the file system (the other is `publish`).

mod decode;
mod source;

pub use decode::{decode, DecodeError, Decoded};
pub use source::{hex_sha256, slugify, Source};

use crate::config::Project;
use std::path::Path;
use walkdir::WalkDir;

/// A file under the sources folder that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Path relative to the project root.
    pub path: String,
    /// What was wrong, in words a user can act on.
    pub reason: String,
}

/// Every source of the project, in path order, plus the files that could not be read.
#[derive(Debug, Default)]
pub struct ReadResult {
    /// Decoded sources, sorted by path.
    pub sources: Vec<Source>,
    /// Files that were skipped, with their reason.
    pub skipped: Vec<Skipped>,
}

/// Read every `.txt` source under the project's sources folder.
///
/// Hidden files and folders (a name starting with `.`) are ignored; symbolic links are not
/// followed, so nothing outside the project is read through a link. A file that cannot be read
/// or decoded is reported in [`ReadResult::skipped`] and the others are read all the same.
pub fn read_sources(project: &Project) -> std::io::Result<ReadResult> {
    let dir = project.sources_dir();
    let mut result = ReadResult::default();
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "the sources folder {} does not exist: create it and put .txt files in it, or set `sources_dir` in factsite.toml",
                dir.display()
            ),
        ));
    }
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| project.relative(p)).unwrap_or_default();
                result.skipped.push(Skipped { path, reason: format!("cannot be listed: {err}") });
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            result.skipped.push(Skipped {
                path: project.relative(entry.path()),
                reason: "is a symbolic link; links are not followed (copy the file into the sources folder)".into(),
            });
            continue;
        }
        if !entry.file_type().is_file() || !is_source_file(entry.path()) {
            continue;
        }
        let rel = project.relative(entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => match Source::from_bytes(&rel, &bytes, &project.config.limits) {
                Ok(source) => result.sources.push(source),
                Err(err) => result.skipped.push(Skipped { path: rel, reason: err.to_string() }),
            },
            Err(err) => result.skipped.push(Skipped { path: rel, reason: format!("cannot be read: {err}") }),
        }
    }
    dedupe_ids(&mut result.sources);
    Ok(result)
}

fn is_source_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Two file names can slug to the same id (`a b.txt`, `a-b.txt`): later ones get a suffix.
fn dedupe_ids(sources: &mut [Source]) {
    let mut seen = std::collections::HashSet::new();
    for s in sources.iter_mut() {
        if !seen.insert(s.id.clone()) {
            let mut n = 2;
            while !seen.insert(format!("{}-{n}", s.id)) {
                n += 1;
            }
            s.id = format!("{}-{n}", s.id);
        }
    }
}
