//! Comparable figures: within a topic, the figures of one measure (counted nouns of one class)
//! are aligned into a comparison; figures whose intervals (value widened by its bound) do not
//! meet, at compatible dates, make a discrepancy (or, inside one source and from one speaker,
//! an internal inconsistency); figures that meet corroborate each other. Work is bucketed by
//! topic and measure, and inside a bucket by sorting, so it stays near-linear.

use super::claims::Claim;
use super::evidence::{finding, finding_keyed, names, Evidence, Found, Pair, Tally, CAP};
use super::rules::CrosscheckRules;
use super::{Comparison, ComparisonRow, Topic, COMPARISON_ROWS};
use crate::read::slugify;
use arcstr::ArcStr;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Months apart two dates may be and still describe the same moment.
const DATE_TOLERANCE: i32 = 2;

/// A figure in a bucket.
#[derive(Debug, Clone, Copy)]
struct Row {
    claim: usize,
    figure: usize,
    /// Its interval, when not vague.
    lo: f64,
    hi: f64,
    value: f64,
    /// Months covered by its date, when it has one.
    months: Option<(i32, i32)>,
    /// Whether the figure is a point (not a range): points agree with the points they meet.
    /// (Kept here: the agreement reads it for rows in the order of their values, where the
    /// claims they come from are scattered over the archive.)
    point: bool,
}

/// What the rows of one bucket say of each other.
#[derive(Debug, Default)]
struct Said {
    /// Two figures' claims that agree or disagree, in the order the bucket finds them.
    pairs: Vec<Pair>,
    /// Kept for `factsite serve` only: where the pairs each [`Finder`] found end in `pairs`
    /// (finders that found none left out). After an edit, only the finders whose pairs differ
    /// change the evidence.
    finders: Vec<(Finder, u32)>,
    /// Kept for serve: which of `finders` have the pairs the same finder had in the last run,
    /// copied (see [`agreement`]), one flag each.
    copied: Vec<bool>,
    /// Kept for serve: each group of rows scanned for agreement, in the order scanned.
    scans: Vec<Scan>,
    findings: Vec<Found>,
}

/// The rows of one group as [`agreement`] scanned them: its next run scans again only the rows
/// near those that changed.
#[derive(Debug)]
struct Scan {
    /// The group: the first three parts of its rows' finders.
    group: [u32; 3],
    /// Its rows (claim and figure), in the order scanned.
    rows: Vec<(u32, u32)>,
    /// Its rows' finders: a range of `Said::finders`.
    finders: std::ops::Range<usize>,
}

/// What found some pairs of a bucket, the same from run to run while its rows stay: the kind
/// of figures (increment, prospective), the group of dates (its first dated row's claim and
/// figure), the rule (discrepancy or agreement), and the row (claim and figure).
type Finder = [u32; 6];

/// The group of dates of undated rows alone.
const UNDATED: (u32, u32) = (u32::MAX, u32::MAX);

impl Said {
    /// The pairs found since the last finder's were found by `finder`.
    fn found_by(&mut self, finder: Finder) {
        self.found_as(finder, false);
    }

    /// The same, saying whether they are the pairs `finder` had in the last run, copied.
    fn found_as(&mut self, finder: Finder, copied: bool) {
        let end = self.pairs.len() as u32;
        if end > self.finders.last().map_or(0, |&(_, e)| e) {
            self.copied.push(copied);
            self.finders.push((finder, end));
        }
    }

    /// The pairs of each finder, and whether they were copied from the last run's.
    fn by_finder(&self) -> impl Iterator<Item = (&Finder, (&[Pair], bool))> {
        let starts = std::iter::once(0).chain(self.finders.iter().map(|&(_, end)| end));
        self.finders
            .iter()
            .zip(starts)
            .enumerate()
            .map(|(k, ((finder, end), start))| (finder, (&self.pairs[start as usize..*end as usize], self.copied[k])))
    }

    /// The pairs of finder `k`.
    fn pairs_of(&self, k: usize) -> &[Pair] {
        let start = if k == 0 { 0 } else { self.finders[k - 1].1 as usize };
        &self.pairs[start..self.finders[k].1 as usize]
    }

    /// Whether every pair has its finder (a build's buckets let their pairs go).
    fn covered(&self) -> bool {
        self.finders.last().map_or(0, |&(_, end)| end as usize) == self.pairs.len()
    }
}

/// One bucket (a topic's figures of one measure) as one run compared it.
#[derive(Debug)]
struct Bucket {
    /// Its figures: (claim, figure of the claim), in claim order.
    members: Vec<(usize, usize)>,
    /// The unit each figure is written with (a place in `units`), and each unit as written
    /// with the number of figures that write it (none, once figures left the bucket).
    unit_of: Vec<u32>,
    units: Vec<(String, usize)>,
    label: String,
    rows: Vec<Row>,
    comparison: Option<Comparison>,
    said: Said,
}

/// What [`compare`] made of each bucket in its last run, kept by `factsite serve`: a bucket
/// holding the figures it held, all of documents vouched for as unchanged, is taken as it is
/// instead of being compared again (after one source is edited, most buckets are).
#[derive(Debug, Default)]
pub struct Kept {
    /// The language of the last run, and its number of claims per document: claim numbers
    /// name the same claims in the next run only when both are the same.
    lang: String,
    counts: Vec<usize>,
    /// Per document, whether the next run may take its claims as the last run read them.
    unchanged: Vec<bool>,
    /// Per claim, whether its document is not one of those (its rows may have changed), for
    /// the run under way: a table small enough to stay in cache, as every row looks it up.
    changed: Vec<bool>,
    /// By topic id and measure.
    buckets: FxHashMap<(String, String), Arc<Bucket>>,
    /// Where the pairs of `buckets` go.
    tally: Option<Tally>,
}

impl Kept {
    /// Ready for a run in language `lang` on documents with `counts` reported claims each, of
    /// which `unchanged` are vouched for as the last run's (one flag per document, or none).
    pub fn prepare(&mut self, lang: &str, counts: &[usize], unchanged: &[bool]) {
        if self.lang != lang || self.counts != counts || unchanged.len() != counts.len() {
            self.buckets.clear();
            self.tally = None;
            self.lang = lang.to_string();
            self.counts = counts.to_vec();
        }
        self.unchanged = unchanged.to_vec();
    }

