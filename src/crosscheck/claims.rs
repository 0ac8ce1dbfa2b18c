//! What the cross-check reads of each reported claim, computed once: its content stems, its
//! figures with their measure class, interval and nearby cues, its origin (who the claim
//! rests on) and its source's publication date.

use super::rules::{normalize, stem, words, CrosscheckRules, CueLists, Cues};
use crate::annotate::ClaimRecord;
use crate::extract::Bound;
use crate::lang::Language;
use crate::report::Document;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

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

/// A reported claim as the cross-check sees it.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    /// Index of its document.
    pub doc: usize,
    /// The record.
    pub record: &'a ClaimRecord,
    /// Its source's id.
    pub source: &'a str,
    /// The source as named for a reader: its outlet, else its id.
    pub source_name: String,
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
    /// Its source's publication date.
    pub published: Option<NaiveDate>,
    /// Who the claim rests on: an entity, a named speaker, or the outlet itself.
    pub origin: String,
    /// The origin as a number: claims with the same origin have the same.
    pub origin_id: u32,
    /// The origin as named for a reader.
    pub origin_label: String,
    /// Figures with a counted noun.
    pub figures: Vec<Figure>,
    /// The cue lists of [`Reader::text_cues`] its text holds, sorted.
    held: Vec<usize>,
}

impl Claim<'_> {
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
    stemmer: rust_stemmers::Stemmer,
    stopwords: FxHashSet<String>,
    rules: &'l CrosscheckRules,
    /// Increment cues.
    increment: Cues,
    /// Past relative cues.
    pub past_relative: Cues,
    /// The affirm and deny cues of each opposite-statement pair, in the rules' order.
    pub conflicts: Vec<(Cues, Cues)>,
    /// Every cue list looked for in a whole claim, in one automaton (see [`PROSPECTIVE`]).
    text_cues: CueLists,
}

/// Stems already computed, by word.
type StemCache = FxHashMap<String, String>;

/// A claim read but for its stems: its words are stemmed once per distinct word of the whole
/// corpus (news prose repeats its words, and stemming is most of the cost of reading).
struct Draft<'a> {
    claim: Claim<'a>,
    /// Every word of the text: (start, end).
    words: Vec<(u32, u32)>,
    /// The words around each figure: a range of `words`.
    contexts: Vec<(usize, usize)>,
}

