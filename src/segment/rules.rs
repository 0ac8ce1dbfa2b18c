//! The segmentation rules of a language, as read from `lang/<code>/segment.toml`.

use serde::Deserialize;

/// Abbreviations, boilerplate patterns and the like, for one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRules {
    /// Whole-line patterns (regular expressions, case-insensitive) of web-page leftovers.
    pub boilerplate: Vec<String>,
    #[serde(skip)]
    compiled: Option<regex::RegexSet>,
}

impl SegmentRules {
    /// Compile the patterns; an error names the bad one.
    pub fn prepare(&mut self) -> Result<(), String> {
        let anchored: Vec<String> = self.boilerplate.iter().map(|p| format!("(?i)^(?:{p})$")).collect();
        self.compiled = Some(regex::RegexSet::new(&anchored).map_err(|e| e.to_string())?);
        Ok(())
    }

    /// True when a trimmed line is a web-page leftover.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        self.compiled.as_ref().is_some_and(|set| set.is_match(line))
    }
}
