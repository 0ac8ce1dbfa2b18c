//! View structs: what templates see. They are shaped for pages (labels translated, URLs
//! built, HTML fragments pre-escaped), so templates and the domain model change independently.

use super::chart::{self, Bar};
use super::escape;
use super::index::{AutoLabels, ClaimFindings, ClaimIndex, Indexes, Mentions, TopicRanks};
use super::markdown;
use super::urls;
use crate::annotate::ClaimRecord;
use crate::crosscheck::{Comparison, Finding, Verdict, VerdictBy};
use crate::extract::{Bound, Entity};
use crate::lang::Language;
use crate::report::{Document, Report};
use crate::segment::{Line, LineKind};
use arcstr::ArcStr;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// One page to render.
pub struct Page<'a> {
    /// Output path.
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// What the template sees.
    pub context: PageContext<'a>,
}

/// The context every template gets, with `site` (a [`SiteView`]): see [`Pages::tera_context`].
#[derive(Serialize)]
pub struct PageContext<'a> {
    /// Prefix that leads from this page to the site root (`""` or `"../"`).
    pub root: String,
    /// Page title.
    pub title: String,
    /// Absolute URL of the page.
    pub canonical: String,
    /// Which navigation entry is current (`home`, `findings`...), or empty.
    pub nav: &'static str,
    /// The page's own data.
    #[serde(flatten)]
    pub body: Body<'a>,
}

/// Site-wide values.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Report title.
    pub title: &'a str,
    /// Report description.
    pub description: &'a str,
    /// Language code for `lang`.
    pub lang: &'a str,
    /// Interface strings.
    pub ui: &'a BTreeMap<String, String>,
    /// `factsite x.y.z`.
    pub generator: &'a str,
    /// Site-relative URLs of the fixed pages and files.
    pub urls: BTreeMap<&'static str, &'static str>,
    /// True when the project has a methodology page.
    pub has_methodology: bool,
}

/// Page-specific data.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Body<'a> {
    /// Home.
    Home {
        /// What was checked.
        stats: Stats,
        /// Findings, the headline first.
        findings: Vec<FindingView>,
        /// Verdicts at a glance.
        verdicts: Vec<VerdictCount>,
        /// Topics.
        topics: Vec<TopicSummary>,
        /// Sources.
        sources: Vec<SourceSummary>,
    },
    /// A source page.
    Source {
        /// Summary.
        source: SourceSummary,
        /// Lines, pre-escaped HTML.
        lines: Vec<LineView>,
        /// Claims that cannot be marked inside one line (they span lines or overlap another).
        loose: Vec<LooseClaim>,
        /// The verdict colours used on the page.
        legend: Vec<VerdictCount>,
        /// Every claim of the source, in full, below its text.
        claims: Vec<ClaimDetail<'a>>,
        /// The claims' ClaimReviews as one JSON-LD array, escaped for a `<script>` element.
        jsonld: String,
    },
    /// The annotated Markdown of a source, highlighted.
    Annotated {
        /// Summary.
        source: SourceSummary,
        /// Highlighted HTML of the Markdown.
        code: String,
    },
    /// A topic page.
    Topic {
        /// Topic label.
        label: String,
        /// How many claims the topic holds.
        claim_count: usize,
        /// Its claims on this page.
        claims: Vec<ClaimCard<'a>>,
        /// Comparable figures (on the first page).
        comparisons: Vec<ComparisonView>,
        /// Links to the topic's other pages, when it has several.
        pager: Option<Pager>,
    },
    /// An entity page.
    Entity {
        /// The entity.
        entity: EntityView,
        /// Claims that mention it, on this page.
        claims: Vec<ClaimCard<'a>>,
        /// Links to the entity's other pages, when it has several.
        pager: Option<Pager>,
    },
    /// The list of entities.
    Entities {
        /// Every entity of the report.
        entities: Vec<EntityView>,
    },
    /// A page of findings.
    Findings {
        /// The findings of this page.
        findings: Vec<FindingView>,
        /// Links to the other pages of findings, when there are several.
        pager: Option<Pager>,
    },
    /// A page of Markdown content (methodology).
    Markdown {
        /// Sanitised HTML.
        html: String,
    },
    /// The search page: its script loads the index (`search.json`) and lists the claims found.
    Search {
        /// How many claims the index holds.
        claim_count: usize,
    },
    /// The 404 page.
    NotFound {},
}

/// What the report checked.
#[derive(Serialize)]
pub struct Stats {
    /// Number of sources.
    pub sources: usize,
    /// Number of claims.
    pub claims: usize,
    /// Number of findings.
    pub findings: usize,
    /// Outlets, sorted.
    pub outlets: Vec<String>,
    /// Earliest publication date.
    pub first_date: Option<String>,
    /// Latest publication date.
    pub last_date: Option<String>,
}

/// A source in lists and on its page.
#[derive(Serialize)]
pub struct SourceSummary {
    /// Id.
    pub id: String,
    /// Raw path.
    pub path: String,
    /// Title or path.
    pub title: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// ISO date.
    pub published: Option<String>,
    /// sha256.
    pub sha256: String,
    /// Encoding.
    pub encoding: String,
    /// Page URL.
    pub url: String,
    /// Annotated Markdown page URL.
    pub annotated_url: String,
    /// Where the annotated file lives in the project.
    pub annotated_path: String,
    /// Number of lines.
    pub line_count: usize,
    /// Number of claims.
    pub claim_count: usize,
}

/// A topic in lists.
#[derive(Serialize)]
pub struct TopicSummary {
    /// Label.
    pub label: String,
    /// Page URL.
    pub url: String,
    /// Number of claims.
    pub claim_count: usize,
}

/// How many claims carry a verdict.
#[derive(Serialize)]
pub struct VerdictCount {
    /// Displayed label.
    pub label: String,
    /// CSS class.
    pub class: String,
    /// Count.
    pub count: usize,
    /// Share of all claims, in percent (rounded).
    pub percent: usize,
}

/// One line of a source.
#[derive(Serialize)]
pub struct LineView {
    /// 1-based number.
    pub number: usize,
    /// Line kind (`prose`, `title`...).
    pub kind: &'static str,
    /// Translated kind, for lines that are not prose.
    pub kind_label: Option<String>,
    /// Escaped HTML with claim marks.
    pub html: String,
    /// URL of the line on its source page.
    pub url: String,
}

/// Links between the numbered pages of a long list: the previous and next pages, and the
/// first, the last and those around this one (a list of thousands of pages would otherwise
/// list them all on each of them, a site quadratic in its size).
#[derive(Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages.
    pub count: usize,
    /// The previous page, relative to this one.
    pub previous: Option<String>,
    /// The next page, relative to this one.
    pub next: Option<String>,
    /// The pages linked by number, in order: the first, the last, and up to
    /// [`PAGER_AROUND`] on each side of this one (and a page alone between two of these).
    pub pages: Vec<PagerLink>,
}

/// A page a [`Pager`] links by its number.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct PagerLink {
    /// Its number, from 1.
    pub number: usize,
    /// Its URL, relative to the page the pager is on.
    pub url: String,
    /// True for the page the pager is on.
    pub current: bool,
    /// True when pages between the previous link and this one are left out.
    pub after_gap: bool,
}

/// Pages a [`Pager`] links on each side of the current one.
pub const PAGER_AROUND: usize = 2;

impl Pager {
    /// The pager of page `k` (0-based) of `count` pages, `url(i)` leading from page `k` to
    /// page `i`; `None` for a list of one page.
    pub(super) fn new(k: usize, count: usize, url: impl Fn(usize) -> String) -> Option<Pager> {
        if count < 2 {
            return None;
        }
        let linked = |i: usize| i == 0 || i + 1 == count || i.abs_diff(k) <= PAGER_AROUND;
        // A gap of one page shows that page rather than an ellipsis.
        let shown = |i: usize| linked(i) || (i > 0 && linked(i - 1) && linked(i + 1));
        let mut last = None;
        let mut pages = Vec::new();
        for i in (0..count).filter(|&i| shown(i)) {
            pages.push(PagerLink {
                number: i + 1,
                url: url(i),
                current: i == k,
                after_gap: last.is_some_and(|l: usize| i > l + 1),
            });
            last = Some(i);
        }
        Some(Pager {
            number: k + 1,
            count,
            previous: (k > 0).then(|| url(k - 1)),
            next: (k + 1 < count).then(|| url(k + 1)),
            pages,
        })
    }
}

