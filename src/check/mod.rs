//! `factsite check`, the logic: are the citations still true to their sources, are the
//! annotated files well formed, does every internal link of the built site resolve, is
//! `claims.json` valid. [`read`] gathers the files (the check's read step); [`check`] is pure
//! and returns typed [`Diagnostic`]s and the anchoring of every claim.
//!
//! Exit codes of the command: 0 when no error was found (warnings allowed), 1 when problems
//! were found, 2 when the check could not run (no project, unreadable config).

mod citations;
mod export;
mod links;
#[cfg(test)]
pub(crate) use links::resolve;

pub use citations::{check_annotation, ClaimCheck};
pub use export::check_claims_json;
pub use links::check_links;

use crate::config::Project;
use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline::ANNOTATIONS_DIR;
use crate::read::Source;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A text file of the project, by its path relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Path relative to the project root, `/` separators.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The built site, as found on disk.
#[derive(Debug, Clone, Default)]
pub struct BuiltSite {
    /// The output folder, relative to the root (used in diagnostics).
    pub dir: String,
    /// Every file, by path relative to the output folder.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Everything the check looks at.
#[derive(Debug, Default)]
pub struct CheckInputs {
    /// The annotated Markdown files.
    pub annotations: Vec<TextFile>,
    /// The sources they annotate, by path; `Err` holds why one could not be read.
    pub sources: BTreeMap<String, Result<Source, String>>,
    /// The built site; `None` when the output folder does not exist.
    pub site: Option<BuiltSite>,
    /// The project's verdict scale.
    pub verdicts: Vec<String>,
}

/// What the check found.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    /// Every claim of every well-formed annotated file, with how it anchors now.
    pub claims: Vec<ClaimCheck>,
    /// The problems, errors first, then by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The process exit code: 0 without errors, 1 with.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.errors() > 0)
    }
}

/// Run every check on the gathered files.
pub fn check(inputs: &CheckInputs) -> CheckReport {
    let mut report = CheckReport::default();
    for file in &inputs.annotations {
        let (claims, diags) = check_annotation(file, &inputs.sources, &inputs.verdicts);
        report.claims.extend(claims);
        report.diagnostics.extend(diags);
    }
    match &inputs.site {
        Some(site) => {
            report.diagnostics.extend(check_links(site));
            let path = format!("{}/claims.json", site.dir);
            let json = site.files.get("claims.json").map(|b| String::from_utf8_lossy(b).into_owned());
            report.diagnostics.extend(check_claims_json(&path, json.as_deref()));
        }
        None => report.diagnostics.push(
            Diagnostic::error("no-site", "", 1, "the site has not been built: there is no output folder")
                .help("run `factsite build`, then `factsite check`"),
        ),
    }
    report.diagnostics.sort_by(|a, b| (a.severity, &a.path, a.line).cmp(&(b.severity, &b.path, b.line)));
    report
}

/// The check's read step: the annotated files, their sources and the built site.
pub fn read(project: &Project) -> std::io::Result<CheckInputs> {
    let dir = project.content_dir().join(ANNOTATIONS_DIR);
    let mut annotations = Vec::new();
    if dir.is_dir() {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path)?;
            annotations
                .push(TextFile { path: project.relative(&path), text: String::from_utf8_lossy(&bytes).into_owned() });
        }
    }
    let mut sources = BTreeMap::new();
    for file in &annotations {
        let Some(source) = citations::front_matter_source(&file.text) else { continue };
        let loaded = std::fs::read(project.root.join(&source))
            .map_err(|e| e.to_string())
            .and_then(|bytes| Source::from_bytes(&source, &bytes, &project.config.limits).map_err(|e| e.to_string()));
        sources.insert(source, loaded);
    }
    let out = project.output_dir();
    let site = if out.is_dir() { Some(read_site(project, &out)?) } else { None };
    Ok(CheckInputs { annotations, sources, site, verdicts: project.config.verdicts.clone() })
}

fn read_site(project: &Project, out: &Path) -> std::io::Result<BuiltSite> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.insert(rel, std::fs::read(entry.path())?);
        }
    }
    Ok(BuiltSite { dir: project.relative(out), files })
}

/// The text of a file a diagnostic points at, for its snippet.
pub fn file_text<'a>(inputs: &'a CheckInputs, path: &str) -> Option<&'a str> {
    if let Some(f) = inputs.annotations.iter().find(|f| f.path == path) {
        return Some(&f.text);
    }
    if let Some(Ok(s)) = inputs.sources.get(path) {
        return Some(&s.text);
    }
    let site = inputs.site.as_ref()?;
    let rel = path.strip_prefix(&site.dir)?.trim_start_matches('/');
    site.files.get(rel).and_then(|b| std::str::from_utf8(b).ok())
}
