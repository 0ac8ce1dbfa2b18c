//! Verdicts: the automatic one from the cross-check's evidence, and the editor's that overrides it.

use super::Topic;
use crate::lang::Language;
use crate::report::Document;
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

/// The automatic verdict of every reported claim.
pub fn automatic(docs: &[Document], _topics: &[Topic], _lang: &Language) -> BTreeMap<String, Verdict> {
    let mut out = BTreeMap::new();
    for doc in docs {
        for c in doc.reported_claims() {
            let v = if c.hedged {
                Verdict {
                    label: "unconfirmed".into(),
                    rationale: format!("The source hedges it ({}).", c.hedge_cues.join(", ")),
                    by: VerdictBy::Auto,
                }
            } else {
                Verdict {
                    label: "single-source".into(),
                    rationale: "Only this source makes this claim.".into(),
                    by: VerdictBy::Auto,
                }
            };
            out.insert(c.id.clone(), v);
        }
    }
    out
}
