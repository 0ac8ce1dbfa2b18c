//! The extraction rules of a language, as read from `lang/<code>/extract.toml`, compiled once by
//! [`ExtractRules::prepare`] into one table (the lexicon) keyed by a phrase's first word, so that
//! each word of a sentence is looked up once for every phrase the rules know, whatever their
//! number.

use super::Bound;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Number words, bounds, units.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRules {
    /// Spelled-out number words and their values.
    pub words: BTreeMap<String, f64>,
    /// Number words that multiply what precedes them.
    pub multipliers: Vec<String>,
    /// The word that multiplies a preceding 4 ("quatre-vingts").
    pub score_word: String,
    /// Number words that are also articles.
    pub articles: Vec<String>,
    /// Determiners that make a small spelled-out number a reference ("les deux pays").
    pub reference_determiners: Vec<String>,
    /// Collective nouns and their approximate value.
    pub collectives: BTreeMap<String, f64>,
    /// Amounts with no value.
    pub vague: Vec<String>,
    /// Words making a figure approximate.
    pub approx: Vec<String>,
    /// Words making a figure an upper bound.
    pub upper: Vec<String>,
    /// Words making a figure a lower bound.
    pub lower: Vec<String>,
    /// Units written as symbols.
    pub symbols: Vec<String>,
    /// Words meaning percent.
    pub percent: Vec<String>,
    /// Words between an amount and its counted noun.
    pub links: Vec<String>,
    /// Words that are never a counted noun.
    pub not_units: Vec<String>,
    /// Time nouns that count as units.
    pub time_units: Vec<String>,
    /// Words standing for the previous figure's noun.
    pub anaphoric: Vec<String>,
    /// Glued ordinal suffixes.
    pub ordinal_suffixes: Vec<String>,
    /// Separators of a time of day.
    pub time_separators: Vec<String>,
}

/// A named part of a year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The words.
    pub phrase: String,
    /// First and last month.
    pub months: [u32; 2],
}

/// Month names, seasons, relative words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRules {
    /// Month names and abbreviations.
    pub months: BTreeMap<String, u32>,
    /// Weekday names, Monday = 1.
    pub weekdays: BTreeMap<String, u32>,
    /// Seasons, first and last month.
    pub seasons: BTreeMap<String, [u32; 2]>,
    /// Words that must precede a season.
    pub season_determiners: Vec<String>,
    /// Named parts of a year.
    pub periods: Vec<Period>,
    /// "au début de".
    pub beginning: Vec<String>,
    /// "à la mi-".
    pub middle: Vec<String>,
    /// "à la fin de".
    pub end: Vec<String>,
    /// "année".
    pub year_words: Vec<String>,
    /// "mois".
    pub month_words: Vec<String>,
    /// "semaine".
    pub week_words: Vec<String>,
    /// "dernier".
    pub last: Vec<String>,
    /// "prochain".
    pub next: Vec<String>,
    /// "cette".
    pub this: Vec<String>,
    /// "hier" = -1.
    pub deictic: BTreeMap<String, i64>,
    /// "il y a".
    pub ago: Vec<String>,
    /// Duration units in days.
    pub durations: BTreeMap<String, u32>,
    /// Bounds inside "il y a plus d'un an".
    pub ago_bounds: Vec<String>,
    /// Plausible years.
    pub years: [i32; 2],
}

/// The conditional mood and hedge cues.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HedgeRules {
    /// Conditional endings.
    pub endings: Vec<String>,
    /// What the stem before the ending's "r" ends with in a conditional.
    pub stems: Vec<String>,
    /// Stem endings that are not conditional even though a shorter one in `stems` is.
    pub not_stems: Vec<String>,
    /// Words that look conditional and are not.
    pub not_conditional: Vec<String>,
    /// Words that are conditional though the stem rule says no.
    pub is_conditional: Vec<String>,
    /// Hedge phrases.
    pub cues: Vec<String>,
}

/// Speakers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionRules {
    /// "selon", "d'après".
    pub prepositions: Vec<String>,
    /// Regular reporting verbs (infinitives).
    pub regular: Vec<String>,
    /// How the regular verbs inflect.
    pub inflection: Inflection,
    /// Other reporting verb forms.
    pub forms: Vec<String>,
    /// Adverbials around a subject.
    pub adverbials: Vec<String>,
    /// Words that end a speaker named after its verb.
    pub speaker_stops: Vec<String>,
    /// Pronouns pointing back to the last person.
    pub pronouns: Vec<String>,
    /// Auxiliaries ending a sentence-initial subject.
    pub auxiliaries: Vec<String>,
    /// Relative pronouns.
    pub relatives: Vec<String>,
    /// Words opening an introductory phrase before a subject.
    pub intro_words: Vec<String>,
    /// Nouns naming someone who can speak.
    pub speaker_nouns: Vec<String>,
    /// Words a speaker named after its verb may start with.
    pub speaker_determiners: Vec<String>,
    /// Conjunctions that join two speakers ("X et des Y").
    pub conjunctions: Vec<String>,
}

