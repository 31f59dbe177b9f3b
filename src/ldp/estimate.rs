//! The unbiased frequency estimator shared by every mechanism, and its variance.
//!
//! Every mechanism here reports, for each bucket `i`, one bit that is 1 with
//! probability `p` when the visitor's true value has `i` and `q` when it does
//! not (`p > q`). For `n` reports of which `c_i` have bit `i` set, Wang et al.
//! (USENIX Security 2017, §3, "pure" protocols) give the unbiased estimate of
//! the number of visitors with `i`:
//!
//! ```text
//! ĉ_i = (c_i − n·q) / (p − q)
//! Var[ĉ_i] = n·q(1−q)/(p−q)² + n·f_i·(1−p−q)/(p−q)
//! ```
//!
//! where `f_i` is the true fraction of visitors with `i`. The collector runs this
//! very code, so devices and collector can never disagree on the debiasing.

/// Debiased counts `ĉ_i = (c_i − n·q)/(p − q)` for every bucket (unclipped: may be
/// negative or above `n`; clipping is a release decision, not the estimator's).
pub fn debias(counts: &[u64], n: u64, p: f64, q: f64) -> Vec<f64> {
    let nq = n as f64 * q;
    let gap = p - q;
    counts.iter().map(|&c| (c as f64 - nq) / gap).collect()
}

/// The variance of one debiased count over `n` reports when a fraction `f` of the
/// visitors truly have the bucket: `n·q(1−q)/(p−q)² + n·f·(1−p−q)/(p−q)`.
pub fn count_variance(n: u64, f: f64, p: f64, q: f64) -> f64 {
    let n = n as f64;
    let gap = p - q;
    n * q * (1.0 - q) / (gap * gap) + n * f * (1.0 - p - q) / gap
}

/// The plug-in standard error of a debiased count: [`count_variance`] with `f`
/// estimated as `estimate / n` clipped to `[0, 1]` (what a collector uses for
/// confidence intervals, since the true `f` is unknown).
pub fn standard_error(n: u64, estimate: f64, p: f64, q: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let f = (estimate / n as f64).clamp(0.0, 1.0);
    count_variance(n, f, p, q).max(0.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debias_inverts_the_expected_counts() {
        // With n = 1000, 300 true ones, p = .5, q = .25: E[c] = 300·.5 + 700·.25 = 325.
        let est = debias(&[325], 1000, 0.5, 0.25);
        assert!((est[0] - 300.0).abs() < 1e-9);
    }

    #[test]
    fn variance_matches_binomial_sum() {
        // Var = (n f p(1−p) + n(1−f) q(1−q)) / (p−q)², written out directly.
        let (n, f, p, q) = (10_000u64, 0.3, 0.7, 0.2);
        let direct = (n as f64 * f * p * (1.0 - p) + n as f64 * (1.0 - f) * q * (1.0 - q))
            / ((p - q) * (p - q));
        assert!((count_variance(n, f, p, q) - direct).abs() < 1e-6 * direct);
    }
}
