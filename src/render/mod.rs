//! Stage 6, **render**: turn the [`Report`] into the files of the site, in memory. Templates
//! see view structs (see [`views`]), never the domain model.

mod escape;
mod export;
mod templates;
mod ui;
pub mod urls;
mod views;

pub use export::claims_json;
pub use templates::{compile, read_overrides, TemplateError};
pub use ui::UiStrings;

use crate::lang::Language;
use crate::report::Report;
use rayon::prelude::*;

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

/// Render every page and data file of the site.
pub fn render(report: &Report, lang: &Language, tera: &tera::Tera) -> Result<Vec<OutputFile>, RenderError> {
    let site = views::site(report, lang);
    let pages = views::pages(report, &site);
    let mut files: Vec<OutputFile> = pages
        .par_iter()
        .map(|page| {
            let ctx = tera::Context::from_serialize(&page.context).map_err(|e| RenderError {
                page: page.path.clone(),
                template: page.template.into(),
                message: e.to_string(),
            })?;
            let html = tera.render(page.template, &ctx).map_err(|e| RenderError {
                page: page.path.clone(),
                template: page.template.into(),
                message: format!("{e:?}"),
            })?;
            Ok(OutputFile { path: page.path.clone(), bytes: html.into_bytes() })
        })
        .collect::<Result<_, RenderError>>()?;
    let json = serde_json::to_vec_pretty(&claims_json(report)).expect("export serialises");
    files.push(OutputFile { path: "claims.json".into(), bytes: json });
    files.push(OutputFile { path: "style.css".into(), bytes: include_bytes!("../../templates/style.css").to_vec() });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
