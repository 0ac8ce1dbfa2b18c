//! Stage 5, **group and cross-check**: put claims into topics, compare the figures that
//! measure the same thing, and record what a reader must know (findings) and an automatic
//! verdict per claim.

mod topics;
mod verdict;

pub use topics::{Taxonomy, TopicDef};
pub use verdict::{Verdict, VerdictBy};

use crate::lang::Language;
use crate::report::Document;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A group of claims about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// Stable id (slug).
    pub id: String,
    /// Display label.
    pub label: String,
    /// Claim ids, in source then text order.
    pub claims: Vec<String>,
}

/// Something the cross-check found that a reader must know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// `discrepancy`, `anachronism`, `single-source`, `same-origin`, `conflict`,
    /// `internal-inconsistency`.
    pub kind: String,
    /// The claims it links.
    pub claims: Vec<String>,
    /// One sentence a reader understands.
    pub summary: String,
}

/// One figure in a comparison: what one claim says about a measured thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// The claim id.
    pub claim: String,
    /// The source id.
    pub source: String,
    /// The figure as written.
    pub text: String,
    /// Normalised value (`None` for vague amounts).
    pub value: Option<f64>,
    /// Exact, approx, upper, lower, vague.
    pub bound: crate::extract::Bound,
    /// Who gives it (attribution text), `None` when the outlet asserts it.
    pub attribution: Option<String>,
    /// When: the claim's resolved date, else the source's publication date (ISO 8601).
    pub date: Option<String>,
    /// True when the source hedges it.
    pub hedged: bool,
}

/// Figures from several claims that measure the same thing (same counted noun or unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Stable id.
    pub id: String,
    /// The topic it belongs to.
    pub topic: String,
    /// What is measured, e.g. "soldats".
    pub measure: String,
    /// One row per figure, in source then text order.
    pub rows: Vec<ComparisonRow>,
}

/// How another claim bears on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The other claim's id.
    pub claim: String,
    /// `corroborates` or `conflicts`.
    pub relation: String,
}

/// The output of the cross-check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Topics, each with its claims.
    pub topics: Vec<Topic>,
    /// Comparable figures, by topic.
    pub comparisons: Vec<Comparison>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Automatic verdict per claim id.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Claims that corroborate or conflict with each claim, by claim id.
    pub related: BTreeMap<String, Vec<Related>>,
}

impl Analysis {
    /// The topic id of every claim.
    pub fn topic_of(&self) -> BTreeMap<&str, &str> {
        self.topics.iter().flat_map(|t| t.claims.iter().map(move |c| (c.as_str(), t.id.as_str()))).collect()
    }
}

/// Group and cross-check the claims of every document.
pub fn crosscheck(docs: &[Document], taxonomy: Option<&Taxonomy>, lang: &Language) -> Analysis {
    let topics = topics::group(docs, taxonomy, lang);
    let verdicts = verdict::automatic(docs, &topics, lang);
    Analysis { topics, verdicts, ..Analysis::default() }
}
