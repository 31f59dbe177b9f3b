//! Randomness comes in through a trait, so the core never touches global randomness.
//!
//! In the browser the implementation draws from `crypto.getRandomValues` (one import of
//! the boundary's, `src/wasm/builtins.rs`); natively and in tests a seeded
//! [`SplitMix64`] gives reproducible runs.

/// A source of uniformly distributed 64-bit words.
///
/// Only [`next_u64`](Rng::next_u64) must be provided; the other methods derive
/// from it. The trait is object safe, so the core takes `&mut dyn Rng`.
pub trait Rng {
    /// The next uniformly distributed 64-bit word.
    fn next_u64(&mut self) -> u64;

    /// A uniform double in `[0, 1)` with 53 bits of precision (the top bits of a word).
    fn next_f64(&mut self) -> f64 {
        // 2^-53: every value k·2^-53 for k < 2^53 is equally likely.
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `p` (`p` outside `[0, 1]` saturates).
    fn bernoulli(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }

    /// A uniform integer in `0..n`; `0` when `n` is `0`.
    ///
    /// Lemire's multiply-and-reject method: unbiased, usually one draw.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Reject the low `2^64 mod n` products so that every residue is equally likely.
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Fills `buf` with random bytes (used for the 128-bit report id).
    fn fill_bytes(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

impl<R: Rng + ?Sized> Rng for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, seeded generator.
///
/// Good statistical quality for simulation and tests; **not** cryptographically
/// secure, so the browser uses the platform's random source instead.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }
}

impl Rng for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        // Constants from the reference implementation (Vigna, prng.di.unimi.it/splitmix64.c).
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = SplitMix64::new(7);
        let mut seen = [0u32; 5];
        for _ in 0..5_000 {
            let v = r.below(5) as usize;
            seen[v] += 1;
        }
        assert!(seen.iter().all(|&c| c > 850 && c < 1150), "{seen:?}");
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn next_f64_is_in_unit_interval() {
        let mut r = SplitMix64::new(3);
        for _ in 0..1000 {
            let x = r.next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn fill_bytes_fills_odd_lengths() {
        let mut r = SplitMix64::new(9);
        let mut buf = [0u8; 13];
        r.fill_bytes(&mut buf);
        assert!(buf[8..].iter().any(|&b| b != 0));
    }
}
