//! The static search index, `search.json`: every word of the report's claims with its stem
//! (Snowball, the report's language), and each claim's stems, link, quote and verdict.
//! `search.js` loads it from the site itself, looks a typed word up in the word table (exactly,
//! or as the prefix of words while the reader types) and lists the claims that hold a stem of
//! every word: stemming done at build time, no server, no library.

use super::urls;
use super::views::Ctx;
use crate::annotate::ClaimRecord;
use crate::report::Document;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeSet;

/// The words of `text` (letters and digits; apostrophes and dashes split words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The index, `search.json`: `{"terms": {word: stem}, "docs": [{"url", "quote", "verdict",
/// "class", "source", "stems"}]}`, in claim order. Each claim's entry is made and written on its
/// own, so that the index of a large archive is never held as a tree.
pub fn index(ctx: &Ctx) -> Vec<u8> {
    let report = ctx.report;
    let stemmer = rust_stemmers::Stemmer::create(ctx.lang().stemmer);
    // What a claim is found by, lowercased: its quote, source, verdict, who says it, outlet,
    // topic and entities.
    let text = |d: &Document, c: &ClaimRecord| {
        let mut t = String::with_capacity(c.quote.len() + 200);
        let mut add = |s: &str| {
            t.push_str(s);
            t.push('\n');
        };
        add(&c.quote);
        add(ctx.source_title(d));
        add(&ctx.verdict_label(&report.verdict(c).label));
        if let Some(a) = &c.attribution {
            add(&a.text);
        }
        if let Some(o) = &d.record.meta.outlet {
            add(o);
        }
        if let Some(l) = ctx.topic_label(&c.id) {
            add(l);
        }
        for e in &c.entities {
            add(ctx.entity_label(e));
        }
        t.to_lowercase()
    };
    // Each word is stemmed once.
    let mut stem_of: rustc_hash::FxHashMap<String, String> = Default::default();
    for (d, c) in report.claims() {
        let t = text(d, c);
        for w in words(&t) {
            if !stem_of.contains_key(w) {
                stem_of.insert(w.to_owned(), stemmer.stem(w).into_owned());
            }
        }
    }
    let mut terms: Vec<(&String, &String)> = stem_of.iter().collect();
    terms.sort_unstable();
    let doc = |(d, c): (&Document, &ClaimRecord)| {
        let t = text(d, c);
        let stems: BTreeSet<&str> = words(&t).filter_map(|w| stem_of.get(w).map(String::as_str)).collect();
        let verdict = report.verdict(c);
        json!({
            "url": urls::claim(&d.source.id, &c.id),
            "quote": c.quote,
            "verdict": ctx.verdict_label(&verdict.label),
            "class": super::views::verdict_class(&verdict.label),
            "source": ctx.source_title(d),
            "stems": stems,
        })
    };
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::new(&mut out);
    let mut m = ser.serialize_map(Some(2)).expect("writing to memory");
    m.serialize_entry("terms", &Terms(&terms)).expect("writing to memory");
    m.serialize_entry("docs", &Docs(|| report.claims().map(doc))).expect("writing to memory");
    m.end().expect("writing to memory");
    out
}

/// The word table, in word order.
struct Terms<'t>(&'t [(&'t String, &'t String)]);

impl Serialize for Terms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

/// A sequence serialised from an iterator made on demand.
struct Docs<F>(F);

impl<F, I> Serialize for Docs<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_apostrophes_and_lowercase() {
        let text = "L’armée a envoyé 1 200 soldats, d'après l'état-major.".to_lowercase();
        let w: Vec<&str> = words(&text).collect();
        assert_eq!(w, ["l", "armée", "a", "envoyé", "1", "200", "soldats", "d", "après", "l", "état", "major"]);
    }

    #[test]
    fn french_stems_join_inflections() {
        let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French);
        assert_eq!(s.stem("soldats"), s.stem("soldat"));
        assert_eq!(s.stem("envoyés"), s.stem("envoyé"));
    }
}
