//! What the cross-check reads of each reported claim, computed once: its content stems, its
//! figures with their measure class, interval and nearby cues, its origin (who the claim
//! rests on) and its source's publication date.

use super::rules::{normalize, stem, words, CrosscheckRules, CueLists, Cues};
use crate::annotate::ClaimRecord;
use crate::extract::{Attribution, Bound, DateMention, Quantity};
use crate::lang::Language;
use crate::report::Document;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Borrow;

/// Relative margin of a figure stated as exact (rounding in the source).
const EXACT_MARGIN: f64 = 0.05;
/// Relative margin of a figure stated as approximate ("environ").
const APPROX_MARGIN: f64 = 0.2;
/// Words before and after a figure read as its context.
const WINDOW_BEFORE: usize = 4;
const WINDOW_AFTER: usize = 6;

/// One figure of a claim, ready to compare.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Index in the claim's quantities.
    pub index: usize,
    /// The measure class (or the counted noun's stem when no class lists it).
    pub measure: String,
    /// The counted noun as written.
    pub unit: String,
    /// The amount (NaN when the figure has none).
    pub value: f64,
    /// Lowest and highest amount compatible with the figure and its bound; `None` when vague.
    pub interval: Option<(f64, f64)>,
    /// True when stated as exact or approximate (a point that can corroborate another).
    pub point: bool,
    /// "2 500 autres": added to another figure, not a total.
    pub increment: bool,
    /// Said of something still to come.
    pub prospective: bool,
    /// Stems (ids in the [`Lexicon`]) of the words around the figure, sorted and unique.
    pub context: Vec<u32>,
}

/// What the cross-check reads of one reported claim by itself, whatever the other claims:
/// owned, so that a [`Readings`] can keep it from one run to the next. Stem ids are those of
/// the [`Lexicon`] of the run that last used it.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The quote, normalised (lowercase, straight apostrophes).
    pub text: String,
    /// Content stems (no stopwords, no numbers) as ids in the [`Lexicon`], sorted and unique.
    pub stems: Vec<u32>,
    /// Pairs of consecutive content stems ("défens mutuel"), sorted and unique: phrases say
    /// more than words about whether two claims state the same thing.
    pub phrases: Vec<(u32, u32)>,
    /// Surface words by stem, for labels: (stem, start, end) of each content word of `text`,
    /// sorted by stem then word, one per distinct pair.
    pub surface: Vec<(u32, u32, u32)>,
    /// The origin as named for a reader.
    pub origin_label: String,
    /// Who the claim rests on (an entity, a named speaker, or the outlet itself), as a number
    /// ([`Readings`] numbers them): the same number, the same origin.
    pub origin_id: u32,
    /// Figures with a counted noun.
    pub figures: Vec<Figure>,
    /// Each date of the claim: the months it covers (when resolved), and whether it is
    /// written as relative to the publication ("last June").
    pub dates: Vec<(Option<(i32, i32)>, bool)>,
    /// The cue lists of [`Reader::text_cues`] its text holds, sorted.
    held: Vec<usize>,
}

impl Reading {
    /// The months the claim's first resolved date covers, if it has one.
    pub fn dated(&self) -> Option<(i32, i32)> {
        self.dates.iter().find_map(|d| d.0)
    }

    /// True when the text holds a prospective cue.
    pub fn prospective(&self) -> bool {
        self.held.binary_search(&PROSPECTIVE).is_ok()
    }

    /// True when the text holds an `affirm` cue of the opposite-statement pair `pair`.
    pub fn affirms(&self, pair: usize) -> bool {
        self.held.binary_search(&(CONFLICTS + 2 * pair)).is_ok()
    }

    /// True when the text holds a `deny` cue of the opposite-statement pair `pair`.
    pub fn denies(&self, pair: usize) -> bool {
        self.held.binary_search(&(CONFLICTS + 2 * pair + 1)).is_ok()
    }