/// The inflection of a regular verb: endings that replace the infinitive's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inflection {
    /// The infinitive's ending ("er"); a verb without it gives no form.
    pub infinitive: String,
    /// Finite person-3 endings ("e", "ent", "ait").
    pub finite: Vec<String>,
    /// Present participle ending ("ant").
    pub present_participle: String,
    /// Past participle ending ("é").
    pub past_participle: String,
    /// Auxiliaries of the compound tenses ("a", "ont").
    pub perfect_auxiliaries: Vec<String>,
    /// The reflexive prefix ("s'"), kept on finite forms, with no compound tense.
    pub reflexive: String,
}

/// Proper-noun discovery.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRules {
    /// Capitalised words that are not names.
    pub function_words: Vec<String>,
    /// Capitalised common nouns that are not names alone.
    pub common_nouns: Vec<String>,
    /// Titles before a person's name.
    pub person_titles: Vec<String>,
    /// Nouns before a place name.
    pub place_nouns: Vec<String>,
    /// Particles inside names.
    pub particles: Vec<String>,
}

/// What makes a sentence a claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRules {
    /// Minimum words.
    pub min_words: usize,
    /// Opinion phrases.
    pub opinion: Vec<String>,
}

/// Hedge cues, number words and the like, for one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractRules {
    /// Figures.
    pub numbers: NumberRules,
    /// Dates.
    pub dates: DateRules,
    /// Hedging.
    pub hedges: HedgeRules,
    /// Speakers.
    pub attribution: AttributionRules,
    /// Names.
    pub names: NameRules,
    /// Claims.
    pub claims: ClaimRules,
    #[serde(skip)]
    pub(crate) lex: Lexicon,
}

/// Roles a lexicon phrase can play (bit flags: one phrase may play several).
pub(crate) mod role {
    pub const NUMBER: u64 = 1;
    pub const MULTIPLIER: u64 = 1 << 1;
    pub const ARTICLE: u64 = 1 << 2;
    pub const REF_DET: u64 = 1 << 3;
    pub const COLLECTIVE: u64 = 1 << 4;
    pub const VAGUE: u64 = 1 << 5;
    pub const BOUND: u64 = 1 << 6;
    pub const PERCENT: u64 = 1 << 7;
    pub const LINK: u64 = 1 << 8;
    pub const NOT_UNIT: u64 = 1 << 9;
    pub const ANAPHORIC: u64 = 1 << 10;
    pub const MONTH: u64 = 1 << 11;
    pub const WEEKDAY: u64 = 1 << 12;
    pub const SEASON: u64 = 1 << 13;
    pub const SEASON_DET: u64 = 1 << 14;
    pub const PERIOD: u64 = 1 << 15;
    pub const BEGIN: u64 = 1 << 16;
    pub const MIDDLE: u64 = 1 << 17;
    pub const END: u64 = 1 << 18;
    pub const YEAR_WORD: u64 = 1 << 19;
    pub const MONTH_WORD: u64 = 1 << 20;
    pub const WEEK_WORD: u64 = 1 << 21;
    pub const LAST: u64 = 1 << 22;
    pub const NEXT: u64 = 1 << 23;
    pub const THIS: u64 = 1 << 24;
    pub const DEICTIC: u64 = 1 << 25;
    pub const AGO: u64 = 1 << 26;
    pub const DURATION: u64 = 1 << 27;
    pub const AGO_BOUND: u64 = 1 << 28;
    pub const HEDGE: u64 = 1 << 29;
    pub const PREP: u64 = 1 << 30;
    pub const VERB: u64 = 1 << 31;
    pub const PARTICIPLE: u64 = 1 << 32;
    pub const ADVERBIAL: u64 = 1 << 33;
    pub const SPEAKER_STOP: u64 = 1 << 34;
    pub const PRONOUN: u64 = 1 << 35;
    pub const AUXILIARY: u64 = 1 << 36;
    pub const RELATIVE: u64 = 1 << 37;
    pub const FUNCTION: u64 = 1 << 38;
    pub const COMMON_NOUN: u64 = 1 << 39;
    pub const PERSON_TITLE: u64 = 1 << 40;
    pub const PLACE_NOUN: u64 = 1 << 41;
    pub const PARTICLE: u64 = 1 << 42;
    pub const OPINION: u64 = 1 << 43;
    pub const TIME_UNIT: u64 = 1 << 44;
    pub const INTRO: u64 = 1 << 45;
    /// A bare past participle of a reporting verb ("recensé"), a verb when an auxiliary
    /// comes shortly before it ("ont déjà recensé").
    pub const PAST_PARTICIPLE: u64 = 1 << 46;
    pub const SPEAKER_NOUN: u64 = 1 << 47;
    pub const SPEAKER_DET: u64 = 1 << 48;
    pub const CONJUNCTION: u64 = 1 << 49;
}

