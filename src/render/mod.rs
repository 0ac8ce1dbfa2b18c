//! Stage 6, **render**: turn the [`Report`] into the files of the site, in memory. Templates
//! see view structs (see `views`), never the domain model. Every path comes from [`urls`].

mod chart;
mod escape;
mod export;
mod feed;
mod incremental;
mod index;
mod jsonld;
mod markdown;
mod search;
mod templates;
mod ui;
pub mod urls;
mod views;

pub use export::{claims_csv, claims_json};
pub use index::Indexes;
pub use templates::{compile, read_overrides, TemplateError};
pub use ui::UiStrings;

use crate::lang::Language;
use crate::report::Report;
use rayon::prelude::*;

/// The methodology page's Markdown, under the content folder.
pub const METHODOLOGY_FILE: &str = "methodology.md";

/// A file of the site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Why a page could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("rendering {page} with template {template}: {message}")]
pub struct RenderError {
    /// Output path of the page.
    pub page: String,
    /// Template used.
    pub template: String,
    /// Tera's message.
    pub message: String,
}

fn render_one(tera: &tera::Tera, path: &str, template: &str, ctx: &tera::Context) -> Result<OutputFile, RenderError> {
    // Pages of claims run to a few hundred kilobytes: room for most of them up front, rather
    // than growing (and copying) the buffer a doubling at a time.
    let mut bytes = Vec::with_capacity(256 * 1024);
    tera.render_to(template, ctx, &mut bytes).map_err(|e| RenderError {
        page: path.into(),
        template: template.into(),
        message: format!("{e:?}"),
    })?;
    Ok(OutputFile { path: path.into(), bytes })
}

/// What writes a streamed file's bytes (see [`Sink::put_streamed`]).
pub type WriteFn<'w> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'w;

/// Where rendered files go, from several threads at once: the publish stage's staging folder,
/// or memory. Any `Fn(OutputFile) -> io::Result<()>` is one.
pub trait Sink: Sync {
    /// Take a file.
    fn put(&self, file: OutputFile) -> std::io::Result<()>;

    /// Take a large file that `write` writes piece by piece, so that it need not be held in
    /// memory whole. By default the pieces are gathered and handed to [`Sink::put`].
    fn put_streamed(&self, path: &str, write: &mut WriteFn) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(OutputFile { path: path.to_string(), bytes })
    }
}

impl<F: Fn(OutputFile) -> std::io::Result<()> + Sync> Sink for F {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self(file)
    }
}

