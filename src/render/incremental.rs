//! Which pages a rebuild must render again, found by comparing the report last rendered with
//! the new one, so that `factsite serve` renders the pages an edit touches and not the site.
//!
//! A page is a function of the report; this module knows which parts of the report each kind
//! of page reads (see [`Pages::build`](super::views::Pages::build)) and marks a page changed
//! when one of them differs. Every comparison errs on the side of rendering: a page marked
//! changed whose bytes come out the same is simply not rewritten. The test
//! `serve::incremental_rebuild_equals_full_build` holds the two paths to the same bytes.

use super::index::Indexes;
use super::urls;
use super::views::{
    date_span, CLAIMS_PER_FINDING, CLAIMS_PER_PAGE, HOME_FINDINGS, HOME_SOURCES, PAGER_AROUND, RELATED_SHOWN,
};
use crate::annotate::ClaimRecord;
use crate::crosscheck::{Finding, Topic, Verdict};
use crate::extract::Entity;
use crate::report::{differing_keys, same_places, unchanged, Document, Report};
use arcstr::ArcStr;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What changed between two reports, as the pages see it.
pub struct Changes<'a> {
    /// Every page changed: the two reports cannot be compared page by page.
    everything: bool,
    /// The date the source pages' structured data carries (the latest publication) changed.
    report_date: bool,
    /// Ids of documents added, removed or changed (text or record).
    docs: FxHashSet<&'a str>,
    /// The documents changed in place (the same source at the same position in both
    /// reports): position, previous and new document. Empty when `moved`.
    replaced: Vec<(usize, &'a Document, &'a Document)>,
    /// Documents were added, removed or reordered.
    moved: bool,
    /// Claims whose automatic verdict differs.
    verdicts: FxHashSet<&'a str>,
    /// Claims of those documents (old and new): their quote, place or source may differ, so
    /// every link to them too.
    linked: FxHashSet<&'a str>,
    /// Claims whose card (on topic and entity pages) may differ: text, verdict, topic, names.
    cards: FxHashSet<&'a str>,
    /// Claims whose details (on their source's page) may differ: their card, findings or
    /// related claims.
    details: FxHashSet<&'a str>,
    /// The documents holding the claims of `details`, when [`Changes::index`] could tell.
    detail_docs: Option<FxHashSet<&'a str>>,
    /// The claims of `verdicts` in the documents not changed, when [`Changes::index`] could
    /// tell.
    revised: Option<Vec<&'a ClaimRecord>>,
    /// Entities renamed, or new.
    entities: FxHashSet<&'a str>,
    /// The claims that mentioned each entity a changed document mentions (before or after),
    /// in the previous report.
    mentioned: FxHashMap<&'a str, Vec<&'a str>>,
    /// The previous report's topics, entities and findings by id.
    topics: FxHashMap<&'a str, &'a Topic>,
    entity: FxHashMap<&'a str, &'a Entity>,
    /// The previous report's findings pages, when its analysis is not the new one's.
    finding_pages: Option<urls::FindingPages>,
    previous: &'a Report,
}

/// The keys of two sorted maps whose values differ (are not the `same`), or that only one
/// holds.
fn differing<'a, K: AsRef<str> + Ord, V>(
    a: &'a BTreeMap<K, V>,
    b: &'a BTreeMap<K, V>,
    same: impl Fn(&V, &V) -> bool,
) -> Vec<&'a str> {
    let entries = |m: &'a BTreeMap<K, V>| m.iter().map(|(k, v)| (Shared(k.as_ref()), v));
    differing_keys(entries(a), entries(b), |x, y| same(x, y)).into_iter().map(|k| k.0).collect()
}

/// A key compared by address first: two runs' maps share most of their keys (the ids of
/// tens of thousands of claims, which share their first bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shared<'a>(&'a str);

impl Ord for Shared<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if std::ptr::eq(self.0, other.0) {
            std::cmp::Ordering::Equal
        } else {
            self.0.cmp(other.0)
        }
    }
}

impl PartialOrd for Shared<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Whether two versions of a document show the same around each of their claims' cards and
/// links: source, title, outlet and date.
fn same_frame(p: &Document, d: &Document) -> bool {
    p.source.id == d.source.id
        && p.source.path == d.source.path
        && p.record.meta.title == d.record.meta.title
        && p.record.meta.outlet == d.record.meta.outlet
        && p.record.meta.published == d.record.meta.published
}

