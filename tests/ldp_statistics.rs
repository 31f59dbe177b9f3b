//! Statistical tests of the LDP mechanisms against a known crowd, with seeded randomness.
//!
//! - Accuracy: 100,000 simulated visitors go through the real per-visitor `perturb`
//!   code; every bucket's debiased estimate must lie within 4 standard errors
//!   (from the variance formula) of the truth, for GRR and OUE at ε ∈ {0.5, 1, 2},
//!   and for the memoized two-step mechanisms that the reports use.
//! - Variance: 1,000 repetitions of a 100,000-visitor crowd, sampled exactly per
//!   bucket (binomials / multinomials have the same distribution as the sum of
//!   the per-visitor bits), give an empirical variance within 10% of the formula.

mod ldp_support;

use inkling::ldp::{
    GeneralizedRandomizedResponse, MemoizedRandomizedResponse, MemoizedUnaryEncoding,
    OptimizedUnaryEncoding, SplitMix64,
};
use ldp_support::{binomial, crowd, zipf_weights, Seeded};

const VISITORS: u64 = 100_000;
const EPSILONS: [f64; 3] = [0.5, 1.0, 2.0];
const D: usize = 10;

/// Asserts every estimate is within 4 standard errors and returns the largest |z|.
fn assert_within_4_se(label: &str, est: &[f64], truth: &[u64], var: impl Fn(f64) -> f64) -> f64 {
    let mut worst: f64 = 0.0;
    for (i, (&e, &t)) in est.iter().zip(truth).enumerate() {
        let se = var(t as f64 / VISITORS as f64).sqrt();
        let z = (e - t as f64) / se;
        assert!(
            z.abs() < 4.0,
            "{label}: bucket {i} estimate {e:.1} vs truth {t} is {z:.2} SE away"
        );
        worst = worst.max(z.abs());
    }
    worst
}

#[test]
fn grr_estimates_within_4_se_per_visitor() {
    let truth = crowd(VISITORS, &zipf_weights(D));
    for (k, eps) in EPSILONS.into_iter().enumerate() {
        let m = GeneralizedRandomizedResponse::new(eps, D).unwrap();
        let mut rng = SplitMix64::new(100 + k as u64);
        let mut counts = vec![0u64; D];
        for (value, &n_v) in truth.iter().enumerate() {
            for _ in 0..n_v {
                counts[m.perturb(value, &mut rng).unwrap()] += 1;
            }
        }
        let est = m.estimate(&counts, VISITORS);
        let worst = assert_within_4_se("grr", &est, &truth, |f| m.variance(VISITORS, f));
        println!("grr eps={eps}: max |z| = {worst:.2}");
    }
}

#[test]
fn oue_estimates_within_4_se_per_visitor() {
    let truth = crowd(VISITORS, &zipf_weights(D));
    for (k, eps) in EPSILONS.into_iter().enumerate() {
        let m = OptimizedUnaryEncoding::new(eps, D).unwrap();
        let mut rng = SplitMix64::new(200 + k as u64);
        let mut counts = vec![0u64; D];
        for (value, &n_v) in truth.iter().enumerate() {
            for _ in 0..n_v {
                for (c, b) in counts.iter_mut().zip(m.perturb(value, &mut rng).unwrap()) {
                    *c += u64::from(b);
                }
            }
        }
        let est = m.estimate(&counts, VISITORS);
        let worst = assert_within_4_se("oue", &est, &truth, |f| m.variance(VISITORS, f));
        println!("oue eps={eps}: max |z| = {worst:.2}");
    }
}

#[test]
fn memoized_mechanisms_estimate_one_day_within_4_se() {
    // Each visitor draws a permanent response and one instantaneous report (one day).
    for (k, eps) in EPSILONS.into_iter().enumerate() {
        // Unary, sets of 3 topics out of 12: visitor v holds {v%4, 4 + v%3, 8 + v%4·v%2}.
        let d = 12;
        let m = MemoizedUnaryEncoding::new(eps, 2.0 * eps, d, 3).unwrap();
        let mut rng = SplitMix64::new(300 + k as u64);
        let mut truth = vec![0u64; d];
        let mut counts = vec![0u64; d];
        for v in 0..VISITORS as usize {
            let set = [v % 4, 4 + v % 3, 8 + (v % 4) * (v % 2)];
            for (i, t) in truth.iter_mut().enumerate() {
                let member = set.contains(&i);
                *t += u64::from(member);
                let perm = m.permanent_bit(member, &mut rng);
                counts[i] += u64::from(m.instantaneous_bit(perm, &mut rng));
            }
        }
        let est = ldp_est(&counts, m.p(), m.q());
        let var = |f: f64| inkling::ldp::estimate::count_variance(VISITORS, f, m.p(), m.q());
        let worst = assert_within_4_se("memo unary", &est, &truth, var);
        println!("memoized unary eps={eps}: max |z| = {worst:.2}");

        // Randomized response, binary (the engagement metric): 23% say yes.
        let g = MemoizedRandomizedResponse::new(eps, 2.0 * eps, 2).unwrap();
        let truth = crowd(VISITORS, &[0.77, 0.23]);
        let mut counts = [0u64; 2];
        for (value, &n_v) in truth.iter().enumerate() {
            for _ in 0..n_v {
                let perm = g.permanent(value, &mut rng).unwrap();
                counts[g.instantaneous(perm, &mut rng).unwrap()] += 1;
            }
        }
        let est = ldp_est(&counts, g.p(), g.q());
        let var = |f: f64| inkling::ldp::estimate::count_variance(VISITORS, f, g.p(), g.q());
        let worst = assert_within_4_se("memo rr", &est, &truth, var);
        println!("memoized rr eps={eps}: max |z| = {worst:.2}");
    }
}