    /// The last run's bucket `key`, when it holds `members` and all of them are unchanged.
    fn reusable(&self, key: &(String, String), members: &[(usize, usize)]) -> Option<&Arc<Bucket>> {
        self.buckets.get(key).filter(|b| b.members == members && members.iter().all(|&(i, _)| !self.changed[i]))
    }

    /// Where the pairs of this run's `buckets` (by `keys`) go: the last run's tally patched with
    /// the pairs that differ from the last run's buckets, or, when there is none, made anew.
    fn tally(&mut self, claims: &[Claim], keys: &[(String, String)], buckets: &[Arc<Bucket>]) -> &Tally {
        let patched = self.tally.take().and_then(|mut tally| {
            let (removed, added) = self.differences(keys, buckets)?;
            tally.patch(claims, &removed, &added).then_some(tally)
        });
        self.tally
            .insert(patched.unwrap_or_else(|| Tally::new(claims, buckets.iter().map(|b| b.said.pairs.as_slice()))))
    }

    /// The pairs of the last run's buckets this run's no longer find, and those they find
    /// anew; a pair of a claim of a document not vouched for is in both (the claim may now go
    /// to another list). `None` when the last run's buckets cannot tell.
    fn differences(&self, keys: &[(String, String)], buckets: &[Arc<Bucket>]) -> Option<(Vec<Pair>, Vec<Pair>)> {
        let moved = |p: &Pair| {
            let (a, b) = p.claims();
            self.changed[a] || self.changed[b]
        };
        let each: Vec<Option<(Vec<Pair>, Vec<Pair>)>> = keys
            .par_iter()
            .zip(buckets)
            .map(|(key, bucket)| match self.buckets.get(key) {
                Some(last) if Arc::ptr_eq(last, bucket) => Some((Vec::new(), Vec::new())),
                Some(last) => differences(&last.said, &bucket.said, &moved),
                None => Some((Vec::new(), bucket.said.pairs.clone())),
            })
            .collect();
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for (r, a) in each.into_iter().collect::<Option<Vec<_>>>()? {
            removed.extend(r);
            added.extend(a);
        }
        let now: rustc_hash::FxHashSet<&(String, String)> = keys.iter().collect();
        for (key, last) in &self.buckets {
            if !now.contains(key) {
                removed.extend_from_slice(&last.said.pairs);
            }
        }
        Some((removed, added))
    }
}

/// The pairs `last` found that `now` does not, and those `now` finds that `last` did not,
/// finder by finder (plus, in both, the pairs `moved` says are to be placed again); `None`
/// when a pair of either has no finder, or a finder comes twice where it cannot be told apart.
/// Both find in the same order but around an edit: their finders are aligned
/// ([`crate::align::align`]).
fn differences(last: &Said, now: &Said, moved: &(dyn Fn(&Pair) -> bool + Sync)) -> Option<(Vec<Pair>, Vec<Pair>)> {
    if !last.covered() || !now.covered() {
        return None;
    }
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let mut matched = |(then, _): (&[Pair], bool), (pairs, copied): (&[Pair], bool)| {
        // (Pairs copied from the last run's finder go through no moved claim: see `agreement`.)
        if copied {
            debug_assert!(then == pairs && !pairs.iter().any(moved));
        } else if then == pairs {
            for &p in pairs.iter().filter(|p| moved(p)) {
                removed.push(p);
                added.push(p);
            }
        } else {
            removed.extend_from_slice(then);
            added.extend_from_slice(pairs);
        }
    };
    let (gone, new) = crate::align::align(last.by_finder(), now.by_finder(), &mut matched)?;
    // (Found by the last run only, or by this one only: the tally is the same whatever the
    // order of its changes.)
    removed.extend(gone.into_iter().flat_map(|(pairs, _)| pairs));
    added.extend(new.into_iter().flat_map(|(pairs, _)| pairs));
    Some((removed, added))
}

/// Comparisons, findings and evidence from the figures of every claim. With `kept` (see
/// [`Kept`], prepared for this run), buckets the last run compared alike are taken from it,
/// and this run's are kept there for the next.
pub fn compare(
    claims: &[Claim],
    topics: &[Topic],
    topic_of: &[usize],
    rules: &CrosscheckRules,
    evidence: &mut Evidence,
    findings: &mut Vec<Found>,
    mut kept: Option<&mut Kept>,
) -> Vec<Comparison> {
    // (Each run of claims bucketed on its own thread, the runs' buckets then joined in order.)
    type Buckets<'c> = BTreeMap<(usize, &'c str), Vec<(usize, usize)>>;
    let buckets: Buckets = claims
        .par_iter()
        .enumerate()
        .fold(Buckets::new, |mut buckets, (i, c)| {
            for (f, fig) in c.figures.iter().enumerate() {
                buckets.entry((topic_of[i], fig.measure.as_str())).or_default().push((i, f));
            }
            buckets
        })
        .reduce(Buckets::new, |mut left, right| {
            for (key, mut members) in right {
                left.entry(key).or_default().append(&mut members);
            }
            left
        });
    // Each bucket taken from the last run, or compared, in parallel.
    let keys: Vec<(String, String)> =
        buckets.keys().map(|&(t, measure)| (topics[t].id.clone(), measure.to_string())).collect();
    if let Some(kept) = kept.as_deref_mut() {
        let unchanged = &kept.unchanged;
        kept.changed = claims.par_iter().map(|c| unchanged.get(c.doc) != Some(&true)).collect();
    }
    let last = kept.as_deref();
    let tracked = last.is_some();
    let mut buckets: Vec<Arc<Bucket>> = buckets
        .into_iter()
        .zip(&keys)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(((t, measure), members), key)| match last.and_then(|k| k.reusable(key, &members)) {
            Some(bucket) => Arc::clone(bucket),
            None => {
                let before = last.and_then(|k| Some((k.buckets.get(key)?.as_ref(), k)));
                Arc::new(bucket(claims, &topics[t], measure, members, before, rules, tracked))
            }
        })
        .collect();
    // Serve patches where the last run's pairs went with the pairs that differ. A build
    // records every pair, in bucket order (the order the evidence lists and findings are made
    // in), and lets each bucket's pairs go once recorded: an archive's are hundreds of megabytes.
    if let Some(kept) = kept.as_deref_mut() {
        let tally = kept.tally(claims, &keys, &buckets);
        evidence.start_from(tally);
    } else {
        for b in &mut buckets {
            evidence.record(claims, [b.said.pairs.as_slice()]);
            if let Some(b) = Arc::get_mut(b) {
                b.said.pairs = Vec::new();
            }
        }
    }
    findings.extend(buckets.iter().flat_map(|b| b.said.findings.iter().cloned()));
    // Once every bucket is compared: a claim with figures in two buckets may agree in one.
    evidence.settle();
    let all_rows = buckets.iter().flat_map(|b| b.rows.iter().map(move |r| (b.label.as_str(), r)));
    single_source(claims, all_rows, rules, evidence, findings);
    let comparisons = buckets.iter().filter_map(|b| b.comparison.clone()).collect();
    if let Some(kept) = kept {
        kept.buckets = keys.into_iter().zip(buckets).collect();
    }
    comparisons
}

