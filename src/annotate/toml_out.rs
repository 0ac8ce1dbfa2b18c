//! The TOML of the front matter and of a claim block, written straight into the Markdown
//! buffer. Serialising through serde and `toml::to_string` cost as much as the rest of the
//! annotated file (a document buffer, a table of insertions and a string per claim); this
//! writes the same bytes, in the same layout the `toml` crate chooses: the plain keys of the
//! table in field order, `None` fields left out, then each sub-table (`[attribution]`, one
//! `[[quantities]]` / `[[dates]]` per element, `[review]`) after a blank line. A test holds it
//! to `toml::to_string` byte for byte, so a field added to the record without being added here
//! fails it.

use super::record::{Anchoring, ClaimRecord, FrontMatter, Origin, Review};
use crate::extract::{Bound, DateMention, Quantity};
use std::fmt::Write as _;

/// The front matter's keys and values, each line ending with a newline.
pub(super) fn front_matter(out: &mut String, m: &FrontMatter) {
    key_str(out, "source", &m.source);
    key_str(out, "sha256", &m.sha256);
    key_str(out, "encoding", &m.encoding);
    opt_str(out, "title", m.title.as_deref());
    opt_str(out, "outlet", m.outlet.as_deref());
    opt_str(out, "published", m.published.as_deref());
    key_str(out, "language", &m.language);
}

/// A claim block's body.
pub(super) fn claim(out: &mut String, c: &ClaimRecord) {
    key_str(out, "id", &c.id);
    key_str(out, "origin", origin(c.origin));
    if c.anchoring != Anchoring::Anchored {
        key_str(out, "anchoring", anchoring(c.anchoring));
    }
    let _ = writeln!(out, "span = [{}, {}]", c.span.start, c.span.end);
    let _ = writeln!(out, "lines = [{}, {}]", c.lines[0], c.lines[1]);
    key_str(out, "quote_sha256", &c.quote_sha256);
    key_str(out, "quote", &c.quote);
    out.push_str("score = ");
    float32(out, c.score);
    out.push('\n');
    opt_str(out, "topic", c.topic.as_deref());
    out.push_str(if c.hedged { "hedged = true\n" } else { "hedged = false\n" });
    key_strs(out, "hedge_cues", &c.hedge_cues);
    // An empty array is a plain value; a non-empty one is an array of tables, written below.
    if c.quantities.is_empty() {
        out.push_str("quantities = []\n");
    }
    if c.dates.is_empty() {
        out.push_str("dates = []\n");
    }
    key_strs(out, "entities", &c.entities);
    opt_str(out, "prefix", c.prefix.as_deref());
    opt_str(out, "suffix", c.suffix.as_deref());
    if let Some(a) = &c.attribution {
        out.push_str("\n[attribution]\n");
        key_str(out, "text", &a.text);
        opt_str(out, "entity", a.entity.as_deref());
    }
    for q in &c.quantities {
        quantity(out, q);
    }
    for d in &c.dates {
        date(out, d);
    }
    review(out, &c.review);
}

fn quantity(out: &mut String, q: &Quantity) {
    out.push_str("\n[[quantities]]\n");
    key_str(out, "text", &q.text);
    if let Some(v) = q.value {
        out.push_str("value = ");
        float64(out, v);
        out.push('\n');
    }
    opt_str(out, "unit", q.unit.as_deref());
    key_str(out, "bound", bound(q.bound));
}

fn date(out: &mut String, d: &DateMention) {
    out.push_str("\n[[dates]]\n");
    key_str(out, "text", &d.text);
    opt_str(out, "value", d.value.as_deref());
    if let Some(r) = &d.range {
        key_strs(out, "range", r);
    }
}

fn review(out: &mut String, r: &Review) {
    out.push_str("\n[review]\n");
    opt_str(out, "verdict", r.verdict.as_deref());
    opt_str(out, "rationale", r.rationale.as_deref());
    if !r.evidence.is_empty() {
        key_strs(out, "evidence", &r.evidence);
    }
    opt_str(out, "topic", r.topic.as_deref());
    if r.not_a_claim {
        out.push_str("not_a_claim = true\n");
    }
    opt_str(out, "merged_into", r.merged_into.as_deref());
}

fn origin(o: Origin) -> &'static str {
    match o {
        Origin::Extracted => "extracted",
        Origin::Editor => "editor",
    }
}

fn anchoring(a: Anchoring) -> &'static str {
    match a {
        Anchoring::Anchored => "anchored",
        Anchoring::Moved => "moved",
        Anchoring::Changed => "changed",
        Anchoring::Orphaned => "orphaned",
    }
}

fn bound(b: Bound) -> &'static str {
    match b {
        Bound::Exact => "exact",
        Bound::Approx => "approx",
        Bound::Upper => "upper",
        Bound::Lower => "lower",
        Bound::Vague => "vague",
    }
}

fn key_str(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    string(out, value);
    out.push('\n');
}

fn opt_str(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        key_str(out, key, v);
    }
}

