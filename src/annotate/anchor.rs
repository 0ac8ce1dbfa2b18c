//! Re-anchoring: find a claim's quote again in a source text that may have changed since the
//! claim was recorded. The strategy is the one web annotation tools use (a text-quote selector
//! with a position hint): the exact quote at its recorded span, then the exact quote elsewhere
//! (the occurrence whose context matches, else the nearest), then the text between the recorded
//! prefix and suffix, then a fuzzy match near the old position. Each step is less certain than
//! the one before, and the result says which one found it.

use super::record::Anchoring;
use crate::span::Span;

/// How many characters of context a claim records on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// Least similarity (0 to 1, by edit distance) for a fuzzy match found without context.
const FUZZY_MIN: f64 = 0.75;
/// Least similarity for the text between the recorded prefix and suffix: the context vouches
/// for the place, so the wording may have changed more.
const CONTEXT_MIN: f64 = 0.5;

/// The text recorded around a quote, to tell repeated quotes apart and to find a reworded one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteContext<'a> {
    /// Text just before the quote.
    pub prefix: &'a str,
    /// Text just after the quote.
    pub suffix: &'a str,
}

/// The context of `span` in `text`: up to [`CONTEXT_CHARS`] characters on each side.
pub fn context_of(text: &str, span: Span) -> (String, String) {
    let (prefix, suffix) = context_spans(text, span);
    (prefix.slice(text).to_string(), suffix.slice(text).to_string())
}

/// Where the context of `span` in `text` lies (see [`context_of`]).
pub fn context_spans(text: &str, span: Span) -> (Span, Span) {
    let before = &text[..span.start];
    let prefix_start = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map(|(i, _)| i).unwrap_or(0);
    let after = &text[span.end..];
    let suffix_end = after.char_indices().nth(CONTEXT_CHARS).map(|(i, _)| i).unwrap_or(after.len());
    (Span::new(prefix_start, span.start), Span::new(span.end, span.end + suffix_end))
}

/// Find `quote` in `text` again: at `old` if it is still there, else at the occurrence nearest
/// to `old`, else approximately near `old`. `None` when the text no longer holds the quote.
pub fn anchor(text: &str, quote: &str, old: Span) -> Option<(Span, Anchoring)> {
    reanchor(text, quote, old, QuoteContext::default())
}

/// [`anchor`] with the context recorded around the quote.
pub fn reanchor(text: &str, quote: &str, old: Span, context: QuoteContext<'_>) -> Option<(Span, Anchoring)> {
    if quote.is_empty() {
        return None;
    }
    if text.get(old.start..old.end) == Some(quote) {
        return Some((old, Anchoring::Anchored));
    }
    if let Some(span) = exact_elsewhere(text, quote, old, context) {
        return Some((span, Anchoring::Moved));
    }
    if let Some(span) = between_context(text, quote, old, context) {
        return Some((span, Anchoring::Changed));
    }
    fuzzy_near(text, quote, old, context).map(|span| (span, Anchoring::Changed))
}

fn exact_elsewhere(text: &str, quote: &str, old: Span, context: QuoteContext<'_>) -> Option<Span> {
    text.match_indices(quote)
        .map(|(i, _)| Span::new(i, i + quote.len()))
        .min_by_key(|s| (std::cmp::Reverse(context_score(text, *s, context)), s.start.abs_diff(old.start)))
}

/// 0, 1 or 2: how many sides of the recorded context still surround `span`.
fn context_score(text: &str, span: Span, context: QuoteContext<'_>) -> u8 {
    let before = !context.prefix.is_empty() && text[..span.start].ends_with(context.prefix);
    let after = !context.suffix.is_empty() && text[span.end..].starts_with(context.suffix);
    before as u8 + after as u8
}

/// The best match of the quote between an occurrence of the prefix and the next occurrence of
/// the suffix: the context vouches for the place, so a looser match is accepted.
fn between_context(text: &str, quote: &str, old: Span, context: QuoteContext<'_>) -> Option<Span> {
    if context.prefix.trim().is_empty() || context.suffix.trim().is_empty() {
        return None;
    }
    let max_gap = quote.len() * 2 + 64;
    text.match_indices(context.prefix)
        .filter_map(|(i, p)| {
            let start = i + p.len();
            let gap = text[start..].find(context.suffix).filter(|g| *g <= max_gap)?;
            best_window(text, quote, Span::new(start, start + gap), old, CONTEXT_MIN, context)
        })
        .min_by_key(|s| s.start.abs_diff(old.start))
}

/// A fuzzy match within a few quote lengths of the old position.
fn fuzzy_near(text: &str, quote: &str, old: Span, context: QuoteContext<'_>) -> Option<Span> {
    let reach = quote.len() * 4 + 512;
    let lo = floor_char(text, old.start.min(text.len()).saturating_sub(reach));
    let hi = floor_char(text, (old.end + reach).min(text.len()));
    best_window(text, quote, Span::new(lo, hi), old, FUZZY_MIN, context)
}