    /// The surface form of one of its words.
    pub fn word(&self, (_, start, end): (u32, u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }

    /// True when it has the terms of `other` (read with the same lexicon): stems, phrases,
    /// surface words, figures' measures and units; what automatic topics and the search for
    /// the same statement in other words read.
    fn same_terms(&self, other: &Reading) -> bool {
        let figure = |a: &Figure, b: &Figure| a.measure == b.measure && a.unit == b.unit;
        self.stems == other.stems
            && self.phrases == other.phrases
            && self.surface.len() == other.surface.len()
            && self.surface.iter().zip(&other.surface).all(|(&a, &b)| a.0 == b.0 && self.word(a) == other.word(b))
            && self.figures.len() == other.figures.len()
            && self.figures.iter().zip(&other.figures).all(|(a, b)| figure(a, b))
    }

    /// Its stem ids passed through `map` (old id to new id, increasing, so every sorted list
    /// stays sorted).
    fn remap(&mut self, map: &[u32]) {
        let id = |s: &mut u32| *s = map[*s as usize];
        self.stems.iter_mut().for_each(id);
        self.phrases.iter_mut().for_each(|(a, b)| {
            id(a);
            id(b);
        });
        self.surface.iter_mut().for_each(|(s, _, _)| id(s));
        for f in &mut self.figures {
            f.context.iter_mut().for_each(id);
        }
    }
}

/// A reported claim as the cross-check sees it: its record and document, and its
/// [`Reading`] (whose fields it shows as its own).
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// Index of its document.
    pub doc: usize,
    /// The record.
    pub record: &'a ClaimRecord,
    /// Its source's id.
    pub source: &'a str,
    /// The source as named for a reader: its outlet, else its id.
    pub source_name: &'a str,
    /// That name as a number: the same name, the same number.
    pub name_id: u32,
    /// Its source's publication date.
    pub published: Option<NaiveDate>,
    /// The origin as a number: claims with the same origin have the same.
    pub origin_id: u32,
    reading: &'a Reading,
}

impl std::ops::Deref for Claim<'_> {
    type Target = Reading;

    fn deref(&self) -> &Reading {
        self.reading
    }
}

/// Every stem of every word of the claims, each once: claims hold stem ids, positions in the
/// sorted list, so that ids sort as their stems do.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// The stems, sorted.
    pub stems: Vec<String>,
    ids: FxHashMap<String, u32>,
}

impl Lexicon {
    /// The id of a stem, if some word of the claims has it.
    pub fn id(&self, stem: &str) -> Option<u32> {
        self.ids.get(stem).copied()
    }

    /// The stem of an id.
    pub fn stem(&self, id: u32) -> &str {
        &self.stems[id as usize]
    }

    /// The lexicon of the stems marked in `keep` (by id) and of `added` (sorted, unique, none
    /// already here), in place; returns the new id of each old id, `u32::MAX` for those
    /// dropped, or `None` when no id changed.
    fn update(&mut self, keep: &[bool], added: Vec<String>) -> Option<Vec<u32>> {
        if added.is_empty() && keep.iter().all(|&k| k) {
            return None;
        }
        let old = std::mem::take(&mut self.stems);
        let mut map = vec![u32::MAX; old.len()];
        let mut stems = Vec::with_capacity(old.len() + added.len());
        // Where the added stems go.
        let mut at = Vec::with_capacity(added.len());
        let mut added = added.into_iter().peekable();
        for (i, s) in old.into_iter().enumerate() {
            if !keep[i] {
                continue;
            }
            while let Some(a) = added.next_if(|a| *a < s) {
                at.push(stems.len());
                stems.push(a);
            }
            map[i] = stems.len() as u32;
            stems.push(s);
        }
        for a in added {
            at.push(stems.len());
            stems.push(a);
        }
        self.ids.retain(|_, id| keep[*id as usize]);
        self.ids.values_mut().for_each(|id| *id = map[*id as usize]);
        self.ids.extend(at.into_iter().map(|i| (stems[i].clone(), i as u32)));
        self.stems = stems;
        Some(map)
    }
}

/// Positions in [`Reader::text_cues`] of the cue lists looked for in whole claims: the
/// prospective cues, the increment cues, then the affirm and deny cues of each
/// opposite-statement pair.
const PROSPECTIVE: usize = 0;
const INCREMENT: usize = 1;
const CONFLICTS: usize = 2;

/// Reads claims with one language's stemmer and stopwords, and holds the language's cue lists
/// compiled for matching.
pub struct Reader<'l> {
    /// The language's code: readings made in another language are not reused.
    code: &'l str,
    stemmer: rust_stemmers::Stemmer,
    rules: &'l CrosscheckRules,
    compiled: &'l Compiled,
}

/// What a [`Reader`] compiles of a language's rules: made once per language loaded (see
/// [`Language::reading`]), as `factsite serve` runs the cross-check on every save.
#[derive(Debug)]
pub struct Compiled {
    stopwords: FxHashSet<String>,
    /// Increment cues.
    increment: Cues,
    /// Past relative cues.
    past_relative: Cues,
    /// The affirm and deny cues of each opposite-statement pair, in the rules' order.
    conflicts: Vec<(Cues, Cues)>,
    /// Every cue list looked for in a whole claim, in one automaton (see [`PROSPECTIVE`]).
    text_cues: CueLists,
}