fn key_strs(out: &mut String, key: &str, values: &[String]) {
    out.push_str(key);
    out.push_str(" = [");
    for (k, v) in values.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        string(out, v);
    }
    out.push_str("]\n");
}

/// A float as `toml` writes it: a whole number keeps a `.0`, NaN loses its sign.
fn float64(out: &mut String, v: f64) {
    let _ = match (v.is_sign_negative() && !v.is_nan(), v.is_nan(), v == 0.0) {
        (_, true, _) => write!(out, "nan"),
        (true, false, true) => write!(out, "-0.0"),
        (false, false, true) => write!(out, "0.0"),
        (_, false, false) if v % 1.0 == 0.0 => write!(out, "{v}.0"),
        _ => write!(out, "{v}"),
    };
}

fn float32(out: &mut String, v: f32) {
    let _ = match (v.is_sign_negative() && !v.is_nan(), v.is_nan(), v == 0.0) {
        (_, true, _) => write!(out, "nan"),
        (true, false, true) => write!(out, "-0.0"),
        (false, false, true) => write!(out, "0.0"),
        (_, false, false) if v % 1.0 == 0.0 => write!(out, "{v}.0"),
        _ => write!(out, "{v}"),
    };
}

/// A string value, in the form `toml` picks: a basic string when nothing needs escaping,
/// else a literal string, else a multi-line basic or literal one, else an escaped one.
fn string(out: &mut String, s: &str) {
    let b = s.as_bytes();
    // Nearly every string of an article: no quote, backslash or control character. A fold
    // without early exit, which the compiler turns into vector instructions.
    let plain = !b.iter().fold(false, |any, &c| any | (c < 0x20) | (c == 0x7f) | (c == b'"') | (c == b'\\'));
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    let (mut single, mut double, mut max_single, mut max_double) = (0u32, 0u32, 0u32, 0u32);
    let (mut backslash, mut newline, mut control) = (false, false, false);
    for &c in b {
        single = if c == b'\'' { single + 1 } else { 0 };
        double = if c == b'"' { double + 1 } else { 0 };
        max_single = max_single.max(single);
        max_double = max_double.max(double);
        match c {
            b'\\' => backslash = true,
            b'\t' => {}
            b'\n' => newline = true,
            c if c <= 0x1f || c == 0x7f => control = true,
            _ => {}
        }
    }
    // (delimiter, multi-line, escaped)
    let (delim, ml, escaped) = if !control && !backslash && max_double == 0 && !newline {
        ("\"", false, true)
    } else if !control && max_single == 0 && !newline {
        ("'", false, false)
    } else if !control && !backslash && max_double <= 2 {
        ("\"\"\"", true, true)
    } else if !control && max_single <= 2 {
        ("'''", true, false)
    } else if newline {
        ("\"\"\"", true, true)
    } else {
        ("\"", false, true)
    };
    out.push_str(delim);
    if ml && newline {
        out.push('\n');
    }
    if escaped {
        escape_basic(out, s, ml);
    } else {
        out.push_str(s);
    }
    out.push_str(delim);
}

