//! Topics: an editor-defined taxonomy when the project has one, else one topic per source.

use super::Topic;
use crate::lang::Language;
use crate::report::Document;
use serde::Deserialize;

/// One topic of an editor's taxonomy.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    /// Stable id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Words whose stems place a claim in this topic.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The editor's taxonomy, from `content/topics.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Topics, in display order.
    #[serde(rename = "topic")]
    pub topics: Vec<TopicDef>,
}

/// Put each reported claim into a topic.
pub fn group(docs: &[Document], taxonomy: Option<&Taxonomy>, lang: &Language) -> Vec<Topic> {
    let stemmer = rust_stemmers::Stemmer::create(lang.stemmer);
    let defs: Vec<TopicDef> = taxonomy.map(|t| t.topics.clone()).unwrap_or_default();
    let stems: Vec<Vec<String>> = defs
        .iter()
        .map(|d| d.keywords.iter().map(|k| stemmer.stem(&k.to_lowercase()).into_owned()).collect())
        .collect();
    let mut topics: Vec<Topic> =
        defs.iter().map(|d| Topic { id: d.id.clone(), label: d.label.clone(), claims: Vec::new() }).collect();
    let mut other = Topic { id: "other".into(), label: lang.ui.get("topic_other").into(), claims: Vec::new() };
    for doc in docs {
        for claim in doc.reported_claims() {
            if let Some(t) = claim.review.topic.as_deref().and_then(|id| topics.iter_mut().find(|t| t.id == id)) {
                t.claims.push(claim.id.clone());
                continue;
            }
            let words: Vec<String> = claim
                .quote
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
                .collect();
            let best = stems
                .iter()
                .enumerate()
                .map(|(i, ks)| (ks.iter().filter(|k| words.contains(k)).count(), i))
                .filter(|(n, _)| *n > 0)
                .max_by_key(|&(n, i)| (n, std::cmp::Reverse(i)));
            match best {
                Some((_, i)) => topics[i].claims.push(claim.id.clone()),
                None => other.claims.push(claim.id.clone()),
            }
        }
    }
    if !other.claims.is_empty() {
        topics.push(other);
    }
    topics.retain(|t| !t.claims.is_empty());
    topics
}