impl Compiled {
    /// The stopwords and cue lists of `lang`, compiled.
    pub fn new(lang: &Language) -> Compiled {
        let rules = &lang.crosscheck;
        let mut lists: Vec<&[String]> = vec![&rules.prospective_cues, &rules.increment_cues];
        for c in &rules.conflicts {
            lists.push(&c.affirm);
            lists.push(&c.deny);
        }
        Compiled {
            stopwords: lang.stopwords.iter().map(|w| normalize(w)).collect(),
            increment: Cues::new(&rules.increment_cues),
            past_relative: Cues::new(&rules.past_relative_cues),
            conflicts: rules.conflicts.iter().map(|c| (Cues::new(&c.affirm), Cues::new(&c.deny))).collect(),
            text_cues: CueLists::new(&lists),
        }
    }
}

/// Stems already computed, by word.
type StemCache = FxHashMap<String, String>;

/// A claim read but for its stems: its words are stemmed once per distinct word of the
/// documents read (news prose repeats its words, and stemming is most of the cost of reading).
struct Draft {
    reading: Reading,
    /// Who the claim rests on, until [`Readings`] numbers it (the reading keeps the number).
    origin: String,
    /// Every word of the text: (start, end).
    words: Vec<(u32, u32)>,
    /// The words around each figure: a range of `words`.
    contexts: Vec<(usize, usize)>,
}

impl<'l> Reader<'l> {
    /// A reader for `lang`.
    pub fn new(lang: &'l Language) -> Reader<'l> {
        Reader {
            code: &lang.code,
            stemmer: rust_stemmers::Stemmer::create(lang.stemmer),
            rules: &lang.crosscheck,
            compiled: lang.reading(),
        }
    }

    /// The affirm and deny cues of each opposite-statement pair, in the rules' order.
    pub fn conflicts(&self) -> &[(Cues, Cues)] {
        &self.compiled.conflicts
    }

    /// The stemmer.
    pub fn stemmer(&self) -> &rust_stemmers::Stemmer {
        &self.stemmer
    }

    /// Content words of a normalised text: (offset, word, stem), stopwords and numbers left out.
    pub fn content_words<'t>(&self, text: &'t str) -> Vec<(usize, &'t str, String)> {
        self.content_words_cached(text, &mut StemCache::default())
    }

