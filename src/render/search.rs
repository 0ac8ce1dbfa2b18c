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

/// Write the index, `search.json`, to `out`: `{"docs": [{"class", "quote", "source", "stems",
/// "url", "verdict"}], "terms": {word: stem}}`, the entries in claim order, then the word
/// table in word order. One pass: each source's entries are made in parallel a batch of sources
/// at a time and written in order (so that the index of a large archive is never held as a
/// tree), each thread stemming a word the first time it meets it; the word table is what the
/// threads stemmed, put together at the end.
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
    let language = ctx.lang().stemmer;
    // Each thread's stems, by word: stemming is a function of the word, so which thread stems
    // a word first changes nothing.
    let stemmers = std::sync::Mutex::new(Vec::<Stems>::new());
    let doc = |stems_of: &mut Stems, d: &Document, c: &ClaimRecord, out: &mut Vec<u8>| {
        let label = ctx.shown_label(c);
        let verdict = ctx.verdict_label(label);
        let t = text(d, c, &verdict);
        let numbers: Vec<u32> = words(&t).map(|w| stems_of.number(w)).collect();
        let mut stems: Vec<&str> = numbers.iter().map(|&n| stems_of.stem(n)).collect();
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
    out.write_all(b"{\"docs\":[")?;
    let mut first = true;
    for batch in report.docs.chunks(256) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map_init(
                || Lent { stems: stemmers.lock().expect("no panic while held").pop(), to: &stemmers },
                |lent, d| {
                    let stems_of = lent.stems.get_or_insert_with(|| Stems::new(language));
                    let mut chunk = Vec::new();
                    for (i, c) in d.reported_claims().enumerate() {
                        if i > 0 {
                            chunk.push(b',');
                        }
                        doc(stems_of, d, c, &mut chunk);
                    }
                    chunk
                },
            )
            .collect();
        for chunk in chunks.iter().filter(|c| !c.is_empty()) {
            if !first {
                out.write_all(b",")?;
            }
            out.write_all(chunk)?;
            first = false;
        }
    }
    let mut terms: Vec<(Box<str>, Box<str>)> = Vec::new();
    for stems in stemmers.into_inner().expect("no panic while held") {
        terms.extend(stems.known.into_iter().map(|(word, n)| (word, stems.stems[n as usize].clone())));
    }
    terms.par_sort_unstable();
    terms.dedup_by(|a, b| a.0 == b.0);
    out.write_all(b"],\"terms\":")?;
    serde_json::to_writer(&mut *out, &Terms(&terms))?;
    out.write_all(b"}")
}

/// The words a thread has stemmed, each with the number of its stem.
struct Stems {
    stemmer: rust_stemmers::Stemmer,
    known: rustc_hash::FxHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
}

impl Stems {
    fn new(language: rust_stemmers::Algorithm) -> Stems {
        Stems { stemmer: rust_stemmers::Stemmer::create(language), known: Default::default(), stems: Vec::new() }
    }

    /// The number of `word`'s stem, stemming it the first time.
    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.known.get(word) {
            return n;
        }
        let n = u32::try_from(self.stems.len()).expect("fewer than 2^32 words");
        self.stems.push(self.stemmer.stem(word).into());
        self.known.insert(word.into(), n);
        n
    }

    /// The stem numbered `n`.
    fn stem(&self, n: u32) -> &str {
        &self.stems[n as usize]
    }
}

/// A thread's [`Stems`] while it makes entries, given back for the word table when rayon drops
/// the thread's state (at the end of each batch) and taken again by the next batch.
struct Lent<'s> {
    stems: Option<Stems>,
    to: &'s std::sync::Mutex<Vec<Stems>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(stems) = self.stems.take() {
            self.to.lock().expect("no panic while held").push(stems);
        }
    }
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
struct Terms<'t>(&'t [(Box<str>, Box<str>)]);

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
