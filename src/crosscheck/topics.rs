//! Topics: the editor's taxonomy when the project has one (keywords stemmed at load, the words
//! around a claim's figures weighing more than the rest of the sentence), else automatic
//! grouping: TF-IDF vectors over content stems, counted nouns and entities, seeded by the
//! terms that cover most claims, refined by a few nearest-centroid passes, and labelled by
//! their heaviest words. Both are deterministic and linear in the number of claims.

use super::claims::{Claim, Lexicon, Reader, TermsKey};
use super::Topic;
use crate::lang::Language;
use crate::read::slugify;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One topic of an editor's taxonomy.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    /// Stable id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Words whose stems place a claim in this topic.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words that place a claim here only next to a figure: counted nouns that are also
    /// common adjectives ("2 500 militaires", not "la coopération militaire").
    #[serde(default)]
    pub figure_keywords: Vec<String>,
}

/// The editor's taxonomy, from `content/topics.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Topics, in display order.
    #[serde(rename = "topic")]
    pub topics: Vec<TopicDef>,
}

/// How much more a keyword counts next to a figure than elsewhere in the sentence: the
/// counted thing says what a figure is about ("1 100 pertes" in a sentence about troops).
const FIGURE_WEIGHT: usize = 3;
/// Weight of a counted noun's class and of an entity in automatic grouping.
const MEASURE_WEIGHT: f64 = 2.0;
const ENTITY_WEIGHT: f64 = 0.5;
/// Nearest-centroid passes of automatic grouping.
const PASSES: usize = 4;
/// Below this similarity to every centroid a claim goes to the catch-all topic.
const MIN_SIMILARITY: f64 = 0.05;

/// The id of the catch-all topic.
pub const OTHER: &str = "other";

/// The topics automatic grouping found last (before the editor's), kept with the terms of the
/// claims they were found from ([`TermsKey`]).
#[derive(Debug, Default)]
pub struct Found {
    from: Option<TermsKey>,
    topics: Vec<Topic>,
    of: Vec<Option<usize>>,
    /// What the last run made, kept by `factsite serve`: its topics (with their claims) and
    /// each claim's topic in them.
    made: Vec<Topic>,
    made_of: Vec<usize>,
}

/// Topics, and the index in them of each claim's topic. `found` holds the topics automatic
/// grouping found last time: it runs again only when `terms` (those of `claims`) changed. A
/// taxonomy's topics are found claim by claim, every time.
pub fn group(
    claims: &[Claim],
    taxonomy: Option<&Taxonomy>,
    lang: &Language,
    reader: &Reader,
    lexicon: &Lexicon,
    (terms, found, keep): (TermsKey, &mut Found, bool),
) -> (Vec<Topic>, Vec<usize>) {
    let (mut topics, auto): (Vec<Topic>, Vec<Option<usize>>) = match taxonomy.filter(|t| !t.topics.is_empty()) {
        Some(t) => (t.topics.iter().map(|d| topic(&d.id, &d.label)).collect(), by_keywords(claims, t, reader, lexicon)),
        None => {
            if found.from.as_ref() != Some(&terms) {
                let ignored: FxHashSet<String> =
                    lang.crosscheck.topic_ignored.iter().map(|w| super::rules::stem(reader.stemmer(), w)).collect();
                (found.topics, found.of) = automatic(claims, lexicon, &entity_words(claims, lang, reader), &ignored);
                found.from = Some(terms);
            }
            (found.topics.clone(), found.of.clone())
        }
    };
    let mut of = Vec::with_capacity(claims.len());
    for (c, auto) in claims.iter().zip(auto) {
        // An editor's topic wins, even one the taxonomy does not list.
        let t = match c.record.review.topic.as_deref() {
            Some(id) => find_or_add(&mut topics, id, id),
            None => match auto {
                Some(t) => t,
                None => find_or_add(&mut topics, OTHER, lang.ui.get("topic_other")),
            },
        };
        of.push(t);
    }
    // Drop empty topics, keeping indices right.
    let mut sizes = vec![0usize; topics.len()];
    for &t in &of {
        sizes[t] += 1;
    }
    let mut new_index = vec![usize::MAX; topics.len()];
    let mut n = 0;
    for (i, &size) in sizes.iter().enumerate() {
        if size > 0 {
            new_index[i] = n;
            n += 1;
        }
    }
    let mut topics: Vec<Topic> = topics.into_iter().zip(&sizes).filter(|(_, &size)| size > 0).map(|(t, _)| t).collect();
    let sizes: Vec<usize> = sizes.into_iter().filter(|&size| size > 0).collect();
    let of: Vec<usize> = of.into_iter().map(|t| new_index[t]).collect();
    // Each topic's claims, in claim order: the last run's list (shared) when it holds the same
    // ids, else gathered again.
    let mut stale = vec![true; topics.len()];
    if found.made_of.len() == of.len()
        && found.made.len() == topics.len()
        && found.made.iter().zip(&topics).all(|(a, b)| a.id == b.id)
    {
        stale.fill(false);
        let mut at = vec![0usize; topics.len()];
        for ((c, &t), &was) in claims.iter().zip(&of).zip(&found.made_of) {
            at[t] += 1;
            if was != t || found.made[t].claims.get(at[t] - 1) != Some(&c.record.id) {
                stale[t] = true;
                stale[was] = true;
            }
        }
        for (t, made) in found.made.iter().enumerate() {
            stale[t] |= at[t] != made.claims.len();
        }
    }
    let mut lists: Vec<Vec<arcstr::ArcStr>> =
        sizes.iter().zip(&stale).map(|(&size, &stale)| Vec::with_capacity(if stale { size } else { 0 })).collect();
    if stale.contains(&true) {
        for (c, &t) in claims.iter().zip(&of) {
            if stale[t] {
                lists[t].push(c.record.id.clone());
            }
        }
    }
    for (t, (topic, list)) in topics.iter_mut().zip(lists).enumerate() {
        topic.claims = if stale[t] { list.into() } else { Arc::clone(&found.made[t].claims) };
    }
    if keep {
        found.made = topics.clone();
        found.made_of = of.clone();
    }
    (topics, of)
}

