//! Stage 1, **read**: find the source files of a project and decode them into [`Source`] values.
//! This is one of the two places that touch the file system (the other is `publish`).

mod decode;
mod source;

pub use decode::{decode, DecodeError, Decoded};
pub use source::{hex_prefix, hex_sha256, slugify, Source};

use crate::config::Project;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
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
/// The rule for what is read, in order:
/// - hidden files and folders (a name starting with `.`) are ignored, silently: editors'
///   swap files, `.git`, `.DS_Store`;
/// - symbolic links are never followed, whatever they point at, and are reported; a sources
///   folder inside the project that resolves (through a link) outside the project root is an
///   error, so nothing outside the project is read through a link;
/// - any other file that is not a regular `.txt` file with a UTF-8 name is reported;
/// - a `.txt` file over `limits.max_source_bytes` is reported without being read; one that is
///   binary, cannot be decoded or has a line over `limits.max_line_bytes` is reported.
///
/// A file that cannot be read or decoded is reported in [`ReadResult::skipped`] and the
/// others are read all the same.
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
    check_not_linked_outside(&project.root, &dir)?;
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .follow_root_links(false)
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
        let rel = project.relative(entry.path());
        let kind = entry.file_type();
        let skip = |reason: &str| Skipped { path: rel.clone(), reason: reason.to_string() };
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() {
            result
                .skipped
                .push(skip("is a symbolic link; links are not followed (copy the file into the sources folder)"));
            continue;
        }
        if entry.file_name().to_str().is_none() {
            result.skipped.push(skip("its name is not valid UTF-8; rename the file"));
            continue;
        }
        if !is_source_file(entry.path()) {
            result.skipped.push(skip("is not a .txt file; only plain-text .txt sources are read"));
            continue;
        }
        if !kind.is_file() {
            result.skipped.push(skip("is not a regular file (a device, socket or pipe)"));
            continue;
        }
        let limits = &project.config.limits;
        match read_bounded(entry.path(), limits.max_source_bytes) {
            Ok(bytes) => match Source::from_bytes(&rel, &bytes, limits) {
                Ok(source) => result.sources.push(source),
                Err(err) => result.skipped.push(skip(&err.to_string())),
            },
            Err(ReadFail::Decode(err)) => result.skipped.push(skip(&err.to_string())),
            Err(ReadFail::Io(err)) => result.skipped.push(skip(&format!("cannot be read: {err}"))),
        }
    }
    dedupe_ids(&mut result.sources);
    Ok(result)
}

/// Refuse a sources folder that the configuration places inside the project but that a
/// symbolic link (the folder itself or a parent) sends outside it. A `sources_dir` the
/// configuration itself sets outside the root (an absolute path, `../shared`) is the
/// project's explicit choice and is read.
fn check_not_linked_outside(root: &Path, dir: &Path) -> std::io::Result<()> {
    let lexical = normalize(&absolute(dir)?);
    let root_lexical = normalize(&absolute(root)?);
    if !lexical.starts_with(&root_lexical) {
        return Ok(());
    }
    let (real, real_root) = (dir.canonicalize()?, root.canonicalize()?);
    if real.starts_with(&real_root) {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!(
            "the sources folder {} is a link to {}, outside the project {}: links are not followed; copy the sources into the project or set `sources_dir` to the real folder",
            dir.display(),
            real.display(),
            real_root.display()
        ),
    ))
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// `a/./b/../c` → `a/c`, without asking the file system (which would follow links).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

enum ReadFail {
    Io(std::io::Error),
    Decode(DecodeError),
}

/// Read a file, but never more than `max` bytes of it: the size is checked on the open
/// handle before reading, and the read itself is bounded in case the file grows meanwhile.
/// On Unix the file is opened with `O_NOFOLLOW`, so a link swapped in after the listing is
/// refused rather than followed, and `O_NONBLOCK`, so a pipe swapped in cannot hang the build.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ReadFail> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadFail::Io)?;
    let meta = file.metadata().map_err(ReadFail::Io)?;
    if !meta.is_file() {
        return Err(ReadFail::Io(std::io::Error::other("not a regular file")));
    }
    if meta.len() > max {
        return Err(ReadFail::Decode(DecodeError::TooLarge { size: meta.len(), max }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(ReadFail::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadFail::Decode(DecodeError::TooLarge { size: bytes.len() as u64, max }));
    }
    Ok(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_slugs_get_distinct_ids() {
        let mut sources: Vec<Source> =
            ["s/a b.txt", "s/a-b.txt", "s/A_B.txt", "s/a-b-2.txt"].iter().map(|p| Source::from_text(p, "x")).collect();
        dedupe_ids(&mut sources);
        let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a-b", "a-b-2", "a-b-3", "a-b-2-2"]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/p/./sources/../x/y/..")), Path::new("/p/x"));
        assert_eq!(normalize(Path::new("/p/../../..")), Path::new("/"));
    }

    #[test]
    fn only_txt_files_are_sources() {
        for (name, ok) in [("a.txt", true), ("a.TXT", true), ("a.txt.pdf", false), ("txt", false), ("a.md", false)] {
            assert_eq!(is_source_file(Path::new(name)), ok, "{name}");
        }
    }
}
