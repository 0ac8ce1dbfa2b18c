//! What the cross-check learns about pairs of claims, gathered by every rule and read by the
//! verdicts: which claims agree (and whether independently), which disagree, which a source
//! contradicts itself with, which carry a date that cannot be right.

use super::claims::Claim;
use super::Finding;
use arcstr::ArcStr;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// At most this many claims are named as related to one claim, and at most this many rows
/// are scanned for agreement from each row: it keeps the cost linear in big buckets.
pub const CAP: usize = 16;

/// Additions held before they are merged into the lists (see [`Evidence::settle`]): 128 MB.
const PENDING: usize = 1 << 24;

/// Evidence per claim, by claim index: four lists of other claims per claim (see
/// [`Evidence::corroborated_by`] and the others), laid end to end in one table (an archive's
/// claims have tens of millions of pieces of evidence: one allocation per list made recording
/// them, and freeing them, most of the cross-check's time). Rules add pairs as they find them;
/// what they add is read after [`Evidence::settle`], which sorts each list and keeps each claim
/// once in it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Where each list starts in `items` (list `k` of claim `i` is slot `i * LISTS + k`), and
    /// where the last ends.
    starts: Vec<u32>,
    /// The lists, end to end.
    items: Vec<u32>,
    /// What was added since the last settle, a pair's two places at a time: (slot, other
    /// claim), or [`NOWHERE`].
    pending: Vec<[(u32, u32); 2]>,
    /// A date of the claim cannot be right: the finding's summary.
    pub anachronism: Vec<Option<String>>,
    /// Whether a list keeps a claim as many times as it was placed there ([`Tally`] counts
    /// them so).
    repeats: bool,
}

impl Evidence {
    /// Empty evidence for `n` claims.
    pub fn new(n: usize) -> Evidence {
        Evidence {
            starts: vec![0; n * LISTS + 1],
            items: Vec::new(),
            pending: Vec::new(),
            anachronism: vec![None; n],
            repeats: false,
        }
    }

    /// These lists (empty so far, but for what is pending) made those of `tally` first.
    pub fn start_from(&mut self, tally: &Tally) {
        debug_assert!(self.items.is_empty() && self.starts.len() == tally.starts.len());
        self.starts.clone_from(&tally.starts);
        self.items.clone_from(&tally.items);
    }

    /// Claims of other sources that agree and rest on another origin.
    pub fn corroborated_by(&self, i: usize) -> &[u32] {
        self.list(i, List::Corroborated)
    }

    /// Claims of other sources that agree but rest on the same origin.
    pub fn relayed_by(&self, i: usize) -> &[u32] {
        self.list(i, List::Relayed)
    }

    /// Claims of other sources that disagree.
    pub fn disputed_by(&self, i: usize) -> &[u32] {
        self.list(i, List::Disputed)
    }

    /// Claims of the same source and origin that disagree.
    pub fn contradicts(&self, i: usize) -> &[u32] {
        self.list(i, List::Contradicts)
    }

    /// True when claim `i` has no other claim in any of its lists.
    pub fn is_alone(&self, i: usize) -> bool {
        self.starts[i * LISTS] == self.starts[(i + 1) * LISTS]
    }

    fn list(&self, i: usize, list: List) -> &[u32] {
        let slot = i * LISTS + list as usize;
        &self.items[self.starts[slot] as usize..self.starts[slot + 1] as usize]
    }

    /// The number of claims.
    fn claims(&self) -> usize {
        self.anachronism.len()
    }

    /// Record that claims `a` and `b` agree: they corroborate each other, or relay one origin
    /// (nothing when one source says both).
    pub fn agree(&mut self, claims: &[Claim], a: usize, b: usize) {
        self.add(claims, Pair::agree(a, b));
    }

