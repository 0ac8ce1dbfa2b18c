//! The indexes the render makes of every claim of a report, kept for the next one: `serve`'s
//! rebuild hands the last report's [`Indexes`] to [`render_changed`](super::render_changed),
//! which shares them when they still hold, instead of going over every claim of the archive
//! again for an edit that moved none.
//!
//! - [`ClaimIndex`], each claim by id, holds while every document's reported claims keep
//!   their ids and places (an editor's verdict, a line added without a claim);
//! - [`AutoLabels`], each claim's automatic verdict label by number (the home page's tally),
//!   holds while the claim index does and the analysis is the same;
//! - [`Mentions`], the claims (by number) that mention each entity, holds while the claim
//!   index does and each changed document's claims name the same entities;
//! - [`TopicRanks`], each claim's place in its topic's list, and [`ClaimFindings`], the
//!   findings that name each claim, hold while the claim index does and the analysis is the
//!   same.
//!
//! With them, the pages of topics, entities and findings that show a changed claim are found
//! from the claim (its topic and place, the entities it names and its place in their lists,
//! the findings that name it), not by looking every claim of every list up among the changed
//! ones.

use crate::annotate::ClaimRecord;
use crate::report::{Document, Report};
use arcstr::ArcStr;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// What the render of a report indexed that the next report may share.
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    pub(super) claims: Option<Arc<ClaimIndex>>,
    pub(super) labels: Option<Arc<AutoLabels>>,
    pub(super) mentions: Option<Arc<Mentions>>,
    pub(super) ranks: Option<Arc<TopicRanks>>,
    pub(super) findings: Option<Arc<ClaimFindings>>,
}

impl Indexes {
    /// What of `last` (the last report rendered, with what its render indexed) holds for
    /// `report`: the claim index first, the others only with it.
    pub fn shared(last: Option<(&Report, &Indexes)>, report: &Report) -> Indexes {
        let Some((before, ix)) = last else { return Indexes::default() };
        let Some(claims) = ix.claims.as_ref().and_then(|c| ClaimIndex::shared(c, before, report)) else {
            return Indexes::default();
        };
        let same_analysis = Arc::ptr_eq(&before.analysis, &report.analysis);
        let same_entities = || {
            before.docs.iter().zip(&report.docs).all(|(a, b)| {
                Arc::ptr_eq(a, b) || a.reported_claims().zip(b.reported_claims()).all(|(c, d)| c.entities == d.entities)
            })
        };
        Indexes {
            claims: Some(claims),
            labels: ix.labels.clone().filter(|_| same_analysis),
            mentions: ix.mentions.clone().filter(|_| same_entities()),
            ranks: ix.ranks.clone().filter(|_| same_analysis),
            findings: ix.findings.clone().filter(|_| same_analysis),
        }
    }
}

/// Each reported claim of a report by id: its document, its place among the document's
/// claims, and its number (its place among the report's reported claims).
#[derive(Debug)]
pub struct ClaimIndex {
    by_id: FxHashMap<ArcStr, [u32; 3]>,
    /// Each claim by number: its document and place.
    by_number: Vec<[u32; 2]>,
    /// The number of reported claims (more than `by_id` holds when two share an id).
    claims: usize,
}

impl ClaimIndex {
    /// Index the claims of `report`. Where an id comes twice, the last one counts, as
    /// [`Analysis::topic_of`](crate::crosscheck::Analysis::topic_of) has it.
    pub fn new(report: &Report) -> ClaimIndex {
        let mut by_id = FxHashMap::with_capacity_and_hasher(report.docs.len() * 4, Default::default());
        let mut by_number = Vec::with_capacity(report.docs.len() * 4);
        for (d, doc) in report.docs.iter().enumerate() {
            for (k, c) in reported(doc) {
                by_id.insert(c.id.clone(), [d as u32, k as u32, by_number.len() as u32]);
                by_number.push([d as u32, k as u32]);
            }
        }
        ClaimIndex { by_id, claims: by_number.len(), by_number }
    }

