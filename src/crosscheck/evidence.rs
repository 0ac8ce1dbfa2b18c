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

    /// Record that claims `a` and `b` agree.
    pub fn agree(&mut self, claims: &[Claim], a: usize, b: usize) {
        if claims[a].doc == claims[b].doc {
            return;
        }
        let set =
            if claims[a].origin_id == claims[b].origin_id { &mut self.relayed_by } else { &mut self.corroborated_by };
        set[a].push(b);
        set[b].push(a);
        self.grew[a] = true;
        self.grew[b] = true;
    }

    /// Record that claims `a` and `b` disagree: a contradiction when one source says both on
    /// its own account (or citing one speaker), else a dispute.
    pub fn disagree(&mut self, claims: &[Claim], a: usize, b: usize) {
        if a == b {
            return;
        }
        let same = claims[a].doc == claims[b].doc && claims[a].origin_id == claims[b].origin_id;
        let set = if same { &mut self.contradicts } else { &mut self.disputed_by };
        set[a].push(b);
        set[b].push(a);
        self.grew[a] = true;
        self.grew[b] = true;
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
