//! Claims that say the same thing in other words: within a topic, claims of different sources
//! whose content stems, weighted by rarity, are close enough. Candidates come from an inverted
//! index of the topic's rarer stems, at most [`CAP`] per claim, so the cost stays near-linear.
//! Claims that both carry figures are left to the comparison of figures, and claims already
//! found to disagree are not made to agree.

use super::claims::{Claim, Lexicon, TermsKey};
use super::evidence::{Evidence, CAP};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Cosine similarity (stems weighted by inverse document frequency) from which two claims
/// are taken to say the same thing.
pub const THRESHOLD: f64 = 0.42;
/// Stems in more claims of a topic than this do not propose candidates (they still count).
const COMMON: usize = 64;

/// Claims that say the same thing as each claim: for each claim with any (topic by topic, in
/// claim order in each), the later claims of other sources in its topic close enough to it, at
/// most [`CAP`], best first. They depend on the claims' terms, topics and documents only (see
/// [`Found`]).
pub type Similar = Vec<(u32, Vec<u32>)>;

/// What [`similar`] found last time, and from what: found again only when the claims' terms
/// (as [`TermsKey`] numbers them) or their topics changed. A figure edited in one source
/// changes neither.
#[derive(Debug, Default)]
pub struct Found {
    from: Option<(TermsKey, Vec<usize>)>,
    similar: Similar,
}

impl Found {
    /// The similar claims of `claims`, whose terms `terms` numbers and whose topics `topic_of`
    /// gives: those found last time when both are as they were, else found again (and kept,
    /// unless `keep` is false: a build does not run twice).
    pub fn get(
        &mut self,
        claims: &[Claim],
        lexicon: &Lexicon,
        topic_of: &[usize],
        terms: TermsKey,
        keep: bool,
    ) -> &Similar {
        let same = self.from.as_ref().is_some_and(|(t, of)| *t == terms && of == topic_of);
        if !same {
            self.similar = similar(claims, lexicon, topic_of);
            self.from = keep.then(|| (terms, topic_of.to_vec()));
        }
        &self.similar
    }
}

/// Record agreement between the similar claims `similar` lists, unless they were found to
/// disagree (the evidence of disagreement must be settled).
pub fn record(claims: &[Claim], similar: &Similar, evidence: &mut Evidence) {
    for (i, list) in similar {
        let i = *i as usize;
        for &j in list {
            let j = j as usize;
            if evidence.disputed_by(i).binary_search(&(j as u32)).is_err() {
                evidence.agree(claims, i, j);
            }
        }
    }
}