    /// The index made for `before`, when it holds for `after` too: the same number of
    /// documents, and each document either the same or with its reported claims at the same
    /// places under the same ids. Else `None`.
    pub fn shared(index: &Arc<ClaimIndex>, before: &Report, after: &Report) -> Option<Arc<ClaimIndex>> {
        let holds = before.docs.len() == after.docs.len()
            && before.docs.iter().zip(&after.docs).all(|(a, b)| Arc::ptr_eq(a, b) || same_places(a, b));
        holds.then(|| Arc::clone(index))
    }

    /// The claim `id` of `report` (the report this index was made for, or one it holds for),
    /// with its number.
    pub fn get<'r>(&self, report: &'r Report, id: &str) -> Option<(&'r Document, &'r ClaimRecord, u32)> {
        let &[d, k, n] = self.by_id.get(id)?;
        let doc = report.docs.get(d as usize)?;
        Some((doc, doc.record.claims.get(k as usize)?, n))
    }

    /// The claim number `n` of `report` (the report this index was made for, or one it holds
    /// for).
    pub fn nth<'r>(&self, report: &'r Report, n: usize) -> Option<(&'r Document, &'r ClaimRecord)> {
        let &[d, k] = self.by_number.get(n)?;
        let doc = report.docs.get(d as usize)?;
        Some((doc, doc.record.claims.get(k as usize)?))
    }

    /// The number of the claim `id`.
    pub fn number(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).map(|&[_, _, n]| n)
    }

    /// How many claims the report reports.
    pub fn claims(&self) -> usize {
        self.claims
    }

    /// True when no two claims share an id.
    pub fn unique_ids(&self) -> bool {
        self.by_id.len() == self.claims
    }
}

/// The reported claims of a document with their places among its claims.
fn reported(d: &Document) -> impl Iterator<Item = (usize, &ClaimRecord)> {
    d.record.claims.iter().enumerate().filter(|(_, c)| c.is_reported())
}

/// Whether two documents report claims with the same ids at the same places.
fn same_places(a: &Document, b: &Document) -> bool {
    let (mut x, mut y) = (reported(a), reported(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some((i, c)), Some((j, d))) if i == j && c.id == d.id => {}
            _ => return false,
        }
    }
}

/// The label of each claim's automatic verdict, by the claim's number: what the home page's
/// tally of every claim reads, without looking each claim's verdict up by id.
#[derive(Debug)]
pub struct AutoLabels {
    /// Per claim: its label's place in `names`, or [`AutoLabels::NONE`] for a claim without
    /// an automatic verdict.
    codes: Box<[u8]>,
    names: Vec<Arc<str>>,
}

impl AutoLabels {
    const NONE: u8 = u8::MAX;

    /// The labels of the verdicts of `report`, indexed by `index` (made for it, with unique
    /// ids); `None` when they are too many different labels to code in a byte.
    pub fn new(report: &Report, index: &ClaimIndex) -> Option<AutoLabels> {
        debug_assert!(index.unique_ids());
        let mut codes = vec![AutoLabels::NONE; index.claims].into_boxed_slice();
        let mut names: Vec<Arc<str>> = Vec::new();
        for (id, verdict) in &report.analysis.verdicts {
            let Some(&[_, _, n]) = index.by_id.get(id.as_str()) else { continue };
            let code = match names.iter().position(|l| Arc::ptr_eq(l, &verdict.label) || *l == verdict.label) {
                Some(code) => code,
                None => {
                    names.push(Arc::clone(&verdict.label));
                    names.len() - 1
                }
            };
            codes[n as usize] = u8::try_from(code).ok().filter(|&c| c != AutoLabels::NONE)?;
        }
        Some(AutoLabels { codes, names })
    }

    /// How many codes there are: one per label, and one for "no automatic verdict".
    pub fn codes(&self) -> usize {
        self.names.len() + 1
    }

    /// The code of the automatic label of claim number `n`, below [`AutoLabels::codes`].
    pub fn code(&self, n: usize) -> usize {
        match self.codes.get(n) {
            Some(&code) if code != AutoLabels::NONE => code as usize,
            _ => self.names.len(),
        }
    }

    /// The label of `code`: "unchecked" for a claim without an automatic verdict.
    pub fn name(&self, code: usize) -> &str {
        self.names.get(code).map_or("unchecked", |l| l)
    }
}

