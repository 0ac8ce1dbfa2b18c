//! Opposite statements, as far as rules can see them: a claim holding an `affirm` cue of a cue
//! pair ("a officiellement confirmé") and one holding its `deny` cue ("aucune confirmation
//! officielle") that share a content word besides the cues. Between sources it is a conflict;
//! inside one source, an internal inconsistency. Claims are bucketed by cue pair and indexed by
//! stem, so the cost is linear in the claims that hold a cue.

use super::claims::{Claim, Lexicon, Reader};
use super::evidence::{excerpt_around, finding, names, Evidence, Found, CAP};
use super::rules::{CrosscheckRules, Cues};
use std::collections::{BTreeMap, BTreeSet};

/// Conflict and internal-inconsistency findings from opposite-statement cues.
pub fn conflicts(
    claims: &[Claim],
    rules: &CrosscheckRules,
    reader: &Reader,
    lexicon: &Lexicon,
    evidence: &mut Evidence,
    findings: &mut Vec<Found>,
) {
    for (p, (pair, (affirm_cues, deny_cues))) in rules.conflicts.iter().zip(reader.conflicts()).enumerate() {
        // The cues' own stems (those some claim has) say nothing of what the claims are about.
        let cue_stems: BTreeSet<u32> = pair
            .affirm
            .iter()
            .chain(&pair.deny)
            .flat_map(|c| reader.content_words(c).into_iter().filter_map(|(_, _, s)| lexicon.id(&s)))
            .collect();
        let quote =
            |i: usize, cues: &Cues| excerpt_around(&claims[i].record.quote, cues.first(&claims[i].text).unwrap_or(""));
        let deny: Vec<usize> = (0..claims.len()).filter(|&i| claims[i].denies(p)).collect();
        let affirm: Vec<usize> = (0..claims.len()).filter(|&i| claims[i].affirms(p) && !claims[i].denies(p)).collect();
        if deny.is_empty() || affirm.is_empty() {
            continue;
        }
        let object = |i: usize| claims[i].stems.iter().filter(|s| !cue_stems.contains(*s));
        let mut index: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for &a in &affirm {
            for &s in object(a) {
                index.entry(s).or_default().push(a);
            }
        }
        for &d in &deny {
            let mut against: BTreeSet<usize> = BTreeSet::new();
            for s in object(d) {
                if let Some(list) = index.get(s) {
                    against.extend(list.iter().take(CAP));
                }
            }
            let (inside, outside): (Vec<usize>, Vec<usize>) = against
                .into_iter()
                .take(CAP)
                .partition(|&a| claims[a].doc == claims[d].doc && claims[a].origin_id == claims[d].origin_id);
            for &a in inside.iter().chain(&outside) {
                evidence.disagree(claims, a, d);
            }
            if !outside.is_empty() {
                let mut ids: Vec<arcstr::ArcStr> = outside.iter().map(|&a| claims[a].record.id.clone()).collect();
                ids.push(claims[d].record.id.clone());
                let vars = [
                    ("affirm_sources", names(outside.iter().map(|&a| (claims[a].name_id, claims[a].source_name)))),
                    ("affirm", quote(outside[0], affirm_cues)),
                    ("deny_sources", claims[d].source_name.to_string()),
                    ("deny", quote(d, deny_cues)),
                ];
                let first = outside.iter().copied().fold(d, usize::min);
                let f = finding("conflict", ids, rules.finding("conflict", &vars))
                    .titled(rules.finding_title("conflict", &vars));
                findings.push((first, f));
            }
            for &a in &inside {
                let vars = [
                    ("source", claims[d].source_name.to_string()),
                    ("affirm", quote(a, affirm_cues)),
                    ("deny", quote(d, deny_cues)),
                ];
                let ids = vec![claims[a].record.id.clone(), claims[d].record.id.clone()];
                let f = finding("internal-inconsistency", ids, rules.finding("internal_conflict", &vars));
                findings.push((a.min(d), f));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::crosscheck;
    use super::super::testing::doc;
    use crate::lang::Language;

    #[test]
    fn opposite_statements_conflict_between_sources_and_within_one() {
        let lang = Language::load("fr").unwrap();
        let docs = vec![
            doc(
                "a",
                None,
                &[
                    ("Aucune confirmation officielle n'a été donnée sur l'envoi des renforts.", &[]),
                    ("Le pays a officiellement confirmé l'envoi des renforts.", &[]),
                    ("Le ministère a officiellement confirmé la date du sommet.", &[]),
                ],
            ),
            doc("b", None, &[("Le gouvernement a officiellement confirmé l’envoi de renforts au front.", &[])]),
            doc("c", None, &[("Le porte-parole nie toute présence de renforts.", &[])]),
        ];
        let a = crosscheck(&docs, None, &lang);
        let kinds: Vec<(&str, Vec<&str>)> = a
            .findings
            .iter()
            .filter(|f| f.kind == "conflict" || f.kind == "internal-inconsistency")
            .map(|f| (f.kind.as_str(), f.claims.iter().map(|c| c.as_str()).collect()))
            .collect();
        assert!(kinds.contains(&("conflict", vec!["b-0", "a-0"])), "{kinds:?}");
        assert!(kinds.contains(&("internal-inconsistency", vec!["a-1", "a-0"])), "{kinds:?}");
        assert!(kinds.contains(&("conflict", vec!["a-1", "b-0", "c-0"])), "{kinds:?}");
        // The summit has nothing to do with the reinforcements.
        assert!(kinds.iter().all(|(_, c)| !c.contains(&"a-2")), "{kinds:?}");
        assert_eq!(&*a.verdicts["b-0"].label, "disputed");
        assert_eq!(&*a.verdicts["a-0"].label, "inconsistent");
        let f = a.findings.iter().find(|f| f.kind == "conflict").unwrap();
        assert!(f.summary.contains("officiellement confirmé"), "{}", f.summary);
    }
}