    /// Record that claims `a` and `b` disagree: a contradiction when one source says both on
    /// its own account (or citing one speaker), else a dispute.
    pub fn disagree(&mut self, claims: &[Claim], a: usize, b: usize) {
        self.add(claims, Pair::disagree(a, b));
    }

    fn add(&mut self, claims: &[Claim], pair: Pair) {
        self.pending.push(places(pair, |x| Side::of(&claims[x])).map(|place| place.unwrap_or(NOWHERE)));
        if self.pending.len() >= PENDING / 2 {
            self.settle();
        }
    }

    /// Record every pair of `batches` at once, in parallel; the lists come out as
    /// [`Evidence::agree`] and [`Evidence::disagree`] one by one would leave them, once settled.
    pub fn record<'p>(&mut self, claims: &[Claim], batches: impl IntoIterator<Item = &'p [Pair]>) {
        // What tells a pair's list, claim by claim, in one compact table read at random.
        let sides: Vec<Side> = claims.par_iter().map(Side::of).collect();
        let batches: Vec<&[Pair]> = batches.into_iter().collect();
        self.pending.reserve(batches.iter().map(|b| b.len()).sum::<usize>().min(PENDING / 2));
        for batch in batches {
            for chunk in batch.chunks(PENDING / 2) {
                if self.pending.len() + chunk.len() > PENDING / 2 {
                    self.settle();
                }
                // Two places a pair, written where they go (no vector grown a doubling at a
                // time, nothing copied); a pair that goes in no list leaves two places nowhere.
                self.pending.par_extend(
                    chunk.par_iter().map(|&p| places(p, |x| sides[x]).map(|place| place.unwrap_or(NOWHERE))),
                );
            }
        }
    }

    /// True when claim `i`'s lists in `self` and `other` (both settled) agree on their first
    /// `first` claims and on whether they hold more, and its anachronism is the same: all that
    /// a verdict reads of them.
    pub fn same_start(&self, other: &Evidence, i: usize, first: usize) -> bool {
        let same = |a: &[u32], b: &[u32]| {
            a.len().min(first + 1) == b.len().min(first + 1) && a[..a.len().min(first)] == b[..b.len().min(first)]
        };
        same(self.corroborated_by(i), other.corroborated_by(i))
            && same(self.relayed_by(i), other.relayed_by(i))
            && same(self.disputed_by(i), other.disputed_by(i))
            && same(self.contradicts(i), other.contradicts(i))
            && self.anachronism[i] == other.anachronism[i]
    }

    /// Merge what was added into the lists: each sorted, each claim once in it.
    pub fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let slots = self.claims() * LISTS;
        // The slots are cut into one run per thread, each made by its thread from the old
        // lists and the places of `pending` that fall in it: each run reads all of `pending`,
        // which costs less than sorting the places out to their runs.
        let run = slots.div_ceil(rayon::current_num_threads()).max(1);
        let runs: Vec<std::ops::Range<usize>> = (0..slots).step_by(run).map(|lo| lo..(lo + run).min(slots)).collect();
        let was = &self.starts;
        // Each list's length with what was added, then where it starts in its run's part.
        let mut starts: Vec<Vec<u32>> = runs
            .par_iter()
            .map(|range| {
                let lo = range.start;
                let mut starts = vec![0u32; range.len() + 1];
                for slot in range.clone() {
                    starts[slot - lo + 1] = was[slot + 1] - was[slot];
                }
                places_in(&pending, range, |k, _| starts[k + 1] += 1);
                for k in 0..range.len() {
                    starts[k + 1] += starts[k];
                }
                starts
            })
            .collect();
        // The runs' parts of one table, each filled, sorted, deduplicated and closed up by its
        // thread.
        let sizes: Vec<usize> = starts.iter().map(|s| s[s.len() - 1] as usize).collect();
        let mut items = vec![0u32; sizes.iter().sum()];
        let mut parts: Vec<&mut [u32]> = Vec::with_capacity(runs.len());
        let mut rest: &mut [u32] = &mut items;
        for &size in &sizes {
            let (part, tail) = rest.split_at_mut(size);
            parts.push(part);
            rest = tail;
        }
        let (old, repeats) = (&self.items, self.repeats);
        let kept: Vec<usize> = runs
            .par_iter()
            .zip(parts)
            .zip(starts.par_iter_mut())
            .map(|((range, part), starts)| {
                let lo = range.start;
                let mut fill: Vec<u32> = starts[..range.len()].to_vec();
                for slot in range.clone() {
                    let list = &old[was[slot] as usize..was[slot + 1] as usize];
                    let at = &mut fill[slot - lo];
                    part[*at as usize..*at as usize + list.len()].copy_from_slice(list);
                    *at += list.len() as u32;
                }
                places_in(&pending, range, |k, other| {
                    part[fill[k] as usize] = other;
                    fill[k] += 1;
                });
                drop(fill);
                let mut end = 0;
                for k in 0..range.len() {
                    let (from, to) = (starts[k] as usize, starts[k + 1] as usize);
                    let list = &mut part[from..to];
                    // A list nothing was added to is settled already.
                    let n = if list.len() == (was[lo + k + 1] - was[lo + k]) as usize {
                        list.len()
                    } else {
                        list.sort_unstable();
                        if repeats {
                            list.len()
                        } else {
                            dedup_sorted(list)
                        }
                    };
                    part.copy_within(from..from + n, end);
                    starts[k] = end as u32;
                    end += n;
                }
                starts[range.len()] = end as u32;
                end
            })
            .collect();
        drop(pending);
        // The runs closed up, end to end.
        let (mut table, mut end, mut from) = (Vec::with_capacity(slots + 1), 0usize, 0usize);
        for ((run_starts, &n), size) in starts.iter().zip(&kept).zip(&sizes) {
            table.extend(run_starts[..run_starts.len() - 1].iter().map(|k| k + end as u32));
            items.copy_within(from..from + n, end);
            end += n;
            from += size;
        }
        table.push(end as u32);
        items.truncate(end);
        items.shrink_to_fit();
        self.starts = table;
        self.items = items;
    }
}