/// Compare the figures `members` (claim, figure) of `measure` in `topic`: the bucket's label,
/// its rows and comparison, and what its rows say of each other.
fn bucket(
    claims: &[Claim],
    topic: &Topic,
    measure: &str,
    members: Vec<(usize, usize)>,
    before: Option<(&Bucket, &Kept)>,
    rules: &CrosscheckRules,
    tracked: bool,
) -> Bucket {
    let (unit_of, units, rows) = match before {
        Some((last, kept)) => patched(claims, &members, last, kept),
        None => {
            let (unit_of, units) = units(claims, &members, Vec::new());
            let rows = members.par_iter().map(|&(i, f)| row_of(claims, i, f)).collect();
            (unit_of, units, rows)
        }
    };
    let label = measure_label(&units, measure);
    // Members are in claim order: the figures of one claim are next to each other.
    let distinct_claims = 1 + members.windows(2).filter(|w| w[0].0 != w[1].0).count();
    // Only the rows shown are written out.
    let comparison = (distinct_claims >= 2).then(|| Comparison {
        id: format!("{}-{}", topic.id, slugify(measure)),
        topic: topic.id.clone(),
        measure: label.clone(),
        rows: shown_rows(rows.len(), |i| (!rows[i].value.is_nan()).then_some(rows[i].value))
            .into_iter()
            .map(|i| row(claims, &rows[i]))
            .collect(),
        compared: rows.len(),
    });
    let mut said = Said::default();
    // (Room for as many pairs and finders as the last run found: an archive's largest buckets
    // find hundreds of thousands, and a vector grown to that size copies them over and over.)
    if let Some((last, _)) = before {
        said.pairs.reserve(last.said.pairs.len());
        said.finders.reserve(last.said.finders.len());
    }
    // (The findings of the bucket's last run: one naming the same claims lends them.)
    let was = before.map_or(&[][..], |(last, _)| last.said.findings.as_slice());
    // Totals and increments, current and prospective figures, are different things.
    let mut kinds: BTreeMap<(bool, bool), Vec<Row>> = BTreeMap::new();
    for r in &rows {
        let fig = &claims[r.claim].figures[r.figure];
        if !r.lo.is_nan() {
            kinds.entry((fig.increment, fig.prospective)).or_insert_with(|| Vec::with_capacity(rows.len())).push(*r);
        }
    }
    for (&(increment, prospective), group) in &kinds {
        for ((first, figure), dated) in date_groups(group) {
            let finder = |rule: u32, r: &Row| {
                [
                    u32::from(increment) | u32::from(prospective) << 1,
                    first,
                    figure,
                    rule,
                    r.claim as u32,
                    r.figure as u32,
                ]
            };
            discrepancy(claims, &dated, &label, rules, &mut said, &|r| tracked.then(|| finder(0, r)), was);
            let group = [u32::from(increment) | u32::from(prospective) << 1, first, figure];
            // (The same group's scan in the last run, with the claims of the documents not
            // vouched for: their rows may have changed.)
            let last = before.and_then(|(last, kept)| {
                let scan = last.said.scans.iter().find(|s| s.group == group)?;
                Some(LastScan { said: &last.said, scan, changed: &kept.changed })
            });
            agreement(&dated, &mut said, &|r| tracked.then(|| finder(1, r)), group, last);
        }
    }
    Bucket { members, unit_of, units, label, rows, comparison, said }
}

/// A bucket's figure `f` of claim `i`, as a row.
fn row_of(claims: &[Claim], i: usize, f: usize) -> Row {
    let fig = &claims[i].figures[f];
    let (lo, hi) = fig.interval.unwrap_or((f64::NAN, f64::NAN));
    Row { claim: i, figure: f, lo, hi, value: fig.value, months: months_of(&claims[i]), point: fig.point }
}

/// The unit of each of `members` (a place in the units), and the units with their counts:
/// `units` (those of a last run, say) and the units the members add.
fn units(
    claims: &[Claim],
    members: &[(usize, usize)],
    mut units: Vec<(String, usize)>,
) -> (Vec<u32>, Vec<(String, usize)>) {
    let mut place: FxHashMap<String, u32> = units.iter().enumerate().map(|(k, (u, _))| (u.clone(), k as u32)).collect();
    let unit_of = members
        .iter()
        .map(|&(i, f)| {
            let unit = claims[i].figures[f].unit.as_str();
            let k = match place.get(unit) {
                Some(&k) => k,
                None => {
                    units.push((unit.to_string(), 0));
                    place.insert(unit.to_string(), units.len() as u32 - 1);
                    units.len() as u32 - 1
                }
            };
            units[k as usize].1 += 1;
            k
        })
        .collect();
    (unit_of, units)
}

