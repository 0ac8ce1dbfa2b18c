//! Language knowledge, loaded from data files. Everything factsite knows about French (or
//! English) lives in `lang/<code>/*.toml`, embedded in the binary at compile time; the code
//! that reads it is the same for every language. Adding a language is adding a folder.

use crate::extract::{EntitiesFile, Entity, ExtractRules};
use crate::render::UiStrings;
use crate::segment::SegmentRules;
use serde::de::DeserializeOwned;

/// Why a language could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LangError {
    /// No data folder for that code.
    #[error("no language data for `{0}` (available: {1}); set `language` in factsite.toml to one of them")]
    Unknown(String, String),
    /// A data file is malformed: a bug in factsite's own data.
    #[error("lang/{code}/{file}: {message}")]
    Invalid {
        /// Language code.
        code: String,
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// Everything factsite knows about one language.
#[derive(Debug)]
pub struct Language {
    /// BCP 47 code, e.g. `fr`.
    pub code: String,
    /// How to split text into lines and sentences and recognise non-prose.
    pub segment: SegmentRules,
    /// How to find claims and their figures, dates, entities, speakers and hedges.
    pub extract: ExtractRules,
    /// The report's interface strings.
    pub ui: UiStrings,
    /// Words ignored when grouping claims into topics.
    pub stopwords: Vec<String>,
    /// Snowball stemmer used for topics and search.
    pub stemmer: rust_stemmers::Algorithm,
    /// General-knowledge entities (countries, capitals used for states, institutions) with
    /// their names in this language.
    pub entities: Vec<Entity>,
    /// How to compare claims: measure classes, cues, finding and verdict sentences.
    pub crosscheck: crate::crosscheck::CrosscheckRules,
    /// The cross-check's stopwords and cue lists compiled, made on first use.
    reading: std::sync::OnceLock<crate::crosscheck::Compiled>,
}

/// The data files of one language, embedded.
struct Files {
    segment: &'static str,
    extract: &'static str,
    ui: &'static str,
    stopwords: &'static str,
    entities: &'static str,
    crosscheck: &'static str,
    stemmer: rust_stemmers::Algorithm,
}

macro_rules! lang_files {
    ($code:literal, $stemmer:expr) => {
        Files {
            segment: include_str!(concat!("../../lang/", $code, "/segment.toml")),
            extract: include_str!(concat!("../../lang/", $code, "/extract.toml")),
            ui: include_str!(concat!("../../lang/", $code, "/ui.toml")),
            stopwords: include_str!(concat!("../../lang/", $code, "/stopwords.toml")),
            entities: include_str!(concat!("../../lang/", $code, "/entities.toml")),
            crosscheck: include_str!(concat!("../../lang/", $code, "/crosscheck.toml")),
            stemmer: $stemmer,
        }
    };
}

/// Language codes with data.
pub const AVAILABLE: &[&str] = &["fr", "en"];

fn files(code: &str) -> Option<Files> {
    match code {
        "fr" => Some(lang_files!("fr", rust_stemmers::Algorithm::French)),
        "en" => Some(lang_files!("en", rust_stemmers::Algorithm::English)),
        _ => None,
    }
}

#[derive(serde::Deserialize)]
struct Stopwords {
    words: Vec<String>,
}

impl Language {
    /// The cross-check's stopwords and cue lists, compiled once.
    pub fn reading(&self) -> &crate::crosscheck::Compiled {
        self.reading.get_or_init(|| crate::crosscheck::Compiled::new(self))
    }

    /// Load the language `code` (`fr`, `en`; a region such as `fr-CA` falls back to `fr`).
    pub fn load(code: &str) -> Result<Language, LangError> {
        let base = code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase();
        let f = files(&base).ok_or_else(|| LangError::Unknown(code.into(), AVAILABLE.join(", ")))?;
        let mut segment: SegmentRules = parse(&base, "segment.toml", f.segment)?;
        segment.prepare().map_err(|message| LangError::Invalid {
            code: base.clone(),
            file: "segment.toml".into(),
            message,
        })?;
        let mut extract: ExtractRules = parse(&base, "extract.toml", f.extract)?;
        extract.prepare().map_err(|message| LangError::Invalid {
            code: base.clone(),
            file: "extract.toml".into(),
            message,
        })?;
        let mut crosscheck: crate::crosscheck::CrosscheckRules = parse(&base, "crosscheck.toml", f.crosscheck)?;
        crosscheck.prepare(f.stemmer).map_err(|message| LangError::Invalid {
            code: base.clone(),
            file: "crosscheck.toml".into(),
            message,
        })?;
        Ok(Language {
            crosscheck,
            segment,
            extract,
            ui: parse(&base, "ui.toml", f.ui)?,
            stopwords: parse::<Stopwords>(&base, "stopwords.toml", f.stopwords)?.words,
            entities: parse::<EntitiesFile>(&base, "entities.toml", f.entities)?.entities,
            stemmer: f.stemmer,
            code: base,
            reading: std::sync::OnceLock::new(),
        })
    }
}

fn parse<T: DeserializeOwned>(code: &str, file: &str, text: &str) -> Result<T, LangError> {
    toml::from_str(text).map_err(|e| LangError::Invalid {
        code: code.into(),
        file: file.into(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_loads() {
        for code in AVAILABLE {
            Language::load(code).unwrap();
        }
        assert!(Language::load("xx").is_err());
        assert_eq!(Language::load("fr-CA").unwrap().code, "fr");
    }
}
