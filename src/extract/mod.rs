//! Stage 3, **extract**: find the check-worthy claims in a segmented source, with their
//! figures, dates, entities, speaker and hedging.

mod attribution;
mod dates;
mod entity;
mod hedge;
mod numbers;
mod rules;
mod text;

pub use entity::{EntitiesFile, Entity, EntityRef, Gazetteer};
pub use rules::{
    AttributionRules, ClaimRules, DateRules, ExtractRules, HedgeRules, Inflection, NameRules, NumberRules, Period,
};

use entity::{DocContext, Mention};
use rules::role;
use text::{Kind, Scratch};

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
    /// ISO 8601 with the text's precision (`2025`, `2025-06`, `2024-03-14`), `None` when it
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

/// Find the claims of a segmented source: the check-worthy sentences (or clauses) of its
/// content lines, in order.
pub fn extract(source: &Source, seg: &Segmented, lang: &Language, gazetteer: &Gazetteer) -> Vec<Extracted> {
    let text = &*source.text;
    let published = seg.meta.published.map(|p| p.date);
    let mut ctx = DocContext::default();
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    for sentence in &seg.sentences {
        if let Some(e) = analyze_span(text, sentence.span, published, lang, gazetteer, &mut ctx, &mut scratch, false) {
            out.push(e);
        }
    }
    out
}

/// The data of an arbitrary span (a claim an editor added by hand), as for an extracted claim;
/// the sentences before it give the context (people named, for "selon lui" and surnames).
pub fn analyze(source: &Source, seg: &Segmented, span: Span, lang: &Language, gazetteer: &Gazetteer) -> Extracted {
    let text = &*source.text;
    let published = seg.meta.published.map(|p| p.date);
    let mut ctx = DocContext::default();
    let mut scratch = Scratch::default();
    for sentence in seg.sentences.iter().filter(|s| s.span.end <= span.start) {
        let s = scratch.load(sentence.span.slice(text), &lang.extract.lex);
        entity::mentions(&s, gazetteer, &lang.extract, &mut ctx);
    }
    let span = if text.get(span.start..span.end).is_some() { span } else { Span::new(0, 0) };
    let e = analyze_span(text, span, published, lang, gazetteer, &mut ctx, &mut scratch, true);
    e.expect("analyze_span gives the data of every span when asked to")
}

/// Everything about one span when it is a claim (or `always`), else `None`: a sentence that is
/// not a claim costs no owned string.
#[allow(clippy::too_many_arguments)]
fn analyze_span(
    text: &str,
    span: Span,
    published: Option<chrono::NaiveDate>,
    lang: &Language,
    gazetteer: &Gazetteer,
    ctx: &mut DocContext,
    scratch: &mut Scratch,
    always: bool,
) -> Option<Extracted> {
    let rules = &lang.extract;
    let quote = span.slice(text);
    let mut used = std::mem::take(&mut scratch.used);
    let s = scratch.load(quote, &rules.lex);
    used.clear();
    used.resize(s.len(), false);
    let dates = dates::dates(&s, rules, published, &mut used);
    let quantities = numbers::quantities(&s, rules, &mut used);
    let found: Vec<Mention> = entity::mentions(&s, gazetteer, rules, ctx);
    let attribution = attribution::attribution(&s, rules, &found, ctx);
    let mut cue_ranges = Vec::new();
    hedge::hedges(&s, rules, &mut cue_ranges);
    let hedge_cues: Vec<String> = cue_ranges.iter().map(|&(a, b)| s.slice(a, b).to_string()).collect();
    let mut firsts: Vec<&entity::Found> = Vec::new();
    for m in &found {
        if !firsts.iter().any(|e| e.id == m.entity.id) {
            firsts.push(&m.entity);
        }
    }
    let words = s.toks.iter().filter(|t| t.kind != Kind::Punct).count();
    let question = quote.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?').ends_with('?');
    let opinion = (0..s.len()).any(|k| s.at(k, role::OPINION).is_some());
    // A hedged sentence reports something the source does not vouch for: a claim to check.
    let checkable = !quantities.is_empty()
        || !dates.is_empty()
        || !firsts.is_empty()
        || attribution.is_some()
        || !hedge_cues.is_empty();
    let claim = checkable && words >= rules.claims.min_words && !question;
    let keep = claim || always;
    let entities: Vec<EntityRef> = if keep { firsts.iter().map(|f| f.to_ref()).collect() } else { Vec::new() };
    let named = firsts.len();
    scratch.used = used;
    if !keep {
        return None;
    }
    let score = score(&quantities, &dates, named, attribution.is_some(), !hedge_cues.is_empty(), question, opinion);
    Some(Extracted {
        span,
        score,
        quantities,
        dates,
        entities,
        attribution,
        hedged: !hedge_cues.is_empty(),
        hedge_cues,
    })
}

/// Check-worthiness: figures weigh most (they can be checked against other sources), then
/// dates, named entities and a named speaker; a question or an opinion weighs little.
fn score(
    quantities: &[Quantity],
    dates: &[DateMention],
    entities: usize,
    attributed: bool,
    hedged: bool,
    question: bool,
    opinion: bool,
) -> f32 {
    let mut s = 0.2;
    if !quantities.is_empty() {
        s += 0.3;
        if quantities.iter().any(|q| q.value.is_some()) {
            s += 0.1;
        }
    }
    if !dates.is_empty() {
        s += 0.1;
    }
    s += 0.05 * entities.min(3) as f32;
    if attributed {
        s += 0.1;
    }
    if hedged {
        // The source's own doubt: worth a check, slightly less firm a statement.
        s -= 0.03;
    }
    if question {
        s -= 0.3;
    }
    if opinion {
        s -= 0.2;
    }
    (s.clamp(0.0, 1.0) * 100.0).round() / 100.0
}
