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

/// Additions to the lists a thread of [`Evidence::record`] sorts out before it makes them.
const ADDS: usize = 1 << 20;

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
    /// each of which reads every pair, sorts out those that concern its own claims, and grows
    /// each of their lists once per [`ADDS`] additions. The lists come out in another order than
    /// [`Evidence::agree`] and [`Evidence::disagree`] one by one would leave them, which
    /// [`Evidence::settle`] makes the same.
    pub fn record(&mut self, claims: &[Claim], batches: &[Vec<Pair>]) {
        let n = claims.len();
        // What tells a pair's list, claim by claim, in one compact table the threads read at
        // random.
        let sides: Vec<Side> = claims.iter().map(Side::of).collect();
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
            // (A bounded batch at a time: an archive's pairs are tens of millions.)
            let mut adds = Vec::new();
            for &pair in batches.iter().flatten() {
                shard.sort_out(&sides, pair, &mut adds);
                if adds.len() >= ADDS {
                    shard.add_all(&adds);
                    adds.clear();
                }
            }
            shard.add_all(&adds);
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

    /// Its two claims, and whether they agree.
    fn parts(self) -> (usize, usize, bool) {
        match self {
            Pair::Agree(a, b) => (a as usize, b as usize, true),
            Pair::Disagree(a, b) => (a as usize, b as usize, false),
        }
    }
}

#[derive(Clone, Copy)]
enum List {
    Corroborated,
    Relayed,
    Disputed,
    Contradicts,
}

/// How many kinds of [`List`] there are.
const LISTS: usize = 4;

impl List {
    const ALL: [List; LISTS] = [List::Corroborated, List::Relayed, List::Disputed, List::Contradicts];
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

/// What [`Evidence::record`] reads of a claim to tell which list a pair goes to.
#[derive(Clone, Copy)]
struct Side {
    doc: u32,
    origin: u32,
}

/// The list a pair of claims goes to, given whether they agree, and whether one document says
/// both and they rest on one origin; `None` for none.
fn list_of(agree: bool, same_doc: bool, same_origin: bool, same_claim: bool) -> Option<List> {
    match (agree, same_doc, same_origin) {
        (true, true, _) => None,
        (true, false, true) => Some(List::Relayed),
        (true, false, false) => Some(List::Corroborated),
        (false, ..) if same_claim => None,
        (false, true, true) => Some(List::Contradicts),
        (false, ..) => Some(List::Disputed),
    }
}

impl Side {
    /// What `claim` tells.
    fn of(claim: &Claim) -> Side {
        Side { doc: claim.doc as u32, origin: claim.origin_id }
    }
}

impl Shard<'_> {
    /// Where `pair` goes in the shard's lists: (place in the shard, list, other claim) for each
    /// of its two claims that is the shard's; `side` tells each claim's document and origin.
    fn places(&self, pair: Pair, side: impl Fn(usize) -> Side) -> [Option<(usize, List, usize)>; 2] {
        let (a, b, agree) = pair.parts();
        if !self.holds(a) && !self.holds(b) {
            return [None, None];
        }
        let (sa, sb) = (side(a), side(b));
        let Some(list) = list_of(agree, sa.doc == sb.doc, sa.origin == sb.origin, a == b) else {
            return [None, None];
        };
        [(a, b), (b, a)].map(|(x, y)| self.holds(x).then(|| (x - self.start, list, y)))
    }

    /// Record `pair` in the lists of those of its two claims that are the shard's (see
    /// [`Evidence::agree`] and [`Evidence::disagree`]).
    fn record(&mut self, claims: &[Claim], pair: Pair) {
        for (at, list, other) in self.places(pair, |x| Side::of(&claims[x])).into_iter().flatten() {
            self.lists(list)[at].push(other);
            self.grew[at] = true;
        }
    }

    /// What `pair` adds to the shard's lists, pushed on `adds` as (place in the shard and list,
    /// other claim): see [`Shard::add_all`].
    fn sort_out(&self, sides: &[Side], pair: Pair, adds: &mut Vec<(u32, u32)>) {
        for (at, list, other) in self.places(pair, |x| sides[x]).into_iter().flatten() {
            adds.push(((at * LISTS + list as usize) as u32, other as u32));
        }
    }

    /// Add what [`Shard::sort_out`] found, each list grown once.
    fn add_all(&mut self, adds: &[(u32, u32)]) {
        if adds.is_empty() {
            return;
        }
        let mut counts = vec![0u32; self.grew.len() * LISTS];
        for &(slot, _) in adds {
            counts[slot as usize] += 1;
        }
        for (slot, &count) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            let (at, list) = (slot / LISTS, List::ALL[slot % LISTS]);
            self.lists(list)[at].reserve(count as usize);
            self.grew[at] = true;
        }
        for &(slot, other) in adds {
            let (at, list) = (slot as usize / LISTS, List::ALL[slot as usize % LISTS]);
            self.lists(list)[at].push(other as usize);
        }
    }

    /// True when claim `x` is one of the shard's.
    fn holds(&self, x: usize) -> bool {
        x.checked_sub(self.start).is_some_and(|at| at < self.grew.len())
    }

    /// The shard's lists of one kind.
    fn lists(&mut self, list: List) -> &mut [Vec<usize>] {
        match list {
            List::Corroborated => self.corroborated_by,
            List::Relayed => self.relayed_by,
            List::Disputed => self.disputed_by,
            List::Contradicts => self.contradicts,
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
        // More pairs than a thread sorts out at once: every pair in the first batch, then one
        // of them over and over. The lists grow batch after batch.
        let again = *pairs
            .iter()
            .find(|p| matches!(p, Pair::Agree(a, b) if claims[*a as usize].doc != claims[*b as usize].doc))
            .unwrap();
        let many: Vec<Pair> = pairs.iter().copied().chain(std::iter::repeat_n(again, ADDS)).collect();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut at_once = Evidence::new(n);
            pool.install(|| at_once.record(&claims, std::slice::from_ref(&many)));
            at_once.settle();
            assert_eq!(at_once.corroborated_by, one_by_one.corroborated_by, "{threads} threads, batches");
            assert_eq!(at_once.relayed_by, one_by_one.relayed_by);
            assert_eq!(at_once.disputed_by, one_by_one.disputed_by);
            assert_eq!(at_once.contradicts, one_by_one.contradicts);
        }
    }
}
