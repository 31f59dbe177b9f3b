//! The hash maps' hasher: a multiply-rotate hash (the "Fx" hash of the Rust compiler).
//!
//! Why not the standard `RandomState` (SipHash-1-3): the catalog loader looks up every
//! topic of every item by id, 800,000 lookups for 100k items, and SipHash was a tenth of
//! loading time in the browser. SipHash's defence is against an attacker choosing keys to
//! collide; the keys hashed here are the site's own catalog ids and the visitor's own
//! history, read on the visitor's device, so there is no one to defend against, and a
//! worst case costs that one page some speed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
    use super::FastMap;

    #[test]
    fn finds_every_key_it_holds_and_no_other() {
        let mut m: FastMap<Box<str>, u32> = FastMap::default();
        for i in 0..10_000u32 {
            m.insert(format!("topic-{i}").into(), i);
        }
        assert_eq!(m.len(), 10_000);
        assert!((0..10_000u32).all(|i| m.get(format!("topic-{i}").as_str()) == Some(&i)));
        assert_eq!(m.get("topic-10000"), None);
        assert_eq!(m.get(""), None);
        // Prefixes and keys that differ only past eight bytes stay distinct.
        m.insert("abcdefgh1".into(), 1);
        m.insert("abcdefgh2".into(), 2);
        assert_eq!((m["abcdefgh1"], m["abcdefgh2"]), (1, 2));
    }
}