/// Why the site could not be emitted: a page failed to render, or the sink refused a file.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// A page failed to render.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The sink (the publish stage) could not take a file.
    #[error("{path}: {source}")]
    Sink {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Render every page and data file of the site into memory, sorted by path.
pub fn render(report: &Report, lang: &Language, tera: &tera::Tera) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    let emitted = render_into(report, lang, tera, &|file| {
        files.lock().expect("no panic while holding the lock").push(file);
        Ok(())
    });
    match emitted {
        Ok(()) => {}
        Err(EmitError::Render(e)) => return Err(e),
        Err(EmitError::Sink { .. }) => unreachable!("collecting in memory cannot fail"),
    }
    let mut files = files.into_inner().expect("no panic while holding the lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Render every page and data file of the site, handing each file to `sink` as soon as it is
/// made (from several threads, in no particular order), so that a large site is never held
/// whole in memory. Each page is built, rendered and handed over on its own.
pub fn render_into(report: &Report, lang: &Language, tera: &tera::Tera, sink: &dyn Sink) -> Result<(), EmitError> {
    render_changed(None, report, lang, tera, true, sink).map(|_| ())
}

/// What [`render_changed`] made: the path of every file the site now has, and the indexes of
/// the report that the next rebuild may share.
#[derive(Debug)]
pub struct Rendered {
    /// Every file of the site, rendered or not.
    pub paths: Vec<String>,
    /// What the render indexed of the report, for the next [`render_changed`].
    pub indexes: Indexes,
}

/// Render again what may differ from the site last rendered from `previous` with the same
/// templates and language (everything, without `previous`): the pages
/// `incremental::Changes` finds changed, the pages that sum up the report, the feed, the
/// sitemap and the assets, each handed to `sink`; and the exports (`claims.json`,
/// `claims.csv`, `search.json`: every claim, so as long to make as the site is large) when
/// `exports` says so, else [`render_exports`] makes them later. `previous` comes with what its
/// render indexed ([`Rendered::indexes`]), shared where it still holds. Returns the path of
/// every file the site now has, rendered or not, so that the caller can drop the others, and
/// this render's indexes.
pub fn render_changed(
    previous: Option<(&Report, &Indexes)>,
    report: &Report,
    lang: &Language,
    tera: &tera::Tera,
    exports: bool,
    sink: &dyn Sink,
) -> Result<Rendered, EmitError> {
    let emit = |file: OutputFile| {
        let path = file.path.clone();
        sink.put(file).map_err(|source| EmitError::Sink { path, source })
    };
    let site = views::site(report, lang, report.methodology.is_some());
    // What changed is found while the report is indexed and its pages listed: both read every
    // claim, and neither needs the other.
    let (changes, (mut pages, specs)) = rayon::join(
        || previous.map(|(p, last)| incremental::Changes::between(p, Some(last), report)),
        || {
            let pages = views::Pages::new(report, lang, &site, report.methodology.as_deref(), previous);
            let specs = pages.specs();
            (pages, specs)
        },
    );
    let changes = changes.map(|mut c| {
        let ctx = pages.ctx();
        if ctx.unique_ids() {
            c.index(|id| ctx.claim(id));
        }
        c
    });
    let todo: Vec<&views::PageSpec> = match &changes {
        Some(c) => {
            let cards = pages.card_pages(c);
            specs.par_iter().filter(|spec| pages.changed(spec, c, cards.as_ref())).collect()
        }
        None => specs.iter().collect(),
    };
    pages.prepare(&todo, exports);
    let ctx = pages.ctx();
    // The data files are made alongside the pages.
    let (pages_done, data) = rayon::join(
        || {
            let findings_of = pages.findings_of(&todo);
            todo.par_iter().try_for_each(|spec| {
                let page = pages.build(spec, &findings_of);
                let context = pages.tera_context(&page).map_err(|e| RenderError {
                    page: page.path.clone(),
                    template: page.template.into(),
                    message: e.to_string(),
                })?;
                emit(render_one(tera, &page.path, page.template, &context)?)
            })
        },
        || {
            feeds(report, ctx, &specs).into_iter().try_for_each(emit)?;
            if exports {
                stream_exports(report, ctx, sink)?;
            }
            Ok::<(), EmitError>(())
        },
    );
    pages_done?;
    data?;
    // The stylesheet and script are templates too, so a project can override them by name.
    let empty = tera::Context::new();
    let assets = [urls::STYLE, urls::SEARCH_JS, urls::FAVICON];
    for asset in assets {
        emit(render_one(tera, asset, asset, &empty)?)?;
    }
    let data_paths = [urls::CLAIMS_JSON, urls::CLAIMS_CSV, urls::SITEMAP, urls::FEED, urls::SEARCH_INDEX];
    let mut all: Vec<String> = specs.into_iter().map(|s| s.path).collect();
    all.extend(data_paths.iter().chain(&assets).map(|p| p.to_string()));
    Ok(Rendered { paths: all, indexes: pages.indexes() })
}

/// The exports of the report: `claims.json`, `claims.csv` and the search index, in memory.
pub fn render_exports(report: &Report, lang: &Language) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let put = |path: &str, write: &mut WriteFn| {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        files.lock().expect("no panic while holding the lock").push(OutputFile { path: path.into(), bytes });
        Ok(())
    };
    write_exports_until(report, lang, &Indexes::default(), &|| false, &put)
        .expect("exports that are never stopped are made")
        .expect("writing to memory");
    let mut files = files.into_inner().expect("no panic while holding the lock");
    files.sort_by_key(|f| EXPORTS.iter().position(|p| *p == f.path));
    files
}

/// `indexes` with what a rebuild after `report` (the report they were made for) may share
/// and they lack (see [`Indexes`]): `serve` makes them while it waits, so that the next edit
/// finds them made.
pub fn complete_indexes(report: &Report, lang: &Language, indexes: &Indexes) -> Indexes {
    views::Ctx::with(report, lang, indexes).complete(indexes)
}

/// Hand each export to `put` (side by side, from several threads), with what writes it piece
/// by piece, so that none is held in memory whole (`claims.json` is half a gigabyte for an
/// archive of 10,000 articles); given up as soon as `stop` says so (it is asked each time a
/// batch of claims is written): `None` then. `serve` stops them when the editor saves again.
/// `indexes` are those the render of `report` made, shared (or none).
pub fn write_exports_until(
    report: &Report,
    lang: &Language,
    indexes: &Indexes,
    stop: &(dyn Fn() -> bool + Sync),
    put: &(dyn Fn(&str, &mut WriteFn) -> std::io::Result<()> + Sync),
) -> Option<std::io::Result<()>> {
    let mut ctx = views::Ctx::with(report, lang, indexes);
    ctx.index_verdicts();
    let stopped = std::sync::atomic::AtomicBool::new(false);
    let written = EXPORTS.par_iter().try_for_each(|&path| {
        put(path, &mut |out| write_export(path, report, &ctx, &mut Until { out, stop, stopped: &stopped }))
    });
    (!stopped.load(std::sync::atomic::Ordering::Relaxed)).then_some(written)
}

/// The exports, in the order they are made.
const EXPORTS: [&str; 3] = [urls::CLAIMS_JSON, urls::CLAIMS_CSV, urls::SEARCH_INDEX];

/// Write export `path`, one of [`EXPORTS`], to `out`.
fn write_export(path: &str, report: &Report, ctx: &views::Ctx, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    match path {
        urls::CLAIMS_JSON => export::write_claims_json(report, ctx.finding_pages(), out),
        urls::CLAIMS_CSV => export::write_claims_csv(report, &report.config.base_url, out),
        urls::SEARCH_INDEX => search::write_index(ctx, out),
        other => unreachable!("{other} is not an export"),
    }
}

/// Bytes passed on to `out` until `stop` says to give up: then every write fails, and
/// `stopped` is set.
struct Until<'s> {
    out: &'s mut dyn std::io::Write,
    stop: &'s (dyn Fn() -> bool + Sync),
    stopped: &'s std::sync::atomic::AtomicBool,
}

