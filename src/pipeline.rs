//! The order of the stages: read → segment → extract → annotate → group/cross-check → render
//! → publish. [`load`] and [`publish`] are the only functions here that touch the file system;
//! [`process`] is pure: inputs in, report and files out.

use crate::annotate::{self, AnnotateError, AnnotatedSource};
use crate::config::{ConfigError, Project};
use crate::crosscheck::{self, Taxonomy};
use crate::extract::{self, EntitiesFile, Entity, EntityRef, Gazetteer};
use crate::lang::{LangError, Language};
use crate::read::{self, Skipped, Source};
use crate::render::{self, OutputFile, RenderError, TemplateError};
use crate::report::{Document, Report};
use crate::segment;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder under `content/` holding one annotated Markdown file per source.
pub const ANNOTATIONS_DIR: &str = "sources";

/// Why a build failed. Nothing was written when it did.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The project file.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The language.
    #[error(transparent)]
    Lang(#[from] LangError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Annotated Markdown files are malformed.
    #[error("{} annotated file(s) are malformed; they were left untouched:\n{}", .0.len(), .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Annotations(Vec<AnnotateError>),
    /// A project data file (topics, entities) is malformed.
    #[error("{path}:{line}: {message}")]
    Data {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Templates.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Rendering.
    #[error(transparent)]
    Render(#[from] RenderError),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io { path: path.display().to_string(), source }
}

/// Everything read from disk before the pure stages run.
#[derive(Debug)]
pub struct Inputs {
    /// The project.
    pub project: Project,
    /// Decoded sources.
    pub sources: Vec<Source>,
    /// Files skipped by the read stage.
    pub skipped: Vec<Skipped>,
    /// Previous annotated records, by source path.
    pub previous: BTreeMap<String, AnnotatedSource>,
    /// The editor's taxonomy, when the project has one.
    pub taxonomy: Option<Taxonomy>,
    /// The project's own entities.
    pub entities: Vec<Entity>,
    /// Template overrides.
    pub templates: Vec<(String, String)>,
}

/// What the pure stages produce.
#[derive(Debug)]
pub struct Outputs {
    /// The report.
    pub report: Report,
    /// Annotated Markdown files, relative to the content folder.
    pub content: Vec<OutputFile>,
    /// The site, relative to the output folder.
    pub site: Vec<OutputFile>,
}

/// Read stage: everything the build needs from disk.
pub fn load(project: Project) -> Result<Inputs, BuildError> {
    let read = read::read_sources(&project).map_err(io_err(&project.sources_dir()))?;
    let content = project.content_dir();
    let (previous, errors) = read_annotations(&project, &content.join(ANNOTATIONS_DIR));
    if !errors.is_empty() {
        return Err(BuildError::Annotations(errors));
    }
    let taxonomy = read_toml::<Taxonomy>(&project, &content.join("topics.toml"))?;
    let entities =
        read_toml::<EntitiesFile>(&project, &content.join("entities.toml"))?.map(|f| f.entities).unwrap_or_default();
    let templates = render::read_overrides(&project.templates_dir())?;
    Ok(Inputs { project, sources: read.sources, skipped: read.skipped, previous, taxonomy, entities, templates })
}

/// Every annotated file under `dir`, keyed by the source path in its front matter.
pub fn read_annotations(project: &Project, dir: &Path) -> (BTreeMap<String, AnnotatedSource>, Vec<AnnotateError>) {
    let mut docs = BTreeMap::new();
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (docs, errors);
    };
    let mut paths: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    paths.sort();
    for path in paths {
        let rel = project.relative(&path);
        match std::fs::read_to_string(&path) {
            Ok(text) => match annotate::parse(&rel, &text) {
                Ok(doc) => {
                    docs.insert(doc.meta.source.clone(), doc);
                }
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(AnnotateError {
                path: rel,
                line: 1,
                message: format!("cannot be read: {e}"),
                help: "check the file's permissions and encoding (UTF-8)".into(),
            }),
        }
    }
    (docs, errors)
}

fn read_toml<T: serde::de::DeserializeOwned>(project: &Project, path: &Path) -> Result<Option<T>, BuildError> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    toml::from_str(&text).map(Some).map_err(|e| BuildError::Data {
        path: project.relative(path),
        line: e.span().map(|s| crate::span::line_at(&text, s.start)).unwrap_or(1),
        message: e.message().to_string(),
    })
}

/// The pure stages: segment, extract, annotate, cross-check and render.
pub fn process(inputs: &Inputs, lang: &Language) -> Result<Outputs, BuildError> {
    let config = &inputs.project.config;
    let mut known = lang.entities.clone();
    known.extend(inputs.entities.iter().cloned());
    let gazetteer = Gazetteer::new(known);

    let per_source: Vec<(Document, Vec<EntityRef>)> = inputs
        .sources
        .par_iter()
        .map(|source| {
            let seg = segment::segment(source, lang);
            let claims = extract::extract(source, &seg, lang, &gazetteer);
            let mentions: Vec<EntityRef> = claims.iter().flat_map(|c| c.entities.iter().cloned()).collect();
            let previous = inputs.previous.get(&source.path);
            let record = annotate::annotate(source, &seg, &lang.code, claims, previous, |span| {
                extract::analyze(source, &seg, span, lang, &gazetteer)
            });
            (Document { source: source.clone(), seg, record }, mentions)
        })
        .collect();
    let (docs, mentions): (Vec<Document>, Vec<Vec<EntityRef>>) = per_source.into_iter().unzip();

    let analysis = crosscheck::crosscheck(&docs, inputs.taxonomy.as_ref(), lang);
    let mut docs = docs;
    let topic_of = analysis.topic_of();
    for d in &mut docs {
        for c in &mut d.record.claims {
            c.topic = topic_of.get(c.id.as_str()).map(|t| t.to_string());
        }
    }
    let content = docs
        .iter()
        .map(|d| OutputFile {
            path: format!("{ANNOTATIONS_DIR}/{}.md", d.source.id),
            bytes: annotate::write(&d.record, &d.source, &d.seg).into_bytes(),
        })
        .collect();
    let entities = used_entities(&docs, mentions.iter().flatten());
    let report = Report {
        config: config.clone(),
        generator: format!("factsite {}", env!("CARGO_PKG_VERSION")),
        docs,
        entities,
        analysis,
        skipped: inputs.skipped.clone(),
    };
    let tera = render::compile(&inputs.templates)?;
    let site = render::render(&report, lang, &tera)?;
    Ok(Outputs { report, content, site })
}

/// The entity table of the report: every entity a reported claim mentions, with the names
/// the sources use for it.
fn used_entities<'a>(docs: &[Document], mentions: impl Iterator<Item = &'a EntityRef>) -> Vec<Entity> {
    let mut table: BTreeMap<&str, Entity> = BTreeMap::new();
    for m in mentions {
        let e = table.entry(&m.id).or_insert_with(|| Entity {
            id: m.id.clone(),
            label: m.label.clone(),
            kind: m.kind.clone(),
            aliases: Vec::new(),
        });
        if m.text != e.label && !e.aliases.contains(&m.text) {
            e.aliases.push(m.text.clone());
        }
    }
    let used: std::collections::BTreeSet<&str> =
        docs.iter().flat_map(|d| d.reported_claims().flat_map(|c| c.entities.iter().map(String::as_str))).collect();
    table
        .into_values()
        .filter(|e| used.contains(e.id.as_str()))
        .map(|mut e| {
            e.aliases.sort();
            e
        })
        .collect()
}