/// Where pairs go, each place counted: what serve's cross-check keeps of the figures' pairs
/// between runs, and patches with the pairs an edit adds and removes instead of placing every
/// pair of the archive again. A place stays while any pair puts it there (two figures of one
/// claim, or two buckets, can find one agreement twice).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// The lists of [`Evidence`], each claim once in each.
    starts: Vec<u32>,
    items: Vec<u32>,
    /// How many pairs put each item of `items` there.
    counts: Vec<u32>,
    /// Each claim's side when its pairs were placed: a pair is taken out from where it was put.
    sides: Vec<Side>,
    /// The tables the last patch replaced, kept to write the next one into (freshly allocated,
    /// megabytes of them cost more in page faults than in copying).
    spare: [Vec<u32>; 3],
}

impl PartialEq for Tally {
    fn eq(&self, other: &Tally) -> bool {
        (&self.starts, &self.items, &self.counts, &self.sides)
            == (&other.starts, &other.items, &other.counts, &other.sides)
    }
}

impl Eq for Tally {}

impl Tally {
    /// The places of every pair of `batches`.
    pub fn new<'p>(claims: &[Claim], batches: impl IntoIterator<Item = &'p [Pair]>) -> Tally {
        let mut all = Evidence { repeats: true, ..Evidence::new(claims.len()) };
        all.record(claims, batches);
        all.settle();
        let Evidence { starts: was, items: all_items, .. } = all;
        let mut starts = Vec::with_capacity(was.len());
        let (mut items, mut counts) = (Vec::with_capacity(all_items.len()), Vec::with_capacity(all_items.len()));
        starts.push(0);
        for slot in 0..was.len() - 1 {
            for run in all_items[was[slot] as usize..was[slot + 1] as usize].chunk_by(|a, b| a == b) {
                items.push(run[0]);
                counts.push(run.len() as u32);
            }
            starts.push(items.len() as u32);
        }
        Tally { starts, items, counts, sides: claims.par_iter().map(Side::of).collect(), spare: Default::default() }
    }

    /// Take out the places of `removed` (put with the sides of the last placing) and put those
    /// of `added` (with the sides of `claims`). False, and the tally left as it was, when a
    /// pair taken out was never put: the caller then makes it anew.
    pub fn patch(&mut self, claims: &[Claim], removed: &[Pair], added: &[Pair]) -> bool {
        let sides: Vec<Side> = claims.par_iter().map(Side::of).collect();
        if sides.len() != self.sides.len() {
            return false;
        }
        let mut changes: Vec<(u32, u32, i64)> = Vec::with_capacity(2 * (removed.len() + added.len()));
        for (pairs, side, delta) in [(removed, &self.sides, -1), (added, &sides, 1)] {
            for &p in pairs {
                changes.extend(places(p, |x| side[x]).into_iter().flatten().map(|(slot, other)| (slot, other, delta)));
            }
        }
        changes.sort_unstable_by_key(|&(slot, other, _)| (slot, other));
        let [mut starts, mut items, mut counts] = std::mem::take(&mut self.spare);
        for table in [&mut starts, &mut items, &mut counts] {
            table.clear();
        }
        starts.reserve(self.starts.len());
        items.reserve(self.items.len() + changes.len());
        counts.reserve(self.items.len() + changes.len());
        starts.push(0u32);
        let mut next = 0usize;
        let mut changes = changes.chunk_by(|a, b| a.0 == b.0).peekable();
        while next < self.starts.len() - 1 {
            let Some(&group) = changes.peek() else {
                break;
            };
            let slot = group[0].0 as usize;
            // The slots before it, as they were.
            let (from, to) = (self.starts[next] as usize, self.starts[slot] as usize);
            let shift = items.len() as i64 - from as i64;
            starts.extend(self.starts[next + 1..=slot].iter().map(|&s| (s as i64 + shift) as u32));
            items.extend_from_slice(&self.items[from..to]);
            counts.extend_from_slice(&self.counts[from..to]);
            // The slot, merged with its changes.
            let range = self.starts[slot] as usize..self.starts[slot + 1] as usize;
            let (old, old_counts) = (&self.items[range.clone()], &self.counts[range]);
            let (mut i, mut j) = (0, 0);
            while i < old.len() || j < group.len() {
                let other = match (old.get(i), group.get(j)) {
                    (Some(&a), Some(&(_, b, _))) => a.min(b),
                    (Some(&a), None) => a,
                    (None, Some(&(_, b, _))) => b,
                    (None, None) => unreachable!("one of the two is left"),
                };
                let mut count = 0i64;
                if old.get(i) == Some(&other) {
                    count = old_counts[i] as i64;
                    i += 1;
                }
                while group.get(j).is_some_and(|c| c.1 == other) {
                    count += group[j].2;
                    j += 1;
                }
                match count {
                    0 => {}
                    n if n > 0 => {
                        items.push(other);
                        counts.push(n as u32);
                    }
                    _ => return false,
                }
            }
            starts.push(items.len() as u32);
            changes.next();
            next = slot + 1;
        }
        // The slots after the last change, as they were.
        let from = self.starts[next] as usize;
        let shift = items.len() as i64 - from as i64;
        starts.extend(self.starts[next + 1..].iter().map(|&s| (s as i64 + shift) as u32));
        items.extend_from_slice(&self.items[from..]);
        counts.extend_from_slice(&self.counts[from..]);
        self.spare = [
            std::mem::replace(&mut self.starts, starts),
            std::mem::replace(&mut self.items, items),
            std::mem::replace(&mut self.counts, counts),
        ];
        self.sides = sides;
        true
    }
}

