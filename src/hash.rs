//! The crate's one hash table, `StrIndex` (an id to its position in a list), and its
//! hasher: a multiply-rotate hash (the "Fx" hash of the Rust compiler).
//!
//! Why not the standard `RandomState` (SipHash-1-3): the catalog loader looks up every
//! topic of every item by id, 800,000 lookups for 100k items, and SipHash was a tenth of
//! loading time in the browser. SipHash's defence is against an attacker choosing keys to
//! collide; the keys hashed here are the site's own catalog ids and the visitor's own
//! history, read on the visitor's device, so there is no one to defend against, and a
//! worst case costs that one page some speed.
//!
//! Why not the standard `HashMap`: its table (hashbrown) is generic code built for any
//! key and value, with group probing and tombstones for removal; the two maps here only
//! ever map topic ids and campaign names to their positions in lists that already hold
//! them, and never remove. A table of positions over that list is a fraction of the code
//! in the downloaded wasm, and does not store the strings a second time.

use std::hash::Hasher;

use crate::catalog::strings::StrList;

/// Strings in the order they were added, each found again by its text.
///
/// The strings live once, end to end in a [`StrList`]; the table holds only positions:
/// `slots[s]` is 1 + the position of the string whose probe sequence passes slot `s`, or
/// 0 for an empty slot. Probing is linear from `hash & (slots.len() - 1)`, and the table
/// is a power of two at least twice the number of strings, so the load α stays ≤ ½: a
/// lookup takes on average ½(1 + 1/(1-α)) ≤ 1.5 probes when the string is there and
/// ½(1 + 1/(1-α)²) ≤ 2.5 when it is not, each a `u32` read and, on a full slot, one
/// comparison of strings. Strings are never removed, so there are no tombstones.
#[derive(Clone, Debug, Default)]
pub(crate) struct StrIndex {
    keys: StrList,
    slots: Vec<u32>,
}

/// Two indexes are equal when they hold the same strings in the same order; the table's
/// size depends on how the index was built, and its contents follow from the strings.
impl PartialEq for StrIndex {
    fn eq(&self, other: &StrIndex) -> bool {
        self.keys == other.keys
    }
}

impl StrIndex {
    /// An index of `keys`, in their order; `Err(i)` if string `i` repeats an earlier one.
    #[cfg(test)]
    pub fn from_list(keys: StrList) -> Result<StrIndex, usize> {
        let mut index = StrIndex {
            keys,
            slots: Vec::new(),
        };
        index.rebuild()?;
        Ok(index)
    }

    /// The strings, to be replaced in place (the compiled-catalog loader reads them
    /// straight into the index it fills, rather than into a list moved there); call
    /// [`StrIndex::rebuild`] before the index is searched again.
    pub fn keys_mut(&mut self) -> &mut StrList {
        &mut self.keys
    }

    /// Adds `key` at the end: `Ok(its position)`, or `Err(position)` of the equal string
    /// already held, which is left as it was.
    pub fn insert(&mut self, key: &str) -> Result<u32, u32> {
        let slot = match self.probe(key) {
            Ok(known) => return Err(known),
            Err(slot) => slot,
        };
        self.keys.push(key);
        let n = self.keys.len();
        if 2 * n > self.slots.len() {
            // Over half full: a table twice the size, every string placed again
            // (amortized O(1) per insert). `key` was not there, so nothing repeats.
            let _ = self.rebuild();
        } else {
            self.slots[slot] = n as u32;
        }
        Ok(n as u32 - 1)
    }

    /// The position of `key`, if the index holds it.
    pub fn find(&self, key: &str) -> Option<u32> {
        self.probe(key).ok()
    }

    /// String `i`. Panics if `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> &str {
        self.keys.get(i)
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The strings, in order.
    pub fn list(&self) -> &StrList {
        &self.keys
    }

    /// Bytes of heap this index holds: the strings and the table.
    pub fn heap_bytes(&self) -> usize {
        self.keys.heap_bytes() + 4 * self.slots.capacity()
    }

    /// Gives back the strings' unused capacity (the table is allocated at its size).
    pub fn shrink_to_fit(&mut self) {
        self.keys.shrink_to_fit();
    }

    /// `Ok(position)` of `key`, or `Err(slot)`: the empty slot where its probe ended.
    /// With no table yet, `Err` of some slot past the end; [`StrIndex::insert`] then
    /// builds one.
    fn probe(&self, key: &str) -> Result<u32, usize> {
        // String p is `text[offsets[p]..offsets[p + 1]]`; compared as bytes here, the
        // hottest loop of catalog loading, rather than through `StrList::get`, whose
        // call and character-boundary checks per probe slowed the wasm loader.
        let (text, offsets) = (self.keys.text().as_bytes(), self.keys.offsets());
        let mask = self.slots.len().wrapping_sub(1);
        let mut s = hash(key) as usize & mask;
        while let Some(&slot) = self.slots.get(s) {
            let p = match slot {
                0 => break,
                _ => slot as usize - 1,
            };
            let (start, end) = (offsets[p] as usize, offsets[p + 1] as usize);
            if text.get(start..end) == Some(key.as_bytes()) {
                return Ok(slot - 1);
            }
            s = (s + 1) & mask;
        }
        Err(s)
    }

