//! The claims related to each claim (those that corroborate it, then those that conflict with
//! it), laid out compactly: an archive has hundreds of thousands of claims with several related
//! claims each, and a map from id to a list of owned ids held a kilobyte per claim. Here each
//! claim id is written once, and a related claim is its number and a relation.

use super::evidence::{Evidence, Packed, CAP};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How another claim bears on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// It says the same (from another origin).
    Corroborates,
    /// It disagrees, or the source contradicts itself.
    Conflicts,
}

impl Relation {
    /// Its machine name: `corroborates` or `conflicts`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Corroborates => "corroborates",
            Relation::Conflicts => "conflicts",
        }
    }
}

/// A claim related to another: its id and how it bears on the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related<'a> {
    /// The related claim's id.
    pub claim: &'a str,
    /// How it bears on the claim.
    pub relation: Relation,
}

/// The claims related to each claim, by claim id. Of two claims with one id (which a
/// well-formed report does not have), the later one's list is the one found. Two are equal
/// when they hold the same lists, however they number the claims.
#[derive(Debug, Clone, Default)]
pub struct RelatedClaims {
    /// Every claim id named, laid end to end, and where each ends.
    text: String,
    ends: Vec<usize>,
    /// The claims (numbers into `ends`) that have related claims, sorted by id, each id once,
    /// and where their lists start in `entries` (each list runs to the next start).
    by_id: Vec<(u32, u32)>,
    /// The lists, one after the other: a claim number and a relation.
    entries: Vec<(u32, Relation)>,
}

