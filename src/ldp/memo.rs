//! Memoization against averaging attacks, as in RAPPOR.
//!
//! Erlingsson, Pihur and Korolova, "RAPPOR: Randomized Aggregatable
//! Privacy-Preserving Ordinal Response", CCS 2014, §3: a device that reported a
//! freshly randomized answer every day would, over many days, let anyone average
//! the noise away. So the first randomization of a value, the **permanent
//! response**, is kept on the device, and each daily report randomizes that
//! permanent answer again (the **instantaneous response**).
//!
//! What that buys, stated as data so the visitor can be shown it:
//! - **per report**: one report is ε₁-LDP about the value (ε₁ = `report_epsilon`);
//! - **lifetime**: however many reports are sent about the *same* value, together
//!   they reveal no more than the permanent response, which is ε∞-LDP
//!   (ε∞ = `lifetime_epsilon`); after `k` reports the spend is `min(k·ε₁, ε∞)`.
//!   A value that changes (new top interests) gets its own permanent response,
//!   so the budgets of distinct values add up.
//!
//! The two steps combine into one effective mechanism, and that is what goes on
//! the wire (`p`, `q` in the report): with permanent probabilities `p₁, q₁` and
//! instantaneous ones `p₂, q₂` (a true 1 → 1, a true 0 → 1),
//!
//! ```text
//! p* = p₁·p₂ + (1 − p₁)·q₂        q* = q₁·p₂ + (1 − q₁)·q₂
//! ```
//!
//! The instantaneous parameters are solved in closed form so that the effective
//! mechanism is *exactly* the one-step mechanism at ε₁: the collector debiases a
//! memoized report with the same `(c − n·q*)/(p* − q*)`, and its variance for a
//! single day is that of the one-step mechanism at ε₁.

use super::grr::GeneralizedRandomizedResponse;
use super::oue::OptimizedUnaryEncoding;
use super::params::{check_epsilon, read_validated};
use super::rng::Rng;
use crate::error::{Error, Result};
use crate::json::{read_record, FromJson, Reader, Record, ToJson, Writer};
use crate::math::{exp, ln};

fn check_pair(report_epsilon: f64, lifetime_epsilon: f64) -> Result<()> {
    check_epsilon(report_epsilon, "/reportEpsilon")?;
    check_epsilon(lifetime_epsilon, "/lifetimeEpsilon")?;
    // ε∞ must exceed ε₁, or there is no room for the instantaneous noise that
    // keeps successive reports from being linked.
    if lifetime_epsilon < report_epsilon * 1.05 {
        return Err(Error::out_of_range(
            "/lifetimeEpsilon",
            "lifetime epsilon must exceed the per-report epsilon by at least 5%",
        ));
    }
    Ok(())
}

/// k-ary randomized response with a permanent and an instantaneous step.
///
/// Permanent: GRR at ε∞. Instantaneous: GRR at ε₂ on the permanent value, with
/// `e^ε₂ = (c·(a + d − 2) − (d − 1)) / (a − c)` where `a = e^ε∞`, `c = e^ε₁`,
/// which makes `p*/q* = (a·b + d − 1)/(a + b + d − 2) = e^ε₁` exactly (`b = e^ε₂`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemoizedRandomizedResponse {
    report_epsilon: f64,
    lifetime_epsilon: f64,
    permanent: GeneralizedRandomizedResponse,
    instantaneous: GeneralizedRandomizedResponse,
}

/// The serialized form of both memoized mechanisms (`maxSet` only for unary
/// encoding); reading goes through their constructors.
#[derive(Default)]
struct MemoParams {
    report_epsilon: f64,
    lifetime_epsilon: f64,
    domain: usize,
    max_set: Option<usize>,
}

impl ToJson for MemoParams {
    /// `maxSet` is left out when absent.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("reportEpsilon", &self.report_epsilon);
            o.field("lifetimeEpsilon", &self.lifetime_epsilon);
            o.field("domain", &self.domain);
            o.field_some("maxSet", &self.max_set);
        });
    }
}

impl FromJson for MemoParams {
    /// `maxSet` is optional and may be `null`; every other field is required.
    fn read(r: &mut Reader<'_>) -> Result<MemoParams> {
        read_record(r)
    }
}

impl Record for MemoParams {
    const KEYS: &'static [&'static str] = &["reportEpsilon", "lifetimeEpsilon", "domain", "maxSet"];
    const OPTIONAL: u32 = 1 << 3;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.report_epsilon),
            1 => r.read_into(&mut self.lifetime_epsilon),
            2 => r.read_into(&mut self.domain),
            _ => r.read_into(&mut self.max_set),
        }
    }
}

