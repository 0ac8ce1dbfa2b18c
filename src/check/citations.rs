//! Citations and annotated files: every claim of an annotated Markdown file re-anchored in the
//! current text of its source (anchored, moved, changed or orphaned), and the file itself well
//! formed (it parses, claim ids are unique, verdicts come from the project's scale).

use super::TextFile;
use crate::annotate::{self, reanchor, Anchoring, ClaimRecord, QuoteContext};
use crate::diagnostic::{line_span, Diagnostic};
use crate::read::{hex_sha256, Source};
use crate::span::{line_at, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One claim and where its quote is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimCheck {
    /// The claim's id.
    pub id: String,
    /// The annotated file recording it.
    pub annotation: String,
    /// Its source.
    pub source: String,
    /// How its quote was found in the source's current text.
    pub status: Anchoring,
    /// The span the annotated file records.
    pub recorded: Span,
    /// Where the quote (or its closest match) is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Span>,
}

/// The `source` of an annotated file's front matter, read leniently so that a file whose claim
/// blocks are malformed still names its source.
pub fn front_matter_source(markdown: &str) -> Option<String> {
    let body = markdown.strip_prefix("+++")?.trim_start_matches(['\r', '\n']);
    let end = body.find("\n+++")?;
    let table: toml::Table = toml::from_str(&body[..end]).ok()?;
    table.get("source")?.as_str().map(str::to_string)
}

/// Check one annotated file against the sources.
pub fn check_annotation(
    file: &TextFile,
    sources: &BTreeMap<String, Result<Source, String>>,
    verdicts: &[String],
) -> (Vec<ClaimCheck>, Vec<Diagnostic>) {
    let doc = match annotate::parse(&file.path, &file.text) {
        Ok(doc) => doc,
        Err(e) => {
            let d = Diagnostic::error("malformed-annotation", &file.path, e.line, e.message)
                .at_line(&file.text, "here")
                .help(format!("{}; `factsite build` leaves a malformed file untouched until it is fixed", e.help));
            return (Vec::new(), vec![d]);
        }
    };
    let mut diags = Vec::new();
    let mut seen = HashSet::new();
    for c in &doc.claims {
        if !c.id.is_empty() && !seen.insert(c.id.as_str()) {
            let line = claim_line(&file.text, c);
            diags.push(
                Diagnostic::error("duplicate-claim-id", &file.path, line, format!("claim id {} is used twice", c.id))
                    .at_line(&file.text, "second block with this id")
                    .help("delete one of the two blocks, keeping the editor's review"),
            );
        }
        if let Some(v) = c.review.verdict.as_deref().filter(|v| !verdicts.iter().any(|s| s == v)) {
            let line =
                find_line(&file.text, &format!("verdict = \"{v}\"")).unwrap_or_else(|| claim_line(&file.text, c));
            diags.push(
                Diagnostic::error(
                    "unknown-verdict",
                    &file.path,
                    line,
                    format!("verdict {v:?} is not on the project's scale"),
                )
                .at_line(&file.text, "this verdict")
                .help(format!("use one of: {} (`verdicts` in factsite.toml)", verdicts.join(", "))),
            );
        }
    }
    let source = match sources.get(&doc.meta.source) {
        Some(Ok(s)) => s,
        other => {
            let why = match other {
                Some(Err(e)) => e.clone(),
                _ => "not found".into(),
            };
            let line = find_line(&file.text, "source = ").unwrap_or(1);
            diags.push(
                Diagnostic::error(
                    "missing-source",
                    &file.path,
                    line,
                    format!("the source {} cannot be read: {why}", doc.meta.source),
                )
                .at_line(&file.text, "annotates this source")
                .help("restore the source, or delete this annotated file if the source was withdrawn on purpose"),
            );
            return (Vec::new(), diags);
        }
    };
    let mut claims = Vec::new();
    for c in &doc.claims {
        let (check, diag) = check_claim(file, source, c);
        claims.push(check);
        diags.extend(diag);
    }
    (claims, diags)
}

fn check_claim(file: &TextFile, source: &Source, c: &ClaimRecord) -> (ClaimCheck, Option<Diagnostic>) {
    let text = &*source.text;
    let context = QuoteContext {
        prefix: c.prefix.as_deref().unwrap_or_default(),
        suffix: c.suffix.as_deref().unwrap_or_default(),
    };
    let found = reanchor(text, &c.quote, c.span, context);
    let status = found.map(|(_, a)| a).unwrap_or(Anchoring::Orphaned);
    let check = ClaimCheck {
        id: c.id.to_string(),
        annotation: file.path.clone(),
        source: source.path.clone(),
        status,
        recorded: c.span,
        found: found.map(|(s, _)| s),
    };
    let recorded_line = c.lines[0].max(1);
    let was = format!("recorded at {}:{recorded_line}: {:?}", source.path, c.quote);
    let name = if c.id.is_empty() { "an editor's claim".to_string() } else { format!("claim {}", c.id) };
    let diag = match found {
        Some((_, Anchoring::Anchored)) if c.anchoring == Anchoring::Orphaned => Some(
            Diagnostic::warning("orphan-found-again", &file.path, claim_line(&file.text, c), format!("{name} is recorded as orphaned but its quote is in the source again"))
                .at_line(&file.text, "this claim")
                .help("run `factsite build` to put it back in the report"),
        ),
        Some((_, Anchoring::Anchored)) => (!c.quote_sha256.is_empty() && hex_sha256(c.quote.as_bytes())[..16] != c.quote_sha256).then(|| {
            Diagnostic::error("quote-edited", &file.path, claim_line(&file.text, c), format!("the quote of {name} does not match its recorded hash"))
                .at_line(&file.text, "this claim")
                .help("the quote was edited by hand: restore it (a quote is the source's exact text), then run `factsite build`")
        }),
        Some((span, Anchoring::Moved)) => Some(
            Diagnostic::warning("citation-moved", &source.path, source.lines.line_of(span.start), format!("the quote of {name} moved in its source"))
                .at(span, "the quote is now here")
                .note(was)
                .help("run `factsite build` to update the citation"),
        ),
        Some((span, _)) => Some(
            Diagnostic::error("citation-changed", &source.path, source.lines.line_of(span.start), format!("the source's wording of {name} changed"))
                .at(span, "closest text now")
                .note(was)
                .help(format!("review the claim in {} against the new wording, then run `factsite build`", file.path)),
        ),
        None => Some(
            Diagnostic::error("citation-orphaned", &file.path, claim_line(&file.text, c), format!("{name} is no longer found in its source"))
                .at_line(&file.text, "this claim")
                .note(was)
                .help("its review is kept here: set `quote` to the source's current wording (its exact text), or delete the block to drop the review"),
        ),
    };
    (check, diag)
}

/// The line of a claim's block in its annotated file: its `id` line, else its `quote` line.
fn claim_line(markdown: &str, c: &ClaimRecord) -> usize {
    let by_id = (!c.id.is_empty()).then(|| find_line(markdown, &format!("id = \"{}\"", c.id))).flatten();
    by_id
        .or_else(|| {
            let quoted = toml::Value::String(c.quote.to_string()).to_string();
            find_line(markdown, &format!("quote = {quoted}"))
        })
        .unwrap_or(1)
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    let at = text.find(needle)?;
    let line = line_at(text, at);
    line_span(text, line).map(|_| line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    const TEXT: &str =
        "Titre\n\nSelon le ministère, 1 200 soldats sont partis en mai 2024. Le reste du texte suit ici.\n";

    fn annotated(text: &str) -> (TextFile, BTreeMap<String, Result<Source, String>>) {
        let source = Source::from_text("sources/a.txt", text);
        let lang = Language::load("fr").unwrap();
        let seg = crate::segment::segment(&source, &lang);
        let gazetteer = crate::extract::Gazetteer::new(lang.entities.clone());
        let claims = crate::extract::extract(&source, &seg, &lang, &gazetteer);
        let doc = annotate::annotate(&source, &seg, "fr", claims, None, |s| {
            crate::extract::analyze(&source, &seg, s, &lang, &gazetteer)
        });
        assert!(!doc.claims.is_empty(), "the sentence is a claim");
        let md = annotate::write(&doc, &source, &seg);
        (
            TextFile { path: "content/sources/a.md".into(), text: md },
            BTreeMap::from([(source.path.clone(), Ok(source))]),
        )
    }

    fn with_text(
        sources: &BTreeMap<String, Result<Source, String>>,
        text: &str,
    ) -> BTreeMap<String, Result<Source, String>> {
        sources.keys().map(|k| (k.clone(), Ok(Source::from_text(k, text)))).collect()
    }

    fn statuses(file: &TextFile, sources: &BTreeMap<String, Result<Source, String>>) -> (Vec<Anchoring>, Vec<String>) {
        let verdicts = ["faux".to_string()];
        let (claims, diags) = check_annotation(file, sources, &verdicts);
        (claims.iter().map(|c| c.status).collect(), diags.iter().map(|d| d.code.clone()).collect())
    }

    #[test]
    fn each_outcome() {
        let (file, sources) = annotated(TEXT);
        assert_eq!(statuses(&file, &sources), (vec![Anchoring::Anchored], vec![]));

        let moved = with_text(&sources, &format!("Chapeau ajouté.\n\n{TEXT}"));
        assert_eq!(statuses(&file, &moved), (vec![Anchoring::Moved], vec!["citation-moved".into()]));

        let changed = with_text(&sources, &TEXT.replace("1 200", "1 250"));
        assert_eq!(statuses(&file, &changed), (vec![Anchoring::Changed], vec!["citation-changed".into()]));

        let gone = with_text(&sources, "Titre\n\nTout autre chose. Le reste du texte suit ici.\n");
        assert_eq!(statuses(&file, &gone), (vec![Anchoring::Orphaned], vec!["citation-orphaned".into()]));
    }

    #[test]
    fn malformed_files_and_unknown_verdicts_are_reported_at_their_line() {
        let (file, sources) = annotated(TEXT);
        let broken =
            TextFile { text: file.text.replacen("\n[review]\n", "\n[review]\nverdict = \n", 1), ..file.clone() };
        let (_, diags) = check_annotation(&broken, &sources, &[]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "malformed-annotation");
        assert_eq!(broken.text.lines().nth(diags[0].line - 1), Some("verdict = "), "{:?}", diags[0]);

        let odd = TextFile { text: file.text.replacen("\n[review]\n", "\n[review]\nverdict = \"bof\"\n", 1), ..file };
        let (_, codes) = statuses(&odd, &sources);
        assert_eq!(codes, ["unknown-verdict"]);
    }

    #[test]
    fn front_matter_source_survives_broken_claims() {
        assert_eq!(
            front_matter_source("+++\nsource = \"s/a.txt\"\nsha256 = \"x\"\n+++\n```claim\n=\n```\n").as_deref(),
            Some("s/a.txt")
        );
        assert_eq!(front_matter_source("no front matter"), None);
    }
}
