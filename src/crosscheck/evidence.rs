//! What the cross-check learns about pairs of claims, gathered by every rule and read by the
//! verdicts: which claims agree (and whether independently), which disagree, which a source
//! contradicts itself with, which carry a date that cannot be right.

use super::claims::Claim;
use super::Finding;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// At most this many claims are named as related to one claim, and at most this many rows
/// are scanned for agreement from each row: it keeps the cost linear in big buckets.
pub const CAP: usize = 16;

/// Evidence per claim, by claim index. Rules add pairs as they find them; the lists are sets
/// (sorted, each claim once) after [`Evidence::settle`], which must run before they are read
/// for more than emptiness.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Claims of other sources that agree and rest on another origin.
    pub corroborated_by: Vec<Vec<usize>>,
    /// Claims of other sources that agree but rest on the same origin.
    pub relayed_by: Vec<Vec<usize>>,
    /// Claims of other sources that disagree.
    pub disputed_by: Vec<Vec<usize>>,
    /// Claims of the same source and origin that disagree.
    pub contradicts: Vec<Vec<usize>>,
    /// A date of the claim cannot be right: the finding's summary.
    pub anachronism: Vec<Option<String>>,
    /// Whether the claim's lists grew since the last [`Evidence::settle`].
    grew: Vec<bool>,
}

impl Evidence {
    /// Empty evidence for `n` claims.
    pub fn new(n: usize) -> Evidence {
        Evidence {
            corroborated_by: vec![Vec::new(); n],
            relayed_by: vec![Vec::new(); n],
            disputed_by: vec![Vec::new(); n],
            contradicts: vec![Vec::new(); n],
            anachronism: vec![None; n],
            grew: vec![false; n],
        }
    }

    /// Record that claims `a` and `b` agree: they corroborate each other, or relay one origin
    /// (nothing when one source says both).
    pub fn agree(&mut self, claims: &[Claim], a: usize, b: usize) {
        self.whole().record(claims, Pair::agree(a, b));
    }

    /// Record that claims `a` and `b` disagree: a contradiction when one source says both on
    /// its own account (or citing one speaker), else a dispute.
    pub fn disagree(&mut self, claims: &[Claim], a: usize, b: usize) {
        self.whole().record(claims, Pair::disagree(a, b));
    }

    /// The lists of every claim, as one shard.
    fn whole(&mut self) -> Shard<'_> {
        Shard {
            start: 0,
            corroborated_by: &mut self.corroborated_by,
            relayed_by: &mut self.relayed_by,
            disputed_by: &mut self.disputed_by,
            contradicts: &mut self.contradicts,
            grew: &mut self.grew,
        }
    }

    /// Record every pair of `batches` at once: the claims are shared out between the threads,
    /// each of which reads every pair and records what concerns its own claims. The lists come
    /// out in another order than [`Evidence::agree`] and [`Evidence::disagree`] one by one would
    /// leave them, which [`Evidence::settle`] makes the same.
    pub fn record(&mut self, claims: &[Claim], batches: &[Vec<Pair>]) {
        let n = claims.len();
        let chunk = n.div_ceil(rayon::current_num_threads().max(1)).max(1);
        let shards: Vec<Shard> = self
            .corroborated_by
            .chunks_mut(chunk)
            .zip(self.relayed_by.chunks_mut(chunk))
            .zip(self.disputed_by.chunks_mut(chunk))
            .zip(self.contradicts.chunks_mut(chunk))
            .zip(self.grew.chunks_mut(chunk))
            .enumerate()
            .map(|(k, ((((corroborated_by, relayed_by), disputed_by), contradicts), grew))| Shard {
                start: k * chunk,
                corroborated_by,
                relayed_by,
                disputed_by,
                contradicts,
                grew,
            })
            .collect();
        shards.into_par_iter().for_each(|mut shard| {
            for &pair in batches.iter().flatten() {
                shard.record(claims, pair);
            }
        });
    }

    /// Sort every list and keep each claim once in it (those of the claims whose lists grew
    /// since the last time: the others are settled already).
    pub fn settle(&mut self) {
        let grew = &self.grew;
        for lists in [&mut self.corroborated_by, &mut self.relayed_by, &mut self.disputed_by, &mut self.contradicts] {
            lists.par_iter_mut().zip(grew).filter(|(_, &grew)| grew).for_each(|(l, _)| {
                l.sort_unstable();
                l.dedup();
            });
        }
        self.grew.iter_mut().for_each(|g| *g = false);
    }
}