/// The similar claims of each claim, by topic (see [`Similar`]).
fn similar(claims: &[Claim], lexicon: &Lexicon, topic_of: &[usize]) -> Similar {
    let has_figures: Vec<bool> = claims.iter().map(|c| !c.figures.is_empty()).collect();
    let mut by_topic: Vec<Vec<usize>> = Vec::new();
    for (i, &t) in topic_of.iter().enumerate() {
        if by_topic.len() <= t {
            by_topic.resize_with(t + 1, Vec::new);
        }
        by_topic[t].push(i);
    }
    // Two claims with figures never agree here: a topic whose claims all have figures has
    // nothing to find, and a claim with figures only looks further when a later claim of its
    // topic has none (the last such claim of each topic).
    let last_plain: Vec<Option<usize>> =
        by_topic.iter().map(|members| members.iter().rev().find(|&&i| !has_figures[i]).copied()).collect();
    let mut found = Similar::new();
    if last_plain.iter().all(Option::is_none) {
        return found;
    }
    let n = claims.len() as f64;
    // Terms: stems and phrases of two stems, as ids sorted like their strings.
    let (count, terms) = terms(claims, lexicon);
    let mut df = vec![0usize; count];
    for t in &terms {
        for &s in t {
            df[s as usize] += 1;
        }
    }
    // The squared weight of each term.
    let weight: Vec<f64> = df.iter().map(|&d| (((1.0 + n) / (1.0 + d as f64)).ln() + 1.0).powi(2)).collect();
    let norm: Vec<f64> = terms.par_iter().map(|t| t.iter().map(|&s| weight[s as usize]).sum::<f64>().sqrt()).collect();

    // Claims of one document are consecutive: the candidates of claim `i` (later claims of
    // other sources) are those from the end of its document on.
    let mut doc_end = vec![claims.len(); claims.len()];
    for i in (0..claims.len().saturating_sub(1)).rev() {
        doc_end[i] = if claims[i + 1].doc == claims[i].doc { doc_end[i + 1] } else { i + 1 };
    }
    // Where each term's claims start and end in the current topic's index (set for every term
    // of the topic before it is read).
    let mut range = vec![(0u32, 0u32); count];
    for (members, last_plain) in by_topic.iter().zip(&last_plain) {
        let Some(last_plain) = *last_plain else { continue };
        // The topic's inverted index: (term, claim) sorted, so each term's claims are in order.
        let mut pairs: Vec<(u32, u32)> =
            members.iter().flat_map(|&i| terms[i].iter().map(move |&s| (s, i as u32))).collect();
        pairs.par_sort_unstable();
        let mut from = 0;
        while from < pairs.len() {
            let term = pairs[from].0;
            let to = from + pairs[from..].iter().take_while(|(s, _)| *s == term).count();
            range[term as usize] = (from as u32, to as u32);
            from = to;
        }
        let index: Vec<u32> = pairs.into_iter().map(|(_, i)| i).collect();
        let posting = |s: u32| {
            let (a, b) = range[s as usize];
            &index[a as usize..b as usize]
        };
        let agreeing: Vec<(u32, Vec<u32>)> = members
            .par_iter()
            .map_init(
                || (vec![0.0f64; claims.len()], Vec::new(), vec![0.0f64; count]),
                |(shared, touched, mine), &i| {
                    if has_figures[i] && last_plain < doc_end[i] {
                        return (i as u32, Vec::new());
                    }
                    // The weight of the rarer terms each candidate shares with this claim, summed
                    // in the order of this claim's terms.
                    let from = doc_end[i] as u32;
                    for &s in &terms[i] {
                        let list = posting(s);
                        if list.len() > COMMON {
                            continue;
                        }
                        let start = list.partition_point(|&j| j < from);
                        for &j in &list[start..] {
                            let j = j as usize;
                            if shared[j] == 0.0 {
                                touched.push(j);
                            }
                            shared[j] += weight[s as usize];
                        }
                    }
                    let mut best: Vec<(usize, f64)> =
                        touched.drain(..).map(|j| (j, std::mem::take(&mut shared[j]))).collect();
                    // The CAP best (a total order: claims are distinct), best first.
                    let order = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                    if best.len() > CAP {
                        best.select_nth_unstable_by(CAP, order);
                        best.truncate(CAP);
                    }
                    best.sort_by(order);
                    // This claim's terms with their weights, to sum the weights of the terms
                    // it shares with a candidate in the candidate's (sorted) order.
                    for &s in &terms[i] {
                        mine[s as usize] = weight[s as usize];
                    }
                    let agree = best
                        .into_iter()
                        .map(|(j, _)| j)
                        .filter(|&j| !has_figures[i] || !has_figures[j])
                        .filter(|&j| {
                            let dot = dot(&terms[j], mine);
                            dot / (norm[i] * norm[j]).max(f64::MIN_POSITIVE) >= THRESHOLD
                        })
                        .map(|j| j as u32)
                        .collect();
                    for &s in &terms[i] {
                        mine[s as usize] = 0.0;
                    }
                    (i as u32, agree)
                },
            )
            .collect();
        found.extend(agreeing.into_iter().filter(|(_, list)| !list.is_empty()));
    }
    found
}

