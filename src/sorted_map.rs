//! A map from string keys to values, kept as one sorted vector.
//!
//! Why not `BTreeMap`: the maps here are small (the profile caps them at a few hundred
//! entries) and are read far more often than written, so a binary search over one
//! contiguous vector is as fast, and its code is a fraction of the size. Each
//! `BTreeMap<String, V>` monomorphizes its node balancing, merging and stealing per value
//! type; in the shipped WebAssembly that was 66 KB of 442 KB of code for five value types.
//!
//! Iteration is in key order, and the JSON form is the same object a `BTreeMap` gives
//! (keys sorted; on input, read by [`crate::json`], any order, and a repeated key keeps
//! its last value).

use crate::list::{discard, keep_only};

/// A map from `String` keys to `V`, sorted by key.
#[derive(Clone, Debug, PartialEq)]
pub struct SortedMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> SortedMap<V> {
    /// An empty map.
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Where `key` is, or, when it is absent, the bitwise complement of where it would
    /// go, which is past the end: a vector of entries (a `String` each, at least 12
    /// bytes) holds far fewer than `isize::MAX` of them, so the complement of any
    /// index up to the length has its top bit set. One word instead of a `Result`,
    /// which WebAssembly returns through memory, so every caller set up a stack frame
    /// to read it back; and a miss needs no test of its own where a slice lookup
    /// (`get`) bounds-checks the index anyway.
    fn position(&self, key: &str) -> usize {
        match self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => i,
            Err(i) => !i,
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(self.position(key)).map(|(_, v)| v)
    }

    /// The value for `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let i = self.position(key);
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key) < self.entries.len()
    }

    /// Sets `key` to `value` (the value it replaces is dropped); returns the value now stored.
    #[inline(always)]
    pub fn insert(&mut self, key: String, value: V) -> &mut V {
        self.place(key, value, true)
    }

    /// The value for `key`, inserting `value` first if the key is absent, or setting it
    /// to `value` when `overwrite` says so. The one search-and-insert body of each value
    /// type, behind both `insert` and the entries' `or_insert`: with one each, both were
    /// compiled for every value type. (No replaced value is handed back: no caller
    /// wanted it, and moving it out made every caller larger.)
    fn place(&mut self, key: String, value: V, overwrite: bool) -> &mut V {
        let mut i = self.position(&key);
        match self.entries.get_mut(i) {
            Some(entry) => {
                if overwrite {
                    entry.1 = value;
                }
            }
            None => {
                i = !i;
                self.entries.insert(i, (key, value));
            }
        }
        &mut self.entries[i].1
    }

    /// Removes `key`; returns whether it was there. (Not the value: no caller wanted
    /// it, and moving it out through an `Option` made each value type's body larger.)
    pub fn remove(&mut self, key: &str) -> bool {
        let i = self.position(key);
        let found = i < self.entries.len();
        if found {
            discard(&mut self.entries, i);
        }
        found
    }

    /// The entry for `key`, to read or fill in place.
    pub fn entry(&mut self, key: String) -> Entry<'_, V> {
        Entry { map: self, key }
    }

    /// Keeps only the entries for which `keep` says yes (asked in key order).
    ///
    /// With `remove` (which every map has anyway) rather than `Vec::retain_mut`, a
    /// copy of the standard library's two-phase algorithm per value type: the maps
    /// are small and this is called rarely (forgetting a topic, measurement upkeep).
    /// Inlined: a function of its own per caller only passed its closure on.
    #[inline(always)]
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        keep_only(&mut self.entries, |(key, value)| keep(key, value));
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// One key of a [`SortedMap`], present or not.
pub struct Entry<'a, V> {
    map: &'a mut SortedMap<V>,
    key: String,
}

impl<'a, V> Entry<'a, V> {
    /// The value, inserting `value` first if the key is absent.
    #[inline(always)]
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.map.place(self.key, value, false)
    }

    /// The value, inserting the default first if the key is absent (the default is
    /// built either way: the maps' values are plain numbers and flags).
    #[inline(always)]
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert(V::default())
    }
}

impl<'a, V> IntoIterator for &'a SortedMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<V> FromIterator<(String, V)> for SortedMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut m = SortedMap::new();
        assert_eq!(*m.insert("b".into(), 2), 2);
        assert_eq!(*m.insert("a".into(), 1), 1);
        assert_eq!(*m.insert("c".into(), 3), 3);
        assert_eq!(*m.insert("b".into(), 20), 20);
        assert_eq!(m.len(), 3);
        assert_eq!(
            m.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(m.get("b"), Some(&20));
        assert!(m.remove("a"));
        assert!(!m.remove("a"));
        assert!(!m.contains_key("a"));
        *m.entry("d".into()).or_default() += 4;
        *m.entry("c".into()).or_insert(0) += 1;
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [20, 4, 4]);
        m.retain(|k, _| k != "c");
        assert_eq!(m.len(), 2);
    }

    proptest::proptest! {
        /// Hits and misses at every position (before the first key, between keys, past
        /// the last, in an empty map) behave as a `BTreeMap`'s.
        #[test]
        fn behaves_as_btree_map(
            ops in proptest::collection::vec((0u8..4, "[a-e]{0,2}", proptest::num::i64::ANY), 0..60)
        ) {
            let mut ours = SortedMap::new();
            let mut theirs = std::collections::BTreeMap::new();
            for (op, key, value) in ops {
                match op {
                    0 => {
                        proptest::prop_assert_eq!(*ours.insert(key.clone(), value), value);
                        theirs.insert(key.clone(), value);
                    }
                    1 => {
                        proptest::prop_assert_eq!(ours.remove(&key), theirs.remove(&key).is_some());
                    }
                    2 => {
                        let stored = *ours.entry(key.clone()).or_insert(value);
                        proptest::prop_assert_eq!(stored, *theirs.entry(key.clone()).or_insert(value));
                    }
                    _ => {
                        if let Some(v) = ours.get_mut(&key) {
                            *v = value;
                        }
                        if let Some(v) = theirs.get_mut(&key) {
                            *v = value;
                        }
                    }
                }
                proptest::prop_assert_eq!(ours.get(&key), theirs.get(&key));
                proptest::prop_assert_eq!(ours.contains_key(&key), theirs.contains_key(&key));
                proptest::prop_assert!(ours.iter().eq(theirs.iter()));
            }
        }
    }

    #[test]
    fn json_matches_btree_map() {
        let text = r#"{"z":1,"a":2,"m":3,"a":4}"#;
        let ours: SortedMap<i64> = crate::json::from_str(text).unwrap();
        let theirs: std::collections::BTreeMap<String, i64> = serde_json::from_str(text).unwrap();
        assert_eq!(
            crate::json::to_string(&ours),
            serde_json::to_string(&theirs).unwrap()
        );
        assert_eq!(ours.get("a"), Some(&4));
        let err = crate::json::from_str::<SortedMap<i64>>("[1]").unwrap_err();
        assert_eq!((err.path(), err.message()), ("", "expected an object"));
    }
}
