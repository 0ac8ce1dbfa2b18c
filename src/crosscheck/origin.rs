//! Independence of sources: claims of several sources that agree but all rest on one origin
//! (the same agency or speaker cited) are not independent, and a topic that only one source
//! speaks of rests on that source alone.

use super::claims::Claim;
use super::evidence::{finding_keyed, names, Evidence, Found};
use super::rules::CrosscheckRules;
use super::topics::OTHER;
use super::{Finding, Topic};
use rayon::prelude::*;

/// Same-origin findings: one per group of agreeing claims of several sources sharing one
/// origin (groups joined through agreement, by union-find), in the order of their first claim,
/// each with its group's claims. `made` gives what a group made before that still holds (see
/// [`super::last`]).
pub fn same_origin(
    claims: &[Claim],
    rules: &CrosscheckRules,
    evidence: &Evidence,
    made: impl Fn(&[usize]) -> Option<Made> + Sync,
) -> Vec<(Vec<usize>, Finding)> {
    let mut parent: Vec<u32> = (0..claims.len() as u32).collect();
    fn root(parent: &mut [u32], mut i: usize) -> usize {
        while parent[i] as usize != i {
            parent[i] = parent[parent[i] as usize];
            i = parent[i] as usize;
        }
        i
    }
    // (The smaller group joins the larger: an archive's groups hold thousands of claims, and
    // joined the other way their paths grow long.)
    let mut size: Vec<u32> = vec![1; claims.len()];
    // The lists are symmetric: each pair is joined once.
    for a in 0..claims.len() {
        for b in evidence.relayed_by(a).iter().map(|&b| b as usize).filter(|&b| b > a) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                let (small, large) = if size[ra] < size[rb] { (ra, rb) } else { (rb, ra) };
                parent[small] = large as u32;
                size[large] += size[small];
            }
        }
    }
    drop(size);
    // Groups come in the order of their first claim (the first of its claims met here), each
    // in claim order.
    let mut group_of: Vec<u32> = vec![u32::MAX; claims.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..claims.len() {
        if !evidence.relayed_by(i).is_empty() {
            let r = root(&mut parent, i);
            if group_of[r] == u32::MAX {
                group_of[r] = groups.len() as u32;
                groups.push(Vec::new());
            }
            groups[group_of[r] as usize].push(i);
        }
    }
    drop(parent);
    drop(group_of);
    groups
        .into_par_iter()
        .map(|members| {
            let ids = match made(&members) {
                Some(Made::Finding(f)) => return (members, f),
                Some(Made::Ids(ids)) => ids,
                None => members.iter().map(|&i| claims[i].record.id.clone()).collect(),
            };
            // Members are in claim order, so in document order: each document once.
            let one_per_doc: Vec<&Claim> = {
                let mut last = usize::MAX;
                members.iter().map(|&i| &claims[i]).filter(|c| std::mem::replace(&mut last, c.doc) != c.doc).collect()
            };
            let first = &claims[members[0]];
            let vars = [
                ("count", one_per_doc.len().to_string()),
                ("sources", names(one_per_doc.iter().map(|c| (c.name_id, c.source_name)))),
                ("origin", first.origin_label.clone()),
            ];
            // Keyed by the origin and the sources that relay it.
            let mut key: Vec<&str> = one_per_doc.iter().map(|c| c.source).collect();
            key.sort_unstable();
            key.dedup();
            key.insert(0, &first.origin_label);
            let f = finding_keyed("same-origin", &key, ids, rules.finding("same_origin", &vars))
                .titled(rules.finding_title("same_origin", &vars));
            (members, f)
        })
        .collect()
}

/// What a group of claims made in the last run that still holds.
#[derive(Debug)]
pub enum Made {
    /// Its finding: the group is the same, and its claims are read alike.
    Finding(Finding),
    /// Its finding's claims: the group is the same and no claim of it has another id, but some
    /// are read otherwise (the group's largest finding can name thousands of claims).
    Ids(std::sync::Arc<[arcstr::ArcStr]>),
}

/// Single-source findings for topics (other than the catch-all) of several claims that all
/// come from one source.
pub fn single_source_topics(
    claims: &[Claim],
    topics: &[Topic],
    topic_of: &[usize],
    rules: &CrosscheckRules,
    findings: &mut Vec<Found>,
) {
    // Each topic's first claim, and whether a claim of another document follows.
    let mut first: Vec<Option<usize>> = vec![None; topics.len()];
    let mut several = vec![false; topics.len()];
    for (i, &t) in topic_of.iter().enumerate() {
        let f = *first[t].get_or_insert(i);
        several[t] |= claims[i].doc != claims[f].doc;
    }
    for (t, topic) in topics.iter().enumerate() {
        let (Some(i), false) = (first[t], several[t]) else { continue };
        if topic.id == OTHER || topic.claims.len() < 2 {
            continue;
        }
        let vars = [("topic", topic.label.clone()), ("source", claims[i].source_name.to_string())];
        let f = finding_keyed(
            "single-source",
            &["topic", &topic.id],
            std::sync::Arc::clone(&topic.claims),
            rules.finding("single_source_topic", &vars),
        );
        findings.push((i, f));
    }
}