/// The units and rows of `members` from the last run's bucket `last`: a figure it held, of a
/// document vouched for (see [`Kept`]), keeps its unit and row; the others are read again (an
/// archive's largest buckets hold most figures of a measure, and an edit changes a few).
fn patched(
    claims: &[Claim],
    members: &[(usize, usize)],
    last: &Bucket,
    vouched: &Kept,
) -> (Vec<u32>, Vec<(String, usize)>, Vec<Row>) {
    // Both lists are in claim order, so in document order: walked side by side, each claim's
    // document counted from the numbers of claims of the documents before it.
    let mut kept: Vec<Option<usize>> = vec![None; members.len()];
    let mut held = vec![false; last.members.len()];
    let (mut j, mut doc, mut end) = (0, 0, vouched.counts.first().copied().unwrap_or(0));
    for (k, m) in members.iter().enumerate() {
        while m.0 >= end && doc + 1 < vouched.counts.len() {
            doc += 1;
            end += vouched.counts[doc];
        }
        while j < last.members.len() && last.members[j] < *m {
            j += 1;
        }
        if last.members.get(j) == Some(m) && m.0 < end && vouched.unchanged.get(doc) == Some(&true) {
            debug_assert_eq!(claims[m.0].doc, doc);
            kept[k] = Some(j);
            held[j] = true;
        }
    }
    let mut counts = last.units.clone();
    for (j, _) in held.iter().enumerate().filter(|(_, held)| !**held) {
        counts[last.unit_of[j] as usize].1 -= 1;
    }
    let read: Vec<(usize, usize)> =
        members.iter().zip(&kept).filter(|(_, kept)| kept.is_none()).map(|(m, _)| *m).collect();
    let (read_units, units) = units(claims, &read, counts);
    let mut read_units = read_units.into_iter();
    let mut unit_of = Vec::with_capacity(members.len());
    let mut rows = Vec::with_capacity(members.len());
    for (&(i, f), kept) in members.iter().zip(kept) {
        match kept {
            Some(j) => {
                unit_of.push(last.unit_of[j]);
                rows.push(last.rows[j]);
            }
            None => {
                unit_of.push(read_units.next().expect("a unit for each figure read"));
                rows.push(row_of(claims, i, f));
            }
        }
    }
    (unit_of, units, rows)
}

/// The positions of the rows of a comparison a reader is shown, of `n` rows whose values
/// `value` gives: all of them up to [`COMPARISON_ROWS`], else the lowest and the highest
/// figures and the first others, in their order.
pub fn shown_rows(n: usize, value: impl Fn(usize) -> Option<f64>) -> Vec<usize> {
    if n <= COMPARISON_ROWS {
        return (0..n).collect();
    }
    let valued = || (0..n).filter_map(|i| value(i).map(|v| (i, v)));
    let low = valued().min_by(|a, b| a.1.total_cmp(&b.1)).map(|(i, _)| i);
    let high = valued().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(i, _)| i);
    let mut keep: std::collections::BTreeSet<usize> = low.into_iter().chain(high).collect();
    for i in 0..n {
        if keep.len() >= COMPARISON_ROWS {
            break;
        }
        keep.insert(i);
    }
    keep.into_iter().collect()
}

/// The counted noun most figures of the bucket use, as written (`units`: each unit as
/// written, with how many figures write it).
fn measure_label(units: &[(String, usize)], measure: &str) -> String {
    // Each distinct noun lowercased once.
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (unit, n) in units.iter().filter(|(_, n)| *n > 0) {
        *count.entry(unit.to_lowercase()).or_default() += n;
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(u, _)| u).unwrap_or_else(|| measure.into())
}

fn row(claims: &[Claim], r: &Row) -> ComparisonRow {
    let c = &claims[r.claim];
    let q = &c.record.quantities[c.figures[r.figure].index];
    ComparisonRow {
        claim: c.record.id.to_string(),
        source: c.source.to_string(),
        text: q.text.clone(),
        value: q.value,
        bound: q.bound,
        attribution: c.record.attribution.as_ref().map(|a| a.text.clone()),
        date: c.record.dates.iter().find_map(|d| d.value.clone()).or_else(|| c.published.map(|p| p.to_string())),
        hedged: c.record.hedged,
    }
}

/// The months a claim's figures are dated to: its first resolved date, else its source's
/// publication month.
fn months_of(c: &Claim) -> Option<(i32, i32)> {
    c.dated().or_else(|| c.published.map(super::dates::month_index).map(|m| (m, m)))
}

/// Rows split into groups whose dates are compatible; undated rows join every group. Each
/// group is named by its first dated row's claim and figure ([`UNDATED`] for undated rows
/// alone).
fn date_groups(rows: &[Row]) -> Vec<((u32, u32), Vec<Row>)> {
    let undated: Vec<Row> = rows.iter().filter(|r| r.months.is_none()).copied().collect();
    let mut dated: Vec<Row> = rows.iter().filter(|r| r.months.is_some()).copied().collect();
    if dated.is_empty() {
        return vec![(UNDATED, undated)];
    }
    dated.sort_by_key(|r| r.months);
    // Where each group starts, then each group made at its size.
    let mut starts = Vec::new();
    let mut end = i32::MIN;
    for (k, r) in dated.iter().enumerate() {
        let (a, b) = r.months.unwrap_or_default();
        if starts.is_empty() || a > end + DATE_TOLERANCE {
            starts.push(k);
            end = b;
        }
        end = end.max(b);
    }
    let ends = starts.iter().skip(1).copied().chain([dated.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            let first = &dated[start];
            let mut group = Vec::with_capacity(undated.len() + end - start);
            group.extend_from_slice(&undated);
            group.extend_from_slice(&dated[start..end]);
            ((first.claim as u32, first.figure as u32), group)
        })
        .collect()
}

