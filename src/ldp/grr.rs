//! Generalized (k-ary) randomized response.
//!
//! Wang, Blocki, Li and Jha, "Locally Differentially Private Protocols for
//! Frequency Estimation", USENIX Security 2017, §4.1 (also "direct encoding"):
//! a value `v` in a domain of `d` values is reported truthfully with probability
//!
//! ```text
//! p = e^ε / (e^ε + d − 1)
//! ```
//!
//! and as each other value with probability `q = 1 / (e^ε + d − 1)`, so that
//! `p / q = e^ε` for any two inputs and any output. With `d = 2` this is Warner's
//! binary randomized response. Its estimator variance grows with `d`, so it is
//! the better choice only for small domains (see [`super::choose`]).

use super::estimate;
use super::params::{check_domain, check_epsilon, read_validated, EpsilonDomain};
use super::rng::Rng;
use crate::error::{Error, Result};
use crate::json::{FromJson, Reader, ToJson, Writer};
use crate::math::exp;

/// k-ary randomized response over the values `0..domain`.
///
/// Parameters are validated by [`new`](Self::new) and again when read from JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeneralizedRandomizedResponse {
    epsilon: f64,
    domain: usize,
}

impl TryFrom<EpsilonDomain> for GeneralizedRandomizedResponse {
    type Error = Error;
    fn try_from(raw: EpsilonDomain) -> Result<Self> {
        Self::new(raw.epsilon, raw.domain)
    }
}

impl ToJson for GeneralizedRandomizedResponse {
    /// `{"epsilon", "domain"}`, as read.
    fn write_json(&self, w: &mut Writer) {
        EpsilonDomain::from(*self).write_json(w);
    }
}

impl FromJson for GeneralizedRandomizedResponse {
    /// `{"epsilon", "domain"}`, checked by [`new`](Self::new).
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        read_validated::<EpsilonDomain, Self>(r)
    }
}

impl From<GeneralizedRandomizedResponse> for EpsilonDomain {
    fn from(m: GeneralizedRandomizedResponse) -> Self {
        EpsilonDomain {
            epsilon: m.epsilon,
            domain: m.domain,
        }
    }
}

impl GeneralizedRandomizedResponse {
    /// A mechanism with privacy `epsilon` (finite, in `(0, 20]`) over `domain` values (`2..=4096`).
    pub fn new(epsilon: f64, domain: usize) -> Result<Self> {
        Ok(GeneralizedRandomizedResponse {
            epsilon: check_epsilon(epsilon, "/epsilon")?,
            domain: check_domain(domain, "/domain")?,
        })
    }

    /// The privacy parameter: `P[out | a] / P[out | b] ≤ e^ε` for all inputs `a`, `b`.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// The number of possible values `d`.
    pub fn domain(&self) -> usize {
        self.domain
    }

    /// `p = e^ε / (e^ε + d − 1)`: the probability of reporting the true value.
    pub fn p(&self) -> f64 {
        let e = exp(self.epsilon);
        e / (e + self.domain as f64 - 1.0)
    }

    /// `q = 1 / (e^ε + d − 1)`: the probability of reporting one given other value.
    pub fn q(&self) -> f64 {
        1.0 / (exp(self.epsilon) + self.domain as f64 - 1.0)
    }

    /// Randomizes `value`: itself with probability `p`, else one of the other `d − 1`
    /// values uniformly. Errors if `value` is not in `0..domain`.
    pub fn perturb(&self, value: usize, rng: &mut dyn Rng) -> Result<usize> {
        if value >= self.domain {
            return Err(Error::out_of_range("/value", "value is outside the domain"));
        }
        Ok(self.perturb_unchecked(value, rng))
    }

    pub(crate) fn perturb_unchecked(&self, value: usize, rng: &mut dyn Rng) -> usize {
        if rng.bernoulli(self.p()) {
            value
        } else {
            // Uniform over the d − 1 other values: draw in 0..d−1 and skip `value`.
            let other = rng.below(self.domain as u64 - 1) as usize;
            if other >= value {
                other + 1
            } else {
                other
            }
        }
    }

