//! Stage 5, **group and cross-check**: put claims into topics, compare the figures that
//! measure the same thing, and record what a reader must know (findings) and an automatic
//! verdict per claim.
//!
//! Each reported claim is read once (`claims`: stems, figures with their measure class and
//! interval, origin, publication date), then: `topics` groups them (editor's taxonomy or
//! automatic TF-IDF), `conflict` finds opposite statements, `compare` aligns figures and
//! finds discrepancies, `similar` finds the same statement in other words, `dates` finds
//! dates that cannot be right, `origin` finds sources that are not independent, and
//! `verdict` turns the gathered `evidence` into an automatic verdict per claim. Sentences
//! come from `lang/<code>/crosscheck.toml` ([`CrosscheckRules`]). For `factsite serve`,
//! `claims` keeps each document's reading and `last` what the last run concluded, so that a
//! run after one edit reuses what the edit cannot have changed ([`crosscheck_cached`]).

mod claims;
mod compare;
mod conflict;
mod dates;
pub mod entities;
mod evidence;
mod last;
mod origin;
mod related;
mod rules;
mod similar;
#[cfg(test)]
mod testing;
mod topics;
mod verdict;

pub use claims::Compiled;
pub use related::{Related, RelatedClaims, RelatedList, Relation};
pub use rules::{ConflictCues, CrosscheckRules, MeasureDef};
pub use topics::{Taxonomy, TopicDef};
pub use verdict::{Verdict, VerdictBy};

use crate::annotate::{AnnotatedSource, ClaimRecord};
use crate::lang::Language;
use crate::report::Document;
use arcstr::ArcStr;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A group of claims about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// Stable id (slug).
    pub id: String,
    /// Display label.
    pub label: String,
    /// Claim ids, in source then text order (shared: a rebuild of `factsite serve` takes the
    /// last run's lists of the topics whose claims are the same).
    pub claims: Arc<[ArcStr]>,
}

/// Something the cross-check found that a reader must know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// `discrepancy`, `anachronism`, `single-source`, `same-origin`, `conflict`,
    /// `internal-inconsistency`.
    pub kind: String,
    /// The claims it links (shared: a rebuild of `factsite serve` copies the last run's
    /// findings, some of which name thousands of claims).
    pub claims: Arc<[ArcStr]>,
    /// One sentence a reader understands.
    pub summary: String,
    /// For a finding that can name many claims, what it is about, in words that stay while
    /// claims join or leave it (the summary gives the lowest and highest figures, say): each
    /// claim's details show it, so that a claim added to a finding of thousands changes the
    /// page of the finding, not the pages of its thousands of claims. `None`: the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Finding {
    /// The finding with this title (see [`Finding::title`]).
    pub fn titled(self, title: Option<String>) -> Finding {
        Finding { title, ..self }
    }

    /// What a claim's details say of it: its title, else its summary.
    pub fn title_or_summary(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.summary)
    }
}

/// One figure in a comparison: what one claim says about a measured thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// The claim id.
    pub claim: String,
    /// The source id.
    pub source: String,
    /// The figure as written.
    pub text: String,
    /// Normalised value (`None` for vague amounts).
    pub value: Option<f64>,
    /// Exact, approx, upper, lower, vague.
    pub bound: crate::extract::Bound,
    /// Who gives it (attribution text), `None` when the outlet asserts it.
    pub attribution: Option<String>,
    /// When: the claim's resolved date, else the source's publication date (ISO 8601).
    pub date: Option<String>,
    /// True when the source hedges it.
    pub hedged: bool,
}

/// Figures from several claims that measure the same thing (same counted noun or unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Stable id.
    pub id: String,
    /// The topic it belongs to.
    pub topic: String,
    /// What is measured, e.g. "soldats".
    pub measure: String,
    /// The rows a reader is shown, one per figure, in source then text order: every figure up
    /// to [`COMPARISON_ROWS`], else the lowest and the highest and the first others. (A measure
    /// can be given by thousands of claims of an archive: the others are only counted.)
    pub rows: Vec<ComparisonRow>,
    /// How many figures were compared, those not shown included.
    pub compared: usize,
}

/// At most this many rows of a comparison are shown.
pub const COMPARISON_ROWS: usize = 40;

impl Comparison {
    /// A comparison of every row of `rows`, of which it keeps those shown.
    pub fn from_rows(id: String, topic: String, measure: String, rows: Vec<ComparisonRow>) -> Comparison {
        let compared = rows.len();
        let shown = compare::shown_rows(compared, |i| rows[i].value);
        let mut rows: Vec<Option<ComparisonRow>> = rows.into_iter().map(Some).collect();
        let rows = shown.into_iter().filter_map(|i| rows[i].take()).collect();
        Comparison { id, topic, measure, rows, compared }
    }
}

