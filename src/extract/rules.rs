//! The extraction rules of a language, as read from `lang/<code>/extract.toml`.

use super::{Bound, Quantity};
use serde::Deserialize;

/// Hedge cues, number words and the like, for one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractRules {
    /// Words that mark a hedged statement.
    pub hedge_cues: Vec<String>,
}

impl ExtractRules {
    /// Check the rules once after loading.
    pub fn prepare(&mut self) -> Result<(), String> {
        Ok(())
    }

    /// Hedge cue words found in a sentence.
    pub fn hedge_cues(&self, sentence: &str) -> Vec<String> {
        sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| self.hedge_cues.iter().any(|c| c.eq_ignore_ascii_case(w)))
            .map(String::from)
            .collect()
    }

    /// Figures written with digits.
    pub fn quantities(&self, sentence: &str) -> Vec<Quantity> {
        let mut out = Vec::new();
        for word in sentence.split_whitespace() {
            let digits: String = word.chars().filter(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && digits.len() == word.len() {
                out.push(Quantity { text: word.into(), value: digits.parse().ok(), unit: None, bound: Bound::Exact });
            }
        }
        out
    }
}