impl RelatedClaims {
    /// From lists of (claim id, related claims) in any order.
    pub fn from_lists<'a>(lists: impl IntoIterator<Item = (&'a str, Vec<Related<'a>>)>) -> RelatedClaims {
        let mut out = RelatedClaims::default();
        let mut number: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
        let mut name = |out: &mut RelatedClaims, id: &'a str| {
            *number.entry(id).or_insert_with(|| {
                out.text.push_str(id);
                out.ends.push(out.text.len());
                out.ends.len() as u32 - 1
            })
        };
        let mut lists: Vec<(u32, Vec<(u32, Relation)>)> = lists
            .into_iter()
            .map(|(id, list)| {
                let n = name(&mut out, id);
                (n, list.into_iter().map(|r| (name(&mut out, r.claim), r.relation)).collect())
            })
            .collect();
        lists.retain(|(_, l)| !l.is_empty());
        lists.sort_by(|a, b| out.id(a.0).cmp(out.id(b.0)));
        for (n, list) in lists {
            out.open(n);
            out.entries.extend(list);
        }
        out
    }

    /// Start the list of claim `n` at the end of `entries`, lists coming in id order: of two
    /// claims with one id, the later one's list is the one kept.
    fn open(&mut self, n: u32) {
        if let Some(&(last, start)) = self.by_id.last() {
            if self.id(last) == self.id(n) {
                self.by_id.pop();
                self.entries.truncate(start as usize);
            }
        }
        self.by_id.push((n, self.entries.len() as u32));
    }

    /// From the evidence: for each claim, at most [`CAP`] claims of each kind of evidence.
    /// `ids` are the claims' ids in claim order, and `by_id` every claim number in id order
    /// (a stable sort: of equal ids, claim order is kept, and the last is the one looked up).
    pub(super) fn from_evidence(ids: Packed, by_id: &[u32], evidence: &Evidence) -> RelatedClaims {
        let (text, ends) = ids.into_parts();
        let mut out = RelatedClaims { text, ends, by_id: Vec::new(), entries: Vec::new() };
        let groups = |i: usize| {
            [
                (evidence.corroborated_by(i), Relation::Corroborates),
                (evidence.disputed_by(i), Relation::Conflicts),
                (evidence.contradicts(i), Relation::Conflicts),
            ]
        };
        let length = |i: usize| groups(i).iter().map(|(set, _)| set.len().min(CAP)).sum::<usize>();
        out.entries.reserve((0..out.ends.len()).into_par_iter().map(length).sum());
        for &n in by_id {
            let i = n as usize;
            if length(i) > 0 {
                out.open(n);
                for (set, relation) in groups(i) {
                    out.entries.extend(set.iter().take(CAP).map(|&j| (j, relation)));
                }
            }
        }
        out
    }

    /// Claim numbers `0..ids.len()` in the order of their ids (a stable sort).
    pub(super) fn id_order(ids: &Packed) -> Vec<u32> {
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.par_sort_by(|&a, &b| ids.get(a as usize).cmp(ids.get(b as usize)));
        order
    }

    fn id(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.text[start..self.ends[n]]
    }

    /// The list of the claim at `by_id[k]`.
    fn list(&self, k: usize) -> RelatedList<'_> {
        let start = self.by_id[k].1 as usize;
        let end = self.by_id.get(k + 1).map_or(self.entries.len(), |next| next.1 as usize);
        RelatedList { owner: self, entries: &self.entries[start..end] }
    }

    /// Positions in `by_id` of the lists found by id (each id is there once).
    fn found(&self) -> impl Iterator<Item = usize> + '_ {
        0..self.by_id.len()
    }

    /// The claims related to claim `id`, if any.
    pub fn get(&self, id: &str) -> Option<RelatedList<'_>> {
        // The first position past the equal ids, then one back: the last of them.
        let end = self.by_id.partition_point(|&(n, _)| self.id(n) <= id);
        (end > 0 && self.id(self.by_id[end - 1].0) == id).then(|| self.list(end - 1))
    }

    /// Every claim with related claims and its list, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, RelatedList<'_>)> {
        self.found().map(|k| (self.id(self.by_id[k].0), self.list(k)))
    }

    /// The number of claims with related claims.
    pub fn len(&self) -> usize {
        self.found().count()
    }

    /// True when no claim has related claims.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The ids of the claims whose lists differ between `self` and `other` (or that only one
    /// has a list for), in id order.
    pub fn differing<'a>(&'a self, other: &'a RelatedClaims) -> Vec<&'a str> {
        self.differing_shown(other, usize::MAX)
    }

    /// [`RelatedClaims::differing`], as a reader shown the first `shown` related claims of each
    /// list and the number of the others sees them: lists that differ only further on are the
    /// same.
    ///
    /// Two reports' lists number their claims alike where their claims are the same (in the
    /// same order): where a number names the same id in both, two entries with that number
    /// are the same without their ids being compared (hundreds of thousands of ids that share
    /// a 60-byte prefix, in an archive).
    pub fn differing_shown<'a>(&'a self, other: &'a RelatedClaims, shown: usize) -> Vec<&'a str> {
        let alike: Vec<bool> = (0..self.ends.len().min(other.ends.len()) as u32)
            .into_par_iter()
            .map(|n| self.id(n) == other.id(n))
            .collect();
        let same_claim = |a: u32, b: u32| (a == b && alike[a as usize]) || self.id(a) == other.id(b);
        let same_list = |a: RelatedList, b: RelatedList| {
            let (x, y) = (a.entries, b.entries);
            x.len().saturating_sub(shown) == y.len().saturating_sub(shown)
                && x.len().min(shown) == y.len().min(shown)
                && x.iter().zip(y).take(shown).all(|(&(m, p), &(n, q))| p == q && same_claim(m, n))
        };
        let alike_ref: &[bool] = &alike;
        let keys = |c: &'a RelatedClaims| {
            c.found().map(move |k| (Key { n: c.by_id[k].0, id: c.id(c.by_id[k].0), alike: alike_ref }, c.list(k)))
        };
        crate::report::differing_keys(keys(self), keys(other), |a, b| same_list(*a, *b))
            .into_iter()
            .map(|k| k.id)
            .collect()
    }

    /// The ids of the claims, in id order, among whose first `shown` related claims is one of
    /// `ids`.
    pub fn naming<'a>(&'a self, ids: &rustc_hash::FxHashSet<&str>, shown: usize) -> Vec<&'a str> {
        if ids.is_empty() {
            return Vec::new();
        }
        // Each id looked up once, not once for every list that names it.
        let named: Vec<bool> = (0..self.ends.len() as u32).into_par_iter().map(|n| ids.contains(self.id(n))).collect();
        self.found()
            .filter(|&k| self.list(k).entries.iter().take(shown).any(|&(n, _)| named[n as usize]))
            .map(|k| self.id(self.by_id[k].0))
            .collect()
    }
}

