//! Optimized unary encoding.
//!
//! Wang, Blocki, Li and Jha, "Locally Differentially Private Protocols for
//! Frequency Estimation", USENIX Security 2017, §4.3: the value `v` becomes a
//! one-hot vector of `d` bits and every bit is randomized on its own, a 1 kept
//! with probability `p` and a 0 turned into 1 with probability `q`, where
//!
//! ```text
//! p = 1/2,   q = 1 / (e^ε + 1)
//! ```
//!
//! This choice minimises the estimator's variance for a given ε, which is then
//! `n·4e^ε/(e^ε − 1)²` whatever the domain size. Two one-hot inputs differ in two
//! bits, so every output's probability ratio is at most
//! `p(1−q) / ((1−p)q) = e^ε`.
//!
//! Sets: a set of up to `k` values encoded as a k-hot vector differs from another
//! such set in up to `2k` bits, so the same per-bit probabilities give `k·ε` for
//! the whole set. [`perturb_set`](OptimizedUnaryEncoding::perturb_set) documents
//! that; the `interests` metric therefore runs OUE at ε/3 per topic so that a
//! whole report stays within ε.

use super::estimate;
use super::params::{check_domain, check_epsilon, read_validated, EpsilonDomain};
use super::rng::Rng;
use crate::error::{Error, Result};
use crate::json::{FromJson, Reader, ToJson, Writer};
use crate::math::exp;

/// Optimized unary encoding over the values `0..domain`.
///
/// Parameters are validated by [`new`](Self::new) and again when read from JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptimizedUnaryEncoding {
    epsilon: f64,
    domain: usize,
}

impl TryFrom<EpsilonDomain> for OptimizedUnaryEncoding {
    type Error = Error;
    fn try_from(raw: EpsilonDomain) -> Result<Self> {
        Self::new(raw.epsilon, raw.domain)
    }
}

impl ToJson for OptimizedUnaryEncoding {
    /// `{"epsilon", "domain"}`, as read.
    fn write_json(&self, w: &mut Writer) {
        EpsilonDomain::from(*self).write_json(w);
    }
}

impl FromJson for OptimizedUnaryEncoding {
    /// `{"epsilon", "domain"}`, checked by [`new`](Self::new).
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        read_validated::<EpsilonDomain, Self>(r)
    }
}

impl From<OptimizedUnaryEncoding> for EpsilonDomain {
    fn from(m: OptimizedUnaryEncoding) -> Self {
        EpsilonDomain {
            epsilon: m.epsilon,
            domain: m.domain,
        }
    }
}

impl OptimizedUnaryEncoding {
    /// A mechanism with privacy `epsilon` (finite, in `(0, 20]`) per one-hot value over
    /// `domain` values (`2..=4096`).
    pub fn new(epsilon: f64, domain: usize) -> Result<Self> {
        Ok(OptimizedUnaryEncoding {
            epsilon: check_epsilon(epsilon, "/epsilon")?,
            domain: check_domain(domain, "/domain")?,
        })
    }

    /// The privacy parameter for a single value (one-hot input).
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// The number of possible values `d` (bits in a report).
    pub fn domain(&self) -> usize {
        self.domain
    }

    /// `p = 1/2`: the probability that a true 1 is reported as 1.
    pub fn p(&self) -> f64 {
        0.5
    }

    /// `q = 1/(e^ε + 1)`: the probability that a true 0 is reported as 1.
    pub fn q(&self) -> f64 {
        1.0 / (exp(self.epsilon) + 1.0)
    }

    /// Randomizes the one-hot encoding of `value` (ε-LDP).
    pub fn perturb(&self, value: usize, rng: &mut dyn Rng) -> Result<Vec<bool>> {
        self.perturb_set(&[value], rng)
    }

    /// Randomizes the k-hot encoding of a set of values. For sets of at most `k`
    /// values the output is `k·ε`-LDP (two such sets differ in up to `2k` bits).
    /// Duplicates count once; errors if a value is not in `0..domain`.
    pub fn perturb_set(&self, values: &[usize], rng: &mut dyn Rng) -> Result<Vec<bool>> {
        let mut truth = vec![false; self.domain];
        for &v in values {
            *truth
                .get_mut(v)
                .ok_or_else(|| Error::out_of_range("/value", "value is outside the domain"))? =
                true;
        }
        let (p, q) = (self.p(), self.q());
        Ok(truth
            .into_iter()
            .map(|b| rng.bernoulli(if b { p } else { q }))
            .collect())
    }

    /// Debiased counts from `counts[i]` = number of the `n` reports with bit `i` set.
    pub fn estimate(&self, counts: &[u64], n: u64) -> Vec<f64> {
        estimate::debias(counts, n, self.p(), self.q())
    }

    /// Variance of one debiased count when a fraction `f` of the `n` visitors have the value:
    /// `n·4e^ε/(e^ε − 1)²` plus a small `f` term (zero-`f` form is Wang et al., eq. 8).
    pub fn variance(&self, n: u64, f: f64) -> f64 {
        estimate::count_variance(n, f, self.p(), self.q())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variance_at_f_zero_matches_the_papers_closed_form() {
        let m = OptimizedUnaryEncoding::new(1.0, 37).unwrap();
        let e = 1f64.exp();
        let paper = 1000.0 * 4.0 * e / ((e - 1.0) * (e - 1.0));
        assert!((m.variance(1000, 0.0) - paper).abs() < 1e-6 * paper);
    }

    #[test]
    fn q_matches_the_issue_example() {
        let m = OptimizedUnaryEncoding::new(1.0, 37).unwrap();
        assert!((m.q() - 0.2689).abs() < 1e-4);
    }

    #[test]
    fn reading_validates() {
        let e = crate::json::from_str::<OptimizedUnaryEncoding>(r#"{"epsilon":1,"domain":1}"#)
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.path(), e.message()),
            (
                crate::error::ErrorKind::OutOfRange,
                "/domain",
                "domain must have at least 2 values"
            )
        );
        let m: OptimizedUnaryEncoding =
            crate::json::from_str(r#"{"epsilon":1,"domain":3}"#).unwrap();
        assert_eq!(m, OptimizedUnaryEncoding::new(1.0, 3).unwrap());
        assert_eq!(crate::json::to_string(&m), r#"{"epsilon":1.0,"domain":3}"#);
    }

    #[test]
    fn perturb_set_rejects_out_of_domain() {
        let m = OptimizedUnaryEncoding::new(1.0, 4).unwrap();
        let mut rng = super::super::SplitMix64::new(1);
        assert!(m.perturb_set(&[1, 4], &mut rng).is_err());
        assert_eq!(m.perturb_set(&[1, 3], &mut rng).unwrap().len(), 4);
    }
}