/// Two claims that agree or disagree, as a rule finds them (claim numbers as `u32`: an
/// archive's rules find tens of millions of pairs).
#[derive(Debug, Clone, Copy)]
pub enum Pair {
    /// They agree (see [`Evidence::agree`]).
    Agree(u32, u32),
    /// They disagree (see [`Evidence::disagree`]).
    Disagree(u32, u32),
}

impl Pair {
    /// Claims `a` and `b` agree.
    pub fn agree(a: usize, b: usize) -> Pair {
        Pair::Agree(a as u32, b as u32)
    }

    /// Claims `a` and `b` disagree.
    pub fn disagree(a: usize, b: usize) -> Pair {
        Pair::Disagree(a as u32, b as u32)
    }
}

#[derive(Clone, Copy)]
enum List {
    Corroborated,
    Relayed,
    Disputed,
    Contradicts,
}

/// The lists of a run of claims, from `start` on: what one thread of [`Evidence::record`] fills.
struct Shard<'e> {
    start: usize,
    corroborated_by: &'e mut [Vec<usize>],
    relayed_by: &'e mut [Vec<usize>],
    disputed_by: &'e mut [Vec<usize>],
    contradicts: &'e mut [Vec<usize>],
    grew: &'e mut [bool],
}

impl Shard<'_> {
    /// Record `pair` in the lists of those of its two claims that are the shard's (see
    /// [`Evidence::agree`] and [`Evidence::disagree`]).
    fn record(&mut self, claims: &[Claim], pair: Pair) {
        let (a, b, agree) = match pair {
            Pair::Agree(a, b) => (a as usize, b as usize, true),
            Pair::Disagree(a, b) => (a as usize, b as usize, false),
        };
        if !self.holds(a) && !self.holds(b) {
            return;
        }
        let same_doc = claims[a].doc == claims[b].doc;
        let same_origin = claims[a].origin_id == claims[b].origin_id;
        let list = match (agree, same_doc, same_origin) {
            (true, true, _) => return,
            (true, false, true) => List::Relayed,
            (true, false, false) => List::Corroborated,
            (false, ..) if a == b => return,
            (false, true, true) => List::Contradicts,
            (false, ..) => List::Disputed,
        };
        self.add(list, a, b);
    }

    /// True when claim `x` is one of the shard's.
    fn holds(&self, x: usize) -> bool {
        x.checked_sub(self.start).is_some_and(|at| at < self.grew.len())
    }

    /// Add `b` to the list of `a` and `a` to that of `b`, for those of the two in the shard.
    fn add(&mut self, list: List, a: usize, b: usize) {
        for (x, y) in [(a, b), (b, a)] {
            if !self.holds(x) {
                continue;
            }
            let at = x - self.start;
            let lists = match list {
                List::Corroborated => &mut *self.corroborated_by,
                List::Relayed => &mut *self.relayed_by,
                List::Disputed => &mut *self.disputed_by,
                List::Contradicts => &mut *self.contradicts,
            };
            lists[at].push(y);
            self.grew[at] = true;
        }
    }
}

/// Strings laid end to end in one buffer, by index: the claims' ids are copied into the output
/// hundreds of thousands of times, and reading them from one compact buffer rather than from
/// each claim's record saves cache misses on every copy.
pub struct Packed {
    text: String,
    ends: Vec<usize>,
}

