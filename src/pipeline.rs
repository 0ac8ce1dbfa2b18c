//! The order of the stages: read → segment → extract → annotate → group/cross-check → render
//! → publish. Only [`load`] (which reads the project) and the writes of [`build`] and
//! [`Session`] (through [`crate::publish`]) touch the file system; [`process`] is pure: inputs
//! in, report and files out.

use crate::annotate::{self, AnnotateError, AnnotatedSource, ClaimRecord};
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
use std::sync::Arc;

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
    /// The methodology page's Markdown (`content/methodology.md`), when present.
    pub methodology: Option<String>,
}

impl Inputs {
    /// Put `source` (read again) at place `i`, with its annotated record as now read.
    fn replace_source(&mut self, i: usize, source: Source, previous: Option<AnnotatedSource>) {
        match previous {
            Some(p) => self.previous.insert(source.path.clone(), p),
            None => self.previous.remove(&source.path),
        };
        self.sources[i] = source;
    }
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
    let methodology_path = content.join(render::METHODOLOGY_FILE);
    let methodology = if methodology_path.is_file() {
        Some(std::fs::read_to_string(&methodology_path).map_err(io_err(&methodology_path))?)
    } else {
        None
    };
    Ok(Inputs {
        project,
        sources: read.sources,
        skipped: read.skipped,
        previous,
        taxonomy,
        entities,
        templates,
        methodology,
    })
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
    let t = std::time::Instant::now();
    let gazetteer = gazetteer(inputs, lang);
    let per_source: Vec<(Document, Vec<EntityRef>)> = inputs
        .sources
        .par_iter()
        .map(|source| process_source(source, inputs.previous.get(&source.path), lang, &gazetteer))
        .collect();
    crate::timing("per-source", t);
    let tera = render::compile(&inputs.templates)?;
    assemble(inputs, lang, &tera, per_source)
}

/// The entity gazetteer: the language's general entities and the project's own.
pub fn gazetteer(inputs: &Inputs, lang: &Language) -> Gazetteer {
    let mut known = lang.entities.clone();
    known.extend(inputs.entities.iter().cloned());
    Gazetteer::new(known)
}

/// The per-source stages (segment, extract, annotate) of one source: the unit an incremental
/// rebuild redoes when one source or its annotated file changes. Returns the document and the
/// entity mentions of its claims.
pub fn process_source(
    source: &Source,
    previous: Option<&AnnotatedSource>,
    lang: &Language,
    gazetteer: &Gazetteer,
) -> (Document, Vec<EntityRef>) {
    let seg = segment::segment(source, lang);
    let claims = extract::extract(source, &seg, lang, gazetteer);
    let mentions: Vec<EntityRef> = claims.iter().flat_map(|c| c.entities.iter().cloned()).collect();
    let record = annotate::annotate(source, &seg, &lang.code, claims, previous, |span| {
        extract::analyze(source, &seg, span, lang, gazetteer)
    });
    (Document { source: Arc::new(source.clone()), seg: Arc::new(seg), record }, mentions)
}

/// The stages over every document: cross-check, annotated Markdown, render.
pub fn assemble(
    inputs: &Inputs,
    lang: &Language,
    tera: &tera::Tera,
    per_source: Vec<(Document, Vec<EntityRef>)>,
) -> Result<Outputs, BuildError> {
    let report = analyse(inputs, lang, per_source);
    let content = report.docs.par_iter().map(|d| annotated_file(d)).collect();
    let t = std::time::Instant::now();
    let site = render::render(&report, lang, tera)?;
    crate::timing("render", t);
    Ok(Outputs { report, content, site })
}

/// A document's annotated Markdown file, relative to the content folder.
pub fn annotated_file(d: &Document) -> OutputFile {
    OutputFile {
        path: format!("{ANNOTATIONS_DIR}/{}.md", d.source.id),
        bytes: annotate::write(&d.record, &d.source, &d.seg).into_bytes(),
    }
}

/// The stages over every document but render: entity folding and cross-check.
pub fn analyse(inputs: &Inputs, lang: &Language, per_source: Vec<(Document, Vec<EntityRef>)>) -> Report {
    let (docs, mentions): (Vec<Arc<Document>>, Vec<Arc<[EntityRef]>>) =
        per_source.into_iter().map(|(d, m)| (Arc::new(d), m.into())).unzip();
    analyse_cached(inputs, lang, docs, mentions, &mut AnalysisCache::one_shot())
}

