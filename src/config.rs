//! The project: where it lives and what its `factsite.toml` says.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The name of the project file at a project's root.
pub const CONFIG_FILE: &str = "factsite.toml";

/// Why a project could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No `factsite.toml` at the root.
    #[error("no {CONFIG_FILE} in {0}: run `factsite init` to create a project, or pass --root")]
    Missing(PathBuf),
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or has a wrong field.
    #[error("{path}:{line}: {message}\n  fix the file; every key is described in the README")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The contents of `factsite.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The report's title.
    pub title: String,
    /// One sentence saying what the report checks.
    pub description: String,
    /// Absolute URL the site is published at (for JSON-LD, the sitemap and the feed).
    pub base_url: String,
    /// Language of the sources and of the report's interface (BCP 47: `fr`, `en`).
    pub language: String,
    /// Folder of source documents, relative to the root.
    pub sources_dir: String,
    /// Folder of annotated Markdown and editor content, relative to the root.
    pub content_dir: String,
    /// Folder of templates overriding the built-in ones, relative to the root.
    pub templates_dir: String,
    /// Folder the site is written to, relative to the root.
    pub output_dir: String,
    /// Who publishes the report (ClaimReview author).
    pub author: String,
    /// The verdict scale editors choose from.
    pub verdicts: Vec<String>,
    /// Publish each source's annotated Markdown as a highlighted page (`annotated/<id>.html`).
    /// Off by default: highlighting costs more than the rest of the render together and makes
    /// the largest part of the output (2.1 GB of 5.6 GB for 10,000 generated articles), for a view
    /// editors rarely need beside the source pages and their own `content/` files.
    pub annotated_pages: bool,
    /// Limits that protect the machine from huge inputs.
    pub limits: Limits,
}

/// Size limits on sources.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest source file read, in bytes.
    pub max_source_bytes: u64,
    /// Longest line accepted in a source, in bytes.
    pub max_line_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_source_bytes: 8 * 1024 * 1024, max_line_bytes: 1024 * 1024 }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Fact-check report".into(),
            description: String::new(),
            base_url: "http://127.0.0.1:1111".into(),
            language: "fr".into(),
            sources_dir: "sources".into(),
            content_dir: "content".into(),
            templates_dir: "templates".into(),
            output_dir: "public".into(),
            author: "factsite".into(),
            verdicts: ["exact", "plutôt exact", "trompeur", "faux", "invérifiable"].map(String::from).to_vec(),
            annotated_pages: false,
            limits: Limits::default(),
        }
    }
}

impl Config {
    /// Parse `factsite.toml` text; `path` is only used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: e.span().map(|s| crate::span::line_at(text, s.start)).unwrap_or(1),
            message: e.message().to_string(),
        })
    }
}

/// A project on disk: its root folder and configuration.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `factsite.toml`.
    pub root: PathBuf,
    /// Its configuration.
    pub config: Config,
}

impl Project {
    /// Open the project at `root`.
    pub fn open(root: &Path) -> Result<Project, ConfigError> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(ConfigError::Missing(root.to_path_buf()));
        }
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io { path: path.clone(), source })?;
        Ok(Project { root: root.to_path_buf(), config: Config::parse(&path, &text)? })
    }

    /// The sources folder.
    pub fn sources_dir(&self) -> PathBuf {
        self.root.join(&self.config.sources_dir)
    }

    /// The content folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.config.content_dir)
    }

    /// The templates folder.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(&self.config.templates_dir)
    }

    /// The output folder (relative paths are taken from the root).
    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output_dir)
    }

    /// `path` relative to the root, with `/` separators.
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_its_line() {
        let err = Config::parse(Path::new("factsite.toml"), "title = \"x\"\n\nsourcez = \"a\"\n").unwrap_err();
        assert!(err.to_string().starts_with("factsite.toml:3:"), "{err}");
    }
}