fn topic(id: &str, label: &str) -> Topic {
    Topic { id: id.to_string(), label: label.to_string(), claims: Arc::from([]) }
}

fn find_or_add(topics: &mut Vec<Topic>, id: &str, label: &str) -> usize {
    topics.iter().position(|t| t.id == id).unwrap_or_else(|| {
        topics.push(topic(id, label));
        topics.len() - 1
    })
}

/// The taxonomy topic of each claim: most keyword matches, those near a figure counting more;
/// ties go to the topic listed first.
fn by_keywords(claims: &[Claim], taxonomy: &Taxonomy, reader: &Reader, lexicon: &Lexicon) -> Vec<Option<usize>> {
    // Each keyword as the ids of its stems; `None` when no claim has one of them (then it
    // matches nowhere).
    let stems = |words: &[String]| -> Vec<Option<Vec<u32>>> {
        words
            .iter()
            .map(|k| {
                let k = super::rules::normalize(k);
                reader.content_words(&k).into_iter().map(|(_, _, s)| lexicon.id(&s)).collect::<Vec<_>>()
            })
            .filter(|k| !k.is_empty())
            .map(|k| k.into_iter().collect())
            .collect()
    };
    // Per topic: its keywords and its figure keywords.
    type Keywords = Vec<Option<Vec<u32>>>;
    let lexicons: Vec<(Keywords, Keywords)> =
        taxonomy.topics.iter().map(|d| (stems(&d.keywords), stems(&d.figure_keywords))).collect();
    claims
        .par_iter()
        .map(|c| {
            let mut context: Vec<u32> = c.figures.iter().flat_map(|f| f.context.iter().copied()).collect();
            context.sort_unstable();
            context.dedup();
            let near =
                |k: &Option<Vec<u32>>| k.as_ref().is_some_and(|k| k.iter().all(|s| context.binary_search(s).is_ok()));
            let anywhere =
                |k: &Option<Vec<u32>>| k.as_ref().is_some_and(|k| k.iter().all(|s| c.stems.binary_search(s).is_ok()));
            let scores = lexicons.iter().map(|(keywords, figure_keywords)| {
                let anywhere: usize =
                    keywords.iter().map(|k| usize::from(anywhere(k)) + FIGURE_WEIGHT * usize::from(near(k))).sum();
                anywhere + figure_keywords.iter().map(|k| FIGURE_WEIGHT * usize::from(near(k))).sum::<usize>()
            });
            let (best, score) = scores.enumerate().fold((0, 0), |acc, (i, s)| if s > acc.1 { (i, s) } else { acc });
            (score > 0).then_some(best)
        })
        .collect()
}