    fn content_words_cached<'t>(&self, text: &'t str, cache: &mut StemCache) -> Vec<(usize, &'t str, String)> {
        words(text)
            .into_iter()
            .filter(|(_, w)| self.is_content(w))
            .map(|(i, w)| (i, w, self.stem_cached(w, cache)))
            .collect()
    }

    /// Content words: more than one letter, not a number, not a stopword.
    fn is_content(&self, w: &str) -> bool {
        w.chars().nth(1).is_some() && !w.chars().all(|c| c.is_ascii_digit()) && !self.compiled.stopwords.contains(w)
    }

    fn stem_cached(&self, word: &str, cache: &mut StemCache) -> String {
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        let s = stem(&self.stemmer, word);
        cache.insert(word.to_string(), s.clone());
        s
    }

    /// The claims of one document read but for their stems, and what their reading depends on
    /// (without `keep`, not the claims' fields: the reading is not to be reused).
    fn draft_doc(&self, doc: &Document, keep: bool, cache: &mut StemCache) -> (Inputs, Vec<Draft>) {
        let inputs = Inputs::of(doc, keep);
        let drafts = doc.reported_claims().map(|r| self.draft(r, &doc.source.id, &inputs.source_name, cache)).collect();
        (inputs, drafts)
    }

    fn draft(&self, record: &ClaimRecord, source_id: &str, source_name: &str, cache: &mut StemCache) -> Draft {
        let text = normalize(&record.quote);
        let all = words(&text);
        // One scan for every cue list: which the claim holds, and where the ones read near
        // figures are.
        let mut held = Vec::new();
        let mut near: Vec<(usize, usize, usize)> = Vec::new();
        self.compiled.text_cues.scan(&text, |list, _, start, end| {
            if let Err(at) = held.binary_search(&list) {
                held.insert(at, list);
            }
            if list == PROSPECTIVE || list == INCREMENT {
                near.push((list, start, end));
            }
        });
        let mut contexts = Vec::new();
        let figures = record
            .quantities
            .iter()
            .enumerate()
            .filter_map(|(i, q)| {
                let (figure, context) = self.figure(i, q, &text, &all, &near, cache)?;
                contexts.push(context);
                Some(figure)
            })
            .collect();
        let (origin, origin_label) = self.origin(record, source_id, source_name, cache);
        let words = all.iter().map(|&(i, w)| (i as u32, (i + w.len()) as u32)).collect();
        let reading = Reading {
            text,
            stems: Vec::new(),
            phrases: Vec::new(),
            surface: Vec::new(),
            origin_label,
            origin_id: 0,
            figures,
            dates: record
                .dates
                .iter()
                .map(|d| (super::dates::months(d), self.compiled.past_relative.any(&normalize(&d.text))))
                .collect(),
            held,
        };
        Draft { reading, origin, words, contexts }
    }

    /// A figure, and the range of the words around it.
    fn figure(
        &self,
        index: usize,
        q: &crate::extract::Quantity,
        text: &str,
        all: &[(usize, &str)],
        near: &[(usize, usize, usize)],
        cache: &mut StemCache,
    ) -> Option<(Figure, (usize, usize))> {
        let unit = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty())?;
        let unit_norm = normalize(unit);
        let unit_stem = words(&unit_norm).first().map(|(_, w)| self.stem_cached(w, cache))?;
        let measure = self.rules.measure_class(&unit_stem).map(str::to_string).unwrap_or(unit_stem);
        // The figure's context: a few words either side of where it is written.
        let qt = normalize(&q.text);
        let (start, end) = match text.find(&qt) {
            Some(s) => (s, s + qt.len()),
            None => (0, text.len()),
        };
        let first = all.iter().position(|(i, _)| *i >= start).unwrap_or(all.len());
        let last = all.iter().rposition(|(i, w)| i + w.len() <= end).map_or(first, |p| p + 1);
        let lo = first.saturating_sub(WINDOW_BEFORE);
        let hi = (last + WINDOW_AFTER).min(all.len());
        // The cues found in the whole text that lie inside the window: the window begins and
        // ends at word boundaries, so they are the cues the window alone holds.
        let window = match (all.get(lo), all.get(hi.max(1) - 1)) {
            (Some((a, _)), Some((b, w))) if a <= b => Some((*a, b + w.len())),
            _ => None,
        };
        let inside =
            |list: usize| window.is_some_and(|(a, b)| near.iter().any(|&(l, s, e)| l == list && s >= a && e <= b));
        let interval = q.value.filter(|v| v.is_finite()).and_then(|v| match q.bound {
            Bound::Exact => Some((v * (1.0 - EXACT_MARGIN), v * (1.0 + EXACT_MARGIN))),
            Bound::Approx => Some((v * (1.0 - APPROX_MARGIN), v * (1.0 + APPROX_MARGIN))),
            Bound::Upper => Some((0.0, v)),
            Bound::Lower => Some((v, f64::INFINITY)),
            Bound::Vague => None,
        });
        let figure = Figure {
            index,
            value: q.value.unwrap_or(f64::NAN),
            measure,
            unit: unit.to_string(),
            point: interval.is_some() && matches!(q.bound, Bound::Exact | Bound::Approx),
            interval,
            increment: inside(INCREMENT) || self.compiled.increment.any(&qt),
            prospective: inside(PROSPECTIVE),
            context: Vec::new(),
        };
        Some((figure, (lo, hi)))
    }

    /// The origin key and label: the attribution's entity, else its content words unless they
    /// are only generic ("selon des rapports"), else the source itself.
    fn origin(
        &self,
        record: &ClaimRecord,
        source_id: &str,
        source_name: &str,
        cache: &mut StemCache,
    ) -> (String, String) {
        if let Some(a) = &record.attribution {
            if let Some(e) = &a.entity {
                return (format!("entity:{e}"), a.text.clone());
            }
            let norm = normalize(&a.text);
            let mut stems: Vec<String> = self
                .content_words_cached(&norm, cache)
                .into_iter()
                .filter(|(_, w, _)| !self.rules.generic_speakers.iter().any(|g| g == w))
                .map(|(_, _, s)| s)
                .collect();
            stems.sort();
            stems.dedup();
            if !stems.is_empty() {
                return (format!("speaker:{}", stems.join(" ")), a.text.clone());
            }
        }
        (format!("source:{source_id}"), source_name.to_string())
    }
}

