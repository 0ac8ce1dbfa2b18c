//! Hand-built documents for the cross-check's unit tests: claims with their figures, without
//! running the extractor.

use crate::annotate::{AnnotatedSource, ClaimRecord, FrontMatter};
use crate::extract::{Attribution, Bound, DateMention, Quantity};
use crate::read::Source;
use crate::report::Document;
use crate::segment::Segmented;

/// A figure: as written, value, counted noun, bound (`exact`, `approx`, `upper`, `lower`,
/// `vague`).
#[derive(Debug, Clone, Copy)]
pub struct Q(pub &'static str, pub f64, pub &'static str, pub &'static str);

impl Q {
    pub fn quantity(&self) -> Quantity {
        let bound = match self.3 {
            "approx" => Bound::Approx,
            "upper" => Bound::Upper,
            "lower" => Bound::Lower,
            "vague" => Bound::Vague,
            _ => Bound::Exact,
        };
        Quantity {
            text: self.0.into(),
            value: (bound != Bound::Vague).then_some(self.1),
            unit: (!self.2.is_empty()).then(|| self.2.into()),
            bound,
        }
    }
}

/// A document `id` published on `published` (ISO) with these claims; claim ids are
/// `<id>-<n>`, hedging comes from the words "aurait", "pourrait" and their plurals.
pub fn doc(id: &str, published: Option<&str>, claims: &[(&str, &[Q])]) -> Document {
    let text: String = claims.iter().map(|(q, _)| format!("{q}\n")).collect();
    let source = Source::from_text(&format!("sources/{id}.txt"), &text);
    let records = claims
        .iter()
        .enumerate()
        .map(|(n, (quote, qs))| {
            let mut c: ClaimRecord = serde_json::from_value(serde_json::json!({ "quote": quote })).unwrap();
            c.id = format!("{id}-{n}").into();
            c.quantities = qs.iter().map(Q::quantity).collect();
            c.hedge_cues = quote
                .split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| ["aurait", "auraient", "pourrait", "pourraient"].contains(w))
                .map(String::from)
                .collect();
            c.hedged = !c.hedge_cues.is_empty();
            c
        })
        .collect();
    let record = AnnotatedSource {
        meta: FrontMatter {
            source: source.path.clone(),
            published: published.map(String::from),
            language: "fr".into(),
            ..FrontMatter::default()
        },
        claims: records,
    };
    Document { source: source.into(), seg: Segmented::default().into(), record }
}

/// Set who a claim is attributed to.
pub fn attribute(d: &mut Document, n: usize, text: &str, entity: Option<&str>) {
    d.record.claims[n].attribution = Some(Attribution { text: text.into(), entity: entity.map(String::from) });
}

/// Add a resolved date to a claim.
pub fn date(d: &mut Document, n: usize, text: &str, value: &str, range: Option<[&str; 2]>) {
    d.record.claims[n].dates.push(DateMention {
        text: text.into(),
        value: Some(value.into()),
        range: range.map(|[a, b]| [a.to_string(), b.to_string()]),
    });
}