/// Each place of `pending` whose slot is in `run`: the slot's number in the run, and the other
/// claim.
fn places_in(pending: &[[(u32, u32); 2]], run: &std::ops::Range<usize>, mut each: impl FnMut(usize, u32)) {
    let (lo, len) = (run.start as u32, run.len() as u32);
    for &(slot, other) in pending.as_flattened() {
        // (A slot below the run wraps round to beyond it, as does a place nowhere.)
        let k = slot.wrapping_sub(lo);
        if k < len {
            each(k as usize, other);
        }
    }
}

/// Keep each value of the sorted `list` once, at its start: how many are kept.
fn dedup_sorted(list: &mut [u32]) -> usize {
    let mut n = 0;
    for k in 0..list.len() {
        if n == 0 || list[k] != list[n - 1] {
            list[n] = list[k];
            n += 1;
        }
    }
    n
}

/// Two claims that agree or disagree, as a rule finds them (claim numbers as `u32`: an
/// archive's rules find tens of millions of pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// Its two claims.
    pub fn claims(self) -> (usize, usize) {
        let (a, b, _) = self.parts();
        (a, b)
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

/// What [`Evidence::record`] reads of a claim to tell which list a pair goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A place in no list, in [`Evidence::pending`] (no slot is that large: there are four per
/// claim, and claims are numbered by `u32`).
const NOWHERE: (u32, u32) = (u32::MAX, u32::MAX);

/// Where `pair` goes: (slot, other claim) for each of its two claims; `side` tells each
/// claim's document and origin.
fn places(pair: Pair, side: impl Fn(usize) -> Side) -> [Option<(u32, u32)>; 2] {
    let (a, b, agree) = pair.parts();
    let (sa, sb) = (side(a), side(b));
    let Some(list) = list_of(agree, sa.doc == sb.doc, sa.origin == sb.origin, a == b) else {
        return [None, None];
    };
    [(a, b), (b, a)].map(|(x, y)| Some(((x * LISTS + list as usize) as u32, y as u32)))
}

/// Strings laid end to end in one buffer, by index: the claims' ids are copied into the output
/// hundreds of thousands of times, and reading them from one compact buffer rather than from
/// each claim's record saves cache misses on every copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        // (Without the room a string grown by pushes keeps: up to as much again.)
        text.shrink_to_fit();
        Packed { text, ends }
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        &self.text[self.start(i)..self.ends[i]]
    }

    /// Where string `i` starts.
    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1]
        }
    }

    /// These strings, but those numbered in `changed` (sorted, each once), which `new` gives:
    /// each run of unchanged strings is copied at once.
    pub fn patched<'s>(&self, changed: &[u32], new: impl Fn(usize) -> &'s str) -> Packed {
        let n = self.len();
        let mut text = String::with_capacity(self.text.len() + 64 * changed.len());
        let mut ends = Vec::with_capacity(n);
        let mut next = 0;
        for c in changed.iter().map(|&c| c as usize).chain([n]) {
            if next < c {
                let (start, end) = (self.start(next), self.ends[c - 1]);
                let at = text.len();
                text.push_str(&self.text[start..end]);
                ends.extend(self.ends[next..c].iter().map(|&e| e - start + at));
            }
            if c < n {
                text.push_str(new(c));
                ends.push(text.len());
            }
            next = c + 1;
        }
        Packed { text, ends }
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The strings laid end to end, and where each ends.
    pub fn into_parts(self) -> (String, Vec<usize>) {
        (self.text, self.ends)
    }
}