impl TryFrom<MemoParams> for MemoizedRandomizedResponse {
    type Error = Error;
    fn try_from(raw: MemoParams) -> Result<Self> {
        if raw.max_set.is_some() {
            return Err(Error::invalid(
                "/maxSet",
                "randomized response has no maxSet",
            ));
        }
        Self::new(raw.report_epsilon, raw.lifetime_epsilon, raw.domain)
    }
}

impl ToJson for MemoizedRandomizedResponse {
    /// The parameters, in the form they are read in.
    fn write_json(&self, w: &mut Writer) {
        MemoParams::from(*self).write_json(w);
    }
}

impl FromJson for MemoizedRandomizedResponse {
    /// The parameters it was serialized with, checked by [`new`](Self::new).
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        read_validated::<MemoParams, Self>(r)
    }
}

impl From<MemoizedRandomizedResponse> for MemoParams {
    fn from(m: MemoizedRandomizedResponse) -> Self {
        MemoParams {
            report_epsilon: m.report_epsilon,
            lifetime_epsilon: m.lifetime_epsilon,
            domain: m.domain(),
            max_set: None,
        }
    }
}

impl MemoizedRandomizedResponse {
    /// Per-report privacy `report_epsilon` (ε₁), lifetime privacy `lifetime_epsilon`
    /// (ε∞ ≥ 1.05·ε₁), over `domain` values.
    pub fn new(report_epsilon: f64, lifetime_epsilon: f64, domain: usize) -> Result<Self> {
        check_pair(report_epsilon, lifetime_epsilon)?;
        let permanent = GeneralizedRandomizedResponse::new(lifetime_epsilon, domain)?;
        let (a, c, d) = (exp(lifetime_epsilon), exp(report_epsilon), domain as f64);
        let b = (c * (a + d - 2.0) - (d - 1.0)) / (a - c);
        let instantaneous = GeneralizedRandomizedResponse::new(ln(b), domain).map_err(|_| {
            Error::out_of_range(
                "/lifetimeEpsilon",
                "lifetime epsilon too close to the per-report epsilon",
            )
        })?;
        Ok(MemoizedRandomizedResponse {
            report_epsilon,
            lifetime_epsilon,
            permanent,
            instantaneous,
        })
    }

    /// ε₁: the privacy of one report.
    pub fn report_epsilon(&self) -> f64 {
        self.report_epsilon
    }

    /// ε∞: the privacy of all reports about one value together.
    pub fn lifetime_epsilon(&self) -> f64 {
        self.lifetime_epsilon
    }

    /// ε₂ of the instantaneous step.
    pub fn instantaneous_epsilon(&self) -> f64 {
        self.instantaneous.epsilon()
    }

    /// The number of possible values.
    pub fn domain(&self) -> usize {
        self.permanent.domain()
    }

    /// The permanent response for `value`: drawn once, then kept on the device.
    pub fn permanent(&self, value: usize, rng: &mut dyn Rng) -> Result<usize> {
        self.permanent.perturb(value, rng)
    }

    /// A daily report: the permanent response randomized again.
    pub fn instantaneous(&self, permanent: usize, rng: &mut dyn Rng) -> Result<usize> {
        self.instantaneous.perturb(permanent, rng)
    }

    /// [`permanent`](Self::permanent) for a `value` known to be in the domain.
    pub(crate) fn permanent_unchecked(&self, value: usize, rng: &mut dyn Rng) -> usize {
        self.permanent.perturb_unchecked(value, rng)
    }

    /// [`instantaneous`](Self::instantaneous) for a `permanent` response known to be in
    /// the domain.
    pub(crate) fn instantaneous_unchecked(&self, permanent: usize, rng: &mut dyn Rng) -> usize {
        self.instantaneous.perturb_unchecked(permanent, rng)
    }

    /// Effective `p* = p₁p₂ + (1 − p₁)q₂`: a true value reported as itself.
    pub fn p(&self) -> f64 {
        self.pq().0
    }

    /// Effective `q* = q₁p₂ + (1 − q₁)q₂`: a true value reported as one given other value.
    pub fn q(&self) -> f64 {
        self.pq().1
    }

    /// [`p`](Self::p) and [`q`](Self::q) together, as a report states them: one
    /// reading of the two steps' probabilities for both.
    pub(crate) fn pq(&self) -> (f64, f64) {
        let (p1, q1) = (self.permanent.p(), self.permanent.q());
        let (p2, q2) = (self.instantaneous.p(), self.instantaneous.q());
        (p1 * p2 + (1.0 - p1) * q2, q1 * p2 + (1.0 - q1) * q2)
    }
}