/// What a build did, for the summary screen.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Sources read.
    pub sources: usize,
    /// Claims in the report.
    pub claims: usize,
    /// Topics.
    pub topics: usize,
    /// Findings.
    pub findings: usize,
    /// Claims kept only for their review.
    pub orphans: Vec<String>,
    /// Skipped files.
    pub skipped: Vec<Skipped>,
    /// Content files written / unchanged.
    pub content: crate::publish::Written,
    /// Site files written / unchanged.
    pub site: crate::publish::Written,
    /// Where the site is.
    pub output_dir: PathBuf,
}

/// Publish stage: write content files and replace the output folder.
pub fn publish(project: &Project, outputs: &Outputs) -> Result<Summary, BuildError> {
    let content_dir = project.content_dir();
    let content = crate::publish::write_content(&content_dir, &outputs.content).map_err(io_err(&content_dir))?;
    let output_dir = project.output_dir();
    let site = crate::publish::write_site(&output_dir, &outputs.site).map_err(io_err(&output_dir))?;
    let report = &outputs.report;
    Ok(Summary {
        sources: report.docs.len(),
        claims: report.claims().count(),
        topics: report.analysis.topics.len(),
        findings: report.analysis.findings.len(),
        orphans: report
            .docs
            .iter()
            .flat_map(|d| {
                d.record
                    .claims
                    .iter()
                    .filter(|c| c.anchoring == annotate::Anchoring::Orphaned)
                    .map(move |c| format!("{} ({})", c.id, d.source.path))
            })
            .collect(),
        skipped: report.skipped.clone(),
        content,
        site,
        output_dir,
    })
}

/// The whole pipeline on a project folder.
pub fn build(project: Project) -> Result<Summary, BuildError> {
    let lang = Language::load(&project.config.language)?;
    let inputs = load(project)?;
    let outputs = process(&inputs, &lang)?;
    publish(&inputs.project, &outputs)
}