/// The claims that mention each entity, by number, in order (a claim that names an entity
/// twice comes twice).
#[derive(Debug, Default)]
pub struct Mentions {
    of: FxHashMap<Box<str>, Vec<u32>>,
}

impl Mentions {
    /// The mentions of the entities of `report`'s claims.
    pub fn new(report: &Report) -> Mentions {
        let mut of: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (n, (_, c)) in report.claims().enumerate() {
            for e in &c.entities {
                match of.get_mut(e.as_str()) {
                    Some(list) => list.push(n as u32),
                    None => {
                        of.insert(e.as_str().into(), vec![n as u32]);
                    }
                }
            }
        }
        Mentions { of }
    }

    /// The claims that mention `entity`, by number, in order.
    pub fn of(&self, entity: &str) -> &[u32] {
        self.of.get(entity).map(Vec::as_slice).unwrap_or_default()
    }
}

/// Each claim's topic (its place among the analysis's topics) and its place in that topic's
/// list, by the claim's number.
#[derive(Debug)]
pub struct TopicRanks {
    of: Box<[(u32, u32)]>,
}

impl TopicRanks {
    const NONE: (u32, u32) = (u32::MAX, u32::MAX);

    /// The places of the claims of `report` in its topics' lists; `None` when a list names a
    /// claim the index does not hold, or a claim is listed twice (then every list is read).
    pub fn new(report: &Report, index: &ClaimIndex) -> Option<TopicRanks> {
        if !index.unique_ids() {
            return None;
        }
        let mut of = vec![TopicRanks::NONE; index.claims].into_boxed_slice();
        for (t, topic) in report.analysis.topics.iter().enumerate() {
            for (k, id) in topic.claims.iter().enumerate() {
                let slot = &mut of[index.number(id)? as usize];
                if *slot != TopicRanks::NONE {
                    return None;
                }
                *slot = (t as u32, k as u32);
            }
        }
        Some(TopicRanks { of })
    }

    /// The topic and place of claim number `n`, when a topic lists it.
    pub fn of(&self, n: u32) -> Option<(usize, usize)> {
        let &(t, k) = self.of.get(n as usize)?;
        ((t, k) != TopicRanks::NONE).then_some((t as usize, k as usize))
    }
}

/// The findings that name each claim (their places among the analysis's findings, in order;
/// a finding that names a claim twice comes twice), by the claim's number.
#[derive(Debug)]
pub struct ClaimFindings {
    /// Where each claim's list starts in `findings`; one more entry than claims.
    starts: Box<[u32]>,
    findings: Box<[u32]>,
    /// Every claim the findings name is a claim of the report.
    complete: bool,
}

impl ClaimFindings {
    /// The findings of each claim of `report`; `None` when two claims share an id (a finding
    /// names an id, not a claim).
    pub fn new(report: &Report, index: &ClaimIndex) -> Option<ClaimFindings> {
        if !index.unique_ids() {
            return None;
        }
        let findings = &report.analysis.findings;
        let named =
            |f: &'_ crate::crosscheck::Finding| f.claims.iter().filter_map(|id| index.number(id)).collect::<Vec<u32>>();
        let numbers: Vec<Vec<u32>> = findings.iter().map(named).collect();
        let complete = numbers.iter().zip(findings).all(|(n, f)| n.len() == f.claims.len());
        // Counted, then placed in the findings' order: each claim's list in order.
        let mut starts = vec![0u32; index.claims + 1];
        for &n in numbers.iter().flatten() {
            starts[n as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut out = vec![0u32; numbers.iter().map(Vec::len).sum()];
        for (i, list) in numbers.iter().enumerate() {
            for &n in list {
                out[next[n as usize] as usize] = i as u32;
                next[n as usize] += 1;
            }
        }
        Some(ClaimFindings { starts: starts.into_boxed_slice(), findings: out.into_boxed_slice(), complete })
    }

    /// True when every claim the findings name is a claim of the report (a claim the report
    /// does not hold is then named by none).
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// The places of the findings that name claim number `n`, in order.
    pub fn of(&self, n: u32) -> &[u32] {
        match (self.starts.get(n as usize), self.starts.get(n as usize + 1)) {
            (Some(&a), Some(&b)) => &self.findings[a as usize..b as usize],
            _ => &[],
        }
    }
}
