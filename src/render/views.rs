//! View structs: what templates see. They borrow from the report and are shaped for pages,
//! so templates and the domain model can change independently.

use super::urls;
use crate::annotate::ClaimRecord;
use crate::extract::{DateMention, Quantity};
use crate::lang::Language;
use crate::report::{Document, Report};
use crate::segment::LineKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// One page to render.
pub struct Page<'a> {
    /// Output path.
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// What the template sees.
    pub context: PageContext<'a>,
}

/// The context every template gets.
#[derive(Serialize)]
pub struct PageContext<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// Prefix that leads from this page to the site root (`""` or `"../"`).
    pub root: &'static str,
    /// Page title.
    pub title: String,
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
}

/// Page-specific data.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Body<'a> {
    /// Home.
    Home {
        /// Sources.
        sources: Vec<SourceSummary<'a>>,
        /// Topics.
        topics: Vec<TopicSummary<'a>>,
        /// Number of claims.
        claim_count: usize,
    },
    /// A source page.
    Source {
        /// Summary.
        source: SourceSummary<'a>,
        /// Lines, pre-escaped HTML.
        lines: Vec<LineView>,
    },
    /// A claim page.
    Claim {
        /// The claim.
        claim: ClaimView<'a>,
    },
    /// A topic page.
    Topic {
        /// Topic label.
        label: &'a str,
        /// Its claims.
        claims: Vec<ClaimView<'a>>,
    },
}

/// A source in lists and on its page.
#[derive(Serialize)]
pub struct SourceSummary<'a> {
    /// Id.
    pub id: &'a str,
    /// Raw path.
    pub path: &'a str,
    /// Title or path.
    pub title: &'a str,
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// ISO date.
    pub published: Option<&'a str>,
    /// sha256.
    pub sha256: &'a str,
    /// Encoding.
    pub encoding: &'a str,
    /// Page URL.
    pub url: String,
    /// Number of claims.
    pub claim_count: usize,
}

/// A topic in lists.
#[derive(Serialize)]
pub struct TopicSummary<'a> {
    /// Label.
    pub label: &'a str,
    /// Page URL.
    pub url: String,
    /// Number of claims.
    pub claim_count: usize,
}

/// One line of a source page.
#[derive(Serialize)]
pub struct LineView {
    /// 1-based number.
    pub number: usize,
    /// Line kind.
    pub kind: &'static str,
    /// Escaped HTML with claim marks.
    pub html: String,
}

/// A claim on its page and in lists.
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
    /// Source title.
    pub source_title: &'a str,
    /// Hedged.
    pub hedged: bool,
    /// Hedge cues.
    pub hedge_cues: &'a [String],
    /// Speaker.
    pub attribution: Option<&'a str>,
    /// Figures.
    pub quantities: &'a [Quantity],
    /// Dates.
    pub dates: &'a [DateMention],
    /// Entity ids.
    pub entities: &'a [String],
    /// Verdict label.
    pub verdict: String,
    /// Verdict rationale.
    pub rationale: String,
    /// Who gave it.
    pub verdict_by: &'static str,
}

fn source_summary(d: &Document) -> SourceSummary<'_> {
    SourceSummary {
        id: &d.source.id,
        path: &d.source.path,
        title: d.record.meta.title.as_deref().unwrap_or(&d.source.path),
        outlet: d.record.meta.outlet.as_deref(),
        published: d.record.meta.published.as_deref(),
        sha256: &d.source.sha256,
        encoding: &d.source.encoding,
        url: urls::source(&d.source.id),
        claim_count: d.reported_claims().count(),
    }
}