/// What the lexicon knows about one phrase.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    /// `role::*` bits.
    pub roles: u64,
    /// Number, collective, multiplier value; duration in days; deictic day offset.
    pub value: f64,
    /// Month or weekday number.
    pub ordinal: u32,
    /// First and last month of a season or period.
    pub months: [u32; 2],
    /// The bound a bound word gives.
    pub bound: Option<Bound>,
    /// Bytes of the leading preposition when a hedge cue also introduces a speaker
    /// ("selon certaines sources").
    pub prep_len: usize,
}

impl Entry {
    /// True when the phrase plays `r`.
    pub fn is(&self, r: u64) -> bool {
        self.roles & r != 0
    }
}

/// The compiled rules.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    /// Every phrase (lowercase, matched ASCII-case-insensitively), by its leading run of
    /// letters and digits in ASCII lowercase: the patterns starting with it, longest first.
    /// A phrase can only start at a word token and end at a token end, and a token never ends
    /// inside such a run, so a word's own run finds every phrase that can start there.
    pub heads: super::text::Heads,
    /// Every phrase, one per spelling.
    pub patterns: Vec<String>,
    /// Entry of each pattern.
    pub entries: Vec<Entry>,
    /// Unit symbols, lowercase, longest first.
    pub symbols: Vec<String>,
    /// Ordinal suffixes.
    pub ordinal_suffixes: Vec<String>,
    /// Time separators.
    pub time_separators: Vec<String>,
    /// Conditional endings.
    pub endings: Vec<String>,
    /// The last bytes of the endings, in both ASCII cases, as a bit set: most words end in
    /// none of them and are told apart in one test.
    pub ending_last: [u64; 4],
    /// Conditional stems, longest first.
    pub stems: Vec<(String, bool)>,
    /// Exceptions: word (lowercase) → is a conditional.
    pub conditional_exceptions: HashMap<String, bool>,
}

/// Spellings of a phrase the text may use: typographic apostrophe, capitalised first letter
/// (ASCII-case-insensitive matching does not fold "à" and "À").
fn variants(phrase: &str) -> Vec<String> {
    let lower = phrase.to_lowercase();
    let mut out = vec![lower.clone()];
    if lower.contains('\'') {
        out.push(lower.replace('\'', "’"));
    }
    let more: Vec<String> = out
        .iter()
        .filter_map(|v| {
            let mut chars = v.chars();
            let first = chars.next()?;
            (!first.is_ascii() && first.is_lowercase()).then(|| first.to_uppercase().chain(chars).collect())
        })
        .collect();
    out.extend(more);
    out
}

