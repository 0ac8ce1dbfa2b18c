//! One diagnostic type for everything that reports a problem in a file of the project: a file,
//! a line, a byte span in that file's text, what is wrong and what to do. Rendered in rustc's
//! style (with `codespan-reporting`) for people, serialised as JSON for tools.

use crate::span::Span;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use serde::Serialize;

/// How serious a diagnostic is. Errors make `factsite check` fail; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before publishing.
    Error,
    /// Worth a look; publishing is safe.
    Warning,
}

/// A problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, machine-readable kind (`citation-moved`, `broken-link`...).
    pub code: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file, relative to the project root, with `/` separators.
    pub path: String,
    /// 1-based line in that file.
    pub line: usize,
    /// Byte span in the file's text that the message is about, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// A short label on the span.
    pub label: String,
    /// More facts (where the claim was, what the text now reads).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What to do.
    pub help: String,
}

impl Diagnostic {
    /// An error of kind `code` in `path` at `line`.
    pub fn error(code: &str, path: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
            path: path.into(),
            line,
            span: None,
            label: String::new(),
            notes: Vec::new(),
            help: String::new(),
        }
    }

    /// A warning of kind `code` in `path` at `line`.
    pub fn warning(code: &str, path: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, path, line, message) }
    }

    /// Point at `span` of the file's text with a label.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    /// Add a note.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Say what to do.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }

    /// Point at the whole of line `line` of `text` (1-based, `\n` lines), when it exists.
    pub fn at_line(self, text: &str, label: impl Into<String>) -> Diagnostic {
        let line = self.line;
        match line_span(text, line) {
            Some(span) => self.at(span, label),
            None => self,
        }
    }

    /// rustc-style text: `error[code]: message`, `--> path:line:col`, the snippet with the
    /// span underlined, the notes and the help. `text` is the file's text; without it the
    /// snippet is left out.
    pub fn render(&self, text: Option<&str>) -> String {
        let header = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let mut notes = self.notes.clone();
        if !self.help.is_empty() {
            notes.push(format!("help: {}", self.help));
        }
        let report = header.with_code(&self.code).with_message(&self.message).with_notes(notes.clone());
        if let (Some(text), Some(span)) = (text, self.span) {
            if span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end) {
                let file = SimpleFile::new(&self.path, text);
                let report =
                    report.with_labels(vec![Label::primary((), span.start..span.end).with_message(&self.label)]);
                let config = term::Config::default();
                if let Ok(out) = term::emit_into_string(&config, &file, &report) {
                    return out;
                }
            }
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{level}[{}]: {}\n  ┌─ {}:{}\n", self.code, self.message, self.path, self.line);
        for n in &notes {
            out.push_str(&format!("  = {n}\n"));
        }
        out
    }
}

/// The problems of a failed build, as diagnostics (file, line, message, what to do).
pub fn from_build_error(error: &crate::pipeline::BuildError) -> Vec<Diagnostic> {
    use crate::config::ConfigError;
    use crate::pipeline::BuildError;
    match error {
        BuildError::Annotations(errors) => errors
            .iter()
            .map(|e| Diagnostic::error("malformed-annotation", &e.path, e.line, &e.message).help(&e.help))
            .collect(),
        BuildError::Data { path, line, message } => vec![Diagnostic::error("invalid-data", path, *line, message)
            .help("fix the file; `factsite build` runs again once it parses")],
        BuildError::Config(ConfigError::Invalid { path, line, message }) => {
            vec![Diagnostic::error("invalid-config", &path.to_string_lossy(), *line, message)
                .help("fix factsite.toml; every key is described in the README")]
        }
        other => vec![Diagnostic::error("build-failed", "", 1, other.to_string())],
    }
}

/// Give each diagnostic pointing at a whole line its span, from the files' texts.
pub fn with_line_spans(diags: Vec<Diagnostic>, text_of: impl Fn(&str) -> Option<String>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|d| match (d.span, text_of(&d.path)) {
            (None, Some(text)) => d.at_line(&text, "here"),
            _ => d,
        })
        .collect()
}

/// The span of 1-based line `line` of `text` (lines end at `\n`), without its terminator.
pub fn line_span(text: &str, line: usize) -> Option<Span> {
    let start = if line == 1 { 0 } else { text.match_indices('\n').nth(line.checked_sub(2)?)?.0 + 1 };
    let end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
    let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
    Some(Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_snippet_and_help() {
        let text = "un\ndeux trois\nquatre\n";
        let d = Diagnostic::error("citation-changed", "sources/a.txt", 2, "la citation a changé")
            .at(Span::new(8, 13), "ici")
            .help("relisez le verdict");
        let out = d.render(Some(text));
        assert!(out.starts_with("error[citation-changed]: la citation a changé"), "{out}");
        assert!(out.contains("sources/a.txt:2:6"), "{out}");
        assert!(out.contains("deux trois"), "{out}");
        assert!(out.contains("^^^^^ ici"), "{out}");
        assert!(out.contains("help: relisez le verdict"), "{out}");
    }

    #[test]
    fn renders_without_the_file() {
        let d = Diagnostic::warning("x", "a.md", 3, "m").help("h");
        assert_eq!(d.render(None), "warning[x]: m\n  ┌─ a.md:3\n  = help: h\n");
    }

    #[test]
    fn line_spans() {
        let text = "a\r\nbb\n\nc";
        assert_eq!(line_span(text, 1), Some(Span::new(0, 1)));
        assert_eq!(line_span(text, 2), Some(Span::new(3, 5)));
        assert_eq!(line_span(text, 3), Some(Span::new(6, 6)));
        assert_eq!(line_span(text, 4), Some(Span::new(7, 8)));
        assert_eq!(line_span(text, 5), None);
        assert_eq!(line_span(text, 0), None);
    }
}