/// Unary encoding of a set of at most `max_set` values with a permanent and an
/// instantaneous step, per bit.
///
/// Permanent: OUE at ε∞/k per value (`p₁ = 1/2`, `q₁ = 1/(e^{ε∞/k} + 1)`), so a
/// k-set's permanent vector is ε∞-LDP. Instantaneous: every permanent bit kept with
/// probability `r` and flipped otherwise (`p₂ = r`, `q₂ = 1 − r`), with
///
/// ```text
/// r = ((1 − q₁) − q*) / (1 − 2q₁),   q* = 1/(e^{ε₁/k} + 1)
/// ```
///
/// which gives `p* = 1/2` and `q* = 1/(e^{ε₁/k} + 1)`: exactly OUE at ε₁/k per
/// value, so ε₁ for a whole report of up to `k` values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemoizedUnaryEncoding {
    report_epsilon: f64,
    lifetime_epsilon: f64,
    max_set: usize,
    permanent: OptimizedUnaryEncoding,
    keep: f64,
}

impl TryFrom<MemoParams> for MemoizedUnaryEncoding {
    type Error = Error;
    fn try_from(raw: MemoParams) -> Result<Self> {
        let k = raw
            .max_set
            .ok_or_else(|| Error::invalid("/maxSet", "maxSet is required"))?;
        Self::new(raw.report_epsilon, raw.lifetime_epsilon, raw.domain, k)
    }
}

impl ToJson for MemoizedUnaryEncoding {
    /// The parameters, in the form they are read in.
    fn write_json(&self, w: &mut Writer) {
        MemoParams::from(*self).write_json(w);
    }
}

impl FromJson for MemoizedUnaryEncoding {
    /// The parameters it was serialized with, checked by [`new`](Self::new).
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        read_validated::<MemoParams, Self>(r)
    }
}

impl From<MemoizedUnaryEncoding> for MemoParams {
    fn from(m: MemoizedUnaryEncoding) -> Self {
        MemoParams {
            report_epsilon: m.report_epsilon,
            lifetime_epsilon: m.lifetime_epsilon,
            domain: m.domain(),
            max_set: Some(m.max_set),
        }
    }
}

impl MemoizedUnaryEncoding {
    /// Per-report privacy ε₁ and lifetime privacy ε∞ (≥ 1.05·ε₁) for sets of at
    /// most `max_set` (k ≥ 1, k < domain) of `domain` values.
    pub fn new(
        report_epsilon: f64,
        lifetime_epsilon: f64,
        domain: usize,
        max_set: usize,
    ) -> Result<Self> {
        check_pair(report_epsilon, lifetime_epsilon)?;
        if max_set == 0 || max_set >= domain {
            return Err(Error::out_of_range(
                "/maxSet",
                "maxSet must be at least 1 and below the domain size",
            ));
        }
        let k = max_set as f64;
        let permanent = OptimizedUnaryEncoding::new(lifetime_epsilon / k, domain)?;
        let q1 = permanent.q();
        let target_q = 1.0 / (exp(report_epsilon / k) + 1.0);
        let keep = ((1.0 - q1) - target_q) / (1.0 - 2.0 * q1);
        Ok(MemoizedUnaryEncoding {
            report_epsilon,
            lifetime_epsilon,
            max_set,
            permanent,
            keep,
        })
    }

    /// ε₁: the privacy of one report about a set of at most `max_set` values.
    pub fn report_epsilon(&self) -> f64 {
        self.report_epsilon
    }

    /// ε∞: the privacy of all reports about one set together.
    pub fn lifetime_epsilon(&self) -> f64 {
        self.lifetime_epsilon
    }

    /// The largest set a report may encode (3 for `interests`).
    pub fn max_set(&self) -> usize {
        self.max_set
    }

    /// The number of bits in a report.
    pub fn domain(&self) -> usize {
        self.permanent.domain()
    }

    /// `r`: the probability that the instantaneous step keeps a permanent bit.
    pub fn keep_probability(&self) -> f64 {
        self.keep
    }

    /// The permanent bit for one value: 1 with probability `p₁ = 1/2` if the value is in the set, `q₁` if not.
    pub fn permanent_bit(&self, member: bool, rng: &mut dyn Rng) -> bool {
        rng.bernoulli(if member {
            self.permanent.p()
        } else {
            self.permanent.q()
        })
    }

    /// The daily bit: the permanent bit kept with probability `r`, flipped otherwise.
    pub fn instantaneous_bit(&self, permanent: bool, rng: &mut dyn Rng) -> bool {
        permanent == rng.bernoulli(self.keep)
    }

