//! The static search index: every word of the report's claims with its stem (Snowball, the
//! report's language), and each claim's stems. `search.js` looks a typed word up in the word
//! table (exactly, or as the prefix of words while the reader types) and keeps the claims
//! that hold a stem of every word: stemming done at build time, no server, no library.

use super::views::Ctx;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Lowercase words of `text` (letters and digits; apostrophes and dashes split words).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// The index: `{"terms": {word: stem}, "docs": [{"id", "stems": [..]}]}`, in claim order.
pub fn index(ctx: &Ctx) -> Value {
    let stemmer = rust_stemmers::Stemmer::create(ctx.lang().stemmer);
    let mut terms: BTreeMap<String, String> = BTreeMap::new();
    let mut docs = Vec::new();
    for (d, c) in ctx.report.claims() {
        let view = ctx.claim_view(d, c);
        let mut text = vec![view.quote.clone(), view.source.label.clone(), view.verdict.label.clone()];
        text.extend(view.attribution.clone());
        text.extend(view.outlet.clone());
        text.extend(view.topic.as_ref().map(|t| t.label.clone()));
        text.extend(view.entities.iter().map(|e| e.label.clone()));
        let mut stems = BTreeSet::new();
        for w in text.iter().flat_map(|t| words(t)) {
            let stem = stemmer.stem(&w).into_owned();
            stems.insert(stem.clone());
            terms.insert(w, stem);
        }
        docs.push(json!({"id": c.id, "stems": stems}));
    }
    json!({"terms": terms, "docs": docs})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_apostrophes_and_lowercase() {
        let w: Vec<String> = words("L’armée a envoyé 1 200 soldats, d'après l'état-major.").collect();
        assert_eq!(w, ["l", "armée", "a", "envoyé", "1", "200", "soldats", "d", "après", "l", "état", "major"]);
    }

    #[test]
    fn french_stems_join_inflections() {
        let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French);
        assert_eq!(s.stem("soldats"), s.stem("soldat"));
        assert_eq!(s.stem("envoyés"), s.stem("envoyé"));
    }
}
