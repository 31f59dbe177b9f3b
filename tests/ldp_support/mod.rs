//! Helpers shared by the LDP statistical tests: exact binomial sampling driven by
//! the crate's own seeded generator, and a known crowd distribution.
#![allow(dead_code)]

use std::convert::Infallible;

use inkling::ldp::{Rng, SplitMix64};
use rand_distr::{Binomial, Distribution};

/// The crate's SplitMix64 seen through `rand`'s traits, so `rand_distr` can sample from it.
pub struct Seeded(pub SplitMix64);

impl rand::TryRng for Seeded {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.0.next_u64() >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.0.next_u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.fill_bytes(dst);
        Ok(())
    }
}

/// An exact Binomial(n, p) draw (BTPE in `rand_distr`).
pub fn binomial(rng: &mut Seeded, n: u64, p: f64) -> u64 {
    if n == 0 {
        return 0;
    }
    Binomial::new(n, p)
        .expect("valid binomial parameters")
        .sample(rng)
}

/// How many of `n` visitors hold each of `weights.len()` values, proportional to
/// `weights` (the remainder goes to the first values), so truths are exact integers.
pub fn crowd(n: u64, weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    let mut counts: Vec<u64> = weights
        .iter()
        .map(|w| (n as f64 * w / total).floor() as u64)
        .collect();
    let mut rest = n - counts.iter().sum::<u64>();
    let mut i = 0;
    while rest > 0 {
        counts[i] += 1;
        rest -= 1;
        i += 1;
    }
    counts
}

/// A skewed known distribution over `d` values (Zipf-like, 1/(i+1)), with one value held by nobody.
pub fn zipf_weights(d: usize) -> Vec<f64> {
    (0..d)
        .map(|i| {
            if i == d - 1 {
                0.0
            } else {
                1.0 / (i as f64 + 1.0)
            }
        })
        .collect()
}
