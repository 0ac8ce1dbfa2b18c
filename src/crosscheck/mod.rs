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

/// The output of the cross-check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Topics, each with its claims.
    pub topics: Vec<Topic>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Automatic verdict per claim id.
    pub verdicts: BTreeMap<String, Verdict>,
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
    Analysis { topics, findings: Vec::new(), verdicts }
}
