//! The values an annotated Markdown file holds.

use crate::extract::{Attribution, DateMention, Quantity};
use crate::span::Span;
use arcstr::{ArcStr, Substr};
use serde::{Deserialize, Serialize};

/// The front matter: what the source is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Path of the raw source, relative to the project root.
    pub source: String,
    /// sha256 of the raw source bytes when this file was written.
    pub sha256: String,
    /// Encoding the source was decoded from.
    #[serde(default)]
    pub encoding: String,
    /// Title line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet named in the byline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Publication date stated in the byline (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// BCP 47 language.
    pub language: String,
}

/// Who put a claim in the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The extractor.
    #[default]
    Extracted,
    /// An editor, by hand.
    Editor,
}

/// How a claim's quote was found in the current source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchoring {
    /// At its recorded span.
    #[default]
    Anchored,
    /// Found elsewhere in the text; the span was updated.
    Moved,
    /// Found only approximately: the source's wording changed.
    Changed,
    /// Not found: the claim is kept for its review but has no place in the source.
    Orphaned,
}

impl Anchoring {
    fn is_anchored(&self) -> bool {
        *self == Anchoring::Anchored
    }
}

/// What an editor decided about a claim. Everything here survives rebuilds and re-ingests.
///
/// Most claims of an archive are never reviewed: a review none was written for holds no
/// fields, only an empty pointer (a claim record is a hundred and twenty bytes smaller, and an
/// archive holds millions). It reads as its [`ReviewFields`], which are made when one is set.
#[derive(Clone, Default)]
pub struct Review(Option<Box<ReviewFields>>);

/// The fields of a [`Review`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFields {
    /// The editor's verdict, one of the project's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// Why, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Links to the evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// A topic id that replaces the automatic one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The sentence is not a claim: keep it out of the report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_a_claim: bool,
    /// Id of another claim this one is merged into (it then shows as part of that claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// The fields of a review none was written for.
static UNWRITTEN: ReviewFields = ReviewFields {
    verdict: None,
    rationale: None,
    evidence: Vec::new(),
    topic: None,
    not_a_claim: false,
    merged_into: None,
};

impl Review {
    /// True when the editor has written nothing.
    pub fn is_empty(&self) -> bool {
        **self == UNWRITTEN
    }
}

impl From<ReviewFields> for Review {
    fn from(fields: ReviewFields) -> Review {
        Review((fields != UNWRITTEN).then(|| Box::new(fields)))
    }
}

impl std::ops::Deref for Review {
    type Target = ReviewFields;

    fn deref(&self) -> &ReviewFields {
        self.0.as_deref().unwrap_or(&UNWRITTEN)
    }
}

impl std::ops::DerefMut for Review {
    /// (Makes the fields, empty, when none were.)
    fn deref_mut(&mut self) -> &mut ReviewFields {
        self.0.get_or_insert_with(Default::default)
    }
}

/// Two reviews are equal when their fields are: fields made empty equal none.
impl PartialEq for Review {
    fn eq(&self, other: &Review) -> bool {
        **self == **other
    }
}

impl Eq for Review {}

impl std::fmt::Debug for Review {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for Review {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Review {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Review, D::Error> {
        ReviewFields::deserialize(deserializer).map(Review::from)
    }
}

/// One claim as the annotated Markdown records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// Stable id: source id and a hash of the quote (shared by the lists of the analysis that
    /// name the claim: its topic's, its findings', its verdict's key).
    #[serde(default)]
    pub id: ArcStr,
    /// Who added it.
    #[serde(default)]
    pub origin: Origin,
    /// How its quote was found in the current text.
    #[serde(default, skip_serializing_if = "Anchoring::is_anchored")]
    pub anchoring: Anchoring,
    /// Byte span in the decoded source.
    #[serde(default)]
    pub span: Span,
    /// First and last 1-based lines.
    #[serde(default)]
    pub lines: [usize; 2],
    /// First 16 hex digits of the quote's sha256.
    #[serde(default)]
    pub quote_sha256: String,
    /// The quoted source text: a piece of the source's text when the claim is anchored in it
    /// (shared, not copied), else its own.
    pub quote: Substr,
    /// Check-worthiness, 0 to 1.
    #[serde(default)]
    pub score: f32,
    /// The automatic topic id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// True when the source hedges it.
    #[serde(default)]
    pub hedged: bool,
    /// The hedging words.
    #[serde(default)]
    pub hedge_cues: Vec<String>,
    /// Who the source says makes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    /// Figures.
    #[serde(default)]
    pub quantities: Vec<Quantity>,
    /// Dates.
    #[serde(default)]
    pub dates: Vec<DateMention>,
    /// Entity ids.
    #[serde(default)]
    pub entities: Vec<String>,
    /// Source text just before the quote, to find it again once the source changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<Substr>,
    /// Source text just after the quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<Substr>,
    /// The editor's review.
    #[serde(default)]
    pub review: Review,
}

impl ClaimRecord {
    /// The topic the report uses: the editor's, else the automatic one.
    pub fn effective_topic(&self) -> Option<&str> {
        self.review.topic.as_deref().or(self.topic.as_deref())
    }

    /// True when the claim belongs in the report: anchored in the source and not rejected.
    pub fn is_reported(&self) -> bool {
        self.anchoring != Anchoring::Orphaned && !self.review.not_a_claim && self.review.merged_into.is_none()
    }
}

/// One source's annotated record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnnotatedSource {
    /// What the source is.
    pub meta: FrontMatter,
    /// Its claims, in text order (orphans last).
    pub claims: Vec<ClaimRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim no one reviewed holds no review fields: a pointer's room, empty.
    #[test]
    fn an_unwritten_review_holds_no_fields() {
        assert_eq!(std::mem::size_of::<Review>(), std::mem::size_of::<usize>());
        assert!(Review::default().0.is_none() && Review::default().is_empty());
        assert!(Review::from(ReviewFields::default()).0.is_none());
        let parsed: Review = toml::from_str("").unwrap();
        assert!(parsed.0.is_none());
        // Set through the fields (made then), then cleared: equal to none, and written the same.
        let mut review = Review::from(ReviewFields::default());
        review.verdict = Some("faux".into());
        assert!(review.0.is_some() && !review.is_empty());
        let written = toml::to_string(&review).unwrap();
        assert_eq!(written.trim(), "verdict = \"faux\"");
        assert_eq!(toml::from_str::<Review>(&written).unwrap(), review);
        review.verdict = None;
        assert!(review.is_empty() && review == Review::default());
        assert_eq!(toml::to_string(&review).unwrap(), toml::to_string(&Review::default()).unwrap());
        // Unknown fields are refused, as before.
        assert!(toml::from_str::<Review>("verdit = \"faux\"").is_err());
    }
}