/// A finding with a stable id made of its kind and a hash of its claims, so that it keeps its
/// URL across rebuilds while the claims are the same.
pub fn finding(kind: &str, claims: Vec<ArcStr>, summary: String) -> Finding {
    let key: Vec<&str> = claims.iter().map(ArcStr::as_str).collect();
    let id = finding_id(kind, &key);
    Finding { id, kind: kind.to_string(), claims: claims.into(), summary, title: None }
}

/// A finding as a rule makes it, with the lowest number of the claims it names: the place it
/// is ordered at (see `order`) when no two claims share an id.
pub type Found = (usize, Finding);

/// A finding whose id is a hash of `key`: what the finding is about (a measure and the sources
/// that disagree on it, say), so that its URL, and every page linking it, stays the same when
/// the wording of one of its claims changes. Two findings with one key are told apart when the
/// findings are ordered.
pub fn finding_keyed(kind: &str, key: &[&str], claims: impl Into<Arc<[ArcStr]>>, summary: String) -> Finding {
    Finding { id: finding_id(kind, key), kind: kind.to_string(), claims: claims.into(), summary, title: None }
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

/// Names joined for a sentence, unique, in order, each given with its number (see
/// [`super::claims::Claim::name_id`]): a finding may name thousands of sources of a few names,
/// told apart by number in a set.
pub fn names<'a>(items: impl IntoIterator<Item = (u32, &'a str)>) -> String {
    let mut seen: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
    let mut last = None;
    let mut out = String::new();
    for (number, name) in items {
        if last != Some(number) && seen.insert(number) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(name);
        }
        last = Some(number);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::claims::{Reader, Readings};
    use super::super::testing::{attribute, doc};
    use super::*;
    use crate::lang::Language;

    #[test]
    fn names_are_joined_once_each_in_the_order_they_first_come() {
        let items = [
            (4, "Journal A"),
            (2, "Journal B"),
            (4, "Journal A"),
            (4, "Journal A"),
            (7, "Journal C"),
            (2, "Journal B"),
        ];
        assert_eq!(names(items), "Journal A, Journal B, Journal C");
        assert_eq!(names([]), "");
    }

    #[test]
    fn packed_strings_patched_are_those_packed_anew() {
        let old = ["a", "bb", "", "ccc", "d", "ee"];
        let new = ["a", "X", "", "ccc", "YYY", ""];
        let packed = |s: &[&str]| Packed::new(s.len(), |i, out| out.push_str(s[i]));
        for changed in [&[1u32, 4, 5][..], &[], &[0], &[0, 1, 2, 3, 4, 5]] {
            let expected: Vec<&str> =
                (0..old.len()).map(|i| if changed.contains(&(i as u32)) { new[i] } else { old[i] }).collect();
            assert_eq!(packed(&old).patched(changed, |i| new[i]), packed(&expected), "{changed:?}");
        }
    }

    /// `test` run on the claims of seven documents of three claims each: two from one speaker,
    /// one on the outlet's own account.
    fn with_claims(test: impl FnOnce(&[Claim])) {
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
        test(&claims);
    }

    /// A tally patched with the pairs taken out and put in is the tally of the pairs left, and
    /// evidence started from it has the lists of those pairs.
    #[test]
    fn a_tally_patched_is_the_tally_made_anew() {
        with_claims(a_tally_patched_is_the_tally_made_anew_of);
    }

    fn a_tally_patched_is_the_tally_made_anew_of(claims: &[Claim]) {
        let n = claims.len();
        // Every kind of pair, some of them twice.
        let pair = |k: usize| {
            let (a, b) = (k % n, (k * 7 + 3) % n);
            if k % 3 == 0 {
                Pair::disagree(a, b)
            } else {
                Pair::agree(a, b)
            }
        };
        let before: Vec<Pair> = (0..3 * n).map(pair).chain((0..n).map(pair)).collect();
        // Some taken out (one of a pair found twice among them), some put in.
        let removed: Vec<Pair> = (0..n).filter(|k| k % 4 != 1).map(pair).collect();
        let added: Vec<Pair> = (4 * n..5 * n).map(pair).collect();
        let mut left = before.clone();
        for p in &removed {
            let at = left.iter().position(|q| q == p).unwrap();
            left.remove(at);
        }
        left.extend(&added);
        let mut tally = Tally::new(claims, [before.as_slice()]);
        assert!(tally.patch(claims, &removed, &added));
        assert_eq!(tally, Tally::new(claims, [left.as_slice()]));
        let (mut started, mut recorded) = (Evidence::new(n), Evidence::new(n));
        started.start_from(&tally);
        recorded.record(claims, [left.as_slice()]);
        recorded.settle();
        assert_eq!(started, recorded);
        // A pair taken out that was never put leaves the tally as it was.
        let never = Pair::disagree(0, n - 1);
        let mut once = Tally::new(claims, [&[][..]]);
        assert!(!once.patch(claims, &[never], &[]));
        assert_eq!(once, Tally::new(claims, [&[][..]]));
    }

    /// Pairs recorded at once, by as many threads as the pool has, make the lists that
    /// recording them one by one makes, once settled.
    #[test]
    fn pairs_recorded_at_once_are_recorded_one_by_one() {
        with_claims(pairs_recorded_at_once_are_recorded_one_by_one_of);
    }

    fn pairs_recorded_at_once_are_recorded_one_by_one_of(claims: &[Claim]) {
        let n = claims.len();
        // Every kind of pair: same document, same origin, a claim with itself, repeated.
        let pairs: Vec<Pair> = (0..n * n)
            .map(|k| (k / n, k % n))
            .map(|(a, b)| if (a + b) % 2 == 1 { Pair::disagree(a, b) } else { Pair::agree(a, b) })
            .collect();
        let mut one_by_one = Evidence::new(n);
        for p in &pairs {
            match *p {
                Pair::Agree(a, b) => one_by_one.agree(claims, a as usize, b as usize),
                Pair::Disagree(a, b) => one_by_one.disagree(claims, a as usize, b as usize),
            }
        }
        one_by_one.settle();
        // What the lists must be: for each claim, the set of the other claims of each kind.
        let mut sets = vec![std::collections::BTreeSet::new(); n * LISTS];
        for p in &pairs {
            for (slot, other) in places(*p, |x| Side::of(&claims[x])).into_iter().flatten() {
                sets[slot as usize].insert(other);
            }
        }
        let expected: Vec<Vec<u32>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
        let lists = |e: &Evidence| -> Vec<Vec<u32>> {
            (0..n)
                .flat_map(|i| [e.corroborated_by(i), e.relayed_by(i), e.disputed_by(i), e.contradicts(i)])
                .map(<[u32]>::to_vec)
                .collect()
        };
        assert_eq!(lists(&one_by_one), expected);
        assert!((0..n).any(|i| !one_by_one.relayed_by(i).is_empty()));
        assert!((0..n).any(|i| !one_by_one.corroborated_by(i).is_empty()));
        assert!((0..n).any(|i| !one_by_one.disputed_by(i).is_empty()));
        assert!((0..n).any(|i| !one_by_one.contradicts(i).is_empty()));
        assert!((0..n).all(|i| one_by_one.is_alone(i) == (0..LISTS).all(|k| expected[i * LISTS + k].is_empty())));
        for threads in [1, 2, 3, 5] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut at_once = Evidence::new(n);
            let (first, rest) = pairs.split_at(pairs.len() / 3);
            pool.install(|| at_once.record(claims, [first, &[], rest]));
            at_once.settle();
            assert_eq!(at_once, one_by_one, "{threads} threads");
            // Settled in steps: what is added later is merged into the lists settled before.
            let mut in_steps = Evidence::new(n);
            pool.install(|| {
                in_steps.record(claims, [first]);
                in_steps.settle();
                in_steps.settle();
                in_steps.record(claims, [rest, first]);
                in_steps.settle();
            });
            assert_eq!(in_steps, one_by_one, "{threads} threads, in steps");
        }
    }
}
