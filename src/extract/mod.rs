//! Stage 3, **extract**: find the check-worthy claims in a segmented source, with their
//! figures, dates, entities, speaker and hedging.

mod entity;
mod rules;

pub use entity::{EntitiesFile, Entity, EntityRef, Gazetteer};
pub use rules::ExtractRules;

use crate::lang::Language;
use crate::read::Source;
use crate::segment::Segmented;
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// How a figure relates to the true amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Stated as exact.
    Exact,
    /// "environ", "près de".
    Approx,
    /// "jusqu'à", "au plus".
    Upper,
    /// "plus de", "au moins".
    Lower,
    /// "des dizaines de milliers": no value.
    Vague,
}

/// A figure in a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// As written, with its bound words and counted noun.
    pub text: String,
    /// Normalised value; `None` for vague amounts.
    pub value: Option<f64>,
    /// What is counted or measured.
    pub unit: Option<String>,
    /// Exact, approx, upper, lower or vague.
    pub bound: Bound,
}

/// A date in a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// As written.
    pub text: String,
    /// ISO 8601 with the text's precision (`2025`, `2025-06`, `2025-06-26`), `None` when it
    /// cannot be resolved (a relative date in a source with no publication date).
    pub value: Option<String>,
    /// First and last month or day for periods (`second semestre 2023`: `2023-07`, `2023-12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[String; 2]>,
}

/// Who the source says makes a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The words naming the speaker.
    pub text: String,
    /// The entity id, when resolved.
    pub entity: Option<String>,
}

/// A claim found by the extractor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// Where the claim is in the source.
    pub span: Span,
    /// Check-worthiness, 0 to 1.
    pub score: f32,
    /// Figures.
    pub quantities: Vec<Quantity>,
    /// Dates.
    pub dates: Vec<DateMention>,
    /// Entities mentioned.
    pub entities: Vec<EntityRef>,
    /// Speaker, `None` when the outlet asserts it itself.
    pub attribution: Option<Attribution>,
    /// True when the source itself does not assert it.
    pub hedged: bool,
    /// The words that made it hedged.
    pub hedge_cues: Vec<String>,
}

/// Find the claims of a segmented source.
pub fn extract(source: &Source, seg: &Segmented, lang: &Language, gazetteer: &Gazetteer) -> Vec<Extracted> {
    let text = &*source.text;
    let mut out = Vec::new();
    for sentence in &seg.sentences {
        let s = sentence.span.slice(text);
        let quantities = lang.extract.quantities(s);
        let entities = gazetteer.find(s);
        let hedge_cues = lang.extract.hedge_cues(s);
        if quantities.is_empty() && entities.is_empty() {
            continue;
        }
        out.push(Extracted {
            span: sentence.span,
            score: 0.5,
            quantities,
            dates: Vec::new(),
            entities,
            attribution: None,
            hedged: !hedge_cues.is_empty(),
            hedge_cues,
        });
    }
    out
}

/// The data of an arbitrary span (a claim an editor added by hand), as for an extracted claim.
pub fn analyze(source: &Source, _seg: &Segmented, span: Span, lang: &Language, gazetteer: &Gazetteer) -> Extracted {
    let s = span.slice(&source.text);
    let hedge_cues = lang.extract.hedge_cues(s);
    Extracted {
        span,
        score: 1.0,
        quantities: lang.extract.quantities(s),
        dates: Vec::new(),
        entities: gazetteer.find(s),
        attribution: None,
        hedged: !hedge_cues.is_empty(),
        hedge_cues,
    }
}
