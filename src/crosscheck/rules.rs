//! The cross-check rules of a language, as read from `lang/<code>/crosscheck.toml`: measure
//! classes of counted nouns, increment and prospective cues, opposite-statement cue pairs, and
//! the sentences of findings and verdicts. Also the small text helpers every rule shares.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Counted nouns that count the same kind of thing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// Name of the class (used when no counted noun is more frequent).
    pub label: String,
    /// The nouns (stemmed by [`CrosscheckRules::prepare`]).
    pub nouns: Vec<String>,
}

/// Two sets of cues that state opposite things.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictCues {
    /// Stable id.
    pub id: String,
    /// Cues of the positive statement.
    pub affirm: Vec<String>,
    /// Cues of the negative statement.
    pub deny: Vec<String>,
}

/// Sentences with `{name}` placeholders.
pub type Templates = BTreeMap<String, String>;

/// How the cross-check reads one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosscheckRules {
    /// Thousands separator in figures written for a reader.
    pub thousands_separator: String,
    /// Decimal mark in figures written for a reader.
    pub decimal_mark: String,
    /// Classes of counted nouns.
    #[serde(rename = "measure", default)]
    pub measures: Vec<MeasureDef>,
    /// Words near a figure that make it an increment, not a total.
    pub increment_cues: Vec<String>,
    /// Words that make a claim about something still to come.
    pub prospective_cues: Vec<String>,
    /// Words of a relative date pointing back ("dernier").
    pub past_relative_cues: Vec<String>,
    /// Speakers too vague to be an origin of their own.
    pub generic_speakers: Vec<String>,
    /// Words left out of automatic topics.
    pub topic_ignored: Vec<String>,
    /// Opposite-statement cue pairs.
    #[serde(rename = "conflict", default)]
    pub conflicts: Vec<ConflictCues>,
    /// Verdict labels shown to readers, by machine label.
    pub verdicts: BTreeMap<String, String>,
    /// Finding sentences, by template name.
    pub findings: Templates,
    /// Verdict rationales, by machine label.
    pub rationales: Templates,
    /// Stems of each measure class's nouns, filled by `prepare`.
    #[serde(skip)]
    measure_stems: Vec<Vec<String>>,
}

/// Template names every language must define.
const FINDINGS: &[&str] = &[
    "discrepancy",
    "anachronism_upcoming",
    "anachronism_relative",
    "single_source",
    "single_source_topic",
    "same_origin",
    "conflict",
    "internal_conflict",
    "internal_figures",
];
const RATIONALES: &[&str] =
    &["corroborated", "disputed", "inconsistent", "unconfirmed", "single_source", "same_origin"];
const VERDICTS: &[&str] = &["corroborated", "disputed", "single-source", "unconfirmed", "inconsistent", "unchecked"];

impl CrosscheckRules {
    /// Check the rules and stem the measure nouns, once after loading.
    pub fn prepare(&mut self, stemmer: rust_stemmers::Algorithm) -> Result<(), String> {
        for (table, names) in [(&self.findings, FINDINGS), (&self.rationales, RATIONALES), (&self.verdicts, VERDICTS)] {
            if let Some(missing) = names.iter().find(|n| !table.contains_key(**n)) {
                return Err(format!("missing sentence `{missing}`"));
            }
        }
        let stemmer = rust_stemmers::Stemmer::create(stemmer);
        self.measure_stems =
            self.measures.iter().map(|m| m.nouns.iter().map(|n| stem(&stemmer, &normalize(n))).collect()).collect();
        for list in [
            &mut self.increment_cues,
            &mut self.prospective_cues,
            &mut self.past_relative_cues,
            &mut self.topic_ignored,
        ] {
            for cue in list.iter_mut() {
                *cue = normalize(cue);
            }
        }
        for c in &mut self.conflicts {
            for cue in c.affirm.iter_mut().chain(c.deny.iter_mut()) {
                *cue = normalize(cue);
            }
        }
        Ok(())
    }

    /// The measure class of a counted noun's stem, when one of the classes lists it.
    pub fn measure_class(&self, unit_stem: &str) -> Option<&str> {
        self.measure_stems
            .iter()
            .position(|s| s.iter().any(|n| n == unit_stem))
            .map(|i| self.measures[i].label.as_str())
    }

