//! Verdicts: the automatic one from the cross-check's evidence, and the editor's that overrides it.

use super::claims::Claim;
use super::evidence::{Evidence, Packed};
use super::rules::CrosscheckRules;
use crate::annotate::ClaimRecord;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who gave a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictBy {
    /// The cross-check.
    Auto,
    /// An editor.
    Editor,
}

/// A verdict on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Machine label (`corroborated`, `disputed`, `single-source`, `unconfirmed`,
    /// `inconsistent`, `unchecked`) or the editor's label from the project's scale.
    pub label: String,
    /// Why.
    pub rationale: String,
    /// Auto or editor.
    pub by: VerdictBy,
}

impl Verdict {
    /// An editor's verdict.
    pub fn editor(label: &str, rationale: &str) -> Verdict {
        Verdict { label: label.into(), rationale: rationale.into(), by: VerdictBy::Editor }
    }

    /// No evidence either way.
    pub fn unchecked() -> Verdict {
        Verdict { label: "unchecked".into(), rationale: String::new(), by: VerdictBy::Auto }
    }
}

/// What the verdicts read of the claims' readings, copied out of them: a build frees the
/// readings (hundreds of megabytes at archive scale) before it writes the verdicts.
pub struct Read {
    /// Each claim as a rationale names it: its id and its source's name.
    names: Packed,
    /// Each claim's origin as named for a reader.
    origins: Packed,
}

impl Read {
    /// What the verdicts read of `claims`.
    pub fn of(claims: &[Claim]) -> Read {
        Read {
            names: Packed::new(claims.len(), |j, out| {
                for part in [&claims[j].record.id, " (", claims[j].source_name, ")"] {
                    out.push_str(part);
                }
            }),
            origins: Packed::new(claims.len(), |j, out| out.push_str(&claims[j].origin_label)),
        }
    }
}

/// At most this many claims are named in a rationale.
const NAMED: usize = 5;

/// The automatic verdict of every claim, from the evidence: inconsistent (the source
/// contradicts itself, or a date cannot be right), disputed (another source disagrees),
/// corroborated (an independent source agrees), unconfirmed (hedged by the source itself),
/// else single-source (with the sources that relay the same origin named, if any).
pub fn automatic(
    records: &[&ClaimRecord],
    read: &Read,
    evidence: &Evidence,
    rules: &CrosscheckRules,
) -> BTreeMap<String, Verdict> {
    let names = &read.names;
    let named = |set: &[u32]| {
        let mut list = String::new();
        for (n, &j) in set.iter().take(NAMED).enumerate() {
            if n > 0 {
                list.push_str(", ");
            }
            list.push_str(names.get(j as usize));
        }
        if set.len() > NAMED {
            list.push_str(", …");
        }
        list
    };
    let mut verdicts: Vec<(String, Verdict)> = records
        .par_iter()
        .enumerate()
        .map(|(i, record)| {
            let (label, rationale) = if !evidence.contradicts(i).is_empty() {
                ("inconsistent", rules.rationale("inconsistent", &[("claims", named(evidence.contradicts(i)))]))
            } else if let Some(summary) = &evidence.anachronism[i] {
                ("inconsistent", summary.clone())
            } else if !evidence.disputed_by(i).is_empty() {
                ("disputed", rules.rationale("disputed", &[("claims", named(evidence.disputed_by(i)))]))
            } else if !evidence.corroborated_by(i).is_empty() {
                ("corroborated", rules.rationale("corroborated", &[("claims", named(evidence.corroborated_by(i)))]))
            } else if record.hedged {
                ("unconfirmed", rules.rationale("unconfirmed", &[("cues", record.hedge_cues.join(", "))]))
            } else if !evidence.relayed_by(i).is_empty() {
                let vars = [("claims", named(evidence.relayed_by(i))), ("origin", read.origins.get(i).to_string())];
                ("single-source", rules.rationale("same_origin", &vars))
            } else {
                ("single-source", rules.rationale("single_source", &[]))
            };
            (record.id.clone(), Verdict { label: label.into(), rationale, by: VerdictBy::Auto })
        })
        .collect();
    // As if inserted one by one in claim order: the last of equal ids wins. Sorted in parallel
    // (a stable sort, so that equal ids keep their order) before the map sorts it again.
    verdicts.par_sort_by(|a, b| a.0.cmp(&b.0));
    verdicts.into_iter().collect()
}