/// A claim's TF-IDF vector: (term id, weight), sorted by term id.
type Vector = Vec<(u32, f64)>;

/// The terms of automatic grouping: content stems (`stem`), stems of words naming an entity and
/// entities (`@…`), classes of counted nouns (`#…`). Ids are positions in the sorted keys, so
/// that every sum over a vector runs in the order of the keys as strings.
struct Terms {
    /// The distinct keys, sorted.
    keys: Vec<String>,
    /// Each claim's raw term weights, by term id.
    raw: Vec<Vector>,
}

impl Terms {
    fn new(claims: &[Claim], lexicon: &Lexicon, entity_words: &EntityWords, ignored: &FxHashSet<String>) -> Terms {
        // What each stem used by a claim becomes: left out, an entity word, or itself (decided
        // once per distinct stem, not once per occurrence).
        let mut used = vec![false; lexicon.stems.len()];
        for c in claims {
            for &s in &c.stems {
                used[s as usize] = true;
            }
        }
        let stem_keys: Vec<Option<(String, f64)>> = lexicon
            .stems
            .par_iter()
            .zip(&used)
            .map(|(s, &used)| {
                if !used || ignored.contains(s.as_str()) {
                    None
                } else if entity_words.names(s) {
                    // Words naming an entity ("Argentine", "argentino-chilien") weigh like entities: in
                    // a corpus about two countries they are everywhere and name no subject.
                    Some((format!("@{s}"), ENTITY_WEIGHT))
                } else {
                    Some((s.to_string(), 1.0))
                }
            })
            .collect();
        // Provisional ids in order of first appearance, then ranks among the sorted keys.
        let mut provisional: FxHashMap<String, u32> = FxHashMap::default();
        let mut intern = |key: String| -> u32 {
            let next = provisional.len() as u32;
            *provisional.entry(key).or_insert(next)
        };
        let stem_terms: Vec<Option<(u32, f64)>> =
            stem_keys.into_iter().map(|k| k.map(|(key, weight)| (intern(key), weight))).collect();
        let mut measures: FxHashMap<&str, u32> = FxHashMap::default();
        let mut entities: FxHashMap<&str, u32> = FxHashMap::default();
        for c in claims {
            for f in &c.figures {
                measures.entry(f.measure.as_str()).or_insert_with(|| intern(format!("#{}", f.measure)));
            }
            for e in &c.record.entities {
                entities.entry(e.as_str()).or_insert_with(|| intern(format!("@{e}")));
            }
        }
        let mut keys: Vec<(String, u32)> = provisional.into_iter().collect();
        keys.par_sort_unstable();
        let mut rank = vec![0u32; keys.len()];
        for (r, (_, p)) in keys.iter().enumerate() {
            rank[*p as usize] = r as u32;
        }
        let raw: Vec<Vector> = claims
            .par_iter()
            .map(|c| {
                let stems = &c.stems;
                let mut v: Vector = Vec::with_capacity(stems.len() + c.figures.len() + c.record.entities.len());
                v.extend(stems.iter().filter_map(|&s| stem_terms[s as usize]).map(|(p, w)| (rank[p as usize], w)));
                v.extend(c.figures.iter().map(|f| (rank[measures[f.measure.as_str()] as usize], MEASURE_WEIGHT)));
                v.extend(c.record.entities.iter().map(|e| (rank[entities[e.as_str()] as usize], ENTITY_WEIGHT)));
                // One entry per term, weights added (halves and units: exact in any order).
                v.sort_unstable_by_key(|&(t, _)| t);
                v.dedup_by(|next, kept| {
                    let same = next.0 == kept.0;
                    if same {
                        kept.1 += next.1;
                    }
                    same
                });
                v
            })
            .collect();
        Terms { keys: keys.into_iter().map(|(k, _)| k).collect(), raw }
    }
}