fn ldp_est(counts: &[u64], p: f64, q: f64) -> Vec<f64> {
    inkling::ldp::estimate::debias(counts, VISITORS, p, q)
}

const REPS: usize = 1_000;

/// Runs `REPS` exact crowd simulations and returns, per bucket, the mean of
/// (estimate − truth)² / formula variance (1 when the formula is right).
fn variance_ratios(
    truth: &[u64],
    formula: impl Fn(f64) -> f64,
    mut one_rep: impl FnMut() -> Vec<f64>,
) -> Vec<f64> {
    let mut sums = vec![0.0; truth.len()];
    for _ in 0..REPS {
        let est = one_rep();
        for (i, (&e, &t)) in est.iter().zip(truth).enumerate() {
            sums[i] += (e - t as f64).powi(2) / formula(t as f64 / VISITORS as f64);
        }
    }
    sums.iter().map(|s| s / REPS as f64).collect()
}

fn assert_variance_matches(label: &str, ratios: &[f64]) {
    let pooled = ratios.iter().sum::<f64>() / ratios.len() as f64;
    println!("{label}: pooled empirical/formula variance = {pooled:.4}, per bucket {ratios:.3?}");
    assert!(
        (pooled - 1.0).abs() < 0.10,
        "{label}: pooled ratio {pooled}"
    );
    for (i, r) in ratios.iter().enumerate() {
        // One bucket alone has 1,000 samples (relative SE ≈ 4.5%): allow 20%.
        assert!((r - 1.0).abs() < 0.20, "{label}: bucket {i} ratio {r}");
    }
}

#[test]
fn grr_empirical_variance_matches_formula() {
    let truth = crowd(VISITORS, &zipf_weights(D));
    for (k, eps) in EPSILONS.into_iter().enumerate() {
        let m = GeneralizedRandomizedResponse::new(eps, D).unwrap();
        let mut rng = Seeded(SplitMix64::new(400 + k as u64));
        let ratios = variance_ratios(
            &truth,
            |f| m.variance(VISITORS, f),
            || {
                // For each true value: Bin(n_v, p) keep it, the rest spread uniformly over
                // the other d − 1 values (a multinomial, drawn as successive binomials).
                let mut counts = vec![0u64; D];
                for (v, &n_v) in truth.iter().enumerate() {
                    let kept = binomial(&mut rng, n_v, m.p());
                    counts[v] += kept;
                    let mut rest = n_v - kept;
                    let others: Vec<usize> = (0..D).filter(|&j| j != v).collect();
                    for (slot, &j) in others.iter().enumerate() {
                        let left = (others.len() - slot) as f64;
                        let c = if slot + 1 == others.len() {
                            rest
                        } else {
                            binomial(&mut rng, rest, 1.0 / left)
                        };
                        counts[j] += c;
                        rest -= c;
                    }
                }
                m.estimate(&counts, VISITORS)
            },
        );
        assert_variance_matches(&format!("grr eps={eps}"), &ratios);
    }
}

#[test]
fn oue_empirical_variance_matches_formula() {
    let truth = crowd(VISITORS, &zipf_weights(D));
    for (k, eps) in EPSILONS.into_iter().enumerate() {
        let m = OptimizedUnaryEncoding::new(eps, D).unwrap();
        let mut rng = Seeded(SplitMix64::new(500 + k as u64));
        let ratios = variance_ratios(
            &truth,
            |f| m.variance(VISITORS, f),
            || {
                // Bit i: Bin(n_i, p) from holders plus Bin(n − n_i, q) from the others.
                let counts: Vec<u64> = truth
                    .iter()
                    .map(|&n_i| {
                        binomial(&mut rng, n_i, m.p()) + binomial(&mut rng, VISITORS - n_i, m.q())
                    })
                    .collect();
                m.estimate(&counts, VISITORS)
            },
        );
        assert_variance_matches(&format!("oue eps={eps}"), &ratios);
    }
}

#[test]
fn per_visitor_sampling_agrees_with_binomial_shortcut() {
    // The shortcut above is only valid if the real code's bits are Bernoulli(p)/(q):
    // 200 repetitions of 5,000 visitors through `perturb` give the same variance.
    let n = 5_000u64;
    let m = OptimizedUnaryEncoding::new(1.0, 4).unwrap();
    let truth = crowd(n, &[0.5, 0.3, 0.2, 0.0]);
    let mut rng = SplitMix64::new(600);
    let mut sum_sq = [0.0f64; 4];
    let reps = 200;
    for _ in 0..reps {
        let mut counts = [0u64; 4];
        for (v, &n_v) in truth.iter().enumerate() {
            for _ in 0..n_v {
                for (c, b) in counts.iter_mut().zip(m.perturb(v, &mut rng).unwrap()) {
                    *c += u64::from(b);
                }
            }
        }
        for (i, e) in m.estimate(&counts, n).into_iter().enumerate() {
            sum_sq[i] += (e - truth[i] as f64).powi(2) / m.variance(n, truth[i] as f64 / n as f64);
        }
    }
    let pooled = sum_sq.iter().sum::<f64>() / (4.0 * reps as f64);
    println!("per-visitor oue: pooled empirical/formula variance = {pooled:.4}");
    // 800 samples: relative SE of the mean ≈ 5%; allow 20%.
    assert!((pooled - 1.0).abs() < 0.2, "pooled ratio {pooled}");
}