    /// Debiased counts from `counts[i]` = number of the `n` reports saying `i`.
    pub fn estimate(&self, counts: &[u64], n: u64) -> Vec<f64> {
        estimate::debias(counts, n, self.p(), self.q())
    }

    /// Variance of one debiased count when a fraction `f` of the `n` visitors have the value:
    /// `n·(d − 2 + e^ε)/(e^ε − 1)² + n·f·(d − 2)/(e^ε − 1)` (Wang et al., eq. 4 in count form).
    pub fn variance(&self, n: u64, f: f64) -> f64 {
        estimate::count_variance(n, f, self.p(), self.q())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn variance_matches_the_papers_closed_form() {
        let m = GeneralizedRandomizedResponse::new(1.0, 10).unwrap();
        let e = 1f64.exp();
        let (n, f) = (1000u64, 0.2);
        let paper = n as f64 * (10.0 - 2.0 + e) / ((e - 1.0) * (e - 1.0))
            + n as f64 * f * (10.0 - 2.0) / (e - 1.0);
        assert!((m.variance(n, f) - paper).abs() < 1e-6 * paper);
    }

    #[test]
    fn constructor_and_reader_validate() {
        for (eps, d) in [
            (0.0, 3),
            (-1.0, 3),
            (f64::NAN, 3),
            (f64::INFINITY, 3),
            (21.0, 3),
            (1.0, 1),
            (1.0, 5000),
        ] {
            assert!(
                GeneralizedRandomizedResponse::new(eps, d).is_err(),
                "{eps} {d}"
            );
        }
        let m: GeneralizedRandomizedResponse =
            crate::json::from_str(r#"{"epsilon":1.5,"domain":4}"#).unwrap();
        assert_eq!(m.domain(), 4);
        let err = |text: &str| {
            let e = crate::json::from_str::<GeneralizedRandomizedResponse>(text).unwrap_err();
            (e.kind(), e.path().to_string(), e.message().to_string())
        };
        assert_eq!(
            err(r#"{"epsilon":0,"domain":4}"#),
            (
                ErrorKind::OutOfRange,
                "/epsilon".into(),
                "epsilon must be a finite number above 0".into()
            )
        );
        assert_eq!(
            err(r#"{"epsilon":1,"domain":4,"x":1}"#),
            (ErrorKind::Invalid, "/x".into(), "unknown field".into())
        );
        assert_eq!(
            err(r#"{"epsilon":1}"#),
            (
                ErrorKind::Invalid,
                "".into(),
                "missing field `domain`".into()
            )
        );
        assert_eq!(
            err(r#"{"epsilon":1,"domain":4,"epsilon":2}"#),
            (
                ErrorKind::Invalid,
                "/epsilon".into(),
                "duplicate field".into()
            )
        );
        assert_eq!(
            err(r#"{"epsilon":"1","domain":4}"#),
            (
                ErrorKind::Invalid,
                "/epsilon".into(),
                "expected a number".into()
            )
        );
        // Nested, the constructor's error points into the value.
        let e = crate::json::from_str::<Vec<GeneralizedRandomizedResponse>>(
            r#"[{"epsilon":1,"domain":1}]"#,
        )
        .unwrap_err();
        assert_eq!((e.kind(), e.path()), (ErrorKind::OutOfRange, "/0/domain"));
        assert_eq!(crate::json::to_string(&m), r#"{"epsilon":1.5,"domain":4}"#);
    }

    #[test]
    fn perturb_rejects_values_outside_the_domain() {
        let m = GeneralizedRandomizedResponse::new(1.0, 3).unwrap();
        let mut rng = super::super::SplitMix64::new(1);
        assert!(m.perturb(3, &mut rng).is_err());
        assert!(m.perturb(2, &mut rng).unwrap() < 3);
    }
}