/// Automatic topics for a corpus without taxonomy.
fn automatic(
    claims: &[Claim],
    lexicon: &Lexicon,
    entity_words: &EntityWords,
    ignored: &FxHashSet<String>,
) -> (Vec<Topic>, Vec<Option<usize>>) {
    let n = claims.len();
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    // Term weights per claim: content stems, the class of counted nouns, entities.
    let Terms { keys, raw } = Terms::new(claims, lexicon, entity_words, ignored);
    let t = keys.len();
    // Postings (claims of each term, in order), as one array with offsets.
    let mut df = vec![0usize; t];
    for v in &raw {
        for &(term, _) in v {
            df[term as usize] += 1;
        }
    }
    let mut offsets = Vec::with_capacity(t + 1);
    offsets.push(0);
    for d in &df {
        offsets.push(offsets.last().copied().unwrap_or(0) + d);
    }
    let mut fill = offsets.clone();
    let mut postings = vec![0usize; offsets[t]];
    for (i, v) in raw.iter().enumerate() {
        for &(term, _) in v {
            postings[fill[term as usize]] = i;
            fill[term as usize] += 1;
        }
    }
    let posting = |term: usize| &postings[offsets[term]..offsets[term + 1]];
    let idf: Vec<f64> = df.iter().map(|&d| ((1.0 + n as f64) / (1.0 + d as f64)).ln() + 1.0).collect();
    let vectors: Vec<Vector> = raw
        .into_par_iter()
        .map(|mut v| {
            v.iter_mut().for_each(|(term, x)| *x *= idf[*term as usize]);
            normalize(&mut v);
            v
        })
        .collect();

    // Seeds: terms shared by several claims but not by most, covering most claims, each
    // mostly covering claims no earlier seed covers.
    let k = ((n as f64 / 3.0).sqrt().round() as usize).clamp(2, 12);
    let max_df = (n / 3).max(2);
    let mut candidates: Vec<(usize, usize)> = (0..t)
        .filter(|&term| df[term] >= 2 && df[term] <= max_df && !keys[term].starts_with('@'))
        .map(|term| (term, df[term]))
        .collect();
    candidates.sort_by(|a, b| {
        let sa = a.1 as f64 * idf[a.0];
        let sb = b.1 as f64 * idf[b.0];
        sb.total_cmp(&sa).then(a.0.cmp(&b.0))
    });
    let mut covered = vec![false; n];
    let mut centroids: Vec<Centroid> = Vec::new();
    for (term, d) in candidates {
        if centroids.len() == k {
            break;
        }
        let members = posting(term);
        let new = members.iter().filter(|&&i| !covered[i]).count();
        if new * 2 < d {
            continue;
        }
        for &i in members {
            covered[i] = true;
        }
        centroids.push(centroid(&vectors, members, t));
    }
    let mut assign: Vec<Option<usize>> = vec![None; n];
    for _ in 0..PASSES {
        // The centroids' weights term by term, side by side, so that the similarities (dot
        // products) of a claim to every centroid come from one pass over its terms, each summed
        // in the order of the terms as a dot product over the shared terms would be.
        let k = centroids.len();
        let mut by_term = vec![0.0f64; t * k];
        for (i, c) in centroids.iter().enumerate() {
            for (term, &y) in c.iter().enumerate() {
                by_term[term * k + i] = y;
            }
        }
        assign = vectors
            .par_iter()
            .map_init(
                || vec![0.0f64; k],
                |sims, v| {
                    sims.iter_mut().for_each(|s| *s = 0.0);
                    for &(term, x) in v {
                        let weights = &by_term[term as usize * k..term as usize * k + k];
                        // A term a centroid lacks adds x * 0 = +0, which leaves a sum of positive
                        // products unchanged: no need to skip it.
                        for (s, &y) in sims.iter_mut().zip(weights) {
                            *s += x * y;
                        }
                    }
                    let mut best: Option<(usize, f64)> = None;
                    for (i, &s) in sims.iter().enumerate() {
                        if s >= MIN_SIMILARITY && best.is_none_or(|(_, b)| s > b) {
                            best = Some((i, s));
                        }
                    }
                    best.map(|(i, _)| i)
                },
            )
            .collect();
        let members = members_of(&assign, centroids.len());
        let next: Vec<Centroid> = (0..centroids.len())
            .into_par_iter()
            .map(|k| if members[k].is_empty() { centroids[k].clone() } else { centroid(&vectors, &members[k], t) })
            .collect();
        if next == centroids {
            break;
        }
        centroids = next;
    }

    // Labels: the two heaviest words of each centroid among its members, as written.
    let members = members_of(&assign, centroids.len());
    let mut order: Vec<usize> = (0..centroids.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(members[k].len()), k));
    order.retain(|&k| !members[k].is_empty());
    let labels: Vec<String> =
        order.par_iter().map(|&k| label(&centroids[k], &keys, &members[k], claims, lexicon)).collect();
    let mut topics: Vec<Topic> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut index = vec![None; centroids.len()];
    for (k, label) in order.into_iter().zip(labels) {
        let base = slugify(&label);
        let mut id = base.clone();
        let mut suffix = 2;
        while id == OTHER || !ids.insert(id.clone()) {
            id = format!("{base}-{suffix}");
            suffix += 1;
        }
        index[k] = Some(topics.len());
        topics.push(topic(&id, &label));
    }
    (topics, assign.into_iter().map(|a| a.and_then(|k| index[k])).collect())
}

