//! What the collector releases: debiased estimates with 95% confidence
//! intervals, and nothing at all for a crowd smaller than `k_min`.
//!
//! For each bucket `i` of a period with `n` reports of which `c_i` had bit `i`
//! set, the estimate of how many visitors have `i` comes from the core's
//! estimator (the very code the devices' mechanism documents):
//!
//! ```text
//! ĉ_i   = (c_i − n·q) / (p − q)                       inkling::ldp::estimate::debias
//! se_i  = sqrt(n·q(1−q)/(p−q)² + n·f_i·(1−p−q)/(p−q))   with f_i = clip(ĉ_i)/n (plug-in)
//! ```
//!
//! Release rules, in this order:
//! 1. `n < k_min`: the period is suppressed: `buckets` is `null` and
//!    `suppressed` says `"fewer than k_min reports"`. Nothing is rounded or shown in part.
//! 2. Clipping: `estimate_i = clamp(ĉ_i, 0, n)` (a count cannot be negative or
//!    exceed the number of reports); the interval `estimate_i ± 1.96·se_i` is
//!    clipped to `[0, n]` the same way.
//! 3. `fraction_i = estimate_i / n`: the fraction of reporting visitors with `i`.
//! 4. Renormalisation: `share_i =
//!    estimate_i / Σ_j estimate_j`, so the shares sum to 1 after clipping; the
//!    share's interval is the count interval divided by the same sum
//!    (an approximation that treats the sum as fixed).
//! 5. Yes/no metrics (engagement: binary randomized response, bucket 1 = yes)
//!    also report `rate = fraction_1` with its interval. (For GRR the debiased
//!    counts already sum to `n`, since `p + q = 1`.)

use serde::Serialize;

use crate::store::PeriodSums;

/// The normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// What `suppressed` says for a period below the minimum crowd size.
pub const SUPPRESSED: &str = "fewer than k_min reports";

/// The mechanism's effective report probabilities.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Probabilities {
    /// P(bit = 1 | the visitor has the bucket).
    pub p: f64,
    /// P(bit = 1 | the visitor does not have it).
    pub q: f64,
}

/// One released bucket.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BucketEstimate {
    /// Bucket index (bit position).
    pub bucket: usize,
    /// The bucket's label (a topic id), when the site lists them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Debiased, clipped count of visitors with this bucket.
    pub estimate: f64,
    /// 95% interval of `estimate`, clipped to `[0, n]`.
    pub ci95: [f64; 2],
    /// `estimate / n`.
    pub fraction: f64,
    /// 95% interval of `fraction`.
    pub fraction_ci95: [f64; 2],
    /// Renormalised share: the shares of a period sum to 1.
    pub share: f64,
    /// 95% interval of `share`.
    pub share_ci95: [f64; 2],
}

/// One period (or the whole range) as released.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Release {
    /// `YYYY-MM-DD`, or `from..to` for a whole range.
    pub period: String,
    /// Number of reports.
    pub n: i64,
    /// Why nothing is shown, or `null`.
    pub suppressed: Option<&'static str>,
    /// Per bucket estimates, or `null` when suppressed.
    pub buckets: Option<Vec<BucketEstimate>>,
    /// For yes/no metrics: the fraction of "yes" (the engagement rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// 95% interval of `rate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_ci95: Option<[f64; 2]>,
}

/// Applies the release rules to one period's sums.
///
/// `rate_bucket` names the "yes" bucket of a yes/no metric.
pub fn release(
    sums: &PeriodSums,
    probs: Probabilities,
    k_min: u64,
    labels: &[String],
    rate_bucket: Option<usize>,
) -> Release {
    let n = sums.reports.max(0);
    if (n as u64) < k_min {
        return Release {
            period: sums.period.clone(),
            n,
            suppressed: Some(SUPPRESSED),
            buckets: None,
            rate: None,
            rate_ci95: None,
        };
    }
    let nu = n as u64;
    let nf = n as f64;
    let counts: Vec<u64> = sums.ones.iter().map(|&c| c.max(0) as u64).collect();
    let raw = inkling::ldp::estimate::debias(&counts, nu, probs.p, probs.q);
    let mut buckets: Vec<BucketEstimate> = raw
        .iter()
        .enumerate()
        .map(|(i, &est)| {
            let estimate = est.clamp(0.0, nf);
            let se = inkling::ldp::estimate::standard_error(nu, estimate, probs.p, probs.q);
            let ci95 = [
                (estimate - Z_95 * se).max(0.0),
                (estimate + Z_95 * se).min(nf),
            ];
            BucketEstimate {
                bucket: i,
                label: labels.get(i).cloned(),
                estimate,
                ci95,
                fraction: estimate / nf,
                fraction_ci95: [ci95[0] / nf, ci95[1] / nf],
                share: 0.0,
                share_ci95: [0.0, 0.0],
            }
        })
        .collect();
    let total: f64 = buckets.iter().map(|b| b.estimate).sum();
    if total > 0.0 {
        for b in &mut buckets {
            b.share = b.estimate / total;
            b.share_ci95 = [b.ci95[0] / total, (b.ci95[1] / total).min(1.0)];
        }
    }
    let rate_of = rate_bucket.and_then(|i| buckets.get(i));
    let rate = rate_of.map(|b| b.fraction);
    let rate_ci95 = rate_of.map(|b| b.fraction_ci95);
    Release {
        period: sums.period.clone(),
        n,
        suppressed: None,
        buckets: Some(buckets),
        rate,
        rate_ci95,
    }
}