/// One finding when the lowest and highest figures of a group cannot both be right.
fn discrepancy(
    claims: &[Claim],
    rows: &[Row],
    measure: &str,
    rules: &CrosscheckRules,
    said: &mut Said,
    finder: &dyn Fn(&Row) -> Option<Finder>,
    was: &[Found],
) {
    let Some(low) = rows.iter().min_by(|a, b| a.hi.total_cmp(&b.hi).then(a.claim.cmp(&b.claim))) else {
        return;
    };
    let Some(high) = rows.iter().max_by(|a, b| a.lo.total_cmp(&b.lo).then(b.claim.cmp(&a.claim))) else {
        return;
    };
    if low.hi >= high.lo {
        return;
    }
    // Every row incompatible with one extreme is part of the disagreement.
    let mut involved: Vec<&Row> = rows.iter().filter(|r| r.hi < high.lo || r.lo > low.hi).collect();
    involved.sort_by_key(|r| (r.claim, r.figure));
    for r in &involved {
        let other = if r.hi < high.lo { high } else { low };
        said.pairs.push(Pair::disagree(r.claim, other.claim));
        if let Some(finder) = finder(r) {
            said.found_by(finder);
        }
    }
    // The claims' ids, each once: the list of a finding of the last run that names the same
    // claims (the largest buckets' findings name thousands), else a new one.
    let ids = || {
        let mut last: Option<&ArcStr> = None;
        involved.iter().map(|r| &claims[r.claim].record.id).filter(move |&id| last.replace(id) != Some(id))
    };
    let ids: Arc<[ArcStr]> = match was.iter().find(|(_, f)| f.claims.iter().eq(ids())) {
        Some((_, f)) => Arc::clone(&f.claims),
        None => ids().cloned().collect(),
    };
    // The sentence names the lowest and highest figures involved, as the sources wrote them.
    let (Some(low), Some(high)) = (
        involved.iter().min_by(|a, b| a.value.total_cmp(&b.value).then(a.claim.cmp(&b.claim))).copied(),
        involved.iter().max_by(|a, b| a.value.total_cmp(&b.value).then(b.claim.cmp(&a.claim))).copied(),
    ) else {
        return;
    };
    let one_source = involved.iter().all(|r| claims[r.claim].doc == claims[low.claim].doc);
    // (Origins as numbers: the same number, the same origin.)
    let one_origin = involved.iter().all(|r| claims[r.claim].origin_id == claims[low.claim].origin_id);
    let vars = |rules: &CrosscheckRules| {
        vec![
            ("measure", measure.to_string()),
            ("low", rules.number(low.value)),
            ("high", rules.number(high.value)),
            ("low_source", claims[low.claim].source_name.to_string()),
            ("high_source", claims[high.claim].source_name.to_string()),
            ("spread", rules.number(high.value - low.value)),
            ("ratio", rules.number(if low.value > 0.0 { high.value / low.value } else { f64::NAN })),
            ("source", claims[low.claim].source_name.to_string()),
            ("sources", names(involved.iter().map(|r| (claims[r.claim].name_id, claims[r.claim].source_name)))),
        ]
    };
    // Keyed by the measure and the sources involved, not by the claims' ids (which change
    // with their wording).
    let mut key: Vec<&str> = involved.iter().map(|r| claims[r.claim].source).collect();
    key.sort_unstable();
    key.dedup();
    key.insert(0, measure);
    // (Sorted by claim: the first names the lowest.)
    let first = involved[0].claim;
    let (kind, sentence) = if one_source && one_origin {
        ("internal-inconsistency", "internal_figures")
    } else {
        ("discrepancy", "discrepancy")
    };
    let vars = vars(rules);
    let f = finding_keyed(kind, &key, ids, rules.finding(sentence, &vars)).titled(rules.finding_title(sentence, &vars));
    said.findings.push((first, f));
}

/// The last run's scan of a group of rows, for [`agreement`]: `changed` tells the claims
/// whose rows may differ from the last run's (see [`Kept::changed`]).
struct LastScan<'l> {
    said: &'l Said,
    scan: &'l Scan,
    changed: &'l [bool],
}

/// What [`agreement`] does for one row of a group scanned before.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plan {
    /// Scan it.
    Scan,
    /// Copy the pairs of the last run's finder `k`: the row and the rows it scans are the last
    /// run's.
    Copy(usize),
    /// Nothing: it found no pair in the last run, and the rows it scans are the same.
    Nothing,
}

/// Point figures whose intervals meet agree: rows sorted by their low end, each scanned
/// forward (at most [`CAP`] rows) while the next row starts before it ends. `group` names the
/// rows' group; with `last` (serve), its scan in the last run, whose pairs are copied for the
/// rows that scan the same rows as then.
///
/// A bucket can hold most figures of an archive (one measure in one topic): its rows are
/// sorted and scanned in parallel, the pairs kept in the order one thread would find them.
/// After an edit, most rows scan what they scanned in the last run: only the rows of the
/// edited sources, and the [`CAP`] rows before each place they leave or take, are scanned.
fn agreement(
    rows: &[Row],
    said: &mut Said,
    finder: &(dyn Fn(&Row) -> Option<Finder> + Sync),
    group: [u32; 3],
    last: Option<LastScan>,
) {
    let mut points: Vec<&Row> = Vec::with_capacity(rows.len());
    points.extend(rows.iter().filter(|r| r.point));
    points.par_sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.claim.cmp(&b.claim)));
    let points = &points;
    let agreeing = |i: usize| {
        let a = points[i];
        points[i + 1..].iter().take(CAP).take_while(move |b| b.lo <= a.hi).map(move |b| Pair::agree(a.claim, b.claim))
    };
    let start = (said.pairs.len(), said.finders.len());
    let tracked = points.first().is_some_and(|a| finder(a).is_some());
    match last.as_ref().filter(|_| tracked).and_then(|last| plan(points, last)) {
        Some(plans) => {
            let last = last.as_ref().expect("planned from the last scan");
            for (i, (a, plan)) in points.iter().zip(plans).enumerate() {
                let finder = finder(a).expect("tracked");
                match plan {
                    Plan::Scan => {
                        said.pairs.extend(agreeing(i));
                        said.found_by(finder);
                    }
                    Plan::Copy(k) => {
                        said.pairs.extend_from_slice(last.said.pairs_of(k));
                        said.found_as(finder, true);
                    }
                    Plan::Nothing => {}
                }
            }
            if cfg!(debug_assertions) {
                let scanned: Vec<Pair> = (0..points.len()).flat_map(agreeing).collect();
                assert_eq!(&said.pairs[start.0..], &scanned[..], "the pairs a scan of every row finds");
            }
        }
        None => {
            said.pairs
                .par_extend((0..points.len()).into_par_iter().with_min_len(AGREEMENT_ROWS).flat_map_iter(agreeing));
            // Where each row's pairs end, counted again (a row has at most `CAP`).
            let mut end = start.0 as u32;
            for (i, a) in points.iter().enumerate() {
                let Some(finder) = finder(a) else { break };
                let found = agreeing(i).count() as u32;
                if found > 0 {
                    end += found;
                    said.finders.push((finder, end));
                    said.copied.push(false);
                }
            }
        }
    }
    if tracked {
        let rows = points.iter().map(|r| (r.claim as u32, r.figure as u32)).collect();
        said.scans.push(Scan { group, rows, finders: start.1..said.finders.len() });
    }
}

