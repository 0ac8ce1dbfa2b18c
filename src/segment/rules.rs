//! The segmentation rules of a language, as read from `lang/<code>/segment.toml`.

use serde::Deserialize;
use std::collections::HashSet;

/// Abbreviations, boilerplate patterns and the like, for one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRules {
    /// Whole-line patterns (regular expressions, case-insensitive) of web-page leftovers.
    pub boilerplate: Vec<String>,
    /// Abbreviations (without their final dot, any case) after which a full stop never ends a
    /// sentence ("M.", "Mme", "janv."). Others ("etc.") end one before a capital, as any word.
    pub abbreviations: Vec<String>,
    /// Characters that open a bullet item when followed by a space.
    pub bullets: Vec<String>,
    /// Where a sentence joining two independent claims splits: ";" or a conjunction after a
    /// comma (", mais "); the clause starts after the separator's punctuation.
    pub clause_breaks: Vec<String>,
    /// Words before a conjunction break that keep the sentence whole ("non seulement").
    pub clause_break_exceptions: Vec<String>,
    /// A clause split happens only when both parts have at least this many words.
    pub clause_min_words: usize,
    /// A line with no final punctuation and at most this many words is a heading.
    pub heading_max_words: usize,
    /// A title is at most this many characters.
    pub title_max_chars: usize,
    /// A byline is at most this many characters.
    pub byline_max_chars: usize,
    /// Words that open a byline ("Par", "Publié le"), removed from the outlet.
    pub byline_prefixes: Vec<String>,
    /// Words right before a byline's date, not part of the outlet ("le", "publié le").
    pub date_prefixes: Vec<String>,
    /// Separators between the outlet and the date in a byline (" - ", " | ").
    pub byline_separators: Vec<String>,
    /// Words that may sit between a byline's date and its time ("à").
    pub time_prefixes: Vec<String>,
    #[serde(skip)]
    compiled: Option<regex::RegexSet>,
    #[serde(skip)]
    abbrev: HashSet<String>,
    /// The clause breaks, found in one pass.
    #[serde(skip)]
    pub(crate) breaks: Option<aho_corasick::AhoCorasick>,
}

impl SegmentRules {
    /// Compile the patterns; an error names the bad one.
    pub fn prepare(&mut self) -> Result<(), String> {
        let anchored: Vec<String> = self.boilerplate.iter().map(|p| format!("(?i)^(?:{p})$")).collect();
        self.compiled = Some(regex::RegexSet::new(&anchored).map_err(|e| e.to_string())?);
        self.abbrev = self.abbreviations.iter().map(|a| a.trim_end_matches('.').to_lowercase()).collect();
        if self.clause_breaks.iter().any(|b| b.trim().is_empty()) {
            return Err("clause_breaks: an empty separator".into());
        }
        self.breaks = Some(aho_corasick::AhoCorasick::new(&self.clause_breaks).map_err(|e| e.to_string())?);
        Ok(())
    }

    /// True when a trimmed line is a web-page leftover.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        self.compiled.as_ref().is_some_and(|set| set.is_match(line))
    }

    /// True when `word` (before a full stop) is an abbreviation that never ends a sentence.
    pub(crate) fn is_abbreviation(&self, word: &str) -> bool {
        // Lower-cased on the stack when ASCII (the same as `to_lowercase` then), as this is
        // asked at every full stop.
        const MAX: usize = 32;
        if word.len() <= MAX && word.is_ascii() {
            let mut buf = [0u8; MAX];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|w| self.abbrev.contains(w));
        }
        self.abbrev.contains(&word.to_lowercase())
    }
}