/// A claim of one of two lists of related claims, ordered by id: two with a number that names
/// the same id in both (`alike`) are equal without their ids being compared.
#[derive(Clone, Copy)]
struct Key<'i, 'l> {
    n: u32,
    id: &'i str,
    alike: &'l [bool],
}

impl Ord for Key<'_, '_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.n == other.n && self.alike.get(self.n as usize).copied().unwrap_or(false) {
            std::cmp::Ordering::Equal
        } else {
            self.id.cmp(other.id)
        }
    }
}

impl PartialOrd for Key<'_, '_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Key<'_, '_> {}

impl PartialEq for RelatedClaims {
    fn eq(&self, other: &RelatedClaims) -> bool {
        self.differing(other).is_empty()
    }
}

impl Eq for RelatedClaims {}

/// The claims related to one claim: those that corroborate it, then those that conflict with it.
#[derive(Debug, Clone, Copy)]
pub struct RelatedList<'a> {
    owner: &'a RelatedClaims,
    entries: &'a [(u32, Relation)],
}

impl<'a> RelatedList<'a> {
    /// How many.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none (a list found by [`RelatedClaims::get`] never is).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each related claim, in order.
    pub fn iter(&self) -> impl Iterator<Item = Related<'a>> + 'a {
        let owner = self.owner;
        self.entries.iter().map(move |&(n, relation)| Related { claim: owner.id(n), relation })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(claim: &str, relation: Relation) -> Related<'_> {
        Related { claim, relation }
    }

    #[test]
    fn lists_are_found_by_id_and_compared_by_content() {
        let a = RelatedClaims::from_lists([
            ("b-1", vec![r("a-0", Relation::Conflicts)]),
            ("a-0", vec![r("b-1", Relation::Conflicts), r("c-2", Relation::Corroborates)]),
            ("c-2", vec![r("a-0", Relation::Corroborates)]),
            ("d-3", vec![]),
        ]);
        let got: Vec<_> = a.get("a-0").unwrap().iter().collect();
        assert_eq!(got, [r("b-1", Relation::Conflicts), r("c-2", Relation::Corroborates)]);
        assert!(a.get("d-3").is_none() && a.get("zz").is_none() && a.get("").is_none());
        assert_eq!(a.iter().map(|(id, _)| id).collect::<Vec<_>>(), ["a-0", "b-1", "c-2"]);
        assert_eq!(a.len(), 3);
        // The same lists given in another order, and written with other numbers, are equal.
        let same = RelatedClaims::from_lists([
            ("c-2", vec![r("a-0", Relation::Corroborates)]),
            ("a-0", vec![r("b-1", Relation::Conflicts), r("c-2", Relation::Corroborates)]),
            ("b-1", vec![r("a-0", Relation::Conflicts)]),
        ]);
        assert!(a.differing(&same).is_empty() && a == same);
        let other = RelatedClaims::from_lists([
            ("a-0", vec![r("b-1", Relation::Corroborates), r("c-2", Relation::Corroborates)]),
            ("c-2", vec![r("a-0", Relation::Corroborates)]),
            ("e-4", vec![r("c-2", Relation::Conflicts)]),
        ]);
        assert_eq!(a.differing(&other), ["a-0", "b-1", "e-4"]);
        assert_eq!(other.differing(&a), ["a-0", "b-1", "e-4"]);
        assert!(a != other);
        // As shown: only the first entry of each list, and how many others.
        assert_eq!(a.differing_shown(&other, 1), ["a-0", "b-1", "e-4"]);
        let longer = RelatedClaims::from_lists([
            ("b-1", vec![r("a-0", Relation::Conflicts)]),
            ("a-0", vec![r("b-1", Relation::Conflicts), r("e-4", Relation::Conflicts)]),
            ("c-2", vec![r("a-0", Relation::Corroborates)]),
        ]);
        assert_eq!(a.differing_shown(&longer, 1), Vec::<&str>::new());
        assert_eq!(a.differing_shown(&longer, 2), ["a-0"]);
        // Which lists name a claim among those shown.
        let ids: rustc_hash::FxHashSet<&str> = ["c-2"].into_iter().collect();
        assert_eq!(a.naming(&ids, 2), ["a-0"]);
        assert!(a.naming(&ids, 1).is_empty());
        let ids: rustc_hash::FxHashSet<&str> = ["a-0"].into_iter().collect();
        assert_eq!(a.naming(&ids, 1), ["b-1", "c-2"]);
    }

