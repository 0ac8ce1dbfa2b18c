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

    #[test]
    fn an_item_moved_far_leaves_the_items_it_passes_in_step() {
        // Moved across a key that comes twice: stepping over the moved item keeps both in step
        // (set aside, they could not be told apart).
        for (before, after) in [("a x b b c", "a b b x c"), ("a b b x c", "a x b b c")] {
            let keyed = |s: &'static str| s.split(' ').map(|c| (c, c)).collect::<Vec<_>>();
            let mut pairs = Vec::new();
            let (gone, new) = align(keyed(before), keyed(after), |a, b| pairs.push((a, b))).expect("aligned");
            assert!(gone.is_empty() && new.is_empty(), "{before} / {after}");
            assert_eq!(pairs.len(), 5);
            assert!(pairs.iter().all(|(a, b)| a == b));
        }
    }

    #[test]
    fn lists_of_distinct_keys_match_as_sets_do() {
        // Lists of distinct keys, edited at random (items moved, taken out, put in, swapped):
        // every key of both is matched, whatever the order; the others are returned.
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for _ in 0..500 {
            let before: Vec<u64> = (0..next(40)).collect();
            let mut after = before.clone();
            let mut fresh = 1000;
            for _ in 0..next(5) {
                let len = after.len() as u64;
                match next(4) {
                    0 if len > 0 => {
                        let item = after.remove(next(len) as usize);
                        after.insert(next(len) as usize, item);
                    }
                    1 if len > 0 => {
                        after.remove(next(len) as usize);
                    }
                    2 => {
                        after.insert(next(len + 1) as usize, fresh);
                        fresh += 1;
                    }
                    _ if len > 1 => after.swap(next(len) as usize, next(len) as usize),
                    _ => {}
                }
            }
            let keyed = |v: &[u64]| v.iter().map(|&k| (k, k)).collect::<Vec<_>>();
            let mut pairs = Vec::new();
            let (mut gone, mut new) = align(keyed(&before), keyed(&after), |a, b| pairs.push((a, b))).expect("aligned");
            gone.sort_unstable();
            new.sort_unstable();
            assert!(pairs.iter().all(|(a, b)| a == b), "{before:?} / {after:?}");
            let mut matched: Vec<u64> = pairs.iter().map(|&(a, _)| a).collect();
            matched.sort_unstable();
            let mut expected: Vec<u64> = before.iter().copied().filter(|k| after.contains(k)).collect();
            expected.sort_unstable();
            assert_eq!(matched, expected, "{before:?} / {after:?}");
            let only = |a: &[u64], b: &[u64]| {
                let mut only: Vec<u64> = a.iter().copied().filter(|k| !b.contains(k)).collect();
                only.sort_unstable();
                only
            };
            assert_eq!((gone, new), (only(&before, &after), only(&after, &before)), "{before:?} / {after:?}");
        }
    }
}
