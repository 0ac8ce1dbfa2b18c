//! The bodies of the fuzz targets, shared word for word by the `cargo fuzz` targets
//! (`fuzz/fuzz_targets/*.rs`) and by the regression test that replays the stored corpus on
//! every `cargo test` (`tests/testsuite/hostile.rs`). Each body panics when an invariant of
//! the pipeline breaks; any other outcome, including a refused input, is a pass.

#![allow(dead_code)]

use factsite::annotate::{self, AnnotatedSource};
use factsite::config::Limits;
use factsite::extract::{self, Gazetteer};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::segment::{self, Segmented};
use factsite::span::Span;
use std::sync::OnceLock;

/// The language every body uses, loaded once.
fn lang() -> &'static (Language, Gazetteer) {
    static LANG: OnceLock<(Language, Gazetteer)> = OnceLock::new();
    LANG.get_or_init(|| {
        let lang = Language::load("fr").expect("the built-in French language loads");
        let gazetteer = Gazetteer::new(lang.entities.clone());
        (lang, gazetteer)
    })
}

/// Small limits, so that the fuzzer spends its time on structure rather than size.
const LIMITS: Limits = Limits { max_source_bytes: 1 << 16, max_line_bytes: 1 << 14 };

/// Arbitrary bytes as a source file: decoded (or refused), segmented, extracted, annotated,
/// written as Markdown and parsed back.
pub fn segment_extract(data: &[u8]) {
    let Ok(source) = Source::from_bytes("sources/fuzz.txt", data, &LIMITS) else {
        return;
    };
    let (lang, gazetteer) = lang();
    let text = &*source.text;
    assert!(!text.starts_with('\u{feff}'), "the byte order mark is not part of the text");
    let seg = segment::segment(&source, lang);
    for line in &seg.lines {
        assert_span(text, line.span, "line");
        let (a, b) = (source.lines.line_of(line.span.start), line.number);
        assert!(a == b || line.span.is_empty(), "line {b} starts on line {a}");
    }
    for s in &seg.sentences {
        let slice = assert_span(text, s.span, "sentence");
        assert!(!slice.contains(['\n', '\r']), "sentence {:?} crosses a line break", s.span);
        assert_eq!(slice, slice.trim(), "sentence {:?} is not trimmed", s.span);
    }
    let claims = extract::extract(&source, &seg, lang, gazetteer);
    for c in &claims {
        assert_span(text, c.span, "claim");
    }
    let record = annotate_with(&source, &seg, None);
    check_record(&source, &record);

    // The Markdown written for the record reads back as the same record, and a rebuild
    // over it changes nothing: the annotated file is a fixed point.
    let markdown = annotate::write(&record, &source, &seg);
    let parsed = annotate::parse("content/sources/fuzz.md", &markdown)
        .unwrap_or_else(|e| panic!("the written Markdown does not parse back: {e}\n{markdown}"));
    assert_eq!(parsed.meta, record.meta, "front matter round trip");
    assert_eq!(parsed.claims, record.claims, "claim blocks round trip");
    let again = annotate_with(&source, &seg, Some(&parsed));
    assert_eq!(again, record, "a rebuild over the written file changes it");
}

/// A fixed source the editor's files of [`annotate_parse`] are merged with.
pub const EDITOR_SOURCE: &str = "Titre de l'article\n\nLe ministère a annoncé que 1 200 élèves ont été accueillis en mars 2024.\r\nSelon le maire, environ 40 % des écoles seraient concernées.\rUne phrase sans chiffre.\n\n- 3 classes fermées à Lyon.\n";

/// Arbitrary text as an editor's annotated Markdown file: parsed (or refused with an error),
/// then merged with a fresh extraction of [`EDITOR_SOURCE`]; every review it holds survives
/// the merge and a write-and-parse round trip.
pub fn annotate_parse(data: &[u8]) {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = annotate::parse("content/sources/fuzz.md", markdown) else {
        return;
    };
    let source = Source::from_text("sources/fuzz.txt", EDITOR_SOURCE);
    let (lang, _) = lang();
    let seg = segment::segment(&source, lang);
    let merged = annotate_with(&source, &seg, Some(&doc));
    check_record(&source, &merged);
    for old in doc.claims.iter().filter(|c| !c.review.is_empty()) {
        assert!(
            merged.claims.iter().any(|c| c.review == old.review),
            "the review of claim {:?} ({:?}) was lost in the merge",
            old.id,
            old.quote
        );
    }
    let written = annotate::write(&merged, &source, &seg);
    let parsed = annotate::parse("content/sources/fuzz.md", &written)
        .unwrap_or_else(|e| panic!("the written Markdown does not parse back: {e}\n{written}"));
    assert_eq!(parsed.claims.len(), merged.claims.len(), "claim blocks lost in the round trip");
    for (a, b) in parsed.claims.iter().zip(&merged.claims) {
        assert_eq!(a.review, b.review, "a review changed in the round trip");
    }
}

fn annotate_with(source: &Source, seg: &Segmented, previous: Option<&AnnotatedSource>) -> AnnotatedSource {
    let (lang, gazetteer) = lang();
    let claims = extract::extract(source, seg, lang, gazetteer);
    annotate::annotate(source, seg, &lang.code, claims, previous, |span| {
        extract::analyze(source, seg, span, lang, gazetteer)
    })
}

/// Every claim that has a place in the source quotes exactly the text at its span.
fn check_record(source: &Source, record: &AnnotatedSource) {
    for c in &record.claims {
        if c.anchoring == annotate::Anchoring::Orphaned {
            continue;
        }
        let slice = assert_span(&source.text, c.span, "claim record");
        assert_eq!(c.quote, slice, "claim {} quotes something else than its span", c.id);
        assert_eq!(c.lines, source.lines.lines_of(c.span), "claim {} has wrong lines", c.id);
    }
}

fn assert_span<'a>(text: &'a str, span: Span, what: &str) -> &'a str {
    assert!(span.start <= span.end, "{what} span {span:?} is reversed");
    text.get(span.start..span.end)
        .unwrap_or_else(|| panic!("{what} span {span:?} is outside the text or splits a character"))
}
