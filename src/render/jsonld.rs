//! The schema.org `ClaimReview` of a claim page, as JSON-LD (what fact-check aggregators and
//! search engines read).

use super::urls;
use super::views::{shorten, Ctx};
use crate::annotate::ClaimRecord;
use crate::crosscheck::VerdictBy;
use crate::report::Document;
use serde_json::{json, Map, Value};

/// `claimReviewed` must stay under this many characters.
pub const CLAIM_REVIEWED_MAX: usize = 75;

/// The `ClaimReview` of claim `c`. `report_date` is the review's `datePublished`: the latest
/// publication date among the sources (the report cannot predate it, and a build-time clock
/// would make the output differ from run to run).
pub fn claim_review(ctx: &Ctx, d: &Document, c: &ClaimRecord, report_date: Option<&str>) -> Value {
    let config = &ctx.report.config;
    let base = &config.base_url;
    let verdict = ctx.report.verdict(c);
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    rating.insert("alternateName".into(), json!(ctx.verdict_label(&verdict.label)));
    // A numeric rating only for an editor's verdict on the project's scale (best first).
    let scale = &config.verdicts;
    if let (VerdictBy::Editor, Some(i)) = (verdict.by, scale.iter().position(|s| *s == verdict.label)) {
        rating.insert("ratingValue".into(), json!(scale.len() - i));
        rating.insert("bestRating".into(), json!(scale.len()));
        rating.insert("worstRating".into(), json!(1));
    }
    let meta = &d.record.meta;
    let mut appearance = Map::new();
    appearance.insert("@type".into(), json!("CreativeWork"));
    appearance.insert("url".into(), json!(urls::absolute(base, &urls::cite(&d.source.id, &c.id))));
    appearance.insert("name".into(), json!(meta.title.as_deref().unwrap_or(&d.source.path)));
    if let Some(p) = &meta.published {
        appearance.insert("datePublished".into(), json!(p));
    }
    if let Some(o) = &meta.outlet {
        appearance.insert("publisher".into(), json!({"@type": "Organization", "name": o}));
    }
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    item.insert("appearance".into(), Value::Object(appearance));
    if let Some(who) = c.attribution.as_ref().map(|a| a.text.as_str()).or(meta.outlet.as_deref()) {
        item.insert("author".into(), json!({"@type": "Organization", "name": who}));
    }
    if let Some(p) = &meta.published {
        item.insert("datePublished".into(), json!(p));
    }
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert("url".into(), json!(urls::absolute(base, &urls::claim(&d.source.id, &c.id))));
    review.insert("claimReviewed".into(), json!(shorten(&c.quote, CLAIM_REVIEWED_MAX - 1)));
    review.insert("itemReviewed".into(), Value::Object(item));
    review.insert(
        "author".into(),
        json!({"@type": "Organization", "name": config.author, "url": urls::absolute(base, urls::HOME)}),
    );
    if let Some(date) = report_date {
        review.insert("datePublished".into(), json!(date));
    }
    review.insert("inLanguage".into(), json!(ctx.lang().code));
    review.insert("reviewRating".into(), Value::Object(rating));
    Value::Object(review)
}
