//! The Tera templates: the built-in defaults, embedded in the binary, each overridden by a file
//! of the same name in the project's `templates/` folder.

use std::path::Path;

/// Built-in templates, by name (pages, the shared components, the stylesheet and the search
/// script).
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("components.html", include_str!("../../templates/components.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("source.html", include_str!("../../templates/source.html")),
    ("annotated.html", include_str!("../../templates/annotated.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("entities.html", include_str!("../../templates/entities.html")),
    ("findings.html", include_str!("../../templates/findings.html")),
    ("methodology.html", include_str!("../../templates/methodology.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("search.js", include_str!("../../templates/search.js")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
];

/// Why the templates could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A project template could not be read.
    #[error("cannot read template {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A template does not parse.
    #[error("template {name}: {message}")]
    Syntax {
        /// Template name.
        name: String,
        /// Tera's message, with line and column.
        message: String,
    },
}

/// Read the project's overrides from `dir` (missing folder: no overrides).
pub fn read_overrides(dir: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let mut out = Vec::new();
    for (name, _) in DEFAULTS {
        let path = dir.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| TemplateError::Io { path: path.display().to_string(), source })?;
            out.push((name.to_string(), text));
        }
    }
    Ok(out)
}

/// Compile the templates once: the defaults, replaced by any override of the same name.
pub fn compile(overrides: &[(String, String)]) -> Result<tera::Tera, TemplateError> {
    let mut tera = tera::Tera::new();
    let mut all: Vec<(&str, &str)> = DEFAULTS.to_vec();
    for (name, text) in overrides {
        if let Some(slot) = all.iter_mut().find(|(n, _)| n == name) {
            slot.1 = text;
        }
    }
    tera.add_raw_templates(all)
        .map_err(|e| TemplateError::Syntax { name: String::new(), message: format!("{e:?}") })?;
    tera.autoescape_on(vec![".html", ".xml"]);
    Ok(tera)
}