/// The claims assigned to each of `k` centroids, in order.
fn members_of(assign: &[Option<usize>], k: usize) -> Vec<Vec<usize>> {
    let mut members = vec![Vec::new(); k];
    for (i, a) in assign.iter().enumerate() {
        if let Some(a) = a {
            members[*a].push(i);
        }
    }
    members
}

/// The words that name entities (stems without accents, see [`entity_words`]), arranged to
/// tell in a few lookups whether a stem is, or begins like, one of them.
struct EntityWords {
    /// The words.
    exact: FxHashSet<String>,
    /// The first four letters of the words of four or five letters.
    prefix4: FxHashSet<String>,
    /// The first five letters of the longer words.
    prefix5: FxHashSet<String>,
}

impl EntityWords {
    fn new(words: Vec<String>) -> EntityWords {
        let mut out =
            EntityWords { exact: FxHashSet::default(), prefix4: FxHashSet::default(), prefix5: FxHashSet::default() };
        for w in words {
            // The prefix a stem must share with `w` (see `names`): its length less one, at
            // least four letters and at most five.
            let len = w.chars().count();
            let need = len.saturating_sub(1).clamp(4, 5);
            if len >= need {
                let prefix: String = w.chars().take(need).collect();
                if need == 4 { &mut out.prefix4 } else { &mut out.prefix5 }.insert(prefix);
            }
            out.exact.insert(w);
        }
        out
    }

    /// True when a stem is, or begins like, a word naming an entity ("argentin" and
    /// "Argentine"): the same word, or the same first letters (the word's length less one,
    /// at least four and at most five).
    fn names(&self, stem: &str) -> bool {
        let folded = fold(stem);
        if self.exact.contains(&folded) {
            return true;
        }
        let prefix = |n: usize| folded.char_indices().nth(n).map_or(folded.as_str(), |(i, _)| &folded[..i]);
        let chars = folded.chars().count();
        (chars >= 4 && self.prefix4.contains(prefix(4))) || (chars >= 5 && self.prefix5.contains(prefix(5)))
    }
}

/// Stems of the words that name entities, without accents: the language's entity names and
/// aliases, and the words of the ids of the entities the claims mention.
fn entity_words(claims: &[Claim], lang: &Language, reader: &Reader) -> EntityWords {
    let mut names: BTreeSet<String> =
        lang.entities.iter().flat_map(|e| std::iter::once(&e.label).chain(&e.aliases)).cloned().collect();
    let ids: FxHashSet<&str> = claims.iter().flat_map(|c| c.record.entities.iter().map(String::as_str)).collect();
    names.extend(ids.into_iter().map(|id| id.replace('-', " ")));
    let out: Vec<String> = names
        .par_iter()
        .flat_map_iter(|n| {
            let n = super::rules::normalize(n);
            reader.content_words(&n).into_iter().map(|(_, _, s)| fold(&s)).collect::<Vec<_>>()
        })
        .filter(|s| s.chars().count() >= 3)
        .collect();
    EntityWords::new(out)
}
/// A word without its accents, to compare adjectives with names.
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(|c| {
            let plain = match c {
                'à' | 'â' | 'ä' | 'á' => "a",
                'é' | 'è' | 'ê' | 'ë' => "e",
                'î' | 'ï' | 'í' => "i",
                'ô' | 'ö' | 'ó' => "o",
                'ù' | 'û' | 'ü' | 'ú' => "u",
                'ç' => "c",
                'œ' => "oe",
                _ => "",
            };
            if plain.is_empty() {
                vec![c]
            } else {
                plain.chars().collect()
            }
        })
        .collect()
}

fn normalize(v: &mut Vector) {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
}

/// A centroid: a weight per term id, zero for the terms none of its claims has (every weight of
/// a term some claim has is positive).
type Centroid = Vec<f64>;