    /// Sizes the table for the strings held (the smallest power of two ≥ 2n) and places
    /// each in order; `Err(i)` if string `i` repeats an earlier one.
    pub fn rebuild(&mut self) -> Result<(), usize> {
        let n = self.keys.len();
        self.slots = vec![0; (2 * n).next_power_of_two()];
        for i in 0..n {
            match self.probe(self.keys.get(i)) {
                Ok(_) => return Err(i),
                Err(slot) => self.slots[slot] = i as u32 + 1,
            }
        }
        Ok(())
    }
}

/// The hash of a key's bytes (the table uses the low bits).
fn hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

/// Multiply-rotate hashing, eight bytes at a time.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplication leaves its best-mixed bits at the top, and the table picks
        // buckets with the low bits: rotate them down (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::{StrIndex, StrList};

    fn topics(n: u32) -> Vec<String> {
        (0..n).map(|i| format!("topic-{i}")).collect()
    }

    #[test]
    fn finds_every_key_at_its_position_and_no_other() {
        let mut ix = StrIndex::default();
        assert_eq!(ix.find("topic-0"), None); // no table yet
        for (i, k) in topics(10_000).iter().enumerate() {
            assert_eq!(ix.insert(k), Ok(i as u32));
        }
        assert_eq!(ix.len(), 10_000);
        assert!(topics(10_000)
            .iter()
            .enumerate()
            .all(|(i, k)| ix.find(k) == Some(i as u32) && ix.get(i) == k));
        for absent in ["topic-10000", "topic-", "topic", "opic-1", "topic-01", ""] {
            assert_eq!(ix.find(absent), None, "{absent}");
        }
        assert!(ix.slots.len().is_power_of_two() && ix.slots.len() >= 2 * ix.len());
    }

    #[test]
    fn keys_that_differ_only_past_eight_bytes_or_by_length_stay_distinct() {
        let mut ix = StrIndex::default();
        let keys = [
            "abcdefgh1",
            "abcdefgh2",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghabcdefgh1",
        ];
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(ix.insert(k), Ok(i as u32));
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(ix.find(k), Some(i as u32));
        }
        assert_eq!(ix.find("abcdefgh3"), None);
        // The last chunk is padded with zeros, so these two hash alike: only the
        // comparison of the strings tells them apart.
        assert_eq!(super::hash("ab"), super::hash("ab\0"));
        assert_eq!((ix.insert("ab"), ix.insert("ab\0")), (Ok(5), Ok(6)));
        assert_eq!(
            (ix.find("ab"), ix.find("ab\0"), ix.find("ab\0\0")),
            (Some(5), Some(6), None)
        );
        assert_eq!(ix.find("abcdefghabcdefgh2"), None);
    }

    #[test]
    fn holds_the_empty_string_like_any_other() {
        let mut ix = StrIndex::default();
        assert_eq!(ix.insert("a"), Ok(0));
        assert_eq!(ix.find(""), None);
        assert_eq!(ix.insert(""), Ok(1));
        assert_eq!(ix.insert(""), Err(1));
        assert_eq!((ix.find(""), ix.find("a")), (Some(1), Some(0)));
    }

    #[test]
    fn keys_in_one_probe_run_are_each_found_and_absent_keys_run_to_an_empty_slot() {
        // Keys whose hashes share a start slot in a 64-slot table: a single run of
        // collisions, the worst case of linear probing.
        let mut ix = StrIndex::default();
        let start = |k: &str| super::hash(k) as usize & 63;
        let same: Vec<String> = (0..100_000)
            .map(|i| format!("k{i}"))
            .filter(|k| start(k) == 0)
            .take(20)
            .collect();
        assert_eq!(same.len(), 20);
        for (i, k) in same.iter().enumerate() {
            assert_eq!(ix.insert(k), Ok(i as u32));
        }
        assert_eq!(ix.slots.len(), 64);
        for (i, k) in same.iter().enumerate() {
            assert_eq!(ix.find(k), Some(i as u32));
            assert_eq!(ix.insert(k), Err(i as u32));
        }
        assert_eq!(ix.len(), 20);
        let absent = (100_000..200_000)
            .map(|i| format!("k{i}"))
            .find(|k| start(k) == 0);
        assert_eq!(ix.find(&absent.unwrap()), None);
    }

    fn list(keys: &[&str]) -> StrList {
        let mut l = StrList::new();
        for k in keys {
            l.push(k);
        }
        l
    }

    #[test]
    fn a_repeated_string_is_reported_at_its_second_place_and_not_added() {
        let mut ix = StrIndex::default();
        assert_eq!(ix.insert("winter"), Ok(0));
        assert_eq!(ix.insert("summer"), Ok(1));
        assert_eq!(ix.insert("winter"), Err(0));
        assert_eq!(ix.len(), 2);
        assert_eq!(
            StrIndex::from_list(list(&["a", "b", "c", "b", "a"])),
            Err(3)
        );
        assert_eq!(StrIndex::from_list(list(&["x", "x"])), Err(1));
        let built = StrIndex::from_list(list(&["a", "", "b"])).unwrap();
        assert_eq!(
            (built.find(""), built.find("b"), built.find("c")),
            (Some(1), Some(2), None)
        );
        assert_eq!(StrIndex::from_list(StrList::new()).unwrap().find(""), None);
    }

    #[test]
    fn equality_is_the_strings_not_the_table_size() {
        let mut grown = StrIndex::default();
        for k in ["a", "b", "c"] {
            grown.insert(k).unwrap();
        }
        let built = StrIndex::from_list(list(&["a", "b", "c"])).unwrap();
        assert_eq!(grown, built);
        assert_ne!(built, StrIndex::from_list(list(&["a", "c", "b"])).unwrap());
    }
}