/// The output of the cross-check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Topics, each with its claims.
    pub topics: Vec<Topic>,
    /// Comparable figures, by topic.
    pub comparisons: Vec<Comparison>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Automatic verdict per claim id (the ids shared with the cross-check's next run in
    /// `factsite serve`).
    pub verdicts: BTreeMap<ArcStr, Verdict>,
    /// Claims that corroborate or conflict with each claim, by claim id.
    pub related: RelatedClaims,
    /// The topic of each reported claim (its place in `topics`), in claim order (the
    /// documents' reported claims, document after document), when no two claims share an id:
    /// what [`Analysis::topic_of`] gives each claim id, told by number rather than by hashing
    /// every id. `None` when two claims share an id (the map then gives both the later topic).
    pub claim_topics: Option<Arc<[u32]>>,
}

impl Analysis {
    /// The topic id of every claim (of two topics that hold one claim id, the later one's).
    pub fn topic_of(&self) -> rustc_hash::FxHashMap<&str, &str> {
        self.topics.iter().flat_map(|t| t.claims.iter().map(move |c| (c.as_str(), t.id.as_str()))).collect()
    }
}

/// Group and cross-check the claims of every reported claim of `docs`: topics, comparisons of
/// figures, findings, automatic verdicts and related claims. Pure and deterministic; every
/// rule works inside buckets (topic, measure, cue pair, stem), so the cost grows near-linearly
/// with the number of claims.
pub fn crosscheck<D: Borrow<Document> + Sync>(docs: &[D], taxonomy: Option<&Taxonomy>, lang: &Language) -> Analysis {
    crosscheck_cached(docs, taxonomy, lang, &mut CrosscheckCache::one_shot())
}

/// What the cross-check read of each document in its last run, kept by a caller that runs it
/// again after a few documents changed (`factsite serve`): see [`crosscheck_cached`].
#[derive(Debug, Default)]
pub struct CrosscheckCache {
    readings: claims::Readings,
    topics: topics::Found,
    similar: similar::Found,
    /// What the last run compared, bucket by bucket (not kept by a one-shot cache).
    compare: compare::Kept,
    /// What the last run concluded (not kept by a one-shot cache).
    last: Option<last::Last>,
}

impl CrosscheckCache {
    /// Tell the next run that each document marked in `unchanged` is, unchanged, the one its
    /// last run got at the same place (a caller that shares documents knows it by pointer):
    /// its reading is kept without its claims being compared again. Ignored unless the next
    /// run gets as many documents as the last one.
    pub fn vouch(&mut self, unchanged: Vec<bool>) {
        self.readings.vouch(unchanged);
    }

    /// A cache for one run only (a build): it does not keep the copies of each claim's fields
    /// that tell, in a later run, whether a reading still holds, which at archive scale are
    /// hundreds of megabytes. A later run with it reads every document again.
    pub fn one_shot() -> CrosscheckCache {
        CrosscheckCache { readings: claims::Readings::forgetful(), ..CrosscheckCache::default() }
    }
}