/// The ids of the claims two versions of a document both report once, with the same record.
fn same_claims<'a>(p: &'a Document, d: &'a Document) -> Vec<&'a str> {
    let once = |doc: &'a Document| {
        let mut by_id: FxHashMap<&'a str, Option<&'a ClaimRecord>> = FxHashMap::default();
        for c in doc.reported_claims() {
            by_id.entry(c.id.as_str()).and_modify(|seen| *seen = None).or_insert(Some(c));
        }
        by_id
    };
    let (before, after) = (once(p), once(d));
    after
        .into_iter()
        .filter(|(id, c)| c.is_some() && before.get(id).is_some_and(|b| b.is_some() && b == c))
        .map(|(id, _)| id)
        .collect()
}

/// Page `k` of a paginated list of claims.
pub fn page_of(claims: &[ArcStr], k: usize) -> &[ArcStr] {
    &claims[(k * CLAIMS_PER_PAGE).min(claims.len())..((k + 1) * CLAIMS_PER_PAGE).min(claims.len())]
}

/// The latest publication date of a report, the date its pages' structured data carries.
fn report_date(report: &Report) -> Option<&str> {
    date_span(report).map(|(_, last)| last)
}

impl<'a> Changes<'a> {
    /// Compare `previous` (the report last rendered, with what its render indexed when the
    /// caller kept it) with `next`.
    pub fn between(previous: &'a Report, last: Option<&Indexes>, next: &'a Report) -> Changes<'a> {
        let mut changes = Changes {
            everything: previous.config != next.config
                || previous.generator != next.generator
                || previous.methodology != next.methodology,
            report_date: false,
            docs: FxHashSet::default(),
            replaced: Vec::new(),
            moved: false,
            verdicts: FxHashSet::default(),
            linked: FxHashSet::default(),
            cards: FxHashSet::default(),
            details: FxHashSet::default(),
            detail_docs: None,
            revised: None,
            entities: FxHashSet::default(),
            mentioned: FxHashMap::default(),
            topics: previous.analysis.topics.iter().map(|t| (t.id.as_str(), t)).collect(),
            entity: previous.entities.iter().map(|e| (e.id.as_str(), e)).collect(),
            finding_pages: None,
            previous,
        };
        // Documents, and the claims and entities of those that changed. The same document
        // (shared) or an equal one has not changed; compared in parallel, as an equal one is
        // compared claim by claim.
        changes.moved = !same_places(&previous.docs, &next.docs);
        let touched: Vec<&'a Document> = if changes.moved {
            let before: FxHashMap<&str, &Arc<Document>> =
                previous.docs.iter().map(|d| (d.source.id.as_str(), d)).collect();
            let after: FxHashSet<&str> = next.docs.iter().map(|d| d.source.id.as_str()).collect();
            let mut touched: Vec<&'a Document> = next
                .docs
                .par_iter()
                .flat_map_iter(|d| match before.get(d.source.id.as_str()) {
                    Some(p) if unchanged(p, d) => Vec::new(),
                    Some(p) => vec![&***p, &**d],
                    None => vec![&**d],
                })
                .collect();
            touched.extend(previous.docs.iter().filter(|d| !after.contains(d.source.id.as_str())).map(|d| &**d));
            touched
        } else {
            // The same sources in the same order (a rebuild's case): compared place by place.
            changes.replaced = previous
                .docs
                .par_iter()
                .zip(&next.docs)
                .enumerate()
                .filter(|(_, (p, d))| !unchanged(p, d))
                .map(|(i, (p, d))| (i, &**p, &**d))
                .collect();
            changes.replaced.iter().flat_map(|&(_, p, d)| [p, d]).collect()
        };
        // The report's date is the latest publication date: the same when the documents
        // changed in place kept theirs.
        changes.report_date = (changes.moved
            || changes.replaced.iter().any(|(_, p, d)| p.record.meta.published != d.record.meta.published))
            && report_date(previous) != report_date(next);
        // A document changed in place (an edit of one of its claims, say) keeps the cards and
        // links of its other claims: those it has once, with the same record, before and after.
        let kept: FxHashSet<&str> = changes
            .replaced
            .iter()
            .filter(|(_, p, d)| same_frame(p, d))
            .flat_map(|&(_, p, d)| same_claims(p, d))
            .collect();
        for d in touched {
            changes.docs.insert(&d.source.id);
            for c in d.reported_claims() {
                if !kept.contains(c.id.as_str()) {
                    changes.linked.insert(&c.id);
                }
                for e in &c.entities {
                    changes.mentioned.entry(e.as_str()).or_default();
                }
            }
        }
        if !changes.mentioned.is_empty() {
            match last.and_then(|ix| Some((ix.claims.as_deref()?, ix.mentions.as_deref()?))) {
                // Read in the last render's lists of mentions, not in every claim.
                Some((index, mentions)) => {
                    for (e, list) in changes.mentioned.iter_mut() {
                        let claims = mentions.of(e).iter().filter_map(|&n| index.nth(previous, n as usize));
                        list.extend(claims.map(|(_, c)| c.id.as_str()));
                    }
                }
                None => {
                    for (_, c) in previous.claims() {
                        for e in &c.entities {
                            if let Some(list) = changes.mentioned.get_mut(e.as_str()) {
                                list.push(&c.id);
                            }
                        }
                    }
                }
            }
        }
        changes.cards.extend(changes.linked.iter().copied());
        let (before, after) = (&previous.analysis, &next.analysis);
        // A claim's details show its first related claims, each with its quote and place: those
        // of a claim `linked` covers may differ.
        changes.details.extend(after.related.naming(&changes.linked, RELATED_SHOWN));
        // What differs between the two analyses: nothing when the rebuild kept the last one.
        if !Arc::ptr_eq(before, after) {
            // Automatic verdicts, then related claims (in the details only).
            changes.verdicts.extend(differing(&before.verdicts, &after.verdicts, Verdict::eq));
            changes.cards.extend(changes.verdicts.iter().copied());
            // Which claims are a claim's first related claims, and how many others.
            changes.details.extend(before.related.differing_shown(&after.related, RELATED_SHOWN));
            // Topics: a claim that changed topic, every claim of a topic renamed.
            for t in &after.topics {
                match changes.topics.get(t.id.as_str()) {
                    Some(p) if p.label == t.label && p.claims == t.claims => {}
                    Some(p) if p.label == t.label => changes.cards.extend(unmatched(&p.claims, &t.claims)),
                    Some(p) => changes.cards.extend(p.claims.iter().chain(t.claims.iter()).map(ArcStr::as_str)),
                    None => changes.cards.extend(t.claims.iter().map(ArcStr::as_str)),
                }
            }
            let kept: FxHashSet<&str> = after.topics.iter().map(|t| t.id.as_str()).collect();
            for t in before.topics.iter().filter(|t| !kept.contains(t.id.as_str())) {
                changes.cards.extend(t.claims.iter().map(ArcStr::as_str));
            }
            // Findings as a claim's details show them: kind, title (else summary) and link (the
            // page it is on, and its id).
            let pages = |findings: &[Finding]| urls::FindingPages::new(findings.iter().map(|f| f.id.as_str()));
            let (pages_before, pages_after) = rayon::join(|| pages(&before.findings), || pages(&after.findings));
            fn brief<'f>(f: &'f Finding, i: usize, pages: &'f urls::FindingPages) -> (&'f str, &'f str, &'f str) {
                (f.kind.as_str(), f.title_or_summary(), pages.path(pages.page_of(i)))
            }
            // (Both lists mostly in the same order: walked side by side, not hashed.)
            let keyed = |findings: &'a [Finding]| findings.iter().enumerate().map(|(i, f)| (f.id.as_str(), (i, f)));
            let mut differ: Vec<&'a Finding> = Vec::new();
            let aligned = crate::align::align(keyed(&before.findings), keyed(&after.findings), |(j, p), (i, f)| {
                if brief(p, j, &pages_before) != brief(f, i, &pages_after) {
                    differ.extend([p, f]);
                }
            });
            match aligned {
                Some((gone, new)) => differ.extend(gone.into_iter().chain(new).map(|(_, f)| f)),
                // A finding id twice among those out of step: each by id, the last one counting.
                None => {
                    differ.clear();
                    let old: FxHashMap<&str, (usize, &Finding)> = keyed(&before.findings).collect();
                    let mut seen = FxHashSet::default();
                    for (i, f) in after.findings.iter().enumerate() {
                        seen.insert(f.id.as_str());
                        match old.get(f.id.as_str()) {
                            Some(&(j, p)) if brief(p, j, &pages_before) == brief(f, i, &pages_after) => {}
                            Some(&(_, p)) => differ.extend([p, f]),
                            None => differ.push(f),
                        }
                    }
                    differ.extend(before.findings.iter().filter(|f| !seen.contains(f.id.as_str())));
                }
            }
            for f in differ {
                changes.details.extend(f.claims.iter().map(ArcStr::as_str));
            }
            changes.finding_pages = Some(pages_before);
        }
        // Entities renamed: every card that names them.
        let renamed: FxHashSet<&str> = next
            .entities
            .iter()
            .filter(|e| changes.entity.get(e.id.as_str()).is_none_or(|p| p.label != e.label))
            .map(|e| e.id.as_str())
            .collect();
        changes.entities.extend(renamed.iter().copied());
        if !renamed.is_empty() {
            for (_, c) in next.claims() {
                if c.entities.iter().any(|e| renamed.contains(e.as_str())) {
                    changes.cards.insert(&c.id);
                }
            }
        }
        // A claim's details hold its card.
        let cards: Vec<&'a str> = changes.cards.iter().copied().collect();
        changes.details.extend(cards);
        changes
    }

    /// True when no claim's card may differ.
    pub fn no_card(&self) -> bool {
        self.cards.is_empty()
    }

    /// The claims whose links may differ.
    pub fn linked(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.linked.iter().copied()
    }

    /// The claims whose card may differ.
    pub fn cards(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.cards.iter().copied()
    }

    /// Whether one of these claims' cards may differ.
    fn any_card<'i>(&self, mut ids: impl Iterator<Item = &'i ArcStr>) -> bool {
        ids.any(|id| self.cards.contains(id.as_str()))
    }

    /// Index the claims that changed by the claim of the new report each id names, with its
    /// document, which `claim` gives (an id names one reported claim of the new report, or
    /// none): a source page then looks up its document, not each of its claims, and the home
    /// page counts the verdicts of the few claims whose verdict changed, not of every claim.
    pub fn index(&mut self, claim: impl Fn(&str) -> Option<(&'a Document, &'a ClaimRecord)>) {
        self.detail_docs =
            Some(self.details.iter().filter_map(|id| claim(id).map(|(d, _)| d.source.id.as_str())).collect());
        let unchanged = |(d, _): &(&Document, _)| !self.docs.contains(d.source.id.as_str());
        self.revised =
            Some(self.verdicts.iter().filter_map(|id| claim(id).filter(unchanged).map(|(_, c)| c)).collect());
    }

    /// Whether the source page of `d` may differ.
    pub fn source(&self, d: &Document) -> bool {
        self.everything
            || self.report_date
            || self.docs.contains(d.source.id.as_str())
            || match &self.detail_docs {
                Some(docs) => docs.contains(d.source.id.as_str()),
                None => d.reported_claims().any(|c| self.details.contains(c.id.as_str())),
            }
    }

    /// Whether the annotated page of `d` may differ.
    pub fn annotated(&self, d: &Document) -> bool {
        self.everything || self.docs.contains(d.source.id.as_str())
    }

    /// Whether page `k` of topic `t` may differ. `shows_card` tells whether it shows a
    /// changed claim's card, when the caller could tell; else its claims are looked up.
    pub fn topic(&self, next: &Report, t: &Topic, k: usize, shows_card: Option<bool>) -> bool {
        let Some(p) = self.topics.get(t.id.as_str()).filter(|_| !self.everything) else { return true };
        let shown = page_of(&t.claims, k);
        // (A list the rebuild kept is the same list.)
        let same_list = Arc::ptr_eq(&p.claims, &t.claims);
        if p.label != t.label || p.claims.len() != t.claims.len() || (!same_list && page_of(&p.claims, k) != shown) {
            return true;
        }
        if shows_card.unwrap_or_else(|| self.any_card(shown.iter())) {
            return true;
        }
        // The comparisons, on the first page.
        k == 0 && {
            let before = self.previous.analysis.comparisons.iter().filter(|c| c.topic == t.id);
            let after = next.analysis.comparisons.iter().filter(|c| c.topic == t.id);
            !before.clone().eq(after) || before.flat_map(|c| &c.rows).any(|r| self.docs.contains(r.source.as_str()))
        }
    }

    /// Whether page `k` of entity `e`, which `mentions` (every claim that mentions it, by
    /// number, in order; `id_of` gives a number's id) spreads over its pages, may differ.
    /// `shows_card` tells whether it shows a changed claim's card, when the caller could
    /// tell; else its claims are looked up.
    pub fn entity(
        &self,
        e: &Entity,
        k: usize,
        mentions: &[u32],
        id_of: &dyn Fn(u32) -> &'a str,
        shows_card: Option<bool>,
    ) -> bool {
        if self.everything
            || self.entities.contains(e.id.as_str())
            || self.entity.get(e.id.as_str()).is_none_or(|p| *p != e)
        {
            return true;
        }
        let range = |n: usize| (k * CLAIMS_PER_PAGE).min(n)..((k + 1) * CLAIMS_PER_PAGE).min(n);
        let shown = &mentions[range(mentions.len())];
        if let Some(before) = self.mentioned.get(e.id.as_str()) {
            // Its claim count is on every page.
            if before.len() != mentions.len()
                || !before[range(before.len())].iter().copied().eq(shown.iter().map(|&n| id_of(n)))
            {
                return true;
            }
        }
        shows_card.unwrap_or_else(|| shown.iter().any(|&n| self.cards.contains(id_of(n))))
    }

    /// Whether the home page may differ. It shows the report's title, the sources, claims
    /// and findings counted, the outlets, the first and last dates, the claims counted by
    /// verdict, every topic with its claim count, the first findings and the first sources.
    pub fn home(&self, next: &Report) -> bool {
        if self.everything || self.moved {
            return true;
        }
        let (before, after) = (&self.previous.analysis, &next.analysis);
        fn topic(t: &Topic) -> (&str, &str, usize) {
            (&t.id, &t.label, t.claims.len())
        }
        /// The findings the home page shows, in brief.
        fn shown(findings: &[Finding]) -> impl Iterator<Item = (&str, &str, &str)> {
            findings.iter().take(HOME_FINDINGS).map(|f| (f.id.as_str(), f.kind.as_str(), f.summary.as_str()))
        }
        let topics = before.topics.iter().map(topic).eq(after.topics.iter().map(topic));
        // Every finding's id too: a finding's link leads to its place among them.
        let ids = before.findings.iter().map(|f| &f.id).eq(after.findings.iter().map(|f| &f.id));
        let findings = ids && shown(&before.findings).eq(shown(&after.findings));
        let sources = self.replaced.iter().all(|(i, p, d)| {
            *i >= HOME_SOURCES
                && p.record.meta.outlet == d.record.meta.outlet
                && p.record.meta.published == d.record.meta.published
        });
        !(topics && findings && sources) || self.verdict_tally_differs(next)
    }

    /// Whether the claims of the report counted by verdict label (and so counted at all) may
    /// differ: those of the documents replaced, and those of other documents whose automatic
    /// verdict changed, are counted before and after.
    fn verdict_tally_differs<'r>(&'r self, next: &'r Report) -> bool {
        let mut tally: FxHashMap<&'r str, isize> = FxHashMap::default();
        let mut count = |label: &'r str, n: isize| *tally.entry(label).or_default() += n;
        for (_, p, d) in &self.replaced {
            p.reported_claims().for_each(|c| count(self.previous.verdict_label(c), -1));
            d.reported_claims().for_each(|c| count(next.verdict_label(c), 1));
        }
        if !self.verdicts.is_empty() {
            // The other documents are the same in both reports.
            let found;
            let revised = match &self.revised {
                Some(revised) => revised,
                None => {
                    found = next
                        .docs
                        .par_iter()
                        .filter(|d| !self.docs.contains(d.source.id.as_str()))
                        .flat_map_iter(|d| d.reported_claims().filter(|c| self.verdicts.contains(c.id.as_str())))
                        .collect::<Vec<&ClaimRecord>>();
                    &found
                }
            };
            for &c in revised {
                count(self.previous.verdict_label(c), -1);
                count(next.verdict_label(c), 1);
            }
        }
        tally.values().any(|&n| n != 0)
    }

    /// Whether the list of entities may differ: every entity, with its claim count, which
    /// `mentions` gives for the new report.
    pub fn entity_list(&self, next: &Report, mentions: impl Fn(&str) -> usize) -> bool {
        self.everything
            || self.previous.entities != next.entities
            // Only claims of the documents that changed can mention these differently.
            || self.mentioned.iter().any(|(e, before)| before.len() != mentions(e))
    }

    /// Whether the number of claims, which the search page states, may differ.
    pub fn claim_count(&self) -> bool {
        self.everything
            || self.moved
            || self.replaced.iter().any(|(_, p, d)| p.reported_claims().count() != d.reported_claims().count())
    }

    /// Whether the pages that show nothing of the report but its settings (the 404 page, the
    /// methodology) may differ.
    pub fn settings(&self) -> bool {
        self.everything
    }

    /// Whether page `k` of the findings may differ.
    /// `shows_linked` tells whether it shows a claim whose link may differ, when the caller
    /// could tell; else its findings' claims are looked up.
    /// `pages` are the new report's findings pages.
    pub fn findings(&self, next: &Report, pages: &urls::FindingPages, k: usize, shows_linked: Option<bool>) -> bool {
        let (before, after) = (&self.previous.analysis.findings, &next.analysis.findings);
        // (A kept analysis has the same findings, on the same pages.)
        let last = self.finding_pages.as_ref().unwrap_or(pages);
        if self.everything || last.count() != pages.count() {
            return true;
        }
        // The page's findings, and the pages its pager links (the first, the last, and those
        // around it).
        let linked = [0, pages.count() - 1].into_iter().chain(k.saturating_sub(PAGER_AROUND + 1)..k + PAGER_AROUND + 2);
        (self.finding_pages.is_some()
            && (before[last.range(k)] != after[pages.range(k)]
                || linked.filter(|&i| i < pages.count()).any(|i| last.path(i) != pages.path(i))))
            || shows_linked.unwrap_or_else(|| {
                after[pages.range(k)]
                    .iter()
                    .flat_map(|f| f.claims.iter().take(CLAIMS_PER_FINDING))
                    .any(|c| self.linked.contains(c.as_str()))
            })
    }
}

