//! What the cross-check learns about pairs of claims, gathered by every rule and read by the
//! verdicts: which claims agree (and whether independently), which disagree, which a source
//! contradicts itself with, which carry a date that cannot be right.

use super::claims::Claim;
use super::Finding;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// At most this many claims are named as related to one claim, and at most this many rows
/// are scanned for agreement from each row: it keeps the cost linear in big buckets.
pub const CAP: usize = 16;

/// Evidence per claim, by claim index.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Claims of other sources that agree and rest on another origin.
    pub corroborated_by: Vec<BTreeSet<usize>>,
    /// Claims of other sources that agree but rest on the same origin.
    pub relayed_by: Vec<BTreeSet<usize>>,
    /// Claims of other sources that disagree.
    pub disputed_by: Vec<BTreeSet<usize>>,
    /// Claims of the same source and origin that disagree.
    pub contradicts: Vec<BTreeSet<usize>>,
    /// A date of the claim cannot be right: the finding's summary.
    pub anachronism: Vec<Option<String>>,
}

impl Evidence {
    /// Empty evidence for `n` claims.
    pub fn new(n: usize) -> Evidence {
        Evidence {
            corroborated_by: vec![BTreeSet::new(); n],
            relayed_by: vec![BTreeSet::new(); n],
            disputed_by: vec![BTreeSet::new(); n],
            contradicts: vec![BTreeSet::new(); n],
            anachronism: vec![None; n],
        }
    }

    /// Record that claims `a` and `b` agree.
    pub fn agree(&mut self, claims: &[Claim], a: usize, b: usize) {
        if claims[a].doc == claims[b].doc {
            return;
        }
        let set = if claims[a].origin == claims[b].origin { &mut self.relayed_by } else { &mut self.corroborated_by };
        set[a].insert(b);
        set[b].insert(a);
    }

    /// Record that claims `a` and `b` disagree: a contradiction when one source says both on
    /// its own account (or citing one speaker), else a dispute.
    pub fn disagree(&mut self, claims: &[Claim], a: usize, b: usize) {
        if a == b {
            return;
        }
        let same = claims[a].doc == claims[b].doc && claims[a].origin == claims[b].origin;
        let set = if same { &mut self.contradicts } else { &mut self.disputed_by };
        set[a].insert(b);
        set[b].insert(a);
    }
}

/// A finding with a stable id made of its kind and a hash of its claims, so that it keeps its
/// URL across rebuilds while the claims are the same.
pub fn finding(kind: &str, claims: Vec<String>, summary: String) -> Finding {
    let mut h = Sha256::new();
    for c in &claims {
        h.update(c.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    Finding { id: format!("{kind}-{hex}"), kind: kind.to_string(), claims, summary }
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

/// Names joined for a sentence, unique, in order.
pub fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen.join(", ")
}
