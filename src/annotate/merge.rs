//! Merge a fresh extraction with the previous annotated record, keeping every editor's work.

use super::anchor::{context_spans, reanchor, QuoteContext};
use super::record::{Anchoring, AnnotatedSource, ClaimRecord, FrontMatter, Origin, Review};
use crate::extract::Extracted;
use crate::read::{hex_prefix, Source};
use crate::segment::Segmented;
use crate::span::Span;
use arcstr::ArcStr;
use std::collections::{HashMap, HashSet};

/// The stable id of a claim: its source's id and a hash of its quote, `-2`, `-3`... for a
/// quote repeated in the same source.
pub fn claim_id(source_id: &str, quote: &str, taken: &mut HashSet<String>) -> String {
    id_from_hash(source_id, &hex_prefix(quote.as_bytes(), 8), taken)
}

/// [`claim_id`] from the quote's hash (its first 8 hex digits are used).
fn id_from_hash(source_id: &str, hash: &str, taken: &mut HashSet<String>) -> String {
    let mut base = String::with_capacity(source_id.len() + 12);
    base.push_str(source_id);
    base.push('-');
    base.push_str(&hash[..8]);
    if taken.insert(base.clone()) {
        return base;
    }
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Build the annotated record of a source: the fresh claims, each carrying the review the
/// previous record had for it; the editor's own claims re-anchored in the current text; and
/// every reviewed claim that can no longer be found kept as an orphan, never dropped.
///
/// `analyze` extracts the data of an editor-added claim's span.
pub fn annotate(
    source: &Source,
    seg: &Segmented,
    language: &str,
    extracted: Vec<Extracted>,
    previous: Option<&AnnotatedSource>,
    analyze: impl Fn(Span) -> Extracted,
) -> AnnotatedSource {
    let text = &*source.text;
    let meta = FrontMatter {
        source: source.path.clone(),
        sha256: source.sha256.clone(),
        encoding: source.encoding.clone(),
        title: seg.meta.title.clone(),
        outlet: seg.meta.outlet.clone(),
        published: seg.meta.published.map(|p| p.iso()),
        language: language.to_string(),
    };
    let mut taken = HashSet::new();
    let mut claims: Vec<ClaimRecord> = Vec::with_capacity(extracted.len());
    for e in extracted {
        // One hash of the quote gives both the id (8 digits) and `quote_sha256` (16).
        let hash = hex_prefix(e.span.slice(text).as_bytes(), 16);
        let id = id_from_hash(&source.id, &hash, &mut taken);
        claims.push(record_hashed(source, id, Origin::Extracted, Anchoring::Anchored, e, hash));
    }
    let Some(previous) = previous else {
        return AnnotatedSource { meta, claims };
    };

    let mut index: HashMap<ArcStr, usize> = claims.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    let mut orphans = Vec::new();
    for old in &previous.claims {
        if let Some(&i) = index.get(&old.id) {
            if old.origin == Origin::Extracted {
                claims[i].review = old.review.clone();
                continue;
            }
        }
        if old.origin == Origin::Extracted && old.review.is_empty() {
            continue; // nothing of the editor's to keep; the extractor no longer finds it
        }
        let context = QuoteContext {
            prefix: old.prefix.as_deref().unwrap_or_default(),
            suffix: old.suffix.as_deref().unwrap_or_default(),
        };
        match reanchor(text, &old.quote, old.span, context) {
            Some((span, anchoring)) => {
                // A claim an editor just added has no span yet: its first placement is not a move.
                let anchoring =
                    if old.span.is_empty() && anchoring == Anchoring::Moved { Anchoring::Anchored } else { anchoring };
                // Found again: a claim of the editor's, or a reviewed claim the extractor
                // no longer proposes (or proposes under another id).
                // A reworded sentence is usually re-extracted under a new id: the review goes to it.
                let same =
                    |c: &ClaimRecord| c.span == span || (anchoring == Anchoring::Changed && overlaps(c.span, span));
                if let Some(i) = claims.iter().position(same) {
                    if claims[i].review.is_empty() {
                        claims[i].review = old.review.clone();
                        continue;
                    }
                    if claims[i].review == old.review {
                        continue;
                    }
                    // A second, different review of the same words: kept as a claim of its own.
                }
                let id = if old.id.is_empty() || taken.contains(old.id.as_str()) {
                    claim_id(&source.id, &old.quote, &mut taken)
                } else {
                    old.id.to_string()
                };
                taken.insert(id.clone());
                let mut c = record(source, id, old.origin, anchoring, analyze(span));
                c.review = old.review.clone();
                index.insert(c.id.clone(), claims.len());
                claims.push(c);
            }
            None => {
                let mut c = old.clone();
                c.anchoring = Anchoring::Orphaned;
                orphans.push(c);
            }
        }
    }
    claims.sort_by_key(|c| (c.span.start, c.span.end));
    claims.extend(orphans);
    AnnotatedSource { meta, claims }
}

fn record(source: &Source, id: String, origin: Origin, anchoring: Anchoring, e: Extracted) -> ClaimRecord {
    let hash = hex_prefix(e.span.slice(&source.text).as_bytes(), 16);
    record_hashed(source, id, origin, anchoring, e, hash)
}

/// [`record`] given the first 16 hex digits of the quote's sha256.
fn record_hashed(
    source: &Source,
    id: String,
    origin: Origin,
    anchoring: Anchoring,
    e: Extracted,
    quote_sha256: String,
) -> ClaimRecord {
    // (Pieces of the source's text, shared with it.)
    let piece = |span: Span| source.text.substr(span.start..span.end);
    let (prefix, suffix) = context_spans(&source.text, e.span);
    ClaimRecord {
        id: id.into(),
        origin,
        anchoring,
        span: e.span,
        lines: source.lines.lines_of(e.span),
        quote_sha256,
        quote: piece(e.span),
        score: e.score,
        topic: None,
        hedged: e.hedged,
        hedge_cues: tight(e.hedge_cues),
        attribution: e.attribution,
        quantities: tight(e.quantities),
        dates: tight(e.dates),
        entities: tight(dedup(e.entities.into_iter().map(|r| r.id))),
        review: Review::default(),
        prefix: Some(piece(prefix)),
        suffix: Some(piece(suffix)),
    }
}

/// `v` without room to spare: a record lives as long as the report, and an archive holds
/// hundreds of thousands (a vector grown by pushes keeps room for four).
fn tight<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// The ids in order, each once. A claim names a handful of entities: a scan of the few kept
/// so far beats hashing each.
fn dedup(ids: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Option<HashSet<String>> = None;
    for id in ids {
        if seen.is_none() && out.len() == 16 {
            seen = Some(out.iter().cloned().collect());
        }
        let new = match &mut seen {
            Some(set) => set.insert(id.clone()),
            None => !out.contains(&id),
        };
        if new {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_different_reviews_of_the_same_words_are_both_kept() {
        use crate::annotate::AnnotatedSource;
        let source = Source::from_text("s.txt", "Une phrase de trente mots environ. Une autre.");
        let seg = Segmented::default();
        let quote = "Une phrase de trente mots environ.";
        let editor = |verdict: &str| ClaimRecord {
            id: Default::default(),
            origin: Origin::Editor,
            anchoring: Anchoring::Anchored,
            span: Span::default(),
            lines: [0, 0],
            quote_sha256: String::new(),
            quote: quote.into(),
            prefix: None,
            suffix: None,
            score: 0.0,
            topic: None,
            hedged: false,
            hedge_cues: vec![],
            attribution: None,
            quantities: vec![],
            dates: vec![],
            entities: vec![],
            review: Review::from(crate::annotate::ReviewFields { verdict: Some(verdict.into()), ..Default::default() }),
        };
        let previous = AnnotatedSource { meta: FrontMatter::default(), claims: vec![editor("exact"), editor("faux")] };
        let analyze = |span: Span| Extracted {
            span,
            score: 1.0,
            quantities: vec![],
            dates: vec![],
            entities: vec![],
            attribution: None,
            hedged: false,
            hedge_cues: vec![],
        };
        let first = annotate(&source, &seg, "fr", vec![], Some(&previous), analyze);
        let verdicts: Vec<_> = first.claims.iter().map(|c| c.review.verdict.clone().unwrap()).collect();
        assert_eq!(verdicts, ["exact", "faux"]);
        assert!(first.claims.iter().all(|c| c.anchoring == Anchoring::Anchored && c.span.slice(&source.text) == quote));
        assert_ne!(first.claims[0].id, first.claims[1].id);
        let second = annotate(&source, &seg, "fr", vec![], Some(&first), analyze);
        assert_eq!(second, first, "stable on the next build");
    }

    /// A record lives as long as the report, and an archive holds hundreds of thousands: its
    /// lists keep no room to spare, however the extractor grew them.
    #[test]
    fn a_records_lists_keep_no_room_to_spare() {
        use crate::extract::{Bound, DateMention, EntityRef, Quantity};
        let source = Source::from_text("s.txt", "Le ministère aurait recensé 1 200 blessés en mars 2024.");
        let mut e = Extracted {
            span: Span { start: 0, end: source.text.len() },
            score: 1.0,
            quantities: Vec::with_capacity(8),
            dates: Vec::with_capacity(8),
            entities: Vec::with_capacity(8),
            attribution: None,
            hedged: true,
            hedge_cues: Vec::with_capacity(8),
        };
        e.quantities.push(Quantity {
            text: "1 200 blessés".into(),
            value: Some(1200.0),
            unit: Some("blessés".into()),
            bound: Bound::Exact,
        });
        e.dates.push(DateMention { text: "mars 2024".into(), value: Some("2024-03".into()), range: None });
        let entity = EntityRef {
            id: "ministere".into(),
            text: "ministère".into(),
            label: "Ministère".into(),
            kind: "organisation".into(),
        };
        e.entities.push(entity);
        e.hedge_cues.push("aurait".into());
        let record = annotate(&source, &Segmented::default(), "fr", vec![e], None, |_| unreachable!());
        let c = &record.claims[0];
        assert_eq!((c.quantities.len(), c.quantities.capacity()), (1, 1));
        assert_eq!((c.dates.len(), c.dates.capacity()), (1, 1));
        assert_eq!((c.entities.len(), c.entities.capacity()), (1, 1));
        assert_eq!((c.hedge_cues.len(), c.hedge_cues.capacity()), (1, 1));
    }

    #[test]
    fn repeated_quotes_get_distinct_ids() {
        let mut taken = HashSet::new();
        let a = claim_id("s", "x", &mut taken);
        let b = claim_id("s", "x", &mut taken);
        assert_ne!(a, b);
        assert!(b.ends_with("-2"));
        assert_eq!(a, format!("s-{}", &crate::read::hex_sha256(b"x")[..8]));
    }

    #[test]
    fn dedup_keeps_first_occurrences_in_order() {
        let ids = |v: &[&str]| dedup(v.iter().map(|s| s.to_string()));
        assert_eq!(ids(&["a", "b", "a", "c", "b"]), ["a", "b", "c"]);
        let many: Vec<String> = (0..40).map(|k| format!("e{}", k % 25)).collect();
        let want: Vec<String> = (0..25).map(|k| format!("e{k}")).collect();
        assert_eq!(dedup(many.into_iter()), want);
    }
}
