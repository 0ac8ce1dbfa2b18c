//! The cross-check rules of a language, as read from `lang/<code>/crosscheck.toml`: measure
//! classes of counted nouns, increment and prospective cues, opposite-statement cue pairs, and
//! the sentences of findings and verdicts. Also the small text helpers every rule shares.

use aho_corasick::AhoCorasick;
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
    /// Finding titles (see [`Finding::title`](super::Finding::title)), by the name of the
    /// finding's sentence: for the findings that can name many claims.
    pub finding_titles: Templates,
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
const FINDING_TITLES: &[&str] = &["discrepancy", "same_origin", "conflict", "internal_figures"];
const RATIONALES: &[&str] =
    &["corroborated", "disputed", "inconsistent", "unconfirmed", "single_source", "same_origin"];
const VERDICTS: &[&str] = &["corroborated", "disputed", "single-source", "unconfirmed", "inconsistent", "unchecked"];

impl CrosscheckRules {
    /// Check the rules and stem the measure nouns, once after loading.
    pub fn prepare(&mut self, stemmer: rust_stemmers::Algorithm) -> Result<(), String> {
        for (section, table, names) in [
            ("findings", &self.findings, FINDINGS),
            ("finding_titles", &self.finding_titles, FINDING_TITLES),
            ("rationales", &self.rationales, RATIONALES),
            ("verdicts", &self.verdicts, VERDICTS),
        ] {
            if let Some(missing) = names.iter().find(|n| !table.contains_key(**n)) {
                return Err(format!("missing sentence `{missing}` in [{section}]"));
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

    /// The title of a finding whose sentence is `name`, if it has one.
    pub fn finding_title(&self, name: &str, vars: &[(&str, String)]) -> Option<String> {
        self.finding_titles.get(name).map(|t| fill(t, vars))
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
    let mut out = String::with_capacity(template.len() + vars.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let var = after.find('}').and_then(|close| {
            let name = &after[..close];
            vars.iter().find(|(n, _)| *n == name).map(|(_, value)| (value, close))
        });
        match var {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            // Not a placeholder of these variables: kept as written.
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Lowercase with straight apostrophes and plain spaces, so cues match however the source
/// typeset them.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A run of ASCII, lowercased in place, then one other character.
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            match c {
                '’' | 'ʼ' | '‘' => out.push('\''),
                '\u{a0}' | '\u{202f}' | '\u{2009}' => out.push(' '),
                c => out.extend(c.to_lowercase()),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// True when `phrase` occurs in `text` (both normalised) at word boundaries: what [`Cues`] tells
/// for a whole list at once (kept to test it against).
#[cfg(test)]
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let start = from + pos;
        if at_word_boundaries(text, start, phrase) {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// True when `phrase`, found in `text` at byte `start`, begins and ends at word boundaries
/// (a phrase that begins or ends with punctuation needs no boundary on that side).
fn at_word_boundaries(text: &str, start: usize, phrase: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let end = start + phrase.len();
    let edge_start = !phrase.starts_with(char::is_alphanumeric) || !is_word(text[..start].chars().next_back());
    let edge_end = !phrase.ends_with(char::is_alphanumeric) || !is_word(text[end..].chars().next());
    edge_start && edge_end
}

/// Lists of cues (normalised) compiled once into one automaton, so that a text is scanned once
/// for all of them instead of once per cue: the same answers as looking for each cue in
/// turn (at word boundaries), in a fraction of the time over tens of thousands of claims.
#[derive(Debug, Clone)]
pub struct CueLists {
    /// The distinct non-empty cues (an empty cue never matches); pattern ids index them.
    patterns: Vec<String>,
    /// For each pattern: the lists holding it, with its position in each.
    places: Vec<Vec<(usize, usize)>>,
    automaton: AhoCorasick,
}

impl CueLists {
    /// The automaton of `lists`.
    pub fn new(lists: &[&[String]]) -> CueLists {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut places: Vec<Vec<(usize, usize)>> = Vec::new();
        for (l, list) in lists.iter().enumerate() {
            for (p, cue) in list.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                let id = *index.entry(cue).or_insert_with(|| {
                    patterns.push(cue.clone());
                    places.push(Vec::new());
                    patterns.len() - 1
                });
                places[id].push((l, p));
            }
        }
        let automaton = AhoCorasick::new(&patterns).expect("cue automaton: a few dozen short patterns");
        CueLists { patterns, places, automaton }
    }

    /// Calls `found(list, position in the list, start, end)` for every occurrence in `text` of
    /// a cue at word boundaries, overlapping ones included, in no particular order.
    pub fn scan(&self, text: &str, mut found: impl FnMut(usize, usize, usize, usize)) {
        for m in self.automaton.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            if at_word_boundaries(text, m.start(), &self.patterns[id]) {
                for &(l, p) in &self.places[id] {
                    found(l, p, m.start(), m.end());
                }
            }
        }
    }
}

/// One list of cues, compiled (see [`CueLists`]).
#[derive(Debug, Clone)]
pub struct Cues {
    cues: Vec<String>,
    lists: CueLists,
}

impl Cues {
    /// The automaton of `cues`.
    pub fn new(cues: &[String]) -> Cues {
        Cues { cues: cues.to_vec(), lists: CueLists::new(&[cues]) }
    }

    /// True when `text` holds one of the cues.
    pub fn any(&self, text: &str) -> bool {
        let mut any = false;
        self.lists.scan(text, |_, _, _, _| any = true);
        any
    }

    /// The first cue of the list that `text` holds.
    pub fn first(&self, text: &str) -> Option<&str> {
        let mut first: Option<usize> = None;
        self.lists.scan(text, |_, p, _, _| first = Some(first.map_or(p, |f| f.min(p))));
        first.map(|p| self.cues[p].as_str())
    }
}

/// The words of a text with their byte offsets: runs of letters and digits.
pub fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::with_capacity(text.len() / 4);
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
        let t = normalize("Le ministère continue de nier ; aucune confirmation officielle n’a été donnée");
        assert!(contains_phrase(&t, "nier"));
        assert!(contains_phrase(&t, "aucune confirmation officielle"));
        assert!(contains_phrase(&t, "n'a été"));
        assert!(!contains_phrase(&normalize("il dénie tout"), "nie"));
        assert!(!contains_phrase(&normalize("une manie"), "nie"));
    }

    #[test]
    fn a_compiled_cue_list_answers_as_each_cue_would() {
        let cues: Vec<String> =
            ["nie", "n'a été", "aucune confirmation officielle", "été", "'a"].iter().map(|c| c.to_string()).collect();
        let compiled = Cues::new(&cues);
        for text in [
            "Le ministère continue de nier ; aucune confirmation officielle n’a été donnée",
            "il dénie tout, une manie",
            "Il nie : l'été a été chaud",
            "",
        ] {
            let t = normalize(text);
            let first = cues.iter().find(|c| contains_phrase(&t, c)).map(String::as_str);
            assert_eq!(compiled.first(&t), first, "{t}");
            assert_eq!(compiled.any(&t), first.is_some(), "{t}");
        }
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
        // Every occurrence; unknown names and lone braces as written; a value is not read
        // for placeholders.
        let vars = [("a", "{b}".to_string()), ("b", "x".to_string())];
        assert_eq!(fill("{a}, {b}, {b}, {c} {", &vars), "{b}, x, x, {c} {");
        assert_eq!(fill("{{a}}", &vars), "{{b}}");
    }

    #[test]
    fn a_missing_sentence_is_named_with_its_table() {
        let fr = Language::load("fr").unwrap();
        let mut rules = fr.crosscheck.clone();
        rules.finding_titles.remove("discrepancy");
        let err = rules.prepare(fr.stemmer).unwrap_err();
        assert_eq!(err, "missing sentence `discrepancy` in [finding_titles]");
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