/// What [`analyse_cached`] made in its last run, kept by a caller that runs it again after a
/// few documents changed (`factsite serve`): the cross-check's readings, the entity folds, and
/// each document as the per-source stages made it beside the document the report holds.
#[derive(Default)]
pub struct AnalysisCache {
    crosscheck: crosscheck::CrosscheckCache,
    folds: BTreeMap<String, crosscheck::entities::Fold>,
    /// By position: the document made by the per-source stages, and the same folded and with
    /// its claims' topics, as the last report holds it.
    made: Vec<(Arc<Document>, Arc<Document>)>,
    /// The last analysis, and the taxonomy and language it was made with.
    last: Option<(Arc<crosscheck::Analysis>, Option<Taxonomy>, String)>,
    /// The mentions of each document of the last run, and the entity table made from them.
    mentions: Vec<Arc<[EntityRef]>>,
    entities: Option<Vec<Entity>>,
    /// Keeps nothing between runs (a build).
    one_shot: bool,
}

impl AnalysisCache {
    /// A cache for one run (a build): it keeps no document and no copy of any claim.
    pub fn one_shot() -> AnalysisCache {
        AnalysisCache { crosscheck: crosscheck::CrosscheckCache::one_shot(), one_shot: true, ..Default::default() }
    }
}

/// [`analyse`] over `docs` as the per-source stages made them, and the entity mentions of each
/// document's claims. A document that is the one (the same `Arc`) the last run of `cache` got
/// at its place, under the same entity folds, is not copied again: the report shares the one
/// the last report held, and a caller can tell it unchanged by pointer. Only a document whose
/// claims change topic or entity is copied, and the cross-check reads again only the
/// documents whose claims changed. When no document changed in a way the cross-check reads
/// (an editor set a verdict: [`crosscheck::reads_alike`]), it does not run, and the report
/// shares the last analysis.
pub fn analyse_cached(
    inputs: &Inputs,
    lang: &Language,
    docs: Vec<Arc<Document>>,
    mut mentions: Vec<Arc<[EntityRef]>>,
    cache: &mut AnalysisCache,
) -> Report {
    let config = &inputs.project.config;
    let t = std::time::Instant::now();
    // A name alone in one source is the fuller name another source gives.
    // (The folds read the mentions only: the last run's hold while every source's are the
    // same, shared or equal.)
    let was = std::mem::take(&mut cache.mentions);
    let same_mentions = !cache.one_shot
        && was.len() == mentions.len()
        && mentions.iter().zip(&was).all(|(m, was)| Arc::ptr_eq(m, was) || m == was);
    let folds = if same_mentions { cache.folds.clone() } else { crosscheck::entities::folds(&mentions) };
    let same_folds = same_mentions || folds == cache.folds;
    let made = std::mem::take(&mut cache.made);
    // The entity table reads the mentions, the folds and the entities of the reported claims
    // only: it holds when none of them changed.
    let table = std::mem::take(&mut cache.entities).filter(|_| {
        same_mentions
            && made.len() == docs.len()
            && docs.iter().zip(&made).all(|(d, (was, _))| Arc::ptr_eq(d, was) || same_entities(d, was))
    });
    // When every document is the one the last run got, or one the cross-check reads alike (an
    // editor changed a verdict), the last analysis holds.
    let last = std::mem::take(&mut cache.last).filter(|(_, taxonomy, code)| {
        same_folds
            && made.len() == docs.len()
            && *taxonomy == inputs.taxonomy
            && *code == lang.code
            && docs.iter().zip(&made).all(|(d, (was, _))| Arc::ptr_eq(d, was) || crosscheck::reads_alike(d, was))
    });
    let raw: Vec<Arc<Document>> = if cache.one_shot { Vec::new() } else { docs.clone() };
    let (mut docs, reused): (Vec<Arc<Document>>, Vec<bool>) = docs
        .into_par_iter()
        .enumerate()
        .map(|(i, mut doc)| match made.get(i) {
            Some((was, analysed)) if same_folds && Arc::ptr_eq(was, &doc) => (analysed.clone(), true),
            _ => {
                crosscheck::entities::apply(&folds, &mut doc);
                (doc, false)
            }
        })
        .unzip();
    // The documents reused are those the cross-check read last time, at the same places (but
    // for their claims' topics, which it does not read).
    let kept = last.is_some();
    if !made.is_empty() && !kept {
        cache.crosscheck.vouch(reused);
    }
    crate::timing("entity folding", t);

    let t = std::time::Instant::now();
    // A build makes the entity table first and frees the mentions it reads (every name found
    // in every source: tens of megabytes at archive scale) before the cross-check runs.
    let table = match table {
        None if cache.one_shot => {
            let entities = used_entities(&docs, mentions.iter().flat_map(|m| m.iter()), &folds);
            drop(std::mem::take(&mut mentions));
            Some(entities)
        }
        table => table,
    };
    // The entity table reads the documents and mentions only: it is made beside the cross-check.
    let (analysis, entities) = rayon::join(
        || match last {
            Some((analysis, ..)) => analysis,
            None => {
                Arc::new(crosscheck::crosscheck_cached(&docs, inputs.taxonomy.as_ref(), lang, &mut cache.crosscheck))
            }
        },
        || match table {
            Some(entities) => entities,
            None => used_entities(&docs, mentions.iter().flat_map(|m| m.iter()), &folds),
        },
    );
    crate::timing("crosscheck + entities", t);
    let t = std::time::Instant::now();
    if kept {
        // Each claim has the topic the last report gave it: a document read alike has the same
        // claims in the same order.
        docs.par_iter_mut().zip(&made).for_each(|(d, (_, analysed))| {
            let claims = &analysed.record.claims;
            if !Arc::ptr_eq(d, analysed) && d.record.claims.iter().zip(claims).any(|(c, a)| c.topic != a.topic) {
                for (c, a) in Arc::make_mut(d).record.claims.iter_mut().zip(claims) {
                    c.topic.clone_from(&a.topic);
                }
            }
        });
    } else if let Some(firsts) = first_claims(&docs, analysis.claim_topics.as_deref()) {
        // Each claim's topic by its number, as the cross-check numbered them: every claim is
        // reported and no two share an id, so that is the topic `Analysis::topic_of` gives.
        let (numbers, topics) = (analysis.claim_topics.as_deref().unwrap_or_default(), &analysis.topics);
        let topic = |k: usize| numbers.get(k).and_then(|&t| topics.get(t as usize)).map(|t| t.id.as_str());
        if cfg!(debug_assertions) {
            let by_id = analysis.topic_of();
            for (d, &first) in docs.iter().zip(&firsts) {
                for (k, c) in d.record.claims.iter().enumerate() {
                    assert_eq!(topic(first + k), by_id.get(c.id.as_str()).copied(), "{}", c.id);
                }
            }
        }
        docs.par_iter_mut().zip(firsts).for_each(|(d, first)| {
            if d.record.claims.iter().enumerate().any(|(k, c)| c.topic.as_deref() != topic(first + k)) {
                for (k, c) in Arc::make_mut(d).record.claims.iter_mut().enumerate() {
                    c.topic = topic(first + k).map(str::to_string);
                }
            }
        });
    } else {
        // (A hash map: a rebuild looks up every claim of the archive.)
        let topic_of = analysis.topic_of();
        let topic = |c: &ClaimRecord| topic_of.get(c.id.as_str()).copied();
        docs.par_iter_mut().for_each(|d| {
            if d.record.claims.iter().any(|c| c.topic.as_deref() != topic(c)) {
                for c in &mut Arc::make_mut(d).record.claims {
                    c.topic = topic(c).map(str::to_string);
                }
            }
        });
    }
    drop(made);
    crate::timing("topics", t);
    if !cache.one_shot {
        cache.made = raw.into_iter().zip(docs.iter().cloned()).collect();
        cache.folds = folds;
        cache.last = Some((analysis.clone(), inputs.taxonomy.clone(), lang.code.clone()));
        cache.mentions = mentions;
        cache.entities = Some(entities.clone());
    }
    Report {
        config: config.clone(),
        generator: format!("factsite {}", env!("CARGO_PKG_VERSION")),
        docs,
        entities,
        analysis,
        skipped: inputs.skipped.clone(),
        methodology: inputs.methodology.clone(),
    }
}

