//! Local differential privacy: the mechanisms that randomize a visitor's answer
//! on the device, and the estimators that turn many noisy answers into crowd counts.
//!
//! Everything follows Wang, Blocki, Li and Jha, "Locally Differentially Private
//! Protocols for Frequency Estimation" (USENIX Security 2017), with RAPPOR's
//! memoization (Erlingsson et al., CCS 2014) against averaging attacks:
//!
//! - [`GeneralizedRandomizedResponse`] (k-ary randomized response; binary RR when `d = 2`),
//! - [`OptimizedUnaryEncoding`] (one bit per value, optimal `p = 1/2`),
//! - [`MemoizedRandomizedResponse`] and [`MemoizedUnaryEncoding`]
//!   (permanent + instantaneous response, per-report and lifetime ε),
//! - [`estimate`] (the unbiased estimator and its variance, shared with the collector),
//! - [`choose`] (which mechanism suits a single-valued metric),
//! - [`Rng`] (randomness comes in through a trait) and [`base64url`].
//!
//! # Example
//!
//! ```
//! use inkling::ldp::{OptimizedUnaryEncoding, Rng, SplitMix64};
//!
//! let oue = OptimizedUnaryEncoding::new(1.0, 4).unwrap();
//! let mut rng = SplitMix64::new(42);
//! let mut counts = [0u64; 4];
//! for visitor in 0..10_000 {
//!     let bits = oue.perturb(visitor % 2, &mut rng).unwrap(); // half say 0, half say 1
//!     for (c, b) in counts.iter_mut().zip(bits) {
//!         *c += b as u64;
//!     }
//! }
//! let est = oue.estimate(&counts, 10_000);
//! assert!((est[0] - 5_000.0).abs() < 4.0 * oue.variance(10_000, 0.5).sqrt());
//! assert!(est[3].abs() < 4.0 * oue.variance(10_000, 0.0).sqrt());
//! ```

pub mod base64url;
pub mod estimate;
mod grr;
mod memo;
mod oue;
mod params;
mod rng;

pub use grr::GeneralizedRandomizedResponse;
pub use memo::{MemoizedRandomizedResponse, MemoizedUnaryEncoding};
pub use oue::OptimizedUnaryEncoding;
pub(crate) use params::{check_epsilon, within};
pub use params::{MAX_DOMAIN, MAX_EPSILON};
pub use rng::{Rng, SplitMix64};

/// Which mechanism a single-valued metric should use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MechanismKind {
    /// [`GeneralizedRandomizedResponse`]: wire name `"grr"`.
    Grr,
    /// [`OptimizedUnaryEncoding`]: wire name `"oue"`.
    Oue,
}

impl MechanismKind {
    /// The name on the wire: `"grr"` or `"oue"`.
    pub fn name(self) -> &'static str {
        match self {
            MechanismKind::Grr => "grr",
            MechanismKind::Oue => "oue",
        }
    }

    /// The kind for a wire name, if known.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "grr" => Some(MechanismKind::Grr),
            "oue" => Some(MechanismKind::Oue),
            _ => None,
        }
    }
}

/// The documented choice for a single-valued metric with `domain` values at `epsilon`:
/// GRR when `d < 3e^ε + 2`, else OUE (Wang et al. §4.4: GRR's variance
/// `(d − 2 + e^ε)/(e^ε − 1)²` is below OUE's `4e^ε/(e^ε − 1)²` exactly then).
/// Set-valued metrics always use unary encoding.
pub fn choose(domain: usize, epsilon: f64) -> MechanismKind {
    if (domain as f64) < 3.0 * crate::math::exp(epsilon) + 2.0 {
        MechanismKind::Grr
    } else {
        MechanismKind::Oue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_rule_follows_the_variance_comparison() {
        // At ε = 1 the threshold is 3e + 2 ≈ 10.15.
        assert_eq!(choose(2, 1.0), MechanismKind::Grr);
        assert_eq!(choose(10, 1.0), MechanismKind::Grr);
        assert_eq!(choose(11, 1.0), MechanismKind::Oue);
        for d in 2..60 {
            for eps in [0.5, 1.0, 2.0] {
                let g = GeneralizedRandomizedResponse::new(eps, d)
                    .unwrap()
                    .variance(1000, 0.0);
                let o = OptimizedUnaryEncoding::new(eps, d)
                    .unwrap()
                    .variance(1000, 0.0);
                assert_eq!(
                    choose(d, eps) == MechanismKind::Grr,
                    g < o,
                    "d={d} eps={eps}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for k in [MechanismKind::Grr, MechanismKind::Oue] {
            assert_eq!(MechanismKind::from_name(k.name()), Some(k));
        }
        assert_eq!(MechanismKind::from_name("rappor"), None);
    }
}
