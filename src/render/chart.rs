//! Charts drawn by the build as inline SVG: no chart library runs in the reader's browser.
//! Colours come from CSS classes, so the chart follows dark mode and prints.

use super::escape::html;
use crate::extract::Bound;
use std::fmt::Write;

/// One bar: what one claim says the amount is.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Who says it (shown at the left).
    pub label: String,
    /// The value, `None` for vague amounts (no bar, only the words).
    pub value: Option<f64>,
    /// The figure as written (shown after the bar).
    pub text: String,
    /// How the figure bounds the amount.
    pub bound: Bound,
    /// True when the source hedges it.
    pub hedged: bool,
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 200.0;
const VALUE_W: f64 = 170.0;
const ROW_H: f64 = 30.0;
const LABEL_CHARS: usize = 26;

/// The sign a bound puts before a figure.
pub fn bound_sign(bound: Bound) -> &'static str {
    match bound {
        Bound::Exact | Bound::Vague => "",
        Bound::Approx => "≈ ",
        Bound::Upper => "≤ ",
        Bound::Lower => "≥ ",
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A horizontal bar chart. `id` makes the title and description ids unique on the page;
/// `title` and `desc` are its accessible name and description (the table beside it is the
/// full text alternative).
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let max = bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max);
    let plot_w = WIDTH - LABEL_W - VALUE_W;
    let height = ROW_H * bars.len() as f64 + 10.0;
    let id = html(id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" aria-labelledby=\"{id}-t {id}-d\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        html(title),
        html(desc)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + ROW_H * i as f64;
        let mid = y + ROW_H / 2.0 + 5.0;
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"{:.0}\" y=\"{mid:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 8.0,
            html(&shorten(&b.label, LABEL_CHARS))
        );
        let mut end = LABEL_W;
        if let (Some(v), true) = (b.value, max > 0.0) {
            let w = (v / max * plot_w).max(2.0);
            let class = if b.hedged { "bar hedged" } else { "bar" };
            let _ = write!(
                svg,
                "<rect class=\"{class} bound-{}\" x=\"{LABEL_W:.0}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>",
                bound_name(b.bound),
                y + 5.0,
                ROW_H - 10.0
            );
            end += w;
        }
        let _ = write!(
            svg,
            "<text class=\"chart-value\" x=\"{:.1}\" y=\"{mid:.1}\">{}{}</text>",
            end + 6.0,
            bound_sign(b.bound),
            html(&shorten(&b.text, 24))
        );
    }
    svg.push_str("</svg>");
    svg
}

fn bound_name(bound: Bound) -> &'static str {
    match bound {
        Bound::Exact => "exact",
        Bound::Approx => "approx",
        Bound::Upper => "upper",
        Bound::Lower => "lower",
        Bound::Vague => "vague",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: Option<f64>, text: &str, bound: Bound, hedged: bool) -> Bar {
        Bar { label: label.into(), value, text: text.into(), bound, hedged }
    }

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_text() {
        let svg = bar_chart(
            "cmp-1",
            "Effectifs <annoncés>",
            "Deux chiffres",
            &[
                bar("selon le ministère", Some(1000.0), "1 000 hommes", Bound::Exact, false),
                bar("d'après l'agence & co", Some(500.0), "jusqu'à 500 hommes", Bound::Upper, true),
                bar("des témoins", None, "des milliers", Bound::Vague, false),
            ],
        );
        let doc = scraper::Html::parse_fragment(&svg);
        let rects: Vec<f64> = doc
            .select(&scraper::Selector::parse("rect").unwrap())
            .map(|r| r.value().attr("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(rects.len(), 2, "a vague amount draws no bar");
        assert!((rects[0] - 2.0 * rects[1]).abs() < 0.2, "{rects:?}");
        assert!(svg.contains("Effectifs &lt;annoncés&gt;") && svg.contains("l&#39;agence &amp; co"), "{svg}");
        assert!(svg.contains("≤ jusqu"), "the bound is shown: {svg}");
        assert!(svg.contains("class=\"bar hedged bound-upper\""), "{svg}");
        assert!(svg.contains("aria-labelledby=\"cmp-1-t cmp-1-d\""));
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