/// What to do for each of `points` (sorted) from the last run's scan of their group: `None`
/// when the rows of unchanged claims are not the same, in the same order, as in the last run
/// (a group split or joined), or the last run kept no pairs.
///
/// A row of an unchanged claim scans the same rows as in the last run when no row of a
/// changed claim is among the [`CAP`] rows after it, now or then: the rows after it are then
/// the same rows of unchanged claims, in the same order.
fn plan(points: &[&Row], last: &LastScan) -> Option<Vec<Plan>> {
    let (said, scan) = (last.said, last.scan);
    let changed = |claim: u32| last.changed[claim as usize];
    if !said.covered() {
        return None;
    }
    let row = |r: &Row| (r.claim as u32, r.figure as u32);
    let mut plans = vec![Plan::Nothing; points.len()];
    // Rows with a changed row among the `CAP` after them: now...
    for (q, r) in points.iter().enumerate() {
        if changed(r.claim as u32) {
            plans[q.saturating_sub(CAP)..=q].fill(Plan::Scan);
        }
    }
    // ... and then (by place in the last run's scan).
    let mut near = vec![false; scan.rows.len()];
    for (p, &(claim, _)) in scan.rows.iter().enumerate() {
        if changed(claim) {
            near[p.saturating_sub(CAP)..p].fill(true);
        }
    }
    // The rows of unchanged claims, walked beside the last run's, with the last run's
    // finders (in the same order, those of rows that found pairs only).
    let finder_row = |k: usize| {
        let f = &said.finders[k].0;
        (f[4], f[5])
    };
    let (mut j, mut k) = (0, scan.finders.start);
    let mut next = |j: &mut usize| {
        // The next row of an unchanged claim of the last run, its finder, and whether a
        // changed row was among the rows after it.
        while *j < scan.rows.len() {
            let then = scan.rows[*j];
            *j += 1;
            let found = (k < scan.finders.end && finder_row(k) == then).then(|| {
                k += 1;
                k - 1
            });
            if !changed(then.0) {
                return Some((then, found, near[*j - 1]));
            }
        }
        None
    };
    for (r, plan) in points.iter().zip(&mut plans) {
        if changed(r.claim as u32) {
            continue;
        }
        let (then, found, near) = next(&mut j)?;
        if then != row(r) {
            return None;
        }
        if *plan == Plan::Nothing && !near {
            *plan = found.map_or(Plan::Nothing, Plan::Copy);
        } else {
            *plan = Plan::Scan;
        }
    }
    next(&mut j).is_none().then_some(plans)
}

/// Rows a thread of [`agreement`] scans at the least.
const AGREEMENT_ROWS: usize = 2048;