    /// Effective `p* = p₁r + (1 − p₁)(1 − r)` (= 1/2).
    pub fn p(&self) -> f64 {
        let p1 = self.permanent.p();
        p1 * self.keep + (1.0 - p1) * (1.0 - self.keep)
    }

    /// Effective `q* = q₁r + (1 − q₁)(1 − r)` (= 1/(e^{ε₁/k} + 1)).
    pub fn q(&self) -> f64 {
        let q1 = self.permanent.q();
        q1 * self.keep + (1.0 - q1) * (1.0 - self.keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn memoized_grr_is_exactly_grr_at_the_report_epsilon() {
        for (e1, einf, d) in [(1.0, 2.0, 2), (0.5, 2.0, 5), (2.0, 4.0, 10)] {
            let m = MemoizedRandomizedResponse::new(e1, einf, d).unwrap();
            let one_step = GeneralizedRandomizedResponse::new(e1, d).unwrap();
            assert!((m.p() - one_step.p()).abs() < 1e-12, "{e1} {einf} {d}");
            assert!((m.q() - one_step.q()).abs() < 1e-12);
            assert!(m.instantaneous_epsilon() > e1);
        }
    }

    #[test]
    fn memoized_unary_is_exactly_oue_at_report_epsilon_over_k() {
        for (e1, einf, d, k) in [(1.0, 2.0, 37, 3), (0.5, 1.0, 5, 1), (2.0, 8.0, 20, 3)] {
            let m = MemoizedUnaryEncoding::new(e1, einf, d, k).unwrap();
            let one_step = OptimizedUnaryEncoding::new(e1 / k as f64, d).unwrap();
            assert!((m.p() - 0.5).abs() < 1e-12);
            assert!((m.q() - one_step.q()).abs() < 1e-12);
            assert!(m.keep_probability() > 0.5 && m.keep_probability() < 1.0);
        }
    }

    #[test]
    fn lifetime_must_exceed_report_epsilon() {
        assert!(MemoizedRandomizedResponse::new(1.0, 1.0, 2).is_err());
        assert!(MemoizedUnaryEncoding::new(1.0, 0.5, 10, 3).is_err());
        assert!(MemoizedUnaryEncoding::new(1.0, 2.0, 3, 3).is_err());
    }

    #[test]
    fn json_round_trips_and_validates() {
        let m = MemoizedUnaryEncoding::new(1.0, 2.0, 37, 3).unwrap();
        let json = crate::json::to_string(&m);
        assert_eq!(
            json,
            r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":37,"maxSet":3}"#
        );
        assert_eq!(
            crate::json::from_str::<MemoizedUnaryEncoding>(&json).unwrap(),
            m
        );
        let err = |text: &str| {
            let e = crate::json::from_str::<MemoizedUnaryEncoding>(text).unwrap_err();
            (e.kind(), e.path().to_string(), e.message().to_string())
        };
        let bad = r#"{"reportEpsilon":3.0,"lifetimeEpsilon":2.0,"domain":37,"maxSet":3}"#;
        assert_eq!(
            err(bad),
            (
                ErrorKind::OutOfRange,
                "/lifetimeEpsilon".into(),
                "lifetime epsilon must exceed the per-report epsilon by at least 5%".into()
            )
        );
        let no_k = r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":37,"maxSet":null}"#;
        assert_eq!(
            err(no_k),
            (
                ErrorKind::Invalid,
                "/maxSet".into(),
                "maxSet is required".into()
            )
        );
        assert_eq!(
            err(r#"{"reportEpsilon":1.0,"domain":37,"maxSet":3}"#),
            (
                ErrorKind::Invalid,
                "".into(),
                "missing field `lifetimeEpsilon`".into()
            )
        );
        assert_eq!(
            err(r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":37,"k":3}"#),
            (ErrorKind::Invalid, "/k".into(), "unknown field".into())
        );
        assert_eq!(
            err(r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":-37,"maxSet":3}"#),
            (
                ErrorKind::OutOfRange,
                "/domain".into(),
                "integer out of range".into()
            )
        );
        let g: MemoizedRandomizedResponse =
            crate::json::from_str(r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":2}"#)
                .unwrap();
        assert_eq!(g.domain(), 2);
        assert_eq!(
            crate::json::to_string(&g),
            r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":2}"#
        );
        let e = crate::json::from_str::<MemoizedRandomizedResponse>(
            r#"{"reportEpsilon":1.0,"lifetimeEpsilon":2.0,"domain":2,"maxSet":1}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.path(), e.message()),
            (
                ErrorKind::Invalid,
                "/maxSet",
                "randomized response has no maxSet"
            )
        );
    }
}
