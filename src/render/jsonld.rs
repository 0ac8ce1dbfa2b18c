//! The schema.org `ClaimReview` of a claim page, as JSON-LD (what fact-check aggregators and
//! search engines read).

use super::urls;
use super::views::{shorten, Ctx};
use crate::annotate::ClaimRecord;
use crate::crosscheck::VerdictBy;
use crate::report::Document;
use serde::Serialize;

/// `claimReviewed` must stay under this many characters.
pub const CLAIM_REVIEWED_MAX: usize = 75;

/// The `ClaimReview` of claim `c`. `report_date` is the review's `datePublished`: the latest
/// publication date among the sources (the report cannot predate it, and a build-time clock
/// would make the output differ from run to run).
pub fn claim_review<'a>(
    ctx: &'a Ctx,
    d: &'a Document,
    c: &'a ClaimRecord,
    report_date: Option<&'a str>,
) -> ClaimReview<'a> {
    let config = &ctx.report.config;
    let base = &config.base_url;
    let verdict = ctx.shown_verdict(c);
    // A numeric rating only for an editor's verdict on the project's scale (best first).
    let scale = &config.verdicts;
    let position = match verdict.by {
        VerdictBy::Editor => scale.iter().position(|s| **s == *verdict.label),
        VerdictBy::Auto => None,
    };
    let meta = &d.record.meta;
    let organization = |name| Organization { kind: "Organization", name, url: None };
    ClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        author: Organization {
            kind: "Organization",
            name: &config.author,
            url: Some(urls::absolute(base, urls::HOME)),
        },
        claim_reviewed: shorten(&c.quote, CLAIM_REVIEWED_MAX - 1),
        date_published: report_date,
        in_language: &ctx.lang().code,
        item_reviewed: Claim {
            kind: "Claim",
            appearance: Appearance {
                kind: "CreativeWork",
                date_published: meta.published.as_deref(),
                name: meta.title.as_deref().unwrap_or(&d.source.path),
                publisher: meta.outlet.as_deref().map(organization),
                url: urls::absolute(base, &urls::cite(&d.source.id, &c.id)),
            },
            author: c.attribution.as_ref().map(|a| a.text.as_str()).or(meta.outlet.as_deref()).map(organization),
            date_published: meta.published.as_deref(),
        },
        review_rating: Rating {
            kind: "Rating",
            alternate_name: ctx.verdict_label(&verdict.label),
            best_rating: position.map(|_| scale.len()),
            rating_value: position.map(|i| scale.len() - i),
            worst_rating: position.map(|_| 1),
        },
        url: urls::absolute(base, &urls::claim(&d.source.id, &c.id)),
    }
}

// The JSON-LD objects, their keys in alphabetical order (as a JSON map orders them, the order
// the report has always written).

/// A `ClaimReview`.
#[derive(Serialize)]
pub struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: String,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating,
    url: String,
}

/// An `Organization`: the report's author, a source's publisher, who makes a claim.
#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// The `Claim` reviewed.
#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    appearance: Appearance<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Organization<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
}

/// The `CreativeWork` a claim appears in: its source, at the claim's place.
#[derive(Serialize)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization<'a>>,
    url: String,
}

/// The verdict as a `Rating`; a number only for an editor's verdict on the project's scale.
#[derive(Serialize)]
struct Rating {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: String,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best_rating: Option<usize>,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    rating_value: Option<usize>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst_rating: Option<usize>,
}