fn claim_view<'a>(report: &'a Report, d: &'a Document, c: &'a ClaimRecord) -> ClaimView<'a> {
    let v = report.verdict(c);
    ClaimView {
        id: &c.id,
        quote: &c.quote,
        url: urls::claim(&c.id),
        cite_url: urls::cite(&d.source.id, &c.id),
        lines: c.lines,
        source_title: d.record.meta.title.as_deref().unwrap_or(&d.source.path),
        hedged: c.hedged,
        hedge_cues: &c.hedge_cues,
        attribution: c.attribution.as_ref().map(|a| a.text.as_str()),
        quantities: &c.quantities,
        dates: &c.dates,
        entities: &c.entities,
        verdict: v.label,
        rationale: v.rationale,
        verdict_by: match v.by {
            crate::crosscheck::VerdictBy::Auto => "auto",
            crate::crosscheck::VerdictBy::Editor => "editor",
        },
    }
}

/// Escaped HTML of one line, each claim wrapped in a `<mark>` whose id is the claim's.
fn line_html(text: &str, d: &Document, line: &crate::segment::Line) -> String {
    let mut out = String::new();
    let mut pos = line.span.start;
    for c in d.reported_claims().filter(|c| c.lines[0] == line.number) {
        if c.span.start < pos || c.span.end > line.span.end {
            continue; // overlapping or multi-line: cited by its line instead
        }
        out.push_str(&super::escape::html(&text[pos..c.span.start]));
        out.push_str(&format!(
            "<mark id=\"{}\" class=\"claim\"><a href=\"../{}\">{}</a></mark>",
            c.id,
            urls::claim(&c.id),
            super::escape::html(c.span.slice(text))
        ));
        pos = c.span.end;
    }
    out.push_str(&super::escape::html(&text[pos..line.span.end]));
    out
}

/// Site-wide values for every page.
pub fn site<'a>(report: &'a Report, lang: &'a Language) -> SiteView<'a> {
    SiteView {
        title: &report.config.title,
        description: &report.config.description,
        lang: &lang.code,
        ui: lang.ui.all(),
        generator: &report.generator,
    }
}

/// Every HTML page of the site.
pub fn pages<'a>(report: &'a Report, site: &'a SiteView<'a>) -> Vec<Page<'a>> {
    let mut pages = Vec::new();
    let claim_count = report.claims().count();
    pages.push(Page {
        path: urls::HOME.into(),
        template: "index.html",
        context: PageContext {
            site,
            root: "",
            title: report.config.title.clone(),
            body: Body::Home {
                sources: report.docs.iter().map(source_summary).collect(),
                topics: report
                    .analysis
                    .topics
                    .iter()
                    .map(|t| TopicSummary { label: &t.label, url: urls::topic(&t.id), claim_count: t.claims.len() })
                    .collect(),
                claim_count,
            },
        },
    });
    for d in &report.docs {
        let text = &*d.source.text;
        let lines = d
            .seg
            .lines
            .iter()
            .map(|l| LineView {
                number: l.number,
                kind: if l.kind == LineKind::Prose { "prose" } else { l.kind.as_str() },
                html: line_html(text, d, l),
            })
            .collect();
        let summary = source_summary(d);
        pages.push(Page {
            path: urls::source(&d.source.id),
            template: "source.html",
            context: PageContext {
                site,
                root: "../",
                title: summary.title.to_string(),
                body: Body::Source { source: summary, lines },
            },
        });
    }
    for (d, c) in report.claims() {
        pages.push(Page {
            path: urls::claim(&c.id),
            template: "claim.html",
            context: PageContext {
                site,
                root: "../",
                title: c.quote.chars().take(80).collect(),
                body: Body::Claim { claim: claim_view(report, d, c) },
            },
        });
    }
    let by_id: BTreeMap<&str, (&Document, &ClaimRecord)> =
        report.claims().map(|(d, c)| (c.id.as_str(), (d, c))).collect();
    for t in &report.analysis.topics {
        let claims =
            t.claims.iter().filter_map(|id| by_id.get(id.as_str())).map(|(d, c)| claim_view(report, d, c)).collect();
        pages.push(Page {
            path: urls::topic(&t.id),
            template: "topic.html",
            context: PageContext {
                site,
                root: "../",
                title: t.label.clone(),
                body: Body::Topic { label: &t.label, claims },
            },
        });
    }
    pages
}