/// A draft with its stems (`ids`: the stem of each of its words, and whether it is a content
/// word): content stems, phrases, surface words and figure contexts.
fn finish(d: Draft, ids: Vec<(u32, bool)>) -> Reading {
    let Draft { mut reading, words, contexts, .. } = d;
    let content: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].1).collect();
    let ids: Vec<u32> = ids.into_iter().map(|(id, _)| id).collect();
    let text = &reading.text;
    let word = |(s, e): (u32, u32)| &text[s as usize..e as usize];
    let mut stems: Vec<u32> = content.iter().map(|&i| ids[i]).collect();
    stems.sort_unstable();
    stems.dedup();
    let mut phrases: Vec<(u32, u32)> = content.windows(2).map(|w| (ids[w[0]], ids[w[1]])).collect();
    phrases.sort_unstable();
    phrases.dedup();
    let mut surface: Vec<(u32, u32, u32)> = content.iter().map(|&i| (ids[i], words[i].0, words[i].1)).collect();
    surface.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| word((a.1, a.2)).cmp(word((b.1, b.2)))));
    surface.dedup_by(|a, b| a.0 == b.0 && word((a.1, a.2)) == word((b.1, b.2)));
    for (f, (lo, hi)) in reading.figures.iter_mut().zip(contexts) {
        f.context = ids[lo..hi].to_vec();
        f.context.sort_unstable();
        f.context.dedup();
        f.context.shrink_to_fit();
    }
    // (Without room to spare: an archive's readings number hundreds of thousands.)
    stems.shrink_to_fit();
    phrases.shrink_to_fit();
    surface.shrink_to_fit();
    reading.figures.shrink_to_fit();
    reading.stems = stems;
    reading.phrases = phrases;
    reading.surface = surface;
    reading
}

/// What reading a document depends on, kept with its reading to tell whether it still holds.
#[derive(Debug)]
struct Inputs {
    /// The source's id.
    source: String,
    /// The source as named for a reader.
    source_name: String,
    /// Its publication date.
    published: Option<NaiveDate>,
    /// Its reported claims, in order.
    claims: Vec<ClaimInputs>,
}

/// The fields of a claim's record that reading it reads (the others are read from the record
/// on every run).
#[derive(Debug)]
struct ClaimInputs {
    /// (Shared with the record.)
    quote: arcstr::Substr,
    quantities: Vec<Quantity>,
    attribution: Option<Attribution>,
    /// Read with the reading by the topics (see [`TermsKey`]).
    entities: Vec<String>,
    dates: Vec<DateMention>,
}

impl ClaimInputs {
    fn of(record: &ClaimRecord) -> ClaimInputs {
        ClaimInputs {
            quote: record.quote.clone(),
            quantities: record.quantities.clone(),
            attribution: record.attribution.clone(),
            entities: record.entities.clone(),
            dates: record.dates.clone(),
        }
    }

    fn matches(&self, record: &ClaimRecord) -> bool {
        self.quote == record.quote
            && self.quantities == record.quantities
            && self.attribution == record.attribution
            && self.entities == record.entities
            && self.dates == record.dates
    }
}

impl Inputs {
    fn of(doc: &Document, keep: bool) -> Inputs {
        Inputs {
            source: doc.source.id.clone(),
            source_name: source_name(doc),
            published: published(doc),
            claims: if keep { doc.reported_claims().map(ClaimInputs::of).collect() } else { Vec::new() },
        }
    }

    /// True when reading `doc` would read what these inputs say.
    fn matches(&self, doc: &Document) -> bool {
        let mut reported = doc.reported_claims();
        self.source == doc.source.id
            && self.published == published(doc)
            && self.source_name == source_name(doc)
            && self.claims.iter().all(|c| reported.next().is_some_and(|r| c.matches(r)))
            && reported.next().is_none()
    }
}

/// One document read.
#[derive(Debug)]
struct DocReading {
    /// What the reading depends on.
    inputs: Inputs,
    /// One reading per reported claim, in order.
    claims: Vec<Reading>,
    /// The ids of the stems of every word of its claims, sorted and unique: what it brings to
    /// the lexicon.
    stems: Vec<u32>,
    /// Its terms' number (see [`TermsKey`]).
    terms: u64,
    /// The number of its source's name (see [`Claim::name_id`]).
    name_id: u32,
}

impl DocReading {
    /// True when its claims have the terms and entities of `other`'s, in order.
    fn same_terms(&self, other: &DocReading) -> bool {
        self.claims.len() == other.claims.len()
            && self.claims.iter().zip(&other.claims).all(|(a, b)| a.same_terms(b))
            && self.inputs.claims.iter().zip(&other.inputs.claims).all(|(a, b)| a.entities == b.entities)
    }

    fn remap(&mut self, map: &[u32]) {
        self.claims.iter_mut().for_each(|c| c.remap(map));
        self.stems.iter_mut().for_each(|s| *s = map[*s as usize]);
    }
}