/// [`crosscheck`], reading again only the documents whose claims changed since `cache` was
/// last filled, and keeping in `cache` what it read for the next run. A document's reading is
/// reused when its source id, publication date, source name and the quote, figures,
/// attribution, entities and dates of each of its reported claims are what they were; the
/// result is the same as [`crosscheck`]'s whatever the cache held (an empty one, or one
/// filled from other documents or another language).
pub fn crosscheck_cached<D: Borrow<Document> + Sync>(
    docs: &[D],
    taxonomy: Option<&Taxonomy>,
    lang: &Language,
    cache: &mut CrosscheckCache,
) -> Analysis {
    let reader = claims::Reader::new(lang);
    cache.readings.update(&reader, docs);
    let terms = cache.readings.terms_key();
    let (claims, lexicon) = cache.readings.claims(docs);
    let rules = &lang.crosscheck;
    let keep = !cache.readings.is_forgetful();
    let mut evidence = evidence::Evidence::new(claims.len());
    let mut findings = Vec::new();
    // The topics (a serial pass over every claim closes their grouping), beside what does not
    // read them: the conflicts, and the dates that cannot be right.
    let ((topics, topic_of), (anachronisms, counts)) = rayon::join(
        || topics::group(&claims, taxonomy, lang, &reader, lexicon, (terms.clone(), &mut cache.topics, keep)),
        || {
            conflict::conflicts(&claims, rules, &reader, lexicon, &mut evidence, &mut findings);
            (dates::find(&claims, rules), last::counts(&claims, docs.len()))
        },
    );
    let kept = keep.then(|| {
        cache.compare.prepare(&lang.code, &counts, cache.readings.unchanged());
        &mut cache.compare
    });
    let comparisons = compare::compare(&claims, &topics, &topic_of, rules, &mut evidence, &mut findings, kept);
    evidence.settle();
    similar::record(&claims, cache.similar.get(&claims, lexicon, &topic_of, terms, keep), &mut evidence);
    evidence.settle();
    dates::record(anachronisms, &claims, &mut evidence, &mut findings);
    // The evidence is complete. Left: the findings of origins (a serial union-find) and their
    // order, and the verdicts and related claims of every claim.
    let records: Vec<&ClaimRecord> = docs.par_iter().flat_map_iter(|d| d.borrow().reported_claims()).collect();
    let same_origin = |then: Option<&last::Then>| {
        origin::same_origin(&claims, rules, &evidence, |members| then.and_then(|t| t.origin(members)))
    };
    let topic_findings = |findings: &mut Vec<evidence::Found>| {
        origin::single_source_topics(&claims, &topics, &topic_of, rules, findings);
    };
    let related = |ids: evidence::Packed, by_id: &[u32]| RelatedClaims::from_evidence(ids, by_id, &evidence);
    let (findings, verdicts, related, distinct) = if cache.readings.is_forgetful() {
        // A build frees the readings (hundreds of megabytes at archive scale) before it writes
        // the verdicts.
        let (read, (findings, (ids, by_id), distinct)) = rayon::join(
            || verdict::Read::of(&claims, &records),
            || {
                let mut findings = findings;
                findings.extend(same_origin(None).into_iter().map(|(members, f)| (members[0], f)));
                topic_findings(&mut findings);
                let (ids, by_id) = last::ids(None, &records);
                let distinct = unique(&ids, &by_id);
                (order(findings, &records, distinct), (ids, by_id), distinct)
            },
        );
        drop(claims);
        cache.readings.release();
        let each = last::verdicts(None, &records, &read, &evidence, rules);
        drop(read);
        let (verdicts, related) = rayon::join(
            || {
                let mut each: Vec<Option<Verdict>> = each.into_iter().map(Some).collect();
                last::by_id(&records, &by_id, |i| each[i].take().unwrap_or_else(Verdict::unchecked))
            },
            // (The ids are the related claims' own from here: not copied.)
            || related(ids, &by_id),
        );
        (findings, verdicts, related, distinct)
    } else {
        // Serve keeps the readings, and what this run concludes for the next one, which takes
        // what still holds of it; it does all of it side by side.
        let (then_owned, stale) = match cache.last.take() {
            Some(last) if last::Then::fits(&last, &lang.code, &counts) => {
                (Some(last::Then::new(last, &claims, cache.readings.unchanged())), None)
            }
            last => (None, last),
        };
        let then = then_owned.as_ref();
        let read = verdict::Read::Claims(&claims);
        let (ids, by_id) = last::ids(then, &records);
        let unique = unique(&ids, &by_id);
        let ((origins, findings), (each, verdicts, related)) = rayon::join(
            || {
                let origins = same_origin(then);
                let mut findings = findings;
                findings.extend(origins.iter().map(|(members, f)| (members[0], f.clone())));
                topic_findings(&mut findings);
                (origins, order(findings, &records, unique))
            },
            || {
                let each = last::verdicts(then, &records, &read, &evidence, rules);
                let (verdicts, related) =
                    rayon::join(|| last::by_id(&records, &by_id, |i| each[i].clone()), || related(ids.clone(), &by_id));
                (each, verdicts, related)
            },
        );
        cache.last =
            Some(last::Last { lang: lang.code.clone(), counts, ids, by_id, evidence, verdicts: each, origins });
        // What the last run kept (tens of thousands of verdicts) is freed on another thread:
        // the rebuild is waiting for this run.
        if then_owned.is_some() || stale.is_some() {
            std::thread::spawn(move || drop((then_owned, stale)));
        }
        (findings, verdicts, related, unique)
    };
    let claim_topics = distinct.then(|| topic_of.iter().map(|&t| t as u32).collect());
    Analysis { topics, comparisons, findings, verdicts, related, claim_topics }
}

