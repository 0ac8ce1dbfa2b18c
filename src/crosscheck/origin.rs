//! Independence of sources: claims of several sources that agree but all rest on one origin
//! (the same agency or speaker cited) are not independent, and a topic that only one source
//! speaks of rests on that source alone.

use super::claims::Claim;
use super::evidence::{finding_keyed, names, Evidence};
use super::rules::CrosscheckRules;
use super::topics::OTHER;
use super::{Finding, Topic};
use std::collections::{BTreeMap, BTreeSet};

/// Same-origin findings: one per group of agreeing claims of several sources sharing one
/// origin (groups joined through agreement, by union-find).
pub fn same_origin(claims: &[Claim], rules: &CrosscheckRules, evidence: &Evidence, findings: &mut Vec<Finding>) {
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (a, others) in evidence.relayed_by.iter().enumerate() {
        for &b in others {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..claims.len() {
        if !evidence.relayed_by[i].is_empty() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
    }
    for members in groups.values() {
        let docs: BTreeSet<usize> = members.iter().map(|&i| claims[i].doc).collect();
        let first = &claims[members[0]];
        let vars = [
            ("count", docs.len().to_string()),
            ("sources", names(members.iter().map(|&i| claims[i].source_name))),
            ("origin", first.origin_label.clone()),
        ];
        let ids = members.iter().map(|&i| claims[i].record.id.clone()).collect();
        // Keyed by the origin and the sources that relay it.
        let mut key: Vec<&str> = members.iter().map(|&i| claims[i].source).collect();
        key.sort_unstable();
        key.dedup();
        key.insert(0, &first.origin_label);
        findings.push(finding_keyed("same-origin", &key, ids, rules.finding("same_origin", &vars)));
    }
}

/// Single-source findings for topics (other than the catch-all) of several claims that all
/// come from one source.
pub fn single_source_topics(
    claims: &[Claim],
    topics: &[Topic],
    topic_of: &[usize],
    rules: &CrosscheckRules,
    findings: &mut Vec<Finding>,
) {
    let mut docs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); topics.len()];
    let mut first: Vec<Option<usize>> = vec![None; topics.len()];
    for (i, &t) in topic_of.iter().enumerate() {
        docs[t].insert(claims[i].doc);
        first[t].get_or_insert(i);
    }
    for (t, topic) in topics.iter().enumerate() {
        let (Some(i), 1) = (first[t], docs[t].len()) else { continue };
        if topic.id == OTHER || topic.claims.len() < 2 {
            continue;
        }
        let vars = [("topic", topic.label.clone()), ("source", claims[i].source_name.to_string())];
        findings.push(finding_keyed(
            "single-source",
            &["topic", &topic.id],
            topic.claims.clone(),
            rules.finding("single_source_topic", &vars),
        ));
    }
}
