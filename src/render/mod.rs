//! Stage 6, **render**: turn the [`Report`] into the files of the site, in memory. Templates
//! see view structs (see [`views`]), never the domain model. Every path comes from [`urls`].

mod chart;
mod escape;
mod export;
mod feed;
mod jsonld;
mod markdown;
mod search;
mod templates;
mod ui;
pub mod urls;
mod views;

pub use export::{claims_csv, claims_json};
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
    let text = tera.render(template, ctx).map_err(|e| RenderError {
        page: path.into(),
        template: template.into(),
        message: format!("{e:?}"),
    })?;
    Ok(OutputFile { path: path.into(), bytes: text.into_bytes() })
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
pub fn render_into(
    report: &Report,
    lang: &Language,
    tera: &tera::Tera,
    sink: &(dyn Fn(OutputFile) -> std::io::Result<()> + Sync),
) -> Result<(), EmitError> {
    let emit = |file: OutputFile| {
        let path = file.path.clone();
        sink(file).map_err(|source| EmitError::Sink { path, source })
    };
    let ctx = views::Ctx::new(report, lang);
    let site = views::site(report, lang, report.methodology.is_some());
    let pages = views::Pages::new(&ctx, &site, report.methodology.as_deref());
    let specs = pages.specs();
    let mut html_paths: Vec<&str> = specs.iter().map(|p| p.path.as_str()).filter(|p| *p != urls::NOT_FOUND).collect();
    html_paths.sort();
    let sitemap = feed::sitemap(&report.config.base_url, &html_paths);
    // The data files, each serialised on one thread, are made alongside the pages.
    let (pages, data) = rayon::join(
        || {
            specs.par_iter().try_for_each(|spec| {
                let page = pages.build(spec);
                let context = tera::Context::from_serialize(&page.context).map_err(|e| RenderError {
                    page: page.path.clone(),
                    template: page.template.into(),
                    message: e.to_string(),
                })?;
                emit(render_one(tera, &page.path, page.template, &context)?)
            })
        },
        || data_files(report, &ctx, sitemap).into_iter().try_for_each(emit),
    );
    pages?;
    data?;
    // The stylesheet and script are templates too, so a project can override them by name.
    let empty = tera::Context::new();
    for asset in [urls::STYLE, urls::SEARCH_JS, urls::FAVICON] {
        emit(render_one(tera, asset, asset, &empty)?)?;
    }
    Ok(())
}

/// The exports and feeds: `claims.json`, `claims.csv`, the sitemap and the Atom feed.
fn data_files(report: &Report, ctx: &views::Ctx, sitemap: String) -> Vec<OutputFile> {
    let base = &report.config.base_url;
    let ((json, csv), (atom, index)) = rayon::join(
        || rayon::join(|| claims_json(report), || claims_csv(report, base)),
        || {
            let report_date = report.docs.iter().filter_map(|d| d.record.meta.published.as_deref()).max();
            rayon::join(|| feed::atom(ctx, report_date), || search::index(ctx))
        },
    );
    vec![
        OutputFile { path: urls::CLAIMS_JSON.into(), bytes: json },
        OutputFile { path: urls::CLAIMS_CSV.into(), bytes: csv },
        OutputFile { path: urls::SITEMAP.into(), bytes: sitemap.into_bytes() },
        OutputFile { path: urls::FEED.into(), bytes: atom.into_bytes() },
        OutputFile { path: urls::SEARCH_INDEX.into(), bytes: index },
    ]
}

#[cfg(test)]
mod tests;