/// True when the cross-check reads documents `a` and `b` alike, so that it finds the same in
/// either, whatever the other documents: the same source id, outlet and dates, and the same
/// claims but for what the cross-check does not read of them: the editor's verdict, rationale
/// and evidence, the topic the last analysis gave each, where each stands in the source (span,
/// lines, surrounding text, how it was anchored while it stays reported) and its score. An
/// editor who sets a verdict, or adds a paragraph without claims, changes nothing the analysis
/// says (`factsite serve` keeps the last one then).
pub fn reads_alike(a: &Document, b: &Document) -> bool {
    let unread = |c: &ClaimRecord| {
        let mut c = c.clone();
        if c.is_reported() {
            c.anchoring = crate::annotate::Anchoring::Anchored;
        }
        c.span = crate::span::Span::default();
        c.lines = [0, 0];
        c.prefix = None;
        c.suffix = None;
        c.score = 0.0;
        c.topic = None;
        c.review.verdict = None;
        c.review.rationale = None;
        c.review.evidence = Vec::new();
        c
    };
    // (Every field named: a field added to either is a field to decide about here.)
    let Document { source, seg, record: AnnotatedSource { meta, claims } } = a;
    let Document { source: source_b, seg: seg_b, record: AnnotatedSource { meta: meta_b, claims: claims_b } } = b;
    // (The source's digest changes with any edit of its text.)
    let read = |m: &crate::annotate::FrontMatter| crate::annotate::FrontMatter { sha256: String::new(), ..m.clone() };
    source.id == source_b.id
        && seg.meta == seg_b.meta
        && (meta == meta_b || read(meta) == read(meta_b))
        && claims.len() == claims_b.len()
        && claims.iter().zip(claims_b).all(|(c, d)| c == d || unread(c) == unread(d))
}

/// Whether no two of the claims numbered in `ids` share an id (`order` sorts them by id).
fn unique(ids: &evidence::Packed, order: &[u32]) -> bool {
    order.windows(2).all(|w| ids.get(w[0] as usize) != ids.get(w[1] as usize))
}