/// The claims of `before` and of `after` that the other does not hold (a claim one holds more
/// often than the other counts too). Both hold their claims in the report's order, mostly the
/// same ones: they are aligned ([`crate::align::align`]) rather than every claim hashed, unless
/// a claim comes twice among those out of step.
fn unmatched<'s>(before: &'s [ArcStr], after: &'s [ArcStr]) -> Vec<&'s str> {
    let keyed = |list: &'s [ArcStr]| list.iter().map(|c| (c.as_str(), c.as_str()));
    match crate::align::align(keyed(before), keyed(after), |_, _| {}) {
        Some((gone, new)) => gone.into_iter().chain(new).collect(),
        None => {
            let (old, new): (FxHashSet<&str>, FxHashSet<&str>) =
                (keyed(before).map(|c| c.0).collect(), keyed(after).map(|c| c.0).collect());
            old.symmetric_difference(&new).copied().collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unmatched;

    #[test]
    fn the_claims_unmatched_are_those_only_one_list_holds() {
        let list = |s: &str| s.split(' ').filter(|c| !c.is_empty()).map(arcstr::ArcStr::from).collect::<Vec<_>>();
        for (before, after, expected) in [
            // One claim moved far, one renamed.
            ("a b c d e f", "b c d e a g", "f g"),
            // A claim twice in one list and once in the other counts once more: its card is
            // rendered again, which costs a page, never a stale one.
            ("a b b c", "c b x", "a b x"),
        ] {
            let (before_list, after_list) = (list(before), list(after));
            let mut got = unmatched(&before_list, &after_list);
            got.sort_unstable();
            assert_eq!(got.join(" "), expected, "{before} / {after}");
        }
    }
}