/// The body of a basic string: a run of double quotes longer than the delimiter allows, a
/// backslash and control characters escaped (a newline only on one line).
fn escape_basic(out: &mut String, s: &str, ml: bool) {
    let max_run = if ml { 2 } else { 0 };
    let mut stream = s;
    while !stream.is_empty() {
        let mut plain_end = 0;
        let mut escape = None;
        let mut run = 0;
        for (i, &c) in stream.as_bytes().iter().enumerate() {
            if c == b'"' {
                run += 1;
                if run > max_run {
                    escape = Some("\\\"");
                    break;
                }
            } else {
                run = 0;
            }
            match c {
                0x8 => escape = Some("\\b"),
                0x9 => escape = Some("\\t"),
                0xa if !ml => escape = Some("\\n"),
                0xc => escape = Some("\\f"),
                0xd => escape = Some("\\r"),
                0x5c => escape = Some("\\\\"),
                c if c != b'\n' && (c <= 0x1f || c == 0x7f) => break,
                _ => {}
            }
            if escape.is_some() {
                break;
            }
            plain_end = i + 1;
        }
        out.push_str(&stream[..plain_end]);
        match escape {
            Some(e) => {
                out.push_str(e);
                stream = &stream[plain_end + 1..];
            }
            None => {
                stream = &stream[plain_end..];
                if let Some(&c) = stream.as_bytes().first() {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                    stream = &stream[1..];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{Review, ReviewFields};
    use crate::extract::Attribution;
    use crate::span::Span;

    fn record() -> ClaimRecord {
        ClaimRecord {
            id: "src-0123abcd".into(),
            origin: Origin::Extracted,
            anchoring: Anchoring::Anchored,
            span: Span::new(12, 80),
            lines: [3, 4],
            quote_sha256: "0123abcd4567ef89".into(),
            quote: "Selon le préfet, 1 200 foyers seraient privés d’eau.".into(),
            score: 0.65,
            topic: None,
            hedged: false,
            hedge_cues: vec![],
            attribution: None,
            quantities: vec![],
            dates: vec![],
            entities: vec![],
            prefix: None,
            suffix: None,
            review: Review::default(),
        }
    }

    fn same(c: &ClaimRecord) {
        let mut mine = String::new();
        claim(&mut mine, c);
        assert_eq!(mine, toml::to_string(c).unwrap(), "{c:?}");
    }

    #[test]
    fn strings_are_written_as_toml_writes_them() {
        for s in [
            "",
            "plain ascii-text_1.2/3:4",
            "l’armée a perdu « 2 300 » hommes",
            "un \"guillemet\" droit",
            "l'apostrophe et un \"guillemet\"",
            "deux ''apostrophes'' et \"",
            "trois ''' et \"\"\"",
            "quatre '''' et \"\"\"\"\"",
            "une\nnouvelle ligne",
            "une\nligne avec \"\"\" et '''",
            "\n\ndébut vide",
            "fin\n",
            "tab\tici",
            "retour\r\nchariot",
            "barre \\ oblique",
            "barre \\ et 'apostrophe'",
            "barre \\ et \n ligne",
            "contrôle \u{1} \u{7f} \u{8} \u{c}",
            "contrôle \u{1} et ''' et \"",
            "\"",
            "\"\"",
            "'",
            "a\"\"\"\"\"\"b\nc",
        ] {
            let mut c = record();
            c.quote = s.into();
            c.prefix = Some(s.into());
            c.hedge_cues = vec![s.to_string(), "x".into()];
            same(&c);
        }
    }

    #[test]
    fn floats_are_written_as_toml_writes_them() {
        for v in
            [0.0, -0.0, 1.0, -3.0, 0.1 + 0.2, 1.2e9, 1e21, 1e-7, 2.5e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]
        {
            let mut c = record();
            c.score = v as f32;
            c.quantities = vec![Quantity { text: "x".into(), value: Some(v), unit: None, bound: Bound::Exact }];
            same(&c);
        }
        let mut c = record();
        c.score = -f32::NAN;
        c.quantities = vec![Quantity { text: "x".into(), value: Some(-f64::NAN), unit: None, bound: Bound::Exact }];
        same(&c);
    }

    #[test]
    fn every_field_and_table_in_toml_order() {
        let mut c = record();
        same(&c);
        c.origin = Origin::Editor;
        c.anchoring = Anchoring::Changed;
        c.topic = Some("eau".into());
        c.hedged = true;
        c.hedge_cues = vec!["seraient".into()];
        c.attribution = Some(Attribution { text: "le préfet".into(), entity: Some("prefet".into()) });
        c.quantities = vec![
            Quantity {
                text: "1 200 foyers".into(),
                value: Some(1200.0),
                unit: Some("foyers".into()),
                bound: Bound::Exact,
            },
            Quantity { text: "des milliers".into(), value: None, unit: None, bound: Bound::Vague },
        ];
        c.dates = vec![
            DateMention { text: "mai 2024".into(), value: Some("2024-05".into()), range: None },
            DateMention {
                text: "l’été".into(),
                value: None,
                range: Some(["2024-06".to_string(), "2024-08".to_string()]),
            },
        ];
        c.entities = vec!["prefet".into(), "eau".into()];
        c.prefix = Some("avant\n\n".into());
        c.suffix = Some(" après".into());
        c.review = Review::from(ReviewFields {
            verdict: Some("faux".into()),
            rationale: Some("Voir ```ceci``` et \"\"\"cela\"\"\".\nDeux lignes.".into()),
            evidence: vec!["https://example.org/a?b=c#d".into()],
            topic: Some("autre".into()),
            not_a_claim: true,
            merged_into: Some("src-1".into()),
        });
        same(&c);
        c.attribution = Some(Attribution { text: "elle".into(), entity: None });
        c.quantities.clear();
        same(&c);
        for a in [Anchoring::Moved, Anchoring::Orphaned] {
            c.anchoring = a;
            same(&c);
        }
        for b in [Bound::Approx, Bound::Upper, Bound::Lower] {
            c.quantities = vec![Quantity { text: "x".into(), value: Some(1.5), unit: None, bound: b }];
            same(&c);
        }
    }

    #[test]
    fn front_matter_as_toml_writes_it() {
        let mut m = FrontMatter {
            source: "sources/a.txt".into(),
            sha256: "ab".repeat(32),
            encoding: "UTF-8".into(),
            title: None,
            outlet: None,
            published: None,
            language: "fr".into(),
        };
        let check = |m: &FrontMatter| {
            let mut mine = String::new();
            front_matter(&mut mine, m);
            assert_eq!(mine, toml::to_string(m).unwrap());
        };
        check(&m);
        m.title = Some("Titre \"guillemets\" et l'apostrophe".into());
        m.outlet = Some("L’Écho".into());
        m.published = Some("2024-03-14T08:30".into());
        check(&m);
    }
}