/// A claim in full, on its source's page.
#[derive(Serialize)]
pub struct ClaimDetail<'a> {
    /// The claim.
    pub claim: ClaimView<'a>,
    /// Its fragment id on the page.
    pub anchor: String,
    /// The automatic verdict when the editor's differs from it.
    pub auto_verdict: Option<VerdictView>,
    /// Evidence links given by the editor.
    pub evidence: Vec<String>,
    /// Claims that corroborate or conflict with it (the first [`RELATED_SHOWN`]).
    pub related: Vec<RelatedView>,
    /// How many more related claims there are than are shown.
    pub more_related: usize,
    /// Findings about it.
    pub findings: Vec<FindingView>,
}

/// A claim shown below its source's text because it cannot be marked inside one line.
#[derive(Serialize)]
pub struct LooseClaim {
    /// Claim id (the citation target).
    pub id: String,
    /// Quote.
    pub quote: String,
    /// Claim page.
    pub url: String,
    /// Lines.
    pub lines: [usize; 2],
    /// CSS class of its verdict.
    pub class: String,
}

/// A verdict as shown.
#[derive(Serialize, Clone)]
pub struct VerdictView {
    /// The label as recorded (`single-source`, or the editor's).
    pub key: String,
    /// Displayed label.
    pub label: String,
    /// CSS class (`verdict-<slug>`).
    pub class: String,
    /// `auto` or `editor`.
    pub by: &'static str,
    /// Sanitised HTML of the rationale.
    pub rationale: String,
}

/// A figure in a claim.
#[derive(Serialize)]
pub struct QuantityView<'a> {
    /// As written.
    pub text: &'a str,
    /// Bound sign and value (`≈ 1000`), when there is a value.
    pub value: Option<String>,
    /// Translated bound.
    pub bound: String,
    /// What is counted.
    pub unit: Option<&'a str>,
}

/// A date in a claim.
#[derive(Serialize)]
pub struct DateView<'a> {
    /// As written.
    pub text: &'a str,
    /// ISO value.
    pub value: Option<&'a str>,
}

/// A link to a page, with its text.
#[derive(Serialize, Clone)]
pub struct Link {
    /// Text.
    pub label: String,
    /// Site-relative URL.
    pub url: String,
}

/// A claim in full, on its source's page (lists show a [`ClaimCard`]).
#[derive(Serialize)]
pub struct ClaimView<'a> {
    /// Id.
    pub id: &'a str,
    /// Quote.
    pub quote: &'a str,
    /// Page URL.
    pub url: String,
    /// Citation URL.
    pub cite_url: String,
    /// Lines.
    pub lines: [usize; 2],
    /// Source.
    pub source: Link,
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// Publication date of the source.
    pub published: Option<&'a str>,
    /// Topic.
    pub topic: Option<Link>,
    /// Hedged.
    pub hedged: bool,
    /// Hedge cues.
    pub hedge_cues: &'a [String],
    /// Speaker.
    pub attribution: Option<&'a str>,
    /// Figures.
    pub quantities: Vec<QuantityView<'a>>,
    /// Dates.
    pub dates: Vec<DateView<'a>>,
    /// Entities.
    pub entities: Vec<Link>,
    /// The verdict shown.
    pub verdict: VerdictView,
}

/// A claim in a list (a topic's page, an entity's page): what its card shows. The claim in
/// full, with its figures, dates, entities and the verdict's rationale, is a [`ClaimView`] on
/// its source's page.
#[derive(Serialize)]
pub struct ClaimCard<'a> {
    /// Id.
    pub id: &'a str,
    /// Quote.
    pub quote: &'a str,
    /// Page URL.
    pub url: String,
    /// Citation URL.
    pub cite_url: String,
    /// Lines.
    pub lines: [usize; 2],
    /// Source.
    pub source: Link,
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// Publication date of the source.
    pub published: Option<&'a str>,
    /// Hedged.
    pub hedged: bool,
    /// Speaker.
    pub attribution: Option<&'a str>,
    /// The verdict shown.
    pub verdict: VerdictBadge,
}

/// A verdict as a badge shows it: a [`VerdictView`] without the rationale.
#[derive(Serialize)]
pub struct VerdictBadge {
    /// The label as recorded (`single-source`, or the editor's).
    pub key: String,
    /// Displayed label.
    pub label: String,
    /// CSS class (`verdict-<slug>`).
    pub class: String,
    /// `auto` or `editor`.
    pub by: &'static str,
}

impl VerdictBadge {
    /// The verdict in full, with its rationale (sanitised HTML).
    pub fn with_rationale(self, rationale: String) -> VerdictView {
        let VerdictBadge { key, label, class, by } = self;
        VerdictView { key, label, class, by, rationale }
    }
}

/// A claim related to another.
#[derive(Serialize)]
pub struct RelatedView {
    /// Translated relation.
    pub relation: String,
    /// `corroborates` or `conflicts`.
    pub kind: String,
    /// The other claim.
    pub claim: Link,
}

/// A finding.
#[derive(Serialize)]
pub struct FindingView {
    /// Id (its anchor on the findings page).
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Translated kind.
    pub kind_label: String,
    /// Summary (on a claim's details, the finding's title when it has one).
    pub summary: String,
    /// URL on the findings page.
    pub url: String,
    /// The claims it links (the first [`CLAIMS_PER_FINDING`]).
    pub claims: Vec<Link>,
    /// How many more claims it concerns than are linked.
    pub more: usize,
}

/// One row of a comparison table.
#[derive(Serialize)]
pub struct RowView {
    /// The figure as written.
    pub text: String,
    /// Bound sign and value.
    pub value: Option<String>,
    /// Translated bound.
    pub bound: String,
    /// Who says it.
    pub who: String,
    /// When.
    pub date: Option<String>,
    /// Source.
    pub source: Link,
    /// Claim page.
    pub claim_url: String,
    /// Hedged.
    pub hedged: bool,
}

/// Figures of several claims that measure the same thing.
#[derive(Serialize)]
pub struct ComparisonView {
    /// Id, its anchor.
    pub id: String,
    /// What is measured.
    pub measure: String,
    /// Rows shown (at most [`crate::crosscheck::COMPARISON_ROWS`]).
    pub rows: Vec<RowView>,
    /// Inline SVG chart of the rows shown.
    pub svg: String,
    /// How many more figures the comparison holds than are shown.
    pub more: usize,
}

/// An entity.
#[derive(Serialize)]
pub struct EntityView {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Translated kind.
    pub kind: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Page URL.
    pub url: String,
    /// Number of claims that mention it.
    pub claim_count: usize,
}

/// Everything the views need, indexed once. The indexes are only looked up, never walked, so
/// they are hash maps: a rebuild makes them afresh for the few pages it renders, and sorted
/// maps of every claim cost several times more to make.
pub struct Ctx<'a> {
    /// The report.
    pub report: &'a Report,
    ui: &'a FxHashMap<String, String>,
    lang: &'a Language,
    /// Each claim by id, with its number (its place among the report's claims): made for this
    /// report, or the last report's when it holds for this one.
    index: Arc<ClaimIndex>,
    /// Each claim's automatic label by number, made when first asked for (the home page's
    /// tally), or the last report's when it holds for this one; `None` inside when the index
    /// cannot make it (two claims share an id).
    labels: OnceLock<Option<Arc<AutoLabels>>>,
    /// Each claim's place in its topic's list by number, made when first asked for, or the
    /// last report's when it holds for this one.
    ranks: OnceLock<Option<Arc<TopicRanks>>>,
    /// The findings that name each claim, by number, made when first asked for, or the last
    /// report's when they hold for this one.
    findings: OnceLock<Option<Arc<ClaimFindings>>>,
    /// Each automatic verdict by claim id, once [`Ctx::index_verdicts`] made it: a page of
    /// every claim looks up every verdict, which the analysis's sorted map of ids (that share
    /// their first fifty bytes) makes slow; the few pages of a rebuild look them up there.
    verdicts: Option<FxHashMap<&'a str, &'a Verdict>>,
    topic_of: TopicOf<'a>,
    topic_label: FxHashMap<&'a str, &'a str>,
    entities: FxHashMap<&'a str, &'a Entity>,
    docs: FxHashMap<&'a str, &'a Document>,
    finding_position: FxHashMap<&'a str, usize>,
    finding_pages: urls::FindingPages,
}