/// The number of each document's first claim, when `numbers` numbers every claim of `docs`
/// and every claim is reported (an unreported claim has no number, but may share a reported
/// one's id, and so its topic).
fn first_claims(docs: &[Arc<Document>], numbers: Option<&[u32]>) -> Option<Vec<usize>> {
    let numbers = numbers?;
    let mut firsts = Vec::with_capacity(docs.len());
    let mut next = 0;
    for d in docs {
        if !d.record.claims.iter().all(ClaimRecord::is_reported) {
            return None;
        }
        firsts.push(next);
        next += d.record.claims.len();
    }
    (next == numbers.len()).then_some(firsts)
}

/// Whether the reported claims of two versions of a document name the same entities.
fn same_entities(a: &Document, b: &Document) -> bool {
    a.reported_claims().map(|c| &c.entities).eq(b.reported_claims().map(|c| &c.entities))
}

/// The entity table of the report: every entity a reported claim mentions, with the names
/// the sources use for it.
fn used_entities<'a>(
    docs: &[Arc<Document>],
    mentions: impl Iterator<Item = &'a EntityRef>,
    folds: &BTreeMap<String, crosscheck::entities::Fold>,
) -> Vec<Entity> {
    // (Hash maps: every mention of the archive goes through them, on every rebuild.)
    let mut table: rustc_hash::FxHashMap<&str, Entity> = rustc_hash::FxHashMap::default();
    for m in mentions {
        // A folded mention names the fuller entity, under its label.
        let (id, label) = match folds.get(&m.id) {
            Some(to) => (&to.id, &to.label),
            None => (&m.id, &m.label),
        };
        let e = table.entry(id).or_insert_with(|| Entity {
            id: id.clone(),
            label: label.clone(),
            kind: m.kind.clone(),
            aliases: Vec::new(),
        });
        if m.text != e.label && !e.aliases.contains(&m.text) {
            e.aliases.push(m.text.clone());
        }
    }
    let used: rustc_hash::FxHashSet<&str> =
        docs.iter().flat_map(|d| d.reported_claims().flat_map(|c| c.entities.iter().map(String::as_str))).collect();
    let mut entities: Vec<Entity> = table
        .into_values()
        .filter(|e| used.contains(e.id.as_str()))
        .map(|mut e| {
            e.aliases.sort();
            e
        })
        .collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    entities
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

fn summarize(
    report: &Report,
    content: crate::publish::Written,
    site: crate::publish::Written,
    output_dir: PathBuf,
) -> Summary {
    // Every claim counted and the orphans found in one pass, side by side (a rebuild sums up
    // an archive of hundreds of thousands of claims).
    let per_doc: Vec<(usize, Vec<String>)> = report
        .docs
        .par_iter()
        .map(|d| {
            let (mut reported, mut orphans) = (0, Vec::new());
            for c in &d.record.claims {
                reported += usize::from(c.is_reported());
                if c.anchoring == annotate::Anchoring::Orphaned {
                    orphans.push(format!("{} ({})", c.id, d.source.path));
                }
            }
            (reported, orphans)
        })
        .collect();
    Summary {
        sources: report.docs.len(),
        claims: per_doc.iter().map(|(n, _)| n).sum(),
        topics: report.analysis.topics.len(),
        findings: report.analysis.findings.len(),
        orphans: per_doc.into_iter().flat_map(|(_, o)| o).collect(),
        skipped: report.skipped.clone(),
        content,
        site,
        output_dir,
    }
}

/// The whole pipeline on a project folder. The site is rendered straight into a new output
/// folder, page by page, so that memory does not hold it whole; that folder replaces the old
/// output, and the annotated files are written, only when every page rendered.
pub fn build(project: Project) -> Result<Summary, BuildError> {
    let t = std::time::Instant::now();
    let lang = Language::load(&project.config.language)?;
    let mut inputs = load(project)?;
    crate::timing("load", t);
    let t = std::time::Instant::now();
    let gazetteer = gazetteer(&inputs, &lang);
    // The sources and the previous annotations are not needed once each document is made:
    // freed here, they do not sit beside the report through the rest of a large build.
    let sources = std::mem::take(&mut inputs.sources);
    let previous = std::mem::take(&mut inputs.previous);
    let per_source: Vec<(Document, Vec<EntityRef>)> = sources
        .par_iter()
        .map(|source| process_source(source, previous.get(&source.path), &lang, &gazetteer))
        .collect();
    drop((sources, previous));
    crate::timing("per-source", t);
    let tera = render::compile(&inputs.templates)?;
    let report = analyse(&inputs, &lang, per_source);

    let t = std::time::Instant::now();
    let project = &inputs.project;
    let output_dir = project.output_dir();
    let staging = crate::publish::Staging::begin(&output_dir).map_err(io_err(&output_dir))?;
    render::render_into(&report, &lang, &tera, &staging).map_err(|e| match e {
        render::EmitError::Render(e) => BuildError::Render(e),
        render::EmitError::Sink { path, source } => BuildError::Io { path, source },
    })?;
    crate::timing("render + write", t);
    let t = std::time::Instant::now();
    let content_dir = project.content_dir();
    // Each annotated file is made and written on its own, once every page rendered.
    let written = crate::publish::write_content_each(&content_dir, report.docs.par_iter().map(|d| annotated_file(d)))
        .map_err(io_err(&content_dir))?;
    let site = staging.commit().map_err(io_err(&output_dir))?;
    crate::timing("content + swap", t);
    Ok(summarize(&report, written, site, output_dir))
}

/// What changed on disk since the last build, as a watcher reports it, and so how much an
/// incremental rebuild must redo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The project file, a content data file, or the set of sources: rebuild everything.
    pub everything: bool,
    /// A template: compile them again and render.
    pub templates: bool,
    /// These sources (by path), or their annotated files: redo their per-source stages.
    pub sources: std::collections::BTreeSet<String>,
}