    /// A finding sentence.
    pub fn finding(&self, name: &str, vars: &[(&str, String)]) -> String {
        fill(self.findings.get(name).map(String::as_str).unwrap_or(name), vars)
    }

    /// A verdict rationale.
    pub fn rationale(&self, name: &str, vars: &[(&str, String)]) -> String {
        fill(self.rationales.get(name).map(String::as_str).unwrap_or(name), vars)
    }

    /// The label a reader sees for a machine verdict label (the label itself when unknown,
    /// e.g. an editor's).
    pub fn verdict_label<'a>(&'a self, label: &'a str) -> &'a str {
        self.verdicts.get(label).map(String::as_str).unwrap_or(label)
    }

    /// A figure written for a reader: thousands grouped, at most one decimal.
    pub fn number(&self, value: f64) -> String {
        let rounded = (value * 10.0).round() / 10.0;
        let int = rounded.trunc().abs() as u64;
        let digits = int.to_string();
        let mut out = String::new();
        if rounded < 0.0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(&self.thousands_separator);
            }
            out.push(ch);
        }
        let frac = ((rounded.abs() - int as f64) * 10.0).round() as u64;
        if frac > 0 {
            out.push_str(&self.decimal_mark);
            out.push_str(&frac.to_string());
        }
        out
    }
}

/// Replace each `{name}` of a template by its value.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Lowercase with straight apostrophes and plain spaces, so cues match however the source
/// typeset them.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | 'ʼ' | '‘' => '\'',
            '\u{a0}' | '\u{202f}' | '\u{2009}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `phrase` occurs in `text` (both normalised) at word boundaries.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let start = from + pos;
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let edge_start = !phrase.starts_with(char::is_alphanumeric) || !is_word(before);
        let edge_end = !phrase.ends_with(char::is_alphanumeric) || !is_word(after);
        if edge_start && edge_end {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The first cue of `cues` found in `text` (normalised).
pub fn find_cue<'a>(text: &str, cues: &'a [String]) -> Option<&'a str> {
    cues.iter().find(|c| contains_phrase(text, c)).map(String::as_str)
}

/// The words of a text with their byte offsets: runs of letters and digits.
pub fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The stem of a lowercase word.
pub fn stem(stemmer: &rust_stemmers::Stemmer, word: &str) -> String {
    stemmer.stem(word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn phrases_match_at_word_boundaries() {
        let t = normalize("Le Kremlin continue de nier ; aucune confirmation officielle n’a été donnée");
        assert!(contains_phrase(&t, "nier"));
        assert!(contains_phrase(&t, "aucune confirmation officielle"));
        assert!(contains_phrase(&t, "n'a été"));
        assert!(!contains_phrase(&normalize("il dénie tout"), "nie"));
        assert!(!contains_phrase(&normalize("une manie"), "nie"));
    }

    #[test]
    fn numbers_and_templates_follow_the_language() {
        let fr = Language::load("fr").unwrap();
        assert_eq!(fr.crosscheck.number(30000.0), "30\u{202f}000");
        assert_eq!(fr.crosscheck.number(3.64), "3,6");
        assert_eq!(fr.crosscheck.number(950.0), "950");
        let en = Language::load("en").unwrap();
        assert_eq!(en.crosscheck.number(1234567.0), "1,234,567");
        assert_eq!(fill("de {low} à {high}", &[("low", "1".into()), ("high", "2".into())]), "de 1 à 2");
    }

    #[test]
    fn counted_nouns_fall_into_measure_classes() {
        let fr = Language::load("fr").unwrap();
        let s = rust_stemmers::Stemmer::create(fr.stemmer);
        for noun in ["soldats", "pertes", "militaires", "blessés"] {
            assert_eq!(fr.crosscheck.measure_class(&stem(&s, noun)), Some("personnes"), "{noun}");
        }
        assert_eq!(fr.crosscheck.measure_class(&stem(&s, "conteneurs")), None);
    }

    #[test]
    fn words_keep_their_offsets() {
        let text = "l'arrivée de 15 000 soldats";
        let w = words(text);
        assert_eq!(w[1], (2, "arrivée"));
        assert_eq!(&text[w[3].0..w[3].0 + 2], "15");
    }
}