/// Findings without duplicates, the most telling kinds first, then in the order of their
/// first claim: the first of `claims` to hold one of their ids, the last claim of an id
/// standing for it. When no two claims share an id (`unique`), that is the lowest claim number
/// each finding was made with, and no id is looked up.
fn order(findings: Vec<evidence::Found>, claims: &[&ClaimRecord], unique: bool) -> Vec<Finding> {
    const KINDS: &[&str] =
        &["discrepancy", "anachronism", "conflict", "internal-inconsistency", "same-origin", "single-source"];
    // The position of each claim id (the last claim of an id, as a map filled in claim order
    // keeps it), made beside the numbers: when ids are shared (and, in debug builds, to check
    // the claim numbers the findings were made with).
    let position = || {
        if unique && !cfg!(debug_assertions) {
            return rustc_hash::FxHashMap::default();
        }
        let mut position: rustc_hash::FxHashMap<&str, usize> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(claims.len(), Default::default());
        for (i, c) in claims.iter().enumerate() {
            position.insert(c.id.as_str(), i);
        }
        position
    };
    // The same finding reached twice is kept once; two findings that share a key are told
    // apart by a number, in the order they were made (deterministic). Findings are looked up by
    // their kind, number of claims and first and last claims (a finding can name thousands),
    // then compared whole.
    let numbers = || {
        type Key<'f> = (&'f str, usize, Option<&'f ArcStr>, Option<&'f ArcStr>);
        let mut same: rustc_hash::FxHashMap<Key, Vec<usize>> = rustc_hash::FxHashMap::default();
        let mut taken: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        findings
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let f = &f.1;
                let kept = same.entry((&f.kind, f.claims.len(), f.claims.first(), f.claims.last())).or_default();
                if kept.iter().any(|&j| findings[j].1.claims == f.claims) {
                    return None;
                }
                kept.push(k);
                let n = taken.entry(&f.id).or_default();
                *n += 1;
                Some(*n)
            })
            .collect::<Vec<Option<usize>>>()
    };
    let (position, numbers) = rayon::join(position, numbers);
    let out: Vec<(usize, Finding)> = findings
        .into_iter()
        .zip(numbers)
        .filter_map(|((first, mut f), n)| {
            let n = n?;
            if n > 1 {
                f.id = format!("{}-{n}", f.id);
            }
            Some((first, f))
        })
        .collect();
    let mut keyed: Vec<((usize, Option<usize>), Finding)> = out
        .into_par_iter()
        .map(|(number, f)| {
            let kind = KINDS.iter().position(|k| *k == f.kind).unwrap_or(KINDS.len());
            let looked_up = || f.claims.iter().filter_map(|c| position.get(c.as_str())).min().copied();
            let first = if unique { Some(number) } else { looked_up() };
            debug_assert_eq!(first, looked_up(), "{}: the claim number it was made with", f.id);
            ((kind, first), f)
        })
        .collect();
    // Ids are unique now: the order is total.
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    keyed.into_iter().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::testing::{attribute, date, doc, Q};
    use super::*;

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            r#"
            [[topic]]
            id = "effectifs"
            label = "Effectifs"
            keywords = ["soldats", "troupes", "renforts"]
            [[topic]]
            id = "pertes"
            label = "Pertes"
            keywords = ["pertes", "tués", "blessés"]
            "#,
        )
        .unwrap()
    }

    /// Findings are ordered by the lowest claim number they were made with only while no two
    /// claims share an id (an editor may give a claim any id).
    #[test]
    fn claims_that_share_an_id_are_told_apart_from_unique_ones() {
        let packed = |ids: &[&str]| {
            let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            let packed = evidence::Packed::new(ids.len(), |i, out| out.push_str(&ids[i]));
            let order = RelatedClaims::id_order(&packed);
            (packed, order)
        };
        let (ids, order) = packed(&["b-1", "a-1", "c-1"]);
        assert!(unique(&ids, &order));
        let (ids, order) = packed(&["b-1", "a-1", "b-1"]);
        assert!(!unique(&ids, &order));
        let (ids, order) = packed(&[]);
        assert!(unique(&ids, &order));
    }

    /// Documents with something for every rule: figures that agree and disagree, opposite
    /// statements, the same statement from one origin, dates that cannot be right.
    fn corpus() -> Vec<Document> {
        let mut docs = vec![
            doc(
                "a",
                Some("2024-05-10"),
                &[
                    ("L'armée aurait subi environ 900 pertes.", &[Q("environ 900 pertes", 900.0, "pertes", "approx")]),
                    ("Aucune confirmation officielle n'a été donnée sur l'envoi des renforts.", &[]),
                    ("Le pays pourrait envoyer des renforts au premier semestre 2022.", &[]),
                    ("Selon l'agence d'État, le traité de défense mutuelle a été signé en juin.", &[]),
                ],
            ),
            doc(
                "b",
                Some("2024-06-01"),
                &[
                    (
                        "Le bilan atteint 1 000 pertes selon le ministère.",
                        &[Q("1 000 pertes", 1000.0, "pertes", "exact")],
                    ),
                    ("Le gouvernement a officiellement confirmé l’envoi de renforts au front.", &[]),
                    ("On comptait 5 000 soldats sur place.", &[Q("5 000 soldats", 5000.0, "soldats", "exact")]),
                ],
            ),
            doc(
                "c",
                None,
                &[
                    ("Quelque 3 600 pertes auraient été recensées.", &[Q("3 600 pertes", 3600.0, "pertes", "approx")]),
                    ("L'agence d'État affirme que le traité de défense mutuelle a été signé en juin.", &[]),
                    (
                        "Jusqu'à 8 000 soldats pourraient être envoyés.",
                        &[Q("jusqu'à 8 000 soldats", 8000.0, "soldats", "upper")],
                    ),
                ],
            ),
            doc("d", Some("2025-01-15"), &[("La météo était clémente sur la côte bretonne.", &[])]),
        ];
        date(&mut docs[0], 2, "premier semestre 2022", "2022", Some(["2022-01", "2022-06"]));
        attribute(&mut docs[0], 3, "l'agence d'État", Some("agence"));
        attribute(&mut docs[2], 1, "L'agence d'État", Some("agence"));
        attribute(&mut docs[1], 0, "le ministère", None);
        docs
    }

    /// `crosscheck_cached` after a run on `before`, checked against `crosscheck` on `after`,
    /// with and without a taxonomy; twice, so that a cache filled by a cached run serves too.
    fn same_as_from_scratch(before: &[Document], after: &[Document]) {
        let lang = Language::load("fr").unwrap();
        let taxonomy = taxonomy();
        for taxonomy in [Some(&taxonomy), None] {
            for vouched in [false, true] {
                // As `factsite serve` does, when vouching: the documents read alike are vouched
                // for as the last run's.
                let vouch = |cache: &mut CrosscheckCache, from: &[Document], to: &[Document]| {
                    if vouched && from.len() == to.len() {
                        cache.vouch(from.iter().zip(to).map(|(a, b)| reads_alike(a, b)).collect());
                    }
                };
                let mut cache = CrosscheckCache::default();
                let first = crosscheck_cached(before, taxonomy, &lang, &mut cache);
                assert_eq!(first, crosscheck(before, taxonomy, &lang));
                let expected = crosscheck(after, taxonomy, &lang);
                assert!(!expected.findings.is_empty() && !expected.verdicts.is_empty());
                vouch(&mut cache, before, after);
                assert_eq!(crosscheck_cached(after, taxonomy, &lang, &mut cache), expected);
                vouch(&mut cache, after, after);
                assert_eq!(crosscheck_cached(after, taxonomy, &lang, &mut cache), expected);
                vouch(&mut cache, after, before);
                assert_eq!(crosscheck_cached(before, taxonomy, &lang, &mut cache), first);
            }
        }
    }

    #[test]
    fn a_cached_run_with_nothing_changed_is_a_fresh_one() {
        let docs = corpus();
        same_as_from_scratch(&docs, &docs);
    }

    /// `docs` with the figure of the first claim of the second document changed.
    fn figure_edited(docs: &[Document]) -> Vec<Document> {
        let mut after = docs.to_vec();
        let claim = &mut after[1].record.claims[0];
        claim.quote = "Le bilan atteint 4 000 pertes selon le ministère.".into();
        claim.quantities[0] = Q("4 000 pertes", 4000.0, "pertes", "exact").quantity();
        after
    }

    /// A finding remade after an edit (its claims were read again) that names the same claims
    /// as the last run's shares its list of claims, as a fresh run's finding would equal it.
    #[test]
    fn a_finding_remade_with_the_same_claims_shares_the_last_runs_list() {
        let lang = Language::load("fr").unwrap();
        let before = corpus();
        // The figure of a claim of a discrepancy changes, and the date of a source of a
        // same-origin group: both are found again, with the same claims.
        let mut after = figure_edited(&before);
        after[2].record.meta.published = Some("2024-07-01".into());
        let mut cache = CrosscheckCache::default();
        let first = crosscheck_cached(&before, None, &lang, &mut cache);
        cache.vouch(before.iter().zip(&after).map(|(a, b)| reads_alike(a, b)).collect());
        let then = crosscheck_cached(&after, None, &lang, &mut cache);
        assert_eq!(then, crosscheck(&after, None, &lang));
        for kind in ["discrepancy", "same-origin"] {
            let find = |a: &Analysis| a.findings.iter().find(|f| f.kind == kind).cloned().unwrap();
            let (was, now) = (find(&first), find(&then));
            assert_eq!(was.claims, now.claims);
            assert!(Arc::ptr_eq(&was.claims, &now.claims), "{kind}: the same list");
        }
    }

    #[test]
    fn a_cached_run_after_a_figure_changed_is_a_fresh_one() {
        let before = corpus();
        let after = figure_edited(&before);
        let expected = crosscheck(&after, None, &Language::load("fr").unwrap());
        assert_ne!(expected, crosscheck(&before, None, &Language::load("fr").unwrap()));
        same_as_from_scratch(&before, &after);
    }

    #[test]
    fn a_cached_run_after_a_document_came_and_another_went_is_a_fresh_one() {
        let before = corpus();
        let mut after = before.clone();
        // The removed document holds the only words of its kind (the lexicon loses stems),
        // the added one brings new ones (it gains some), and every place shifts.
        after.remove(0);
        after.insert(
            1,
            doc(
                "e",
                Some("2024-07-02"),
                &[
                    (
                        "Des inondations ont dévasté 300 hectares de vignobles.",
                        &[Q("300 hectares", 300.0, "hectares", "exact")],
                    ),
                    (
                        "Environ 950 pertes ont été confirmées par l'état-major.",
                        &[Q("environ 950 pertes", 950.0, "pertes", "approx")],
                    ),
                ],
            ),
        );
        same_as_from_scratch(&before, &after);
        let mut reversed = before.clone();
        reversed.reverse();
        same_as_from_scratch(&before, &reversed);
    }

    #[test]
    fn a_cached_run_after_claims_were_renamed_is_a_fresh_one() {
        // A claim's id is its quote's hash: a figure edited renames it. One claim renamed to
        // sort first among the ids, another to sort last, a third to the id of a claim of
        // another source (the last claim of an id is the one looked up).
        let before = corpus();
        let mut after = figure_edited(&before);
        after[1].record.claims[0].id = "0-first".into();
        after[2].record.claims[0].id = "zz-last".into();
        after[2].record.claims[2].id = "a-1".into();
        // A claim of a same-origin group renamed: the group is the same, its finding is not.
        after[2].record.claims[1].id = "c-agence".into();
        same_as_from_scratch(&before, &after);
    }

    #[test]
    fn a_cached_run_after_a_date_changed_is_a_fresh_one() {
        let lang = Language::load("fr").unwrap();
        let before = corpus();
        let mut after = before.clone();
        // Figures dated after their reading was kept: their comparisons' dates, and which
        // figures describe one moment, change.
        date(&mut after[1], 2, "en mars 2022", "2022-03", None);
        date(&mut after[0], 0, "en mars 2024", "2024-03", None);
        assert_ne!(crosscheck(&before, None, &lang), crosscheck(&after, None, &lang));
        same_as_from_scratch(&before, &after);
        same_as_from_scratch(&after, &before);
    }

    #[test]
    fn a_cached_run_after_an_editor_annotated_is_a_fresh_one() {
        let before = corpus();
        let mut after = before.clone();
        after[0].record.claims[1].review.topic = Some("a-part".into());
        after[2].record.claims[0].review.not_a_claim = true;
        after[1].record.claims[2].review.verdict = Some("faux".into());
        after[3].record.meta.outlet = Some("La Gazette".into());
        same_as_from_scratch(&before, &after);
    }

    #[test]
    fn a_cached_run_after_a_claim_changed_topic_is_a_fresh_one() {
        let lang = Language::load("fr").unwrap();
        let before = corpus();
        let mut after = before.clone();
        // The losses of "c" become soldiers sent: the claim leaves one topic for another.
        let claim = &mut after[2].record.claims[0];
        claim.quote = "Quelque 3 600 soldats auraient été envoyés.".into();
        claim.quantities[0] = Q("3 600 soldats", 3600.0, "soldats", "approx").quantity();
        let topic = |docs: &[Document]| crosscheck(docs, Some(&taxonomy()), &lang).topic_of()["c-0"].to_string();
        assert_eq!((topic(&before), topic(&after)), ("pertes".into(), "effectifs".into()));
        same_as_from_scratch(&before, &after);
    }

    #[test]
    fn a_cached_run_after_a_finding_came_or_went_is_a_fresh_one() {
        let lang = Language::load("fr").unwrap();
        let before = corpus();
        let mut after = before.clone();
        // 3 600 losses become 950, which the other figures allow: the discrepancy goes...
        let claim = &mut after[2].record.claims[0];
        claim.quote = "Quelque 950 pertes auraient été recensées.".into();
        claim.quantities[0] = Q("950 pertes", 950.0, "pertes", "approx").quantity();
        // ...and a "last June" two years before publication comes.
        date(&mut after[1], 1, "juin dernier", "2022-06", None);
        let count = |docs: &[Document], kind: &str| {
            crosscheck(docs, Some(&taxonomy()), &lang).findings.iter().filter(|f| f.kind == kind).count()
        };
        assert!(count(&before, "discrepancy") > 0 && count(&after, "discrepancy") == 0);
        assert!(count(&after, "anachronism") > count(&before, "anachronism"));
        same_as_from_scratch(&before, &after);
        same_as_from_scratch(&after, &before);
    }

    #[test]
    fn a_cached_run_after_words_or_entities_changed_is_a_fresh_one() {
        let before = corpus();
        let mut after = before.clone();
        // Words the corpus already has (the lexicon keeps its stems) in another claim, and an
        // entity named where there was none: the claims' terms change.
        after[0].record.claims[1].quote =
            "Aucune confirmation officielle n'a été donnée sur l'envoi des soldats.".into();
        after[3].record.claims[0].entities = vec!["bretagne".into()];
        same_as_from_scratch(&before, &after);
    }

    /// Topics are found again when the claims' terms change, not when only a figure's value
    /// does: the numbers of their terms say which.
    #[test]
    fn the_terms_key_follows_words_not_figures() {
        let lang = Language::load("fr").unwrap();
        let reader = claims::Reader::new(&lang);
        let key = |readings: &mut claims::Readings, docs: &[Document]| {
            readings.update(&reader, docs);
            readings.terms_key()
        };
        let before = corpus();
        let mut readings = claims::Readings::default();
        let first = key(&mut readings, &before);
        let mut figure = before.clone();
        let claim = &mut figure[1].record.claims[0];
        claim.quote = "Le bilan atteint 4 000 pertes selon le ministère.".into();
        claim.quantities[0] = Q("4 000 pertes", 4000.0, "pertes", "exact").quantity();
        assert_eq!(key(&mut readings, &figure), first);
        let mut words = figure.clone();
        words[1].record.claims[0].quote = "Le bilan atteint 4 000 pertes selon l'armée.".into();
        // (A new word: the lexicon renumbers its stems.)
        assert_ne!(key(&mut readings, &words), first);
        assert_eq!(key(&mut readings, &figure), key(&mut readings, &figure));
    }

    /// Words put in another order keep a claim's stems and surface words but not its phrases,
    /// which the search for the same statement in other words reads: the terms' numbers
    /// change, and what the cache kept of that search is not used.
    #[test]
    fn a_cached_run_after_words_were_reordered_is_a_fresh_one() {
        let lang = Language::load("fr").unwrap();
        let before = corpus();
        let mut after = before.clone();
        after[1].record.claims[1].quote =
            "Le gouvernement a confirmé officiellement l'envoi de renforts au front.".into();
        let reader = claims::Reader::new(&lang);
        let mut readings = claims::Readings::default();
        readings.update(&reader, &before);
        let first = readings.terms_key();
        readings.update(&reader, &after);
        assert_ne!(readings.terms_key(), first);
        same_as_from_scratch(&before, &after);
        same_as_from_scratch(&after, &before);
    }

    /// What the search for similar claims found is used again while the claims' terms and
    /// topics are the same (so that a figure edited costs no search), and only then.
    #[test]
    fn similar_claims_are_searched_again_only_when_terms_or_topics_change() {
        let lang = Language::load("fr").unwrap();
        let reader = claims::Reader::new(&lang);
        let docs = corpus();
        let mut readings = claims::Readings::default();
        readings.update(&reader, &docs);
        let terms = readings.terms_key();
        let (claims, lexicon) = readings.claims(&docs);
        let topic_of = vec![0; claims.len()];
        let mut found = similar::Found::default();
        let first = found.get(&claims, lexicon, &topic_of, terms.clone(), true).clone();
        assert!(!first.is_empty(), "the corpus has claims that say the same thing");
        // Kept: the same terms and topics give what was found, whatever the claims (none here).
        assert_eq!(found.get(&[], lexicon, &topic_of, terms.clone(), true), &first);
        // Searched again: other topics, or other terms.
        let apart: Vec<usize> = (0..claims.len()).collect();
        assert!(found.get(&claims, lexicon, &apart, terms.clone(), true).is_empty());
        assert_eq!(found.get(&claims, lexicon, &topic_of, terms.clone(), true), &first);
        assert!(found.get(&[], lexicon, &[], claims::TermsKey::default(), true).is_empty());
    }

    #[test]
    fn documents_read_alike_when_only_what_the_crosscheck_does_not_read_differs() {
        let docs = corpus();
        let alike = |edit: &dyn Fn(&mut Document)| {
            let mut doc = docs[0].clone();
            edit(&mut doc);
            reads_alike(&docs[0], &doc)
        };
        assert!(alike(&|_| {}));
        assert!(alike(&|d| d.record.claims[0].review.verdict = Some("faux".into())));
        assert!(alike(&|d| d.record.claims[1].review.rationale = Some("Vérifié.".into())));
        assert!(alike(&|d| d.record.claims[2].review.evidence = vec!["https://example.org".into()]));
        assert!(alike(&|d| d.record.claims[0].topic = Some("pertes".into())));
        // A paragraph added before the claims: they move, and say the same.
        assert!(alike(&|d| {
            d.record.meta.sha256 = "0".repeat(64);
            for c in &mut d.record.claims {
                c.span = crate::span::Span { start: c.span.start + 40, end: c.span.end + 40 };
                c.lines = [c.lines[0] + 2, c.lines[1] + 2];
                c.prefix = Some("Un paragraphe ajouté. ".into());
                c.anchoring = crate::annotate::Anchoring::Moved;
                c.score += 0.1;
            }
        }));
        // What it reads.
        assert!(!alike(&|d| d.record.claims[0].review.topic = Some("a-part".into())));
        assert!(!alike(&|d| d.record.claims[0].review.not_a_claim = true));
        assert!(!alike(&|d| d.record.claims[0].anchoring = crate::annotate::Anchoring::Orphaned));
        assert!(!alike(&|d| d.record.claims[0].quote = format!("{}!", d.record.claims[0].quote).into()));
        assert!(!alike(&|d| d.record.claims[0].hedged = !d.record.claims[0].hedged));
        assert!(!alike(&|d| {
            d.record.claims.pop();
        }));
        assert!(!alike(&|d| d.record.meta.outlet = Some("La Gazette".into())));
        assert!(!reads_alike(&docs[0], &docs[1]));
    }

    #[test]
    fn a_cache_filled_in_another_language_is_not_used() {
        let docs = corpus();
        let fr = Language::load("fr").unwrap();
        let mut other = Language::load("fr").unwrap();
        other.code = "xx".into();
        let mut cache = CrosscheckCache::default();
        crosscheck_cached(&docs, None, &other, &mut cache);
        assert_eq!(crosscheck_cached(&docs, None, &fr, &mut cache), crosscheck(&docs, None, &fr));
    }
}