/// The window of `region` most like the quote, of about the quote's length in words, starting
/// and ending at word boundaries, when its similarity reaches `min`. Words are compared first
/// (cheap) to keep a few candidates, then characters decide; ties go to the nearest to `old`.
fn best_window(text: &str, quote: &str, region: Span, old: Span, min: f64, context: QuoteContext<'_>) -> Option<Span> {
    let words = words(text, region);
    let quote_words: Vec<&str> = words_of(quote);
    let n = quote_words.len();
    if n == 0 || words.is_empty() {
        return None;
    }
    let slack = (n / 4).max(1);
    let mut candidates: Vec<(usize, Span)> = Vec::new();
    for i in 0..words.len() {
        for len in n.saturating_sub(slack).max(1)..=n + slack {
            let Some(last) = words.get(i + len - 1) else { break };
            let window: Vec<&str> = words[i..i + len].iter().map(|w| w.slice(text)).collect();
            candidates.push((levenshtein(&window, &quote_words), Span::new(words[i].start, last.end)));
        }
    }
    candidates.sort_by_key(|(d, s)| (*d, s.start.abs_diff(old.start), s.len()));
    candidates
        .into_iter()
        .take(8)
        .map(|(_, s)| {
            let sim = similarity(quote, s.slice(text)) + 0.1 * context_score(text, s, context) as f64;
            (sim, s)
        })
        .filter(|(sim, _)| *sim >= min)
        .max_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| b.1.start.abs_diff(old.start).cmp(&a.1.start.abs_diff(old.start)))
        })
        .map(|(_, s)| s)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn words_of(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// Spans of the whitespace-separated words inside `within`.
fn words(text: &str, within: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in within.slice(text).char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(Span::new(within.start + s, within.start + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span::new(within.start + s, within.end));
    }
    out
}

/// 1 minus the character edit distance over the longer length: 1 for equal texts.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(&a, &b) as f64 / longest as f64
}

fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let next = (diag + usize::from(x != y)).min(row[j] + 1).min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUOTE: &str = "Selon le ministère, 1 200 soldats auraient quitté la base en mai.";

    fn span_of(text: &str, part: &str) -> Span {
        let i = text.find(part).unwrap();
        Span::new(i, i + part.len())
    }

    #[test]
    fn anchor_prefers_the_old_place_then_the_nearest() {
        let text = "A dit. B dit. A dit.";
        assert_eq!(anchor(text, "A dit.", Span::new(0, 6)), Some((Span::new(0, 6), Anchoring::Anchored)));
        assert_eq!(anchor(text, "A dit.", Span::new(13, 19)), Some((Span::new(14, 20), Anchoring::Moved)));
        assert_eq!(anchor(text, "Rien de tel ici.", Span::new(0, 6)), None);
    }

    #[test]
    fn context_tells_repeated_quotes_apart() {
        let text = "Lundi : A dit. Mardi : A dit. Mercredi : rien.";
        let context = QuoteContext { prefix: "Mardi : ", suffix: " Mercredi" };
        // The old span points nowhere useful (text inserted before it); the context decides.
        let found = reanchor(text, "A dit.", Span::new(0, 6), context).unwrap();
        let second = text.rfind("A dit.").unwrap();
        assert_eq!(found, (Span::new(second, second + 6), Anchoring::Moved));
    }

    #[test]
    fn a_reworded_quote_is_found_between_its_context() {
        let old = format!("Titre.\n\n{QUOTE} La suite.");
        let old_span = span_of(&old, QUOTE);
        let (prefix, suffix) = context_of(&old, old_span);
        let reworded = "Selon le ministère, près de 1 300 soldats ont quitté la base en mai.";
        let new = format!("Titre.\n\nUn ajout.\n\n{reworded} La suite.");
        let ctx = QuoteContext { prefix: &prefix, suffix: &suffix };
        assert_eq!(reanchor(&new, QUOTE, old_span, ctx), Some((span_of(&new, reworded), Anchoring::Changed)));
    }

    #[test]
    fn a_slightly_changed_quote_is_found_near_its_old_place_without_context() {
        let old = format!("Avant. {QUOTE} Après.");
        let changed = QUOTE.replace("1 200", "1 250").replace("mai", "juin");
        let new = format!("Avant, longtemps. {changed} Après.");
        assert_eq!(anchor(&new, QUOTE, span_of(&old, QUOTE)), Some((span_of(&new, &changed), Anchoring::Changed)));
    }

    #[test]
    fn a_rewritten_sentence_is_not_found() {
        let old = format!("Avant. {QUOTE} Après.");
        let new = "Avant. Phrase réécrite. Après.";
        let span = span_of(&old, QUOTE);
        let (prefix, suffix) = context_of(&old, span);
        assert_eq!(reanchor(new, QUOTE, span, QuoteContext { prefix: &prefix, suffix: &suffix }), None);
    }

    #[test]
    fn context_stops_at_character_boundaries() {
        let text = "é".repeat(40) + "Q" + &"à".repeat(40);
        let (p, s) = context_of(&text, Span::new(80, 81));
        assert_eq!((p.chars().count(), s.chars().count()), (CONTEXT_CHARS, CONTEXT_CHARS));
    }
}