/// The normalised sum of the vectors of `members`, each term's weights added in member order.
fn centroid(vectors: &[Vector], members: &[usize], terms: usize) -> Centroid {
    let mut c = vec![0.0; terms];
    for &i in members {
        for &(t, x) in &vectors[i] {
            c[t as usize] += x;
        }
    }
    let norm = c.iter().filter(|x| **x != 0.0).map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        c.iter_mut().for_each(|x| *x /= norm);
    }
    c
}

/// A readable label: the heaviest words of the centroid that most members use, each in the
/// form the sources write most often.
fn label(centroid: &Centroid, keys: &[String], members: &[usize], claims: &[Claim], lexicon: &Lexicon) -> String {
    // How many members use each stem.
    let mut used = vec![0usize; lexicon.stems.len()];
    for &i in members {
        for &s in &claims[i].stems {
            used[s as usize] += 1;
        }
    }
    let uses = |t: &str| match lexicon.id(t).map_or(0, |id| used[id as usize]) {
        0 => 1,
        u => u,
    };
    let mut terms: Vec<(&str, f64)> = centroid
        .iter()
        .enumerate()
        .filter(|(t, x)| **x != 0.0 && !keys[*t].starts_with('@'))
        .map(|(t, x)| {
            let t = keys[t].trim_start_matches('#');
            (t, x * uses(t) as f64)
        })
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let mut words: Vec<String> = Vec::new();
    for (t, _) in terms {
        let Some(form) = most_written(t, members, claims, lexicon) else {
            continue;
        };
        let form = form.to_string();
        if !words.contains(&form) {
            words.push(form);
        }
        if words.len() == 2 {
            break;
        }
    }
    let mut label = words.join(", ");
    if let Some(first) = label.chars().next() {
        label = first.to_uppercase().chain(label.chars().skip(1)).collect();
    }
    label
}

/// The form of a stem (or the counted noun of a measure) the members write most often, the
/// first in alphabetical order among equals.
fn most_written<'c>(term: &str, members: &[usize], claims: &'c [Claim], lexicon: &Lexicon) -> Option<&'c str> {
    let stem = lexicon.id(term);
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in members {
        let c = &claims[i];
        if let Some(stem) = stem {
            let from = c.surface.partition_point(|w| w.0 < stem);
            for &w in c.surface[from..].iter().take_while(|w| w.0 == stem) {
                *count.entry(c.word(w)).or_default() += 1;
            }
        }
        for f in c.figures.iter().filter(|f| f.measure == term) {
            *count.entry(f.unit.as_str()).or_default() += 1;
        }
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(w, _)| w)
}

#[cfg(test)]
mod tests {
    use super::super::claims::Readings;
    use super::super::testing::{doc, Q};
    use super::*;

