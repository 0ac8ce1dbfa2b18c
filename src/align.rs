//! Two runs' lists of the same things, mostly in the same order: matched by walking them side
//! by side rather than by hashing every item (a rebuild compares lists of tens of thousands).

use rustc_hash::FxHashMap;
use std::hash::Hash;

/// Match the items of `before` and `after` by key: `matched` gets each pair of items with the
/// same key. The two are walked side by side; items out of step are set aside until their
/// match comes. Returns the items of `before` and those of `after` that found no match, or
/// `None` when a key comes twice among the items set aside (they cannot be told apart).
pub fn align<K: Hash + Eq, T>(
    before: impl IntoIterator<Item = (K, T)>,
    after: impl IntoIterator<Item = (K, T)>,
    mut matched: impl FnMut(T, T),
) -> Option<(Vec<T>, Vec<T>)> {
    let (mut was, mut is) = (before.into_iter().peekable(), after.into_iter().peekable());
    let mut aside: [FxHashMap<K, T>; 2] = Default::default();
    loop {
        match (was.peek(), is.peek()) {
            (None, None) => break,
            (Some(a), Some(b)) if a.0 == b.0 => {
                let (Some((_, a)), Some((_, b))) = (was.next(), is.next()) else { unreachable!("both peeked") };
                matched(a, b);
            }
            _ => {
                if let Some((key, then)) = was.next() {
                    match aside[1].remove(&key) {
                        Some(now) => matched(then, now),
                        None if aside[0].insert(key, then).is_some() => return None,
                        None => {}
                    }
                }
                if let Some((key, now)) = is.next() {
                    match aside[0].remove(&key) {
                        Some(then) => matched(then, now),
                        None if aside[1].insert(key, now).is_some() => return None,
                        None => {}
                    }
                }
            }
        }
    }
    let [gone, new] = aside;
    Some((gone.into_values().collect(), new.into_values().collect()))
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn items_are_matched_by_key_wherever_they_stand() {
        let keyed = |s: &'static str| s.split(' ').filter(|c| !c.is_empty()).map(|c| (c, c)).collect::<Vec<_>>();
        for (before, after, gone, new) in [
            ("a b c d e", "a b c d e", "", ""),
            ("a b c d e", "a c d e", "b", ""),
            ("a b c d e", "a b x c d e", "", "x"),
            // One item moved far, one renamed.
            ("a b c d e f", "b c d e a g", "f", "g"),
            ("a b", "", "a b", ""),
            ("", "c", "", "c"),
        ] {
            let mut pairs = Vec::new();
            let (mut g, mut n) = align(keyed(before), keyed(after), |a, b| pairs.push((a, b))).unwrap();
            g.sort_unstable();
            n.sort_unstable();
            assert_eq!((g.join(" "), n.join(" ")), (gone.to_string(), new.to_string()), "{before} / {after}");
            assert!(pairs.iter().all(|(a, b)| a == b));
            assert_eq!(pairs.len(), keyed(before).len() - g.len());
        }
        // A key twice among those set aside.
        assert!(align(keyed("a b b"), keyed("c"), |_, _| {}).is_none());
    }
}