/// The topic of each claim: by its number, as the analysis tells it (see
/// [`Analysis::claim_topics`](crate::crosscheck::Analysis::claim_topics)), else by its id.
enum TopicOf<'a> {
    Numbers(&'a [u32]),
    Ids(FxHashMap<&'a str, &'a str>),
}

impl<'a> Ctx<'a> {
    /// Index the report, taking what the last report's render indexed that still holds
    /// (see [`Indexes::shared`]; none: [`Indexes::default`]). Where an id comes twice, the
    /// last one counts, as [`Analysis::topic_of`](crate::crosscheck::Analysis::topic_of) has
    /// it.
    pub fn with(report: &'a Report, lang: &'a Language, shared: &Indexes) -> Ctx<'a> {
        let topics = &report.analysis.topics;
        let numbers = report.analysis.claim_topics.as_deref();
        // An index the last render made is taken as made; the others are made when asked for.
        fn taken<T>(shared: &Option<Arc<T>>) -> OnceLock<Option<Arc<T>>> {
            let cell = OnceLock::new();
            if let Some(made) = shared {
                let _ = cell.set(Some(Arc::clone(made)));
            }
            cell
        }
        let (labels, ranks, findings) = (taken(&shared.labels), taken(&shared.ranks), taken(&shared.findings));
        // The index of every claim (unless the last one holds), and the others, side by side.
        let (index, (topic_of, (entities, docs, (finding_position, finding_pages)))) = rayon::join(
            || match &shared.claims {
                Some(index) => Arc::clone(index),
                None => Arc::new(ClaimIndex::new(report)),
            },
            || {
                let topic_of = numbers.is_none().then(|| report.analysis.topic_of());
                let entities = report.entities.iter().map(|e| (e.id.as_str(), e)).collect();
                let docs = report.docs.iter().map(|d| (d.source.id.as_str(), &**d)).collect();
                let findings = &report.analysis.findings;
                let position = findings.iter().enumerate().map(|(i, f)| (f.id.as_str(), i)).collect();
                let pages = urls::FindingPages::new(findings.iter().map(|f| f.id.as_str()));
                (topic_of, (entities, docs, (position, pages)))
            },
        );
        let claims = index.claims();
        let topic_of = match (numbers, topic_of) {
            (_, Some(map)) => TopicOf::Ids(map),
            // (The analysis numbers the claims when no two share an id, as it found them.)
            (Some(numbers), None) if numbers.len() == claims && index.unique_ids() => TopicOf::Numbers(numbers),
            (_, None) => TopicOf::Ids(report.analysis.topic_of()),
        };
        Ctx {
            report,
            ui: lang.ui.hashed(),
            lang,
            index,
            labels,
            ranks,
            findings,
            verdicts: None,
            topic_of,
            topic_label: topics.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect(),
            entities,
            docs,
            finding_position,
            finding_pages,
        }
    }

    /// The findings pages.
    pub(super) fn finding_pages(&self) -> &urls::FindingPages {
        &self.finding_pages
    }

    /// Each claim's place in its topic's list by number, made the first time it is asked
    /// for; `None` when the topics' lists cannot be read that way.
    fn topic_ranks(&self) -> Option<&TopicRanks> {
        self.ranks.get_or_init(|| TopicRanks::new(self.report, &self.index).map(Arc::new)).as_deref()
    }

    /// The findings that name each claim, by number, made the first time they are asked for;
    /// `None` when two claims share an id.
    fn claim_findings(&self) -> Option<&ClaimFindings> {
        self.findings.get_or_init(|| ClaimFindings::new(self.report, &self.index).map(Arc::new)).as_deref()
    }

    /// `indexes` (this report's) with what this context can make and they lack: what a
    /// rebuild may share and not have to make (see [`Indexes`]); the entities' mentions are
    /// taken as they are.
    pub fn complete(&self, indexes: &Indexes) -> Indexes {
        self.auto_labels();
        self.topic_ranks();
        self.claim_findings();
        self.indexes(indexes.mentions.clone())
    }

    /// What this context indexed, with the entities' `mentions`.
    fn indexes(&self, mentions: Option<Arc<Mentions>>) -> Indexes {
        Indexes {
            claims: Some(Arc::clone(&self.index)),
            labels: self.labels.get().cloned().flatten(),
            mentions,
            ranks: self.ranks.get().cloned().flatten(),
            findings: self.findings.get().cloned().flatten(),
        }
    }

    /// Each claim's automatic label by number, made the first time it is asked for; `None`
    /// when two claims share an id.
    fn auto_labels(&self) -> Option<&AutoLabels> {
        self.labels
            .get_or_init(|| {
                self.index.unique_ids().then(|| AutoLabels::new(self.report, &self.index)).flatten().map(Arc::new)
            })
            .as_deref()
    }

    /// Index the automatic verdicts by claim id, for pages or exports that look up every
    /// claim's.
    pub fn index_verdicts(&mut self) {
        if self.verdicts.is_none() {
            self.verdicts = Some(self.report.analysis.verdicts.iter().map(|(id, v)| (&**id, v)).collect());
        }
    }

    /// The automatic verdict of the claim `id`, when the analysis has one.
    fn verdict_of(&self, id: &str) -> Option<&'a Verdict> {
        match &self.verdicts {
            Some(index) => index.get(id).copied(),
            None => self.report.analysis.verdicts.get(id),
        }
    }

    /// The topic id of the claim `id`.
    fn topic_of(&self, id: &str) -> Option<&'a str> {
        match &self.topic_of {
            TopicOf::Numbers(numbers) => {
                let (_, _, n) = self.index.get(self.report, id)?;
                let t = *numbers.get(n as usize)?;
                self.report.analysis.topics.get(t as usize).map(|t| t.id.as_str())
            }
            TopicOf::Ids(map) => map.get(id).copied(),
        }
    }

    /// The interface string `key`, or `None`.
    fn ui_opt(&self, key: &str) -> Option<String> {
        self.ui.get(key).cloned()
    }

    /// The interface string `key`, or the key itself when the language lacks it.
    fn text(&self, key: &str) -> String {
        self.ui_opt(key).unwrap_or_else(|| key.to_string())
    }

    /// The interface string `prefix_value`, or `value` itself.
    fn translate(&self, prefix: &str, value: &str) -> String {
        // The key is made on the stack when it fits: pages ask for millions of labels.
        let mut buf = [0u8; 64];
        let len = prefix.len() + 1 + value.len();
        let found = if len <= buf.len() {
            buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
            buf[prefix.len()] = b'_';
            for (b, &v) in buf[prefix.len() + 1..len].iter_mut().zip(value.as_bytes()) {
                *b = if v == b'-' { b'_' } else { v };
            }
            // (`-` is never part of a multi-byte character: the key is UTF-8.)
            std::str::from_utf8(&buf[..len]).ok().and_then(|key| self.ui.get(key))
        } else {
            self.ui.get(&format!("{prefix}_{}", value.replace('-', "_")))
        };
        found.cloned().unwrap_or_else(|| value.to_string())
    }

    /// The number of claims the report reports.
    pub fn index_claims(&self) -> usize {
        self.index.claims()
    }

    /// True when no two claims of the report share an id.
    pub fn unique_ids(&self) -> bool {
        self.index.unique_ids()
    }

    /// The claim with this id, when it is in the report.
    pub fn claim(&self, id: &str) -> Option<(&'a Document, &'a ClaimRecord)> {
        self.index.get(self.report, id).map(|(d, c, _)| (d, c))
    }

    /// How many of the report's claims show each verdict label (see [`Ctx::shown_label`]):
    /// the automatic labels read by the claims' numbers where [`Ctx::auto_labels`] can.
    fn tally(&self) -> BTreeMap<&str, usize> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let Some(labels) = self.auto_labels() else {
            for (_, c) in self.report.claims() {
                *counts.entry(self.shown_label(c)).or_default() += 1;
            }
            return counts;
        };
        let mut by_code = vec![0usize; labels.codes()];
        for (n, (_, c)) in self.report.claims().enumerate() {
            match &c.review.verdict {
                Some(label) => *counts.entry(label).or_default() += 1,
                None => by_code[labels.code(n)] += 1,
            }
        }
        for (code, n) in by_code.into_iter().enumerate().filter(|&(_, n)| n > 0) {
            *counts.entry(labels.name(code)).or_default() += n;
        }
        counts
    }

    /// The automatic verdict of the claim `id`, else unchecked: the analysis's, looked up in
    /// the index.
    fn auto_verdict(&self, id: &str) -> std::borrow::Cow<'a, Verdict> {
        use std::borrow::Cow;
        self.verdict_of(id).map_or_else(|| Cow::Owned(Verdict::unchecked()), Cow::Borrowed)
    }

    /// The verdict a claim of the report shows: [`Report::verdict`], its automatic verdict
    /// looked up in the index.
    pub fn shown_verdict(&self, c: &'a ClaimRecord) -> std::borrow::Cow<'a, Verdict> {
        match c.review.verdict {
            Some(_) => self.report.verdict(c),
            None => self.auto_verdict(&c.id),
        }
    }

    /// The label of the verdict a claim of the report shows: [`Report::verdict_label`], looked
    /// up in the index.
    pub fn shown_label(&self, c: &'a ClaimRecord) -> &'a str {
        match &c.review.verdict {
            Some(label) => label,
            None => self.verdict_of(&c.id).map_or("unchecked", |v| &*v.label),
        }
    }

    /// The stemmer of the report's language.
    pub fn lang(&self) -> &'a Language {
        self.lang
    }

    /// A number written the language's way (`number_group`, `number_decimal` in ui.toml).
    fn number(&self, v: f64) -> String {
        number(
            v,
            self.ui.get("number_group").map_or(" ", String::as_str),
            self.ui.get("number_decimal").map_or(".", String::as_str),
        )
    }

    /// A verdict as shown.
    pub fn verdict_view(&self, v: &Verdict) -> VerdictView {
        self.verdict_badge(v).with_rationale(self.rationale(v))
    }

    /// The rationale of verdict `v`, as sanitised HTML.
    fn rationale(&self, v: &Verdict) -> String {
        match v.by {
            VerdictBy::Editor => markdown::to_html(&v.rationale, 2),
            VerdictBy::Auto if v.rationale.is_empty() => String::new(),
            VerdictBy::Auto => ["<p>", &escape::html(&v.rationale), "</p>"].concat(),
        }
    }

    /// A verdict as a badge shows it.
    pub fn verdict_badge(&self, v: &Verdict) -> VerdictBadge {
        VerdictBadge {
            key: v.label.to_string(),
            label: self.verdict_label(&v.label),
            class: verdict_class(&v.label),
            by: match v.by {
                VerdictBy::Auto => "auto",
                VerdictBy::Editor => "editor",
            },
        }
    }

    /// A source's title, else its path.
    pub fn source_title<'d>(&self, d: &'d Document) -> &'d str {
        source_title(d)
    }

    /// The label of a claim's topic.
    pub fn topic_label(&self, claim_id: &str) -> Option<&'a str> {
        self.topic_of(claim_id).map(|t| self.topic_label.get(t).copied().unwrap_or(t))
    }

    /// The label of an entity, else its id.
    pub fn entity_label<'i>(&self, id: &'i str) -> &'i str
    where
        'a: 'i,
    {
        self.entities.get(id).map_or(id, |e| e.label.as_str())
    }

    /// A verdict label translated (automatic labels) or as the editor wrote it.
    pub fn verdict_label(&self, label: &str) -> String {
        self.translate("verdict", label)
    }

    fn bound_label(&self, bound: Bound) -> String {
        let key = serde_json::to_value(bound).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        self.translate("bound", &key)
    }

    /// A link to a claim, its text the quote shortened.
    pub fn claim_link(&self, id: &str) -> Option<Link> {
        self.claim(id).map(|(d, c)| Link { label: shorten(&c.quote, 140), url: urls::claim(&d.source.id, &c.id) })
    }

    /// A claim for templates.
    pub fn claim_view(&self, d: &'a Document, c: &'a ClaimRecord) -> ClaimView<'a> {
        let v = self.shown_verdict(c);
        let ClaimCard { id, quote, url, cite_url, lines, source, outlet, published, hedged, attribution, verdict } =
            self.claim_card(d, c, &v);
        ClaimView {
            id,
            quote,
            url,
            cite_url,
            lines,
            source,
            outlet,
            published,
            topic: self.topic_of(&c.id).map(|t| Link {
                label: self.topic_label.get(t).map(|l| l.to_string()).unwrap_or_else(|| t.to_string()),
                url: urls::topic(t),
            }),
            hedged,
            hedge_cues: &c.hedge_cues,
            attribution,
            quantities: c
                .quantities
                .iter()
                .map(|q| QuantityView {
                    text: &q.text,
                    value: q.value.map(|v| [chart::bound_sign(q.bound), &self.number(v)].concat()),
                    bound: self.bound_label(q.bound),
                    unit: q.unit.as_deref(),
                })
                .collect(),
            dates: c.dates.iter().map(|d| DateView { text: &d.text, value: d.value.as_deref() }).collect(),
            entities: c
                .entities
                .iter()
                .map(|id| match self.entities.get(id.as_str()) {
                    Some(e) => Link { label: e.label.clone(), url: urls::entity(&e.id) },
                    None => Link { label: id.clone(), url: String::new() },
                })
                .collect(),
            verdict: verdict.with_rationale(self.rationale(&v)),
        }
    }

    /// A claim in full, for its source's page.
    fn claim_detail(&self, d: &'a Document, c: &'a ClaimRecord, findings_of: &FindingsOf) -> ClaimDetail<'a> {
        let report = self.report;
        let shown = self.shown_verdict(c);
        let auto = self.auto_verdict(&c.id);
        let auto_verdict =
            (shown.by == VerdictBy::Editor && auto.label != shown.label).then(|| self.verdict_view(&auto));
        let all_related = report.analysis.related.get(&c.id);
        let related = all_related
            .iter()
            .flat_map(|list| list.iter())
            .take(RELATED_SHOWN)
            .filter_map(|r| {
                self.claim_link(r.claim).map(|claim| RelatedView {
                    relation: self.translate("relation", r.relation.as_str()),
                    kind: r.relation.as_str().to_string(),
                    claim,
                })
            })
            .collect();
        ClaimDetail {
            claim: self.claim_view(d, c),
            anchor: urls::claim_anchor(&c.id),
            auto_verdict,
            evidence: c.review.evidence.clone(),
            related,
            more_related: all_related.map_or(0, |list| list.len()).saturating_sub(RELATED_SHOWN),
            findings: findings_of
                .0
                .get(c.id.as_str())
                .into_iter()
                .flatten()
                .map(|f| FindingView { summary: f.title_or_summary().to_string(), ..self.finding_brief(f) })
                .collect(),
        }
    }

    /// The cards of a list of claims, skipping ids not in the report.
    pub fn claim_cards<'b>(&self, ids: impl IntoIterator<Item = &'b ArcStr>) -> Vec<ClaimCard<'a>> {
        ids.into_iter()
            .filter_map(|id| self.claim(id))
            .map(|(d, c)| self.claim_card(d, c, &self.shown_verdict(c)))
            .collect()
    }

    /// The card of claim `c`, its verdict `v`.
    fn claim_card(&self, d: &'a Document, c: &'a ClaimRecord, v: &Verdict) -> ClaimCard<'a> {
        ClaimCard {
            id: &c.id,
            quote: &c.quote,
            url: urls::claim(&d.source.id, &c.id),
            cite_url: urls::cite(&d.source.id, &c.id),
            lines: c.lines,
            source: Link { label: source_title(d).to_string(), url: urls::source(&d.source.id) },
            outlet: d.record.meta.outlet.as_deref(),
            published: d.record.meta.published.as_deref(),
            hedged: c.hedged,
            attribution: c.attribution.as_ref().map(|a| a.text.as_str()),
            verdict: self.verdict_badge(v),
        }
    }

    /// A finding for templates.
    pub fn finding_view(&self, f: &Finding) -> FindingView {
        FindingView {
            claims: f.claims.iter().take(CLAIMS_PER_FINDING).filter_map(|id| self.claim_link(id)).collect(),
            more: f.claims.len().saturating_sub(CLAIMS_PER_FINDING),
            ..self.finding_brief(f)
        }
    }

    /// A finding without its list of claims, for pages that link to the findings page: a finding
    /// can link thousands of claims, and every one of their pages shows it.
    pub fn finding_brief(&self, f: &Finding) -> FindingView {
        FindingView {
            id: f.id.clone(),
            kind: f.kind.clone(),
            kind_label: self.translate("finding", &f.kind),
            summary: f.summary.clone(),
            url: self
                .finding_pages
                .finding(self.finding_position.get(f.id.as_str()).copied().unwrap_or_default(), &f.id),
            claims: Vec::new(),
            more: 0,
        }
    }

    fn source_summary(&self, d: &Document) -> SourceSummary {
        SourceSummary {
            id: d.source.id.clone(),
            path: d.source.path.clone(),
            title: source_title(d).to_string(),
            outlet: d.record.meta.outlet.clone(),
            published: d.record.meta.published.clone(),
            sha256: d.source.sha256.clone(),
            encoding: d.source.encoding.clone(),
            url: urls::source(&d.source.id),
            annotated_url: if self.report.config.annotated_pages {
                urls::annotated(&d.source.id)
            } else {
                String::new()
            },
            annotated_path: format!(
                "{}/{}/{}.md",
                self.report.config.content_dir,
                crate::pipeline::ANNOTATIONS_DIR,
                d.source.id
            ),
            line_count: d.source.lines.len(),
            claim_count: d.reported_claims().count(),
        }
    }

    fn comparison_view(&self, cmp: &Comparison) -> ComparisonView {
        let shown: Vec<&crate::crosscheck::ComparisonRow> = cmp.rows.iter().collect();
        let rows: Vec<RowView> = shown
            .iter()
            .map(|r| {
                let doc = self.docs.get(r.source.as_str());
                let outlet = doc.and_then(|d| d.record.meta.outlet.clone());
                RowView {
                    text: r.text.clone(),
                    value: r.value.map(|v| format!("{}{}", chart::bound_sign(r.bound), self.number(v))),
                    bound: self.bound_label(r.bound),
                    who: r.attribution.clone().or(outlet).unwrap_or_else(|| self.text("the_source")),
                    date: r.date.clone(),
                    source: Link {
                        label: doc.map(|d| source_title(d).to_string()).unwrap_or_else(|| r.source.clone()),
                        url: urls::source(&r.source),
                    },
                    claim_url: urls::claim(&r.source, &r.claim),
                    hedged: r.hedged,
                }
            })
            .collect();
        let bars: Vec<Bar> = rows
            .iter()
            .zip(&shown)
            .map(|(view, r)| Bar {
                label: view.who.clone(),
                value: r.value,
                text: r.text.clone(),
                bound: r.bound,
                hedged: r.hedged,
            })
            .collect();
        let title = format!("{} : {}", self.text("comparison"), cmp.measure);
        let desc = rows
            .iter()
            .map(|r| {
                format!("{}{} ({})", r.who, r.value.as_deref().map(|v| format!(" : {v}")).unwrap_or_default(), r.text)
            })
            .collect::<Vec<_>>()
            .join(" ; ");
        ComparisonView {
            id: cmp.id.clone(),
            measure: cmp.measure.clone(),
            svg: chart::bar_chart(&format!("chart-{}", cmp.id), &title, &desc, &bars),
            rows,
            more: cmp.compared.saturating_sub(shown.len()),
        }
    }
}

