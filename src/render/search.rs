//! The static search index, `search.json`: every word of the report's claims with its stem
//! (Snowball, the report's language), and each claim's stems, link, quote and verdict.
//! `search.js` loads it from the site itself, looks a typed word up in the word table (exactly,
//! or as the prefix of words while the reader types) and lists the claims that hold a stem of
//! every word: stemming done at build time, no server, no library.

use super::urls;
use super::views::Ctx;
use crate::annotate::ClaimRecord;
use crate::report::Document;
use rayon::prelude::*;
use serde::ser::Serializer;
use serde::Serialize;

/// The words of `text` (letters and digits; apostrophes and dashes split words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// `s.to_lowercase()`, a run of ASCII at a time (the index lowercases the text of every claim
/// twice; the standard library goes a character at a time past the first accent).
fn lowercase(s: &str) -> String {
    if s.contains('Σ') {
        // Its lowercase depends on the letters around it.
        return s.to_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let (ascii, tail) = rest.split_at(rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len()));
        let at = out.len();
        out.push_str(ascii);
        out[at..].make_ascii_lowercase();
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
    out
}

/// Write the index, `search.json`, to `out`: `{"terms": {word: stem}, "docs": [{"url",
/// "quote", "verdict", "class", "source", "stems"}]}`, in claim order; the word table, then
/// each source's entries, made in parallel a batch of sources at a time and written in order,
/// so that the index of a large archive is never held as a tree.
pub fn write_index(ctx: &Ctx, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let report = ctx.report;
    // What a claim is found by, lowercased: its quote, source, verdict, who says it, outlet,
    // topic and entities.
    let text = |d: &Document, c: &ClaimRecord, verdict: &str| {
        let mut t = String::with_capacity(c.quote.len() + 200);
        let mut add = |s: &str| {
            t.push_str(s);
            t.push('\n');
        };
        add(&c.quote);
        add(ctx.source_title(d));
        add(verdict);
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
        lowercase(&t)
    };
    // Each distinct word is stemmed once, the sources read in parallel.
    let distinct: rustc_hash::FxHashSet<String> = report
        .docs
        .par_iter()
        .fold(rustc_hash::FxHashSet::default, |mut set: rustc_hash::FxHashSet<String>, d| {
            for c in d.reported_claims() {
                for w in words(&text(d, c, &ctx.verdict_label(report.verdict_label(c)))) {
                    if !set.contains(w) {
                        set.insert(w.to_owned());
                    }
                }
            }
            set
        })
        .reduce(rustc_hash::FxHashSet::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            a.extend(b);
            a
        });
    let mut terms: Vec<(String, String)> = distinct
        .into_par_iter()
        .map_init(
            || rust_stemmers::Stemmer::create(ctx.lang().stemmer),
            |stemmer, w| {
                let stem = stemmer.stem(&w).into_owned();
                (w, stem)
            },
        )
        .collect();
    terms.par_sort_unstable();
    let stem_of: rustc_hash::FxHashMap<&str, &str> = terms.iter().map(|(w, s)| (w.as_str(), s.as_str())).collect();
    let doc = |d: &Document, c: &ClaimRecord, out: &mut Vec<u8>| {
        let label = report.verdict_label(c);
        let verdict = ctx.verdict_label(label);
        let t = text(d, c, &verdict);
        let mut stems: Vec<&str> = words(&t).filter_map(|w| stem_of.get(w).copied()).collect();
        stems.sort_unstable();
        stems.dedup();
        let entry = Entry {
            class: super::views::verdict_class(label),
            quote: &c.quote,
            source: ctx.source_title(d),
            stems,
            url: urls::claim(&d.source.id, &c.id),
            verdict,
        };
        serde_json::to_writer(out, &entry).expect("writing to memory");
    };
    out.write_all(b"{\"terms\":")?;
    serde_json::to_writer(&mut *out, &Terms(&terms))?;
    out.write_all(b",\"docs\":[")?;
    let mut first = true;
    for batch in report.docs.chunks(256) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|d| {
                let mut chunk = Vec::new();
                for (i, c) in d.reported_claims().enumerate() {
                    if i > 0 {
                        chunk.push(b',');
                    }
                    doc(d, c, &mut chunk);
                }
                chunk
            })
            .collect();
        for chunk in chunks.iter().filter(|c| !c.is_empty()) {
            if !first {
                out.write_all(b",")?;
            }
            out.write_all(chunk)?;
            first = false;
        }
    }
    out.write_all(b"]}")
}

/// One claim of the index, its keys in alphabetical order (as the index has always had them).
#[derive(Serialize)]
struct Entry<'a> {
    class: String,
    quote: &'a str,
    source: &'a str,
    stems: Vec<&'a str>,
    url: String,
    verdict: String,
}

/// The word table, in word order.
struct Terms<'t>(&'t [(String, String)]);

impl Serialize for Terms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(w, s)| (w, s)))
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
    fn lowercase_is_the_standard_one() {
        for s in [
            "",
            "L’Armée A Envoyé 1 200 SOLDATS",
            "ÉTAT-MAJOR, Œuvre, Ça, ÀÉÎÕÜ",
            "İstanbul ǅ ẞ Ω",
            "ΣΑΣ ΟΔΟΣ Σ",
            "ASCII only, NOTHING else.",
            "Émoji 🙂 AND ÑANDÚ",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn french_stems_join_inflections() {
        let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French);
        assert_eq!(s.stem("soldats"), s.stem("soldat"));
        assert_eq!(s.stem("envoyés"), s.stem("envoyé"));
    }
}
