//! Markdown written by people (an editor's rationale, the methodology page) turned into safe
//! HTML, and code highlighted with syntect.
//!
//! The rule for editors' Markdown: **raw HTML is dropped** (block and inline HTML events never
//! reach the output), code blocks are highlighted with class-based spans, heading levels are
//! shifted under the page's own headings, and the result is sanitised with `ammonia` (which
//! removes `javascript:` links and any attribute not on its allowlist, and adds
//! `rel="noopener noreferrer"` to links). So Markdown is the only markup an editor can use.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Highlighting classes carry this prefix (`hl-comment`...), styled by `style.css`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The grammar of factsite's own annotated Markdown, token `factsite-md`.
const ANNOTATED_SYNTAX: &str = include_str!("syntaxes/factsite-annotated.sublime-syntax");

/// The token that selects the annotated-Markdown grammar.
pub const ANNOTATED: &str = "factsite-md";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSet::load_defaults_newlines().into_builder();
        let annotated = SyntaxDefinition::load_from_str(ANNOTATED_SYNTAX, true, None)
            .expect("the built-in annotated-Markdown grammar parses");
        builder.add(annotated);
        builder.build()
    })
}

/// Highlight `code` written in `lang` (a fenced block's info string or a file extension) as
/// HTML spans with classes; unknown languages come back escaped and unstyled.
pub fn highlight(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let token = lang.split([',', ' ']).next().unwrap_or_default();
    let Some(syntax) = set.find_syntax_by_token(token) else {
        return super::escape::html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen.parse_html_for_line_which_includes_newline(line).is_err() {
            return super::escape::html(code);
        }
    }
    gen.finalize()
}

/// A `<pre>` block of highlighted code.
pub fn code_block(code: &str, lang: &str) -> String {
    let lang_class = super::escape::html(lang.split([',', ' ']).next().unwrap_or_default());
    format!("<pre class=\"code\"><code class=\"language-{lang_class}\">{}</code></pre>\n", highlight(code, lang))
}

fn shift(level: HeadingLevel, by: usize) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + by).min(6)).unwrap_or(HeadingLevel::H6)
}

/// Markdown to sanitised HTML; headings are moved `heading_shift` levels down (an `#` in a
/// rationale must not compete with the page's `<h1>`).
pub fn to_html(markdown: &str, heading_shift: usize) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => {} // raw HTML is dropped (see module doc)
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => code.as_mut().expect("in a code block").1.push_str(&text),
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(code_block(&text, &lang).into()));
                }
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                events.push(Event::Start(Tag::Heading { level: shift(level, heading_shift), id, classes, attrs }))
            }
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(shift(level, heading_shift)))),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("pre", ["class"])
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_are_dropped() {
        let html = to_html(
            "Le chiffre est <script>alert(1)</script> **faux** : voir [le rapport](javascript:alert(1)) \
             et [la source](https://exemple.org/a).\n\n<div onclick=\"x()\">bloc</div>\n",
            0,
        );
        assert!(!html.contains("<script") && !html.contains("javascript:") && !html.contains("onclick"), "{html}");
        assert!(html.contains("<strong>faux</strong>"), "{html}");
        assert!(html.contains("href=\"https://exemple.org/a\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn headings_are_shifted_and_code_highlighted() {
        let html = to_html("# Méthode\n\n```rust\nfn main() {}\n```\n", 1);
        assert!(html.contains("<h2>Méthode</h2>"), "{html}");
        assert!(html.contains("class=\"hl-"), "highlighted with classes: {html}");
        assert!(!html.contains("style="), "no inline styles: {html}");
    }

    #[test]
    fn unknown_languages_are_escaped() {
        assert_eq!(highlight("<b>", "pas-un-langage"), "&lt;b&gt;");
    }
}