impl std::io::Write for Until<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.stop)() {
            self.stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            return Err(std::io::Error::other("stopped"));
        }
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The sitemap of the pages of `specs` and the Atom feed (its latest claims only).
fn feeds(report: &Report, ctx: &views::Ctx, specs: &[views::PageSpec]) -> Vec<OutputFile> {
    let mut html_paths: Vec<&str> = specs.iter().map(|p| p.path.as_str()).filter(|p| *p != urls::NOT_FOUND).collect();
    html_paths.sort();
    let sitemap = feed::sitemap(&report.config.base_url, &html_paths);
    let report_date = report.docs.iter().filter_map(|d| d.record.meta.published.as_deref()).max();
    vec![
        OutputFile { path: urls::SITEMAP.into(), bytes: sitemap.into_bytes() },
        OutputFile { path: urls::FEED.into(), bytes: feed::atom(ctx, report_date).into_bytes() },
    ]
}

/// The exports, written one after the other into `sink` as they are made, each in parallel.
fn stream_exports(report: &Report, ctx: &views::Ctx, sink: &dyn Sink) -> Result<(), EmitError> {
    for path in EXPORTS {
        sink.put_streamed(path, &mut |out| write_export(path, report, ctx, out))
            .map_err(|source| EmitError::Sink { path: path.to_string(), source })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
