//! What the last run of the cross-check concluded, kept by `factsite serve` for the next run.
//! After one source changed, most claims have the evidence they had: their verdicts, the
//! same-origin findings and the order of the findings are then the last run's, and only what
//! the change can touch is worked out again. The result is the one a run from scratch gives:
//! whatever is taken from the last run is taken only where everything it was made from is the
//! same.

use super::claims::Claim;
use super::evidence::{Evidence, Packed};
use super::rules::CrosscheckRules;
use super::verdict::{self, Verdict, NAMED};
use super::Finding;
use crate::annotate::ClaimRecord;
use arcstr::ArcStr;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The conclusions of the last run, by claim number.
#[derive(Debug)]
pub struct Last {
    /// The code of the language it ran in.
    pub lang: String,
    /// The number of reported claims of each document.
    pub counts: Vec<usize>,
    /// Every claim's id, in claim order.
    pub ids: Packed,
    /// Every claim number in id order (see [`super::RelatedClaims::id_order`]).
    pub by_id: Vec<u32>,
    /// The evidence, settled.
    pub evidence: Evidence,
    /// Every claim's automatic verdict, in claim order.
    pub verdicts: Vec<Verdict>,
    /// The same-origin findings, each with its group's claims, in the order of their first claim.
    pub origins: Vec<(Vec<usize>, Finding)>,
}

/// The last run, as this one sees it: which of its claims are this run's.
pub struct Then {
    last: Last,
    /// Per claim: it is the last run's claim of the same number, read alike (its document was
    /// vouched for).
    clean: Vec<bool>,
    /// The claims whose ids are not those the claims of their numbers had, in claim order.
    renamed: Vec<u32>,
}

/// The number of reported claims of each of `docs` documents.
pub fn counts(claims: &[Claim], docs: usize) -> Vec<usize> {
    let mut counts = vec![0; docs];
    for c in claims {
        counts[c.doc] += 1;
    }
    counts
}

impl Then {
    /// Whether this run sees `last` at all: it ran in the same language on documents with as
    /// many claims each (so that claim numbers name the same claims).
    pub fn fits(last: &Last, lang: &str, counts: &[usize]) -> bool {
        last.lang == lang && last.counts == counts
    }

    /// The last run as this one sees it (one that [`Then::fits`]); `unchanged` flags the
    /// documents vouched for.
    pub fn new(last: Last, claims: &[Claim], unchanged: &[bool]) -> Then {
        let clean: Vec<bool> = claims.par_iter().map(|c| unchanged.get(c.doc) == Some(&true)).collect();
        let renamed = (0..claims.len())
            .filter(|&i| !clean[i] && claims[i].record.id != last.ids.get(i))
            .map(|i| i as u32)
            .collect();
        Then { last, clean, renamed }
    }

    /// The last run's verdict of claim `i`, when it holds: the claim is read alike, its lists of
    /// evidence start with the same claims (those its rationale names) and hold more or not,
    /// and the claims named are read alike.
    fn verdict(&self, i: usize, evidence: &Evidence) -> Option<&Verdict> {
        let named = || {
            [evidence.contradicts(i), evidence.disputed_by(i), evidence.corroborated_by(i), evidence.relayed_by(i)]
                .into_iter()
                .all(|list| list.iter().take(NAMED).all(|&j| self.clean[j as usize]))
        };
        (self.clean[i] && evidence.same_start(&self.last.evidence, i, NAMED) && named()).then(|| &self.last.verdicts[i])
    }

    /// What the last run made of the group of claims `members` (in claim order) that holds:
    /// its same-origin finding when the group is the same and its claims are read alike, else
    /// the finding's claims when none of them was renamed.
    pub fn origin(&self, members: &[usize]) -> Option<super::origin::Made> {
        use super::origin::Made;
        let groups = &self.last.origins;
        let k = groups.binary_search_by_key(&members.first()?, |(m, _)| &m[0]).ok()?;
        let (was, finding) = &groups[k];
        if was != members {
            return None;
        }
        if members.iter().all(|&i| self.clean[i]) {
            return Some(Made::Finding(finding.clone()));
        }
        // (Members and the claims renamed are both sorted, and few claims are renamed.)
        let renamed = self.renamed.iter().any(|&i| members.binary_search(&(i as usize)).is_ok());
        (!renamed).then(|| Made::Ids(std::sync::Arc::clone(&finding.claims)))
    }
}

/// The automatic verdict of every claim, in claim order: the last run's where it holds.
pub fn verdicts(
    then: Option<&Then>,
    records: &[&ClaimRecord],
    read: &verdict::Read,
    evidence: &Evidence,
    rules: &CrosscheckRules,
) -> Vec<Verdict> {
    let (mut verdicts, fresh): (Vec<Verdict>, Vec<bool>) = records
        .par_iter()
        .enumerate()
        .map(|(i, record)| match then.and_then(|t| t.verdict(i, evidence)) {
            Some(v) => (v.clone(), false),
            None => (verdict::of(i, record, read, evidence, rules), true),
        })
        .unzip();
    verdict::share_rationales(&mut verdicts, &fresh);
    verdicts
}

/// The verdict of every claim by id, `verdict` giving claim `i`'s, keyed by the claims' own
/// ids (shared with their records), in id order `order` (see [`ids`]): of equal ids, the last
/// in claim order wins, as if inserted one by one.
pub fn by_id(
    records: &[&ClaimRecord],
    order: &[u32],
    mut verdict: impl FnMut(usize) -> Verdict,
) -> BTreeMap<ArcStr, Verdict> {
    order.iter().map(|&i| (records[i as usize].id.clone(), verdict(i as usize))).collect()
}

/// The claims' ids and every claim number in id order: the last run's order with the claims
/// whose ids changed put back in their places, when there is a last run.
pub fn ids(then: Option<&Then>, records: &[&ClaimRecord]) -> (Packed, Vec<u32>) {
    let packed = || Packed::new(records.len(), |i, out| out.push_str(&records[i].id));
    let Some(then) = then else {
        let ids = packed();
        let by_id = super::RelatedClaims::id_order(&ids);
        return (ids, by_id);
    };
    if then.renamed.is_empty() {
        // Every claim has the id its number had: the last run's ids, copied rather than
        // gathered again from every record.
        let ids = then.last.ids.clone();
        debug_assert_eq!(ids, packed());
        return (ids, then.last.by_id.clone());
    }
    // The last run's ids but those of the claims renamed.
    let ids = then.last.ids.patched(&then.renamed, |i| &records[i].id);
    debug_assert_eq!(ids, packed());
    // Sorted by id, then claim number (a stable sort's order): the claims renamed are sorted
    // and each put where it goes among the others.
    let key = |n: u32| (ids.get(n as usize), n);
    let mut moved = then.renamed.clone();
    moved.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let kept: Vec<u32> = then.last.by_id.iter().copied().filter(|n| then.renamed.binary_search(n).is_err()).collect();
    let mut by_id = Vec::with_capacity(records.len());
    let mut from = 0;
    for m in moved {
        let at = from + kept[from..].partition_point(|&n| key(n) < key(m));
        by_id.extend_from_slice(&kept[from..at]);
        by_id.push(m);
        from = at;
    }
    by_id.extend_from_slice(&kept[from..]);
    (ids, by_id)
}
