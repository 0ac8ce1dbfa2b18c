//! One span type for everything that points into a source: a claim, a citation, a highlight, a
//! diagnostic. A span is a half-open byte range into the decoded text; lines and columns are
//! derived from it through a [`LineIndex`], never stored separately.

use serde::{Deserialize, Serialize};

/// `[start, end)` UTF-8 byte offsets into a decoded source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// This span moved by `offset` bytes (from line-relative to text-relative, say).
    pub fn shift(&self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    /// True when `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<[usize; 2]> for Span {
    fn from(v: [usize; 2]) -> Self {
        Span { start: v[0], end: v[1] }
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// Where each line of a text starts, so that offsets map to 1-based lines and columns.
/// A line ends at `\n`, `\r\n` or a lone `\r`; the terminator is not part of the line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; always at least one entry.
    starts: Vec<usize>,
    /// Byte offset where each line's content ends (before its terminator).
    ends: Vec<usize>,
}

impl LineIndex {
    /// Index the lines of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut ends = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    ends.push(i);
                    starts.push(i + 1);
                }
                b'\r' => {
                    ends.push(i);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        ends.push(bytes.len());
        // A final terminator does not open an empty last line.
        if starts.len() > 1 && *starts.last().unwrap() == bytes.len() {
            starts.pop();
            ends.pop();
        }
        if bytes.is_empty() {
            return LineIndex { starts: Vec::new(), ends: Vec::new() };
        }
        LineIndex { starts, ends }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True for an empty text.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The content span of 1-based line `n` (without its terminator).
    pub fn line_span(&self, n: usize) -> Span {
        Span::new(self.starts[n - 1], self.ends[n - 1])
    }

    /// The 1-based line holding byte `offset` (an offset on a terminator belongs to its line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// First and last 1-based lines a non-empty span touches.
    pub fn lines_of(&self, span: Span) -> [usize; 2] {
        let last = if span.end > span.start { span.end - 1 } else { span.end };
        [self.line_of(span.start), self.line_of(last)]
    }

    /// 1-based line and 1-based column (in characters) of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        (line, text[start..offset].chars().count() + 1)
    }

    /// Iterate over `(line number, content span)`.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Span)> + '_ {
        self.starts.iter().zip(&self.ends).enumerate().map(|(i, (&s, &e))| (i + 1, Span::new(s, e)))
    }
}

/// The 1-based line of byte `offset` in `text`, counting `\n` only (for TOML and Markdown
/// files, whose parsers report byte offsets).
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_every_terminator() {
        let text = "a\r\nbb\rccc\n\nd";
        let idx = LineIndex::new(text);
        let lines: Vec<&str> = idx.iter().map(|(_, s)| s.slice(text)).collect();
        assert_eq!(lines, ["a", "bb", "ccc", "", "d"]);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(text.len() - 1), 5);
        assert_eq!(idx.lines_of(Span::new(0, 6)), [1, 2]);
    }

    #[test]
    fn final_newline_opens_no_line() {
        assert_eq!(LineIndex::new("x\n").len(), 1);
        assert_eq!(LineIndex::new("").len(), 0);
        assert_eq!(LineIndex::new("\n").len(), 1);
    }

    #[test]
    fn columns_count_characters() {
        let text = "é\nàb";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 5), (2, 2));
    }
}