impl<'l> Reader<'l> {
    /// A reader for `lang`.
    pub fn new(lang: &'l Language) -> Reader<'l> {
        let rules = &lang.crosscheck;
        let mut lists: Vec<&[String]> = vec![&rules.prospective_cues, &rules.increment_cues];
        for c in &rules.conflicts {
            lists.push(&c.affirm);
            lists.push(&c.deny);
        }
        Reader {
            stemmer: rust_stemmers::Stemmer::create(lang.stemmer),
            stopwords: lang.stopwords.iter().map(|w| normalize(w)).collect(),
            rules,
            increment: Cues::new(&rules.increment_cues),
            past_relative: Cues::new(&rules.past_relative_cues),
            conflicts: rules.conflicts.iter().map(|c| (Cues::new(&c.affirm), Cues::new(&c.deny))).collect(),
            text_cues: CueLists::new(&lists),
        }
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
        w.chars().nth(1).is_some() && !w.chars().all(|c| c.is_ascii_digit()) && !self.stopwords.contains(w)
    }

    fn stem_cached(&self, word: &str, cache: &mut StemCache) -> String {
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        let s = stem(&self.stemmer, word);
        cache.insert(word.to_string(), s.clone());
        s
    }

    /// Every reported claim of `docs`, in source then text order, and the lexicon of their
    /// stems. Documents are read in parallel; then each distinct word is stemmed once.
    pub fn read<'a>(&self, docs: &'a [Document]) -> (Vec<Claim<'a>>, Lexicon) {
        let per_doc: Vec<Vec<Draft<'a>>> = docs
            .par_iter()
            .enumerate()
            .map_init(StemCache::default, |cache, (d, doc)| {
                let published = published(doc);
                let source_name = source_name(doc);
                doc.reported_claims().map(|r| self.draft(d, doc, r, published, &source_name, cache)).collect()
            })
            .collect();
        let drafts: Vec<Draft<'a>> = per_doc.into_iter().flatten().collect();
        // Every distinct word, and its stem.
        let distinct: FxHashSet<&str> = drafts
            .par_iter()
            .fold(FxHashSet::default, |mut set, d| {
                set.extend(d.words.iter().map(|&(s, e)| &d.claim.text[s as usize..e as usize]));
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
        let stemmed: Vec<String> = distinct.par_iter().map(|w| stem(&self.stemmer, w)).collect();
        // Whether a word is a content word is also decided once per distinct word.
        let content: Vec<bool> = distinct.par_iter().map(|w| self.is_content(w)).collect();
        let mut stems: Vec<String> = stemmed.clone();
        stems.par_sort_unstable();
        stems.dedup();
        let ids: FxHashMap<String, u32> = stems.iter().enumerate().map(|(i, s)| (s.clone(), i as u32)).collect();
        let word_ids: FxHashMap<&str, (u32, bool)> =
            distinct.iter().zip(&stemmed).zip(&content).map(|((w, s), c)| (*w, (ids[s], *c))).collect();
        let stem_ids: Vec<Vec<(u32, bool)>> = drafts
            .par_iter()
            .map(|d| d.words.iter().map(|&(s, e)| word_ids[&d.claim.text[s as usize..e as usize]]).collect())
            .collect();
        drop(word_ids);
        drop(distinct);
        let mut claims: Vec<Claim<'a>> = drafts.into_par_iter().zip(stem_ids).map(|(d, ids)| finish(d, ids)).collect();
        // Origins as numbers, compared for every pair of claims found to agree or disagree.
        let mut origins: FxHashMap<&str, u32> = FxHashMap::default();
        let origin_ids: Vec<u32> = claims
            .iter()
            .map(|c| {
                let next = origins.len() as u32;
                *origins.entry(c.origin.as_str()).or_insert(next)
            })
            .collect();
        drop(origins);
        for (c, id) in claims.iter_mut().zip(origin_ids) {
            c.origin_id = id;
        }
        (claims, Lexicon { stems, ids })
    }

    fn draft<'a>(
        &self,
        d: usize,
        doc: &'a Document,
        record: &'a ClaimRecord,
        published: Option<NaiveDate>,
        source_name: &str,
        cache: &mut StemCache,
    ) -> Draft<'a> {
        let text = normalize(&record.quote);
        let all = words(&text);
        // One scan for every cue list: which the claim holds, and where the ones read near
        // figures are.
        let mut held = Vec::new();
        let mut near: Vec<(usize, usize, usize)> = Vec::new();
        self.text_cues.scan(&text, |list, _, start, end| {
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
        let (origin, origin_label) = self.origin(record, &doc.source.id, source_name, cache);
        let words = all.iter().map(|&(i, w)| (i as u32, (i + w.len()) as u32)).collect();
        let claim = Claim {
            doc: d,
            record,
            source: &doc.source.id,
            source_name: source_name.to_string(),
            text,
            stems: Vec::new(),
            phrases: Vec::new(),
            surface: Vec::new(),
            published,
            origin,
            origin_id: 0,
            origin_label,
            figures,
            held,
        };
        Draft { claim, words, contexts }
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
            measure,
            unit: unit.to_string(),
            point: interval.is_some() && matches!(q.bound, Bound::Exact | Bound::Approx),
            interval,
            increment: inside(INCREMENT) || self.increment.any(&qt),
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
fn finish(d: Draft<'_>, ids: Vec<(u32, bool)>) -> Claim<'_> {
    let Draft { mut claim, words, contexts } = d;
    let content: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].1).collect();
    let ids: Vec<u32> = ids.into_iter().map(|(id, _)| id).collect();
    let text = &claim.text;
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
    for (f, (lo, hi)) in claim.figures.iter_mut().zip(contexts) {
        f.context = ids[lo..hi].to_vec();
        f.context.sort_unstable();
        f.context.dedup();
    }
    claim.stems = stems;
    claim.phrases = phrases;
    claim.surface = surface;
    claim
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