/// The readings of the documents of the last run and their lexicon, kept from run to run so
/// that only the documents whose claims changed are read again. Each reading depends on its
/// document alone; what depends on every document (the lexicon's ids, the origins' numbers) is
/// brought up to date by [`Readings::update`] and [`Readings::claims`], so that the claims are
/// the same as if every document had been read afresh.
#[derive(Debug, Default)]
pub struct Readings {
    /// The code of the language they were read in.
    lang: String,
    /// One per document of the last run, in its order.
    docs: Vec<DocReading>,
    /// The stems of every word of their claims.
    lexicon: Lexicon,
    /// Numbers given so far to documents' terms: never reused, not even after a change of
    /// language.
    numbered: u64,
    /// Keep no copy of the claims' inputs: no reading is reused (see
    /// [`super::CrosscheckCache::one_shot`]).
    forgetful: bool,
    /// The documents of the next update that are those of the last one, at the same places
    /// (see [`super::CrosscheckCache::vouch`]).
    vouched: Vec<bool>,
    /// Those of the last update (empty when none was vouched for).
    unchanged: Vec<bool>,
    /// The number of each origin read so far (never reused while the language stays).
    origins: FxHashMap<String, u32>,
    /// The number of each source's name read so far (likewise).
    names: FxHashMap<String, u32>,
}

/// What grouping claims into topics and finding similar claims read of the claims' readings,
/// as numbers: per document, in order, one its terms keep while they stay the same (its
/// number of claims, and their stems and phrases as strings, surface words, figures' measures
/// and units, entities), even when it is read again (a figure's value changed, say) or the
/// lexicon renumbered. Equal keys, equal terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TermsKey {
    docs: Vec<u64>,
}

impl Readings {
    /// Readings for one run, which keep no copy of their inputs.
    pub fn forgetful() -> Readings {
        Readings { forgetful: true, ..Readings::default() }
    }

    /// Read `docs`: keep the readings whose inputs did not change, read the other documents
    /// (in parallel, each distinct new word stemmed once), and renumber the kept stem ids when
    /// the lexicon gains or loses stems.
    pub fn update<D: Borrow<Document> + Sync>(&mut self, reader: &Reader, docs: &[D]) {
        if self.lang != reader.code {
            *self = Readings {
                lang: reader.code.to_string(),
                numbered: self.numbered,
                forgetful: self.forgetful,
                ..Readings::default()
            };
        }
        let old = std::mem::take(&mut self.docs);
        let vouched = std::mem::take(&mut self.vouched);
        let vouched = if vouched.len() == docs.len() && old.len() == docs.len() { vouched } else { Vec::new() };
        let (found, before) = still_right(&old, docs, &vouched);
        // (A reading serves one document: one vouched for keeps its own.)
        self.unchanged = vouched.iter().zip(&found).enumerate().map(|(d, (&v, &j))| v && j == Some(d)).collect();
        let mut old: Vec<Option<DocReading>> = old.into_iter().map(Some).collect();
        let mut kept: Vec<Option<DocReading>> = found.iter().map(|j| j.and_then(|j| old[j].take())).collect();
        let fresh: Vec<usize> = (0..docs.len()).filter(|&d| kept[d].is_none()).collect();
        // The last reading of each document read again, to tell whether its terms changed.
        let mut previous: Vec<Option<DocReading>> =
            fresh.iter().map(|&d| before[d].and_then(|j| old[j].take())).collect();
        drop(old);
        let keep = !self.forgetful;
        let drafts: Vec<(Inputs, Vec<Draft>)> = fresh
            .par_iter()
            .map_init(StemCache::default, |cache, &d| reader.draft_doc(docs[d].borrow(), keep, cache))
            .collect();

        // Every distinct new word, its stem, and whether it is a content word.
        let distinct: FxHashSet<&str> = drafts
            .par_iter()
            .fold(FxHashSet::default, |mut set, (_, drafts)| {
                for d in drafts {
                    set.extend(d.words.iter().map(|&(s, e)| &d.reading.text[s as usize..e as usize]));
                }
                set
            })
            .reduce(FxHashSet::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                a.extend(b);
                a
            });
        let distinct: Vec<&str> = distinct.into_iter().collect();
        let stemmed: Vec<String> = distinct.par_iter().map(|w| stem(&reader.stemmer, w)).collect();
        let content: Vec<bool> = distinct.par_iter().map(|w| reader.is_content(w)).collect();

        // The lexicon: the stems the kept readings use, and the new ones.
        let mut keep = vec![false; self.lexicon.stems.len()];
        for r in kept.iter().flatten() {
            for &s in &r.stems {
                keep[s as usize] = true;
            }
        }
        let mut added: Vec<String> = Vec::new();
        for s in &stemmed {
            match self.lexicon.id(s) {
                Some(id) => keep[id as usize] = true,
                None => added.push(s.clone()),
            }
        }
        added.par_sort_unstable();
        added.dedup();
        if let Some(map) = self.lexicon.update(&keep, added) {
            kept.par_iter_mut().chain(previous.par_iter_mut()).flatten().for_each(|r| r.remap(&map));
        }