/// The terms of each claim (its stems, and its phrases "stem stem"), as ids that sort as the
/// terms do as strings, sorted; and the number of ids.
fn terms(claims: &[Claim], lexicon: &Lexicon) -> (usize, Vec<Vec<u32>>) {
    let mut phrases: Vec<(u32, u32)> = claims.par_iter().flat_map_iter(|c| c.phrases.iter().copied()).collect();
    phrases.par_sort_unstable();
    phrases.dedup();
    let stems = lexicon.stems.len();
    // Ids: stems and phrases in the order of their strings. A phrase "a b" comes after the stem
    // "a" and before any longer stem beginning with "a" (a space sorts before every byte of a
    // stem), and phrases of one first stem sort by their second: so the order is that of
    // (first stem, stem before phrase, second stem). A stem holding a space or a control
    // character (no stemmer makes one from a word of letters and digits) would break that
    // reasoning: then the strings are compared byte by byte.
    let plain = lexicon.stems.iter().all(|s| s.bytes().all(|b| b > b' '));
    let mut order: Vec<Term> =
        (0..stems as u32).map(Term::Stem).chain(phrases.iter().map(|&(a, b)| Term::Phrase(a, b))).collect();
    if plain {
        order.par_sort_unstable_by_key(|t| match *t {
            Term::Stem(s) => (s, 0, 0),
            Term::Phrase(a, b) => (a, 1, b),
        });
    } else {
        order.par_sort_unstable_by(|x, y| x.bytes(lexicon).cmp(y.bytes(lexicon)));
    }
    let mut stem_id = vec![0u32; stems];
    let mut phrase_id: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    phrase_id.reserve(phrases.len());
    for (id, t) in order.iter().enumerate() {
        match *t {
            Term::Stem(s) => stem_id[s as usize] = id as u32,
            Term::Phrase(a, b) => {
                phrase_id.insert((a, b), id as u32);
            }
        }
    }
    let terms = claims
        .par_iter()
        .map(|c| {
            let mut t: Vec<u32> = Vec::with_capacity(c.stems.len() + c.phrases.len());
            t.extend(c.stems.iter().map(|&s| stem_id[s as usize]));
            t.extend(c.phrases.iter().map(|p| phrase_id[p]));
            t.sort_unstable();
            t
        })
        .collect();
    (order.len(), terms)
}

/// A stem or a phrase of two stems, by their ids in the lexicon.
#[derive(Debug, Clone, Copy)]
enum Term {
    Stem(u32),
    Phrase(u32, u32),
}

impl Term {
    /// The term's string, byte by byte.
    fn bytes<'l>(&self, lexicon: &'l Lexicon) -> impl Iterator<Item = u8> + 'l {
        let (a, b) = match *self {
            Term::Stem(s) => (lexicon.stem(s), None),
            Term::Phrase(a, b) => (lexicon.stem(a), Some(lexicon.stem(b))),
        };
        a.bytes().chain(b.into_iter().flat_map(|b| std::iter::once(b' ').chain(b.bytes())))
    }
}

/// The dot product of a claim's terms (sorted) with another's (`mine`: the weight of each of
/// its terms, zero for the others): the weights of the shared terms, summed in term order.
fn dot(terms: &[u32], mine: &[f64]) -> f64 {
    let mut sum = 0.0;
    for &s in terms {
        let w = mine[s as usize];
        if w != 0.0 {
            sum += w;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::super::crosscheck;
    use super::super::testing::{attribute, doc};
    use crate::lang::Language;

    #[test]
    fn the_same_statement_in_other_words_corroborates_unless_it_has_the_same_origin() {
        let lang = Language::load("fr").unwrap();
        let mut docs = vec![
            doc(
                "a",
                None,
                &[
                    ("Un traité de défense mutuelle a été signé en juin entre les deux capitales.", &[]),
                    ("La météo était clémente sur la côte.", &[]),
                ],
            ),
            doc("b", None, &[("Le traité de défense mutuelle signé en juin prévoit une assistance.", &[])]),
            doc("c", None, &[("Selon l'agence d'État, le traité de défense mutuelle a été signé en juin.", &[])]),
            doc("d", None, &[("L'agence d'État affirme que le traité de défense mutuelle a été signé en juin.", &[])]),
        ];
        attribute(&mut docs[2], 0, "l'agence d'État", Some("agence"));
        attribute(&mut docs[3], 0, "L'agence d'État", Some("agence"));
        let a = crosscheck(&docs, None, &lang);
        assert_eq!(&*a.verdicts["a-0"].label, "corroborated", "{:?}", a.verdicts["a-0"]);
        assert!(a.verdicts["a-0"].rationale.contains("b-0"));
        assert_eq!(&*a.verdicts["a-1"].label, "single-source");
        let same: Vec<_> = a.findings.iter().filter(|f| f.kind == "same-origin").collect();
        assert_eq!(same.len(), 1, "{:?}", a.findings);
        assert_eq!(*same[0].claims, ["c-0", "d-0"]);
        assert!(same[0].summary.contains("agence"), "{}", same[0].summary);
    }
}
