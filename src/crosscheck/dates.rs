//! Dates that cannot be right for their source's publication date: a period described as
//! still to come although it had ended before the source was published ("could deploy troops
//! in the second half of 2023" in an article of 2025), and a relative date ("last June") that
//! resolves after the publication, or more than a year and a half before it.

use super::claims::Claim;
use super::evidence::{finding, Evidence, Found};
use super::rules::CrosscheckRules;
use crate::extract::DateMention;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

/// A "last ..." date more than this many months before publication points at the wrong year.
const RELATIVE_REACH: i32 = 18;

/// Months since year 0 of a day.
pub fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

/// Months since year 0 of an ISO 8601 value (`2025`, `2025-06`, `2024-03-14`): first and last.
fn iso_months(iso: &str) -> Option<(i32, i32)> {
    let mut parts = iso.trim().splitn(3, '-');
    let year: i32 = parts.next()?.get(..4)?.parse().ok()?;
    match parts.next() {
        Some(m) => {
            let month: i32 = m.get(..2)?.parse().ok()?;
            (1..=12).contains(&month).then_some((year * 12 + month - 1, year * 12 + month - 1))
        }
        None => Some((year * 12, year * 12 + 11)),
    }
}

/// The months a date mention covers: its range when it has one, else its value.
pub fn months(d: &DateMention) -> Option<(i32, i32)> {
    if let Some([a, b]) = &d.range {
        if let (Some(a), Some(b)) = (iso_months(a), iso_months(b)) {
            return Some((a.0, b.1));
        }
    }
    iso_months(d.value.as_deref()?)
}

fn month_name(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

fn resolved(d: &DateMention, (a, b): (i32, i32)) -> String {
    match (&d.range, d.value.as_deref()) {
        (None, Some(v)) => v.to_string(),
        _ if a == b => month_name(a),
        _ => format!("{} – {}", month_name(a), month_name(b)),
    }
}

/// The summaries of the dates of each claim that cannot be right (claims judged in parallel),
/// for [`record`].
pub fn find(claims: &[Claim], rules: &CrosscheckRules) -> Vec<Vec<String>> {
    claims.par_iter().map(|c| anachronisms_of(c, rules)).collect()
}

/// Anachronism findings, one per date that cannot be right, and their evidence, from what
/// [`find`] found, in claim order.
pub fn record(found: Vec<Vec<String>>, claims: &[Claim], evidence: &mut Evidence, findings: &mut Vec<Found>) {
    for (i, summaries) in found.into_iter().enumerate() {
        for summary in summaries {
            evidence.anachronism[i].get_or_insert_with(|| summary.clone());
            findings.push((i, finding("anachronism", vec![claims[i].record.id.clone()], summary)));
        }
    }
}

/// The summary of each date of one claim that cannot be right, in the claim's order.
fn anachronisms_of(c: &Claim, rules: &CrosscheckRules) -> Vec<String> {
    let mut out = Vec::new();
    let Some(published) = c.published else { return out };
    if c.record.dates.is_empty() {
        return out;
    }
    let now = month_index(published);
    let prospective = c.prospective();
    for (d, &(span, relative)) in c.record.dates.iter().zip(&c.dates) {
        let Some(span) = span else { continue };
        let template = if relative && (span.0 > now || span.1 < now - RELATIVE_REACH) {
            "anachronism_relative"
        } else if !relative && prospective && span.1 < now {
            "anachronism_upcoming"
        } else {
            continue;
        };
        let vars = [
            ("date", d.text.clone()),
            ("published", published.to_string()),
            ("resolved", resolved(d, span)),
            ("source", c.source_name.to_string()),
        ];
        out.push(rules.finding(template, &vars));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::crosscheck;
    use super::super::testing::{date, doc};
    use crate::lang::Language;

    #[test]
    fn dates_that_cannot_be_right_for_the_publication_date() {
        let lang = Language::load("fr").unwrap();
        let mut docs = vec![doc(
            "a",
            Some("2024-05-10"),
            &[
                ("Le pays pourrait envoyer des renforts au premier semestre 2022.", &[]),
                ("Le pays pourrait envoyer des renforts au second semestre 2024.", &[]),
                ("Le pays a envoyé des renforts au premier semestre 2022.", &[]),
                ("Le traité signé en mars dernier est en vigueur.", &[]),
                ("Le traité signé en avril dernier est en vigueur.", &[]),
            ],
        )];
        date(&mut docs[0], 0, "premier semestre 2022", "2022", Some(["2022-01", "2022-06"]));
        date(&mut docs[0], 1, "second semestre 2024", "2024", Some(["2024-07", "2024-12"]));
        date(&mut docs[0], 2, "premier semestre 2022", "2022", Some(["2022-01", "2022-06"]));
        date(&mut docs[0], 3, "mars dernier", "2024-03", None);
        date(&mut docs[0], 4, "avril dernier", "2022-04", None);
        let a = crosscheck(&docs, None, &lang);
        let found: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.kind == "anachronism")
            .flat_map(|f| f.claims.iter().map(|c| c.as_str()))
            .collect();
        assert_eq!(found, ["a-0", "a-4"]);
        let f = a.findings.iter().find(|f| *f.claims == ["a-0"]).unwrap();
        assert!(f.summary.contains("premier semestre 2022") && f.summary.contains("2024-05-10"), "{}", f.summary);
        assert_eq!(&*a.verdicts["a-0"].label, "inconsistent");
        // No publication date: nothing to judge against.
        docs[0].record.meta.published = None;
        assert!(crosscheck(&docs, None, &lang).findings.iter().all(|f| f.kind != "anachronism"));
    }
}
