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

/// Render every page and data file of the site.
pub fn render(report: &Report, lang: &Language, tera: &tera::Tera) -> Result<Vec<OutputFile>, RenderError> {
    let ctx = views::Ctx::new(report, lang);
    let site = views::site(report, lang, report.methodology.is_some());
    let t = std::time::Instant::now();
    let pages = views::pages(&ctx, &site, report.methodology.as_deref());
    crate::timing("  page views", t);
    let t = std::time::Instant::now();
    let mut files: Vec<OutputFile> = pages
        .par_iter()
        .map(|page| {
            let context = tera::Context::from_serialize(&page.context).map_err(|e| RenderError {
                page: page.path.clone(),
                template: page.template.into(),
                message: e.to_string(),
            })?;
            render_one(tera, &page.path, page.template, &context)
        })
        .collect::<Result<_, RenderError>>()?;
    crate::timing("  tera", t);
    let t = std::time::Instant::now();
    let base = &report.config.base_url;
    let mut html_paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).filter(|p| *p != urls::NOT_FOUND).collect();
    html_paths.sort();
    let sitemap = feed::sitemap(base, &html_paths);
    let report_date = report.docs.iter().filter_map(|d| d.record.meta.published.as_deref()).max();
    let atom = feed::atom(&ctx, report_date);
    let json = serde_json::to_vec_pretty(&claims_json(report)).expect("export serialises");
    files.push(OutputFile { path: urls::CLAIMS_JSON.into(), bytes: json });
    files.push(OutputFile { path: urls::CLAIMS_CSV.into(), bytes: claims_csv(report, base) });
    files.push(OutputFile { path: urls::SITEMAP.into(), bytes: sitemap.into_bytes() });
    files.push(OutputFile { path: urls::FEED.into(), bytes: atom.into_bytes() });
    // The stylesheet and script are templates too, so a project can override them by name.
    let empty = tera::Context::new();
    for asset in [urls::STYLE, urls::SEARCH_JS, urls::FAVICON] {
        files.push(render_one(tera, asset, asset, &empty)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    crate::timing("  data files", t);
    Ok(files)
}

#[cfg(test)]
mod tests;
