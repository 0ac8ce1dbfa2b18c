//! Verdicts: the automatic one from the cross-check's evidence, and the editor's that overrides it.

use super::claims::Claim;
use super::evidence::{Evidence, Packed};
use super::rules::CrosscheckRules;
use crate::annotate::ClaimRecord;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Who gave a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictBy {
    /// The cross-check.
    Auto,
    /// An editor.
    Editor,
}

/// A verdict on a claim. Its text is shared: a rebuild of `factsite serve` copies every claim's
/// verdict from the last run (tens of thousands), and a copy is then a count, not the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Machine label (`corroborated`, `disputed`, `single-source`, `unconfirmed`,
    /// `inconsistent`, `unchecked`) or the editor's label from the project's scale.
    pub label: Arc<str>,
    /// Why.
    pub rationale: Arc<str>,
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
        Verdict { label: label("unchecked"), rationale: label(""), by: VerdictBy::Auto }
    }
}

/// The labels the cross-check gives (and the empty text), each made once and shared by every
/// verdict that has it: an archive has hundreds of thousands of verdicts and six labels.
static LABELS: std::sync::LazyLock<[Arc<str>; 7]> = std::sync::LazyLock::new(|| {
    ["corroborated", "disputed", "single-source", "unconfirmed", "inconsistent", "unchecked", ""].map(Arc::from)
});

/// `name`, shared when it is one of the cross-check's labels.
fn label(name: &str) -> Arc<str> {
    LABELS.iter().find(|l| ***l == *name).map_or_else(|| Arc::from(name), Arc::clone)
}

/// Make the verdicts of `verdicts` flagged in `fresh` that give the same rationale share one
/// text: of the verdicts of an archive, many more give a rationale than there are rationales
/// (one that names no claim, or the one claim many dispute), and each is then held once.
/// (The others were copied from the last run, already shared.)
pub fn share_rationales(verdicts: &mut [Verdict], fresh: &[bool]) {
    let mut seen: rustc_hash::FxHashSet<Arc<str>> = rustc_hash::FxHashSet::default();
    for (v, _) in verdicts.iter_mut().zip(fresh).filter(|(_, fresh)| **fresh) {
        match seen.get(&*v.rationale) {
            Some(shared) => v.rationale = Arc::clone(shared),
            None => {
                seen.insert(Arc::clone(&v.rationale));
            }
        }
    }
}

/// What the verdicts read of the claims: each claim's name (its id and its source's name) and
/// its origin as named for a reader.
pub enum Read<'c> {
    /// Copied out of the claims' readings: a build frees the readings (hundreds of megabytes at
    /// archive scale) before it writes the verdicts. What many claims share is copied once:
    /// a source's name, an origin's.
    Copied {
        /// Each claim's record.
        records: &'c [&'c ClaimRecord],
        /// Each claim's source name and origin as named for a reader: numbers into `names`.
        named: Vec<(u32, u32)>,
        /// The sources' names and the origins' as named for a reader, each once.
        names: Packed,
    },
    /// Read from the claims, as they are needed: serve keeps the readings, and works out the
    /// verdicts of a few claims only when one source changed.
    Claims(&'c [Claim<'c>]),
}

impl<'c> Read<'c> {
    /// What the verdicts read of `claims`, whose records are `records` (the same, in the same
    /// order), copied.
    pub fn of(claims: &[Claim], records: &'c [&'c ClaimRecord]) -> Read<'c> {
        debug_assert!(claims.iter().zip(records).all(|(c, r)| std::ptr::eq(c.record, *r)));
        let mut number: FxHashMap<&str, u32> = FxHashMap::default();
        let mut order: Vec<&str> = Vec::new();
        let mut name = |s| {
            *number.entry(s).or_insert_with(|| {
                order.push(s);
                order.len() as u32 - 1
            })
        };
        let named = claims.iter().map(|c| (name(c.source_name), name(&c.origin_label))).collect();
        Read::Copied { records, named, names: Packed::new(order.len(), |k, out| out.push_str(order[k])) }
    }

    /// Write claim `j` as a rationale names it.
    fn name(&self, j: usize, out: &mut String) {
        let (id, source) = match self {
            Read::Copied { records, named, names } => (&records[j].id, names.get(named[j].0 as usize)),
            Read::Claims(claims) => (&claims[j].record.id, claims[j].source_name),
        };
        for part in [id, " (", source, ")"] {
            out.push_str(part);
        }
    }

    /// Claim `i`'s origin as named for a reader.
    fn origin(&self, i: usize) -> &str {
        match self {
            Read::Copied { named, names, .. } => names.get(named[i].1 as usize),
            Read::Claims(claims) => &claims[i].origin_label,
        }
    }
}

/// At most this many claims are named in a rationale.
pub const NAMED: usize = 5;

/// The automatic verdict of claim `i` (whose record is `record`), from the evidence:
/// inconsistent (the source contradicts itself, or a date cannot be right), disputed (another
/// source disagrees), corroborated (an independent source agrees), unconfirmed (hedged by the
/// source itself), else single-source (with the sources that relay the same origin named, if
/// any). It reads the record's hedge, the claim's lists of evidence, the names of the first
/// [`NAMED`] claims of each and the claim's origin.
pub fn of(i: usize, record: &ClaimRecord, read: &Read, evidence: &Evidence, rules: &CrosscheckRules) -> Verdict {
    let named = |set: &[u32]| {
        let mut list = String::new();
        for (n, &j) in set.iter().take(NAMED).enumerate() {
            if n > 0 {
                list.push_str(", ");
            }
            read.name(j as usize, &mut list);
        }
        if set.len() > NAMED {
            list.push_str(", …");
        }
        list
    };
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
        let vars = [("claims", named(evidence.relayed_by(i))), ("origin", read.origin(i).to_string())];
        ("single-source", rules.rationale("same_origin", &vars))
    } else {
        ("single-source", rules.rationale("single_source", &[]))
    };
    Verdict { label: self::label(label), rationale: rationale.into(), by: VerdictBy::Auto }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Verdicts made in a run give one text for one rationale and one for one label; a verdict
    /// copied from the last run is left as it is.
    #[test]
    fn verdicts_made_alike_share_their_texts() {
        let made = |label: &str, rationale: &str| Verdict {
            label: super::label(label),
            rationale: rationale.to_string().into(),
            by: VerdictBy::Auto,
        };
        let mut verdicts = vec![
            made("disputed", "Contredit par a."),
            made("disputed", "Contredit par a."),
            made("disputed", "Contredit par b."),
        ];
        verdicts.push(verdicts[0].clone());
        verdicts[3].rationale = "Contredit par a.".to_string().into();
        let copied = Arc::clone(&verdicts[3].rationale);
        share_rationales(&mut verdicts, &[true, true, true, false]);
        assert!(Arc::ptr_eq(&verdicts[0].rationale, &verdicts[1].rationale));
        assert!(!Arc::ptr_eq(&verdicts[0].rationale, &verdicts[2].rationale));
        assert!(Arc::ptr_eq(&verdicts[3].rationale, &copied) && !Arc::ptr_eq(&copied, &verdicts[0].rationale));
        assert!(verdicts.iter().all(|v| Arc::ptr_eq(&v.label, &verdicts[0].label)));
        assert_eq!(&*verdicts[1].rationale, "Contredit par a.");
        assert!(Arc::ptr_eq(&Verdict::unchecked().label, &Verdict::unchecked().label));
        // A label the cross-check does not give is its own text.
        assert_eq!(&*super::label("faux"), "faux");
    }
}