    /// Of two claims with one id, the later one's list is the one found; a later claim without
    /// a list leaves the earlier one's.
    #[test]
    fn of_two_claims_with_one_id_the_later_list_is_found() {
        let a = RelatedClaims::from_lists([
            ("a-0", vec![r("b-1", Relation::Conflicts)]),
            ("b-1", vec![r("a-0", Relation::Conflicts)]),
            ("a-0", vec![r("c-2", Relation::Corroborates)]),
            ("b-1", vec![]),
        ]);
        let list = |id| a.get(id).unwrap().iter().collect::<Vec<_>>();
        assert_eq!(list("a-0"), [r("c-2", Relation::Corroborates)]);
        assert_eq!(list("b-1"), [r("a-0", Relation::Conflicts)]);
        assert_eq!(a.len(), 2);
        let all: Vec<(&str, Vec<Related>)> = a.iter().map(|(id, l)| (id, l.iter().collect())).collect();
        assert_eq!(
            all,
            [("a-0", vec![r("c-2", Relation::Corroborates)]), ("b-1", vec![r("a-0", Relation::Conflicts)])]
        );
        let once = RelatedClaims::from_lists([
            ("b-1", vec![r("a-0", Relation::Conflicts)]),
            ("a-0", vec![r("c-2", Relation::Corroborates)]),
        ]);
        assert!(a == once && a.differing_shown(&once, 1).is_empty());
        let ids: rustc_hash::FxHashSet<&str> = ["c-2"].into_iter().collect();
        assert_eq!(a.naming(&ids, 1), ["a-0"]);
    }

    /// Lists built from the same claims, and from claims of which one changed (the numbers of
    /// the others alike): compared by number where their ids are alike, by id elsewhere.
    #[test]
    fn lists_of_claims_numbered_alike_are_compared_as_by_id() {
        let ids = ["a-0", "b-1", "c-2", "d-3"];
        let lists = |ids: [&'static str; 4], relation: Relation| {
            RelatedClaims::from_lists([
                (ids[0], vec![r(ids[1], relation), r(ids[2], Relation::Corroborates)]),
                (ids[1], vec![r(ids[0], relation)]),
                (ids[3], vec![r(ids[2], Relation::Corroborates)]),
            ])
        };
        let a = lists(ids, Relation::Conflicts);
        assert!(a.differing(&lists(ids, Relation::Conflicts)).is_empty());
        assert_eq!(a.differing(&lists(ids, Relation::Corroborates)), ["a-0", "b-1"]);
        // "b-1" became "b-9": numbered alike, another id.
        let moved = lists(["a-0", "b-9", "c-2", "d-3"], Relation::Conflicts);
        assert_eq!(a.differing(&moved), ["a-0", "b-1", "b-9"]);
        assert_eq!(moved.differing(&a), ["a-0", "b-1", "b-9"]);
    }
}