/// Adds up several periods into one (for a whole range).
pub fn combine(periods: &[PeriodSums], label: String, domain: usize) -> PeriodSums {
    let mut total = PeriodSums {
        period: label,
        reports: 0,
        ones: vec![0; domain],
    };
    for p in periods {
        total.reports += p.reports;
        for (t, o) in total.ones.iter_mut().zip(&p.ones) {
            *t += o;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(n: i64, ones: Vec<i64>) -> PeriodSums {
        PeriodSums {
            period: "2026-11-23".into(),
            reports: n,
            ones,
        }
    }

    const PQ: Probabilities = Probabilities { p: 0.5, q: 0.25 };

    #[test]
    fn below_k_min_nothing_is_released() {
        let r = release(&sums(49, vec![30, 10]), PQ, 50, &[], None);
        assert_eq!(r.suppressed, Some(SUPPRESSED));
        assert!(r.buckets.is_none());
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["buckets"].is_null());
    }

    #[test]
    fn estimates_are_debiased_clipped_and_renormalised() {
        // n = 1000: c = 325 → (325 − 250)/0.25 = 300; c = 100 → −600 → clipped to 0;
        // c = 750 → 2000 → clipped to n = 1000.
        let r = release(
            &sums(1000, vec![325, 100, 750]),
            PQ,
            50,
            &["a".into()],
            None,
        );
        let b = r.buckets.unwrap();
        assert!((b[0].estimate - 300.0).abs() < 1e-9);
        assert_eq!(b[1].estimate, 0.0);
        assert_eq!(b[2].estimate, 1000.0);
        assert_eq!(b[0].label.as_deref(), Some("a"));
        let shares: f64 = b.iter().map(|x| x.share).sum();
        assert!((shares - 1.0).abs() < 1e-12);
        assert!((b[0].share - 300.0 / 1300.0).abs() < 1e-12);
        for x in &b {
            assert!(x.ci95[0] <= x.estimate && x.estimate <= x.ci95[1]);
            assert!(x.ci95[0] >= 0.0 && x.ci95[1] <= 1000.0);
        }
        // The interval half-width is 1.96 standard errors of the core's formula.
        let se = inkling::ldp::estimate::standard_error(1000, 300.0, 0.5, 0.25);
        assert!((b[0].ci95[1] - 300.0 - Z_95 * se).abs() < 1e-9);
    }

    #[test]
    fn yes_no_metrics_give_a_rate() {
        // Binary RR at ε = ln 3: p = 3/4, q = 1/4. 1000 reports, 400 "yes" bits:
        // (400 − 250)/0.5 = 300 yes, (600 − 250)/0.5 = 700 no: rate 0.3.
        let pq = Probabilities { p: 0.75, q: 0.25 };
        let r = release(&sums(1000, vec![600, 400]), pq, 50, &[], Some(1));
        assert!((r.rate.unwrap() - 0.3).abs() < 1e-9);
        let ci = r.rate_ci95.unwrap();
        assert!(ci[0] < 0.3 && 0.3 < ci[1]);
        let b = r.buckets.unwrap();
        assert!((b[0].estimate + b[1].estimate - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn ranges_add_up() {
        let t = combine(&[sums(3, vec![1, 2]), sums(4, vec![2, 0])], "x".into(), 2);
        assert_eq!(t.reports, 7);
        assert_eq!(t.ones, vec![3, 2]);
    }
}