impl Packed {
    /// The strings `write` writes for `0..n`, one call each.
    pub fn new(n: usize, mut write: impl FnMut(usize, &mut String)) -> Packed {
        let mut text = String::new();
        let ends = (0..n)
            .map(|i| {
                write(i, &mut text);
                text.len()
            })
            .collect();
        Packed { text, ends }
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// A finding with a stable id made of its kind and a hash of its claims, so that it keeps its
/// URL across rebuilds while the claims are the same.
pub fn finding(kind: &str, claims: Vec<String>, summary: String) -> Finding {
    let key: Vec<&str> = claims.iter().map(String::as_str).collect();
    let id = finding_id(kind, &key);
    Finding { id, kind: kind.to_string(), claims, summary }
}

/// A finding whose id is a hash of `key`: what the finding is about (a measure and the sources
/// that disagree on it, say), so that its URL, and every page linking it, stays the same when
/// the wording of one of its claims changes. Two findings with one key are told apart when the
/// findings are ordered.
pub fn finding_keyed(kind: &str, key: &[&str], claims: Vec<String>, summary: String) -> Finding {
    Finding { id: finding_id(kind, key), kind: kind.to_string(), claims, summary }
}

fn finding_id(kind: &str, key: &[&str]) -> String {
    let mut h = Sha256::new();
    for k in key {
        h.update(k.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{kind}-{hex}")
}

/// The first words of a quote, for a finding's sentence.
pub fn excerpt(quote: &str) -> String {
    const WORDS: usize = 14;
    let words: Vec<&str> = quote.split_whitespace().collect();
    let text = words.iter().take(WORDS).copied().collect::<Vec<_>>().join(" ");
    let text = text.trim_end_matches(['.', ',', ';', ':']).to_string();
    if words.len() > WORDS {
        format!("{text}…")
    } else {
        text
    }
}

/// The words of a quote around the longest word of `cue` (normalised), for a finding's
/// sentence.
pub fn excerpt_around(quote: &str, cue: &str) -> String {
    const BEFORE: usize = 5;
    const AFTER: usize = 9;
    let words: Vec<&str> = quote.split_whitespace().collect();
    let key = cue.split_whitespace().max_by_key(|w| w.len()).unwrap_or(cue);
    let Some(at) = words.iter().position(|w| super::rules::normalize(w).contains(key)) else {
        return excerpt(quote);
    };
    let start = at.saturating_sub(BEFORE);
    let end = (at + AFTER).min(words.len());
    let text = words[start..end].join(" ");
    let text = text.trim_end_matches(['.', ',', ';', ':']);
    format!("{}{text}{}", if start > 0 { "…" } else { "" }, if end < words.len() { "…" } else { "" })
}

/// Names joined for a sentence, unique, in order (a finding may name thousands of sources:
/// each is looked up in a set, not in the names so far).
pub fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut out = String::new();
    for i in items {
        if seen.insert(i) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::claims::{Reader, Readings};
    use super::super::testing::{attribute, doc};
    use super::*;
    use crate::lang::Language;

    /// Pairs recorded at once, by as many threads as the pool has, make the lists that
    /// recording them one by one makes, once settled.
    #[test]
    fn pairs_recorded_at_once_are_recorded_one_by_one() {
        let lang = Language::load("fr").unwrap();
        let docs: Vec<_> = (0..7)
            .map(|d| {
                let quotes =
                    ["Le ministère compte des soldats.", "Le ministère compte des blindés.", "On compte des navires."];
                let mut doc = doc(&format!("d{d}"), None, &quotes.map(|q| (q, &[][..])));
                attribute(&mut doc, 0, "le ministère", None);
                attribute(&mut doc, 1, "le ministère", None);
                doc
            })
            .collect();
        let reader = Reader::new(&lang);
        let mut readings = Readings::default();
        readings.update(&reader, &docs);
        let (claims, _) = readings.claims(&docs);
        let n = claims.len();
        // Every kind of pair: same document, same origin, a claim with itself, repeated.
        let pairs: Vec<Pair> = (0..n * n)
            .map(|k| (k / n, k % n))
            .map(|(a, b)| if (a + b) % 2 == 1 { Pair::disagree(a, b) } else { Pair::agree(a, b) })
            .collect();
        let mut one_by_one = Evidence::new(n);
        for p in &pairs {
            match *p {
                Pair::Agree(a, b) => one_by_one.agree(&claims, a as usize, b as usize),
                Pair::Disagree(a, b) => one_by_one.disagree(&claims, a as usize, b as usize),
            }
        }
        one_by_one.settle();
        for threads in [1, 2, 3, 5] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut at_once = Evidence::new(n);
            let (first, rest) = pairs.split_at(pairs.len() / 3);
            pool.install(|| at_once.record(&claims, &[first.to_vec(), Vec::new(), rest.to_vec()]));
            at_once.settle();
            assert_eq!(at_once.corroborated_by, one_by_one.corroborated_by, "{threads} threads");
            assert_eq!(at_once.relayed_by, one_by_one.relayed_by);
            assert_eq!(at_once.disputed_by, one_by_one.disputed_by);
            assert_eq!(at_once.contradicts, one_by_one.contradicts);
            assert!(one_by_one.relayed_by.iter().any(|l| !l.is_empty()));
            assert!(one_by_one.corroborated_by.iter().any(|l| !l.is_empty()));
            assert!(one_by_one.contradicts.iter().any(|l| !l.is_empty()));
        }
    }
}