impl Change {
    /// True when nothing the build reads changed.
    pub fn is_empty(&self) -> bool {
        !self.everything && !self.templates && self.sources.is_empty()
    }
}

/// A build kept in memory between rebuilds (for `factsite serve`): the inputs, the result of
/// the per-source stages of every source, the report and the files last published. A rebuild
/// after one edited source redoes that source's per-source stages only; the cross-check runs
/// over the cached documents; then only the pages the change may touch are rendered
/// ([`render::render_changed`]) and only files whose bytes changed are written.
pub struct Session {
    lang: Language,
    inputs: Inputs,
    /// Compiled once per session: the entities only change with the project's files, which
    /// start a new session.
    gazetteer: Gazetteer,
    tera: tera::Tera,
    /// Each source's document as the per-source stages made it, and its entity mentions.
    docs: Vec<Arc<Document>>,
    mentions: Vec<Arc<[EntityRef]>>,
    report: Report,
    /// What the render of `report` indexed, for the next rebuild's render to share.
    indexes: render::Indexes,
    /// The annotated files as last written, to tell the build's own writes from an editor's.
    content: crate::publish::WrittenFiles,
    /// The path of every file of the site, in the order the render lists them.
    site: Vec<String>,
    /// The exports on disk are those of an older report: see [`Session::publish_exports`].
    exports_stale: bool,
    /// What the analysis made of each document.
    cache: AnalysisCache,
}