    fn lang() -> Language {
        Language::load("fr").unwrap()
    }

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            r#"
            [[topic]]
            id = "effectifs"
            label = "Effectifs"
            keywords = ["soldats", "troupes", "déploiement"]
            figure_keywords = ["militaires"]
            [[topic]]
            id = "pertes"
            label = "Pertes"
            keywords = ["pertes", "tués", "blessés", "morts"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn words_near_a_figure_decide_its_topic() {
        let lang = lang();
        let docs = vec![
            doc("a", None, &[(
                "Le pays va envoyer de nouvelles troupes après avoir dépêché des soldats, et aurait subi environ 900 pertes, morts et blessés.",
                &[Q("environ 900 pertes", 900.0, "pertes", "approx")],
            )]),
            doc("b", None, &[
                ("Environ 2 500 soldats auraient été tués ou blessés.", &[Q("environ 2 500 soldats", 2500.0, "soldats", "approx")]),
                ("Près de 7 000 soldats ont été déployés sur le front.", &[Q("7 000 soldats", 7000.0, "soldats", "exact")]),
                ("Le ministre a visité une usine de matériel militaire.", &[]),
                ("On compte 300 militaires sur place.", &[Q("300 militaires", 300.0, "militaires", "exact")]),
            ]),
        ];
        let (topics, of) = grouped(&docs, Some(&taxonomy()));
        let ids: Vec<&str> = of.iter().map(|&t| topics[t].id.as_str()).collect();
        assert_eq!(ids, ["pertes", "pertes", "effectifs", "other", "effectifs"]);
        assert_eq!(topics.last().unwrap().label, lang.ui.get("topic_other"));
    }

    #[test]
    fn an_editors_topic_wins() {
        let mut docs = vec![doc("a", None, &[("Environ 2 500 soldats ont été tués.", &[])])];
        docs[0].record.claims[0].review.topic = Some("a-part".into());
        let (topics, of) = grouped(&docs, Some(&taxonomy()));
        assert_eq!(topics[of[0]].id, "a-part");
        assert_eq!(topics.len(), 1);
    }

    /// The topics of the claims of `docs`, grouped afresh.
    fn grouped(docs: &[crate::report::Document], taxonomy: Option<&Taxonomy>) -> (Vec<Topic>, Vec<usize>) {
        let lang = lang();
        let reader = Reader::new(&lang);
        let mut readings = Readings::default();
        readings.update(&reader, docs);
        let (claims, lexicon) = readings.claims(docs);
        group(&claims, taxonomy, &lang, &reader, lexicon, (readings.terms_key(), &mut Found::default(), false))
    }

    /// Two documents of three claims each, one about a dam, the other about a vaccine.
    fn dam_and_vaccine() -> Vec<crate::report::Document> {
        let sentences: Vec<(&str, &[Q])> = vec![
            ("Le barrage du fleuve a cédé après les pluies.", &[]),
            ("Les pluies ont fait céder le barrage en amont du fleuve.", &[]),
            ("Le barrage avait été inspecté avant les pluies.", &[]),
            ("Le vaccin contre la grippe est disponible en pharmacie.", &[]),
            ("La campagne de vaccin contre la grippe commence lundi.", &[]),
            ("Le vaccin de la grippe est gratuit pour les aînés.", &[]),
        ];
        vec![doc("a", None, &sentences[..3]), doc("b", None, &sentences[3..])]
    }

    #[test]
    fn automatic_topics_group_claims_about_the_same_thing() {
        let lang = lang();
        let docs = dam_and_vaccine();
        let reader = Reader::new(&lang);
        let mut readings = Readings::default();
        readings.update(&reader, &docs);
        let (claims, lexicon) = readings.claims(&docs);
        let (topics, of) =
            group(&claims, None, &lang, &reader, lexicon, (readings.terms_key(), &mut Found::default(), false));
        assert_eq!(topics.len(), 2, "{topics:?}");
        assert!(of[0] == of[1] && of[1] == of[2]);
        assert!(of[3] == of[4] && of[4] == of[5]);
        assert_ne!(of[0], of[3]);
        let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("arrage")), "{labels:?}");
        assert!(labels.iter().any(|l| l.contains("accin") || l.contains("rippe")), "{labels:?}");
        // Deterministic.
        assert_eq!(
            group(&claims, None, &lang, &reader, lexicon, (readings.terms_key(), &mut Found::default(), false)),
            (topics, of)
        );
    }

    #[test]
    fn a_kept_run_shares_the_last_lists_of_claims_only_while_they_hold_the_same_ids() {
        let lang = lang();
        let mut docs = dam_and_vaccine();
        let reader = Reader::new(&lang);
        let mut found = Found::default();
        let run = |docs: &[crate::report::Document], found: &mut Found| {
            let mut readings = Readings::default();
            readings.update(&reader, docs);
            let (claims, lexicon) = readings.claims(docs);
            let fresh =
                group(&claims, None, &lang, &reader, lexicon, (readings.terms_key(), &mut Found::default(), false));
            let kept = group(&claims, None, &lang, &reader, lexicon, (readings.terms_key(), found, true));
            assert_eq!(kept, fresh);
            kept.0
        };
        let first = run(&docs, &mut found);
        assert_eq!(first.len(), 2, "{first:?}");
        let again = run(&docs, &mut found);
        assert!(first.iter().zip(&again).all(|(a, b)| Arc::ptr_eq(&a.claims, &b.claims)));
        // A claim renamed: the same topics, its topic's list gathered again, the others shared.
        docs[1].record.claims[0].id = "b-renamed".into();
        let renamed = run(&docs, &mut found);
        for (a, b) in first.iter().zip(&renamed) {
            let holds = b.claims.iter().any(|c| c == "b-renamed");
            assert_eq!(Arc::ptr_eq(&a.claims, &b.claims), !holds, "{renamed:?}");
        }
        assert!(renamed.iter().any(|t| t.claims.iter().any(|c| c == "b-renamed")));
    }
}