        let word_ids: FxHashMap<&str, (u32, bool)> =
            distinct.iter().zip(&stemmed).zip(&content).map(|((w, s), c)| (*w, (self.lexicon.ids[s], *c))).collect();
        let ids: Vec<Vec<Vec<(u32, bool)>>> = drafts
            .par_iter()
            .map(|(_, drafts)| {
                drafts
                    .iter()
                    .map(|d| d.words.iter().map(|&(s, e)| word_ids[&d.reading.text[s as usize..e as usize]]).collect())
                    .collect()
            })
            .collect();
        drop(word_ids);
        drop(distinct);
        let read: Vec<(DocReading, Vec<String>)> = drafts
            .into_par_iter()
            .zip(ids)
            .map(|((inputs, drafts), ids)| {
                let mut stems: Vec<u32> = ids.iter().flatten().map(|&(id, _)| id).collect();
                stems.sort_unstable();
                stems.dedup();
                // (Not collected in place: the drafts' room, twice a reading's, would stay
                // with the readings as long as they are kept.)
                stems.shrink_to_fit();
                let mut claims = Vec::with_capacity(drafts.len());
                let mut origins = Vec::with_capacity(drafts.len());
                claims.extend(drafts.into_iter().zip(ids).map(|(mut d, ids)| {
                    origins.push(std::mem::take(&mut d.origin));
                    finish(d, ids)
                }));
                (DocReading { inputs, claims, stems, terms: 0, name_id: 0 }, origins)
            })
            .collect();
        for ((d, (mut r, origins)), previous) in fresh.into_iter().zip(read).zip(previous) {
            // Origins are compared for every pair of claims found to agree or disagree: as
            // numbers, given as documents are read, and kept with their readings (not their
            // names).
            for (c, origin) in r.claims.iter_mut().zip(origins) {
                let next = self.origins.len() as u32;
                c.origin_id = match self.origins.get(origin.as_str()) {
                    Some(&n) => n,
                    None => *self.origins.entry(origin).or_insert(next),
                };
            }
            // Names are gathered without duplicates in findings' sentences: as numbers too.
            let next = self.names.len() as u32;
            r.name_id = *self.names.entry(r.inputs.source_name.clone()).or_insert(next);
            // A document read again keeps its terms' number when its terms did not change
            // (its last reading is in the new lexicon's ids: a stem gone is `u32::MAX`).
            r.terms = match previous.filter(|p| r.same_terms(p)) {
                Some(p) => p.terms,
                None => {
                    self.numbered += 1;
                    self.numbered
                }
            };
            kept[d] = Some(r);
        }
        self.docs = kept.into_iter().flatten().collect();
    }

    /// See [`super::CrosscheckCache::vouch`].
    pub fn vouch(&mut self, unchanged: Vec<bool>) {
        self.vouched = unchanged;
    }

    /// The documents of the last update vouched for as those of the one before, at the same
    /// places (see [`super::CrosscheckCache::vouch`]): one flag per document, or none.
    pub fn unchanged(&self) -> &[bool] {
        &self.unchanged
    }

    /// True when the readings are for one run only ([`Readings::forgetful`]).
    pub fn is_forgetful(&self) -> bool {
        self.forgetful
    }

    /// Forget the readings when they are for one run only ([`Readings::forgetful`]): the run
    /// is done with them.
    pub fn release(&mut self) {
        if self.forgetful {
            self.docs = Vec::new();
            self.lexicon = Lexicon::default();
            self.origins = FxHashMap::default();
            self.names = FxHashMap::default();
        }
    }

    /// The numbers of the terms of the claims, for [`super::topics::group`].
    pub fn terms_key(&self) -> TermsKey {
        TermsKey { docs: self.docs.iter().map(|r| r.terms).collect() }
    }

    /// Every reported claim of `docs` (the documents of the last [`Readings::update`]), in
    /// source then text order, and the lexicon of their stems.
    pub fn claims<'a, D: Borrow<Document> + Sync>(&'a self, docs: &'a [D]) -> (Vec<Claim<'a>>, &'a Lexicon) {
        debug_assert_eq!(docs.len(), self.docs.len(), "read these documents first");
        // (In parallel: every document of an archive is visited, on every rebuild.)
        let claims = docs
            .par_iter()
            .zip(&self.docs)
            .enumerate()
            .flat_map_iter(|(d, (doc, read))| {
                let doc: &Document = doc.borrow();
                doc.reported_claims().zip(&read.claims).map(move |(record, reading)| Claim {
                    doc: d,
                    record,
                    source: &doc.source.id,
                    source_name: &read.inputs.source_name,
                    name_id: read.name_id,
                    published: read.inputs.published,
                    origin_id: reading.origin_id,
                    reading,
                })
            })
            .collect();
        (claims, &self.lexicon)
    }
}

