//! Stage 2, **segment**: split a source into lines and sentences with exact byte spans, and
//! say which lines are not article prose (title, byline, headings, web-page leftovers).

mod rules;

pub use rules::SegmentRules;

use crate::lang::Language;
use crate::read::Source;
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// What a line of a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// Nothing but white space.
    Blank,
    /// The article's title.
    Title,
    /// Outlet and/or date line.
    Byline,
    /// A section heading.
    Heading,
    /// Web-page leftovers: mode switches, banners, "Laisser un commentaire", a lone "Source".
    Boilerplate,
    /// A bullet item (prose).
    Bullet,
    /// Article prose.
    Prose,
}

impl LineKind {
    /// True for lines whose sentences can hold claims.
    pub fn is_content(self) -> bool {
        matches!(self, LineKind::Prose | LineKind::Bullet)
    }

    /// The export's name for a non-content kind (`report.schema.json`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Blank => "blank",
            LineKind::Title => "title",
            LineKind::Byline => "byline",
            LineKind::Heading => "heading",
            LineKind::Boilerplate => "boilerplate",
            LineKind::Bullet => "bullet",
            LineKind::Prose => "prose",
        }
    }
}

/// One line of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Content span, without the line terminator.
    pub span: Span,
    /// What the line is.
    pub kind: LineKind,
}

/// One sentence (or clause) inside a content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its span, trimmed of surrounding white space; never crosses a line break.
    pub span: Span,
    /// 1-based line it lies on.
    pub line: usize,
}

/// A publication date stated by the source's byline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The day.
    pub date: chrono::NaiveDate,
    /// The time of day, when given.
    pub time: Option<chrono::NaiveTime>,
}

impl Published {
    /// ISO 8601: `2025-06-26` or `2025-06-26T13:16`.
    pub fn iso(&self) -> String {
        match self.time {
            Some(t) => format!("{}T{}", self.date.format("%Y-%m-%d"), t.format("%H:%M")),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// What the text says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// The title line's text.
    pub title: Option<String>,
    /// The outlet named in the byline.
    pub outlet: Option<String>,
    /// The publication date in the byline.
    pub published: Option<Published>,
}

/// A segmented source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Every line, in order.
    pub lines: Vec<Line>,
    /// Every sentence of the content lines, in order.
    pub sentences: Vec<Sentence>,
    /// Title, outlet, date.
    pub meta: DocMeta,
}

/// Segment a source with the rules of `lang`.
pub fn segment(source: &Source, lang: &Language) -> Segmented {
    let text = &*source.text;
    let rules = &lang.segment;
    let mut lines = Vec::with_capacity(source.lines.len());
    let mut sentences = Vec::new();
    for (number, span) in source.lines.iter() {
        let line = span.slice(text);
        let kind = if line.trim().is_empty() {
            LineKind::Blank
        } else if rules.is_boilerplate(line.trim()) {
            LineKind::Boilerplate
        } else {
            LineKind::Prose
        };
        if kind.is_content() {
            for s in split_sentences(line) {
                sentences.push(Sentence { span: s.shift(span.start), line: number });
            }
        }
        lines.push(Line { number, span, kind });
    }
    Segmented { lines, sentences, meta: DocMeta::default() }
}

/// Split one line into trimmed sentence spans (relative to the line).
fn split_sentences(line: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        if matches!(c, '.' | '!' | '?') && bytes.get(i + 1) == Some(&b' ') {
            push_trimmed(line, start, i + 1, &mut out);
            start = i + 1;
        }
    }
    push_trimmed(line, start, line.len(), &mut out);
    out
}

fn push_trimmed(line: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}
