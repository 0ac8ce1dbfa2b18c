//! Claims that say the same thing in other words: within a topic, claims of different sources
//! whose content stems, weighted by rarity, are close enough. Candidates come from an inverted
//! index of the topic's rarer stems, at most [`CAP`] per claim, so the cost stays near-linear.
//! Claims that both carry figures are left to the comparison of figures, and claims already
//! found to disagree are not made to agree.

use super::claims::Claim;
use super::evidence::{Evidence, CAP};
use std::collections::BTreeMap;

/// Cosine similarity (stems weighted by inverse document frequency) from which two claims
/// are taken to say the same thing.
pub const THRESHOLD: f64 = 0.42;
/// Stems in more claims of a topic than this do not propose candidates (they still count).
const COMMON: usize = 64;

/// Record agreement between similar claims of each topic.
pub fn similar(claims: &[Claim], topic_of: &[usize], evidence: &mut Evidence) {
    let n = claims.len() as f64;
    // Terms: stems and phrases of two stems, sorted.
    let terms: Vec<Vec<String>> = claims
        .iter()
        .map(|c| {
            let mut t: Vec<String> = c.stems.iter().chain(&c.phrases).cloned().collect();
            t.sort();
            t
        })
        .collect();
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &terms {
        for s in t {
            *df.entry(s.as_str()).or_default() += 1;
        }
    }
    let idf = |s: &str| ((1.0 + n) / (1.0 + df.get(s).copied().unwrap_or(0) as f64)).ln() + 1.0;
    let norm: Vec<f64> = terms.iter().map(|t| t.iter().map(|s| idf(s).powi(2)).sum::<f64>().sqrt()).collect();

    let mut by_topic: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, t) in topic_of.iter().enumerate() {
        by_topic.entry(*t).or_default().push(i);
    }
    for members in by_topic.values() {
        let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in members {
            for s in &terms[i] {
                index.entry(s.as_str()).or_default().push(i);
            }
        }
        for &i in members {
            let mut shared: BTreeMap<usize, f64> = BTreeMap::new();
            for s in &terms[i] {
                let posting = &index[s.as_str()];
                if posting.len() > COMMON {
                    continue;
                }
                for &j in posting.iter().filter(|&&j| j > i && claims[j].doc != claims[i].doc) {
                    *shared.entry(j).or_default() += idf(s).powi(2);
                }
            }
            let mut best: Vec<(usize, f64)> = shared.into_iter().collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (j, _) in best.into_iter().take(CAP) {
                if !claims[i].figures.is_empty() && !claims[j].figures.is_empty() {
                    continue;
                }
                if evidence.disputed_by[i].contains(&j) {
                    continue;
                }
                let sim = cosine(&terms[i], &terms[j], &idf) / (norm[i] * norm[j]).max(f64::MIN_POSITIVE);
                if sim >= THRESHOLD {
                    evidence.agree(claims, i, j);
                }
            }
        }
    }
}

/// The dot product of two sorted stem lists, each stem weighted by `idf`.
fn cosine(a: &[String], b: &[String], idf: &impl Fn(&str) -> f64) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += idf(&a[i]).powi(2);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::super::crosscheck;
    use super::super::testing::{attribute, doc};
    use crate::lang::Language;

    #[test]
    fn the_same_statement_in_other_words_corroborates_unless_it_has_the_same_origin() {
        let lang = Language::load("fr").unwrap();
        let mut docs = vec![
            doc(
                "a",
                None,
                &[
                    ("Un traité de défense mutuelle a été signé en juin entre les deux capitales.", &[]),
                    ("La météo était clémente sur la côte.", &[]),
                ],
            ),
            doc("b", None, &[("Le traité de défense mutuelle signé en juin prévoit une assistance.", &[])]),
            doc("c", None, &[("Selon l'agence d'État, le traité de défense mutuelle a été signé en juin.", &[])]),
            doc("d", None, &[("L'agence d'État affirme que le traité de défense mutuelle a été signé en juin.", &[])]),
        ];
        attribute(&mut docs[2], 0, "l'agence d'État", Some("agence"));
        attribute(&mut docs[3], 0, "L'agence d'État", Some("agence"));
        let a = crosscheck(&docs, None, &lang);
        assert_eq!(a.verdicts["a-0"].label, "corroborated", "{:?}", a.verdicts["a-0"]);
        assert!(a.verdicts["a-0"].rationale.contains("b-0"));
        assert_eq!(a.verdicts["a-1"].label, "single-source");
        let same: Vec<_> = a.findings.iter().filter(|f| f.kind == "same-origin").collect();
        assert_eq!(same.len(), 1, "{:?}", a.findings);
        assert_eq!(same[0].claims, ["c-0", "d-0"]);
        assert!(same[0].summary.contains("agence"), "{}", same[0].summary);
    }
}