/// For each document, the index in `old` of its reading when that reading still holds; and
/// of its last reading whatever it holds.
fn still_right<D: Borrow<Document> + Sync>(
    old: &[DocReading],
    docs: &[D],
    vouched: &[bool],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    // Documents mostly keep their places: look one up by id only when the reading in its
    // place is another document's.
    let docs: Vec<&Document> = docs.iter().map(Borrow::borrow).collect();
    // A document vouched for is the one read at its place, without its id being read.
    let vouched_at = |d: usize| vouched.get(d) == Some(&true);
    let at_place =
        |d: usize, doc: &Document| vouched_at(d) || old.get(d).is_some_and(|r| r.inputs.source == doc.source.id);
    let by_id: FxHashMap<&str, usize> = if docs.iter().enumerate().all(|(d, doc)| at_place(d, doc)) {
        FxHashMap::default()
    } else {
        old.iter().enumerate().map(|(i, r)| (r.inputs.source.as_str(), i)).collect()
    };
    let before: Vec<Option<usize>> = docs
        .par_iter()
        .enumerate()
        .map(|(d, doc)| if at_place(d, doc) { Some(d) } else { by_id.get(doc.source.id.as_str()).copied() })
        .collect();
    // A document vouched for at its place holds what its reading read; the others are compared.
    let mut found: Vec<Option<usize>> = docs
        .par_iter()
        .enumerate()
        .zip(&before)
        .map(|((d, doc), &j)| j.filter(|&j| (j == d && vouched_at(d)) || old[j].inputs.matches(doc)))
        .collect();
    // A reading serves one document (of two with one id, the first).
    let mut taken = vec![false; old.len()];
    for f in &mut found {
        if let Some(j) = *f {
            if std::mem::replace(&mut taken[j], true) {
                *f = None;
            }
        }
    }
    (found, before)
}

/// The publication date of a document: its byline's, else its record's front matter.
pub fn published(doc: &Document) -> Option<NaiveDate> {
    doc.seg.meta.published.map(|p| p.date).or_else(|| {
        let iso = doc.record.meta.published.as_deref()?;
        NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()
    })
}

/// How findings name a source for a reader: its outlet, else its title in quotes (shortened),
/// else its file name. Two sources of one outlet are told apart by their claims' links.
fn source_name(doc: &Document) -> String {
    if let Some(outlet) = &doc.record.meta.outlet {
        return outlet.clone();
    }
    if let Some(title) = &doc.record.meta.title {
        const MAX: usize = 60;
        let short: String = title.chars().take(MAX).collect();
        let ellipsis = if title.chars().count() > MAX { "…" } else { "" };
        return format!("« {}{ellipsis} »", short.trim_end());
    }
    doc.source.path.rsplit('/').next().unwrap_or(&doc.source.path).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, Q};
    use super::*;
    use crate::lang::Language;

    /// An archive's readings number hundreds of thousands: none keeps room to spare, neither in
    /// its own lists nor in its document's list of readings (which, collected in place into
    /// the drafts' room, would keep twice its size).
    #[test]
    fn readings_keep_no_room_to_spare() {
        let lang = Language::load("fr").unwrap();
        let figures = [Q("1 200 blessés", 1200.0, "blessés", "exact"), Q("300 morts", 300.0, "morts", "exact")];
        let docs = [doc(
            "a",
            Some("2024-03-01"),
            &[
                ("Le ministère a recensé 1 200 blessés et 300 morts dans la région du nord.", &figures),
                (
                    "Selon la préfecture, les secours ont évacué 45 familles du quartier.",
                    &[Q("45 familles", 45.0, "familles", "exact")],
                ),
                ("Le maire affirme que la digue tiendra jusqu'au printemps prochain.", &[]),
            ],
        )];
        let mut readings = Readings::default();
        readings.update(&Reader::new(&lang), &docs);
        let tight = |what: &str, len: usize, capacity: usize| assert_eq!(len, capacity, "{what} keeps room to spare");
        for d in &readings.docs {
            tight("a document's readings", d.claims.len(), d.claims.capacity());
            for r in &d.claims {
                tight("stems", r.stems.len(), r.stems.capacity());
                tight("phrases", r.phrases.len(), r.phrases.capacity());
                tight("surface words", r.surface.len(), r.surface.capacity());
                tight("figures", r.figures.len(), r.figures.capacity());
                for f in &r.figures {
                    tight("a figure's context", f.context.len(), f.context.capacity());
                }
            }
        }
        assert_eq!(readings.docs[0].claims.iter().map(|r| r.figures.len()).sum::<usize>(), 3);
    }
}