/// The documents of `after` that are not in `before` as they were (by source id). Both list
/// the sources in one order as long as none was added or removed: then each is matched with
/// the one in its place, else by id.
fn changed_docs<'a>(
    before: &'a [Arc<Document>],
    after: &'a [Arc<Document>],
) -> impl ParallelIterator<Item = &'a Arc<Document>> + 'a {
    let in_place = crate::report::same_places(before, after);
    let by_id: rustc_hash::FxHashMap<&str, &Arc<Document>> = match in_place {
        true => Default::default(),
        false => before.iter().map(|d| (d.source.id.as_str(), d)).collect(),
    };
    after
        .par_iter()
        .enumerate()
        .filter(move |&(i, d)| {
            let was = if in_place { before.get(i) } else { by_id.get(d.source.id.as_str()).copied() };
            was.is_none_or(|p| !crate::report::unchanged(p, d))
        })
        .map(|(_, d)| d)
}

impl Session {
    /// A full build of `project`, published the way `factsite build` publishes.
    pub fn start(project: Project) -> Result<(Session, Summary), BuildError> {
        let lang = Language::load(&project.config.language)?;
        let inputs = load(project)?;
        let gazetteer = gazetteer(&inputs, &lang);
        let (docs, mentions): (Vec<Arc<Document>>, Vec<Arc<[EntityRef]>>) = inputs
            .sources
            .par_iter()
            .map(|s| process_source(s, inputs.previous.get(&s.path), &lang, &gazetteer))
            .map(|(d, m)| (Arc::new(d), m.into()))
            .unzip();
        let tera = render::compile(&inputs.templates)?;
        let mut cache = AnalysisCache::default();
        let report = analyse_cached(&inputs, &lang, docs.clone(), mentions.clone(), &mut cache);
        // Published the way `build` publishes: streamed into a new output folder.
        let project = &inputs.project;
        let output_dir = project.output_dir();
        let staging = crate::publish::Staging::begin(&output_dir).map_err(io_err(&output_dir))?;
        let rendered = render::render_changed(None, &report, &lang, &tera, true, &staging).map_err(|e| match e {
            render::EmitError::Render(e) => BuildError::Render(e),
            render::EmitError::Sink { path, source } => BuildError::Io { path, source },
        })?;
        let content_dir = project.content_dir();
        let content: Vec<OutputFile> = report.docs.par_iter().map(|d| annotated_file(d)).collect();
        let written = crate::publish::write_content_each(&content_dir, content.clone().into_par_iter())
            .map_err(io_err(&content_dir))?;
        let site = staging.commit().map_err(io_err(&output_dir))?;
        let summary = summarize(&report, written, site, output_dir);
        let session = Session {
            lang,
            inputs,
            gazetteer,
            tera,
            docs,
            mentions,
            report,
            indexes: rendered.indexes,
            content: content.into_iter().map(|f| (f.path, f.bytes)).collect(),
            site: rendered.paths,
            exports_stale: false,
            cache,
        };
        Ok((session, summary))
    }

    /// The project being served.
    pub fn project(&self) -> &Project {
        &self.inputs.project
    }

