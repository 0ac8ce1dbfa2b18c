//! Escaping for each output context. Source text is hostile until escaped.

/// Escape text for HTML element content and quoted attribute values (also valid XML).
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    // pulldown-cmark's escaping, as tera's: `&`, `<`, `>`, `"` and `'`, found 16 bytes at a time.
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a string cannot fail");
    out
}

/// Escape text for XML content and attributes (the feed, the sitemap): as [`html`], and the
/// characters XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE, U+FFFF) become
/// U+FFFD, so a source holding them cannot make the feed ill-formed.
pub fn xml(s: &str) -> String {
    let forbidden =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if s.contains(forbidden) {
        html(&s.replace(forbidden, "\u{fffd}"))
    } else {
        html(s)
    }
}

/// Serialise a value as JSON for a `<script>` element: `<`, `>` and `&` become `\u003c`...
/// so that a quote holding `</script>` or `<!--` cannot end or confuse the element, and the
/// JavaScript line terminators U+2028/U+2029 are escaped too. The result is still valid JSON,
/// the bytes `serde_json::to_string` gives but for those characters.
pub fn json_for_script<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("a value serialises");
    // Only strings can hold these characters (JSON's own punctuation is none of them), so
    // escaping them anywhere in the text escapes them in strings; most texts have none, and
    // memchr looks for them many bytes at a time.
    let bytes = json.as_bytes();
    let plain = memchr::memchr3(b'<', b'>', b'&', bytes).is_none()
        && memchr::memmem::find(bytes, "\u{2028}".as_bytes()).is_none()
        && memchr::memmem::find(bytes, "\u{2029}".as_bytes()).is_none();
    if plain {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A CSV cell made safe for spreadsheets: a cell a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            html("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(html("« déjà » <é>&"), "« déjà » &lt;é&gt;&amp;");
        assert_eq!(html(""), "");
    }

    #[test]
    fn xml_drops_forbidden_characters() {
        assert_eq!(xml("a\u{1b}[31m <b>\u{0}\tz"), "a\u{fffd}[31m &lt;b&gt;\u{fffd}\tz");
        assert_eq!(xml("fin\u{ffff} & «\u{fffe}»"), "fin\u{fffd} &amp; «\u{fffd}»");
        assert_eq!(xml("ligne\r\n\tsuite é"), "ligne\r\n\tsuite é");
    }

    #[test]
    fn json_in_script_cannot_break_out() {
        let v = serde_json::json!({"q": "Il a dit « </script><script>alert(1)</script> » & <!-- fin\u{2028}"});
        let s = json_for_script(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "escaping keeps the value");
        // serde_json's bytes, then each character escaped by hand.
        let by_hand = |json: String| {
            json.replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
        };
        assert_eq!(s, by_hand(serde_json::to_string(&v).unwrap()), "serde_json's bytes but for the escapes");
        // Next to other multi-byte characters, at either end of a string.
        let edges = serde_json::json!(["\u{2029}é\u{2028}", "€\u{2028}", "\u{2028}", "…", "<"]);
        assert_eq!(json_for_script(&edges), r#"["\u2029é\u2028","€\u2028","\u2028","…","\u003c"]"#);
        // Each escaped character at every place of strings long and short, beside curly
        // apostrophes (which start with the same byte as U+2028), and strings with none.
        for special in ["<", ">", "&", "\u{2028}", "\u{2029}", "’"] {
            for at in 0..40 {
                let text = format!("{}{special}{}’a", "l’é".repeat(at / 5), "b".repeat(at));
                assert_eq!(json_for_script(&text), by_hand(serde_json::to_string(&text).unwrap()), "{text}");
            }
        }
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_defused() {
        for (cell, want) in [
            ("=SOMME(A1:A2)", "'=SOMME(A1:A2)"),
            ("+33 1 23", "'+33 1 23"),
            ("-5 %", "'-5 %"),
            ("@cmd", "'@cmd"),
            ("\tcaché", "'\tcaché"),
            ("\rretour", "'\rretour"),
            ("La Suède a 2 500 chars", "La Suède a 2 500 chars"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
    }
}