fn source_title(d: &Document) -> &str {
    d.record.meta.title.as_deref().unwrap_or(&d.source.path)
}

/// A number as a reader of the language writes it: digits grouped by three with `group`,
/// `decimal` as the decimal mark, no trailing `.0`.
fn number(v: f64, group: &str, decimal: &str) -> String {
    let text = if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") };
    let (sign, text) = text.strip_prefix('-').map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(digit);
    }
    if let Some(f) = frac {
        out.push_str(decimal);
        out.push_str(f);
    }
    out
}

/// Shorten text to `max` characters at a word boundary, with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    // (No more bytes than `max`: no more characters either, without counting them.)
    if s.len() <= max || s.chars().count() <= max {
        return s.to_string();
    }
    // The first `max - 1` characters, sliced rather than copied one by one.
    let end = match max {
        0 => 0,
        _ => s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i),
    };
    let cut = &s[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// The CSS class of a verdict label.
pub fn verdict_class(label: &str) -> String {
    ["verdict-", &crate::read::slugify(label)].concat()
}

/// Escaped HTML of one line. `marks` are the claims to mark; with `ids`, each mark carries
/// its claim id (the citation target) and links to the claim page. Claims that are not
/// inside this line, or that overlap a marked claim without nesting in it, are returned
/// unmarked in the second value.
fn line_html<'c>(
    text: &str,
    line: &Line,
    claims: &[(&'c ClaimRecord, String)],
    ids: bool,
) -> (String, Vec<&'c ClaimRecord>) {
    // Marks nest: sort by start, longest first, and keep a stack of open ends.
    let mut spans: Vec<&(&ClaimRecord, String)> = claims.iter().collect();
    spans.sort_by_key(|(c, _)| (c.span.start, std::cmp::Reverse(c.span.end)));
    let mut out = String::new();
    let mut pos = line.span.start;
    let mut open: Vec<usize> = Vec::new();
    let mut skipped = Vec::new();
    let close_until = |out: &mut String, pos: &mut usize, open: &mut Vec<usize>, upto: usize| {
        while let Some(&end) = open.last() {
            if end > upto {
                break;
            }
            out.push_str(&escape::html(&text[*pos..end]));
            out.push_str("</mark>");
            *pos = end;
            open.pop();
        }
    };
    for (c, class) in spans {
        let s = c.span;
        let fits = s.start >= line.span.start && s.end <= line.span.end && !s.is_empty();
        close_until(&mut out, &mut pos, &mut open, s.start);
        if !fits || s.start < pos || open.last().is_some_and(|&end| s.end > end) {
            skipped.push(*c);
            continue;
        }
        out.push_str(&escape::html(&text[pos..s.start]));
        if ids {
            for part in ["<mark id=\"", &escape::html(&c.id), "\" class=\"claim ", class, "\">"] {
                out.push_str(part);
            }
        } else {
            for part in ["<mark class=\"claim ", class, "\">"] {
                out.push_str(part);
            }
        }
        pos = s.start;
        open.push(s.end);
    }
    close_until(&mut out, &mut pos, &mut open, usize::MAX);
    out.push_str(&escape::html(&text[pos..line.span.end]));
    (out, skipped)
}

impl Ctx<'_> {
    fn line_views<'c>(
        &self,
        d: &Document,
        lines: &[Line],
        marked: &[&'c ClaimRecord],
        ids: bool,
    ) -> (Vec<LineView>, Vec<&'c ClaimRecord>) {
        let text = &*d.source.text;
        let mut loose = Vec::new();
        let views = lines
            .iter()
            .map(|l| {
                let here: Vec<(&ClaimRecord, String)> = marked
                    .iter()
                    .filter(|c| c.lines[0] == l.number)
                    .map(|c| (*c, verdict_class(&self.shown_verdict(c).label)))
                    .collect();
                let (html, skipped) = line_html(text, l, &here, ids);
                loose.extend(skipped);
                LineView {
                    number: l.number,
                    kind: l.kind.as_str(),
                    kind_label: (l.kind != LineKind::Prose && l.kind != LineKind::Blank)
                        .then(|| self.translate("kind", l.kind.as_str())),
                    html,
                    url: urls::line(&d.source.id, l.number),
                }
            })
            .collect();
        (views, loose)
    }
}

/// Site-wide values for every page.
pub fn site<'a>(report: &'a Report, lang: &'a Language, has_methodology: bool) -> SiteView<'a> {
    let urls = BTreeMap::from([
        ("home", urls::HOME),
        ("findings", urls::FINDINGS),
        ("methodology", urls::METHODOLOGY),
        ("search", urls::SEARCH),
        ("entities", urls::ENTITIES),
        ("style", urls::STYLE),
        ("favicon", urls::FAVICON),
        ("search_js", urls::SEARCH_JS),
        ("search_index", urls::SEARCH_INDEX),
        ("claims_json", urls::CLAIMS_JSON),
        ("claims_csv", urls::CLAIMS_CSV),
        ("feed", urls::FEED),
    ]);
    SiteView {
        title: &report.config.title,
        description: &report.config.description,
        lang: &lang.code,
        ui: lang.ui.all(),
        generator: &report.generator,
        urls,
        has_methodology,
    }
}

/// How many of `claims` show each verdict label.
fn verdict_tally<'c>(ctx: &Ctx<'c>, claims: &[&'c ClaimRecord]) -> BTreeMap<&'c str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in claims {
        *counts.entry(ctx.shown_label(c)).or_default() += 1;
    }
    counts
}

/// The rows of a tally of verdict labels (of `total` claims).
fn verdict_counts(ctx: &Ctx, counts: BTreeMap<&str, usize>, total: usize) -> Vec<VerdictCount> {
    // The project's scale first, in its order, then automatic labels by count.
    let scale = &ctx.report.config.verdicts;
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by_key(|(label, n)| {
        (scale.iter().position(|s| s == label).unwrap_or(scale.len()), std::cmp::Reverse(*n), *label)
    });
    rows.into_iter()
        .map(|(label, count)| VerdictCount {
            label: ctx.verdict_label(label),
            class: verdict_class(label),
            count,
            percent: (count * 100 + total / 2).checked_div(total).unwrap_or(0),
        })
        .collect()
}

/// The earliest and the latest publication date of the report's sources (the date part, their
/// first ten characters), found without sorting or copying them.
pub fn date_span(report: &Report) -> Option<(&str, &str)> {
    fn date(iso: &str) -> &str {
        // (Dates are ASCII: their ten characters are their ten bytes, counted without decoding
        // tens of thousands of them.)
        match iso.as_bytes().get(..10) {
            Some(head) if head.is_ascii() => &iso[..10],
            _ => iso.char_indices().nth(10).map_or(iso, |(end, _)| &iso[..end]),
        }
    }
    let mut dates = report.docs.iter().filter_map(|d| d.record.meta.published.as_deref()).map(date);
    let first = dates.next()?;
    Some(dates.fold((first, first), |(min, max), d| (min.min(d), max.max(d))))
}

/// How many claims a topic or entity page lists; more go on numbered pages after it, so that
/// no page grows with the size of the archive.
pub const CLAIMS_PER_PAGE: usize = 100;

/// How many findings the home page shows (the most telling first); the findings pages hold all.
pub const HOME_FINDINGS: usize = 20;

/// How many sources the home page lists; the search and the topics reach the others.
pub const HOME_SOURCES: usize = 200;

/// How many related claims a claim's details link; its findings lead to the others.
pub const RELATED_SHOWN: usize = 6;

/// How many claims a finding links on the findings page (all of them are in `claims.json`).
pub const CLAIMS_PER_FINDING: usize = 12;

/// Which page a [`PageSpec`] is.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Home,
    Source(&'a Document),
    Annotated(&'a Document),
    /// A topic, and the 0-based number of its page of claims.
    Topic(&'a crate::crosscheck::Topic, usize),
    /// An entity, and the 0-based number of its page of claims.
    Entity(&'a Entity, usize),
    Entities,
    /// The 0-based number of a page of findings.
    Findings(usize),
    Methodology(&'a str),
    Search,
    NotFound,
}

/// A page to build: its path and what it shows. Building is deferred so that pages are built,
/// rendered and written one at a time, in parallel, never all held in memory.
pub struct PageSpec<'a> {
    /// Output path.
    pub path: String,
    kind: Kind<'a>,
}

/// The findings that concern each claim shown in full on some source pages, in the order of
/// the findings. Made for the pages about to be built only: a rebuild builds a few source
/// pages, and an index of every claim's findings costs more than those pages.
pub struct FindingsOf<'a>(FxHashMap<&'a str, Vec<&'a Finding>>);

/// The pages of a site, with the indexes their views share.
pub struct Pages<'a> {
    ctx: Ctx<'a>,
    /// The [`SiteView`], the same on every page, made a template value once rather than
    /// serialised with each page (a template value shares its maps: a clone is cheap).
    site: tera::Value,
    methodology: Option<&'a str>,
    /// The claims that mention each entity, by number: made for this report, or the last
    /// report's when they hold for this one.
    mentions: Arc<Mentions>,
    /// The earliest and the latest publication date, the latter the date of the report.
    dates: Option<(&'a str, &'a str)>,
}

/// The pages of topics and entities that show the card of a changed claim: topic or entity
/// id, and page.
#[derive(Debug, Default)]
pub struct CardPages<'a> {
    topics: FxHashSet<(&'a str, usize)>,
    entities: FxHashSet<(&'a str, usize)>,
    /// The pages of findings that show a claim whose link may differ, when the findings of
    /// each claim were at hand.
    findings: Option<FxHashSet<usize>>,
}

/// Pages a render may make without an index of every claim's verdict.
const FEW_PAGES: usize = 64;

/// The pages a list of `n` claims fills, at least one.
fn page_count(n: usize) -> usize {
    n.div_ceil(CLAIMS_PER_PAGE).max(1)
}

/// The path of page `k` (0-based) of a paginated list whose first page is `first`
/// (`topics/x.html`, then `topics/x/2.html`...).
fn numbered(first: &str, k: usize) -> String {
    match k {
        0 => first.to_string(),
        _ => format!("{}/{}.html", first.trim_end_matches(".html"), k + 1),
    }
}

impl<'a> Pages<'a> {
    /// Index `report` for its pages. `methodology` is the project's Markdown, if any.
    /// `last` is the last report rendered, with what its render indexed, shared where it
    /// still holds.
    pub fn new(
        report: &'a Report,
        lang: &'a Language,
        site: &'a SiteView<'a>,
        methodology: Option<&'a str>,
        last: Option<(&Report, &Indexes)>,
    ) -> Self {
        let shared = Indexes::shared(last, report);
        // The claims of each entity, made beside the other indexes of every claim (unless the
        // last ones hold).
        let (ctx, mentions) = rayon::join(
            || Ctx::with(report, lang, &shared),
            || shared.mentions.clone().unwrap_or_else(|| Arc::new(Mentions::new(report))),
        );
        Pages { ctx, site: tera::Value::from_serializable(site), methodology, mentions, dates: date_span(report) }
    }

    /// The pages of findings that show one of the claims (among the first of each finding)
    /// whose link may differ, found from each such claim's findings, when they are at hand.
    fn linked_findings(&self, changes: &super::incremental::Changes) -> Option<FxHashSet<usize>> {
        let ctx = &self.ctx;
        let by_claim = ctx.findings.get()?.as_deref().filter(|f| f.complete())?;
        let findings = &ctx.report.analysis.findings;
        let mut pages = FxHashSet::default();
        for id in changes.linked() {
            // (A claim the report does not hold is named by none of its findings.)
            let Some(n) = ctx.index.number(id) else { continue };
            for &i in by_claim.of(n) {
                let f = &findings[i as usize];
                if f.claims.iter().take(CLAIMS_PER_FINDING).any(|c| c.as_str() == id) {
                    pages.insert(ctx.finding_pages.page_of(i as usize));
                }
            }
        }
        Some(pages)
    }

    /// What this render indexed that the next report may share.
    pub fn indexes(&self) -> Indexes {
        self.ctx.indexes(Some(Arc::clone(&self.mentions)))
    }

    /// The pages of topics and entities that show the card of a claim `changes` finds
    /// changed, found from each such claim: its topic and place in the topic's list, the
    /// entities it names and its places in their lists. `None` when the report's claims
    /// cannot be found that way (two share an id, or a topic lists a claim twice), or the
    /// places in the topics' lists are not at hand: then each page looks its claims up among
    /// the changed ones.
    pub fn card_pages(&self, changes: &super::incremental::Changes) -> Option<CardPages<'a>> {
        let ctx = &self.ctx;
        let mut pages = CardPages { findings: self.linked_findings(changes), ..CardPages::default() };
        if changes.no_card() {
            return Some(pages);
        }
        if !ctx.unique_ids() {
            return None;
        }
        // (Made for the next rebuild while serve waits, `Ctx::complete`, or taken from the last
        // render: made here for one rebuild, they cost more than the lookups they save.)
        let ranks = ctx.ranks.get()?.as_deref()?;
        let topics = &ctx.report.analysis.topics;
        for id in changes.cards() {
            // (A claim the report does not hold is on none of its lists.)
            let Some(n) = ctx.index.number(id) else { continue };
            if let Some((t, k)) = ranks.of(n) {
                pages.topics.insert((topics[t].id.as_str(), k / CLAIMS_PER_PAGE));
            }
            let (_, c) = ctx.index.nth(ctx.report, n as usize)?;
            for e in &c.entities {
                let list = self.mentions.of(e);
                let places = list.partition_point(|&m| m < n)..list.partition_point(|&m| m <= n);
                pages.entities.extend(places.map(|k| (e.as_str(), k / CLAIMS_PER_PAGE)));
            }
        }
        Some(pages)
    }

    /// The indexes of the report the pages are made from.
    pub fn ctx(&self) -> &Ctx<'a> {
        &self.ctx
    }

    /// Ready the indexes for the pages `todo` and, when `exports`, the exports: pages by the
    /// hundred and the exports look up most claims' automatic verdicts, in an index made for
    /// them ([`Ctx::index_verdicts`]). (The home page's tally of every claim's verdict reads
    /// them by number: [`Ctx::tally`].)
    pub fn prepare(&mut self, todo: &[&PageSpec], exports: bool) {
        if exports || todo.len() > FEW_PAGES {
            self.ctx.index_verdicts();
        }
    }

    /// What the template of `page` gets: its context and the site's values as `site`.
    pub fn tera_context(&self, page: &Page) -> tera::TeraResult<tera::Context> {
        let mut context = tera::Context::from_serialize(&page.context)?;
        context.insert_value("site", self.site.clone());
        Ok(context)
    }

    /// The findings of every claim on the source pages among `specs`, for [`Pages::build`].
    pub fn findings_of(&self, specs: &[&PageSpec<'a>]) -> FindingsOf<'a> {
        let sources: Vec<&Document> = specs
            .iter()
            .filter_map(|spec| match spec.kind {
                Kind::Source(d) => Some(d),
                _ => None,
            })
            .collect();
        let mut of: FxHashMap<&str, Vec<&Finding>> = FxHashMap::default();
        if sources.is_empty() {
            return FindingsOf(of);
        }
        let ctx = &self.ctx;
        let findings = &ctx.report.analysis.findings;
        // (The index of every claim's findings is made for many pages, or taken from the last
        // render; a few pages read the findings.)
        let by_claim = match sources.len() > FEW_PAGES {
            true => ctx.claim_findings(),
            false => ctx.findings.get().and_then(Option::as_deref),
        };
        match by_claim {
            // Each shown claim's findings, by its number.
            Some(by_claim) => {
                for c in sources.iter().flat_map(|d| d.reported_claims()) {
                    let Some(n) = ctx.index.number(&c.id) else { continue };
                    let list = by_claim.of(n);
                    if !list.is_empty() {
                        of.insert(c.id.as_str(), list.iter().map(|&i| &findings[i as usize]).collect());
                    }
                }
            }
            None => {
                let shown: FxHashSet<&str> =
                    sources.iter().flat_map(|d| d.reported_claims().map(|c| c.id.as_str())).collect();
                for f in findings {
                    for c in f.claims.iter().filter(|c| shown.contains(c.as_str())) {
                        of.entry(c).or_default().push(f);
                    }
                }
            }
        }
        FindingsOf(of)
    }

    /// Every page of the site, in a fixed order.
    pub fn specs(&self) -> Vec<PageSpec<'a>> {
        let report = self.ctx.report;
        let spec = |path: String, kind: Kind<'a>| PageSpec { path, kind };
        let mut out = vec![spec(urls::HOME.into(), Kind::Home)];
        // (Side by side: a rebuild lists every page again, most of them sources'.)
        out.par_extend(report.docs.par_iter().flat_map_iter(|d| {
            let annotated =
                report.config.annotated_pages.then(|| spec(urls::annotated(&d.source.id), Kind::Annotated(d)));
            std::iter::once(spec(urls::source(&d.source.id), Kind::Source(d))).chain(annotated)
        }));
        for t in &report.analysis.topics {
            for k in 0..page_count(t.claims.len()) {
                out.push(spec(numbered(&urls::topic(&t.id), k), Kind::Topic(t, k)));
            }
        }
        for e in &report.entities {
            let n = self.mentions.of(&e.id).len();
            for k in 0..page_count(n) {
                out.push(spec(numbered(&urls::entity(&e.id), k), Kind::Entity(e, k)));
            }
        }
        out.push(spec(urls::ENTITIES.into(), Kind::Entities));
        let findings = &self.ctx.finding_pages;
        for k in 0..findings.count() {
            out.push(spec(findings.path(k).to_string(), Kind::Findings(k)));
        }
        if let Some(md) = self.methodology {
            out.push(spec(urls::METHODOLOGY.into(), Kind::Methodology(md)));
        }
        out.push(spec(urls::SEARCH.into(), Kind::Search));
        out.push(spec(urls::NOT_FOUND.into(), Kind::NotFound));
        out
    }

    fn page(&self, path: &str, template: &'static str, title: String, nav: &'static str, body: Body<'a>) -> Page<'a> {
        let base = &self.ctx.report.config.base_url;
        Page {
            template,
            context: PageContext { root: urls::root_of(path), title, canonical: urls::absolute(base, path), nav, body },
            path: path.to_string(),
        }
    }

    /// The pager of page `k` of a list of `n` claims whose first page is `first`.
    fn pager(&self, first: &str, k: usize, n: usize) -> Option<Pager> {
        let here = urls::root_of(&numbered(first, k));
        Pager::new(k, page_count(n), |i| here.clone() + &numbered(first, i))
    }

    /// Whether the page of `spec` may differ from the one rendered from the report `changes`
    /// compares this one with. `cards` are the pages that show a changed claim's card, when
    /// [`Pages::card_pages`] could tell.
    pub fn changed(
        &self,
        spec: &PageSpec<'a>,
        changes: &super::incremental::Changes,
        cards: Option<&CardPages>,
    ) -> bool {
        let report = self.ctx.report;
        match spec.kind {
            Kind::Source(d) => changes.source(d),
            Kind::Annotated(d) => changes.annotated(d),
            Kind::Topic(t, k) => changes.topic(report, t, k, cards.map(|p| p.topics.contains(&(t.id.as_str(), k)))),
            Kind::Entity(e, k) => {
                let id_of = |n: u32| self.ctx.index.nth(report, n as usize).map_or("", |(_, c)| c.id.as_str());
                let shows = cards.map(|p| p.entities.contains(&(e.id.as_str(), k)));
                changes.entity(e, k, self.mentions.of(&e.id), &id_of, shows)
            }
            Kind::Findings(k) => {
                let shows = cards.and_then(|p| p.findings.as_ref()).map(|pages| pages.contains(&k));
                changes.findings(report, &self.ctx.finding_pages, k, shows)
            }
            Kind::Home => changes.home(report),
            Kind::Entities => changes.entity_list(report, |e| self.mentions.of(e).len()),
            Kind::Search => changes.claim_count(),
            Kind::Methodology(_) | Kind::NotFound => changes.settings(),
        }
    }

    /// Build one page's view. `findings_of` holds the findings of its claims when it is a
    /// source page (see [`Pages::findings_of`]).
    pub fn build(&self, spec: &PageSpec<'a>, findings_of: &FindingsOf) -> Page<'a> {
        let ctx = &self.ctx;
        let report = ctx.report;
        let ui = |k: &str| ctx.text(k);
        let path = spec.path.as_str();
        match spec.kind {
            Kind::Home => {
                let claims = ctx.index_claims();
                let outlets: BTreeSet<&str> =
                    report.docs.iter().filter_map(|d| d.record.meta.outlet.as_deref()).collect();
                let topics = report
                    .analysis
                    .topics
                    .iter()
                    .map(|t| TopicSummary {
                        label: t.label.clone(),
                        url: urls::topic(&t.id),
                        claim_count: t.claims.len(),
                    })
                    .collect();
                self.page(
                    path,
                    "index.html",
                    report.config.title.clone(),
                    "home",
                    Body::Home {
                        stats: Stats {
                            sources: report.docs.len(),
                            claims,
                            findings: report.analysis.findings.len(),
                            outlets: outlets.into_iter().map(str::to_string).collect(),
                            first_date: self.dates.map(|(first, _)| first.to_string()),
                            last_date: self.dates.map(|(_, last)| last.to_string()),
                        },
                        findings: report
                            .analysis
                            .findings
                            .iter()
                            .take(HOME_FINDINGS)
                            .map(|f| ctx.finding_brief(f))
                            .collect(),
                        verdicts: verdict_counts(ctx, ctx.tally(), claims),
                        topics,
                        sources: report.docs.iter().take(HOME_SOURCES).map(|d| ctx.source_summary(d)).collect(),
                    },
                )
            }
            Kind::Source(d) => {
                let claims: Vec<&ClaimRecord> = d.reported_claims().collect();
                let (lines, loose) = ctx.line_views(d, &d.seg.lines, &claims, true);
                let loose = loose
                    .into_iter()
                    .map(|c| LooseClaim {
                        id: c.id.to_string(),
                        quote: c.quote.to_string(),
                        url: ["#claim-", &c.id].concat(),
                        lines: c.lines,
                        class: verdict_class(ctx.shown_label(c)),
                    })
                    .collect();
                let report_date = self.dates.map(|(_, last)| last);
                let reviews: Vec<super::jsonld::ClaimReview> =
                    claims.iter().map(|c| super::jsonld::claim_review(ctx, d, c, report_date)).collect();
                let summary = ctx.source_summary(d);
                self.page(
                    path,
                    "source.html",
                    summary.title.clone(),
                    "",
                    Body::Source {
                        source: summary,
                        lines,
                        loose,
                        legend: verdict_counts(ctx, verdict_tally(ctx, &claims), claims.len()),
                        claims: claims.iter().map(|c| ctx.claim_detail(d, c, findings_of)).collect(),
                        jsonld: if reviews.is_empty() { String::new() } else { escape::json_for_script(&reviews) },
                    },
                )
            }
            Kind::Annotated(d) => {
                let md = crate::annotate::write(&d.record, &d.source, &d.seg);
                let source = ctx.source_summary(d);
                self.page(
                    path,
                    "annotated.html",
                    format!("{} · {}", ui("annotated"), source.title),
                    "",
                    Body::Annotated { source, code: markdown::highlight(&md, markdown::ANNOTATED) },
                )
            }
            Kind::Topic(t, k) => {
                // Comparisons on the topic's first page, claims spread over its pages.
                let comparisons = match k {
                    0 => report
                        .analysis
                        .comparisons
                        .iter()
                        .filter(|c| c.topic == t.id)
                        .map(|c| ctx.comparison_view(c))
                        .collect(),
                    _ => Vec::new(),
                };
                let shown = t.claims.iter().skip(k * CLAIMS_PER_PAGE).take(CLAIMS_PER_PAGE);
                self.page(
                    path,
                    "topic.html",
                    t.label.clone(),
                    "",
                    Body::Topic {
                        label: t.label.clone(),
                        claim_count: t.claims.len(),
                        claims: ctx.claim_cards(shown),
                        comparisons,
                        pager: self.pager(&urls::topic(&t.id), k, t.claims.len()),
                    },
                )
            }
            Kind::Entity(e, k) => {
                let all = self.mentions.of(&e.id);
                let shown = all.iter().skip(k * CLAIMS_PER_PAGE).take(CLAIMS_PER_PAGE);
                let shown = shown.filter_map(|&n| ctx.index.nth(report, n as usize)).map(|(_, c)| &c.id);
                self.page(
                    path,
                    "entity.html",
                    e.label.clone(),
                    "entities",
                    Body::Entity {
                        entity: self.entity_view(e),
                        claims: ctx.claim_cards(shown),
                        pager: self.pager(&urls::entity(&e.id), k, all.len()),
                    },
                )
            }
            Kind::Entities => self.page(
                path,
                "entities.html",
                ui("entities"),
                "entities",
                Body::Entities { entities: report.entities.iter().map(|e| self.entity_view(e)).collect() },
            ),
            Kind::Findings(k) => {
                let all = &report.analysis.findings;
                let pages = &ctx.finding_pages;
                let here = urls::root_of(path);
                let pager = Pager::new(k, pages.count(), |i| here.clone() + pages.path(i));
                self.page(
                    path,
                    "findings.html",
                    ui("findings"),
                    "findings",
                    Body::Findings {
                        findings: all[pages.range(k)].iter().map(|f| ctx.finding_view(f)).collect(),
                        pager,
                    },
                )
            }
            Kind::Methodology(md) => self.page(
                path,
                "methodology.html",
                ui("methodology"),
                "methodology",
                Body::Markdown { html: markdown::to_html(md, 1) },
            ),
            Kind::Search => self.page(
                path,
                "search.html",
                ui("search"),
                "search",
                Body::Search { claim_count: report.claims().count() },
            ),
            Kind::NotFound => {
                let mut page = self.page(path, "404.html", ui("not_found"), "", Body::NotFound {});
                page.context.root = urls::base_path(&report.config.base_url);
                page
            }
        }
    }

    fn entity_view(&self, e: &Entity) -> EntityView {
        EntityView {
            id: e.id.clone(),
            label: e.label.clone(),
            kind: self.ctx.translate("entity_kind", &e.kind),
            aliases: e.aliases.clone(),
            url: urls::entity(&e.id),
            claim_count: self.mentions.of(&e.id).len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn claim(id: &str, text: &str, quote: &str) -> ClaimRecord {
        let start = text.find(quote).unwrap();
        // Through serde, so fields added to the record later take their defaults.
        serde_json::from_value(serde_json::json!({
            "id": id, "span": [start, start + quote.len()], "lines": [1, 1], "quote": quote,
        }))
        .unwrap()
    }

    #[test]
    fn marks_nest_and_overlaps_are_set_aside() {
        let text = "Selon l'armée, 500 soldats <sont> arrivés. Le reste suit.";
        let line = Line { number: 1, span: Span::new(0, text.len()), kind: LineKind::Prose };
        let outer = claim("a", text, "Selon l'armée, 500 soldats <sont> arrivés.");
        let inner = claim("b", text, "500 soldats");
        let overlap = claim("c", text, "arrivés. Le reste");
        let claims = vec![(&outer, "v".to_string()), (&inner, "v".to_string()), (&overlap, "v".to_string())];
        let (html, skipped) = line_html(text, &line, &claims, true);
        assert_eq!(skipped.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c"]);
        let doc = scraper::Html::parse_fragment(&html);
        for c in [&outer, &inner] {
            let sel = scraper::Selector::parse(&format!("mark#{}", c.id)).unwrap();
            let el = doc.select(&sel).next().unwrap_or_else(|| panic!("mark {} in {html}", c.id));
            assert_eq!(el.text().collect::<String>(), c.quote);
        }
        assert!(html.contains("&lt;sont&gt;"), "{html}");
        assert_eq!(doc.root_element().text().collect::<String>(), text);
    }

    #[test]
    fn numbers_are_grouped_the_language_s_way() {
        assert_eq!(number(30000.0, "\u{202f}", ","), "30\u{202f}000");
        assert_eq!(number(1200.0, ",", "."), "1,200");
        assert_eq!(number(3.5, " ", ","), "3,5");
        assert_eq!(number(-1234567.0, ".", ","), "-1.234.567");
        assert_eq!(number(999.0, " ", ","), "999");
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("Les troupes sont arrivées hier soir", 20), "Les troupes sont…");
        assert_eq!(shorten("court", 20), "court");
        // As counting the characters, then cutting a copy of the first ones, would.
        let by_copy = |s: &str, max: usize| {
            if s.chars().count() <= max {
                return s.to_string();
            }
            let cut: String = s.chars().take(max.saturating_sub(1)).collect();
            let cut = match cut.rfind(' ') {
                Some(i) if i > cut.len() / 2 => &cut[..i],
                _ => &cut,
            };
            format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
        };
        for s in ["", "é", "ab", "Déjà là, à l’été : ça va ; oui", "un deux trois quatre cinq six", "«…» x"]
        {
            for max in 0..40 {
                assert_eq!(shorten(s, max), by_copy(s, max), "{s:?} at {max}");
            }
        }
    }
}
