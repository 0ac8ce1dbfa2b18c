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

/// Entity ids to replace, each by the fuller name it stands for, from the mentions of each
/// document (in source order).
pub fn folds<M: AsRef<[EntityRef]>>(mentions: &[M]) -> BTreeMap<String, Fold> {
    // One (label, kind) per id: the first seen, mentions being in source order.
    // (A hash map: every mention of the archive goes through it. Serve keeps the folds while
    // the mentions stay the same.)
    let mut entities: rustc_hash::FxHashMap<&str, (&str, &str)> = rustc_hash::FxHashMap::default();
    for m in mentions.iter().flat_map(|doc| doc.as_ref()) {
        entities.entry(m.id.as_str()).or_insert((m.label.as_str(), m.kind.as_str()));
    }
    let words = |label: &str| label.split_whitespace().map(|w| w.to_lowercase()).collect::<Vec<String>>();
    // The names of more than one word, by kind and last word.
    let mut fuller: BTreeMap<(&str, String), Vec<(&str, &str)>> = BTreeMap::new();
    let mut alone: Vec<(&str, &str, String)> = Vec::new();
    for (&id, &(label, kind)) in &entities {
        let mut w = words(label);
        match w.len() {
            0 => {}
            1 => alone.push((id, kind, w.pop().unwrap_or_default())),
            _ => fuller.entry((kind, w.pop().unwrap_or_default())).or_default().push((id, label)),
        }
    }
    let mut out = BTreeMap::new();
    for (id, kind, name) in alone {
        if let Some([(to, label)]) = fuller.get(&(kind, name)).map(Vec::as_slice) {
            out.insert(id.to_string(), Fold { id: to.to_string(), label: label.to_string() });
        }
    }
    out
}

/// Replace folded ids in the claims of `doc` (entities and attributions). A document none of
/// whose claims names a folded entity is left as it is (not copied, when shared).
pub fn apply(folds: &BTreeMap<String, Fold>, doc: &mut std::sync::Arc<Document>) {
    let folded = |c: &crate::annotate::ClaimRecord| {
        c.entities.iter().any(|e| folds.contains_key(e))
            || c.attribution.as_ref().and_then(|a| a.entity.as_ref()).is_some_and(|e| folds.contains_key(e))
    };
    if folds.is_empty() || !doc.record.claims.iter().any(folded) {
        return;
    }
    for c in &mut std::sync::Arc::make_mut(doc).record.claims {
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
        let f = folds(&[&mentions[..]]);
        assert_eq!(folds(&[&mentions[..3], &mentions[3..]]), f, "the same, the mentions split by document");
        // Two Martins: ambiguous; Lyon the place is not the club.
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.id.as_str())).collect();
        assert_eq!(pairs, [("durand", "marie-durand")]);

        let mut a = doc("a", None, &[("Durand a parlé à Marie Durand.", &[])]);
        a.record.claims[0].entities = vec!["durand".into(), "marie-durand".into(), "lyon".into()];
        attribute(&mut a, 0, "Durand", Some("durand"));
        let b = doc("b", None, &[("Paul Martin a parlé à Lyon.", &[])]);
        let (mut a, mut b) = (std::sync::Arc::new(a), std::sync::Arc::new(b));
        let (a_was, b_was) = (a.clone(), b.clone());
        apply(&f, &mut a);
        apply(&f, &mut b);
        assert_eq!(a.record.claims[0].entities, ["marie-durand", "lyon"]);
        assert_eq!(a.record.claims[0].attribution.as_ref().unwrap().entity.as_deref(), Some("marie-durand"));
        // Shared documents are copied only when they name a folded entity.
        assert!(!std::sync::Arc::ptr_eq(&a, &a_was) && std::sync::Arc::ptr_eq(&b, &b_was));
        assert_eq!(a_was.record.claims[0].entities, ["durand", "marie-durand", "lyon"]);
        mentions.retain(|m| m.kind == "person");
        assert_eq!(folds(&[mentions]).len(), 1, "the same folds without the other kinds");
    }

    #[test]
    fn an_entity_is_named_as_its_first_mention_names_it() {
        let first = [m("marie-durand", "Marie Durand", "person")];
        let later = [m("marie-durand", "Marie DURAND", "person"), m("durand", "Durand", "person")];
        let mut docs: Vec<&[EntityRef]> = vec![&later[1..]; 500];
        docs.push(&first);
        docs.extend(std::iter::repeat_n(&later[..], 5000));
        let f = folds(&docs);
        assert_eq!(f["durand"], Fold { id: "marie-durand".into(), label: "Marie Durand".into() });
    }
}