    /// What `paths` (absolute, or relative to the root) changing means for the build. Writes
    /// of the build itself are recognised and ignored: anything under the output folder, and
    /// an annotated file that holds exactly the bytes last written to it.
    pub fn classify(&self, paths: &[PathBuf]) -> Change {
        let project = &self.inputs.project;
        let mut change = Change::default();
        let output = project.output_dir();
        let annotations = project.content_dir().join(ANNOTATIONS_DIR);
        for path in paths {
            let path = if path.is_absolute() { path.clone() } else { project.root.join(path) };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Editors' swap and backup files, and publish's own temporary files.
            if name.starts_with('.') || name.ends_with('~') || within(&path, &output) {
                continue;
            }
            if path == project.root.join(crate::config::CONFIG_FILE) {
                change.everything = true;
            } else if within(&path, &annotations) {
                let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let rel = format!("{ANNOTATIONS_DIR}/{name}");
                let written = self.content.get(&rel);
                if written.is_some_and(|last| std::fs::read(&path).is_ok_and(|b| &b == last)) {
                    continue;
                }
                match self.inputs.sources.iter().find(|s| s.id == id) {
                    Some(s) => {
                        change.sources.insert(s.path.clone());
                    }
                    None => change.everything |= path.extension().is_some_and(|e| e == "md"),
                }
            } else if within(&path, &project.content_dir()) {
                change.everything = true;
            } else if within(&path, &project.templates_dir()) {
                change.templates = true;
            } else if within(&path, &project.sources_dir()) {
                let rel = project.relative(&path);
                let known = self.inputs.sources.iter().any(|s| s.path == rel);
                if known && path.is_file() {
                    change.sources.insert(rel);
                } else if known || path.is_file() {
                    change.everything = true; // a source added or removed
                }
            }
        }
        change
    }

    /// Rebuild after `change`, publishing only the files whose bytes changed. On error the
    /// session and the published files are left as they were.
    pub fn rebuild(
        &mut self,
        change: &Change,
        reopen: impl FnOnce() -> Result<Project, BuildError>,
    ) -> Result<Summary, BuildError> {
        if change.everything {
            let (next, summary) = Session::start(reopen()?)?;
            *self = next;
            return Ok(summary);
        }
        let project = self.inputs.project.clone();
        let tera = if change.templates {
            Some(render::compile(&render::read_overrides(&project.templates_dir())?)?)
        } else {
            None
        };
        let mut redone = Vec::new();
        for path in &change.sources {
            let Some(i) = self.inputs.sources.iter().position(|s| &s.path == path) else { continue };
            let file = project.root.join(path);
            let bytes = std::fs::read(&file).map_err(io_err(&file))?;
            let mut source = match Source::from_bytes(path, &bytes, &project.config.limits) {
                Ok(s) => s,
                // Now unreadable: the full build reports it as skipped.
                Err(_) => return self.rebuild(&Change { everything: true, ..Change::default() }, reopen),
            };
            source.id = self.inputs.sources[i].id.clone();
            let md = project.content_dir().join(ANNOTATIONS_DIR).join(format!("{}.md", source.id));
            let previous = match std::fs::read_to_string(&md).ok() {
                Some(text) => {
                    Some(annotate::parse(&project.relative(&md), &text).map_err(|e| BuildError::Annotations(vec![e]))?)
                }
                None => None,
            };
            let (doc, mentions) = process_source(&source, previous.as_ref(), &self.lang, &self.gazetteer);
            // (Mentions as they were are shared: the entity table is then seen to hold by pointer.)
            let mentions = match &self.mentions[i] {
                was if **was == *mentions => Arc::clone(was),
                _ => Arc::from(mentions),
            };
            redone.push((i, source, previous, (Arc::new(doc), mentions)));
        }
        // A source saved unchanged (the same bytes, record and mentions) is the document the
        // last rebuild made: kept by pointer, it counts as unchanged everywhere after. When every
        // source is, and the templates did not change, there is nothing to do.
        for (i, _, _, (doc, mentions)) in &mut redone {
            if self.docs[*i].same_as(doc) && Arc::ptr_eq(&self.mentions[*i], mentions) {
                *doc = Arc::clone(&self.docs[*i]);
            }
        }
        if tera.is_none() && redone.iter().all(|(i, _, _, (doc, _))| Arc::ptr_eq(doc, &self.docs[*i])) {
            for (i, source, previous, _) in redone {
                self.inputs.replace_source(i, source, previous);
            }
            let output_dir = project.output_dir();
            let unchanged = |n: usize| crate::publish::Written { changed: 0, unchanged: n };
            return Ok(summarize(&self.report, unchanged(self.content.len()), unchanged(self.site.len()), output_dir));
        }
        let t = std::time::Instant::now();
        let mut docs = self.docs.clone();
        let mut mentions = self.mentions.clone();
        for (i, _, _, (doc, m)) in &redone {
            docs[*i] = doc.clone();
            mentions[*i] = m.clone();
        }
        let report = analyse_cached(&self.inputs, &self.lang, docs, mentions, &mut self.cache);
        crate::timing("analyse", t);
        // The annotated files of the documents that changed. One whose record did not change
        // is left as the editor saved it (a half-saved file read mid-write must not be written
        // back over the editor's); the next full build lays it out again.
        let t = std::time::Instant::now();
        let content: Vec<OutputFile> =
            changed_docs(&self.report.docs, &report.docs).map(|d| annotated_file(d)).collect();
        crate::timing("annotated files", t);
        // The pages that may have changed (all of them after a template change).
        let t = std::time::Instant::now();
        let rendered = std::sync::Mutex::new(Vec::new());
        let previous = tera.is_none().then_some((&self.report, &self.indexes));
        let tera_now = tera.as_ref().unwrap_or(&self.tera);
        let render::Rendered { paths: all, indexes } =
            render::render_changed(previous, &report, &self.lang, tera_now, false, &|f| {
                rendered.lock().expect("no panic while holding the lock").push(f);
                Ok(())
            })
            .map_err(|e| match e {
                render::EmitError::Render(e) => BuildError::from(e),
                render::EmitError::Sink { .. } => unreachable!("collecting in memory cannot fail"),
            })?;
        let mut rendered = rendered.into_inner().expect("no panic while holding the lock");
        rendered.sort_by(|a, b| a.path.cmp(&b.path));
        crate::timing("render changed", t);
        // Success: commit. What the new state replaces is freed on another thread: tens of
        // thousands of documents take a while to drop, and the browser is waiting.
        let mut replaced = Vec::with_capacity(redone.len());
        for (i, source, previous, (doc, mentions)) in redone {
            replaced
                .push((std::mem::replace(&mut self.docs[i], doc), std::mem::replace(&mut self.mentions[i], mentions)));
            self.inputs.replace_source(i, source, previous);
        }
        if let Some(tera) = tera {
            self.tera = tera;
        }
        let old = std::mem::replace(&mut self.report, report);
        let old_indexes = std::mem::replace(&mut self.indexes, indexes);
        std::thread::spawn(move || drop((old, old_indexes, replaced)));
        self.exports_stale = true;
        let t = std::time::Instant::now();
        let (content_dir, output_dir) = (project.content_dir(), project.output_dir());
        // An annotated file is written only while it holds what serve last wrote there: one an
        // editor has saved since (or is saving: a save can be read half-written) is the
        // editor's, and is never written over; the next `factsite build` lays it out again.
        let content: Vec<OutputFile> = content
            .into_iter()
            .filter(|f| std::fs::read(content_dir.join(&f.path)).ok().as_ref() == self.content.get(&f.path))
            .collect();
        let content =
            crate::publish::update_content(&content_dir, &mut self.content, content).map_err(io_err(&content_dir))?;
        // (The render lists the files in a fixed order: most edits leave the list as it was.
        // Tens of thousands of paths, compared side by side.)
        let same = all.len() == self.site.len() && all.par_iter().zip(&self.site).all(|(a, b)| a == b);
        let gone: Vec<&String> = if same {
            Vec::new()
        } else {
            let now: rustc_hash::FxHashSet<&str> = all.iter().map(String::as_str).collect();
            self.site.iter().filter(|p| !now.contains(p.as_str())).collect()
        };
        let site = crate::publish::update_site(&output_dir, rendered, &gone, all.len()).map_err(io_err(&output_dir))?;
        self.site = all;
        crate::timing("publish changed", t);
        Ok(summarize(&self.report, content, site, output_dir))
    }

