//! Cross-document entity folding: a name found alone in one article ("Durand") is the same
//! entity as the fuller name another article gives ("Marie Durand"), when exactly one fuller
//! name of the same kind ends with it. The gazetteer folds known aliases; this folds what only
//! the corpus as a whole can tell.

use crate::extract::EntityRef;
use crate::report::Document;
use std::collections::BTreeMap;

/// The entity a folded id stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
}

/// Entity ids to replace, each by the fuller name it stands for.
pub fn folds<'a>(mentions: impl IntoIterator<Item = &'a EntityRef>) -> BTreeMap<String, Fold> {
    // One (label, kind) per id: the first seen, mentions being in source order.
    let mut entities: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for m in mentions {
        entities.entry(m.id.as_str()).or_insert((m.label.as_str(), m.kind.as_str()));
    }
    let words = |label: &str| label.split_whitespace().map(|w| w.to_lowercase()).collect::<Vec<String>>();
    let mut out = BTreeMap::new();
    for (&id, &(label, kind)) in &entities {
        let short = words(label);
        let [name] = short.as_slice() else { continue };
        let fuller: Vec<(&str, &str)> = entities
            .iter()
            .filter(|(other, (l, k))| {
                let w = words(l);
                **other != id && *k == kind && w.len() > 1 && w.last() == Some(name)
            })
            .map(|(other, (l, _))| (*other, *l))
            .collect();
        if let [(to, label)] = fuller.as_slice() {
            out.insert(id.to_string(), Fold { id: to.to_string(), label: label.to_string() });
        }
    }
    out
}

/// Replace folded ids in the claims of `docs` (entities and attributions) and in `mentions`
/// (which take the fuller entity's label, so their words become its aliases).
pub fn apply<'a>(
    folds: &BTreeMap<String, Fold>,
    docs: &mut [Document],
    mentions: impl IntoIterator<Item = &'a mut EntityRef>,
) {
    if folds.is_empty() {
        return;
    }
    for m in mentions {
        if let Some(to) = folds.get(&m.id) {
            m.id = to.id.clone();
            m.label = to.label.clone();
        }
    }
    for d in docs {
        for c in &mut d.record.claims {
            let mut seen = Vec::with_capacity(c.entities.len());
            for e in c.entities.drain(..) {
                let e = folds.get(&e).map(|f| f.id.clone()).unwrap_or(e);
                if !seen.contains(&e) {
                    seen.push(e);
                }
            }
            c.entities = seen;
            if let Some(a) = c.attribution.as_mut() {
                if let Some(to) = a.entity.as_ref().and_then(|e| folds.get(e)) {
                    a.entity = Some(to.id.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{attribute, doc};
    use super::*;

    fn m(id: &str, label: &str, kind: &str) -> EntityRef {
        EntityRef { id: id.into(), text: label.into(), label: label.into(), kind: kind.into() }
    }

    #[test]
    fn a_surname_alone_folds_into_the_one_full_name_that_ends_with_it() {
        let mut mentions = vec![
            m("marie-durand", "Marie Durand", "person"),
            m("durand", "Durand", "person"),
            m("martin", "Martin", "person"),
            m("paul-martin", "Paul Martin", "person"),
            m("anne-martin", "Anne Martin", "person"),
            m("lyon", "Lyon", "place"),
            m("olympique-lyon", "Olympique Lyon", "organisation"),
        ];
        let f = folds(&mentions);
        // Two Martins: ambiguous; Lyon the place is not the club.
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.id.as_str())).collect();
        assert_eq!(pairs, [("durand", "marie-durand")]);

        let f = folds(&mentions);
        let mut docs = vec![doc("a", None, &[("Durand a parlé à Marie Durand.", &[])])];
        docs[0].record.claims[0].entities = vec!["durand".into(), "marie-durand".into(), "lyon".into()];
        attribute(&mut docs[0], 0, "Durand", Some("durand"));
        apply(&f, &mut docs, mentions.iter_mut());
        assert_eq!(docs[0].record.claims[0].entities, ["marie-durand", "lyon"]);
        assert_eq!(docs[0].record.claims[0].attribution.as_ref().unwrap().entity.as_deref(), Some("marie-durand"));
        assert_eq!(
            (mentions[1].id.as_str(), mentions[1].text.as_str(), mentions[1].label.as_str()),
            ("marie-durand", "Durand", "Marie Durand")
        );
    }
}