/// A figure no other source gives, and that no other rule already reports, is a
/// single-source finding (one per source, measure and value: a source may repeat itself).
fn single_source<'r>(
    claims: &[Claim],
    rows: impl Iterator<Item = (&'r str, &'r Row)>,
    rules: &CrosscheckRules,
    evidence: &Evidence,
    findings: &mut Vec<Found>,
) {
    let mut alone: BTreeMap<(usize, &str, u64), Vec<&Row>> = BTreeMap::new();
    for (measure, r) in rows {
        let i = r.claim;
        if r.value.is_nan() || !evidence.is_alone(i) {
            continue;
        }
        alone.entry((claims[i].doc, measure, r.value.to_bits())).or_default().push(r);
    }
    for ((_, measure, _), rows) in alone {
        let r = rows[0];
        let c = &claims[r.claim];
        let vars = [
            ("source", c.source_name.to_string()),
            ("figure", format!("{} {}", rules.number(r.value), c.figures[r.figure].unit)),
            ("measure", measure.to_string()),
        ];
        let mut ids: Vec<ArcStr> = rows.iter().map(|r| claims[r.claim].record.id.clone()).collect();
        ids.dedup();
        let first = rows.iter().map(|r| r.claim).fold(r.claim, usize::min);
        findings.push((first, finding("single-source", ids, rules.finding("single_source", &vars))));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{attribute, date, doc, Q};
    use super::super::{crosscheck, Taxonomy};
    use crate::lang::Language;

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            r#"
            [[topic]]
            id = "effectifs"
            label = "Effectifs"
            keywords = ["soldats", "troupes", "militaires"]
            [[topic]]
            id = "pertes"
            label = "Pertes"
            keywords = ["pertes", "tués", "blessés"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn a_cached_run_compares_again_only_the_buckets_an_edited_document_is_in() {
        use super::super::{crosscheck_cached, reads_alike, CrosscheckCache};
        let lang = Language::load("fr").unwrap();
        let taxonomy = taxonomy();
        let losses = |id: &str, text: &str, q: Q| doc(id, None, &[(text, &[q])]);
        let before = vec![
            losses("a", "L'armée aurait subi environ 900 pertes.", Q("environ 900 pertes", 900.0, "pertes", "approx")),
            losses(
                "b",
                "Le bilan atteint 1 000 pertes selon le ministère.",
                Q("1 000 pertes", 1000.0, "pertes", "exact"),
            ),
            losses("c", "Quelque 3 600 soldats sont engagés.", Q("3 600 soldats", 3600.0, "soldats", "approx")),
            losses("d", "Environ 3 500 soldats sont engagés.", Q("3 500 soldats", 3500.0, "soldats", "approx")),
        ];
        let mut after = before.clone();
        after[3] = losses("d", "Environ 9 500 soldats sont engagés.", Q("9 500 soldats", 9500.0, "soldats", "approx"));
        let mut cache = CrosscheckCache::default();
        crosscheck_cached(&before, Some(&taxonomy), &lang, &mut cache);
        let kept = |cache: &CrosscheckCache, topic: &str| {
            let (_, b) = cache.compare.buckets.iter().find(|(k, _)| k.0 == topic).unwrap();
            std::sync::Arc::clone(b)
        };
        let (losses_then, troops_then) = (kept(&cache, "pertes"), kept(&cache, "effectifs"));
        cache.vouch(before.iter().zip(&after).map(|(a, b)| reads_alike(a, b)).collect());
        let analysis = crosscheck_cached(&after, Some(&taxonomy), &lang, &mut cache);
        assert_eq!(analysis, super::super::crosscheck(&after, Some(&taxonomy), &lang));
        assert!(std::sync::Arc::ptr_eq(&losses_then, &kept(&cache, "pertes")), "no figure of losses changed");
        assert!(!std::sync::Arc::ptr_eq(&troops_then, &kept(&cache, "effectifs")), "a figure of troops changed");
        // That bucket, patched from the last run's, is the one a fresh run makes: its rows,
        // each figure's unit as written, the units' counts and its label.
        let mut fresh = CrosscheckCache::default();
        crosscheck_cached(&after, Some(&taxonomy), &lang, &mut fresh);
        let (patched, made) = (kept(&cache, "effectifs"), kept(&fresh, "effectifs"));
        let units = |b: &super::Bucket| b.unit_of.iter().map(|&k| b.units[k as usize].0.clone()).collect::<Vec<_>>();
        let counts = |b: &super::Bucket| {
            let mut c: Vec<(String, usize)> = b.units.iter().filter(|(_, n)| *n > 0).cloned().collect();
            c.sort();
            c
        };
        assert_eq!((units(&patched), counts(&patched)), (units(&made), counts(&made)));
        assert_eq!(format!("{:?}", patched.rows), format!("{:?}", made.rows));
        assert_eq!(patched.label, made.label);
        assert_eq!(patched.members.len(), 2);
        assert!(analysis.findings.iter().any(|f| f.kind == "discrepancy"), "{:?}", analysis.findings);
        // Without a vouch, nothing is taken from the last run.
        let losses_now = kept(&cache, "pertes");
        crosscheck_cached(&after, Some(&taxonomy), &lang, &mut cache);
        assert!(!std::sync::Arc::ptr_eq(&losses_now, &kept(&cache, "pertes")));
    }

    #[test]
    fn a_rebuild_scans_for_agreement_only_the_rows_near_an_edit() {
        use super::super::{crosscheck_cached, reads_alike, CrosscheckCache};
        let lang = Language::load("fr").unwrap();
        let taxonomy = taxonomy();
        // Eighty sources of one figure each, every one agreeing with the next ones: one group,
        // each row's scan full.
        let troops = |i: usize, n: usize| {
            let text: &'static str = Box::leak(format!("Environ {n} soldats sont engagés.").into_boxed_str());
            let figure: &'static str = Box::leak(format!("{n} soldats").into_boxed_str());
            doc(&format!("s{i:02}"), None, &[(text, &[Q(figure, n as f64, "soldats", "approx")])])
        };
        let docs: Vec<_> = (0..80).map(|i| troops(i, 3000 + 10 * i)).collect();
        let mut cache = CrosscheckCache::default();
        crosscheck_cached(&docs, Some(&taxonomy), &lang, &mut cache);
        // One figure moved far up the list, then back, then another one down it.
        let mut last = docs;
        for (i, n) in [(20, 3_705), (20, 3_200), (70, 3_055)] {
            let mut after = last.clone();
            after[i] = troops(i, n);
            cache.vouch(last.iter().zip(&after).map(|(a, b)| reads_alike(a, b)).collect());
            let analysis = crosscheck_cached(&after, Some(&taxonomy), &lang, &mut cache);
            assert!(analysis == super::super::crosscheck(&after, Some(&taxonomy), &lang), "source {i} at {n}");
            last = after;
            let (_, bucket) = cache.compare.buckets.iter().find(|(k, _)| k.0 == "effectifs").unwrap();
            let copied = bucket.said.copied.iter().filter(|&&c| c).count();
            // (Each place the figure leaves or takes, and the figure itself, scanned again: at
            // most 2 × 16 + 1 rows of 80; and the last row finds no pair to copy.)
            assert!(copied >= 80 - 2 * super::CAP - 1 - 1, "source {i} at {n}: {copied} copied");
            assert!(copied < 80);
        }
    }

    /// What a bucket's finders found differently in two runs: the pairs of the finders gone
    /// or new, of those whose pairs differ, and of those that moved claims' pairs go through
    /// (whose lists may change); nothing for the others, wherever their place.
    #[test]
    fn the_differences_of_two_runs_are_those_of_their_finders() {
        use super::super::evidence::Pair;
        use super::{differences, Said};
        let said = |found: &[(u32, &[Pair])]| {
            let mut said = Said::default();
            for &(row, pairs) in found {
                said.pairs.extend_from_slice(pairs);
                said.found_by([0, 0, 0, 1, row, 0]);
            }
            said
        };
        let (a, b, c) = (Pair::agree(1, 2), Pair::agree(2, 3), Pair::disagree(3, 4));
        let (d, e, moved) = (Pair::agree(5, 6), Pair::agree(6, 7), Pair::agree(8, 9));
        // Row 1 finds other pairs, row 2 comes later, row 3 is gone, row 4 is new, row 5 stays
        // but goes through a moved claim.
        let last = said(&[(1, &[a, b]), (2, &[c]), (3, &[d]), (5, &[moved])]);
        let now = said(&[(1, &[a]), (5, &[moved]), (4, &[e]), (2, &[c])]);
        let is_moved = |p: &Pair| p.claims().0 == 8;
        let (mut removed, mut added) = differences(&last, &now, &is_moved).unwrap();
        let key = |p: &Pair| format!("{p:?}");
        removed.sort_by_key(key);
        added.sort_by_key(key);
        let (mut expected_removed, mut expected_added) = (vec![a, b, d, moved], vec![a, e, moved]);
        expected_removed.sort_by_key(key);
        expected_added.sort_by_key(key);
        assert_eq!((removed, added), (expected_removed, expected_added));
        // A pair no finder found cannot be told apart.
        let mut loose = now;
        loose.pairs.push(d);
        assert!(differences(&last, &loose, &is_moved).is_none());
    }

    #[test]
    fn figures_beyond_their_bounds_make_one_discrepancy_with_the_spread() {
        let lang = Language::load("fr").unwrap();
        let docs = vec![
            doc(
                "a",
                None,
                &[("L'armée aurait subi environ 900 pertes.", &[Q("environ 900 pertes", 900.0, "pertes", "approx")])],
            ),
            doc(
                "b",
                None,
                &[(
                    "Quelque 3 600 soldats auraient été tués ou blessés.",
                    &[Q("3 600 soldats", 3600.0, "soldats", "approx")],
                )],
            ),
            doc(
                "c",
                None,
                &[(
                    "Le bilan atteint 1 000 pertes selon le ministère.",
                    &[Q("1 000 pertes", 1000.0, "pertes", "exact")],
                )],
            ),
        ];
        let a = crosscheck(&docs, Some(&taxonomy()), &lang);
        let pertes = a.comparisons.iter().find(|c| c.topic == "pertes").unwrap();
        assert_eq!(pertes.rows.len(), 3);
        let d: Vec<_> = a.findings.iter().filter(|f| f.kind == "discrepancy").collect();
        assert_eq!(d.len(), 1, "{:?}", a.findings);
        assert!(d[0].claims.contains(&"a-0".into()) && d[0].claims.contains(&"b-0".into()));
        assert!(d[0].summary.contains("900") && d[0].summary.contains("3\u{202f}600"), "{}", d[0].summary);
        assert!(d[0].summary.contains("2\u{202f}700"), "the spread: {}", d[0].summary);
        // 900 (±20 %) and 1 000 (±5 %) agree; 3 600 disputes both.
        assert_eq!(&*a.verdicts["b-0"].label, "disputed");
        assert!(a.verdicts["b-0"].rationale.contains("a-0"));
        assert!(a
            .related
            .get("a-0")
            .unwrap()
            .iter()
            .any(|r| r.claim == "c-0" && r.relation == super::super::Relation::Corroborates));
    }

    #[test]
    fn bounds_increments_and_dates_leave_room_for_different_figures() {
        let lang = Language::load("fr").unwrap();
        let mut docs = vec![
            doc(
                "a",
                None,
                &[
                    (
                        "Jusqu'à 8 000 soldats pourraient être envoyés.",
                        &[Q("jusqu'à 8 000 soldats", 8000.0, "soldats", "upper")],
                    ),
                    (
                        "Puis 2 000 autres soldats sont arrivés.",
                        &[Q("2 000 autres soldats", 2000.0, "soldats", "exact")],
                    ),
                ],
            ),
            doc(
                "b",
                Some("2024-01-10"),
                &[("On comptait 5 000 soldats sur place.", &[Q("5 000 soldats", 5000.0, "soldats", "exact")])],
            ),
            doc(
                "c",
                Some("2025-03-02"),
                &[("On comptait 9 000 soldats sur place.", &[Q("9 000 soldats", 9000.0, "soldats", "exact")])],
            ),
        ];
        date(&mut docs[1], 0, "en janvier 2024", "2024-01", None);
        let a = crosscheck(&docs, Some(&taxonomy()), &lang);
        assert!(
            a.findings.iter().all(|f| f.kind != "discrepancy" && f.kind != "internal-inconsistency"),
            "{:?}",
            a.findings
        );
        let rows = &a.comparisons.iter().find(|c| c.topic == "effectifs").unwrap().rows;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[2].date.as_deref(), Some("2024-01"));
        assert_eq!(rows[3].date.as_deref(), Some("2025-03-02"));
    }

    #[test]
    fn one_speaker_giving_two_totals_is_an_internal_inconsistency() {
        let lang = Language::load("fr").unwrap();
        let mut docs = vec![doc(
            "a",
            None,
            &[
                ("Le ministère compte 2 000 soldats déployés.", &[Q("2 000 soldats", 2000.0, "soldats", "exact")]),
                ("Le ministère compte 6 000 soldats déployés.", &[Q("6 000 soldats", 6000.0, "soldats", "exact")]),
                ("Le général compte 6 000 soldats déployés.", &[Q("6 000 soldats", 6000.0, "soldats", "exact")]),
            ],
        )];
        attribute(&mut docs[0], 0, "le ministère", None);
        attribute(&mut docs[0], 1, "le ministère", None);
        let a = crosscheck(&docs, Some(&taxonomy()), &lang);
        // Three claims, two speakers: the disagreement spans speakers, so it is a discrepancy...
        assert!(a.findings.iter().any(|f| f.kind == "discrepancy"));
        // ...and within the ministry's own figures, an inconsistency.
        docs[0].record.claims.pop();
        let a = crosscheck(&docs, Some(&taxonomy()), &lang);
        let f = a.findings.iter().find(|f| f.kind == "internal-inconsistency").expect("internal inconsistency");
        assert_eq!(*f.claims, ["a-0", "a-1"]);
        assert_eq!(&*a.verdicts["a-0"].label, "inconsistent");
    }

    #[test]
    fn a_figure_only_one_source_gives_is_a_single_source_finding() {
        let lang = Language::load("fr").unwrap();
        let docs = vec![
            doc("a", None, &[("Il y a 40 chars déployés.", &[Q("40 chars", 40.0, "chars", "exact")])]),
            doc("b", None, &[("Il y a 41 chars déployés.", &[Q("41 chars", 41.0, "chars", "exact")])]),
            doc("c", None, &[("Il y a 12 avions déployés.", &[Q("12 avions", 12.0, "avions", "exact")])]),
        ];
        let a = crosscheck(&docs, None, &lang);
        let single: Vec<_> = a.findings.iter().filter(|f| f.kind == "single-source").collect();
        assert_eq!(single.len(), 1, "{single:?}");
        assert_eq!(*single[0].claims, ["c-0"]);
        assert_eq!(&*a.verdicts["a-0"].label, "corroborated");
        assert_eq!(&*a.verdicts["c-0"].label, "single-source");
    }
}