    /// Bring the exports (`claims.json`, `claims.csv`, `search.json`) up to date after
    /// [`Session::rebuild`], which leaves them for later: they hold every claim, so they take
    /// as long to make as the site is large, and the edited pages should not wait for them.
    /// `serve` calls this once the browser has been told to reload.
    pub fn publish_exports(&mut self) -> Result<crate::publish::Written, BuildError> {
        Ok(self.publish_exports_until(&|| false)?.expect("exports that are never stopped are written"))
    }

    /// [`Session::publish_exports`], given up as soon as `stop` says so (`serve` stops them
    /// when the editor saves again, so that the next rebuild does not wait): `None` then, and
    /// the exports are still to bring up to date.
    pub fn publish_exports_until(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<crate::publish::Written>, BuildError> {
        if !self.exports_stale {
            return Ok(Some(crate::publish::Written::default()));
        }
        let output_dir = self.inputs.project.output_dir();
        // Each export is written to a temporary file; they replace the old ones once all are
        // made, so that a stop leaves the exports of one report, not a mix.
        let pending = std::sync::Mutex::new(Vec::new());
        let put = |path: &str, write: &mut render::WriteFn| {
            let file = crate::publish::Pending::write(&output_dir, path, write)?;
            pending.lock().expect("no panic while holding the lock").push(file);
            Ok(())
        };
        match render::write_exports_until(&self.report, &self.lang, &self.indexes, stop, &put) {
            None => return Ok(None),
            Some(written) => written.map_err(io_err(&output_dir))?,
        }
        let mut changed = 0;
        for file in pending.into_inner().expect("no panic while holding the lock") {
            changed += usize::from(file.place().map_err(io_err(&output_dir))?);
        }
        self.exports_stale = false;
        // While the editor reads: the indexes of every claim the next rebuild may share and
        // this one did not make (they take the time of a tenth of the exports).
        self.indexes = render::complete_indexes(&self.report, &self.lang, &self.indexes);
        Ok(Some(crate::publish::Written { changed, unchanged: self.site.len().saturating_sub(changed) }))
    }

    /// True when the exports are still to bring up to date ([`Session::publish_exports`]).
    pub fn exports_stale(&self) -> bool {
        self.exports_stale
    }
}

fn within(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample project's documents as the per-source stages make them, and their mentions.
    fn sample() -> (Inputs, Language, Vec<Arc<Document>>, Vec<Vec<EntityRef>>) {
        let inputs = load(Project::open(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
        let lang = Language::load(&inputs.project.config.language).unwrap();
        let gazetteer = gazetteer(&inputs, &lang);
        let (docs, mentions) = inputs
            .sources
            .iter()
            .map(|s| process_source(s, inputs.previous.get(&s.path), &lang, &gazetteer))
            .map(|(d, m)| (Arc::new(d), m))
            .unzip();
        (inputs, lang, docs, mentions)
    }

    /// `docs` with the first reported claim of the second document changed by `edit`.
    fn edited(docs: &[Arc<Document>], edit: impl FnOnce(&mut ClaimRecord)) -> Vec<Arc<Document>> {
        let mut docs = docs.to_vec();
        let doc = Arc::make_mut(&mut docs[1]);
        edit(doc.record.claims.iter_mut().find(|c| c.is_reported()).unwrap());
        docs
    }

    #[test]
    fn an_edit_the_crosscheck_does_not_read_keeps_the_last_analysis() {
        let (inputs, lang, docs, mentions) = sample();
        let mentions: Vec<Arc<[EntityRef]>> = mentions.into_iter().map(Arc::from).collect();
        let fresh_with = |docs: &[Arc<Document>], mentions: &[Arc<[EntityRef]>]| {
            analyse_cached(&inputs, &lang, docs.to_vec(), mentions.to_vec(), &mut AnalysisCache::one_shot())
        };
        let fresh = |docs: &[Arc<Document>]| fresh_with(docs, &mentions);
        let records = |r: &Report| r.docs.iter().map(|d| d.record.clone()).collect::<Vec<_>>();
        let mut cache = AnalysisCache::default();
        let first = analyse_cached(&inputs, &lang, docs.clone(), mentions.clone(), &mut cache).analysis;
        assert!(!first.verdicts.is_empty());
        // An editor's verdict and rationale (on a claim that arrives without its topic, as the
        // per-source stages make it): the analysis is the last one, and a fresh one's, and
        // every claim has the topic a fresh one gives it.
        let verdict = edited(&docs, |c| {
            c.review.verdict = Some("faux".into());
            c.review.rationale = Some("Vérifié auprès du ministère.".into());
            c.topic = None;
        });
        let report = analyse_cached(&inputs, &lang, verdict.clone(), mentions.clone(), &mut cache);
        let expected = fresh(&verdict);
        assert!(Arc::ptr_eq(&first, &report.analysis));
        assert_eq!(*report.analysis, *expected.analysis);
        assert!(!report.entities.is_empty());
        assert_eq!(report.entities, expected.entities);
        assert_eq!(records(&report), records(&expected));
        assert!(records(&report)[1].claims.iter().any(|c| c.topic.is_some()));
        // A paragraph added before a claim: it moves, and says the same.
        let moved = edited(&verdict, |c| {
            c.span = crate::span::Span { start: c.span.start + 60, end: c.span.end + 60 };
            c.lines = [c.lines[0] + 2, c.lines[1] + 2];
        });
        let report = analyse_cached(&inputs, &lang, moved.clone(), mentions.clone(), &mut cache);
        assert!(Arc::ptr_eq(&first, &report.analysis));
        assert_eq!(records(&report), records(&fresh(&moved)));
        assert_eq!(report.entities, fresh(&moved).entities);
        let kept = report.analysis;
        // A claim the editor takes out of the report: a new analysis, and the entities only it
        // named are gone from the table.
        let out = edited(&moved, |c| c.review.not_a_claim = true);
        let report = analyse_cached(&inputs, &lang, out.clone(), mentions.clone(), &mut cache);
        let changed = report.analysis;
        assert!(!Arc::ptr_eq(&kept, &changed));
        assert_eq!(*changed, *fresh(&out).analysis);
        assert_ne!(*changed, *kept);
        assert_eq!(report.entities, fresh(&out).entities);
        // An entity named otherwise in a source (the same claims): the table has its new alias.
        let mut renamed = mentions.clone();
        let mut named = renamed[0].to_vec();
        named[0].text = "Un autre nom".into();
        renamed[0] = named.into();
        let report = analyse_cached(&inputs, &lang, out.clone(), renamed.clone(), &mut cache);
        let expected = fresh_with(&out, &renamed);
        assert_eq!(report.entities, expected.entities);
        assert_ne!(expected.entities, fresh(&out).entities);
    }
}