impl ExtractRules {
    /// Compile the rules once after loading; an error names what is wrong.
    pub fn prepare(&mut self) -> Result<(), String> {
        let mut table: BTreeMap<String, Entry> = BTreeMap::new();
        let mut add = |phrase: &str, f: &dyn Fn(&mut Entry)| {
            let p = phrase.trim();
            if p.is_empty() {
                return;
            }
            f(table.entry(p.to_lowercase()).or_default());
        };
        let n = &self.numbers;
        for (w, v) in &n.words {
            add(w, &|e| {
                e.roles |= role::NUMBER;
                e.value = *v;
            });
        }
        for w in &n.multipliers {
            if !n.words.contains_key(w) {
                return Err(format!("numbers.multipliers: `{w}` is not in numbers.words"));
            }
            add(w, &|e| e.roles |= role::MULTIPLIER);
        }
        for w in &n.articles {
            add(w, &|e| e.roles |= role::ARTICLE);
        }
        for w in &n.reference_determiners {
            add(w, &|e| e.roles |= role::REF_DET);
        }
        for (w, v) in &n.collectives {
            add(w, &|e| {
                e.roles |= role::COLLECTIVE;
                e.value = *v;
            });
        }
        for w in &n.vague {
            add(w, &|e| e.roles |= role::VAGUE);
        }
        for (list, b) in [(&n.approx, Bound::Approx), (&n.upper, Bound::Upper), (&n.lower, Bound::Lower)] {
            for w in list {
                add(w, &|e| {
                    e.roles |= role::BOUND;
                    e.bound = Some(b);
                });
            }
        }
        for w in &n.percent {
            add(w, &|e| e.roles |= role::PERCENT);
        }
        for w in &n.links {
            add(w, &|e| e.roles |= role::LINK);
        }
        for w in &n.not_units {
            add(w, &|e| e.roles |= role::NOT_UNIT);
        }
        for w in &n.time_units {
            add(w, &|e| e.roles |= role::TIME_UNIT);
        }
        for w in &n.anaphoric {
            add(w, &|e| e.roles |= role::ANAPHORIC);
        }
        let d = &self.dates;
        for (w, m) in &d.months {
            if !(1..=12).contains(m) {
                return Err(format!("dates.months: `{w}` = {m} is not a month"));
            }
            add(w, &|e| {
                e.roles |= role::MONTH;
                e.ordinal = *m;
            });
        }
        for (w, m) in &d.weekdays {
            add(w, &|e| {
                e.roles |= role::WEEKDAY;
                e.ordinal = *m;
            });
        }
        for (w, m) in &d.seasons {
            add(w, &|e| {
                e.roles |= role::SEASON;
                e.months = *m;
            });
        }
        for w in &d.season_determiners {
            add(w, &|e| e.roles |= role::SEASON_DET);
        }
        for p in &d.periods {
            add(&p.phrase, &|e| {
                e.roles |= role::PERIOD;
                e.months = p.months;
            });
        }
        let simple: [(&Vec<String>, u64); 11] = [
            (&d.beginning, role::BEGIN),
            (&d.middle, role::MIDDLE),
            (&d.end, role::END),
            (&d.year_words, role::YEAR_WORD),
            (&d.month_words, role::MONTH_WORD),
            (&d.week_words, role::WEEK_WORD),
            (&d.last, role::LAST),
            (&d.next, role::NEXT),
            (&d.this, role::THIS),
            (&d.ago, role::AGO),
            (&d.ago_bounds, role::AGO_BOUND),
        ];
        for (list, r) in simple {
            for w in list {
                add(w, &|e| e.roles |= r);
            }
        }
        for (w, v) in &d.deictic {
            add(w, &|e| {
                e.roles |= role::DEICTIC;
                e.value = *v as f64;
            });
        }
        for (w, v) in &d.durations {
            add(w, &|e| {
                e.roles |= role::DURATION;
                // Kept apart from `value`, which a number word ("an" is not one) may hold.
                e.ordinal = *v;
            });
        }
        let h = &self.hedges;
        for w in &h.cues {
            add(w, &|e| e.roles |= role::HEDGE);
        }
        let a = &self.attribution;
        for w in &a.prepositions {
            add(w, &|e| e.roles |= role::PREP);
        }
        // A hedge cue that starts with a speaker preposition names a speaker too.
        for w in &h.cues {
            let lw = w.to_lowercase();
            for p in &a.prepositions {
                let lp = p.to_lowercase();
                if lw.len() > lp.len() && lw.starts_with(&lp) && lw.as_bytes()[lp.len()] == b' ' {
                    add(w, &|e| {
                        e.roles |= role::PREP;
                        e.prep_len = lp.len();
                    });
                }
            }
        }
        for v in &a.regular {
            for (form, participle) in regular_forms(v, &a.inflection) {
                add(&form, &|e| e.roles |= if participle { role::VERB | role::PARTICIPLE } else { role::VERB });
            }
            let inf = &a.inflection;
            if let Some(stem) = v.strip_suffix(inf.infinitive.as_str()) {
                if inf.reflexive.is_empty() || !v.starts_with(inf.reflexive.as_str()) {
                    add(&format!("{stem}{}", inf.past_participle), &|e| e.roles |= role::PAST_PARTICIPLE);
                }
            }
        }
        for w in &a.forms {
            let participle = w.ends_with(a.inflection.present_participle.as_str());
            add(w, &|e| e.roles |= if participle { role::VERB | role::PARTICIPLE } else { role::VERB });
        }
        let more: [(&Vec<String>, u64); 9] = [
            (&a.conjunctions, role::CONJUNCTION),
            (&a.speaker_nouns, role::SPEAKER_NOUN),
            (&a.speaker_determiners, role::SPEAKER_DET),
            (&a.intro_words, role::INTRO),
            (&a.adverbials, role::ADVERBIAL),
            (&a.speaker_stops, role::SPEAKER_STOP),
            (&a.pronouns, role::PRONOUN),
            (&a.auxiliaries, role::AUXILIARY),
            (&a.relatives, role::RELATIVE),
        ];
        for (list, r) in more {
            for w in list {
                add(w, &|e| e.roles |= r);
            }
        }
        let m = &self.names;
        let names: [(&Vec<String>, u64); 5] = [
            (&m.function_words, role::FUNCTION),
            (&m.common_nouns, role::COMMON_NOUN),
            (&m.person_titles, role::PERSON_TITLE),
            (&m.place_nouns, role::PLACE_NOUN),
            (&m.particles, role::PARTICLE),
        ];
        for (list, r) in names {
            for w in list {
                add(w, &|e| e.roles |= r);
            }
        }
        for w in &self.claims.opinion {
            add(w, &|e| e.roles |= role::OPINION);
        }

        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        for (phrase, entry) in &table {
            for v in variants(phrase) {
                if seen.insert(v.clone()) {
                    patterns.push(v);
                    entries.push(*entry);
                }
            }
        }
        // Per word, the phrases that may start there, longest first (see `text::Scratch::load`).
        let mut by_head: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (k, p) in patterns.iter().enumerate() {
            let head = super::text::head(p);
            if !head.is_empty() {
                by_head.entry(head.to_ascii_lowercase()).or_default().push(k as u32);
            }
        }
        for list in by_head.values_mut() {
            list.sort_by_key(|&k| (std::cmp::Reverse(patterns[k as usize].len()), k));
        }
        let heads = super::text::Heads::new(by_head, &patterns);

        let mut symbols: Vec<String> = self.numbers.symbols.iter().map(|s| s.to_lowercase()).collect();
        symbols.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut stems: Vec<(String, bool)> = h.stems.iter().map(|s| (s.to_lowercase(), true)).collect();
        stems.extend(h.not_stems.iter().map(|s| (s.to_lowercase(), false)));
        stems.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        let mut conditional_exceptions = HashMap::new();
        for w in &h.not_conditional {
            conditional_exceptions.insert(w.to_lowercase(), false);
        }
        for w in &h.is_conditional {
            conditional_exceptions.insert(w.to_lowercase(), true);
        }
        self.lex = Lexicon {
            heads,
            patterns,
            entries,
            symbols,
            ordinal_suffixes: self.numbers.ordinal_suffixes.iter().map(|s| s.to_lowercase()).collect(),
            time_separators: self.numbers.time_separators.iter().map(|s| s.to_lowercase()).collect(),
            endings: h.endings.iter().map(|s| s.to_lowercase()).collect(),
            ending_last: {
                let mut set = [0u64; 4];
                for e in &h.endings {
                    match e.to_lowercase().as_bytes().last() {
                        Some(&b) => {
                            for b in [b, b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                                set[b as usize / 64] |= 1 << (b % 64);
                            }
                        }
                        // An empty ending ends every word.
                        None => set = [u64::MAX; 4],
                    }
                }
                set
            },
            stems,
            conditional_exceptions,
        };
        Ok(())
    }

    /// The month a word names (`juin` → 6), for the byline reader.
    pub fn month(&self, word: &str) -> Option<u32> {
        let w = word.to_lowercase();
        self.dates.months.get(&w).copied().or_else(|| self.dates.months.get(&w.replace('’', "'")).copied())
    }
}

/// The forms of a regular verb, each with a flag for the present participle; a verb whose
/// infinitive does not have the regular ending gives nothing (its forms belong in `forms`).
fn regular_forms(infinitive: &str, inf: &Inflection) -> Vec<(String, bool)> {
    let (reflexive, verb) = match infinitive.strip_prefix(inf.reflexive.as_str()).filter(|_| !inf.reflexive.is_empty())
    {
        Some(v) => (inf.reflexive.as_str(), v),
        None => ("", infinitive),
    };
    let Some(stem) = verb.strip_suffix(inf.infinitive.as_str()) else {
        return Vec::new();
    };
    let mut out: Vec<(String, bool)> = inf.finite.iter().map(|e| (format!("{reflexive}{stem}{e}"), false)).collect();
    out.push((format!("{reflexive}{stem}{}", inf.present_participle), true));
    if reflexive.is_empty() {
        for aux in &inf.perfect_auxiliaries {
            out.push((format!("{aux} {stem}{}", inf.past_participle), false));
        }
    }
    out
}
